//! Proof Key for Code Exchange, S256 only (RFC 7636).

use super::codec::encoding::base64url_encode;
use super::platform::random_32;
use super::{Check, Error, Platform};
use crate::prelude::*;
use sha2::{Digest, Sha256};

/// The PKCE `code_verifier` (RFC 7636 §4.1): a one-time secret.
///
/// Not `Clone` and its `Debug` is redacted: a verifier belongs to exactly one
/// authorization request and is spent by exactly one token request.
pub struct CodeVerifier(String);

/// The `code_challenge` derived from a verifier with S256 (RFC 7636 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

/// The only transformation we send (RFC 7636 §4.2; §7.2 forbids downgrading to `plain`).
pub const METHOD: &str = "S256";

impl CodeVerifier {
    /// A fresh verifier: 32 random octets, base64url-encoded to 43 characters (§4.1).
    pub fn generate(platform: &dyn Platform) -> Result<Self, Error> {
        Ok(Self::from_random(&random_32(platform)?))
    }

    /// The verifier for the given random octets, 32 of them (RFC 7636 Appendix B uses this
    /// form).
    pub fn from_random(octets: &[u8]) -> Self {
        CodeVerifier(base64url_encode(octets))
    }

    /// Restores a stored verifier, checking §4.1's `43*128unreserved` syntax.
    pub fn parse(text: String) -> Result<Self, Error> {
        let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if (43..=128).contains(&text.len()) && text.bytes().all(unreserved) {
            Ok(CodeVerifier(text))
        } else {
            Err(Error::check(Check::State, "stored PKCE verifier is malformed"))
        }
    }

    /// `BASE64URL(SHA256(ASCII(code_verifier)))`.
    pub fn challenge(&self) -> CodeChallenge {
        CodeChallenge(base64url_encode(&Sha256::digest(self.0.as_bytes())))
    }

    /// The secret itself, for the token request and for storage.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

impl CodeChallenge {
    /// The challenge text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPENDIX_B_OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
        240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];

    #[test]
    fn rfc7636_appendix_b() {
        let v = CodeVerifier::from_random(&APPENDIX_B_OCTETS);
        assert_eq!(v.secret(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(v.challenge().as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn debug_is_redacted() {
        let v = CodeVerifier::from_random(&APPENDIX_B_OCTETS);
        assert_eq!(format!("{v:?}"), "CodeVerifier([redacted])");
    }

    #[test]
    fn parse_enforces_syntax() {
        assert!(CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()).is_ok());
        assert!(CodeVerifier::parse("a".repeat(128)).is_ok());
        for bad in ["a".repeat(42), "a".repeat(129), format!("{}+", "a".repeat(43))] {
            assert_eq!(CodeVerifier::parse(bad).unwrap_err().code(), "state_mismatch");
        }
    }
}
