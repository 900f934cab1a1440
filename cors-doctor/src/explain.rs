//! `explain`: a pasted console line (Chromium, Firefox, Safari; current
//! and older wordings; wrapped by copy-paste) or a HAR file, mapped to the
//! same reason a probe gives.

use cors_runtime::browser::{self, BrowserRequest, CorsError, Credentials, Leniency, WireResponse};
use serde_json::Value;

/// Which browser wrote the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Chromium's console.
    Chromium,
    /// Firefox's console.
    Firefox,
    /// Safari's console.
    Safari,
    /// A HAR file.
    Har,
}

/// What the input says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// Where it came from.
    pub source: Source,
    /// The blocked URL, when named.
    pub url: Option<String>,
    /// The page's origin, when named.
    pub origin: Option<String>,
    /// The method, when known (the network line, a HAR).
    pub method: Option<String>,
    /// The status the server sent, when known.
    pub status: Option<u16>,
    /// The reason as Chromium names it; `None` when it is not a CORS
    /// failure (a network error) or not recognised.
    pub error: Option<CorsError>,
    /// The request rebuilt from a HAR, for re-probing.
    pub request: Option<BrowserRequest>,
    /// A reason no server can change (Local Network Access), as Chromium
    /// names it.
    pub browser_reason: Option<&'static str>,
    /// Where the line is the same for several reasons and nothing else in
    /// the input tells them apart.
    pub ambiguity: Option<Ambiguous>,
}

/// A browser's console line that is the same for several reasons.
#[derive(Debug, PartialEq, Eq)]
pub struct Ambiguity {
    /// The browser.
    pub source: Source,
    /// The reasons the line stands for; `explain` names the first one the
    /// rest of the input allows.
    pub reasons: &'static [&'static str],
    /// What the report says.
    pub note: &'static str,
}

const FIREFOX_PREFLIGHT: &str =
    "Firefox's line does not say whether the preflight or the actual request failed";
const SAFARI_PREFLIGHT: &str =
    "Safari's line does not say whether the preflight or the actual request failed";

/// Every console line the doctor prints (one per reason and browser) that
/// `explain` cannot map back to one reason: the browser's wording is the
/// same for these reasons. Anything else maps back exactly
/// (`tests/console_round_trip.rs`).
pub const AMBIGUITIES: &[Ambiguity] = &[
    Ambiguity {
        source: Source::Firefox,
        reasons: &["MissingAllowOriginHeader", "PreflightMissingAllowOriginHeader"],
        note: FIREFOX_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Firefox,
        reasons: &["MultipleAllowOriginValues", "PreflightMultipleAllowOriginValues"],
        note: FIREFOX_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Firefox,
        reasons: &["InvalidAllowOriginValue", "PreflightInvalidAllowOriginValue"],
        note: FIREFOX_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Firefox,
        reasons: &["AllowOriginMismatch", "PreflightAllowOriginMismatch"],
        note: FIREFOX_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Firefox,
        reasons: &["WildcardOriginNotAllowed", "PreflightWildcardOriginNotAllowed"],
        note: FIREFOX_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Firefox,
        reasons: &["InvalidAllowCredentials", "PreflightInvalidAllowCredentials"],
        note: FIREFOX_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Firefox,
        reasons: &["PreflightDisallowedRedirect", "RedirectContainsCredentials"],
        note: "Firefox's line does not say whether the preflight was redirected or a redirect's URL carries a user name and password",
    },
    Ambiguity {
        source: Source::Safari,
        reasons: &[
            "MissingAllowOriginHeader",
            "AllowOriginMismatch",
            "InvalidAllowOriginValue",
            "PreflightMissingAllowOriginHeader",
            "PreflightAllowOriginMismatch",
            "PreflightInvalidAllowOriginValue",
        ],
        note: "Safari's line is the same whether Access-Control-Allow-Origin was missing, invalid or another origin, on the preflight or on the actual request",
    },
    Ambiguity {
        source: Source::Safari,
        reasons: &["MultipleAllowOriginValues", "PreflightMultipleAllowOriginValues"],
        note: SAFARI_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Safari,
        reasons: &["WildcardOriginNotAllowed", "PreflightWildcardOriginNotAllowed"],
        note: SAFARI_PREFLIGHT,
    },
    Ambiguity {
        source: Source::Safari,
        reasons: &["InvalidAllowCredentials", "PreflightInvalidAllowCredentials"],
        note: SAFARI_PREFLIGHT,
    },
];

