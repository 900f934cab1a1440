//! The arguments of the function `#[cors]` routes: each original
//! extractor, its rejection kept so that it can be given CORS headers; the
//! first one also decides the request for the handler's policy before its
//! extractor runs.

use std::convert::Infallible;
use std::future::{ready, Future};
use std::marker::PhantomData;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use http::header::HeaderMap;
use http::request::Parts;
use http::{Method, Uri};

use crate::decorate::{Forbidden, Grant};
use crate::request_origin::RequestOrigin;
use crate::routed::HandlerPolicy;

/// An extractor `T` as the function routed under a handler's name takes
/// it: its rejection is kept as a response instead of being returned
/// straight to axum, so that it can be given CORS headers.
///
/// `D` is what is decided before `T` runs: nothing (`()`) for every
/// argument but the first, [`Decided<H>`] for the first. A request the
/// policy of `H` refuses with `403` is answered before `T` or any later
/// extractor runs, so no body is read.
///
/// To call the handler as written, with its own extractors, use
/// `name::without_cors(...)`.
#[derive(Debug)]
pub struct Extract<T, D = ()> {
    decided: D,
    value: Result<T, Response>,
}

/// The first argument of the function routed under a handler's name:
/// its extractor `T`, and the decision for the request by the policy of
/// `H`, the struct `#[cors]` puts under the handler's name.
pub type WithOrigin<T, H> = Extract<T, Decided<H>>;

impl<T> Extract<T> {
    /// The extractor, or its rejection.
    #[inline]
    // The rejection is moved as it is, as axum moves it.
    #[allow(clippy::result_large_err)]
    pub fn into_inner(self) -> Result<T, Response> {
        self.value
    }
}

impl<T, H> Extract<T, Decided<H>> {
    /// The grant for the request, and the extractor or its rejection.
    #[inline]
    pub fn into_parts(self) -> (Grant, Result<T, Response>) {
        (self.decided.into_grant(), self.value)
    }
}

/// What is decided about a request before an [`Extract`]'s extractor
/// runs.
pub trait Decide: Sized + Send {
    /// The answer when the request is refused.
    type Rejection: IntoResponse;

    /// Decides from the request's head.
    fn decide(method: &Method, headers: &HeaderMap, uri: &Uri) -> Result<Self, Self::Rejection>;
}

impl Decide for () {
    type Rejection = Infallible;

    #[inline]
    fn decide(_: &Method, _: &HeaderMap, _: &Uri) -> Result<Self, Infallible> {
        Ok(())
    }
}

/// The decision for a request by the policy of `H`, the struct `#[cors]`
/// puts under a handler's name: the grant whose headers its response gets.
/// A state-changing cross-origin request the policy refuses is not decided
/// but answered, `403`, before any extractor runs.
#[derive(Debug)]
pub struct Decided<H> {
    grant: Grant,
    policy: PhantomData<fn() -> H>,
}

impl<H: HandlerPolicy> Decide for Decided<H> {
    type Rejection = Forbidden;

    // The work is in `RequestOrigin::decide`, compiled once: what is
    // generic over the handler stays this small.
    #[inline]
    fn decide(method: &Method, headers: &HeaderMap, uri: &Uri) -> Result<Self, Forbidden> {
        match RequestOrigin::decide(method, headers, uri, H::policy()) {
            Ok(grant) => Ok(Self {
                grant,
                policy: PhantomData,
            }),
            Err(forbidden) => Err(forbidden),
        }
    }
}

/// `Extract<T, D>` is an extractor of either kind when `T` is one: axum
/// runs one kind from the request's parts, the other (the last argument)
/// from the whole request; the steps are the same.
macro_rules! extract {
    ($kind:ident :: $method:ident($input:ident: $input_ty:ty) => $head:expr) => {
        impl<T, D, S> $kind<S> for Extract<T, D>
        where
            T: $kind<S>,
            D: Decide,
            S: Send + Sync,
        {
            type Rejection = D::Rejection;

            async fn $method($input: $input_ty, state: &S) -> Result<Self, Self::Rejection> {
                let (method, headers, uri) = $head;
                let decided = D::decide(method, headers, uri)?;
                Ok(Self::new(decided, T::$method($input, state).await))
            }
        }
    };
}

extract!(FromRequestParts::from_request_parts(parts: &mut Parts) => (&parts.method, &parts.headers, &parts.uri));
extract!(FromRequest::from_request(request: Request) => (request.method(), request.headers(), request.uri()));

impl<T, D> Extract<T, D> {
    #[inline]
    fn new<E: IntoResponse>(decided: D, value: Result<T, E>) -> Self {
        Self {
            decided,
            value: value.map_err(IntoResponse::into_response),
        }
    }
}

/// A handler without arguments is routed with [`Decided<H>`] as its only
/// argument: taking the whole request spares axum splitting it into
/// parts, and the future is ready at once.
///
/// To call the handler as written, use `name::without_cors()`.
impl<H: HandlerPolicy, S: Sync> FromRequest<S> for Decided<H> {
    type Rejection = Forbidden;

    fn from_request(
        request: Request,
        _state: &S,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        ready(Self::decide(
            request.method(),
            request.headers(),
            request.uri(),
        ))
    }
}

impl<H> Decided<H> {
    /// The grant for the request.
    #[inline]
    pub fn into_grant(self) -> Grant {
        self.grant
    }
}
