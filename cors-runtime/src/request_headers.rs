//! Parsing `Access-Control-Request-Headers` without allocating.
//!
//! The list is read once, left to right, straight from the header bytes.
//! Its size is capped before the first byte is looked at, so an attacker's
//! 64 KiB list or 10,000 commas costs a length comparison, not a scan.

use cors_rules::token::is_tchar;
pub use cors_rules::token::is_token;
use http::header::{HeaderMap, ACCESS_CONTROL_REQUEST_HEADERS};

/// Longest `Access-Control-Request-Headers` (all lines together) that is
/// read at all; a longer one refuses the preflight.
pub const MAX_REQUEST_HEADERS_LEN: usize = 2048;

/// Most list elements (names and empty elements) read before the preflight
/// is refused.
pub const MAX_REQUEST_HEADERS_ITEMS: usize = 64;

/// Why a request-headers list was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderListError<'a> {
    /// Longer than [`MAX_REQUEST_HEADERS_LEN`] or with more than
    /// [`MAX_REQUEST_HEADERS_ITEMS`] elements.
    TooLong,
    /// An element that is not an HTTP token.
    Malformed,
    /// A well-formed name the policy does not allow.
    NotAllowed(&'a [u8]),
}

impl std::fmt::Display for HeaderListError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLong => write!(
                f,
                "the list is over {MAX_REQUEST_HEADERS_LEN} bytes or {MAX_REQUEST_HEADERS_ITEMS} elements"
            ),
            Self::Malformed => f.write_str("the list holds something that is not a header name"),
            Self::NotAllowed(name) => write!(f, "`{}` is not allowed", crate::log::Lossy(name)),
        }
    }
}

/// The `Access-Control-Request-Headers` of one request, every line of it.
#[derive(Clone, Copy, Debug)]
pub struct RequestHeaderList<'a> {
    headers: &'a HeaderMap,
}

impl<'a> RequestHeaderList<'a> {
    /// The list carried by `headers`.
    pub fn new(headers: &'a HeaderMap) -> Self {
        Self { headers }
    }

    /// Checks every requested name with `allowed`, which receives the name
    /// as sent (see [`token_eq_lowercase`] and [`is_token`]). Returns whether
    /// at least one name was requested.
    ///
    /// # Errors
    ///
    /// The first reason the list cannot be allowed.
    pub fn check(
        self,
        mut allowed: impl FnMut(&[u8]) -> bool,
    ) -> Result<bool, HeaderListError<'a>> {
        let lines = self.headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS);
        let total: usize = lines.iter().map(|line| line.len()).sum();
        if total > MAX_REQUEST_HEADERS_LEN {
            return Err(HeaderListError::TooLong);
        }
        // A first pass only counts elements: a comma flood is refused
        // without splitting and trimming each empty element. The second
        // pass then meets at most `MAX_REQUEST_HEADERS_ITEMS` elements.
        // Counting a whole line, at most `MAX_REQUEST_HEADERS_LEN` bytes,
        // keeps memchr's vectorised count; stopping at the limit
        // (`take`) would find the commas one at a time.
        let mut elements = 0;
        for line in lines.iter() {
            elements += 1 + memchr::memchr_iter(b',', line.as_bytes()).count();
            if elements > MAX_REQUEST_HEADERS_ITEMS {
                return Err(HeaderListError::TooLong);
            }
        }
        let mut requested = false;
        for line in lines {
            for element in line.as_bytes().split(|&byte| byte == b',') {
                let name = trim_ows(element);
                if name.is_empty() {
                    // Empty list elements are allowed and ignored (RFC 9110, 5.6.1).
                    continue;
                }
                if name.len() > MAX_NAME_LEN {
                    return Err(HeaderListError::TooLong);
                }
                if !allowed(name) {
                    return Err(if is_token(name) {
                        HeaderListError::NotAllowed(name)
                    } else {
                        HeaderListError::Malformed
                    });
                }
                requested = true;
            }
        }
        Ok(requested)
    }
}

