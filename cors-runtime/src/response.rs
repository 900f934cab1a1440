//! Adding CORS headers to a handler's response, whatever produced it.

use std::convert::Infallible;
use std::future::{ready, Future};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, HOST, VARY,
};
use http::request::Parts;
use http::{Method, StatusCode, Uri};

use crate::log::refused;
#[cfg(feature = "tracing")]
use crate::log::Lossy;
use crate::origin::{Allowed, OriginHeader, ANY_ORIGIN};
use crate::policy::Policy;

pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
const ORIGIN_VARY: HeaderValue = HeaderValue::from_static("Origin");

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

    /// No request at all: a handler called directly, as written
    /// (`name::without_cors`), through its routed function, whose grant is
    /// then never used. A `GET` without `Origin`, so nothing is refused.
    pub(crate) fn direct() -> Self {
        Self {
            seen: Seen::Absent,
            method: Method::GET,
            cross_origin_write: false,
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

    /// Decides for `policy`: a grant when the policy lists the method and
    /// allows the origin, a refusal with `403` when the request is a
    /// state-changing cross-origin one it does not allow.
    pub fn grant(self, policy: &'static Policy) -> Grant {
        if policy.serves(self.method.as_str().as_bytes()) {
            return self.grant_origin(policy);
        }
        if !matches!(self.seen, Seen::Absent) {
            refused!(policy.name, self.header(), "method not allowed", method = %Lossy(self.method.as_str().as_bytes()));
        }
        self.refuse(policy)
    }

    /// Decides by the origin alone, for a response no handler of the
    /// policy produced (a middleware's rejection, axum's `405`).
    pub(crate) fn grant_origin(self, policy: &'static Policy) -> Grant {
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
        Grant {
            policy,
            allow_origin: Some(allow_origin),
            forbidden: false,
        }
    }

    fn refuse(self, policy: &'static Policy) -> Grant {
        let forbidden = self.cross_origin_write && policy.cross_origin_protection;
        if forbidden {
            refused!(
                policy.name,
                self.header(),
                "state-changing cross-origin request answered 403",
                method = %Lossy(self.method.as_str().as_bytes())
            );
        }
        Grant {
            policy,
            allow_origin: None,
            forbidden,
        }
    }
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

/// [`RequestOrigin`] for a handler without arguments: taking the whole
/// request spares axum splitting it into parts. Returns a ready future, so
/// that the request is not moved into a future's state first.
#[derive(Debug)]
pub struct OnlyRequestOrigin(pub RequestOrigin);

impl OnlyRequestOrigin {
    /// No request: see [`Routed::into_inner`](crate::__private::Routed::into_inner).
    pub fn direct() -> Self {
        Self(RequestOrigin::direct())
    }
}

impl<S: Sync> FromRequest<S> for OnlyRequestOrigin {
    type Rejection = Infallible;

    fn from_request(
        request: Request,
        _state: &S,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        ready(Ok(Self(RequestOrigin::new(
            request.method(),
            request.headers(),
            request.uri(),
        ))))
    }
}

/// The decision for one actual request, and what to add to its response.
#[derive(Debug)]
pub struct Grant {
    policy: &'static Policy,
    allow_origin: Option<HeaderValue>,
    /// A state-changing cross-origin request the policy does not allow:
    /// answered `403`, the handler never runs.
    forbidden: bool,
}

impl Grant {
    /// Adds the policy's headers to `response`: the `Access-Control-*`
    /// headers when the request is granted, and `Vary: Origin` always,
    /// since the answer depends on it. Those headers belong to the policy:
    /// any the response already had are replaced or removed, so a handler
    /// cannot grant more than its policy.
    pub(crate) fn decorate(&mut self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        let present = Present::scan(headers);
        if let Some(allow_origin) = self.allow_origin.take() {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
            if self.policy.credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            } else if present.cors {
                headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
            }
            if let Some(expose) = self.policy.expose_value() {
                headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            } else if present.cors {
                headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
            }
        } else if present.cors {
            headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN);
            headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
            headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
        }
        if present.vary {
            add_vary_origin(headers);
        } else {
            headers.append(VARY, ORIGIN_VARY);
        }
        response
    }
}

