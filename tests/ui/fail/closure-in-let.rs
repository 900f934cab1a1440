use cors_runtime::cors;

fn main() {
    #[cors(origins = ["https://a.example.com"])]
    let handler = || async { "hello" };
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}
