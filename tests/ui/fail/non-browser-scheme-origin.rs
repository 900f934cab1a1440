use cors_runtime::cors;

#[cors(origins = ["javascript://x", "data://x", "blob:https://a.example.com", "about:blank", "ws://a.example.com", "wss://a.example.com"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
