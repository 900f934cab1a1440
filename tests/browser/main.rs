//! Browser end-to-end tests: a real Chromium is the judge of what a page on
//! one origin may read from an API on another.
//!
//! Chromium is driven over the DevTools protocol (`cdp.rs`) rather than
//! with `--dump-dom`: the protocol reports the console messages the browser
//! writes for refused requests, which is how these tests check that each
//! refusal names its real reason, and it lets the test evaluate one `fetch`
//! at a time and read back its outcome as JSON. A WebSocket and JSON are all
//! it needs, so no browser-automation crate is pulled in.
//!
//! Pages are served from `localhost:47811` under several host names
//! (`localhost`, `other.localhost`, `app.demo.localhost`, ... which Chromium
//! resolves to the loopback address itself), so each host is its own
//! origin; the API listens on `127.0.0.1` on a free port.
//!
//! Chromium is found through `$CHROMIUM` or `PATH`. Without it each test
//! prints a notice to stderr and passes, unless `CI` is set: then it fails
//! (`.ci/run` installs Chromium and sets `CI`). See `cdp::chromium_or_skip`.

mod cdp;
mod red_team;

#[allow(dead_code)]
#[path = "../../examples/server.rs"]
mod server;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use cors_runtime::{cors, preflight, MethodRouterExt as _};
use serde_json::Value;
use tower_http::limit::RequestBodyLimitLayer;

use crate::cdp::Browser;

/// The port every test page is served on; the policies below name it.
const PAGE_PORT: u16 = 47811;

#[cors(origins = ["http://localhost:47811"], methods = [GET])]
async fn simple() -> &'static str {
    "simple"
}

#[cors(origins = ["http://localhost:47811"], methods = [PUT], allow_headers = ["content-type"])]
async fn put_json(Json(value): Json<Value>) -> Json<Value> {
    Json(value)
}

#[cors(origins = ["http://localhost:47811"], methods = [GET], credentials = true)]
async fn with_credentials() -> &'static str {
    "with credentials"
}

#[cors(origins = ["http://localhost:47811"], methods = [GET], expose_headers = ["x-request-id"])]
async fn exposed() -> ([(&'static str, &'static str); 2], &'static str) {
    ([("x-request-id", "42"), ("x-secret", "hidden")], "exposed")
}

#[cors(origins = ["http://localhost:47811"], methods = [GET])]
async fn failing() -> (StatusCode, &'static str) {
    (StatusCode::INTERNAL_SERVER_ERROR, "database is down")
}

#[cors(origins = "*", methods = [GET])]
async fn doc_read() -> &'static str {
    "doc"
}

#[cors(origins = ["http://localhost:47811"], methods = [PATCH], allow_headers = ["content-type"])]
async fn doc_patch() -> &'static str {
    "patched"
}

#[cors(origins = ["http://localhost:47811"], methods = [GET], allow_headers = ["authorization"])]
async fn secret(headers: HeaderMap) -> Result<&'static str, StatusCode> {
    match headers.get("authorization") {
        Some(value) if value == "Bearer good" => Ok("secret"),
        _ => Err(StatusCode::UNAUTHORIZED),
    }
}

#[cors(origins = "*", methods = [GET], allow_headers = "*")]
async fn any_header() -> &'static str {
    "any header"
}

async fn no_cors() -> &'static str {
    "no cors"
}

static COUNTED_RUNS: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = ["http://localhost:47811"], methods = [PUT], allow_headers = ["content-type"])]
async fn counted() -> &'static str {
    COUNTED_RUNS.fetch_add(1, Ordering::SeqCst);
    "counted"
}

/// Shares `/counted` with `counted` but has no policy: a POST reaching it
/// would mean the browser sent a request its preflight refused.
async fn counted_plain() -> &'static str {
    COUNTED_RUNS.fetch_add(1, Ordering::SeqCst);
    "counted without cors"
}

#[cors(origins = ["http://*.demo.localhost:47811"], methods = [GET])]
async fn subdomain() -> &'static str {
    "subdomain"
}

#[cors(origins = ["http://localhost:*"], methods = [GET])]
async fn any_port() -> &'static str {
    "any port"
}

#[cors(origins = ["http://localhost:47811"], methods = [GET], allow_headers = ["authorization"])]
async fn guarded_read() -> &'static str {
    "guarded"
}

#[cors(origins = ["http://localhost:47811"], methods = [POST], allow_headers = ["authorization", "content-type"])]
async fn guarded_upload(body: String) -> String {
    body
}

