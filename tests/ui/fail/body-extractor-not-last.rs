use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn create(Json(value): Json<u32>, _headers: HeaderMap) -> String {
    value.to_string()
}

fn main() {
    let _: Router = Router::new().route("/", post(create));
}
