use axum::extract::State;
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://a.example.com"], methods = [GET, POST])]
async fn list<S: Clone + Send + Sync + 'static>(State(_state): State<S>) -> &'static str {
    "list"
}

#[cors(origins = ["https://b.example.com"], methods = [POST])]
async fn create<S: Clone + Send + Sync + 'static>(State(_state): State<S>) -> &'static str {
    "create"
}

// Inside a function generic over the state, the overlap is found when the
// function is compiled for a state: by `cargo build`, not `cargo check`.
fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(
        "/",
        get(list::<S>).post(create::<S>).options(preflight!(list::<S>, create::<S>)),
    )
}

fn main() {
    let _: Router = routes::<()>().with_state(());
}
