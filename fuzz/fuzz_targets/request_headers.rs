//! Any bytes as `Access-Control-Request-Headers`: the parser never panics,
//! reads at most the element limit, and allows only lists of allowed names.
#![no_main]

use axum::http::header::{HeaderMap, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS};
use cors_runtime::__private::{AllowedHeaders, RequestHeaderList};
use cors_runtime::{MAX_REQUEST_HEADERS_ITEMS, MAX_REQUEST_HEADERS_LEN};
use libfuzzer_sys::fuzz_target;

static LIST: AllowedHeaders = AllowedHeaders::List {
    names: &["content-type", "x-request-id"],
};

fuzz_target!(|data: &[u8]| {
    let mut map = HeaderMap::new();
    for line in data.split(|&b| b == b'\n') {
        let Ok(value) = HeaderValue::from_bytes(line) else { return };
        map.append(ACCESS_CONTROL_REQUEST_HEADERS, value);
    }
    let mut calls = 0;
    let result = RequestHeaderList::new(&map).check(|name| {
        calls += 1;
        LIST.allows(name)
    });
    assert!(calls <= MAX_REQUEST_HEADERS_ITEMS);
    if result.is_ok() {
        assert!(data.len() <= MAX_REQUEST_HEADERS_LEN + MAX_REQUEST_HEADERS_ITEMS);
        for element in data.split(|&b| b == b'\n' || b == b',') {
            let name = element.trim_ascii();
            assert!(
                name.is_empty() || name.eq_ignore_ascii_case(b"content-type") || name.eq_ignore_ascii_case(b"x-request-id"),
                "allowed {name:?}"
            );
        }
    }
});
