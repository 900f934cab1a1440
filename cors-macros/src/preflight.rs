//! `preflight!(a, b, ...)`: the `OPTIONS` handler (and route layer) for a
//! path whose methods are served by the listed annotated handlers.
//!
//! `cors_runtime::preflight!` passes `$crate` and the handlers here. Each
//! handler is named as routed, generics included (`list::<Repo>`), and
//! resolved as the value routed: the function's type leads to its policy
//! (`AnnotatedHandler`). Without generic arguments each handler is named once, in
//! one `const` (hence rustc's E0435 when a local `let` hides it), so a path
//! that is not an annotated handler gives one error: rustc's "cannot find
//! value" (with its "similar name" help) for a typo, ours for a function
//! without `#[cors]`. With any, all are passed by reference to one generic
//! function, whose inline `const`s check overlaps when it is instantiated.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::Token;

/// Methods the overlap error can name; any other shared method is named
/// in general terms, since a constant's panic cannot format a string.
const NAMED_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let parser = |input: ParseStream| {
        let krate = take_until_semicolon(input);
        input.parse::<Token![;]>()?;
        let handlers = Punctuated::<syn::Path, Token![,]>::parse_terminated(input)?;
        Ok((krate, handlers))
    };
    let (krate, handlers) = match parser.parse2(input) {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error(),
    };
    if handlers.is_empty() {
        return syn::Error::new(
            Span::call_site(),
            "`preflight!` needs the handlers that serve this path, such as `preflight!(list, create)`",
        )
        .to_compile_error();
    }
    let mut errors: Option<syn::Error> = None;
    let mut seen: Vec<String> = Vec::new();
    for handler in &handlers {
        let text = path_text(handler);
        if seen.contains(&text) {
            let error = syn::Error::new_spanned(
                handler,
                format!("`{text}` is given to `preflight!` twice; list each handler once"),
            );
            match &mut errors {
                Some(first) => first.combine(error),
                None => errors = Some(error),
            }
        }
        seen.push(text);
    }
    if let Some(errors) = errors {
        return errors.to_compile_error();
    }

    // A handler named with generic arguments (`list::<R>`) may name the
    // parameters of a function around `preflight!`, which no `const` item
    // can: its policy is then read by a generic function, whose inline
    // `const` checks the overlap when the function is instantiated (a
    // build, not a `cargo check`). Without generic arguments, each handler
    // is read in a `const` item, checked by `cargo check` too.
    let generic = handlers.iter().any(|handler| {
        handler
            .segments
            .iter()
            .any(|segment| !segment.arguments.is_empty())
    });
    let infos: Vec<TokenStream> = if generic {
        (0..handlers.len())
            .map(|i| {
                let (f, w) = (format_ident!("F{}", i), format_ident!("W{}", i));
                quote!(<#f as #krate::routed::AnnotatedHandler<#w>>::INFO)
            })
            .collect()
    } else {
        (0..handlers.len())
            .map(|i| format_ident!("HANDLER_{}", i, span = Span::mixed_site()).to_token_stream())
            .collect()
    };
    let mut checks = Vec::new();
    for (j, second) in handlers.iter().enumerate() {
        for (i, first) in handlers.iter().enumerate().take(j) {
            checks.push(overlap_check(
                &krate,
                (&infos[i], &path_text(first)),
                (&infos[j], &path_text(second)),
                second.span(),
                generic,
            ));
        }
    }
    // Named `preflight`, as what the user wrote: rustc's "required by a
    // bound in" note on a function without `#[cors]` names it.
    let preflight = |handler: &syn::Path| syn::Ident::new("preflight", handler.span());
    if generic {
        let first = handlers.first().expect("at least one handler");
        let preflight = preflight(first);
        let params = (0..handlers.len()).map(|i| {
            let (f, w) = (format_ident!("F{}", i), format_ident!("W{}", i));
            quote!(#f: #krate::routed::AnnotatedHandler<#w>, #w)
        });
        let values = (0..handlers.len()).map(|i| format_ident!("F{}", i));
        let count = handlers.len();
        let references = handlers
            .iter()
            .map(|handler| quote_spanned!(handler.span()=> &#handler));
        // On the user's tokens, so that rustc's note on the instantiation
        // points at the handlers, not into this crate's macros.
        let call = quote_spanned!(first.span()=> #preflight(#(#references),*));
        return quote! {{
            fn #preflight<#(#params),*>(
                #(_: &#values),*
            ) -> [&'static #krate::__private::Policy; #count] {
                #(#checks)*
                [#((#infos.policy)()),*]
            }
            #krate::Preflight::new(#call)
        }};
    }
    let declarations = handlers.iter().zip(&infos).map(|(handler, info)| {
        let preflight = preflight(handler);
        quote_spanned! {handler.span()=>
            const #info: #krate::__private::HandlerInfo = {
                const fn #preflight<F: #krate::routed::AnnotatedHandler<W>, W>(
                    _: &F,
                ) -> #krate::__private::HandlerInfo {
                    <F as #krate::routed::AnnotatedHandler<W>>::INFO
                }
                #preflight(&#handler)
            };
        }
    });
    quote! {{
        #(#declarations)*
        #(#checks)*
        #krate::Preflight::new([#((#infos.policy)()),*])
    }}
}

/// A constant that fails to evaluate, naming the method and both handlers,
/// on the second handler's tokens, when two handlers serve one method.
fn overlap_check(
    krate: &TokenStream,
    (first, first_name): (&TokenStream, &str),
    (second, second_name): (&TokenStream, &str),
    span: Span,
    inline: bool,
) -> TokenStream {
    let named = NAMED_METHODS.iter().map(|method| {
        let message = format!(
            "`preflight!` was given `{first_name}` and `{second_name}`, which both serve `{method}`; each method must belong to one handler: remove `{method}` from one of their `methods`"
        );
        quote_spanned! {span=>
            if #krate::__private::serve_same(&#first, &#second, #method) {
                ::core::panic!(#message);
            }
        }
    });
    let other = format!(
        "`preflight!` was given `{first_name}` and `{second_name}`, which both serve one extension method; each method must belong to one handler: remove it from one of their `methods`"
    );
    let check = quote_spanned! {span=>
        #(#named)*
        if #krate::__private::share_a_method(&#first, &#second) {
            ::core::panic!(#other);
        }
    };
    // An inline `const` may use the parameters of the function around it.
    if inline {
        quote_spanned! {span=> const { #check }; }
    } else {
        quote_spanned! {span=> const _: () = { #check }; }
    }
}

fn take_until_semicolon(input: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![;]) {
        match input.parse::<proc_macro2::TokenTree>() {
            Ok(tree) => tokens.extend([tree]),
            Err(_) => break,
        }
    }
    tokens
}

/// The path as the user wrote it, without spaces: `api::list::<Repo>`.
fn path_text(path: &syn::Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}
