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
    if text.chars().any(char::is_whitespace) {
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
        let valid = inner.strip_suffix(']').is_some_and(|address| {
            !address.is_empty()
                && address
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        });
        if !valid {
            return Err(format!("`{host}` is not an IPv6 address in brackets"));
        }
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "browsers send IPv6 addresses in lower case; write `{}`",
                lowercase_scheme_and_host(text)
            ));
        }
        return Ok(HostSpec::Exact(host.to_owned()));
    }
    check_hostname(host, text)?;
    Ok(HostSpec::Exact(host.to_owned()))
}

fn check_hostname(host: &str, text: &str) -> Result<(), String> {
    if !host.is_ascii() {
        return Err(format!("browsers send internationalized hosts in punycode (`xn--...`); write `{host}` in that form"));
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
        return Err(format!("invalid character `{bad}` in the host of `{text}`"));
    }
    if host.ends_with('.') {
        return Err(format!(
            "`{text}` ends its host with a dot, which browsers do not send; remove it"
        ));
    }
    if host.split('.').any(str::is_empty) {
        return Err(format!("`{text}` has an empty label in its host"));
    }
    Ok(())
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
    if !base.contains('.') || MULTI_LABEL_PUBLIC_SUFFIXES.contains(&base) {
        return Err(format!(
            "`*.{base}` would allow every site registered under the public suffix `{base}`; name your own domain, as in `*.example.{base}`"
        ));
    }
    Ok(())
}

/// Multi-label public suffixes people are likely to write (every
/// single-label suffix, `com` or `dev`, is refused without a list). A
/// subset of the Public Suffix List: the country second levels in wide use
/// and the hosting platforms that give each customer a subdomain.
const MULTI_LABEL_PUBLIC_SUFFIXES: &[&str] = &[
    "ac.jp",
    "ac.uk",
    "ac.za",
    "appspot.com",
    "azurestaticapps.net",
    "azurewebsites.net",
    "blogspot.com",
    "cloudapp.net",
    "cloudfront.net",
    "co.id",
    "co.il",
    "co.in",
    "co.jp",
    "co.kr",
    "co.nz",
    "co.uk",
    "co.za",
    "codesandbox.io",
    "com.ar",
    "com.au",
    "com.br",
    "com.cn",
    "com.co",
    "com.eg",
    "com.hk",
    "com.mx",
    "com.my",
    "com.ng",
    "com.ph",
    "com.pk",
    "com.sa",
    "com.sg",
    "com.tr",
    "com.tw",
    "com.ua",
    "com.vn",
    "deno.dev",
    "edu.au",
    "elasticbeanstalk.com",
    "firebaseapp.com",
    "fly.dev",
    "github.io",
    "githubusercontent.com",
    "gitlab.io",
    "glitch.me",
    "go.jp",
    "gov.au",
    "gov.uk",
    "herokuapp.com",
    "ltd.uk",
    "me.uk",
    "ne.jp",
    "net.au",
    "net.br",
    "net.cn",
    "net.in",
    "net.nz",
    "netlify.app",
    "ngrok-free.app",
    "ngrok.io",
    "now.sh",
    "onrender.com",
    "or.jp",
    "or.kr",
    "org.au",
    "org.br",
    "org.cn",
    "org.in",
    "org.nz",
    "org.uk",
    "org.za",
    "pages.dev",
    "plc.uk",
    "railway.app",
    "readthedocs.io",
    "s3.amazonaws.com",
    "sch.uk",
    "surge.sh",
    "vercel.app",
    "web.app",
    "workers.dev",
];

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
