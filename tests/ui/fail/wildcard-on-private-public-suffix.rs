use cors_runtime::cors;

#[cors(origins = ["https://*.trycloudflare.com", "https://*.azureedge.net", "https://*.ngrok.app"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
