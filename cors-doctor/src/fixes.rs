//! The change to make, in the user's stack: this crate (`#[cors]`,
//! `policy!`, `preflight!`), tower-http's `CorsLayer`, nginx, a CDN.

use cors_runtime::browser::{BrowserRequest, CorsError};

use crate::report::Layer;

/// What the fixes are about, beyond the layer and the error.
#[derive(Debug, Clone, Default)]
pub struct FixContext {
    /// The app's own Vary lacks `Origin` (vs a cache that ignores it).
    pub app_sends_no_vary: bool,
    /// The redirect's target, for a redirected preflight.
    pub redirect_target: Option<String>,
    /// The request header an intermediary split off.
    pub split_header: Option<String>,
    /// A proxy added the CORS headers the app did not send.
    pub proxy_adds_cors: bool,
}

/// The fixes for `layer` and `error`.
pub fn fixes(
    layer: Layer,
    error: Option<&CorsError>,
    request: &BrowserRequest,
    context: &FixContext,
) -> Vec<String> {
    let origin = &request.origin;
    let method = &request.method;
    let include = request.credentials.is_include();
    use CorsError::*;
    match layer {
        Layer::None | Layer::Network => Vec::new(),
        Layer::Browser => vec![
            "no response header fixes this: the browser decides (e.g. Local Network Access needs the user's permission and a secure page)".to_owned(),
        ],
        Layer::Redirect => {
            let target = context.redirect_target.as_deref().unwrap_or("the final URL");
            vec![
                format!("call {target} from the page: browsers never follow a redirect on a preflight"),
                "or answer OPTIONS before the redirect rule (nginx: `if ($request_method = OPTIONS) { return 204; }` above the `return 301`; an auth layer: let OPTIONS through instead of redirecting to the login page)".to_owned(),
            ]
        }
        Layer::Auth => vec![
            "cors-runtime: put the preflight outside the auth layer, `get(h).route_layer(auth).preflight_layer(preflight!(h))`, so it answers before auth (browsers never send credentials on a preflight)".to_owned(),
            "tower-http: add `CorsLayer` as the outermost `.layer(...)`, after (outside) the auth layer".to_owned(),
            "any stack: let `OPTIONS` with `Access-Control-Request-Method` through the auth check, and put CORS headers on the 401/403 too so the page can read it".to_owned(),
        ],
        Layer::Router if error.is_some_and(|error| !error.is_preflight()) => vec![
            format!("the app answered {method} with 404/405: check the URL and that a handler serves {method} there; then give that handler CORS (`#[cors(...)]`, or tower-http's `CorsLayer` outside the router)"),
        ],
        Layer::Router => {
            let mut fixes = vec![
                "cors-runtime: route the preflight, `.route(path, get(h).options(preflight!(h)))`, or `.preflight_layer(preflight!(h))` on the route".to_owned(),
                "tower-http: put `CorsLayer` on the router (`.layer(CorsLayer::new()...)`): it answers OPTIONS itself; a `route_layer` would never see the 405".to_owned(),
            ];
            if context.proxy_adds_cors {
                fixes.push("nginx: the proxy adds the CORS headers, so answer the preflight there too: `if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin $http_origin always; ... return 204; }`, or stop adding headers at the proxy and let the app answer".to_owned());
            }
            fixes
        }
        Layer::Middleware => vec![
            "cors-runtime: `.preflight_layer(preflight!(h))` outside the route's middleware decorates its 401/413/429/408 with the policy's headers; for middleware on the whole app, `.layer(cors_runtime::layer!(APP))` outermost".to_owned(),
            "tower-http: put `CorsLayer` outside (after, in `.layer` order) the body limit, rate limit and timeout layers so their rejections carry CORS headers".to_owned(),
            "nginx: `add_header Access-Control-Allow-Origin $http_origin always;` (without `always`, nginx drops it on 4xx/5xx); check `client_max_body_size` for a 413".to_owned(),
            "the real status is in the network line: fix that error (a too-large body, too many requests) as well".to_owned(),
        ],
        Layer::Proxy => {
            let mut fixes = Vec::new();
            match error {
                Some(MultipleAllowOriginValues { .. }) => {
                    fixes.push("let exactly one layer send Access-Control-Allow-Origin: remove the proxy's `add_header Access-Control-*` lines, or `proxy_hide_header Access-Control-Allow-Origin;` (and the other `Access-Control-*`) to drop the app's".to_owned());
                    fixes.push("cors-runtime / tower-http: or drop the app's CORS and keep the proxy's (not both)".to_owned());
                }
                Some(HeaderDisallowedByPreflightResponse { header }) if context.split_header.is_some() => {
                    fixes.push(format!("the intermediary splits Access-Control-Request-Headers into several field lines and the app reads one: configure it to forward the header as sent, or make the app read every line (`{header}` was refused only when asked with others)"));
                    fixes.push("cors-runtime reads every Access-Control-Request-Headers line; tower-http's CorsLayer with `allow_headers([...])` lists names without reading the request".to_owned());
                }
                _ => {
                    fixes.push("the app's answer is right (see the direct request): make the proxy pass Access-Control-* headers through unchanged (no `proxy_hide_header Access-Control-*`, no `add_header` that replaces them)".to_owned());
                    fixes.push("nginx: answer OPTIONS at the proxy only if the app never sees it; otherwise `proxy_pass` it".to_owned());
                }
            }
            fixes
        }
        Layer::Cache => {
            let mut fixes = Vec::new();
            if context.app_sends_no_vary {
                fixes.push("the app sends no `Vary: Origin`: add it to every response whose Access-Control-Allow-Origin depends on the origin (cors-runtime always does; tower-http's `CorsLayer` adds it with a list or predicate of origins)".to_owned());
            } else {
                fixes.push("a cache ignores `Vary`: add `Origin` to the cache key (CDN: cache key / cache policy \"include header Origin\"; nginx: `proxy_cache_key \"$scheme$host$request_uri$http_origin\";`)".to_owned());
            }
            fixes.push("or bypass the cache for OPTIONS and for CORS responses (CDN rule: method OPTIONS -> bypass; nginx: `proxy_cache_methods GET HEAD;` and `proxy_no_cache $http_origin;`)".to_owned());
            fixes
        }
        Layer::Waf => vec![
            format!("the firewall answered with a challenge page the browser cannot solve in a fetch: exempt {method} and OPTIONS from {origin} on this path (a WAF skip rule), or challenge the page load, not the API call"),
        ],
        Layer::App => app_fixes(error, request, include),
    }
}

