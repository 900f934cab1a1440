//! The library in process: redirects are shown and classified, the actual
//! request is sent only when asked, Local Network Access gets no header
//! prescribed, and odd inputs give a report, never a panic.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use cors_doctor::explain::explain;
use cors_doctor::{probe_router, Layer, Probe, Verdict};
use cors_runtime::browser::{resolve, BrowserRequest, Credentials};
use cors_runtime::{cors, preflight};

fn with_origin(headers: &HeaderMap) -> [(&'static str, String); 1] {
    let origin = headers
        .get("origin")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("null")
        .to_owned();
    [("access-control-allow-origin", origin)]
}

fn app() -> Router {
    Router::new()
        .route(
            "/old",
            get(|headers: HeaderMap| async move {
                let mut response =
                    (StatusCode::MOVED_PERMANENTLY, with_origin(&headers)).into_response();
                response
                    .headers_mut()
                    .insert("location", "/new".parse().expect("valid"));
                response
            }),
        )
        .route(
            "/new",
            get(|headers: HeaderMap| async move { (with_origin(&headers), "new") }),
        )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn every_redirect_hop_is_shown_and_classified() {
    let request = BrowserRequest::new("/old", "https://app.example");
    let report = runtime().block_on(probe_router(&app(), &Probe::new(request)));
    assert_eq!(report.verdict, Verdict::Allowed, "{report:?}");
    let purposes: Vec<&str> = report
        .exchanges
        .iter()
        .map(|exchange| exchange.purpose.as_str())
        .collect();
    assert_eq!(purposes, ["actual", "redirect"]);
    assert_eq!(report.exchanges[1].request.url, "/new");
    assert!(
        report
            .notes
            .iter()
            .any(|note| note.starts_with("redirect: 301 /old -> /new (another URL)")),
        "{:?}",
        report.notes
    );
}

#[test]
fn odd_inputs_give_a_report_not_a_panic() {
    let runtime = runtime();
    let app = app();
    for (url, origin, method, header) in [
        ("", "", "GET", ("x", "1")),
        (
            "/\u{e9}t\u{e9}?\u{e9}=1",
            "https://\u{fc}.example",
            "PUT",
            ("x-\u{e9}", "\u{e9}"),
        ),
        ("//", "null", "patch", ("content-type", "text/plain\u{0}")),
        (
            "/old?access_token=abc",
            "https://a",
            "DELETE",
            ("range", "bytes=99999999999999999999999999-1"),
        ),
        ("http://[::1", "https://a", "GET", ("", "")),
    ] {
        let request = BrowserRequest::new(url, origin)
            .method(method)
            .header(header.0, header.1)
            .credentials(Credentials::Include);
        let report = runtime.block_on(probe_router(&app, &Probe::new(request)));
        assert!(report.exchanges.len() <= 8, "{report:?}");
        assert!(
            !report.url.contains("abc"),
            "a token leaked: {}",
            report.url
        );
        if report.verdict == Verdict::Unreachable {
            assert_eq!(report.blame.layer, Layer::Network);
        }
    }
    for location in ["", "//", "?q", "#f", "\u{e9}", "http://"] {
        for base in ["", "/", "http://u:p@\u{e9}.example/\u{e9}/x", "https://a"] {
            let _ = resolve(base, location);
        }
    }
    for input in [
        "{",
        "{\"log\": null}",
        "{\"log\": {\"entries\": [{\"request\": {\"method\": \"OPTIONS\", \"url\": 5, \"headers\": [{\"name\": \"Origin\"}]}}]}}",
        "Access to fetch at '",
        "Cross-Origin Request Blocked: (Reason:",
        "net::ERR_FAILED",
        "x net::ERR_FAILED",
        "Status code: \u{e9}",
    ] {
        let _ = explain(input);
    }
}

static PUTS: AtomicUsize = AtomicUsize::new(0);
static PUT_BYTES: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = ["https://app.example"], methods = [PUT], max_age = 60)]
async fn upload(body: axum::body::Bytes) -> &'static str {
    PUTS.fetch_add(1, Ordering::SeqCst);
    PUT_BYTES.store(body.len(), Ordering::SeqCst);
    "stored"
}

#[test]
fn a_put_is_sent_only_with_send_actual_and_then_with_its_body_size() {
    let app = Router::new().route(
        "/upload",
        axum::routing::put(upload).options(preflight!(upload)),
    );
    let request = BrowserRequest::new("/upload", "https://app.example")
        .method("PUT")
        .body_size(3000);
    let runtime = runtime();
    let purposes = |report: &cors_doctor::Report| -> Vec<String> {
        report
            .exchanges
            .iter()
            .map(|exchange| exchange.purpose.clone())
            .collect()
    };

    let report = runtime.block_on(probe_router(&app, &Probe::new(request.clone())));
    assert_eq!(report.verdict, Verdict::Allowed, "{report:?}");
    assert_eq!(purposes(&report), ["preflight"]);
    assert_eq!(PUTS.load(Ordering::SeqCst), 0, "the PUT was sent");
    assert!(
        report
            .notes
            .iter()
            .any(|note| note.contains("--send-actual")),
        "{:?}",
        report.notes
    );

    let probe = Probe {
        send_actual: true,
        ..Probe::new(request)
    };
    let report = runtime.block_on(probe_router(&app, &probe));
    assert_eq!(report.verdict, Verdict::Allowed, "{report:?}");
    assert_eq!(purposes(&report), ["preflight", "actual"]);
    assert_eq!(report.exchanges[1].request.method, "PUT");
    assert_eq!(PUTS.load(Ordering::SeqCst), 1);
    assert_eq!(PUT_BYTES.load(Ordering::SeqCst), 3000);
}

