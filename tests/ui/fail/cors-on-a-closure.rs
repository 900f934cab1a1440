use axum::routing::get;
use axum::Router;
use cors_runtime::cors;

fn main() {
    let _: Router = Router::new().route(
        "/",
        get(#[cors(origins = ["https://a.example.com"])] || async { "hello" }),
    );
}