/// Route middleware of the layer placement: `401` without a token.
async fn require_token(request: Request, next: Next) -> Response {
    match request.headers().get("authorization") {
        Some(token) if token == "Bearer good" => next.run(request).await,
        _ => StatusCode::UNAUTHORIZED.into_response(),
    }
}

fn api() -> Router {
    Router::new()
        .route("/simple", get(simple).options(preflight!(simple)))
        .route("/put-json", put(put_json).options(preflight!(put_json)))
        .route(
            "/credentials",
            get(with_credentials).options(preflight!(with_credentials)),
        )
        .route("/exposed", get(exposed))
        .route("/failing", get(failing))
        .route(
            "/doc",
            get(doc_read)
                .patch(doc_patch)
                .options(preflight!(doc_read, doc_patch)),
        )
        .route("/secret", get(secret).options(preflight!(secret)))
        .route(
            "/any-header",
            get(any_header).options(preflight!(any_header)),
        )
        .route("/no-cors", get(no_cors))
        .route(
            "/counted",
            put(counted)
                .post(counted_plain)
                .options(preflight!(counted)),
        )
        .route("/subdomain", get(subdomain).options(preflight!(subdomain)))
        .route("/any-port", get(any_port).options(preflight!(any_port)))
        // The layer placement: preflights answered before the auth
        // middleware, its `401` and the body limit's `413` decorated.
        .route(
            "/guarded",
            get(guarded_read)
                .post(guarded_upload)
                .route_layer(from_fn(require_token))
                .route_layer(RequestBodyLimitLayer::new(16))
                .preflight_layer(preflight!(guarded_read, guarded_upload)),
        )
}

