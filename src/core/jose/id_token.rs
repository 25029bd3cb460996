//! JWT decoding and ID token validation (OIDC Core §3.1.3.7): the claims, checked here.
//!
//! The signature (step 6) is checked apart: [`super::jwks`] chooses the provider's key and
//! WebCrypto verifies with it (`js/api.js`), unless the client was created with
//! `dangerouslySkipIdTokenSignature`. `alg: none` is refused here in every case.

use crate::core::codec::encoding::base64url_decode;
use crate::core::codec::json::Value;
use crate::core::{Check, Error};
use crate::prelude::*;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// A decoded (not verified) compact JWS.
pub struct Jwt {
    /// The JOSE header.
    pub header: Value,
    /// The claims.
    pub claims: Value,
    /// The claims as the JSON text they arrived in.
    pub claims_text: String,
}

/// Decodes a compact JWS's header and payload (both must be JSON objects).
pub fn decode(jwt: &str) -> Option<Jwt> {
    let mut parts = jwt.split('.');
    let (header, body, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let object = |part: &str| {
        let text = String::from_utf8(base64url_decode(part)?).ok()?;
        Value::parse(&text).filter(|v| v.as_object().is_some()).map(|v| (v, text))
    };
    let (header, _) = object(header)?;
    let (claims, claims_text) = object(body)?;
    Some(Jwt { header, claims, claims_text })
}

/// `aud` as a list: a string is one audience, an array of strings several.
pub fn audience(claims: &Value) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for item in claims.get("aud")?.str_list()? {
        out.push(item.to_owned());
    }
    Some(out)
}

/// What an ID token is checked against.
pub struct IdTokenChecks<'a> {
    /// Expected `iss` (step 2).
    pub issuer: &'a str,
    /// Must be in `aud` (step 3) and be `azp` when present (steps 4–5).
    pub client_id: &'a str,
    /// The nonce sent in the authorization request (step 11).
    pub nonce: Option<&'a str>,
    /// Current time, epoch seconds.
    pub now: u64,
    /// Tolerated clock difference, seconds.
    pub skew: u64,
    /// For `at_hash` (§3.1.3.8), checked when present.
    pub access_token: &'a str,
    /// On refresh (§12.2): the `sub` of the signed-in user, which must not change.
    pub sub: Option<&'a str>,
}

fn fail(detail: &'static str) -> Error {
    Error::check(Check::IdToken, detail)
}

