//! Headers on actual (non-preflight) responses.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use cors_attr_tests::{actual, body_text, has_any_allow_header, header, json, request, send};
use cors_runtime::{cors, preflight};

const APP: &str = "https://app.example.com";

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET],
    expose_headers = ["x-request-id", "X-Total-Count"],
    credentials = true,
)]
async fn with_credentials() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("x-request-id", "7")], "body")
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn plain() -> &'static str {
    "plain"
}

#[cors(origins = "*", methods = [GET], expose_headers = "*")]
async fn expose_all() -> &'static str {
    "all"
}

#[derive(serde::Deserialize)]
struct Input {
    #[allow(dead_code)]
    name: String,
}

#[cors(origins = ["https://app.example.com"], methods = [POST], allow_headers = ["content-type"], credentials = true)]
async fn create(Json(input): Json<Input>) -> (StatusCode, String) {
    (StatusCode::CREATED, input.name)
}

#[derive(serde::Deserialize)]
struct Page {
    page: u32,
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn paged(Path(id): Path<u32>, Query(page): Query<Page>) -> String {
    format!("{id}:{}", page.page)
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn failing() -> Result<&'static str, (StatusCode, &'static str)> {
    Err((StatusCode::INTERNAL_SERVER_ERROR, "database is down"))
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn needs_header(headers: HeaderMap) -> Result<&'static str, StatusCode> {
    headers
        .get("authorization")
        .map(|_| "welcome")
        .ok_or(StatusCode::UNAUTHORIZED)
}

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn stateful(State(state): State<AppState>, headers: HeaderMap) -> String {
    format!("{} {}", state.greeting, headers.len())
}

fn app() -> Router {
    Router::new()
        .route(
            "/credentials",
            get(with_credentials).options(preflight!(with_credentials)),
        )
        .route("/plain", get(plain))
        .route("/expose-all", get(expose_all))
        .route("/create", post(create).options(preflight!(create)))
        .route("/paged/{id}", get(paged))
        .route("/failing", get(failing))
        .route("/needs-header", get(needs_header))
        .route("/stateful", get(stateful))
        .with_state(AppState { greeting: "hello" })
}

#[tokio::test]
async fn allowed_origin_gets_origin_credentials_and_exposed_headers() {
    let response = send(&app(), actual("GET", "/credentials", Some(APP))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        header(&response, "access-control-expose-headers").as_deref(),
        Some("x-request-id, x-total-count")
    );
    assert_eq!(header(&response, "x-request-id").as_deref(), Some("7"));
    // Preflight-only headers do not belong on actual responses.
    assert_eq!(header(&response, "access-control-allow-methods"), None);
    assert_eq!(header(&response, "access-control-max-age"), None);
    assert_eq!(body_text(response).await, "body");
}

#[tokio::test]
async fn without_credentials_no_credentials_header() {
    let response = send(&app(), actual("GET", "/plain", Some(APP))).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    assert_eq!(header(&response, "access-control-expose-headers"), None);
}

#[tokio::test]
async fn expose_all_sends_a_star() {
    let response = send(&app(), actual("GET", "/expose-all", Some(APP))).await;
    assert_eq!(
        header(&response, "access-control-expose-headers").as_deref(),
        Some("*")
    );
}

#[tokio::test]
async fn disallowed_origin_still_gets_the_body_but_no_cors() {
    let response = send(
        &app(),
        actual("GET", "/credentials", Some("https://evil.example")),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "access-control-expose-headers"), None);
}

#[tokio::test]
async fn json_rejection_keeps_cors_headers() {
    let req = json("POST", "/create", APP, "{not json");
    let response = send(&app(), req).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
    assert!(body_text(response).await.contains("JSON"));
}

#[tokio::test]
async fn missing_content_type_rejection_keeps_cors_headers() {
    let mut req = request("POST", "/create", &[("origin", APP)]);
    *req.body_mut() = r#"{"name":"a"}"#.into();
    let response = send(&app(), req).await;
    assert_eq!(response.status(), 415);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn valid_json_reaches_the_handler() {
    let req = json("POST", "/create", APP, r#"{"name":"ada"}"#);
    let response = send(&app(), req).await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(body_text(response).await, "ada");
}

#[tokio::test]
async fn path_and_query_rejections_keep_cors_headers() {
    let response = send(&app(), actual("GET", "/paged/notanumber?page=1", Some(APP))).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );

    let response = send(&app(), actual("GET", "/paged/3?page=x", Some(APP))).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );

    let response = send(&app(), actual("GET", "/paged/3?page=2", Some(APP))).await;
    assert_eq!(body_text(response).await, "3:2");
}

#[tokio::test]
async fn handler_errors_keep_cors_headers() {
    let response = send(&app(), actual("GET", "/failing", Some(APP))).await;
    assert_eq!(response.status(), 500);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(body_text(response).await, "database is down");

    let response = send(&app(), actual("GET", "/needs-header", Some(APP))).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn state_and_header_map_extractors_work() {
    let response = send(&app(), actual("GET", "/stateful", Some(APP))).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(body_text(response).await, "hello 1");
}
