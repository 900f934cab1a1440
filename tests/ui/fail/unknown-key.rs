use cors_runtime::cors;

#[cors(orgins = ["https://a.example.com"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
