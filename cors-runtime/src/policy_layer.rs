//! A policy as a tower layer, `layer!(APP)`: CORS for services, closures
//! and the responses no annotated handler made.

use crate::policy::Policy;

/// The layer [`layer!`](crate::layer) builds: one policy around a service
/// (`ServeDir`, `nest_service`, a closure route), or around a whole app as
/// the default for every request no annotated handler decided.
#[derive(Clone, Copy, Debug)]
pub struct PolicyLayer {
    policy: &'static Policy,
}

impl PolicyLayer {
    /// The policy it applies.
    pub fn policy(&self) -> &'static Policy {
        self.policy
    }
}

/// What `layer!` expands to. Not public API.
pub fn policy_layer(policy: &'static Policy) -> PolicyLayer {
    PolicyLayer { policy }
}
