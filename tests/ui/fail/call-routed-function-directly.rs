use axum::extract::State;
use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn create(State(count): State<u32>, body: String) -> String {
    format!("{count} {body}")
}

#[cors(origins = ["https://app.example.com"])]
async fn status() -> &'static str {
    "ok"
}

// A test that calls the handlers as written, forgetting `without_cors`:
// `create` and `status` are the functions routed, with CORS.
#[allow(dead_code)]
async fn a_test() {
    assert_eq!(create(State(1), "x".to_owned()).await, "1 x");
    assert_eq!(status().await, "ok");
}

fn main() {}
