//! Parsing `#[cors(key = value, ...)]` into entries that keep their spans.
//!
//! Parsing only checks the shape (`key = value`, commas, brackets); what a
//! value means is `valid`'s business. After a syntax error the parser skips
//! to the next comma, so one typo does not hide the mistakes after it.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{token, Ident, LitBool, LitFloat, LitInt, LitStr, Token};

use crate::errors::Errors;

/// An attribute key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Policy,
    Origins,
    Methods,
    AllowHeaders,
    ExposeHeaders,
    Credentials,
    MaxAge,
    PrivateNetwork,
    CrossOriginProtection,
    DangerouslyTolerateInsecureOrigins,
    Crate,
}

/// Every key, in the order the docs list them. The one place keys are
/// named: lookups and the "expected one of" list both come from here.
pub(crate) const KEYS: &[(&str, Key)] = &[
    ("policy", Key::Policy),
    ("origins", Key::Origins),
    ("methods", Key::Methods),
    ("allow_headers", Key::AllowHeaders),
    ("expose_headers", Key::ExposeHeaders),
    ("credentials", Key::Credentials),
    ("max_age", Key::MaxAge),
    ("private_network", Key::PrivateNetwork),
    ("cross_origin_protection", Key::CrossOriginProtection),
    (
        "dangerously_tolerate_insecure_origins",
        Key::DangerouslyTolerateInsecureOrigins,
    ),
    ("crate", Key::Crate),
];

impl Key {
    pub(crate) fn name(self) -> &'static str {
        KEYS.iter()
            .find(|(_, key)| *key == self)
            .map_or("", |(name, _)| name)
    }

    fn lookup(name: &str) -> Option<Self> {
        KEYS.iter()
            .find(|(known, _)| *known == name)
            .map(|(_, key)| *key)
    }
}

/// `key = value`, with `key` already looked up in [`KEYS`].
pub(crate) struct Entry {
    pub(crate) key: Ident,
    pub(crate) kind: Key,
    pub(crate) value: Value,
}

pub(crate) enum Value {
    Str(LitStr),
    Bool(LitBool),
    Int(LitInt),
    Float(LitFloat),
    /// `-` followed by anything: only `max_age` could take a number, and
    /// it cannot be negative.
    Negative(TokenStream),
    Array(Array),
    /// Anything else, up to the next comma.
    Other(TokenStream),
}

pub(crate) struct Array {
    pub(crate) bracket: token::Bracket,
    pub(crate) elems: Vec<Elem>,
}

pub(crate) enum Elem {
    Str(LitStr),
    Ident(Ident),
    Other(TokenStream),
}

impl Value {
    /// The tokens of the value, for errors that cover all of it.
    pub(crate) fn span_tokens(&self) -> TokenStream {
        use quote::ToTokens;
        match self {
            Self::Str(lit) => lit.to_token_stream(),
            Self::Bool(lit) => lit.to_token_stream(),
            Self::Int(lit) => lit.to_token_stream(),
            Self::Float(lit) => lit.to_token_stream(),
            Self::Negative(tokens) | Self::Other(tokens) => tokens.clone(),
            Self::Array(array) => {
                let mut tokens = TokenStream::new();
                array.bracket.surround(&mut tokens, |_| {});
                tokens
            }
        }
    }
}

impl Elem {
    pub(crate) fn span_tokens(&self) -> TokenStream {
        use quote::ToTokens;
        match self {
            Self::Str(lit) => lit.to_token_stream(),
            Self::Ident(ident) => ident.to_token_stream(),
            Self::Other(tokens) => tokens.clone(),
        }
    }
}

/// The attribute's arguments.
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) entries: Vec<Entry>,
    /// Keys already reported, as the probable meaning of an unknown key
    /// (`orgins`) or written with the wrong syntax (`origins: [...]`): not
    /// reported again as missing.
    pub(crate) misspelled: Vec<Key>,
}

