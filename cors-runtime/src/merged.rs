//! Preflights on a path split across merged routers.
//!
//! axum's routes-and-handlers-close-together pattern builds one path from
//! several routers, each adding one method with its own handler and its own
//! `.layer(preflight!(handler))`. `Router::merge` keeps one method router
//! per path, whose fallback (where `OPTIONS` goes) is the last router's:
//! only that layer sees preflights, also for the methods the other layers
//! serve. No layer learns its path before it serves a request, so every
//! `preflight!` layer is listed here, and each one notes the path it serves
//! (axum's `MatchedPath`) on every request it sees.
//!
//! A layer asked about a method it does not serve answers with the policy
//! of the layer that served that method on this path. Until that layer
//! has served a request there, nothing tells it apart from a layer of
//! another route, so the preflight is refused: lending another route's
//! policy could let the browser send a request this path's own handler
//! (perhaps one without any policy) never agreed to. Once the layers of a
//! path know each other, and their policies grant differently, every
//! granted answer on that path carries `Access-Control-Max-Age: 0`, as
//! for one `preflight!` with several policies.
//!
//! Before then, a grant of the layer axum kept may be cached with its own
//! `Max-Age`, and reused by the browser for a sibling's `GET`, `HEAD` or
//! `POST` with the granted request headers, which that sibling's policy
//! might refuse (origins and methods the sibling's handler refuses itself).
//! A request through each layer at start-up closes that window.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::response::Response;
use http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, VARY,
};
use http::StatusCode;

use crate::decorate::TRUE;
use crate::origin::{Allowed, OriginHeader, ANY_ORIGIN};
use crate::policy::Policy;
use crate::preflight::{
    ALLOW_PRIVATE_NETWORK, PREFLIGHT_VARY, PREFLIGHT_VARY_PRIVATE_NETWORK, REQUEST_PRIVATE_NETWORK,
};
use crate::request_headers::RequestHeaderList;

/// The path one `preflight!` layer serves, as learned from its requests.
#[derive(Debug, Default)]
pub(crate) struct ServedPath {
    /// Kept as axum's value, whose text the router shares with every
    /// request on the path: while this holds it, a request's path at the
    /// same address is the same path.
    first: OnceLock<MatchedPath>,
    /// Set when the layer serves several paths (a layer on a whole
    /// router): then it is nobody's sibling.
    several: OnceLock<()>,
    /// Set when a sibling on the same path grants differently: then no
    /// grant on the path may be cached.
    mixed: AtomicBool,
}

impl ServedPath {
    /// Notes `path`; says whether it was learned just now.
    fn note(&self, path: &MatchedPath) -> bool {
        let mut learned = false;
        let first = self.first.get_or_init(|| {
            learned = true;
            path.clone()
        });
        if !same(first.as_str(), path.as_str()) {
            let _ = self.several.set(());
        }
        learned
    }

    /// Whether noting `path` would change nothing: it is the path already
    /// noted, or the layer is known to serve several.
    #[inline]
    pub(crate) fn knows(&self, path: &str) -> bool {
        self.several.get().is_some()
            || self
                .first
                .get()
                .is_some_and(|first| same(first.as_str(), path))
    }

    fn is(&self, path: &str) -> bool {
        self.several.get().is_none()
            && self
                .first
                .get()
                .is_some_and(|first| same(first.as_str(), path))
    }

    /// Whether a sibling on this path grants differently.
    pub(crate) fn is_mixed(&self) -> bool {
        self.mixed.load(Ordering::Relaxed)
    }
}

