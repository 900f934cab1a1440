#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com", env("APP_ORIGINS")], methods = [GET])]
async fn mixed() -> &'static str {
    "mixed"
}

#[cors(origins = env("ONLY_FROM_ENV"), methods = [GET])]
async fn only_env() -> &'static str {
    "only"
}

fn main() {
    let _ = cors_runtime::init();
    let _: Router = Router::new()
        .route("/mixed", get(mixed).options(preflight!(mixed)))
        .route("/only", get(only_env).options(preflight!(only_env)));
}
