//! The pure protocol core: no `web-sys`, `js-sys` or `wasm-bindgen` below this module.
//!
//! Data path of a sign-in:
//!
//! ```text
//! ClientConfig ──authorize::build──► SigninRequest { url, PendingLogin }
//!                                                          │ (stored by the facade, keyed by state)
//! callback URL ──callback::parse──► CallbackParams ──PendingLogin::accept──► TokenExchange { request }
//!                                                                                  │ (facade POSTs it)
//! HttpResponse ──TokenExchange::finish──► TokenSet (ID token checked, granted audience read)
//! ```

pub mod audience;
pub mod audience_match;
pub mod authorize;
pub mod callback;
pub mod client_credentials;
pub mod config;
pub mod discovery;
pub mod encoding;
mod error;
pub mod http;
pub mod id_token;
pub mod json;
pub mod pkce;
mod platform;
pub mod resource;
pub mod session;
pub mod token;
pub mod url;

pub use error::{Check, Error, ProviderError, Step};
pub use platform::Platform;

/// Every entry point that reads outside input, fed many random inputs: each must return a
/// value or a typed error, never panic (a panic would be a trap in the shipped module).
#[cfg(test)]
mod robustness {
    use super::authorize::tests::{config, signin, FakePlatform};
    use super::authorize::PendingLogin;
    use super::discovery::{self, ProviderMetadata};
    use super::http::HttpResponse;
    use super::json::Value;
    use super::{audience::AudienceList, callback, config::ClientConfig, config::SigninOptions, encoding, id_token};

    /// xorshift64*: deterministic, so a failure reproduces.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        /// Text biased towards the characters the parsers care about.
        fn text(&mut self) -> String {
            const PIECES: &[&str] = &[
                "{",
                "}",
                "[",
                "]",
                "\"",
                ":",
                ",",
                "\\",
                "\\u",
                "d83d",
                "0",
                "1",
                "-",
                ".",
                "e",
                "true",
                "null",
                "%",
                "%2",
                "%C3%A9",
                "+",
                "&",
                "=",
                "?",
                "#",
                "/",
                "a",
                "Z",
                "_",
                "~",
                " ",
                "\n",
                "é",
                "😀",
                "state",
                "code",
                "error",
                "iss",
                "https://",
                "127.0.0.1",
                "\u{0}",
                "eyJ",
                "=",
                "@",
                "[::1]",
                "%25",
                "urn:",
                "1.2.3.4",
                "\u{7f}",
            ];
            let len = (self.next() % 40) as usize;
            (0..len).map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize]).collect()
        }
    }

    #[test]
    fn random_input_never_panics() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let platform = FakePlatform::new();
        let cfg = config("");
        let meta = ProviderMetadata::explicit(cfg.endpoints.clone().unwrap());
        for _ in 0..20_000 {
            let t = rng.text();
            let _ = Value::parse(&t);
            let _ = encoding::base64url_decode(&t);
            let _ = encoding::form_decode(&t);
            let _ = encoding::parse_query(&t);
            let _ = AudienceList::decode(&t);
            let u = rng.text();
            let _ = super::audience_match::explain(&[&t, "https://a.example/x"], &[&u, &t]);
            let _ = super::resource::ResourceList::from_json(&Value::String(u));
            let _ = ClientConfig::from_json(&t);
            let _ = SigninOptions::from_json(&t);
            let _ = PendingLogin::from_json(&t);
            let _ = id_token::decode(&t);
            let resp = HttpResponse {
                status: (rng.next() % 600) as u16,
                content_type: "application/json".into(),
                body: t.clone(),
            };
            let _ = discovery::parse(&resp, &cfg.issuer);
            // JWTs whose payload is random, or an object with a random member.
            let payloads = [t.clone(), ["{\"iss\":\"https://as.example\",\"aud\":", &t, "}"].concat()];
            for payload in payloads {
                let jwt = super::token::tests::jwt(r#"{"alg":"RS256"}"#, &payload);
                let checks = id_token::IdTokenChecks {
                    issuer: "https://as.example",
                    client_id: "spa",
                    nonce: Some("n"),
                    now: 1_700_000_000,
                    skew: 60,
                    access_token: &t,
                    sub: None,
                };
                let _ = id_token::validate(&jwt, &checks);
            }
            // A real pending login meets a random callback, then a random token answer.
            let login = signin(&cfg, "{}", &platform).pending;
            let url = ["https://app.example/cb?state=", login.state(), "&", &t].concat();
            if let Ok(params) = callback::parse(&url) {
                if let Ok(exchange) = login.accept(&params, &cfg, &meta) {
                    let _ = exchange.finish(&resp, platform.now.get());
                }
            }
        }
    }
}
