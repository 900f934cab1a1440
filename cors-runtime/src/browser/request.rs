//! What a page asks the browser to fetch.

use std::fmt;

/// The request's credentials mode (`fetch(url, { credentials })`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Credentials {
    /// `omit`: never send cookies.
    Omit,
    /// `same-origin` (the default): cookies only to the page's own origin,
    /// so none on a cross-origin request.
    #[default]
    SameOrigin,
    /// `include`: cookies on every request; the response must echo the
    /// origin and say `Access-Control-Allow-Credentials: true`.
    Include,
}

impl Credentials {
    /// Parses `omit`, `same-origin` or `include`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "omit" => Some(Self::Omit),
            "same-origin" => Some(Self::SameOrigin),
            "include" => Some(Self::Include),
            _ => None,
        }
    }

    /// The mode as `fetch` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Omit => "omit",
            Self::SameOrigin => "same-origin",
            Self::Include => "include",
        }
    }

    /// Whether responses are judged as credentialed (`include`).
    pub fn is_include(self) -> bool {
        self == Self::Include
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One cross-origin `fetch` as the page makes it.
///
/// `headers` are the ones the page's script sets (`fetch(url, { headers })`),
/// in order. A `cookie` entry stands for the browser's cookie jar: it is
/// sent on the actual request only, and only with [`Credentials::Include`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserRequest {
    /// The absolute URL (`https://api.example.com/items`), or a path
    /// (`/items`) when the request goes through an in-process router.
    pub url: String,
    /// The page's serialized origin (`https://app.example.com`).
    pub origin: String,
    /// The method as the page wrote it; `fetch` upper-cases only `DELETE`,
    /// `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT`, as browsers do.
    pub method: String,
    /// Header fields the script sets, as `(name, value)`.
    pub headers: Vec<(String, String)>,
    /// The credentials mode.
    pub credentials: Credentials,
    /// The body's length in bytes.
    pub body_size: usize,
}

impl BrowserRequest {
    /// A `GET` from `origin` to `url`, no headers, `same-origin` credentials.
    pub fn new(url: impl Into<String>, origin: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            origin: origin.into(),
            method: "GET".to_owned(),
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            body_size: 0,
        }
    }

    /// Sets the method, normalized as `fetch` normalizes it.
    pub fn method(mut self, method: &str) -> Self {
        self.method = normalize_method(method);
        self
    }

    /// Adds a header the script sets.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the credentials mode.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the body's length.
    pub fn body_size(mut self, body_size: usize) -> Self {
        self.body_size = body_size;
        self
    }

    /// The headers the script may set and the browser sends: forbidden
    /// names (`host`, `sec-*`, `cookie`, ...) are left out.
    pub fn script_headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .filter(|(name, _)| !is_forbidden_request_header(name))
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The cookie line the browser would add (with `include` only).
    pub fn cookie(&self) -> Option<&str> {
        if !self.credentials.is_include() {
            return None;
        }
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("cookie"))
            .map(|(_, value)| value.as_str())
    }
}

/// `fetch`'s method normalization: the six methods of the standard are
/// upper-cased, every other is sent as written (so `patch` stays `patch`).
pub fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    NORMALIZED
        .iter()
        .find(|known| known.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |known| (*known).to_owned())
}

pub use cors_rules::token::is_forbidden_request_header;
