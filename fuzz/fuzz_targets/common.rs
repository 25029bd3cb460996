// What the targets share: a fixed platform, a client configuration and a real pending login.
#![allow(dead_code)]
use oauth_wasm::core::authorize::{self, PendingLogin};
use oauth_wasm::core::config::{ClientConfig, SigninOptions};
use oauth_wasm::core::discovery::ProviderMetadata;
use oauth_wasm::core::{Error, Platform};

pub const NOW: u64 = 1_700_000_000;

/// Deterministic "randomness" (a counter) and a fixed clock: a crash reproduces.
pub struct Fixed;
impl Platform for Fixed {
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error> {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = i as u8;
        }
        Ok(())
    }
    fn now(&self) -> u64 {
        NOW
    }
}

pub const OPTIONS: &str = r#"{"issuer":"https://as.example","clientId":"spa","redirectUri":"https://app.example/cb",
  "authorizationEndpoint":"https://as.example/auth","tokenEndpoint":"https://as.example/token",
  "jwksUri":"https://as.example/jwks","scope":"openid offline_access api","audience":["https://api.example/a"]}"#;

pub fn config() -> ClientConfig {
    ClientConfig::from_json(OPTIONS).expect("the fuzz configuration is valid")
}

pub fn metadata(config: &ClientConfig) -> ProviderMetadata {
    ProviderMetadata::explicit(config.endpoints.clone().expect("explicit endpoints"))
}

/// A sign-in request's pending login, as the callback meets it.
pub fn pending(config: &ClientConfig) -> PendingLogin {
    let endpoints = config.endpoints.clone().expect("explicit endpoints");
    authorize::build(config, &endpoints, SigninOptions::default(), &Fixed).expect("sign-in request").pending
}

/// The input as text (the parsers take strings; JS hands them valid UTF-16 → UTF-8).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
