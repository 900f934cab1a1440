//! `layer!(APP)`, `layer!(policy = APP, methods = [GET, HEAD])` and
//! `layer!(origins = [...], ...)`: a policy as a tower layer, checked by
//! the attribute's own parser and rules.
//!
//! `cors_runtime::layer!` passes `$crate` and the keys here. `layer!(PATH)`
//! is `policy = PATH`. A written-out policy is checked and written here;
//! a named one goes through the declaration's macro, as a handler's does,
//! which hands it to `named_policy!` in its `layer` mode. Either way the
//! value is one block: the policy's `static`, its entry in the listing,
//! and `policy_layer(&POLICY)`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::{ParseStream, Parser};
use syn::Token;

use crate::attr::{self, Key};
use crate::errors::Errors;
use crate::static_policy::{policy_block, Owner};
use crate::valid::{self, PolicySpec};

/// `layer_with!($crate; keys)`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let parser = |input: ParseStream| {
        let mut krate = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![;]) {
            krate.extend([input.parse::<TokenTree>()?]);
        }
        input.parse::<Token![;]>()?;
        Ok((krate, input.parse::<TokenStream>()?))
    };
    let (default_krate, keys) = match parser.parse2(input) {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error(),
    };
    let Some(first) = keys.clone().into_iter().next() else {
        return syn::Error::new(
            Span::call_site(),
            "`layer!` needs a policy, such as `layer!(APP)` or `layer!(origins = [\"https://app.example.com\"])`",
        )
        .to_compile_error();
    };
    // Where the layer is, for errors about the whole call and the listing.
    let site = first.span();
    let keys = bare_path_as_policy(keys);

    let mut errors = Errors::default();
    let args = attr::parse(keys.clone(), &mut errors);
    // The runtime as the caller named it, unless `crate = "..."` says.
    let krate_written = args.entries.iter().any(|entry| entry.kind == Key::Crate);
    let krate: syn::Path = if krate_written {
        valid::handler_crate(&args)
    } else {
        syn::parse2(default_krate).unwrap_or_else(|_| syn::parse_quote!(::cors_runtime))
    };
    let with_krate = |mut policy: PolicySpec| {
        if !krate_written {
            policy.krate = krate.clone();
        }
        policy
    };
    let value = match args.entries.iter().find(|entry| entry.kind == Key::Policy) {
        None => {
            let policy = with_krate(valid::policy(&args, site, &mut errors));
            let call = "layer!(...)".to_owned();
            value(&policy, &Owner::Layer { call, span: site }, None)
        }
        Some(entry) => match valid::policy_path(&entry.value, &mut errors) {
            Some(path) => {
                // `APP!` calls `named_policy!` in its `layer` mode, which
                // writes the same block from the combined policy.
                let path_text = path.to_token_stream().to_string().replace(' ', "");
                let call = format!("layer!({path_text})");
                quote!(#path!([#krate] layer [#krate] #call #path_text { #keys }))
            }
            None => {
                // The path was reported; a value is still produced.
                let policy = with_krate(valid::policy(&args, site, &mut Errors::default()));
                let call = "layer!(...)".to_owned();
                value(&policy, &Owner::Layer { call, span: site }, None)
            }
        },
    };
    let errors = errors.into_compile_errors();
    quote!({ #errors #value })
}

/// `APP` or `crate::cors::APP` alone, or before other keys: `policy = APP`.
/// A key's name alone (`origins`) is left for the parser to report.
fn bare_path_as_policy(keys: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = keys.clone().into_iter().collect();
    let end = trees
        .iter()
        .position(
            |tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == '='),
        )
        .unwrap_or(trees.len());
    let separator_is_comma = trees
        .get(end)
        .is_none_or(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ','));
    let head: TokenStream = trees[..end].iter().cloned().collect();
    let Ok(path) = syn::parse2::<syn::Path>(head) else {
        return keys;
    };
    let is_key = path
        .get_ident()
        .is_some_and(|ident| attr::KEYS.iter().any(|(name, _)| ident == name));
    if !separator_is_comma || is_key {
        return keys;
    }
    let rest: TokenStream = trees[end..].iter().cloned().collect();
    let span = path
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span());
    let policy = quote_spanned!(span=> policy =);
    quote!(#policy #path #rest)
}

/// The layer's value: the policy's `static`, its entry in the listing and
/// the `PolicyLayer`.
pub(crate) fn value(policy: &PolicySpec, owner: &Owner, named: Option<&str>) -> TokenStream {
    let krate = &policy.krate;
    let block = policy_block(policy, owner, named);
    quote! {{
        fn policy() -> &'static #krate::__private::Policy {
            #block
        }
        // Registered for `policies()`, the listing for reviews.
        #[#krate::__private::linkme::distributed_slice(#krate::__private::POLICIES)]
        #[linkme(crate = #krate::__private::linkme)]
        static __CORS_POLICY_ENTRY: fn() -> &'static #krate::__private::Policy = policy;
        #krate::__private::policy_layer(policy())
    }}
}
