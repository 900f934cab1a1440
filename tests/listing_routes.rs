//! `policy_listing` lists every policy, as `policy_table()` and
//! `policy_json()` do, with the warnings `check::check_router` gives about
//! the routes that use them (issue 20, finding 3).

use axum::routing::get;
use axum::Router;
use cors_runtime::{check, cors, preflight};

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET, PUT],
    allow_headers = ["content-type"],
    max_age = 600,
)]
async fn rw() -> &'static str {
    "rw"
}

async fn legacy_post() -> &'static str {
    "posted"
}

fn mixed() -> Router {
    Router::new().route(
        "/doc",
        get(rw).put(rw).post(legacy_post).options(preflight!(rw)),
    )
}

/// Chromium reuses a `PUT`'s grant for a JSON `POST`, and `legacy_post`
/// runs: the listing says so, in `check_router`'s words.
#[tokio::test]
async fn an_unannotated_post_beside_annotated_methods_is_listed_as_unprotected() {
    let app = mixed();
    let listing = cors_runtime::policy_listing(&app, [check::route("/doc", &preflight!(rw))]).await;
    let warnings: Vec<&check::Finding> = listing.warnings().collect();
    assert_eq!(warnings.len(), 1, "{listing}");
    assert_eq!(
        (warnings[0].path.as_str(), warnings[0].method.as_str()),
        ("/doc", "POST")
    );
    assert!(warnings[0].cause.contains("unprotected"), "{listing}");

    let report = check::check_router(&app, [check::route("/doc", &preflight!(rw))]).await;
    let finding = report
        .findings
        .iter()
        .find(|finding| finding.method == "POST")
        .expect("check_router reports POST");
    assert_eq!(warnings[0], finding);
    let table = listing.table();
    assert!(
        table.starts_with(&cors_runtime::policy_table()),
        "the listing's table is policy_table()'s: {table}"
    );
    assert!(
        table.contains(&format!("warning: {finding}")),
        "{table}\n---\n{report}"
    );

    let json: serde_json::Value = serde_json::from_str(&listing.json()).expect("valid JSON");
    let policy = &json.as_array().expect("an array")[0];
    assert_eq!(policy["handler"], "listing_routes::rw");
    assert_eq!(policy["methods"], serde_json::json!(["GET", "PUT"]));
    assert_eq!(policy["warnings"][0]["path"], "/doc");
    assert_eq!(policy["warnings"][0]["method"], "POST");
    assert_eq!(policy["warnings"][0]["cause"], finding.cause.as_str());
    assert_eq!(policy["warnings"][0]["fix"], finding.fix.as_str());
}

#[tokio::test]
async fn a_route_without_unannotated_methods_has_no_warning() {
    let app = Router::new().route("/doc", get(rw).put(rw).options(preflight!(rw)));
    let listing = cors_runtime::policy_listing(&app, [check::route("/doc", &preflight!(rw))]).await;
    assert_eq!(listing.warnings().count(), 0, "{listing}");
    assert_eq!(listing.table(), cors_runtime::policy_table());
    let json: serde_json::Value = serde_json::from_str(&listing.json()).expect("valid JSON");
    assert_eq!(json[0]["warnings"], serde_json::json!([]));
}

/// The listing's JSON adds `warnings` to `policy_json()`'s objects and
/// changes nothing else.
#[tokio::test]
async fn the_listing_json_adds_warnings_to_policy_json() {
    let listing =
        cors_runtime::policy_listing(&mixed(), [check::route("/doc", &preflight!(rw))]).await;
    let mut with_warnings: serde_json::Value =
        serde_json::from_str(&listing.json()).expect("valid JSON");
    let plain: serde_json::Value =
        serde_json::from_str(&cors_runtime::policy_json()).expect("valid JSON");
    assert!(plain[0].get("warnings").is_none());
    for object in with_warnings.as_array_mut().expect("an array") {
        object
            .as_object_mut()
            .expect("an object")
            .remove("warnings")
            .expect("every object has `warnings`");
    }
    assert_eq!(with_warnings, plain);
}

/// Nothing is learned from traffic: the listing is the same after the
/// router served the requests the warning is about.
#[tokio::test]
async fn the_listing_does_not_depend_on_traffic() {
    use tower::ServiceExt as _;

    let app = mixed();
    let before = cors_runtime::policy_listing(&app, [check::route("/doc", &preflight!(rw))])
        .await
        .table();
    for method in ["OPTIONS", "PUT", "POST"] {
        let request = axum::http::Request::builder()
            .method(method)
            .uri("/doc")
            .header("origin", "https://app.example.com")
            .header("access-control-request-method", "PUT")
            .header("content-type", "application/json")
            .body(axum::body::Body::empty())
            .expect("a request");
        let _ = app.clone().oneshot(request).await;
    }
    let after = cors_runtime::policy_listing(&app, [check::route("/doc", &preflight!(rw))])
        .await
        .table();
    assert_eq!(before, after);
}
