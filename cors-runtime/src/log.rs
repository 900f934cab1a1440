//! `debug` events for refusals, behind the default-on `tracing` feature.
//! Nothing is logged when a request is allowed, and with no subscriber
//! interested an event costs one check of a static.

use std::fmt;

use http::HeaderValue;

use crate::origin::OriginHeader;

/// Shows a header value as text without allocating.
pub(crate) struct Lossy<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            for byte in chunk.invalid() {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        Ok(())
    }
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
