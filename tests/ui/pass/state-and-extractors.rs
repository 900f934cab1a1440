#![deny(warnings)]

use std::collections::HashMap;

use axum::extract::{FromRef, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use cors_runtime::{cors, preflight};

#[derive(Clone)]
struct AppState {
    db: Db,
}

#[derive(Clone)]
struct Db;

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

#[derive(serde::Deserialize)]
struct Input {
    name: String,
}

#[cors(origins = ["https://app.example.com"], methods = [POST], allow_headers = ["content-type"])]
async fn create(
    State(_db): State<Db>,
    Path(id): Path<u32>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(input): Json<Input>,
) -> Result<(StatusCode, String), StatusCode> {
    let _ = (query, headers);
    Ok((StatusCode::CREATED, format!("{id} {}", input.name)))
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn with_state(State(state): State<AppState>, body: String) -> String {
    let _ = state.db;
    body
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn generic<T: Clone + Send + Sync + 'static>(State(_state): State<T>) -> &'static str {
    "generic"
}

fn main() {
    let _: Router = Router::new()
        .route("/items/{id}", post(create).options(preflight!(create)))
        .route("/state", get(with_state).options(preflight!(with_state)))
        .route("/generic", get(generic::<AppState>))
        .with_state(AppState { db: Db });
}
