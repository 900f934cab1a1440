//! Which layer decided a CORS failure: comparisons (a plain `OPTIONS`, a
//! refused origin, a path that does not exist, the app `--direct`, other
//! origins for caches, a refused header alone) and fingerprints.

use cors_runtime::browser::{
    self, actual_request, preflight_request, BrowserRequest, CorsError, ExchangeKind, Fetched,
    NetworkError, NetworkErrorKind, Transport, WireResponse,
};

use crate::diagnose::{Probe, Session};
use crate::fingerprint::{
    fingerprints, intermediary, is_challenge_page, served_from_cache, varies_by_origin,
};
use crate::fixes::FixContext;
use crate::report::{Blame, Layer};

/// An origin no policy allows.
pub const REFUSED_ORIGIN: &str = "https://refused.cors-doctor.invalid";
/// A second origin, for the cache comparison.
pub const OTHER_ORIGIN: &str = "https://other.cors-doctor.invalid";
/// A path no app routes.
pub const MISSING_PATH: &str = "/cors-doctor-no-such-path";
pub(crate) fn network_blame(fetched: &Fetched, error: &NetworkError) -> Blame {
    let during = fetched
        .exchanges
        .last()
        .map_or("the request", |exchange| match exchange.kind {
            ExchangeKind::PreflightRequest => "the preflight",
            ExchangeKind::Actual => "the actual request",
        });
    let what = match error.kind {
        NetworkErrorKind::Dns => "the host name does not resolve (DNS)",
        NetworkErrorKind::Refused => "nothing listens there: the connection was refused",
        NetworkErrorKind::Tls => {
            "the TLS handshake failed: the server does not speak TLS on this port (an http:// port?) or the protocol broke"
        }
        NetworkErrorKind::Certificate(_) => "the TLS handshake refused the server's certificate",
        NetworkErrorKind::Timeout => "no answer in time",
        NetworkErrorKind::EmptyResponse => {
            "the server closed the connection without an answer: it crashed"
        }
        NetworkErrorKind::Reset => "the connection was reset before an answer: the server crashed or dropped it",
        NetworkErrorKind::InvalidRequest => "the URL or a header cannot be sent",
        NetworkErrorKind::Other => "the connection failed",
    };
    Blame {
        layer: Layer::Network,
        evidence: vec![
            format!("{during}: {what}"),
            format!("{error}"),
            "not a CORS failure: the browser shows a CORS-like error because it got no response at all".to_owned(),
        ],
    }
}

pub(crate) fn network_fixes(fetched: &Fetched, error: &NetworkError) -> Vec<String> {
    let crashed = matches!(
        error.kind,
        NetworkErrorKind::EmptyResponse | NetworkErrorKind::Reset
    );
    let on_actual = fetched
        .exchanges
        .last()
        .is_some_and(|exchange| exchange.kind == ExchangeKind::Actual);
    let preflighted = fetched
        .exchanges
        .iter()
        .any(|exchange| exchange.kind == ExchangeKind::PreflightRequest);
    vec![if crashed && on_actual && preflighted {
        "the preflight passed; the server crashed on the actual request: read its logs (no CORS header can help)".to_owned()
    } else if crashed && on_actual {
        "the server crashed on the request (no preflight was needed): read its logs (no CORS header can help)".to_owned()
    } else {
        format!(
            "no CORS header helps here: fix the network ({})",
            error.kind.net_error()
        )
    }]
}

