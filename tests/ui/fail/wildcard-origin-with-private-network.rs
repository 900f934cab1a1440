use cors_runtime::cors;

#[cors(origins = "*", private_network = true)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
