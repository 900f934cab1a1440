//! A backend shaped like a real one: shared state, a bearer-token auth
//! middleware, a body limit, handlers in modules, an error type, and the
//! CORS placement for routes with their own middleware:
//! `.route_layer(auth).preflight_layer(preflight!(...))`.
//!
//! Around it, what real apps put on the whole router, and the app's
//! default policy outermost, `.layer(layer!(APP))`, for every response no
//! annotated handler decided: an RPC router behind a router-wide session
//! `route_layer`, an error mapper that rebuilds every error response
//! (`map_response`), a `TimeoutLayer`, static files for a partner site
//! (`ServeDir` with its own `layer!`), a closure route and a fallback.
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
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use cors_runtime::MethodRouterExt as _;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

cors_runtime::policy! {
    /// The browser app: its production and development origins.
    pub APP = {
        origins = ["https://app.example.com", "http://localhost:5173"],
        allow_headers = ["authorization", "content-type", "x-session"],
        credentials = true,
        max_age = 600,
    };

    /// Partner sites that embed our static assets.
    pub PARTNERS = { origins = ["https://partner.example.net"], methods = [GET, HEAD] };
}

/// What every handler shares.
#[derive(Clone, Default)]
pub struct AppState {
    notes: Arc<RwLock<Vec<notes::Note>>>,
    /// Bearer token -> user name.
    tokens: Arc<HashMap<String, String>>,
    /// How long building an export takes.
    export_time: Duration,
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

/// The RPC endpoint: one `POST`, behind the router-wide session check
/// (rust-web-app's shape).
mod rpc {
    use axum::Json;
    use cors_runtime::cors;
    use serde_json::Value;