/// An [`Ambiguity`] left after reading the rest of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    /// The table's note.
    pub note: &'static str,
    /// The reasons still possible; the first is the one named.
    pub reasons: Vec<&'static str>,
}

impl Ambiguous {
    /// The note the report prints.
    pub fn describe(&self) -> String {
        format!("{}: it may be {}", self.note, self.reasons.join(", "))
    }
}

/// `error` as the rest of `text` tells it: on the preflight when the text
/// says so, and with the ambiguity left, if any.
fn resolve(source: Source, error: CorsError, text: &str) -> (CorsError, Option<Ambiguous>) {
    let preflight = says_preflight(text);
    let error = if preflight {
        on_preflight(error)
    } else {
        error
    };
    let Some(entry) = AMBIGUITIES
        .iter()
        .find(|entry| entry.source == source && entry.reasons.contains(&error.name()))
    else {
        return (error, None);
    };
    let reasons: Vec<&'static str> = entry
        .reasons
        .iter()
        .copied()
        .filter(|reason| !preflight || is_preflight_reason(reason))
        .collect();
    let ambiguous = (reasons.len() > 1).then_some(Ambiguous {
        note: entry.note,
        reasons,
    });
    (error, ambiguous)
}

/// Whether words of the input other than URLs speak of a preflight
/// (Firefox's "CORS preflight channel did not succeed", a note of the
/// user's).
fn says_preflight(text: &str) -> bool {
    text.split_whitespace()
        .filter(|word| !word.contains("://"))
        .any(|word| word.to_ascii_lowercase().contains("preflight"))
}

fn is_preflight_reason(reason: &str) -> bool {
    reason.starts_with("Preflight") || reason.ends_with("PreflightResponse")
}

/// The same check failed on the preflight.
fn on_preflight(error: CorsError) -> CorsError {
    use CorsError::*;
    match error {
        MissingAllowOriginHeader { .. } => MissingAllowOriginHeader { preflight: true },
        MultipleAllowOriginValues { value, .. } => MultipleAllowOriginValues {
            preflight: true,
            value,
        },
        InvalidAllowOriginValue { value, .. } => InvalidAllowOriginValue {
            preflight: true,
            value,
        },
        AllowOriginMismatch { value, .. } => AllowOriginMismatch {
            preflight: true,
            value,
        },
        WildcardOriginNotAllowed { .. } => WildcardOriginNotAllowed { preflight: true },
        InvalidAllowCredentials { value, .. } => InvalidAllowCredentials {
            preflight: true,
            value,
        },
        other => other,
    }
}

/// Reads a console paste or a HAR file.
pub fn explain(input: &str) -> Option<Explained> {
    let trimmed = input.trim_start();
    if trimmed.starts_with('{') {
        return explain_har(trimmed);
    }
    explain_console(input)
}

/// Joins lines wrapped by copy-paste and drops DevTools' source links.
fn unwrap_lines(input: &str) -> String {
    let mut text = String::new();
    for line in input.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line);
    }
    text
}

