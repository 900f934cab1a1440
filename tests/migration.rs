//! The migration path the README gives, step by step (issue 21 item 4):
//! an app with tower-http's `CorsLayer`; the same app with
//! `.layer(layer!(APP))` in its place; then one handler moved to
//! `#[cors(policy = APP, ...)]`. Each step answers a page on an allowed
//! origin as the one before did (it can read the same responses, with the
//! same grants), and refuses the same others.

use axum::http::{HeaderValue, Method};
use axum::routing::get;
use axum::Router;
use cors_attr_tests::{header, request, send};
use cors_runtime::browser::{
    self, BrowserRequest, Credentials, Leniency, RouterTransport, Transport,
};
use cors_runtime::{cors, preflight};
use tower_http::cors::CorsLayer;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

cors_runtime::policy! {
    APP_POLICY = {
        origins = ["https://app.example.com"],
        methods = [GET, PUT],
        allow_headers = ["content-type"],
        credentials = true,
    };
}

async fn list() -> &'static str {
    "[]"
}

async fn replace() -> &'static str {
    "replaced"
}

#[cors(policy = APP_POLICY)]
async fn list_annotated() -> &'static str {
    "[]"
}

/// Step 0: one `CorsLayer` for the app.
fn with_cors_layer() -> Router {
    let cors = CorsLayer::new()
        .allow_origin(HeaderValue::from_static(APP))
        .allow_methods([Method::GET, Method::PUT])
        .allow_headers([axum::http::header::CONTENT_TYPE])
        .allow_credentials(true);
    Router::new()
        .route("/items", get(list).put(replace))
        .layer(cors)
}

/// Step 1: the same policy as the app's default.
fn with_default_layer() -> Router {
    Router::new()
        .route("/items", get(list).put(replace))
        .layer(cors_runtime::layer!(APP_POLICY))
}

/// Step 2: `GET` moved to an annotated handler, routed with its preflight.
fn with_one_handler_moved() -> Router {
    Router::new()
        .route(
            "/items",
            get(list_annotated)
                .put(replace)
                .options(preflight!(list_annotated)),
        )
        .layer(cors_runtime::layer!(APP_POLICY))
}

/// What a page on `origin` can tell from one exchange: the status, and
/// whether it may read the answer with credentials.
async fn seen(
    app: &Router,
    origin: &str,
    request: axum::http::Request<axum::body::Body>,
) -> String {
    let response = send(app, request).await;
    let readable = header(&response, "access-control-allow-origin").as_deref() == Some(origin)
        && header(&response, "access-control-allow-credentials").as_deref() == Some("true");
    format!("{} readable={readable}", response.status())
}

/// Whether Chromium would accept the preflight of a credentialed JSON
/// request with `method` from a page on `origin`.
async fn preflight_passes(app: &Router, origin: &str, method: &str) -> bool {
    let request = BrowserRequest::new("/items", origin)
        .method(method)
        .header("content-type", "application/json")
        .credentials(Credentials::Include);
    let Some(wire) = browser::preflight_request(&request).to_http() else {
        return false;
    };
    let Ok(response) = RouterTransport::new(app).send(wire).await else {
        return false;
    };
    browser::check_preflight(&request, &response, Leniency::CHROMIUM).is_ok()
}

#[tokio::test]
async fn each_step_answers_a_page_as_the_one_before() {
    let steps = [
        with_cors_layer(),
        with_default_layer(),
        with_one_handler_moved(),
    ];
    let mut answers = Vec::new();
    for app in &steps {
        let mut seen_here = Vec::new();
        for origin in [APP, EVIL] {
            seen_here
                .push(seen(app, origin, request("GET", "/items", &[("origin", origin)])).await);
            seen_here.push(
                seen(
                    app,
                    origin,
                    request(
                        "PUT",
                        "/items",
                        &[("origin", origin), ("sec-fetch-site", "same-origin")],
                    ),
                )
                .await,
            );
        }
        answers.push(seen_here);
    }
    assert_eq!(answers[0], answers[1], "CorsLayer -> layer!(APP)");
    assert_eq!(answers[1], answers[2], "layer!(APP) -> #[cors] on GET");

    // Preflights, judged by the browser model as Chromium would.
    for (step, app) in steps.iter().enumerate() {
        for method in ["GET", "PUT"] {
            assert!(
                preflight_passes(app, APP, method).await,
                "step {step}: {method}"
            );
            assert!(
                !preflight_passes(app, EVIL, method).await,
                "step {step}: {method} from another origin"
            );
        }
    }
}

/// What the steps add over `CorsLayer`: a cross-site write from a refused
/// origin never runs the handler.
#[tokio::test]
async fn after_the_first_step_a_refused_cross_site_write_is_403() {
    let cross_site_put = || {
        request(
            "PUT",
            "/items",
            &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        )
    };
    assert_eq!(
        send(&with_cors_layer(), cross_site_put()).await.status(),
        200
    );
    for app in [with_default_layer(), with_one_handler_moved()] {
        assert_eq!(send(&app, cross_site_put()).await.status(), 403);
    }
}
