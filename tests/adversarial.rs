//! Hostile input on the wire gets a correct CORS answer in bounded time:
//! never a panic, never a 5xx, never a grant.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use axum::http::HeaderValue;
use axum::routing::get;
use axum::Router;
use cors_attr_tests::{has_any_allow_header, header, preflight, request, send};
use cors_runtime::{cors, preflight};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com", "https://*.example.com"], methods = [GET, PUT], allow_headers = ["content-type"], max_age = 60)]
async fn listed() -> &'static str {
    "listed"
}

#[cors(origins = "*", methods = [GET, PUT], allow_headers = "*")]
async fn public() -> &'static str {
    "public"
}

fn app() -> Router {
    Router::new()
        .route(
            "/listed",
            get(listed).put(listed).options(preflight!(listed)),
        )
        .route(
            "/public",
            get(public).put(public).options(preflight!(public)),
        )
}

/// Generous: the point is "not seconds", on a shared 2-core machine.
const BOUND: Duration = Duration::from_millis(250);

async fn timed(
    req: axum::http::Request<axum::body::Body>,
) -> axum::http::Response<axum::body::Body> {
    let started = Instant::now();
    let response = send(&app(), req).await;
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    assert!(
        !response.status().is_server_error(),
        "{}",
        response.status()
    );
    response
}

#[tokio::test]
async fn request_headers_of_64_kib_are_refused_quickly() {
    let names: Vec<String> = (0..7000).map(|i| format!("x-{i:07}")).collect();
    let list = names.join(",");
    assert!(list.len() >= 64 * 1024);
    for path in ["/listed", "/public"] {
        let response = timed(preflight(path, APP, "PUT", Some(&list))).await;
        assert_eq!(response.status(), 204);
        assert_eq!(header(&response, "access-control-max-age"), None, "{path}");
        // A list names its allowed headers (so the browser names the
        // refused one); `*` is never sent on a refusal.
        let expected = (path == "/listed").then(|| "content-type".to_owned());
        assert_eq!(
            header(&response, "access-control-allow-headers"),
            expected,
            "{path}"
        );
    }
}

#[tokio::test]
async fn ten_thousand_commas_are_refused_quickly() {
    let commas = ",".repeat(10_000);
    let response = timed(preflight("/listed", APP, "PUT", Some(&commas))).await;
    assert_eq!(header(&response, "access-control-max-age"), None);
    let spaced = ", ".repeat(5_000);
    let response = timed(preflight("/public", APP, "PUT", Some(&spaced))).await;
    assert_eq!(header(&response, "access-control-allow-headers"), None);
}

#[tokio::test]
async fn non_utf8_and_obs_text_origins_are_never_granted_by_a_list() {
    for bytes in [
        &b"https://app.example.com\xff"[..],
        b"https://\xe4pp.example.com",
        b"https://a.example.com\x80",
        b"\xff\xfe",
    ] {
        for (method, path) in [("GET", "/listed"), ("OPTIONS", "/listed")] {
            let mut req = if method == "GET" {
                request("GET", path, &[])
            } else {
                preflight(path, APP, "PUT", None)
            };
            req.headers_mut()
                .insert("origin", HeaderValue::from_bytes(bytes).unwrap());
            let response = timed(req).await;
            assert!(!has_any_allow_header(&response), "{bytes:?}");
        }
        let mut req = request("GET", "/public", &[]);
        req.headers_mut()
            .insert("origin", HeaderValue::from_bytes(bytes).unwrap());
        assert_eq!(
            header(&timed(req).await, "access-control-allow-origin").as_deref(),
            Some("*")
        );
    }
}

#[tokio::test]
async fn dozens_of_origin_lines_are_never_granted_by_a_list() {
    let lines: Vec<(&str, &str)> = (0..48).map(|_| ("origin", APP)).collect();
    let response = timed(request("GET", "/listed", &lines)).await;
    assert!(!has_any_allow_header(&response));
    let mut preflight_lines = lines.clone();
    preflight_lines.push(("access-control-request-method", "PUT"));
    let response = timed(request("OPTIONS", "/listed", &preflight_lines)).await;
    assert!(!has_any_allow_header(&response));
    let response = timed(request("GET", "/public", &lines)).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[tokio::test]
async fn odd_request_methods_are_refused() {
    for method in [
        &b"put"[..],
        b"Put",
        b"PUT ",
        b" PUT",
        b"GET, PUT",
        b"\xff",
        b"P\x80T",
        b"OPTIONS",
        b"CONNECT",
        b"TRACE",
    ] {
        let mut req = preflight("/listed", APP, "PUT", None);
        req.headers_mut().insert(
            "access-control-request-method",
            HeaderValue::from_bytes(method).unwrap(),
        );
        let response = timed(req).await;
        assert_eq!(response.status(), 204, "{method:?}");
        assert_eq!(
            header(&response, "access-control-max-age"),
            None,
            "{method:?}"
        );
    }
}

#[tokio::test]
async fn preflight_on_a_missing_path_is_a_404_without_cors() {
    let response = timed(preflight("/nowhere", APP, "PUT", None)).await;
    assert_eq!(response.status(), 404);
    assert!(!has_any_allow_header(&response));
}

/// The same hostile requests over a real socket, parsed by hyper.
#[test]
fn hostile_requests_over_http() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, app()).await });

    let long_list = vec!["x-aaaaaaa"; 6600].join(",");
    let cases: Vec<(Vec<u8>, bool)> = vec![
        (raw_preflight(b"Origin: https://app.example.com\r\nAccess-Control-Request-Headers: content-type\r\n"), true),
        (raw_preflight(format!("Origin: {APP}\r\nAccess-Control-Request-Headers: {long_list}\r\n").as_bytes()), false),
        (raw_preflight(format!("Origin: {APP}\r\nAccess-Control-Request-Headers: {}\r\n", ",".repeat(10_000)).as_bytes()), false),
        (raw_preflight(b"Origin: https://app.example.com\xff\r\n"), false),
        (raw_preflight(&b"Origin: https://app.example.com\r\n".repeat(40)), false),
    ];
    for (bytes, granted) in cases {
        let started = Instant::now();
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(&bytes).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "took {:?}",
            started.elapsed()
        );
        assert!(answer.starts_with("http/1.1 204"), "{answer}");
        assert_eq!(
            answer.contains("access-control-max-age: 60"),
            granted,
            "{answer}"
        );
    }
}

fn raw_preflight(extra_headers: &[u8]) -> Vec<u8> {
    let mut bytes = b"OPTIONS /listed HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccess-Control-Request-Method: PUT\r\n".to_vec();
    bytes.extend_from_slice(extra_headers);
    bytes.extend_from_slice(b"\r\n");
    bytes
}
