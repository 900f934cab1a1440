//! Answering `OPTIONS` for a path whose methods are served by annotated
//! handlers.
//!
//! A refused preflight still gets `204`: browsers report a non-ok status as
//! "does not have HTTP ok status", which hides the cause. Instead each
//! refusal leaves out exactly the header whose absence makes the browser
//! name the real reason:
//!
//! | refused by | answer | what Chromium says |
//! | --- | --- | --- |
//! | origin | no `Access-Control-Allow-Origin` | "No 'Access-Control-Allow-Origin' header is present" |
//! | method | origin allowed, `-Allow-Methods` without it | "Method PUT is not allowed by Access-Control-Allow-Methods" |
//! | header | origin and method allowed, `-Allow-Headers` without it | "Request header field x is not allowed by Access-Control-Allow-Headers" |
//!
//! A refused method that is CORS-safelisted (`GET`, `HEAD`, `POST`) passes
//! the browser's method check whatever `-Allow-Methods` says, so for those
//! the answer carries no `Access-Control-Allow-Origin` at all.

use std::future::{ready, Ready};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::handler::Handler;
use axum::response::Response;
use http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ALLOW, CONTENT_LENGTH, VARY,
};
use http::{HeaderName, StatusCode};

use crate::decision;
use crate::decorate::TRUE;
use crate::log::refused;
#[cfg(feature = "tracing")]
use crate::log::Lossy;
use crate::origin::OriginHeader;
use crate::policy::{joined, AllowedHeaders, Policy};
use crate::request_headers::RequestHeaderList;

pub(crate) const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
pub(crate) const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");
pub(crate) const PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
pub(crate) const PREFLIGHT_VARY_PRIVATE_NETWORK: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
);

/// The `OPTIONS` handler built by [`preflight!`](crate::preflight).
///
/// axum clones a handler for every request, so everything lives behind one
/// [`Arc`].
#[derive(Clone, Debug)]
pub struct Preflight<const N: usize> {
    shared: Arc<Shared<N>>,
}

#[derive(Debug)]
struct Shared<const N: usize> {
    policies: [&'static Policy; N],
    allow: HeaderValue,
    vary: HeaderValue,
    /// For each policy, the headers of a granted preflight, by whether it
    /// carries `-Allow-Headers` and then `-Allow-Private-Network`. Cloning
    /// a finished map costs a fraction of inserting its headers one by one,
    /// which hashes each name.
    granted: [[[HeaderMap; 2]; 2]; N],
    /// The same maps with one more entry, `Allow`, removed from each clone:
    /// the room it leaves takes the `Allow` axum inserts into an answer
    /// routed through a method router's fallback, as the layer's are,
    /// which would otherwise reallocate the clone.
    granted_with_room: [[[HeaderMap; 2]; 2]; N],
}

/// The headers of a granted preflight, with an empty
/// `Access-Control-Allow-Origin` to be replaced (empty, so that forgetting
/// to would refuse).
fn granted_headers(
    policy: &Policy,
    vary: &HeaderValue,
    cacheable: bool,
    allow_headers: bool,
    private_network: bool,
) -> HeaderMap {
    // Room for all eight and more: `HeaderMap::insert` grows a full map
    // before it looks for the name, even to replace a value.
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(VARY, vary.clone());
    let allow_methods = joined(policy.methods)
        .expect("the macro accepts only method tokens, which are valid header values");
    grant_origin(&mut headers, policy, allow_methods, PLACEHOLDER);
    if allow_headers {
        if let Some(value) = policy.allow_headers.header_value() {
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, value);
        }
    }
    if !cacheable {
        headers.insert(ACCESS_CONTROL_MAX_AGE, ZERO);
    } else if let Some(max_age) = policy.max_age {
        headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from(max_age));
    }
    if private_network {
        headers.insert(ALLOW_PRIVATE_NETWORK, TRUE);
    }
    // axum adds `content-length: 0` to every empty body (hyper leaves it
    // off the wire for a 204). Finding it here spares that insertion,
    // which would reallocate: a clone has no spare room for entries.
    headers.insert(CONTENT_LENGTH, ZERO);
    headers
}

const PLACEHOLDER: HeaderValue = HeaderValue::from_static("");
const ZERO: HeaderValue = HeaderValue::from_static("0");

/// The `T` of `Preflight`'s [`Handler`] impl.
#[doc(hidden)]
#[derive(Debug)]
pub enum PreflightHandler {}

impl<const N: usize> Preflight<N> {
    /// Refuses `Preflight::<0>`, which would have no policy to answer with,
    /// when the program is compiled.
    const NOT_EMPTY: () = assert!(N > 0, "`preflight!` needs at least one handler");

