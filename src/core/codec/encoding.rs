//! Byte-level encodings: base64url (RFC 4648 §5), percent-encoding (RFC 3986 §2.1) and
//! `application/x-www-form-urlencoded` queries, plus integer formatting. Hand-written
//! because the general crates (and `format!`) cost more wasm than the whole protocol.

use crate::prelude::*;
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Upper-case hex digits, for percent-encoding and JSON `\u` escapes alike.
pub(crate) const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Base64url without padding (RFC 4648 §5, as RFC 7636 §3 and RFC 7515 §2 use it).
/// Hand-written, with its decoder below: the `base64` crate (0.22, `URL_SAFE_NO_PAD`, alloc
/// only) in their place measured +3.37 KB gzip on the browser module (2026-12-04).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let emit = chunk.len() + 1;
        for i in 0..emit {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(B64URL[idx as usize]));
        }
    }
    out
}

/// Decodes unpadded base64url; `None` on any character outside the alphabet, on padding,
/// or on a length no encoder produces.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        }))
    }
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// How a space is written in a query value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Space {
    /// `%20` (RFC 3986 percent-encoding).
    #[default]
    Percent,
    /// `+` (HTML form encoding, what `URLSearchParams` writes).
    Plus,
}

/// Appends `text` percent-encoded for use as a query name or value: everything but the
/// RFC 3986 §2.3 unreserved characters is escaped, so `+`, `&`, `=`, `#`, `%` and non-ASCII
/// survive any form decoder.
pub fn percent_encode_into(out: &mut String, text: &str, space: Space) {
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(b)),
            b' ' if space == Space::Plus => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

/// Decodes one form-urlencoded component: `+` is a space, `%XX` a byte. `None` when an
/// escape is malformed or the bytes are not UTF-8 (a strict decoder, like Go's
/// `url.ParseQuery`, which Hydra uses).
pub fn form_decode(text: &str) -> Option<String> {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'+' => b' ',
            b'%' => (hex(bytes.next()?)? << 4) | hex(bytes.next()?)?,
            _ => b,
        });
    }
    String::from_utf8(out).ok()
}

/// Parses `a=1&b=2` into decoded pairs; `None` if any component fails [`form_decode`].
/// Empty segments (`a=1&&b=2`) are skipped, a name without `=` has an empty value.
pub fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    // A loop: `collect` into an `Option<Vec<_>>` costs more wasm.
    let mut pairs = Vec::new();
    for part in query.split('&').filter(|part| !part.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        pairs.push((form_decode(name)?, form_decode(value)?));
    }
    Some(pairs)
}

/// Builds a form-urlencoded string (`%20` for spaces), or a URL's query when started
/// from a URL.
#[derive(Default)]
pub struct FormBuilder {
    out: String,
}

impl FormBuilder {
    /// Continues `url`: pairs go after a `?`, or after `&` if it already has a query.
    pub fn url(url: &str) -> Self {
        let mut out = url.to_owned();
        if !out.contains('?') {
            out.push('?');
        }
        FormBuilder { out }
    }

    /// Appends `name=value`, both percent-encoded.
    pub fn pair(&mut self, name: &str, value: &str) -> &mut Self {
        let mut encoded = String::new();
        percent_encode_into(&mut encoded, value, Space::Percent);
        self.pair_encoded(name, &encoded)
    }

    /// Appends `name=` and a value that is already encoded.
    pub fn pair_encoded(&mut self, name: &str, encoded: &str) -> &mut Self {
        if !self.out.is_empty() && !self.out.ends_with(['?', '&']) {
            self.out.push('&');
        }
        percent_encode_into(&mut self.out, name, Space::Percent);
        self.out.push('=');
        self.out.push_str(encoded);
        self
    }

    /// The finished string.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Appends the decimal form of `n` (an allocation-light `itoa`).
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc7636_appendix_a() {
        assert_eq!(base64url_encode(&[3, 236, 255, 224, 193]), "A-z_4ME");
        assert_eq!(base64url_decode("A-z_4ME").unwrap(), vec![3, 236, 255, 224, 193]);
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..40 {
            let enc = base64url_encode(&data[..len]);
            assert!(!enc.contains('='));
            assert_eq!(base64url_decode(&enc).unwrap(), &data[..len]);
        }
    }

    #[test]
    fn base64url_rejects_bad_input() {
        for bad in ["A", "AB=C", "a+b/", "ab cd", "é"] {
            assert_eq!(base64url_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn percent_encoding_escapes_reserved_and_unicode() {
        let mut out = String::new();
        percent_encode_into(&mut out, "a b+c&d=e#f%g/é~", Space::Percent);
        assert_eq!(out, "a%20b%2Bc%26d%3De%23f%25g%2F%C3%A9~");
        out.clear();
        percent_encode_into(&mut out, "a b", Space::Plus);
        assert_eq!(out, "a+b");
    }

    #[test]
    fn form_decode_is_strict() {
        assert_eq!(form_decode("a+b%20c%2B").as_deref(), Some("a b c+"));
        assert_eq!(form_decode("%C3%A9").as_deref(), Some("é"));
        assert_eq!(form_decode("%"), None);
        assert_eq!(form_decode("%G1"), None);
        assert_eq!(form_decode("%FF"), None, "not UTF-8");
    }

    #[test]
    fn parse_query_pairs() {
        let q = parse_query("code=abc&state=x%2By&&flag&e=").unwrap();
        assert_eq!(
            q,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x+y".into()),
                ("flag".into(), "".into()),
                ("e".into(), "".into())
            ]
        );
        assert_eq!(parse_query("a=%zz"), None);
    }

    #[test]
    fn form_builder_separators() {
        let mut f = FormBuilder::url("https://as/auth");
        f.pair("a", "1 2").pair_encoded("b", "x+y");
        assert_eq!(f.finish(), "https://as/auth?a=1%202&b=x+y");
        for (base, expected) in [("https://as/a?t=1", "https://as/a?t=1&k=v"), ("https://as/a?", "https://as/a?k=v")] {
            let mut f = FormBuilder::url(base);
            f.pair("k", "v");
            assert_eq!(f.finish(), expected);
        }
        let mut f = FormBuilder::default();
        f.pair("grant_type", "authorization_code").pair("code", "c");
        assert_eq!(f.finish(), "grant_type=authorization_code&code=c");
    }

    #[test]
    fn push_u64_formats() {
        for n in [0u64, 7, 10, 1_700_000_000, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
