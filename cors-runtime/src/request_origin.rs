//! What an actual request says about where it comes from, and the
//! decision for one policy: grant, no grant, or `403` for a refused
//! cross-origin write.

use http::header::{HeaderMap, HeaderName, HeaderValue, HOST};
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
    /// Reads the request's `Origin` lines and method.
    pub(crate) fn new(method: &Method, headers: &HeaderMap, uri: &Uri) -> Self {
        Self {
            cross_origin_write: is_cross_origin_write(method, headers, uri),
            ..Self::for_response(method, headers)
        }
    }

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
    pub(crate) fn decide(
        method: &Method,
        headers: &HeaderMap,
        uri: &Uri,
        policy: &'static Policy,
    ) -> Result<Grant, Forbidden> {
        Self::new(method, headers, uri).grant(policy)
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
        let allow_origin = match (allowed, self.seen) {
            // The request's own value, moved rather than cloned.
            (Allowed::Echo, Seen::One(value)) => value,
            _ => ANY_ORIGIN,
        };
        Decision::Grant(Grant {
            policy,
            allow_origin: Some(allow_origin),
        })
    }

    fn refuse(self, policy: &'static Policy) -> Decision {
        let grant = Grant {
            policy,
            allow_origin: None,
        };
        if self.cross_origin_write && policy.cross_origin_protection {
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

/// Whether a request is a state-changing one (any method but `GET`,
/// `HEAD`, `OPTIONS`) that a browser sent from another origin, decided as
/// Go's `net/http.CrossOriginProtection` does: `Sec-Fetch-Site` first
/// (`same-origin` and `none` pass, any other value is cross-origin); without
/// it, an `Origin` whose host and port differ from `Host`. A request with
/// neither header is same-origin or not from a browser, and passes.
///
/// Like Go's, the `Origin`/`Host` comparison cannot see the scheme, so an
/// `http` page posting to the same host over `https` passes; every browser
/// released since 2023 sends `Sec-Fetch-Site`, which can.
pub(crate) fn is_cross_origin_write(method: &Method, headers: &HeaderMap, uri: &Uri) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
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

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
