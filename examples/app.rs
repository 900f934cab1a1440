//! A backend shaped like a real one: shared state, a bearer-token auth
//! middleware, a body limit, handlers in modules, an error type, and the
//! CORS placement for routes with their own middleware:
//! `.route_layer(auth).preflight_layer(preflight!(...))`.
//!
//! ```sh
//! cargo run --example app            # listens on 127.0.0.1:3002 (PORT overrides)
//! curl -i -X OPTIONS localhost:3002/api/notes -H 'Origin: https://app.example.com' \
//!      -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: authorization, content-type'
//! curl -i localhost:3002/api/notes -H 'Origin: https://app.example.com'      # 401, readable by the page
//! curl -i localhost:3002/api/notes -H 'Origin: https://app.example.com' -H 'Authorization: Bearer demo-token'
//! cargo test --example app           # the unit tests at the bottom call handlers directly
//! ```

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::MethodRouterExt as _;
use tower_http::limit::RequestBodyLimitLayer;

/// What every handler shares.
#[derive(Clone, Default)]
pub struct AppState {
    notes: Arc<RwLock<Vec<notes::Note>>>,
    /// Bearer token -> user name.
    tokens: Arc<HashMap<String, String>>,
}

impl AppState {
    fn with_demo_token() -> Self {
        Self {
            tokens: Arc::new(HashMap::from([("demo-token".into(), "demo".into())])),
            ..Self::default()
        }
    }
}

/// The application's error, turned into a status and a message.
#[derive(Debug, PartialEq, Eq)]
pub enum AppError {
    NotFound,
    Invalid(&'static str),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "not found").into_response(),
            Self::Invalid(why) => (StatusCode::UNPROCESSABLE_ENTITY, why).into_response(),
        }
    }
}

/// Lets a request through when its bearer token is known; the preflight
/// never reaches it (the `preflight!` layer answers first).
async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match token {
        Some(token) if state.tokens.contains_key(token) => next.run(request).await,
        Some(_) => StatusCode::FORBIDDEN.into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

mod notes {
    use axum::extract::{Path, State};
    use axum::http::StatusCode;
    use axum::Json;
    use cors_runtime::cors;
    use serde::{Deserialize, Serialize};

    use crate::{AppError, AppState};

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Note {
        pub text: String,
    }

    #[cors(
        origins = ["https://app.example.com", "http://localhost:5173"],
        methods = [GET],
        allow_headers = ["authorization"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn list(State(state): State<AppState>) -> Json<Vec<Note>> {
        Json(state.notes.read().unwrap().clone())
    }

    #[cors(
        origins = ["https://app.example.com", "http://localhost:5173"],
        methods = [POST],
        allow_headers = ["authorization", "content-type"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn create(
        State(state): State<AppState>,
        Json(note): Json<Note>,
    ) -> Result<(StatusCode, Json<Note>), AppError> {
        if note.text.trim().is_empty() {
            return Err(AppError::Invalid("a note needs text"));
        }
        state.notes.write().unwrap().push(note.clone());
        Ok((StatusCode::CREATED, Json(note)))
    }

    #[cors(
        origins = ["https://app.example.com", "http://localhost:5173"],
        methods = [GET],
        allow_headers = ["authorization"],
        credentials = true,
    )]
    pub async fn one(
        State(state): State<AppState>,
        Path(index): Path<usize>,
    ) -> Result<Json<Note>, AppError> {
        let notes = state.notes.read().unwrap();
        notes
            .get(index)
            .cloned()
            .map(Json)
            .ok_or(AppError::NotFound)
    }
}

mod health {
    use cors_runtime::cors;

    #[cors(origins = "*", methods = [GET], max_age = 86400)]
    pub async fn status() -> &'static str {
        "ok"
    }
}

/// The router: each authenticated route takes its middleware with
/// `route_layer`, then `preflight!` as its outer layer, so preflights skip
/// auth and a 401 or 413 reaches the page with CORS headers.
pub fn app(state: AppState) -> Router {
    let auth = middleware::from_fn_with_state(state.clone(), require_token);
    Router::new()
        .route(
            "/api/notes",
            get(notes::list)
                .post(notes::create)
                .route_layer(auth.clone())
                .route_layer(RequestBodyLimitLayer::new(4 * 1024))
                .preflight_layer(cors_runtime::preflight!(notes::list, notes::create)),
        )
        .route(
            "/api/notes/{index}",
            get(notes::one)
                .route_layer(auth)
                .preflight_layer(cors_runtime::preflight!(notes::one)),
        )
        .route(
            "/health",
            get(health::status).options(cors_runtime::preflight!(health::status)),
        )
        .with_state(state)
}

#[tokio::main]
async fn main() {
    if let Err(error) = cors_runtime::init() {
        eprintln!("{error}");
        std::process::exit(1);
    }
    let port = std::env::var("PORT").unwrap_or_else(|_| "3002".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .expect("port free");
    println!("listening on http://127.0.0.1:{port} (token: demo-token)");
    axum::serve(listener, app(AppState::with_demo_token()))
        .await
        .expect("server runs");
}

#[cfg(test)]
mod tests {
    use axum::extract::{Path, State};
    use axum::http::StatusCode;
    use axum::Json;

    use super::notes::{self, Note};
    use super::{AppError, AppState};

    // Handlers are called as written, through `without_cors`.
    #[tokio::test]
    async fn create_stores_the_note() {
        let state = AppState::default();
        let note = Note {
            text: "buy milk".into(),
        };
        let result = notes::create::without_cors(State(state.clone()), Json(note.clone())).await;
        assert_eq!(
            result.map(|(status, Json(n))| (status, n)),
            Ok((StatusCode::CREATED, note.clone()))
        );
        let Json(listed) = notes::list::without_cors(State(state.clone())).await;
        assert_eq!(listed, [note]);
    }

    #[tokio::test]
    async fn errors_are_the_handlers_own() {
        let state = AppState::default();
        let empty = Note { text: " ".into() };
        assert_eq!(
            notes::create::without_cors(State(state.clone()), Json(empty))
                .await
                .err(),
            Some(AppError::Invalid("a note needs text"))
        );
        assert_eq!(
            notes::one::without_cors(State(state), Path(3)).await.err(),
            Some(AppError::NotFound)
        );
    }
}
