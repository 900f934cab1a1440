//! What an actual request says about where it comes from, and the
//! decision for one policy: grant, no grant, or `403` for a refused
//! cross-origin write.

use http::header::{HeaderMap, HeaderName, HeaderValue, HOST, UPGRADE};
use http::{Method, Uri};

use crate::decorate::{Forbidden, Grant};
use crate::log::refused;
#[cfg(feature = "tracing")]
use crate::log::Lossy;
use crate::origin::{Allowed, OriginHeader, ANY_ORIGIN};
use crate::policy::Policy;

/// What an actual request says about where it comes from: its `Origin`,
/// its method, and whether a browser marked it as a state-changing
/// cross-origin request. Reading it does not depend on the handler, so
/// this code is compiled once, not once per handler.
#[derive(Debug)]
pub struct RequestOrigin {
    seen: Seen,
    method: Method,
    cross_origin_write: bool,
}

#[derive(Debug)]
enum Seen {
    Absent,
    One(HeaderValue),
    Several,
}

impl RequestOrigin {
    /// What decorating a response needs, for a response already made (a
    /// route layer's): nothing is refused any more, so whether the request
    /// is a cross-origin write is not read.
    #[inline]
    pub(crate) fn for_response(method: &Method, headers: &HeaderMap) -> Self {
        Self {
            seen: match OriginHeader::from_headers(headers) {
                OriginHeader::Absent => Seen::Absent,
                OriginHeader::One(value) => Seen::One(value.clone()),
                OriginHeader::Several => Seen::Several,
            },
            method: method.clone(),
            cross_origin_write: false,
        }
    }

    /// The request's method.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    pub(crate) fn header(&self) -> OriginHeader<'_> {
        match &self.seen {
            Seen::Absent => OriginHeader::Absent,
            Seen::One(value) => OriginHeader::One(value),
            Seen::Several => OriginHeader::Several,
        }
    }

    /// Reads the request's head and decides it for `policy`: what the
    /// first extractor of an annotated handler does before its own
    /// extractor runs. Not generic, so compiled once, not per handler.
    ///
    /// Whether the request is a cross-origin write is read only when the
    /// policy does not grant it: a granted request needs no more.
    pub(crate) fn decide(
        method: &Method,
        headers: &HeaderMap,
        uri: &Uri,
        policy: &'static Policy,
    ) -> Result<Grant, Forbidden> {
        let origin = Self::for_response(method, headers);
        if policy.serves(method.as_str().as_bytes()) {
            if let Some(allowed) = policy.origins.verdict(origin.header()) {
                return Ok(origin.granted(policy, allowed));
            }
        }
        Self {
            cross_origin_write: is_cross_origin_write(method, headers, uri),
            ..origin
        }
        .grant(policy)
    }

    /// Decides for `policy`: a grant when the policy lists the method and
    /// allows the origin, none otherwise, and the `403` answer instead
    /// when the request is a state-changing cross-origin one it does not
    /// allow.
    #[inline]
    pub(crate) fn grant(self, policy: &'static Policy) -> Result<Grant, Forbidden> {
        let decision = if policy.serves(self.method.as_str().as_bytes()) {
            self.decide_origin(policy)
        } else {
            if !matches!(self.seen, Seen::Absent) {
                refused!(policy.name, self.header(), "method not allowed", method = %Lossy(self.method.as_str().as_bytes()));
            }
            self.refuse(policy)
        };
        match decision {
            Decision::Grant(grant) => Ok(grant),
            Decision::Forbidden(grant) => Err(Forbidden(grant)),
        }
    }

    /// Whether this is a cross-origin write from an origin `policy` does
    /// not allow, with protection on: what a `layer!` refuses with `403`
    /// before the router picks a route. The origin only, as Go's
    /// `CrossOriginProtection`: which methods the route serves is for its
    /// handler to decide. The request's head is read only for an origin
    /// the policy does not allow.
    pub(crate) fn refused_origin_write(
        &self,
        policy: &'static Policy,
        headers: &HeaderMap,
        uri: &Uri,
    ) -> bool {
        policy.cross_origin_protection
            && policy.origins.verdict(self.header()).is_none()
            && is_cross_origin_write(&self.method, headers, uri)
            && !self.origin_is_trusted()
    }

    /// Whether this is a cross-origin write whose origin is not one of the
    /// app's own public origins: what a `preflight!` layer refuses for a
    /// method none of its handlers serve. The request's head is read here,
    /// on that path only.
    pub(crate) fn is_untrusted_cross_origin_write(&self, headers: &HeaderMap, uri: &Uri) -> bool {
        is_cross_origin_write(&self.method, headers, uri) && !self.origin_is_trusted()
    }

    /// Decides by the origin alone, for a response no handler of the
    /// policy produced (a middleware's rejection, axum's `405`): it is
    /// made, so nothing is refused any more.
    pub(crate) fn grant_origin(self, policy: &'static Policy) -> Grant {
        match self.decide_origin(policy) {
            Decision::Grant(grant) | Decision::Forbidden(grant) => grant,
        }
    }

    fn decide_origin(self, policy: &'static Policy) -> Decision {
        let Some(allowed) = policy.origins.verdict(self.header()) else {
            if !matches!(self.seen, Seen::Absent) {
                refused!(policy.name, self.header(), "origin not allowed");
            }
            return self.refuse(policy);
        };
        Decision::Grant(self.granted(policy, allowed))
    }

    /// The grant of an allowed origin.
    fn granted(self, policy: &'static Policy, allowed: Allowed) -> Grant {
        let allow_origin = match (allowed, self.seen) {
            // The request's own value, moved rather than cloned.
            (Allowed::Echo, Seen::One(value)) => value,
            _ => ANY_ORIGIN,
        };
        Grant {
            policy,
            allow_origin: Some(allow_origin),
        }
    }

    /// No grant and no `403`: for a response that `policy` did not decide
    /// and does not cover.
    pub(crate) fn refuse_for(self, policy: &'static Policy) -> Grant {
        Grant {
            policy,
            allow_origin: None,
        }
    }

    fn refuse(self, policy: &'static Policy) -> Decision {
        let grant = Grant {
            policy,
            allow_origin: None,
        };
        if self.cross_origin_write && policy.cross_origin_protection && !self.origin_is_trusted() {
            refused!(
                policy.name,
                self.header(),
                "state-changing cross-origin request answered 403",
                method = %Lossy(self.method.as_str().as_bytes())
            );
            return Decision::Forbidden(grant);
        }
        Decision::Grant(grant)
    }
}

