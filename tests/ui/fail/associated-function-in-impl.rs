use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

struct Api;

impl Api {
    // No `self`, so it could be a handler, but `#[cors]` also puts a
    // struct under the handler's name, which an `impl` block cannot hold.
    #[cors(origins = ["https://app.example.com"])]
    async fn list() -> &'static str {
        "list"
    }
}

fn main() {
    let _: Router = Router::new().route("/", get(Api::list).options(preflight!(Api::list)));
}
