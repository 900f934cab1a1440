use axum::extract::State;
use cors_runtime::cors;

struct NotAResponse;

// A generic handler keeps the function as written in `without_cors`; the
// error is still on the return type.
#[cors(origins = ["https://a.example.com"])]
async fn handler<S: Clone + Send + Sync + 'static>(State(_state): State<S>) -> NotAResponse {
    NotAResponse
}

fn main() {}
