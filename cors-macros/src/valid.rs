//! Checks each key's value, the rules that involve several keys, and the
//! handler's signature. Produces the policy `expand` writes out; on errors
//! the policy holds whatever was valid, which never allows more than the
//! user wrote.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::spanned::Spanned;

use crate::attr::{self, Args, Elem, Entry, Key, Value};
use crate::errors::Errors;
use crate::origin::{self, OriginSpec, PatternSpec};
use cors_rules::token::is_token;

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

/// What the default `methods` is.
const DEFAULT_METHODS: &[&str] = &["GET"];

/// Methods written as identifiers; others are string literals.
const STANDARD_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

/// Methods that can never be allowed, and why.
const REFUSED_METHODS: &[(&str, &str)] = &[
    (
        "OPTIONS",
        "`OPTIONS` is the preflight itself and is answered by `preflight!`; remove it",
    ),
    (
        "CONNECT",
        "`CONNECT` is a forbidden method in the Fetch standard: browsers never send it",
    ),
    (
        "TRACE",
        "`TRACE` is a forbidden method in the Fetch standard: browsers never send it",
    ),
    (
        "TRACK",
        "`TRACK` is a forbidden method in the Fetch standard: browsers never send it",
    ),
];

/// Request headers a page can never set (Fetch's forbidden request-header
/// names); allowing one would be dead configuration or a mistake.
const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];
const FORBIDDEN_REQUEST_HEADER_PREFIXES: &[&str] = &["proxy-", "sec-"];

/// Response headers a page can never read, exposed or not.
const FORBIDDEN_RESPONSE_HEADERS: &[&str] = &["set-cookie", "set-cookie2"];

const MAX_AGE_LIMIT: u32 = 86_400;

/// Spans of the values that cross-key rules blame, each with whether it
/// was written in a named policy's declaration (see [`Written`]).
#[derive(Default)]
struct Blame {
    any_origin: Option<(Span, bool)>,
    /// Plain-`http` origins other than loopback, as written.
    insecure_origins: Option<(Vec<syn::LitStr>, bool)>,
    credentials: Option<(TokenStream, bool)>,
    private_network: Option<(TokenStream, bool)>,
    /// `dangerously_tolerate_insecure_origins`, when written.
    tolerate_insecure_origins: Option<(bool, bool)>,
    any_allow_header: Option<(TokenStream, bool)>,
    any_expose_header: Option<(TokenStream, bool)>,
}

/// One key of the policy being checked, and whether it comes from the
/// declaration of the named policy a handler uses (`policy = APP`).
///
/// A written-out policy and a combined one go through [`policy`] alike.
/// `policy!` has already reported every mistake of a declaration on its
/// own, so when a combined policy is checked, an error that involves only
/// declared keys is left out and the rest are reported: a handler's own
/// keys, and rules that involve a handler key and a declared one.
pub(crate) struct Written<'a> {
    pub(crate) entry: &'a Entry,
    pub(crate) declared: bool,
}

/// `args`' entries but `policy` (and, in a declaration, `crate`), except
/// those whose key `replaced` holds.
fn written<'a>(
    args: &'a Args,
    declared: bool,
    replaced: impl Fn(Key) -> bool + 'a,
) -> impl Iterator<Item = Written<'a>> + 'a {
    args.entries
        .iter()
        .filter(move |entry| {
            entry.kind != Key::Policy
                && !(declared && entry.kind == Key::Crate)
                && !replaced(entry.kind)
        })
        .map(move |entry| Written { entry, declared })
}

/// Checks a policy written on a handler or in a declaration, reporting
/// a missing `origins` on `whole`.
pub(crate) fn policy(args: &Args, whole: Span, errors: &mut Errors) -> PolicySpec {
    let entries: Vec<Written> = written(args, false, |_| false).collect();
    checked(&entries, &args.misspelled, Some(whole), errors)
}

