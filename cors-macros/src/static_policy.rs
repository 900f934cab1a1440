//! Writes the policy as a `static` the runtime reads: origins, methods,
//! header names and switches, each stored once.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::origin::{HostSpec, PatternSpec, PortSpec};
use crate::valid::{HeadersSpec, OriginsSpec, PolicySpec};

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

/// A named policy used by a handler: its path as written there, and the
/// keys the handler replaced.
pub(crate) struct NamedUse<'a> {
    pub(crate) path: &'a str,
    pub(crate) replaced: Vec<&'static str>,
}

/// `&["GET", ...]`, the value of `HandlerPolicy::METHODS`.
pub(crate) fn methods_expr(policy: &PolicySpec) -> TokenStream {
    let methods = &policy.methods;
    quote!(&[#(#methods),*])
}

/// The body of `HandlerPolicy::policy`: the policy as a `static`.
pub(crate) fn policy_block(
    policy: &PolicySpec,
    name: &syn::Ident,
    marker: &syn::Ident,
    named: Option<NamedUse>,
) -> TokenStream {
    let krate = &policy.krate;
    let policy_expr = policy_expr(policy, name, marker, named);
    quote! {
        static POLICY: #krate::__private::Policy = #policy_expr;
        &POLICY
    }
}

fn policy_expr(
    policy: &PolicySpec,
    name: &syn::Ident,
    marker: &syn::Ident,
    named: Option<NamedUse>,
) -> TokenStream {
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
    let (named_policy, replaced) = match named {
        Some(NamedUse { path, replaced }) => (optional(Some(quote!(#path))), replaced),
        None => (optional(None), Vec::new()),
    };
    let cross_origin_protection = policy.cross_origin_protection;
    let name_text = name.to_string();
    // Spanned at the handler's name, so that `line!()` is the handler's.
    let location = quote_spanned! {name.span()=>
        ::core::concat!(::core::file!(), ":", ::core::line!())
    };
    quote! {
        #krate::__private::Policy {
            name: ::core::concat!(::core::module_path!(), "::", #name_text),
            location: #location,
            origins: #origins,
            methods: <#marker as #krate::routed::HandlerPolicy>::METHODS,
            allow_headers: #allow_headers,
            expose_headers: &[#(#expose_headers),*],
            credentials: #credentials,
            max_age: #max_age,
            private_network: #private_network,
            cross_origin_protection: #cross_origin_protection,
            named_policy: #named_policy,
            replaced_keys: &[#(#replaced),*],
            derived: #krate::__private::Derived::new(),
        }
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
