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
//! # Origins from the environment
//!
//! Production origins differ per deployment. Next to literal origins, a
//! list may name environment variables holding comma-separated origins and
//! patterns: `origins = ["https://app.example.com", env("APP_ORIGINS")]`
//! (or `origins = env("APP_ORIGINS")`). Call [`init`] at start-up: it reads
//! every variable of every policy, checks each entry with the same rules the
//! attribute applies to literals, and returns all problems at once, each
//! with its variable's name. Policies without `env(...)` never look at the
//! environment, and their matching is unchanged.
//!
//! # Reviews, diagnostics, self-check
//!
//! - [`policies`], [`policy_table`] and [`policy_json`] list every policy
//!   compiled into the binary (handler path, origins, methods, headers,
//!   credentials, max-age), for security reviews.
//! - With the default `tracing` feature, every refused preflight or actual
//!   request is one `debug` event naming the handler, the origin and the
//!   reason (origin, method, or which header). Allowed requests log nothing.
//! - [`check::check_router`] sends a real preflight for each annotated route
//!   through your assembled `Router` and names what outside this crate
//!   breaks it: an auth layer answering 401, a missing `.options(...)`
//!   (405), a global `CorsLayer` answering instead or adding headers.
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
//! - `expose_headers = "*"` (or `["*"]`) is the wildcard; `*` beside other
//!   names is refused, since it already exposes them all (and with
//!   credentials only a list of names works).
//! - A plain-`http` origin counts as loopback, and so as secure, for
//!   `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`, as browsers
//!   treat them as secure contexts.
//! - Patterns are checked against the Public Suffix List embedded in the
//!   `psl` crate at the version this crate was built with; a platform
//!   added to the list later is known after a `cargo update`.
//!
//! # Limitations
//!
//! - The attribute adds one extractor to the handler, so a handler may
//!   take at most 15 arguments (axum's limit is 16).
//! - It works on free `async fn`s, not on associated functions in an
//!   `impl` block.
//! - The annotated function's signature changes (it takes the wrapped
//!   extractors and returns `Response`), so tests call it through the
//!   router, as a browser would, rather than directly.
//! - `env(...)` origins are read once; a change to the variable needs a
//!   restart. If [`init`] is not called they are read on the first request
//!   that needs them, and a wrong entry is then only visible in the
//!   `tracing` output.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
mod configured;
mod layer;
mod listing;
mod log;
mod merged;
mod origin;
mod policy;
mod preflight;
mod request_headers;
mod response;

