#[cors_runtime::cors(policy = [APP, ADMIN], methods = [GETT])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
