//! How the model reaches a server: one request in, one response out.

use std::fmt;
use std::future::Future;

use axum::body::Body;
use axum::Router;
use tower::ServiceExt;

use super::wire::WireResponse;

/// The most body bytes a transport keeps for the report.
pub const BODY_PREFIX_LIMIT: usize = 8 * 1024;

/// Sends one request and returns the response head with every header field
/// line in order (duplicates kept) and the start of the body. It never
/// follows a redirect itself: the model decides.
pub trait Transport {
    /// Sends `request`.
    fn send(
        &mut self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<WireResponse, NetworkError>>;
}

/// Why no response came back, as Chromium's `net::ERR_*` would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError {
    /// Which failure.
    pub kind: NetworkErrorKind,
    /// What the transport said.
    pub message: String,
}

/// The kinds of failure a browser tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkErrorKind {
    /// The host name does not resolve.
    Dns,
    /// Nothing listens on the port.
    Refused,
    /// The TLS handshake failed: the server does not speak TLS there (a
    /// plain-http port), or the protocol broke.
    Tls,
    /// The TLS handshake reached the certificate and refused it.
    Certificate(CertificateProblem),
    /// The connection was reset (the server died or dropped it mid-request).
    Reset,
    /// No answer in time.
    Timeout,
    /// The connection closed without a response (a crash).
    EmptyResponse,
    /// The URL or a header cannot be sent.
    InvalidRequest,
    /// Anything else.
    Other,
}

impl NetworkErrorKind {
    /// Chromium's net error name.
    pub fn net_error(self) -> &'static str {
        match self {
            Self::Dns => "net::ERR_NAME_NOT_RESOLVED",
            Self::Refused => "net::ERR_CONNECTION_REFUSED",
            Self::Tls => "net::ERR_SSL_PROTOCOL_ERROR",
            Self::Certificate(problem) => problem.net_error(),
            Self::Reset => "net::ERR_CONNECTION_RESET",
            Self::Timeout => "net::ERR_TIMED_OUT",
            Self::EmptyResponse => "net::ERR_EMPTY_RESPONSE",
            Self::InvalidRequest => "net::ERR_INVALID_URL",
            Self::Other => "net::ERR_FAILED",
        }
    }
}

/// Why a certificate was refused, as Chromium tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateProblem {
    /// No trusted authority issued it (self-signed, a private CA).
    Authority,
    /// It does not name the host.
    Name,
    /// It has expired or is not valid yet.
    Date,
    /// Anything else (revoked, bad signature, bad encoding).
    Other,
}

impl CertificateProblem {
    /// Chromium's net error name.
    pub fn net_error(self) -> &'static str {
        match self {
            Self::Authority => "net::ERR_CERT_AUTHORITY_INVALID",
            Self::Name => "net::ERR_CERT_COMMON_NAME_INVALID",
            Self::Date => "net::ERR_CERT_DATE_INVALID",
            Self::Other => "net::ERR_CERT_INVALID",
        }
    }
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.kind.net_error(), self.message)
    }
}

impl std::error::Error for NetworkError {}

/// Sends requests through an assembled axum [`Router`] in process, with
/// all its layers, as [`tower::ServiceExt::oneshot`] does.
#[derive(Clone)]
pub struct RouterTransport {
    router: Router,
}

impl RouterTransport {
    /// A transport into `router`.
    pub fn new(router: &Router) -> Self {
        Self {
            router: router.clone(),
        }
    }
}

impl Transport for RouterTransport {
    async fn send(
        &mut self,
        request: http::Request<Vec<u8>>,
    ) -> Result<WireResponse, NetworkError> {
        let request = request.map(Body::from);
        let Ok(response) = self.router.clone().oneshot(request).await;
        let (parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => bytes[..bytes.len().min(BODY_PREFIX_LIMIT)].to_vec(),
            Err(error) => {
                return Err(NetworkError {
                    kind: NetworkErrorKind::EmptyResponse,
                    message: format!("the body failed: {error}"),
                })
            }
        };
        Ok(WireResponse::from_http_parts(&parts, body))
    }
}