#[test]
fn local_network_access_on_a_probe_prescribes_no_header() {
    let runtime = runtime();
    // A public page on plain http reaching loopback: Chromium blocks it
    // before sending anything (an IP literal: no name to resolve).
    let request = BrowserRequest::new("http://127.0.0.1:3000/new", "http://93.184.216.34");
    let report = runtime.block_on(probe_router(&app(), &Probe::new(request)));
    assert_eq!(report.reason.as_deref(), Some("InsecureLocalNetwork"));
    assert_eq!(report.blame.layer, Layer::Browser);
    assert!(report.exchanges.is_empty(), "{report:?}");
    assert!(
        !report.fix.is_empty()
            && report
                .fix
                .iter()
                .all(|fix| fix.starts_with("no response header fixes this")),
        "{:?}",
        report.fix
    );
    // A public https page: allowed when the user agrees; the note says
    // no header helps if they do not, and nothing is prescribed.
    let request = BrowserRequest::new("http://127.0.0.1:3000/new", "https://app.example.com");
    let report = runtime.block_on(probe_router(&app(), &Probe::new(request)));
    assert_eq!(report.verdict, Verdict::Allowed, "{report:?}");
    assert!(report.fix.is_empty(), "{:?}", report.fix);
    assert!(
        report
            .notes
            .iter()
            .any(|note| note.contains("LocalNetworkAccessPermissionDenied")
                && note.contains("no response header fixes")),
        "{:?}",
        report.notes
    );
}

#[cors(origins = ["https://app.example"], methods = [PUT])]
async fn guarded() -> &'static str {
    "guarded"
}

async fn require_token(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.headers().contains_key("authorization") {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

fn missing_path_line(report: &cors_doctor::Report) -> &str {
    report
        .blame
        .evidence
        .iter()
        .find(|line| line.starts_with("the preflight to /cors-doctor-no-such-path answered"))
        .unwrap_or_else(|| panic!("no missing-path line: {:?}", report.blame.evidence))
}

#[test]
fn the_missing_path_evidence_tells_a_route_layer_from_a_route_without_options() {
    let runtime = runtime();
    let request = BrowserRequest::new("/items", "https://app.example").method("PUT");
    // Auth in a `route_layer`: the route answers 401, an unrouted path 404.
    let app = Router::new()
        .route(
            "/items",
            axum::routing::put(guarded).options(preflight!(guarded)),
        )
        .route_layer(axum::middleware::from_fn(require_token));
    let report = runtime.block_on(probe_router(&app, &Probe::new(request.clone())));
    assert_eq!(report.blame.layer, Layer::Auth, "{report:?}");
    assert_eq!(
        missing_path_line(&report),
        "the preflight to /cors-doctor-no-such-path answered 404: routing runs first and only this route answered 401, so the auth layer sits on the route (a `route_layer`), not in front of every path"
    );
    assert!(
        !report
            .blame
            .evidence
            .iter()
            .any(|line| line.contains("does not answer OPTIONS")),
        "{:?}",
        report.blame.evidence
    );
    // Auth on the whole app: every path answers 401.
    let app = Router::new()
        .route(
            "/items",
            axum::routing::put(guarded).options(preflight!(guarded)),
        )
        .layer(axum::middleware::from_fn(require_token));
    let report = runtime.block_on(probe_router(&app, &Probe::new(request.clone())));
    assert_eq!(report.blame.layer, Layer::Auth, "{report:?}");
    assert!(
        missing_path_line(&report)
            .ends_with("401: the auth layer runs before routing, on every path"),
        "{:?}",
        report.blame.evidence
    );
    // No OPTIONS on the route: axum answers 405 there, 404 elsewhere.
    let app = Router::new().route("/items", axum::routing::put(|| async { "ok" }));
    let report = runtime.block_on(probe_router(&app, &Probe::new(request.clone())));
    assert_eq!(report.blame.layer, Layer::Router, "{report:?}");
    assert!(
        missing_path_line(&report)
            .ends_with("404: routing runs first, so the route exists but does not answer OPTIONS"),
        "{:?}",
        report.blame.evidence
    );
    // No route at all: the path is answered like one that does not exist.
    let report = runtime.block_on(probe_router(&Router::new(), &Probe::new(request)));
    assert_eq!(report.blame.layer, Layer::Router, "{report:?}");
    assert!(
        missing_path_line(&report).ends_with(
            "404: the same as this path: nothing routes it (check the URL and the route's path)"
        ),
        "{:?}",
        report.blame.evidence
    );
}
