//! How the function `#[cors]` routes under a handler's name leads back to
//! the handler's policy and to the function as written.
//!
//! Both are reached from the function as a value (its type), not from any
//! other name: `preflight!(items)` names the same `items` that `get(items)`
//! routes, so a typo gets rustc's "a function with a similar name exists",
//! and a function without `#[cors]` gets one error saying so. The type that
//! carries the policy is declared inside the routed function and surfaces
//! only as [`Routed::Handler`] of its future, so nothing beside the function
//! in its module (an `impl` block, a module of the same name) is needed for
//! routing.

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

/// The function as written, which the routed function keeps inside
/// itself, called with its own arguments `A` (a tuple). `G` names its type
/// parameters, so that an impl for a generic handler constrains them all.
/// Its future is `Send`, as axum needs, and its output is the handler's
/// return type, written out; see [`Direct`] for generic handlers, and
/// [`DirectSendResponse`] for a return type that contains `impl Trait`,
/// which no impl can name.
pub trait DirectSend<A, G> {
    /// What the function as written returns.
    type Output;

    /// Calls it.
    fn call(args: A) -> impl Future<Output = Self::Output> + Send;
}

/// [`DirectSend`] for a generic handler, whose future may be `Send` for
/// some type parameters only: axum checks that where it is routed.
pub trait Direct<A, G> {
    /// What the function as written returns.
    type Output;

    /// Calls it.
    fn call(args: A) -> impl Future<Output = Self::Output>;
}

/// [`DirectSend`] for a handler returning `impl IntoResponse` (or any type
/// containing `impl Trait`): its output is known as a response only.
pub trait DirectSendResponse<A, G> {
    /// Calls it.
    fn call(args: A) -> impl Future<Output: IntoResponse> + Send;
}

/// [`DirectSendResponse`] for a generic handler.
pub trait DirectResponse<A, G> {
    /// Calls it.
    fn call(args: A) -> impl Future<Output: IntoResponse>;
}

/// `name::without_cors(args)`: the function as written, reached through
/// the routed function `routed`, for each of the four traits above.
macro_rules! direct {
    ($(#[$doc:meta])* $name:ident, $direct:ident, ($($send:tt)*), $output:ty) => {
        $(#[$doc])*
        pub fn $name<F, W, A, G>(routed: F, args: A) -> impl Future<Output = $output> $($send)*
        where
            F: Annotated<W>,
            F::Handler: $direct<A, G>,
        {
            let _ = routed;
            <F::Handler as $direct<A, G>>::call(args)
        }
    };
}

direct!(
    /// Through [`DirectSend`].
    direct_send, DirectSend, (+ Send), <F::Handler as DirectSend<A, G>>::Output
);
direct!(
    /// Through [`Direct`].
    direct, Direct, (), <F::Handler as Direct<A, G>>::Output
);
direct!(
    /// Through [`DirectSendResponse`].
    direct_send_response, DirectSendResponse, (+ Send), impl IntoResponse
);
direct!(
    /// Through [`DirectResponse`].
    direct_response, DirectResponse, (), impl IntoResponse
);
