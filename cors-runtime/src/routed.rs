//! What `#[cors]` routes under a handler's name, and how `preflight!`
//! finds a handler's policy from it.
//!
//! For a handler `items`, `#[cors]` writes three things under that name:
//! a struct `items {}` (type namespace) that carries the policy
//! ([`HandlerPolicy`]) and holds `items::without_cors`, the handler as
//! written; and the function routed as `items` (value namespace), which
//! takes the handler's extractors wrapped in [`Extract`] and calls
//! `items::without_cors`. Its first argument names the struct as a type
//! parameter ([`WithOrigin<T, items>`](WithOrigin), or [`Decided<items>`]
//! for a handler without arguments), so the policy is
//! reached from the function's type alone ([`AnnotatedHandler`]), and
//! decides the request before any extractor runs.
//!
//! The items here are used by the generated code; none needs to be
//! written by hand. To call a handler as written, with its own
//! arguments, use `name::without_cors(...)`.

use axum::response::Response;

pub use crate::decorate::{Decorate, Forbidden, Grant};
pub use crate::extract::{Decide, Decided, Extract, WithOrigin};
use crate::policy::Policy;
use crate::preflight::HandlerInfo;
/// axum's, named here so that an error about a handler's return type
/// names it by a path of this crate.
pub use axum::response::IntoResponse;

/// The policy `#[cors(...)]` gives a handler, implemented by the struct
/// it puts under the handler's name.
pub trait HandlerPolicy {
    /// The methods the policy lists.
    const METHODS: &'static [&'static str];

    /// The policy.
    fn policy() -> &'static Policy;
}

/// A handler annotated with `#[cors(...)]`, as routed, taking the
/// arguments `Args`: what `preflight!` takes.
#[diagnostic::on_unimplemented(
    message = "`preflight!` takes handlers annotated with `#[cors(...)]`",
    label = "no `#[cors(...)]` on this handler",
    note = "add `#[cors(origins = [...], methods = [...])]` above the handler's `async fn`"
)]
pub trait AnnotatedHandler<Args> {
    /// The struct under the handler's name, which carries its policy.
    type Handler: HandlerPolicy;

    /// What `preflight!` reads of it.
    const INFO: HandlerInfo = HandlerInfo {
        methods: <Self::Handler as HandlerPolicy>::METHODS,
        policy: <Self::Handler as HandlerPolicy>::policy,
    };
}

impl<F, Fut, H> AnnotatedHandler<(Decided<H>,)> for F
where
    F: FnOnce(Decided<H>) -> Fut,
    H: HandlerPolicy,
{
    type Handler = H;
}

/// The extractors of a handler, each taken or rejected: all taken, or
/// the first rejection.
// The rejection is moved as it is, as axum moves it.
#[allow(clippy::result_large_err)]
pub trait Extracted {
    /// The extractors.
    type Values;

    /// All of them, or the first rejection.
    ///
    /// # Errors
    ///
    /// The first rejection, in argument order, as axum would answer it.
    fn all(self) -> Result<Self::Values, Response>;
}

/// One impl per number of arguments, as axum's `Handler`.
macro_rules! arity {
    ($first:ident $(, $rest:ident)*) => {
        impl<F, Fut, H, $first, $($rest,)*> AnnotatedHandler<(WithOrigin<$first, H>, $(Extract<$rest>,)*)> for F
        where
            F: FnOnce(WithOrigin<$first, H>, $(Extract<$rest>,)*) -> Fut,
            H: HandlerPolicy,
        {
            type Handler = H;
        }

        impl<$first, $($rest,)*> Extracted for (Result<$first, Response>, $(Result<$rest, Response>,)*) {
            type Values = ($first, $($rest,)*);

            #[inline]
            #[allow(non_snake_case)]
            fn all(self) -> Result<Self::Values, Response> {
                let ($first, $($rest,)*) = self;
                Ok(($first?, $($rest?,)*))
            }
        }
    };
}

arity!(T1);
arity!(T1, T2);
arity!(T1, T2, T3);
arity!(T1, T2, T3, T4);
arity!(T1, T2, T3, T4, T5);
arity!(T1, T2, T3, T4, T5, T6);
arity!(T1, T2, T3, T4, T5, T6, T7);
arity!(T1, T2, T3, T4, T5, T6, T7, T8);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15);
arity!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16);
