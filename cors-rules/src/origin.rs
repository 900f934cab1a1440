//! Is this string a serialized origin, or a pattern we support? One pure
//! function, [`parse_origin`], with its own tests. `cors-macros` calls it
//! for each literal in `origins = [...]` and puts the error on that
//! literal's span; `cors-runtime` calls it for each `env(...)` entry at
//! start-up and reports the error with the variable's name.
//!
//! Browsers send `Origin` as `scheme://host[:port]`: lower-case scheme and
//! host, no default port, no path, no trailing slash. The runtime compares
//! bytes, so anything written differently here would never match; that is
//! why every such form is an error that shows the form to write instead.

/// A checked entry of `origins = [...]`.
#[derive(Debug, PartialEq, Eq)]
pub enum OriginSpec {
    /// A serialized origin, compared byte for byte.
    Exact(String),
    Pattern(PatternSpec),
}

#[derive(Debug, PartialEq, Eq)]
pub struct PatternSpec {
    /// With its `://`.
    pub scheme: String,
    pub host: HostSpec,
    pub port: PortSpec,
}

#[derive(Debug, PartialEq, Eq)]
pub enum HostSpec {
    Exact(String),
    /// The base after `*.`: one or more labels are required in front of it.
    Subdomains(String),
}

#[derive(Debug, PartialEq, Eq)]
pub enum PortSpec {
    /// `""` or `":8080"`.
    Exact(String),
    Any,
}

/// Checks one entry of `origins`. The error says what to write instead.
pub fn parse_origin(text: &str) -> Result<OriginSpec, String> {
    if text.eq_ignore_ascii_case("null") {
        return Err("the `null` origin cannot be allowed: sandboxed iframes, `file://` pages and redirects all send it, so allowing it allows them all".into());
    }
    if text == "*" {
        return Err(
            "`*` cannot be part of a list; to allow every origin write `origins = \"*\"`".into(),
        );
    }
    if text.is_empty() {
        return Err(
            "empty origin; expected `scheme://host[:port]`, e.g. `https://app.example.com`".into(),
        );
    }
    if let Some((scheme, rest)) = text.split_once(':') {
        if let Some(why) = non_browser_scheme(&scheme.to_ascii_lowercase(), rest) {
            return Err(why);
        }
    }
    if text.contains(',') {
        return Err(several_origins(text, ','));
    }
    if text.chars().any(char::is_whitespace) {
        if text.split_whitespace().count() > 1
            && text.split_whitespace().all(|item| item.contains("://"))
        {
            return Err(several_origins(text, ' '));
        }
        return Err(format!(
            "`{text}` contains whitespace; expected `scheme://host[:port]`"
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(format!("`{text}` is not an origin; expected `scheme://host[:port]`, e.g. `https://app.example.com`"));
    };
    check_scheme(scheme, text)?;
    let (authority, tail) = rest
        .find(['/', '?', '#'])
        .map_or((rest, ""), |at| rest.split_at(at));
    if !tail.is_empty() {
        let written = format!("{scheme}://{authority}");
        return Err(if tail == "/" {
            format!("an origin has no trailing slash; write `{written}`")
        } else {
            format!("an origin has no path, query or fragment; write `{written}`")
        });
    }
    if let Some((_, host)) = authority.rsplit_once('@') {
        return Err(format!(
            "an origin has no user info; write `{scheme}://{host}`"
        ));
    }
    if !authority.starts_with('[') && authority.matches(':').count() > 1 {
        return Err(unbracketed_ipv6(scheme, authority));
    }
    let (host, port) = split_host_port_str(authority);
    let port = check_port(scheme, port, text)?;
    let host = check_host(host, scheme, text)?;
    let scheme = format!("{scheme}://");
    Ok(match (host, port) {
        (HostSpec::Exact(host), PortSpec::Exact(port)) => {
            OriginSpec::Exact(format!("{scheme}{host}{port}"))
        }
        (host, port) => OriginSpec::Pattern(PatternSpec { scheme, host, port }),
    })
}

fn check_scheme(scheme: &str, text: &str) -> Result<(), String> {
    if scheme.is_empty() {
        return Err(format!(
            "`{text}` has no scheme; write `https://...` or `http://...`"
        ));
    }
    if scheme.eq_ignore_ascii_case("file") {
        return Err(
            "`file://` pages have an opaque origin, sent as `null`, and cannot be allowed".into(),
        );
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "browsers send the scheme in lower case; write `{}`",
            lowercase_scheme_and_host(text)
        ));
    }
    let mut bytes = scheme.bytes();
    let valid = bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    if !valid {
        return Err(format!("`{scheme}` is not a valid scheme"));
    }
    Ok(())
}

