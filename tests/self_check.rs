//! `check::check_router` finds what outside this crate breaks a preflight.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::{check, cors, preflight};
use tower_http::cors::CorsLayer;

#[cors(origins = ["https://app.example.com"], methods = [GET, PUT], allow_headers = ["content-type"])]
async fn items() -> &'static str {
    "items"
}

#[cors(origins = ["https://*.example.com"], methods = [GET])]
async fn reports() -> &'static str {
    "reports"
}

async fn require_token(request: Request, next: Next) -> Response {
    if request.headers().contains_key("authorization") {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

fn probes() -> Vec<check::RouteProbe> {
    vec![
        check::route("/items", &preflight!(items)),
        check::route("/reports", &preflight!(reports)),
    ]
}

/// One finding for each of the three preflights of `probes()` (GET and PUT
/// on /items, GET on /reports), each passing `check`.
fn assert_each_preflight_found(report: &check::Report, check: impl Fn(&check::Finding) -> bool) {
    assert_eq!(report.findings.len(), 3, "{report}");
    assert!(report.findings.iter().all(check), "{report}");
}

#[tokio::test]
async fn auth_route_layer_on_the_router_is_found_on_every_preflight() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports).options(preflight!(reports)))
        .route_layer(middleware::from_fn(require_token));
    let report = check::check_router(&app, probes()).await;
    // `Router::route_layer` wraps the `.options(...)` handlers too.
    assert_each_preflight_found(&report, |finding| finding.cause.contains("401"));
}

#[tokio::test]
async fn auth_layered_on_the_handlers_before_the_preflight_has_no_findings() {
    let app = Router::new()
        .route(
            "/items",
            get(items)
                .put(items)
                .route_layer(middleware::from_fn(require_token))
                .options(preflight!(items)),
        )
        .route(
            "/reports",
            get(reports)
                .route_layer(middleware::from_fn(require_token))
                .options(preflight!(reports)),
        );
    let report = check::check_router(&app, probes()).await;
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.to_string(), "every preflight reached `preflight!`");
}

#[tokio::test]
async fn auth_layer_on_the_router_is_named_with_its_401_and_an_options_fix() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports))
        .layer(middleware::from_fn(require_token));
    let report = check::check_router(&app, probes()).await;
    assert_each_preflight_found(&report, |finding| finding.cause.contains("401"));
    assert!(report.findings[0].fix.contains("OPTIONS"), "{report}");
}

#[tokio::test]
async fn route_without_options_is_named_with_its_405_and_the_fix() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports));
    let report = check::check_router(&app, probes()).await;
    assert_eq!(report.findings.len(), 1, "{report}");
    assert_eq!(report.findings[0].path, "/reports");
    assert!(report.findings[0].cause.contains("405"), "{report}");
    assert!(
        report.findings[0]
            .fix
            .contains(".options(preflight!(handler))"),
        "{report}"
    );
}

#[tokio::test]
async fn global_cors_layer_beside_preflight_is_named_on_every_preflight() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports).options(preflight!(reports)))
        .layer(CorsLayer::permissive());
    let report = check::check_router(&app, probes()).await;
    assert_each_preflight_found(&report, |finding| finding.fix.contains("CorsLayer"));
}

/// Each finding carries the reason Chromium would report, from the browser
/// model: auth's bare 401 fails at `Access-Control-Allow-Origin`, before
/// the status is looked at.
#[tokio::test]
async fn findings_carry_chromiums_reason_from_the_browser_model() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports).options(preflight!(reports)))
        .route_layer(middleware::from_fn(require_token));
    let report = check::check_router(&app, probes()).await;
    assert_each_preflight_found(&report, |finding| {
        finding.reason.as_deref() == Some("PreflightMissingAllowOriginHeader")
    });
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports).options(preflight!(reports)));
    let report = check::check_router(&app, probes()).await;
    assert!(report.is_ok(), "{report}");
}
