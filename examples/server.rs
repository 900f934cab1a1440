//! Per-endpoint CORS policies on one axum server.
//!
//! ```text
//! cargo run --example server          # http://127.0.0.1:3000, PORT overrides
//! ```
//!
//! Each endpoint carries the policy it needs, not one policy for the app:
//!
//! - `GET /api/status` is public: any origin, cached for a day;
//! - `GET/PUT /api/profile` is the app's: its origins only, with cookies;
//! - `DELETE /api/users/{id}` is the admin console's, on another origin;
//! - `/api/comments`: anyone may `GET`, only the app may `POST` (JSON,
//!   with a readable 422 on bad input);
//! - `GET /internal/metrics` has no CORS at all: browsers on other origins
//!   cannot read it.
//!
//! `cargo run --example server -- --policies [--json]` lists the policies
//! instead of serving.
//!
//! It also serves a demo page on the next port (`http://localhost:3001/`),
//! another origin, that calls the API and shows what the browser allowed.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Html;
use axum::routing::{delete, get};
use axum::{Json, Router};
use cors_runtime::{cors, preflight};
use serde::{Deserialize, Serialize};

/// Where the app's front end runs in development and production.
const APP_ORIGINS: [&str; 3] = [
    "http://localhost:3001",
    "http://127.0.0.1:3001",
    "https://app.example.com",
];

cors_runtime::policy! {
    /// The app's front end, in development and production (`APP_ORIGINS`),
    /// signed in with cookies. Its handlers add their methods and replace
    /// what differs.
    APP = {
        origins = ["http://localhost:3001", "http://127.0.0.1:3001", "https://app.example.com"],
        allow_headers = ["content-type", "authorization"],
        credentials = true,
    };
}

/// Health check anyone may read.
#[cors(origins = "*", methods = [GET], max_age = 86400)]
pub(crate) async fn status() -> &'static str {
    "ok"
}

/// The signed-in user's profile: the app's origins only, with credentials.
#[cors(
    policy = APP,
    methods = [GET, PUT],
    expose_headers = ["x-request-id"],
    max_age = 600
)]
async fn profile(
    headers: HeaderMap,
) -> Result<([(&'static str, &'static str); 1], &'static str), StatusCode> {
    if headers
        .get("authorization")
        .is_some_and(|value| value == "Bearer demo")
    {
        Ok(([("x-request-id", "req-42")], r#"{"name":"Ada"}"#))
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

/// Deleting users: only the admin console, on its own origin.
#[cors(
    origins = ["https://admin.example.com", "http://localhost:3002"],
    methods = [DELETE],
    allow_headers = ["authorization"],
    credentials = true,
)]
async fn delete_user(Path(id): Path<u32>) -> String {
    format!("deleted user {id}")
}

/// A comment as stored.
#[derive(Serialize)]
pub(crate) struct Comment {
    id: u32,
    text: String,
}

/// A comment as posted.
#[derive(Deserialize)]
pub(crate) struct NewComment {
    text: String,
}

/// Anyone may read the comments.
#[cors(origins = "*", methods = [GET])]
async fn list_comments() -> Json<Vec<Comment>> {
    Json(vec![Comment {
        id: 1,
        text: "first!".into(),
    }])
}

/// Only the app may post one. A body that is not a `NewComment` gets axum's
/// 4xx, with CORS headers, so the page can show why.
#[cors(policy = APP, methods = [POST], allow_headers = ["content-type"])]
pub(crate) async fn create_comment(Json(comment): Json<NewComment>) -> (StatusCode, Json<Comment>) {
    (
        StatusCode::CREATED,
        Json(Comment {
            id: 2,
            text: comment.text,
        }),
    )
}

/// Same-origin only: no `#[cors]`, so no CORS headers.
async fn metrics() -> &'static str {
    "requests_total 42"
}

/// The routes, as `main` prints them: method(s), path, who may call.
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/api/status", "any origin"),
    ("GET, PUT", "/api/profile", "app origins, with credentials"),
    (
        "DELETE",
        "/api/users/{id}",
        "admin origins, with credentials",
    ),
    ("GET", "/api/comments", "any origin"),
    (
        "POST",
        "/api/comments",
        "app origins, with credentials; JSON body",
    ),
    ("GET", "/internal/metrics", "no CORS: same origin only"),
];

/// The application.
pub fn app() -> Router {
    Router::new()
        .route("/api/status", get(status).options(preflight!(status)))
        .route(
            "/api/profile",
            get(profile).put(profile).options(preflight!(profile)),
        )
        .route(
            "/api/users/{id}",
            delete(delete_user).options(preflight!(delete_user)),
        )
        .route(
            "/api/comments",
            get(list_comments)
                .post(create_comment)
                .options(preflight!(list_comments, create_comment)),
        )
        .route("/internal/metrics", get(metrics))
}

/// The demo page, calling the API at `api` (`http://127.0.0.1:3000`).
pub fn demo(api: &str) -> Router {
    let page = include_str!("demo.html").replace("{{API}}", api);
    Router::new().route("/", get(|| async move { Html(page) }))
}

/// What `main` prints once the API listens on `base`
/// (`http://127.0.0.1:3000`) and the demo page on `demo`.
pub fn banner(base: &str, demo: &str) -> String {
    let mut text = format!("cors-runtime example listening on {base}\n\n");
    for (methods, path, who) in ROUTES {
        text.push_str(&format!("  {methods:<9} {path:<20} {who}\n"));
    }
    text.push_str(&format!("\napp origins: {}\n", APP_ORIGINS.join(", ")));
    text.push_str(&format!(
        "demo page (another origin, open it in a browser): {demo}\n"
    ));
    text.push_str(&format!(
        "\ntry a preflight:\n  curl -i -X OPTIONS {base}/api/profile -H 'Origin: http://localhost:3001' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'\n"
    ));
    text
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|arg| arg == "--policies") {
        // For reviews: every policy compiled in, as a table (or `--json`).
        if std::env::args().any(|arg| arg == "--json") {
            println!("{}", cors_runtime::policy_json());
        } else {
            print!("{}", cors_runtime::policy_table());
        }
        return;
    }
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().unwrap_or_else(|_| {
            eprintln!("PORT must be a port number, not `{port}`");
            std::process::exit(2)
        }),
        Err(_) => 3000,
    };
    let api = listen(port).await;
    let demo_port = port.wrapping_add(1);
    let demo_listener = listen(demo_port).await;
    let base = format!("http://127.0.0.1:{port}");
    print!(
        "{}",
        banner(&base, &format!("http://localhost:{demo_port}/"))
    );
    if port != 3000 {
        println!("(the app policies list the demo page's default origin, http://localhost:3001; on other ports its app calls show red)");
    }
    let (api, demo) = tokio::join!(
        axum::serve(api, app()),
        axum::serve(demo_listener, demo(&base))
    );
    api.and(demo).expect("server error");
}

async fn listen(port: u16) -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|error| {
            eprintln!("cannot listen on 127.0.0.1:{port}: {error}");
            std::process::exit(1)
        })
}
