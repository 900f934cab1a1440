//! The HTTP/1.1 client: one connection per request, `rustls` for `https`,
//! no redirect followed, every response field line kept in order.
//!
//! hyper speaks the protocol; it keeps duplicate field lines but not their
//! order across names (that is behind its unstable FFI switch), so the
//! bytes the connection received are recorded and the response head is
//! read again from them with `httparse`, in order.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use cors_runtime::browser::{
    CertificateProblem, NetworkError, NetworkErrorKind, Transport, WireResponse, BODY_PREFIX_LIMIT,
};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How long one request may take, connection included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The most response-head bytes recorded.
const HEAD_LIMIT: usize = 64 * 1024;

/// Sends each request on a new connection to the host its URL names.
#[derive(Debug, Clone, Default)]
pub struct HttpTransport {
    /// Requests sent so far.
    pub sent: usize,
}

impl Transport for HttpTransport {
    async fn send(
        &mut self,
        request: http::Request<Vec<u8>>,
    ) -> Result<WireResponse, NetworkError> {
        self.sent += 1;
        match tokio::time::timeout(REQUEST_TIMEOUT, send(request)).await {
            Ok(result) => result,
            Err(_) => Err(error(NetworkErrorKind::Timeout, "no response within 10 s")),
        }
    }
}

fn error(kind: NetworkErrorKind, message: impl Into<String>) -> NetworkError {
    NetworkError {
        kind,
        message: message.into(),
    }
}

async fn send(request: http::Request<Vec<u8>>) -> Result<WireResponse, NetworkError> {
    let uri = request.uri().clone();
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => {
            return Err(error(
                NetworkErrorKind::InvalidRequest,
                format!("not an http(s) URL: {uri}"),
            ))
        }
    };
    let Some(host) = uri
        .host()
        .map(|host| host.trim_matches(['[', ']']).to_owned())
    else {
        return Err(error(
            NetworkErrorKind::InvalidRequest,
            "the URL has no host",
        ));
    };
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let addresses = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|cause| error(NetworkErrorKind::Dns, format!("{host}: {cause}")))?
        .collect::<Vec<_>>();
    if addresses.is_empty() {
        return Err(error(
            NetworkErrorKind::Dns,
            format!("{host} has no address"),
        ));
    }
    let tcp = TcpStream::connect(&addresses[..]).await.map_err(|cause| {
        error(
            connect_error_kind(&cause),
            format!("{host}:{port}: {cause}"),
        )
    })?;
    let recorded = Arc::new(Mutex::new(Vec::new()));
    if https {
        let tls = tls_connect(tcp, &host).await?;
        exchange(Recording::new(tls, recorded.clone()), recorded, request).await
    } else {
        exchange(Recording::new(tcp, recorded.clone()), recorded, request).await
    }
}

fn connect_error_kind(cause: &io::Error) -> NetworkErrorKind {
    match cause.kind() {
        io::ErrorKind::ConnectionRefused => NetworkErrorKind::Refused,
        io::ErrorKind::TimedOut => NetworkErrorKind::Timeout,
        _ => NetworkErrorKind::Other,
    }
}

async fn tls_connect(
    tcp: TcpStream,
    host: &str,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, NetworkError> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|cause| error(NetworkErrorKind::Tls, cause.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|cause| error(NetworkErrorKind::InvalidRequest, cause.to_string()))?;
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|cause| error(tls_error_kind(&cause), cause.to_string()))
}

/// A refused certificate by its problem, as Chromium names them; anything
/// else (a plain-http port answering the `ClientHello`, a handshake cut
/// short) is a protocol error.
fn tls_error_kind(cause: &io::Error) -> NetworkErrorKind {
    use rustls::CertificateError::*;
    let certificate = match cause
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidCertificate(certificate)) => certificate,
        _ => return NetworkErrorKind::Tls,
    };
    NetworkErrorKind::Certificate(match certificate {
        UnknownIssuer => CertificateProblem::Authority,
        NotValidForName | NotValidForNameContext { .. } => CertificateProblem::Name,
        Expired | ExpiredContext { .. } | NotValidYet | NotValidYetContext { .. } => {
            CertificateProblem::Date
        }
        _ => CertificateProblem::Other,
    })
}

