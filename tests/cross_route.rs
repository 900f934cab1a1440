//! A preflight is answered by the policies of its own path only. A
//! `preflight!` layer on another route, which has not served a request yet
//! (so its path is not known), never lends its policy to this path: if it
//! did, the browser would send a request that this path's own policies
//! refuse, to a handler without a policy or outside the `preflight!` list.
//!
//! Each test builds its own router: `preflight!` layers are known process
//! wide, so tests in one binary run beside each other's layers, as the
//! routes of one application do.

use axum::routing::{get, post, put};
use axum::Router;
use cors_attr_tests::{grants, preflight, send};
use cors_runtime::{cors, preflight, MethodRouterExt as _};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"], methods = [PUT], allow_headers = ["content-type"])]
async fn replace() -> &'static str {
    "replaced"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn read() -> &'static str {
    "read"
}

/// Routed beside `replace` and `read`, without a policy of its own.
async fn unannotated() -> &'static str {
    "no policy"
}

#[cors(origins = ["https://app.example.com"], methods = [POST, DELETE], allow_headers = ["content-type"])]
async fn upload() -> &'static str {
    "uploaded"
}

fn app() -> Router {
    Router::new()
        .route(
            "/options",
            put(replace).post(unannotated).options(preflight!(replace)),
        )
        .route(
            "/layered",
            get(read)
                .delete(unannotated)
                .preflight_layer(preflight!(read)),
        )
        // Another route, with its own layer.
        .route(
            "/upload",
            post(upload)
                .delete(upload)
                .preflight_layer(preflight!(upload)),
        )
}

#[tokio::test]
async fn an_options_preflight_is_never_granted_by_another_routes_layer() {
    let response = send(
        &app(),
        preflight("/options", APP, "POST", Some("content-type")),
    )
    .await;
    assert!(
        !grants(&response, "POST"),
        "`/upload`'s policy granted a POST on `/options`, whose own policy does not list it: {:?}",
        response.headers()
    );
}

#[tokio::test]
async fn a_layered_preflight_is_never_granted_by_another_routes_layer() {
    let response = send(&app(), preflight("/layered", APP, "DELETE", None)).await;
    assert!(
        !grants(&response, "DELETE"),
        "`/upload`'s policy granted a DELETE on `/layered`, whose own policy does not list it: {:?}",
        response.headers()
    );
}
