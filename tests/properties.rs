//! Property tests of the runtime against small reference models written
//! here, independently of the implementation.

use axum::http::header::{HeaderMap, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS};
use cors_runtime::__private::{
    AllowedHeaders, AllowedOrigins, EnvOrigins, HostPattern, OriginHeader, OriginPattern,
    PortPattern, RequestHeaderList,
};
use cors_runtime::{MAX_REQUEST_HEADERS_ITEMS, MAX_REQUEST_HEADERS_LEN};
use proptest::prelude::*;

// ---------------------------------------------------------------- origins

/// The policy under test: two exact origins, `https://*.example.com` and
/// `http://localhost:*`.
static POLICY: AllowedOrigins = AllowedOrigins::List {
    exact: &["http://localhost:5173", "https://app.example.com"],
    patterns: &[
        OriginPattern {
            scheme: "https://",
            host: HostPattern::Subdomains(".example.com"),
            port: PortPattern::Exact(""),
        },
        OriginPattern {
            scheme: "http://",
            host: HostPattern::Exact("localhost"),
            port: PortPattern::Any,
        },
    ],
    env: EnvOrigins::new(&[]),
};

/// The same policy, decided the slow and obvious way.
fn reference_allows(origin: &str) -> bool {
    if origin == "https://app.example.com" || origin == "http://localhost:5173" {
        return true;
    }
    if let Some(host) = origin.strip_prefix("https://") {
        // No port, and one or more non-empty lower-case labels before `.example.com`.
        if let Some(labels) = host.strip_suffix(".example.com") {
            return !labels.is_empty()
                && labels.split('.').all(|label| {
                    !label.is_empty()
                        && label.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                        })
                });
        }
        return false;
    }
    if let Some(rest) = origin.strip_prefix("http://localhost") {
        if rest.is_empty() {
            return true;
        }
        if let Some(port) = rest.strip_prefix(':') {
            return !port.is_empty()
                && !port.starts_with('0')
                && port.len() <= 5
                && port.chars().all(|c| c.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|n| n <= 65_535);
        }
    }
    false
}

fn origin_strategy() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https://",
        "http://",
        "HTTPS://",
        "ftp://",
        "https:/",
        "",
        "https://user@",
        "https://a:b@",
    ]);
    let label = prop::sample::select(vec![
        "example",
        "com",
        "app",
        "a",
        "evil",
        "evilexample",
        "EXAMPLE",
        "App",
        "localhost",
        "xn--bcher-kva",
        "ex%61mple",
        "exämple",
        "",
        "net",
        "1",
        "-",
        "_x",
        "localhost.evil",
        "example.com",
    ]);
    let host = prop::collection::vec(label, 1..5).prop_map(|labels| labels.join("."));
    let trailing = prop::sample::select(vec![
        "",
        ".",
        ".example.com",
        ".example.com.evil.net",
        ".com",
    ]);
    let port = prop::sample::select(vec![
        "", ":443", ":80", ":5173", ":3000", ":0", ":08080", ":65535", ":65536", ":", ":*", ":1a",
    ]);
    let tail = prop::sample::select(vec!["", "", "", "/", "/path", "?q", " ", "\t"]);
    (scheme, host, trailing, port, tail)
        .prop_map(|(s, h, t, p, tail)| format!("{s}{h}{t}{p}{tail}"))
}

/// Shapes that have broken real CORS libraries: prefixes, suffixes, the apex,
/// `evil` glued on either side of an allowed origin.
fn bypass_strategy() -> impl Strategy<Value = String> {
    let allowed = prop::sample::select(vec![
        "https://app.example.com",
        "http://localhost:5173",
        "https://a.example.com",
        "http://localhost",
    ]);
    let shape = prop::sample::select(vec![0u8, 1, 2, 3, 4, 5, 6, 7]);
    (allowed, shape, 1usize..20).prop_map(|(allowed, shape, cut)| {
        let cut = cut.min(allowed.len());
        match shape {
            0 => allowed[..allowed.len() - cut].to_owned(),
            1 => format!("{allowed}.evil.net"),
            2 => allowed.replacen("://", "://evil", 1),
            3 => allowed.replacen("://", "://evil.", 1),
            4 => format!("{allowed}evil"),
            5 => allowed.to_ascii_uppercase(),
            6 => allowed.replacen("https://", "http://", 1),
            _ => "https://example.com".to_owned(),
        }
    })
}

