#![deny(warnings)]

mod web {
    pub use cors_runtime as cors;
}

use axum::routing::get;
use axum::Router;
use web::cors::preflight;

#[web::cors::cors(origins = ["https://app.example.com"], crate = "crate::web::cors")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: Router = Router::new().route("/", get(handler).options(preflight!(handler)));
}
