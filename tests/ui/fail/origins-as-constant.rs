use cors_runtime::cors;

const APP_ORIGINS: &[&str] = &["https://a.example.com"];

#[cors(origins = APP_ORIGINS)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
