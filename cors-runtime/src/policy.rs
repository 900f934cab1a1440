//! The data one `#[cors]` attribute compiles to.

use http::header::HeaderValue;

use crate::origin::AllowedOrigins;
use crate::request_headers::{is_token, token_eq_lowercase};

/// One handler's CORS policy, built by the macro as a `static` with every
/// header value ready to send.
#[derive(Debug)]
pub struct Policy {
    /// The handler's name, for diagnostics.
    pub name: &'static str,
    /// Who may call the handler.
    pub origins: AllowedOrigins,
    /// Allowed methods, as sent in `Access-Control-Request-Method`.
    pub methods: &'static [&'static str],
    /// `Access-Control-Allow-Methods`.
    pub allow_methods: HeaderValue,
    /// Which request headers a preflight may ask for.
    pub allow_headers: AllowedHeaders,
    /// `Access-Control-Expose-Headers`, if any.
    pub expose_headers: Option<HeaderValue>,
    /// Whether to send `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
    /// `Access-Control-Max-Age`, if set.
    pub max_age: Option<HeaderValue>,
    /// Whether to grant Private Network Access when asked.
    pub private_network: bool,
}

/// The request headers a policy allows.
#[derive(Debug)]
pub enum AllowedHeaders {
    /// None: any requested header refuses the preflight.
    None,
    /// Exactly these names (lower case), and their
    /// `Access-Control-Allow-Headers` value.
    List {
        /// Lower-case names.
        names: &'static [&'static str],
        /// The comma-separated list.
        value: HeaderValue,
    },
    /// Any name except `authorization`, unless `authorization` is listed too.
    Any {
        /// Whether `authorization` was listed beside `*`.
        authorization: bool,
        /// `*` or `*, authorization`.
        value: HeaderValue,
    },
}

impl AllowedHeaders {
    /// Whether a requested header name (as sent, any case) is allowed.
    #[inline]
    pub fn allows(&self, name: &[u8]) -> bool {
        match self {
            Self::None => false,
            Self::List { names, .. } => names
                .iter()
                .any(|allowed| token_eq_lowercase(name, allowed.as_bytes())),
            // The Fetch standard keeps `authorization` out of the wildcard;
            // some shipping browsers do not, so the server refuses it itself.
            Self::Any { authorization, .. } => {
                is_token(name) && (*authorization || !token_eq_lowercase(name, b"authorization"))
            }
        }
    }

    /// The `Access-Control-Allow-Headers` value, if the policy has one.
    pub fn value(&self) -> Option<&HeaderValue> {
        match self {
            Self::None => None,
            Self::List { value, .. } | Self::Any { value, .. } => Some(value),
        }
    }
}

impl Policy {
    /// Whether this policy serves `method` exactly as the browser sent it
    /// (methods are case-sensitive).
    pub fn allows_method(&self, method: &[u8]) -> bool {
        self.methods
            .iter()
            .any(|allowed| allowed.as_bytes() == method)
    }
}
