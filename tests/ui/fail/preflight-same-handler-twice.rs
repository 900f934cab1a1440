use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com"])]
async fn items() -> &'static str {
    "items"
}

fn main() {
    let _: Router = Router::new().route("/", get(items).options(preflight!(items, items)));
}
