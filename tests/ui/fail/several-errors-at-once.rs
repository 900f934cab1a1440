use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

// Every mistake is reported in one compile, and the handler is still
// emitted: the router below type-checks.
#[cors(
    origins = ["https://a.example.com/", "null"],
    methods = [get, OPTIONS],
    allow_headers = ["cookie"],
    max_age = -5,
    colour = "blue",
)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: Router = Router::new().route("/", get(handler).options(preflight!(handler)));
}
