//! Writes the code, one shape for every handler `name`:
//!
//! - a braced struct `name {}` (type namespace, as Rocket does), which
//!   carries the policy (`HandlerPolicy`) and, in a plain `impl`, holds
//!   `name::without_cors`: the function as written, nested in it under its
//!   own name, and called;
//! - the function routed as `name` (value namespace), which takes the
//!   extractors wrapped, the first naming the struct (`WithOrigin<T,
//!   name>`), and calls `name::without_cors`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::static_policy::{methods_expr, policy_block, Owner, PolicySource};
use crate::valid;

/// Expands the handler. A method with `self` is left as written (the
/// error says so). When the signature cannot be routed (not `async`, too
/// many arguments, ...), whose errors are reported, the function routed
/// under its name takes no extractor and holds the function as written,
/// so that its body is still checked and routing it or naming it in
/// `preflight!` raises no second error.
pub(crate) fn handler(
    function: &syn::ItemFn,
    policy: &PolicySource,
    signature_ok: bool,
) -> TokenStream {
    if function.sig.receiver().is_some() {
        return function.to_token_stream();
    }
    let name = &function.sig.ident;
    let (krate, methods, policy) = match policy {
        PolicySource::Written(policy) => (
            &policy.krate,
            methods_expr(policy),
            policy_block(policy, &Owner::Handler { name, marker: name }, None),
        ),
        PolicySource::Named {
            path,
            krate,
            attribute,
        } => {
            // `APP!` is the `macro_rules!` that `policy!` declared; it calls
            // `named_policy!` with the declaration and these tokens.
            let path_text = path.to_token_stream().to_string().replace(' ', "");
            let call = |mode: &str| {
                let mode = syn::Ident::new(mode, Span::call_site());
                quote!(#path!([#krate] #mode #name #name #path_text { #attribute }))
            };
            (krate, call("methods"), call("policy"))
        }
    };
    let handler = Handler::new(function, krate);
    let cfg = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"));
    let cfg = quote!(#(#cfg)*);
    let vis = &function.vis;
    let struct_token = quote_spanned!(name.span()=> struct);
    let without_cors = if signature_ok {
        handler.without_cors()
    } else {
        TokenStream::new()
    };
    let routed = if signature_ok {
        handler.routed()
    } else {
        handler.stand_in()
    };
    quote! {
        #cfg
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis #struct_token #name {}

        #cfg
        impl #krate::routed::HandlerPolicy for #name {
            const METHODS: &'static [&'static str] = #methods;

            fn policy() -> &'static #krate::__private::Policy {
                // Registered for `policies()`, the listing for reviews.
                #[#krate::__private::linkme::distributed_slice(#krate::__private::POLICIES)]
                #[linkme(crate = #krate::__private::linkme)]
                static ENTRY: fn() -> &'static #krate::__private::Policy =
                    <#name as #krate::routed::HandlerPolicy>::policy;
                #policy
            }
        }

        #without_cors
        #routed
    }
}

/// What both functions under the handler's name are written from.
struct Handler<'a> {
    function: &'a syn::ItemFn,
    krate: &'a syn::Path,
    name: &'a syn::Ident,
    /// The arguments' types, as written.
    types: Vec<&'a syn::Type>,
    /// A name for each argument.
    args: Vec<syn::Ident>,
}

