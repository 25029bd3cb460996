//! DPoP (RFC 9449): the key's thumbprint for `dpop_jkt` and the claims of each proof. The key
//! pair lives in WebCrypto, which signs; this module decides what is signed.

use crate::core::codec::encoding::{base64url_decode, base64url_encode};
use crate::core::codec::json::{ObjectWriter, Value};
use crate::core::codec::url::strip_query;
use crate::core::{Check, Error};
use crate::prelude::*;
use sha2::{Digest, Sha256};

/// An ECDSA P-256 public key (the only kind this client makes: `ES256`, §3.1), as its
/// canonical JWK.
pub struct PublicKey {
    jwk: String,
}

impl PublicKey {
    /// Reads the public key WebCrypto exports (`exportKey('jwk', publicKey)`): an EC P-256 JWK.
    /// Only `kty`, `crv`, `x` and `y` are kept (in the RFC 7638 §3.2 order): nothing else of
    /// the export goes into a proof.
    pub fn from_jwk(text: &str) -> Result<Self, Error> {
        let bad = || Error::check(Check::Config, "the DPoP key is not an EC P-256 public key");
        let jwk = Value::parse(text).ok_or_else(bad)?;
        let member = |name: &str| jwk.get(name).and_then(Value::as_str);
        let coordinate = |name: &str| member(name).filter(|c| base64url_decode(c).is_some_and(|b| b.len() == 32));
        match (member("kty"), member("crv"), coordinate("x"), coordinate("y")) {
            (Some("EC"), Some("P-256"), Some(x), Some(y)) => {
                // RFC 7638 §3.3: the required members, in lexicographic order, no whitespace;
                // x and y are base64url, which needs no escaping.
                Ok(PublicKey { jwk: [r#"{"crv":"P-256","kty":"EC","x":""#, x, r#"","y":""#, y, r#""}"#].cat() })
            }
            _ => Err(bad()),
        }
    }

    /// The JWK SHA-256 thumbprint (RFC 7638 §3), base64url: the `dpop_jkt` of the
    /// authorization request (§10) and the `cnf.jkt` of the tokens bound to the key.
    pub fn thumbprint(&self) -> String {
        base64url_encode(&Sha256::digest(self.jwk.as_bytes()))
    }

    /// The proof's signing input, `base64url(header).base64url(claims)` (§4.2): header
    /// `typ: dpop+jwt`, `alg: ES256` and this key; claims `jti` (unique per proof), `htm`,
    /// `htu` (the URL without query and fragment), `iat`, and, when known, the server's
    /// `nonce` (§8) and `ath`, the access token's SHA-256 (§4.3, for a resource server).
    pub fn proof_input(&self, method: &str, url: &str, jti: &str, iat: u64, nonce: &str, access_token: &str) -> String {
        let header = [r#"{"typ":"dpop+jwt","alg":"ES256","jwk":"#, &self.jwk, "}"].cat();
        let mut claims = ObjectWriter::default();
        claims.str("jti", jti).str("htm", method).str("htu", strip_query(url)).num("iat", iat);
        if !nonce.is_empty() {
            claims.str("nonce", nonce);
        }
        if !access_token.is_empty() {
            claims.str("ath", &base64url_encode(&Sha256::digest(access_token.as_bytes())));
        }
        [base64url_encode(header.as_bytes()), ".".into(), base64url_encode(claims.finish().as_bytes())].cat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The key of RFC 9449's examples (§4.1), as WebCrypto would export it; its thumbprint is
    // the `jkt` of §6.1.
    const JWK: &str = r#"{"key_ops":["verify"],"ext":true,"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"}"#;

    #[test]
    fn canonical_jwk_and_thumbprint() {
        let key = PublicKey::from_jwk(JWK).unwrap();
        assert_eq!(
            key.jwk,
            r#"{"crv":"P-256","kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}"#
        );
        assert_eq!(key.thumbprint(), "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
        for bad in [
            r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#,
            &JWK.replace("P-256", "P-384"),
            &JWK.replace("l8tF", "l8t\""),
            &JWK.replace("l8tFrhx-", "l8tFrhx"),
            "[]",
        ] {
            let e = PublicKey::from_jwk(bad).err().unwrap();
            assert_eq!(e.description(), Some("the DPoP key is not an EC P-256 public key"), "{bad}");
        }
    }

    #[test]
    fn proof_claims() {
        let key = PublicKey::from_jwk(JWK).unwrap();
        let input = key.proof_input("POST", "https://as.example/token?x=1#f", "j-1", 1_700_000_000, "", "");
        let (header, claims) = input.split_once('.').unwrap();
        let text = |part: &str| String::from_utf8(base64url_decode(part).unwrap()).unwrap();
        assert_eq!(text(header), [r#"{"typ":"dpop+jwt","alg":"ES256","jwk":"#, &key.jwk, "}"].cat());
        assert_eq!(text(claims), r#"{"jti":"j-1","htm":"POST","htu":"https://as.example/token","iat":1700000000}"#);
        let input = key.proof_input("GET", "https://api.example/r", "j-2", 5, "n\"1", "at");
        let claims = text(input.split_once('.').unwrap().1);
        // ath: base64url(SHA-256("at")).
        let ath = base64url_encode(&Sha256::digest(b"at"));
        assert_eq!(
            claims,
            [r#"{"jti":"j-2","htm":"GET","htu":"https://api.example/r","iat":5,"nonce":"n\"1","ath":""#, &ath, "\"}"]
                .cat()
        );
    }
}
