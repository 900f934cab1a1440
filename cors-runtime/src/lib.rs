//! Per-handler CORS for [axum], checked while your crate compiles.
//!
//! Put [`#[cors(...)]`](macro@cors) on a handler and route its preflight
//! with [`preflight!`]:
//!
//! ```
//! use axum::{routing::get, Router};
//! use cors_runtime::{cors, preflight};
//!
//! #[cors(
//!     origins = ["https://app.example.com", "https://*.example.com"],
//!     methods = [GET, POST],
//!     allow_headers = ["content-type", "authorization"],
//!     expose_headers = ["x-request-id"],
//!     credentials = true,
//!     max_age = 600,
//! )]
//! async fn items() -> &'static str {
//!     "items"
//! }
//!
//! #[cors(origins = "*", methods = [GET], max_age = 86400)]
//! async fn status() -> &'static str {
//!     "ok"
//! }
//!
//! let app: Router = Router::new()
//!     .route("/items", get(items).post(items).options(preflight!(items)))
//!     .route("/status", get(status).options(preflight!(status)));
//! ```
//!
//! The attribute checks the policy at compile time (a wildcard origin with
//! credentials, a suffix pattern on a public suffix, a forbidden header, ...
//! are compile errors) and turns it into a `static` of ready-made header
//! values. The handler keeps its body and extractors; its responses, and
//! the rejections of its extractors, get the CORS headers.
//!
//! # What goes on the wire
//!
//! - An allowed preflight gets `204` with `Access-Control-Allow-Origin`
//!   (the request's origin, or `*` for `origins = "*"`), `-Allow-Methods`,
//!   `-Allow-Headers` when headers were requested, `-Allow-Credentials`,
//!   `-Max-Age` and `-Allow-Private-Network` as configured, and `Vary`.
//! - A refused preflight also gets `204`, without the one header that lets
//!   the browser proceed, so the browser's console names the real reason
//!   (origin, method or header) rather than a bad status.
//! - An actual request from an allowed origin gets `-Allow-Origin`,
//!   `-Allow-Credentials` and `-Expose-Headers`; every response gets
//!   `Vary: Origin`, added beside any `Vary` the handler set.
//! - An `OPTIONS` without `Access-Control-Request-Method` is not a
//!   preflight: it gets `204` and `Allow`.
//!
//! # Choices this crate makes
//!
//! - `methods` defaults to `[GET]`. A preflight for `HEAD` uses the policy
//!   that allows `GET`, as axum's `get` routes serve `HEAD`.
//! - Methods are compared case-sensitively, as the Fetch standard does:
//!   `patch` is not `PATCH`.
//! - `origins = "*"` answers every request that has an `Origin` (also
//!   `null`, several or malformed ones) with `*`, and none without.
//! - An `Access-Control-Request-Headers` longer than
//!   [`MAX_REQUEST_HEADERS_LEN`] bytes or with more than
//!   [`MAX_REQUEST_HEADERS_ITEMS`] elements refuses the preflight.
//! - Two handlers given to one `preflight!` must not share a method; that
//!   is a compile error.
//!
//! # Limitations
//!
//! - The attribute adds one extractor to the handler, so a handler may
//!   take at most 15 arguments (axum's limit is 16).
//! - It works on free `async fn`s, not on associated functions in an
//!   `impl` block.
//! - The public-suffix check knows every single-label suffix (`*.com`) and
//!   a built-in list of common multi-label ones (`*.co.uk`,
//!   `*.github.io`, ...), not the whole Public Suffix List.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod origin;
mod policy;
mod preflight;
mod request_headers;
mod response;

pub use cors_macros::cors;
pub use request_headers::{MAX_REQUEST_HEADERS_ITEMS, MAX_REQUEST_HEADERS_LEN};

/// Builds the `OPTIONS` handler for a path from the `#[cors]` handlers that
/// serve its methods.
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight};
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET])]
/// async fn list() -> &'static str { "[]" }
///
/// #[cors(origins = ["https://admin.example.com"], methods = [POST], allow_headers = ["content-type"])]
/// async fn create() -> &'static str { "created" }
///
/// let app: Router = Router::new()
///     .route("/things", get(list).post(create).options(preflight!(list, create)));
/// ```
///
/// The preflight's `Access-Control-Request-Method` picks the policy. Two
/// handlers that allow the same method are refused at compile time:
///
/// ```compile_fail
/// use cors_runtime::{cors, preflight};
///
/// #[cors(origins = ["https://a.example.com"], methods = [GET])]
/// async fn one() {}
///
/// #[cors(origins = ["https://b.example.com"], methods = [GET])]
/// async fn two() {}
///
/// let _ = preflight!(one, two);
/// ```
#[macro_export]
macro_rules! preflight {
    ($($handler:path),+ $(,)?) => {{
        const _: () = $crate::__private::assert_methods_disjoint(&[
            $(<$handler as $crate::__private::CorsHandler>::METHODS),+
        ]);
        $crate::__private::Preflight::new([
            $(<$handler as $crate::__private::CorsHandler>::policy()),+
        ])
    }};
}

/// Implemented by the struct `#[cors]` puts beside each handler, which has
/// the handler's name; how `preflight!` finds the policy.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `#[cors]` policy",
    label = "not a handler annotated with `#[cors(...)]`",
    note = "`preflight!` takes the names of handlers that carry `#[cors(...)]`"
)]
pub trait CorsHandler {
    /// The methods the policy allows.
    const METHODS: &'static [&'static str];

    /// The policy.
    fn policy() -> &'static policy::Policy;
}

/// What the generated code uses. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::origin::{AllowedOrigins, HostPattern, OriginPattern, PortPattern};
    pub use crate::policy::{AllowedHeaders, Policy};
    pub use crate::preflight::{assert_methods_disjoint, Preflight};
    pub use crate::response::{Extract, OriginGrant};
    pub use crate::CorsHandler;
    pub use axum::response::{IntoResponse, Response};
    pub use http::HeaderValue;
}
