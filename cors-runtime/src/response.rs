//! Adding CORS headers to a handler's response, whatever produced it.

use std::convert::Infallible;
use std::future::{ready, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};
use http::request::Parts;

use crate::log::refused;
use crate::origin::{Allowed, OriginHeader, ANY_ORIGIN};
use crate::policy::Policy;

pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
const ORIGIN_VARY: HeaderValue = HeaderValue::from_static("Origin");

/// The request's `Origin`, read before any extractor runs. Reading it does
/// not depend on the handler, so this code is compiled once, not once per
/// handler.
#[derive(Debug)]
pub struct RequestOrigin(Seen);

#[derive(Debug)]
enum Seen {
    Absent,
    One(HeaderValue),
    Several,
}

impl RequestOrigin {
    /// Reads the `Origin` lines of a request.
    fn from_headers(headers: &HeaderMap) -> Self {
        Self(match OriginHeader::from_headers(headers) {
            OriginHeader::Absent => Seen::Absent,
            OriginHeader::One(value) => Seen::One(value.clone()),
            OriginHeader::Several => Seen::Several,
        })
    }

    /// Decides for `policy`.
    pub fn grant(self, policy: &'static Policy) -> Grant {
        let allow_origin = match self.0 {
            Seen::Absent => None,
            Seen::One(value) => match policy.origins.verdict(OriginHeader::One(&value)) {
                // The request's own value, moved rather than cloned.
                Some(Allowed::Echo) => Some(value),
                Some(Allowed::Any) => Some(ANY_ORIGIN),
                None => {
                    refused!(policy.name, OriginHeader::One(&value), "origin not allowed");
                    None
                }
            },
            Seen::Several => match policy.origins.verdict(OriginHeader::Several) {
                Some(_) => Some(ANY_ORIGIN),
                None => {
                    refused!(policy.name, OriginHeader::Several, "origin not allowed");
                    None
                }
            },
        };
        Grant {
            policy,
            allow_origin,
        }
    }
}

// Both extractors read the origin when called and return a ready future,
// so that the request is not moved into a future's state first.
impl<S: Sync> FromRequestParts<S> for RequestOrigin {
    type Rejection = Infallible;

    fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        ready(Ok(Self::from_headers(&parts.headers)))
    }
}

/// [`RequestOrigin`] for a handler without arguments: taking the whole
/// request spares axum splitting it into parts.
#[derive(Debug)]
pub struct OnlyRequestOrigin(pub RequestOrigin);

impl<S: Sync> FromRequest<S> for OnlyRequestOrigin {
    type Rejection = Infallible;

    fn from_request(
        request: Request,
        _state: &S,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        ready(Ok(Self(RequestOrigin::from_headers(request.headers()))))
    }
}

/// The origin decision for one actual request, and what to add to its
/// response.
#[derive(Debug)]
pub struct Grant {
    policy: &'static Policy,
    allow_origin: Option<HeaderValue>,
}

impl Grant {
    /// Adds the policy's headers to `response`: the `Access-Control-*`
    /// headers when the origin is allowed, and `Vary: Origin` always, since
    /// the answer depends on it.
    fn decorate(&mut self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        if let Some(allow_origin) = self.allow_origin.take() {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
            if self.policy.credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = &self.policy.expose_headers {
                headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
        }
        add_vary_origin(headers);
        response
    }
}

pin_project_lite::pin_project! {
    /// The handler's future, whose response (or an extractor's rejection)
    /// gets CORS headers. Generic only where it must be, polling the
    /// handler; the rest is compiled once.
    ///
    /// `R` is what a rejection is kept as: [`Response`] for a handler with
    /// extractors, [`Infallible`] for one without, whose future then has no
    /// room reserved for a response it can never hold.
    pub struct Decorate<F, R>
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
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F, R> {
        Running { #[pin] handler: F },
        Rejected { rejection: Option<R> },
    }
}

impl<F: Future, R> Decorate<F, R> {
    /// Runs the handler's future.
    pub fn new(grant: Grant, handler: F) -> Self
    where
        F::Output: IntoResponse,
    {
        Self {
            state: State::Running { handler },
            respond: IntoResponse::into_response,
            grant,
        }
    }
}

impl<F: Future> Decorate<F, Response> {
    /// Answers with an extractor's rejection; the handler never runs.
    pub fn rejected(grant: Grant, rejection: Response) -> Self {
        Self {
            state: State::Rejected {
                rejection: Some(rejection),
            },
            respond: never_called,
            grant,
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

impl<F: Future, R: IntoResponse> Future for Decorate<F, R> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let this = self.project();
        let response = match this.state.project() {
            StateProj::Running { handler } => (this.respond)(std::task::ready!(handler.poll(cx))),
            StateProj::Rejected { rejection } => take(rejection),
        };
        Poll::Ready(this.grant.decorate(response))
    }
}

/// Adds `Vary: Origin` beside whatever `Vary` the handler set, unless that
/// already covers it.
fn add_vary_origin(headers: &mut HeaderMap) {
    // One lookup in the common case, a response without `Vary`.
    if !headers.append(VARY, ORIGIN_VARY) {
        return;
    }
    let ours = headers.get_all(VARY).iter().count() - 1;
    let covered = headers.get_all(VARY).iter().take(ours).any(|value| {
        value.as_bytes().split(|&b| b == b',').any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
    });
    if covered {
        // Take ours back out; the handler's values stay, in order.
        let handler_values: Vec<HeaderValue> =
            headers.get_all(VARY).iter().take(ours).cloned().collect();
        headers.remove(VARY);
        for value in handler_values {
            headers.append(VARY, value);
        }
    }
}

/// An extractor `T` whose rejection is kept as a response instead of being
/// returned straight to axum, so that it can be given CORS headers.
pub struct Extract<T>(pub Result<T, Response>);

impl<T, S> FromRequestParts<S> for Extract<T>
where
    T: FromRequestParts<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            T::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response),
        ))
    }
}

impl<T, S> FromRequest<S> for Extract<T>
where
    T: FromRequest<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            T::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response),
        ))
    }
}
