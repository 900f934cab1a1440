//! Chromium's checks of a response, in Chromium's order
//! (`cors.cc` `CheckAccess`, `preflight_result.cc`).

use super::cors_error::CorsError;
use super::request::BrowserRequest;
use super::safelist::{is_safelisted_method, is_token_byte, unsafe_header_names};
use super::wire::WireResponse;

/// What a passed preflight granted: the lists as parsed, for the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightGrant {
    /// `Access-Control-Allow-Methods` items, as sent (case kept).
    pub methods: Vec<String>,
    /// `Access-Control-Allow-Headers` items, lower-cased.
    pub headers: Vec<String>,
    /// `Access-Control-Max-Age` when it parses as a number of seconds.
    pub max_age: Option<u64>,
    /// Whether the grant was judged with credentials.
    pub credentials: bool,
}

/// Rules where browsers differ from the Fetch standard. The default is
/// the standard's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leniency {
    /// `Access-Control-Allow-Headers: *` also covers `authorization`
    /// (shipping browsers, with a deprecation warning; the standard says no).
    pub wildcard_covers_authorization: bool,
}

impl Leniency {
    /// The Fetch standard.
    pub const FETCH_STANDARD: Self = Self {
        wildcard_covers_authorization: false,
    };
    /// Chromium as shipped (checked with Chromium 156): a `*` in
    /// `Access-Control-Allow-Headers` still covers `authorization` on an
    /// uncredentialed request, with a DevTools deprecation issue.
    pub const CHROMIUM: Self = Self {
        wildcard_covers_authorization: true,
    };
}

/// The CORS check of any response (preflight or actual): ACAO, then ACAC,
/// judged with the request's credentials mode.
pub fn check_access(
    request: &BrowserRequest,
    response: &WireResponse,
    preflight: bool,
) -> Result<(), CorsError> {
    let include = request.credentials.is_include();
    let Some(allow_origin) = response.joined("access-control-allow-origin") else {
        return Err(CorsError::MissingAllowOriginHeader { preflight });
    };
    if allow_origin == "*" {
        return if include {
            Err(CorsError::WildcardOriginNotAllowed { preflight })
        } else {
            Ok(())
        };
    }
    if allow_origin != request.origin {
        let value = allow_origin.clone();
        if allow_origin.contains([',', ' ']) {
            return Err(CorsError::MultipleAllowOriginValues { preflight, value });
        }
        if !is_url(&allow_origin) {
            return Err(CorsError::InvalidAllowOriginValue { preflight, value });
        }
        return Err(CorsError::AllowOriginMismatch { preflight, value });
    }
    if include {
        let value = response
            .joined("access-control-allow-credentials")
            .unwrap_or_default();
        if value != "true" {
            return Err(CorsError::InvalidAllowCredentials { preflight, value });
        }
    }
    Ok(())
}

/// Checks a preflight's answer in Chromium's order: redirect, ACAO, ACAC,
/// status, ACAM parses, ACAH parses, method listed, headers listed.
pub fn check_preflight(
    request: &BrowserRequest,
    response: &WireResponse,
    leniency: Leniency,
) -> Result<PreflightGrant, CorsError> {
    if response.is_redirect() {
        return Err(CorsError::PreflightDisallowedRedirect {
            status: response.status,
            location: response.header("location").unwrap_or_default().to_owned(),
        });
    }
    check_access(request, response, true)?;
    if !(200..300).contains(&response.status) {
        return Err(CorsError::PreflightInvalidStatus {
            status: response.status,
        });
    }
    let methods_value = response.joined("access-control-allow-methods");
    let methods = parse_list(methods_value.as_deref()).ok_or_else(|| {
        CorsError::InvalidAllowMethodsPreflightResponse {
            value: methods_value.clone().unwrap_or_default(),
        }
    })?;
    let headers_value = response.joined("access-control-allow-headers");
    let headers: Vec<String> = parse_list(headers_value.as_deref())
        .ok_or_else(|| CorsError::InvalidAllowHeadersPreflightResponse {
            value: headers_value.clone().unwrap_or_default(),
        })?
        .into_iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    let include = request.credentials.is_include();
    let grant = PreflightGrant {
        max_age: response
            .header("access-control-max-age")
            .and_then(|value| value.trim().parse().ok()),
        methods,
        headers,
        credentials: include,
    };
    if let Some(method) = disallowed_method(request, &grant) {
        return Err(CorsError::MethodDisallowedByPreflightResponse { method });
    }
    if let Some(header) = disallowed_header(request, &grant, leniency) {
        return Err(CorsError::HeaderDisallowedByPreflightResponse { header });
    }
    Ok(grant)
}

