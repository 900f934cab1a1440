//! Every `#[cors]` policy compiled into the binary, for security reviews.
//!
//! Each attribute registers its policy in a link-time list
//! ([`linkme`](https://docs.rs/linkme)), so nothing has to be called at
//! start-up and no policy can be forgotten. The list knows handlers, not
//! routes: [`policy_listing`] adds what the assembled `Router` says about
//! the routes that use them.

use std::fmt::{self, Write as _};

use axum::Router;

use crate::check::{self, Finding, RouteProbe};
use crate::policy::{Policy, ValueSource, LISTED_KEYS};

/// The registry `#[cors]` adds each policy to.
#[doc(hidden)]
#[linkme::distributed_slice]
pub static POLICIES: [fn() -> &'static Policy];

/// Every `#[cors]` and `layer!` policy linked into this binary, sorted by
/// handler (or layer) path.
///
/// ```
/// use cors_runtime::cors;
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET, POST])]
/// async fn items() {}
///
/// let policies = cors_runtime::policies();
/// let items = policies.iter().find(|p| p.handler().ends_with("::items")).unwrap();
/// assert_eq!(items.origin_list(), ["https://app.example.com"]);
/// assert_eq!(items.method_list(), ["GET", "POST"]);
/// ```
///
/// Handlers of one name (local functions in several functions, as axum's
/// routes-and-handlers-close-together example has) are told apart by
/// [`Policy::location`]. One handler is listed once, even if its attribute
/// was expanded twice (`#[axum::debug_handler]` above `#[cors]` copies the
/// function into a check of its own).
pub fn policies() -> Vec<&'static Policy> {
    let mut policies: Vec<&'static Policy> = POLICIES.iter().map(|policy| policy()).collect();
    policies.sort_by_key(|policy| (policy.handler(), policy.location()));
    policies.dedup_by_key(|policy| (policy.handler(), policy.location()));
    policies
}

/// [`policies`] as a plain-text table, one line per handler or layer.
///
/// Every key is shown, each value followed by where it comes from:
/// `(handler)` or `(layer)` when written where the policy is used,
/// `(policy)` from the named policy's declaration, `(default)` when
/// written nowhere. A reviewer looks for `cross_origin_protection no` and
/// `dangerously_tolerate_insecure_origins yes` in particular. Routes are
/// not known here: [`policy_listing`] gives the same table followed by the
/// warnings of the assembled `Router`.
///
/// ```text
/// handler        location        policy  replaced  origins                           methods              ...  cross_origin_protection  dangerously_tolerate_insecure_origins
/// my_app::items  src/api.rs:12   APP     methods   https://app.example.com (policy)  GET, POST (handler)  ...  yes (default)            no (default)
/// my_app::ping   src/main.rs:40  -       -         * (handler)                       GET (default)        ...  yes (default)            no (default)
/// ```
pub fn policy_table() -> String {
    table(&policies())
}

