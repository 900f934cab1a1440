//! `preflight!(...)` as a route's layer:
//! `get(list).post(create).route_layer(auth).preflight_layer(preflight!(list, create))`.
//!
//! Outside the route's own middleware, it answers every preflight before
//! that middleware runs (an auth layer never sees one: browsers send them
//! without credentials), and it gives the policy's headers to every
//! response of a method its handlers serve that the handler did not decide
//! itself: an auth layer's `401`, a body limit's `413`, a rate limit's
//! `429`, a timeout's `408`; and to axum's `405`. It grants nothing for a
//! method none of its handlers serve, and refuses a cross-origin write to
//! such a method with `403` before anything inside runs.
//!
//! It is a method on `MethodRouter` rather than a value for `.layer(...)`:
//! `Router::layer` takes the same type of layer, and there it would lend
//! one route's policy to every route of the router.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::MethodRouter;
use http::header::{ACCESS_CONTROL_REQUEST_METHOD, ALLOW};
use http::{Method, StatusCode};
use tower::{Layer, Service};

use crate::decision::{self, Scope};
use crate::decorate::Forbidden;
use crate::log::refused;
#[cfg(feature = "tracing")]
use crate::log::Lossy;
use crate::policy::Policy;
use crate::preflight::Preflight;
use crate::request_origin::RequestOrigin;

/// Puts a [`preflight!`](crate::preflight) around a route's method router,
/// outside its own middleware.
///
/// ```
/// use axum::{extract::Request, http::StatusCode, middleware::{from_fn, Next}, response::Response};
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight, MethodRouterExt as _};
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET], credentials = true)]
/// async fn list() -> &'static str { "[]" }
///
/// #[cors(origins = ["https://app.example.com"], methods = [POST], credentials = true)]
/// async fn create() -> &'static str { "created" }
///
/// async fn require_token(request: Request, next: Next) -> Result<Response, StatusCode> {
///     if request.headers().contains_key("authorization") {
///         Ok(next.run(request).await)
///     } else {
///         Err(StatusCode::UNAUTHORIZED) // the page on app.example.com can read this 401
///     }
/// }
///
/// let app: Router = Router::new().route(
///     "/things",
///     get(list).post(create).route_layer(from_fn(require_token)).preflight_layer(preflight!(list, create)),
/// );
/// ```
///
/// On a whole `Router` it does not compile: there it would answer for
/// routes whose handlers it does not name.
///
/// ```compile_fail
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, preflight};
///
/// #[cors(origins = "*", methods = [GET])]
/// async fn status() -> &'static str { "ok" }
///
/// async fn private() -> &'static str { "secret" }
///
/// let app: Router = Router::new()
///     .route("/status", get(status))
///     .route("/private", get(private))
///     .preflight_layer(preflight!(status));
/// ```
pub trait MethodRouterExt {
    /// Wraps every method of this route, and its `405`, in `preflight`.
    #[must_use]
    fn preflight_layer<const N: usize>(self, preflight: Preflight<N>) -> Self;
}

impl<S> MethodRouterExt for MethodRouter<S, Infallible>
where
    S: Clone + Send + Sync + 'static,
{
    fn preflight_layer<const N: usize>(self, preflight: Preflight<N>) -> Self {
        self.layer(PreflightLayer(preflight))
    }
}

/// The layer behind [`MethodRouterExt::preflight_layer`]; not nameable, so
/// that it goes on a method router only.
#[derive(Clone)]
struct PreflightLayer<const N: usize>(Preflight<N>);

impl<S, const N: usize> Layer<S> for PreflightLayer<N> {
    type Service = CorsRoute<S, N>;

    fn layer(&self, inner: S) -> Self::Service {
        CorsRoute {
            inner,
            preflight: self.0.clone(),
        }
    }
}

