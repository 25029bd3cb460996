// JWT header and claims (RFC 7519, OIDC Core §3.1.3.7): a random compact JWS, and random claims
// in a well-formed one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::codec::encoding::base64url_encode;
use oauth_wasm::core::jose::id_token::{self, IdTokenChecks};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let checks = IdTokenChecks {
        issuer: "https://as.example",
        client_id: "spa",
        nonce: Some("n"),
        now: common::NOW,
        skew: 60,
        access_token: "at",
        sub: None,
    };
    let _ = id_token::validate(input, &checks);
    let wrapped = format!("{}.{}.sig", base64url_encode(br#"{"alg":"RS256"}"#), base64url_encode(input.as_bytes()));
    if let Some(jwt) = id_token::decode(&wrapped) {
        let _ = id_token::audience(&jwt.claims);
    }
    let _ = id_token::validate(&wrapped, &checks);
    let _ = id_token::validate(&wrapped, &IdTokenChecks { sub: Some("u"), nonce: None, ..checks });
});
