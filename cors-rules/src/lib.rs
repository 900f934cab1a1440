//! The origin rules shared by `cors-macros` and `cors-runtime`.
//!
//! The attribute checks literal `origins = [...]` entries with them while
//! the user's crate compiles; the runtime checks `env(...)` entries with the
//! same code when it starts. Not meant to be used directly: depend on
//! `cors-runtime`.

pub mod origin;
#[cfg(test)]
mod origin_properties;
