use cors_runtime::cors;

#[cors(origins = ["http://::1:8080"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
