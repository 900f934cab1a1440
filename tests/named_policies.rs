//! A handler using a named policy answers exactly as the same handler with
//! the policy written out: same statuses, same headers, same bodies, and
//! `preflight!` picks between handlers of one path that share a policy.

use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use cors_attr_tests::{actual, preflight, request, send};
use cors_runtime::{cors, preflight};

mod cors_policies {
    cors_runtime::policy! {
        /// The browser app, as a backend ported from `CorsLayer` has it.
        pub APP = {
            origins = ["https://app.example.com", "https://*.example.com"],
            allow_headers = ["content-type", "authorization"],
            expose_headers = ["x-request-id"],
            credentials = true,
            max_age = 600,
            private_network = true,
        };
    }
}

use cors_policies::APP;

type Answer = ([(&'static str, &'static str); 2], &'static str);

fn answer(body: &'static str) -> Answer {
    ([("vary", "accept-encoding"), ("x-request-id", "7")], body)
}

#[cors(policy = APP, methods = [GET, PUT])]
async fn named_profile() -> Answer {
    answer("profile")
}

#[cors(policy = crate::cors_policies::APP, methods = [POST], max_age = 60)]
async fn named_upload() -> Answer {
    answer("upload")
}

#[cors(
    policy = APP,
    methods = [GET],
    credentials = false,
    origins = "*",
    allow_headers = "*",
    private_network = false
)]
async fn named_public() -> Answer {
    answer("public")
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.com"],
    methods = [GET, PUT],
    allow_headers = ["content-type", "authorization"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
)]
async fn written_profile() -> Answer {
    answer("profile")
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.com"],
    methods = [POST],
    allow_headers = ["content-type", "authorization"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 60,
    private_network = true,
)]
async fn written_upload() -> Answer {
    answer("upload")
}

#[cors(
    origins = "*",
    methods = [GET],
    allow_headers = "*",
    expose_headers = ["x-request-id"],
    credentials = false,
    max_age = 600,
    private_network = false,
)]
async fn written_public() -> Answer {
    answer("public")
}

fn app() -> Router {
    Router::new()
        .route(
            "/named",
            get(named_profile)
                .put(named_profile)
                .post(named_upload)
                .options(preflight!(named_profile, named_upload)),
        )
        .route(
            "/written",
            get(written_profile)
                .put(written_profile)
                .post(written_upload)
                .options(preflight!(written_profile, written_upload)),
        )
        .route(
            "/named/public",
            get(named_public).options(preflight!(named_public)),
        )
        .route(
            "/written/public",
            get(written_public).options(preflight!(written_public)),
        )
}

/// Status, every header in order, and body.
async fn observed(app: &Router, request: axum::http::Request<axum::body::Body>) -> String {
    let response = send(app, request).await;
    let status = response.status();
    let headers: HeaderMap = response.headers().clone();
    let body = cors_attr_tests::body_text(response).await;
    let mut text = format!("{status}\n");
    for (name, value) in &headers {
        text.push_str(&format!(
            "{name}: {}\n",
            value.to_str().unwrap_or("<bytes>")
        ));
    }
    text.push_str(&body);
    text
}

/// The same request, built for `/named...` and for `/written...`.
type Case = fn(&str) -> axum::http::Request<axum::body::Body>;

const APP_ORIGIN: &str = "https://app.example.com";
const SUBDOMAIN: &str = "https://api.example.com";
const EVIL: &str = "https://evilexample.com";

const CASES: &[(&str, Case)] = &[
    ("preflight allowed", |path| {
        preflight(path, APP_ORIGIN, "PUT", Some("content-type"))
    }),
    ("preflight allowed for a subdomain", |path| {
        preflight(path, SUBDOMAIN, "POST", Some("authorization,content-type"))
    }),
    ("preflight allowed without requested headers", |path| {
        preflight(path, APP_ORIGIN, "GET", None)
    }),
    ("preflight refused by origin", |path| {
        preflight(path, EVIL, "PUT", Some("content-type"))
    }),
    ("preflight refused by method", |path| {
        preflight(path, APP_ORIGIN, "DELETE", None)
    }),
    ("preflight refused by header", |path| {
        preflight(path, APP_ORIGIN, "PUT", Some("x-not-allowed"))
    }),
    ("preflight with private network access", |path| {
        request(
            "OPTIONS",
            path,
            &[
                ("origin", APP_ORIGIN),
                ("access-control-request-method", "GET"),
                ("access-control-request-private-network", "true"),
            ],
        )
    }),
    ("plain options", |path| request("OPTIONS", path, &[])),
    ("actual request allowed", |path| {
        actual("GET", path, Some(APP_ORIGIN))
    }),
    ("actual post allowed", |path| {
        actual("POST", path, Some(SUBDOMAIN))
    }),
    ("actual request refused", |path| {
        actual("GET", path, Some(EVIL))
    }),
    ("state-changing request refused", |path| {
        actual("PUT", path, Some(EVIL))
    }),
    ("actual request without origin", |path| {
        actual("GET", path, None)
    }),
    ("actual request from origin null", |path| {
        actual("GET", path, Some("null"))
    }),
];