/// The page every origin serves: a helper that runs one `fetch` and
/// describes what the page could see.
const PAGE: &str = r#"<!doctype html>
<title>cors test page</title>
<script>
window.call = async (url, options, readHeaders) => {
  try {
    const response = await fetch(url, options);
    const headers = {};
    for (const name of readHeaders || []) headers[name] = response.headers.get(name);
    return { ok: true, status: response.status, body: await response.text(), headers };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
};
</script>"#;

/// What a case expects the page to see.
enum Expect {
    /// The page reads this status (and body, when given).
    Readable {
        status: u16,
        body: Option<&'static str>,
    },
    /// `fetch` rejects, and the console names the reason with this text.
    Blocked { reason: &'static str },
}

struct Case {
    name: &'static str,
    page_host: &'static str,
    path: &'static str,
    options: &'static str,
    expect: Expect,
    /// Headers the page must (Some) or must not (None) be able to read.
    headers: &'static [(&'static str, Option<&'static str>)],
}

const NO_ACAO: &str =
    "No 'Access-Control-Allow-Origin' header is present on the requested resource";

fn cases() -> Vec<Case> {
    use Expect::{Blocked, Readable};
    let readable = |status, body| Readable { status, body };
    vec![
        Case { name: "simple GET, allowed origin", page_host: "localhost", path: "/simple", options: "{}", expect: readable(200, Some("simple")), headers: &[] },
        Case { name: "simple GET, refused origin", page_host: "other.localhost", path: "/simple", options: "{}", expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "preflighted PUT with JSON, allowed", page_host: "localhost", path: "/put-json", options: r#"{method: "PUT", headers: {"content-type": "application/json"}, body: '{"a":1}'}"#, expect: readable(200, Some(r#"{"a":1}"#)), headers: &[] },
        Case { name: "preflight refused by origin", page_host: "other.localhost", path: "/put-json", options: r#"{method: "PUT", headers: {"content-type": "application/json"}, body: "{}"}"#, expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "preflight refused by method", page_host: "localhost", path: "/put-json", options: r#"{method: "DELETE"}"#, expect: Blocked { reason: "Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response" }, headers: &[] },
        Case { name: "preflight refused by header", page_host: "localhost", path: "/put-json", options: r#"{method: "PUT", headers: {"content-type": "application/json", "x-custom": "1"}, body: "{}"}"#, expect: Blocked { reason: "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response" }, headers: &[] },
        Case { name: "lower-case method is a different method", page_host: "localhost", path: "/doc", options: r#"{method: "patch"}"#, expect: Blocked { reason: "Method patch is not allowed by Access-Control-Allow-Methods in preflight response" }, headers: &[] },
        Case { name: "credentials allowed", page_host: "localhost", path: "/credentials", options: r#"{credentials: "include"}"#, expect: readable(200, Some("with credentials")), headers: &[] },
        Case { name: "credentials not allowed", page_host: "localhost", path: "/simple", options: r#"{credentials: "include"}"#, expect: Blocked { reason: "Access-Control-Allow-Credentials" }, headers: &[] },
        Case { name: "exposed header readable, unexposed hidden", page_host: "localhost", path: "/exposed", options: "{}", expect: readable(200, Some("exposed")), headers: &[("x-request-id", Some("42")), ("x-secret", None)] },
        Case { name: "extractor rejection (bad JSON) readable", page_host: "localhost", path: "/put-json", options: r#"{method: "PUT", headers: {"content-type": "application/json"}, body: "{bad"}"#, expect: readable(400, None), headers: &[] },
        Case { name: "handler 500 readable", page_host: "localhost", path: "/failing", options: "{}", expect: readable(500, Some("database is down")), headers: &[] },
        Case { name: "one path: GET from any origin", page_host: "other.localhost", path: "/doc", options: "{}", expect: readable(200, Some("doc")), headers: &[] },
        Case { name: "one path: PATCH refused for another origin", page_host: "other.localhost", path: "/doc", options: r#"{method: "PATCH"}"#, expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "one path: PATCH from the app origin", page_host: "localhost", path: "/doc", options: r#"{method: "PATCH"}"#, expect: readable(200, Some("patched")), headers: &[] },
        Case { name: "Authorization preflight, then a readable 401", page_host: "localhost", path: "/secret", options: r#"{headers: {authorization: "Bearer bad"}}"#, expect: readable(401, None), headers: &[] },
        Case { name: "Authorization preflight, then a 200", page_host: "localhost", path: "/secret", options: r#"{headers: {authorization: "Bearer good"}}"#, expect: readable(200, Some("secret")), headers: &[] },
        Case { name: "allow_headers * covers a custom header", page_host: "localhost", path: "/any-header", options: r#"{headers: {"x-anything": "1"}}"#, expect: readable(200, Some("any header")), headers: &[] },
        Case { name: "allow_headers * refuses authorization", page_host: "localhost", path: "/any-header", options: r#"{headers: {authorization: "Bearer x"}}"#, expect: Blocked { reason: "Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response" }, headers: &[] },
        Case { name: "route without #[cors] refused", page_host: "localhost", path: "/no-cors", options: "{}", expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "refused preflight does not run the handler", page_host: "other.localhost", path: "/counted", options: r#"{method: "PUT"}"#, expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "refused safelisted method (POST) is never sent", page_host: "localhost", path: "/counted", options: r#"{method: "POST", headers: {"content-type": "application/json"}, body: "{}"}"#, expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "allowed preflight, then the handler runs once", page_host: "localhost", path: "/counted", options: r#"{method: "PUT"}"#, expect: readable(200, Some("counted")), headers: &[] },
        Case { name: "subdomain pattern allows a subdomain", page_host: "app.demo.localhost", path: "/subdomain", options: "{}", expect: readable(200, Some("subdomain")), headers: &[] },
        Case { name: "subdomain pattern refuses the apex", page_host: "demo.localhost", path: "/subdomain", options: "{}", expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "subdomain pattern refuses a look-alike", page_host: "app.evildemo.localhost", path: "/subdomain", options: "{}", expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "any-port pattern allows its host", page_host: "localhost", path: "/any-port", options: "{}", expect: readable(200, Some("any port")), headers: &[] },
        Case { name: "any-port pattern refuses another host", page_host: "127.0.0.1", path: "/any-port", options: "{}", expect: Blocked { reason: NO_ACAO }, headers: &[] },
        Case { name: "layer: preflight passes auth, then a 200", page_host: "localhost", path: "/guarded", options: r#"{headers: {authorization: "Bearer good"}}"#, expect: readable(200, Some("guarded")), headers: &[] },
        Case { name: "layer: auth middleware's 401 readable", page_host: "localhost", path: "/guarded", options: "{}", expect: readable(401, None), headers: &[] },
        Case { name: "layer: body limit's 413 readable", page_host: "localhost", path: "/guarded", options: r#"{method: "POST", headers: {authorization: "Bearer good", "content-type": "text/plain"}, body: "far more than sixteen bytes of body"}"#, expect: readable(413, None), headers: &[] },
        Case { name: "layer: 401 refused to another origin", page_host: "other.localhost", path: "/guarded", options: "{}", expect: Blocked { reason: NO_ACAO }, headers: &[] },
    ]
}

/// Serves `router` on `127.0.0.1:port` (0 for any) and returns the port.
fn serve(runtime: &tokio::runtime::Runtime, port: u16, router: Router) -> u16 {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", port)))
        .unwrap_or_else(|error| panic!("cannot listen on 127.0.0.1:{port}: {error}"));
    let port = listener.local_addr().expect("bound").port();
    runtime.spawn(async move { axum::serve(listener, router).await });
    port
}

#[test]
fn browser_matrix() {
    let Some(chromium) = cdp::chromium_or_skip("browser_matrix") else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let api_port = serve(&runtime, 0, api());
    serve(
        &runtime,
        PAGE_PORT,
        Router::new().route("/", get(|| async { Html(PAGE) })),
    );

    let started = Instant::now();
    let mut browser = Browser::launch(&chromium);
    let mut report = String::new();
    let mut failures = Vec::new();
    let mut current_host = "";
    for (index, case) in cases().iter().enumerate() {
        if case.page_host != current_host {
            browser.navigate(&format!("http://{}:{PAGE_PORT}/", case.page_host));
            browser.take_console(Duration::ZERO);
            current_host = case.page_host;
        }
        let runs_before = COUNTED_RUNS.load(Ordering::SeqCst);
        // A distinct query per case keeps Chromium's preflight cache out.
        let url = format!("http://127.0.0.1:{api_port}{}?case={index}", case.path);
        let read: Vec<&str> = case.headers.iter().map(|(name, _)| *name).collect();
        let outcome = browser.eval(&format!(
            "call({url:?}, {}, {})",
            case.options,
            serde_json::to_string(&read).unwrap()
        ));
        let console = browser.take_console(Duration::from_millis(if outcome["ok"] == true {
            0
        } else {
            150
        }));
        let problem = check(case, &outcome, &console);
        if case.path == "/counted" {
            let runs = COUNTED_RUNS.load(Ordering::SeqCst) - runs_before;
            let expected = usize::from(matches!(case.expect, Expect::Readable { .. }));
            if runs != expected {
                failures.push(format!(
                    "{}: handler ran {runs} times, expected {expected}",
                    case.name
                ));
            }
        }
        let seen = if outcome["ok"] == true {
            format!("readable {}", outcome["status"])
        } else {
            format!(
                "blocked: {}",
                console
                    .iter()
                    .find(|m| m.contains("CORS policy"))
                    .map_or("(no console message)", String::as_str)
            )
        };
        let _ = writeln!(report, "{:>2} {:<50} {}", index + 1, case.name, seen);
        if let Some(problem) = problem {
            failures.push(format!(
                "{}: {problem}\n   outcome: {outcome}\n   console: {console:?}",
                case.name
            ));
        }
    }
    println!("{report}");
    println!(
        "{} cases in {:.1} s",
        cases().len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases().len(),
        failures.join("\n")
    );
}

/// What is wrong with an outcome, if anything.
fn check(case: &Case, outcome: &Value, console: &[String]) -> Option<String> {
    match case.expect {
        Expect::Readable { status, body } => {
            if outcome["ok"] != true {
                return Some(format!("expected a readable {status}"));
            }
            if outcome["status"] != status {
                return Some(format!("expected status {status}"));
            }
            if let Some(body) = body {
                if outcome["body"] != body {
                    return Some(format!("expected body {body:?}"));
                }
            }
            for (name, value) in case.headers {
                let seen = &outcome["headers"][name];
                let expected = value.map_or(Value::Null, |value| Value::String(value.to_owned()));
                if *seen != expected {
                    return Some(format!(
                        "header {name}: expected {expected}, page saw {seen}"
                    ));
                }
            }
            None
        }
        Expect::Blocked { reason } => {
            if outcome["ok"] == true {
                return Some("expected the browser to block it".into());
            }
            let named = console
                .iter()
                .any(|message| message.contains("CORS policy") && message.contains(reason));
            (!named).then(|| format!("no console message naming {reason:?}"))
        }
    }
}

/// The example's demo page, on the origin its app policies list, shows
/// every row as its `expect` says, and each red row left a CORS message in
/// the console.
#[test]
fn demo_page_rows_match_their_policies() {
    let Some(chromium) = cdp::chromium_or_skip("demo_page_rows_match_their_policies") else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let api_port = serve(&runtime, 0, server::app());
    serve(
        &runtime,
        3001,
        server::demo(&format!("http://127.0.0.1:{api_port}")),
    );

    let mut browser = Browser::launch(&chromium);
    browser.navigate("http://localhost:3001/");
    let deadline = Instant::now() + Duration::from_secs(20);
    while browser.eval("window.demoDone === true") != true {
        assert!(
            Instant::now() < deadline,
            "the demo page did not finish within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let results = browser.eval("window.demoResults");
    let rows = results.as_array().expect("an array of rows");
    assert!(rows.len() >= 10, "{results}");
    for row in rows {
        assert_eq!(row["outcome"], row["expect"], "{row}");
    }
    let blocked = rows
        .iter()
        .filter(|row| row["outcome"] == "blocked")
        .count();
    assert!(blocked >= 4, "{results}");
    let console = browser.take_console(Duration::from_millis(200));
    let cors_messages = console
        .iter()
        .filter(|message| message.contains("CORS policy"))
        .count();
    assert_eq!(cors_messages, blocked, "{console:#?}");
}

// ---------------------------------------------------------------------------
// The policy is enforced, not only advertised (DESIGN.md): sequences of
// requests in which the browser is the attacker. These pages are served on
// their own port, with Chromium's caches on, so that the browser reuses a
// preflight grant wherever the server lets it.

/// The port the enforcement pages are served on; the policies below name it.
const ENFORCEMENT_PORT: u16 = 47812;
/// Origin A, allowed by every policy below.
const ORIGIN_A: &str = "a.localhost";
/// Origin B, allowed only by `replace`.
const ORIGIN_B: &str = "b.localhost";

static REPLACE_RUNS: AtomicUsize = AtomicUsize::new(0);
static TRANSFER_RUNS: AtomicUsize = AtomicUsize::new(0);
static PROMOTE_RUNS: AtomicUsize = AtomicUsize::new(0);
static NOTE_RUNS: AtomicUsize = AtomicUsize::new(0);
static SUBMIT_RUNS: AtomicUsize = AtomicUsize::new(0);

// Issue 12, finding 1: one path, two policies that grant different origins.
#[cors(
    origins = ["http://a.localhost:47812", "http://b.localhost:47812"],
    methods = [PUT],
    allow_headers = ["content-type"],
    credentials = true,
)]
async fn replace() -> &'static str {
    REPLACE_RUNS.fetch_add(1, Ordering::SeqCst);
    "replaced"
}

#[cors(
    origins = ["http://a.localhost:47812"],
    methods = [POST],
    allow_headers = ["content-type"],
    credentials = true,
)]
async fn transfer() -> &'static str {
    TRANSFER_RUNS.fetch_add(1, Ordering::SeqCst);
    "transferred"
}

// Issue 12, finding 1, second form: one origin, two policies that grant
// different request headers.
#[cors(
    origins = ["http://a.localhost:47812"],
    methods = [PUT],
    allow_headers = ["content-type", "x-admin"],
    credentials = true,
)]
async fn promote() -> &'static str {
    PROMOTE_RUNS.fetch_add(1, Ordering::SeqCst);
    "promoted"
}

#[cors(
    origins = ["http://a.localhost:47812"],
    methods = [POST],
    allow_headers = ["content-type"],
    credentials = true,
)]
async fn note() -> &'static str {
    NOTE_RUNS.fetch_add(1, Ordering::SeqCst);
    "noted"
}

/// One policy on its path, cached for ten minutes: the control showing that
/// Chromium's preflight cache is on in these tests.
#[cors(
    origins = ["http://a.localhost:47812", "http://b.localhost:47812"],
    methods = [PUT],
    allow_headers = ["content-type"],
    credentials = true,
    max_age = 600,
)]
async fn cached() -> &'static str {
    "cached"
}

// Issue 12, finding 2: simple requests (a form post) from a refused origin.
#[cors(origins = ["http://a.localhost:47812"], methods = [POST])]
async fn submit(body: String) -> String {
    SUBMIT_RUNS.fetch_add(1, Ordering::SeqCst);
    format!("submitted {body}")
}

/// `allow_headers = "*"` does not cover `authorization` (DESIGN.md).
#[cors(origins = "*", methods = [GET], allow_headers = "*")]
async fn wildcard(headers: HeaderMap) -> &'static str {
    if headers.contains_key("authorization") {
        WILDCARD_AUTHORIZATION_RUNS.fetch_add(1, Ordering::SeqCst);
    }
    "wildcard"
}

static WILDCARD_AUTHORIZATION_RUNS: AtomicUsize = AtomicUsize::new(0);

// A path split across merged routers (issue 11 item 3), read by one
// policy and written by another that also allows `x-admin`.
#[cors(origins = ["http://a.localhost:47812"], methods = [GET], credentials = true)]
async fn split_read(headers: HeaderMap) -> &'static str {
    if headers.contains_key("x-admin") {
        SPLIT_READ_ADMIN_RUNS.fetch_add(1, Ordering::SeqCst);
    }
    "split read"
}

#[cors(origins = ["http://a.localhost:47812"], methods = [DELETE], allow_headers = ["x-admin"], credentials = true)]
async fn split_write() -> &'static str {
    "split write"
}

static SPLIT_READ_ADMIN_RUNS: AtomicUsize = AtomicUsize::new(0);

fn split_routers() -> Router {
    let read = Router::new().route(
        "/split",
        get(split_read).preflight_layer(preflight!(split_read, split_write)),
    );
    let write = Router::new().route(
        "/split",
        axum::routing::delete(split_write).preflight_layer(preflight!(split_read, split_write)),
    );
    read.merge(write)
}

/// Every request the enforcement API answered: method, path and query,
/// status.
static ANSWERED: std::sync::Mutex<Vec<(String, String, u16)>> = std::sync::Mutex::new(Vec::new());

async fn record(request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let uri = request.uri().to_string();
    let response = next.run(request).await;
    ANSWERED
        .lock()
        .expect("not poisoned")
        .push((method, uri, response.status().as_u16()));
    response
}

/// The statuses of the requests with `method` to `uri`, in order.
fn answered(method: &str, uri: &str) -> Vec<u16> {
    ANSWERED
        .lock()
        .expect("not poisoned")
        .iter()
        .filter(|(m, u, _)| m == method && u == uri)
        .map(|(_, _, status)| *status)
        .collect()
}

/// Helpers the enforcement pages add to [`PAGE`]: a form post into an
/// iframe, resolved when the frame has loaded the answer, with the answer's
/// text where the page may read it (same origin only).
const FORM_SCRIPT: &str = r#"
<script>
window.postForm = (action, value) => new Promise(resolve => {
  const frame = document.createElement("iframe");
  frame.name = "sink" + Math.random();
  document.body.appendChild(frame);
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  form.target = frame.name;
  const input = document.createElement("input");
  input.name = "amount";
  input.value = value;
  form.appendChild(input);
  document.body.appendChild(form);
  // Only the answer's load counts, not the empty frame's.
  let submitted = false;
  frame.onload = () => {
    if (!submitted) return;
    let text = null;
    try { text = frame.contentDocument.body.textContent; } catch (error) {}
    resolve({ loaded: true, text });
  };
  submitted = true;
  form.submit();
});
</script>"#;

fn enforcement_page() -> Html<String> {
    Html(format!("{PAGE}{FORM_SCRIPT}"))
}

fn enforcement_api() -> Router {
    Router::new()
        .route(
            "/things",
            put(replace)
                .post(transfer)
                .options(preflight!(replace, transfer)),
        )
        .route(
            "/accounts",
            put(promote).post(note).options(preflight!(promote, note)),
        )
        .route("/cached", put(cached).options(preflight!(cached)))
        .route("/wildcard", get(wildcard).options(preflight!(wildcard)))
        .merge(split_routers())
        .route("/submit", axum::routing::post(submit))
        // A page of the API's own origin, for the same-origin form post.
        .route("/form-page", get(|| async { enforcement_page() }))
        .layer(from_fn(record))
}

/// Starts the enforcement API and the pages once for every test of this
/// binary, and returns the API's port.
fn enforcement_servers() -> u16 {
    static SERVERS: std::sync::OnceLock<(tokio::runtime::Runtime, u16)> =
        std::sync::OnceLock::new();
    SERVERS
        .get_or_init(|| {
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            let api_port = serve(&runtime, 0, enforcement_api());
            serve(
                &runtime,
                ENFORCEMENT_PORT,
                Router::new().route("/", get(|| async { enforcement_page() })),
            );
            (runtime, api_port)
        })
        .1
}

/// A browser whose HTTP and preflight caches work as a user's do, on the
/// enforcement page of `host`; `None` when `test` skips for want of
/// Chromium.
fn browser_on(test: &str, host: &str) -> Option<Browser> {
    let chromium = cdp::chromium_or_skip(test)?;
    let mut browser = Browser::launch(&chromium);
    browser.call(
        "Network.setCacheDisabled",
        serde_json::json!({ "cacheDisabled": false }),
    );
    browser.navigate(&format!("http://{host}:{ENFORCEMENT_PORT}/"));
    Some(browser)
}

/// Runs `fetch(url, options)` in the page and returns what it could read.
fn fetch(browser: &mut Browser, url: &str, options: &str) -> Value {
    browser.eval(&format!("call({url:?}, {options}, [])"))
}

/// The browser's preflight cache is on in these tests: a second request
/// covered by a cached grant is sent without a preflight. Without this, the
/// tests below could pass only because nothing was cached.
fn assert_preflight_cache_is_on(browser: &mut Browser, api_port: u16, case: &str) {
    let uri = format!("/cached?case={case}");
    let url = format!("http://127.0.0.1:{api_port}{uri}");
    let options = r#"{method: "PUT", credentials: "include", headers: {"content-type": "application/json"}, body: "{}"}"#;
    for _ in 0..2 {
        let outcome = fetch(browser, &url, options);
        assert_eq!(outcome["status"], 200, "{outcome}");
    }
    assert_eq!(
        answered("OPTIONS", &uri).len(),
        1,
        "the second PUT should have used the cached grant: the preflight cache is off"
    );
}

/// Issue 12, finding 1: a grant `replace`'s policy gives origin B for `PUT`
/// on `/things` must not let B's `POST` reach `transfer`, whose policy
/// refuses B. Chromium caches a grant by origin and URL (5 s without
/// `Max-Age`) and would send the safelisted `POST` on the strength of it.
#[test]
fn a_preflight_grant_for_one_handler_never_lets_another_origin_reach_a_sibling_handler() {
    let api_port = enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_preflight_grant_for_one_handler_never_lets_another_origin_reach_a_sibling_handler",
        ORIGIN_B,
    ) else {
        return;
    };
    assert_preflight_cache_is_on(&mut browser, api_port, "origin");

    let uri = "/things";
    let url = format!("http://127.0.0.1:{api_port}{uri}");
    let post = r#"{method: "POST", credentials: "include", headers: {"content-type": "application/json"}, body: '{"amount":100}'}"#;
    let put = r#"{method: "PUT", credentials: "include", headers: {"content-type": "application/json"}, body: '{"name":"x"}'}"#;

    // (a) B's POST is refused at its preflight.
    let outcome = fetch(&mut browser, &url, post);
    assert_eq!(outcome["ok"], false, "B read the POST's answer: {outcome}");
    assert_eq!(TRANSFER_RUNS.load(Ordering::SeqCst), 0);
    // (b) B's PUT is granted by `replace`.
    let outcome = fetch(&mut browser, &url, put);
    assert_eq!(outcome["status"], 200, "{outcome}");
    assert_eq!(outcome["body"], "replaced");
    assert_eq!(REPLACE_RUNS.load(Ordering::SeqCst), 1);
    // (c) The same POST again, at once: still refused, and `transfer`
    // never ran.
    let outcome = fetch(&mut browser, &url, post);
    assert_eq!(outcome["ok"], false, "B read the POST's answer: {outcome}");
    assert_eq!(
        TRANSFER_RUNS.load(Ordering::SeqCst),
        0,
        "`transfer` ran for origin B, which its policy refuses"
    );
    // The PUT's grant was not cached: the second POST was preflighted too.
    assert_eq!(
        answered("OPTIONS", uri).len(),
        3,
        "{:?}",
        ANSWERED.lock().expect("not poisoned")
    );
    assert!(answered("POST", uri).iter().all(|&status| status == 403));
}

