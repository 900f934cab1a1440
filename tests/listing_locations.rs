//! The review listing tells apart handlers of one name (local functions, as
//! in axum's routes-and-handlers-close-together example) by file and line,
//! and lists a handler once even when `#[axum::debug_handler]` above
//! `#[cors]` expands it twice.

use axum::routing::get;
use axum::Router;
use cors_runtime::cors;

fn get_foo() -> Router {
    #[cors(origins = ["https://read.example.com"])]
    async fn handler() -> &'static str {
        "get"
    }
    Router::new().route("/foo", get(handler))
}

fn get_bar() -> Router {
    #[cors(origins = ["https://other.example.com"])]
    async fn handler() -> &'static str {
        "bar"
    }
    Router::new().route("/bar", get(handler))
}

#[axum::debug_handler]
#[cors(origins = ["https://app.example.com"])]
async fn checked(_headers: axum::http::HeaderMap) -> &'static str {
    "checked"
}

#[test]
fn handlers_of_one_name_are_told_apart_by_location() {
    let _ = get_foo().merge(get_bar()).route("/checked", get(checked));
    let policies = cors_runtime::policies();
    let locals: Vec<_> = policies
        .iter()
        .filter(|policy| policy.handler() == "listing_locations::handler")
        .collect();
    assert_eq!(locals.len(), 2);
    assert_eq!(locals[0].location(), "tests/listing_locations.rs:12");
    assert_eq!(locals[1].location(), "tests/listing_locations.rs:20");

    let table = cors_runtime::policy_table();
    assert!(
        table.lines().next().unwrap().starts_with("handler "),
        "{table}"
    );
    assert!(table.contains("tests/listing_locations.rs:12"), "{table}");
    assert!(cors_runtime::policy_json().contains("\"location\":\"tests/listing_locations.rs:20\""));
}

#[test]
fn a_handler_expanded_twice_is_listed_once() {
    let checked = cors_runtime::policies()
        .into_iter()
        .filter(|policy| policy.handler() == "listing_locations::checked")
        .count();
    assert_eq!(checked, 1);
}
