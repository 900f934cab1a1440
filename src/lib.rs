//! Support for this workspace's integration tests: building CORS requests
//! and reading responses. Not published. The benchmark harness and the load
//! tools live in `bench/`.

// The README's Rust examples compile and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;

use axum::body::Body;
use axum::http::{Method, Request, Response};
use axum::Router;
use tower::ServiceExt;

/// Sends one request through `app` and returns the response.
///
/// # Panics
///
/// If the router's service fails, which axum's never does.
pub async fn send(app: &Router, request: Request<Body>) -> Response<Body> {
    app.clone()
        .oneshot(request)
        .await
        .expect("axum routers are infallible")
}

/// A request builder with the given method, path and headers.
///
/// # Panics
///
/// On a header that is not valid.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("valid method"))
        .uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).expect("valid request")
}

/// A CORS preflight: `OPTIONS` with `Origin`, `Access-Control-Request-Method`
/// and, if given, `Access-Control-Request-Headers`.
pub fn preflight(
    path: &str,
    origin: &str,
    method: &str,
    request_headers: Option<&str>,
) -> Request<Body> {
    let mut headers = vec![
        ("origin", origin),
        ("access-control-request-method", method),
    ];
    if let Some(list) = request_headers {
        headers.push(("access-control-request-headers", list));
    }
    request("OPTIONS", path, &headers)
}

/// An actual request with an optional `Origin`.
pub fn actual(method: &str, path: &str, origin: Option<&str>) -> Request<Body> {
    match origin {
        Some(origin) => request(method, path, &[("origin", origin)]),
        None => request(method, path, &[]),
    }
}

/// A request from `origin` with a JSON body (`content-type:
/// application/json`), well-formed or not.
pub fn json(method: &str, path: &str, origin: &str, body: &'static str) -> Request<Body> {
    let mut request = request(
        method,
        path,
        &[("origin", origin), ("content-type", "application/json")],
    );
    *request.body_mut() = Body::from(body);
    request
}

/// Every value of a response header, joined with `", "`, or `None` when the
/// header is absent.
pub fn header<B>(response: &Response<B>, name: &str) -> Option<String> {
    let values: Vec<&str> = response
        .headers()
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("ASCII header"))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Whether the response carries any `Access-Control-Allow-*` header.
pub fn has_any_allow_header<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .keys()
        .any(|name| name.as_str().starts_with("access-control-allow-"))
}

/// The body as a string.
///
/// # Panics
///
/// If the body cannot be read or is not UTF-8.
pub async fn body_text(response: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("readable body");
    String::from_utf8(bytes.to_vec()).expect("UTF-8 body")
}

/// Whether a preflight answer lets the browser send `method`: an
/// `Access-Control-Allow-Origin`, and the method listed. (A refusal by
/// method still names the origin, so that the browser names the method.)
pub fn grants<B>(response: &Response<B>, method: &str) -> bool {
    header(response, "access-control-allow-origin").is_some()
        && header(response, "access-control-allow-methods")
            .is_some_and(|methods| methods.split(", ").any(|listed| listed == method))
}

cors_runtime::policy! {
    /// A policy declared in this crate: other crates cannot name it
    /// (`tests/ui/fail/named-policy-from-another-crate.rs`).
    pub SHARED = { origins = ["https://app.example.com"] };
}

/// Declares a named policy in the calling crate: how crates share one
/// (`tests/ui/pass/named-policy-shared-by-a-macro.rs`).
#[macro_export]
macro_rules! declare_shared_policy {
    ($name:ident) => {
        ::cors_runtime::policy! {
            /// The policy every service of the workspace shares.
            pub(crate) $name = {
                origins = ["https://app.example.com", "https://*.example.com"],
                allow_headers = ["content-type"],
                credentials = true,
                max_age = 600,
            };
        }
    };
}
