//! `cors-doctor`: why does the browser block this request, and which layer
//! should change?
//!
//! It runs a cross-origin request as Chromium would, with the workspace's
//! one browser model ([`cors_runtime::browser`]): decides whether a
//! preflight is needed, sends it as Chromium does, checks the answer in
//! Chromium's order, sends the actual request (only `GET`/`HEAD` unless
//! asked), and never follows a redirect silently. Then it compares (a
//! plain `OPTIONS`, a refused origin, a path that does not exist, the app
//! `--direct`, other origins for caches) and reads fingerprints to say
//! which layer decided, and prints the fix in the user's stack.
//!
//! The same report comes from a live server ([`probe_url`]) and from an
//! assembled axum `Router` in process ([`probe_router`]):
//!
//! ```
//! use axum::{routing::get, Router};
//! use cors_doctor::{probe_router, Layer, Probe, Verdict};
//! use cors_runtime::browser::BrowserRequest;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let app = Router::new().route("/items", get(|| async { "items" }).put(|| async { "ok" }));
//! let request = BrowserRequest::new("/items", "https://app.example").method("PUT");
//! let report = probe_router(&app, &Probe::new(request)).await;
//! assert_eq!(report.verdict, Verdict::Blocked);
//! assert_eq!(report.reason.as_deref(), Some("PreflightMissingAllowOriginHeader"));
//! assert_eq!(report.blame.layer, Layer::Router); // axum answered 405: nothing handles OPTIONS
//! # });
//! ```
//!
//! The command line (`cors-doctor probe URL --origin O ...`,
//! `cors-doctor explain [FILE]`) is described in the crate's README.

pub mod blame;
mod browsers;
pub mod client;
pub mod console;
pub mod diagnose;
pub mod explain;
pub mod fingerprint;
pub mod fixes;
pub mod local_network;
pub mod offline;
pub mod redact;
pub mod render;
pub mod report;

use axum::Router;
use cors_runtime::browser::RouterTransport;

pub use diagnose::Probe;
pub use report::{Blame, BrowserView, Browsers, ExchangeRecord, Layer, Report, Verdict};

/// Probes a live server over HTTP/1.1 (`https` with rustls).
pub async fn probe_url(probe: &Probe) -> Report {
    diagnose::run(&mut client::HttpTransport::default(), probe).await
}

/// Probes an assembled axum `Router` (all its layers) in process: the
/// report a live probe of the same app gives. `probe.request.url` is a
/// path (`/items`) or an absolute URL whose path the router sees.
pub async fn probe_router(router: &Router, probe: &Probe) -> Report {
    diagnose::run(&mut RouterTransport::new(router), probe).await
}