/// A decision: the grant (possibly of nothing) whose headers the response
/// gets, or, for a state-changing cross-origin request the policy does not
/// allow, a refusal with `403` before anything of the handler runs.
enum Decision {
    Grant(Grant),
    Forbidden(Grant),
}

impl RequestOrigin {
    /// Whether the `Origin` is one of the app's own public origins
    /// ([`TRUSTED_ORIGINS_VARIABLE`](crate::TRUSTED_ORIGINS_VARIABLE)),
    /// which count as same-origin for the `403` whatever `Host` says. Read
    /// only for a request about to be refused.
    fn origin_is_trusted(&self) -> bool {
        match &self.seen {
            Seen::One(origin) => crate::trusted_origins::is_trusted(origin.as_bytes()),
            Seen::Absent | Seen::Several => false,
        }
    }
}

/// Whether a request is a state-changing one that a browser sent from
/// another origin, decided as Go's `net/http.CrossOriginProtection` does:
/// `Sec-Fetch-Site` first (`same-origin` and `none` pass, any other value
/// is cross-origin); without it, an `Origin` whose host and port differ
/// from `Host`. A request with neither header is same-origin or not from a
/// browser, and passes.
///
/// State-changing is any method but `GET`, `HEAD`, `OPTIONS`, and a
/// WebSocket handshake (a `GET` with `Upgrade: websocket`): browsers send
/// it cross-origin without a preflight, with the page's cookies, and
/// Chromium without `Sec-Fetch-Site`; what follows on the socket is not
/// read-only. Go leaves handshakes to the WebSocket library; here a
/// handler's policy covers them like any write.
///
/// Like Go's, the `Origin`/`Host` comparison cannot see the scheme, so an
/// `http` page posting to the same host over `https` passes; every browser
/// released since 2023 sends `Sec-Fetch-Site`, which can.
pub(crate) fn is_cross_origin_write(method: &Method, headers: &HeaderMap, uri: &Uri) -> bool {
    let state_changing = match *method {
        Method::GET => is_websocket_handshake(headers),
        Method::HEAD | Method::OPTIONS => false,
        _ => true,
    };
    if !state_changing {
        return false;
    }
    if let Some(site) = headers.get(SEC_FETCH_SITE) {
        return !(site == "same-origin" || site == "none");
    }
    let origin = match OriginHeader::from_headers(headers) {
        OriginHeader::Absent => return false,
        OriginHeader::Several => return true,
        OriginHeader::One(origin) => origin.as_bytes(),
    };
    let host = headers.get(HOST).map(HeaderValue::as_bytes).or_else(|| {
        uri.authority()
            .map(|authority| authority.as_str().as_bytes())
    });
    let origin_host = origin
        .windows(3)
        .position(|window| window == b"://")
        .map(|at| &origin[at + 3..]);
    match (origin_host, host) {
        (Some(origin_host), Some(host)) => origin_host != host,
        _ => true,
    }
}

/// Whether a request asks to become a WebSocket: `Upgrade: websocket`, in
/// any case, possibly among other protocols. No page can set `Upgrade`
/// itself (it is a forbidden request header), so only a WebSocket
/// handshake carries it from a browser.
fn is_websocket_handshake(headers: &HeaderMap) -> bool {
    headers.get_all(UPGRADE).iter().any(|value| {
        value
            .as_bytes()
            .split(|&byte| byte == b',')
            .any(|protocol| protocol.trim_ascii().eq_ignore_ascii_case(b"websocket"))
    })
}

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
