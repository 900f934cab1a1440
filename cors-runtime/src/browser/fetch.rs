//! One `fetch` as Chromium runs it: preflight if needed (or a cached
//! grant), then the actual request, every redirect hop shown.

use super::cache::PreflightCache;
use super::cors_error::CorsError;
use super::request::BrowserRequest;
use super::response_check::{check_access, check_preflight, Leniency};
use super::safelist::needs_preflight;
use super::transport::{NetworkError, NetworkErrorKind, Transport};
use super::wire::{WireRequest, WireResponse};
use super::wire_requests::{actual_request, authority, preflight_request};

/// What one request of a fetch was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeKind {
    /// The `OPTIONS` preflight. (Not named `Preflight`: a second public
    /// item of that name would make rustc print `cors_runtime::Preflight`
    /// in full in users' error messages.)
    PreflightRequest,
    /// The actual request (or a redirect hop of it).
    Actual,
}

/// One request and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// What it was for.
    pub kind: ExchangeKind,
    /// The request as sent.
    pub request: WireRequest,
    /// The response, or why none came.
    pub response: Result<WireResponse, NetworkError>,
}

/// How a fetch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The page can read the response.
    Allowed,
    /// The preflight passed; the actual request was not sent (the caller
    /// asked not to send a state-changing one).
    PreflightPassed,
    /// The browser blocks it, for this reason.
    Blocked(CorsError),
    /// No response: not a CORS failure.
    Network(NetworkError),
}

/// A finished fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Whether the request needed a preflight.
    pub preflight_needed: bool,
    /// Whether a cached grant spared it.
    pub preflight_from_cache: bool,
    /// Every request sent, in order.
    pub exchanges: Vec<Exchange>,
    /// How it ended.
    pub outcome: Outcome,
}

/// What the caller lets the fetch do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// Send the actual request even when it is not `GET` or `HEAD`.
    pub send_actual: bool,
    /// Redirect hops of the actual request to follow (each one shown).
    pub max_redirects: usize,
    /// Where the modelled browser is laxer than the standard.
    pub leniency: Leniency,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            send_actual: false,
            max_redirects: 3,
            leniency: Leniency::CHROMIUM,
        }
    }
}

/// Runs `request` as Chromium would, through `transport`. With `cache`
/// (and the caller's clock `now`, in seconds), a cached grant spares the
/// preflight and a passed one is stored.
pub async fn fetch<T: Transport>(
    transport: &mut T,
    request: &BrowserRequest,
    options: FetchOptions,
    mut cache: Option<(&mut PreflightCache, u64)>,
) -> Fetched {
    let mut fetched = Fetched {
        preflight_needed: needs_preflight(request),
        preflight_from_cache: false,
        exchanges: Vec::new(),
        outcome: Outcome::Allowed,
    };
    if fetched.preflight_needed {
        if let Some((cache, now)) = cache.as_mut() {
            fetched.preflight_from_cache = cache.covers(request, *now);
        }
    }
    if fetched.preflight_needed && !fetched.preflight_from_cache {
        let wire = preflight_request(request);
        let Some(response) = exchange(
            transport,
            ExchangeKind::PreflightRequest,
            wire,
            &mut fetched,
        )
        .await
        else {
            return fetched;
        };
        match check_preflight(request, &response, options.leniency) {
            Ok(grant) => {
                if let Some((cache, now)) = cache.as_mut() {
                    cache.store(request, &grant, *now);
                }
            }
            Err(error) => {
                fetched.outcome = Outcome::Blocked(error);
                return fetched;
            }
        }
    }
    if !(options.send_actual || matches!(request.method.as_str(), "GET" | "HEAD")) {
        fetched.outcome = Outcome::PreflightPassed;
        return fetched;
    }
    let mut current = request.clone();
    for hop in 0..=options.max_redirects {
        let wire = actual_request(&current);
        let Some(response) = exchange(transport, ExchangeKind::Actual, wire, &mut fetched).await
        else {
            return fetched;
        };
        if let Err(error) = check_access(&current, &response, false) {
            fetched.outcome = Outcome::Blocked(error);
            return fetched;
        }
        if !response.is_redirect() || hop == options.max_redirects {
            return fetched;
        }
        let location = response.header("location").unwrap_or_default();
        let next = resolve(&current.url, location);
        if authority(&next).is_some_and(|authority| authority.contains('@')) {
            fetched.outcome =
                Outcome::Blocked(CorsError::RedirectContainsCredentials { location: next });
            return fetched;
        }
        // A redirect to another origin taints the request's origin.
        if origin_of(&next) != origin_of(&current.url) {
            current.origin = "null".to_owned();
        }
        if matches!(response.status, 301..=303) && current.method == "POST"
            || response.status == 303 && current.method != "HEAD"
        {
            current.method = "GET".to_owned();
            current.body_size = 0;
        }
        current.url = next;
    }
    fetched
}

async fn send<T: Transport>(
    transport: &mut T,
    wire: &WireRequest,
) -> Result<WireResponse, NetworkError> {
    match wire.to_http() {
        Some(request) => transport.send(request).await,
        None => Err(NetworkError {
            kind: NetworkErrorKind::InvalidRequest,
            message: format!("cannot send {} {}", wire.method, wire.url),
        }),
    }
}

/// Sends one request, keeps the exchange, and hands back the response; on
/// a network error the outcome says so and there is none.
async fn exchange<T: Transport>(
    transport: &mut T,
    kind: ExchangeKind,
    wire: WireRequest,
    fetched: &mut Fetched,
) -> Option<WireResponse> {
    let response = send(transport, &wire).await;
    fetched.exchanges.push(Exchange {
        kind,
        request: wire,
        response: response.clone(),
    });
    match response {
        Ok(response) => Some(response),
        Err(error) => {
            fetched.outcome = Outcome::Network(error);
            None
        }
    }
}

/// `scheme://authority` of an absolute URL, empty for a path.
pub fn origin_of(url: &str) -> String {
    match (url.split_once("://"), authority(url)) {
        (Some((scheme, _)), Some(authority)) => format!("{scheme}://{authority}"),
        _ => String::new(),
    }
}

/// `location` resolved against `base` (absolute, scheme-relative,
/// absolute-path or relative).
pub fn resolve(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_owned();
    }
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = base.split_once("://").map_or("http", |(scheme, _)| scheme);
        return format!("{scheme}://{rest}");
    }
    let origin = origin_of(base);
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    // The base's path: after `scheme://authority`, or all of a bare path.
    let path = match base.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |start| &rest[start..]),
        None => base,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let directory = path.rsplit_once('/').map_or("", |(directory, _)| directory);
    format!("{origin}{directory}/{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets_resolve_like_a_browser() {
        assert_eq!(
            resolve("http://a.example/x/y", "https://b.example/z"),
            "https://b.example/z"
        );
        assert_eq!(resolve("http://a.example/x/y", "/z"), "http://a.example/z");
        assert_eq!(
            resolve("http://a.example/x/y?q", "z"),
            "http://a.example/x/z"
        );
        assert_eq!(
            resolve("https://a.example/x", "//c.example/"),
            "https://c.example/"
        );
        assert_eq!(resolve("/x/y", "/z"), "/z");
        assert_eq!(resolve("/x/y", "z"), "/x/z");
        // Userinfo and non-ASCII never split a character.
        assert_eq!(
            resolve("http://ü:p@a.example/é/y", "z"),
            "http://a.example/é/z"
        );
        assert_eq!(resolve("", ""), "/");
    }
}