/// Which of the headers a grant replaces, removes or extends a response
/// may already have. Either is `true` when unsure.
struct Present {
    /// Any `Access-Control-Allow-Origin`, `-Allow-Credentials` or
    /// `-Expose-Headers`.
    cors: bool,
    /// Any `Vary`.
    vary: bool,
}

impl Present {
    /// Most responses have a few headers and none of these: comparing a
    /// few names costs less than the lookups it spares, each of which
    /// hashes a name. A larger map is not scanned.
    fn scan(headers: &HeaderMap) -> Self {
        if headers.keys_len() > 8 {
            return Self {
                cors: true,
                vary: true,
            };
        }
        let mut present = Self {
            cors: false,
            vary: false,
        };
        for name in headers.keys() {
            if name == VARY {
                present.vary = true;
            } else if name == ACCESS_CONTROL_ALLOW_ORIGIN
                || name == ACCESS_CONTROL_ALLOW_CREDENTIALS
                || name == ACCESS_CONTROL_EXPOSE_HEADERS
            {
                present.cors = true;
            }
        }
        present
    }
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        "cross-origin request refused by the endpoint's CORS policy",
    )
        .into_response()
}

pin_project_lite::pin_project! {
    /// The handler's future, whose response (or an extractor's rejection)
    /// gets CORS headers. Generic only where it must be, polling the
    /// handler; the rest is compiled once.
    ///
    /// `R` is what a rejection is kept as: [`Response`] for a handler with
    /// extractors, [`Infallible`] for one without, whose future then has no
    /// room reserved for a response it can never hold. `H` is the type
    /// that carries the handler's policy: through it, `preflight!` finds
    /// the policy from the function it is given (see [`Routed`]).
    ///
    /// [`Routed`]: crate::__private::Routed
    pub struct Decorate<F, R, H>
    where
        F: Future,
    {
        #[pin]
        state: State<F, R>,
        // Named here rather than required by the `Future` impl, so that a
        // handler whose return type is not a response gets one error, on
        // its return type.
        respond: fn(F::Output) -> Response,
        grant: Grant,
        handler: PhantomData<fn() -> H>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F, R> {
        Running { #[pin] handler: F },
        Rejected { rejection: Option<R> },
        Forbidden,
    }
}

impl<F: Future, R, H> Decorate<F, R, H> {
    /// Runs the handler's future.
    pub fn new(grant: Grant, handler: F) -> Self
    where
        F::Output: IntoResponse,
    {
        Self {
            // A refused request drops the handler's future unpolled: its
            // body never runs.
            state: if grant.forbidden {
                State::Forbidden
            } else {
                State::Running { handler }
            },
            respond: IntoResponse::into_response,
            grant,
            handler: PhantomData,
        }
    }
}

impl<F: Future, H> Decorate<F, Response, H> {
    /// Answers with an extractor's rejection; the handler never runs.
    pub fn rejected(grant: Grant, rejection: Response) -> Self {
        Self {
            state: if grant.forbidden {
                State::Forbidden
            } else {
                State::Rejected {
                    rejection: Some(rejection),
                }
            },
            respond: never_called,
            grant,
            handler: PhantomData,
        }
    }
}

impl<F: Future, R, H> Decorate<F, R, H> {
    /// The handler's future, for a call without a request, whose
    /// extractors are all given and whose grant refuses nothing: see
    /// [`Routed::into_inner`](crate::__private::Routed::into_inner).
    pub(crate) fn into_inner(self) -> F {
        match self.state {
            State::Running { handler } => handler,
            // Only a request's rejection or refusal gets here; a direct
            // call has neither.
            State::Rejected { .. } | State::Forbidden => {
                unreachable!("a direct call is never rejected nor refused")
            }
        }
    }
}

fn never_called<T>(_: T) -> Response {
    unreachable!("`Decorate::rejected` has no handler output to convert")
}

fn take<R: IntoResponse>(rejection: &mut Option<R>) -> Response {
    rejection
        .take()
        .expect("`Decorate` polled after completion")
        .into_response()
}

impl<F: Future, R: IntoResponse, H> Future for Decorate<F, R, H> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let this = self.project();
        let response = match this.state.project() {
            StateProj::Running { handler } => (this.respond)(std::task::ready!(handler.poll(cx))),
            StateProj::Rejected { rejection } => take(rejection),
            StateProj::Forbidden => forbidden(),
        };
        Poll::Ready(this.grant.decorate(response))
    }
}