/// Parses the attribute's arguments. Unknown keys and syntax errors are
/// reported and left out of the result.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    parse_at(tokens, Site::Handler, errors)
}

/// Where keys are written: on a handler, or in a `policy!` declaration,
/// which takes every key but `policy` and `crate`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    Handler,
    Declaration,
}

impl Site {
    /// The keys written here, for suggestions and "expected one of".
    fn keys(self) -> impl Iterator<Item = &'static (&'static str, Key)> {
        KEYS.iter().filter(move |(_, key)| {
            self == Site::Handler || !matches!(key, Key::Policy | Key::Crate)
        })
    }
}

/// [`parse`] for keys written at `site`; `policy` and `crate` are still
/// parsed in a declaration, for the caller's own error.
pub(crate) fn parse_at(tokens: TokenStream, site: Site, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| Ok(parse_entries(input, site, errors));
    // `parse_entries` consumes everything and reports its own errors.
    parser.parse2(tokens).unwrap_or_default()
}

fn parse_entries(input: ParseStream, site: Site, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    while !input.is_empty() {
        if let Err(error) = parse_entry(input, site, errors, &mut args) {
            errors.push(error);
            skip_past_comma(input);
        }
    }
    args
}

fn parse_entry(
    input: ParseStream,
    site: Site,
    errors: &mut Errors,
    args: &mut Args,
) -> syn::Result<()> {
    if !input.peek(Ident::peek_any) {
        return Err(input.error(format!("expected a key: one of {}", expected_keys(site))));
    }
    let key = input.call(Ident::parse_any)?;
    let name = key.unraw().to_string();
    let kind = Key::lookup(&name);
    if !input.peek(Token![=]) {
        // `origins: [...]`, `origins(...)` or `origins`: the key was meant.
        args.misspelled.extend(kind);
        return Err(key_without_equals(&key, &name, input));
    }
    input.parse::<Token![=]>()?;
    let value = parse_value(input).inspect_err(|_| args.misspelled.extend(kind))?;
    match kind {
        Some(kind) => {
            if args.entries.iter().any(|entry| entry.kind == kind) {
                errors.error(key.span(), format!("`{name}` specified more than once"));
            } else {
                args.entries.push(Entry { key, kind, value });
            }
        }
        None => {
            let nearest = nearest_key(&name, site);
            errors.error(key.span(), unknown_key_message(&name, nearest, site));
            args.misspelled.extend(nearest.map(|(_, key)| key));
        }
    }
    if input.is_empty() || input.parse::<Option<Token![,]>>()?.is_some() {
        return Ok(());
    }
    // The value ended where the next `key =` starts: one missing comma,
    // reported there; the next entry is still read.
    errors.push(input.error(format!(
        "expected `,` after the value of `{name}`; keys are separated by commas"
    )));
    Ok(())
}

/// The error for a key not followed by `=`: `origins: [...]` and
/// `origins(...)` are other macros' syntax for `origins = [...]`.
fn key_without_equals(key: &Ident, name: &str, input: ParseStream) -> syn::Error {
    let list = matches!(
        Key::lookup(name),
        Some(Key::Origins | Key::Methods | Key::AllowHeaders | Key::ExposeHeaders)
    );
    let colon = input.parse::<Option<Token![:]>>().ok().flatten();
    let (span, written, value) = if let Some(colon) = colon {
        let value = tokens_text(&take_until_comma(input));
        (colon.span, format!("`{name}:`"), value)
    } else if let Some(group) = input
        .peek(token::Paren)
        .then(|| input.parse::<proc_macro2::Group>().ok())
        .flatten()
    {
        let inner = tokens_text(&group.stream());
        let value = if list { format!("[{inner}]") } else { inner };
        (group.span(), format!("`{name}(...)`"), value)
    } else {
        return syn::Error::new(key.span(), format!("expected `{name} = ...`"));
    };
    let value = if value.is_empty() {
        "...".to_owned()
    } else {
        value
    };
    syn::Error::new(
        span,
        format!("expected `=` after `{name}`: write `{name} = {value}`, not {written}"),
    )
}

