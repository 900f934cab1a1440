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

/// With credentials, a plain-`http` entry other than loopback is refused,
/// as the attribute refuses such a literal.
#[cors(origins = [env("CORS_TEST_CREDENTIALED_ORIGINS")], methods = [GET], credentials = true)]
async fn credentialed() -> &'static str {
    "credentialed"
}

#[cors(
    origins = [env("CORS_TEST_TOLERANT_ORIGINS")],
    methods = [GET],
    credentials = true,
    dangerously_tolerate_insecure_origins = true
)]
async fn tolerant() -> &'static str {
    "tolerant"
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
        .route("/credentialed", get(credentialed))
        .route("/tolerant", get(tolerant))
}

/// One test: the variables are process-wide, and `init` reads them once.
#[tokio::test]
async fn origins_from_the_environment() {
    std::env::set_var(
        "CORS_TEST_GOOD_ORIGINS",
        " https://staging.example.com , https://*.preview.example.com,http://localhost:*,http://plain.example.com",
    );
    std::env::set_var(
        "CORS_TEST_BAD_ORIGINS",
        "https://ok.example.com, https://a.example.com/, null, https://*.com, https://*.trycloudflare.com, javascript://x, wss://ok.example.com",
    );
    std::env::remove_var("CORS_TEST_UNSET_ORIGINS");
    std::env::set_var(
        "CORS_TEST_CREDENTIALED_ORIGINS",
        "http://intranet.example.com, http://localhost:5173, http://127.0.0.1:8080, https://secure.example.com",
    );
    std::env::set_var("CORS_TEST_TOLERANT_ORIGINS", "http://intranet.example.com");

    let error = cors_runtime::init().expect_err("three variables are wrong");
    let text = error.to_string();
    assert_eq!(error.problems.len(), 8, "{text}");
    // The full Public Suffix List, private section included, as for literals.
    assert!(
        text.contains("CORS_TEST_BAD_ORIGINS: `https://*.trycloudflare.com`: `*.trycloudflare.com` would allow every site registered under `trycloudflare.com`, a public suffix"),
        "{text}"
    );
    // Schemes browsers never send in `Origin`.
    assert!(
        text.contains("CORS_TEST_BAD_ORIGINS: `javascript://x`: browsers never send an origin with the `javascript:` scheme"),
        "{text}"
    );
    assert!(
        text.contains(
            "CORS_TEST_BAD_ORIGINS: `wss://ok.example.com`: `wss://` is not the origin of a page"
        ),
        "{text}"
    );
    // Plain `http` with credentials: refused, loopback and `https` kept;
    // tolerated where the policy says so; fine without credentials.
    assert!(
        text.contains("CORS_TEST_CREDENTIALED_ORIGINS: `http://intranet.example.com`: `http://intranet.example.com` is plain `http`"),
        "{text}"
    );
    assert!(
        text.contains("dangerously_tolerate_insecure_origins = true"),
        "{text}"
    );
    assert_eq!(
        text.matches("CORS_TEST_CREDENTIALED_ORIGINS").count(),
        1,
        "{text}"
    );
    assert!(!text.contains("CORS_TEST_TOLERANT_ORIGINS"), "{text}");
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
    for (path, origin, allowed) in [
        ("/misconfigured", "https://evil.trycloudflare.com", false),
        ("/credentialed", "http://intranet.example.com", false),
        ("/credentialed", "http://localhost:5173", true),
        ("/credentialed", "https://secure.example.com", true),
        ("/tolerant", "http://intranet.example.com", true),
        ("/configured", "http://plain.example.com", true),
    ] {
        let response = send(&app, actual("GET", path, Some(origin))).await;
        assert_eq!(
            header(&response, "access-control-allow-origin").as_deref(),
            allowed.then_some(origin),
            "{path} {origin}"
        );
    }

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
