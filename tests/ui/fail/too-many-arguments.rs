use cors_runtime::cors;

#[cors(origins = ["https://a.example.com"])]
async fn handler(
    _a0: axum::http::HeaderMap,
    _a1: axum::http::HeaderMap,
    _a2: axum::http::HeaderMap,
    _a3: axum::http::HeaderMap,
    _a4: axum::http::HeaderMap,
    _a5: axum::http::HeaderMap,
    _a6: axum::http::HeaderMap,
    _a7: axum::http::HeaderMap,
    _a8: axum::http::HeaderMap,
    _a9: axum::http::HeaderMap,
    _a10: axum::http::HeaderMap,
    _a11: axum::http::HeaderMap,
    _a12: axum::http::HeaderMap,
    _a13: axum::http::HeaderMap,
    _a14: axum::http::HeaderMap,
    _a15: axum::http::HeaderMap,
    _a16: axum::http::HeaderMap,
) -> &'static str {
    "hello"
}

fn main() {}
