//! axum's routes-and-handlers-close-together pattern: two routers each add
//! one method of `/foo` with its own annotated handler and `preflight!`
//! layer, and `Router::merge` joins them. Each method keeps its own policy,
//! with no panic and no refused preflight.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use cors_attr_tests::{grants, header, preflight, request, send};
use cors_runtime::cors;

const READER: &str = "https://read.example.com";
const WRITER: &str = "https://write.example.com";

fn get_foo() -> Router {
    #[cors(origins = ["https://read.example.com"], methods = [GET, PUT], max_age = 600)]
    async fn handler() -> &'static str {
        "get foo"
    }
    Router::new().route(
        "/foo",
        get(handler)
            .put(handler)
            .layer(cors_runtime::preflight!(handler)),
    )
}

fn post_foo() -> Router {
    #[cors(
        origins = ["https://write.example.com"],
        methods = [POST, DELETE],
        allow_headers = ["content-type"],
        credentials = true,
        max_age = 600,
    )]
    async fn handler() -> &'static str {
        "post foo"
    }
    Router::new().route(
        "/foo",
        post(handler)
            .delete(handler)
            .layer(cors_runtime::preflight!(handler)),
    )
}

fn app() -> Router {
    Router::new().merge(get_foo()).merge(post_foo())
}

/// Another path with its own `PUT` policy, for another origin.
fn put_bar() -> Router {
    #[cors(origins = ["https://write.example.com"], methods = [GET, PUT])]
    async fn handler() -> &'static str {
        "bar"
    }
    Router::new().route(
        "/bar",
        get(handler)
            .put(handler)
            .layer(cors_runtime::preflight!(handler)),
    )
}

// The steps run in order, in one test: every `preflight!` layer alive in
// the process is a candidate until it has served a request, so tests
// running beside each other would see each other's layers.
#[tokio::test]
async fn merged_routers_keep_each_methods_policy() {
    each_method_keeps_its_own_policy_after_merge().await;
    actual_requests_keep_their_own_policy_after_merge().await;
    with_another_path_serving_the_method_the_policy_of_this_path_answers_once_seen().await;
    an_options_route_merged_with_a_layered_one_answers_for_both().await;
    a_layer_on_several_paths_answers_for_no_sibling().await;
}

async fn each_method_keeps_its_own_policy_after_merge() {
    let app = app();
    // The layer axum keeps (the last merged) answers for its own method.
    let response = send(
        &app,
        preflight("/foo", WRITER, "DELETE", Some("content-type")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(WRITER)
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        header(&response, "access-control-max-age").as_deref(),
        Some("600")
    );

    // Not for the other router's method before its layer has served a
    // request: nothing yet tells it from a layer of another route.
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert!(!grants(&response, "PUT"));

    // Once it has, by that router's policy, uncacheable.
    send(&app, request("GET", "/foo", &[])).await;
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(READER)
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("PUT")
    );
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    assert_eq!(
        header(&response, "access-control-max-age").as_deref(),
        Some("0")
    );

    // Its own grants are no longer cacheable either: the siblings differ.
    let response = send(
        &app,
        preflight("/foo", WRITER, "DELETE", Some("content-type")),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-max-age").as_deref(),
        Some("0")
    );

    // Neither policy lends its origins to the other's method.
    let response = send(&app, preflight("/foo", WRITER, "PUT", None)).await;
    assert!(!grants(&response, "PUT"));
    let response = send(&app, preflight("/foo", READER, "DELETE", None)).await;
    assert!(!grants(&response, "DELETE"));
}

async fn actual_requests_keep_their_own_policy_after_merge() {
    let app = app();
    let response = send(&app, request("DELETE", "/foo", &[("origin", WRITER)])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(WRITER)
    );
    let response = send(&app, request("DELETE", "/foo", &[("origin", READER)])).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = send(&app, request("PUT", "/foo", &[("origin", READER)])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(READER)
    );
}

async fn with_another_path_serving_the_method_the_policy_of_this_path_answers_once_seen() {
    let app = Router::new()
        .merge(get_foo())
        .merge(post_foo())
        .merge(put_bar());
    // `/bar`'s layer has served its path: it is never `/foo`'s sibling.
    send(&app, request("GET", "/bar", &[])).await;
    let response = send(&app, preflight("/foo", WRITER, "PUT", None)).await;
    assert!(!grants(&response, "PUT"));
    // Once `/foo`'s GET layer has served its path, `/foo`'s PUT is its own.
    send(&app, request("GET", "/foo", &[])).await;
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert!(grants(&response, "PUT"));
    let response = send(&app, preflight("/foo", WRITER, "PUT", None)).await;
    assert!(!grants(&response, "PUT"));
}

async fn an_options_route_merged_with_a_layered_one_answers_for_both() {
    fn get_with_options() -> Router {
        #[cors(origins = ["https://read.example.com"], methods = [GET, PUT])]
        async fn handler() -> &'static str {
            "get foo"
        }
        Router::new().route(
            "/foo",
            get(handler)
                .put(handler)
                .options(cors_runtime::preflight!(handler)),
        )
    }
    // axum routes `OPTIONS` to the `.options` handler; it answers for the
    // layered router's methods too.
    let app = Router::new().merge(post_foo()).merge(get_with_options());
    send(&app, request("DELETE", "/foo", &[])).await;
    let response = send(
        &app,
        preflight("/foo", WRITER, "DELETE", Some("content-type")),
    )
    .await;
    assert!(grants(&response, "DELETE"));
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert!(grants(&response, "PUT"));
    let response = send(&app, preflight("/foo", READER, "DELETE", None)).await;
    assert!(!grants(&response, "DELETE"));
}

async fn a_layer_on_several_paths_answers_for_no_sibling() {
    #[cors(origins = ["https://read.example.com"], methods = [GET, PUT])]
    async fn read() -> &'static str {
        "read"
    }
    // One layer on a whole router, serving `/foo` and `/bar`.
    let whole = Router::new()
        .route("/foo", get(read).put(read))
        .route("/bar", get(read).put(read))
        .layer(cors_runtime::preflight!(read));
    let app = Router::new().merge(whole).merge(post_foo());
    // Until it has served another path, the whole router's layer is
    // `/foo`'s sibling, and `/foo`'s `PUT` is answered with its policy.
    send(&app, request("GET", "/foo", &[])).await;
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert!(grants(&response, "PUT"));
    // Again, now that the path is known.
    send(&app, request("GET", "/foo", &[])).await;
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert!(grants(&response, "PUT"));
    // Once it has served `/bar`, it is nobody's sibling.
    send(&app, request("GET", "/bar", &[])).await;
    let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
    assert!(!grants(&response, "PUT"));
}