/// Tokens as a user would write them, for "write this instead".
fn tokens_text(tokens: &TokenStream) -> String {
    tokens.to_string().replace(" ,", ",")
}

/// A value: everything up to the next comma, or up to the next `key =`
/// when a comma is missing. A value of several tokens (`10 * 60`) stays
/// whole, so that the key's rules can say what it takes.
fn parse_value(input: ParseStream) -> syn::Result<Value> {
    if input.is_empty() || input.peek(Token![,]) {
        return Err(input.error("expected a value"));
    }
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        if !tokens.is_empty() && input.peek(Ident::peek_any) && input.peek2(Token![=]) {
            break;
        }
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    let mut trees = tokens.clone().into_iter();
    let (Some(first), None) = (trees.next(), trees.next()) else {
        // `-1` would parse as one integer literal; keep the sign visible.
        let negative = matches!(tokens.clone().into_iter().next(), Some(TokenTree::Punct(p)) if p.as_char() == '-');
        return Ok(if negative {
            Value::Negative(tokens)
        } else {
            Value::Other(tokens)
        });
    };
    Ok(match first {
        TokenTree::Group(group) if group.delimiter() == proc_macro2::Delimiter::Bracket => {
            Value::Array(Array {
                bracket: token::Bracket(group.delim_span()),
                elems: (|content: ParseStream| parse_elems(content)).parse2(group.stream())?,
            })
        }
        TokenTree::Literal(_) | TokenTree::Ident(_) => {
            match syn::parse2::<syn::Lit>(tokens.clone()) {
                Ok(syn::Lit::Str(lit)) => Value::Str(lit),
                Ok(syn::Lit::Bool(lit)) => Value::Bool(lit),
                Ok(syn::Lit::Int(lit)) => Value::Int(lit),
                Ok(syn::Lit::Float(lit)) => Value::Float(lit),
                _ => Value::Other(tokens),
            }
        }
        _ => Value::Other(tokens),
    })
}

fn parse_elems(content: ParseStream) -> syn::Result<Vec<Elem>> {
    let mut elems = Vec::new();
    while !content.is_empty() {
        elems.push(
            if content.peek(LitStr) && (content.peek2(Token![,]) || peek_is_last(content)) {
                Elem::Str(content.parse()?)
            } else {
                let tokens = take_until_comma(content);
                let mut trees = tokens.clone().into_iter();
                match (trees.next(), trees.next()) {
                    (Some(TokenTree::Ident(ident)), None) => Elem::Ident(ident),
                    _ => Elem::Other(tokens),
                }
            },
        );
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok(elems)
}

/// Whether the next token is the last one.
fn peek_is_last(input: ParseStream) -> bool {
    let fork = input.fork();
    fork.parse::<TokenTree>().is_ok() && fork.is_empty()
}

fn take_until_comma(input: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        match input.parse::<TokenTree>() {
            Ok(tree) => tokens.extend([tree]),
            Err(_) => break,
        }
    }
    tokens
}

fn skip_past_comma(input: ParseStream) {
    take_until_comma(input);
    let _ = input.parse::<Option<Token![,]>>();
}

/// "`origins`, `methods`, ... or `crate`".
pub(crate) fn expected_keys(site: Site) -> String {
    let names: Vec<String> = site.keys().map(|(name, _)| format!("`{name}`")).collect();
    let (last, rest) = names.split_last().expect("KEYS is not empty");
    format!("{} or {last}", rest.join(", "))
}

/// The key `name` is probably a typo of.
fn nearest_key(name: &str, site: Site) -> Option<(&'static str, Key)> {
    site.keys()
        .map(|&(known, key)| (edit_distance(name, known), known, key))
        .min_by_key(|(distance, _, _)| *distance)
        .filter(|(distance, known, _)| *distance <= known.len() / 3 + 1)
        .map(|(_, known, key)| (known, key))
}

