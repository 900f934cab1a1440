use cors_runtime::cors;

#[cors(origins = ["https://a.example.com"])]
struct Handler;

fn main() {}
