cors_runtime::policy! {
    pub APP = {
        origins = ["https://app.example.com/"],
        max_age = 604800,
    };
}

#[cors_runtime::cors(policy = APP)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
