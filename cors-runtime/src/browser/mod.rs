//! A model of how a browser runs a cross-origin `fetch`, as pure code: the
//! one model of the browser in the workspace.
//! [`check::check_router`](crate::check::check_router), the `cors-doctor`
//! command and the project's own tests use it.
//!
//! - [`needs_preflight`] decides, by the Fetch standard's safelists (the
//!   128-byte value limit, the 1024-byte total, content-type parsing),
//!   whether a request is preflighted;
//! - [`preflight_request`] builds the preflight as Chromium sends it (no
//!   cookies or `Authorization`, `Access-Control-Request-Headers`
//!   lower-cased, sorted and comma-joined, `Sec-Fetch-*`);
//! - [`check_preflight`] and [`check_access`] judge a response in
//!   Chromium's order (redirect, `-Allow-Origin`, `-Allow-Credentials`,
//!   status, `-Allow-Methods` parses, `-Allow-Headers` parses, method,
//!   headers) and name the failure as Chromium's `Network.CorsError`
//!   ([`CorsError`]);
//! - [`PreflightCache`] keeps grants per origin and URL for their
//!   `Access-Control-Max-Age` (5 s when missing), with the credentials
//!   rules;
//! - [`fetch`] runs all of it through a [`Transport`]: [`RouterTransport`]
//!   sends through an assembled axum `Router` in process; `cors-doctor`
//!   brings an HTTP client. Nothing here opens a connection.
//!
//! ```
//! use axum::{routing::get, Router};
//! use cors_runtime::browser::{self, BrowserRequest, FetchOptions, Outcome, RouterTransport};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! // No `.options(...)`: axum answers the preflight 405, without CORS headers.
//! let app = Router::new().route("/items", get(|| async { "items" }).put(|| async { "ok" }));
//! let request = BrowserRequest::new("/items", "https://app.example").method("PUT");
//! let fetched = browser::fetch(&mut RouterTransport::new(&app), &request, FetchOptions::default(), None).await;
//! match fetched.outcome {
//!     Outcome::Blocked(error) => assert_eq!(error.name(), "PreflightMissingAllowOriginHeader"),
//!     other => panic!("{other:?}"),
//! }
//! # });
//! ```

mod cache;
mod cors_error;
mod fetch;
mod request;
mod response_check;
mod safelist;
mod transport;
mod wire;
mod wire_requests;

pub use cache::{CacheRules, PreflightCache};
pub use cors_error::CorsError;
pub use fetch::{
    fetch, origin_of, resolve, Exchange, ExchangeKind, FetchOptions, Fetched, Outcome,
};
pub use request::{is_forbidden_request_header, normalize_method, BrowserRequest, Credentials};
pub use response_check::{
    check_access, check_preflight, disallowed_header, disallowed_method, parse_list, Leniency,
    PreflightGrant,
};
pub use safelist::{
    is_safelisted_header, is_safelisted_method, is_token_byte, mime_essence, needs_preflight,
    unsafe_header_names, MAX_SAFELISTED_TOTAL_LEN, MAX_SAFELISTED_VALUE_LEN,
};
pub use transport::{
    CertificateProblem, NetworkError, NetworkErrorKind, RouterTransport, Transport,
    BODY_PREFIX_LIMIT,
};
pub use wire::{WireRequest, WireResponse};
pub use wire_requests::{actual_request, authority, fetch_site, preflight_request, USER_AGENT};
