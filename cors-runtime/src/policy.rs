//! The data one `#[cors]` attribute compiles to.

use std::sync::OnceLock;

use http::header::HeaderValue;

use crate::origin::AllowedOrigins;
use crate::request_headers::{is_token, token_eq_lowercase};

/// One handler's CORS policy, built by `#[cors]` (or `layer!`) as a
/// `static`; each fact is stored once, and header values are derived from
/// it where they are sent. [`policies`](crate::policies) lists them all;
/// the methods below describe one for reviews and diagnostics. Only the
/// macros build one, through a hidden constructor.
#[derive(Debug)]
pub struct Policy {
    /// The handler's path, such as `my_app::api::items`, or the layer's,
    /// such as `my_app::routes::layer!(APP)`.
    pub(crate) name: &'static str,
    /// Where the handler or layer is declared: `file:line`.
    pub(crate) location: &'static str,
    /// Who may call the handler.
    pub(crate) origins: AllowedOrigins,
    /// Allowed methods, as sent in `Access-Control-Request-Method`.
    pub(crate) methods: &'static [&'static str],
    /// Which request headers a preflight may ask for.
    pub(crate) allow_headers: AllowedHeaders,
    /// The response headers a page may read (`*` for any).
    pub(crate) expose_headers: &'static [&'static str],
    /// Whether to send `Access-Control-Allow-Credentials: true`.
    pub(crate) credentials: bool,
    /// `Access-Control-Max-Age` in seconds, if set.
    pub(crate) max_age: Option<u32>,
    /// Whether to grant Private Network Access when asked.
    pub(crate) private_network: bool,
    /// Whether a state-changing cross-origin request from an origin the
    /// policy does not allow is refused with `403` before the handler runs.
    pub(crate) cross_origin_protection: bool,
    /// `dangerously_tolerate_insecure_origins = true`.
    pub(crate) tolerate_insecure_origins: bool,
    /// Where the policy is used and where each key was written.
    provenance: Provenance,
    /// Derived from the above on first use.
    derived: Derived,
}

/// What the listing says about where a policy and its values come from.
#[derive(Debug)]
struct Provenance {
    kind: PolicyKind,
    /// The named policy used, as written (`crate::cors::APP`).
    named_policy: Option<&'static str>,
    /// The keys written where the policy is used: on the handler, or in
    /// the `layer!` call.
    written_keys: &'static [&'static str],
    /// The keys that come from the named policy's declaration.
    declared_keys: &'static [&'static str],
}

/// What a policy is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum PolicyKind {
    /// An annotated handler, `#[cors(...)]`.
    Handler,
    /// A layer, `layer!(...)`.
    Layer,
}

/// Where a policy's value for one key comes from, for reviews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueSource {
    /// Written where the policy is used: in the handler's `#[cors(...)]`,
    /// or in the `layer!(...)` call.
    Written,
    /// From the declaration of the named policy used (`policy = APP`).
    NamedPolicy,
    /// Not written anywhere: the key's default.
    Default,
}

/// The keys the listing shows, in the order it shows them.
pub(crate) const LISTED_KEYS: &[&str] = &[
    "origins",
    "methods",
    "allow_headers",
    "expose_headers",
    "credentials",
    "max_age",
    "private_network",
    "cross_origin_protection",
    "dangerously_tolerate_insecure_origins",
];

impl Policy {
    /// The policy `#[cors]` or `layer!` writes. Not public API: only the
    /// macros build a policy, from keys they have checked.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn new(
        kind: PolicyKind,
        name: &'static str,
        location: &'static str,
        origins: AllowedOrigins,
        methods: &'static [&'static str],
        allow_headers: AllowedHeaders,
        expose_headers: &'static [&'static str],
        switches: Switches,
        max_age: Option<u32>,
        named_policy: Option<&'static str>,
        written_keys: &'static [&'static str],
        declared_keys: &'static [&'static str],
    ) -> Self {
        Self {
            name,
            location,
            origins,
            methods,
            allow_headers,
            expose_headers,
            credentials: switches.credentials,
            max_age,
            private_network: switches.private_network,
            cross_origin_protection: switches.cross_origin_protection,
            tolerate_insecure_origins: switches.tolerate_insecure_origins,
            provenance: Provenance {
                kind,
                named_policy,
                written_keys,
                declared_keys,
            },
            derived: Derived::new(),
        }
    }
}

/// The policy's `true`/`false` keys, for [`Policy::new`]. Not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
#[allow(clippy::struct_excessive_bools)]
pub struct Switches {
    /// `credentials`.
    pub credentials: bool,
    /// `private_network`.
    pub private_network: bool,
    /// `cross_origin_protection`.
    pub cross_origin_protection: bool,
    /// `dangerously_tolerate_insecure_origins`.
    pub tolerate_insecure_origins: bool,
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
#[derive(Debug)]
struct Derived {
    expose_headers: OnceLock<Option<HeaderValue>>,
}

impl Derived {
    /// Nothing derived yet.
    const fn new() -> Self {
        Self {
            expose_headers: OnceLock::new(),
        }
    }
}

impl Policy {
    /// The handler's path, such as `my_app::api::items`; for a layer,
    /// the module it is built in followed by the call, such as
    /// `my_app::routes::layer!(APP)`.
    pub fn handler(&self) -> &'static str {
        self.name
    }

    /// Whether the policy is a layer's (`layer!`) rather than an
    /// annotated handler's.
    pub fn is_layer(&self) -> bool {
        self.provenance.kind == PolicyKind::Layer
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

    /// Whether plain-`http` origins other than loopback are accepted
    /// together with credentials or private network access
    /// (`dangerously_tolerate_insecure_origins = true`).
    pub fn tolerates_insecure_origins(&self) -> bool {
        self.tolerate_insecure_origins
    }

    /// The named policy the handler uses (`policy = crate::cors::APP`), as
    /// written on the handler.
    pub fn named_policy(&self) -> Option<&'static str> {
        self.provenance.named_policy
    }

    /// The keys the handler wrote beside `policy = ...`, each replacing
    /// the named policy's value (or the default). Empty for a policy
    /// written out in full.
    pub fn replaced_keys(&self) -> &'static [&'static str] {
        if self.provenance.named_policy.is_some() {
            self.provenance.written_keys
        } else {
            &[]
        }
    }

    /// Where the value of `key` (`"origins"`, `"methods"`,
    /// `"allow_headers"`, `"expose_headers"`, `"credentials"`, `"max_age"`,
    /// `"private_network"`, `"cross_origin_protection"` or
    /// `"dangerously_tolerate_insecure_origins"`) comes from: written on the handler (or in the
    /// `layer!` call), from the named policy's declaration, or the
    /// default.
    pub fn value_source(&self, key: &str) -> ValueSource {
        if self.provenance.written_keys.contains(&key) {
            ValueSource::Written
        } else if self.provenance.declared_keys.contains(&key) {
            ValueSource::NamedPolicy
        } else {
            ValueSource::Default
        }
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
