// A generic handler is named in `preflight!` as it is routed, with a
// concrete type or with the parameters of a generic router function.
#![deny(warnings)]

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use cors_runtime::{cors, preflight, MethodRouterExt as _};

trait Repo: Clone + Send + Sync + 'static {
    fn all(&self) -> Vec<String>;
}

#[derive(Clone)]
struct MemRepo;

impl Repo for MemRepo {
    fn all(&self) -> Vec<String> {
        Vec::new()
    }
}

mod api {
    use super::*;

    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    pub async fn list<R: Repo>(State(repo): State<R>) -> Json<Vec<String>> {
        Json(repo.all())
    }

    #[cors(origins = ["https://app.example.com"], methods = [POST])]
    pub async fn create<R: Repo>(State(repo): State<R>) -> String {
        repo.all().len().to_string()
    }
}

fn routes<R: Repo>() -> Router<R> {
    Router::new().route(
        "/generic",
        get(api::list::<R>)
            .post(api::create::<R>)
            .options(preflight!(api::list::<R>, api::create::<R>)),
    )
}

fn main() {
    let _: Router = routes::<MemRepo>()
        .route(
            "/items",
            get(api::list::<MemRepo>).options(preflight!(api::list::<MemRepo>)),
        )
        .route(
            "/layered",
            get(api::list::<MemRepo>).preflight_layer(preflight!(api::list::<MemRepo>)),
        )
        .with_state(MemRepo);
}
