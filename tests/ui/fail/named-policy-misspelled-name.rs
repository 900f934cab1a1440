use cors_runtime::{cors, policy, preflight};

policy! {
    pub APP = { origins = ["https://app.example.com"] };
}

#[cors(policy = APPP, methods = [GET])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter =
        axum::routing::get(handler).options(preflight!(handler));
}
