//! The procedural macro behind `cors_runtime::cors`. Depend on
//! `cors-runtime`, which re-exports it with its documentation.
//!
//! The attribute goes through three phases, one module each: `attr`
//! parses the arguments into a model that keeps every span, `valid`
//! checks them and the handler, `expand` writes the code. Every mistake
//! is collected in `Errors` and reported together, and the handler is
//! still emitted so that the rest of the user's crate type-checks.

mod attr;
mod errors;
mod expand;
mod preflight;
mod valid;

use cors_rules::origin;
use proc_macro::TokenStream;
use quote::ToTokens;

use crate::errors::Errors;

/// Gives an axum handler its own CORS policy. Documented in `cors_runtime`.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse(args.into(), &mut errors);
    let policy = valid::policy(&args, &mut errors);
    let mut output = match syn::parse::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(function)) => {
            let signature_ok = valid::handler(&function, &mut errors);
            expand::handler(&function, &policy, signature_ok)
        }
        Ok(other) => {
            let (span, message) = valid::not_a_function(&other);
            errors.error(span, message);
            other.into_token_stream()
        }
        Err(error) => {
            // A statement: `#[cors] let handler = || ...;`.
            match syn::parse::<syn::Stmt>(item.clone()) {
                Ok(statement) => {
                    let (span, message) = valid::not_an_item(&statement);
                    errors.error(span, message);
                }
                Err(_) => errors.push(error),
            }
            item.into()
        }
    };
    output.extend(errors.into_compile_errors());
    output.into()
}

/// The expansion of `cors_runtime::preflight!`, which passes `$crate`.
#[doc(hidden)]
#[proc_macro]
pub fn preflight_with(input: TokenStream) -> TokenStream {
    preflight::expand(input.into()).into()
}
