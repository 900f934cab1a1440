//! The report: what the browser would do, per browser, which layer
//! decided, the exchanges that show it, and the fix. `--json` prints it.

use serde::Serialize;

/// Would the browser let the page read the response?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The page can read the response.
    Allowed,
    /// The browser blocks it.
    Blocked,
    /// No response came back (DNS, refused, TLS, a crash): not CORS.
    Unreachable,
}

/// Which layer decided the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// The application's own CORS settings.
    App,
    /// The app answered 404/405: nothing handles `OPTIONS`.
    Router,
    /// An authentication or authorization layer.
    Auth,
    /// Another app layer: body limit, rate limit, timeout, error page.
    Middleware,
    /// An intermediary added, removed, split or changed headers.
    Proxy,
    /// A shared cache served another origin's answer.
    Cache,
    /// A web application firewall or bot challenge.
    Waf,
    /// A redirect.
    Redirect,
    /// No server change helps.
    Browser,
    /// No response: DNS, refused connection, TLS, a crash.
    Network,
    /// Nothing is wrong.
    None,
}

impl Layer {
    /// The name `--json` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Router => "router",
            Self::Auth => "auth",
            Self::Middleware => "middleware",
            Self::Proxy => "proxy",
            Self::Cache => "cache",
            Self::Waf => "waf",
            Self::Redirect => "redirect",
            Self::Browser => "browser",
            Self::Network => "network",
            Self::None => "none",
        }
    }
}

/// One browser's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrowserView {
    /// What it does.
    pub verdict: Verdict,
    /// Chromium's `Network.CorsError` (Chromium's entry only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The console line(s) it prints, `null` when allowed.
    pub console: Option<String>,
    /// Where this browser differs from the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Chromium, Firefox and Safari.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Browsers {
    /// Chromium (Chrome, Edge, ...).
    pub chromium: BrowserView,
    /// Firefox.
    pub firefox: BrowserView,
    /// Safari (WebKit).
    pub safari: BrowserView,
}

/// The layer to change and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blame {
    /// Which layer decided.
    pub layer: Layer,
    /// What shows it.
    pub evidence: Vec<String>,
}

/// A request as sent, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// The method.
    pub method: String,
    /// The URL.
    pub url: String,
    /// Field lines in order, `[name, value]`.
    pub headers: Vec<(String, String)>,
}

/// A response as received, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseRecord {
    /// The status.
    pub status: u16,
    /// Field lines in order, duplicates kept, `[name, value]`.
    pub headers: Vec<(String, String)>,
}

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExchangeRecord {
    /// What it was for: `preflight`, `actual`, `redirect`, `plain OPTIONS`,
    /// `refused origin`, `missing path`, `direct`, `origin B`, `no origin`,
    /// `header alone`.
    pub purpose: String,
    /// The request.
    pub request: RequestRecord,
    /// The response, `null` when none came.
    pub response: Option<ResponseRecord>,
    /// Why no response came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Everything the doctor found about one request. Cookies and tokens are
/// redacted ([`crate::redact::redact_report`]) before anyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The URL probed.
    pub url: String,
    /// The page's origin.
    pub origin: String,
    /// The method.
    pub method: String,
    /// The credentials mode.
    pub credentials: String,
    /// Whether the request needs a preflight.
    pub preflight: bool,
    /// What the browser does.
    pub verdict: Verdict,
    /// Chromium's `Network.CorsError`, `null` when allowed or unreachable.
    pub reason: Option<String>,
    /// Each browser's view.
    pub browsers: Browsers,
    /// Which layer decided.
    pub blame: Blame,
    /// Every request sent, in order.
    pub exchanges: Vec<ExchangeRecord>,
    /// The change to make, in the user's stack.
    pub fix: Vec<String>,
    /// Chromium's network line (`PUT url net::ERR_FAILED 401`), which
    /// carries the real status.
    pub network: Option<String>,
    /// Warnings and browser differences.
    pub notes: Vec<String>,
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    }

    /// The exit status: 0 allowed (or as expected), 1 blocked, 2
    /// unreachable.
    pub fn exit_code(&self, expect: Option<Verdict>) -> u8 {
        match (self.verdict, expect) {
            (Verdict::Unreachable, _) => 2,
            (verdict, Some(expected)) if verdict == expected => 0,
            (_, Some(_)) => 1,
            (Verdict::Allowed, None) => 0,
            (Verdict::Blocked, None) => 1,
        }
    }
}
