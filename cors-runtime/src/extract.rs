//! The extractors the routed function takes: each original extractor,
//! its rejection kept so that it can be given CORS headers, and the
//! request's origin read with the first.

use std::convert::Infallible;
use std::future::{ready, Future};

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use http::header::HeaderMap;
use http::request::Parts;
use http::{Method, Uri};

use crate::request_origin::RequestOrigin;

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
