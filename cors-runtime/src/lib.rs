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
//! are compile errors) and turns it into a `static` policy (origins,
//! methods and header names as `&'static str`); a `preflight!` builds its
//! header values once, when the router is built. The handler keeps its body and extractors; its responses, and
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
//! # The policy is enforced, not only advertised
//!
//! CORS headers only decide what a page may read; a browser still sends a
//! simple cross-site request (a form `POST`). So a state-changing request
//! (any method but `GET`, `HEAD`, `OPTIONS`) that a browser marks as
//! cross-origin, from an origin the policy does not allow or with a method
//! it does not list, is answered `403` and the handler never runs.
//! Cross-origin is decided as Go's `net/http.CrossOriginProtection` does:
//! `Sec-Fetch-Site` first (`same-origin` and `none` pass, anything else is
//! cross-origin); without it, an `Origin` whose host and port differ from
//! `Host`. A request with neither header (same-origin in an old browser,
//! or not from a browser) passes. `cross_origin_protection = false` turns
//! the `403` off for a handler that must accept simple cross-site requests.
//!
//! A method the policy does not list never gets CORS headers, and the
//! `Access-Control-*` headers of a response belong to the policy: ones the
//! handler set itself are replaced or removed. Where one path's policies
//! grant differently, granted preflights say `Access-Control-Max-Age: 0`,
//! so the browser cannot reuse one handler's grant for another's request.
//!
//! # Route middleware, merged routers
//!
//! `preflight!(...)` is also a layer. Outside the route's own middleware,
//! `get(list).post(create).route_layer(auth).layer(preflight!(list, create))`
//! answers every `OPTIONS` before `auth`, and gives the policy's headers to
//! every response the handler did not make (a `401`, a body limit's `413`,
//! a `429`, a `408`, axum's `405`), so a page on an allowed origin reads the
//! status. Routers joined with `Router::merge`, each adding one method of a
//! path with its own `.layer(preflight!(handler))`, keep each method's
//! policy: see [`preflight!`].
//!
//! # Calling a handler directly
//!
//! Tests call handlers as functions. The function as written stays
//! reachable, with its own arguments, generics and output, as
//! `name::without_cors`:
//!
//! ```
//! use axum::extract::State;
//! use cors_runtime::cors;
//!
//! #[cors(origins = ["https://app.example.com"], methods = [POST])]
//! async fn double(State(factor): State<u32>, body: String) -> String {
//!     (factor * body.parse::<u32>().unwrap_or(0)).to_string()
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! assert_eq!(double::without_cors(State(2), "21".into()).await, "42");
//! # });
//! ```
//!
//! Attributes below `#[cors]` (`#[tracing::instrument]`,
//! `#[axum::debug_handler]`) see that function under its own name, so a
//! span is named after the handler. `#[axum::debug_handler]` and
//! `#[utoipa::path]` also work above `#[cors]` (`debug_handler` there not
//! on a handler without arguments: see Limitations).
//!
//! # Named policies
//!
//! Handlers that share origins, headers and credentials use one policy by
//! name, declared with [`policy!`]; keys written on a handler replace the
//! policy's value for that key, and the combined policy is checked like a
//! written-out one:
//!
//! ```
//! use cors_runtime::cors;
//!
//! cors_runtime::policy! {
//!     /// The browser app.
//!     pub APP = {
//!         origins = ["https://app.example.com"],
//!         allow_headers = ["content-type", "authorization"],
//!         credentials = true,
//!         max_age = 600,
//!     };
//! }
//!
//! #[cors(policy = APP, methods = [GET, PUT])]
//! async fn profile() -> &'static str { "{}" }
//! ```
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
//!   compiled into the binary (handler path, location, named policy and
//!   replaced keys, origins, methods, headers, credentials, max-age, private
//!   network), for security reviews.
//! - With the default `tracing` feature, every refused preflight or actual
//!   request is one `debug` event naming the handler, the origin and the
//!   reason (origin, method, or which header). Allowed requests log nothing.
//! - [`check::check_router`] sends a real preflight for each annotated route
//!   through your assembled `Router` and names what outside this crate
//!   breaks it: an auth layer answering 401, a missing `.options(...)`
//!   (405), a global `CorsLayer` answering instead or adding headers, and
//!   a routed method that no policy of the route's `preflight!` lists.
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
//!   is a compile error (with generic arguments, `list::<R>`, reported by
//!   `cargo build`, when the function naming them is compiled for its
//!   types, not by `cargo check`).
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
//! - It works on free `async fn`s (at module level or inside a function
//!   body). `#[cors]` also puts a struct (and its `impl`s) under the
//!   handler's name, which the routed function names, so two places cannot
//!   take it, and each is reported by rustc:
//!   - an associated function in an `impl` block: "struct is not supported
//!     in `trait`s or `impl`s" on the attribute first, then the same for
//!     its `impl`s and "cannot find type `name`" where the routed function
//!     names it; move the handler out of the `impl`;
//!   - a handler named like a module beside it (`mod users` and
//!     `async fn users`): E0428 "the name `users` is defined multiple
//!     times" on the attribute, then E0573 "expected type, found module"
//!     at the handler's name, wherever the module is declared; rename one
//!     of them.
//! - The function routed under the handler's name takes each extractor
//!   wrapped (the first one also decides the request) and returns a
//!   `Response`; calling it in a test is a type error naming the wrapped
//!   arguments (`Extract<...>`, `Decided<...>`). The function as
//!   written is `name::without_cors`.
//! - `#[axum::debug_handler]` above `#[cors]` on a handler without
//!   arguments fails (it calls the handler with none, and the routed
//!   function reads the request): rustc's E0061 on the `debug_handler`
//!   line. Put it below `#[cors]`, where it checks the function as written.
//! - `env(...)` origins are read on the first request that needs them, and
//!   again by each [`init`]; a change to the variable takes effect at the
//!   next `init`. If [`init`] is never called, a wrong entry is only
//!   visible in the `tracing` output.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
mod decorate;
mod env_origins;
mod extract;
mod listing;
mod log;
mod merged;
mod origin;
mod policy;
mod policy_layer;
mod preflight;
mod request_headers;
mod request_origin;
mod route_layer;
pub mod routed;

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
/// | `policy` | the path of a named policy declared with [`policy!`] (`APP`, `crate::cors::APP`); the other keys on the handler replace its values | none |
/// | `origins` (required unless `policy` gives them) | `"*"`, or a list of serialized origins (`"https://a.com"`, `"http://localhost:5173"`), patterns: `"https://*.a.com"` (one or more labels in front of `a.com`, never `a.com` itself) and `"http://localhost:*"` (any port), and `env("VAR")` for origins read at start-up (see [`init`]) | - |
/// | `methods` | method idents (`GET`, `POST`, ...) or strings for extension methods (`"PURGE"`) | `[GET]` |
/// | `allow_headers` | header names, or `"*"` (any name except `authorization`; `["*", "authorization"]` adds it) | none |
/// | `expose_headers` | header names, or `"*"` | none |
/// | `credentials` | `true` / `false` | `false` |
/// | `max_age` | seconds, 0 to 86400 (`0` is sent, and disables caching) | no header |
/// | `private_network` | `true` / `false` (Private Network Access) | `false` |
/// | `cross_origin_protection` | `true` / `false`: whether a state-changing cross-origin request from an origin the policy does not allow, or with a method it does not list, gets `403` before the handler runs | `true` |
/// | `dangerously_tolerate_insecure_origins` | `true` / `false`: accept plain-`http` origins other than loopback (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`) together with `credentials` or `private_network`, literal or from `env(...)`; anyone on the network path can impersonate such an origin | `false` |
/// | `crate` | path to this crate, as a string, when it is re-exported | `"::cors_runtime"` |
///
/// # What it expands to
///
/// One shape for every handler. For
/// `#[cors(origins = [...], methods = [GET, POST])] pub async fn items(State(s): State<AppState>, Json(body): Json<NewItem>) -> String { ... }`,
/// `cargo expand` shows (paths shortened, `::cors_runtime::` and `::core::`
/// written out in the real code):
///
/// ```text
/// #[doc(hidden)]
/// #[allow(non_camel_case_types, dead_code)]
/// pub struct items {}                        // the type namespace, as Rocket does
///
/// impl routed::HandlerPolicy for items {     // the handler's policy
///     const METHODS: &'static [&'static str] = &["GET", "POST"];
///     fn policy() -> &'static Policy {
///         #[distributed_slice(POLICIES)]     // its entry in the listing behind `policies()`
///         static ENTRY: fn() -> &'static Policy = <items as routed::HandlerPolicy>::policy;
///         static POLICY: Policy = Policy { /* origins, methods, header names as &'static str */ };
///         &POLICY
///     }
/// }
///
/// impl items {
///     /// `items` as written, without CORS: for tests that call the handler directly.
///     pub fn without_cors(cors_arg0: State<AppState>, cors_arg1: Json<NewItem>)
///         -> impl Future<Output = String> + Send
///     {
///         async fn items(State(s): State<AppState>, Json(body): Json<NewItem>) -> String { ... }  // yours, untouched
///         items(cors_arg0, cors_arg1)
///     }
/// }
///
/// /// Routed with its `#[cors]` policy: ...
/// pub fn items(
///     cors_arg0: routed::WithOrigin<State<AppState>, items>,  // the first extractor; decides the request first
///     cors_arg1: routed::Extract<Json<NewItem>>,              // the next ones, rejections kept
/// ) -> impl Future<Output = Response> {
///     let (grant, cors_arg0) = cors_arg0.into_parts();
///     match routed::Extracted::all((cors_arg0, cors_arg1.into_inner())) {
///         Ok((cors_arg0, cors_arg1)) => routed::Decorate::new(grant, <items>::without_cors(cors_arg0, cors_arg1)),
///         Err(rejection) => routed::Decorate::rejected(grant, rejection),  // the 4xx, with CORS headers
///     }
/// }
/// ```
///
/// - The function as written keeps its name and attributes inside
///   `without_cors`, so `#[tracing::instrument]` names its span after the
///   handler and `#[axum::debug_handler]` below `#[cors]` checks it.
///   `without_cors` keeps its signature, generics (`list::without_cors::<Repo>`)
///   and output type, `impl IntoResponse` and `Result<impl IntoResponse, E>`
///   included. Its future is declared `Send` when the handler has no type
///   parameters (so a value held across an `.await` is one error, at the
///   handler's name); a generic handler's future is `Send` exactly where
///   its parameters make it so.
/// - The first argument, [`WithOrigin<T, items>`](routed::WithOrigin),
///   reads the request's origin and decides it by the policy of `items`
///   before `T` runs: a state-changing cross-origin request the policy
///   refuses is answered `403` there, so no other extractor runs and no
///   body is read. A handler without arguments takes
///   [`Decided<items>`](routed::Decided) instead, which
///   takes the whole request and spares axum splitting it.
/// - [`preflight!(items)`](preflight!) takes the function routed, as
///   `get(items)` does, and finds the policy from its type: the struct in
///   its first argument ([`AnnotatedHandler`](routed::AnnotatedHandler), one
///   impl per number of arguments, as axum's `Handler`). So
///   `preflight!(api::items)` and `preflight!(list::<Repo>)` work from the
///   path you route with.
/// - The routed function is a plain `fn` returning the runtime's
///   `Decorate` future around `without_cors`'s, so each handler compiles
///   to one state machine, not two. `WithOrigin`, `Extract` and `Decorate`
///   are written once in the runtime ([`routed`]), not generated per
///   handler.
/// - The value under the handler's name stays a function: a `const` or a
///   unit struct there would turn `let items = ...` in the same module
///   into a pattern against it. (Such a binding does hide the function
///   from `preflight!(items)` after it, as it does from `get(items)`.)
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
/// Declares named policies: a policy written once and used by many
/// handlers with `#[cors(policy = NAME, ...)]`.
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight};
///
/// mod cors_policies {
///     cors_runtime::policy! {
///         /// The browser app.
///         pub APP = {
///             origins = ["https://app.example.com", env("APP_ORIGINS")],
///             allow_headers = ["content-type", "authorization"],
///             credentials = true,
///             max_age = 600,
///         };
///
///         /// Anyone, reading only.
///         pub PUBLIC = { origins = "*", methods = [GET] };
///     }
/// }
///
/// use cors_policies::APP;
///
/// // Keys written on the handler replace the policy's value for that key.
/// #[cors(policy = APP, methods = [GET, PUT])]
/// async fn profile() -> &'static str { "{}" }
///
/// #[cors(policy = crate::cors_policies::APP, methods = [POST], max_age = 60)]
/// async fn upload() -> &'static str { "ok" }
///
/// #[cors(policy = cors_policies::PUBLIC)]
/// async fn status() -> &'static str { "ok" }
///
/// fn main() {
///     let app: Router = Router::new()
///         .route("/profile", get(profile).put(profile).post(upload).options(preflight!(profile, upload)))
///         .route("/status", get(status).options(preflight!(status)));
/// }
/// ```
///
/// A declaration is `NAME = { key = value, ... };`, with an optional doc
/// comment and visibility; several share one block. It takes every key of
/// [`cors`](macro@cors) but two: `policy` (a policy does not extend
/// another) and `crate` (written on each handler, whose own code names
/// the runtime). It must list `origins`.
///
/// # Checked twice, reported once
///
/// `policy!` checks each declaration on its own, by the rules of a
/// written-out policy, and reports its mistakes there. Each handler's
/// policy, the declaration with the handler's keys in place of the
/// declaration's, is checked again by the same function; what is reported
/// on the handler is whatever involves one of its keys. So a declaration
/// with `credentials = true` and a handler with `origins = "*"` is an
/// error on the handler's `"*"`, with a second one on the declaration's
/// `credentials = true`:
///
/// ```compile_fail
/// cors_runtime::policy! {
///     pub APP = { origins = ["https://app.example.com"], credentials = true };
/// }
///
/// #[cors_runtime::cors(policy = APP, origins = "*")]
/// async fn handler() {}
/// ```
///
/// A name that is no policy is one rustc error on it, with rustc's
/// "a macro with a similar name exists" help:
///
/// ```compile_fail
/// cors_runtime::policy! {
///     pub APP = { origins = ["https://app.example.com"] };
/// }
///
/// #[cors_runtime::cors(policy = APPP)]
/// async fn handler() {}
/// ```
///
/// # How it works, and what it allows
///
/// A proc macro cannot read another item, so the declaration travels as
/// tokens: `policy!` turns each declaration into a `macro_rules!` of the
/// declared name holding its tokens, in a hidden module of its own, and
/// re-exports it from there with `use`. A policy is therefore a macro: it lives in the macro namespace
/// (a constant or function may share its name), is reached by path like
/// any item (`policy = APP`, `crate::cors::APP`, `super::APP`, after `use`,
/// renamed with `use ... as`), and follows the module privacy rules. The
/// handler's generated code calls it with the handler's keys, and it hands
/// both to a hidden proc macro that merges, checks and expands them exactly
/// as `#[cors]` expands a written-out policy: the generated code and its
/// run-time cost are the same (`tests/named_policies.rs` compares the
/// answers; BENCHMARKS.md the instructions).
///
/// **Within one crate only.** Rust does not let a crate re-export a
/// `macro_rules!` macro to other crates except with `#[macro_export]`,
/// which would put every policy at the crate root under its bare name; so
/// `pub` in a declaration means `pub(crate)`, and another crate cannot
/// name the policy (`policy = other_crate::APP` is rustc's "macro `APP`
/// is private", `tests/ui/fail/named-policy-from-another-crate.rs`). To
/// share a policy between crates, export a macro that declares it in the
/// calling crate (`tests/ui/pass/named-policy-shared-by-a-macro.rs`):
///
/// ```
/// // In the shared crate:
/// #[macro_export]
/// macro_rules! declare_app_policy {
///     ($name:ident) => {
///         ::cors_runtime::policy! {
///             pub(crate) $name = { origins = ["https://app.example.com"], credentials = true };
///         }
///     };
/// }
///
/// // In each service:
/// declare_app_policy!(APP);
///
/// #[cors_runtime::cors(policy = APP, methods = [GET, POST])]
/// async fn items() {}
/// ```
///
/// The review listing ([`policy_table`], [`policy_json`],
/// [`Policy::named_policy`], [`Policy::replaced_keys`]) shows, per handler,
/// the named policy as written on it and the keys it replaced.
pub use cors_macros::policy;
pub use env_origins::{init, ConfigError, Problem};
pub use listing::{policies, policy_json, policy_table};
pub use policy::Policy;
pub use policy_layer::PolicyLayer;
pub use preflight::Preflight;
pub use request_headers::{MAX_REQUEST_HEADERS_ITEMS, MAX_REQUEST_HEADERS_LEN};
pub use route_layer::{CorsRoute, CorsRouteFuture};

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
///
/// A generic handler is named as it is routed: `preflight!(list::<Repo>)`,
/// also inside a function generic over `Repo`. With generic arguments in
/// any handler's path, two handlers sharing a method are reported when the
/// program is built (`cargo build`), not by `cargo check`: the check then
/// runs when the function that names them is compiled for its types.
///
/// # As a route layer
///
/// The same value is a layer. Placed outside the route's own middleware,
/// it answers every `OPTIONS` before that middleware runs, and gives the
/// policy's headers to every response the annotated handler did not make:
///
/// ```
/// use axum::{extract::Request, http::StatusCode, middleware::{from_fn, Next}, response::Response};
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight};
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET], credentials = true)]
/// async fn list() -> &'static str { "[]" }
///
/// #[cors(origins = ["https://app.example.com"], methods = [POST], credentials = true)]
/// async fn create() -> &'static str { "created" }
///
/// async fn require_token(request: Request, next: Next) -> Result<Response, StatusCode> {
///     if request.headers().contains_key("authorization") {
///         Ok(next.run(request).await)
///     } else {
///         Err(StatusCode::UNAUTHORIZED) // the page on app.example.com can read this 401
///     }
/// }
///
/// let app: Router = Router::new().route(
///     "/things",
///     get(list).post(create).route_layer(from_fn(require_token)).layer(preflight!(list, create)),
/// );
/// ```
///
/// A response without `Vary: Origin` is one the handler did not make (the
/// handler always sends it): it is given the headers of the policy serving
/// the request's method, or, for a method no handler serves (axum's `405`),
/// of the first policy that allows the origin.
///
/// # Merged routers
///
/// Two routers that each add one method of a path, each with its own
/// `.layer(preflight!(handler))`, can be joined with `Router::merge`. axum
/// keeps one of them for the path's `OPTIONS`; it answers a preflight for
/// another's method with that one's policy, found by the path each layer
/// has served (axum's `MatchedPath`). Until a layer has served a request,
/// nothing tells it apart from a layer of another route, so a preflight for
/// its method is refused rather than answered with another route's policy:
/// a request with one of each router's own methods at start-up (a `HEAD`
/// where it serves `GET`; a plain `OPTIONS` reaches only the layer axum
/// kept) makes every method of the path preflight at once. Once the
/// layers of a path know each other and their policies grant differently,
/// every grant on the path says `Access-Control-Max-Age: 0`; before that,
/// a grant of the layer axum kept may be cached with its own `max_age`.
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

/// What the generated code uses. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::listing::POLICIES;
    pub use crate::origin::{
        AllowedOrigins, EnvOrigins, HostPattern, OriginHeader, OriginPattern, PortPattern,
    };
    pub use crate::policy::{AllowedHeaders, Derived, Policy};
    pub use crate::policy_layer::policy_layer;
    pub use crate::preflight::{serve_same, share_a_method, HandlerInfo};
    pub use crate::request_headers::RequestHeaderList;
    pub use crate::request_origin::RequestOrigin;
    pub use axum::response::Response;
    pub use cors_macros::{named_policy, preflight_with};
    pub use http::HeaderValue;
    pub use linkme;
}

/// Compiles the example of the crate's README.md as a doc test.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
