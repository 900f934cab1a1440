//! Why Chromium blocks a response: its `network::mojom::CorsError`, as
//! DevTools reports it in `Network.loadingFailed`.

use std::fmt;

/// One of Chromium's `Network.CorsError` values, with what the browser
/// quotes in its console line.
///
/// Fields: `preflight` says whether the preflight's answer failed (the
/// `Preflight…` twin of the name); `value` is the header's value as
/// Chromium read it (field lines joined with `", "`); `status`,
/// `location`, `method` and `header` are what the console line quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // the fields are described above, once
pub enum CorsError {
    /// No `Access-Control-Allow-Origin` on the response.
    MissingAllowOriginHeader { preflight: bool },
    /// `Access-Control-Allow-Origin` holds several values (a comma or a
    /// space, also when two field lines were joined).
    MultipleAllowOriginValues { preflight: bool, value: String },
    /// `Access-Control-Allow-Origin` is not a URL.
    InvalidAllowOriginValue { preflight: bool, value: String },
    /// `Access-Control-Allow-Origin` names another origin.
    AllowOriginMismatch { preflight: bool, value: String },
    /// `*` on a credentialed request.
    WildcardOriginNotAllowed { preflight: bool },
    /// `Access-Control-Allow-Credentials` is not exactly `true` on a
    /// credentialed request.
    InvalidAllowCredentials { preflight: bool, value: String },
    /// The preflight's status is not 2xx.
    PreflightInvalidStatus { status: u16 },
    /// The preflight was answered with a redirect.
    PreflightDisallowedRedirect { status: u16, location: String },
    /// `Access-Control-Allow-Methods` does not parse.
    InvalidAllowMethodsPreflightResponse { value: String },
    /// `Access-Control-Allow-Headers` does not parse.
    InvalidAllowHeadersPreflightResponse { value: String },
    /// The method is not listed.
    MethodDisallowedByPreflightResponse { method: String },
    /// A request header is not listed.
    HeaderDisallowedByPreflightResponse { header: String },
    /// A redirect's `Location` carries a username or password.
    RedirectContainsCredentials { location: String },
}

impl CorsError {
    /// The name DevTools shows (`corsErrorStatus.corsError`).
    pub fn name(&self) -> &'static str {
        use CorsError::*;
        match self {
            MissingAllowOriginHeader { preflight: false } => "MissingAllowOriginHeader",
            MissingAllowOriginHeader { preflight: true } => "PreflightMissingAllowOriginHeader",
            MultipleAllowOriginValues {
                preflight: false, ..
            } => "MultipleAllowOriginValues",
            MultipleAllowOriginValues {
                preflight: true, ..
            } => "PreflightMultipleAllowOriginValues",
            InvalidAllowOriginValue {
                preflight: false, ..
            } => "InvalidAllowOriginValue",
            InvalidAllowOriginValue {
                preflight: true, ..
            } => "PreflightInvalidAllowOriginValue",
            AllowOriginMismatch {
                preflight: false, ..
            } => "AllowOriginMismatch",
            AllowOriginMismatch {
                preflight: true, ..
            } => "PreflightAllowOriginMismatch",
            WildcardOriginNotAllowed { preflight: false } => "WildcardOriginNotAllowed",
            WildcardOriginNotAllowed { preflight: true } => "PreflightWildcardOriginNotAllowed",
            InvalidAllowCredentials {
                preflight: false, ..
            } => "InvalidAllowCredentials",
            InvalidAllowCredentials {
                preflight: true, ..
            } => "PreflightInvalidAllowCredentials",
            PreflightInvalidStatus { .. } => "PreflightInvalidStatus",
            PreflightDisallowedRedirect { .. } => "PreflightDisallowedRedirect",
            InvalidAllowMethodsPreflightResponse { .. } => "InvalidAllowMethodsPreflightResponse",
            InvalidAllowHeadersPreflightResponse { .. } => "InvalidAllowHeadersPreflightResponse",
            MethodDisallowedByPreflightResponse { .. } => "MethodDisallowedByPreflightResponse",
            HeaderDisallowedByPreflightResponse { .. } => "HeaderDisallowedByPreflightResponse",
            RedirectContainsCredentials { .. } => "RedirectContainsCredentials",
        }
    }

    /// Whether the preflight's answer failed (not the actual request's).
    pub fn is_preflight(&self) -> bool {
        use CorsError::*;
        match self {
            MissingAllowOriginHeader { preflight }
            | MultipleAllowOriginValues { preflight, .. }
            | InvalidAllowOriginValue { preflight, .. }
            | AllowOriginMismatch { preflight, .. }
            | WildcardOriginNotAllowed { preflight }
            | InvalidAllowCredentials { preflight, .. } => *preflight,
            RedirectContainsCredentials { .. } => false,
            _ => true,
        }
    }

    /// Every name [`CorsError::name`] returns, for parsers of logs.
    pub const NAMES: [&'static str; 19] = [
        "MissingAllowOriginHeader",
        "PreflightMissingAllowOriginHeader",
        "MultipleAllowOriginValues",
        "PreflightMultipleAllowOriginValues",
        "InvalidAllowOriginValue",
        "PreflightInvalidAllowOriginValue",
        "AllowOriginMismatch",
        "PreflightAllowOriginMismatch",
        "WildcardOriginNotAllowed",
        "PreflightWildcardOriginNotAllowed",
        "InvalidAllowCredentials",
        "PreflightInvalidAllowCredentials",
        "PreflightInvalidStatus",
        "PreflightDisallowedRedirect",
        "InvalidAllowMethodsPreflightResponse",
        "InvalidAllowHeadersPreflightResponse",
        "MethodDisallowedByPreflightResponse",
        "HeaderDisallowedByPreflightResponse",
        "RedirectContainsCredentials",
    ];
}

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
