//! Adding CORS headers to a handler's response, whatever produced it.

use std::convert::Infallible;
use std::marker::PhantomData;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};
use http::request::Parts;

use crate::log::refused;
use crate::origin::OriginHeader;
use crate::policy::Policy;
use crate::CorsHandler;

pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
const ORIGIN_VARY: HeaderValue = HeaderValue::from_static("Origin");

/// The origin decision for one actual request to handler `H`, taken before
/// any extractor runs so that their rejections get CORS headers too.
pub struct OriginGrant<H> {
    allow_origin: Option<HeaderValue>,
    handler: PhantomData<fn() -> H>,
}

impl<H: CorsHandler> OriginGrant<H> {
    /// Decides for a request with these headers.
    #[inline]
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            allow_origin: decide(H::policy(), headers),
            handler: PhantomData,
        }
    }

    /// Adds the policy's headers to `response`: the `Access-Control-*`
    /// headers when the origin is allowed, and `Vary: Origin` always, since
    /// the answer depends on it.
    #[inline]
    pub fn decorate(self, response: Response) -> Response {
        decorate(H::policy(), self.allow_origin, response)
    }
}

// The work is done by these two non-generic functions, compiled once in this
// crate rather than once per handler in the user's.

fn decide(policy: &Policy, headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = OriginHeader::from_headers(headers);
    let allow_origin = policy.origins.allow(origin);
    if allow_origin.is_none() && !matches!(origin, OriginHeader::Absent) {
        refused!(policy.name, origin, "origin not allowed");
    }
    allow_origin
}

fn decorate(
    policy: &Policy,
    allow_origin: Option<HeaderValue>,
    mut response: Response,
) -> Response {
    let headers = response.headers_mut();
    if let Some(allow_origin) = allow_origin {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
        if policy.credentials {
            headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        if let Some(expose) = &policy.expose_headers {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
    }
    add_vary_origin(headers);
    response
}

impl<H: CorsHandler, S: Sync> FromRequestParts<S> for OriginGrant<H> {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_headers(&parts.headers))
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
