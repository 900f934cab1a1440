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

mod reviewed {
    use cors_runtime::cors;

    cors_runtime::policy! {
        /// Webhooks from a partner still on plain `http`.
        pub HOOKS = {
            origins = ["http://partner.example.com"],
            credentials = true,
            cross_origin_protection = false,
            dangerously_tolerate_insecure_origins = true,
        };
    }

    #[cors(policy = HOOKS, methods = [POST])]
    pub async fn webhook() {}
}

#[test]
fn every_policy_is_listed_with_its_handler_path() {
    let policies = cors_runtime::policies();
    let names: Vec<&str> = policies.iter().map(|policy| policy.handler()).collect();
    assert_eq!(
        names,
        [
            "listing::admin::status",
            "listing::items",
            "listing::reviewed::webhook"
        ]
    );
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
    assert_eq!(lines.len(), 4, "{table}");
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
    assert_eq!(policies.len(), 3);
    assert_eq!(policies[1]["handler"], "listing::items");
    assert_eq!(policies[1]["origins"][1], "https://*.example.com");
    assert_eq!(policies[1]["credentials"], true);
    assert_eq!(policies[1]["max_age"], 600);
    assert_eq!(policies[0]["max_age"], serde_json::Value::Null);
    assert_eq!(policies[0]["private_network"], false);
}

/// The two keys a reviewer needs most, switched off protection and
/// tolerated insecure origins, are listed, also when they come from a
/// named policy, and every value says where it comes from.
#[test]
fn table_shows_every_key_and_where_its_value_comes_from() {
    let table = cors_runtime::policy_table();
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].contains("cross_origin_protection")
            && lines[0].contains("dangerously_tolerate_insecure_origins"),
        "{table}"
    );
    let webhook = lines
        .iter()
        .find(|line| line.starts_with("listing::reviewed::webhook"))
        .expect("the webhook's line");
    for cell in [
        "http://partner.example.com (policy)",
        "POST (handler)",
        "- (default)",
        "yes (policy)",
        "no (policy)",
    ] {
        assert!(webhook.contains(cell), "{cell} in {webhook}");
    }
    // Written out on the handler: every written key says so.
    assert!(
        lines[2].contains("GET, POST (handler)")
            && lines[2].contains("600 (handler)")
            && lines[2].contains("yes (default)"),
        "{table}"
    );
}

#[test]
fn json_shows_every_key_and_where_its_value_comes_from() {
    let json: serde_json::Value =
        serde_json::from_str(&cors_runtime::policy_json()).expect("valid JSON");
    let webhook = &json[2];
    assert_eq!(webhook["handler"], "listing::reviewed::webhook");
    assert_eq!(webhook["kind"], "handler");
    assert_eq!(webhook["policy"], "HOOKS");
    assert_eq!(webhook["cross_origin_protection"], false);
    assert_eq!(webhook["dangerously_tolerate_insecure_origins"], true);
    assert_eq!(webhook["sources"]["cross_origin_protection"], "policy");
    assert_eq!(
        webhook["sources"]["dangerously_tolerate_insecure_origins"],
        "policy"
    );
    assert_eq!(webhook["sources"]["origins"], "policy");
    assert_eq!(webhook["sources"]["methods"], "handler");
    assert_eq!(webhook["sources"]["max_age"], "default");
    let status = &json[0];
    assert_eq!(status["cross_origin_protection"], true);
    assert_eq!(status["sources"]["cross_origin_protection"], "default");
    assert_eq!(status["sources"]["origins"], "handler");
    assert_eq!(status["dangerously_tolerate_insecure_origins"], false);
}

#[test]
fn policy_says_where_each_value_comes_from() {
    use cors_runtime::ValueSource;
    let policies = cors_runtime::policies();
    let webhook = policies[2];
    assert!(!webhook.protects_cross_origin());
    assert!(webhook.tolerates_insecure_origins());
    assert_eq!(
        webhook.value_source("cross_origin_protection"),
        ValueSource::NamedPolicy
    );
    assert_eq!(webhook.value_source("methods"), ValueSource::Written);
    assert_eq!(webhook.value_source("max_age"), ValueSource::Default);
    assert_eq!(webhook.replaced_keys(), ["methods"]);
}
