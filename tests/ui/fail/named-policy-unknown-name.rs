use cors_runtime::{cors, preflight};

#[cors(policy = NOWHERE, methods = [GET])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter =
        axum::routing::get(handler).options(preflight!(handler));
}
