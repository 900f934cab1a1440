//! The procedural macro behind `cors_runtime::cors`. Depend on
//! `cors-runtime`, which re-exports it with its documentation.
//!
//! The attribute goes through three phases, one module each: `attr`
//! parses the arguments into a model that keeps every span, `valid`
//! checks them and the handler, `expand` writes the code. Every mistake
//! is collected in `Errors` and reported together, and the handler is
//! still emitted so that the rest of the user's crate type-checks.
//!
//! `layer!` (module `layer`) reads its keys with the same parser and
//! checks them with the same rules; `policy!` and the named policies it
//! declares are in `named`, `preflight!` in `preflight`, and the policy's
//! `static`, which handlers and layers share, in `static_policy`.

mod attr;
mod errors;
mod expand;
mod layer;
mod named;
mod preflight;
mod static_policy;
mod valid;

use cors_rules::origin;
use proc_macro::TokenStream;
use quote::ToTokens;

use crate::errors::Errors;

/// Gives an axum handler its own CORS policy. Documented in `cors_runtime`.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let attribute = proc_macro2::TokenStream::from(args);
    let args = attr::parse(attribute.clone(), &mut errors);
    let written;
    let source = match args
        .entries
        .iter()
        .find(|entry| entry.kind == attr::Key::Policy)
    {
        None => {
            written = valid::policy(&args, attr::attribute_span(), &mut errors);
            static_policy::PolicySource::Written(&written)
        }
        Some(entry) => match valid::policy_path(&entry.value, &mut errors) {
            Some(path) => static_policy::PolicySource::Named {
                path,
                krate: valid::handler_crate(&args),
                attribute,
            },
            None => {
                // The path was reported; the handler is still emitted.
                written = valid::policy(&args, attr::attribute_span(), &mut Errors::default());
                static_policy::PolicySource::Written(&written)
            }
        },
    };
    let mut output = match syn::parse::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(function)) => {
            let signature_ok = valid::handler(&function, &mut errors);
            expand::handler(&function, &source, signature_ok)
        }
        Ok(other) => {
            let (span, message) = valid::not_a_function(&other);
            errors.error(span, message);
            other.into_token_stream()
        }
        Err(error) => {
            // An expression, `get(#[cors] || async { ... })`, whose
            // output must be one expression, or rustc drops the error
            // after it; or a statement, `#[cors] let handler = || ...;`.
            if let Ok(expr) = syn::parse::<syn::Expr>(item.clone()) {
                let (span, message) = valid::not_an_expression(&expr);
                errors.error(span, message);
                let errors = errors.into_compile_errors();
                return quote::quote!({ #errors #expr }).into();
            }
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

/// The expansion of `cors_runtime::layer!`, which passes `$crate`.
#[doc(hidden)]
#[proc_macro]
pub fn layer_with(input: TokenStream) -> TokenStream {
    layer::expand(input.into()).into()
}

/// Declares named policies. Documented in `cors_runtime`.
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    named::declarations(input.into()).into()
}

/// A named policy merged with a handler's keys; called by the macro
/// `policy!` declares. Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn named_policy(input: TokenStream) -> TokenStream {
    named::combined(input.into()).into()
}