/// Merges a named policy's declaration with a handler's keys, the
/// handler's replacing the declaration's, and checks the result like a
/// written-out policy.
pub(crate) fn combined(declaration: &Args, handler: &Args, errors: &mut Errors) -> PolicySpec {
    let written_here = |kind: Key| handler.entries.iter().any(|entry| entry.kind == kind);
    let entries: Vec<Written> = written(declaration, true, written_here)
        .chain(written(handler, false, |_| false))
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
        methods: DEFAULT_METHODS.iter().map(|&m| m.to_owned()).collect(),
        allow_headers: HeadersSpec::None,
        expose_headers: HeadersSpec::None,
        credentials: false,
        max_age: None,
        private_network: false,
        cross_origin_protection: true,
        tolerate_insecure_origins: false,
        krate: syn::parse_quote!(::cors_runtime),
    };
    let mut blame = Blame::default();
    for &Written { entry, declared } in entries {
        let mut found = Errors::default();
        let errors_here = &mut found;
        let mut entry_blame = Blame::default();
        match entry.kind {
            Key::Origins => {
                policy.origins = origins(&entry.value, &mut entry_blame, errors_here);
            }
            Key::Methods => policy.methods = methods(&entry.value, errors_here),
            Key::AllowHeaders => {
                policy.allow_headers =
                    headers(entry, &mut entry_blame.any_allow_header, errors_here);
            }
            Key::ExposeHeaders => {
                policy.expose_headers =
                    headers(entry, &mut entry_blame.any_expose_header, errors_here);
            }
            Key::Credentials => {
                policy.credentials = boolean(entry, errors_here);
                if policy.credentials {
                    entry_blame.credentials = Some((entry.value.span_tokens(), false));
                }
            }
            Key::MaxAge => policy.max_age = max_age(&entry.value, errors_here),
            Key::PrivateNetwork => {
                policy.private_network = boolean(entry, errors_here);
                if policy.private_network {
                    entry_blame.private_network = Some((entry.value.span_tokens(), false));
                }
            }
            Key::DangerouslyTolerateInsecureOrigins => {
                policy.tolerate_insecure_origins = boolean(entry, errors_here);
                entry_blame.tolerate_insecure_origins =
                    Some((policy.tolerate_insecure_origins, false));
            }
            Key::CrossOriginProtection => {
                policy.cross_origin_protection = boolean(entry, errors_here);
            }
            Key::Crate => {
                if let Some(path) = crate_path(&entry.value, errors_here) {
                    policy.krate = path;
                }
            }
            Key::Policy => {}
        }
        if !declared {
            errors.extend(found);
        }
        blame.merge(entry_blame, declared);
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
    cross_key_rules(&blame, errors);
    policy
}

impl Blame {
    /// Takes the spans one entry set, marking whether it was declared.
    fn merge(&mut self, entry: Blame, declared: bool) {
        fn mark<T>(slot: &mut Option<(T, bool)>, found: Option<(T, bool)>, declared: bool) {
            if let Some((span, _)) = found {
                *slot = Some((span, declared));
            }
        }
        mark(&mut self.any_origin, entry.any_origin, declared);
        mark(&mut self.insecure_origins, entry.insecure_origins, declared);
        mark(&mut self.credentials, entry.credentials, declared);
        mark(&mut self.private_network, entry.private_network, declared);
        mark(
            &mut self.tolerate_insecure_origins,
            entry.tolerate_insecure_origins,
            declared,
        );
        mark(&mut self.any_allow_header, entry.any_allow_header, declared);
        mark(
            &mut self.any_expose_header,
            entry.any_expose_header,
            declared,
        );
    }
}

