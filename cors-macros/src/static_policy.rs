//! Writes the policy as a `static` the runtime reads: origins, methods,
//! header names and switches, each stored once.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::origin::{HostSpec, PatternSpec, PortSpec};
use crate::valid::{HeadersSpec, OriginsSpec, PolicySpec, Source};

/// Where a handler's policy comes from.
pub(crate) enum PolicySource<'a> {
    /// Written out in the attribute.
    Written(&'a PolicySpec),
    /// `policy = path`: the declaration is merged with `attribute` (the
    /// handler's keys) behind the macro `path` names.
    Named {
        path: syn::Path,
        krate: syn::Path,
        attribute: TokenStream,
    },
}

/// What a policy is attached to, which names it in the listing.
pub(crate) enum Owner<'a> {
    /// An annotated handler, whose `HandlerPolicy` impl on `marker` gives
    /// the methods.
    Handler {
        name: &'a syn::Ident,
        marker: &'a syn::Ident,
    },
    /// A `layer!` call, written as `call` (`layer!(APP)`), at `span`.
    Layer { call: String, span: Span },
}

/// `&["GET", ...]`, the value of `HandlerPolicy::METHODS`.
pub(crate) fn methods_expr(policy: &PolicySpec) -> TokenStream {
    let methods = &policy.methods;
    quote!(&[#(#methods),*])
}

/// The body of `HandlerPolicy::policy`, or the value of a `layer!`: the
/// policy as a `static`, and a reference to it. `named` is the path of
/// the named policy used, as written.
pub(crate) fn policy_block(policy: &PolicySpec, owner: &Owner, named: Option<&str>) -> TokenStream {
    let krate = &policy.krate;
    let policy_expr = policy_expr(policy, owner, named);
    quote! {
        static POLICY: #krate::__private::Policy = #policy_expr;
        &POLICY
    }
}

fn policy_expr(policy: &PolicySpec, owner: &Owner, named: Option<&str>) -> TokenStream {
    let krate = &policy.krate;
    let optional = |value: Option<TokenStream>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let origins = match &policy.origins {
        OriginsSpec::Any => quote!(#krate::__private::AllowedOrigins::Any),
        OriginsSpec::List {
            exact,
            patterns,
            env,
        } => {
            let patterns = patterns.iter().map(|pattern| pattern_expr(pattern, krate));
            // The rule the attribute applies to literal `http://` origins,
            // applied to the variables' entries at start-up.
            let constructor = if (policy.credentials || policy.private_network)
                && !policy.tolerate_insecure_origins
            {
                quote!(refusing_insecure)
            } else {
                quote!(new)
            };
            quote! {
                #krate::__private::AllowedOrigins::List {
                    exact: &[#(#exact),*],
                    patterns: &[#(#patterns),*],
                    env: #krate::__private::EnvOrigins::#constructor(&[#(#env),*]),
                }
            }
        }
    };
    let allow_headers = match &policy.allow_headers {
        HeadersSpec::List(names) if !names.is_empty() => {
            quote!(#krate::__private::AllowedHeaders::List { names: &[#(#names),*] })
        }
        HeadersSpec::None | HeadersSpec::List(_) => quote!(#krate::__private::AllowedHeaders::None),
        HeadersSpec::Any { authorization } => {
            quote!(#krate::__private::AllowedHeaders::Any { authorization: #authorization })
        }
    };
    let expose_headers: Vec<&str> = match &policy.expose_headers {
        HeadersSpec::List(names) => names.iter().map(String::as_str).collect(),
        HeadersSpec::None => Vec::new(),
        HeadersSpec::Any { .. } => vec!["*"],
    };
    let max_age = optional(policy.max_age.map(|seconds| quote!(#seconds)));
    let credentials = policy.credentials;
    let private_network = policy.private_network;
    let cross_origin_protection = policy.cross_origin_protection;
    let tolerate_insecure_origins = policy.tolerate_insecure_origins;
    let named_policy = optional(named.map(|path| quote!(#path)));
    let keys_from = |wanted: Source| -> Vec<&'static str> {
        policy
            .written
            .iter()
            .filter(|(_, source)| *source == wanted)
            .map(|(key, _)| key.name())
            .collect()
    };
    let (written, declared) = (keys_from(Source::Handler), keys_from(Source::Declaration));
    let (kind, name, location, methods) = match owner {
        Owner::Handler { name, marker } => {
            let name_text = name.to_string();
            // Spanned at the handler's name, so that `line!()` is the handler's.
            let location = quote_spanned! {name.span()=>
                ::core::concat!(::core::file!(), ":", ::core::line!())
            };
            (
                quote!(Handler),
                quote!(::core::concat!(::core::module_path!(), "::", #name_text)),
                location,
                quote!(<#marker as #krate::routed::HandlerPolicy>::METHODS),
            )
        }
        Owner::Layer { call, span } => {
            let location = quote_spanned! {*span=>
                ::core::concat!(::core::file!(), ":", ::core::line!())
            };
            (
                quote!(Layer),
                quote!(::core::concat!(::core::module_path!(), "::", #call)),
                location,
                methods_expr(policy),
            )
        }
    };
    quote! {
        #krate::__private::Policy::new(
            #krate::__private::PolicyKind::#kind,
            #name,
            #location,
            #origins,
            #methods,
            #allow_headers,
            &[#(#expose_headers),*],
            #krate::__private::Switches {
                credentials: #credentials,
                private_network: #private_network,
                cross_origin_protection: #cross_origin_protection,
                tolerate_insecure_origins: #tolerate_insecure_origins,
            },
            #max_age,
            #named_policy,
            &[#(#written),*],
            &[#(#declared),*],
        )
    }
}

fn pattern_expr(pattern: &PatternSpec, krate: &syn::Path) -> TokenStream {
    let scheme = &pattern.scheme;
    let host = match &pattern.host {
        HostSpec::Exact(host) => quote!(#krate::__private::HostPattern::Exact(#host)),
        HostSpec::Subdomains(base) => {
            let suffix = format!(".{base}");
            quote!(#krate::__private::HostPattern::Subdomains(#suffix))
        }
    };
    let port = match &pattern.port {
        PortSpec::Exact(port) => quote!(#krate::__private::PortPattern::Exact(#port)),
        PortSpec::Any => quote!(#krate::__private::PortPattern::Any),
    };
    quote!(#krate::__private::OriginPattern { scheme: #scheme, host: #host, port: #port })
}
