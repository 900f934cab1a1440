//! `check::check_router` finds what outside this crate breaks a preflight.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::{check, cors, preflight, MethodRouterExt as _};
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

/// The findings about preflights (the others are about actual requests).
fn preflight_findings(report: &check::Report) -> Vec<&check::Finding> {
    report
        .findings
        .iter()
        .filter(|finding| finding.preflight)
        .collect()
}

/// One finding for each of the three preflights of `probes()` (GET and PUT
/// on /items, GET on /reports), each passing `check`.
fn assert_each_preflight_found(report: &check::Report, check: impl Fn(&check::Finding) -> bool) {
    let found = preflight_findings(report);
    assert_eq!(found.len(), 3, "{report}");
    assert!(found.into_iter().all(check), "{report}");
}

cors_runtime::policy! {
    APP = { origins = ["https://app.example.com"], methods = [GET, PUT] };
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

/// Auth on the handlers with `.options(...)`: preflights pass, but the
/// 401 a page without a session gets has no CORS headers, and neither
/// has the fallback's 404 (issue 21 item 5).
#[tokio::test]
async fn auth_on_the_handlers_passes_preflights_but_its_401_is_unreadable() {
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
    assert!(preflight_findings(&report).is_empty(), "{report}");
    let actual: Vec<(&str, bool)> = report
        .findings
        .iter()
        .map(|finding| (finding.path.as_str(), finding.cause.contains("401")))
        .collect();
    assert_eq!(
        actual,
        [
            ("/items", true),
            ("/reports", true),
            ("/cors-self-check/no-such-path", false)
        ],
        "{report}"
    );
    assert!(
        report.findings[0].fix.contains(".preflight_layer("),
        "{report}"
    );
    assert!(report.findings[2].fix.contains("layer!(APP)"), "{report}");
    assert_eq!(
        report.findings[0].reason.as_deref(),
        Some("MissingAllowOriginHeader")
    );
}

/// The same app with the layer placement and the app's default outermost
/// has nothing to report.
#[tokio::test]
async fn the_layer_placement_and_a_default_leave_nothing_to_report() {
    let app = Router::new()
        .route(
            "/items",
            get(items)
                .put(items)
                .route_layer(middleware::from_fn(require_token))
                .preflight_layer(preflight!(items)),
        )
        .route(
            "/reports",
            get(reports)
                .route_layer(middleware::from_fn(require_token))
                .preflight_layer(preflight!(reports)),
        )
        .layer(cors_runtime::layer!(APP));
    let report = check::check_router(&app, probes()).await;
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.to_string(), "every preflight reached `preflight!`");
}

/// An error mapper that rebuilds responses drops the handler's CORS
/// headers; a timeout answers without them.
#[tokio::test]
async fn a_rebuilt_error_and_a_timeout_without_cors_are_found() {
    async fn to_json_errors(response: Response) -> Response {
        if response.status().is_client_error() {
            (response.status(), "{}").into_response()
        } else {
            response
        }
    }
    async fn slow() -> &'static str {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        "late"
    }
    let app = Router::new()
        .route(
            "/items",
            get(items)
                .put(items)
                .route_layer(middleware::from_fn(require_token))
                .preflight_layer(preflight!(items)),
        )
        .route("/reports", get(slow).options(preflight!(reports)))
        .layer(middleware::map_response(to_json_errors))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_millis(20),
        ));
    let report = check::check_router(&app, probes()).await;
    let items = report
        .findings
        .iter()
        .find(|f| f.path == "/items")
        .expect("/items");
    assert!(items.cause.contains("rebuilt"), "{report}");
    assert!(items.fix.contains("layer!(APP)"), "{report}");
    let reports = report
        .findings
        .iter()
        .find(|f| f.path == "/reports")
        .expect("/reports");
    assert!(reports.cause.contains("408"), "{report}");
}

/// One handler mounted under two paths is a note, not a finding (issue 21
/// item 3).
#[tokio::test]
async fn one_handler_on_two_paths_is_noted() {
    let app = Router::new()
        .route("/v1/items", get(items).options(preflight!(items)))
        .route("/v2/items", get(items).options(preflight!(items)))
        .layer(cors_runtime::layer!(APP));
    let report = check::check_router(
        &app,
        [
            check::route("/v1/items", &preflight!(items)),
            check::route("/v2/items", &preflight!(items)),
        ],
    )
    .await;
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.notes.len(), 1, "{report}");
    assert!(
        report.notes[0].contains("/v1/items") && report.notes[0].contains("/v2/items"),
        "{report}"
    );
}

#[tokio::test]
async fn auth_layer_on_the_router_is_named_with_its_401_and_an_options_fix() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports))
        .layer(middleware::from_fn(require_token));
    let report = check::check_router(&app, probes()).await;
    assert_each_preflight_found(&report, |finding| finding.cause.contains("401"));
    assert!(
        preflight_findings(&report)[0].fix.contains("OPTIONS"),
        "{report}"
    );
}

#[tokio::test]
async fn route_without_options_is_named_with_its_405_and_the_fix() {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/reports", get(reports));
    let report = check::check_router(&app, probes()).await;
    let found = preflight_findings(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0].path, "/reports");
    assert!(found[0].cause.contains("405"), "{report}");
    assert!(
        found[0].fix.contains(".options(preflight!(handler))"),
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
    assert!(preflight_findings(&report).is_empty(), "{report}");
}

async fn require_role(request: Request, next: Next) -> Response {
    if request.headers().contains_key("x-role") {
        next.run(request).await
    } else {
        StatusCode::FORBIDDEN.into_response()
    }
}

/// A permission layer's 403 without CORS headers reaches the page as a
/// CORS failure, like auth's 401: found on each route's actual request,
/// with the route-layer fix (issue 21 item 5).
#[tokio::test]
async fn a_permission_layers_403_without_cors_is_found() {
    let app = Router::new()
        .route(
            "/items",
            get(items)
                .put(items)
                .route_layer(middleware::from_fn(require_role))
                .options(preflight!(items)),
        )
        .route("/reports", get(reports).options(preflight!(reports)));
    let report = check::check_router(&app, probes()).await;
    assert!(preflight_findings(&report).is_empty(), "{report}");
    let items: Vec<&check::Finding> = report
        .findings
        .iter()
        .filter(|finding| finding.path == "/items")
        .collect();
    assert_eq!(items.len(), 1, "{report}");
    assert!(items[0].cause.contains("403"), "{report}");
    assert!(items[0].fix.contains(".preflight_layer("), "{report}");
    assert!(
        report
            .findings
            .iter()
            .all(|finding| finding.path != "/reports"),
        "{report}"
    );
}
