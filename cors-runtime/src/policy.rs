//! The data one `#[cors]` attribute compiles to.

use std::sync::OnceLock;

use http::header::HeaderValue;

use crate::origin::AllowedOrigins;
use crate::request_headers::{is_token, token_eq_lowercase};

/// One handler's CORS policy, built by `#[cors]` as a `static`; each fact
/// is stored once, and header values are derived from it where they are
/// sent. [`policies`](crate::policies) lists them all;
/// the methods below describe one for reviews and diagnostics.
#[derive(Debug)]
pub struct Policy {
    /// The handler's path, such as `my_app::api::items`.
    #[doc(hidden)]
    pub name: &'static str,
    /// Where the handler is declared: `file:line`.
    #[doc(hidden)]
    pub location: &'static str,
    /// Who may call the handler.
    #[doc(hidden)]
    pub origins: AllowedOrigins,
    /// Allowed methods, as sent in `Access-Control-Request-Method`.
    #[doc(hidden)]
    pub methods: &'static [&'static str],
    /// Which request headers a preflight may ask for.
    #[doc(hidden)]
    pub allow_headers: AllowedHeaders,
    /// The response headers a page may read (`*` for any).
    #[doc(hidden)]
    pub expose_headers: &'static [&'static str],
    /// Whether to send `Access-Control-Allow-Credentials: true`.
    #[doc(hidden)]
    pub credentials: bool,
    /// `Access-Control-Max-Age` in seconds, if set.
    #[doc(hidden)]
    pub max_age: Option<u32>,
    /// Whether to grant Private Network Access when asked.
    #[doc(hidden)]
    pub private_network: bool,
    /// Whether a state-changing cross-origin request from an origin the
    /// policy does not allow is refused with `403` before the handler runs.
    #[doc(hidden)]
    pub cross_origin_protection: bool,
    /// The named policy the handler uses, as written (`crate::cors::APP`).
    #[doc(hidden)]
    pub named_policy: Option<&'static str>,
    /// The keys written on the handler beside `policy = ...`.
    #[doc(hidden)]
    pub replaced_keys: &'static [&'static str],
    /// Derived from the above on first use.
    #[doc(hidden)]
    pub derived: Derived,
}

/// The request headers a policy allows.
#[derive(Debug)]
pub enum AllowedHeaders {
    /// None: any requested header refuses the preflight.
    None,
    /// Exactly these names (lower case).
    List {
        /// Lower-case names.
        names: &'static [&'static str],
    },
    /// Any name except `authorization`, unless `authorization` is listed too.
    Any {
        /// Whether `authorization` was listed beside `*`.
        authorization: bool,
    },
}

impl AllowedHeaders {
    /// Whether a requested header name (as sent, any case) is allowed.
    #[inline]
    pub fn allows(&self, name: &[u8]) -> bool {
        match self {
            Self::None => false,
            Self::List { names } => names
                .iter()
                .any(|allowed| token_eq_lowercase(name, allowed.as_bytes())),
            // The Fetch standard keeps `authorization` out of the wildcard;
            // some shipping browsers do not, so the server refuses it itself.
            Self::Any { authorization } => {
                is_token(name) && (*authorization || !token_eq_lowercase(name, b"authorization"))
            }
        }
    }

    /// The allowed names as written: the names, or `*` (and
    /// `authorization` when listed beside it).
    pub(crate) fn names(&self) -> Vec<&'static str> {
        match self {
            Self::None => Vec::new(),
            Self::List { names } => names.to_vec(),
            Self::Any {
                authorization: false,
            } => vec!["*"],
            Self::Any {
                authorization: true,
            } => vec!["*", "authorization"],
        }
    }

    /// The `Access-Control-Allow-Headers` value, if the policy has one;
    /// built when a `preflight!` is built.
    pub(crate) fn header_value(&self) -> Option<HeaderValue> {
        joined(&self.names())
    }
}