/// `scheme:rest` for the schemes whose pages have no origin a browser
/// would send in `Origin`, or whose URLs are not pages at all: why, and
/// what to write instead.
fn non_browser_scheme(scheme: &str, rest: &str) -> Option<String> {
    Some(match scheme {
        "javascript" | "data" | "about" => format!(
            "browsers never send an origin with the `{scheme}:` scheme: documents loaded from `{scheme}:` URLs have an opaque origin, sent as `null`, which cannot be allowed; list the origin of the page that embeds it"
        ),
        "blob" => match rest.split_once("://") {
            Some((inner @ ("http" | "https"), after)) => format!(
                "browsers never send an origin with the `blob:` scheme: a `blob:` URL has the origin of the page that created it; write `{inner}://{}`",
                after.find(['/', '?', '#']).map_or(after, |end| &after[..end])
            ),
            _ => "browsers never send an origin with the `blob:` scheme: a `blob:` URL has the origin of the page that created it; list that page's origin".to_owned(),
        },
        "ws" | "wss" => {
            let page = if scheme == "ws" { "http" } else { "https" };
            let host = rest.strip_prefix("//").unwrap_or(rest);
            let host = host.find(['/', '?', '#']).map_or(host, |end| &host[..end]);
            format!(
                "`{scheme}://` is not the origin of a page: a WebSocket handshake sends the origin of the page that opened it, and CORS does not apply to WebSockets; write the page's origin, such as `{page}://{host}`"
            )
        }
        _ => return None,
    })
}

/// "`a,b` holds two origins": the list form to write instead.
fn several_origins(text: &str, separator: char) -> String {
    let items: Vec<String> = text
        .split(separator)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| format!("\"{item}\""))
        .collect();
    format!(
        "`{text}` holds {} origins in one string; write each as its own string: `[{}]`",
        match items.len() {
            2 => "two".to_owned(),
            3 => "three".to_owned(),
            n => n.to_string(),
        },
        items.join(", ")
    )
}

/// An IPv6 address written without brackets, as in `http://::1:8080`.
fn unbracketed_ipv6(scheme: &str, authority: &str) -> String {
    let with_port = authority.rsplit_once(':').and_then(|(address, port)| {
        let port_ok = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        let address = address
            .parse::<std::net::Ipv6Addr>()
            .ok()
            .filter(|_| port_ok)?;
        Some(format!("{scheme}://[{}]:{port}", serialize_ipv6(address)))
    });
    let suggestion = with_port.or_else(|| {
        authority
            .parse::<std::net::Ipv6Addr>()
            .ok()
            .map(|address| format!("{scheme}://[{}]", serialize_ipv6(address)))
    });
    match suggestion {
        Some(written) => format!("an IPv6 host is written in brackets; write `{written}`"),
        None => format!("`{authority}` is not a host and port; an IPv6 host is written in brackets, as in `{scheme}://[::1]:8080`"),
    }
}