/// Adds `Vary: Origin` beside whatever `Vary` the handler set, unless that
/// already covers it.
fn add_vary_origin(headers: &mut HeaderMap) {
    // One lookup in the common case, a response without `Vary`.
    if headers.contains_key(VARY) && vary_covers_origin(headers) {
        return;
    }
    headers.append(VARY, ORIGIN_VARY);
}

/// Whether the response's `Vary` already names `Origin` (or is `*`).
pub(crate) fn vary_covers_origin(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).iter().any(covers_origin)
}

/// Whether one `Vary` value names `Origin` (or is `*`).
pub(crate) fn covers_origin(value: &HeaderValue) -> bool {
    // The value an annotated handler appends, compared before splitting.
    value.as_bytes() == ORIGIN_VARY.as_bytes()
        || value.as_bytes().split(|&b| b == b',').any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
}

/// An extractor `T` whose rejection is kept as a response instead of being
/// returned straight to axum, so that it can be given CORS headers; and,
/// when `O` is [`RequestOrigin`], the request's origin, read before `T`
/// runs (the first argument of an annotated handler, [`WithOrigin`]).
#[derive(Debug)]
pub struct Extract<T, O = NoOrigin> {
    origin: O,
    value: Result<T, Response>,
}

/// The first extractor of an annotated handler, with the request's
/// [`RequestOrigin`].
pub type WithOrigin<T> = Extract<T, RequestOrigin>;

impl<T, O: ReadOrigin> Extract<T, O> {
    /// An extractor's value given directly, without a request: see
    /// [`Routed::into_inner`](crate::__private::Routed::into_inner).
    pub fn direct(value: T) -> Self {
        Self {
            origin: O::direct(),
            value: Ok(value),
        }
    }
}

impl<T, O> Extract<T, O> {
    /// The origin (if read), and the extractor or its rejection.
    pub fn into_parts(self) -> (O, Result<T, Response>) {
        (self.origin, self.value)
    }
}

/// What an [`Extract`] reads of the request besides its extractor.
pub trait ReadOrigin: Sized + Send {
    /// Reads it.
    fn read(method: &Method, headers: &HeaderMap, uri: &Uri) -> Self;

    /// What it is without a request.
    fn direct() -> Self;
}

/// Nothing: the arguments after the first.
#[derive(Debug)]
pub struct NoOrigin;

impl ReadOrigin for NoOrigin {
    #[inline]
    fn read(_: &Method, _: &HeaderMap, _: &Uri) -> Self {
        Self
    }

    fn direct() -> Self {
        Self
    }
}

impl ReadOrigin for RequestOrigin {
    #[inline]
    fn read(method: &Method, headers: &HeaderMap, uri: &Uri) -> Self {
        Self::new(method, headers, uri)
    }

    fn direct() -> Self {
        Self::direct()
    }
}

impl<T, O, S> FromRequestParts<S> for Extract<T, O>
where
    T: FromRequestParts<S>,
    O: ReadOrigin,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let origin = O::read(&parts.method, &parts.headers, &parts.uri);
        let value = T::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response);
        Ok(Self { origin, value })
    }
}

impl<T, O, S> FromRequest<S> for Extract<T, O>
where
    T: FromRequest<S>,
    O: ReadOrigin,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let origin = O::read(req.method(), req.headers(), req.uri());
        let value = T::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response);
        Ok(Self { origin, value })
    }
}
