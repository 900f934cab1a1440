//! The second red-team round (issue 20) and the app's default layer
//! (issue 21), the way a page would exploit them: a WebSocket opened from
//! a refused origin, a cached grant carrying a write to an unannotated
//! method, and error responses rebuilt by router-wide middleware.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{from_fn, map_response, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight, MethodRouterExt as _};
use tower_http::timeout::TimeoutLayer;

use super::{browser_on, fetch, serve, ORIGIN_A, ORIGIN_B};

static FEED_RUNS: AtomicUsize = AtomicUsize::new(0);

// Finding 1: a feed that carries the visitor's session.
#[cors(origins = ["http://a.localhost:47812"], credentials = true)]
async fn feed(upgrade: WebSocketUpgrade) -> Response {
    FEED_RUNS.fetch_add(1, Ordering::SeqCst);
    upgrade.on_upgrade(|mut socket| async move {
        let _ = socket.send(Message::text("the victim's feed")).await;
    })
}

static LEGACY_RUNS: AtomicUsize = AtomicUsize::new(0);

// Finding 3: a cached grant for `rw`'s PUT must not carry a JSON POST to
// `legacy`, which has no policy.
#[cors(
    origins = ["http://a.localhost:47812"],
    methods = [GET, PUT],
    allow_headers = ["content-type"],
    max_age = 600,
)]
async fn rw() -> &'static str {
    "rw"
}

async fn legacy() -> &'static str {
    LEGACY_RUNS.fetch_add(1, Ordering::SeqCst);
    "legacy ran"
}

// Issue 21: router-wide middleware answering on its own, under the app's
// default layer.
cors_runtime::policy! {
    APP = { origins = ["http://a.localhost:47812"], credentials = true };
}

#[cors(origins = ["http://a.localhost:47812"], credentials = true)]
async fn guarded() -> &'static str {
    "guarded"
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn forbid_without_token(request: Request, next: Next) -> Response {
    if request.uri().path() == "/guarded" && !request.headers().contains_key("x-token") {
        return StatusCode::FORBIDDEN.into_response();
    }
    next.run(request).await
}

/// Rebuilds every error response, as rust-web-app's mapper does.
async fn to_json_errors(response: Response) -> Response {
    let status = response.status();
    if status.is_client_error() {
        (status, "{\"error\":\"rebuilt\"}").into_response()
    } else {
        response
    }
}

fn api() -> Router {
    Router::new()
        .route("/feed", get(feed))
        .route(
            "/rw",
            get(rw).put(rw).post(legacy).preflight_layer(preflight!(rw)),
        )
        .route("/guarded", get(guarded).options(preflight!(guarded)))
        .route("/slow", get(slow))
        .route_layer(from_fn(forbid_without_token))
        .layer(map_response(to_json_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_millis(50),
        ))
        .layer(cors_runtime::layer!(APP))
}

/// Starts the API once for the tests of this module; its port.
fn api_port() -> u16 {
    static SERVER: std::sync::OnceLock<(tokio::runtime::Runtime, u16)> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            let port = serve(&runtime, 0, api());
            (runtime, port)
        })
        .1
}

const OPEN_SOCKET: &str = r#"(url) => new Promise(resolve => {
  const socket = new WebSocket(url);
  socket.onmessage = event => resolve({ opened: true, message: event.data });
  socket.onerror = () => resolve({ opened: false });
  setTimeout(() => resolve({ opened: false, timeout: true }), 3000);
})"#;

#[test]
fn a_websocket_from_a_refused_origin_is_refused_before_the_handler_runs() {
    let port = api_port();
    super::enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_websocket_from_a_refused_origin_is_refused_before_the_handler_runs",
        ORIGIN_B,
    ) else {
        return;
    };
    let url = format!("ws://127.0.0.1:{port}/feed");
    let before = FEED_RUNS.load(Ordering::SeqCst);
    let outcome = browser.eval(&format!("({OPEN_SOCKET})({url:?})"));
    assert_eq!(outcome["opened"], false, "{outcome}");
    assert_eq!(FEED_RUNS.load(Ordering::SeqCst), before, "`feed` ran");

    let Some(mut browser) = browser_on(
        "a_websocket_from_a_refused_origin_is_refused_before_the_handler_runs",
        ORIGIN_A,
    ) else {
        return;
    };
    let outcome = browser.eval(&format!("({OPEN_SOCKET})({url:?})"));
    assert_eq!(outcome["message"], "the victim's feed", "{outcome}");
}

#[test]
fn a_cached_grant_never_carries_a_write_to_an_unannotated_method() {
    let port = api_port();
    super::enforcement_servers();
    let Some(mut browser) = browser_on(
        "a_cached_grant_never_carries_a_write_to_an_unannotated_method",
        ORIGIN_A,
    ) else {
        return;
    };
    let url = format!("http://127.0.0.1:{port}/rw");
    let json = r#"headers: {"content-type": "application/json"}, body: "{}""#;
    let outcome = fetch(&mut browser, &url, &format!("{{method: \"PUT\", {json}}}"));
    assert_eq!(outcome["body"], "rw", "{outcome}");
    // The PUT's grant (GET, PUT; content-type; 600 s) is cached: Chromium
    // sends this JSON POST without a preflight.
    let outcome = fetch(&mut browser, &url, &format!("{{method: \"POST\", {json}}}"));
    assert_eq!(
        LEGACY_RUNS.load(Ordering::SeqCst),
        0,
        "`legacy` ran: {outcome}"
    );
    assert_eq!(outcome["ok"], false, "{outcome}");
}

#[test]
fn a_page_reads_rebuilt_middleware_errors_only_from_an_allowed_origin() {
    let port = api_port();
    super::enforcement_servers();
    let test = "a_page_reads_rebuilt_middleware_errors_only_from_an_allowed_origin";
    let Some(mut browser) = browser_on(test, ORIGIN_A) else {
        return;
    };
    let guarded = format!("http://127.0.0.1:{port}/guarded");
    let slow = format!("http://127.0.0.1:{port}/slow");
    let outcome = fetch(&mut browser, &guarded, r#"{credentials: "include"}"#);
    assert_eq!(outcome["status"], 403, "{outcome}");
    assert_eq!(outcome["body"], "{\"error\":\"rebuilt\"}", "{outcome}");
    let outcome = fetch(&mut browser, &slow, r#"{credentials: "include"}"#);
    assert_eq!(outcome["status"], 408, "{outcome}");

    let Some(mut browser) = browser_on(test, ORIGIN_B) else {
        return;
    };
    for url in [&guarded, &slow] {
        let outcome = fetch(&mut browser, url, r#"{credentials: "include"}"#);
        assert_eq!(outcome["ok"], false, "{url}: {outcome}");
    }
}
