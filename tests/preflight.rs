//! Answers to `OPTIONS`: allowed and refused preflights, and plain `OPTIONS`.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::routing::{get, put};
use axum::{Json, Router};
use cors_attr_tests::{has_any_allow_header, header, json, preflight, request, send};
use cors_runtime::{cors, preflight, MAX_REQUEST_HEADERS_ITEMS, MAX_REQUEST_HEADERS_LEN};

const APP: &str = "https://app.example.com";

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET, PUT, "PURGE"],
    allow_headers = ["content-type", "x-trace-id"],
    credentials = true,
    max_age = 600,
)]
async fn items() -> &'static str {
    "items"
}

#[cors(origins = ["https://app.example.com"], methods = [GET], max_age = 0)]
async fn zero_max_age() -> &'static str {
    "zero"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn no_max_age() -> &'static str {
    "none"
}

#[cors(origins = "*", methods = [GET, PUT], allow_headers = "*")]
async fn any_header() -> &'static str {
    "any"
}

#[cors(origins = ["https://app.example.com"], methods = [GET, PUT], allow_headers = ["*", "authorization"])]
async fn any_header_and_authorization() -> &'static str {
    "any and authorization"
}

#[cors(origins = ["https://app.example.com"], methods = [GET], private_network = true)]
async fn private() -> &'static str {
    "private"
}

#[cors(origins = "*", methods = [GET])]
async fn list() -> &'static str {
    "list"
}

#[cors(origins = ["https://admin.example.com"], methods = [POST, DELETE], allow_headers = ["content-type"])]
async fn create() -> &'static str {
    "create"
}

static EXTRACTOR_RUNS: AtomicUsize = AtomicUsize::new(0);
static HANDLER_RUNS: AtomicUsize = AtomicUsize::new(0);

struct Counted;

impl<S: Sync> axum::extract::FromRequestParts<S> for Counted {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        EXTRACTOR_RUNS.fetch_add(1, Ordering::SeqCst);
        Ok(Counted)
    }
}

#[cors(origins = ["https://app.example.com"], methods = [PUT], allow_headers = ["content-type"])]
async fn counted(_: Counted, Json(_): Json<serde_json_value::Any>) -> &'static str {
    HANDLER_RUNS.fetch_add(1, Ordering::SeqCst);
    "counted"
}

mod serde_json_value {
    /// Accepts any JSON.
    #[derive(serde::Deserialize)]
    pub struct Any {}
}

fn app() -> Router {
    Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/zero", get(zero_max_age).options(preflight!(zero_max_age)))
        .route("/unset", get(no_max_age).options(preflight!(no_max_age)))
        .route(
            "/any-header",
            get(any_header)
                .put(any_header)
                .options(preflight!(any_header)),
        )
        .route(
            "/any-header-and-authorization",
            get(any_header_and_authorization).options(preflight!(any_header_and_authorization)),
        )
        .route("/private", get(private).options(preflight!(private)))
        .route(
            "/things",
            get(list)
                .post(create)
                .delete(create)
                .options(preflight!(list, create)),
        )
        .route("/counted", put(counted).options(preflight!(counted)))
}

#[tokio::test]
async fn allowed_preflight_gets_every_configured_header() {
    let response = send(
        &app(),
        preflight("/items", APP, "PUT", Some("content-type")),
    )
    .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("GET, PUT, PURGE")
    );
    assert_eq!(
        header(&response, "access-control-allow-headers").as_deref(),
        Some("content-type, x-trace-id")
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        header(&response, "access-control-max-age").as_deref(),
        Some("600")
    );
    assert_eq!(
        header(&response, "vary").as_deref(),
        Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    );
    assert_eq!(
        header(&response, "access-control-allow-private-network"),
        None
    );
}

