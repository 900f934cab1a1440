//! `check::check_router` reports a routed method that no handler given to
//! the route's `preflight!` lists: a `methods` list that forgot it, or an
//! annotated handler missing from `preflight!`.

use axum::routing::get;
use axum::Router;
use cors_runtime::{check, cors, preflight, MethodRouterExt as _};

// `methods` defaults to `[GET]`, but the handler is routed for POST.
#[cors(origins = ["https://app.example.com"])]
async fn create() -> &'static str {
    "created"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn list() -> &'static str {
    "[]"
}

#[cors(origins = ["https://app.example.com"], methods = [DELETE])]
async fn remove() -> &'static str {
    "removed"
}

#[tokio::test]
async fn a_routed_method_missing_from_the_policies_is_reported() {
    // `preflight!(list, create)` would not compile (both list GET): the
    // user gave `list` alone.
    let app = Router::new()
        .route("/items", get(list).post(create).options(preflight!(list)))
        .route("/other", get(list).delete(remove).options(preflight!(list)));
    let report = check::check_router(
        &app,
        [
            check::route("/items", &preflight!(list)),
            check::route("/other", &preflight!(list)),
        ],
    )
    .await;
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|finding| finding.preflight)
        .map(|finding| (finding.path.as_str(), finding.method.as_str()))
        .collect();
    assert_eq!(
        found,
        [("/items", "POST"), ("/other", "DELETE")],
        "{report}"
    );
    assert!(
        report.findings[0].fix.contains("add POST to the `methods`"),
        "{report}"
    );
}

#[tokio::test]
async fn every_routed_method_listed_has_no_finding() {
    let app = Router::new()
        .route(
            "/items",
            get(list)
                .delete(remove)
                .preflight_layer(preflight!(list, remove)),
        )
        .layer(cors_runtime::layer!(origins = "*"));
    let report =
        check::check_router(&app, [check::route("/items", &preflight!(list, remove))]).await;
    assert!(report.is_ok(), "{report}");
}
