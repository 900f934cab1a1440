//! Every `#[cors]` policy compiled into the binary, for security reviews.
//!
//! Each attribute registers its policy in a link-time list
//! ([`linkme`](https://docs.rs/linkme)), so nothing has to be called at
//! start-up and no policy can be forgotten.

use std::fmt::Write as _;

use crate::policy::Policy;

/// The registry `#[cors]` adds each policy to.
#[doc(hidden)]
#[linkme::distributed_slice]
pub static POLICIES: [fn() -> &'static Policy];

/// Every `#[cors]` policy linked into this binary, sorted by handler path.
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

/// [`policies`] as a plain-text table, one line per handler.
///
/// ```text
/// handler        location         policy  replaced  origins                  methods    allow_headers  expose_headers  credentials  max_age  private_network
/// my_app::items  src/api.rs:12    APP     methods   https://app.example.com  GET, POST  content-type   -               yes          600      no
/// my_app::ping   src/main.rs:40   -       -         *                        GET        -              -               no           -        no
/// ```
pub fn policy_table() -> String {
    let rows: Vec<[String; 11]> = policies()
        .into_iter()
        .map(|policy| {
            [
                policy.handler().to_owned(),
                policy.location().to_owned(),
                policy.named_policy().unwrap_or("-").to_owned(),
                join_str(policy.replaced_keys()),
                join(&policy.origin_list()),
                policy.method_list().join(", "),
                join(&policy.allowed_header_list()),
                join(&policy.exposed_header_list()),
                yes_no(policy.allows_credentials()).to_owned(),
                policy
                    .max_age_seconds()
                    .map_or_else(|| "-".to_owned(), |seconds| seconds.to_string()),
                yes_no(policy.allows_private_network()).to_owned(),
            ]
        })
        .collect();
    let header = [
        "handler",
        "location",
        "policy",
        "replaced",
        "origins",
        "methods",
        "allow_headers",
        "expose_headers",
        "credentials",
        "max_age",
        "private_network",
    ];
    let mut widths: Vec<usize> = header.iter().map(|title| title.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut table = String::new();
    for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
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
/// `location` (`file:line`), `policy` (the named policy as written on the handler, or `null`),
/// `replaced` (the keys the handler wrote beside it), `origins`, `methods`, `allow_headers`, `expose_headers`, `credentials`,
/// `max_age` (a number or `null`) and `private_network`.
pub fn policy_json() -> String {
    let objects: Vec<String> = policies()
        .into_iter()
        .map(|policy| {
            format!(
                "{{\"handler\":{},\"location\":{},\"policy\":{},\"replaced\":{},\"origins\":{},\"methods\":{},\"allow_headers\":{},\"expose_headers\":{},\"credentials\":{},\"max_age\":{},\"private_network\":{}}}",
                json_string(policy.handler()),
                json_string(policy.location()),
                policy.named_policy().map_or_else(|| "null".to_owned(), json_string),
                json_array(policy.replaced_keys()),
                json_array(&policy.origin_list()),
                json_array(policy.method_list()),
                json_array(&policy.allowed_header_list()),
                json_array(&policy.exposed_header_list()),
                policy.allows_credentials(),
                policy.max_age_seconds().map_or_else(|| "null".to_owned(), |seconds| seconds.to_string()),
                policy.allows_private_network(),
            )
        })
        .collect();
    format!("[{}]", objects.join(","))
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
