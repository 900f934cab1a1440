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
//! are compile errors, see [below](#what-the-compiler-refuses)) and turns it
//! into a `static` policy (origins, methods and header names as
//! `&'static str`); a `preflight!` builds its header values once, when the
//! router is built. The handler keeps its body and extractors; its
//! responses, and the rejections of its extractors, get the CORS headers.
//! Every key the attribute takes is in [its table](macro@cors#keys).
//!
//! # What goes on the wire
//!
//! - **Allowed preflight**: `204`, `Access-Control-Allow-Origin` (the
//!   request's origin, or `*` for `origins = "*"`), `-Allow-Methods`,
//!   `-Allow-Headers` when headers were requested, `-Allow-Credentials`,
//!   `-Max-Age` and `-Allow-Private-Network` as configured, and
//!   `Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers`
//!   (and `Access-Control-Request-Private-Network` where a policy of the path
//!   sets `private_network`).
//! - **Refused preflight**: also `204`, without the one header whose absence
//!   makes the browser name the real reason: no `-Allow-Origin` for a refused
//!   origin ("No 'Access-Control-Allow-Origin' header is present"),
//!   `-Allow-Methods` without the method ("Method PUT is not allowed"),
//!   `-Allow-Headers` without the header ("Request header field x-foo is not
//!   allowed"). A refused `GET`, `HEAD` or `POST` gets no `-Allow-Origin`,
//!   since browsers send those methods whatever `-Allow-Methods` says. A
//!   non-ok status would only make the browser say "does not have HTTP ok
//!   status".
//! - **Actual request from an allowed origin**: the handler's response plus
//!   `-Allow-Origin`, `-Allow-Credentials` and `-Expose-Headers` as
//!   configured, and `Vary: Origin` appended beside any `Vary` the handler
//!   set.
//! - **Disallowed or missing `Origin`**: no `Access-Control-*` header;
//!   `Vary: Origin` still present.
//! - **Errors keep CORS**: extractor rejections (bad JSON, a bad path) and
//!   handler errors carry the same headers, so the page sees the real
//!   4xx/5xx rather than a CORS failure.
//! - **Plain `OPTIONS`** (no `Access-Control-Request-Method`): not a
//!   preflight; `204` and `Allow`, or the route's own `options` handler
//!   under [`MethodRouterExt::preflight_layer`].
//! - `Origin: null`, several `Origin` headers or a malformed one are never
//!   allowed by a list; `origins = "*"` answers them with `*`.
//! - `Access-Control-Request-Headers` is parsed without allocating; a list
//!   over [`MAX_REQUEST_HEADERS_LEN`] bytes or [`MAX_REQUEST_HEADERS_ITEMS`]
//!   elements refuses the preflight before it is read.
//!
//! # The policy is enforced, not only advertised
//!
//! CORS headers only decide what a page may read; a browser still sends a
//! simple cross-site request (a form `POST`), a WebSocket handshake, and any
//! request a cached preflight grant covers. So:
//!
//! - A state-changing request (any method but `GET`, `HEAD`, `OPTIONS`) that
//!   a browser marks as cross-origin, from an origin the policy does not
//!   allow or with a method it does not list, is answered `403` with `Vary`
//!   and no `Access-Control-Allow-*`. The `403` is decided before the first
//!   extractor runs: no body is read, and no extractor with side effects
//!   runs.
//! - A WebSocket upgrade is a `GET` the browser sends cross-origin without a
//!   preflight and without `Sec-Fetch-Site`, with the page's cookies: an
//!   upgrade from an origin the policy refuses gets `403`, and the handler
//!   never runs.
//! - A method the policy does not list never gets CORS headers, and the
//!   `Access-Control-*` headers of a response belong to the policy: ones the
//!   handler set itself are replaced or removed.
//! - Where one path's policies grant differently, granted preflights say
//!   `Access-Control-Max-Age: 0`, so the browser cannot reuse one handler's
//!   grant for another's request.
//! - Under [`MethodRouterExt::preflight_layer`], a method none of the named
//!   handlers serve (an unannotated handler beside annotated ones) gets no
//!   CORS headers, and a cross-origin write to it gets `403` before anything
//!   inside runs. Under `.options(preflight!(...))` such a method is **not
//!   protected**: a cached grant for an annotated method of the path carries
//!   a write to it. [`check::check_router`] reports it, and
//!   [`policy_listing`] shows the same warning below its table; annotate
//!   the handler, or use the layer placement.
//!
//! Cross-origin is decided as Go's `net/http.CrossOriginProtection` does:
//! `Sec-Fetch-Site` first (`same-origin` and `none` pass, anything else is
//! cross-origin); without it, an `Origin` whose host and port differ from
//! `Host`. A request with neither header (same-origin in an old browser, or
//! not from a browser) passes. `cross_origin_protection = false` turns the
//! `403` off for a handler that must accept simple cross-site requests (a
//! webhook, a form other sites post to).
//!
//! A WebSocket handshake (a `GET` with `Upgrade: websocket`) counts as
//! state-changing: browsers send it cross-origin without a preflight,
//! with the page's cookies, and Chromium without `Sec-Fetch-Site`, so a
//! handler taking `WebSocketUpgrade` would otherwise open a socket for any
//! site. A handshake from an origin the policy does not allow gets `403`
//! and the handler never runs; same-origin handshakes (`Origin` naming
//! `Host`) and those from allowed origins pass. Go's
//! `CrossOriginProtection` leaves handshakes alone (its WebSocket
//! libraries check `Origin` themselves); here the handler's `origins` are
//! the allow-list for its sockets too.
//!
//! ## Behind a proxy that rewrites `Host`
//!
//! A proxy that sends the app another `Host` than the browser used
//! (nginx's default `proxy_set_header Host $proxy_host`, Vite's
//! `changeOrigin`) breaks the `Origin`/`Host` comparison, and on plain
//! `http` to a host other than loopback browsers send no `Sec-Fetch-Site`
//! to decide instead: the app's own page then gets `403` on its writes.
//! Go's `CrossOriginProtection` has the same limit, and the same remedy,
//! `AddTrustedOrigin`. Here, name the public origin(s) the app is served
//! from in the [`TRUSTED_ORIGINS_VARIABLE`] environment variable,
//! `CORS_TRUSTED_ORIGINS`, comma-separated:
//!
//! ```text
//! CORS_TRUSTED_ORIGINS=http://shop.example.com,https://shop.example.com
//! ```
//!
//! A request whose `Origin` is one of them counts as same-origin for the
//! `403` (also when `Sec-Fetch-Site` says otherwise, as in Go). It is not
//! a CORS grant: the response gets `Access-Control-*` headers only if the
//! handler's policy allows the origin. Each entry is a serialized origin
//! checked by the rules of the attribute (no pattern, no `*`); [`init`]
//! reads the variable and reports a wrong entry with the other problems,
//! and without `init` it is read on the first refusal that needs it.
//! Forwarded headers (`X-Forwarded-Host`, `Forwarded`) are never read: any
//! client can send them, and trusting them would let any page pass.
//!
//!
//! ## What the server cannot see
//!
//! Enforcement judges the request it receives: it knows the origin and the
//! method, but not which of the request's headers the page set and which the
//! browser added (`accept`, `accept-language`, `user-agent`, cache
//! validators such as `if-none-match`, ...). Request headers are therefore
//! checked at the preflight only, and kept honest across handlers by
//! `Max-Age: 0`. A same-origin page, or a client that is not a browser, is
//! not limited by any CORS policy: authenticate those requests as usual.
//!
//! # Route middleware, merged routers
//!
//! A route with its own middleware (auth, a body limit, a rate limit, a
//! timeout) takes its `preflight!` around that middleware,
//! `get(list).post(create).route_layer(auth).preflight_layer(preflight!(list, create))`
//! (with `use cors_runtime::MethodRouterExt as _;`). It answers every
//! preflight before `auth` (browsers never send credentials on one), and
//! gives the policy's headers to every response of its handlers' methods
//! that the handler did not make (a `401`, a body limit's `413`, a `429`, a
//! `408`) and to axum's `405`, so a page on an allowed origin reads the
//! status. A handler's own decision stands. It is a method of `MethodRouter`
//! only: a whole `Router` cannot take it, since there it would lend one
//! route's policy to every route.
//!
//! Routers joined with `Router::merge`, each adding methods of one path,
//! keep each method's policy when each router's `preflight!` names every
//! annotated handler of the path (`preflight!(read, crate::admin::write)`),
//! or when one router's `.options(...)` does. Every method is answered from
//! the first request, alike in every process: nothing is learned from
//! traffic. See [`preflight!`].
//!
//! # Beyond annotated handlers: a policy as a layer
//!
//! Some responses never pass through an annotated handler: a `ServeDir`, a
//! `nest_service` or `fallback_service`, a closure route, and whatever
//! middleware on the whole app answers by itself (a router-wide auth
//! `route_layer`, a `TimeoutLayer`, an error mapper built with
//! `map_response`, a 404 fallback). `layer!` builds a [`PolicyLayer`] from a
//! named policy, `layer!(APP)`, from one with keys replaced,
//! `layer!(policy = APP, methods = [GET, HEAD])`, or from keys written out,
//! `layer!(origins = [...], ...)`, checked at compile time as the attribute
//! is:
//!
//! ```
//! # use axum::extract::Request;
//! # use axum::middleware::{from_fn, map_response, Next};
//! # use axum::response::Response;
//! # use axum::Router;
//! # use tower_http::services::ServeDir;
//! cors_runtime::policy! {
//!     APP = { origins = ["https://app.example.com"], methods = [GET, POST], credentials = true };
//!     PARTNERS = { origins = ["https://partner.example.net"] };
//! }
//! # fn api_routes() -> Router { Router::new() }
//! # async fn require_session(request: Request, next: Next) -> Response { next.run(request).await }
//! # async fn to_json_errors(response: Response) -> Response { response }
//!
//! let assets = Router::new()
//!     .nest_service("/assets", ServeDir::new("assets"))
//!     .layer(cors_runtime::layer!(policy = PARTNERS, methods = [GET, HEAD]));
//!
//! let app: Router = Router::new()
//!     .merge(api_routes()) // annotated handlers, each with its own policy
//!     .merge(assets)
//!     .route_layer(from_fn(require_session))
//!     .layer(map_response(to_json_errors))
//!     .layer(cors_runtime::layer!(APP)); // outermost: the app's default
//! ```
//!
//! Around a service it answers preflights, decorates every response and
//! enforces the policy as an annotated handler does. As the app's outermost
//! layer it is the default for every request no annotated handler or
//! `preflight!` decided: router-wide auth answering before the route, an
//! error mapper's rebuilt responses, timeouts, fallbacks, and routes without
//! an annotated handler. A request an annotated handler decided keeps that
//! decision, also after a mapper rebuilt the response: the default never
//! makes readable what the handler's policy refused, and never answers a
//! preflight a route's own `preflight!` refused. The layer learns this from
//! the request itself, on the thread that runs it; when a middleware runs
//! the rest of the request on another task (`tokio::spawn`), it reads a
//! refusal from the answer (`Vary` names `Origin`, no grant) and adds no
//! grant, and replaces any grant found there with its own decision. A
//! middleware that both spawns and rebuilds the response without that
//! `Vary` hides the refusal from it. A cross-origin write the
//! default refuses gets `403` before routing (the layer cannot know which
//! route the router will pick); routes that accept writes from origins the
//! default does not list are merged after the layer, or the default says
//! `cross_origin_protection = false`.
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
//! ```no_run
//! use cors_runtime::cors;
//!
//! #[cors(origins = ["https://app.example.com", env("APP_ORIGINS")], methods = [GET])]
//! async fn items() -> &'static str { "items" }
//!
//! fn main() {
//!     // APP_ORIGINS="https://staging.example.com, https://*.preview.example.com"
//!     if let Err(error) = cors_runtime::init() {
//!         eprintln!("{error}"); // APP_ORIGINS: `https://a.example.com/`: an origin has no trailing slash; ...
//!         std::process::exit(1);
//!     }
//!     // ... build the router and serve
//! }
//! ```
//!
//! # Reviews, diagnostics, self-check
//!
//! - [`policies`], [`policy_table`] and [`policy_json`] list every policy
//!   compiled into the binary (handler path, location, named policy and
//!   replaced keys, and every key: origins, methods, headers, credentials,
//!   max-age, private network, `cross_origin_protection` and
//!   `dangerously_tolerate_insecure_origins`), for security reviews; each
//!   value says whether it was written on the handler, came from the named
//!   policy's declaration, or is the default ([`Policy::value_source`]).
//!   The example server prints it with
//!   `cargo run --example server -- --policies [--json]`.
//!   [`policy_listing`] takes the assembled `Router` and its routes (as
//!   [`check::check_router`] does) and gives the same listing with
//!   `check_router`'s warning for a method routed beside annotated
//!   handlers that no policy of the route's `preflight!` lists: `warning:`
//!   lines below the table, a `warnings` key in each JSON object.
//! - With the default `tracing` feature, every refused preflight or actual
//!   request is one `debug` event naming the handler, the origin and the
//!   reason (origin, method, or which header), with control and
//!   bidirectional characters escaped. Allowed requests log nothing.
//! - [`check::check_router`] sends real requests for each annotated route
//!   through your assembled `Router`, in a test, and names what outside this
//!   crate breaks CORS, with the fix: an auth layer answering the preflight
//!   with 401, a missing `.options(...)` (405), a global `CorsLayer`
//!   answering instead or adding a second set of headers, and a routed
//!   method that no policy of the route's `preflight!` lists.
//!
//! # What the compiler refuses
//!
//! Each of these is a compile error on the exact token, with the fix in the
//! message (rows quoting rustc's own errors say where those land); all
//! mistakes in one attribute are reported together, and the handler is still
//! emitted so the rest of your crate keeps type-checking.
//!
//! | mistake | why |
//! | --- | --- |
//! | unknown or repeated key | typos would silently fall back to defaults (the nearest key is suggested) |
//! | `origins` missing or empty | a policy that allows nobody is a bug |
//! | an origin with a path, trailing slash, query, user info, default port (`:443`), upper case, bad port or empty host | browsers never send that form, so it would never match |
//! | `"null"`, `file://` | sandboxed iframes, local files and redirects all send `null`: allowing it allows them all |
//! | `"https://*"`, `"https://a*.com"` | a wildcard only stands for whole leading labels or the port |
//! | `*.com`, `*.co.uk`, `*.github.io`, `*.trycloudflare.com`: any entry of the full Public Suffix List (ICANN and private sections, embedded from the `psl` crate) | a pattern on a public suffix allows everyone's sites |
//! | `javascript:`, `data:`, `blob:`, `about:`, `ws:`/`wss:` origins, invalid IPv6 literals (`[1.2.3.4]`), DNS labels over 63 bytes | browsers never send them |
//! | `origins = "*"` with `private_network = true` | every site could reach the private network |
//! | plain-`http` origins other than loopback with `credentials` or `private_network`, unless `dangerously_tolerate_insecure_origins = true` | anyone on the network path can impersonate them |
//! | `"*"` in `methods` or inside an `origins` list; `"*"` beside other names in `allow_headers` (except `authorization`) or `expose_headers` | `*` is not a method, and a wildcard origin is `origins = "*"`; beside names it adds nothing |
//! | `origins = "*"` with `credentials = true` | browsers reject `*` on credentialed requests |
//! | `"*"` in `allow_headers`/`expose_headers` with `credentials = true` | with credentials, browsers read `*` as a literal name |
//! | invalid method or header tokens, duplicates | they could never match, or hide a typo |
//! | `OPTIONS`, `CONNECT`, `TRACE`, `TRACK` in `methods` | the preflight itself, or forbidden by Fetch |
//! | lower-case `get` / `"patch"` | methods are case-sensitive; browsers send `PATCH` as written |
//! | forbidden request headers in `allow_headers` (`cookie`, `host`, `sec-*`, `proxy-*`, ...) | browsers set them; a page can never ask for them |
//! | `set-cookie` in `expose_headers` | never readable by a page |
//! | `max_age` negative, over 86400, or not an integer | |
//! | on something that is not an `async fn`, on a method with `self`, an `impl Trait` argument, more than 16 arguments (axum's limit) | it could not be an axum handler (for a closure: use a named `async fn`, or `layer!` around the route) |
//! | `.preflight_layer(preflight!(...))` on a whole `Router` | it would lend one route's policy to every route: the method exists on `MethodRouter` only |
//! | `preflight!(plain)` on a function without `#[cors]`; a misspelled name | one error on the name: "add `#[cors(...)]`", or rustc's "a function with a similar name exists" |
//! | a local `let` with the handler's name before `preflight!(name)` (`let users = get(users)`) | `preflight!` takes the function as `get` does; rustc's E0435 "attempt to use a non-constant value in a constant": rename the binding |
//! | an associated function in an `impl` block; a handler named like a module beside it (`mod users` + `async fn users`) | `#[cors]` puts a struct under the handler's name for `users::without_cors`; rustc refuses it there (in an `impl`: one error, two for a generic handler or a `Result<impl IntoResponse, E>` output; beside the module: E0428 then E0573, plus E0425 for those handlers) |
//! | two handlers in one `preflight!` sharing a method (the error names the method and both handlers), the same handler twice, `preflight!()` | which policy answers would depend on argument order (with generic arguments, `list::<R>`, found by `cargo build`, not `cargo check`) |
//! | a handler whose future is not `Send`, a body extractor (`Json`) before another argument, `#[cors]` twice | one error on the name, the argument, the attribute: axum could not route it |
//! | in `policy!`: a declaration's own mistakes, `policy` or `crate` inside it, a repeated or unknown key, no `origins` | reported on the declaration, once, whether or not a handler uses it |
//! | `policy = APP` where the combined policy breaks a rule (a declared `credentials = true` with the handler's `origins = "*"`) | reported on the handler's key, and on the declared one it clashes with |
//! | `policy = APPP` (no such policy), `policy = "APP"`, `policy = [..]` | one error on the path, with rustc's "a macro with a similar name exists" for a typo |
//!
//! The UI tests in `tests/ui/fail/` hold one case per mistake, with the
//! compiler's exact output checked in; [`tests/ui/README.md`](https://github.com/cors-attr/cors-attr/blob/main/tests/ui/README.md)
//! lists every one. The same origin rules (the `cors-rules` crate) check
//! `env(...)` entries at start-up.
//!
//! # Choices this crate makes
//!
//! - `methods` defaults to `[GET]`. A preflight for `HEAD` uses the policy
//!   that allows `GET`, as axum's `get` routes serve `HEAD`.
//! - Methods are compared case-sensitively, as the Fetch standard does:
//!   `patch` is not `PATCH`.
//! - A handler mounted at two places (under `/v1` and `/v2`) answers both
//!   with its one policy. Where the mounts need different policies, write
//!   one small annotated handler per mount that calls a shared function.
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
//!   body), not on closures: a closure route gets its policy from
//!   [`layer!`] around the route (`#[cors]` on a closure is an error
//!   saying so, after rustc's own "attributes on expressions are
//!   experimental"). `#[cors]` also puts a struct (and its `impl`s) under
//!   the handler's name, which the routed function names, so two places
//!   cannot take it, and each is reported by rustc:
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

