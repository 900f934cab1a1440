//! The rules `cors-macros` and `cors-runtime` both apply, written once.
//!
//! - [`origin`]: what an entry of `origins` may be. The attribute checks
//!   literal entries while the user's crate compiles; the runtime checks
//!   `env(...)` entries with the same code when it starts.
//! - [`token`]: what a method or a header name may be.
//!
//! Not meant to be used directly: depend on `cors-runtime`.

pub mod origin;
#[cfg(test)]
mod origin_properties;
pub mod token;
