//! Any bytes as `Origin`: the matcher never panics, and grants only the
//! exact origins or pattern matches the policy names, echoing the request.
#![no_main]

use axum::http::HeaderValue;
use cors_runtime::__private::{AllowedOrigins, EnvOrigins, HostPattern, OriginHeader, OriginPattern, PortPattern};
use libfuzzer_sys::fuzz_target;

static APP: HeaderValue = HeaderValue::from_static("https://app.example.com");
static POLICY: AllowedOrigins = AllowedOrigins::List {
    exact: &[&APP],
    patterns: &[
        OriginPattern { scheme: "https://", host: HostPattern::Subdomains(".example.com"), port: PortPattern::Exact("") },
        OriginPattern { scheme: "http://", host: HostPattern::Exact("localhost"), port: PortPattern::Any },
    ],
    env: EnvOrigins::new(&[]),
};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = HeaderValue::from_bytes(data) else { return };
    if let Some(granted) = POLICY.allow(OriginHeader::One(&value)) {
        assert_eq!(granted.as_bytes(), data);
        let text = std::str::from_utf8(data).expect("granted origins are ASCII");
        let subdomain = text
            .strip_prefix("https://")
            .and_then(|host| host.strip_suffix(".example.com"))
            .is_some_and(|labels| !labels.is_empty() && labels.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')));
        let localhost = text == "http://localhost"
            || text.strip_prefix("http://localhost:").is_some_and(|port| !port.starts_with('0') && port.parse::<u16>().is_ok_and(|p| p > 0) && port.bytes().all(|b| b.is_ascii_digit()));
        assert!(text == "https://app.example.com" || subdomain || localhost, "granted {text:?}");
    }
});
