//! `preflight!(...)` as a route layer: preflights are answered before the
//! route's own middleware, and every response the annotated handler did not
//! make (a middleware's rejection, axum's `405`) carries the policy's
//! headers, so a page on an allowed origin can read its status.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use cors_attr_tests::{has_any_allow_header, header, preflight, request, send};
use cors_runtime::{cors, MethodRouterExt as _};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials = true, expose_headers = ["x-id"])]
async fn list() -> &'static str {
    "[]"
}

#[cors(
    origins = ["https://app.example.com", "https://admin.example.com"],
    methods = [POST],
    allow_headers = ["content-type", "authorization"],
    credentials = true,
)]
async fn create(body: String) -> String {
    body
}

async fn require_token(request: Request, next: Next) -> Response {
    match request.headers().get("authorization") {
        Some(token) if token == "Bearer good" => next.run(request).await,
        Some(_) => StatusCode::FORBIDDEN.into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

async fn rate_limit(request: Request, next: Next) -> Response {
    if request.headers().contains_key("x-too-many") {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    next.run(request).await
}

#[cors(origins = ["https://app.example.com"], methods = [POST], credentials = true)]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

fn items() -> MethodRouter {
    get(list)
        .post(create)
        .route_layer(from_fn(require_token))
        .route_layer(from_fn(rate_limit))
        .route_layer(RequestBodyLimitLayer::new(16))
        .preflight_layer(cors_runtime::preflight!(list, create))
}

fn app() -> Router {
    Router::new().route("/items", items())
}

fn assert_readable(response: &Response<axum::body::Body>, status: StatusCode) {
    assert_eq!(response.status(), status);
    assert_eq!(
        header(response, "access-control-allow-origin").as_deref(),
        Some(APP),
        "{status}"
    );
    assert_eq!(
        header(response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(header(response, "vary").as_deref(), Some("Origin"));
}

#[tokio::test]
async fn preflights_are_answered_before_the_auth_layer() {
    let response = send(
        &app(),
        preflight("/items", APP, "POST", Some("authorization")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("POST")
    );
    // A plain OPTIONS is answered too, with `Allow`.
    let response = send(&self::app(), request("OPTIONS", "/items", &[])).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, "allow").as_deref(),
        Some("GET, POST, HEAD, OPTIONS")
    );
}

#[tokio::test]
async fn auth_rejections_carry_cors() {
    let response = send(&app(), request("GET", "/items", &[("origin", APP)])).await;
    assert_readable(&response, StatusCode::UNAUTHORIZED);
    assert_eq!(
        header(&response, "access-control-expose-headers").as_deref(),
        Some("x-id")
    );
    let response = send(
        &app(),
        request(
            "GET",
            "/items",
            &[("origin", APP), ("authorization", "Bearer bad")],
        ),
    )
    .await;
    assert_readable(&response, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn rate_limit_and_body_limit_rejections_carry_cors() {
    let response = send(
        &app(),
        request(
            "GET",
            "/items",
            &[
                ("origin", APP),
                ("authorization", "Bearer good"),
                ("x-too-many", "1"),
            ],
        ),
    )
    .await;
    assert_readable(&response, StatusCode::TOO_MANY_REQUESTS);

    let mut big = request(
        "POST",
        "/items",
        &[
            ("origin", APP),
            ("authorization", "Bearer good"),
            ("content-length", "100"),
        ],
    );
    *big.body_mut() = axum::body::Body::from("x".repeat(100));
    let response = send(&app(), big).await;
    assert_readable(&response, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn timeouts_carry_cors() {
    let app = Router::new().route(
        "/slow",
        get(list)
            .post(slow)
            .route_layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_millis(10),
            ))
            .preflight_layer(cors_runtime::preflight!(list, slow)),
    );
    let response = send(&app, request("POST", "/slow", &[("origin", APP)])).await;
    assert_readable(&response, StatusCode::REQUEST_TIMEOUT);
}

#[tokio::test]
async fn the_405_for_an_unserved_method_carries_cors() {
    let response = send(
        &app(),
        request(
            "DELETE",
            "/items",
            &[("origin", APP), ("sec-fetch-site", "same-origin")],
        ),
    )
    .await;
    assert_readable(&response, StatusCode::METHOD_NOT_ALLOWED);
}

/// Issue 20 finding 3: a cross-origin write for a method none of the
/// layer's handlers serve is refused before anything inside runs.
#[tokio::test]
async fn a_cross_origin_write_to_an_unserved_method_gets_403() {
    let response = send(&app(), request("DELETE", "/items", &[("origin", APP)])).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
}

static PLAIN_RUNS: AtomicUsize = AtomicUsize::new(0);

async fn plain() -> &'static str {
    PLAIN_RUNS.fetch_add(1, Ordering::SeqCst);
    "plain"
}

/// Issue 19 item 2 and issue 20 finding 3: beside an annotated handler,
/// an unannotated one gets no grant, its preflight is refused, and a
/// cross-site write to it never runs it.
#[tokio::test]
async fn an_unannotated_method_under_the_layer_gets_no_grant() {
    let app = Router::new().route(
        "/mixed",
        get(list)
            .put(plain)
            .preflight_layer(cors_runtime::preflight!(list)),
    );
    let response = send(
        &app,
        request(
            "PUT",
            "/mixed",
            &[("origin", APP), ("sec-fetch-site", "same-origin")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "access-control-allow-origin"), None);

    let response = send(&app, preflight("/mixed", APP, "PUT", None)).await;
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("GET")
    );
    assert!(!cors_attr_tests::grants(&response, "PUT"));

    let runs = PLAIN_RUNS.load(Ordering::SeqCst);
    let response = send(
        &app,
        request(
            "PUT",
            "/mixed",
            &[("origin", APP), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(PLAIN_RUNS.load(Ordering::SeqCst), runs, "`plain` ran");
    // The annotated method is granted as before.
    let response = send(&app, request("GET", "/mixed", &[("origin", APP)])).await;
    assert_readable(&response, StatusCode::OK);
}

/// Issue 19 item 2: whether the handler decided is not read from a header:
/// a route middleware that replaces `Vary` does not make the layer grant a
/// request the handler refused (`list` is routed for `PUT`, which its
/// policy does not list).
#[tokio::test]
async fn a_middleware_replacing_vary_does_not_make_the_layer_grant_what_the_handler_refused() {
    async fn replace_vary(mut response: Response) -> Response {
        response
            .headers_mut()
            .insert("vary", HeaderValue::from_static("accept-encoding"));
        response
    }
    let app = Router::new().route(
        "/vary",
        get(list)
            .put(list)
            .route_layer(axum::middleware::map_response(replace_vary))
            .preflight_layer(cors_runtime::preflight!(list)),
    );
    let response = send(
        &app,
        request(
            "PUT",
            "/vary",
            &[("origin", APP), ("sec-fetch-site", "same-origin")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    let response = send(&app, request("GET", "/vary", &[("origin", APP)])).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

/// Issue 20 finding 7: a plain `OPTIONS` reaches the route's own
/// `options` handler; only preflights are the layer's. Without one, it
/// gets `204` with `Allow`, as from `.options(preflight!(..))`.
#[tokio::test]
async fn a_plain_options_reaches_the_routes_own_options_handler() {
    async fn dav() -> &'static str {
        "dav"
    }
    let app = Router::new().route(
        "/dav",
        get(list)
            .options(dav)
            .preflight_layer(cors_runtime::preflight!(list)),
    );
    let response = send(&app, request("OPTIONS", "/dav", &[])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(cors_attr_tests::body_text(response).await, "dav");
    let response = send(&app, preflight("/dav", APP, "GET", None)).await;
    assert!(cors_attr_tests::grants(&response, "GET"));

    let response = send(&self::app(), request("OPTIONS", "/items", &[])).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, "allow").as_deref(),
        Some("GET, POST, HEAD, OPTIONS")
    );
}

#[tokio::test]
async fn refused_origins_get_no_grant_on_middleware_responses() {
    let response = send(&app(), request("GET", "/items", &[("origin", EVIL)])).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
}

#[tokio::test]
async fn the_handlers_own_answer_is_left_as_it_made_it() {
    let response = send(
        &app(),
        request(
            "POST",
            "/items",
            &[
                ("origin", "https://admin.example.com"),
                ("authorization", "Bearer good"),
            ],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://admin.example.com")
    );
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
    let headers: &HeaderMap = response.headers();
    assert_eq!(
        headers
            .get_all("access-control-allow-origin")
            .iter()
            .count(),
        1
    );
}

/// The layer's granted answer is the `.options(preflight!(..))` answer,
/// header for header, plus the `Allow` axum adds to what a method router's
/// fallback answers.
#[tokio::test]
async fn a_granted_preflight_through_the_layer_is_the_routed_one_plus_allow() {
    let routed = Router::new().route(
        "/items",
        get(list)
            .post(create)
            .options(cors_runtime::preflight!(list, create)),
    );
    for (method, request_headers) in [("POST", Some("authorization")), ("GET", None)] {
        let through_layer = send(&app(), preflight("/items", APP, method, request_headers)).await;
        let through_route = send(&routed, preflight("/items", APP, method, request_headers)).await;
        assert_eq!(through_layer.status(), through_route.status());
        let mut layer_headers = through_layer.headers().clone();
        assert!(layer_headers.remove("allow").is_some(), "{method}");
        let sorted = |headers: &HeaderMap| {
            let mut pairs: Vec<_> = headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            pairs
        };
        assert_eq!(
            sorted(&layer_headers),
            sorted(through_route.headers()),
            "{method}"
        );
    }
}
