//! The app behind the seed's error: `/api/profile` serves `PUT` only, and a
//! proxy in front of it adds CORS headers to every answer, as nginx's
//! `add_header Access-Control-Allow-Origin $http_origin always` does. The
//! browser's preflight gets axum's `405` with those headers.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::routing::put;
use axum::Router;

/// The app, with the proxy's headers added to every answer.
pub fn app() -> Router {
    Router::new()
        .route("/api/profile", put(|| async { "{}" }))
        .layer(from_fn(proxy_adds_cors_headers))
}

async fn proxy_adds_cors_headers(request: Request, next: Next) -> Response {
    let origin = request.headers().get("origin").cloned();
    let mut response = next.run(request).await;
    if let Some(origin) = origin {
        let headers = response.headers_mut();
        headers.insert("access-control-allow-origin", origin);
        headers.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, PUT, POST, DELETE"),
        );
        headers.insert(
            "access-control-allow-headers",
            HeaderValue::from_static("content-type, authorization"),
        );
    }
    response
}