/// Whether `name` is a token (RFC 9110, 5.6.2) equal to `lowercase`, an
/// allowed name: a token in lower case. A non-token never is.
#[inline]
pub fn token_eq_lowercase(name: &[u8], lowercase: &[u8]) -> bool {
    debug_assert!(is_token(lowercase) && !lowercase.iter().any(u8::is_ascii_uppercase));
    // `lowercase` holds only tokens, so a match also validates `name`.
    // Browsers send names in lower case: one comparison settles those.
    name.len() == lowercase.len()
        && (name == lowercase
            || name
                .iter()
                .zip(lowercase)
                .all(|(&byte, &expected)| LOWER_TCHAR[usize::from(byte)] == expected))
}

fn trim_ows(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

/// Longest header name read; a longer one refuses the preflight.
const MAX_NAME_LEN: usize = 256;

/// Each `tchar` (RFC 9110, 5.6.2) mapped to its lower case; every other
/// byte to 0.
static LOWER_TCHAR: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if is_tchar(byte) {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn list(lines: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(
                ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_str(line).unwrap(),
            );
        }
        map
    }

    fn names(lines: &[&str]) -> Result<Vec<String>, String> {
        let map = list(lines);
        let mut seen = Vec::new();
        RequestHeaderList::new(&map)
            .check(|name| {
                seen.push(String::from_utf8(name.to_vec()).unwrap());
                is_token(name)
            })
            .map_err(|e| format!("{e:?}"))?;
        Ok(seen)
    }

    #[test]
    fn empty_elements_and_whitespace_are_skipped() {
        assert_eq!(names(&[" a ,, b\t,", "c"]).unwrap(), ["a", "b", "c"]);
        assert_eq!(names(&[""]).unwrap(), Vec::<String>::new());
        assert_eq!(names(&[]).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn non_tokens_are_malformed() {
        assert_eq!(names(&["a b"]).unwrap_err(), "Malformed");
        assert_eq!(names(&["a;b"]).unwrap_err(), "Malformed");
        assert_eq!(names(&["x-\"q\""]).unwrap_err(), "Malformed");
    }

    #[test]
    fn oversized_lists_are_refused_before_parsing() {
        let long = "a,".repeat(MAX_REQUEST_HEADERS_LEN);
        assert_eq!(names(&[&long]).unwrap_err(), "TooLong");
        let commas = ",".repeat(MAX_REQUEST_HEADERS_ITEMS);
        assert_eq!(names(&[&commas]).unwrap_err(), "TooLong");
        let just_enough = ",".repeat(MAX_REQUEST_HEADERS_ITEMS - 1);
        assert!(names(&[&just_enough]).is_ok());
    }

    #[test]
    fn first_refused_name_is_reported() {
        let map = list(&["a, B, c"]);
        let result = RequestHeaderList::new(&map).check(|name| !token_eq_lowercase(name, b"b"));
        assert_eq!(result, Err(HeaderListError::NotAllowed(b"B")));
    }

    #[test]
    fn names_compare_ignoring_case() {
        assert!(token_eq_lowercase(b"content-type", b"content-type"));
        assert!(token_eq_lowercase(b"Content-TYPE", b"content-type"));
        assert!(!token_eq_lowercase(b"content-typ", b"content-type"));
        assert!(!token_eq_lowercase(b"content type", b"content-type"));
        assert!(!token_eq_lowercase(b"content-typf", b"content-type"));
    }

    #[test]
    fn every_tchar_is_accepted_and_nothing_else() {
        let tchars =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        assert_eq!(names(&[tchars]).unwrap(), [tchars]);
        for b in 0u8..=255 {
            if tchars.as_bytes().contains(&b) || matches!(b, b' ' | b'\t' | b',') {
                continue;
            }
            let mut map = HeaderMap::new();
            let value = HeaderValue::from_bytes(&[b'x', b, b'y']);
            let Ok(value) = value else { continue };
            map.append(ACCESS_CONTROL_REQUEST_HEADERS, value);
            assert_eq!(
                RequestHeaderList::new(&map).check(is_token),
                Err(HeaderListError::Malformed),
                "{b}"
            );
        }
    }

    #[test]
    fn overlong_names_are_refused() {
        let long = "x".repeat(MAX_NAME_LEN + 1);
        assert_eq!(names(&[&long]).unwrap_err(), "TooLong");
        assert!(names(&[&"x".repeat(MAX_NAME_LEN)]).is_ok());
    }
}
