//! Any request headers to `preflight!`: the answer is always a 204, never
//! grants an origin the chosen policy does not allow, and never grants a
//! method no handler serves.
#![no_main]

use axum::http::header::{HeaderMap, HeaderName, HeaderValue};
use cors_runtime::{cors, preflight};
use libfuzzer_sys::fuzz_target;

#[cors(origins = ["https://app.example.com", "https://*.example.com"], methods = [GET, PUT], allow_headers = ["content-type"], credentials = true, max_age = 60, private_network = true)]
async fn app() {}

#[cors(origins = "*", methods = [DELETE], allow_headers = "*")]
async fn public() {}

fuzz_target!(|data: &[u8]| {
    let names = ["origin", "access-control-request-method", "access-control-request-headers", "access-control-request-private-network"];
    let mut headers = HeaderMap::new();
    // Each line: one selector byte, then the value.
    for line in data.split(|&b| b == b'\n') {
        let Some((&selector, value)) = line.split_first() else { continue };
        let Ok(value) = HeaderValue::from_bytes(value) else { return };
        headers.append(HeaderName::from_static(names[usize::from(selector) % names.len()]), value);
    }
    let answer = preflight!(app, public).answer(&headers);
    assert_eq!(answer.status(), 204);
    if let Some(origin) = answer.headers().get("access-control-allow-origin") {
        let origin = origin.as_bytes();
        assert!(
            origin == b"*"
                || origin == b"https://app.example.com"
                || (origin.starts_with(b"https://") && origin.ends_with(b".example.com") && origin.len() > "https://.example.com".len()),
            "granted {origin:?}"
        );
        let requested: Vec<&HeaderValue> = headers.get_all("origin").iter().collect();
        if origin != b"*" {
            assert_eq!(requested.len(), 1);
            assert_eq!(requested[0].as_bytes(), origin);
        }
    }
    if answer.headers().contains_key("access-control-max-age") {
        let method = headers.get("access-control-request-method").map(HeaderValue::as_bytes);
        assert!(matches!(method, Some(b"GET" | b"PUT" | b"HEAD")), "granted {method:?}");
    }
});
