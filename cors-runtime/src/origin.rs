//! Matching a request's `Origin` against the origins a policy allows.
//!
//! The macro has already checked every origin and pattern and sorted the
//! exact ones, so matching is a binary search over byte strings and, for
//! patterns, a few slice comparisons. An allowed origin is echoed from the
//! request, whose bytes equal the policy's. Nothing here
//! allocates or loops over the request more than once.

use cors_rules::origin::split_host_port;
use http::header::{HeaderMap, HeaderValue, ORIGIN};

pub use crate::env_origins::EnvOrigins;

/// The `Access-Control-Allow-Origin: *` value.
pub(crate) const ANY_ORIGIN: HeaderValue = HeaderValue::from_static("*");

/// What the request said about its origin.
#[derive(Clone, Copy, Debug)]
pub enum OriginHeader<'a> {
    /// No `Origin` header: not a cross-origin request from a browser.
    Absent,
    /// Exactly one `Origin` header.
    One(&'a HeaderValue),
    /// Several `Origin` headers: malformed, never allowed by a list.
    Several,
}

impl<'a> OriginHeader<'a> {
    /// Reads the `Origin` header lines of a request.
    #[inline]
    pub fn from_headers(headers: &'a HeaderMap) -> Self {
        // A request of a few lines (a script's, a probe's) is scanned:
        // comparing a few names costs less than a lookup, which hashes
        // the name. A browser's request is larger and looked up.
        if headers.len() <= 4 {
            let mut found = Self::Absent;
            for (name, value) in headers {
                if name == ORIGIN {
                    found = match found {
                        Self::Absent => Self::One(value),
                        _ => Self::Several,
                    };
                }
            }
            return found;
        }
        let mut values = headers.get_all(ORIGIN).iter();
        match (values.next(), values.next()) {
            (None, _) => Self::Absent,
            (Some(value), None) => Self::One(value),
            (Some(_), Some(_)) => Self::Several,
        }
    }
}

/// The origins a policy allows.
#[derive(Debug)]
pub enum AllowedOrigins {
    /// `origins = "*"`: every request that has an `Origin` gets `*`.
    Any,
    /// An explicit list.
    List {
        /// Exact serialized origins, sorted by bytes for binary search.
        exact: &'static [&'static str],
        /// Subdomain and any-port patterns.
        patterns: &'static [OriginPattern],
        /// Origins read from environment variables at start-up.
        env: EnvOrigins,
    },
}

/// How an allowed origin is answered in `Access-Control-Allow-Origin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// With `*`.
    Any,
    /// With the request's own `Origin` value, byte for byte: cloning a
    /// `HeaderValue` shares its buffer instead of copying it.
    Echo,
}

impl Allowed {
    /// The header value for an origin allowed this way.
    #[inline]
    pub(crate) fn value(self, origin: &HeaderValue) -> HeaderValue {
        match self {
            Self::Any => ANY_ORIGIN,
            Self::Echo => origin.clone(),
        }
    }
}

impl AllowedOrigins {
    /// Whether `origin` is allowed, and how to say so.
    #[inline]
    pub(crate) fn verdict(&self, origin: OriginHeader<'_>) -> Option<Allowed> {
        match (self, origin) {
            (_, OriginHeader::Absent) => None,
            (Self::Any, _) => Some(Allowed::Any),
            (Self::List { .. }, OriginHeader::Several) => None,
            (
                Self::List {
                    exact,
                    patterns,
                    env,
                },
                OriginHeader::One(value),
            ) => {
                let bytes = value.as_bytes();
                let allowed = exact
                    .binary_search_by(|probe| probe.as_bytes().cmp(bytes))
                    .is_ok()
                    || patterns.iter().any(|pattern| pattern.matches(bytes))
                    || (!env.is_empty() && env.allows(bytes));
                allowed.then_some(Allowed::Echo)
            }
        }
    }

    /// The `Access-Control-Allow-Origin` value to send, or `None` when the
    /// origin is not allowed.
    #[inline]
    pub fn allow(&self, origin: OriginHeader<'_>) -> Option<HeaderValue> {
        let allowed = self.verdict(origin)?;
        match origin {
            OriginHeader::One(value) => Some(allowed.value(value)),
            // `verdict` allows several `Origin` lines only for `*`.
            OriginHeader::Absent | OriginHeader::Several => Some(ANY_ORIGIN),
        }
    }
}

impl AllowedOrigins {
    /// The origins as written in the attribute.
    pub(crate) fn describe(&self) -> Vec<String> {
        match self {
            Self::Any => vec!["*".to_owned()],
            Self::List {
                exact,
                patterns,
                env,
            } => exact
                .iter()
                .map(|&origin| origin.to_owned())
                .chain(patterns.iter().map(OriginPattern::describe))
                .chain(if env.is_empty() {
                    Vec::new()
                } else {
                    env.describe()
                })
                .collect(),
        }
    }
}

/// An origin with a wildcard: `https://*.example.com` or `http://localhost:*`.
#[derive(Debug)]
pub struct OriginPattern {
    /// The scheme with its `://`, e.g. `"https://"`.
    pub scheme: &'static str,
    /// What the host must be.
    pub host: HostPattern,
    /// What the port must be.
    pub port: PortPattern,
}

