//! Requests and responses as they crossed the wire: every header field
//! line, in order, duplicates kept.

/// A request as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// The method.
    pub method: String,
    /// The URL (absolute, or a path for an in-process router).
    pub url: String,
    /// Header field lines in the order sent, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body's length in bytes (the body is that many `x`).
    pub body_size: usize,
}

impl WireRequest {
    /// The first value of `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        first(&self.headers, name)
    }

    /// The request as an [`http::Request`], for a transport. `None` when
    /// the method, URL or a header does not make a valid request.
    pub fn to_http(&self) -> Option<http::Request<Vec<u8>>> {
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(self.url.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.body(vec![b'x'; self.body_size]).ok()
    }
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireResponse {
    /// The status code.
    pub status: u16,
    /// Header field lines in the order received, duplicates kept, names
    /// lower-cased.
    pub headers: Vec<(String, String)>,
    /// The start of the body (a transport may cut it).
    pub body: Vec<u8>,
}

impl WireResponse {
    /// A response from its status, field lines (names as given; lower-case
    /// them as a transport would) and body: for tests and for answers read
    /// from elsewhere, such as a HAR file.
    pub fn new(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        Self {
            status,
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            body: body.to_vec(),
        }
    }

    /// The first value of `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        first(&self.headers, name)
    }

    /// Every field line of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(line, _)| line.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The value as Chromium reads it: every field line of `name` joined
    /// with `", "`, `None` when there is none.
    pub fn joined(&self, name: &str) -> Option<String> {
        let all = self.all(name);
        (!all.is_empty()).then(|| all.join(", "))
    }

    /// Whether the status is a redirect the browser would follow (3xx with
    /// a `Location`).
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308) && self.header("location").is_some()
    }

    /// Whether any `Access-Control-Allow-*` header is present.
    pub fn has_cors_headers(&self) -> bool {
        self.headers.iter().any(|(name, _)| {
            name.to_ascii_lowercase()
                .starts_with("access-control-allow-")
        })
    }

    /// Reads an [`http::Response`]'s head. Header lines of one name come
    /// out together, as [`http::HeaderMap`] keeps them; values that are not
    /// UTF-8 are read lossily.
    pub fn from_http_parts(parts: &http::response::Parts, body: Vec<u8>) -> Self {
        Self {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
        }
    }
}

fn first<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(line, _)| line.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}
