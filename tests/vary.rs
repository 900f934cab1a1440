//! `Vary` on every kind of response, and never replacing the handler's.

use axum::http::header::VARY;
use axum::routing::get;
use axum::Router;
use cors_attr_tests::{actual, header, preflight, send};
use cors_runtime::{cors, preflight};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn listed() -> &'static str {
    "listed"
}

#[cors(origins = "*", methods = [GET])]
async fn public() -> &'static str {
    "public"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn varies_by_encoding() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(VARY, "Accept-Encoding")], "encoded")
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn varies_by_origin_already() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(VARY, "accept, origin")], "already")
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn varies_by_everything() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(VARY, "*")], "everything")
}

fn app() -> Router {
    Router::new()
        .route("/listed", get(listed).options(preflight!(listed)))
        .route("/public", get(public).options(preflight!(public)))
        .route("/encoding", get(varies_by_encoding))
        .route("/origin-already", get(varies_by_origin_already))
        .route("/everything", get(varies_by_everything))
}

#[tokio::test]
async fn every_actual_response_varies_by_origin() {
    for (path, origin) in [
        ("/listed", Some(APP)),
        ("/listed", Some("https://evil.example")),
        ("/listed", None),
        ("/public", Some(APP)),
        ("/public", None),
    ] {
        let response = send(&app(), actual("GET", path, origin)).await;
        assert_eq!(
            header(&response, "vary").as_deref(),
            Some("Origin"),
            "{path} {origin:?}"
        );
    }
}

#[tokio::test]
async fn every_preflight_answer_varies_by_the_request_headers() {
    let full = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    for (origin, method, headers) in [
        (APP, "GET", None),
        ("https://evil.example", "GET", None),
        (APP, "DELETE", None),
        (APP, "GET", Some("x-nope")),
    ] {
        let response = send(&app(), preflight("/listed", origin, method, headers)).await;
        assert_eq!(
            header(&response, "vary").as_deref(),
            Some(full),
            "{origin} {method} {headers:?}"
        );
    }
    let response = send(&app(), preflight("/public", APP, "GET", None)).await;
    assert_eq!(header(&response, "vary").as_deref(), Some(full));
}

#[tokio::test]
async fn handler_vary_is_kept_and_origin_appended() {
    let response = send(&app(), actual("GET", "/encoding", Some(APP))).await;
    let values: Vec<_> = response.headers().get_all(VARY).iter().collect();
    assert_eq!(values, ["Accept-Encoding", "Origin"]);
}

#[tokio::test]
async fn vary_that_already_covers_origin_is_left_alone() {
    let response = send(&app(), actual("GET", "/origin-already", Some(APP))).await;
    assert_eq!(header(&response, "vary").as_deref(), Some("accept, origin"));
    let response = send(&app(), actual("GET", "/everything", Some(APP))).await;
    assert_eq!(header(&response, "vary").as_deref(), Some("*"));
}
