use cors_runtime::cors;

#[cors(origins = ["https://App.Example.com"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
