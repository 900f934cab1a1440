use cors_runtime::cors;

struct NotAResponse;

#[cors(origins = ["https://a.example.com"])]
async fn handler() -> NotAResponse {
    NotAResponse
}

fn main() {}
