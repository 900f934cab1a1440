//! A probe: the fetch as Chromium runs it, then the comparisons that say
//! which layer decided (a plain `OPTIONS`, a refused origin, a path that
//! does not exist, the app `--direct`, other origins for caches), at most
//! eight requests in all.

use cors_runtime::browser::{
    self, actual_request, preflight_request, BrowserRequest, CorsError, Exchange, ExchangeKind,
    FetchOptions, Fetched, NetworkError, NetworkErrorKind, Outcome, Transport, WireRequest,
    WireResponse,
};

use crate::console;
use crate::fingerprint::{
    fingerprints, intermediary, is_challenge_page, served_from_cache, varies_by_origin,
};
use crate::fixes::{fixes, FixContext};
use crate::local_network::{
    local_network_access, resolves_public, AddressSpace, LocalNetworkAccess,
};
use crate::redact::{redact_headers, redact_url};
use crate::report::{
    Blame, BrowserView, Browsers, ExchangeRecord, Layer, Report, RequestRecord, ResponseRecord,
    Verdict,
};

/// An origin no policy allows.
pub const REFUSED_ORIGIN: &str = "https://refused.cors-doctor.invalid";
/// A second origin, for the cache comparison.
pub const OTHER_ORIGIN: &str = "https://other.cors-doctor.invalid";
/// A path no app routes.
pub const MISSING_PATH: &str = "/cors-doctor-no-such-path";
/// The most requests one probe sends.
pub const REQUEST_BUDGET: usize = 8;

/// What to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The page's request.
    pub request: BrowserRequest,
    /// Send the actual request even when it is not `GET`/`HEAD`.
    pub send_actual: bool,
    /// The app's own URL for the same resource, bypassing a proxy.
    pub direct: Option<String>,
}

impl Probe {
    /// A probe of `request`, nothing else set.
    pub fn new(request: BrowserRequest) -> Self {
        Self {
            request,
            send_actual: false,
            direct: None,
        }
    }
}

struct Session<'a, T> {
    transport: &'a mut T,
    records: Vec<ExchangeRecord>,
    sent: usize,
}

impl<T: Transport> Session<'_, T> {
    async fn send(
        &mut self,
        purpose: &str,
        wire: WireRequest,
    ) -> Option<Result<WireResponse, NetworkError>> {
        if self.sent >= REQUEST_BUDGET {
            return None;
        }
        self.sent += 1;
        let result = match wire.to_http() {
            Some(request) => self.transport.send(request).await,
            None => Err(NetworkError {
                kind: NetworkErrorKind::InvalidRequest,
                message: format!("cannot send {} {}", wire.method, wire.url),
            }),
        };
        self.records.push(record(purpose, &wire, &result));
        Some(result)
    }

    async fn send_ok(&mut self, purpose: &str, wire: WireRequest) -> Option<WireResponse> {
        self.send(purpose, wire).await?.ok()
    }
}

fn record(
    purpose: &str,
    wire: &WireRequest,
    result: &Result<WireResponse, NetworkError>,
) -> ExchangeRecord {
    ExchangeRecord {
        purpose: purpose.to_owned(),
        request: RequestRecord {
            method: wire.method.clone(),
            url: redact_url(&wire.url),
            headers: redact_headers(&wire.headers),
        },
        response: result.as_ref().ok().map(|response| ResponseRecord {
            status: response.status,
            headers: redact_headers(&response.headers),
        }),
        error: result.as_ref().err().map(ToString::to_string),
    }
}