pub use configured::{init, ConfigError, Problem};
/// Gives an axum handler its own CORS policy, checked at compile time.
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight};
///
/// #[cors(
///     origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
///     methods = [GET, POST],
///     allow_headers = ["content-type", "authorization"],
///     expose_headers = ["x-request-id"],
///     credentials = true,
///     max_age = 600,
/// )]
/// async fn items() -> &'static str {
///     "items"
/// }
///
/// let app: Router = Router::new().route("/items", get(items).post(items).options(preflight!(items)));
/// ```
///
/// # Keys
///
/// | key | value | default |
/// | --- | --- | --- |
/// | `origins` (required) | `"*"`, or a list of serialized origins (`"https://a.com"`, `"http://localhost:5173"`), patterns: `"https://*.a.com"` (one or more labels in front of `a.com`, never `a.com` itself) and `"http://localhost:*"` (any port), and `env("VAR")` for origins read at start-up (see [`init`]) | - |
/// | `methods` | method idents (`GET`, `POST`, ...) or strings for extension methods (`"PURGE"`) | `[GET]` |
/// | `allow_headers` | header names, or `"*"` (any name except `authorization`; `["*", "authorization"]` adds it) | none |
/// | `expose_headers` | header names, or `"*"` | none |
/// | `credentials` | `true` / `false` | `false` |
/// | `max_age` | seconds, 0 to 86400 (`0` is sent, and disables caching) | no header |
/// | `private_network` | `true` / `false` (Private Network Access) | `false` |
/// | `dangerously_tolerate_insecure_origins` | `true` / `false`: accept plain-`http` origins other than loopback (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`) together with `credentials` or `private_network`, literal or from `env(...)`; anyone on the network path can impersonate such an origin | `false` |
/// | `crate` | path to this crate, as a string, when it is re-exported | `"::cors_runtime"` |
///
/// # What it expands to
///
/// For `#[cors(...)] async fn items(Json(body): Json<T>) -> R { ... }`,
/// roughly:
///
/// ```text
/// #[doc(hidden)]
/// struct items {}                      // the policy's name, in the type namespace
/// impl ::cors_runtime::__private::CorsHandler for items {
///     const METHODS: &[&str] = &["GET", "POST"];
///     fn policy() -> &'static Policy {
///         static POLICY: Policy = Policy { /* origins as &str, static HeaderValues */ };
///         &POLICY
///     }
/// }
/// // + one entry in the link-time list behind `policies()`
///
/// fn items(
///     origin: RequestOrigin,           // the request's `Origin`, read first
///     arg0: Extract<Json<T>>,          // the extractor, rejection kept
/// ) -> impl Future<Output = Response> {
///     async fn __cors_items(Json(body): Json<T>) -> R { ... }   // your body, untouched
///     let grant = origin.grant(<items as CorsHandler>::policy());
///     let arg0 = match arg0.0 {
///         Ok(value) => value,
///         Err(rejection) => return Decorate::rejected(grant, rejection),   // 4xx with CORS
///     };
///     Decorate::<_, Response>::new(grant, __cors_items(arg0))   // your response, with CORS
/// }
/// ```
///
/// `RequestOrigin`, `Extract` and `Decorate` do not depend on the handler,
/// so their code is compiled once, not once per handler. A handler without
/// arguments takes the whole request instead, which spares axum splitting
/// it, and its `Decorate` keeps rejections as `Infallible`, having none.
/// The value under the handler's name stays a function: a `const` or a
/// unit struct there would turn `let items = ...` in the same module into
/// a pattern against it.
///
/// The struct shares the function's name and visibility, so
/// `use api::items;` brings both, and `preflight!(items)` or
/// `preflight!(api::items)` finds the policy from the path you route with.
///
/// # Compile-time errors
///
/// Every mistake in one attribute is reported in one compile, each as one
/// error on the token you wrote, saying what is wrong and what to write
/// instead; the handler is still emitted, so the rest of your crate keeps
/// type-checking:
///
/// ```compile_fail
/// # use cors_runtime::cors;
/// #[cors(origins = ["https://app.example.com/", "https://*.github.io"], max_age = 10 * 60)]
/// async fn handler() {}
/// ```
///
/// Every rejected mistake, with its UI test and the compiler's exact
/// output, is listed in
/// [`tests/ui/README.md`](https://github.com/cors-attr/cors-attr/blob/main/tests/ui/README.md).
pub use cors_macros::cors;
pub use layer::{CorsRoute, CorsRouteFuture};
pub use listing::{policies, policy_json, policy_table};
pub use policy::Policy;
pub use preflight::Preflight;
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
    () => {
        ::core::compile_error!(
            "`preflight!` needs the handlers that serve this path, such as `preflight!(list, create)`"
        )
    };
    ($($handlers:tt)+) => {
        $crate::__private::preflight_with!($crate; $($handlers)+)
    };
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
    pub use crate::listing::POLICIES;
    pub use crate::origin::{
        AllowedOrigins, EnvOrigins, HostPattern, OriginHeader, OriginPattern, PortPattern,
    };
    pub use crate::policy::{AllowedHeaders, Policy};
    pub use crate::preflight::{handler_info, serve_same, share_a_method, HandlerInfo};
    pub use crate::request_headers::RequestHeaderList;
    pub use crate::response::{Decorate, Extract, OnlyRequestOrigin, RequestOrigin, WithOrigin};
    pub use crate::CorsHandler;
    pub use axum::response::{IntoResponse, Response};
    pub use cors_macros::preflight_with;
    pub use http::HeaderValue;
    pub use linkme;
}

/// Compiles the example of the crate's README.md as a doc test.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