pub mod browser;
pub mod check;
mod decision;
mod decorate;
mod env_origins;
mod extract;
mod listing;
mod log;
mod origin;
mod policy;
mod policy_layer;
mod preflight;
mod request_headers;
mod request_origin;
mod route_layer;
pub mod routed;
mod trusted_origins;

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
///         static POLICY: Policy = Policy::new(/* origins, methods, header names as &'static str */);
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
pub use listing::{policies, policy_json, policy_listing, policy_table, PolicyListing};
pub use policy::{Policy, ValueSource};
pub use policy_layer::{PolicyFuture, PolicyLayer, PolicyService};
pub use preflight::Preflight;
pub use request_headers::{MAX_REQUEST_HEADERS_ITEMS, MAX_REQUEST_HEADERS_LEN};
pub use route_layer::{CorsRoute, CorsRouteFuture, MethodRouterExt};
pub use trusted_origins::TRUSTED_ORIGINS_VARIABLE;

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
/// # Unannotated handlers beside annotated ones
///
/// With `.options(preflight!(..))`, a method of the route whose handler has
/// no `#[cors]` (`get(list).post(legacy).options(preflight!(list))`) is not
/// protected: its preflight is refused, but a browser reuses a cached
/// grant for `list`'s methods and headers for a `POST` to it without
/// asking again, and `legacy` runs. Annotate it, or use
/// [`MethodRouterExt::preflight_layer`], which refuses a cross-origin write
/// to such a method with `403` before anything inside runs.
/// [`check::check_router`] reports such methods, and [`policy_listing`]
/// shows the same warning below its table.
///
/// # As a route layer
///
/// The same value goes around a route's own middleware with
/// [`MethodRouterExt::preflight_layer`]. There it answers every preflight
/// before that middleware runs, and gives the policy's headers to every
/// response of a method its handlers serve that the handler did not
/// decide itself (a `401`, a body limit's `413`, a `429`, a `408`), and to
/// axum's `405`:
///
/// ```
/// use axum::{extract::Request, http::StatusCode, middleware::{from_fn, Next}, response::Response};
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight, MethodRouterExt as _};
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
///     get(list).post(create).route_layer(from_fn(require_token)).preflight_layer(preflight!(list, create)),
/// );
/// ```
///
/// A handler's own decision stands: the layer learns it from the handler
/// for that request (not from a header a middleware could change). A
/// method none of the named handlers serve (an unannotated handler beside
/// them) gets no `Access-Control-*` header, its preflight is refused, and a
/// cross-origin write to it gets `403` before anything inside runs. A plain
/// `OPTIONS` (no `Access-Control-Request-Method`) goes to the route's own
/// `options` handler, if it has one.
///
/// It is a method of `MethodRouter`, not a value for `.layer(...)`:
/// `Router::layer` takes the same kind of layer, and there it would lend
/// one handler's policy to every route of the router.
///
/// # A path split across merged routers
///
/// Routers joined with `Router::merge` may each add methods of one path
/// (axum's routes-and-handlers-close-together pattern). axum routes the
/// path's `OPTIONS` to one of them, so each router's `preflight!` names
/// every annotated handler of the path, its own and the others':
///
/// ```
/// # use axum::{routing::{get, post}, Router};
/// # use cors_runtime::{cors, preflight, MethodRouterExt as _};
/// mod admin {
/// #   use cors_runtime::cors;
///     #[cors(origins = ["https://admin.example.com"], methods = [POST])]
///     pub async fn write() -> &'static str { "written" }
/// }
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET])]
/// async fn read() -> &'static str { "read" }
///
/// fn main() {
///     let app: Router = Router::new()
///         .route("/doc", get(read).preflight_layer(preflight!(read, crate::admin::write)))
///         .merge(Router::new().route("/doc", post(admin::write).preflight_layer(preflight!(read, crate::admin::write))));
/// }
/// ```
///
/// Every method is then answered from the first request, alike in every
/// process. A preflight for a method none of the named handlers serve is
/// refused and logged (with the `tracing` feature) with that fix, and
/// [`check::check_router`] reports it.
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

