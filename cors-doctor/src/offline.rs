//! A report from what a console line or HAR says, without the network
//! (`explain --offline`), and the check of a re-probe against it.

use cors_runtime::browser::{BrowserRequest, CorsError};

use crate::console;
use crate::explain::{Explained, Source};
use crate::fixes::{fixes, FixContext};
use crate::redact::redact_report;
use crate::report::{Blame, BrowserView, Browsers, Layer, Report, Verdict};

/// The request to re-probe: the HAR's, or one rebuilt from the line.
pub fn request_to_probe(explained: &Explained) -> Option<BrowserRequest> {
    if let Some(request) = &explained.request {
        return Some(request.clone());
    }
    let url = explained.url.clone()?;
    let origin = explained.origin.clone()?;
    let method = match (&explained.method, &explained.error) {
        (Some(method), _) => method.clone(),
        (None, Some(CorsError::MethodDisallowedByPreflightResponse { method }))
            if !method.is_empty() =>
        {
            method.clone()
        }
        (None, Some(error)) if error.is_preflight() => "PUT".to_owned(),
        _ => "GET".to_owned(),
    };
    let mut request = BrowserRequest::new(url, origin).method(&method);
    if let Some(CorsError::HeaderDisallowedByPreflightResponse { header }) = &explained.error {
        if !header.is_empty() {
            request = request.header(header, "1");
        }
    }
    Some(request)
}

/// The layer a reason and status point to, without comparisons.
pub fn likely_layer(error: &CorsError, status: Option<u16>) -> Layer {
    match (error, status) {
        (CorsError::PreflightDisallowedRedirect { .. }, _) => Layer::Redirect,
        (_, Some(401 | 403)) => Layer::Auth,
        (_, Some(404 | 405)) => Layer::Router,
        (_, Some(408 | 413 | 429 | 500..=599)) => Layer::Middleware,
        (CorsError::AllowOriginMismatch { .. }, _) => Layer::Cache,
        _ => Layer::App,
    }
}

/// A report from the input alone, redacted ([`redact_report`]).
pub fn offline_report(explained: &Explained) -> Report {
    redact_report(&report_from(explained))
}

fn report_from(explained: &Explained) -> Report {
    let url = explained.url.clone().unwrap_or_default();
    let origin = explained.origin.clone().unwrap_or_default();
    let method = explained.method.clone().unwrap_or_default();
    let source = match explained.source {
        Source::Chromium => "a Chromium console line",
        Source::Firefox => "a Firefox console line",
        Source::Safari => "a Safari console line",
        Source::Har => "a HAR file",
    };
    let mut evidence = vec![format!("from {source}, not re-probed")];
    if let Some(status) = explained.status {
        evidence.push(format!("the server answered {status}"));
    }
    if let Some(reason) = explained.browser_reason {
        evidence
            .push("Chromium's Local Network Access decided before any request was sent".to_owned());
        let request = BrowserRequest::new(url.clone(), origin.clone());
        let view = |verdict, reason: Option<String>, note: Option<String>| BrowserView {
            verdict,
            reason,
            console: None,
            note,
        };
        return Report {
            url: url.clone(),
            origin: origin.clone(),
            method,
            credentials: "unknown".to_owned(),
            preflight: false,
            verdict: Verdict::Blocked,
            reason: Some(reason.to_owned()),
            browsers: Browsers {
                chromium: view(Verdict::Blocked, Some(reason.to_owned()), None),
                firefox: view(Verdict::Allowed, None, Some("no Local Network Access checks".to_owned())),
                safari: view(Verdict::Allowed, None, Some("no Local Network Access checks".to_owned())),
            },
            blame: Blame { layer: Layer::Browser, evidence },
            exchanges: Vec::new(),
            fix: fixes(Layer::Browser, None, &request, &FixContext::default()),
            network: None,
            notes: vec!["the user must allow the page to reach the local network, and the page must be https; `fetch(url, { targetAddressSpace: \"local\" })` names the space for hostnames that resolve to local addresses".to_owned()],
        };
    }
    let (verdict, layer, browsers, fix) = match &explained.error {
        Some(error) => {
            let layer = likely_layer(error, explained.status);
            let view = |console: String, reason: Option<String>| BrowserView {
                verdict: Verdict::Blocked,
                reason,
                console: Some(console),
                note: None,
            };
            let request = BrowserRequest::new(url.clone(), origin.clone())
                .method(if method.is_empty() { "GET" } else { &method });
            (
                Verdict::Blocked,
                layer,
                Browsers {
                    chromium: view(
                        console::chromium(&url, &origin, error),
                        Some(error.name().to_owned()),
                    ),
                    firefox: view(console::firefox(&url, error, explained.status), None),
                    safari: view(
                        console::safari(&url, &origin, error, explained.status),
                        None,
                    ),
                },
                fixes(layer, Some(error), &request, &FixContext::default()),
            )
        }
        None => {
            let view = BrowserView {
                verdict: Verdict::Unreachable,
                reason: None,
                console: None,
                note: None,
            };
            evidence.push(
                "no CORS reason in the input: a network failure or an unknown wording".to_owned(),
            );
            (
                Verdict::Unreachable,
                Layer::Network,
                Browsers {
                    chromium: view.clone(),
                    firefox: view.clone(),
                    safari: view,
                },
                vec!["re-probe without --offline to see what the server answers".to_owned()],
            )
        }
    };
    Report {
        url,
        origin,
        method,
        credentials: String::new(),
        preflight: explained
            .error
            .as_ref()
            .is_some_and(CorsError::is_preflight),
        verdict,
        reason: explained
            .error
            .as_ref()
            .map(|error| error.name().to_owned()),
        browsers,
        blame: Blame { layer, evidence },
        exchanges: Vec::new(),
        fix,
        network: None,
        notes: explained
            .ambiguity
            .iter()
            .map(|ambiguous| ambiguous.describe())
            .collect(),
    }
}
