cors_runtime::policy! {
    pub APP = {
        origins = ["https://app.example.com"],
        allow_headers = "*",
        expose_headers = "*",
    };
}

// The handler's `credentials = true` makes the declaration's wildcards wrong.
#[cors_runtime::cors(policy = APP, credentials = true, max_age = 90000)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