/// Reads a pasted console line.
pub fn explain_console(input: &str) -> Option<Explained> {
    let text = unwrap_lines(input);
    let quoted_after = |marker: &str| -> Option<String> {
        let start = text.find(marker)? + marker.len();
        let rest = &text[start..];
        let end = rest.find('\'')?;
        Some(rest[..end].to_owned())
    };
    let (method, status) = network_line(&text);
    if text.contains("has been blocked by CORS policy") {
        let url = quoted_after("at '");
        let origin = quoted_after("from origin '");
        let reason = text
            .split("has been blocked by CORS policy:")
            .nth(1)
            .unwrap_or_default();
        let error = chromium_error(reason, status);
        return Some(Explained {
            source: Source::Chromium,
            url,
            origin,
            method,
            status,
            error,
            request: None,
            browser_reason: browser_only_reason(reason),
            ambiguity: None,
        });
    }
    if text.contains("Cross-Origin Request Blocked") {
        let url = text
            .split("remote resource at ")
            .nth(1)
            .and_then(|rest| rest.split(" (Reason").next())
            .map(|url| url.trim_end_matches('.').to_owned());
        let status = text
            .split("Status code: ")
            .nth(1)
            .and_then(|rest| rest.trim_end_matches('.').split(['.', ' ']).next())
            .and_then(|code| code.parse().ok())
            .or(status);
        let reason = text.split("(Reason:").nth(1).unwrap_or_default();
        let (error, ambiguity) = match firefox_error(reason, status) {
            Some(error) => {
                let (error, ambiguity) = resolve(Source::Firefox, error, &text);
                (Some(error), ambiguity)
            }
            None => (None, None),
        };
        return Some(Explained {
            source: Source::Firefox,
            url,
            origin: None,
            method,
            status,
            error,
            request: None,
            browser_reason: None,
            ambiguity,
        });
    }
    if text.contains("due to access control checks")
        || text.contains("is not allowed by Access-Control-Allow-")
        || text.contains("Preflight response is not successful")
    {
        let url = text
            .split("cannot load ")
            .nth(1)
            .and_then(|rest| rest.split(" due to access control checks").next())
            .map(str::to_owned);
        let origin = text
            .split("Origin ")
            .nth(1)
            .and_then(|rest| rest.split(" is not allowed").next())
            .filter(|origin| origin.contains("://") || *origin == "null")
            .map(str::to_owned);
        let status = text
            .split("Status code: ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|code| code.parse().ok())
            .or(status);
        let (error, ambiguity) = match safari_error(&text, status) {
            Some(error) => {
                let (error, ambiguity) = resolve(Source::Safari, error, &text);
                (Some(error), ambiguity)
            }
            None => (None, None),
        };
        return Some(Explained {
            source: Source::Safari,
            url,
            origin,
            method,
            status,
            error,
            request: None,
            browser_reason: None,
            ambiguity,
        });
    }
    None
}

/// Chromium's Local Network Access reasons (current and PNA-era names):
/// the browser decides, no header helps.
fn browser_only_reason(reason: &str) -> Option<&'static str> {
    if reason.contains("Permission was denied for this request to access the") {
        Some("LocalNetworkAccessPermissionDenied")
    } else if reason.contains("The request client is not a secure context and the resource is in more-private address space") {
        Some("InsecureLocalNetwork")
    } else if reason.contains("Request had a target IP address space of") {
        Some("InvalidLocalNetworkAccess")
    } else {
        None
    }
}

