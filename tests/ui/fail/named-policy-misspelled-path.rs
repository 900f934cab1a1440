mod cors {
    cors_runtime::policy! {
        pub APP = { origins = ["https://app.example.com"] };
    }
}

#[cors_runtime::cors(policy = crate::cors::APPP)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