/// Validates the ID token and returns its claims as JSON text.
pub fn validate(jwt: &str, c: &IdTokenChecks<'_>) -> Result<String, Error> {
    let Jwt { header, claims, claims_text } =
        decode(jwt).ok_or_else(|| fail("the ID token is not a well-formed JWT"))?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("none");
    if alg == "none" {
        return Err(fail("the ID token is unsigned (alg none)"));
    }
    let str_claim = |name: &str| claims.get(name).and_then(Value::as_str);
    if str_claim("iss") != Some(c.issuer) {
        return Err(fail("iss is not the configured issuer"));
    }
    if str_claim("sub").is_none_or(str::is_empty) {
        return Err(fail("sub is missing"));
    }
    if c.sub.is_some() && str_claim("sub") != c.sub {
        return Err(fail("sub is not the signed-in user's (OIDC Core §12.2)"));
    }
    let aud = audience(&claims).ok_or_else(|| fail("aud is missing or malformed"))?;
    if !aud.iter().any(|a| a == c.client_id) {
        return Err(fail("aud does not contain the client_id"));
    }
    match str_claim("azp") {
        Some(azp) if azp != c.client_id => return Err(fail("azp is not the client_id")),
        None if aud.len() > 1 => return Err(fail("azp is required when aud has several values")),
        _ => {}
    }
    let exp = claims.get("exp").and_then(Value::as_u64).ok_or_else(|| fail("exp is missing"))?;
    if exp.saturating_add(c.skew) <= c.now {
        return Err(fail("the ID token has expired"));
    }
    let iat = claims.get("iat").and_then(Value::as_u64).ok_or_else(|| fail("iat is missing"))?;
    // RFC 7519 §4.1.5: not before `nbf` either, with the same skew (one that is no number never is).
    let nbf = claims.get("nbf").map_or(Some(0), Value::as_u64).unwrap_or(u64::MAX);
    if iat.max(nbf) > c.now.saturating_add(c.skew) {
        return Err(fail("iat or nbf is in the future"));
    }
    if let Some(expected) = c.nonce {
        if str_claim("nonce") != Some(expected) {
            return Err(fail("nonce does not match the login"));
        }
    }
    if let Some(at_hash) = str_claim("at_hash") {
        // §3.1.3.8: the left half of the access token's hash with the hash function of the
        // JOSE alg; EdDSA (Ed25519, the only curve the key choice accepts) hashes with SHA-512
        // (OIDC Core errata: "the hash algorithm of the curve"). An alg whose hash is unknown
        // (only with dangerouslySkipIdTokenSignature) is refused rather than not checked.
        // (SHA-384/512 cost about 1.8 KB gzip: only the account module, which runs the
        // callback and refresh checks, carries them.)
        let token = c.access_token.as_bytes();
        let digest = if alg.ends_with("256") {
            Sha256::digest(token).to_vec()
        } else if alg.ends_with("384") {
            Sha384::digest(token).to_vec()
        } else if alg.ends_with("512") || alg == "EdDSA" || alg == "Ed25519" {
            Sha512::digest(token).to_vec()
        } else {
            return Err(fail("at_hash cannot be checked: the alg names no known hash"));
        };
        if base64url_decode(at_hash).as_deref() != digest.get(..digest.len() / 2) {
            return Err(fail("at_hash does not match the access token"));
        }
    }
    Ok(claims_text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codec::encoding::base64url_encode;
    use crate::core::token::tests::jwt;

    const NOW: u64 = 1_700_000_000;

    fn checks<'a>(nonce: Option<&'a str>) -> IdTokenChecks<'a> {
        IdTokenChecks {
            issuer: "https://as.example",
            client_id: "spa",
            nonce,
            now: NOW,
            skew: 60,
            access_token: "at",
            sub: None,
        }
    }

    fn claims(extra: &str) -> String {
        [
            r#"{"iss":"https://as.example","sub":"u","aud":"spa","exp":1700000100,"iat":1700000000,"nonce":"n""#,
            extra,
            "}",
        ]
        .cat()
    }

    fn check(payload: &str) -> Result<String, Error> {
        validate(&jwt(r#"{"alg":"RS256"}"#, payload), &checks(Some("n")))
    }

    #[test]
    fn accepts_valid_token_and_returns_claims() {
        let at_hash = base64url_encode(&Sha256::digest(b"at")[..16]);
        let payload = claims(&[r#","azp":"spa","at_hash":""#, &at_hash, "\""].cat())
            .replace(r#""aud":"spa""#, r#""aud":["spa","api"]"#);
        let text = check(&payload).unwrap();
        assert_eq!(text, payload, "the claims reach JS as they arrived");
        let v = Value::parse(&text).unwrap();
        assert_eq!(v.get("sub").unwrap().as_str(), Some("u"));
        assert!(check(&claims("")).is_ok());
        // Inside the skew window.
        assert!(validate(
            &jwt(r#"{"alg":"ES256"}"#, &claims("").replace("1700000100", "1699999950")),
            &checks(Some("n"))
        )
        .is_ok());
        // nbf within the skew is fine (RFC 7519 §4.1.5).
        assert!(check(&claims(r#","nbf":1700000060"#)).is_ok());
        // No nonce expected (no openid in the request): any nonce is fine.
        assert!(validate(&jwt(r#"{"alg":"RS256"}"#, &claims("")), &checks(None)).is_ok());
    }

    #[test]
    fn at_hash_for_every_alg() {
        // Left halves of SHA-256/384/512("at") in base64url, computed apart (Node's crypto).
        let cases = [
            ("RS256", "sda5G2fCr6XjIpiNlGJjjQ"),
            ("ES256", "sda5G2fCr6XjIpiNlGJjjQ"),
            ("PS384", "4hulEO2T04y86FsZK2pA8fxDcRCCi6uc"),
            ("ES384", "4hulEO2T04y86FsZK2pA8fxDcRCCi6uc"),
            ("RS512", "dTR5nNqNrsxqjWP_lCTH2ESWpeTv9f1yZraJ_wsSjjE"),
            ("EdDSA", "dTR5nNqNrsxqjWP_lCTH2ESWpeTv9f1yZraJ_wsSjjE"),
            ("Ed25519", "dTR5nNqNrsxqjWP_lCTH2ESWpeTv9f1yZraJ_wsSjjE"),
        ];
        for (alg, at_hash) in cases {
            let header = [r#"{"alg":""#, alg, r#""}"#].cat();
            let good = claims(&[r#","at_hash":""#, at_hash, "\""].cat());
            assert!(validate(&jwt(&header, &good), &checks(Some("n"))).is_ok(), "{alg}");
            // Another family's hash of the same token does not pass.
            let other = if at_hash.len() == 22 { cases[4].1 } else { cases[0].1 };
            let bad = claims(&[r#","at_hash":""#, other, "\""].cat());
            let e = validate(&jwt(&header, &bad), &checks(Some("n"))).unwrap_err();
            assert_eq!(e.description(), Some("at_hash does not match the access token"), "{alg}");
        }
        let e = validate(&jwt(r#"{"alg":"XY1"}"#, &claims(r#","at_hash":"AAAA""#)), &checks(Some("n"))).unwrap_err();
        assert_eq!(e.description(), Some("at_hash cannot be checked: the alg names no known hash"));
    }

    #[test]
    fn every_claim_check() {
        let base = claims("");
        let cases: Vec<(String, &str)> = vec![
            ("not a jwt".into(), "the ID token is not a well-formed JWT"),
            (base.replace("https://as.example", "https://evil.example"), "iss is not the configured issuer"),
            (base.replace(r#""sub":"u","#, ""), "sub is missing"),
            (base.replace(r#""aud":"spa""#, r#""aud":"other""#), "aud does not contain the client_id"),
            (base.replace(r#""aud":"spa""#, r#""aud":7"#), "aud is missing or malformed"),
            (base.replace(r#""aud":"spa""#, r#""aud":["spa","other"]"#), "azp is required when aud has several values"),
            (base.replace(r#""aud":"spa""#, r#""aud":"spa","azp":"x""#), "azp is not the client_id"),
            (base.replace("1700000100", "1699999940"), "the ID token has expired"),
            (base.replace(r#""exp":1700000100,"#, ""), "exp is missing"),
            (base.replace(r#""iat":1700000000,"#, ""), "iat is missing"),
            (base.replace(r#""iat":1700000000"#, r#""iat":1700000061"#), "iat or nbf is in the future"),
            (claims(r#","nbf":1700000061"#), "iat or nbf is in the future"),
            (claims(r#","nbf":"soon""#), "iat or nbf is in the future"),
            (base.replace(r#""nonce":"n""#, r#""nonce":"m""#), "nonce does not match the login"),
            (base.replace(r#","nonce":"n""#, ""), "nonce does not match the login"),
            (claims(r#","at_hash":"AAAA""#), "at_hash does not match the access token"),
        ];
        for (payload, why) in cases {
            let token = if payload == "not a jwt" { payload.clone() } else { jwt(r#"{"alg":"RS256"}"#, &payload) };
            let e = validate(&token, &checks(Some("n"))).unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), ("invalid_id_token", why), "{payload}");
        }
        let e = validate(&jwt(r#"{"alg":"none"}"#, &base), &checks(Some("n"))).unwrap_err();
        assert_eq!(e.description(), Some("the ID token is unsigned (alg none)"));
        let e = validate(&[&jwt("{}", &base), ".x"].cat(), &checks(Some("n"))).unwrap_err();
        assert_eq!(e.description(), Some("the ID token is not a well-formed JWT"));
    }

    #[test]
    fn audience_forms() {
        let aud = |payload: &str| audience(&decode(&jwt("{}", payload)).unwrap().claims);
        assert_eq!(aud(r#"{"aud":"a"}"#), Some(vec!["a".to_owned()]));
        assert_eq!(aud(r#"{"aud":["a","b"]}"#), Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(aud(r#"{"aud":["a",1]}"#), None);
        assert_eq!(aud(r#"{"sub":"x"}"#), None);
        assert!(decode("a.b").is_none());
        assert!(decode(&jwt("[]", "{}")).is_none(), "header must be an object");
    }
}
