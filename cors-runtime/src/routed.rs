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

use crate::decorate::Decorate;
use crate::extract::{Extract, OnlyRequestOrigin, WithOrigin};
use crate::preflight::HandlerInfo;
use crate::CorsHandler;

/// The future of a function `#[cors]` routes: names the type that carries
/// its policy, and holds the future of the function as written.
pub trait Routed {
    /// The handler's policy.
    type Handler: CorsHandler;

    /// The future of the function as written.
    type Inner: Future;

    /// The future of the function as written, from a call of the routed
    /// function without a request (each extractor given with
    /// [`Extract::direct`], or [`OnlyRequestOrigin::direct`]): how
    /// `name::without_cors` reaches the function as written when it sits
    /// inside the routed function. Such a call is never rejected nor
    /// refused, so this is the future itself.
    fn into_inner(self) -> Self::Inner;
}

impl<F: Future, R, H: CorsHandler> Routed for Decorate<F, R, H> {
    type Handler = H;
    type Inner = F;

    fn into_inner(self) -> F {
        Decorate::into_inner(self)
    }
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
