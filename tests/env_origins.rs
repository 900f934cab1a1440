//! `origins = [env("...")]`: origins read from the environment, checked at
//! start-up by the attribute's own rules, all problems reported together.

use axum::routing::get;
use axum::Router;
use cors_attr_tests::{actual, has_any_allow_header, header, preflight, send};
use cors_runtime::{cors, preflight};

#[cors(origins = ["https://app.example.com", env("CORS_TEST_GOOD_ORIGINS")], methods = [GET])]
async fn configured() -> &'static str {
    "configured"
}

#[cors(origins = env("CORS_TEST_BAD_ORIGINS"), methods = [GET])]
async fn misconfigured() -> &'static str {
    "misconfigured"
}

#[cors(origins = [env("CORS_TEST_UNSET_ORIGINS")], methods = [GET])]
async fn unset() -> &'static str {
    "unset"
}

fn app() -> Router {
    Router::new()
        .route(
            "/configured",
            get(configured).options(preflight!(configured)),
        )
        .route(
            "/misconfigured",
            get(misconfigured).options(preflight!(misconfigured)),
        )
        .route("/unset", get(unset))
}

/// One test: the variables are process-wide, and `init` reads them once.
#[tokio::test]
async fn origins_from_the_environment() {
    std::env::set_var(
        "CORS_TEST_GOOD_ORIGINS",
        " https://staging.example.com , https://*.preview.example.com,http://localhost:*,",
    );
    std::env::set_var(
        "CORS_TEST_BAD_ORIGINS",
        "https://ok.example.com, https://a.example.com/, null, https://*.com",
    );
    std::env::remove_var("CORS_TEST_UNSET_ORIGINS");

    let error = cors_runtime::init().expect_err("two variables are wrong");
    let text = error.to_string();
    assert_eq!(error.problems.len(), 4, "{text}");
    assert!(
        text.contains(
            "CORS_TEST_BAD_ORIGINS: `https://a.example.com/`: an origin has no trailing slash"
        ),
        "{text}"
    );
    assert!(text.contains("CORS_TEST_BAD_ORIGINS: `null`"), "{text}");
    assert!(
        text.contains("CORS_TEST_BAD_ORIGINS: `https://*.com`"),
        "{text}"
    );
    assert!(
        text.contains("CORS_TEST_UNSET_ORIGINS is not set"),
        "{text}"
    );
    assert!(!text.contains("CORS_TEST_GOOD_ORIGINS"), "{text}");

    let app = app();
    for origin in [
        "https://app.example.com",
        "https://staging.example.com",
        "https://a.preview.example.com",
        "http://localhost:3000",
    ] {
        let response = send(&app, actual("GET", "/configured", Some(origin))).await;
        assert_eq!(
            header(&response, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
        let response = send(&app, preflight("/configured", origin, "GET", None)).await;
        assert_eq!(
            header(&response, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
    }
    for origin in [
        "https://preview.example.com",
        "https://evil.example",
        "https://staging.example.com.evil.net",
    ] {
        let response = send(&app, actual("GET", "/configured", Some(origin))).await;
        assert!(!has_any_allow_header(&response), "{origin}");
    }
    // The valid entries of a partly wrong variable still apply; the wrong
    // ones never do.
    let response = send(
        &app,
        actual("GET", "/misconfigured", Some("https://ok.example.com")),
    )
    .await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://ok.example.com")
    );
    let response = send(&app, actual("GET", "/misconfigured", Some("null"))).await;
    assert!(!has_any_allow_header(&response));
    let response = send(
        &app,
        actual("GET", "/unset", Some("https://app.example.com")),
    )
    .await;
    assert!(!has_any_allow_header(&response));

    let listed = cors_runtime::policies();
    let configured = listed
        .iter()
        .find(|policy| policy.handler().ends_with("::configured"))
        .unwrap();
    let origins = configured.origin_list();
    assert!(
        origins.contains(&"env(CORS_TEST_GOOD_ORIGINS)".to_owned()),
        "{origins:?}"
    );
    assert!(
        origins.contains(&"https://*.preview.example.com".to_owned()),
        "{origins:?}"
    );
}