/// Which layer decided a CORS failure, with evidence from comparisons.
pub(crate) async fn blame_for<T: Transport>(
    session: &mut Session<'_, T>,
    probe: &Probe,
    error: &CorsError,
    failing: &WireResponse,
) -> (Blame, FixContext) {
    let request = &probe.request;
    let mut evidence = Vec::new();
    let mut context = FixContext::default();
    let stage = if error.is_preflight() {
        "OPTIONS"
    } else {
        request.method.as_str()
    };
    evidence.push(format!(
        "{stage} answered {}{}",
        failing.status,
        if failing.has_cors_headers() {
            " with CORS headers"
        } else {
            " without CORS headers"
        }
    ));
    evidence.extend(fingerprints(failing));
    let layer = 'layer: {
        // A redirect: classify the hop.
        if let CorsError::PreflightDisallowedRedirect { location, .. } = error {
            let target = browser::resolve(&request.url, location);
            evidence.push(format!(
                "redirect {} -> {target}: {}",
                request.url,
                classify_redirect(&request.url, &target)
            ));
            context.redirect_target = Some(target);
            break 'layer Layer::Redirect;
        }
        if is_challenge_page(failing) {
            break 'layer Layer::Waf;
        }
        let allow_origin_lines = failing.all("access-control-allow-origin").len();
        if allow_origin_lines > 1 {
            let direct = direct_compare(session, probe, error.is_preflight(), &mut evidence).await;
            let one_line_direct = direct
                .as_ref()
                .is_some_and(|response| response.all("access-control-allow-origin").len() == 1);
            if one_line_direct || intermediary(failing).is_some() {
                evidence.push(
                    "two layers each add Access-Control-Allow-Origin: the proxy and the app"
                        .to_owned(),
                );
                break 'layer Layer::Proxy;
            }
            evidence.push("two layers of the app each add Access-Control-Allow-Origin".to_owned());
            break 'layer Layer::App;
        }
        if let CorsError::AllowOriginMismatch { value, .. } = error {
            if let Some(layer) = cache_compare(
                session,
                probe,
                error,
                value,
                failing,
                &mut evidence,
                &mut context,
            )
            .await
            {
                break 'layer layer;
            }
        }
        let status_layer = |status: u16| match status {
            401 | 403 => Some(Layer::Auth),
            404 | 405 | 501 => Some(Layer::Router),
            408 | 413 | 429 | 431 | 500..=599 => Some(Layer::Middleware),
            _ => None,
        };
        let status_decided = matches!(error, CorsError::PreflightInvalidStatus { .. })
            || (!failing.has_cors_headers() && !(200..300).contains(&failing.status));
        if status_decided {
            if let Some(layer) = status_layer(failing.status) {
                if error.is_preflight() {
                    compare_preflights(session, probe, failing.status, &mut evidence).await;
                }
                if matches!(error, CorsError::PreflightInvalidStatus { .. }) {
                    evidence.push("Chromium checks CORS headers before the status: the headers passed, so another layer chose the status".to_owned());
                    if let Some(proxy) = intermediary(failing) {
                        evidence.push(format!(
                            "{proxy}: the proxy added the CORS headers; the app behind it chose {}",
                            failing.status
                        ));
                        context.proxy_adds_cors = true;
                    }
                    if let Some(direct) = direct_compare(session, probe, true, &mut evidence).await
                    {
                        if !direct.has_cors_headers() {
                            context.proxy_adds_cors = true;
                        }
                    }
                }
                if layer == Layer::Auth && failing.header("www-authenticate").is_none() {
                    evidence.push(format!(
                        "a {} to a request without credentials is an auth layer's answer",
                        failing.status
                    ));
                }
                break 'layer layer;
            }
        }
        if let CorsError::HeaderDisallowedByPreflightResponse { header } = error {
            if let Some(layer) =
                split_compare(session, probe, header, &mut evidence, &mut context).await
            {
                break 'layer layer;
            }
        }
        // The app's own CORS answer, unless the direct request differs.
        if let Some(direct) =
            direct_compare(session, probe, error.is_preflight(), &mut evidence).await
        {
            let direct_error = if error.is_preflight() {
                browser::check_preflight(request, &direct, browser::Leniency::CHROMIUM).err()
            } else {
                browser::check_access(request, &direct, false).err()
            };
            if direct_error.as_ref() != Some(error) {
                evidence.push(format!(
                    "the app directly: {}; through the proxy: {}",
                    direct_error.map_or("allowed".to_owned(), |error| error.name().to_owned()),
                    error.name()
                ));
                break 'layer Layer::Proxy;
            }
        }
        if matches!(error, CorsError::MissingAllowOriginHeader { .. }) && error.is_preflight() {
            let refused = session
                .send_ok(
                    "refused origin",
                    preflight_request(&BrowserRequest {
                        origin: REFUSED_ORIGIN.to_owned(),
                        ..request.clone()
                    }),
                )
                .await;
            if let Some(refused) = refused {
                evidence.push(format!(
                    "a preflight from a refused origin is answered {} {}: the app's CORS settings do not list {}",
                    refused.status,
                    if refused.has_cors_headers() { "with CORS headers" } else { "alike, without CORS headers" },
                    request.origin
                ));
            }
        }
        Layer::App
    };
    (Blame { layer, evidence }, context)
}

