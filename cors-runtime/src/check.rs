//! A self-check for an assembled `Router`: does each annotated route's
//! preflight reach `preflight!`, and does nothing else answer it?
//!
//! Middleware outside this crate is the usual reason a correct policy still
//! fails in the browser: an auth layer that answers the preflight with 401
//! (browsers never send credentials on one), a missing `.options(...)` or a
//! `route_layer` that makes axum answer 405, a global `CorsLayer` that adds
//! its own headers. [`check_router`] sends one real preflight per route
//! through the router, built and judged by the browser model
//! ([`crate::browser`]) as Chromium would, and names each of those.
//!
//! It also sends one actual `GET` per route that serves `GET` (without
//! credentials, so an auth layer answers as it does to a page that lost
//! its session) and one to a path nothing routes: an error that reaches
//! the page without CORS headers (a `401` or `403` of auth, a timeout's
//! `408`, a body limit's `413`, a response an error mapper rebuilt, the
//! fallback's `404`) shows as a CORS failure instead of its status.

use std::fmt;

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use http::header::ALLOW;
use http::StatusCode;
use tower::ServiceExt;

use crate::browser::{self, BrowserRequest, Credentials, Leniency, Transport};

use crate::origin::AllowedOrigins;
use crate::policy::{AllowedHeaders, Policy};
use crate::preflight::Preflight;

/// One route to check: its path (with any `{param}` filled in) and the
/// `preflight!` handler routed there.
pub struct RouteProbe {
    pub(crate) path: String,
    pub(crate) policies: Vec<&'static Policy>,
}

/// A route to check. Pass the same `preflight!(...)` as the route's
/// `.options(...)`.
pub fn route<const N: usize>(path: &str, preflight: &Preflight<N>) -> RouteProbe {
    RouteProbe {
        path: path.to_owned(),
        policies: preflight.policies().to_vec(),
    }
}

/// What [`check_router`] found; empty when every preflight was answered by
/// `preflight!` alone and every error answer carries CORS headers.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per problem.
    pub findings: Vec<Finding>,
    /// What may be intended but deserves a look, such as one handler's
    /// policy on several paths; not counted by [`Report::is_ok`].
    pub notes: Vec<String>,
}

/// One problem on one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The route's path.
    pub path: String,
    /// The method the request had (the preflight asked for).
    pub method: String,
    /// Whether the request was a preflight; else an actual request.
    pub preflight: bool,
    /// What went wrong, as seen on the wire.
    pub cause: String,
    /// How to fix it.
    pub fix: String,
    /// Chromium's `Network.CorsError` for the answer, as the browser model
    /// ([`crate::browser`]) judges it; `None` when a browser accepts it.
    pub reason: Option<String>,
}

impl Report {
    /// Whether nothing was found.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.findings.is_empty() {
            return f.write_str("every preflight reached `preflight!`");
        }
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Finding {
    /// Two lines: the path, the method and the cause; then the fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}{}): {}\n    fix: {}",
            self.path,
            if self.preflight { "preflight for " } else { "" },
            self.method,
            self.cause,
            self.fix
        )
    }
}

