//! What each browser writes to its console for a blocked request, word
//! for word: Chromium (`cors_error_string.cc`), Firefox
//! (`security.properties`) and Safari (WebKit's
//! `CrossOriginAccessControl.cpp`).

use cors_runtime::browser::{CorsError, NetworkError};

/// The prefix Chromium puts before a preflight's access-check failure.
pub const CHROMIUM_PREFLIGHT_PREFIX: &str =
    "Response to preflight request doesn't pass access control check: ";

/// Chromium's reason sentence for `error`.
pub fn chromium_reason(error: &CorsError) -> String {
    use CorsError::*;
    let text = match error {
        MissingAllowOriginHeader { .. } => {
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.".to_owned()
        }
        MultipleAllowOriginValues { value, .. } => format!(
            "The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed."
        ),
        InvalidAllowOriginValue { value, .. } => format!(
            "The 'Access-Control-Allow-Origin' header contains the invalid value '{value}'."
        ),
        AllowOriginMismatch { value, .. } => format!(
            "The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin."
        ),
        WildcardOriginNotAllowed { .. } => "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.".to_owned(),
        InvalidAllowCredentials { value, .. } => format!(
            "The value of the 'Access-Control-Allow-Credentials' header in the response is '{value}' which must be 'true' when the request's credentials mode is 'include'."
        ),
        PreflightInvalidStatus { .. } => "It does not have HTTP ok status.".to_owned(),
        PreflightDisallowedRedirect { .. } => "Redirect is not allowed for a preflight request.".to_owned(),
        InvalidAllowMethodsPreflightResponse { .. } => {
            "Cannot parse Access-Control-Allow-Methods response header field in preflight response.".to_owned()
        }
        InvalidAllowHeadersPreflightResponse { .. } => {
            "Cannot parse Access-Control-Allow-Headers response header field in preflight response.".to_owned()
        }
        MethodDisallowedByPreflightResponse { method } => format!(
            "Method {method} is not allowed by Access-Control-Allow-Methods in preflight response."
        ),
        HeaderDisallowedByPreflightResponse { header } => format!(
            "Request header field {header} is not allowed by Access-Control-Allow-Headers in preflight response."
        ),
        RedirectContainsCredentials { location } => format!(
            "Redirect location '{location}' contains a username and password, which is disallowed for cross-origin requests."
        ),
    };
    let prefixed = error.is_preflight()
        && !matches!(
            error,
            MethodDisallowedByPreflightResponse { .. }
                | HeaderDisallowedByPreflightResponse { .. }
                | InvalidAllowMethodsPreflightResponse { .. }
                | InvalidAllowHeadersPreflightResponse { .. }
        );
    if prefixed {
        format!("{CHROMIUM_PREFLIGHT_PREFIX}{text}")
    } else {
        text
    }
}

/// What `fetch` (not XHR) adds after a bad `Access-Control-Allow-Origin`
/// value (seen in Chromium 156).
pub const CHROMIUM_FETCH_VALUE_HINT: &str = " Have the server send the header with a valid value.";

/// Chromium's console line for a `fetch`.
pub fn chromium(url: &str, origin: &str, error: &CorsError) -> String {
    let hint = match error {
        CorsError::MultipleAllowOriginValues { .. }
        | CorsError::InvalidAllowOriginValue { .. }
        | CorsError::AllowOriginMismatch { .. } => CHROMIUM_FETCH_VALUE_HINT,
        _ => "",
    };
    format!(
        "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: {}{hint}",
        chromium_reason(error)
    )
}

/// Chromium's separate network line, which carries the real status.
pub fn chromium_network_line(
    method: &str,
    url: &str,
    status: Option<u16>,
    net_error: &str,
) -> String {
    match status {
        Some(status) => format!("{method} {url} {net_error} {status}"),
        None => format!("{method} {url} {net_error}"),
    }
}