fn app_fixes(error: Option<&CorsError>, request: &BrowserRequest, include: bool) -> Vec<String> {
    use CorsError::*;
    let origin = &request.origin;
    let method = &request.method;
    let both = |ours: String, tower: String| {
        vec![
            format!("cors-runtime: {ours}"),
            format!("tower-http: {tower}"),
        ]
    };
    match error {
        Some(MissingAllowOriginHeader { .. } | AllowOriginMismatch { .. } | InvalidAllowOriginValue { .. }) => both(
            format!("add \"{origin}\" to `origins` in the handler's `#[cors(...)]` or its `policy!` (patterns such as \"https://*.example.com\" match subdomains)"),
            format!("`CorsLayer::new().allow_origin(HeaderValue::from_static(\"{origin}\"))` (or `AllowOrigin::list([...])`), echoing the exact origin with no path or trailing slash"),
        ),
        Some(MultipleAllowOriginValues { .. }) => vec![
            "send exactly one Access-Control-Allow-Origin: two layers add it (e.g. a `CorsLayer` and `#[cors]`, or middleware and the handler); keep one".to_owned(),
        ],
        Some(WildcardOriginNotAllowed { .. }) => both(
            format!("`origins = [\"{origin}\"]` with `credentials = true` (`origins = \"*\"` with credentials does not compile)"),
            format!("`.allow_origin(HeaderValue::from_static(\"{origin}\")).allow_credentials(true)` instead of `Any`, or have the page drop `credentials: 'include'`"),
        ),
        Some(InvalidAllowCredentials { value, .. }) => both(
            "`credentials = true` in `#[cors(...)]` sends exactly `true`, on the preflight too".to_owned(),
            format!("`.allow_credentials(true)`; the header must be exactly lower-case `true` (got '{value}'), on the preflight as well"),
        ),
        Some(InvalidAllowMethodsPreflightResponse { value }) => both(
            format!("`methods = [GET, {method}]` generates a valid list (got '{value}': methods are comma-separated tokens, no `;` or quotes)"),
            format!("`.allow_methods([Method::GET, Method::{method}])` instead of a hand-written header"),
        ),
        Some(InvalidAllowHeadersPreflightResponse { value }) => both(
            format!("list header names in `allow_headers = [...]` (got '{value}': names are comma-separated tokens)"),
            "`.allow_headers([header::CONTENT_TYPE, ...])` instead of a hand-written header".to_owned(),
        ),
        Some(MethodDisallowedByPreflightResponse { method }) => both(
            format!("add `{method}` to `methods = [...]` of the handler that serves it{}", if include { " (`*` is literal with credentials)" } else { "" }),
            format!("`.allow_methods([..., Method::from_bytes(b\"{method}\")?])`; methods are case-sensitive (`patch` is not `PATCH`)"),
        ),
        Some(HeaderDisallowedByPreflightResponse { header }) => both(
            format!("add \"{header}\" to `allow_headers = [...]`{}", if header == "authorization" { " (`\"*\"` never covers `authorization`)" } else { "" }),
            format!("`.allow_headers([..., HeaderName::from_static(\"{header}\")])`{}", if include { " (`Any` is literal `*` with credentials)" } else { "" }),
        ),
        Some(PreflightInvalidStatus { status }) => vec![format!(
            "answer the preflight with 204 or 200: the CORS headers were right but the status was {status}; find the layer that chose it"
        )],
        Some(PreflightDisallowedRedirect { .. } | RedirectContainsCredentials { .. }) => {
            vec!["do not redirect cross-origin API calls; call the final URL".to_owned()]
        }
        None => Vec::new(),
    }
}