/// The request's method when the grant does not cover it.
pub fn disallowed_method(request: &BrowserRequest, grant: &PreflightGrant) -> Option<String> {
    let method = request.method.as_str();
    let covered = is_safelisted_method(method)
        || grant.methods.iter().any(|listed| listed == method)
        || (!request.credentials.is_include() && grant.methods.iter().any(|listed| listed == "*"));
    (!covered).then(|| method.to_owned())
}

/// The first unsafe request header the grant does not cover.
pub fn disallowed_header(
    request: &BrowserRequest,
    grant: &PreflightGrant,
    leniency: Leniency,
) -> Option<String> {
    let wildcard =
        !request.credentials.is_include() && grant.headers.iter().any(|listed| listed == "*");
    unsafe_header_names(request).into_iter().find(|name| {
        let listed = grant.headers.iter().any(|listed| listed == name);
        let by_wildcard =
            wildcard && (name != "authorization" || leniency.wildcard_covers_authorization);
        !(listed || by_wildcard)
    })
}

/// Chromium's parse of an `Access-Control-Allow-Methods`/`-Headers` value:
/// comma-separated tokens, whitespace around them ignored, empty items
/// dropped. `None` when an item is not a token.
pub fn parse_list(value: Option<&str>) -> Option<Vec<String>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let mut items = Vec::new();
    for item in value.split(',') {
        let item = item.trim_matches([' ', '\t']);
        if item.is_empty() {
            continue;
        }
        if !item.bytes().all(is_token_byte) {
            return None;
        }
        items.push(item.to_owned());
    }
    Some(items)
}

