//! Adding CORS headers to a handler's response, whatever produced it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::response::{IntoResponse, Response};
use http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};
use http::StatusCode;

use crate::decision;
use crate::policy::Policy;

pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
const ORIGIN_VARY: HeaderValue = HeaderValue::from_static("Origin");
/// The decision for one actual request, and what to add to its response.
#[derive(Debug)]
pub struct Grant {
    pub(crate) policy: &'static Policy,
    pub(crate) allow_origin: Option<HeaderValue>,
}

impl Grant {
    /// Adds the policy's headers to `response`: the `Access-Control-*`
    /// headers when the request is granted, and `Vary: Origin` always,
    /// since the answer depends on it. Those headers belong to the policy:
    /// any the response already had are replaced or removed, so a handler
    /// cannot grant more than its policy.
    #[inline]
    pub(crate) fn decorate(&mut self, mut response: Response) -> Response {
        self.decorate_headers(response.headers_mut());
        response
    }

    /// [`decorate`](Self::decorate) on a response's headers alone, for a
    /// caller that keeps the response where it is.
    pub(crate) fn decorate_headers(&mut self, headers: &mut HeaderMap) {
        decision::record(self.policy, self.allow_origin.is_some());
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

/// A state-changing cross-origin request the policy refuses, answered
/// `403` before any extractor runs. The grant grants nothing: the answer
/// gets `Vary: Origin` and no `Access-Control-Allow-*`.
#[derive(Debug)]
pub struct Forbidden(pub(crate) Grant);

impl IntoResponse for Forbidden {
    fn into_response(mut self) -> Response {
        self.0.decorate(
            (
                StatusCode::FORBIDDEN,
                "cross-origin request refused by the endpoint's CORS policy",
            )
                .into_response(),
        )
    }
}

pin_project_lite::pin_project! {
    /// The future of the function routed under a handler's name: the
    /// handler's future, whose response (or an extractor's rejection) gets
    /// CORS headers. Generic only where it must be, polling the handler;
    /// the rest is compiled once.
    ///
    /// `R` is what a rejection is kept as: [`Response`] for a handler with
    /// extractors, [`Infallible`](std::convert::Infallible) for one
    /// without, whose future then has no room reserved for a response it
    /// can never hold.
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
    if headers.contains_key(VARY) && vary_covers_origin(headers) {
        return;
    }
    headers.append(VARY, ORIGIN_VARY);
}

/// Whether a response names `Origin` in `Vary` (not `*`): every response
/// an annotated handler or `preflight!` decided does. A layer that found
/// no decision in its scope reads it as a decision made on another thread
/// (a middleware that spawned the request), which stands as it is.
pub(crate) fn decided_elsewhere(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).iter().any(|value| {
        value
            .as_bytes()
            .split(|&b| b == b',')
            .any(|item| item.trim_ascii().eq_ignore_ascii_case(b"origin"))
    })
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

/// Whether a response has `Access-Control-Allow-Origin`. A response has a
/// few headers, and comparing their names costs less than a lookup, which
/// hashes the name.
#[inline]
pub(crate) fn has_allow_origin(headers: &HeaderMap) -> bool {
    if headers.keys_len() > 8 {
        return headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN);
    }
    headers
        .keys()
        .any(|name| name == ACCESS_CONTROL_ALLOW_ORIGIN)
}
