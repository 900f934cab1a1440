//! `init()` can be retried: after a failed `init` (a wrong variable), a
//! corrected variable takes effect at the next `init`, in the same process.

use axum::routing::get;
use axum::Router;
use cors_attr_tests::{actual, header, send};
use cors_runtime::cors;

#[cors(origins = [env("CORS_RETRY_ORIGINS")], methods = [GET])]
async fn items() -> &'static str {
    "items"
}

/// One test: the variable is process-wide.
#[tokio::test]
async fn a_later_successful_init_takes_effect() {
    let app = Router::new().route("/items", get(items));
    let allowed = |response: &axum::http::Response<axum::body::Body>| {
        header(response, "access-control-allow-origin").as_deref()
            == Some("https://app.example.com")
    };

    std::env::set_var("CORS_RETRY_ORIGINS", "https://app.example.com/");
    let error = cors_runtime::init().expect_err("a trailing slash is refused");
    assert!(error.to_string().contains("trailing slash"), "{error}");
    let response = send(
        &app,
        actual("GET", "/items", Some("https://app.example.com")),
    )
    .await;
    assert!(!allowed(&response));

    std::env::set_var("CORS_RETRY_ORIGINS", "https://app.example.com");
    cors_runtime::init().expect("the corrected variable is accepted");
    let response = send(
        &app,
        actual("GET", "/items", Some("https://app.example.com")),
    )
    .await;
    assert!(allowed(&response));

    // And it can be changed again.
    std::env::set_var("CORS_RETRY_ORIGINS", "https://other.example.com");
    cors_runtime::init().expect("valid");
    let response = send(
        &app,
        actual("GET", "/items", Some("https://app.example.com")),
    )
    .await;
    assert!(!allowed(&response));
}