/// Runs `probe` through `transport` and reports.
pub async fn run<T: Transport>(transport: &mut T, probe: &Probe) -> Report {
    let request = &probe.request;
    let local_network = local_network_access(&request.origin, &request.url);
    if let LocalNetworkAccess::Blocked { space } = local_network {
        if resolves_public(&request.origin).await {
            return insecure_local_network(request, space);
        }
    }
    let options = FetchOptions {
        send_actual: probe.send_actual,
        max_redirects: 2,
        leniency: browser::Leniency::CHROMIUM,
    };
    let fetched = browser::fetch(transport, request, options, None).await;
    let mut session = Session {
        transport,
        records: Vec::new(),
        sent: fetched.exchanges.len(),
    };
    for (index, exchange) in fetched.exchanges.iter().enumerate() {
        let purpose = match exchange.kind {
            ExchangeKind::PreflightRequest => "preflight",
            ExchangeKind::Actual if index > 0 && is_hop(&fetched, index) => "redirect",
            ExchangeKind::Actual => "actual",
        };
        session
            .records
            .push(record(purpose, &exchange.request, &exchange.response));
    }
    let mut notes = redirect_hops(&fetched);
    let failing = fetched
        .exchanges
        .last()
        .and_then(|exchange| exchange.response.as_ref().ok().cloned());
    let (verdict, reason, error) = match &fetched.outcome {
        Outcome::Allowed | Outcome::PreflightPassed => (Verdict::Allowed, None, None),
        Outcome::Blocked(error) => (
            Verdict::Blocked,
            Some(error.name().to_owned()),
            Some(error.clone()),
        ),
        Outcome::Network(_) => (Verdict::Unreachable, None, None),
    };
    if fetched.outcome == Outcome::PreflightPassed {
        notes.push(format!(
            "the preflight passes; the {} itself was not sent (add --send-actual to send it and check its answer too)",
            request.method
        ));
    }
    let (blame, context) = match &fetched.outcome {
        Outcome::Network(network) => (network_blame(&fetched, network), FixContext::default()),
        Outcome::Blocked(error) => {
            let failing = failing.clone().unwrap_or_default();
            blame_for(&mut session, probe, error, &failing).await
        }
        _ => (
            Blame {
                layer: Layer::None,
                evidence: Vec::new(),
            },
            FixContext::default(),
        ),
    };
    allowed_warnings(&fetched, request, &mut notes);
    let fix = match &fetched.outcome {
        Outcome::Network(network) => network_fixes(&fetched, network),
        _ => fixes(blame.layer, error.as_ref(), request, &context),
    };
    let network = network_line(&fetched, request);
    let browsers = browsers(request, &fetched, error.as_ref(), failing.as_ref());
    match local_network {
        LocalNetworkAccess::NeedsPermission { space } => notes.push(format!(
            "Chromium: a public page reaching the {} address space asks the user (Local Network Access); if they deny it the fetch fails with LocalNetworkAccessPermissionDenied, which no response header fixes. Pages can pass `targetAddressSpace` to fetch; Firefox and Safari do not ask",
            space.as_str()
        )),
        LocalNetworkAccess::Blocked { space } => notes.push(format!(
            "Chromium: if {} is served from a public address, Local Network Access blocks it from reaching the {} address space over plain http (InsecureLocalNetwork), which no response header fixes",
            request.origin,
            space.as_str()
        )),
        LocalNetworkAccess::NotConcerned => {}
    }
    if let Some(note) = &browsers.firefox.note {
        notes.push(format!("Firefox: {note}"));
    }
    Report {
        url: redact_url(&request.url),
        origin: request.origin.clone(),
        method: request.method.clone(),
        credentials: request.credentials.as_str().to_owned(),
        preflight: fetched.preflight_needed,
        verdict,
        reason,
        browsers,
        blame,
        exchanges: session.records,
        fix,
        network,
        notes,
    }
}

/// A public page on plain `http` reaching a more private address: Chromium
/// blocks it before sending anything; Firefox and Safari do not.
fn insecure_local_network(request: &BrowserRequest, space: AddressSpace) -> Report {
    let reason = "InsecureLocalNetwork";
    let console = format!(
        "Access to fetch at '{}' from origin '{}' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `{}`.",
        request.url,
        request.origin,
        space.as_str()
    );
    let allowed = BrowserView {
        verdict: Verdict::Allowed,
        reason: None,
        console: None,
        note: Some(
            "no Local Network Access checks; the request is sent and judged by its CORS headers"
                .to_owned(),
        ),
    };
    Report {
        url: redact_url(&request.url),
        origin: request.origin.clone(),
        method: request.method.clone(),
        credentials: request.credentials.as_str().to_owned(),
        preflight: browser::needs_preflight(request),
        verdict: Verdict::Blocked,
        reason: Some(reason.to_owned()),
        browsers: Browsers {
            chromium: BrowserView {
                verdict: Verdict::Blocked,
                reason: Some(reason.to_owned()),
                console: Some(console),
                note: None,
            },
            firefox: allowed.clone(),
            safari: allowed,
        },
        blame: Blame {
            layer: Layer::Browser,
            evidence: vec![
                format!(
                    "the page {} is public and not a secure context; {} is in the {} address space",
                    request.origin,
                    request.url,
                    space.as_str()
                ),
                "Chromium (Local Network Access) blocks this before sending any request".to_owned(),
            ],
        },
        exchanges: Vec::new(),
        fix: fixes(Layer::Browser, None, request, &FixContext::default()),
        network: None,
        notes: vec!["serve the page over https (then Chromium asks the user for permission), or serve the API from a public address".to_owned()],
    }
}

