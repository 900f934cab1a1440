//! What a response says about the layer that produced it.

use cors_runtime::browser::WireResponse;

/// `Server`/`Via` values of common intermediaries.
const PROXY_NAMES: [&str; 12] = [
    "nginx",
    "apache",
    "envoy",
    "caddy",
    "haproxy",
    "traefik",
    "varnish",
    "cloudflare",
    "cloudfront",
    "akamai",
    "fastly",
    "squid",
];

/// Evidence lines for every fingerprint `response` carries.
pub fn fingerprints(response: &WireResponse) -> Vec<String> {
    let mut lines = Vec::new();
    for name in [
        "www-authenticate",
        "allow",
        "via",
        "server",
        "age",
        "x-cache",
        "cf-cache-status",
        "cf-mitigated",
        "vary",
    ] {
        for value in response.all(name) {
            lines.push(format!("{}: {value}", display_name(name)));
        }
    }
    let allow_origin = response.all("access-control-allow-origin");
    if allow_origin.len() > 1 {
        lines.push(format!(
            "{} Access-Control-Allow-Origin field lines: {}",
            allow_origin.len(),
            allow_origin.join(" | ")
        ));
    }
    if is_challenge_page(response) {
        lines.push("the body is an HTML challenge page".to_owned());
    }
    if matches!(response.status, 401 | 413 | 429) && !response.has_cors_headers() {
        lines.push(format!("{} without CORS headers", response.status));
    }
    lines
}

/// The header name as usually written.
pub fn display_name(name: &str) -> String {
    match name {
        "www-authenticate" => "WWW-Authenticate".to_owned(),
        "cf-cache-status" => "CF-Cache-Status".to_owned(),
        "x-cache" => "X-Cache".to_owned(),
        _ => name
            .split('-')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect::<Vec<_>>()
            .join("-"),
    }
}

/// A WAF or bot challenge: `cf-mitigated: challenge`, or an HTML page
/// with a challenge's marks on a 403/429/503.
pub fn is_challenge_page(response: &WireResponse) -> bool {
    if response
        .header("cf-mitigated")
        .is_some_and(|value| value.eq_ignore_ascii_case("challenge"))
    {
        return true;
    }
    let html = response
        .header("content-type")
        .is_some_and(|value| value.to_ascii_lowercase().contains("text/html"));
    if !html || !matches!(response.status, 403 | 429 | 503) {
        return false;
    }
    let body = String::from_utf8_lossy(&response.body).to_ascii_lowercase();
    [
        "challenge",
        "captcha",
        "just a moment",
        "attention required",
        "are you a robot",
        "request blocked",
        "access denied",
    ]
    .iter()
    .any(|mark| body.contains(mark))
}

/// Whether a header names an intermediary (`Via`, or a proxy's `Server`).
pub fn intermediary(response: &WireResponse) -> Option<String> {
    if let Some(via) = response.header("via") {
        return Some(format!("Via: {via}"));
    }
    let server = response.header("server")?;
    let lower = server.to_ascii_lowercase();
    PROXY_NAMES
        .iter()
        .any(|name| lower.contains(name))
        .then(|| format!("Server: {server}"))
}

/// Whether a shared cache served it: `Age`, `X-Cache: HIT`,
/// `CF-Cache-Status: HIT`.
pub fn served_from_cache(response: &WireResponse) -> Option<String> {
    if let Some(age) = response.header("age") {
        return Some(format!("Age: {age}"));
    }
    for name in ["x-cache", "cf-cache-status", "x-cache-status"] {
        if let Some(value) = response.header(name) {
            if value.to_ascii_uppercase().contains("HIT") {
                return Some(format!("{}: {value}", display_name(name)));
            }
        }
    }
    None
}

/// Whether `Vary` lists `Origin` (or `*`).
pub fn varies_by_origin(response: &WireResponse) -> bool {
    response.all("vary").iter().any(|value| {
        value
            .split(',')
            .any(|item| matches!(item.trim().to_ascii_lowercase().as_str(), "origin" | "*"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> WireResponse {
        WireResponse::new(status, headers, body.as_bytes())
    }

    #[test]
    fn a_challenge_page_is_recognised_and_a_plain_403_is_not() {
        let page = response(
            403,
            &[("content-type", "text/html")],
            "<title>Just a moment...</title>",
        );
        assert!(is_challenge_page(&page));
        assert!(!is_challenge_page(&response(
            403,
            &[("content-type", "text/plain")],
            "forbidden"
        )));
    }

    #[test]
    fn duplicate_allow_origin_lines_and_bare_413_are_evidence() {
        let lines = fingerprints(&response(
            413,
            &[
                ("access-control-allow-origin", "a"),
                ("access-control-allow-origin", "a"),
            ],
            "",
        ));
        assert!(lines
            .iter()
            .any(|line| line.starts_with("2 Access-Control-Allow-Origin")));
        let lines = fingerprints(&response(413, &[], ""));
        assert_eq!(lines, ["413 without CORS headers"]);
    }

    #[test]
    fn vary_is_read_across_lines_and_items() {
        assert!(varies_by_origin(&response(
            200,
            &[("vary", "accept"), ("vary", "Accept-Encoding, Origin")],
            ""
        )));
        assert!(!varies_by_origin(&response(
            200,
            &[("vary", "accept-origin")],
            ""
        )));
    }
}
