#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

macro_rules! public_endpoint {
    ($name:ident, $body:expr) => {
        #[cors(origins = "*", methods = [GET])]
        async fn $name() -> &'static str {
            $body
        }
    };
}

public_endpoint!(status, "ok");
public_endpoint!(version, "1.0");

fn main() {
    let _: Router = Router::new()
        .route("/status", get(status).options(preflight!(status)))
        .route("/version", get(version).options(preflight!(version)));
}
