//! `policies()`, `policy_table()` and `policy_json()` list every policy
//! compiled into the binary.

use cors_runtime::cors;

/// Reviewed by security.
#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
    methods = [GET, POST],
    allow_headers = ["content-type"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
)]
async fn items() {}

mod admin {
    use cors_runtime::cors;

    #[cors(origins = "*", methods = [GET], allow_headers = "*")]
    pub async fn status() {}
}

#[test]
fn every_policy_is_listed_with_its_handler_path() {
    let policies = cors_runtime::policies();
    let names: Vec<&str> = policies.iter().map(|policy| policy.handler()).collect();
    assert_eq!(names, ["listing::admin::status", "listing::items"]);
    let items = policies[1];
    assert_eq!(
        items.origin_list(),
        [
            "https://app.example.com",
            "https://*.example.com",
            "http://localhost:*"
        ]
    );
    assert_eq!(items.method_list(), ["GET", "POST"]);
    assert_eq!(items.allowed_header_list(), ["content-type"]);
    assert_eq!(items.exposed_header_list(), ["x-request-id"]);
    assert!(items.allows_credentials());
    assert_eq!(items.max_age_seconds(), Some(600));
    assert!(items.allows_private_network());
    let status = policies[0];
    assert_eq!(status.origin_list(), ["*"]);
    assert_eq!(status.allowed_header_list(), ["*"]);
    assert_eq!(status.max_age_seconds(), None);
}

#[test]
fn table_has_a_header_and_one_line_per_policy() {
    let table = cors_runtime::policy_table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with("handler") && lines[0].contains("private_network"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("listing::admin::status") && lines[1].contains(" * "),
        "{table}"
    );
    assert!(
        lines[2].contains("https://app.example.com, https://*.example.com, http://localhost:*"),
        "{table}"
    );
    assert!(
        lines[2].contains("GET, POST") && lines[2].contains("600"),
        "{table}"
    );
}

#[test]
fn json_is_an_array_of_policy_objects() {
    let json: serde_json::Value =
        serde_json::from_str(&cors_runtime::policy_json()).expect("valid JSON");
    let policies = json.as_array().expect("an array");
    assert_eq!(policies.len(), 2);
    assert_eq!(policies[1]["handler"], "listing::items");
    assert_eq!(policies[1]["origins"][1], "https://*.example.com");
    assert_eq!(policies[1]["credentials"], true);
    assert_eq!(policies[1]["max_age"], 600);
    assert_eq!(policies[0]["max_age"], serde_json::Value::Null);
    assert_eq!(policies[0]["private_network"], false);
}
