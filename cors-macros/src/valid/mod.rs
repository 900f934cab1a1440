//! Checks what the user wrote, in three jobs, one file each: `keys`
//! checks each key's value on its own, `rules` the rules that involve
//! several keys, `signature` the handler the attribute is on. This module
//! puts the first two together into the policy `static_policy` writes
//! out; on errors the policy holds whatever was valid, which never allows
//! more than the user wrote.

mod keys;
mod rules;
mod signature;

use proc_macro2::Span;

use crate::attr::{Args, Entry, Key};
use crate::errors::Errors;
use crate::origin::PatternSpec;

pub(crate) use keys::{handler_crate, policy_path};
pub(crate) use signature::{
    handler, is_cors_attribute, not_a_function, not_an_expression, not_an_item,
};

/// The policy, ready to expand.
pub(crate) struct PolicySpec {
    pub(crate) origins: OriginsSpec,
    pub(crate) methods: Vec<String>,
    pub(crate) allow_headers: HeadersSpec,
    pub(crate) expose_headers: HeadersSpec,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<u32>,
    pub(crate) private_network: bool,
    /// Whether state-changing cross-origin requests from origins the policy
    /// does not allow are refused with 403.
    pub(crate) cross_origin_protection: bool,
    /// `dangerously_tolerate_insecure_origins = true`.
    pub(crate) tolerate_insecure_origins: bool,
    pub(crate) krate: syn::Path,
    /// The keys written, each with where (`policy` and `crate` left out);
    /// a key not here has its default.
    pub(crate) written: Vec<(Key, Source)>,
}

pub(crate) enum OriginsSpec {
    Any,
    List {
        exact: Vec<String>,
        patterns: Vec<PatternSpec>,
        /// Variables holding more origins, read at start-up.
        env: Vec<String>,
    },
}

pub(crate) enum HeadersSpec {
    None,
    /// Lower-case names.
    List(Vec<String>),
    /// `*`, with `authorization` too when listed beside it.
    Any {
        authorization: bool,
    },
}

/// Where a key's value was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// Where the policy is used: on the handler, or in a `layer!`.
    Handler,
    /// In the declaration of the named policy used (`policy = APP`).
    Declaration,
}

/// One key of the policy being checked, and where it was written.
///
/// A written-out policy and a combined one go through [`policy`] alike.
/// `policy!` has already reported every mistake of a declaration on its
/// own, so when a combined policy is checked, an error that involves only
/// declared keys is left out and the rest are reported: a handler's own
/// keys, and rules that involve a handler key and a declared one.
struct Written<'a> {
    entry: &'a Entry,
    source: Source,
}

/// `args`' entries but `policy` (and, in a declaration, `crate`), except
/// those whose key `replaced` holds.
fn written<'a>(
    args: &'a Args,
    source: Source,
    replaced: impl Fn(Key) -> bool + 'a,
) -> impl Iterator<Item = Written<'a>> + 'a {
    args.entries
        .iter()
        .filter(move |entry| {
            entry.kind != Key::Policy
                && !(source == Source::Declaration && entry.kind == Key::Crate)
                && !replaced(entry.kind)
        })
        .map(move |entry| Written { entry, source })
}

/// Checks a policy written on a handler or in a declaration, reporting
/// a missing `origins` on `whole`.
pub(crate) fn policy(args: &Args, whole: Span, errors: &mut Errors) -> PolicySpec {
    let entries: Vec<Written> = written(args, Source::Handler, |_| false).collect();
    checked(&entries, &args.misspelled, Some(whole), errors)
}

/// Merges a named policy's declaration with a handler's keys, the
/// handler's replacing the declaration's, and checks the result like a
/// written-out policy.
pub(crate) fn combined(declaration: &Args, handler: &Args, errors: &mut Errors) -> PolicySpec {
    let written_here = |kind: Key| handler.entries.iter().any(|entry| entry.kind == kind);
    let entries: Vec<Written> = written(declaration, Source::Declaration, written_here)
        .chain(written(handler, Source::Handler, |_| false))
        .collect();
    // A declaration without `origins` was reported by `policy!`.
    checked(&entries, &[Key::Origins], None, errors)
}

fn checked(
    entries: &[Written],
    misspelled: &[Key],
    whole: Option<Span>,
    errors: &mut Errors,
) -> PolicySpec {
    let mut policy = PolicySpec {
        origins: OriginsSpec::List {
            exact: Vec::new(),
            patterns: Vec::new(),
            env: Vec::new(),
        },
        methods: keys::DEFAULT_METHODS
            .iter()
            .map(|&m| m.to_owned())
            .collect(),
        allow_headers: HeadersSpec::None,
        expose_headers: HeadersSpec::None,
        credentials: false,
        max_age: None,
        private_network: false,
        cross_origin_protection: true,
        tolerate_insecure_origins: false,
        krate: syn::parse_quote!(::cors_runtime),
        written: Vec::new(),
    };
    let mut blame = rules::Blame::default();
    for &Written { entry, source } in entries {
        let mut found = Errors::default();
        let errors_here = &mut found;
        match entry.kind {
            Key::Origins => {
                let (origins, facts) = keys::origins(&entry.value, errors_here);
                policy.origins = origins;
                blame.any_origin = facts.any.map(|value| rules::Blamed { value, source });
                blame.insecure_origins = (!facts.insecure.is_empty())
                    .then_some(facts.insecure)
                    .map(|value| rules::Blamed { value, source });
            }
            Key::Methods => policy.methods = keys::methods(&entry.value, errors_here),
            Key::AllowHeaders => {
                let (headers, star) = keys::headers(entry, errors_here);
                policy.allow_headers = headers;
                blame.any_allow_header = star.map(|value| rules::Blamed { value, source });
            }
            Key::ExposeHeaders => {
                let (headers, star) = keys::headers(entry, errors_here);
                policy.expose_headers = headers;
                blame.any_expose_header = star.map(|value| rules::Blamed { value, source });
            }
            Key::Credentials => {
                policy.credentials = keys::boolean(entry, errors_here);
                blame.credentials = policy
                    .credentials
                    .then(|| entry.value.span_tokens())
                    .map(|value| rules::Blamed { value, source });
            }
            Key::MaxAge => policy.max_age = keys::max_age(&entry.value, errors_here),
            Key::PrivateNetwork => {
                policy.private_network = keys::boolean(entry, errors_here);
                blame.private_network = policy
                    .private_network
                    .then(|| entry.value.span_tokens())
                    .map(|value| rules::Blamed { value, source });
            }
            Key::DangerouslyTolerateInsecureOrigins => {
                policy.tolerate_insecure_origins = keys::boolean(entry, errors_here);
                blame.tolerate_insecure_origins = Some(rules::Blamed {
                    value: policy.tolerate_insecure_origins,
                    source,
                });
            }
            Key::CrossOriginProtection => {
                policy.cross_origin_protection = keys::boolean(entry, errors_here);
            }
            Key::Crate => {
                if let Some(path) = keys::crate_path(&entry.value, errors_here) {
                    policy.krate = path;
                }
            }
            Key::Policy => {}
        }
        if source == Source::Handler {
            errors.extend(found);
        }
        if entry.kind != Key::Crate {
            policy.written.push((entry.kind, source));
        }
    }
    let has_origins = entries
        .iter()
        .any(|written| written.entry.kind == Key::Origins);
    if let (false, false, Some(whole)) = (has_origins, misspelled.contains(&Key::Origins), whole) {
        errors.error(
            whole,
            "missing `origins`; write `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` to allow any origin",
        );
    }
    rules::cross_key_rules(&blame, errors);
    policy
}