/// Issue 12, finding 1, second form: origin A is allowed by both policies
/// of `/accounts`, but only `promote`'s lists `x-admin`. A cached grant
/// from a `PUT` with `x-admin` must not carry a `POST` with `x-admin` to
/// `note`, and the page must read nothing of it.
#[test]
fn a_preflight_grant_for_one_handler_never_carries_a_header_a_sibling_handler_refuses() {
    let api_port = enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_preflight_grant_for_one_handler_never_carries_a_header_a_sibling_handler_refuses",
        ORIGIN_A,
    ) else {
        return;
    };
    assert_preflight_cache_is_on(&mut browser, api_port, "header");

    let url = format!("http://127.0.0.1:{api_port}/accounts");
    let post_admin = r#"{method: "POST", credentials: "include", headers: {"content-type": "application/json", "x-admin": "1"}, body: "{}"}"#;
    let put_admin = r#"{method: "PUT", credentials: "include", headers: {"content-type": "application/json", "x-admin": "1"}, body: "{}"}"#;
    let post = r#"{method: "POST", credentials: "include", headers: {"content-type": "application/json"}, body: "{}"}"#;

    // The POST with `x-admin` is refused at its preflight.
    let outcome = fetch(&mut browser, &url, post_admin);
    assert_eq!(outcome["ok"], false, "{outcome}");
    // The PUT with `x-admin` is granted by `promote`.
    let outcome = fetch(&mut browser, &url, put_admin);
    assert_eq!(outcome["status"], 200, "{outcome}");
    assert_eq!(PROMOTE_RUNS.load(Ordering::SeqCst), 1);
    // The POST with `x-admin` again, at once: still refused.
    let outcome = fetch(&mut browser, &url, post_admin);
    assert_eq!(outcome["ok"], false, "A read the POST's answer: {outcome}");
    assert_eq!(
        NOTE_RUNS.load(Ordering::SeqCst),
        0,
        "`note` ran with `x-admin`, which its policy refuses"
    );
    // Without `x-admin`, A's POST reaches `note` and is readable.
    let outcome = fetch(&mut browser, &url, post);
    assert_eq!(outcome["status"], 200, "{outcome}");
    assert_eq!(outcome["body"], "noted");
    assert_eq!(NOTE_RUNS.load(Ordering::SeqCst), 1);
}

