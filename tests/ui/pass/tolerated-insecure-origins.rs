#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

// A lab network without TLS: plain `http` with credentials and private
// network access, accepted only because the policy says so explicitly.
#[cors(
    origins = ["http://intranet.example.com", "http://*.lab.example.com", env("LAB_ORIGINS")],
    credentials = true,
    private_network = true,
    dangerously_tolerate_insecure_origins = true,
)]
async fn lab() -> &'static str {
    "lab"
}

// Loopback is a secure context even over `http`: no opt-in needed.
#[cors(origins = ["http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000", "http://app.localhost"], credentials = true)]
async fn local() -> &'static str {
    "local"
}

fn main() {
    let _: Router = Router::new()
        .route("/lab", get(lab).options(preflight!(lab)))
        .route("/local", get(local).options(preflight!(local)));
}
