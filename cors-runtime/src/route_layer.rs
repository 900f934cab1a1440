//! `preflight!(...)` as a route layer:
//! `get(list).post(create).route_layer(auth).layer(preflight!(list, create))`.
//!
//! Outside the route's own middleware, it answers every `OPTIONS` before
//! that middleware runs (an auth layer never sees a preflight, which
//! browsers send without credentials), and it gives the policy's headers to
//! every response the annotated handler did not decorate itself: an auth
//! layer's `401`, a body limit's `413`, a rate limit's `429`, a timeout's
//! `408`, axum's `405`. A page on an allowed origin can then read those
//! statuses instead of seeing a CORS failure.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use http::header::{HeaderMap, VARY};
use http::Method;
use tower::{Layer, Service};

use crate::decorate::{covers_origin, vary_covers_origin};
use crate::policy::Policy;
use crate::preflight::Preflight;
use crate::request_origin::RequestOrigin;

impl<S, const N: usize> Layer<S> for Preflight<N> {
    type Service = CorsRoute<S, N>;

    fn layer(&self, inner: S) -> Self::Service {
        self.register_as_layer();
        CorsRoute {
            inner,
            preflight: self.clone(),
        }
    }
}

/// The service [`Preflight`] wraps a route in, as a layer.
#[derive(Clone, Debug)]
pub struct CorsRoute<S, const N: usize> {
    inner: S,
    preflight: Preflight<N>,
}

impl<S, const N: usize> Service<Request> for CorsRoute<S, N>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = CorsRouteFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == Method::OPTIONS {
            return CorsRouteFuture::Answered {
                response: Some(self.preflight.answer_on_path(&request, true)),
            };
        }
        if let Some(path) = request.extensions().get::<MatchedPath>() {
            self.preflight.note_path(path);
        }
        let origin = RequestOrigin::for_response(request.method(), request.headers());
        let policy = self.preflight.policy_for_other(&origin);
        CorsRouteFuture::Inner {
            future: self.inner.call(request),
            decision: Some((origin, policy)),
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of a [`CorsRoute`].
    ///
    /// Its variants are not part of the API. It is an enum rather than a
    /// struct around one because the route's future is then written into
    /// it once, not copied in a second time (one copy of a few hundred
    /// bytes less per request).
    #[project = CorsRouteFutureProj]
    pub enum CorsRouteFuture<F> {
        // An `OPTIONS`, answered by the layer.
        #[doc(hidden)]
        Answered { response: Option<Response> },
        // Any other request, answered by the route; `decision` decorates
        // the response unless the handler did.
        #[doc(hidden)]
        Inner {
            #[pin]
            future: F,
            decision: Option<(RequestOrigin, &'static Policy)>,
        },
    }
}

impl<F, E> Future for CorsRouteFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            CorsRouteFutureProj::Answered { response } => Poll::Ready(Ok(response
                .take()
                .expect("`CorsRouteFuture` polled after completion"))),
            CorsRouteFutureProj::Inner { future, decision } => {
                // Handed on as it came unless it needs decorating, which
                // spares moving the response out and back in.
                let mut poll = future.poll(cx);
                let Poll::Ready(Ok(response)) = &mut poll else {
                    return poll;
                };
                // The annotated handler always leaves `Vary: Origin` (or a
                // `Vary` of its own that covers it): its response is final.
                if decorated(response.headers()) {
                    return poll;
                }
                let response = std::mem::take(response);
                let (origin, policy) = decision
                    .take()
                    .expect("`CorsRouteFuture` polled after completion");
                Poll::Ready(Ok(origin.grant_origin(policy).decorate(response)))
            }
        }
    }
}

/// Whether the annotated handler decorated a response: it always leaves a
/// `Vary` that covers `Origin`. A response has a few headers, and comparing
/// their names costs less than looking `Vary` up, which hashes the name.
#[inline]
fn decorated(headers: &HeaderMap) -> bool {
    if headers.keys_len() > 8 {
        return vary_covers_origin(headers);
    }
    headers
        .iter()
        .any(|(name, value)| name == VARY && covers_origin(value))
}

#[cfg(test)]
mod tests {
    use http::header::{HeaderMap, HeaderName, HeaderValue, VARY};

    use super::decorated;
    use crate::decorate::vary_covers_origin;

    /// The scan of a small map and the lookup of a large one say what
    /// the lookup alone said.
    #[test]
    fn decorated_agrees_with_the_vary_lookup() {
        let varies: [&[&str]; 7] = [
            &[],
            &["Origin"],
            &["accept-encoding"],
            &["accept-encoding", "Origin"],
            &["Accept-Encoding, origin"],
            &["*"],
            &["originator"],
        ];
        for others in 0..12 {
            for vary in varies {
                for vary_first in [false, true] {
                    let mut headers = HeaderMap::new();
                    let add_vary = |headers: &mut HeaderMap| {
                        for value in vary {
                            headers.append(VARY, HeaderValue::from_static(value));
                        }
                    };
                    if vary_first {
                        add_vary(&mut headers);
                    }
                    for i in 0..others {
                        let name = HeaderName::try_from(format!("x-other-{i}")).unwrap();
                        headers.insert(name, HeaderValue::from_static("Origin"));
                    }
                    if !vary_first {
                        add_vary(&mut headers);
                    }
                    assert_eq!(
                        decorated(&headers),
                        vary_covers_origin(&headers),
                        "{others} other headers, Vary {vary:?}"
                    );
                    assert_eq!(
                        decorated(&headers),
                        vary.iter()
                            .any(|value| *value != "accept-encoding" && *value != "originator"),
                        "{others} other headers, Vary {vary:?}"
                    );
                }
            }
        }
    }
}