fn decide(origin: &str) -> Option<HeaderValue> {
    let value = HeaderValue::from_bytes(origin.as_bytes()).ok()?;
    POLICY.allow(OriginHeader::One(&value))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn origin_matcher_agrees_with_the_reference(origin in prop_oneof![origin_strategy(), bypass_strategy(), "\\PC{0,40}"]) {
        let granted = decide(&origin);
        let expected = HeaderValue::from_bytes(origin.as_bytes()).is_ok() && reference_allows(&origin);
        prop_assert_eq!(granted.is_some(), expected, "{:?}", origin);
        if let Some(value) = granted {
            prop_assert_eq!(value.as_bytes(), origin.as_bytes());
        }
    }

    #[test]
    fn several_origins_are_never_allowed_by_a_list(origin in origin_strategy()) {
        prop_assert!(POLICY.allow(OriginHeader::Several).is_none(), "{}", origin);
    }
}

// ------------------------------------------------------- request headers

const ALLOWED_NAMES: &[&str] = &["content-type", "authorization", "x-request-id"];

static LIST: AllowedHeaders = AllowedHeaders::List {
    names: ALLOWED_NAMES,
};

/// The request-headers rules, decided the slow and obvious way: `Some(true)`
/// allowed with names, `Some(false)` allowed without, `None` refused.
fn reference_check(lines: &[String]) -> Option<bool> {
    let total: usize = lines.iter().map(String::len).sum();
    if total > MAX_REQUEST_HEADERS_LEN {
        return None;
    }
    let elements: Vec<&str> = lines.iter().flat_map(|line| line.split(',')).collect();
    let mut requested = false;
    for (index, element) in elements.iter().enumerate() {
        if index >= MAX_REQUEST_HEADERS_ITEMS {
            return None;
        }
        let name = element.trim_matches(|c| c == ' ' || c == '\t');
        if name.is_empty() {
            continue;
        }
        let token = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
        if !token || !ALLOWED_NAMES.contains(&name.to_ascii_lowercase().as_str()) {
            return None;
        }
        requested = true;
    }
    Some(requested)
}

fn header_map(lines: &[String]) -> Option<HeaderMap> {
    let mut map = HeaderMap::new();
    for line in lines {
        map.append(
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_str(line).ok()?,
        );
    }
    Some(map)
}

fn list_strategy() -> impl Strategy<Value = Vec<String>> {
    let piece = prop::sample::select(vec![
        "content-type",
        "Content-Type",
        "AUTHORIZATION",
        "x-request-id",
        "x-other",
        "",
        " ",
        "\t",
        ",",
        ",,",
        "a b",
        "x;y",
        "\"q\"",
        "content-type ",
        " authorization",
        "x-request-id\t",
        "ÿ",
    ]);
    let line = prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat());
    prop::collection::vec(line, 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn request_headers_parser_agrees_with_the_reference(lines in list_strategy()) {
        let Some(map) = header_map(&lines) else { return Ok(()) };
        let got = RequestHeaderList::new(&map).check(|name| LIST.allows(name)).ok();
        prop_assert_eq!(got, reference_check(&lines), "{:?}", lines);
    }

}

proptest! {
    // Inputs up to 100 KB, near what hyper accepts for one header line.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn request_headers_parser_does_bounded_work(bytes in prop::collection::vec(prop::sample::select(b", \tab-Z;\x7f".to_vec()), 0..100_000)) {
        let Ok(value) = HeaderValue::from_bytes(&bytes) else { return Ok(()) };
        let mut map = HeaderMap::new();
        map.append(ACCESS_CONTROL_REQUEST_HEADERS, value);
        let mut calls = 0;
        let _ = RequestHeaderList::new(&map).check(|_| { calls += 1; true });
        prop_assert!(calls <= MAX_REQUEST_HEADERS_ITEMS);
        if bytes.len() > MAX_REQUEST_HEADERS_LEN {
            prop_assert_eq!(calls, 0, "an oversized list is refused before it is read");
        }
    }
}