impl<'a> Handler<'a> {
    fn new(function: &'a syn::ItemFn, krate: &'a syn::Path) -> Self {
        let types: Vec<&syn::Type> = function
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) => Some(&*typed.ty),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let args = (0..types.len())
            .map(|i| hygienic(&format!("cors_arg{i}")))
            .collect();
        Self {
            function,
            krate,
            name: &function.sig.ident,
            types,
            args,
        }
    }

    /// `impl name { fn without_cors<generics>(args) -> impl Future<Output = R> }`:
    /// the function as written, nested under its own name with its own
    /// attributes (so `#[tracing::instrument]` names its span after the
    /// handler and `#[axum::debug_handler]` checks it), and called.
    fn without_cors(&self) -> TokenStream {
        let Self {
            function,
            name,
            args,
            types,
            ..
        } = self;
        let vis = &function.vis;
        let generics = &function.sig.generics;
        let where_clause = &generics.where_clause;
        let output = match &function.sig.output {
            syn::ReturnType::Default => quote!(()),
            syn::ReturnType::Type(_, ty) => ty.to_token_stream(),
        };
        // Axum needs a `Send` future; declared here, one that holds
        // something not `Send` across an `.await` is one error at the
        // handler's name, naming the value. A generic handler's future may
        // be `Send` for some parameters only: its auto traits leak.
        let send = generics
            .params
            .is_empty()
            .then(|| quote_spanned!(name.span()=> + ::core::marker::Send));
        let returns = quote_spanned! {name.span()=>
            impl ::core::future::Future<Output = #output> #send
        };
        let mut inner = (*function).clone();
        inner
            .attrs
            .retain(|attr| !stays_on_routed(attr) && !valid::is_cors_attribute(attr));
        inner.vis = syn::Visibility::Inherited;
        // Called here rather than handed to axum as a value, the body would
        // trip lints that axum handlers are exempt from.
        inner
            .attrs
            .push(syn::parse_quote!(#[allow(clippy::unused_async)]));
        // `debug_handler`'s checks, written beside the function as written,
        // call it with `panic!()` arguments and copy its body into another
        // `async fn`; axum exempts neither from these lints, but they are
        // not the user's code.
        let debug_handler_lints = inner
            .attrs
            .iter()
            .any(|attr| {
                attr.path()
                    .segments
                    .last()
                    .is_some_and(|segment| segment.ident == "debug_handler")
            })
            .then(|| quote!(#[allow(clippy::diverging_sub_expression, clippy::unused_async)]));
        let turbofish = turbofish(generics);
        let doc = format!(
            " `{name}` as written, without CORS: for tests that call the handler directly."
        );
        let cfg = function
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("cfg"));
        quote! {
            #(#cfg)*
            impl #name {
                #[doc = #doc]
                #[allow(dead_code, clippy::too_many_arguments, clippy::type_complexity)]
                #debug_handler_lints
                #vis fn without_cors #generics (#(#args: #types),*) -> #returns #where_clause {
                    #inner
                    #name #turbofish (#(#args),*)
                }
            }
        }
    }

    /// The function routed under the handler's name:
    /// `fn name(WithOrigin<T1, name>, Extract<T2>, ...) -> impl Future<Output = Response>`,
    /// a plain `fn` returning the runtime's `Decorate` future around
    /// `name::without_cors`'s, rather than an `async fn` awaiting it, so
    /// that each handler compiles to one state machine, not two. It takes
    /// as many arguments as the handler as written (`#[axum::debug_handler]`
    /// above `#[cors]` calls it with that many); without any, it takes
    /// `Decided<name>`, which spares axum splitting the request.
    fn routed(&self) -> TokenStream {
        let Self {
            function,
            krate,
            name,
            args,
            types,
        } = self;
        let output_span = match &function.sig.output {
            syn::ReturnType::Default => name.span(),
            syn::ReturnType::Type(_, ty) => ty.span(),
        };
        let turbofish = turbofish(&function.sig.generics);
        // Located at the return type, where a type that is not a response
        // is reported.
        // `<name>::`, a type like the one in the first argument's: where
        // the struct cannot be (an `impl` block) or is shadowed (a module
        // of the same name), both are one error.
        let call = {
            let path = at(output_span, quote!(::without_cors #turbofish));
            quote_spanned!(output_span=> <#name> #path (#(#args),*))
        };
        let decorate = at(output_span, quote!(#krate::routed::Decorate));
        let (grant, rejection, origin) =
            (hygienic("grant"), hygienic("rejection"), hygienic("origin"));
        let (inputs, body) = match (args.split_first(), types.split_first()) {
            (Some((first, rest)), Some((first_ty, rest_ty))) => (
                quote! {
                    #first: #krate::routed::WithOrigin<#first_ty, #name>,
                    #(#rest: #krate::routed::Extract<#rest_ty>,)*
                },
                quote! {
                    let (#grant, #first) = #first.into_parts();
                    match #krate::routed::Extracted::all((#first, #(#rest.into_inner(),)*)) {
                        ::core::result::Result::Ok((#(#args,)*)) => {
                            #decorate::new(#grant, #call)
                        }
                        ::core::result::Result::Err(#rejection) => {
                            #decorate::rejected(#grant, #rejection)
                        }
                    }
                },
            ),
            _ => (
                quote!(#origin: #krate::routed::Decided<#name>),
                quote! {
                    #decorate::<_, ::core::convert::Infallible>::new(#origin.into_grant(), #call)
                },
            ),
        };
        self.routed_fn(&inputs, &body)
    }

    /// For a signature that cannot be routed, whose errors are reported: a
    /// function under the handler's name that axum and `preflight!` take,
    /// holding the function as written so that its body is still checked.
    fn stand_in(&self) -> TokenStream {
        let Self {
            function,
            krate,
            name,
            ..
        } = self;
        let origin = hygienic("origin");
        let inputs = quote!(#origin: #krate::routed::Decided<#name>);
        let body = quote! {
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            #function
            #krate::routed::Decorate::<_, ::core::convert::Infallible>::new(
                #origin.into_grant(),
                ::core::future::ready(<#krate::__private::Response>::default()),
            )
        };
        self.routed_fn(&inputs, &body)
    }

    fn routed_fn(&self, inputs: &TokenStream, body: &TokenStream) -> TokenStream {
        let Self {
            function,
            krate,
            name,
            ..
        } = self;
        let outer_attrs: Vec<&syn::Attribute> = function
            .attrs
            .iter()
            .filter(|attr| stays_on_routed(attr))
            .collect();
        let vis = &function.vis;
        let generics = &function.sig.generics;
        let where_clause = &generics.where_clause;
        // Rustdoc shows this function's signature, with its wrapped
        // extractors: say what it is and where the function as written is.
        let doc = format!(
            " Routed with its `#[cors]` policy: each argument is the extractor as written, wrapped so that its rejection gets CORS headers too. The function as written is `{name}::without_cors`."
        );
        let separator = (!outer_attrs.is_empty()).then(|| quote!(#[doc = ""]));
        quote! {
            #(#outer_attrs)*
            #separator
            #[doc = #doc]
            #[allow(clippy::too_many_arguments, clippy::type_complexity)]
            #vis fn #name #generics (#inputs) -> impl ::core::future::Future<
                Output = #krate::__private::Response,
            > #where_clause {
                #body
            }
        }
    }
}

/// Attributes that describe the handler as a whole rather than its body,
/// and so stay on the function routed under the handler's name.
/// `utoipa::path` is among them because it writes a sibling item
/// (`__path_<name>`) that `utoipa_axum::routes!` looks for beside it.
fn stays_on_routed(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    ["doc", "cfg", "cfg_attr", "deprecated"]
        .iter()
        .any(|name| path.is_ident(name))
        || is_utoipa_path(path)
}

/// `#[utoipa::path(...)]`, or `#[path(...)]` after `use utoipa::path`.
fn is_utoipa_path(path: &syn::Path) -> bool {
    let mut segments = path.segments.iter().map(|segment| &segment.ident);
    match (segments.next(), segments.next(), segments.next()) {
        (Some(first), None, None) => first == "path",
        (Some(first), Some(second), None) => first == "utoipa" && second == "path",
        _ => false,
    }
}

fn hygienic(text: &str) -> syn::Ident {
    syn::Ident::new(text, Span::mixed_site())
}

/// `tokens` (no groups), each located at `span`: a call's path located
/// where an error about the call should point.
fn at(span: Span, tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            tree.set_span(span);
            tree
        })
        .collect()
}

/// `::<T, N>` naming the function's type and const parameters, so that a
/// parameter the arguments do not mention is still passed on; empty when
/// there are none.
fn turbofish(generics: &syn::Generics) -> TokenStream {
    let params: Vec<&syn::Ident> = generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(ty) => Some(&ty.ident),
            syn::GenericParam::Const(constant) => Some(&constant.ident),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    if params.is_empty() {
        TokenStream::new()
    } else {
        quote!(::<#(#params),*>)
    }
}
