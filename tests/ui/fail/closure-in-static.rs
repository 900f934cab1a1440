use cors_runtime::cors;

#[cors(origins = ["https://a.example.com"])]
static HANDLER: fn() -> &'static str = || "hello";

fn main() {}
