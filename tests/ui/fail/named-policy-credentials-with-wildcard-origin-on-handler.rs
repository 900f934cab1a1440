cors_runtime::policy! {
    pub APP = {
        origins = ["https://app.example.com"],
        credentials = true,
    };
}

#[cors_runtime::cors(policy = APP, origins = "*")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
