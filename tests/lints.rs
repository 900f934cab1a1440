//! The expansion stays quiet under strict user lints: `cargo clippy
//! --all-targets -- -D warnings` (run by CI) checks this file with every
//! lint group below denied.

#![deny(warnings, clippy::all, clippy::pedantic, missing_docs, unreachable_pub)]
#![forbid(unsafe_code)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use cors_runtime::{cors, preflight};

/// Shared state.
#[derive(Clone)]
pub struct AppState {
    name: &'static str,
}

/// A posted item.
#[derive(serde::Deserialize)]
pub struct Item {
    label: String,
}

/// Every key at once.
#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
    methods = [GET, POST, "PURGE"],
    allow_headers = ["content-type", "authorization"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
    crate = "::cors_runtime",
)]
pub async fn items(
    State(state): State<AppState>,
    Path(id): Path<u32>,
    Json(item): Json<Item>,
) -> Result<String, StatusCode> {
    if id == 0 {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(format!("{} {id} {}", state.name, item.label))
}

/// Public and argument-less.
#[cors(origins = "*", methods = [GET], allow_headers = "*", expose_headers = "*", max_age = 0)]
pub async fn status() -> &'static str {
    "ok"
}

/// Seven extractors: with the attribute's own, eight arguments.
#[cors(origins = ["https://app.example.com"])]
#[allow(clippy::too_many_arguments)]
pub async fn many(
    _a: axum::http::HeaderMap,
    _b: axum::http::Method,
    _c: axum::http::Uri,
    _d: axum::http::Version,
    _e: axum::http::HeaderMap,
    _f: axum::http::Method,
    _g: String,
) -> StatusCode {
    StatusCode::NO_CONTENT
}

/// `debug_handler` below `#[cors]`: it checks the function as written. An
/// extractor and no `.await`.
#[cors(origins = ["https://app.example.com"], methods = [POST])]
#[axum::debug_handler]
pub async fn checked_below(Json(value): Json<u32>) -> String {
    value.to_string()
}

/// Named policies, one of them never used.
pub mod policies {
    cors_runtime::policy! {
        /// The browser app.
        pub APP = {
            origins = ["https://app.example.com", env("APP_ORIGINS")],
            allow_headers = ["content-type"],
            credentials = true,
            max_age = 600,
        };

        /// Never used.
        pub(crate) UNUSED = { origins = "*" };
    }
}

/// A named policy with a replaced key.
#[cors(policy = policies::APP, methods = [GET, PUT], max_age = 60)]
pub async fn profile(State(state): State<AppState>) -> String {
    state.name.to_owned()
}

/// `impl IntoResponse`, below `debug_handler`, generic over the state.
#[cors(origins = ["https://app.example.com"], methods = [DELETE])]
#[axum::debug_handler(state = AppState)]
pub async fn removed(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    state.name.to_owned()
}

mod private {
    use cors_runtime::cors;

    /// Never routed: the generated struct must not warn as dead code.
    #[cors(origins = ["https://app.example.com"])]
    pub(crate) async fn unused() {}
}

/// The router.
pub fn app() -> Router {
    Router::new()
        .route(
            "/items/{id}",
            get(items).post(items).options(preflight!(items)),
        )
        .route("/status", get(status).options(preflight!(status)))
        .route("/many", get(many))
        .route("/below", post(checked_below))
        .route("/removed", delete(removed).options(preflight!(removed)))
        .route(
            "/profile",
            get(profile).put(profile).options(preflight!(profile)),
        )
        .with_state(AppState { name: "app" })
}

/// The app's default policy, as a layer: `layer!` stays quiet too.
#[must_use]
pub fn default_layer() -> cors_runtime::PolicyLayer {
    cors_runtime::layer!(
        origins = ["https://app.example.com"],
        methods = [GET, POST],
        credentials = true,
        max_age = 600,
    )
}

/// A named policy as a layer, with a replaced key.
#[must_use]
pub fn assets_layer() -> cors_runtime::PolicyLayer {
    cors_runtime::layer!(policy = policies::APP, methods = [GET, HEAD])
}

#[test]
fn strict_lints_build() {
    let _ = app();
}