async fn exchange<S>(
    stream: Recording<S>,
    recorded: Arc<Mutex<Vec<u8>>>,
    request: http::Request<Vec<u8>>,
) -> Result<WireResponse, NetworkError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
        .handshake::<_, http_body_util::Full<Bytes>>(TokioIo::new(stream))
        .await
        .map_err(|cause| error(NetworkErrorKind::Other, cause.to_string()))?;
    let driver = tokio::spawn(connection);
    let (parts, body) = request.into_parts();
    let mut outgoing =
        http::Request::from_parts(parts, http_body_util::Full::new(Bytes::from(body)));
    // An origin-form target, as browsers send.
    let target = outgoing
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str())
        .parse()
        .unwrap_or_default();
    *outgoing.uri_mut() = target;
    let response = sender.send_request(outgoing).await.map_err(|cause| {
        let reset = std::error::Error::source(&cause)
            .and_then(|source| source.downcast_ref::<io::Error>())
            .is_some_and(|io| io.kind() == io::ErrorKind::ConnectionReset);
        let kind = if reset {
            NetworkErrorKind::Reset
        } else if cause.is_incomplete_message() || cause.is_closed() {
            NetworkErrorKind::EmptyResponse
        } else {
            NetworkErrorKind::Other
        };
        error(kind, cause.to_string())
    })?;
    let (parts, mut body) = response.into_parts();
    let mut prefix = Vec::new();
    while prefix.len() < BODY_PREFIX_LIMIT {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    prefix.extend_from_slice(data);
                }
            }
            // A body cut short still tells what the server answered.
            Some(Err(_)) | None => break,
        }
    }
    prefix.truncate(BODY_PREFIX_LIMIT);
    driver.abort();
    let raw = recorded
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let mut response = WireResponse::from_http_parts(&parts, prefix);
    if let Some(headers) = head_in_order(&raw) {
        response.headers = headers;
    }
    Ok(response)
}

/// The field lines of the last complete response head in `raw` (skipping
/// `1xx` interim heads), names lower-cased, in the order received.
pub fn head_in_order(raw: &[u8]) -> Option<Vec<(String, String)>> {
    let mut offset = 0;
    loop {
        let mut headers = vec![httparse::EMPTY_HEADER; 256];
        let mut response = httparse::Response::new(&mut headers);
        let httparse::Status::Complete(length) = response.parse(raw.get(offset..)?).ok()? else {
            return None;
        };
        let interim = response.code.is_some_and(|code| (100..200).contains(&code));
        let lines = response
            .headers
            .iter()
            .map(|header| {
                (
                    header.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(header.value).into_owned(),
                )
            })
            .collect();
        if !interim {
            return Some(lines);
        }
        offset += length;
    }
}

/// A stream that keeps a copy of the first bytes it reads.
struct Recording<S> {
    inner: S,
    recorded: Arc<Mutex<Vec<u8>>>,
}

impl<S> Recording<S> {
    fn new(inner: S, recorded: Arc<Mutex<Vec<u8>>>) -> Self {
        Self { inner, recorded }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Recording<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buffer.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(context, buffer);
        if let Poll::Ready(Ok(())) = poll {
            let mut recorded = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
            let room = HEAD_LIMIT.saturating_sub(recorded.len());
            let new = &buffer.filled()[before..];
            recorded.extend_from_slice(&new[..new.len().min(room)]);
        }
        poll
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recording<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(context, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(context)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_keeps_duplicates_and_order_and_skips_interim_responses() {
        let raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nVary: Origin\r\nAccess-Control-Allow-Origin: https://a\r\nServer: x\r\naccess-control-allow-origin: https://a\r\n\r\n";
        let lines = head_in_order(raw).expect("complete head");
        let names: Vec<&str> = lines.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "vary",
                "access-control-allow-origin",
                "server",
                "access-control-allow-origin"
            ]
        );
    }

    #[test]
    fn tls_failures_get_chromiums_net_error_names() {
        let name = |cause: rustls::Error| {
            tls_error_kind(&io::Error::new(io::ErrorKind::InvalidData, cause)).net_error()
        };
        use rustls::CertificateError::*;
        assert_eq!(
            name(rustls::Error::InvalidCertificate(UnknownIssuer)),
            "net::ERR_CERT_AUTHORITY_INVALID"
        );
        assert_eq!(
            name(rustls::Error::InvalidCertificate(NotValidForName)),
            "net::ERR_CERT_COMMON_NAME_INVALID"
        );
        assert_eq!(
            name(rustls::Error::InvalidCertificate(Expired)),
            "net::ERR_CERT_DATE_INVALID"
        );
        assert_eq!(
            name(rustls::Error::InvalidCertificate(Revoked)),
            "net::ERR_CERT_INVALID"
        );
        assert_eq!(
            name(rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType
            )),
            "net::ERR_SSL_PROTOCOL_ERROR"
        );
        let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "tls handshake eof");
        assert_eq!(
            tls_error_kind(&eof).net_error(),
            "net::ERR_SSL_PROTOCOL_ERROR"
        );
    }

    #[test]
    fn a_cut_or_garbage_head_is_none_not_a_panic() {
        assert!(head_in_order(b"HTTP/1.1 200 OK\r\nA: b\r\n").is_none());
        assert!(head_in_order(b"\x00\xff garbage").is_none());
        assert!(head_in_order(b"").is_none());
    }
}