/// Sends, through `router`, one allowed preflight for each method of each
/// route's policies, one actual `GET` per route that serves it and one to
/// a path nothing routes, and reports everything outside this crate that
/// changed the answer or left an error unreadable. Use it in a test of
/// your assembled application:
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_runtime::{check, cors, preflight};
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET])]
/// async fn items() -> &'static str { "items" }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let app = Router::new()
///     .route("/items", get(items).options(preflight!(items)))
///     // The app's default, for the fallback's 404 and other responses no
///     // annotated handler decided.
///     .layer(cors_runtime::layer!(origins = ["https://app.example.com"]));
/// let report = check::check_router(&app, [check::route("/items", &preflight!(items))]).await;
/// assert!(report.is_ok(), "{report}");
/// # });
/// ```
pub async fn check_router(router: &Router, routes: impl IntoIterator<Item = RouteProbe>) -> Report {
    let mut report = Report::default();
    let mut mounted: Vec<(&'static Policy, String)> = Vec::new();
    let mut any_origin = None;
    for probe in routes {
        report
            .findings
            .extend(unlisted_methods(router, &probe.path, &probe.policies).await);
        for policy in &probe.policies {
            for method in policy.methods {
                if let Some(finding) = check_one(router, &probe.path, policy, method).await {
                    report.findings.push(finding);
                }
            }
            if let Some((_, first)) = mounted
                .iter()
                .find(|(seen, _)| std::ptr::eq(*seen, *policy))
            {
                report.notes.push(format!(
                    "`{}` serves {first} and {} with one policy: if their front ends differ, give each mount a small annotated handler of its own that calls a shared function",
                    policy.name, probe.path
                ));
            } else {
                mounted.push((policy, probe.path.clone()));
            }
            any_origin.get_or_insert_with(|| sample_origin(&policy.origins));
        }
        if let Some(policy) = probe.policies.iter().find(|policy| policy.serves(b"GET")) {
            let origin = sample_origin(&policy.origins);
            let request = BrowserRequest::new(probe.path.as_str(), origin);
            report
                .findings
                .extend(check_actual(router, &request, "GET").await);
        }
    }
    if let Some(origin) = any_origin {
        let request = BrowserRequest::new(NO_SUCH_PATH, origin);
        report
            .findings
            .extend(check_actual(router, &request, "GET (a path nothing routes)").await);
    }
    report
}

/// A path no app routes, for the fallback's answer.
const NO_SUCH_PATH: &str = "/cors-self-check/no-such-path";

/// An actual request as a page sends it: an error answer the page cannot
/// read is a finding, with the layer to change.
async fn check_actual(router: &Router, request: &BrowserRequest, what: &str) -> Option<Finding> {
    let response = browser::RouterTransport::new(router)
        .send(browser::actual_request(request).to_http()?)
        .await
        .ok()?;
    let status = StatusCode::from_u16(response.status).ok()?;
    if status.is_success() || status.is_redirection() {
        return None;
    }
    let error = browser::check_access(request, &response, false).err()?;
    let rebuilt = response.header("vary").is_none();
    let (cause, fix) = match status {
        StatusCode::NOT_FOUND if request.url == NO_SUCH_PATH => (
            "the fallback's 404 has no CORS headers: a page asking for a missing resource sees a CORS error".to_owned(),
            "put the app's default outermost, `.layer(cors_runtime::layer!(APP))`: it covers fallbacks and every response no annotated handler decided",
        ),
        _ if rebuilt => (
            format!("answered {status} without CORS headers or `Vary`: a layer outside the handler answered, or rebuilt the response (an error mapper), so the page sees a CORS error instead of {status}"),
            "for middleware on the whole app (a router-wide `route_layer`, `map_response`, a timeout), add `.layer(cors_runtime::layer!(APP))` outermost; for a route's own middleware, put `.preflight_layer(preflight!(...))` outside it",
        ),
        _ => (
            format!("answered {status} without a CORS grant: the page sees a CORS error instead of {status}"),
            "put `.preflight_layer(preflight!(...))` outside the route's middleware, or `.layer(cors_runtime::layer!(APP))` outermost for middleware on the whole app",
        ),
    };
    Some(Finding {
        path: request.url.clone(),
        method: what.to_owned(),
        preflight: false,
        cause,
        fix: fix.to_owned(),
        reason: Some(error.name().to_owned()),
    })
}

async fn check_one(router: &Router, path: &str, policy: &Policy, method: &str) -> Option<Finding> {
    let mut request = BrowserRequest::new(path, sample_origin(&policy.origins))
        .method(method)
        .credentials(if policy.credentials {
            Credentials::Include
        } else {
            Credentials::Omit
        });
    for name in sample_headers(&policy.allow_headers) {
        request = request.header(name, "1");
    }
    // The preflight exactly as Chromium sends it, even for a method and
    // headers a browser would not preflight: the self-check asks every
    // method of the policy.
    let preflight = browser::preflight_request(&request);
    let response = browser::RouterTransport::new(router)
        .send(preflight.to_http()?)
        .await
        .ok()?;
    let verdict = browser::check_preflight(&request, &response, Leniency::CHROMIUM);
    let reason = verdict.as_ref().err().map(|error| error.name().to_owned());
    let finding = |cause: String, fix: &str| Finding {
        path: path.to_owned(),
        method: method.to_owned(),
        preflight: true,
        cause,
        fix: fix.to_owned(),
        reason: reason.clone(),
    };
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let duplicated = [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
    ]
    .iter()
    .any(|name| response.all(name).len() > 1);
    let refused = |error: &browser::CorsError| {
        format!("the browser refuses the answer ({error}): another layer changed what `preflight!` sends")
    };
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Some(finding(
            format!("answered {status}: an authentication or authorization layer runs before the preflight"),
            "add the preflight as the route's outer layer, which answers before auth (browsers never send credentials on a preflight): `get(handler).route_layer(auth).preflight_layer(preflight!(handler))`; or let OPTIONS through in the middleware",
        )),
        StatusCode::METHOD_NOT_ALLOWED => Some(finding(
            format!("answered {status}: nothing handles OPTIONS on this route"),
            "add `.options(preflight!(handler))` to the route; a `route_layer` that rejects OPTIONS has the same effect",
        )),
        StatusCode::NOT_FOUND => Some(finding(format!("answered {status}: the path is not routed"), "check the path given to the self-check and to `Router::route`")),
        _ if duplicated => Some(finding(
            "Access-Control-Allow-* headers appear more than once: another CORS layer also answers".to_owned(),
            "remove the global `CorsLayer` (tower_http::cors) or keep it off these routes; browsers refuse repeated Access-Control-Allow-Origin",
        )),
        StatusCode::NO_CONTENT => match &verdict {
            Ok(_) => None,
            Err(error) => Some(finding(refused(error), "find the layer between `preflight!` and the client that rewrites its headers")),
        },
        _ if !status.is_success() => Some(finding(format!("answered {status}"), "find the layer that answers OPTIONS before `preflight!`")),
        _ => Some(finding(
            format!("answered {status} {}: another layer answered instead of `preflight!`", if response.header("access-control-allow-origin").is_some() { "with its own CORS headers" } else { "without Access-Control-Allow-Origin" }),
            "remove the layer that answers OPTIONS itself (often a global `CorsLayer`) from these routes",
        )),
    }
}