/// An IPv6 address as the URL Standard serializes it, and so as browsers
/// send it: lower-case hex pieces, the first longest run of two or more
/// zero pieces as `::`, an embedded IPv4 address in hex.
pub fn serialize_ipv6(address: std::net::Ipv6Addr) -> String {
    let pieces = address.segments();
    let mut best: Option<(usize, usize)> = None;
    let mut at = 0;
    while at < pieces.len() {
        let run = pieces[at..].iter().take_while(|&&piece| piece == 0).count();
        if run >= 2 && best.is_none_or(|(_, longest)| run > longest) {
            best = Some((at, run));
        }
        at += run.max(1);
    }
    let hex = |pieces: &[u16]| {
        pieces
            .iter()
            .map(|piece| format!("{piece:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    match best {
        Some((start, run)) => format!("{}::{}", hex(&pieces[..start]), hex(&pieces[start + run..])),
        None => hex(&pieces),
    }
}

/// Splits `host[:port]` into the host and the port without its colon
/// (`None` when there is no port).
fn split_host_port_str(authority: &str) -> (&str, Option<&str>) {
    // The split is at an ASCII byte, so on a character boundary.
    let host_len = split_host_port(authority.as_bytes()).0.len();
    let (host, rest) = authority.split_at(host_len);
    match rest {
        "" => (host, None),
        rest => (host, Some(rest.strip_prefix(':').unwrap_or(rest))),
    }
}

/// Splits `host[:port]` into the host and the rest, the port with its
/// colon. An IPv6 literal keeps its colons: the port starts after the
/// closing bracket. The runtime matches request origins with this too.
#[inline]
pub fn split_host_port(authority: &[u8]) -> (&[u8], &[u8]) {
    let host_end = if authority.first() == Some(&b'[') {
        match authority.iter().position(|&b| b == b']') {
            Some(close) => close + 1,
            None => return (authority, &[]),
        }
    } else {
        authority
            .iter()
            .position(|&b| b == b':')
            .unwrap_or(authority.len())
    };
    authority.split_at(host_end)
}

fn check_port(scheme: &str, port: Option<&str>, text: &str) -> Result<PortSpec, String> {
    let Some(port) = port else {
        return Ok(PortSpec::Exact(String::new()));
    };
    if port == "*" {
        return Ok(PortSpec::Any);
    }
    if port.contains('*') {
        return Err(format!(
            "misplaced `*` in `{text}`: a port is a number, or `*` alone for any port"
        ));
    }
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "invalid port `{port}` in `{text}`; expected a number from 1 to 65535, or `*`"
        ));
    }
    let without_port = &text[..text.len() - port.len() - 1];
    if port.starts_with('0') {
        let trimmed = port.trim_start_matches('0');
        return Err(if trimmed.is_empty() {
            format!("invalid port `{port}` in `{text}`; expected a number from 1 to 65535, or `*`")
        } else {
            format!(
                "browsers send the port without leading zeros; write `{without_port}:{trimmed}`"
            )
        });
    }
    match port.parse::<u16>() {
        Ok(number) if default_port(scheme) == Some(number) => Err(format!(
            "`:{number}` is the default port of `{scheme}` and browsers leave it out; write `{without_port}`"
        )),
        Ok(_) => Ok(PortSpec::Exact(format!(":{port}"))),
        Err(_) => Err(format!("invalid port `{port}` in `{text}`; expected a number from 1 to 65535, or `*`")),
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

fn check_host(host: &str, scheme: &str, text: &str) -> Result<HostSpec, String> {
    if host.is_empty() {
        return Err(format!("`{text}` has an empty host"));
    }
    if host == "*" {
        return Err(format!(
            "`{scheme}://*` would allow every site; write a domain after `*.`, as in `{scheme}://*.example.com`, or `origins = \"*\"` to allow any origin"
        ));
    }
    if let Some(base) = host.strip_prefix("*.") {
        if base.contains('*') {
            return Err(misplaced_wildcard(text));
        }
        check_hostname(base, text)?;
        check_not_public_suffix(base)?;
        return Ok(HostSpec::Subdomains(base.to_owned()));
    }
    if host.contains('*') {
        return Err(misplaced_wildcard(text));
    }
    if let Some(inner) = host.strip_prefix('[') {
        return check_ipv6(inner, scheme, text);
    }
    check_hostname(host, text)?;
    Ok(HostSpec::Exact(host.to_owned()))
}

/// `inner` is what follows `[` in the host.
fn check_ipv6(inner: &str, scheme: &str, text: &str) -> Result<HostSpec, String> {
    let address = inner.strip_suffix(']').unwrap_or(inner);
    if address.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(format!(
            "`[{address}]` is an IPv4 address in brackets, which is not a host; write `{scheme}://{address}{}`",
            port_of(text)
        ));
    }
    let Some(parsed) = inner
        .strip_suffix(']')
        .and_then(|address| address.parse::<std::net::Ipv6Addr>().ok())
    else {
        return Err(format!(
            "`[{address}]` is not an IPv6 address, so no browser sends it; an IPv6 host is eight groups of hex digits in brackets, as in `[2001:db8::1]` or `[::1]`"
        ));
    };
    let serialized = format!("[{}]", serialize_ipv6(parsed));
    if serialized != format!("[{address}]") {
        return Err(format!(
            "browsers send this IPv6 address as `{serialized}`; write `{scheme}://{serialized}{}`",
            port_of(text)
        ));
    }
    Ok(HostSpec::Exact(serialized))
}

