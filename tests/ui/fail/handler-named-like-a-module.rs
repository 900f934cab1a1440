use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

mod users {
    pub fn count() -> usize {
        2
    }
}

// `#[cors]` puts a struct named `users` beside the function, for
// `users::without_cors`; the module already has the name.
#[cors(origins = ["https://app.example.com"])]
async fn users() -> String {
    users::count().to_string()
}

fn main() {
    let _: Router = Router::new().route("/users", get(users).options(preflight!(users)));
}
