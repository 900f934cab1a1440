use cors_runtime::cors;

#[cors(origins = ["file:///home/me/index.html"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
