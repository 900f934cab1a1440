//! Named policies: `policy! { pub APP = { ... }; }` and
//! `#[cors(policy = APP, ...)]`.
//!
//! A proc macro cannot read another item, so the declaration travels as
//! tokens. `policy!` checks each declaration on its own and turns it into
//! a `macro_rules! APP` that holds the declaration's tokens, inside a
//! hidden module and re-exported from it by `use`, so reachable by path
//! (a macro lives in the macro namespace, beside any other item called
//! `APP`).
//! The handler's `HandlerPolicy` impl calls that macro, in expression
//! position, with the handler's own keys; the macro hands both to
//! `named_policy!`, which merges them (the handler's keys win), checks the
//! result by the rules of a written-out policy and writes it out the same
//! way. A path that names no policy is then one rustc error on the path
//! ("cannot find macro `APPP`", with rustc's "similar name" help), and an
//! unresolved macro in expression position leaves nothing else to report.

use std::hash::{Hash, Hasher};

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::{braced, Ident, LitStr, Token};

use crate::attr::{self, Key, Site};
use crate::errors::Errors;
use crate::static_policy::{self, Owner};
use crate::{layer, valid};

/// `policy! { /// doc \n pub APP = { key = value, ... }; ... }`.
pub(crate) fn declarations(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut output = TokenStream::new();
    let parser = |input: ParseStream| {
        while !input.is_empty() {
            output.extend(declaration(input, &mut errors)?);
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(input) {
        errors.push(error);
    }
    output.extend(errors.into_compile_errors());
    output
}

fn declaration(input: ParseStream, errors: &mut Errors) -> syn::Result<TokenStream> {
    let mut attrs = input.call(syn::Attribute::parse_outer)?;
    for attr in &attrs {
        if !attr.path().is_ident("doc") {
            errors.spanned(
                attr,
                "only doc comments are allowed on a policy declaration",
            );
        }
    }
    attrs.retain(|attr| attr.path().is_ident("doc"));
    let vis: syn::Visibility = input.parse()?;
    if !input.peek(Ident) {
        return Err(
            input.error("expected a policy declaration: `pub APP = { origins = [...], ... };`")
        );
    }
    let name: Ident = input.parse()?;
    if !input.peek(Token![=]) {
        return Err(syn::Error::new(
            name.span(),
            format!("expected `{name} = {{ ... }}`"),
        ));
    }
    input.parse::<Token![=]>()?;
    if !input.peek(syn::token::Brace) {
        return Err(input.error(format!(
            "expected the policy's keys in braces: `{name} = {{ origins = [...], ... }}`"
        )));
    }
    let content;
    braced!(content in input);
    let body: TokenStream = content.parse()?;
    if !input.is_empty() {
        input.parse::<Token![;]>()?;
    }

    let mut args = attr::parse_at(body.clone(), Site::Declaration, errors);
    for entry in &args.entries {
        match entry.kind {
            Key::Policy => errors.error(
                entry.key.span(),
                "`policy` cannot be used in a declaration: a named policy does not extend another one; write its keys out",
            ),
            Key::Crate => errors.error(
                entry.key.span(),
                "`crate` is written on each handler, not in a declaration: the handler's own code names the runtime",
            ),
            _ => {}
        }
    }
    args.entries
        .retain(|entry| !matches!(entry.kind, Key::Policy | Key::Crate));
    valid::policy(&args, name.span(), errors);

    // The hidden module's name: one per declaration, so that two
    // declarations of one name in a module clash on `name`, not on it.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    name.to_string().hash(&mut hasher);
    body.to_string().hash(&mut hasher);
    let module = format_ident!(
        "__cors_policy_{}_{:x}",
        name.to_string().to_lowercase(),
        hasher.finish(),
        span = name.span()
    );
    // `pub` would re-export a `macro_rules!` beyond its crate, which rustc
    // refuses; within the crate every path works.
    let vis = match vis {
        syn::Visibility::Public(token) => quote!(pub(crate))
            .into_iter()
            .map(|mut tree| {
                tree.set_span(token.span);
                tree
            })
            .collect(),
        other => quote!(#other),
    };
    // The `macro_rules!` has the declared name, so that every rustc
    // message about it names what the user wrote, and lives in a module
    // of its own, so that its textual scope never reaches a declaration
    // of the same name in a nested module (which rustc would call
    // ambiguous). Spanned on the name, where rustc's "similarly named
    // macro defined here" points.
    Ok(quote_spanned! {name.span()=>
        #[doc(hidden)]
        mod #module {
            #(#attrs)*
            #[allow(unused_macros)]
            macro_rules! #name {
                ([$($krate:tt)*] $($handler:tt)*) => {
                    $($krate)*::__private::named_policy!({ #body } $($handler)*)
                };
            }
            #[allow(unused_imports)]
            pub(crate) use #name;
        }
        #[allow(unused_imports)]
        #vis use #module::#name;
    })
}

/// `named_policy!({ declaration } mode ...)`, called by a declaration's
/// macro with the declaration's keys and the user's:
///
/// - `methods handler marker "path" { attribute }` and
///   `policy handler marker "path" { attribute }`, from a handler's
///   `HandlerPolicy` impl: the value of `METHODS`, and the body of
///   `policy()`, which also carries the errors;
/// - `layer [krate] "layer!(PATH)" "path" { keys }`, from `layer!`: the
///   layer's value, with the errors.
pub(crate) fn combined(input: TokenStream) -> TokenStream {
    enum Use {
        Handler {
            mode: Ident,
            handler: Ident,
            marker: Ident,
        },
        Layer {
            krate: TokenStream,
            call: LitStr,
        },
    }
    let parser = |input: ParseStream| {
        let content;
        braced!(content in input);
        let declaration: TokenStream = content.parse()?;
        let mode: Ident = input.parse()?;
        let used = if mode == "layer" {
            let content;
            syn::bracketed!(content in input);
            let krate: TokenStream = content.parse()?;
            Use::Layer {
                krate,
                call: input.parse()?,
            }
        } else {
            Use::Handler {
                mode,
                handler: input.parse()?,
                marker: input.parse()?,
            }
        };
        let path: LitStr = input.parse()?;
        let content;
        braced!(content in input);
        let attribute: TokenStream = content.parse()?;
        Ok((declaration, used, path, attribute))
    };
    let (declaration, used, path, attribute) = match parser.parse2(input) {
        Ok(parts) => parts,
        Err(error) => return error.to_compile_error(),
    };
    // The declaration's tokens come out of the macro's body, marked as
    // its expansion; located where they are written and resolved like the
    // handler's, an error on them reads as one on the user's code.
    let root = attribute
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |tree| tree.span());
    let declaration = respanned(declaration, root);
    // Both were parsed, and their syntax reported, by `policy!` and
    // `#[cors]` (or `layer!`).
    let mut reported = Errors::default();
    let declaration = attr::parse_at(declaration, Site::Declaration, &mut reported);
    let own = attr::parse(attribute, &mut reported);
    let mut errors = Errors::default();
    let mut policy = valid::combined(&declaration, &own, &mut errors);
    let block = match used {
        Use::Handler { mode, .. } if mode == "methods" => {
            return static_policy::methods_expr(&policy);
        }
        Use::Handler {
            handler, marker, ..
        } => {
            let owner = Owner::Handler {
                name: &handler,
                marker: &marker,
            };
            static_policy::policy_block(&policy, &owner, Some(&path.value()))
        }
        Use::Layer { krate, call } => {
            if !own.entries.iter().any(|entry| entry.kind == Key::Crate) {
                if let Ok(krate) = syn::parse2(krate) {
                    policy.krate = krate;
                }
            }
            let owner = Owner::Layer {
                call: call.value(),
                span: root,
            };
            layer::value(&policy, &owner, Some(&path.value()))
        }
    };
    let errors = errors.into_compile_errors();
    quote!({ #errors #block })
}

/// `tokens`, each located where it is and resolved at `root`.
fn respanned(tokens: TokenStream, root: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), respanned(group.stream(), root));
                new.set_span(group.span().resolved_at(root));
                TokenTree::Group(new)
            }
            mut other => {
                other.set_span(other.span().resolved_at(root));
                other
            }
        })
        .collect()
}
