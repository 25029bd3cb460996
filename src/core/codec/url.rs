//! The little URL handling the protocol needs, without the `url` crate (≈80 KB of wasm).

use crate::core::Error;
use crate::prelude::*;

/// An absolute `https` URL, or an `http` URL on a loopback host (RFC 8252 §8.3 and the
/// browser-apps BCP allow plain HTTP only there). No fragment (RFC 6749 §3.1, §3.1.2),
/// no userinfo, no whitespace or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Validates `text`; `what` names the option in the error ("tokenEndpoint", …).
    pub fn parse(text: &str, what: &str) -> Result<Self, Error> {
        let fail = |why: &str| Err(Error::config([what, " ", why, ": \"", text, "\""].cat()));
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return fail("must not contain whitespace");
        }
        if text.contains('#') {
            return fail("must not contain a fragment");
        }
        let (secure, rest) = if let Some(rest) = text.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix("http://") {
            (false, rest)
        } else {
            return fail("must be an absolute http(s) URL");
        };
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if authority.is_empty() || authority.contains('@') {
            return fail("must have a host and no user info");
        }
        if !secure && !is_loopback(authority) {
            return fail("must use https (plain http is allowed only on loopback hosts)");
        }
        Ok(HttpUrl(text.to_owned()))
    }

    /// An empty stand-in, overwritten before anyone reads it (see `ClientConfig::from_json`).
    pub(crate) fn placeholder() -> Self {
        HttpUrl(String::new())
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `text` up to (not including) the first `?` or `#`.
pub fn strip_query(text: &str) -> &str {
    text.split(['?', '#']).next().unwrap_or_default()
}

/// `127.0.0.0/8`, `[::1]` or `localhost`, with or without a port.
fn is_loopback(authority: &str) -> bool {
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host == "[::1]"
        || host == "localhost"
        || host.strip_prefix("127.").is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3
                && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http() {
        for ok in [
            "https://as.example/authorize?x=1",
            "https://as.example",
            "http://127.0.0.1:9011/auth",
            "http://127.10.0.1/cb",
            "http://localhost:8080/",
            "http://[::1]:3000/cb",
        ] {
            assert_eq!(HttpUrl::parse(ok, "u").unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_insecure_or_malformed() {
        for bad in [
            "http://example.com/cb",
            "http://127.0.0.1.evil.example/cb",
            "http://localhost.evil.example/",
            "https://as.example/cb#frag",
            "https://user@as.example/",
            "https:///path",
            "ftp://as.example/",
            "/relative",
            "https://as.example/a b",
            "HTTPS://AS.EXAMPLE/",
        ] {
            let e = HttpUrl::parse(bad, "redirectUri").unwrap_err();
            assert_eq!(e.code(), "invalid_config", "{bad}");
            assert!(e.description().unwrap().starts_with("redirectUri "), "{bad}");
        }
    }

    #[test]
    fn strip_query_cuts_at_query_or_fragment() {
        assert_eq!(strip_query("https://app.example/cb?x=1"), "https://app.example/cb");
        assert_eq!(strip_query("https://a/b#c"), "https://a/b");
    }
}