/// A plain `OPTIONS` and a preflight to a path that does not exist.
async fn compare_preflights<T: Transport>(
    session: &mut Session<'_, T>,
    probe: &Probe,
    failing_status: u16,
    evidence: &mut Vec<String>,
) {
    let request = &probe.request;
    let mut plain = preflight_request(request);
    plain.headers.retain(|(name, _)| {
        !matches!(
            name.as_str(),
            "origin" | "access-control-request-method" | "access-control-request-headers"
        ) && !name.starts_with("sec-fetch")
    });
    if let Some(response) = session.send_ok("plain OPTIONS", plain).await {
        let allow = response
            .header("allow")
            .map_or(String::new(), |allow| format!(" with Allow: {allow}"));
        evidence.push(format!(
            "a plain OPTIONS (no Origin) answered {}{allow}",
            response.status
        ));
    }
    let missing = BrowserRequest {
        url: with_path(&request.url, MISSING_PATH),
        ..request.clone()
    };
    if let Some(response) = session
        .send_ok("missing path", preflight_request(&missing))
        .await
    {
        let note = match (response.status, failing_status) {
            (401 | 403, _) => ": the auth layer runs before routing, on every path".to_owned(),
            (404, 401 | 403) => format!(
                ": routing runs first and only this route answered {failing_status}, so the auth layer sits on the route (a `route_layer`), not in front of every path"
            ),
            (404, 404) => ": the same as this path: nothing routes it (check the URL and the route's path)".to_owned(),
            (404, _) => ": routing runs first, so the route exists but does not answer OPTIONS".to_owned(),
            _ => String::new(),
        };
        evidence.push(format!(
            "the preflight to {MISSING_PATH} answered {}{note}",
            response.status
        ));
    }
}

/// The same request to `--direct`.
async fn direct_compare<T: Transport>(
    session: &mut Session<'_, T>,
    probe: &Probe,
    preflight: bool,
    evidence: &mut Vec<String>,
) -> Option<WireResponse> {
    let direct_url = probe.direct.as_ref()?;
    let request = BrowserRequest {
        url: direct_url.clone(),
        ..probe.request.clone()
    };
    let wire = if preflight {
        preflight_request(&request)
    } else {
        actual_request(&request)
    };
    let response = session.send_ok("direct", wire).await?;
    evidence.push(format!(
        "the app directly ({direct_url}) answered {} with {} Access-Control-Allow-Origin line(s)",
        response.status,
        response.all("access-control-allow-origin").len()
    ));
    Some(response)
}

/// Origin A got another origin's answer: send origin B, then none.
async fn cache_compare<T: Transport>(
    session: &mut Session<'_, T>,
    probe: &Probe,
    error: &CorsError,
    value: &str,
    failing: &WireResponse,
    evidence: &mut Vec<String>,
    context: &mut FixContext,
) -> Option<Layer> {
    let request = &probe.request;
    let build = |origin: &str| {
        let other = BrowserRequest {
            origin: origin.to_owned(),
            ..request.clone()
        };
        if error.is_preflight() {
            preflight_request(&other)
        } else {
            actual_request(&other)
        }
    };
    let other = session.send_ok("origin B", build(OTHER_ORIGIN)).await;
    let mut none = build("");
    none.headers.retain(|(name, _)| name != "origin");
    let without = session.send_ok("no origin", none).await;
    let cached = served_from_cache(failing)
        .or_else(|| other.as_ref().and_then(served_from_cache))
        .or_else(|| without.as_ref().and_then(served_from_cache));
    let same_for_other = other
        .as_ref()
        .and_then(|response| response.header("access-control-allow-origin"))
        == Some(value);
    if cached.is_none() && !same_for_other {
        return None;
    }
    evidence.push(format!(
        "from {}, {OTHER_ORIGIN} and no origin the answer says Access-Control-Allow-Origin: {value}{}",
        request.origin,
        cached.map_or(String::new(), |mark| format!(" ({mark}: from a cache)"))
    ));
    let app_varies = match direct_compare(session, probe, error.is_preflight(), evidence).await {
        Some(direct) => varies_by_origin(&direct),
        None => varies_by_origin(failing),
    };
    if app_varies {
        evidence.push("the response says `Vary: Origin`, yet a cache served another origin's answer: a cache ignores `Vary`".to_owned());
    } else {
        evidence.push("the app sends no `Vary: Origin`, so a cache keyed by URL alone served another origin's answer".to_owned());
        context.app_sends_no_vary = true;
    }
    Some(Layer::Cache)
}