/// One `preflight!` value, as the registry sees it.
pub(crate) trait Layered: Send + Sync {
    fn policies(&self) -> &[&'static Policy];
    fn served_path(&self) -> &ServedPath;
}

static LAYERS: Mutex<Vec<Weak<dyn Layered>>> = Mutex::new(Vec::new());

/// Lists a `preflight!` value; its entry goes with it.
pub(crate) fn register(layer: &Arc<dyn Layered>) {
    let mut layers = LAYERS.lock().unwrap_or_else(PoisonError::into_inner);
    layers.retain(|layer| layer.strong_count() > 0);
    layers.push(Arc::downgrade(layer));
}

/// Notes the path `own` serves; the first time, finds the layers that
/// already serve the same path and, when any two of their policies grant
/// differently, marks them all mixed.
pub(crate) fn note_path(own: &dyn Layered, path: &MatchedPath) {
    if !own.served_path().note(path) {
        return;
    }
    let path = path.as_str();
    let siblings = siblings(own, path);
    let policies: Vec<&'static Policy> = siblings
        .iter()
        .flat_map(|layer| layer.policies().iter().copied())
        .chain(own.policies().iter().copied())
        .collect();
    if siblings.is_empty()
        || policies
            .iter()
            .all(|policy| policy.grants_like(policies[0]))
    {
        return;
    }
    for layer in &siblings {
        layer.served_path().mixed.store(true, Ordering::Relaxed);
    }
    own.served_path().mixed.store(true, Ordering::Relaxed);
}

/// Whether two paths are the same; the same text (the router's, which
/// [`ServedPath`] holds) needs no comparing.
#[inline]
fn same(noted: &str, path: &str) -> bool {
    std::ptr::eq(noted, path) || noted == path
}

/// The other live layers known to serve `path`.
fn siblings(own: &dyn Layered, path: &str) -> Vec<Arc<dyn Layered>> {
    LAYERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter_map(Weak::upgrade)
        .filter(|layer| !std::ptr::addr_eq(Arc::as_ptr(layer), own) && layer.served_path().is(path))
        .collect()
}

/// The answer to a preflight for `method` on `path`, which `own` does not
/// serve, from the other layers known to serve that path; `None` when none
/// serves it or they refuse.
pub(crate) fn answer(
    own: &dyn Layered,
    path: &str,
    method: &[u8],
    request: &HeaderMap,
) -> Option<Response> {
    let candidates: Vec<&'static Policy> = siblings(own, path)
        .iter()
        .flat_map(|layer| layer.policies().iter().copied())
        .filter(|policy| policy.serves(method))
        .collect();
    grant_common(&candidates, method, request)
}

/// A granted answer when every policy grants the request, with what they
/// all grant.
fn grant_common(
    policies: &[&'static Policy],
    method: &[u8],
    request: &HeaderMap,
) -> Option<Response> {
    if policies.is_empty() {
        return None;
    }
    let origin = OriginHeader::from_headers(request);
    let mut echo = false;
    for policy in policies {
        match policy.origins.verdict(origin)? {
            Allowed::Echo => echo = true,
            Allowed::Any => {}
        }
    }
    let requested = RequestHeaderList::new(request)
        .check(|name| {
            policies
                .iter()
                .all(|policy| policy.allow_headers.allows(name))
        })
        .ok()?;
    let credentials = policies.iter().all(|policy| policy.credentials);
    let private_network = policies.iter().all(|policy| policy.private_network)
        && request
            .get(REQUEST_PRIVATE_NETWORK)
            .is_some_and(|value| value == "true");

    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    let vary = if policies.iter().any(|policy| policy.private_network) {
        PREFLIGHT_VARY_PRIVATE_NETWORK
    } else {
        PREFLIGHT_VARY
    };
    headers.insert(VARY, vary);
    let allow_origin = match origin {
        OriginHeader::One(value) if echo || credentials => value.clone(),
        _ => ANY_ORIGIN,
    };
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
    if credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_bytes(method).ok()?,
    );
    if requested {
        for value in request.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
            headers.append(ACCESS_CONTROL_ALLOW_HEADERS, value.clone());
        }
    }
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("0"));
    if private_network {
        headers.insert(ALLOW_PRIVATE_NETWORK, TRUE);
    }
    Some(response)
}
