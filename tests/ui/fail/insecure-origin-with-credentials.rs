use cors_runtime::cors;

#[cors(origins = ["http://app.example.com", "http://localhost:5173"], credentials = true)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
