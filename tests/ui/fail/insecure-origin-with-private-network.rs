use cors_runtime::cors;

#[cors(origins = ["http://intranet.example.com"], private_network = true)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
