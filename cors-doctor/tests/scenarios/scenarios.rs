//! The misconfigurations the doctor must recognise, each with the reason
//! Chromium gives, the layer to blame and a piece of the fix.

use cors_doctor::Layer;
use cors_runtime::browser::Credentials;

/// Where a scenario's request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Straight to the app.
    App,
    /// Through the proxy.
    Proxy,
}

/// One scenario.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub name: &'static str,
    pub target: Target,
    /// The path on the target (`/<mode>/<app path>` on the proxy).
    pub path: &'static str,
    /// The app's own path, for `--direct`, when the proxy is in front.
    pub direct: Option<&'static str>,
    pub method: &'static str,
    pub headers: &'static [(&'static str, &'static str)],
    pub credentials: Credentials,
    pub body_size: usize,
    /// Fill the proxy's cache with origin B's answer first.
    pub prime_with_other_origin: bool,
    /// Chromium's `corsError`, `None` when allowed.
    pub reason: Option<&'static str>,
    pub layer: Layer,
    /// A piece of one fix line (empty: no fix expected).
    pub fix: &'static str,
    /// A piece of one evidence line (empty: none expected).
    pub evidence: &'static str,
    /// A piece of one note (empty: not checked).
    pub note: &'static str,
}

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];

const BASE: Scenario = Scenario {
    name: "",
    target: Target::App,
    path: "",
    direct: None,
    method: "PUT",
    headers: JSON,
    credentials: Credentials::SameOrigin,
    body_size: 0,
    prime_with_other_origin: false,
    reason: None,
    layer: Layer::None,
    fix: "",
    evidence: "",
    note: "",
};

