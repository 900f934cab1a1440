//! HTTP tokens (RFC 9110, 5.6.2): what a method or a header name may be.
//! `cors-macros` checks the names a policy lists with [`is_token`];
//! `cors-runtime` builds its lookup table for request header names from
//! [`is_tchar`].

/// Whether `byte` is a `tchar`: a byte a token may contain.
#[inline]
pub const fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Whether `name` is a token: one or more `tchar`s.
#[inline]
pub fn is_token(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&byte| is_tchar(byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_nonempty_runs_of_tchars() {
        for token in [
            "GET",
            "PURGE",
            "content-type",
            "x-a_b.c~d",
            "!#$%&'*+-.^_`|~",
        ] {
            assert!(is_token(token.as_bytes()), "{token}");
        }
        for not_token in ["", "a b", "a:b", "a,b", "(x)", "é", "a\"b", "a/b", "a\tb"] {
            assert!(!is_token(not_token.as_bytes()), "{not_token:?}");
        }
    }

    #[test]
    fn exactly_seventy_seven_bytes_are_tchars() {
        // 62 letters and digits and the 15 symbols of RFC 9110.
        assert_eq!((0..=255u8).filter(|&b| is_tchar(b)).count(), 77);
    }
}