/// A refused header asked alone: allowed means an intermediary split
/// `Access-Control-Request-Headers`.
async fn split_compare<T: Transport>(
    session: &mut Session<'_, T>,
    probe: &Probe,
    header: &str,
    evidence: &mut Vec<String>,
    context: &mut FixContext,
) -> Option<Layer> {
    let request = &probe.request;
    let names = browser::unsafe_header_names(request);
    if names.len() < 2 {
        return None;
    }
    let alone = BrowserRequest {
        headers: request
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case(header))
            .cloned()
            .collect(),
        ..request.clone()
    };
    let response = session
        .send_ok("header alone", preflight_request(&alone))
        .await?;
    if browser::check_preflight(&alone, &response, browser::Leniency::CHROMIUM).is_err() {
        return None;
    }
    evidence.push(format!(
        "asked alone, `{header}` is allowed; asked with {} it is refused: an intermediary splits Access-Control-Request-Headers and the app reads one line",
        names.join(",")
    ));
    context.split_header = Some(header.to_owned());
    Some(Layer::Proxy)
}

/// `http -> https`, `trailing slash`, `login`, or `another URL`.
pub fn classify_redirect(from: &str, to: &str) -> &'static str {
    let strip = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.to_owned())
            .unwrap_or_default()
    };
    if from.starts_with("http://") && to.starts_with("https://") && strip(from) == strip(to) {
        return "http -> https";
    }
    if to.trim_end_matches('/') == from.trim_end_matches('/') && to != from {
        return "trailing slash";
    }
    let lower = to.to_ascii_lowercase();
    if ["login", "signin", "sign-in", "auth", "sso", "oauth"]
        .iter()
        .any(|mark| lower.contains(mark))
    {
        return "login (an auth layer redirects unauthenticated requests)";
    }
    "another URL"
}

