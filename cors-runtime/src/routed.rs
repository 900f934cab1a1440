//! How the function `#[cors]` routes under a handler's name leads back to
//! the handler's policy and to the function as written.
//!
//! Both are reached from the function as a value (its type), not from any
//! other name: `preflight!(items)` names the same `items` that `get(items)`
//! routes, so a typo gets rustc's "a function with a similar name exists",
//! and a function without `#[cors]` gets one error saying so. The type that
//! carries the policy is declared inside the routed function and surfaces
//! only as [`Routed::Handler`] of its future, so for a handler without type
//! parameters or a nested `impl Trait` output, routing needs nothing beside
//! the function; the others' routed functions call `name::without_cors`.

use std::future::Future;

use axum::response::IntoResponse;

use crate::preflight::HandlerInfo;
use crate::response::{Decorate, Extract, OnlyRequestOrigin, WithOrigin};
use crate::CorsHandler;

/// The future of a function `#[cors]` routes: names the type that carries
/// its policy.
pub trait Routed {
    /// The handler's policy.
    type Handler: CorsHandler;
}

impl<F: Future, R, H: CorsHandler> Routed for Decorate<F, R, H> {
    type Handler = H;
}

/// A function `#[cors]` routes, taking the arguments `W`.
#[diagnostic::on_unimplemented(
    message = "`preflight!` takes handlers annotated with `#[cors(...)]`",
    label = "no `#[cors(...)]` on this handler",
    note = "add `#[cors(origins = [...], methods = [...])]` above the handler's `async fn`"
)]
pub trait Annotated<W> {
    /// The handler's policy.
    type Handler: CorsHandler;

    /// What `preflight!` reads of it.
    const INFO: HandlerInfo = HandlerInfo {
        methods: <Self::Handler as CorsHandler>::METHODS,
        policy: <Self::Handler as CorsHandler>::policy,
    };
}

impl<F, Fut> Annotated<(OnlyRequestOrigin,)> for F
where
    F: FnOnce(OnlyRequestOrigin) -> Fut,
    Fut: Routed,
{
    type Handler = Fut::Handler;
}

/// One impl per number of arguments, as axum's `Handler`: the routed
/// function's first argument carries the request's origin.
macro_rules! annotated {
    ($first:ident $(, $rest:ident)*) => {
        impl<F, Fut, $first, $($rest,)*> Annotated<(WithOrigin<$first>, $(Extract<$rest>,)*)> for F
        where
            F: FnOnce(WithOrigin<$first>, $(Extract<$rest>,)*) -> Fut,
            Fut: Routed,
        {
            type Handler = Fut::Handler;
        }
    };
}

annotated!(T1);
annotated!(T1, T2);
annotated!(T1, T2, T3);
annotated!(T1, T2, T3, T4);
annotated!(T1, T2, T3, T4, T5);
annotated!(T1, T2, T3, T4, T5, T6);
annotated!(T1, T2, T3, T4, T5, T6, T7);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15);
annotated!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16);

/// The function as written, which the routed function of a handler
/// without type parameters keeps inside itself, called with its own
/// arguments `A` (a tuple). Its future is `Send`, as axum needs, and its
/// output is the handler's return type, written out; see
/// [`DirectSendResponse`] for `impl IntoResponse`, which no impl can name.
/// (A generic handler keeps the function as written in `without_cors`,
/// whose future then stays `Send` exactly where its parameters make it.)
pub trait DirectSend<A> {
    /// What the function as written returns.
    type Output;

    /// Calls it.
    fn call(args: A) -> impl Future<Output = Self::Output> + Send;
}

/// [`DirectSend`] for a handler returning `impl IntoResponse`.
pub trait DirectSendResponse<A> {
    /// Calls it.
    fn call(args: A) -> impl Future<Output: IntoResponse + Send> + Send;
}

/// `name::without_cors(args)`: the function as written, reached through
/// the routed function `routed`.
pub fn direct_send<F, W, A>(
    routed: F,
    args: A,
) -> impl Future<Output = <F::Handler as DirectSend<A>>::Output> + Send
where
    F: Annotated<W>,
    F::Handler: DirectSend<A>,
{
    let _ = routed;
    <F::Handler as DirectSend<A>>::call(args)
}

/// [`direct_send`] through [`DirectSendResponse`].
pub fn direct_send_response<F, W, A>(
    routed: F,
    args: A,
) -> impl Future<Output = impl IntoResponse + Send> + Send
where
    F: Annotated<W>,
    F::Handler: DirectSendResponse<A>,
{
    let _ = routed;
    <F::Handler as DirectSendResponse<A>>::call(args)
}