/// Issue 12, finding 2: a form post (and a `no-cors` `fetch` with a
/// `text/plain` body) from an origin `submit`'s policy refuses needs no
/// preflight, so the browser sends it; the server answers `403` and
/// `submit` does not run. The same form on the API's own origin passes.
#[test]
fn a_cross_site_form_post_is_refused_and_a_same_origin_one_passes() {
    let api_port = enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_cross_site_form_post_is_refused_and_a_same_origin_one_passes",
        ORIGIN_B,
    ) else {
        return;
    };
    let api = format!("http://127.0.0.1:{api_port}");

    let outcome = browser.eval(&format!("postForm({:?}, '100')", format!("{api}/submit")));
    assert_eq!(outcome["loaded"], true, "{outcome}");
    let outcome = fetch(
        &mut browser,
        &format!("{api}/submit?no-cors"),
        r#"{method: "POST", mode: "no-cors", headers: {"content-type": "text/plain"}, body: "amount=100"}"#,
    );
    assert_eq!(outcome["status"], 0, "an opaque answer: {outcome}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while answered("POST", "/submit").is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(answered("POST", "/submit"), [403]);
    assert_eq!(answered("POST", "/submit?no-cors"), [403]);
    assert_eq!(
        SUBMIT_RUNS.load(Ordering::SeqCst),
        0,
        "`submit` ran for a cross-site simple request"
    );

    browser.navigate(&format!("{api}/form-page"));
    let outcome = browser.eval("postForm('/submit', '5')");
    assert_eq!(outcome["text"], "submitted amount=5", "{outcome}");
    assert_eq!(answered("POST", "/submit"), [403, 200]);
    assert_eq!(SUBMIT_RUNS.load(Ordering::SeqCst), 1);
}

