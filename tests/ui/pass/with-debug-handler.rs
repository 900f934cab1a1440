#![deny(warnings)]

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[derive(Clone)]
struct AppState;

// `debug_handler` checks the handler as written: `#[cors]` hands it the
// original function.
#[cors(origins = ["https://app.example.com"])]
#[axum::debug_handler]
async fn checked(State(_): State<AppState>) -> &'static str {
    "checked"
}

fn main() {
    let _: Router = Router::new()
        .route("/", get(checked).options(preflight!(checked)))
        .with_state(AppState);
}
