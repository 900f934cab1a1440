//! A policy as the app's outermost layer: the default for every response
//! no annotated handler or `preflight!` decided (router-wide auth, an
//! error mapper's rebuilt responses, timeouts, fallbacks, routes without
//! an annotated handler, a nested service), while a request an annotated
//! handler decided keeps that decision, also after a mapper rebuilt it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Query, Request};
use axum::http::StatusCode;
use axum::middleware::{from_fn, map_response, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use cors_attr_tests::{grants, has_any_allow_header, header, preflight, request, send};
use cors_runtime::{cors, preflight};
use tower_http::timeout::TimeoutLayer;

const APP: &str = "https://app.example.com";
/// Allowed by the default, refused by `items`.
const OTHER: &str = "https://other.example.com";
/// Allowed by `partner` only.
const PARTNER: &str = "https://partner.example.net";
const EVIL: &str = "https://evil.example.net";

cors_runtime::policy! {
    /// The app's default: its own front ends.
    APP_DEFAULT = {
        origins = ["https://app.example.com", "https://other.example.com"],
        methods = [GET, HEAD, POST],
        allow_headers = ["content-type", "x-session"],
        credentials = true,
    };
}

fn default_layer() -> cors_runtime::PolicyLayer {
    cors_runtime::layer!(APP_DEFAULT)
}

#[derive(serde::Deserialize)]
struct Page {
    #[allow(dead_code)]
    n: u32,
}

#[cors(origins = ["https://app.example.com"], methods = [GET, POST], credentials = true, allow_headers = ["x-session"])]
async fn items(_page: Query<Page>) -> &'static str {
    "items"
}

#[cors(origins = ["https://app.example.com"], methods = [PUT])]
async fn replace() -> &'static str {
    "replaced"
}

static PARTNER_RUNS: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = ["https://partner.example.net"], methods = [POST])]
async fn partner() -> &'static str {
    PARTNER_RUNS.fetch_add(1, Ordering::SeqCst);
    "partner"
}

static PLAIN_POST_RUNS: AtomicUsize = AtomicUsize::new(0);

async fn plain_get() -> &'static str {
    "plain"
}