/// `allow_headers = "*"` refuses `authorization` at the preflight; a grant
/// for other headers, cached by the browser, must not carry it either
/// (shipping browsers let a cached `*` cover `authorization`).
#[test]
fn a_cached_wildcard_header_grant_never_carries_authorization() {
    let api_port = enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_cached_wildcard_header_grant_never_carries_authorization",
        ORIGIN_A,
    ) else {
        return;
    };
    let url = format!("http://127.0.0.1:{api_port}/wildcard");
    let outcome = fetch(&mut browser, &url, r#"{headers: {"x-anything": "1"}}"#);
    assert_eq!(outcome["body"], "wildcard", "{outcome}");
    let outcome = fetch(
        &mut browser,
        &url,
        r#"{headers: {"x-anything": "1", authorization: "Bearer stolen"}}"#,
    );
    assert_eq!(
        WILDCARD_AUTHORIZATION_RUNS.load(Ordering::SeqCst),
        0,
        "the handler ran with `authorization`: {outcome} {:?}",
        answered("OPTIONS", "/wildcard")
    );
    assert_eq!(outcome["ok"], false, "{outcome}");
}

/// Issue 12 finding 1, second form, on a path split across merged routers
/// whose layers each name both handlers: the grant for `DELETE` (with
/// `x-admin`, which `split_read` refuses) is not cached, since the path's
/// policies grant differently, so the `GET` with `x-admin` is preflighted
/// and refused. The `DELETE` is the path's first request: nothing has to
/// be served first (issue 19 item 1).
#[test]
fn a_preflight_grant_on_a_merged_path_never_carries_a_header_a_sibling_handler_refuses() {
    let api_port = enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_preflight_grant_on_a_merged_path_never_carries_a_header_a_sibling_handler_refuses",
        ORIGIN_A,
    ) else {
        return;
    };
    let url = format!("http://127.0.0.1:{api_port}/split");
    let outcome = fetch(
        &mut browser,
        &url,
        r#"{method: "DELETE", credentials: "include", headers: {"x-admin": "1"}}"#,
    );
    assert_eq!(outcome["body"], "split write", "{outcome}");
    let outcome = fetch(
        &mut browser,
        &url,
        r#"{credentials: "include", headers: {"x-admin": "1"}}"#,
    );
    assert_eq!(
        SPLIT_READ_ADMIN_RUNS.load(Ordering::SeqCst),
        0,
        "`split_read` ran with `x-admin`, which its policy refuses; the page read {outcome}"
    );
    assert_eq!(outcome["ok"], false, "{outcome}");
}