/// `:port` of `text`, or `""`.
fn port_of(text: &str) -> String {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    match split_host_port_str(rest) {
        (_, Some(port)) => format!(":{port}"),
        (_, None) => String::new(),
    }
}

/// The longest DNS label, in bytes (RFC 1035).
const MAX_LABEL_LEN: usize = 63;
/// The longest host name, in bytes, without a final dot (RFC 1035).
const MAX_HOST_LEN: usize = 253;

fn check_hostname(host: &str, text: &str) -> Result<(), String> {
    if !host.is_ascii() {
        return Err(match punycode_host(host) {
            Some(ascii) => format!(
                "browsers send internationalized hosts in punycode; write `{}`",
                text.replacen(host, &ascii, 1)
            ),
            None => format!("browsers send internationalized hosts in punycode (`xn--...`); write `{host}` in that form"),
        });
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "browsers send the host in lower case; write `{}`",
            lowercase_scheme_and_host(text)
        ));
    }
    if let Some(bad) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(format!(
            "invalid character `{bad}` in the host of `{}`",
            shorten(text)
        ));
    }
    if host.ends_with('.') {
        return Err(format!(
            "`{text}` ends its host with a dot, which browsers do not send; remove it"
        ));
    }
    if host.split('.').any(str::is_empty) {
        return Err(format!(
            "`{}` has an empty label in its host",
            shorten(text)
        ));
    }
    if let Some(long) = host.split('.').find(|label| label.len() > MAX_LABEL_LEN) {
        return Err(format!(
            "the label `{}` is {} bytes long, and DNS labels are at most {MAX_LABEL_LEN}: no page can be served from this host, so no browser sends it",
            shorten(long),
            long.len()
        ));
    }
    if host.len() > MAX_HOST_LEN {
        return Err(format!(
            "the host of `{}` is {} bytes long, and DNS names are at most {MAX_HOST_LEN}: no page can be served from it, so no browser sends it",
            shorten(text),
            host.len()
        ));
    }
    Ok(())
}

/// `text` cut to a length that reads well in a message.
fn shorten(text: &str) -> String {
    const KEEP: usize = 40;
    match text.char_indices().nth(KEEP) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

/// The ASCII form browsers send for an internationalized host: each
/// label lower-cased and, if not ASCII, punycode-encoded behind `xn--`.
/// Lower-casing is the part of UTS #46 mapping that hand-typed hosts
/// need; a host that needs more (width or compatibility mapping) is rare
/// enough that the message then only names the form.
fn punycode_host(host: &str) -> Option<String> {
    host.to_lowercase()
        .split('.')
        .map(|label| {
            if label.is_ascii() {
                Some(label.to_owned())
            } else {
                punycode::encode(label)
                    .ok()
                    .map(|encoded| format!("xn--{encoded}"))
            }
        })
        .collect::<Option<Vec<_>>>()
        .map(|labels| labels.join("."))
}

fn misplaced_wildcard(text: &str) -> String {
    format!("misplaced `*` in `{text}`: `*` may only stand for whole labels at the start of the host, as in `https://*.example.com`, or for the port, as in `http://localhost:*`")
}

fn check_not_public_suffix(base: &str) -> Result<(), String> {
    let is_ip = base
        .split('.')
        .all(|label| label.bytes().all(|b| b.is_ascii_digit()));
    if is_ip {
        return Err(format!(
            "`*.{base}` puts a wildcard in front of an IP address"
        ));
    }
    if let Some(section) = public_suffix(base) {
        return Err(format!(
            "`*.{base}` would allow every site registered under `{base}`, a public suffix ({section}); name your own domain, as in `*.example.{base}`"
        ));
    }
    if public_suffix(&format!("{PROBE_LABEL}.{base}")).is_some() {
        return Err(format!(
            "`*.{base}` would allow every site registered under the names in `{base}`, each of which is a public suffix (the Public Suffix List has `*.{base}`); name your own domain, as in `*.example.name.{base}`"
        ));
    }
    Ok(())
}

/// A label no list entry names, to find the list's wildcard rules
/// (`*.kawasaki.jp`: every name under `kawasaki.jp` is a public suffix).
const PROBE_LABEL: &str = "x--cors-probe";

/// Whether `base` is a public suffix, and which part of the Public Suffix
/// List says so. A single label (`com`, `localhost`, an unlisted TLD)
/// always is: anyone may hold the names under it.
pub fn public_suffix(base: &str) -> Option<&'static str> {
    let suffix = psl::suffix(base.as_bytes());
    if !base.contains('.') {
        return Some("a top-level name");
    }
    let suffix = suffix?;
    if suffix.as_bytes() != base.as_bytes() {
        return None;
    }
    Some(match suffix.typ() {
        Some(psl::Type::Icann) => "ICANN section of the Public Suffix List",
        Some(psl::Type::Private) => {
            "private section of the Public Suffix List: a platform that gives each customer a subdomain"
        }
        None => "a top-level name",
    })
}

