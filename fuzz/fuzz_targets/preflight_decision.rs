//! Any request headers to `preflight!`: the answer is always a 204, never
//! grants an origin the chosen policy does not allow or a method no handler
//! serves, and never lets a grant be cached on a path whose policies grant
//! differently.
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
    // The two policies grant differently on one path: no grant may be
    // cached, or the browser would reuse one's grant for the other's method.
    if let Some(max_age) = answer.headers().get("access-control-max-age") {
        assert_eq!(max_age, "0", "a cacheable grant on a path whose policies differ");
        let method = headers.get("access-control-request-method").map(HeaderValue::as_bytes);
        assert!(matches!(method, Some(b"GET" | b"PUT" | b"HEAD" | b"DELETE")), "granted {method:?}");
    }
});
