#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*", "http://[::1]:8080"],
    methods = [GET, POST, PUT, PATCH, DELETE, HEAD, "PURGE"],
    allow_headers = ["content-type", "authorization", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
    crate = "::cors_runtime",
)]
async fn everything() -> &'static str {
    "everything"
}

#[cors(origins = "*", methods = [GET], allow_headers = ["*", "authorization"], expose_headers = "*", max_age = 0)]
async fn wildcards() -> &'static str {
    "wildcards"
}

#[cors(origins = "https://single.example.com")]
async fn single_origin_default_methods() -> &'static str {
    "single"
}

fn main() {
    let _: Router = Router::new()
        .route(
            "/everything",
            get(everything)
                .post(everything)
                .options(preflight!(everything)),
        )
        .route("/wildcards", get(wildcards).options(preflight!(wildcards,)))
        .route(
            "/single",
            get(single_origin_default_methods).options(preflight!(single_origin_default_methods)),
        );
}
