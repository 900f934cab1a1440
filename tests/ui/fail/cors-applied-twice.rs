use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"])]
#[cors(origins = ["https://admin.example.com"])]
async fn items() -> &'static str {
    "items"
}

fn main() {}
