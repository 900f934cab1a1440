//! `layer!` builds a `PolicyLayer` from a named policy or from keys
//! written out, and registers its policy in the listing under a name that
//! says it is a layer, with its place.

use cors_runtime::{PolicyLayer, ValueSource};

mod policies {
    cors_runtime::policy! {
        /// The browser app.
        pub APP = {
            origins = ["https://app.example.com"],
            allow_headers = ["content-type"],
            credentials = true,
            cross_origin_protection = false,
        };
    }
}

mod routes {
    use cors_runtime::PolicyLayer;

    pub fn app() -> PolicyLayer {
        cors_runtime::layer!(crate::policies::APP)
    }

    pub fn assets() -> PolicyLayer {
        cors_runtime::layer!(policy = crate::policies::APP, methods = [GET, HEAD])
    }

    pub fn status() -> PolicyLayer {
        cors_runtime::layer!(origins = "*", methods = [GET], max_age = 60)
    }
}

#[test]
fn a_layer_carries_the_policy_as_declared_or_written() {
    let app: PolicyLayer = routes::app();
    let policy = app.policy();
    assert_eq!(policy.origin_list(), ["https://app.example.com"]);
    assert_eq!(policy.method_list(), ["GET"]);
    assert!(policy.allows_credentials());
    assert!(!policy.protects_cross_origin());
    assert_eq!(policy.named_policy(), Some("crate::policies::APP"));
    assert_eq!(policy.replaced_keys(), [] as [&str; 0]);

    let assets = routes::assets().policy();
    assert_eq!(assets.method_list(), ["GET", "HEAD"]);
    assert_eq!(assets.replaced_keys(), ["methods"]);
    assert_eq!(assets.value_source("methods"), ValueSource::Written);
    assert_eq!(assets.value_source("origins"), ValueSource::NamedPolicy);

    let status = routes::status().policy();
    assert_eq!(status.origin_list(), ["*"]);
    assert_eq!(status.max_age_seconds(), Some(60));
    assert_eq!(status.named_policy(), None);
}

/// One value per call: the same call gives the same policy, two calls two.
#[test]
fn each_call_site_has_its_own_static_policy() {
    assert!(std::ptr::eq(routes::app().policy(), routes::app().policy()));
    assert!(!std::ptr::eq(
        routes::app().policy(),
        routes::assets().policy()
    ));
}

#[test]
fn layers_are_listed_as_layers_with_their_place() {
    let layers: Vec<_> = cors_runtime::policies()
        .into_iter()
        .filter(|policy| policy.is_layer())
        .collect();
    let names: Vec<&str> = layers.iter().map(|policy| policy.handler()).collect();
    assert_eq!(
        names,
        [
            "layer_listing::routes::layer!(...)",
            "layer_listing::routes::layer!(crate::policies::APP)",
            "layer_listing::routes::layer!(crate::policies::APP)",
        ]
    );
    let locations: Vec<&str> = layers.iter().map(|policy| policy.location()).collect();
    assert_eq!(
        locations,
        [
            "tests/layer_listing.rs:31",
            "tests/layer_listing.rs:23",
            "tests/layer_listing.rs:27",
        ]
    );
    let table = cors_runtime::policy_table();
    assert!(
        table.lines().any(|line| line
            .starts_with("layer_listing::routes::layer!(crate::policies::APP)")
            && line.contains("GET, HEAD (layer)")
            && line.contains("no (policy)")),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&cors_runtime::policy_json()).expect("valid JSON");
    let status = json
        .as_array()
        .expect("an array")
        .iter()
        .find(|entry| entry["handler"] == "layer_listing::routes::layer!(...)")
        .expect("the status layer");
    assert_eq!(status["kind"], "layer");
    assert_eq!(status["location"], "tests/layer_listing.rs:31");
    assert_eq!(status["sources"]["origins"], "layer");
    assert_eq!(status["sources"]["credentials"], "default");
}