/// Whether `value` parses as a URL with a scheme and a host, as Chromium's
/// `GURL` would accept an origin.
fn is_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !scheme.is_empty()
        && scheme
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'))
        && !host.is_empty()
        && !host.contains(['*', ' ', '<', '>', '"', '{', '}', '|', '\\', '^', '`'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::request::Credentials;

    const ORIGIN: &str = "https://app.example";

    fn put(headers: &[(&str, &str)]) -> BrowserRequest {
        headers.iter().fold(
            BrowserRequest::new("https://api.example/items", ORIGIN).method("PUT"),
            |request, (name, value)| request.header(name, value),
        )
    }

    fn response(status: u16, headers: &[(&str, &str)]) -> WireResponse {
        WireResponse::new(status, headers, b"")
    }

    fn name(request: &BrowserRequest, response: &WireResponse) -> &'static str {
        match check_preflight(request, response, Leniency::default()) {
            Ok(_) => "ok",
            Err(error) => error.name(),
        }
    }

    #[test]
    fn a_complete_preflight_answer_passes_and_grants_what_it_lists() {
        let grant = check_preflight(
            &put(&[("x-token", "1")]),
            &response(
                204,
                &[
                    ("access-control-allow-origin", ORIGIN),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-headers", "X-Token"),
                    ("access-control-max-age", "60"),
                ],
            ),
            Leniency::default(),
        )
        .expect("granted");
        assert_eq!(grant.methods, ["GET", "PUT"]);
        assert_eq!(grant.headers, ["x-token"]);
        assert_eq!(grant.max_age, Some(60));
    }

    #[test]
    fn a_redirect_is_reported_before_anything_else() {
        let answer = response(308, &[("location", "https://api.example/items/")]);
        assert_eq!(name(&put(&[]), &answer), "PreflightDisallowedRedirect");
    }

    #[test]
    fn allow_origin_is_checked_before_the_status() {
        // The seed: a 401 from auth without CORS headers is an origin error.
        assert_eq!(
            name(&put(&[]), &response(401, &[])),
            "PreflightMissingAllowOriginHeader"
        );
        // A 405 with the CORS headers (added by a proxy) is a status error.
        let answer = response(405, &[("access-control-allow-origin", ORIGIN)]);
        assert_eq!(name(&put(&[]), &answer), "PreflightInvalidStatus");
    }

    #[test]
    fn two_allow_origin_lines_are_multiple_values() {
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-origin", ORIGIN),
            ],
        );
        assert_eq!(
            name(&put(&[]), &answer),
            "PreflightMultipleAllowOriginValues"
        );
    }

    #[test]
    fn an_origin_pattern_is_invalid_and_another_origin_a_mismatch() {
        let pattern = response(204, &[("access-control-allow-origin", "https://*.example")]);
        assert_eq!(
            name(&put(&[]), &pattern),
            "PreflightInvalidAllowOriginValue"
        );
        let other = response(204, &[("access-control-allow-origin", "https://b.example")]);
        assert_eq!(name(&put(&[]), &other), "PreflightAllowOriginMismatch");
    }

    #[test]
    fn credentials_make_the_wildcard_literal_and_need_exactly_true() {
        let include = put(&[]).credentials(Credentials::Include);
        let wildcard = response(204, &[("access-control-allow-origin", "*")]);
        assert_eq!(
            name(&include, &wildcard),
            "PreflightWildcardOriginNotAllowed"
        );
        let capital = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-credentials", "True"),
                ("access-control-allow-methods", "PUT"),
            ],
        );
        assert_eq!(name(&include, &capital), "PreflightInvalidAllowCredentials");
        // Allow-Credentials is checked before the status.
        let capital_401 = WireResponse {
            status: 401,
            ..capital
        };
        assert_eq!(
            name(&include, &capital_401),
            "PreflightInvalidAllowCredentials"
        );
    }

    #[test]
    fn methods_must_parse_before_headers_and_before_the_method_is_looked_up() {
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "GET; PUT"),
                ("access-control-allow-headers", "x y"),
            ],
        );
        assert_eq!(
            name(&put(&[]), &answer),
            "InvalidAllowMethodsPreflightResponse"
        );
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "\"x\""),
            ],
        );
        assert_eq!(
            name(&put(&[]), &answer),
            "InvalidAllowHeadersPreflightResponse"
        );
    }

    #[test]
    fn the_method_is_checked_before_the_headers() {
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "GET"),
            ],
        );
        assert_eq!(
            name(&put(&[("x-token", "1")]), &answer),
            "MethodDisallowedByPreflightResponse"
        );
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "PUT"),
            ],
        );
        assert_eq!(
            name(&put(&[("x-token", "1")]), &answer),
            "HeaderDisallowedByPreflightResponse"
        );
    }

    #[test]
    fn headers_split_over_several_lines_are_all_read() {
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "PUT"),
                ("access-control-allow-headers", "x-a"),
                ("access-control-allow-headers", "x-b"),
            ],
        );
        assert_eq!(name(&put(&[("x-a", "1"), ("x-b", "2")]), &answer), "ok");
    }

    #[test]
    fn method_case_matters_for_extension_methods() {
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "PATCH"),
            ],
        );
        let lower = BrowserRequest::new("https://api.example/items", ORIGIN).method("patch");
        assert_eq!(name(&lower, &answer), "MethodDisallowedByPreflightResponse");
    }

    #[test]
    fn the_wildcard_never_covers_authorization_unless_lenient() {
        let request = put(&[("authorization", "Bearer t")]);
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "*"),
                ("access-control-allow-headers", "*"),
            ],
        );
        assert_eq!(
            name(&request, &answer),
            "HeaderDisallowedByPreflightResponse"
        );
        let lenient = Leniency {
            wildcard_covers_authorization: true,
        };
        assert!(check_preflight(&request, &answer, lenient).is_ok());
    }

    #[test]
    fn the_actual_response_needs_allow_origin_too() {
        let request = BrowserRequest::new("https://api.example/items", ORIGIN);
        assert_eq!(
            check_access(&request, &response(413, &[]), false),
            Err(CorsError::MissingAllowOriginHeader { preflight: false })
        );
    }
}
