//! The requests Chromium puts on the wire for a page's `fetch`.

use super::request::BrowserRequest;
use super::safelist::unsafe_header_names;
use super::wire::WireRequest;

/// The `User-Agent` the model sends.
pub const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 cors-doctor";

/// The preflight Chromium sends before `request`: `OPTIONS` with `Origin`,
/// `Access-Control-Request-Method`, `Access-Control-Request-Headers` (the
/// unsafe names lower-cased, sorted, comma-joined), `Sec-Fetch-*`, and no
/// cookies, `Authorization` or body.
pub fn preflight_request(request: &BrowserRequest) -> WireRequest {
    let mut headers = vec![
        ("accept".to_owned(), "*/*".to_owned()),
        (
            "access-control-request-method".to_owned(),
            request.method.clone(),
        ),
    ];
    let names = unsafe_header_names(request);
    if !names.is_empty() {
        headers.push(("access-control-request-headers".to_owned(), names.join(",")));
    }
    headers.extend(browser_headers(request));
    with_host(request, &mut headers);
    WireRequest {
        method: "OPTIONS".to_owned(),
        url: request.url.clone(),
        headers,
        body_size: 0,
    }
}

/// The actual request: the script's headers, `Origin`, `Sec-Fetch-*`, and
/// the cookie line with `include` credentials.
pub fn actual_request(request: &BrowserRequest) -> WireRequest {
    let mut headers: Vec<(String, String)> = request
        .script_headers()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
        .collect();
    headers.extend(browser_headers(request));
    if !headers.iter().any(|(name, _)| name == "accept") {
        headers.insert(0, ("accept".to_owned(), "*/*".to_owned()));
    }
    if let Some(cookie) = request.cookie() {
        headers.push(("cookie".to_owned(), cookie.to_owned()));
    }
    if request.body_size > 0 {
        if !headers.iter().any(|(name, _)| name == "content-type") {
            headers.push((
                "content-type".to_owned(),
                "text/plain;charset=UTF-8".to_owned(),
            ));
        }
        headers.push(("content-length".to_owned(), request.body_size.to_string()));
    }
    with_host(request, &mut headers);
    WireRequest {
        method: request.method.clone(),
        url: request.url.clone(),
        headers,
        body_size: request.body_size,
    }
}

/// `Host` first, when the URL is absolute.
fn with_host(request: &BrowserRequest, headers: &mut Vec<(String, String)>) {
    if let Some(authority) = authority(&request.url) {
        headers.insert(0, ("host".to_owned(), authority.to_owned()));
    }
}

/// `host[:port]` of an absolute URL.
pub fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    (!authority.is_empty()).then_some(authority)
}

/// `Sec-Fetch-Site`: `same-origin` for the page's own origin, `same-site`
/// when both hosts share their last two labels, else `cross-site`.
pub fn fetch_site(request: &BrowserRequest) -> &'static str {
    let page = authority(&request.origin).map(host_of);
    let target = authority(&request.url).map(host_of);
    let scheme = |url: &str| url.split_once("://").map(|(scheme, _)| scheme.to_owned());
    match (page, target) {
        (Some(page), Some(target)) => {
            if request.url.starts_with(&request.origin)
                && request.url[request.origin.len()..]
                    .chars()
                    .next()
                    .is_none_or(|next| matches!(next, '/' | '?' | '#'))
            {
                "same-origin"
            } else if scheme(&request.origin) == scheme(&request.url) && site(page) == site(target)
            {
                "same-site"
            } else {
                "cross-site"
            }
        }
        _ => "cross-site",
    }
}

fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn site(host: &str) -> String {
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host.to_owned();
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels[labels.len().saturating_sub(2)..].join(".")
}

/// The lines the browser adds to every CORS request it sends: `Origin`,
/// its `User-Agent` and the `Sec-Fetch-*` metadata.
fn browser_headers(request: &BrowserRequest) -> [(String, String); 5] {
    [
        ("origin".to_owned(), request.origin.clone()),
        ("user-agent".to_owned(), USER_AGENT.to_owned()),
        ("sec-fetch-mode".to_owned(), "cors".to_owned()),
        ("sec-fetch-site".to_owned(), fetch_site(request).to_owned()),
        ("sec-fetch-dest".to_owned(), "empty".to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::request::Credentials;

    #[test]
    fn the_preflight_carries_no_cookie_or_authorization_and_lists_headers_sorted() {
        let request =
            BrowserRequest::new("https://api.example.com/items", "https://app.example.com")
                .method("PUT")
                .header("X-Trace", "1")
                .header("Authorization", "Bearer secret")
                .header("Cookie", "session=1")
                .credentials(Credentials::Include);
        let preflight = preflight_request(&request);
        assert_eq!(preflight.method, "OPTIONS");
        assert_eq!(
            preflight.header("access-control-request-headers"),
            Some("authorization,x-trace")
        );
        assert_eq!(
            preflight.header("access-control-request-method"),
            Some("PUT")
        );
        assert_eq!(preflight.header("host"), Some("api.example.com"));
        assert_eq!(preflight.header("sec-fetch-site"), Some("same-site"));
        assert!(preflight.header("cookie").is_none());
        assert!(preflight.header("authorization").is_none());
        let actual = actual_request(&request);
        assert_eq!(actual.header("cookie"), Some("session=1"));
        assert_eq!(actual.header("authorization"), Some("Bearer secret"));
    }

    #[test]
    fn cookies_go_only_with_include() {
        let request = BrowserRequest::new("http://127.0.0.1:1/x", "http://localhost:2")
            .header("cookie", "a=b");
        assert!(actual_request(&request).header("cookie").is_none());
        assert_eq!(fetch_site(&request), "cross-site");
    }
}