/// A policy as a tower layer: CORS for what no annotated handler answers.
///
/// Some responses never pass through an annotated handler: a `ServeDir`
/// or `nest_service`, a `fallback_service`, a closure route, and whatever
/// router-wide middleware answers on its own (an auth `route_layer` on the
/// whole router, a timeout, an error mapper that rebuilds responses, a
/// 404 fallback). `layer!` builds a [`PolicyLayer`] from a named policy,
/// or from keys written out as in [`cors`](macro@cors):
///
/// ```
/// use cors_runtime::PolicyLayer;
///
/// cors_runtime::policy! {
///     /// The browser app.
///     pub APP = {
///         origins = ["https://app.example.com"],
///         allow_headers = ["content-type"],
///         credentials = true,
///     };
///
///     /// Partner sites reading assets.
///     pub PARTNERS = { origins = ["https://partner.example.org"] };
/// }
///
/// // A named policy, as it is declared.
/// let app: PolicyLayer = cors_runtime::layer!(APP);
///
/// // A named policy, with keys replacing its values, as on a handler.
/// let assets: PolicyLayer = cors_runtime::layer!(policy = PARTNERS, methods = [GET, HEAD]);
///
/// // The keys written out.
/// let status: PolicyLayer = cors_runtime::layer!(origins = "*", methods = [GET], max_age = 86400);
///
/// assert_eq!(app.policy().handler(), "rust_out::layer!(APP)");
/// assert_eq!(assets.policy().method_list(), ["GET", "HEAD"]);
/// assert!(status.policy().is_layer());
/// ```
///
/// It goes around a service, or outermost around a whole app, as the
/// default for every request no annotated handler or `preflight!`
/// decided: see [the crate docs](crate#beyond-annotated-handlers-a-policy-as-a-layer)
/// for both placements and what the default decides.
///
/// The keys are checked at compile time by the attribute's own rules, with
/// the same errors: a wildcard origin with credentials, an unknown key, a
/// public-suffix pattern, ... `layer!(APP)` is `layer!(policy = APP)`, and
/// `layer!(APP, methods = [GET])` is `layer!(policy = APP, methods = [GET])`;
/// `crate = "..."` names the runtime when it is re-exported.
///
/// ```compile_fail
/// let _ = cors_runtime::layer!(origins = "*", credentials = true);
/// ```
///
/// Each `layer!` is listed by [`policies`], [`policy_table`] and
/// [`policy_json`], under the module it is written in followed by the
/// call (`my_app::routes::layer!(APP)`, or `layer!(...)` for keys written
/// out), with its `file:line`.
#[macro_export]
macro_rules! layer {
    () => {
        ::core::compile_error!(
            "`layer!` needs a policy, such as `layer!(APP)` or `layer!(origins = [\"https://app.example.com\"])`"
        )
    };
    ($($keys:tt)+) => {
        $crate::__private::layer_with!($crate; $($keys)+)
    };
}

/// What the generated code uses. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::listing::POLICIES;
    pub use crate::origin::{
        AllowedOrigins, EnvOrigins, HostPattern, OriginHeader, OriginPattern, PortPattern,
    };
    pub use crate::policy::{AllowedHeaders, Policy, PolicyKind, Switches};
    pub use crate::policy_layer::policy_layer;
    pub use crate::preflight::{serve_same, share_a_method, HandlerInfo};
    pub use crate::request_headers::RequestHeaderList;
    pub use crate::request_origin::RequestOrigin;
    pub use axum::response::Response;
    pub use cors_macros::{layer_with, named_policy, preflight_with};
    pub use http::HeaderValue;
    pub use linkme;
}

/// Compiles the example of the crate's README.md as a doc test.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
