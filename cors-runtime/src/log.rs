//! `debug` events for refusals, behind the default-on `tracing` feature.
//! Nothing is logged when a request is allowed, and with no subscriber
//! interested an event costs one check of a static.

use std::fmt::{self, Write as _};

use http::HeaderValue;

use crate::origin::OriginHeader;

/// Shows a header value as text without allocating. Request bytes are
/// untrusted: control characters and the bidirectional controls that can
/// reorder what a reader of the log sees (U+202E, ...) are escaped, as are
/// invalid UTF-8 bytes.
pub(crate) struct Lossy<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            for c in chunk.valid().chars() {
                if c.is_control() || is_bidi_control(c) || c == '\\' {
                    write!(f, "{}", c.escape_unicode())?;
                } else {
                    f.write_char(c)?;
                }
            }
            for byte in chunk.invalid() {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        Ok(())
    }
}

/// Unicode's explicit directional formatting characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl fmt::Display for OriginHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Absent => f.write_str("(none)"),
            Self::One(value) => Lossy(HeaderValue::as_bytes(value)).fmt(f),
            Self::Several => f.write_str("(several Origin headers)"),
        }
    }
}

/// `refused!(handler, origin, "why", extra fields...)`: one `debug` event.
#[cfg(feature = "tracing")]
macro_rules! refused {
    ($handler:expr, $origin:expr, $why:literal $(, $($field:tt)+)?) => {
        ::tracing::debug!(handler = $handler, origin = %$origin, $($($field)+ ,)? concat!("CORS refused: ", $why))
    };
}

#[cfg(not(feature = "tracing"))]
macro_rules! refused {
    ($handler:expr, $origin:expr, $why:literal $(, $($field:tt)+)?) => {{
        let _ = (&$handler, &$origin);
    }};
}

pub(crate) use refused;

#[cfg(test)]
mod tests {
    use super::Lossy;

    #[test]
    fn request_bytes_are_escaped_in_logs() {
        let shown = Lossy("https://a.example\t\u{202e}moc.evil\\x\n".as_bytes()).to_string();
        assert_eq!(
            shown,
            "https://a.example\\u{9}\\u{202e}moc.evil\\u{5c}x\\u{a}"
        );
        assert_eq!(Lossy(b"ok\xff").to_string(), "ok\\xff");
        assert_eq!(Lossy("caf\u{e9}".as_bytes()).to_string(), "caf\u{e9}");
    }
}
