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

#[allow(dead_code)]
#[path = "../../examples/server.rs"]
mod server;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::response::Html;
use axum::routing::{get, put};
use axum::{Json, Router};
use cors_runtime::{cors, preflight};
use serde_json::Value;

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
