//! The example server does what its printout says.

#[allow(dead_code)]
#[path = "../examples/server.rs"]
mod server;

use cors_attr_tests::{
    actual, body_text, has_any_allow_header, header, json, preflight, request, send,
};

const APP: &str = "http://localhost:3001";
const ADMIN: &str = "https://admin.example.com";
const STRANGER: &str = "https://stranger.example";

#[test]
fn banner_lists_every_route_and_a_curl_line() {
    let banner = server::banner("http://127.0.0.1:3000", "http://localhost:3001/");
    assert!(banner.contains("listening on http://127.0.0.1:3000"));
    for (methods, path, who) in server::ROUTES {
        let line = banner
            .lines()
            .find(|line| line.contains(path) && line.contains(who));
        assert!(
            line.is_some_and(|line| line.contains(methods)),
            "{methods} {path} {who}\n{banner}"
        );
    }
    assert!(banner.contains("curl -i -X OPTIONS http://127.0.0.1:3000/api/profile"));
}

#[tokio::test]
async fn every_printed_route_is_served() {
    let app = server::app();
    for (methods, path, _) in server::ROUTES {
        let path = path.replace("{id}", "7");
        for method in methods.split(", ") {
            let response = send(&app, actual(method, &path, None)).await;
            assert_ne!(response.status(), 404, "{method} {path}");
            assert_ne!(response.status(), 405, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn any_origin_routes_answer_strangers() {
    let app = server::app();
    for path in ["/api/status", "/api/comments"] {
        let response = send(&app, actual("GET", path, Some(STRANGER))).await;
        assert_eq!(
            header(&response, "access-control-allow-origin").as_deref(),
            Some("*"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn app_routes_take_app_origins_with_credentials() {
    let app = server::app();
    let response = send(
        &app,
        preflight(
            "/api/profile",
            APP,
            "PUT",
            Some("content-type,authorization"),
        ),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );

    let response = send(
        &app,
        request(
            "GET",
            "/api/profile",
            &[("origin", APP), ("authorization", "Bearer demo")],
        ),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "access-control-expose-headers").as_deref(),
        Some("x-request-id")
    );

    let response = send(&app, actual("GET", "/api/profile", Some(STRANGER))).await;
    assert_eq!(response.status(), 401);
    assert!(!has_any_allow_header(&response));

    let response = send(
        &app,
        preflight("/api/comments", STRANGER, "POST", Some("content-type")),
    )
    .await;
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn admin_route_takes_the_admin_origin_only() {
    let app = server::app();
    let response = send(
        &app,
        preflight("/api/users/7", ADMIN, "DELETE", Some("authorization")),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(ADMIN)
    );
    assert_eq!(
        header(&response, "access-control-allow-methods").as_deref(),
        Some("DELETE")
    );
    let response = send(&app, preflight("/api/users/7", APP, "DELETE", None)).await;
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn bad_json_gets_a_readable_4xx() {
    let req = json("POST", "/api/comments", APP, r#"{"txt": 1}"#);
    let response = send(&server::app(), req).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert!(body_text(response).await.contains("text"));
}

#[tokio::test]
async fn internal_route_has_no_cors() {
    let app = server::app();
    let response = send(&app, actual("GET", "/internal/metrics", Some(APP))).await;
    assert_eq!(response.status(), 200);
    assert!(!has_any_allow_header(&response));
    let response = send(&app, preflight("/internal/metrics", APP, "GET", None)).await;
    assert_eq!(response.status(), 405);
}

// The example's handlers, called as written through `without_cors`, as a
// unit test of a handler would.
#[tokio::test]
async fn handlers_are_callable_directly() {
    let (status, axum::Json(comment)) = server::create_comment::without_cors(axum::Json(
        serde_json::from_value(serde_json::json!({ "text": "first!" })).unwrap(),
    ))
    .await;
    assert_eq!(status, axum::http::StatusCode::CREATED);
    assert_eq!(serde_json::to_value(&comment).unwrap()["text"], "first!");
    assert_eq!(server::status::without_cors().await, "ok");
}
