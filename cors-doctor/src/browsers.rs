//! Each browser's view of a fetch: verdict, console line, and where it
//! differs from the others.

use cors_runtime::browser::{
    self, BrowserRequest, CorsError, ExchangeKind, Fetched, Outcome, WireResponse,
};

use crate::console;
use crate::report::{BrowserView, Browsers, Verdict};

pub(crate) fn browsers(
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

/// Whether the grant passes only because `*` covers `authorization`.
pub(crate) fn wildcard_covers_authorization(
    request: &BrowserRequest,
    preflight: &WireResponse,
) -> bool {
    browser::check_preflight(request, preflight, browser::Leniency::CHROMIUM).is_ok()
        && matches!(
            browser::check_preflight(request, preflight, browser::Leniency::FETCH_STANDARD),
            Err(CorsError::HeaderDisallowedByPreflightResponse { ref header }) if header == "authorization"
        )
}