/// Whether a browser reaches this host without leaving the machine:
/// `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`, which browsers
/// treat as secure contexts even over `http`.
pub fn is_loopback(host: &HostSpec) -> bool {
    let host = match host {
        HostSpec::Exact(host) | HostSpec::Subdomains(host) => host.as_str(),
    };
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|address| address.is_loopback())
}

/// Plain `http` on a host other than loopback: anyone on the network path
/// can answer for it.
pub fn is_insecure(spec: &OriginSpec) -> bool {
    match spec {
        OriginSpec::Exact(origin) => origin.strip_prefix("http://").is_some_and(|rest| {
            !is_loopback(&HostSpec::Exact(split_host_port_str(rest).0.to_owned()))
        }),
        OriginSpec::Pattern(pattern) => pattern.scheme == "http://" && !is_loopback(&pattern.host),
    }
}

/// Why an insecure origin is refused: `risk` says what an impostor gains
/// (from the key that makes it dangerous); then the two ways out.
pub fn insecure_message(text: &str, risk: &str) -> String {
    let secure = text.replacen("http://", "https://", 1);
    format!(
        "`{text}` is plain `http` on a host other than loopback: anyone on the network path can serve pages as this origin, and {risk}; write `{secure}`, or set `dangerously_tolerate_insecure_origins = true` to accept that risk"
    )
}

/// What an impostor of an insecure origin gains from `credentials = true`.
pub const CREDENTIALS_RISK: &str =
    "with `credentials = true` they read responses with the user's cookies";
/// ... and from `private_network = true`.
pub const PRIVATE_NETWORK_RISK: &str =
    "with `private_network = true` they reach this server inside the private network";

