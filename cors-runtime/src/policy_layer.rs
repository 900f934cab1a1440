//! A policy as a tower layer, `layer!(APP)`: CORS for services, closures
//! and every response no annotated handler decided.
//!
//! Around a service (`ServeDir`, `nest_service`, a closure route) it does
//! what an annotated handler does: answers preflights, decorates every
//! response, refuses cross-origin writes it does not allow with `403`. As
//! an app's outermost layer it is the default: a request an annotated
//! handler or a `preflight!` decided keeps that decision (the layer learns
//! it for that request, see [`decision`](crate::decision)), even when an
//! error mapper rebuilt the response; everything else (router-wide auth
//! answering first, a timeout, a fallback, a route without an annotated
//! handler) gets the default policy.
//!
//! A cross-origin write from an origin the layer's policy does not allow
//! is answered `403` before anything inside runs, as Go's
//! `CrossOriginProtection` does: the layer cannot know which route the
//! router will pick, nor whether that route's handler would allow more.
//! The methods a route serves are its handler's to decide: a write from an
//! allowed origin goes on, and an annotated handler refuses a method its
//! policy does not list. Routes that accept writes from origins the
//! default does not list are merged after the layer, or the default says
//! `cross_origin_protection = false` (annotated handlers still refuse for
//! themselves).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderMap, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD};
use http::Method;
use tower::{Layer, Service};

use crate::decision::{self, Scope};
use crate::decorate::{decided_elsewhere, has_allow_origin, Forbidden};
use crate::policy::Policy;
use crate::preflight::Preflight;
use crate::request_origin::RequestOrigin;

/// The layer [`layer!`](crate::layer) builds: one policy around a service,
/// or around a whole app as the default for every request no annotated
/// handler decided.
#[derive(Clone, Debug)]
pub struct PolicyLayer {
    preflight: Preflight<1>,
}

impl PolicyLayer {
    /// The policy it applies.
    pub fn policy(&self) -> &'static Policy {
        self.preflight.policies()[0]
    }
}

/// What `layer!` expands to. Not public API.
pub fn policy_layer(policy: &'static Policy) -> PolicyLayer {
    PolicyLayer {
        preflight: Preflight::new([policy]),
    }
}

impl<S> Layer<S> for PolicyLayer {
    type Service = PolicyService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PolicyService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service a [`PolicyLayer`] wraps.
#[derive(Clone, Debug)]
pub struct PolicyService<S> {
    inner: S,
    layer: PolicyLayer,
}

impl<S> Service<Request> for PolicyService<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = PolicyFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let policy = self.layer.policy();
        let mut scope = None;
        if request.method() == Method::OPTIONS
            && request
                .headers()
                .contains_key(ACCESS_CONTROL_REQUEST_METHOD)
        {
            // Ours, in case nothing inside answers the preflight; built
            // now, while the request is at hand. Not yet told outward.
            let answer = decision::within(&mut None, || {
                self.layer.preflight.answer_request(&request, false)
            });
            let future = decision::within(&mut scope, || self.inner.call(request));
            return PolicyFuture::Preflight {
                future,
                scope,
                answer: Some(answer),
                policy,
            };
        }
        let origin = RequestOrigin::for_response(request.method(), request.headers());
        if origin.refused_origin_write(policy, request.headers(), request.uri()) {
            let grant = origin.grant_origin(policy);
            return PolicyFuture::Answered {
                response: Some(Forbidden(grant).into_response()),
            };
        }
        let open = decision::Open::new(&mut scope);
        let future = self.inner.call(request);
        drop(open);
        PolicyFuture::Actual {
            future,
            scope,
            origin: Some(origin),
            policy,
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of a [`PolicyService`].
    ///
    /// Its variants are not part of the API.
    #[project = PolicyFutureProj]
    pub enum PolicyFuture<F> {
        // Refused before anything inside ran.
        #[doc(hidden)]
        Answered { response: Option<Response> },
        // A preflight: the inner answer if something inside decided it,
        // else ours.
        #[doc(hidden)]
        Preflight {
            #[pin]
            future: F,
            scope: Scope,
            answer: Option<Response>,
            policy: &'static Policy,
        },
        // An actual request: decorated by the policy that decided it.
        #[doc(hidden)]
        Actual {
            #[pin]
            future: F,
            scope: Scope,
            origin: Option<RequestOrigin>,
            policy: &'static Policy,
        },
    }
}

const COMPLETED: &str = "`PolicyFuture` polled after completion";

impl<F, E> Future for PolicyFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            PolicyFutureProj::Answered { response } => {
                Poll::Ready(Ok(response.take().expect(COMPLETED)))
            }
            PolicyFutureProj::Preflight {
                future,
                scope,
                answer,
                policy,
            } => {
                let inner = std::task::ready!(decision::poll_within(scope, future, cx))?;
                let answer = answer.take().expect(COMPLETED);
                Poll::Ready(Ok(match *scope {
                    Some(decided) => {
                        decision::record(decided.policy, decided.granted);
                        inner
                    }
                    // Refused inside, maybe by a `preflight!` on another
                    // thread: the refusal stands. A grant from inside is
                    // replaced by ours below.
                    None if decided_elsewhere(inner.headers())
                        && !inner.headers().contains_key(ACCESS_CONTROL_ALLOW_ORIGIN) =>
                    {
                        inner
                    }
                    None => {
                        // Ours now decides; tell the layers outside.
                        let granted = answer.headers().contains_key(ACCESS_CONTROL_ALLOW_ORIGIN);
                        decision::record(policy, granted);
                        answer
                    }
                }))
            }
            PolicyFutureProj::Actual {
                future,
                scope,
                origin,
                policy,
            } => {
                let open = decision::Open::new(scope);
                let polled = future.poll(cx);
                drop(open);
                let mut response = std::task::ready!(polled)?;
                let origin = origin.take().expect(COMPLETED);
                finish(response.headers_mut(), *scope, origin, policy);
                Poll::Ready(Ok(response))
            }
        }
    }
}

/// The response's headers as it leaves the layer. A decision made inside
/// stands: granted, it is put back if a middleware rebuilt the response
/// without it; refused, nothing a middleware added makes it readable.
/// Otherwise the default policy decides, unless the response shows that
/// a handler decided it on another thread, where the scope cannot follow.
/// Only the headers change, so the response stays where it is.
fn finish(
    headers: &mut HeaderMap,
    decided: Scope,
    origin: RequestOrigin,
    default: &'static Policy,
) {
    let Some(decided) = decided else {
        // A response that names `Origin` in `Vary` but carries no grant was
        // refused inside, maybe on another thread (a middleware that spawns
        // the request): the default adds none. Any grant it does carry is
        // replaced by the default's decision, so nothing inside can grant
        // more than the default.
        let refused_inside = decided_elsewhere(headers) && !has_allow_origin(headers);
        let mut grant = if !refused_inside && default.serves(origin.method().as_str().as_bytes()) {
            origin.grant_origin(default)
        } else {
            origin.refuse_for(default)
        };
        return grant.decorate_headers(headers);
    };
    if !decided.granted {
        return origin.refuse_for(decided.policy).decorate_headers(headers);
    }
    if has_allow_origin(headers) {
        decision::record(decided.policy, true);
        return;
    }
    origin
        .grant_origin(decided.policy)
        .decorate_headers(headers);
}