/// Rules between keys. Each is reported unless every key involved was
/// declared in a named policy, whose own check reported it already.
fn cross_key_rules(blame: &Blame, errors: &mut Errors) {
    // Reported unless every key involved was declared.
    let reported = |involved: &[Option<bool>]| !involved.iter().flatten().all(|&declared| declared);
    if let (Some((any_origin, origin_declared)), Some((private_network, network_declared))) =
        (blame.any_origin, &blame.private_network)
    {
        if reported(&[Some(origin_declared), Some(*network_declared)]) {
            errors.error(
                any_origin,
                "`origins = \"*\"` cannot be combined with `private_network = true`: every site on the internet could then reach this server inside the private network through its visitors' browsers; list the allowed origins",
            );
            errors.spanned(private_network, "`private_network = true` is set here");
        }
    }
    let tolerate = blame.tolerate_insecure_origins;
    if let (Some((insecure, origins_declared)), false) = (
        &blame.insecure_origins,
        tolerate.is_some_and(|(value, _)| value),
    ) {
        // What an impostor of a plain-`http` origin would gain.
        let risk = match (&blame.credentials, &blame.private_network) {
            (Some((tokens, declared)), _) => {
                Some((origin::CREDENTIALS_RISK, tokens, *declared, "credentials"))
            }
            (None, Some((tokens, declared))) => Some((
                origin::PRIVATE_NETWORK_RISK,
                tokens,
                *declared,
                "private_network",
            )),
            (None, None) => None,
        };
        if let Some((why, risk_tokens, risk_declared, risk_key)) = risk {
            if reported(&[
                Some(*origins_declared),
                Some(risk_declared),
                tolerate.map(|(_, declared)| declared),
            ]) {
                for origin in insecure {
                    errors.error(
                        origin.span(),
                        origin::insecure_message(&origin.value(), why),
                    );
                }
                // The origin is in a named policy: show which handler's
                // key makes it wrong.
                if *origins_declared && !risk_declared {
                    errors.spanned(risk_tokens, format!("`{risk_key} = true` is set here"));
                }
            }
        }
    }
    let Some((credentials, credentials_declared)) = &blame.credentials else {
        return;
    };
    let with_credentials =
        |declared: bool| reported(&[Some(declared), Some(*credentials_declared)]);
    if let Some((any_origin, declared)) = blame.any_origin {
        if with_credentials(declared) {
            errors.error(
                any_origin,
                "`origins = \"*\"` cannot be combined with `credentials = true`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins",
            );
            errors.spanned(credentials, "`credentials = true` is set here");
        }
    }
    if let Some((star, declared)) = &blame.any_allow_header {
        if with_credentials(*declared) {
            errors.spanned(
                star,
                "`allow_headers = \"*\"` cannot be combined with `credentials = true`: with credentials browsers read `*` as a header named `*`; list the allowed headers",
            );
        }
    }
    if let Some((star, declared)) = &blame.any_expose_header {
        if with_credentials(*declared) {
            errors.spanned(
                star,
                "`expose_headers = \"*\"` cannot be combined with `credentials = true`: with credentials browsers read `*` as a header named `*`; list the exposed headers",
            );
        }
    }
}

fn origins(value: &Value, blame: &mut Blame, errors: &mut Errors) -> OriginsSpec {
    let mut exact = Vec::new();
    let mut patterns = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut insecure = Vec::new();
    let mut add = |lit: &syn::LitStr, errors: &mut Errors| {
        let text = lit.value();
        match origin::parse_origin(&text) {
            Err(message) => errors.error(lit.span(), message),
            Ok(_) if seen.contains(&text) => {
                errors.error(lit.span(), format!("duplicate origin `{text}`"))
            }
            Ok(spec) => {
                seen.push(text);
                if origin::is_insecure(&spec) {
                    insecure.push(lit.clone());
                }
                match spec {
                    OriginSpec::Exact(origin) => exact.push(origin),
                    OriginSpec::Pattern(pattern) => patterns.push(pattern),
                }
            }
        }
    };
    let mut env: Vec<String> = Vec::new();
    let mut add_env = |tokens: &TokenStream, errors: &mut Errors| match env_variable(tokens) {
        Some(Ok(name)) if env.contains(&name) => {
            errors.spanned(tokens, format!("duplicate `env(\"{name}\")`"));
        }
        Some(Ok(name)) => env.push(name),
        Some(Err(message)) => errors.spanned(tokens, message),
        None => errors.spanned(tokens, not_an_origin(tokens)),
    };
    match value {
        Value::Str(lit) if lit.value() == "*" => {
            blame.any_origin = Some((lit.span(), false));
            return OriginsSpec::Any;
        }
        Value::Str(lit) => add(lit, errors),
        Value::Other(tokens) => add_env(tokens, errors),
        Value::Array(array) if array.elems.is_empty() => errors.error(
            array.bracket.span.join(),
            "`origins` is empty; list at least one origin, or write `origins = \"*\"` to allow any origin",
        ),
        Value::Array(array) => {
            for elem in &array.elems {
                match elem {
                    Elem::Str(lit) => add(lit, errors),
                    other => add_env(&other.span_tokens(), errors),
                }
            }
        }
        other => errors.spanned(
            other.span_tokens(),
            "expected `origins = \"*\"` or a list of origins such as `[\"https://app.example.com\"]`",
        ),
    }
    if !insecure.is_empty() {
        blame.insecure_origins = Some((insecure, false));
    }
    exact.sort();
    OriginsSpec::List {
        exact,
        patterns,
        env,
    }
}

