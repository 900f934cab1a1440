use axum::extract::FromRequestParts;
use cors_runtime::cors;

// axum cannot route a function generic in an argument it cannot name.
#[cors(origins = ["https://app.example.com"])]
async fn handler(_extractor: impl FromRequestParts<()>) -> &'static str {
    "hello"
}

fn main() {}
