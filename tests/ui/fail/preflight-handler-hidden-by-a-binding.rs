use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com"])]
async fn users() -> &'static str {
    "[]"
}

fn main() {
    // `preflight!` takes the function, as `get(...)` does: this binding
    // hides it.
    let users = get(users);
    let _: Router = Router::new().route("/users", users.options(preflight!(users)));
}