fn table(policies: &[&'static Policy]) -> String {
    let rows: Vec<Vec<String>> = policies
        .iter()
        .map(|policy| {
            let mut row = vec![
                policy.handler().to_owned(),
                policy.location().to_owned(),
                policy.named_policy().unwrap_or("-").to_owned(),
                join_str(policy.replaced_keys()),
            ];
            row.extend(LISTED_KEYS.iter().zip(values(policy)).map(|(key, value)| {
                let shown = match value {
                    Value::List(items) => join(&items),
                    Value::Bool(value) => yes_no(value).to_owned(),
                    Value::Seconds(seconds) => {
                        seconds.map_or_else(|| "-".to_owned(), |seconds| seconds.to_string())
                    }
                };
                format!("{shown} ({})", source_label(policy, key))
            }));
            row
        })
        .collect();
    let header: Vec<&str> = ["handler", "location", "policy", "replaced"]
        .into_iter()
        .chain(LISTED_KEYS.iter().copied())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|title| title.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut table = String::new();
    let header: Vec<String> = header.into_iter().map(str::to_owned).collect();
    for row in std::iter::once(header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(table, "{}", cells.join("  ").trim_end());
    }
    table
}

/// [`policies`] as a JSON array of objects with the keys `handler`,
/// `kind` (`"handler"` or `"layer"`), `location` (`file:line`), `policy`
/// (the named policy as written on the handler, or `null`), `replaced`
/// (the keys the handler wrote beside it), `origins`, `methods`,
/// `allow_headers`, `expose_headers`, `credentials`, `max_age` (a number
/// or `null`), `private_network`, `cross_origin_protection`,
/// `dangerously_tolerate_insecure_origins`, and `sources`: an object
/// giving, for each of those keys, where its value comes from
/// (`"handler"` or `"layer"` when written where the policy is used,
/// `"policy"` from the named policy's declaration, `"default"`).
/// [`PolicyListing::json`] adds the key `warnings`.
pub fn policy_json() -> String {
    json(&policies(), None)
}

/// The objects of [`policy_json`]; with `warnings`, each object also has
/// the key `warnings`: those whose route's `preflight!` names the policy.
fn json(policies: &[&'static Policy], warnings: Option<&[Warning]>) -> String {
    let objects: Vec<String> =
        policies
            .iter()
            .map(|&policy| {
                let mut object =
                    format!(
                "{{\"handler\":{},\"kind\":{},\"location\":{},\"policy\":{},\"replaced\":{}",
                json_string(policy.handler()),
                json_string(if policy.is_layer() { "layer" } else { "handler" }),
                json_string(policy.location()),
                policy
                    .named_policy()
                    .map_or_else(|| "null".to_owned(), json_string),
                json_array(policy.replaced_keys()),
            );
                for (key, value) in LISTED_KEYS.iter().zip(values(policy)) {
                    let value = match value {
                        Value::List(items) => json_array(&items),
                        Value::Bool(value) => value.to_string(),
                        Value::Seconds(seconds) => {
                            seconds.map_or_else(|| "null".to_owned(), |seconds| seconds.to_string())
                        }
                    };
                    let _ = write!(object, ",{}:{value}", json_string(key));
                }
                let sources: Vec<String> = LISTED_KEYS
                    .iter()
                    .map(|key| {
                        format!(
                            "{}:{}",
                            json_string(key),
                            json_string(source_label(policy, key))
                        )
                    })
                    .collect();
                let _ = write!(object, ",\"sources\":{{{}}}", sources.join(","));
                if let Some(warnings) = warnings {
                    let warnings: Vec<String> = warnings
                        .iter()
                        .filter(|warning| warning.names(policy))
                        .map(|Warning { finding, .. }| {
                            format!(
                                "{{\"path\":{},\"method\":{},\"cause\":{},\"fix\":{}}}",
                                json_string(&finding.path),
                                json_string(&finding.method),
                                json_string(&finding.cause),
                                json_string(&finding.fix),
                            )
                        })
                        .collect();
                    let _ = write!(object, ",\"warnings\":[{}]", warnings.join(","));
                }
                object.push('}');
                object
            })
            .collect();
    format!("[{}]", objects.join(","))
}

/// Sends one request per route through `router` (a method nothing routes,
/// which axum answers `405` with `Allow` without running a handler) and
/// returns the listing of [`policies`] with the warnings
/// [`check::check_router`] gives for those routes' methods: a method
/// routed beside annotated handlers that no handler given to the route's
/// `preflight!` lists. Under `.options(preflight!(..))` a `POST` whose
/// handler has no `#[cors]` is unprotected: a browser sends a cross-origin
/// `POST` that a cached grant for the path's other methods covers, and the
/// handler runs.
///
/// Pass the routes as to [`check::check_router`]. Nothing is learned from
/// traffic: the listing depends on the router as built, and is the same
/// before and after it served requests. Call it in a test, or at start-up
/// for a review.
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_runtime::{check, cors, preflight};
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET, PUT], max_age = 600)]
/// async fn doc() -> &'static str { "doc" }
///
/// async fn legacy_post() -> &'static str { "posted" }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let app = Router::new().route(
///     "/doc",
///     get(doc).put(doc).post(legacy_post).options(preflight!(doc)),
/// );
/// let listing = cors_runtime::policy_listing(&app, [check::route("/doc", &preflight!(doc))]).await;
/// // The table of `policy_table()`, then one `warning:` line per finding:
/// // warning: /doc (preflight for POST): POST is routed, but no handler given to
/// // `preflight!` lists it: ...; if its handler has no `#[cors]`, it is unprotected
/// // under `.options(preflight!(..))`: ...
/// //     fix: ...
/// assert!(listing.table().contains("warning: /doc (preflight for POST)"));
/// # });
/// ```
pub async fn policy_listing(
    router: &Router,
    routes: impl IntoIterator<Item = RouteProbe>,
) -> PolicyListing {
    let mut warnings = Vec::new();
    for probe in routes {
        for finding in check::unlisted_methods(router, &probe.path, &probe.policies).await {
            warnings.push(Warning {
                finding,
                policies: probe.policies.clone(),
            });
        }
    }
    PolicyListing {
        policies: policies(),
        warnings,
    }
}