/// The service a route's method router is wrapped in.
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
    type Future = CorsRouteFuture<S::Future, Preflight<N>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = request.method();
        if method == Method::OPTIONS
            && request
                .headers()
                .contains_key(ACCESS_CONTROL_REQUEST_METHOD)
        {
            return CorsRouteFuture::Answered {
                response: Some(self.preflight.answer_request(&request, true)),
            };
        }
        let served = self.preflight.serving(method.as_str().as_bytes());
        // Read once; the request's head is read further only for a write to
        // a method none of the handlers serve.
        let origin = RequestOrigin::for_response(method, request.headers());
        if served.is_none()
            && method != Method::OPTIONS
            && origin.is_untrusted_cross_origin_write(request.headers(), request.uri())
            && self
                .preflight
                .policies()
                .iter()
                .any(|p| p.protects_cross_origin())
        {
            let policy = self.preflight.policies()[0];
            refused!(
                policy.name,
                origin.header(),
                "state-changing cross-origin request for a method no handler of this `preflight!` serves answered 403",
                method = %Lossy(method.as_str().as_bytes())
            );
            return CorsRouteFuture::Answered {
                response: Some(Forbidden(origin.refuse_for(policy)).into_response()),
            };
        }
        let mut scope = None;
        let future = decision::within(&mut scope, || self.inner.call(request));
        CorsRouteFuture::Inner {
            future,
            scope,
            origin: Some(origin),
            covered: match served {
                Some(policy) => Covered::Served(policy),
                // Rare, so the one clone is here.
                None => Covered::Unserved(self.preflight.clone()),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of a [`CorsRoute`].
    ///
    /// Its variants are not part of the API.
    #[project = CorsRouteFutureProj]
    pub enum CorsRouteFuture<F, P> {
        // Answered by the layer: a preflight, or a refused write.
        #[doc(hidden)]
        Answered { response: Option<Response> },
        // Answered by the route, decorated unless a handler decided.
        #[doc(hidden)]
        Inner {
            #[pin]
            future: F,
            scope: Scope,
            origin: Option<RequestOrigin>,
            covered: Covered<P>,
        },
    }
}

/// What covers a request's method: the policy serving it, or none of the
/// `preflight!`'s.
#[derive(Debug)]
#[doc(hidden)]
pub enum Covered<P> {
    Served(&'static Policy),
    Unserved(P),
}

impl<F, E, const N: usize> Future for CorsRouteFuture<F, Preflight<N>>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            CorsRouteFutureProj::Answered { response } => Poll::Ready(Ok(response
                .take()
                .expect("`CorsRouteFuture` polled after completion"))),
            CorsRouteFutureProj::Inner {
                future,
                scope,
                origin,
                covered,
            } => {
                let response = match std::task::ready!(decision::poll_within(scope, future, cx)) {
                    Ok(response) => response,
                    Err(error) => return Poll::Ready(Err(error)),
                };
                let origin = origin
                    .take()
                    .expect("`CorsRouteFuture` polled after completion");
                Poll::Ready(Ok(finish(response, *scope, origin, covered)))
            }
        }
    }
}

/// The route's response, as the layer hands it on: a handler's decision
/// stands (and is passed on to the layers outside); any other response is
/// decorated by the policy serving its method, or, for axum's `405`, by the
/// first policy that allows the origin; a response of a method none of
/// the handlers serve gets no grant.
fn finish<const N: usize>(
    response: Response,
    decided: Scope,
    origin: RequestOrigin,
    covered: &Covered<Preflight<N>>,
) -> Response {
    if let Some(decided) = decided {
        decision::record(decided.policy, decided.granted);
        return response;
    }
    let preflight = match covered {
        Covered::Served(policy) => return origin.grant_origin(policy).decorate(response),
        Covered::Unserved(preflight) => preflight,
    };
    if origin.method() == Method::OPTIONS && response.status() == StatusCode::METHOD_NOT_ALLOWED {
        // A plain `OPTIONS` the route has no handler for: the answer a
        // plain `OPTIONS` gets from `.options(preflight!(..))`.
        let mut response = response;
        *response.status_mut() = StatusCode::NO_CONTENT;
        response
            .headers_mut()
            .insert(ALLOW, preflight.allow().clone());
        *response.body_mut() = axum::body::Body::empty();
        return origin
            .refuse_for(preflight.policies()[0])
            .decorate(response);
    }
    let policies = preflight.policies();
    // axum's `405` for a method the route does not serve (its `Allow` is
    // added outside this layer): no handler ran.
    let policy = if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        policies
            .iter()
            .copied()
            .find(|policy| policy.origins.verdict(origin.header()).is_some())
    } else {
        None
    };
    match policy {
        Some(policy) => origin.grant_origin(policy).decorate(response),
        None => origin.refuse_for(policies[0]).decorate(response),
    }
}
