//! Cookies and tokens never reach the output.

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Whether a header's value is a secret.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "cookie" | "set-cookie" | "authorization" | "proxy-authorization"
    ) || [
        "token",
        "secret",
        "api-key",
        "apikey",
        "session",
        "password",
        "signature",
    ]
    .iter()
    .any(|mark| name.contains(mark))
}

/// `headers` with secret values replaced.
pub fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if is_secret_header(name) {
                REDACTED.to_owned()
            } else {
                value.clone()
            };
            (name.clone(), value)
        })
        .collect()
}

/// A URL with the values of secret-looking query parameters replaced.
pub fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = query
        .split_once('#')
        .map_or((query, None), |(q, f)| (q, Some(f)));
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_param(name) => format!("{name}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", parts.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

fn is_secret_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "token", "key", "secret", "password", "auth", "session", "sig", "code", "jwt",
    ]
    .iter()
    .any(|mark| name.contains(mark))
}

/// Free text (a pasted console line) with bearer tokens, cookie pairs and
/// secret query values replaced.
pub fn redact_text(text: &str) -> String {
    let mut out = Vec::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        if word.eq_ignore_ascii_case("bearer") || word.eq_ignore_ascii_case("basic") {
            out.push(word.to_owned());
            if words.next().is_some() {
                out.push(REDACTED.to_owned());
            }
            continue;
        }
        if word.contains("://") && word.contains('?') {
            out.push(redact_url(word));
            continue;
        }
        out.push(word.to_owned());
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_tokens_and_secret_parameters_are_redacted() {
        let headers = redact_headers(&[
            ("cookie".into(), "session=abc".into()),
            ("x-csrf-token".into(), "t".into()),
            ("accept".into(), "*/*".into()),
        ]);
        assert_eq!(headers[0].1, REDACTED);
        assert_eq!(headers[1].1, REDACTED);
        assert_eq!(headers[2].1, "*/*");
        assert_eq!(
            redact_url("https://a.example/x?access_token=abc&page=2"),
            "https://a.example/x?access_token=[redacted]&page=2"
        );
        assert_eq!(
            redact_text("Authorization: Bearer abc.def"),
            "Authorization: Bearer [redacted]"
        );
    }
}
