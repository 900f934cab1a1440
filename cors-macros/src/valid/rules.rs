//! Rules between keys: a wildcard with credentials, private network
//! access or an insecure origin. Each value such a rule blames is kept
//! with its span and where it was written, so that an error points at the
//! token that caused it, in a named policy's declaration or on the
//! handler.

use proc_macro2::{Span, TokenStream};

use super::Source;
use crate::errors::Errors;
use crate::origin;

/// A value a rule may blame, and where it was written.
pub(crate) struct Blamed<T> {
    pub(crate) value: T,
    pub(crate) source: Source,
}

impl<T> Blamed<T> {
    fn declared(&self) -> bool {
        self.source == Source::Declaration
    }
}

/// The values the rules between keys look at, each set only when it can
/// break a rule (`credentials = true`, `origins = "*"`, ...).
#[derive(Default)]
pub(crate) struct Blame {
    pub(crate) any_origin: Option<Blamed<Span>>,
    /// Plain-`http` origins other than loopback, as written.
    pub(crate) insecure_origins: Option<Blamed<Vec<syn::LitStr>>>,
    pub(crate) credentials: Option<Blamed<TokenStream>>,
    pub(crate) private_network: Option<Blamed<TokenStream>>,
    /// `dangerously_tolerate_insecure_origins`, when written.
    pub(crate) tolerate_insecure_origins: Option<Blamed<bool>>,
    pub(crate) any_allow_header: Option<Blamed<TokenStream>>,
    pub(crate) any_expose_header: Option<Blamed<TokenStream>>,
}

/// Whether a rule is reported: unless every key involved was declared in
/// a named policy, whose own check reported it already.
fn reported(involved: &[Option<Source>]) -> bool {
    !involved
        .iter()
        .flatten()
        .all(|&source| source == Source::Declaration)
}

/// Checks the rules between keys.
pub(crate) fn cross_key_rules(blame: &Blame, errors: &mut Errors) {
    if let (Some(any_origin), Some(private_network)) = (&blame.any_origin, &blame.private_network) {
        if reported(&[Some(any_origin.source), Some(private_network.source)]) {
            errors.error(
                any_origin.value,
                "`origins = \"*\"` cannot be combined with `private_network = true`: every site on the internet could then reach this server inside the private network through its visitors' browsers; list the allowed origins",
            );
            errors.spanned(
                &private_network.value,
                "`private_network = true` is set here",
            );
        }
    }
    insecure_origins(blame, errors);
    let Some(credentials) = &blame.credentials else {
        return;
    };
    let with_credentials = |source: Source| reported(&[Some(source), Some(credentials.source)]);
    if let Some(any_origin) = &blame.any_origin {
        if with_credentials(any_origin.source) {
            errors.error(
                any_origin.value,
                "`origins = \"*\"` cannot be combined with `credentials = true`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins",
            );
            errors.spanned(&credentials.value, "`credentials = true` is set here");
        }
    }
    if let Some(star) = &blame.any_allow_header {
        if with_credentials(star.source) {
            errors.spanned(
                &star.value,
                "`allow_headers = \"*\"` cannot be combined with `credentials = true`: with credentials browsers read `*` as a header named `*`; list the allowed headers",
            );
        }
    }
    if let Some(star) = &blame.any_expose_header {
        if with_credentials(star.source) {
            errors.spanned(
                &star.value,
                "`expose_headers = \"*\"` cannot be combined with `credentials = true`: with credentials browsers read `*` as a header named `*`; list the exposed headers",
            );
        }
    }
}

/// Plain-`http` origins other than loopback, with `credentials` or
/// `private_network`, unless `dangerously_tolerate_insecure_origins`.
fn insecure_origins(blame: &Blame, errors: &mut Errors) {
    let tolerate = blame.tolerate_insecure_origins.as_ref();
    let Some(insecure) = &blame.insecure_origins else {
        return;
    };
    if tolerate.is_some_and(|tolerate| tolerate.value) {
        return;
    }
    // What an impostor of a plain-`http` origin would gain.
    let (why, risk, risk_key) = match (&blame.credentials, &blame.private_network) {
        (Some(credentials), _) => (origin::CREDENTIALS_RISK, credentials, "credentials"),
        (None, Some(private_network)) => (
            origin::PRIVATE_NETWORK_RISK,
            private_network,
            "private_network",
        ),
        (None, None) => return,
    };
    if !reported(&[
        Some(insecure.source),
        Some(risk.source),
        tolerate.map(|tolerate| tolerate.source),
    ]) {
        return;
    }
    for origin in &insecure.value {
        errors.error(
            origin.span(),
            origin::insecure_message(&origin.value(), why),
        );
    }
    // The origin is in a named policy: show which handler's key makes it
    // wrong.
    if insecure.declared() && !risk.declared() {
        errors.spanned(&risk.value, format!("`{risk_key} = true` is set here"));
    }
}
