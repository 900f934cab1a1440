use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

// `debug_handler` above `#[cors]` calls the function routed under the
// handler's name as the handler is written, here without arguments; the
// routed function reads the request. Below `#[cors]` it works.
#[axum::debug_handler]
#[cors(origins = ["https://app.example.com"])]
async fn status() -> &'static str {
    "ok"
}

fn main() {
    let _: Router = Router::new().route("/status", get(status).options(preflight!(status)));
}
