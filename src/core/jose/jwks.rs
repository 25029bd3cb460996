//! ID token signatures: which algorithms a public client accepts (RFC 7518 §3), and which
//! published key (RFC 7517 JWK Set, from discovery's `jwks_uri`) checks a given JWS header.
//!
//! The core decides; WebCrypto does the arithmetic. [`choose`] names the key (its index in the
//! set) and the WebCrypto algorithm object, which `js/api.js` hands with that JWK to
//! `crypto.subtle.importKey` and `verify` unchanged (one object serves both calls; the import
//! itself refuses a JWK whose members are malformed or whose `alg`, `use` or `key_ops`
//! disagree, WebCrypto §20 "import key" for JWK).

use crate::core::codec::encoding::push_u64;
use crate::core::codec::json::{push_str, Value};
use crate::core::http::HttpResponse;
use crate::core::jose::id_token::decode;
use crate::core::{Check, Error, Step};
use crate::prelude::*;

/// The asymmetric algorithms checked: `alg`, the JWK `kty` and `crv` it needs, and the
/// WebCrypto algorithm. PS* salt = hash length (RFC 7518
/// §3.5); ES* signatures are `r || s`, which is WebCrypto's ECDSA format (§3.4); EdDSA is
/// RFC 8037 §3.1.
const ALGS: [[&str; 4]; 11] = [
    ["RS256", "RSA", "", r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#],
    ["RS384", "RSA", "", r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-384"}"#],
    ["RS512", "RSA", "", r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-512"}"#],
    ["PS256", "RSA", "", r#"{"name":"RSA-PSS","hash":"SHA-256","saltLength":32}"#],
    ["PS384", "RSA", "", r#"{"name":"RSA-PSS","hash":"SHA-384","saltLength":48}"#],
    ["PS512", "RSA", "", r#"{"name":"RSA-PSS","hash":"SHA-512","saltLength":64}"#],
    ["ES256", "EC", "P-256", r#"{"name":"ECDSA","namedCurve":"P-256","hash":"SHA-256"}"#],
    ["ES384", "EC", "P-384", r#"{"name":"ECDSA","namedCurve":"P-384","hash":"SHA-384"}"#],
    ["ES512", "EC", "P-521", r#"{"name":"ECDSA","namedCurve":"P-521","hash":"SHA-512"}"#],
    ["EdDSA", "OKP", "Ed25519", r#"{"name":"Ed25519"}"#],
    // RFC 9864's fully specified name for the same.
    ["Ed25519", "OKP", "Ed25519", r#"{"name":"Ed25519"}"#],
];

fn text<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str)
}

fn fail(parts: &[&str]) -> Error {
    Error::check(Check::IdToken, parts.cat())
}

/// Picks the key that checks `jwt`'s signature from the JWK Set answer `jwks`:
/// - `alg` `none` and every `HS*` are refused (a public client has no secret to check a MAC
///   with, and anyone who knows the client id could forge one keyed by it), as is an `alg`
///   outside `supported` (discovery's `id_token_signing_alg_values_supported`) or a `crit`
///   header (RFC 7515 §4.1.11: an extension this client does not understand);
/// - with a `kid`, the key of that `kid`; without one, the single published key that fits;
///   a key fits when its `kty` (and `crv`) are the algorithm's and its `use`, `alg` and
///   `key_ops` (RFC 7517 §4.2–4.4), where present, allow it.
///
/// `Ok(None)` means no key has that `kid` (or, without one, none fits), or the answer is no
/// JWK Set: the provider may have rotated its keys, or sent an error page, so the caller
/// fetches the set again, once, and calls with `last_try`, where the same outcome is an error. On success: `{"key","alg","fail"}`, the key's index in
/// `keys`, the WebCrypto algorithm, and the description to report if the signature does not
/// verify.
#[inline(never)]
pub fn choose(
    jwt: &str,
    supported: Option<&Value>,
    jwks: &HttpResponse,
    last_try: bool,
) -> Result<Option<String>, Error> {
    let jwt = decode(jwt).ok_or_else(|| fail(&["the ID token is not a well-formed JWT"]))?;
    let header = &jwt.header;
    let alg = text(header, "alg").unwrap_or("none");
    // A kid that is no string names no key: the single fitting key is then the candidate.
    let kid = text(header, "kid");
    let listed = supported.is_none_or(|v| v.as_array().is_some_and(|l| l.iter().any(|s| s.as_str() == Some(alg))));
    let entry = ALGS.iter().find(|a| a[0] == alg);
    let refusal = match entry {
        _ if alg == "none" => ": the ID token is unsigned",
        _ if alg.starts_with("HS") => ": a MAC, which a public client cannot check",
        None => ": not supported",
        Some(_) if !listed => ": not in the provider's id_token_signing_alg_values_supported",
        Some(_) if header.get("crit").is_some() => {
            " with crit header parameters, which this client does not understand"
        }
        Some(_) => "",
    };
    let [_, kty, crv, webcrypto] = match entry {
        Some(entry) if refusal.is_empty() => *entry,
        _ => return Err(fail(&["alg ", alg, refusal])),
    };
    let set = jwks.json_object().filter(|_| jwks.is_success());
    // An answer that is no key set (an error page, a cut-off body) is fetched again once too.
    let keys = match set.as_ref().and_then(|s| s.get("keys")?.as_array()) {
        Some(keys) => keys,
        None if !last_try => return Ok(None),
        None => return Err(jwks.unexpected(Step::Jwks, "not a JWK Set (RFC 7517 §5)")),
    };
    let (mut named, mut fitting, mut key) = (false, 0, 0);
    for (i, k) in keys.iter().enumerate() {
        if kid.is_some() && text(k, "kid") != kid {
            continue;
        }
        named = true;
        // (member, value, required): a present member must have the value.
        let checks = [("kty", kty, true), ("crv", crv, !crv.is_empty()), ("use", "sig", false), ("alg", alg, false)];
        let ops =
            k.get("key_ops").map(|o| o.as_array().is_some_and(|o| o.iter().any(|v| v.as_str() == Some("verify"))));
        if checks.iter().all(|&(name, value, required)| text(k, name).map_or(!required, |v| v == value))
            && ops != Some(false)
        {
            fitting += 1;
            key = i;
        }
    }
    let label = match kid {
        Some(k) => ["key \"", k, "\""].cat(),
        None => String::from("no kid"),
    };
    let why = match fitting {
        1 => {
            let mut out = String::from(r#"{"key":"#);
            push_u64(&mut out, key as u64);
            out.push_str(&[r#","alg":"#, webcrypto, r#","fail":"#].cat());
            push_str(&mut out, &["the ID token's signature does not verify (alg ", alg, ", ", &label, ")"].cat());
            out.push('}');
            return Ok(Some(out));
        }
        0 if named && kid.is_some() => "its kty, crv, use, alg or key_ops contradict the header",
        0 if last_try => "no published key fits, also after fetching the JWK Set again",
        0 => return Ok(None),
        _ => "several published keys fit",
    };
    Err(fail(&["alg ", alg, ", ", &label, ": ", why]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::token::tests::jwt;

    const RSA: &str = r#"{"kty":"RSA","kid":"r1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"}"#;
    const EC: &str = r#"{"kty":"EC","kid":"e1","crv":"P-256","x":"eA","y":"eQ"}"#;

    fn set(keys: &[&str]) -> HttpResponse {
        HttpResponse {
            status: 200,
            content_type: "application/jwk-set+json; charset=utf-8".into(),
            body: [r#"{"keys":["#, &keys.join(","), "]}"].cat(),
        }
    }

    fn pick(header: &str, keys: &[&str], last_try: bool) -> Result<Option<Value>, Error> {
        choose(&jwt(header, r#"{"sub":"u"}"#), None, &set(keys), last_try).map(|o| o.map(|t| Value::parse(&t).unwrap()))
    }

    fn description(r: Result<Option<Value>, Error>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.code(), "invalid_id_token");
        e.description().unwrap().to_owned()
    }

    #[test]
    fn picks_by_kid_and_hands_webcrypto_only_public_members() {
        let out = pick(r#"{"alg":"RS256","kid":"r1"}"#, &[EC, RSA], false).unwrap().unwrap();
        assert_eq!(out.get("key").unwrap().as_u64(), Some(1));
        assert_eq!(out.get("alg").unwrap().to_json(), r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#);
        let out = pick(r#"{"alg":"ES256","kid":"e1"}"#, &[RSA, EC], false).unwrap().unwrap();
        assert_eq!(out.get("key").unwrap().as_u64(), Some(1));
        assert_eq!(out.get("alg").unwrap().to_json(), r#"{"name":"ECDSA","namedCurve":"P-256","hash":"SHA-256"}"#);
        assert_eq!(
            out.get("fail").unwrap().as_str(),
            Some(r#"the ID token's signature does not verify (alg ES256, key "e1")"#)
        );
    }

    #[test]
    fn without_kid_the_single_fitting_key() {
        // RSA and EC keys published: an RS256 token without kid has exactly one candidate.
        let out = pick(r#"{"alg":"RS256"}"#, &[EC, RSA], false).unwrap().unwrap();
        assert_eq!(out.get("key").unwrap().as_u64(), Some(1));
        let second = RSA.replace("r1", "r2");
        assert_eq!(
            description(pick(r#"{"alg":"RS256"}"#, &[RSA, &second], false)),
            "alg RS256, no kid: several published keys fit"
        );
        // None fits: maybe rotated, so fetch again; then refuse.
        assert_eq!(pick(r#"{"alg":"PS256"}"#, &[EC, RSA], false).unwrap(), None, "RSA key pinned to RS256");
        assert_eq!(
            description(pick(r#"{"alg":"ES384"}"#, &[EC, RSA], true)),
            "alg ES384, no kid: no published key fits, also after fetching the JWK Set again"
        );
    }

    #[test]
    fn unknown_kid_asks_for_one_fetch_then_refuses() {
        assert_eq!(pick(r#"{"alg":"RS256","kid":"new"}"#, &[RSA], false).unwrap(), None);
        assert_eq!(
            description(pick(r#"{"alg":"RS256","kid":"new"}"#, &[RSA], true)),
            r#"alg RS256, key "new": no published key fits, also after fetching the JWK Set again"#
        );
        assert_eq!(pick(r#"{"alg":"RS256","kid":"r1"}"#, &[], false).unwrap(), None);
    }

    #[test]
    fn a_key_that_contradicts_the_header_is_refused_at_once() {
        let cases = [
            (r#"{"alg":"ES256","kid":"r1"}"#, RSA.to_owned(), "kty"),
            (r#"{"alg":"RS384","kid":"r1"}"#, RSA.to_owned(), "alg"),
            (r#"{"alg":"RS256","kid":"r1"}"#, RSA.replace(r#""use":"sig""#, r#""use":"enc""#), "use"),
            (r#"{"alg":"ES384","kid":"e1"}"#, EC.to_owned(), "crv"),
            (r#"{"alg":"RS256","kid":"r1"}"#, RSA.replace(r#""kid""#, r#""key_ops":["encrypt"],"kid""#), "key_ops"),
        ];
        for (header, key, why) in cases {
            let text = description(pick(header, &[&key], false));
            assert!(text.ends_with(": its kty, crv, use, alg or key_ops contradict the header"), "{why}: {text}");
        }
        let twins = [RSA, &RSA.replace("AQAB\",\"e", "AQAC\",\"e")];
        assert_eq!(
            description(pick(r#"{"alg":"RS256","kid":"r1"}"#, &twins, false)),
            r#"alg RS256, key "r1": several published keys fit"#
        );
    }

    #[test]
    fn algorithms_a_public_client_refuses() {
        for (header, text) in [
            (r#"{"alg":"none"}"#, "alg none: the ID token is unsigned"),
            (r#"{"kid":"r1"}"#, "alg none: the ID token is unsigned"),
            (r#"{"alg":"HS256","kid":"r1"}"#, "alg HS256: a MAC, which a public client cannot check"),
            (r#"{"alg":"RSA1_5"}"#, "alg RSA1_5: not supported"),
            (
                r#"{"alg":"RS256","crit":["exp"]}"#,
                "alg RS256 with crit header parameters, which this client does not understand",
            ),
        ] {
            assert_eq!(description(pick(header, &[RSA], false)), text, "{header}");
        }
        let supported = Value::parse(r#"["ES256"]"#).unwrap();
        let e = choose(&jwt(r#"{"alg":"RS256"}"#, "{}"), Some(&supported), &set(&[RSA]), false).unwrap_err();
        assert_eq!(e.description(), Some("alg RS256: not in the provider's id_token_signing_alg_values_supported"));
        assert!(choose(&jwt(r#"{"alg":"ES256"}"#, "{}"), Some(&supported), &set(&[EC]), false).unwrap().is_some());
        // A list that is not one refuses every alg.
        let broken = Value::parse(r#""ES256""#).unwrap();
        assert!(choose(&jwt(r#"{"alg":"ES256"}"#, "{}"), Some(&broken), &set(&[EC]), false).is_err());
        // A kid that is not a string names no key: the one fitting key is the candidate.
        assert!(pick(r#"{"alg":"RS256","kid":7}"#, &[RSA, EC], false).unwrap().is_some());
        // EdDSA, both names.
        let okp = r#"{"kty":"OKP","crv":"Ed25519","x":"xx"}"#;
        for alg in [r#"{"alg":"EdDSA"}"#, r#"{"alg":"Ed25519"}"#] {
            let out = pick(alg, &[RSA, okp], false).unwrap().unwrap();
            assert_eq!(out.get("key").unwrap().as_u64(), Some(1));
            assert_eq!(out.get("alg").unwrap().to_json(), r#"{"name":"Ed25519"}"#);
        }
        let kid =
            pick(r#"{"alg":"EdDSA","kid":"a\"b"}"#, &[&okp.replace("{", r#"{"kid":"a\"b","#)], false).unwrap().unwrap();
        assert_eq!(
            kid.get("fail").unwrap().as_str(),
            Some(r#"the ID token's signature does not verify (alg EdDSA, key "a"b")"#)
        );
    }

    #[test]
    fn jwks_answers_that_are_not_a_key_set() {
        let token = jwt(r#"{"alg":"RS256"}"#, "{}");
        for (status, body) in [(404, r#"{"keys":[]}"#), (200, "[]"), (200, r#"{"keys":{}}"#), (200, "<html>")] {
            let answer = HttpResponse { status, content_type: "application/json".into(), body: body.into() };
            assert_eq!(choose(&token, None, &answer, false), Ok(None), "fetched again first: {body}");
            let e = choose(&token, None, &answer, true).unwrap_err();
            // A fault that may pass (the facade keeps the token answer for a retry), not a bad token.
            assert_eq!(e.code(), "network_error", "{body}");
            assert!(e.description().unwrap().starts_with("JWK Set answered HTTP "), "{:?}", e.description());
            assert!(e.description().unwrap().ends_with(": not a JWK Set (RFC 7517 §5)"), "{:?}", e.description());
        }
    }
}
