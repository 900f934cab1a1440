#![deny(warnings)]

// The name of a handler stays free for local bindings in its module, as a
// function's name is: `#[cors]` leaves a function under it, never a `const`
// or unit struct, which patterns would match against.

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com"])]
async fn list() -> &'static str {
    "list"
}

fn main() {
    let list_route = get(list).options(preflight!(list));
    for list in ["a", "b"] {
        assert!(!list.is_empty());
    }
    let list = Router::new().route("/", list_route);
    let _: Router = list;
}
