use cors_runtime::cors;

const MAX_AGE: u32 = 600;

#[cors(origins = ["https://a.example.com"], max_age = MAX_AGE)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