/// Every redirect of the actual request, classified: never followed
/// silently.
fn redirect_hops(fetched: &Fetched) -> Vec<String> {
    fetched
        .exchanges
        .iter()
        .filter(|exchange| exchange.kind == ExchangeKind::Actual)
        .filter_map(|exchange| {
            let response = exchange
                .response
                .as_ref()
                .ok()
                .filter(|response| response.is_redirect())?;
            let target = browser::resolve(&exchange.request.url, response.header("location")?);
            let tainted =
                if browser::origin_of(&target) != browser::origin_of(&exchange.request.url) {
                    "; the next hop goes to another origin, so the browser sends `Origin: null`"
                } else {
                    ""
                };
            Some(format!(
                "redirect: {} {} -> {} ({}){tainted}",
                response.status,
                redact_url(&exchange.request.url),
                redact_url(&target),
                classify_redirect(&exchange.request.url, &target)
            ))
        })
        .collect()
}

fn is_hop(fetched: &Fetched, index: usize) -> bool {
    fetched.exchanges[..index]
        .iter()
        .any(|exchange| exchange.kind == ExchangeKind::Actual)
}

/// Chromium's network line for a failed fetch.
fn network_line(fetched: &Fetched, request: &BrowserRequest) -> Option<String> {
    let last: &Exchange = fetched.exchanges.last()?;
    match &fetched.outcome {
        Outcome::Blocked(_) => Some(console::chromium_network_line(
            &request.method,
            &last.request.url,
            last.response.as_ref().ok().map(|response| response.status),
            "net::ERR_FAILED",
        )),
        Outcome::Network(error) => Some(console::chromium_network_line(
            &request.method,
            &last.request.url,
            None,
            error.kind.net_error(),
        )),
        _ => None,
    }
}

fn browsers(
    request: &BrowserRequest,
    fetched: &Fetched,
    error: Option<&CorsError>,
    failing: Option<&WireResponse>,
) -> Browsers {
    let url = fetched
        .exchanges
        .last()
        .map_or(request.url.as_str(), |exchange| {
            exchange.request.url.as_str()
        });
    let status = failing.map(|response| response.status);
    let view = |verdict, reason: Option<String>, console: Option<String>, note: Option<String>| {
        BrowserView {
            verdict,
            reason,
            console,
            note,
        }
    };
    match (&fetched.outcome, error) {
        (Outcome::Network(network), _) => {
            let [chromium, firefox, safari] = console::network_failure(url, network);
            Browsers {
                chromium: view(Verdict::Unreachable, None, Some(chromium), None),
                firefox: view(Verdict::Unreachable, None, Some(firefox), None),
                safari: view(Verdict::Unreachable, None, Some(safari), None),
            }
        }
        (_, Some(error)) => {
            let firefox_note = match error {
                CorsError::PreflightDisallowedRedirect { .. } => Some(
                    "Firefox follows an internal same-URL or HSTS upgrade redirect on a preflight; any other is blocked as in Chromium".to_owned(),
                ),
                _ => None,
            };
            Browsers {
                chromium: view(
                    Verdict::Blocked,
                    Some(error.name().to_owned()),
                    Some(console::chromium(url, &request.origin, error)),
                    None,
                ),
                firefox: view(
                    Verdict::Blocked,
                    None,
                    Some(console::firefox(url, error, status)),
                    firefox_note,
                ),
                safari: view(
                    Verdict::Blocked,
                    None,
                    Some(console::safari(url, &request.origin, error, status)),
                    None,
                ),
            }
        }
        _ => {
            let wildcard = fetched
                .exchanges
                .iter()
                .find(|exchange| exchange.kind == ExchangeKind::PreflightRequest)
                .and_then(|exchange| exchange.response.as_ref().ok())
                .is_some_and(|preflight| wildcard_covers_authorization(request, preflight));
            let note = |text: &str| wildcard.then(|| text.to_owned());
            Browsers {
                chromium: view(Verdict::Allowed, None, None, note("`*` covers `authorization`, with the DevTools issue AuthorizationCoveredByWildcard")),
                firefox: view(Verdict::Allowed, None, None, note("`*` covers `authorization`, with the warning CORSAllowHeaderFromPreflightDeprecation")),
                safari: view(Verdict::Allowed, None, None, note("`*` covers every header on an uncredentialed request")),
            }
        }
    }
}

