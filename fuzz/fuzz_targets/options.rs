// The options JavaScript passes: client options, sign-in options, token options, client
// credentials options.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::config::{ClientConfig, SigninOptions, TokenOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let _ = ClientConfig::from_json(input);
    // Spliced into valid client options: past the required ones.
    let _ = ClientConfig::from_json(&format!(
        "{},{}",
        common::OPTIONS.trim_end_matches('}'),
        input.trim_start_matches('{')
    ));
    if let Ok(options) = SigninOptions::from_json(input) {
        let cfg = common::config();
        let endpoints = cfg.endpoints.clone().expect("endpoints");
        let _ = oauth_wasm::core::authorize::build(&cfg, &endpoints, options, &common::Fixed);
    }
    let _ = TokenOptions::from_json(input);
    let _ = oauth_wasm::core::client_credentials::request(input);
});
