//! Each key's value on its own: origins, methods, header names, numbers
//! and switches, each error on the token written.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

use super::{HeadersSpec, OriginsSpec};
use crate::attr::{self, Args, Elem, Entry, Key, Value};
use crate::errors::Errors;
use crate::origin::{self, OriginSpec};
use cors_rules::token::{is_forbidden_request_header, is_token};

/// What the default `methods` is.
pub(super) const DEFAULT_METHODS: &[&str] = &["GET"];

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

/// Request headers a page can never set (the Fetch standard's forbidden
/// names, `cors_rules::token::is_forbidden_request_header`), and the
/// Private Network Access request header, which the browser sets too:
/// allowing one would be dead configuration or a mistake.
fn is_refused_request_header(name: &str) -> bool {
    is_forbidden_request_header(name) || name == "access-control-request-private-network"
}

/// Response headers a page can never read, exposed or not.
const FORBIDDEN_RESPONSE_HEADERS: &[&str] = &["set-cookie", "set-cookie2"];

const MAX_AGE_LIMIT: u32 = 86_400;

/// What of `origins` the rules between keys look at.
#[derive(Default)]
pub(super) struct OriginFacts {
    /// `origins = "*"`, where written.
    pub(super) any: Option<Span>,
    /// Plain-`http` origins other than loopback, as written.
    pub(super) insecure: Vec<syn::LitStr>,
}

pub(super) fn origins(value: &Value, errors: &mut Errors) -> (OriginsSpec, OriginFacts) {
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
            let facts = OriginFacts {
                any: Some(lit.span()),
                insecure: Vec::new(),
            };
            return (OriginsSpec::Any, facts);
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
    exact.sort();
    let spec = OriginsSpec::List {
        exact,
        patterns,
        env,
    };
    (
        spec,
        OriginFacts {
            any: None,
            insecure,
        },
    )
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

pub(super) fn methods(value: &Value, errors: &mut Errors) -> Vec<String> {
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

/// `allow_headers` or `expose_headers`, and the `"*"` written, if any.
pub(super) fn headers(entry: &Entry, errors: &mut Errors) -> (HeadersSpec, Option<TokenStream>) {
    let allow = entry.kind == Key::AllowHeaders;
    let key = entry.kind.name();
    let lits: Vec<&syn::LitStr> = match &entry.value {
        Value::Str(lit) if lit.value() == "*" => {
            let any = HeadersSpec::Any {
                authorization: false,
            };
            return (any, Some(lit.to_token_stream()));
        }
        Value::Str(lit) => vec![lit],
        Value::Array(array) if array.elems.is_empty() => {
            errors.error(
                array.bracket.span.join(),
                format!("`{key}` is empty; list at least one header name, or leave the key out"),
            );
            return (HeadersSpec::None, None);
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
            return (HeadersSpec::None, None);
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
        return (HeadersSpec::List(names), None);
    };
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
    (
        HeadersSpec::Any { authorization },
        Some(star.to_token_stream()),
    )
}

fn header_name(name: &str, allow: bool) -> Result<(), String> {
    if !is_token(name.as_bytes()) {
        return Err(format!(
            "`{name}` is not a valid header name: a header name is an HTTP token"
        ));
    }
    if allow {
        if is_refused_request_header(name) {
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

pub(super) fn boolean(entry: &Entry, errors: &mut Errors) -> bool {
    if let Value::Bool(lit) = &entry.value {
        return lit.value;
    }
    errors.spanned(
        entry.value.span_tokens(),
        format!("expected `{} = true` or `{} = false`", entry.key, entry.key),
    );
    false
}

pub(super) fn max_age(value: &Value, errors: &mut Errors) -> Option<u32> {
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

pub(super) fn crate_path(value: &Value, errors: &mut Errors) -> Option<syn::Path> {
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