fn unknown_key_message(name: &str, nearest: Option<(&str, Key)>, site: Site) -> String {
    match nearest {
        Some((known, _)) => format!(
            "unknown key `{name}`; did you mean `{known}`? expected one of {}",
            expected_keys(site)
        ),
        None => format!(
            "unknown key `{name}`; expected one of {}",
            expected_keys(site)
        ),
    }
}

/// Levenshtein distance, for "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The span to blame when a required key is missing.
pub(crate) fn attribute_span() -> Span {
    Span::call_site()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_keys_lists_every_key() {
        let text = expected_keys(Site::Handler);
        for (name, _) in KEYS {
            assert!(text.contains(&format!("`{name}`")), "{text}");
        }
        assert!(text.ends_with("or `crate`"), "{text}");
    }

    #[test]
    fn nearest_key_is_suggested() {
        let message =
            |name| unknown_key_message(name, nearest_key(name, Site::Handler), Site::Handler);
        assert!(message("orgins").contains("did you mean `origins`?"));
        assert!(message("max_ages").contains("did you mean `max_age`?"));
        assert!(!message("zzzzzz").contains("did you mean"));
    }

    #[test]
    fn declarations_expect_neither_policy_nor_crate() {
        let text = expected_keys(Site::Declaration);
        assert!(
            !text.contains("`policy`") && !text.contains("`crate`"),
            "{text}"
        );
        assert_eq!(nearest_key("polic", Site::Declaration), None);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }

    /// Parses `tokens`; returns the keys read and the error messages.
    fn parsed(tokens: TokenStream) -> (Vec<&'static str>, Vec<String>) {
        let mut errors = Errors::default();
        let args = parse(tokens, &mut errors);
        let keys = args.entries.iter().map(|entry| entry.kind.name()).collect();
        let messages = errors
            .into_compile_errors()
            .into_iter()
            .filter_map(|tree| match tree {
                TokenTree::Group(group) => syn::parse2::<LitStr>(group.stream())
                    .ok()
                    .map(|message| message.value()),
                _ => None,
            })
            .collect();
        (keys, messages)
    }

    #[test]
    fn a_missing_comma_is_one_error_and_both_keys_are_read() {
        let (keys, messages) = parsed(quote::quote!(origins = ["https://a.com"] methods = [GET]));
        assert_eq!(keys, ["origins", "methods"]);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("expected `,` after the value of `origins`"));
    }

    #[test]
    fn other_macros_key_syntax_shows_the_value_to_write() {
        let (_, messages) = parsed(quote::quote!(origins: ["https://a.com", "https://b.com"]));
        assert_eq!(
            messages,
            ["expected `=` after `origins`: write `origins = [\"https://a.com\", \"https://b.com\"]`, not `origins:`"]
        );
        let (_, messages) = parsed(quote::quote!(methods(GET, POST)));
        assert_eq!(
            messages,
            ["expected `=` after `methods`: write `methods = [GET, POST]`, not `methods(...)`"]
        );
        let mut errors = Errors::default();
        let args = parse(quote::quote!(origins: ["https://a.com"]), &mut errors);
        assert!(
            args.misspelled.contains(&Key::Origins),
            "not reported again as missing"
        );
    }

    #[test]
    fn a_value_of_several_tokens_stays_whole() {
        let mut errors = Errors::default();
        let args = parse(
            quote::quote!(max_age = 10 * 60, credentials = true),
            &mut errors,
        );
        assert!(errors.is_empty());
        assert!(
            matches!(&args.entries[0].value, Value::Other(tokens) if tokens.to_string() == "10 * 60")
        );
        assert!(matches!(args.entries[1].value, Value::Bool(_)));
    }
}
