// The callback URL (RFC 6749 §4.1.2, RFC 9207 `iss`): parsed, then judged against a real pending login.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::callback;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let cfg = common::config();
    let meta = common::metadata(&cfg);
    let login = common::pending(&cfg);
    // As it comes, and with the login's own state prepended (deeper into the checks).
    for url in [input.to_owned(), format!("https://app.example/cb?state={}&{input}", login.state())] {
        if let Ok(params) = callback::parse(&url) {
            let _ = params.state();
            let _ = common::pending(&cfg).accept(&params, &cfg, &meta, common::NOW);
        }
    }
});