/// The message for an entry of `origins` that is neither a string nor
/// `env("...")`. A path is most likely a constant, which a macro cannot
/// read: it sees the tokens written, never their values.
fn not_an_origin(tokens: &TokenStream) -> String {
    match syn::parse2::<syn::Path>(tokens.clone()) {
        Ok(path) => {
            let name = path_text(&path);
            format!(
                "`{name}` is a constant, and `#[cors]` cannot read constants: a macro sees only the tokens written here; write the origins here as strings, use `env(\"{}\")` to read them at start-up, or share a whole policy between handlers with `cors_runtime::policy!`",
                path.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default()
            )
        }
        Err(_) => "expected an origin string such as `\"https://app.example.com\"`, or `env(\"VARIABLE\")` for origins read at start-up".to_owned(),
    }
}

fn path_text(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// `env("NAME")`: `None` if the tokens are not an `env` call or macro at
/// all. The messages use the user's own variable names.
fn env_variable(tokens: &TokenStream) -> Option<Result<String, String>> {
    let (args, is_macro) = match syn::parse2::<syn::Expr>(tokens.clone()).ok()? {
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(function) if function.path.is_ident("env") => {
                (call.args.into_iter().collect::<Vec<_>>(), false)
            }
            _ => return None,
        },
        syn::Expr::Macro(mac) if mac.mac.path.is_ident("env") => {
            let args = mac
                .mac
                .parse_body_with(
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                )
                .map(|args| args.into_iter().collect())
                .unwrap_or_default();
            (args, true)
        }
        _ => return None,
    };
    let names: Vec<String> = args.iter().map(env_name_as_written).collect();
    let strings: Vec<String> = names
        .iter()
        .map(|name| format!("env(\"{}\")", name.trim_matches('"')))
        .collect();
    if is_macro {
        let write = if strings.is_empty() {
            "env(\"APP_ORIGINS\")".to_owned()
        } else {
            strings.join(", ")
        };
        return Some(Err(format!(
            "write `{write}`, without `!`: `env!` would read the variable once, while compiling, but `env(...)` origins are read when the server starts"
        )));
    }
    match args.as_slice() {
        [syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        })] => Some(check_variable_name(name.value())),
        [_] => Some(Err(format!(
            "write the variable's name as a string: `{}`; `env(...)` takes the name, not a value",
            strings[0]
        ))),
        [] => Some(Err(
            "`env()` needs the name of a variable, such as `env(\"APP_ORIGINS\")`".into(),
        )),
        _ => Some(Err(format!(
            "`env(...)` takes one variable; for several, write `{}`",
            strings.join(", ")
        ))),
    }
}

/// `APP_ORIGINS` for `APP_ORIGINS` or `"APP_ORIGINS"`, as written.
fn env_name_as_written(arg: &syn::Expr) -> String {
    match arg {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        }) => name.value(),
        other => other.to_token_stream().to_string().replace(' ', ""),
    }
}

fn check_variable_name(name: String) -> Result<String, String> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(name)
    } else {
        Err(format!("`{name}` is not an environment variable name: letters, digits and `_`, not starting with a digit"))
    }
}

fn methods(value: &Value, errors: &mut Errors) -> Vec<String> {
    let Value::Array(array) = value else {
        errors.spanned(
            value.span_tokens(),
            "expected a list of methods such as `[GET, POST]`",
        );
        return Vec::new();
    };
    if array.elems.is_empty() {
        errors.error(
            array.bracket.span.join(),
            "`methods` is empty; list at least one method, such as `[GET]`",
        );
    }
    let mut methods: Vec<String> = Vec::new();
    for elem in &array.elems {
        let checked = match elem {
            Elem::Ident(ident) => method_ident(&ident.to_string()),
            Elem::Str(lit) => method_string(&lit.value()),
            Elem::Other(_) => {
                Err("expected a method such as `GET`, or a string such as `\"PURGE\"`".into())
            }
        };
        match checked {
            Ok(method) if methods.contains(&method) => {
                errors.spanned(elem.span_tokens(), format!("duplicate method `{method}`"));
            }
            Ok(method) => methods.push(method),
            Err(message) => errors.spanned(elem.span_tokens(), message),
        }
    }
    methods
}