/// A method the route serves that no policy given to its `preflight!`
/// lists: its preflight is refused, and its cross-origin requests get no
/// grant (and `403` when state-changing). axum's `405` for a method the
/// route does not serve lists in `Allow` the methods it does. The policy
/// listing ([`crate::policy_listing`]) shows these findings as warnings.
pub(crate) async fn unlisted_methods(
    router: &Router,
    path: &str,
    policies: &[&'static Policy],
) -> Vec<Finding> {
    let Ok(probe) = Request::builder()
        .method("CORS-SELF-CHECK")
        .uri(path)
        .body(Body::empty())
    else {
        return Vec::new();
    };
    let Ok(response) = router.clone().oneshot(probe).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return Vec::new();
    }
    let Some(allow) = response
        .headers()
        .get(ALLOW)
        .and_then(|allow| allow.to_str().ok())
    else {
        return Vec::new();
    };
    let listed: Vec<&str> = policies
        .iter()
        .flat_map(|policy| policy.methods)
        .copied()
        .collect();
    allow
        .split(',')
        .map(str::trim)
        .filter(|method| !matches!(*method, "" | "OPTIONS"))
        // axum's `get` serves `HEAD` too.
        .filter(|method| !(*method == "HEAD" && listed.contains(&"GET")))
        .filter(|method| !listed.contains(method))
        .map(|method| {
            let mut cause = format!(
                "{method} is routed, but no handler given to `preflight!` lists it: its preflight is refused, and cross-origin {method} requests get no CORS headers"
            );
            let mut fix = format!(
                "add {method} to the `methods` of the handler routed for it, or add that handler to `preflight!(...)`"
            );
            // A browser sends a `POST` without asking when no preflight is
            // needed or when a cached grant of the path covers it (a JSON
            // `POST` after a granted `PUT`). An annotated handler refuses it
            // itself; for an unannotated one only the layer placement does
            // (issue 20, finding 3). Whether the routed handler is
            // annotated cannot be told without running it.
            if method == "POST" {
                cause.push_str(
                    "; if its handler has no `#[cors]`, it is unprotected under `.options(preflight!(..))`: a browser sends a cross-origin POST that needs no preflight, or that a cached grant for the path's other methods covers, and the handler runs",
                );
                fix.push_str(
                    "; or route the preflight as `.preflight_layer(preflight!(...))`, which answers a cross-origin POST to it with 403",
                );
            }
            Finding {
                reason: None,
                preflight: true,
                path: path.to_owned(),
                method: method.to_owned(),
                cause,
                fix,
            }
        })
        .collect()
}

/// An origin the policy allows.
fn sample_origin(origins: &AllowedOrigins) -> String {
    match origins {
        AllowedOrigins::Any => "https://self-check.example".to_owned(),
        AllowedOrigins::List {
            exact,
            patterns,
            env,
        } => {
            if let Some(first) = exact.first() {
                return (*first).to_owned();
            }
            patterns.first().map_or_else(
                || env.sample().unwrap_or_default(),
                |pattern| pattern.render("self-check", ":8080"),
            )
        }
    }
}

/// Request headers the policy allows.
fn sample_headers(headers: &AllowedHeaders) -> Vec<&'static str> {
    match headers {
        AllowedHeaders::None => Vec::new(),
        AllowedHeaders::List { names } => names.to_vec(),
        AllowedHeaders::Any { .. } => vec!["x-self-check"],
    }
}
