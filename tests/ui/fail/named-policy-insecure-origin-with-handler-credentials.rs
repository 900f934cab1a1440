cors_runtime::policy! {
    pub APP = {
        origins = ["http://app.example.com"],
    };
}

// Fine alone; with the handler's `credentials = true` the plain-http
// origin is refused, on the declaration's token.
#[cors_runtime::cors(policy = APP, credentials = true)]
async fn handler() -> &'static str {
    "hello"
}

#[cors_runtime::cors(policy = APP)]
async fn fine() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler).post(fine);
}