/// `text` with its scheme and host lower-cased, for "write this instead".
fn lowercase_scheme_and_host(text: &str) -> String {
    match text.split_once("://") {
        Some((scheme, rest)) => {
            let (host, port) = split_host_port_str(rest);
            let port = port.map(|port| format!(":{port}")).unwrap_or_default();
            format!(
                "{}://{}{port}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => text.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> OriginSpec {
        OriginSpec::Exact(text.to_owned())
    }

    fn error(text: &str) -> String {
        parse_origin(text).expect_err(text)
    }

    #[test]
    fn serialized_origins_are_accepted_as_written() {
        for text in [
            "https://app.example.com",
            "http://localhost:5173",
            "http://127.0.0.1:8080",
            "https://[::1]:8443",
            "https://[2001:db8::1]",
            "https://xn--bcher-kva.example",
            "chrome-extension://abcdefghijklmnop",
            "https://a.b.c.example.com:1",
        ] {
            assert_eq!(parse_origin(text), Ok(exact(text)));
        }
    }

    #[test]
    fn patterns_are_split_into_parts() {
        assert_eq!(
            parse_origin("https://*.example.com"),
            Ok(OriginSpec::Pattern(PatternSpec {
                scheme: "https://".into(),
                host: HostSpec::Subdomains("example.com".into()),
                port: PortSpec::Exact(String::new()),
            }))
        );
        assert_eq!(
            parse_origin("http://localhost:*"),
            Ok(OriginSpec::Pattern(PatternSpec {
                scheme: "http://".into(),
                host: HostSpec::Exact("localhost".into()),
                port: PortSpec::Any,
            }))
        );
        assert!(matches!(
            parse_origin("https://*.example.com:*"),
            Ok(OriginSpec::Pattern(_))
        ));
    }

    #[test]
    fn non_serialized_forms_say_what_to_write() {
        assert!(error("https://a.com/").contains("write `https://a.com`"));
        assert!(error("https://a.com/path").contains("no path"));
        assert!(error("https://a.com?q=1").contains("no path"));
        assert!(error("https://user@a.com").contains("write `https://a.com`"));
        assert!(error("https://a.com:443").contains("write `https://a.com`"));
        assert!(error("http://a.com:80").contains("write `http://a.com`"));
        assert!(error("HTTPS://a.com").contains("write `https://a.com`"));
        assert!(error("https://A.com").contains("write `https://a.com`"));
        assert!(error("https://a.com:0080").contains("write `https://a.com:80`"));
        assert!(error("https://a.com:65536").contains("invalid port"));
        assert!(error("https://a.com:").contains("invalid port"));
        assert!(error("https://a.com:x").contains("invalid port"));
        assert!(error("https://").contains("empty host"));
        assert!(error("https://a.com.").contains("dot"));
        assert!(error("https://a..com").contains("empty label"));
        assert!(error("a.com").contains("not an origin"));
        assert!(error("https://bücher.de").contains("punycode"));
    }

    #[test]
    fn null_file_and_lone_star_are_refused() {
        assert!(error("null").contains("`null`"));
        assert!(error("file:///etc").contains("file://"));
        assert!(error("*").contains("origins = \"*\""));
    }

    #[test]
    fn misplaced_wildcards_are_refused() {
        assert!(error("https://*").contains("every site"));
        assert!(error("https://a*.com").contains("misplaced `*`"));
        assert!(error("https://*a.com").contains("misplaced `*`"));
        assert!(error("https://a.*.com").contains("misplaced `*`"));
        assert!(error("https://*.*.a.com").contains("misplaced `*`"));
        assert!(error("https://a.com:8*").contains("misplaced `*`"));
    }

    #[test]
    fn public_suffix_bases_are_refused() {
        for text in [
            "https://*.com",
            "https://*.co.uk",
            "https://*.github.io",
            "https://*.localhost",
        ] {
            assert!(error(text).contains("public suffix"), "{text}");
        }
        assert!(error("https://*.1.2.3").contains("IP address"));
        assert!(parse_origin("https://*.example.co.uk").is_ok());
        assert!(parse_origin("https://*.me.github.io").is_ok());
    }

    #[test]
    fn every_public_suffix_list_entry_is_refused_as_a_base() {
        for (base, section) in [
            ("trycloudflare.com", "private"),
            ("azureedge.net", "private"),
            ("ngrok.app", "private"),
            ("pages.dev", "private"),
            ("com.au", "ICANN"),
            ("s3.amazonaws.com", "private"),
        ] {
            let message = error(&format!("https://*.{base}"));
            assert!(message.contains("public suffix"), "{base}: {message}");
            assert!(message.contains(section), "{base}: {message}");
        }
        // `*.kawasaki.jp` is a wildcard rule: every name under it is a suffix.
        assert!(error("https://*.kawasaki.jp").contains("`*.kawasaki.jp`"));
        // ... except `city.kawasaki.jp`, which the list carves out.
        assert!(parse_origin("https://*.city.kawasaki.jp").is_ok());
        // A name registered under a public suffix is not one.
        for text in [
            "https://*.myapp.trycloudflare.com",
            "https://*.example.ngrok.app",
            "https://*.example.com.au",
        ] {
            assert!(parse_origin(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn schemes_browsers_never_send_are_refused() {
        for text in [
            "javascript://x",
            "javascript:alert(1)",
            "data://x",
            "data:text/html,x",
            "about:blank",
            "blob:https://a.example.com/0f0f",
        ] {
            assert!(error(text).contains("browsers never send"), "{text}");
        }
        assert!(error("blob:https://a.example.com/0f0f").contains("write `https://a.example.com`"));
        assert!(error("ws://a.example.com").contains("such as `http://a.example.com`"));
        assert!(error("wss://a.example.com/socket").contains("such as `https://a.example.com`"));
    }

    #[test]
    fn ipv6_literals_must_be_valid_and_serialized() {
        assert!(error("https://[1.2.3.4]").contains("write `https://1.2.3.4`"));
        assert!(error("https://[1.2.3.4]:8443").contains("write `https://1.2.3.4:8443`"));
        assert!(error("https://[::1::2]").contains("not an IPv6 address"));
        assert!(error("https://[12345::]").contains("not an IPv6 address"));
        assert!(error("https://[0:0:0:0:0:0:0:1]").contains("write `https://[::1]`"));
        assert!(error("https://[::ffff:1.2.3.4]:8080")
            .contains("write `https://[::ffff:102:304]:8080`"));
        assert!(error("https://[2001:DB8::1]").contains("write `https://[2001:db8::1]`"));
        assert_eq!(
            parse_origin("https://[2001:db8::1]"),
            Ok(exact("https://[2001:db8::1]"))
        );
        assert_eq!(
            parse_origin("http://[::1]:8080"),
            Ok(exact("http://[::1]:8080"))
        );
    }

    #[test]
    fn ipv6_serialization_follows_the_url_standard() {
        for (written, serialized) in [
            ("::1", "::1"),
            ("::", "::"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            ("::ffff:1.2.3.4", "::ffff:102:304"),
        ] {
            assert_eq!(serialize_ipv6(written.parse().unwrap()), serialized);
        }
    }

    #[test]
    fn an_ipv6_host_without_brackets_gets_them() {
        assert!(error("http://::1:8080").contains("write `http://[::1]:8080`"));
        assert!(error("http://2001:db8::1").contains("write `http://[2001:db8::1]`"));
    }

    #[test]
    fn two_origins_in_one_string_are_split() {
        assert!(error("https://a.example.com,https://b.example.com")
            .contains("two origins in one string; write each as its own string: `[\"https://a.example.com\", \"https://b.example.com\"]`"));
        assert!(error("https://a.example.com https://b.example.com").contains("two origins"));
    }

    #[test]
    fn internationalized_hosts_get_their_punycode_form() {
        assert!(error("https://bücher.example").contains("write `https://xn--bcher-kva.example`"));
        assert!(error("https://Bücher.example:8443")
            .contains("write `https://xn--bcher-kva.example:8443`"));
        assert!(error("https://*.münchen.de").contains("write `https://*.xn--mnchen-3ya.de`"));
    }

    #[test]
    fn dns_length_limits_are_enforced() {
        let label = "a".repeat(64);
        assert!(error(&format!("https://{label}.example.com")).contains("64 bytes long"));
        let huge = "a".repeat(5000);
        let message = error(&format!("https://{huge}.example.com"));
        assert!(message.contains("5000 bytes long"), "{message}");
        assert!(message.len() < 300, "the message quotes a shortened label");
        assert!(parse_origin(&format!("https://{}.example.com", "a".repeat(63))).is_ok());
        let long_host = vec!["a".repeat(63); 4].join(".");
        assert!(error(&format!("https://{long_host}")).contains("at most 253"));
    }

    #[test]
    fn plain_http_is_insecure_except_on_loopback() {
        let insecure = |text: &str| is_insecure(&parse_origin(text).unwrap());
        for text in [
            "http://app.example.com",
            "http://10.0.0.1:8080",
            "http://*.example.com",
            "http://[2001:db8::1]",
        ] {
            assert!(insecure(text), "{text}");
        }
        for text in [
            "http://localhost:5173",
            "http://localhost:*",
            "http://app.localhost",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:3000",
            "https://app.example.com",
            "https://*.example.com",
            "chrome-extension://abcdefghijklmnop",
        ] {
            assert!(!insecure(text), "{text}");
        }
        let message = insecure_message("http://app.example.com", CREDENTIALS_RISK);
        assert!(
            message.contains("write `https://app.example.com`"),
            "{message}"
        );
        assert!(
            message.contains("dangerously_tolerate_insecure_origins = true"),
            "{message}"
        );
    }

    #[test]
    fn ipv6_hosts_keep_their_colons() {
        assert_eq!(
            split_host_port(b"[::1]:8080"),
            (&b"[::1]"[..], &b":8080"[..])
        );
        assert_eq!(split_host_port(b"[::1]"), (&b"[::1]"[..], &b""[..]));
        assert_eq!(split_host_port(b"a.com:1"), (&b"a.com"[..], &b":1"[..]));
        assert_eq!(split_host_port(b"[::1"), (&b"[::1"[..], &b""[..]));
        assert_eq!(split_host_port_str("[::1]:8080"), ("[::1]", Some("8080")));
        assert_eq!(split_host_port_str("a.com"), ("a.com", None));
        assert_eq!(split_host_port_str("a.com:"), ("a.com", Some("")));
    }
}