/// `METHOD url net::ERR_FAILED 401` anywhere in the text.
fn network_line(text: &str) -> (Option<String>, Option<u16>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    for (index, word) in words.iter().enumerate() {
        if word.starts_with("net::ERR_") && index >= 2 && words[index - 1].contains("://") {
            let method = words[index - 2];
            let method = method
                .rsplit(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap_or(method);
            let status = words.get(index + 1).and_then(|status| status.parse().ok());
            if !method.is_empty() {
                return (Some(method.to_owned()), status);
            }
        }
    }
    (None, None)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let rest = &text[from..];
    Some(&rest[..rest.find(end)?])
}

fn chromium_error(reason: &str, status: Option<u16>) -> Option<CorsError> {
    let preflight =
        reason.contains("Response to preflight request") || reason.contains("preflight");
    let value = |start: &str| between(reason, start, "'").unwrap_or_default().to_owned();
    let error = if reason.contains("It does not have HTTP ok status")
        || reason.contains("Response for preflight has invalid HTTP status code")
    {
        CorsError::PreflightInvalidStatus {
            status: status.unwrap_or(0),
        }
    } else if reason.contains("Redirect is not allowed for a preflight request")
        || reason.contains("Response for preflight is invalid (redirect)")
    {
        CorsError::PreflightDisallowedRedirect {
            status: status.unwrap_or(0),
            location: String::new(),
        }
    } else if reason.contains("No 'Access-Control-Allow-Origin' header is present") {
        CorsError::MissingAllowOriginHeader { preflight }
    } else if reason.contains("contains multiple values") {
        CorsError::MultipleAllowOriginValues {
            preflight,
            value: value("contains multiple values '"),
        }
    } else if reason.contains("contains the invalid value") {
        CorsError::InvalidAllowOriginValue {
            preflight,
            value: value("contains the invalid value '"),
        }
    } else if reason.contains("that is not equal to the supplied origin") {
        CorsError::AllowOriginMismatch {
            preflight,
            value: value("has a value '"),
        }
    } else if reason.contains("must not be the wildcard '*'") {
        CorsError::WildcardOriginNotAllowed { preflight }
    } else if reason.contains("'Access-Control-Allow-Credentials' header in the response is") {
        CorsError::InvalidAllowCredentials {
            preflight,
            value: value("in the response is '"),
        }
    } else if reason.contains("Cannot parse Access-Control-Allow-Methods") {
        CorsError::InvalidAllowMethodsPreflightResponse {
            value: String::new(),
        }
    } else if reason.contains("Cannot parse Access-Control-Allow-Headers") {
        CorsError::InvalidAllowHeadersPreflightResponse {
            value: String::new(),
        }
    } else if let Some(method) = between(
        reason,
        "Method ",
        " is not allowed by Access-Control-Allow-Methods",
    ) {
        CorsError::MethodDisallowedByPreflightResponse {
            method: method.to_owned(),
        }
    } else if let Some(header) = between(
        reason,
        "Request header field ",
        " is not allowed by Access-Control-Allow-Headers",
    ) {
        CorsError::HeaderDisallowedByPreflightResponse {
            header: header.to_owned(),
        }
    } else if reason.contains("contains a username and password") {
        CorsError::RedirectContainsCredentials {
            location: value("Redirect location '"),
        }
    } else {
        return None;
    };
    Some(error)
}

fn firefox_error(reason: &str, status: Option<u16>) -> Option<CorsError> {
    let quoted = |text: &str| {
        between(text, "\u{2018}", "\u{2019}")
            .or_else(|| between(text, "'", "'"))
            .unwrap_or_default()
            .to_owned()
    };
    let error = if reason.contains("Access-Control-Allow-Origin") && reason.contains("missing") {
        CorsError::MissingAllowOriginHeader { preflight: false }
    } else if reason.contains("Multiple CORS header") {
        CorsError::MultipleAllowOriginValues {
            preflight: false,
            value: String::new(),
        }
    } else if reason.contains("does not match") {
        let value = reason
            .split("does not match")
            .nth(1)
            .map(quoted)
            .unwrap_or_default();
        allow_origin_error(value)
    } else if reason.contains("Credential is not supported") {
        CorsError::WildcardOriginNotAllowed { preflight: false }
    } else if reason.contains("Access-Control-Allow-Credentials") {
        CorsError::InvalidAllowCredentials {
            preflight: false,
            value: String::new(),
        }
    } else if reason.contains("CORS preflight response did not succeed")
        || reason.contains("CORS preflight channel did not succeed")
    {
        CorsError::PreflightInvalidStatus {
            status: status.unwrap_or(0),
        }
    } else if reason.contains("external redirect not allowed") {
        CorsError::PreflightDisallowedRedirect {
            status: status.unwrap_or(0),
            location: String::new(),
        }
    } else if reason.contains("invalid token") && reason.contains("Access-Control-Allow-Methods") {
        CorsError::InvalidAllowMethodsPreflightResponse {
            value: quoted(reason),
        }
    } else if reason.contains("invalid token") && reason.contains("Access-Control-Allow-Headers") {
        CorsError::InvalidAllowHeadersPreflightResponse {
            value: quoted(reason),
        }
    } else if reason.contains("Did not find method") {
        CorsError::MethodDisallowedByPreflightResponse {
            method: String::new(),
        }
    } else if reason.contains("Access-Control-Allow-Headers") {
        // Current: "header ‘x’ is not allowed according to header ...";
        // older: "missing token ‘x’ in CORS header ...".
        CorsError::HeaderDisallowedByPreflightResponse {
            header: quoted(reason),
        }
    } else {
        return None;
    };
    Some(error)
}

/// Chromium's reason for an `Access-Control-Allow-Origin` value another
/// browser quotes as not matching the page's origin.
fn allow_origin_error(value: String) -> CorsError {
    // A header value cannot hold a line break: no origin equals this one.
    let request = BrowserRequest::new("", "\n");
    let response = WireResponse {
        status: 200,
        headers: vec![("access-control-allow-origin".to_owned(), value.clone())],
        body: Vec::new(),
    };
    match browser::check_access(&request, &response, false) {
        Err(
            error @ (CorsError::MultipleAllowOriginValues { .. }
            | CorsError::InvalidAllowOriginValue { .. }
            | CorsError::AllowOriginMismatch { .. }),
        ) => error,
        _ => CorsError::AllowOriginMismatch {
            preflight: false,
            value,
        },
    }
}

fn safari_error(text: &str, status: Option<u16>) -> Option<CorsError> {
    let error = if text.contains("Preflight response is not successful") {
        match status {
            // WebKit says the same of a redirect; the status tells.
            Some(status @ 300..=399) => CorsError::PreflightDisallowedRedirect {
                status,
                location: String::new(),
            },
            _ => CorsError::PreflightInvalidStatus {
                status: status.unwrap_or(0),
            },
        }
    } else if let Some(location) = between(text, "redirection URL ", " has credentials") {
        CorsError::RedirectContainsCredentials {
            location: location.to_owned(),
        }
    } else if text.contains("cannot contain more than one origin") {
        CorsError::MultipleAllowOriginValues {
            preflight: false,
            value: String::new(),
        }
    } else if text.contains("Cannot use wildcard in Access-Control-Allow-Origin") {
        CorsError::WildcardOriginNotAllowed { preflight: false }
    } else if text.contains("Access-Control-Allow-Credentials is not") {
        CorsError::InvalidAllowCredentials {
            preflight: false,
            value: String::new(),
        }
    } else if let Some(method) = between(
        text,
        "Method ",
        " is not allowed by Access-Control-Allow-Methods",
    ) {
        CorsError::MethodDisallowedByPreflightResponse {
            method: method.to_owned(),
        }
    } else if let Some(header) = between(
        text,
        "Request header field ",
        " is not allowed by Access-Control-Allow-Headers",
    ) {
        CorsError::HeaderDisallowedByPreflightResponse {
            header: header.to_owned(),
        }
    } else if text.contains("has an invalid value") && text.contains("Access-Control-Allow-Methods")
    {
        CorsError::InvalidAllowMethodsPreflightResponse {
            value: String::new(),
        }
    } else if text.contains("has an invalid value") && text.contains("Access-Control-Allow-Headers")
    {
        CorsError::InvalidAllowHeadersPreflightResponse {
            value: String::new(),
        }
    } else if text.contains("is not allowed by Access-Control-Allow-Origin") {
        CorsError::MissingAllowOriginHeader { preflight: false }
    } else {
        return None;
    };
    Some(error)
}

/// Reads a HAR (Chrome's, sanitized or not): the first cross-origin
/// request, judged again by the model from the recorded responses.
pub fn explain_har(input: &str) -> Option<Explained> {
    let har: Value = serde_json::from_str(input).ok()?;
    let entries = har.get("log")?.get("entries")?.as_array()?;
    let header = |message: &Value, name: &str| -> Option<String> {
        message
            .get("headers")?
            .as_array()?
            .iter()
            .find_map(|header| {
                let found = header.get("name")?.as_str()?.eq_ignore_ascii_case(name);
                found
                    .then(|| header.get("value")?.as_str().map(str::to_owned))
                    .flatten()
            })
    };
    let headers_of = |message: &Value| -> Vec<(String, String)> {
        message
            .get("headers")
            .and_then(Value::as_array)
            .map(|headers| {
                headers
                    .iter()
                    .filter_map(|header| {
                        Some((
                            header.get("name")?.as_str()?.to_ascii_lowercase(),
                            header.get("value")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let response_of = |entry: &Value| -> Option<WireResponse> {
        let response = entry.get("response")?;
        let status = u16::try_from(response.get("status")?.as_u64()?).ok()?;
        (status != 0).then(|| WireResponse {
            status,
            headers: headers_of(response),
            body: response
                .get("content")
                .and_then(|content| content.get("text"))
                .and_then(Value::as_str)
                .map(|text| text.as_bytes().to_vec())
                .unwrap_or_default(),
        })
    };
    // The first non-OPTIONS request with an Origin, else the first OPTIONS.
    let with_origin = |entry: &&Value| {
        entry
            .get("request")
            .and_then(|request| header(request, "origin"))
            .is_some()
    };
    let method_of = |entry: &Value| {
        entry
            .get("request")?
            .get("method")?
            .as_str()
            .map(str::to_owned)
    };
    let actual = entries
        .iter()
        .filter(with_origin)
        .find(|entry| method_of(entry).as_deref() != Some("OPTIONS"));
    let preflight_entry = entries.iter().filter(with_origin).find(|entry| {
        method_of(entry).as_deref() == Some("OPTIONS")
            && actual.is_none_or(|actual| {
                entry.get("request").and_then(|r| r.get("url"))
                    == actual.get("request").and_then(|r| r.get("url"))
            })
    });
    let main = actual.or(preflight_entry)?;
    let request_json = main.get("request")?;
    let url = request_json.get("url")?.as_str()?.to_owned();
    let origin = header(request_json, "origin")?;
    let method = match (actual, preflight_entry) {
        (Some(_), _) => method_of(main)?,
        (None, Some(preflight)) => {
            header(preflight.get("request")?, "access-control-request-method")?
        }
        (None, None) => return None,
    };
    let mut request = BrowserRequest::new(url.clone(), origin.clone()).method(&method);
    if actual.is_some() {
        for (name, value) in headers_of(request_json) {
            if !browser::is_forbidden_request_header(&name)
                && !name.starts_with(':')
                && !matches!(name.as_str(), "user-agent" | "pragma" | "cache-control")
            {
                request = request.header(&name, &value);
            }
        }
    }
    // The preflight names every header the page set, including those a
    // sanitized HAR drops from the actual request (`Authorization`).
    if let Some(names) = preflight_entry
        .and_then(|entry| header(entry.get("request")?, "access-control-request-headers"))
    {
        for name in names
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            if !request
                .headers
                .iter()
                .any(|(known, _)| known.eq_ignore_ascii_case(name))
            {
                request = request.header(name, "1");
            }
        }
    }
    // Cookies are gone from a sanitized HAR; a preflight answered with
    // Allow-Credentials suggests the page sent them.
    let credentialed = header(request_json, "cookie").is_some()
        || preflight_entry
            .and_then(response_of)
            .is_some_and(|response| {
                response
                    .header("access-control-allow-credentials")
                    .is_some()
            });
    if credentialed {
        request = request.credentials(Credentials::Include);
    }
    let mut status = None;
    let error = match preflight_entry.and_then(response_of) {
        Some(response) => {
            status = Some(response.status);
            browser::check_preflight(&request, &response, Leniency::CHROMIUM).err()
        }
        None => None,
    };
    let error = match (error, actual.and_then(response_of)) {
        (Some(error), _) => Some(error),
        (None, Some(response)) => {
            status = Some(response.status);
            browser::check_access(&request, &response, false).err()
        }
        (None, None) => None,
    };
    Some(Explained {
        source: Source::Har,
        url: Some(url),
        origin: Some(origin),
        method: Some(method),
        status,
        error,
        request: Some(request),
        browser_reason: None,
        ambiguity: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &str) -> Option<&'static str> {
        explain(input).and_then(|explained| explained.error.map(|error| error.name()))
    }

    #[test]
    fn the_seed_line_wrapped_by_copy_paste_is_a_preflight_status_error() {
        let input = "Access to fetch at 'http://api.test/items' from origin 'http://app.test' has been blocked by CORS policy: Response to preflight request\n   doesn't pass access control check: It does not have HTTP ok\n status.\nPUT http://api.test/items net::ERR_FAILED 405";
        let explained = explain(input).expect("recognised");
        assert_eq!(
            explained.error.map(|e| e.name()),
            Some("PreflightInvalidStatus")
        );
        assert_eq!(explained.url.as_deref(), Some("http://api.test/items"));
        assert_eq!(explained.origin.as_deref(), Some("http://app.test"));
        assert_eq!(explained.method.as_deref(), Some("PUT"));
        assert_eq!(explained.status, Some(405));
    }

    #[test]
    fn old_and_new_wordings_map_to_one_reason() {
        assert_eq!(reason("Access to XMLHttpRequest at 'http://a/x' from origin 'http://b' has been blocked by CORS policy: Response for preflight is invalid (redirect)"), Some("PreflightDisallowedRedirect"));
        assert_eq!(reason("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: CORS preflight channel did not succeed)."), Some("PreflightInvalidStatus"));
        assert_eq!(reason("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: CORS preflight response did not succeed). Status code: 405."), Some("PreflightInvalidStatus"));
        assert_eq!(reason("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: missing token \u{2018}x-a\u{2019} in CORS header \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight channel)."), Some("HeaderDisallowedByPreflightResponse"));
        assert_eq!(reason("[Error] Preflight response is not successful. Status code: 401\n[Error] Fetch API cannot load http://a/x due to access control checks."), Some("PreflightInvalidStatus"));
        assert_eq!(reason("Request header field x-a is not allowed by Access-Control-Allow-Headers.\nFetch API cannot load http://a/x due to access control checks."), Some("HeaderDisallowedByPreflightResponse"));
    }

    #[test]
    fn a_har_is_judged_again_from_its_recorded_responses() {
        let har = r#"{"log":{"entries":[
          {"request":{"method":"OPTIONS","url":"http://api.test/items","headers":[{"name":"Origin","value":"http://app.test"},{"name":"Access-Control-Request-Method","value":"PUT"}]},
           "response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer"}]}},
          {"request":{"method":"PUT","url":"http://api.test/items","headers":[{"name":"Origin","value":"http://app.test"}]},
           "response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}"#;
        let explained = explain(har).expect("a HAR");
        assert_eq!(explained.source, Source::Har);
        assert_eq!(
            explained.error.map(|e| e.name()),
            Some("PreflightMissingAllowOriginHeader")
        );
        assert_eq!(explained.status, Some(401));
    }

    /// A HAR as Chrome's "Export HAR (sanitized)" writes it: no `Cookie`,
    /// `Set-Cookie` or `Authorization`. The preflight asked for
    /// `request_headers` and was answered with `preflight_answer`.
    fn sanitized_har(request_headers: &str, preflight_answer: &str) -> String {
        format!(
            r#"{{"log":{{"entries":[
          {{"request":{{"method":"OPTIONS","url":"https://api.test/items","headers":[{{"name":"Origin","value":"https://app.test"}},{{"name":"Access-Control-Request-Method","value":"PUT"}},{{"name":"Access-Control-Request-Headers","value":"{request_headers}"}}]}},
           "response":{{"status":204,"headers":[{preflight_answer}]}}}},
          {{"request":{{"method":"PUT","url":"https://api.test/items","headers":[{{"name":"Origin","value":"https://app.test"}},{{"name":"Content-Type","value":"application/json"}}]}},
           "response":{{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}}}]}}}}"#
        )
    }

    const ALLOW_PUT_JSON: &str = r#"{"name":"Access-Control-Allow-Methods","value":"PUT"},{"name":"Access-Control-Allow-Headers","value":"content-type"}"#;

    #[test]
    fn a_sanitized_har_guesses_credentials_from_allow_credentials() {
        let wildcard =
            format!(r#"{{"name":"Access-Control-Allow-Origin","value":"*"}},{ALLOW_PUT_JSON}"#);
        let explained = explain(&sanitized_har("content-type", &wildcard)).expect("a HAR");
        let request = explained.request.expect("rebuilt");
        assert_eq!(request.credentials, Credentials::SameOrigin);
        assert_eq!(explained.error, None);
        let with_credentials =
            format!(r#"{wildcard},{{"name":"Access-Control-Allow-Credentials","value":"true"}}"#);
        let explained = explain(&sanitized_har("content-type", &with_credentials)).expect("a HAR");
        assert_eq!(
            explained.request.expect("rebuilt").credentials,
            Credentials::Include
        );
        assert_eq!(
            explained.error.map(|error| error.name()),
            Some("PreflightWildcardOriginNotAllowed")
        );
    }

    #[test]
    fn a_sanitized_har_keeps_the_authorization_the_preflight_asked_for() {
        let allow = format!(
            r#"{{"name":"Access-Control-Allow-Origin","value":"https://app.test"}},{ALLOW_PUT_JSON}"#
        );
        let explained =
            explain(&sanitized_har("authorization,content-type", &allow)).expect("a HAR");
        assert!(
            explained.request.as_ref().is_some_and(|request| request
                .headers
                .iter()
                .any(|(name, _)| name == "authorization")),
            "{:?}",
            explained.request
        );
        assert_eq!(
            explained.error,
            Some(CorsError::HeaderDisallowedByPreflightResponse {
                header: "authorization".to_owned()
            })
        );
    }

    #[test]
    fn local_network_access_is_a_browser_reason() {
        let explained = explain("Access to fetch at 'http://192.168.1.2/x' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `local` address space.").expect("recognised");
        assert_eq!(
            explained.browser_reason,
            Some("LocalNetworkAccessPermissionDenied")
        );
        assert!(explained.error.is_none());
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        assert!(explain("{not json").is_none());
        assert!(explain("{\"log\": {\"entries\": [{}]}}").is_none());
        assert!(explain("hello").is_none());
        assert!(explain("").is_none());
        assert!(explain("has been blocked by CORS policy: at '").is_some());
    }
}