fn refused_method(method: &str) -> Option<String> {
    REFUSED_METHODS
        .iter()
        .find(|(refused, _)| refused.eq_ignore_ascii_case(method))
        .map(|(_, why)| (*why).to_owned())
}

fn method_ident(ident: &str) -> Result<String, String> {
    if let Some(why) = refused_method(ident) {
        return Err(why);
    }
    if STANDARD_METHODS.contains(&ident) {
        return Ok(ident.to_owned());
    }
    if let Some(standard) = STANDARD_METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(ident))
    {
        return Err(format!(
            "methods are case-sensitive and browsers send `{standard}`; write `{standard}`"
        ));
    }
    let standard = STANDARD_METHODS
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let nearest = STANDARD_METHODS
        .iter()
        .map(|m| (attr::edit_distance(ident, m), m))
        .min_by_key(|(distance, _)| *distance)
        .filter(|(distance, _)| *distance <= 2);
    Err(match nearest {
        Some((_, method)) => format!(
            "unknown method `{ident}`; did you mean `{method}`? the standard ones are {standard}; an extension method is written as a string: `\"{ident}\"`"
        ),
        None => format!(
            "unknown method `{ident}`; the standard ones are {standard}, and an extension method is written as a string: `\"{ident}\"`"
        ),
    })
}

fn method_string(method: &str) -> Result<String, String> {
    if method == "*" {
        return Err("`*` is not a method: browsers read `Access-Control-Allow-Methods: *` as any method only without credentials, while the policy still refuses methods it does not list; list the methods, such as `[GET, POST]`".into());
    }
    if !is_token(method.as_bytes()) {
        return Err(format!(
            "`{method}` is not a valid method: a method is an HTTP token"
        ));
    }
    if let Some(why) = refused_method(method) {
        return Err(why);
    }
    if let Some(standard) = STANDARD_METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
    {
        if *standard != method {
            return Err(format!(
                "methods are case-sensitive and browsers send `{standard}`; write `{standard}`"
            ));
        }
    }
    Ok(method.to_owned())
}

