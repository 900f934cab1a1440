//! Property test: the origin rules accept exactly the serialized origins.

use crate::origin::*;
use proptest::prelude::*;

/// A strict reading of "serialized origin" for strings without `*`: the
/// only forms the macro may accept, written independently of it.
fn reference(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && scheme_chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
        && !["file", "ws", "wss", "javascript", "data", "about", "blob"].contains(&scheme);
    let (host, port) = if rest.starts_with('[') {
        match rest.find(']') {
            Some(close) => (&rest[..=close], &rest[close + 1..]),
            None => return false,
        }
    } else {
        match rest.find(':') {
            Some(colon) => (&rest[..colon], &rest[colon..]),
            None => (rest, ""),
        }
    };
    let host_ok = if let Some(address) = host.strip_prefix('[') {
        // Only the forms a browser sends: valid, and serialized.
        let address = &address[..address.len() - 1];
        address
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|parsed| serialize_ipv6(parsed) == address)
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    })
            })
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            let default = match scheme {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                "ftp" => Some(21),
                _ => None,
            };
            !digits.is_empty()
                && !digits.starts_with('0')
                && digits.chars().all(|c| c.is_ascii_digit())
                && digits.parse::<u16>().is_ok_and(|n| Some(n) != default)
        }
    };
    scheme_ok && host_ok && port_ok
}

fn origin_like() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https",
        "http",
        "HTTP",
        "ws",
        "ftp",
        "file",
        "chrome-extension",
        "",
        "1x",
        "a+b",
    ]);
    let separator = prop::sample::select(vec!["://", "://", "://", ":/", "//", ""]);
    let userinfo = prop::sample::select(vec!["", "", "", "u@", "u:p@"]);
    let label = prop::sample::select(vec![
        "a",
        "example",
        "com",
        "EXAMPLE",
        "xn--bcher-kva",
        "bücher",
        "",
        "x_y",
        "-",
        "%41",
        "a b",
    ]);
    let host = prop_oneof![
        prop::collection::vec(label, 1..4).prop_map(|labels| labels.join(".")),
        prop::sample::select(vec![
            "[::1]".to_owned(),
            "[::G]".to_owned(),
            "[]".to_owned(),
            "[::1".to_owned(),
            "[0:0::1]".to_owned(),
            "[1.2.3.4]".to_owned(),
            "127.0.0.1".to_owned()
        ]),
    ];
    let trailing_dot = prop::sample::select(vec!["", "", "."]);
    let port = prop::sample::select(vec![
        "", "", ":80", ":443", ":21", ":8080", ":0", ":65535", ":65536", ":007", ":", ":x",
    ]);
    let tail = prop::sample::select(vec!["", "", "", "/", "/p", "?q", "#f"]);
    (scheme, separator, userinfo, host, trailing_dot, port, tail)
        .prop_map(|(s, sep, u, h, dot, p, t)| format!("{s}{sep}{u}{h}{dot}{p}{t}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8192))]

    #[test]
    fn accepts_exactly_the_serialized_origins(
        text in prop_oneof![origin_like(), "[ -~]{0,30}", "\\PC{0,20}"].prop_map(|text| text.replace('*', "x"))
    ) {
        let parsed = parse_origin(&text);
        prop_assert_eq!(parsed.is_ok(), reference(&text), "{:?} -> {:?}", text, parsed);
        if let Ok(spec) = parsed {
            prop_assert_eq!(spec, OriginSpec::Exact(text.clone()));
        }
    }
}