fn with_path(url: &str, path: &str) -> String {
    let origin = browser::origin_of(url);
    format!("{origin}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::run;
    use crate::report::Report;

    /// A server that answers each request with `answer(origin)`.
    struct Canned<F>(F);

    impl<F: Fn(Option<&str>) -> WireResponse> Transport for Canned<F> {
        async fn send(
            &mut self,
            request: http::Request<Vec<u8>>,
        ) -> Result<WireResponse, NetworkError> {
            let origin = request
                .headers()
                .get("origin")
                .and_then(|value| value.to_str().ok());
            Ok((self.0)(origin))
        }
    }

    const PAGE: &str = "https://app.example";

    fn probe_with(method: &str, answer: impl Fn(Option<&str>) -> WireResponse) -> Report {
        let request = BrowserRequest::new("https://api.example/items", PAGE).method(method);
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(run(&mut Canned(answer), &Probe::new(request)))
    }

    fn has_line(report: &Report, line: &str) -> bool {
        report
            .blame
            .evidence
            .iter()
            .any(|evidence| evidence == line)
    }

    /// A preflight answered with two `Access-Control-Allow-Origin` lines
    /// and `extra`.
    fn two_allow_origin_lines(extra: (&'static str, &'static str)) -> Report {
        probe_with("PUT", move |_| {
            WireResponse::new(
                204,
                &[
                    ("access-control-allow-origin", PAGE),
                    ("access-control-allow-origin", PAGE),
                    ("access-control-allow-methods", "PUT"),
                    extra,
                ],
                b"",
            )
        })
    }

    #[test]
    fn via_on_two_allow_origin_lines_blames_the_proxy() {
        let report = two_allow_origin_lines(("via", "1.1 varnish"));
        assert_eq!(report.blame.layer, Layer::Proxy, "{report:?}");
        assert!(has_line(&report, "Via: 1.1 varnish"), "{report:?}");
        assert!(has_line(
            &report,
            "two layers each add Access-Control-Allow-Origin: the proxy and the app"
        ));
        let report = two_allow_origin_lines(("x-powered-by", "Express"));
        assert_eq!(report.blame.layer, Layer::App, "{report:?}");
    }

    #[test]
    fn a_proxy_server_header_blames_the_proxy_and_an_app_server_does_not() {
        let report = two_allow_origin_lines(("server", "nginx/1.25.3"));
        assert_eq!(report.blame.layer, Layer::Proxy, "{report:?}");
        assert!(has_line(&report, "Server: nginx/1.25.3"), "{report:?}");
        let report = two_allow_origin_lines(("server", "uvicorn"));
        assert_eq!(report.blame.layer, Layer::App, "{report:?}");
        assert!(has_line(&report, "Server: uvicorn"), "{report:?}");
    }

    /// A GET answered with a stale origin's `Access-Control-Allow-Origin`
    /// plus `mark`; another origin and no origin get the app's own answer
    /// (so only the mark can say a cache served it).
    fn stale_answer(mark: (&'static str, &'static str)) -> Report {
        probe_with("GET", move |origin| match origin {
            Some(PAGE) => WireResponse::new(
                200,
                &[
                    ("access-control-allow-origin", "https://stale.example"),
                    ("vary", "Origin"),
                    mark,
                ],
                b"",
            ),
            Some(other) => WireResponse::new(
                200,
                &[("access-control-allow-origin", other), ("vary", "Origin")],
                b"",
            ),
            None => WireResponse::new(200, &[("vary", "Origin")], b""),
        })
    }

    #[test]
    fn age_x_cache_and_cf_cache_status_hits_blame_a_cache() {
        for (mark, line) in [
            (("age", "30"), "Age: 30"),
            (
                ("x-cache", "Hit from cloudfront"),
                "X-Cache: Hit from cloudfront",
            ),
            (("cf-cache-status", "HIT"), "CF-Cache-Status: HIT"),
        ] {
            let report = stale_answer(mark);
            assert_eq!(report.reason.as_deref(), Some("AllowOriginMismatch"));
            assert_eq!(report.blame.layer, Layer::Cache, "{mark:?}: {report:?}");
            assert!(has_line(&report, line), "{mark:?}: {report:?}");
            assert!(
                report
                    .blame
                    .evidence
                    .iter()
                    .any(|evidence| evidence.ends_with(&format!("({line}: from a cache)"))),
                "{mark:?}: {report:?}"
            );
            assert!(has_line(&report, "the response says `Vary: Origin`, yet a cache served another origin's answer: a cache ignores `Vary`"));
        }
        for miss in [("x-cache", "MISS"), ("cf-cache-status", "DYNAMIC")] {
            let report = stale_answer(miss);
            assert_eq!(report.blame.layer, Layer::App, "{miss:?}: {report:?}");
        }
    }

    #[test]
    fn a_cdn_serving_another_origins_preflight_gets_the_cache_key_and_options_bypass_fixes() {
        let report = probe_with("PUT", |_| {
            WireResponse::new(
                204,
                &[
                    ("access-control-allow-origin", "https://stale.example"),
                    ("access-control-allow-methods", "PUT"),
                    ("vary", "Origin"),
                    ("cf-cache-status", "HIT"),
                ],
                b"",
            )
        });
        assert_eq!(
            report.reason.as_deref(),
            Some("PreflightAllowOriginMismatch")
        );
        assert_eq!(report.blame.layer, Layer::Cache, "{report:?}");
        assert!(
            report.fix.iter().any(|fix| fix.starts_with("a cache ignores `Vary`: add `Origin` to the cache key")),
            "{:?}",
            report.fix
        );
        assert!(
            report
                .fix
                .iter()
                .any(|fix| fix.contains("bypass the cache for OPTIONS")
                    && fix.contains("CDN rule: method OPTIONS -> bypass")),
            "{:?}",
            report.fix
        );
    }

    #[test]
    fn a_429_without_cors_headers_blames_the_middleware_and_with_them_is_readable() {
        let report = probe_with("GET", |_| {
            WireResponse::new(429, &[("retry-after", "10")], b"slow down")
        });
        assert_eq!(report.reason.as_deref(), Some("MissingAllowOriginHeader"));
        assert_eq!(report.blame.layer, Layer::Middleware, "{report:?}");
        assert!(has_line(&report, "429 without CORS headers"), "{report:?}");
        assert!(has_line(&report, "GET answered 429 without CORS headers"));
        let report = probe_with("GET", |_| {
            WireResponse::new(429, &[("access-control-allow-origin", PAGE)], b"")
        });
        assert_eq!(report.verdict, crate::Verdict::Allowed, "{report:?}");
        assert_eq!(report.blame.layer, Layer::None);
    }

    #[test]
    fn redirects_are_classified() {
        assert_eq!(
            classify_redirect("http://a.example/x", "https://a.example/x"),
            "http -> https"
        );
        assert_eq!(
            classify_redirect("http://a.example/x", "http://a.example/x/"),
            "trailing slash"
        );
        assert!(
            classify_redirect("http://a.example/x", "http://a.example/login?next=/x")
                .starts_with("login")
        );
        assert_eq!(
            classify_redirect("http://a.example/x", "http://b.example/y"),
            "another URL"
        );
    }
}
