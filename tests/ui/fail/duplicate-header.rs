use cors_runtime::cors;

#[cors(origins = ["https://a.example.com"], allow_headers = ["content-type", "Content-Type"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
