#![deny(warnings)]

// A generic app: the router is built in a function generic over the
// repository, and `preflight!` names the handler with that parameter.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use cors_runtime::{cors, preflight};

trait Repo: Clone + Send + Sync + 'static {
    fn all(&self) -> Vec<String>;
}

#[derive(Clone)]
struct MemRepo;

impl Repo for MemRepo {
    fn all(&self) -> Vec<String> {
        vec!["a".to_owned()]
    }
}

#[cors(origins = ["https://app.example.com"])]
async fn list<R: Repo>(State(repo): State<R>) -> Json<Vec<String>> {
    Json(repo.all())
}

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn create<R: Repo>(State(repo): State<R>) -> String {
    repo.all().len().to_string()
}

fn routes<R: Repo>() -> Router<R> {
    Router::new().route(
        "/items",
        get(list::<R>)
            .post(create::<R>)
            .options(preflight!(list::<R>, create::<R>)),
    )
}

fn main() {
    let _: Router = routes::<MemRepo>().with_state(MemRepo);
}
