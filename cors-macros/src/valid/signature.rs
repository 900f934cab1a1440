//! The item `#[cors]` is on: an `async fn` that axum can route once
//! wrapped, or a mistake (a method, a closure, a `struct`) with a message
//! that says what to write instead.

use proc_macro2::{Span, TokenTree};
use quote::ToTokens;
use syn::spanned::Spanned;

use crate::errors::Errors;

/// Axum's limit on a handler's arguments, less the one the wrapper adds.
const MAX_ARGUMENTS: usize = 16;

/// Checks that the function can become the wrapper: an `async fn` with no
/// receiver and room for one more extractor. Returns whether it can.
pub(crate) fn handler(function: &syn::ItemFn, errors: &mut Errors) -> bool {
    let signature = &function.sig;
    let mut problems = Errors::default();
    if let Some(receiver) = signature.receiver() {
        problems.spanned(
            receiver,
            "`#[cors]` cannot be used on a method: axum handlers are free functions; move it out of the `impl` block",
        );
    }
    if signature.asyncness.is_none() {
        problems.error(
            signature.fn_token.span(),
            format!(
                "`#[cors]` applies to an `async fn` handler; write `async fn {}`",
                signature.ident
            ),
        );
    }
    if let Some(constness) = &signature.constness {
        problems.spanned(constness, "a `const fn` cannot be an axum handler");
    }
    if let Some(unsafety) = &signature.unsafety {
        problems.spanned(unsafety, "an `unsafe fn` cannot be an axum handler");
    }
    if let Some(abi) = &signature.abi {
        problems.spanned(abi, "an `extern` function cannot be an axum handler");
    }
    if let Some(variadic) = &signature.variadic {
        problems.spanned(variadic, "a variadic function cannot be an axum handler");
    }
    if signature.inputs.len() > MAX_ARGUMENTS {
        problems.spanned(
            &signature.inputs,
            format!("axum handlers take at most {MAX_ARGUMENTS} arguments; group some extractors into a struct"),
        );
    }
    body_extractor_last(signature, &mut problems);
    impl_trait_arguments(signature, &mut problems);
    let wrappable = problems.is_empty();
    errors.extend(problems);
    for attr in function.attrs.iter().filter(|attr| is_cors_attribute(attr)) {
        // Reported, not refused: the handler is still wrapped once.
        errors.spanned(
            attr,
            "`#[cors]` is applied twice to this handler; merge the keys into one attribute",
        );
    }
    wrappable
}

/// Extractors that consume the request body, and so must come last: axum
/// gives the body to the last argument only. Read from the type's name, as
/// `axum::debug_handler` does, since a macro cannot see trait impls.
const BODY_EXTRACTORS: &[&str] = &[
    "Json",
    "Form",
    "Bytes",
    "String",
    "Body",
    "Request",
    "RawForm",
    "Multipart",
];

fn body_extractor_last(signature: &syn::Signature, problems: &mut Errors) {
    let count = signature.inputs.len();
    for input in signature.inputs.iter().take(count.saturating_sub(1)) {
        let syn::FnArg::Typed(typed) = input else {
            continue;
        };
        let syn::Type::Path(path) = &*typed.ty else {
            continue;
        };
        let Some(last) = path.path.segments.last() else {
            continue;
        };
        let name = last.ident.to_string();
        if BODY_EXTRACTORS.contains(&name.as_str()) {
            problems.spanned(
                &typed.ty,
                format!("`{name}` reads the request body, so it must be the handler's last argument; move it after the others"),
            );
        }
    }
}

/// An argument typed `impl Trait` makes the function generic in a type
/// no one can name, so axum could never route it, and `#[cors]` could not
/// name it either.
fn impl_trait_arguments(signature: &syn::Signature, problems: &mut Errors) {
    for input in &signature.inputs {
        let syn::FnArg::Typed(typed) = input else {
            continue;
        };
        if mentions_impl(typed.ty.to_token_stream()) {
            let name = &signature.ident;
            problems.spanned(
                &typed.ty,
                format!("an `impl Trait` argument cannot be named where the handler is routed; declare a type parameter, `async fn {name}<T: Trait>(arg: T)`, and route `{name}::<Type>`"),
            );
        }
    }
}

/// Whether the tokens contain `impl Trait`, at any depth.
fn mentions_impl(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == "impl",
        proc_macro2::TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}

/// `#[cors(...)]` or `#[cors_runtime::cors(...)]`: the attribute itself.
pub(crate) fn is_cors_attribute(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "cors")
}

/// What to say about an item that is not a function: a `static` or
/// `const` holding a closure gets its own message.
pub(crate) fn not_a_function(item: &syn::Item) -> (Span, String) {
    let value = match item {
        syn::Item::Const(item) => Some(&*item.expr),
        syn::Item::Static(item) => Some(&*item.expr),
        _ => None,
    };
    match value {
        Some(closure @ syn::Expr::Closure(_)) => (closure.span(), CLOSURE.to_owned()),
        _ => (
            item_keyword_span(item),
            "`#[cors]` applies to an `async fn` handler, such as `async fn items() -> impl IntoResponse { ... }`".to_owned(),
        ),
    }
}

/// What to say about a statement given `#[cors]`, most likely a closure
/// bound with `let`.
pub(crate) fn not_an_item(statement: &syn::Stmt) -> (Span, String) {
    if let syn::Stmt::Local(syn::Local {
        init: Some(init), ..
    }) = statement
    {
        if let closure @ syn::Expr::Closure(_) = &*init.expr {
            return (closure.span(), CLOSURE.to_owned());
        }
    }
    (
        statement.span(),
        "`#[cors]` applies to an `async fn` handler item, such as `async fn items() -> impl IntoResponse { ... }`".to_owned(),
    )
}

/// What to say about an expression given `#[cors]`, most likely a closure
/// routed as written: `get(#[cors(...)] || async { ... })`.
pub(crate) fn not_an_expression(expr: &syn::Expr) -> (Span, String) {
    match expr {
        syn::Expr::Closure(_) => (expr.span(), CLOSURE.to_owned()),
        _ => (
            expr.span(),
            "`#[cors]` applies to an `async fn` handler item, such as `async fn items() -> impl IntoResponse { ... }`".to_owned(),
        ),
    }
}

/// A closure has no name for `preflight!` to find its policy by, nor a
/// place for `name::without_cors`.
const CLOSURE: &str = "`#[cors]` goes on a named `async fn`; for a closure route, use a named `async fn`, or `cors_runtime::layer!(...)` around the route";

/// The span of an item's keyword (`struct`, `impl`, ...), past its
/// attributes and visibility.
pub(crate) fn item_keyword_span(item: &syn::Item) -> Span {
    let mut tokens = item.to_token_stream().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                tokens.next();
            }
            TokenTree::Ident(ident) if ident == "pub" => {
                if matches!(tokens.peek(), Some(TokenTree::Group(_))) {
                    tokens.next();
                }
            }
            other => return other.span(),
        }
    }
    Span::call_site()
}