#[tokio::test]
async fn extension_method_is_allowed_as_written() {
    let response = send(&app(), preflight("/items", APP, "PURGE", None)).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn allow_headers_is_sent_only_when_headers_were_requested() {
    let response = send(&app(), preflight("/items", APP, "PUT", None)).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(header(&response, "access-control-allow-headers"), None);
    let response = send(&app(), preflight("/items", APP, "PUT", Some(" , ,"))).await;
    assert_eq!(header(&response, "access-control-allow-headers"), None);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn refused_origin_gets_no_allow_origin() {
    let response = send(
        &app(),
        preflight("/items", "https://evil.example", "PUT", None),
    )
    .await;
    assert_eq!(response.status(), 204);
    assert!(!has_any_allow_header(&response));
    assert!(header(&response, "vary").is_some());
}

#[tokio::test]
async fn refused_method_names_the_allowed_methods() {
    let response = send(&app(), preflight("/items", APP, "DELETE", None)).await;
    assert_eq!(response.status(), 204);
    // The origin is fine, so the browser goes on to the method and names it.
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("GET, PUT, PURGE")
    );
    assert_eq!(header(&response, "access-control-max-age"), None);
}

#[tokio::test]
async fn refused_safelisted_method_gets_no_allow_origin() {
    // A browser skips the method check for POST, so only a missing
    // `Access-Control-Allow-Origin` stops it.
    let response = send(
        &app(),
        preflight("/items", APP, "POST", Some("content-type")),
    )
    .await;
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn methods_are_case_sensitive() {
    let response = send(&app(), preflight("/items", APP, "put", None)).await;
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("GET, PUT, PURGE")
    );
    assert_eq!(header(&response, "access-control-max-age"), None);
}

#[tokio::test]
async fn repeated_request_method_is_refused() {
    let req = request(
        "OPTIONS",
        "/items",
        &[
            ("origin", APP),
            ("access-control-request-method", "PUT"),
            ("access-control-request-method", "PUT"),
        ],
    );
    let response = send(&app(), req).await;
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn refused_header_keeps_the_allowed_list() {
    let response = send(
        &app(),
        preflight("/items", APP, "PUT", Some("content-type, x-unknown")),
    )
    .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-headers").as_deref(),
        Some("content-type, x-trace-id")
    );
    assert_eq!(header(&response, "access-control-max-age"), None);
}

#[tokio::test]
async fn header_names_match_in_any_case_and_spacing() {
    for list in [
        "Content-Type",
        "CONTENT-TYPE,X-Trace-Id",
        " content-type ,\tx-trace-id ",
        ",,content-type,,",
        "content-type, , x-trace-id",
    ] {
        let response = send(&app(), preflight("/items", APP, "PUT", Some(list))).await;
        assert_eq!(
            header(&response, "access-control-max-age").as_deref(),
            Some("600"),
            "{list:?}"
        );
    }
}

#[tokio::test]
async fn request_headers_over_several_lines_are_all_checked() {
    let req = request(
        "OPTIONS",
        "/items",
        &[
            ("origin", APP),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
            ("access-control-request-headers", "x-unknown"),
        ],
    );
    let response = send(&app(), req).await;
    assert_eq!(header(&response, "access-control-max-age"), None);
}

#[tokio::test]
async fn malformed_request_headers_are_refused() {
    for list in ["content type", "content-type;", "x-a/b", "\"x\""] {
        let response = send(&app(), preflight("/items", APP, "PUT", Some(list))).await;
        assert_eq!(response.status(), 204);
        assert_eq!(
            header(&response, "access-control-max-age"),
            None,
            "{list:?}"
        );
    }
}

#[tokio::test]
async fn oversized_request_headers_are_refused() {
    let long = "content-type,".repeat(MAX_REQUEST_HEADERS_LEN / 13 + 1);
    let response = send(&app(), preflight("/items", APP, "PUT", Some(&long))).await;
    assert_eq!(header(&response, "access-control-max-age"), None);

    let many = ",".repeat(MAX_REQUEST_HEADERS_ITEMS);
    let response = send(&app(), preflight("/items", APP, "PUT", Some(&many))).await;
    assert_eq!(header(&response, "access-control-max-age"), None);

    let thousand: Vec<String> = (0..1000).map(|i| format!("x-h{i}")).collect();
    let response = send(
        &app(),
        preflight("/any-header", APP, "PUT", Some(&thousand.join(","))),
    )
    .await;
    assert_eq!(header(&response, "access-control-allow-headers"), None);
}

#[tokio::test]
async fn max_age_zero_is_sent_and_unset_is_absent() {
    let response = send(&app(), preflight("/zero", APP, "GET", None)).await;
    assert_eq!(
        header(&response, "access-control-max-age").as_deref(),
        Some("0")
    );
    let response = send(&app(), preflight("/unset", APP, "GET", None)).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(header(&response, "access-control-max-age"), None);
}

#[tokio::test]
async fn wildcard_headers_allow_any_name_but_authorization() {
    let response = send(
        &app(),
        preflight("/any-header", APP, "PUT", Some("x-anything,content-type")),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    // The names asked for, not `*`: a browser caches the grant, and one
    // laxer than the standard would read a cached `*` as covering
    // `authorization` (`tests/preflight_cache.rs`).
    assert_eq!(
        header(&response, "access-control-allow-headers").as_deref(),
        Some("x-anything,content-type")
    );

    let response = send(
        &app(),
        preflight("/any-header", APP, "PUT", Some("authorization,x-anything")),
    )
    .await;
    assert_eq!(response.status(), 204);
    // No `*` for a lax browser to read as covering `authorization`.
    assert_eq!(header(&response, "access-control-allow-headers"), None);

    let response = send(
        &app(),
        preflight(
            "/any-header-and-authorization",
            APP,
            "PUT",
            Some("Authorization"),
        ),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-headers").as_deref(),
        Some("Authorization")
    );
}

#[tokio::test]
async fn private_network_is_granted_only_when_asked_and_allowed() {
    let mut req = preflight("/private", APP, "GET", None);
    req.headers_mut().insert(
        "access-control-request-private-network",
        "true".parse().unwrap(),
    );
    let response = send(&app(), req).await;
    assert_eq!(
        header(&response, "access-control-allow-private-network").as_deref(),
        Some("true")
    );
    assert_eq!(
        header(&response, "vary").as_deref(),
        Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network")
    );

    let response = send(&app(), preflight("/private", APP, "GET", None)).await;
    assert_eq!(
        header(&response, "access-control-allow-private-network"),
        None
    );

    let mut req = preflight("/items", APP, "GET", None);
    req.headers_mut().insert(
        "access-control-request-private-network",
        "true".parse().unwrap(),
    );
    let response = send(&app(), req).await;
    assert_eq!(
        header(&response, "access-control-allow-private-network"),
        None
    );
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn plain_options_is_not_a_preflight() {
    let response = send(&app(), request("OPTIONS", "/items", &[("origin", APP)])).await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        header(&response, "allow").as_deref(),
        Some("GET, PUT, PURGE, HEAD, OPTIONS")
    );
    assert!(!has_any_allow_header(&response));

    let response = send(&app(), request("OPTIONS", "/things", &[])).await;
    assert_eq!(
        header(&response, "allow").as_deref(),
        Some("GET, POST, DELETE, HEAD, OPTIONS")
    );
}

#[tokio::test]
async fn two_handlers_on_one_path_each_answer_for_their_methods() {
    let response = send(
        &app(),
        preflight("/things", "https://anyone.example", "GET", Some("x-custom")),
    )
    .await;
    // `list` allows any origin but no request headers.
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(header(&response, "access-control-allow-headers"), None);
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("GET")
    );

    let response = send(
        &app(),
        preflight(
            "/things",
            "https://admin.example.com",
            "DELETE",
            Some("content-type"),
        ),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://admin.example.com")
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("POST, DELETE")
    );
    assert_eq!(
        header(&response, "access-control-allow-headers").as_deref(),
        Some("content-type")
    );

    // `create` serves DELETE and does not allow that origin, even though
    // `list` allows any.
    let response = send(
        &app(),
        preflight("/things", "https://anyone.example", "DELETE", None),
    )
    .await;
    assert!(!has_any_allow_header(&response));

    // No handler serves PATCH: the policy that allows the origin names its
    // methods, so the browser reports the method.
    let response = send(
        &app(),
        preflight("/things", "https://anyone.example", "PATCH", None),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("GET")
    );
}

#[tokio::test]
async fn head_uses_the_get_policy() {
    let response = send(
        &app(),
        preflight("/things", "https://anyone.example", "HEAD", None),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[tokio::test]
async fn preflight_runs_neither_the_handler_nor_its_extractors() {
    let response = send(
        &app(),
        preflight("/counted", APP, "PUT", Some("content-type")),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(EXTRACTOR_RUNS.load(Ordering::SeqCst), 0);
    assert_eq!(HANDLER_RUNS.load(Ordering::SeqCst), 0);

    let put = json("PUT", "/counted", APP, "{}");
    let response = send(&app(), put).await;
    assert_eq!(response.status(), 200);
    assert_eq!(EXTRACTOR_RUNS.load(Ordering::SeqCst), 1);
    assert_eq!(HANDLER_RUNS.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn preflight_on_a_missing_path_is_a_plain_404() {
    let response = send(&app(), preflight("/nowhere", APP, "GET", None)).await;
    assert_eq!(response.status(), 404);
    assert!(!has_any_allow_header(&response));
}
