use axum::routing::get;
use axum::Router;
use cors_runtime::Preflight;

async fn items() -> &'static str {
    "items"
}

fn main() {
    let _: Router = Router::new().route("/", get(items).options(Preflight::<0>::new([])));
}