/// `a, b, c` as a header value; `None` for no names.
pub(crate) fn joined(names: &[&str]) -> Option<HeaderValue> {
    if names.is_empty() {
        return None;
    }
    HeaderValue::from_str(&names.join(", ")).ok()
}

/// What is derived from a policy's facts on first use, for actual
/// requests, which have no router-build step to prepare it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Derived {
    expose_headers: OnceLock<Option<HeaderValue>>,
}

impl Derived {
    /// Nothing derived yet.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self {
            expose_headers: OnceLock::new(),
        }
    }
}

impl Policy {
    /// The handler's path, such as `my_app::api::items`.
    pub fn handler(&self) -> &'static str {
        self.name
    }

    /// Where the handler is declared, as `file:line`; tells apart handlers
    /// of one name, such as local functions.
    pub fn location(&self) -> &'static str {
        self.location
    }

    /// Whether a state-changing cross-origin request from an origin the
    /// policy does not allow is refused with `403` (the default; the
    /// `cross_origin_protection = false` key turns it off).
    pub fn protects_cross_origin(&self) -> bool {
        self.cross_origin_protection
    }

    /// The allowed origins as written in the attribute (`*` for any).
    pub fn origin_list(&self) -> Vec<String> {
        self.origins.describe()
    }

    /// The allowed methods.
    pub fn method_list(&self) -> &'static [&'static str] {
        self.methods
    }

    /// The request headers a preflight may ask for (`*` for any name but
    /// `authorization`).
    pub fn allowed_header_list(&self) -> Vec<String> {
        self.allow_headers
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The response headers a page may read besides the safelisted ones.
    pub fn exposed_header_list(&self) -> Vec<String> {
        self.expose_headers
            .iter()
            .map(|&name| name.to_owned())
            .collect()
    }

    /// `Access-Control-Expose-Headers`, if the policy exposes any.
    pub(crate) fn expose_value(&self) -> Option<&HeaderValue> {
        self.derived
            .expose_headers
            .get_or_init(|| joined(self.expose_headers))
            .as_ref()
    }

    /// Whether credentialed requests are allowed.
    pub fn allows_credentials(&self) -> bool {
        self.credentials
    }

    /// How long browsers may cache a preflight answer, in seconds.
    pub fn max_age_seconds(&self) -> Option<u32> {
        self.max_age
    }

    /// Whether Private Network Access is granted when asked.
    pub fn allows_private_network(&self) -> bool {
        self.private_network
    }

    /// The named policy the handler uses (`policy = crate::cors::APP`), as
    /// written on the handler.
    pub fn named_policy(&self) -> Option<&'static str> {
        self.named_policy
    }

    /// The keys the handler wrote beside `policy = ...`, each replacing
    /// the named policy's value (or the default). Empty for a policy
    /// written out in full.
    pub fn replaced_keys(&self) -> &'static [&'static str] {
        self.replaced_keys
    }

    /// Whether this policy serves `method` exactly as the browser sent it
    /// (methods are case-sensitive).
    pub fn allows_method(&self, method: &[u8]) -> bool {
        self.methods
            .iter()
            .any(|allowed| allowed.as_bytes() == method)
    }

    /// Whether a preflight grant of this policy allows exactly what one of
    /// `other` would, methods aside: a browser may then reuse either's
    /// cached grant for the other's requests.
    pub(crate) fn grants_like(&self, other: &Policy) -> bool {
        std::ptr::eq(self, other)
            || (self.credentials == other.credentials
                && self.private_network == other.private_network
                && self.origin_list() == other.origin_list()
                && self.allowed_header_list() == other.allowed_header_list())
    }

    /// Whether an actual request with `method` is served under this policy:
    /// a listed method, or `HEAD` where `GET` is listed (axum's `get`
    /// routes serve `HEAD`).
    pub(crate) fn serves(&self, method: &[u8]) -> bool {
        self.allows_method(method) || (method == b"HEAD" && self.allows_method(b"GET"))
    }
}