/// Firefox's console line (`security.properties`, current strings).
pub fn firefox(url: &str, error: &CorsError, status: Option<u16>) -> String {
    use CorsError::*;
    let status = status.map_or_else(String::new, |status| format!(" Status code: {status}."));
    let reason = match error {
        MissingAllowOriginHeader { .. } => {
            format!("CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing).{status}")
        }
        MultipleAllowOriginValues { .. } => {
            "Multiple CORS header \u{2018}Access-Control-Allow-Origin\u{2019} not allowed).".to_owned()
        }
        InvalidAllowOriginValue { value, .. } | AllowOriginMismatch { value, .. } => format!(
            "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} does not match \u{2018}{value}\u{2019})."
        ),
        WildcardOriginNotAllowed { .. } => "Credential is not supported if the CORS header \u{2018}Access-Control-Allow-Origin\u{2019} is \u{2018}*\u{2019}).".to_owned(),
        InvalidAllowCredentials { .. } => {
            "expected \u{2018}true\u{2019} in CORS header \u{2018}Access-Control-Allow-Credentials\u{2019}).".to_owned()
        }
        PreflightInvalidStatus { .. } => format!("CORS preflight response did not succeed).{status}"),
        PreflightDisallowedRedirect { .. } | RedirectContainsCredentials { .. } => {
            "CORS request external redirect not allowed).".to_owned()
        }
        InvalidAllowMethodsPreflightResponse { value } => format!(
            "invalid token \u{2018}{}\u{2019} in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}).",
            first_bad_token(value)
        ),
        InvalidAllowHeadersPreflightResponse { value } => format!(
            "invalid token \u{2018}{}\u{2019} in CORS header \u{2018}Access-Control-Allow-Headers\u{2019}).",
            first_bad_token(value)
        ),
        MethodDisallowedByPreflightResponse { .. } => {
            "Did not find method in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}).".to_owned()
        }
        HeaderDisallowedByPreflightResponse { header } => format!(
            "header \u{2018}{header}\u{2019} is not allowed according to header \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response)."
        ),
    };
    format!(
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: {reason}"
    )
}

/// Safari's two console lines: the reason, then "cannot load".
pub fn safari(url: &str, origin: &str, error: &CorsError, status: Option<u16>) -> String {
    use CorsError::*;
    let status = status.map_or_else(String::new, |status| format!(" Status code: {status}"));
    let reason = match error {
        MissingAllowOriginHeader { .. }
        | AllowOriginMismatch { .. }
        | InvalidAllowOriginValue { .. } => {
            format!("Origin {origin} is not allowed by Access-Control-Allow-Origin.{status}")
        }
        MultipleAllowOriginValues { .. } => {
            "Access-Control-Allow-Origin cannot contain more than one origin.".to_owned()
        }
        WildcardOriginNotAllowed { .. } => {
            "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
                .to_owned()
        }
        InvalidAllowCredentials { .. } => {
            "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
                .to_owned()
        }
        PreflightInvalidStatus { .. } | PreflightDisallowedRedirect { .. } => {
            format!("Preflight response is not successful.{status}")
        }
        InvalidAllowMethodsPreflightResponse { value } => {
            format!("Header Access-Control-Allow-Methods has an invalid value: {value}")
        }
        InvalidAllowHeadersPreflightResponse { value } => {
            format!("Header Access-Control-Allow-Headers has an invalid value: {value}")
        }
        MethodDisallowedByPreflightResponse { method } => {
            format!("Method {method} is not allowed by Access-Control-Allow-Methods.")
        }
        HeaderDisallowedByPreflightResponse { header } => {
            format!("Request header field {header} is not allowed by Access-Control-Allow-Headers.")
        }
        RedirectContainsCredentials { location } => {
            format!("redirection URL {location} has credentials")
        }
    };
    format!("{reason}\nFetch API cannot load {url} due to access control checks.")
}

/// What each browser says when no response came at all.
pub fn network_failure(url: &str, error: &NetworkError) -> [String; 3] {
    [
        format!("TypeError: Failed to fetch ({})", error.kind.net_error()),
        format!(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: CORS request did not succeed). Status code: (null)."
        ),
        format!("Fetch API cannot load {url} due to access control checks."),
    ]
}

fn first_bad_token(value: &str) -> &str {
    value
        .split(',')
        .map(|item| item.trim_matches([' ', '\t']))
        .find(|item| !item.is_empty() && !item.bytes().all(cors_runtime::browser::is_token_byte))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_error_is_chromiums_preflight_status_line() {
        let line = chromium(
            "http://api.localhost/items",
            "http://app.localhost",
            &CorsError::PreflightInvalidStatus { status: 405 },
        );
        assert_eq!(line, "Access to fetch at 'http://api.localhost/items' from origin 'http://app.localhost' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.");
    }

    #[test]
    fn firefox_and_safari_carry_the_status_where_their_strings_do() {
        let error = CorsError::MissingAllowOriginHeader { preflight: false };
        assert!(firefox("u", &error, Some(413)).ends_with("missing). Status code: 413."));
        assert!(safari("u", "o", &error, Some(413)).starts_with(
            "Origin o is not allowed by Access-Control-Allow-Origin. Status code: 413\n"
        ));
    }

    #[test]
    fn header_errors_have_no_preflight_prefix() {
        let error = CorsError::HeaderDisallowedByPreflightResponse {
            header: "x-a".into(),
        };
        assert!(!chromium_reason(&error).starts_with(CHROMIUM_PREFLIGHT_PREFIX));
    }
}