async fn assert_same_answers(named: &str, written: &str) {
    let app = app();
    for (case, build) in CASES {
        let named_answer = observed(&app, build(named)).await;
        let written_answer = observed(&app, build(written)).await;
        assert_eq!(named_answer, written_answer, "{case}");
    }
}

#[tokio::test]
async fn named_policy_answers_like_the_written_out_policy() {
    assert_same_answers("/named", "/written").await;
}

#[tokio::test]
async fn overridden_keys_answer_like_the_written_out_policy() {
    assert_same_answers("/named/public", "/written/public").await;
}

#[tokio::test]
async fn preflight_picks_between_handlers_sharing_a_named_policy() {
    let app = app();
    let put = send(&app, preflight("/named", APP_ORIGIN, "PUT", None)).await;
    let post = send(&app, preflight("/named", APP_ORIGIN, "POST", None)).await;
    let methods = |response: &axum::http::Response<axum::body::Body>| {
        cors_attr_tests::header(response, "access-control-allow-methods")
    };
    assert_eq!(methods(&put).as_deref(), Some("GET, PUT"));
    assert_eq!(methods(&post).as_deref(), Some("POST"));
    let refused = send(&app, preflight("/named", APP_ORIGIN, "PATCH", None)).await;
    assert!(!methods(&refused).unwrap_or_default().contains("PATCH"));
}

#[test]
fn combined_policy_is_the_written_out_policy() {
    use cors_runtime::Policy;
    let find = |suffix: &str| -> &'static Policy {
        cors_runtime::policies()
            .into_iter()
            .find(|policy| policy.handler().ends_with(suffix))
            .expect("registered")
    };
    for (named, written) in [
        ("::named_profile", "::written_profile"),
        ("::named_upload", "::written_upload"),
        ("::named_public", "::written_public"),
    ] {
        let (named, written) = (find(named), find(written));
        assert_eq!(named.origin_list(), written.origin_list());
        assert_eq!(named.method_list(), written.method_list());
        assert_eq!(named.allowed_header_list(), written.allowed_header_list());
        assert_eq!(named.exposed_header_list(), written.exposed_header_list());
        assert_eq!(named.allows_credentials(), written.allows_credentials());
        assert_eq!(named.max_age_seconds(), written.max_age_seconds());
        assert_eq!(
            named.allows_private_network(),
            written.allows_private_network()
        );
        assert_eq!(written.named_policy(), None);
        assert!(written.replaced_keys().is_empty());
    }
}

#[test]
fn listing_shows_the_named_policy_and_the_replaced_keys() {
    let policies = cors_runtime::policies();
    let upload = policies
        .iter()
        .find(|policy| policy.handler().ends_with("::named_upload"))
        .expect("registered");
    assert_eq!(upload.named_policy(), Some("crate::cors_policies::APP"));
    assert_eq!(upload.replaced_keys(), ["methods", "max_age"]);
    let public = policies
        .iter()
        .find(|policy| policy.handler().ends_with("::named_public"))
        .expect("registered");
    assert_eq!(public.named_policy(), Some("APP"));
    assert_eq!(
        public.replaced_keys(),
        [
            "methods",
            "credentials",
            "origins",
            "allow_headers",
            "private_network"
        ]
    );

    let table = cors_runtime::policy_table();
    let row = table
        .lines()
        .find(|line| line.contains("::named_upload"))
        .expect("a row");
    assert!(
        row.contains("crate::cors_policies::APP  methods, max_age"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&cors_runtime::policy_json()).expect("valid JSON");
    let entry = json
        .as_array()
        .expect("an array")
        .iter()
        .find(|entry| {
            entry["handler"]
                .as_str()
                .unwrap()
                .ends_with("::named_upload")
        })
        .expect("listed");
    assert_eq!(entry["policy"], "crate::cors_policies::APP");
    assert_eq!(entry["replaced"], serde_json::json!(["methods", "max_age"]));
    let written = json
        .as_array()
        .expect("an array")
        .iter()
        .find(|entry| {
            entry["handler"]
                .as_str()
                .unwrap()
                .ends_with("::written_upload")
        })
        .expect("listed");
    assert_eq!(written["policy"], serde_json::Value::Null);
    assert_eq!(written["replaced"], serde_json::json!([]));
}