/// Warnings on an allowed (or any) request: where browsers differ.
fn allowed_warnings(fetched: &Fetched, request: &BrowserRequest, notes: &mut Vec<String>) {
    let Some(preflight) = fetched
        .exchanges
        .iter()
        .find(|exchange| exchange.kind == ExchangeKind::PreflightRequest)
        .and_then(|exchange| exchange.response.as_ref().ok())
    else {
        return;
    };
    if !matches!(fetched.outcome, Outcome::Allowed | Outcome::PreflightPassed) {
        return;
    }
    if wildcard_covers_authorization(request, preflight) {
        notes.push("`Access-Control-Allow-Headers: *` covers `authorization` in Chromium, Firefox and Safari today (Chromium and Firefox warn that this is deprecated); the Fetch standard says it does not, and browsers are moving to it: list `authorization` explicitly".to_owned());
    }
    match preflight.header("access-control-max-age").and_then(|value| value.trim().parse::<u64>().ok()) {
        None => notes.push("no Access-Control-Max-Age: browsers cache the grant 5 s, so most calls send two requests".to_owned()),
        Some(age) if age > 600 => notes.push(format!(
            "Access-Control-Max-Age: {age}: Chromium keeps it at most 7200 s, Safari 600 s, Firefox 86400 s; a fix stays invisible that long"
        )),
        Some(_) => {}
    }
    let method = &request.method;
    if method.bytes().any(|byte| byte.is_ascii_lowercase()) {
        notes.push(format!(
            "method `{method}` is sent lower-case: Access-Control-Allow-Methods must list it exactly (Chromium's older builds compared upper-cased)"
        ));
    }
}

/// Whether the grant passes only because `*` covers `authorization`.
fn wildcard_covers_authorization(request: &BrowserRequest, preflight: &WireResponse) -> bool {
    browser::check_preflight(request, preflight, browser::Leniency::CHROMIUM).is_ok()
        && matches!(
            browser::check_preflight(request, preflight, browser::Leniency::FETCH_STANDARD),
            Err(CorsError::HeaderDisallowedByPreflightResponse { ref header }) if header == "authorization"
        )
}

fn network_blame(fetched: &Fetched, error: &NetworkError) -> Blame {
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
        NetworkErrorKind::Tls => "the TLS handshake failed (certificate or protocol)",
        NetworkErrorKind::Timeout => "no answer in time",
        NetworkErrorKind::EmptyResponse => {
            "the server closed the connection without an answer: it crashed"
        }
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

fn network_fixes(fetched: &Fetched, error: &NetworkError) -> Vec<String> {
    let crash_after_preflight = error.kind == NetworkErrorKind::EmptyResponse
        && fetched
            .exchanges
            .last()
            .is_some_and(|exchange| exchange.kind == ExchangeKind::Actual);
    vec![if crash_after_preflight {
        "the preflight passed; the server crashed on the actual request: read its logs (no CORS header can help)".to_owned()
    } else {
        format!(
            "no CORS header helps here: fix the network ({})",
            error.kind.net_error()
        )
    }]
}

/// Which layer decided a CORS failure, with evidence from comparisons.
async fn blame_for<T: Transport>(
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
                    compare_preflights(session, probe, &mut evidence).await;
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
        let note = match response.status {
            401 | 403 => ": the auth layer runs before routing, on every path",
            404 => ": routing runs first, so the route exists but does not answer OPTIONS",
            _ => "",
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