fn headers(
    entry: &Entry,
    any_blame: &mut Option<(TokenStream, bool)>,
    errors: &mut Errors,
) -> HeadersSpec {
    let allow = entry.kind == Key::AllowHeaders;
    let key = entry.kind.name();
    let lits: Vec<&syn::LitStr> = match &entry.value {
        Value::Str(lit) if lit.value() == "*" => {
            *any_blame = Some((lit.to_token_stream(), false));
            return HeadersSpec::Any {
                authorization: false,
            };
        }
        Value::Str(lit) => vec![lit],
        Value::Array(array) if array.elems.is_empty() => {
            errors.error(
                array.bracket.span.join(),
                format!("`{key}` is empty; list at least one header name, or leave the key out"),
            );
            return HeadersSpec::None;
        }
        Value::Array(array) => array
            .elems
            .iter()
            .filter_map(|elem| match elem {
                Elem::Str(lit) => Some(lit),
                other => {
                    errors.spanned(
                        other.span_tokens(),
                        "expected a header name string such as `\"content-type\"`",
                    );
                    None
                }
            })
            .collect(),
        other => {
            errors.spanned(
                other.span_tokens(),
                format!("expected `{key} = \"*\"` or a list such as `[\"content-type\"]`"),
            );
            return HeadersSpec::None;
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut star: Option<&syn::LitStr> = None;
    for lit in lits {
        let name = lit.value().to_ascii_lowercase();
        if name == "*" {
            if star.is_some() {
                errors.error(lit.span(), "duplicate `*`");
            }
            star = Some(lit);
            continue;
        }
        if let Err(message) = header_name(&name, allow) {
            errors.error(lit.span(), message);
        } else if names.contains(&name) {
            errors.error(
                lit.span(),
                format!("duplicate header `{name}` (header names are case-insensitive)"),
            );
        } else {
            names.push(name);
        }
    }
    let Some(star) = star else {
        return HeadersSpec::List(names);
    };
    *any_blame = Some((star.to_token_stream(), false));
    let authorization = names.iter().any(|name| name == "authorization");
    // Beside `*` only `authorization` means something: `*` covers the rest.
    if !allow || names.iter().any(|name| name != "authorization") {
        errors.error(
            star.span(),
            if allow {
                "`*` already covers every header except `authorization`; list `*` alone, or `*` and `authorization`"
            } else {
                "`*` already exposes every response header a page can read, so the names beside it add nothing; write `expose_headers = \"*\"`, or list the names without `*` (with `credentials = true` only a list works)"
            },
        );
    }
    HeadersSpec::Any { authorization }
}

fn header_name(name: &str, allow: bool) -> Result<(), String> {
    if !is_token(name.as_bytes()) {
        return Err(format!(
            "`{name}` is not a valid header name: a header name is an HTTP token"
        ));
    }
    if allow {
        let forbidden = FORBIDDEN_REQUEST_HEADERS.contains(&name)
            || FORBIDDEN_REQUEST_HEADER_PREFIXES
                .iter()
                .any(|prefix| name.starts_with(prefix));
        if forbidden {
            return Err(format!(
                "`{name}` is a forbidden request header: browsers set it themselves and never ask for it; remove it"
            ));
        }
    } else if FORBIDDEN_RESPONSE_HEADERS.contains(&name) {
        return Err(format!(
            "`{name}` can never be read by a page, exposed or not; remove it"
        ));
    }
    Ok(())
}

fn boolean(entry: &Entry, errors: &mut Errors) -> bool {
    if let Value::Bool(lit) = &entry.value {
        return lit.value;
    }
    errors.spanned(
        entry.value.span_tokens(),
        format!("expected `{} = true` or `{} = false`", entry.key, entry.key),
    );
    false
}

fn max_age(value: &Value, errors: &mut Errors) -> Option<u32> {
    let message = match value {
        Value::Int(lit) if !lit.suffix().is_empty() => "`max_age` takes a plain integer number of seconds, without a suffix".to_owned(),
        Value::Int(lit) => match lit.base10_parse::<u32>() {
            Ok(seconds) if seconds <= MAX_AGE_LIMIT => return Some(seconds),
            _ => format!("`max_age` is at most {MAX_AGE_LIMIT} seconds (one day); browsers cap it lower anyway"),
        },
        Value::Negative(_) => "`max_age` cannot be negative; use `0` to disable preflight caching".to_owned(),
        Value::Float(_) => "`max_age` is a whole number of seconds".to_owned(),
        Value::Other(tokens) => match syn::parse2::<syn::Path>(tokens.clone()) {
            Ok(path) => format!("`{}` is a constant, and `#[cors]` cannot read constants: a macro sees only the tokens written here; write the number of seconds, such as `max_age = 600`", path_text(&path)),
            Err(_) => format!("`max_age` takes an integer literal (seconds), such as `max_age = 600`; `#[cors]` cannot evaluate `{}`: a macro sees only the tokens written here", tokens),
        },
        _ => "expected a number of seconds, such as `max_age = 600`".to_owned(),
    };
    errors.spanned(value.span_tokens(), message);
    None
}

fn crate_path(value: &Value, errors: &mut Errors) -> Option<syn::Path> {
    if let Value::Str(lit) = value {
        match lit.parse::<syn::Path>() {
            Ok(path) => return Some(path),
            Err(_) => errors.error(lit.span(), format!("`{}` is not a path", lit.value())),
        }
    } else {
        errors.spanned(
            value.span_tokens(),
            "expected the runtime crate's path as a string, such as `crate = \"::cors_runtime\"`",
        );
    }
    None
}

/// `policy = APP` or `policy = crate::cors::APP`: the path of a
/// declaration's macro, without generic arguments.
pub(crate) fn policy_path(value: &Value, errors: &mut Errors) -> Option<syn::Path> {
    let message = match value {
        Value::Other(tokens) => match syn::parse2::<syn::Path>(tokens.clone()) {
            Ok(path)
                if path
                    .segments
                    .iter()
                    .all(|segment| segment.arguments.is_none()) =>
            {
                return Some(path)
            }
            _ => "expected the name of a policy declared with `policy!`, such as `policy = APP` or `policy = crate::cors::APP`".to_owned(),
        },
        Value::Str(lit) => format!(
            "`policy` takes the policy's name as a path, not a string: write `policy = {}`",
            lit.value()
        ),
        _ => "expected the name of a policy declared with `policy!`, such as `policy = APP` or `policy = crate::cors::APP`".to_owned(),
    };
    errors.spanned(value.span_tokens(), message);
    None
}

/// The handler's `crate`, or the default; a bad one is reported where the
/// policy is checked.
pub(crate) fn handler_crate(args: &Args) -> syn::Path {
    args.entries
        .iter()
        .find(|entry| entry.kind == Key::Crate)
        .and_then(|entry| crate_path(&entry.value, &mut Errors::default()))
        .unwrap_or_else(|| syn::parse_quote!(::cors_runtime))
}

/// Axum's limit on a handler's arguments, less the one the wrapper adds.
const MAX_ARGUMENTS: usize = 16;

/// Checks that the function can become the wrapper: an `async fn` with no
/// receiver and room for one more extractor. Returns whether it can.
pub(crate) fn handler(function: &syn::ItemFn, errors: &mut Errors) -> bool {
    let signature = &function.sig;
    let mut problems = Errors::default();
    if let Some(receiver) = signature.receiver() {
        problems.spanned(
            receiver,
            "`#[cors]` cannot be used on a method: axum handlers are free functions; move it out of the `impl` block",
        );
    }
    if signature.asyncness.is_none() {
        problems.error(
            signature.fn_token.span(),
            format!(
                "`#[cors]` applies to an `async fn` handler; write `async fn {}`",
                signature.ident
            ),
        );
    }
    if let Some(constness) = &signature.constness {
        problems.spanned(constness, "a `const fn` cannot be an axum handler");
    }
    if let Some(unsafety) = &signature.unsafety {
        problems.spanned(unsafety, "an `unsafe fn` cannot be an axum handler");
    }
    if let Some(abi) = &signature.abi {
        problems.spanned(abi, "an `extern` function cannot be an axum handler");
    }
    if let Some(variadic) = &signature.variadic {
        problems.spanned(variadic, "a variadic function cannot be an axum handler");
    }
    if signature.inputs.len() > MAX_ARGUMENTS {
        problems.spanned(
            &signature.inputs,
            format!("axum handlers take at most {MAX_ARGUMENTS} arguments; group some extractors into a struct"),
        );
    }
    body_extractor_last(signature, &mut problems);
    impl_trait_arguments(signature, &mut problems);
    let wrappable = problems.is_empty();
    errors.extend(problems);
    for attr in function.attrs.iter().filter(|attr| is_cors_attribute(attr)) {
        // Reported, not refused: the handler is still wrapped once.
        errors.spanned(
            attr,
            "`#[cors]` is applied twice to this handler; merge the keys into one attribute",
        );
    }
    wrappable
}

/// Extractors that consume the request body, and so must come last: axum
/// gives the body to the last argument only. Read from the type's name, as
/// `axum::debug_handler` does, since a macro cannot see trait impls.
const BODY_EXTRACTORS: &[&str] = &[
    "Json",
    "Form",
    "Bytes",
    "String",
    "Body",
    "Request",
    "RawForm",
    "Multipart",
];

fn body_extractor_last(signature: &syn::Signature, problems: &mut Errors) {
    let count = signature.inputs.len();
    for input in signature.inputs.iter().take(count.saturating_sub(1)) {
        let syn::FnArg::Typed(typed) = input else {
            continue;
        };
        let syn::Type::Path(path) = &*typed.ty else {
            continue;
        };
        let Some(last) = path.path.segments.last() else {
            continue;
        };
        let name = last.ident.to_string();
        if BODY_EXTRACTORS.contains(&name.as_str()) {
            problems.spanned(
                &typed.ty,
                format!("`{name}` reads the request body, so it must be the handler's last argument; move it after the others"),
            );
        }
    }
}

/// An argument typed `impl Trait` makes the function generic in a type
/// no one can name, so axum could never route it, and `#[cors]` could not
/// name it either.
fn impl_trait_arguments(signature: &syn::Signature, problems: &mut Errors) {
    for input in &signature.inputs {
        let syn::FnArg::Typed(typed) = input else {
            continue;
        };
        if mentions_impl(typed.ty.to_token_stream()) {
            let name = &signature.ident;
            problems.spanned(
                &typed.ty,
                format!("an `impl Trait` argument cannot be named where the handler is routed; declare a type parameter, `async fn {name}<T: Trait>(arg: T)`, and route `{name}::<Type>`"),
            );
        }
    }
}

/// Whether the tokens contain `impl Trait`, at any depth.
pub(crate) fn mentions_impl(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == "impl",
        proc_macro2::TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}

/// `#[cors(...)]` or `#[cors_runtime::cors(...)]`: the attribute itself.
pub(crate) fn is_cors_attribute(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "cors")
}

/// What to say about an item that is not a function: a `static` or
/// `const` holding a closure gets its own message.
pub(crate) fn not_a_function(item: &syn::Item) -> (Span, String) {
    let closure = match item {
        syn::Item::Const(item) => Some((&item.ident, &*item.expr)),
        syn::Item::Static(item) => Some((&item.ident, &*item.expr)),
        _ => None,
    };
    match closure {
        Some((name, expr @ syn::Expr::Closure(_))) => (expr.span(), closure_message(&name.to_string().to_lowercase())),
        _ => (
            item_keyword_span(item),
            "`#[cors]` applies to an `async fn` handler, such as `async fn items() -> impl IntoResponse { ... }`".to_owned(),
        ),
    }
}

/// What to say about a statement given `#[cors]`, most likely a closure
/// bound with `let`.
pub(crate) fn not_an_item(statement: &syn::Stmt) -> (Span, String) {
    if let syn::Stmt::Local(syn::Local {
        pat,
        init: Some(init),
        ..
    }) = statement
    {
        if let syn::Expr::Closure(closure) = &*init.expr {
            let name = match pat {
                syn::Pat::Ident(binding) => binding.ident.to_string(),
                _ => "handler".to_owned(),
            };
            return (closure.span(), closure_message(&name));
        }
    }
    (
        statement.span(),
        "`#[cors]` applies to an `async fn` handler item, such as `async fn items() -> impl IntoResponse { ... }`".to_owned(),
    )
}

fn closure_message(name: &str) -> String {
    format!("`#[cors]` applies to an `async fn` handler, not a closure: the policy lives beside a named function; write `async fn {name}(...) -> impl IntoResponse {{ ... }}` and route `{name}`")
}

/// The span of an item's keyword (`struct`, `impl`, ...), past its
/// attributes and visibility.
pub(crate) fn item_keyword_span(item: &syn::Item) -> Span {
    let mut tokens = item.to_token_stream().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                tokens.next();
            }
            TokenTree::Ident(ident) if ident == "pub" => {
                if matches!(tokens.peek(), Some(TokenTree::Group(_))) {
                    tokens.next();
                }
            }
            other => return other.span(),
        }
    }
    Span::call_site()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_message(tokens: TokenStream) -> String {
        match env_variable(&tokens) {
            Some(Err(message)) => message,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn env_messages_use_the_names_written() {
        assert!(env_message(quote::quote!(env(MY_ORIGINS))).contains("`env(\"MY_ORIGINS\")`"));
        assert!(env_message(quote::quote!(env!("MY_ORIGINS")))
            .starts_with("write `env(\"MY_ORIGINS\")`, without `!`"));
        assert!(
            env_message(quote::quote!(env("A", "B"))).contains("write `env(\"A\"), env(\"B\")`")
        );
        assert_eq!(
            env_variable(&quote::quote!(env("OK"))),
            Some(Ok("OK".to_owned()))
        );
        assert_eq!(env_variable(&quote::quote!(other("OK"))), None);
    }

    #[test]
    fn an_unknown_method_names_the_nearest_standard_one_first() {
        let message = method_ident("POTS").unwrap_err();
        assert!(
            message.starts_with("unknown method `POTS`; did you mean `POST`?"),
            "{message}"
        );
        let message = method_ident("PURGE").unwrap_err();
        assert!(!message.contains("did you mean"), "{message}");
        assert!(method_string("*")
            .unwrap_err()
            .starts_with("`*` is not a method"));
    }

    #[test]
    fn constants_are_named_in_the_message() {
        let message = not_an_origin(&quote::quote!(config::APP_ORIGINS));
        assert!(
            message.starts_with("`config::APP_ORIGINS` is a constant"),
            "{message}"
        );
        assert!(message.contains("`env(\"APP_ORIGINS\")`"), "{message}");
    }
}
