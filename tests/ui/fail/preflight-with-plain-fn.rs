use axum::routing::get;
use axum::Router;
use cors_runtime::preflight;

// Forgot `#[cors(...)]`: a plain handler has no policy to answer with.
async fn plain() -> &'static str {
    "plain"
}

fn main() {
    let _: Router = Router::new().route("/plain", get(plain).options(preflight!(plain)));
}
