use cors_runtime::cors;

#[cors(origins = ["https://[1.2.3.4]", "https://[::1::2]", "https://[0:0:0:0:0:0:0:1]"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
