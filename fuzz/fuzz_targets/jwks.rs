// The JWK Set (RFC 7517 §5) against JWS headers (RFC 7515 §4.1): key selection never panics, and
// a chosen key's index is inside the set.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::codec::encoding::base64url_encode;
use oauth_wasm::core::http::HttpResponse;
use oauth_wasm::core::codec::json::Value;
use oauth_wasm::core::jose::jwks;

#[path = "common.rs"]
mod common;

const HEADERS: [&str; 6] = [
    r#"{"alg":"RS256","kid":"k1"}"#,
    r#"{"alg":"RS256"}"#,
    r#"{"alg":"ES256","kid":"e"}"#,
    r#"{"alg":"EdDSA"}"#,
    r#"{"alg":"PS512","kid":"k1"}"#,
    r#"{"alg":"HS256"}"#,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Some(input) = common::text(rest) else { return };
    // The input is the JWK Set, and also (split at its first newline) a header of its own.
    let (head, set) = input.split_once('\n').unwrap_or((HEADERS[usize::from(pick) % HEADERS.len()], input));
    let jwt = format!("{}.{}.c2ln", base64url_encode(head.as_bytes()), base64url_encode(b"{}"));
    let resp = HttpResponse { status: 200, content_type: "application/jwk-set+json".into(), body: set.into() };
    let supported = Value::parse(r#"["RS256","ES256","PS512","EdDSA"]"#);
    for last_try in [false, true] {
        if let Ok(Some(out)) = jwks::choose(&jwt, supported.as_ref(), &resp, last_try) {
            let out = Value::parse(&out).expect("the choice is JSON");
            let index = out.get("key").and_then(Value::as_u64).expect("an index");
            let keys = Value::parse(set).and_then(|s| s.get("keys").and_then(|k| k.as_array().map(<[Value]>::len)));
            assert!((index as usize) < keys.expect("a set was read"), "the index is inside the set");
        }
    }
});
