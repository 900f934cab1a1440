use cors_runtime::cors;

#[cors(origins = ["https://a.example.com"])]
fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
