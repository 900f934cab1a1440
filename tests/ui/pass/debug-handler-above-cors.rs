// `debug_handler` above `#[cors]` checks the function routed under the
// handler's name, which takes as many arguments as the handler as written.
// (Under `clippy::pedantic`, `debug_handler` trips `diverging_sub_expression`
// and `unused_async` in this order as it does on a plain handler; below
// `#[cors]` it does not: see `tests/lints.rs`.)
#![deny(warnings)]

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use cors_runtime::{cors, preflight};

#[derive(Clone)]
struct AppState;

#[axum::debug_handler]
#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn create(State(_): State<AppState>, Json(value): Json<u32>) -> String {
    value.to_string()
}

fn main() {
    let _: Router = Router::new()
        .route("/", post(create).options(preflight!(create)))
        .with_state(AppState);
}