/// Every scenario.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "a correct setup is allowed",
        path: "/cors/items",
        ..BASE
    },
    Scenario {
        name: "auth answers the preflight",
        path: "/auth/items",
        reason: Some("PreflightMissingAllowOriginHeader"),
        layer: Layer::Auth,
        fix: ".route_layer(auth).preflight_layer(preflight!(h))",
        evidence: "WWW-Authenticate: Bearer",
        ..BASE
    },
    Scenario {
        name: "a proxy adds CORS headers while the app answers 405",
        target: Target::Proxy,
        path: "/addcors/plain/items",
        direct: Some("/plain/items"),
        reason: Some("PreflightInvalidStatus"),
        layer: Layer::Router,
        fix: "answer the preflight there too",
        evidence: "Allow: GET,HEAD,PUT",
        ..BASE
    },
    Scenario {
        name: "two Access-Control-Allow-Origin lines",
        target: Target::Proxy,
        path: "/dup/cors/items",
        direct: Some("/cors/items"),
        reason: Some("PreflightMultipleAllowOriginValues"),
        layer: Layer::Proxy,
        fix: "proxy_hide_header",
        evidence: "2 Access-Control-Allow-Origin field lines",
        ..BASE
    },
    Scenario {
        name: "an origin the app's policy does not list",
        path: "/others/items",
        reason: Some("PreflightMissingAllowOriginHeader"),
        layer: Layer::App,
        fix: "add \"http://localhost:47821\" to `origins`",
        evidence: "a preflight from a refused origin is answered 204 alike, without CORS headers: the app's CORS settings do not list http://localhost:47821",
        ..BASE
    },
    Scenario {
        name: "a proxy drops the app's CORS headers",
        target: Target::Proxy,
        path: "/hide/cors/items",
        direct: Some("/cors/items"),
        reason: Some("PreflightMissingAllowOriginHeader"),
        layer: Layer::Proxy,
        fix: "pass Access-Control-* headers through unchanged",
        evidence: "the app directly: allowed; through the proxy: PreflightMissingAllowOriginHeader",
        ..BASE
    },
    Scenario {
        name: "a redirect on the preflight",
        target: Target::Proxy,
        path: "/redirect/cors/items",
        reason: Some("PreflightDisallowedRedirect"),
        layer: Layer::Redirect,
        fix: "browsers never follow a redirect on a preflight",
        evidence: "trailing slash",
        ..BASE
    },
    Scenario {
        name: "a URL-keyed cache and an app without Vary: Origin",
        target: Target::Proxy,
        path: "/cache/novary/data",
        direct: Some("/novary/data"),
        method: "GET",
        headers: &[],
        prime_with_other_origin: true,
        reason: Some("AllowOriginMismatch"),
        layer: Layer::Cache,
        fix: "the app sends no `Vary: Origin`",
        evidence: "the app sends no `Vary: Origin`",
        ..BASE
    },
    Scenario {
        name: "a cache that ignores Vary",
        target: Target::Proxy,
        path: "/cache/cors/items",
        direct: Some("/cors/items"),
        method: "GET",
        headers: &[],
        prime_with_other_origin: true,
        reason: Some("AllowOriginMismatch"),
        layer: Layer::Cache,
        fix: "a cache ignores `Vary`",
        evidence: "a cache ignores `Vary`",
        ..BASE
    },
    Scenario {
        name: "a request header the policy does not list",
        path: "/cors/items",
        headers: &[("content-type", "application/json"), ("x-trace", "1")],
        reason: Some("HeaderDisallowedByPreflightResponse"),
        layer: Layer::App,
        fix: "add \"x-trace\" to `allow_headers",
        evidence: "OPTIONS answered 204",
        ..BASE
    },
    Scenario {
        name: "* with credentials",
        path: "/wild/items",
        credentials: Credentials::Include,
        reason: Some("PreflightWildcardOriginNotAllowed"),
        layer: Layer::App,
        fix: "credentials = true",
        evidence: "OPTIONS answered 204",
        ..BASE
    },
    Scenario {
        name: "Allow-Credentials: True",
        path: "/capital/items",
        credentials: Credentials::Include,
        reason: Some("PreflightInvalidAllowCredentials"),
        layer: Layer::App,
        fix: "exactly lower-case `true`",
        evidence: "OPTIONS answered 204",
        ..BASE
    },
    Scenario {
        name: "* in Allow-Headers covers Authorization in Chromium, not in the standard",
        path: "/wildheaders/items",
        headers: &[("authorization", "Bearer t")],
        note: "the Fetch standard says it does not",
        ..BASE
    },
    Scenario {
        name: "a lower-case extension method against an upper-case Allow-Methods",
        path: "/patch/items",
        method: "patch",
        headers: &[],
        reason: Some("MethodDisallowedByPreflightResponse"),
        layer: Layer::App,
        fix: "methods are case-sensitive",
        evidence: "OPTIONS answered 204",
        ..BASE
    },
    Scenario {
        name: "an invalid Allow-Methods",
        path: "/badmethods/items",
        reason: Some("InvalidAllowMethodsPreflightResponse"),
        layer: Layer::App,
        fix: "comma-separated tokens",
        evidence: "OPTIONS answered 204",
        ..BASE
    },
    Scenario {
        name: "a body limit's 413 without CORS",
        path: "/upload",
        method: "POST",
        headers: &[("content-type", "text/plain")],
        body_size: 64,
        reason: Some("MissingAllowOriginHeader"),
        layer: Layer::Middleware,
        fix: "add_header Access-Control-Allow-Origin $http_origin always",
        evidence: "413 without CORS headers",
        ..BASE
    },
    Scenario {
        name: "a WAF challenge",
        target: Target::Proxy,
        path: "/waf/cors/items",
        reason: Some("PreflightMissingAllowOriginHeader"),
        layer: Layer::Waf,
        fix: "WAF skip rule",
        evidence: "HTML challenge page",
        ..BASE
    },
    Scenario {
        name: "split request headers",
        target: Target::Proxy,
        path: "/split/split/items",
        direct: Some("/split/items"),
        method: "GET",
        headers: &[("x-a", "1"), ("x-b", "2")],
        reason: Some("HeaderDisallowedByPreflightResponse"),
        layer: Layer::Proxy,
        fix: "splits Access-Control-Request-Headers",
        evidence: "asked alone, `x-b` is allowed",
        ..BASE
    },
];