    /// The handler for a path served by these policies' handlers. Builds the
    /// `Allow` value and the headers of every granted answer once, when the
    /// router is built.
    ///
    /// Where the path's policies differ in what they grant (origins,
    /// request headers, credentials, Private Network Access), every granted
    /// answer carries `Access-Control-Max-Age: 0`: browsers cache a grant
    /// by origin and URL, and would otherwise reuse one handler's grant for
    /// another handler's request.
    pub fn new(policies: [&'static Policy; N]) -> Self {
        let () = Self::NOT_EMPTY;
        let mut methods: Vec<&str> = Vec::new();
        for policy in policies {
            for &method in policy.methods {
                if !methods.contains(&method) {
                    methods.push(method);
                }
            }
        }
        if methods.contains(&"GET") && !methods.contains(&"HEAD") {
            methods.push("HEAD");
        }
        methods.push("OPTIONS");
        let allow = HeaderValue::from_str(&methods.join(", "))
            .expect("the macro accepts only method tokens, which are valid header values");
        let vary = if policies.iter().any(|policy| policy.private_network) {
            PREFLIGHT_VARY_PRIVATE_NETWORK
        } else {
            PREFLIGHT_VARY
        };
        let granted = policies.map(|policy| {
            let cacheable = policies.iter().all(|other| policy.grants_like(other));
            [false, true].map(|allow_headers| {
                [false, true].map(|private_network| {
                    granted_headers(policy, &vary, cacheable, allow_headers, private_network)
                })
            })
        });
        let granted_with_room = granted.clone().map(|maps| {
            maps.map(|maps| {
                maps.map(|mut headers| {
                    headers.insert(ALLOW, PLACEHOLDER);
                    headers
                })
            })
        });
        Self {
            shared: Arc::new(Shared {
                policies,
                allow,
                vary,
                granted,
                granted_with_room,
            }),
        }
    }

    /// The answer to an `OPTIONS` request. `room`: the answer leaves
    /// room for the `Allow` axum adds to what a method router's fallback
    /// answers (the layer's answers).
    pub(crate) fn answer_request(&self, request: &Request, room: bool) -> Response {
        self.answer_with(request.headers(), room)
    }

    /// The policies of the handlers this preflight answers for.
    pub fn policies(&self) -> &[&'static Policy] {
        &self.shared.policies
    }

    /// The index of the policy serving `method`; `HEAD` falls back to the
    /// one serving `GET`, as axum's `get` routes serve `HEAD`.
    fn policy_for(&self, method: &[u8]) -> Option<usize> {
        let find = |method: &[u8]| {
            self.shared
                .policies
                .iter()
                .position(|policy| policy.allows_method(method))
        };
        find(method).or_else(|| {
            if method == b"HEAD" {
                find(b"GET")
            } else {
                None
            }
        })
    }

    /// The policy serving an actual request's `method`, if any.
    pub(crate) fn serving(&self, method: &[u8]) -> Option<&'static Policy> {
        self.policy_for(method)
            .map(|index| self.shared.policies[index])
    }

    /// The `Allow` value: the methods these handlers serve, and `OPTIONS`.
    pub(crate) fn allow(&self) -> &HeaderValue {
        &self.shared.allow
    }

    /// The full answer to an `OPTIONS` request with these headers. A
    /// granted preflight carries `content-length: 0`, which axum would add
    /// anyway and hyper leaves off the wire of a `204`.
    pub fn answer(&self, request: &HeaderMap) -> Response {
        self.answer_with(request, false)
    }

