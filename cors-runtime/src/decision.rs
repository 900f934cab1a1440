//! Who decided a request's CORS answer, told to the layers around it.
//!
//! A `preflight!` layer and a `layer!` default must know whether an
//! annotated handler (or a `preflight!` answering `OPTIONS`) decided the
//! request: if so, that decision stands, even when a middleware between
//! them changed or rebuilt the response. A header can't carry that, since
//! any middleware can change headers, and neither can the response's
//! extensions, which an error mapper drops. So a layer opens a scope for
//! the time it runs the inner service, and a decision made inside is
//! written into it.
//!
//! The scope is a thread-local value swapped in around each `call` and
//! `poll` of the inner service, as tokio's task-locals do, so it belongs
//! to one request and lives no longer: nothing is kept between requests,
//! nothing allocates. A decision made on another task (a middleware that
//! spawns the inner service's future) is not seen here. The default layer
//! then reads the response: one whose `Vary` names `Origin`, as everything
//! an annotated handler or `preflight!` answers does, without a grant was
//! refused inside, and the default adds none. Only a middleware that both spawns the request and
//! rebuilds the response without that `Vary` leaves the default to decide
//! a response a handler made.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::policy::Policy;

/// What an annotated handler or `preflight!` decided.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Decision {
    /// The policy that decided.
    pub(crate) policy: &'static Policy,
    /// Whether it granted the request (the page may read the answer).
    pub(crate) granted: bool,
}

/// A layer's scope: `None` until something inside decides.
pub(crate) type Scope = Option<Decision>;

thread_local! {
    /// The innermost open scope; `Closed` outside every layer.
    static CURRENT: Cell<Slot> = const { Cell::new(Slot::Closed) };
}

#[derive(Clone, Copy)]
enum Slot {
    Closed,
    Open(Scope),
}

/// Tells the innermost layer around this request what `policy` decided.
/// Outside any layer it does nothing.
#[inline]
pub(crate) fn record(policy: &'static Policy, granted: bool) {
    CURRENT.with(|current| {
        if let Slot::Open(_) = current.get() {
            current.set(Slot::Open(Some(Decision { policy, granted })));
        }
    });
}

/// Runs `f` with `scope` open, and writes back what was decided in it.
#[inline]
pub(crate) fn within<T>(scope: &mut Scope, f: impl FnOnce() -> T) -> T {
    let _open = Open::new(scope);
    f()
}

/// `scope`, open on this thread until dropped; then what was decided in
/// it is written back and the outer scope is current again. Dropped on a
/// panic too, so a caught panic leaves no open scope behind on this
/// thread.
///
/// A guard rather than a closure, so that a layer's `call` and `poll`
/// run the inner service's directly, without moving the request, the
/// future or the response through a closure.
pub(crate) struct Open<'a> {
    scope: &'a mut Scope,
    outer: Slot,
}

impl<'a> Open<'a> {
    #[inline]
    pub(crate) fn new(scope: &'a mut Scope) -> Self {
        let outer = CURRENT.with(|current| current.replace(Slot::Open(*scope)));
        Self { scope, outer }
    }
}

impl Drop for Open<'_> {
    #[inline]
    fn drop(&mut self) {
        if let Slot::Open(decided) = CURRENT.with(|current| current.replace(self.outer)) {
            *self.scope = decided;
        }
    }
}

/// Polls `future` within `scope`.
#[inline]
pub(crate) fn poll_within<F: Future>(
    scope: &mut Scope,
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<F::Output> {
    within(scope, || future.poll(cx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::AllowedOrigins;
    use crate::policy::{AllowedHeaders, PolicyKind, Switches};

    fn policy(name: &'static str) -> &'static Policy {
        Box::leak(Box::new(Policy::new(
            PolicyKind::Handler,
            name,
            "here",
            AllowedOrigins::Any,
            &["GET"],
            AllowedHeaders::None,
            &[],
            Switches {
                credentials: false,
                private_network: false,
                cross_origin_protection: true,
                tolerate_insecure_origins: false,
            },
            None,
            None,
            &[],
            &[],
        )))
    }

    #[test]
    fn a_decision_reaches_the_innermost_scope_only() {
        let (a, b) = (policy("a"), policy("b"));
        let mut outer = None;
        let mut inner = None;
        within(&mut outer, || {
            within(&mut inner, || record(a, true));
        });
        assert!(inner.is_some_and(|d| std::ptr::eq(d.policy, a) && d.granted));
        assert!(outer.is_none());
        within(&mut outer, || record(b, false));
        assert!(outer.is_some_and(|d| std::ptr::eq(d.policy, b) && !d.granted));
    }

    #[test]
    fn outside_a_scope_nothing_is_kept() {
        record(policy("a"), true);
        let mut scope = None;
        within(&mut scope, || {});
        assert!(scope.is_none());
    }

    #[test]
    fn a_panic_inside_closes_the_scope() {
        let mut scope = None;
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            within(&mut scope, || panic!("inside"));
        }));
        assert!(caught.is_err());
        record(policy("a"), true);
        let mut next = None;
        within(&mut next, || {});
        assert!(next.is_none(), "the panicked scope stayed open");
    }
}
