use std::rc::Rc;

use axum::routing::get;
use axum::Router;
use cors_runtime::cors;

async fn elsewhere() {}

#[cors(origins = ["https://app.example.com"])]
async fn counter() -> String {
    let count = Rc::new(1);
    elsewhere().await;
    count.to_string()
}

fn main() {
    let _: Router = Router::new().route("/", get(counter));
}
