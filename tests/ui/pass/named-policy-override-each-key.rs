#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, policy, preflight};

policy! {
    pub APP = {
        origins = ["https://app.example.com"],
        methods = [GET],
        allow_headers = ["content-type"],
        expose_headers = ["x-request-id"],
        credentials = true,
        max_age = 600,
        private_network = true,
    };
}

#[cors(policy = APP, origins = ["https://other.example.com", env("OTHER_ORIGINS")])]
async fn origins() {}

#[cors(policy = APP, methods = [POST, "PURGE"])]
async fn methods() {}

#[cors(policy = APP, allow_headers = ["x-token"])]
async fn allow_headers() {}

#[cors(policy = APP, expose_headers = ["x-other"])]
async fn expose_headers() {}

// Without credentials, wildcards become possible.
#[cors(policy = APP, credentials = false, origins = "*", allow_headers = "*", expose_headers = "*", private_network = false)]
async fn credentials() {}

#[cors(policy = APP, max_age = 0)]
async fn max_age() {}

#[cors(policy = APP, private_network = false)]
async fn private_network() {}

#[cors(policy = APP, cross_origin_protection = false)]
async fn cross_origin_protection() {}

#[cors(policy = APP, crate = "::cors_runtime")]
async fn krate() {}

fn main() {
    let _: Router = Router::new()
        .route("/origins", get(origins).options(preflight!(origins)))
        .route(
            "/methods",
            get(allow_headers)
                .post(methods)
                .options(preflight!(methods, allow_headers)),
        )
        .route(
            "/expose",
            get(expose_headers).options(preflight!(expose_headers)),
        )
        .route(
            "/credentials",
            get(credentials).options(preflight!(credentials)),
        )
        .route("/max-age", get(max_age).options(preflight!(max_age)))
        .route(
            "/pna",
            get(private_network).options(preflight!(private_network)),
        )
        .route(
            "/cop",
            get(cross_origin_protection).options(preflight!(cross_origin_protection)),
        )
        .route("/krate", get(krate).options(preflight!(krate)));
}
