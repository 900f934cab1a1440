//! The scenario app: an axum app with the routes the scenarios need, some
//! annotated with `#[cors]`, some answering CORS by hand as a naive
//! backend would.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, options, post};
use axum::Router;
use cors_runtime::{cors, preflight};
use tower_http::limit::RequestBodyLimitLayer;

/// The page's origin (a fixed port: `#[cors]` names it at compile time).
pub const PAGE_PORT: u16 = 47_821;
/// Origin A, the page.
pub const ORIGIN_A: &str = "http://localhost:47821";
/// Origin B, another allowed page.
pub const ORIGIN_B: &str = "http://other.localhost:47821";

#[cors(origins = ["http://localhost:47821", "http://other.localhost:47821"], methods = [GET, PUT], allow_headers = ["content-type"])]
async fn items() -> &'static str {
    "items"
}

#[cors(origins = ["http://localhost:47821"], methods = [GET, PUT], allow_headers = ["content-type"])]
async fn guarded() -> &'static str {
    "guarded"
}

#[cors(origins = ["http://localhost:47821"], methods = [POST])]
async fn upload(body: String) -> String {
    format!("{} bytes", body.len())
}

#[cors(origins = ["http://other.localhost:47821"], methods = [GET, PUT], allow_headers = ["content-type"])]
async fn other_page_only() -> &'static str {
    "for the other page"
}

async fn plain() -> &'static str {
    "no cors here"
}

/// Auth that answers everything without a token, preflights included.
async fn require_token(request: Request, next: Next) -> Response {
    if request.headers().contains_key("authorization") {
        next.run(request).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer realm=\"api\"")],
            "unauthorized",
        )
            .into_response()
    }
}

fn origin(headers: &HeaderMap) -> HeaderValue {
    headers
        .get("origin")
        .cloned()
        .unwrap_or(HeaderValue::from_static("null"))
}

/// A hand-written preflight answer with `extra` lines.
fn preflight_answer(allow_origin: HeaderValue, extra: &[(&'static str, &'static str)]) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert("access-control-allow-origin", allow_origin);
    for (name, value) in extra {
        response
            .headers_mut()
            .append(*name, HeaderValue::from_static(value));
    }
    response
}

/// Reads `Access-Control-Request-Headers` from its first line only and
/// grants what it names, as backends that call `headers.get` do.
async fn echo_first_request_headers(headers: HeaderMap) -> Response {
    let requested = headers.get("access-control-request-headers").cloned();
    let mut response = preflight_answer(
        origin(&headers),
        &[("access-control-allow-methods", "GET, PUT")],
    );
    if let Some(requested) = requested {
        response
            .headers_mut()
            .insert("access-control-allow-headers", requested);
    }
    response
}

/// Echoes allowed origins without `Vary: Origin`.
async fn no_vary(headers: HeaderMap) -> Response {
    let mut response = "shared data".into_response();
    let origin = origin(&headers);
    if origin == ORIGIN_A || origin == ORIGIN_B {
        response
            .headers_mut()
            .insert("access-control-allow-origin", origin);
    }
    response
}

/// The scenario app.
pub fn app() -> Router {
    let auth = Router::new()
        .route(
            "/auth/items",
            get(guarded).put(guarded).options(preflight!(guarded)),
        )
        .route_layer(from_fn(require_token));
    Router::new()
        .merge(auth)
        .route(
            "/cors/items",
            get(items).put(items).options(preflight!(items)),
        )
        .route("/plain/items", get(plain).put(plain))
        .route(
            "/others/items",
            get(other_page_only)
                .put(other_page_only)
                .options(preflight!(other_page_only)),
        )
        .route(
            "/upload",
            post(upload)
                .options(preflight!(upload))
                .layer(RequestBodyLimitLayer::new(16)),
        )
        .route(
            "/split/items",
            get(plain).options(echo_first_request_headers),
        )
        .route("/novary/data", get(no_vary))
        .route(
            "/wild/items",
            options(|| async {
                preflight_answer(
                    HeaderValue::from_static("*"),
                    &[
                        ("access-control-allow-methods", "PUT"),
                        ("access-control-allow-headers", "content-type"),
                    ],
                )
            }),
        )
        .route(
            "/capital/items",
            options(|headers: HeaderMap| async move {
                preflight_answer(
                    origin(&headers),
                    &[
                        ("access-control-allow-credentials", "True"),
                        ("access-control-allow-methods", "PUT"),
                        ("access-control-allow-headers", "content-type"),
                    ],
                )
            }),
        )
        .route(
            "/wildheaders/items",
            options(|| async {
                preflight_answer(
                    HeaderValue::from_static("*"),
                    &[
                        ("access-control-allow-methods", "PUT"),
                        ("access-control-allow-headers", "*"),
                    ],
                )
            })
            .put(|| async { ([("access-control-allow-origin", "*")], "ok") }),
        )
        .route(
            "/patch/items",
            options(|headers: HeaderMap| async move {
                preflight_answer(
                    origin(&headers),
                    &[("access-control-allow-methods", "GET, PATCH")],
                )
            }),
        )
        .route(
            "/badmethods/items",
            options(|headers: HeaderMap| async move {
                preflight_answer(
                    origin(&headers),
                    &[
                        ("access-control-allow-methods", "GET; PUT"),
                        ("access-control-allow-headers", "content-type"),
                    ],
                )
            }),
        )
}
