use cors_runtime::cors;

struct Api;

impl Api {
    #[cors(origins = ["https://a.example.com"])]
    async fn handler(&self) -> &'static str {
        "hello"
    }
}

fn main() {}