    #[cors(policy = crate::APP, methods = [POST])]
    pub async fn call(Json(request): Json<Value>) -> Json<Value> {
        Json(serde_json::json!({ "result": request["method"] }))
    }
}

/// The router-wide session check of the RPC router: answers `401` before
/// any route, preflights included (the app's default then answers those).
async fn require_session(request: Request, next: Next) -> Response {
    if request.headers().contains_key("x-session") {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

/// Rebuilds every error response as JSON, dropping the original's
/// headers, as real error mappers do.
async fn to_json_errors(response: Response) -> Response {
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let body = serde_json::json!({ "error": status.canonical_reason().unwrap_or("error") });
    (status, axum::Json(body)).into_response()
}

mod exports {
    use axum::extract::State;
    use cors_runtime::cors;

    use crate::AppState;

    #[cors(policy = crate::APP, methods = [GET])]
    pub async fn build(State(state): State<AppState>) -> &'static str {
        tokio::time::sleep(state.export_time).await;
        "export"
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
/// auth and a 401 or 413 reaches the page with CORS headers. Around the
/// whole app, the app's default policy comes last, outermost.
pub fn app(state: AppState) -> Router {
    app_with_timeout(state, Duration::from_secs(10))
}

/// [`app`] with the time after which a request is answered `408`.
pub fn app_with_timeout(state: AppState, timeout: Duration) -> Router {
    let rpc = Router::new()
        .route(
            "/rpc",
            post(rpc::call).options(cors_runtime::preflight!(rpc::call)),
        )
        .route_layer(middleware::from_fn(require_session));
    let assets = Router::new()
        .nest_service(
            "/assets",
            ServeDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/docs")),
        )
        .layer(cors_runtime::layer!(PARTNERS));
    api(state)
        .merge(rpc)
        .route("/version", get(|| async { env!("CARGO_PKG_VERSION") }))
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::map_response(to_json_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        // The methods the front end uses anywhere: what the default grants
        // where no handler decided (a preflight the session check stopped).
        .layer(cors_runtime::layer!(APP, methods = [GET, POST]))
        // Merged after the default: the partner assets keep their own policy.
        .merge(assets)
}

/// The REST API.
fn api(state: AppState) -> Router {
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
            "/api/export",
            get(exports::build).options(cors_runtime::preflight!(exports::build)),
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

    use std::time::Duration;

    use axum::body::Body;
    use axum::http::Request;
    use axum::response::Response;
    use tower::ServiceExt;

    use super::notes::{self, Note};
    use super::{app, app_with_timeout, AppError, AppState};

    const APP: &str = "https://app.example.com";
    const PARTNER: &str = "https://partner.example.net";
    const EVIL: &str = "https://evil.example.net";

    async fn send(
        app: axum::Router,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        app.oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn allow_origin(response: &Response) -> Option<&str> {
        response
            .headers()
            .get("access-control-allow-origin")
            .map(|value| value.to_str().unwrap())
    }

    /// Every kind of response the app gives, from the front end's origin
    /// and from another: readable by the first only.
    #[tokio::test]
    async fn every_response_carries_the_policy_that_decided_it() {
        let slow = AppState {
            export_time: Duration::from_secs(5),
            ..AppState::with_demo_token()
        };
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], StatusCode);
        let cases: [Case; 7] = [
            // An annotated handler behind its own auth route layer.
            (
                "GET",
                "/api/notes",
                &[("authorization", "Bearer demo-token")],
                StatusCode::OK,
            ),
            ("GET", "/api/notes", &[], StatusCode::UNAUTHORIZED),
            // Router-wide session check, rebuilt by the error mapper.
            (
                "POST",
                "/rpc",
                &[("sec-fetch-site", "same-site")],
                StatusCode::UNAUTHORIZED,
            ),
            // The error mapper's rebuilt 404 of the handler itself.
            (
                "GET",
                "/api/notes/7",
                &[("authorization", "Bearer demo-token")],
                StatusCode::NOT_FOUND,
            ),
            // The timeout.
            ("GET", "/api/export", &[], StatusCode::REQUEST_TIMEOUT),
            // A closure route and the fallback.
            ("GET", "/version", &[], StatusCode::OK),
            ("GET", "/nowhere", &[], StatusCode::NOT_FOUND),
        ];
        for (method, path, headers, status) in cases {
            for (origin, readable) in [(APP, true), (EVIL, false)] {
                let mut all = headers.to_vec();
                all.push(("origin", origin));
                let app = app_with_timeout(slow.clone(), Duration::from_millis(100));
                let response = send(app, method, path, &all).await;
                let expected = if origin == EVIL && method == "POST" {
                    // A cross-origin write from a refused origin: the
                    // default refuses it before the session check.
                    StatusCode::FORBIDDEN
                } else {
                    status
                };
                assert_eq!(response.status(), expected, "{method} {path} from {origin}");
                assert_eq!(
                    allow_origin(&response),
                    readable.then_some(origin),
                    "{method} {path} from {origin}"
                );
                assert!(
                    response
                        .headers()
                        .get_all("vary")
                        .iter()
                        .any(|v| v.to_str().unwrap().contains("Origin")),
                    "{method} {path} from {origin}"
                );
            }
        }
    }

    /// The RPC preflight meets the router-wide session check, which answers
    /// `401`: the app's default answers it instead.
    #[tokio::test]
    async fn a_preflight_stopped_by_router_wide_auth_gets_the_default() {
        let response = send(
            app(AppState::default()),
            "OPTIONS",
            "/rpc",
            &[
                ("origin", APP),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type, x-session"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_eq!(allow_origin(&response), Some(APP));
    }

    /// Static files for partners, under their own policy.
    #[tokio::test]
    async fn partner_assets_are_readable_by_partners_only() {
        let response = send(
            app(AppState::default()),
            "GET",
            "/assets/demo.png",
            &[("origin", PARTNER)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(allow_origin(&response), Some(PARTNER));
        let response = send(
            app(AppState::default()),
            "GET",
            "/assets/demo.png",
            &[("origin", APP)],
        )
        .await;
        assert_eq!(allow_origin(&response), None);
    }

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
