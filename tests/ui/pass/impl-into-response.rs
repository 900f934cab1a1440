#![deny(warnings)]

// The most common axum return type, `impl IntoResponse`, routed and
// called directly.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com"])]
async fn status() -> impl IntoResponse {
    (StatusCode::ACCEPTED, "ok")
}

fn main() {
    let direct = status::without_cors();
    drop(direct);
    let _: Router = Router::new().route("/", get(status).options(preflight!(status)));
}
