// `preflight!` as a layer goes on one route's method router
// (`.preflight_layer(...)`); on a whole `Router` it would lend `status`'s
// policy to `/private`.
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(origins = "*", methods = [GET])]
async fn status() -> &'static str {
    "ok"
}

async fn private() -> &'static str {
    "secret"
}

fn main() {
    let _app: Router = Router::new()
        .route("/status", get(status))
        .route("/private", get(private))
        .layer(preflight!(status));
}
