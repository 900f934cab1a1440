//! HTTP tokens (RFC 9110, 5.6.2): what a method or a header name may be.
//! `cors-macros` checks the names a policy lists with [`is_token`];
//! `cors-runtime` builds its lookup table for request header names from
//! [`is_tchar`]. And the header names a page can never set
//! ([`is_forbidden_request_header`]): the attribute refuses them in
//! `allow_headers`, the browser model leaves them out of what it sends.

/// Whether `byte` is a `tchar`: a byte a token may contain.
#[inline]
pub const fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Whether `name` is a token: one or more `tchar`s.
#[inline]
pub fn is_token(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&byte| is_tchar(byte))
}

/// The Fetch standard's forbidden request-header names, in lower case: a
/// script cannot set them, the browser does.
const FORBIDDEN_REQUEST_HEADERS: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
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

/// Whether a page can never set the request header `name` (any case): one
/// of the Fetch standard's forbidden names, or a `proxy-` or `sec-` one.
pub fn is_forbidden_request_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_nonempty_runs_of_tchars() {
        for token in [
            "GET",
            "PURGE",
            "content-type",
            "x-a_b.c~d",
            "!#$%&'*+-.^_`|~",
        ] {
            assert!(is_token(token.as_bytes()), "{token}");
        }
        for not_token in ["", "a b", "a:b", "a,b", "(x)", "é", "a\"b", "a/b", "a\tb"] {
            assert!(!is_token(not_token.as_bytes()), "{not_token:?}");
        }
    }

    #[test]
    fn exactly_seventy_seven_bytes_are_tchars() {
        // 62 letters and digits and the 15 symbols of RFC 9110.
        assert_eq!((0..=255u8).filter(|&b| is_tchar(b)).count(), 77);
    }

    #[test]
    fn forbidden_request_headers_are_named_in_any_case_and_by_prefix() {
        for name in [
            "Cookie",
            "host",
            "Sec-Fetch-Site",
            "proxy-authorization",
            "Origin",
        ] {
            assert!(super::is_forbidden_request_header(name), "{name}");
        }
        for name in ["content-type", "authorization", "x-secure", "x-proxy"] {
            assert!(!super::is_forbidden_request_header(name), "{name}");
        }
    }
}