async fn plain_post() -> &'static str {
    PLAIN_POST_RUNS.fetch_add(1, Ordering::SeqCst);
    "posted"
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn require_session(request: Request, next: Next) -> Response {
    if request.headers().contains_key("x-session") {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

/// Rebuilds every error response from scratch, as rust-web-app's mapper
/// does: none of the original headers survive.
async fn to_json_errors(response: Response) -> Response {
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        (status, "{\"error\":true}").into_response()
    } else {
        response
    }
}

fn app() -> Router {
    let partners = Router::new().route("/partner", post(partner).options(preflight!(partner)));
    Router::new()
        .route("/items", get(items).post(items).options(preflight!(items)))
        .route("/replace", put(replace).options(preflight!(replace)))
        .route("/plain", get(plain_get).post(plain_post))
        .route("/slow", get(slow))
        .route("/closure", get(|| async { "closure" }))
        .nest_service("/assets", tower_http::services::ServeDir::new("docs"))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .route_layer(from_fn(require_session))
        .layer(map_response(to_json_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_millis(500),
        ))
        .layer(default_layer())
        // Accepts writes from an origin the default does not list: merged
        // after the default, so the default does not refuse them first.
        .merge(partners)
}

fn with_session(method: &str, path: &str, origin: &str) -> axum::http::Request<axum::body::Body> {
    request(method, path, &[("origin", origin), ("x-session", "1")])
}

fn assert_readable_by(response: &Response, origin: &str, status: StatusCode) {
    assert_eq!(response.status(), status);
    assert_eq!(
        header(response, "access-control-allow-origin").as_deref(),
        Some(origin),
        "{status}"
    );
    assert_eq!(
        header(response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn router_wide_auth_answering_a_preflight_gets_the_default() {
    // The route layer answers 401 before `preflight!(items)` runs.
    let response = send(&app(), preflight("/items", APP, "POST", Some("x-session"))).await;
    assert!(grants(&response, "POST"), "{:?}", response.headers());
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn router_wide_auth_rejections_are_readable() {
    let response = send(&app(), request("GET", "/items?n=1", &[("origin", APP)])).await;
    assert_readable_by(&response, APP, StatusCode::UNAUTHORIZED);
    let response = send(&app(), request("GET", "/items?n=1", &[("origin", EVIL)])).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn a_handlers_refusal_stands_after_a_mapper_rebuilt_the_response() {
    // `items` refuses OTHER (the default allows it); its 400 is rebuilt.
    let response = send(&app(), with_session("GET", "/items?n=x", OTHER)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(!has_any_allow_header(&response), "{:?}", response.headers());
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
    // And its 200.
    let response = send(&app(), with_session("GET", "/items?n=1", OTHER)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn a_handlers_grant_stands_after_a_mapper_rebuilt_the_response() {
    let response = send(&app(), with_session("GET", "/items?n=x", APP)).await;
    assert_readable_by(&response, APP, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_preflight_the_routes_own_preflight_refused_is_not_answered_by_the_default() {
    let response = send(
        &app(),
        request(
            "OPTIONS",
            "/items",
            &[
                ("origin", OTHER),
                ("access-control-request-method", "POST"),
                ("x-session", "1"),
            ],
        ),
    )
    .await;
    assert!(!grants(&response, "POST"));
    assert_eq!(header(&response, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn timeouts_fallbacks_closures_services_and_plain_routes_get_the_default() {
    for (path, status) in [
        ("/slow", StatusCode::REQUEST_TIMEOUT),
        ("/nowhere", StatusCode::NOT_FOUND),
        ("/closure", StatusCode::OK),
        ("/plain", StatusCode::OK),
        ("/assets/demo.png", StatusCode::OK),
    ] {
        let response = send(&app(), with_session("GET", path, APP)).await;
        assert_readable_by(&response, APP, status);
        let response = send(&app(), with_session("GET", path, EVIL)).await;
        assert_eq!(response.status(), status, "{path}");
        assert!(!has_any_allow_header(&response), "{path}");
        assert_eq!(
            header(&response, "vary").as_deref(),
            Some("Origin"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_cross_origin_write_the_default_refuses_never_reaches_a_route() {
    let before = PLAIN_POST_RUNS.load(Ordering::SeqCst);
    let response = send(
        &app(),
        request(
            "POST",
            "/plain",
            &[
                ("origin", EVIL),
                ("x-session", "1"),
                ("sec-fetch-site", "cross-site"),
            ],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!has_any_allow_header(&response));
    assert_eq!(PLAIN_POST_RUNS.load(Ordering::SeqCst), before);
    // Allowed by the default: runs, and is readable.
    let response = send(&app(), with_session("POST", "/plain", APP)).await;
    assert_readable_by(&response, APP, StatusCode::OK);
}

/// The default lists no `PUT`; `replace`'s policy does, for an origin the
/// default allows: the handler decides.
#[tokio::test]
async fn a_write_from_an_allowed_origin_is_the_handlers_to_decide() {
    let response = send(
        &app(),
        request(
            "PUT",
            "/replace",
            &[
                ("origin", APP),
                ("x-session", "1"),
                ("sec-fetch-site", "cross-site"),
            ],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn routes_merged_after_the_default_keep_their_own_policy() {
    let before = PARTNER_RUNS.load(Ordering::SeqCst);
    let response = send(&app(), request("POST", "/partner", &[("origin", PARTNER)])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(PARTNER)
    );
    assert_eq!(PARTNER_RUNS.load(Ordering::SeqCst), before + 1);
    let response = send(&app(), preflight("/partner", PARTNER, "POST", None)).await;
    assert!(grants(&response, "POST"));
}

#[tokio::test]
async fn around_a_service_the_policy_answers_preflights_and_refuses_writes() {
    let assets = Router::new()
        .nest_service("/assets", tower_http::services::ServeDir::new("docs"))
        .layer(default_layer());
    let response = send(&assets, preflight("/assets/demo.png", APP, "GET", None)).await;
    assert!(grants(&response, "GET"));
    let response = send(&assets, preflight("/assets/demo.png", EVIL, "GET", None)).await;
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    let response = send(
        &assets,
        request("GET", "/assets/demo.png", &[("origin", APP)]),
    )
    .await;
    assert_readable_by(&response, APP, StatusCode::OK);
    let response = send(
        &assets,
        request(
            "DELETE",
            "/assets/demo.png",
            &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!has_any_allow_header(&response));
    // From the allowed origin, the service decides (`ServeDir` has no
    // `DELETE`).
    let response = send(
        &assets,
        request(
            "DELETE",
            "/assets/demo.png",
            &[("origin", APP), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

/// Runs the rest of the request on another task, as a middleware that
/// spawns (a concurrency limit, a detached timeout) does: the handler then
/// decides on another thread than the one the default layer polls on.
async fn on_another_task(request: Request, next: Next) -> Response {
    tokio::spawn(next.run(request))
        .await
        .expect("the spawned request ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handlers_refusal_stands_when_a_middleware_runs_it_on_another_task() {
    let app = Router::new()
        .route("/items", get(items).options(preflight!(items)))
        .layer(from_fn(on_another_task))
        .layer(default_layer());
    // `items` refuses OTHER, which the default allows.
    for _ in 0..20 {
        let response = send(&app, request("GET", "/items?n=1", &[("origin", OTHER)])).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(!has_any_allow_header(&response), "{:?}", response.headers());
        assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
        let response = send(&app, request("GET", "/items?n=1", &[("origin", APP)])).await;
        assert_readable_by(&response, APP, StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preflight_refused_on_another_task_is_not_answered_by_the_default() {
    let app = Router::new()
        .route("/items", get(items).options(preflight!(items)))
        .layer(from_fn(on_another_task))
        .layer(default_layer());
    for _ in 0..20 {
        let refused = send(&app, preflight("/items", OTHER, "POST", None)).await;
        assert!(!grants(&refused, "POST"), "{:?}", refused.headers());
        assert_eq!(header(&refused, "access-control-allow-origin"), None);
        let granted = send(&app, preflight("/items", APP, "POST", None)).await;
        assert!(grants(&granted, "POST"), "{:?}", granted.headers());
    }
}

/// Sets its own CORS headers and `Vary: Origin`, as hand-written CORS code
/// or a nested `CorsLayer` does.
async fn grants_anyone(request: Request) -> Response {
    let origin = request
        .headers()
        .get("origin")
        .cloned()
        .unwrap_or(axum::http::HeaderValue::from_static("null"));
    (
        [
            ("vary", "Origin"),
            ("access-control-allow-credentials", "true"),
        ],
        [("access-control-allow-origin", origin)],
        "own headers",
    )
        .into_response()
}

#[tokio::test]
async fn headers_set_inside_never_grant_more_than_the_default() {
    let app = Router::new()
        .route("/own", get(grants_anyone))
        .layer(default_layer());
    let response = send(&app, request("GET", "/own", &[("origin", EVIL)])).await;
    assert!(!has_any_allow_header(&response), "{:?}", response.headers());
    let response = send(&app, request("GET", "/own", &[("origin", APP)])).await;
    assert_readable_by(&response, APP, StatusCode::OK);
}
