//! Which `Origin` values are allowed on actual requests.

use axum::routing::get;
use axum::Router;
use cors_attr_tests::{actual, has_any_allow_header, header, request, send};
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com", "http://localhost:5173"], methods = [GET])]
async fn exact() -> &'static str {
    "exact"
}

#[cors(origins = ["https://*.example.com"], methods = [GET])]
async fn subdomains() -> &'static str {
    "subdomains"
}

#[cors(origins = ["http://localhost:*"], methods = [GET])]
async fn any_port() -> &'static str {
    "any port"
}

#[cors(origins = "*", methods = [GET])]
async fn public() -> &'static str {
    "public"
}

fn app() -> Router {
    Router::new()
        .route("/exact", get(exact).options(preflight!(exact)))
        .route(
            "/subdomains",
            get(subdomains).options(preflight!(subdomains)),
        )
        .route("/any-port", get(any_port).options(preflight!(any_port)))
        .route("/public", get(public).options(preflight!(public)))
}

async fn allow_origin(path: &str, origin: &str) -> Option<String> {
    let response = send(&app(), actual("GET", path, Some(origin))).await;
    assert_eq!(response.status(), 200, "{path} {origin}");
    header(&response, "access-control-allow-origin")
}

#[tokio::test]
async fn listed_origin_is_echoed() {
    assert_eq!(
        allow_origin("/exact", "https://app.example.com")
            .await
            .as_deref(),
        Some("https://app.example.com")
    );
    assert_eq!(
        allow_origin("/exact", "http://localhost:5173")
            .await
            .as_deref(),
        Some("http://localhost:5173")
    );
}

#[tokio::test]
async fn unlisted_origin_gets_no_allow_headers() {
    for origin in [
        "https://evil.example",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://APP.example.com",
        "https://app.example.com/",
        "https://app.example.com.evil.net",
        "http://localhost:5174",
    ] {
        let response = send(&app(), actual("GET", "/exact", Some(origin))).await;
        assert_eq!(response.status(), 200);
        assert!(!has_any_allow_header(&response), "{origin}");
        assert_eq!(
            header(&response, "vary").as_deref(),
            Some("Origin"),
            "{origin}"
        );
    }
}

#[tokio::test]
async fn missing_origin_gets_no_allow_headers() {
    let response = send(&app(), actual("GET", "/exact", None)).await;
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
}

#[tokio::test]
async fn null_origin_is_never_allowed_by_a_list() {
    for path in ["/exact", "/subdomains", "/any-port"] {
        let response = send(&app(), actual("GET", path, Some("null"))).await;
        assert!(!has_any_allow_header(&response), "{path}");
    }
}

#[tokio::test]
async fn repeated_origin_is_never_allowed_by_a_list() {
    let twice = request(
        "GET",
        "/exact",
        &[
            ("origin", "https://app.example.com"),
            ("origin", "https://app.example.com"),
        ],
    );
    let response = send(&app(), twice).await;
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn subdomain_pattern_allows_labels_in_front_only() {
    for origin in [
        "https://a.example.com",
        "https://deep.er.example.com",
        "https://app.example.com",
    ] {
        assert_eq!(
            allow_origin("/subdomains", origin).await.as_deref(),
            Some(origin)
        );
    }
    for bypass in [
        "https://example.com",
        "https://evilexample.com",
        "https://example.com.evil.net",
        "https://a.example.com.evil.net",
        "http://a.example.com",
        "https://.example.com",
        "https://a.example.com:444",
        "https://a.example.com.",
    ] {
        assert_eq!(allow_origin("/subdomains", bypass).await, None, "{bypass}");
    }
}

#[tokio::test]
async fn any_port_pattern_allows_every_port_of_that_host() {
    for origin in [
        "http://localhost",
        "http://localhost:3000",
        "http://localhost:65535",
    ] {
        assert_eq!(
            allow_origin("/any-port", origin).await.as_deref(),
            Some(origin)
        );
    }
    for refused in [
        "https://localhost:3000",
        "http://localhost.evil.net:3000",
        "http://evil-localhost:3000",
        "http://localhost:99999",
        "http://localhost:",
        "http://127.0.0.1:3000",
    ] {
        assert_eq!(allow_origin("/any-port", refused).await, None, "{refused}");
    }
}

#[tokio::test]
async fn wildcard_answers_any_origin_with_a_star() {
    for origin in ["https://anyone.example", "null", "not an origin"] {
        assert_eq!(
            allow_origin("/public", origin).await.as_deref(),
            Some("*"),
            "{origin}"
        );
    }
    let twice = request(
        "GET",
        "/public",
        &[
            ("origin", "https://a.example"),
            ("origin", "https://b.example"),
        ],
    );
    assert_eq!(
        header(&send(&app(), twice).await, "access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[tokio::test]
async fn wildcard_without_origin_sends_no_star() {
    let response = send(&app(), actual("GET", "/public", None)).await;
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
}

#[tokio::test]
async fn non_utf8_origin_is_refused_without_panicking() {
    let mut req = actual("GET", "/exact", None);
    req.headers_mut().insert(
        "origin",
        axum::http::HeaderValue::from_bytes(b"https://app.example.com\xff").unwrap(),
    );
    let response = send(&app(), req).await;
    assert_eq!(response.status(), 200);
    assert!(!has_any_allow_header(&response));
}