    fn answer_with(&self, request: &HeaderMap, room: bool) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        *response.headers_mut() = self.headers(request, room);
        response
    }

    /// The prepared headers of policy `index`'s granted answer with
    /// `-Allow-Headers`: where its header values are read from.
    fn prepared(&self, index: usize) -> &HeaderMap {
        &self.shared.granted[index][1][0]
    }

    /// The origin (and credentials, and methods) of policy `index`, for a
    /// refusal that lets the browser name the method or header refused.
    fn grant_origin_only(&self, headers: &mut HeaderMap, index: usize, allow_origin: HeaderValue) {
        let allow_methods = self
            .prepared(index)
            .get(ACCESS_CONTROL_ALLOW_METHODS)
            .cloned()
            .unwrap_or(PLACEHOLDER);
        grant_origin(
            headers,
            self.shared.policies[index],
            allow_methods,
            allow_origin,
        );
    }

    /// A refusal's headers start with `Vary` alone. Tells the layers
    /// around that `policy` refused.
    fn refusal(&self, policy: &'static Policy) -> HeaderMap {
        decision::record(policy, false);
        let mut headers = HeaderMap::new();
        headers.insert(VARY, self.shared.vary.clone());
        headers
    }

    fn headers(&self, request: &HeaderMap, room: bool) -> HeaderMap {
        let shared = &*self.shared;
        let mut methods = request.get_all(ACCESS_CONTROL_REQUEST_METHOD).iter();
        let method = match (methods.next(), methods.next()) {
            (None, _) => {
                // Not a preflight: a plain `OPTIONS`.
                let mut headers = self.refusal(shared.policies[0]);
                headers.insert(ALLOW, shared.allow.clone());
                return headers;
            }
            (Some(method), None) => method.as_bytes(),
            (Some(_), Some(_)) => {
                refused!(
                    shared.policies[0].name,
                    OriginHeader::from_headers(request),
                    "repeated Access-Control-Request-Method"
                );
                return self.refusal(shared.policies[0]);
            }
        };
        let origin = OriginHeader::from_headers(request);

        let Some(index) = self.policy_for(method) else {
            // Another handler of the path may serve it (a path split
            // across merged routers): it must be named here too.
            refused!(
                shared.policies[0].name,
                origin,
                "method not allowed",
                method = %Lossy(method),
                fix = "if a handler of this path serves the method, name it in this `preflight!` too, as in `preflight!(read, crate::admin::write)`"
            );
            let mut headers = self.refusal(shared.policies[0]);
            if !is_safelisted_method(method) {
                // Let the browser see the origin is fine and name the method.
                if let Some((index, allow_origin)) = shared
                    .policies
                    .iter()
                    .enumerate()
                    .find_map(|(index, policy)| Some((index, policy.origins.allow(origin)?)))
                {
                    self.grant_origin_only(&mut headers, index, allow_origin);
                }
            }
            return headers;
        };
        let policy = shared.policies[index];
        let Some(allow_origin) = policy.origins.allow(origin) else {
            refused!(policy.name, origin, "origin not allowed");
            return self.refusal(policy);
        };

        let requested =
            RequestHeaderList::new(request).check(|name| policy.allow_headers.allows(name));
        let allow_headers = match requested {
            Ok(requested) => requested,
            #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
            Err(error) => {
                refused!(policy.name, origin, "request headers not allowed", reason = %error);
                let mut headers = self.refusal(policy);
                self.grant_origin_only(&mut headers, index, allow_origin);
                // Never `*` here: a lax browser would read it as allowing
                // the `authorization` this refusal may be about.
                if let AllowedHeaders::List { .. } = policy.allow_headers {
                    if let Some(value) = self.prepared(index).get(ACCESS_CONTROL_ALLOW_HEADERS) {
                        headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, value.clone());
                    }
                }
                return headers;
            }
        };
        let private_network = policy.private_network
            && request
                .get(REQUEST_PRIVATE_NETWORK)
                .is_some_and(|v| v == "true");
        let prepared = if room {
            &shared.granted_with_room
        } else {
            &shared.granted
        };
        let mut headers =
            prepared[index][usize::from(allow_headers)][usize::from(private_network)].clone();
        if room {
            headers.remove(ALLOW);
        }
        decision::record(policy, true);
        // Replaces the placeholder, so the map keeps its size.
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
        if allow_headers && matches!(policy.allow_headers, AllowedHeaders::Any { .. }) {
            // The names asked for, all allowed, rather than `*`: a browser
            // caches the grant, and one laxer than the standard would read
            // a cached `*` as covering an `authorization` the policy
            // refuses. Replaces the prepared value, so the map keeps its
            // size.
            let mut requested = request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
            if let Some(first) = requested.next() {
                headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, first.clone());
                for more in requested {
                    headers.append(ACCESS_CONTROL_ALLOW_HEADERS, more.clone());
                }
            }
        }
        headers
    }
}

fn grant_origin(
    headers: &mut HeaderMap,
    policy: &Policy,
    allow_methods: HeaderValue,
    allow_origin: HeaderValue,
) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
    if policy.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, allow_methods);
}

fn is_safelisted_method(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"POST")
}

impl<const N: usize, S> Handler<PreflightHandler, S> for Preflight<N>
where
    S: Send + Sync + 'static,
{
    type Future = Ready<Response>;

    fn call(self, request: Request, _state: S) -> Self::Future {
        ready(self.answer_request(&request, false))
    }
}

/// What `preflight!` reads of one annotated handler, named once so that a
/// path that is not one gives one error.
#[derive(Clone, Copy, Debug)]
pub struct HandlerInfo {
    /// The methods its policy lists.
    pub methods: &'static [&'static str],
    /// Its policy.
    pub policy: fn() -> &'static Policy,
}

/// Whether both handlers serve `method`.
pub const fn serve_same(a: &HandlerInfo, b: &HandlerInfo, method: &str) -> bool {
    lists(a.methods, method) && lists(b.methods, method)
}

/// Whether the handlers share any method.
pub const fn share_a_method(a: &HandlerInfo, b: &HandlerInfo) -> bool {
    let mut i = 0;
    while i < a.methods.len() {
        if lists(b.methods, a.methods[i]) {
            return true;
        }
        i += 1;
    }
    false
}

const fn lists(methods: &[&str], method: &str) -> bool {
    let mut i = 0;
    while i < methods.len() {
        if const_str_eq(methods[i], method) {
            return true;
        }
        i += 1;
    }
    false
}

const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
