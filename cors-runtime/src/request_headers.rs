//! Parsing `Access-Control-Request-Headers` without allocating.
//!
//! The list is read once, left to right, straight from the header bytes.
//! Its size is capped before the first byte is looked at, so an attacker's
//! 64 KiB list or 10,000 commas costs a length comparison, not a scan.

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
    /// as sent (any case). Returns whether at least one name was requested.
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
        let mut items = 0;
        let mut requested = false;
        for line in lines {
            for element in line.as_bytes().split(|&b| b == b',') {
                items += 1;
                if items > MAX_REQUEST_HEADERS_ITEMS {
                    return Err(HeaderListError::TooLong);
                }
                let name = trim_ows(element);
                if name.is_empty() {
                    // Empty list elements are allowed and ignored (RFC 9110, 5.6.1).
                    continue;
                }
                if !name.iter().all(|&b| is_tchar(b)) {
                    return Err(HeaderListError::Malformed);
                }
                if !allowed(name) {
                    return Err(HeaderListError::NotAllowed(name));
                }
                requested = true;
            }
        }
        Ok(requested)
    }
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

/// `tchar` from RFC 9110, 5.6.2.
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

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
                true
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
        let result = RequestHeaderList::new(&map).check(|name| !name.eq_ignore_ascii_case(b"b"));
        assert_eq!(result, Err(HeaderListError::NotAllowed(b"B")));
    }
}
