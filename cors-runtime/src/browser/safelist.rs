//! Does a request need a preflight? The Fetch standard's CORS-safelisted
//! methods and request headers, with its byte limits.

use super::request::BrowserRequest;

/// A value longer than this makes its header unsafe.
pub const MAX_SAFELISTED_VALUE_LEN: usize = 128;
/// Safelisted values longer than this in total make them all unsafe.
pub const MAX_SAFELISTED_TOTAL_LEN: usize = 1024;

/// `GET`, `HEAD` and `POST` need no preflight (compared exactly: `fetch`
/// upper-cases these itself).
pub fn is_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// Whether the request needs a preflight: an unsafe method or an unsafe
/// request header.
pub fn needs_preflight(request: &BrowserRequest) -> bool {
    !is_safelisted_method(&request.method) || !unsafe_header_names(request).is_empty()
}

/// The CORS-unsafe request-header names, lower-cased, sorted, without
/// repeats: what goes into `Access-Control-Request-Headers`.
pub fn unsafe_header_names(request: &BrowserRequest) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut safelisted = Vec::new();
    let mut total = 0usize;
    for (name, value) in request.script_headers() {
        let name = name.to_ascii_lowercase();
        if is_safelisted_header(&name, value) {
            total = total.saturating_add(value.len());
            safelisted.push(name);
        } else {
            unsafe_names.push(name);
        }
    }
    if total > MAX_SAFELISTED_TOTAL_LEN {
        unsafe_names.extend(safelisted);
    }
    unsafe_names.sort_unstable();
    unsafe_names.dedup();
    unsafe_names
}

/// The Fetch standard's "CORS-safelisted request-header" for one field
/// (name lower-cased).
pub fn is_safelisted_header(name: &str, value: &str) -> bool {
    if value.len() > MAX_SAFELISTED_VALUE_LEN {
        return false;
    }
    match name {
        "accept" => !value.bytes().any(is_unsafe_byte),
        "accept-language" | "content-language" => value.bytes().all(|byte| {
            byte.is_ascii_alphanumeric()
                || matches!(byte, b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
        }),
        "content-type" => {
            !value.bytes().any(is_unsafe_byte)
                && matches!(
                    mime_essence(value).as_deref(),
                    Some(
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    )
                )
        }
        "range" => is_simple_range(value),
        _ => false,
    }
}

/// A CORS-unsafe request-header byte.
fn is_unsafe_byte(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\t')
        || matches!(
            byte,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7f
        )
}

/// The essence (`type/subtype`, lower-cased) of a MIME type, or `None`
/// when it does not parse.
pub fn mime_essence(value: &str) -> Option<String> {
    let essence = value
        .split(';')
        .next()?
        .trim_matches([' ', '\t', '\r', '\n']);
    let (kind, subtype) = essence.split_once('/')?;
    let token = |part: &str| !part.is_empty() && part.bytes().all(is_token_byte);
    (token(kind) && token(subtype)).then(|| essence.to_ascii_lowercase())
}

/// An HTTP token character.
pub fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// `bytes=N-` or `bytes=N-M` with `N <= M`.
fn is_simple_range(value: &str) -> bool {
    let Some(range) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = range.split_once('-') else {
        return false;
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    if !digits(start) {
        return false;
    }
    if end.is_empty() {
        return true;
    }
    digits(end)
        && match (start.parse::<u128>(), end.parse::<u128>()) {
            (Ok(start), Ok(end)) => start <= end,
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, headers: &[(&str, &str)]) -> BrowserRequest {
        headers.iter().fold(
            BrowserRequest::new("/r", "https://a.example").method(method),
            |request, (name, value)| request.header(name, value),
        )
    }

    #[test]
    fn simple_methods_with_safelisted_headers_need_no_preflight() {
        assert!(!needs_preflight(&request("GET", &[])));
        assert!(!needs_preflight(&request(
            "POST",
            &[("Content-Type", "text/plain;charset=utf-8")]
        )));
        assert!(!needs_preflight(&request(
            "HEAD",
            &[("accept", "application/json")]
        )));
        assert!(!needs_preflight(&request(
            "GET",
            &[("range", "bytes=0-99")]
        )));
    }

    #[test]
    fn other_methods_and_lower_case_extension_methods_need_a_preflight() {
        assert!(needs_preflight(&request("PUT", &[])));
        assert!(needs_preflight(&request("patch", &[])));
        // `fetch` upper-cases `post`, so it stays simple.
        assert!(!needs_preflight(&request("post", &[])));
    }

    #[test]
    fn json_content_type_and_custom_headers_are_unsafe_and_listed_sorted_lower_case() {
        let request = request(
            "POST",
            &[
                ("X-Trace", "1"),
                ("Content-Type", "application/json"),
                ("Authorization", "Bearer t"),
            ],
        );
        assert_eq!(
            unsafe_header_names(&request),
            ["authorization", "content-type", "x-trace"]
        );
    }

    #[test]
    fn a_value_over_128_bytes_is_unsafe() {
        let long = "a".repeat(129);
        assert!(needs_preflight(&request("GET", &[("accept", &long)])));
        let fits = "a".repeat(128);
        assert!(!needs_preflight(&request("GET", &[("accept", &fits)])));
    }

    #[test]
    fn safelisted_values_over_1024_bytes_in_total_make_all_of_them_unsafe() {
        let value = "a".repeat(120);
        let headers: Vec<(&str, &str)> = (0..9).map(|_| ("accept", value.as_str())).collect();
        assert_eq!(unsafe_header_names(&request("GET", &headers)), ["accept"]);
        assert!(!needs_preflight(&request("GET", &headers[..8])));
    }

    #[test]
    fn content_type_is_parsed_not_compared() {
        assert!(is_safelisted_header(
            "content-type",
            " Text/Plain ; charset=x"
        ));
        assert!(!is_safelisted_header("content-type", "text/plain\"x"));
        assert!(!is_safelisted_header("content-type", "text"));
        assert!(!is_safelisted_header("content-type", "application/json"));
    }

    #[test]
    fn a_range_with_a_start_after_its_end_or_two_ranges_is_unsafe() {
        assert!(!is_safelisted_header("range", "bytes=9-1"));
        assert!(!is_safelisted_header("range", "bytes=0-1,3-4"));
        assert!(is_safelisted_header("range", "bytes=5-"));
    }

    #[test]
    fn forbidden_headers_are_not_counted() {
        assert!(!needs_preflight(&request(
            "GET",
            &[("cookie", "a=b"), ("sec-fetch-x", "1")]
        )));
    }
}
