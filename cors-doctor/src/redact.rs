//! Cookies and tokens never reach the output: every report is passed
//! through [`redact_report`] as it is built, so both output forms (and a
//! library caller) see the redacted copy.

use crate::report::{
    Blame, BrowserView, Browsers, ExchangeRecord, Report, RequestRecord, ResponseRecord,
};

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

/// Free text (a console line, a note, an evidence line) with bearer
/// tokens, secret header values and secret query values replaced. Quotes
/// and sentence punctuation around a URL are kept.
pub fn redact_text(text: &str) -> String {
    text.split_inclusive('\n')
        .map(redact_line)
        .collect::<Vec<_>>()
        .concat()
}

fn redact_line(line: &str) -> String {
    let (line, newline) = line
        .strip_suffix('\n')
        .map_or((line, ""), |line| (line, "\n"));
    let mut out = Vec::new();
    let mut words = line.split(' ');
    while let Some(word) = words.next() {
        if is_auth_scheme(word) {
            out.push(word.to_owned());
            if words.next().is_some() {
                out.push(REDACTED.to_owned());
            }
            continue;
        }
        // `Cookie: a=b; c=d` in free text: the rest of the line is the value.
        if word
            .strip_suffix(':')
            .is_some_and(|name| !name.is_empty() && is_secret_header(name))
        {
            out.push(word.to_owned());
            let mut rest = words.by_ref().peekable();
            if let Some(scheme) = rest.next_if(|word| is_auth_scheme(word)) {
                out.push(scheme.to_owned());
            }
            if rest.count() > 0 {
                out.push(REDACTED.to_owned());
            }
            continue;
        }
        out.push(redact_word(word));
    }
    out.join(" ") + newline
}

fn is_auth_scheme(word: &str) -> bool {
    word.eq_ignore_ascii_case("bearer") || word.eq_ignore_ascii_case("basic")
}

/// A word holding a URL (`'https://a/x?token=t'`, `https://a/x?token=t.`)
/// with the URL's secret query values replaced.
fn redact_word(word: &str) -> String {
    let Some(scheme_end) = word.find("://") else {
        return word.to_owned();
    };
    let start = word[..scheme_end]
        .char_indices()
        .rfind(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .map_or(0, |(index, c)| index + c.len_utf8());
    let end = word[start..]
        .find(['\'', '"', '<', '>', '(', ')', '`', '\u{2018}', '\u{2019}'])
        .map_or(word.len(), |index| start + index);
    let url = word[start..end].trim_end_matches(['.', ',', ';', ':']);
    let end = start + url.len();
    format!("{}{}{}", &word[..start], redact_url(url), &word[end..])
}

/// `report` with every header value, URL and line of text redacted.
pub fn redact_report(report: &Report) -> Report {
    let Report {
        url,
        origin,
        method,
        credentials,
        preflight,
        verdict,
        reason,
        browsers,
        blame,
        exchanges,
        fix,
        network,
        notes,
    } = report;
    let text = |text: &String| redact_text(text);
    let texts = |texts: &Vec<String>| texts.iter().map(text).collect();
    let view = |view: &BrowserView| BrowserView {
        verdict: view.verdict,
        reason: view.reason.clone(),
        console: view.console.as_ref().map(text),
        note: view.note.as_ref().map(text),
    };
    let headers = |headers: &[(String, String)]| {
        redact_headers(headers)
            .into_iter()
            .map(|(name, value)| (name, redact_text(&value)))
            .collect()
    };
    Report {
        url: redact_url(url),
        origin: text(origin),
        method: method.clone(),
        credentials: credentials.clone(),
        preflight: *preflight,
        verdict: *verdict,
        reason: reason.clone(),
        browsers: Browsers {
            chromium: view(&browsers.chromium),
            firefox: view(&browsers.firefox),
            safari: view(&browsers.safari),
        },
        blame: Blame {
            layer: blame.layer,
            evidence: texts(&blame.evidence),
        },
        exchanges: exchanges
            .iter()
            .map(|exchange| ExchangeRecord {
                purpose: exchange.purpose.clone(),
                request: RequestRecord {
                    method: exchange.request.method.clone(),
                    url: redact_url(&exchange.request.url),
                    headers: headers(&exchange.request.headers),
                },
                response: exchange.response.as_ref().map(|response| ResponseRecord {
                    status: response.status,
                    headers: headers(&response.headers),
                }),
                error: exchange.error.as_ref().map(text),
            })
            .collect(),
        fix: texts(fix),
        network: network.as_ref().map(text),
        notes: texts(notes),
    }
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

    #[test]
    fn urls_in_console_lines_keep_their_quotes_and_punctuation() {
        assert_eq!(
            redact_text("Access to fetch at 'https://a.example/x?access_token=abc' from origin"),
            "Access to fetch at 'https://a.example/x?access_token=[redacted]' from origin"
        );
        assert_eq!(
            redact_text("remote resource at https://a.example/x?token=a.b.c. (Reason: x)"),
            "remote resource at https://a.example/x?token=[redacted]. (Reason: x)"
        );
        assert_eq!(
            redact_text("Status code: 401\nFetch API cannot load http://a/x?key=k due to"),
            "Status code: 401\nFetch API cannot load http://a/x?key=[redacted] due to"
        );
        assert_eq!(
            redact_text("Set-Cookie: id=abc; Path=/\nnext"),
            "Set-Cookie: [redacted]\nnext"
        );
        assert_eq!(
            redact_text("\u{2018}https://a/x?sig=s\u{2019}), \u{e9}://?"),
            "\u{2018}https://a/x?sig=[redacted]\u{2019}), \u{e9}://?"
        );
    }
}
