//! `#[utoipa::path]` composes with `#[cors]` in either order: the handler
//! is documented under its own name, routed by `utoipa_axum::routes!`, and
//! keeps its CORS headers.

use axum::http::StatusCode;
use cors_attr_tests::{header, request, send};
use cors_runtime::cors;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Lists the items.
#[utoipa::path(get, path = "/items", responses((status = 200, description = "the items")))]
#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn list_items() -> &'static str {
    "[]"
}

/// Creates an item.
#[cors(origins = ["https://app.example.com"], methods = [POST])]
#[utoipa::path(post, path = "/items", responses((status = 201, description = "created")))]
async fn create_item() -> StatusCode {
    StatusCode::CREATED
}

#[derive(OpenApi)]
struct Api;

#[tokio::test]
async fn utoipa_path_above_and_below_cors() {
    let (router, api) = OpenApiRouter::with_openapi(Api::openapi())
        .routes(routes!(list_items, create_item))
        .split_for_parts();
    let json = api.to_json().unwrap();
    assert!(json.contains("\"operationId\":\"list_items\""), "{json}");
    assert!(json.contains("\"operationId\":\"create_item\""), "{json}");

    let response = send(
        &router,
        request("GET", "/items", &[("origin", "https://app.example.com")]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://app.example.com")
    );
    let response = send(
        &router,
        request("POST", "/items", &[("origin", "https://app.example.com")]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://app.example.com")
    );
}
