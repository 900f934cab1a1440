//! Writes the code: the function routed under the handler's name, which
//! holds the type carrying its policy (and, for most handlers, the handler
//! as written) and puts
//! CORS headers on every response the handler or its extractors produce,
//! and the struct under the same name that gives `name::without_cors`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::static_policy::{methods_expr, policy_block, Owner, PolicySource};
use crate::valid;

/// Expands the handler. When its signature cannot be wrapped, a stand-in
/// handler is emitted under its name, holding the function as written
/// (still checked) and the policy, so routing it or naming it in
/// `preflight!` raises no second error; a method with `self` is left as
/// written.
///
/// Two items come out: the function routed under the handler's name,
/// which holds the policy and its entry in the listing (and, for most
/// handlers, the function as written; see `Placement`), and a struct of
/// the same name in the type namespace, whose only use is
/// `name::without_cors`. With `Placement::Inside` nothing routing needs
/// names the struct, so in an `impl` block rustc's refusal of it is the
/// only error; `Placement::InWithoutCors` routes through
/// `name::without_cors`, which adds one. Beside a module of the same name,
/// rustc also resolves the struct's `impl name` to the module (E0573).
pub(crate) fn handler(
    function: &syn::ItemFn,
    policy: &PolicySource,
    signature_ok: bool,
) -> TokenStream {
    if function.sig.receiver().is_some() {
        // Inside an `impl` block, with `self`: reported, left as written.
        return function.to_token_stream();
    }
    let name = &function.sig.ident;
    // Beside the function as written, inside the routed function: a name
    // its signature will not use.
    let marker = syn::Ident::new("__CorsPolicy", Span::call_site());
    let (krate, methods, policy) = match policy {
        PolicySource::Written(policy) => (
            &policy.krate,
            methods_expr(policy),
            policy_block(
                policy,
                &Owner::Handler {
                    name,
                    marker: &marker,
                },
                None,
            ),
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
                quote!(#path!([#krate] #mode #name #marker #path_text { #attribute }))
            };
            (krate, call("methods"), call("policy"))
        }
    };
    let policy_items = quote! {
        struct #marker;

        impl #krate::__private::CorsHandler for #marker {
            const METHODS: &'static [&'static str] = #methods;

            fn policy() -> &'static #krate::__private::Policy {
                #policy
            }
        }

        // Registered for `policies()`, the listing for reviews.
        #[#krate::__private::linkme::distributed_slice(#krate::__private::POLICIES)]
        #[linkme(crate = #krate::__private::linkme)]
        static __CORS_POLICY_ENTRY: fn() -> &'static #krate::__private::Policy =
            <#marker as #krate::__private::CorsHandler>::policy;
    };
    if signature_ok {
        wrapper(function, krate, &policy_items, &marker)
    } else {
        stand_in(function, krate, &policy_items, &marker)
    }
}
/// Attributes that describe the handler as a whole rather than its body,
/// and so stay on the function routed under the handler's name.
/// `utoipa::path` is among them because it writes a sibling item
/// (`__path_<name>`) that `utoipa_axum::routes!` looks for beside it.
fn stays_on_wrapper(attr: &syn::Attribute) -> bool {
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

fn is_cfg(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg")
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

fn hygienic(text: &str) -> syn::Ident {
    syn::Ident::new(text, Span::mixed_site())
}

/// Where the function as written goes, which decides how the routed
/// function and `without_cors` reach it.
#[derive(Clone, Copy, PartialEq)]
enum Placement {
    /// Inside the routed function, which then needs nothing beside it to
    /// route: `without_cors` calls the routed function without a request
    /// and takes the future of the function as written from it
    /// (`Routed::into_inner`), whose output the routed function's future
    /// names (`exact`) or, for `impl IntoResponse`, which no bound can
    /// name, says is a response.
    Inside { exact: bool },
    /// Inside `without_cors`, which the routed function calls by name: for
    /// a generic handler, whose future may be `Send` for some parameters
    /// only and which `without_cors` must return as such, and for a return
    /// type with `impl Trait` inside another type (`Result<impl
    /// IntoResponse, E>`), which `without_cors` must return as written.
    InWithoutCors,
}

impl Placement {
    fn of(function: &syn::ItemFn) -> Self {
        if !function.sig.generics.params.is_empty() {
            return Self::InWithoutCors;
        }
        match &function.sig.output {
            syn::ReturnType::Default => Self::Inside { exact: true },
            syn::ReturnType::Type(_, output) if !valid::mentions_impl(output.to_token_stream()) => {
                Self::Inside { exact: true }
            }
            syn::ReturnType::Type(_, output) if is_impl_response(output) => {
                Self::Inside { exact: false }
            }
            syn::ReturnType::Type(..) => Self::InWithoutCors,
        }
    }
}

/// `impl IntoResponse`, optionally `+ Send`: what the routed function's
/// future promises of the output when it cannot name it.
fn is_impl_response(ty: &syn::Type) -> bool {
    let syn::Type::ImplTrait(bounds) = ty else {
        return false;
    };
    let mut responds = false;
    for bound in &bounds.bounds {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return false;
        };
        match bound.path.segments.last() {
            Some(last) if last.ident == "IntoResponse" => responds = true,
            Some(last) if last.ident == "Send" => {}
            _ => return false,
        }
    }
    responds
}

/// The function under the handler's name, and the handler as written
/// under `name::without_cors`.
///
/// `fn name(WithOrigin<T1>, Extract<T2>, ...) -> impl Future<Output = Response>`
/// is a plain `fn` returning the runtime's `Decorate` future around the
/// original function, rather than an `async fn` awaiting it, so that each
/// handler compiles to one state machine, not two. The request's origin
/// travels with the first extractor, so the function takes as many
/// arguments as the handler as written: `#[axum::debug_handler]` placed
/// above `#[cors]` calls it with that many.
///
/// The function as written keeps its name and attributes, so
/// `#[tracing::instrument]` names its span after the handler and
/// `#[axum::debug_handler]` checks the function as written. The routed
/// function's future says which type carries the policy (`Routed`), which
/// is how `preflight!` finds the policy from the function alone.
///
/// Why not a `const` whose type implements `Handler` itself, which would
/// spare axum's per-argument plumbing: a `const`
/// named `list` turns every `let list = ...` in its module into a pattern
/// against the constant. Functions are the one value patterns can shadow.
fn wrapper(
    function: &syn::ItemFn,
    krate: &syn::Path,
    policy_items: &TokenStream,
    marker: &syn::Ident,
) -> TokenStream {
    let outer_attrs: Vec<&syn::Attribute> = function
        .attrs
        .iter()
        .filter(|attr| stays_on_wrapper(attr))
        .collect();
    let name = &function.sig.ident;
    let vis = &function.vis;
    let generics = &function.sig.generics;
    let where_clause = &generics.where_clause;
    let output_span = match &function.sig.output {
        syn::ReturnType::Default => function.sig.ident.span(),
        syn::ReturnType::Type(_, ty) => ty.span(),
    };
    let output = match &function.sig.output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    let types: Vec<&syn::Type> = function
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => Some(&*typed.ty),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let args: Vec<syn::Ident> = (0..types.len())
        .map(|i| hygienic(&format!("cors_arg{i}")))
        .collect();
    let (origin, grant) = (hygienic("cors_origin"), hygienic("cors_grant"));
    let turbofish = turbofish(generics);
    let placement = Placement::of(function);

    let mut inner = function.clone();
    inner
        .attrs
        .retain(|attr| !stays_on_wrapper(attr) && !valid::is_cors_attribute(attr));
    inner.vis = syn::Visibility::Inherited;
    // Called here rather than handed to axum as a value, the body would
    // trip lints that axum handlers are exempt from.
    inner
        .attrs
        .push(syn::parse_quote!(#[allow(clippy::unused_async)]));
    // `debug_handler`'s checks, written beside the function as written,
    // call the handler with `panic!()` arguments and copy its body into
    // another `async fn`; axum exempts neither from these lints, but they
    // are not the user's code.
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

    // Axum needs a `Send` future; declared on the handler as written, one
    // that holds something not `Send` across an `.await` is one error at
    // its name, naming the value, instead of an error where it is routed.
    // Generic handlers are left to axum: their future may be `Send` for
    // some parameters only.
    let send = generics
        .params
        .is_empty()
        .then(|| quote_spanned!(name.span()=> + ::core::marker::Send));
    let returns = quote_spanned! {name.span()=>
        impl ::core::future::Future<Output = #output> #send
    };
    let without_cors_doc =
        format!(" `{name}` as written, without CORS: for tests that call the handler directly.");
    let without_cors_attrs = quote! {
        #[doc = #without_cors_doc]
        #[allow(dead_code, clippy::too_many_arguments, clippy::type_complexity)]
    };

    // What differs by placement: the routed function's future's bound,
    // what it holds besides the policy, how it calls the function as
    // written, and the body of `without_cors`.
    let (routed_bound, routed_items, call, without_cors) = match placement {
        Placement::Inside { exact } => {
            // What the routed function's future promises of the future of
            // the function as written, which `without_cors` returns: its
            // output written out, or, for `impl IntoResponse`, which no
            // bound can name, that it is a response. `Send` is checked
            // here, at the handler's name.
            let output_bound = if exact {
                quote!(Output = #output)
            } else {
                quote!(Output: #krate::__private::IntoResponse + ::core::marker::Send)
            };
            let inner_send = quote_spanned!(name.span()=> + ::core::marker::Send);
            // The routed function called without a request: each
            // extractor given as it is.
            let direct_args = match args.split_first() {
                None => quote!(#krate::__private::OnlyRequestOrigin::direct()),
                Some((first, rest)) => quote! {
                    #krate::__private::WithOrigin::direct(#first),
                    #(#krate::__private::Extract::direct(#rest)),*
                },
            };
            (
                quote_spanned! {name.span()=>
                    + #krate::__private::Routed<
                        Inner: ::core::future::Future<#output_bound> #inner_send
                    >
                },
                inner.to_token_stream(),
                {
                    let name = at(output_span, quote!(#name));
                    quote_spanned!(output_span=> #name(#(#args),*))
                },
                quote! {
                    #without_cors_attrs
                    // Compiled where a test calls it, not with every handler.
                    #[inline]
                    #vis fn without_cors(#(#args: #types),*) -> #returns {
                        #krate::__private::Routed::into_inner(#name(#direct_args))
                    }
                },
            )
        }
        Placement::InWithoutCors => (
            quote_spanned!(name.span()=> + #krate::__private::Routed #send),
            TokenStream::new(),
            {
                let path = at(output_span, quote!(#name::without_cors #turbofish));
                quote_spanned!(output_span=> #path (#(#args),*))
            },
            quote! {
                #without_cors_attrs
                #debug_handler_lints
                #vis fn without_cors #generics (
                    #(#args: #types),*
                ) -> #returns #where_clause {
                    #inner
                    #name #turbofish (#(#args),*)
                }
            },
        ),
    };
    let routed_lints = (placement != Placement::InWithoutCors)
        .then_some(debug_handler_lints)
        .flatten();

    // The origin is read with the first extractor; without one, from the
    // whole request, which spares axum splitting it into parts.
    let (inputs, unpack, rejection) = match args.split_first() {
        None => (
            quote!(#origin: #krate::__private::OnlyRequestOrigin),
            quote!(let #origin = #origin.0;),
            quote!(::core::convert::Infallible),
        ),
        Some((first, rest)) => {
            let (first_ty, rest_ty) = types.split_first().expect("as many types as arguments");
            (
                quote! {
                    #first: #krate::__private::WithOrigin<#first_ty>,
                    #(#rest: #krate::__private::Extract<#rest_ty>,)*
                },
                quote! {
                    let (#origin, #first) = #first.into_parts();
                    #(let (_, #rest) = #rest.into_parts();)*
                },
                quote!(#krate::__private::Response),
            )
        }
    };
    let run = quote_spanned! {output_span=>
        #krate::__private::Decorate::<_, #rejection, #marker>::new(#grant, #call)
    };
    // Rustdoc shows this function's signature, with its wrapped
    // extractors: say what it is and where the function as written is.
    let routed_doc = format!(
        " Routed with its `#[cors]` policy: each argument is the extractor as written, wrapped so that its rejection gets CORS headers too. The function as written is `{name}::without_cors`."
    );
    let separator = (!outer_attrs.is_empty()).then(|| quote!(#[doc = ""]));
    // At the handler's name, where a future that is not `Send` is reported.
    let routed_returns = quote_spanned! {name.span()=>
        impl ::core::future::Future<Output = #krate::__private::Response> #routed_bound
    };
    let routed = quote! {
        #(#outer_attrs)*
        #separator
        #[doc = #routed_doc]
        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        #routed_lints
        #vis fn #name #generics (
            #inputs
        ) -> #routed_returns
            #where_clause
        {
            #policy_items
            #routed_items

            #unpack
            let #grant = #origin.grant(<#marker as #krate::__private::CorsHandler>::policy());
            #(
                let #args = match #args {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(rejection) => {
                        return #krate::__private::Decorate::rejected(#grant, rejection);
                    }
                };
            )*
            #run
        }
    };

    let cfg_attrs = function.attrs.iter().filter(|attr| is_cfg(attr));
    let struct_token = quote_spanned!(name.span()=> struct);
    // The struct's one field holds the `impl` in its length, so that the
    // struct is a single item: in an `impl` block, rustc's refusal of it
    // is the only error (with `Placement::Inside`).
    quote! {
        #(#cfg_attrs)*
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis #struct_token #name {
            _cors: [(); {
                // Its type, not a local one: the `impl` is where the struct is.
                #[allow(non_local_definitions)]
                impl #name {
                    #without_cors
                }
                1
            }],
        }

        #routed
    }
}

/// For a function that cannot be wrapped, whose errors are reported: an
/// axum handler under its name, with the policy, so that routing it or
/// naming it in `preflight!` raises no second error, and with the function
/// as written inside, so that its body is still checked.
fn stand_in(
    function: &syn::ItemFn,
    krate: &syn::Path,
    policy_items: &TokenStream,
    marker: &syn::Ident,
) -> TokenStream {
    let name = &function.sig.ident;
    let vis = &function.vis;
    let attrs = function.attrs.iter().filter(|attr| is_cfg(attr));
    quote! {
        #(#attrs)*
        #vis fn #name(
            origin: #krate::__private::OnlyRequestOrigin,
        ) -> impl ::core::future::Future<Output = #krate::__private::Response> + #krate::__private::Routed {
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            #function
            #policy_items
            #krate::__private::Decorate::<_, ::core::convert::Infallible, #marker>::new(
                origin.0.grant(<#marker as #krate::__private::CorsHandler>::policy()),
                ::core::future::ready(<#krate::__private::Response>::default()),
            )
        }
    }
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