/// [`policies`] and the warnings the router as built gives about the
/// routes that use them; built by [`policy_listing`]. Displays as
/// [`PolicyListing::table`].
#[derive(Debug)]
pub struct PolicyListing {
    policies: Vec<&'static Policy>,
    warnings: Vec<Warning>,
}

/// A finding of [`check::check_router`] on a route, and the policies of
/// that route's `preflight!`.
#[derive(Debug)]
struct Warning {
    finding: Finding,
    policies: Vec<&'static Policy>,
}

impl Warning {
    fn names(&self, policy: &Policy) -> bool {
        self.policies
            .iter()
            .any(|named| std::ptr::eq(*named, policy))
    }
}

impl PolicyListing {
    /// The warnings, as [`check::check_router`] reports them; none when
    /// every method of every route given is listed by a policy of its
    /// `preflight!`.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.warnings.iter().map(|warning| &warning.finding)
    }

    /// [`policy_table`]'s table, followed by one `warning: ` entry per
    /// warning, in [`check::Report`]'s words: the path and method, the
    /// cause, and on the next line the fix.
    pub fn table(&self) -> String {
        let mut table = table(&self.policies);
        for warning in self.warnings() {
            let _ = writeln!(table, "warning: {warning}");
        }
        table
    }

    /// [`policy_json`]'s array, each object with one more key, `warnings`:
    /// an array of objects with the keys `path`, `method`, `cause` and
    /// `fix` (as in [`check::Finding`]), one per warning on a route whose
    /// `preflight!` names the policy (empty for the others).
    pub fn json(&self) -> String {
        json(&self.policies, Some(&self.warnings))
    }
}

impl fmt::Display for PolicyListing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.table())
    }
}

/// One key's value, as the listing shows it.
enum Value {
    List(Vec<String>),
    Bool(bool),
    Seconds(Option<u32>),
}

/// The values of [`LISTED_KEYS`], in that order.
fn values(policy: &Policy) -> [Value; 9] {
    [
        Value::List(policy.origin_list()),
        Value::List(policy.method_list().iter().map(|&m| m.to_owned()).collect()),
        Value::List(policy.allowed_header_list()),
        Value::List(policy.exposed_header_list()),
        Value::Bool(policy.allows_credentials()),
        Value::Seconds(policy.max_age_seconds()),
        Value::Bool(policy.allows_private_network()),
        Value::Bool(policy.protects_cross_origin()),
        Value::Bool(policy.tolerates_insecure_origins()),
    ]
}

/// Where `key`'s value comes from, as the listing says it.
fn source_label(policy: &Policy, key: &str) -> &'static str {
    match policy.value_source(key) {
        ValueSource::Written if policy.is_layer() => "layer",
        ValueSource::Written => "handler",
        ValueSource::NamedPolicy => "policy",
        ValueSource::Default => "default",
    }
}

fn join(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    }
}

fn join_str(items: &[&str]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn json_array<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| json_string(item.as_ref()))
        .collect();
    format!("[{}]", items.join(","))
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
