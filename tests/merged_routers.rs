//! axum's routes-and-handlers-close-together pattern: two routers each add
//! one method of `/foo` with their own annotated handler, and
//! `Router::merge` joins them. Each router's `preflight!` names every
//! annotated handler of the path, so every method preflights from a fresh
//! app's first request, in every process alike; nothing is learned from
//! traffic, and routers that share a path's text never lend each other a
//! policy.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use cors_attr_tests::{grants, header, preflight, request, send};
use cors_runtime::{cors, MethodRouterExt as _};

const READER: &str = "https://read.example.com";
const WRITER: &str = "https://write.example.com";

mod foo {
    use axum::routing::{get, post, MethodRouter};
    use cors_runtime::cors;

    #[cors(origins = ["https://read.example.com"], methods = [GET, PUT], max_age = 600)]
    pub async fn read() -> &'static str {
        "read foo"
    }

    #[cors(
        origins = ["https://write.example.com"],
        methods = [POST, DELETE],
        allow_headers = ["content-type"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn write() -> &'static str {
        "write foo"
    }

    pub fn reads() -> MethodRouter {
        get(read).put(read)
    }

    pub fn writes() -> MethodRouter {
        post(write).delete(write)
    }
}

/// Each router's layer names both handlers of the path.
fn layered() -> Router {
    Router::new()
        .route(
            "/foo",
            foo::reads().preflight_layer(cors_runtime::preflight!(foo::read, foo::write)),
        )
        .merge(Router::new().route(
            "/foo",
            foo::writes().preflight_layer(cors_runtime::preflight!(foo::read, foo::write)),
        ))
}

/// One router carries `.options(...)` naming both handlers.
fn with_options() -> Router {
    Router::new()
        .route("/foo", foo::reads())
        .merge(Router::new().route(
            "/foo",
            foo::writes().options(cors_runtime::preflight!(foo::read, foo::write)),
        ))
}

/// Each router's layer names only its own handler: the mistake.
fn naming_only_its_own() -> Router {
    Router::new()
        .route(
            "/foo",
            foo::reads().preflight_layer(cors_runtime::preflight!(foo::read)),
        )
        .merge(Router::new().route(
            "/foo",
            foo::writes().preflight_layer(cors_runtime::preflight!(foo::write)),
        ))
}

async fn assert_every_method_preflights(app: &Router, placement: &str) {
    let response = send(app, preflight("/foo", READER, "PUT", None)).await;
    assert!(grants(&response, "PUT"), "{placement}: PUT on a fresh app");
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(READER)
    );
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    // The two policies grant differently: no grant of the path is cacheable.
    assert_eq!(
        header(&response, "access-control-max-age").as_deref(),
        Some("0"),
        "{placement}"
    );
    let response = send(
        app,
        preflight("/foo", WRITER, "DELETE", Some("content-type")),
    )
    .await;
    assert!(grants(&response, "DELETE"), "{placement}: DELETE");
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    // Neither policy lends its origins to the other's method.
    let response = send(app, preflight("/foo", WRITER, "PUT", None)).await;
    assert!(!grants(&response, "PUT"), "{placement}");
    let response = send(app, preflight("/foo", READER, "DELETE", None)).await;
    assert!(!grants(&response, "DELETE"), "{placement}");
}

#[tokio::test]
async fn a_split_path_preflights_every_method_from_the_first_request() {
    assert_every_method_preflights(&layered(), "layer in each router").await;
    assert_every_method_preflights(&with_options(), ".options in one router").await;
}

#[tokio::test]
async fn actual_requests_keep_their_own_policy_after_merge() {
    let app = layered();
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

/// Naming only its own handler refuses the other method's preflight, on
/// the first request and after any traffic alike.
#[tokio::test]
async fn a_preflight_for_a_method_the_answering_layer_does_not_serve_is_refused() {
    let app = naming_only_its_own();
    for _ in 0..2 {
        let response = send(&app, preflight("/foo", READER, "PUT", None)).await;
        assert!(!grants(&response, "PUT"));
        // Traffic through the other router changes nothing.
        send(&app, request("GET", "/foo", &[])).await;
        send(&app, request("PUT", "/foo", &[("origin", READER)])).await;
    }
    // Its own method is answered.
    let response = send(
        &app,
        preflight("/foo", WRITER, "DELETE", Some("content-type")),
    )
    .await;
    assert!(grants(&response, "DELETE"));
}

/// Two routers with the same path text, in one process: the one with an
/// unannotated `POST` never grants it, whatever the other has served.
#[tokio::test]
async fn routers_sharing_a_path_text_never_lend_a_policy() {
    #[cors(origins = ["https://read.example.com"], methods = [GET])]
    async fn read() -> &'static str {
        "read"
    }
    async fn plain() -> &'static str {
        "plain"
    }
    #[cors(origins = ["https://read.example.com"], methods = [POST], allow_headers = ["content-type"])]
    async fn write() -> &'static str {
        "write"
    }
    let a = Router::new().route(
        "/y/{id}",
        get(read)
            .post(plain)
            .preflight_layer(cors_runtime::preflight!(read)),
    );
    let b = Router::new().route(
        "/y/{id}",
        post(write).preflight_layer(cors_runtime::preflight!(write)),
    );
    for app in [&a, &b] {
        send(app, request("GET", "/y/1", &[("origin", READER)])).await;
        send(app, request("POST", "/y/1", &[("origin", READER)])).await;
    }
    let response = send(&a, preflight("/y/1", READER, "POST", Some("content-type"))).await;
    assert!(!grants(&response, "POST"));
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    let response = send(&b, preflight("/y/1", READER, "POST", Some("content-type"))).await;
    assert!(grants(&response, "POST"));
}

/// Replicas: two routers built by one function answer alike, each from
/// its first request, whatever the other has seen.
#[tokio::test]
async fn two_routers_built_alike_answer_alike_from_the_first_request() {
    for build in [layered as fn() -> Router, with_options, naming_only_its_own] {
        let (first, second) = (build(), build());
        for _ in 0..3 {
            send(&first, request("GET", "/foo", &[("origin", READER)])).await;
            send(&first, request("PUT", "/foo", &[("origin", READER)])).await;
            send(&first, request("DELETE", "/foo", &[("origin", WRITER)])).await;
            send(&first, request("OPTIONS", "/foo", &[])).await;
        }
        for (method, origin) in [("PUT", READER), ("DELETE", WRITER), ("PUT", WRITER)] {
            let one = send(&first, preflight("/foo", origin, method, None)).await;
            let two = send(&second, preflight("/foo", origin, method, None)).await;
            assert_eq!(one.status(), two.status(), "{method} from {origin}");
            assert_eq!(
                format!("{:?}", one.headers()),
                format!("{:?}", two.headers()),
                "{method} from {origin}"
            );
        }
    }
}