/// The host part of an [`OriginPattern`].
#[derive(Debug)]
pub enum HostPattern {
    /// Exactly this host.
    Exact(&'static str),
    /// One or more DNS labels in front of this suffix, which starts with a
    /// dot (`".example.com"`); the suffix alone never matches.
    Subdomains(&'static str),
}

/// The port part of an [`OriginPattern`].
#[derive(Debug)]
pub enum PortPattern {
    /// Exactly this port, with its colon (`":8080"`), or `""` for none.
    Exact(&'static str),
    /// Any port, or none.
    Any,
}

impl OriginPattern {
    /// The pattern as written in the attribute.
    pub(crate) fn describe(&self) -> String {
        self.render("*", ":*")
    }

    /// The pattern with `label` in place of a subdomain wildcard and `port`
    /// in place of a port wildcard.
    pub(crate) fn render(&self, label: &str, port: &str) -> String {
        let host = match self.host {
            HostPattern::Exact(host) => host.to_owned(),
            HostPattern::Subdomains(suffix) => format!("{label}{suffix}"),
        };
        let port = match self.port {
            PortPattern::Exact(port) => port,
            PortPattern::Any => port,
        };
        format!("{}{host}{port}", self.scheme)
    }

    /// Whether a serialized origin matches this pattern.
    pub fn matches(&self, origin: &[u8]) -> bool {
        let Some(authority) = origin.strip_prefix(self.scheme.as_bytes()) else {
            return false;
        };
        let (host, port) = split_host_port(authority);
        self.host.matches(host) && self.port.matches(port)
    }
}

impl HostPattern {
    fn matches(&self, host: &[u8]) -> bool {
        match self {
            Self::Exact(exact) => host == exact.as_bytes(),
            Self::Subdomains(suffix) => host
                .strip_suffix(suffix.as_bytes())
                .is_some_and(is_dns_labels),
        }
    }
}

impl PortPattern {
    fn matches(&self, port: &[u8]) -> bool {
        match self {
            Self::Exact(exact) => port == exact.as_bytes(),
            Self::Any => match port {
                [] => true,
                [b':', digits @ ..] => is_port_number(digits),
                _ => false,
            },
        }
    }
}

/// One or more non-empty labels of lower-case letters, digits, `-` and `_`,
/// separated by dots: the part a subdomain pattern's `*` stands for.
fn is_dns_labels(labels: &[u8]) -> bool {
    !labels.is_empty()
        && labels.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        })
}

/// A port as browsers serialize it: 1 to 65535, no leading zero.
fn is_port_number(digits: &[u8]) -> bool {
    if digits.is_empty() || digits.len() > 5 || digits[0] == b'0' {
        return false;
    }
    let mut value: u32 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return false;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    value <= 65_535
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBDOMAINS: OriginPattern = OriginPattern {
        scheme: "https://",
        host: HostPattern::Subdomains(".example.com"),
        port: PortPattern::Exact(""),
    };
    const LOCALHOST_ANY_PORT: OriginPattern = OriginPattern {
        scheme: "http://",
        host: HostPattern::Exact("localhost"),
        port: PortPattern::Any,
    };

    #[test]
    fn subdomain_pattern_needs_at_least_one_label() {
        assert!(SUBDOMAINS.matches(b"https://a.example.com"));
        assert!(SUBDOMAINS.matches(b"https://a.b.example.com"));
        for refused in [
            "https://example.com",
            "https://.example.com",
            "https://a..example.com",
            "https://evilexample.com",
            "https://a.example.com.evil.net",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://A.example.com",
            "https://a.example.com.",
            "https://user@a.example.com",
        ] {
            assert!(!SUBDOMAINS.matches(refused.as_bytes()), "{refused}");
        }
    }

    #[test]
    fn any_port_pattern_takes_valid_ports_only() {
        for allowed in [
            "http://localhost",
            "http://localhost:1",
            "http://localhost:65535",
        ] {
            assert!(LOCALHOST_ANY_PORT.matches(allowed.as_bytes()), "{allowed}");
        }
        for refused in [
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:065",
            "http://localhost:65536",
            "http://localhost:123456",
            "http://localhost:80a",
            "https://localhost:3000",
            "http://localhost.evil.net:3000",
            "http://localhostx:3000",
        ] {
            assert!(!LOCALHOST_ANY_PORT.matches(refused.as_bytes()), "{refused}");
        }
    }

    #[test]
    fn any_port_pattern_on_an_ipv6_host_keeps_its_colons() {
        let ipv6_any_port = OriginPattern {
            scheme: "http://",
            host: HostPattern::Exact("[::1]"),
            port: PortPattern::Any,
        };
        assert!(ipv6_any_port.matches(b"http://[::1]"));
        assert!(ipv6_any_port.matches(b"http://[::1]:8080"));
        assert!(!ipv6_any_port.matches(b"http://[::1]8080"));
        assert!(!ipv6_any_port.matches(b"http://[::1"));
    }
}
