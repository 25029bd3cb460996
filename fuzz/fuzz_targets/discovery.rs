// The discovery document (OpenID Connect Discovery 1.0 §4).
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::discovery;
use oauth_wasm::core::http::HttpResponse;
use oauth_wasm::core::codec::url::HttpUrl;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(body) = common::text(data) else { return };
    let issuer = HttpUrl::parse("https://as.example", "issuer").expect("issuer");
    let resp = HttpResponse { status: 200, content_type: "application/json".into(), body: body.into() };
    let _ = discovery::parse(&resp, &issuer);
    // With the issuer in place, further into the endpoint checks.
    let doc = format!(r#"{{"issuer":"https://as.example",{}"#, body.trim_start_matches('{'));
    let _ = discovery::parse(&HttpResponse { body: doc, ..resp }, &issuer);
});
