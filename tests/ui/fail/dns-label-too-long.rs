use cors_runtime::cors;

#[cors(origins = ["https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
