// A `policy!` declaration is reachable within its own crate only: the
// support library declares `SHARED`, and this crate cannot use it.
#[cors_runtime::cors(policy = cors_attr_tests::SHARED)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
