//! A probe: the fetch as Chromium runs it, then the comparisons that say
//! which layer decided ([`crate::blame`]), at most eight requests in all.

use cors_runtime::browser::{
    self, BrowserRequest, Exchange, ExchangeKind, FetchOptions, Fetched, NetworkError,
    NetworkErrorKind, Outcome, Transport, WireRequest, WireResponse,
};

use crate::blame::{blame_for, classify_redirect, network_blame, network_fixes};
use crate::browsers::{browsers, wildcard_covers_authorization};
use crate::console;
use crate::fixes::{fixes, FixContext};
use crate::local_network::{
    local_network_access, resolves_public, AddressSpace, LocalNetworkAccess,
};
use crate::redact::redact_report;
use crate::report::{
    Blame, BrowserView, Browsers, ExchangeRecord, Layer, Report, RequestRecord, ResponseRecord,
    Verdict,
};

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

/// The requests of one probe, within its budget, recorded for the report.
pub(crate) struct Session<'a, T> {
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

    pub(crate) async fn send_ok(
        &mut self,
        purpose: &str,
        wire: WireRequest,
    ) -> Option<WireResponse> {
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
            url: wire.url.clone(),
            headers: wire.headers.clone(),
        },
        response: result.as_ref().ok().map(|response| ResponseRecord {
            status: response.status,
            headers: response.headers.clone(),
        }),
        error: result.as_ref().err().map(ToString::to_string),
    }
}

/// Runs `probe` through `transport` and reports, redacted
/// ([`redact_report`]).
pub async fn run<T: Transport>(transport: &mut T, probe: &Probe) -> Report {
    redact_report(&diagnose(transport, probe).await)
}

async fn diagnose<T: Transport>(transport: &mut T, probe: &Probe) -> Report {
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
        url: request.url.clone(),
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
        url: request.url.clone(),
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
                exchange.request.url,
                target,
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
