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
//!                                              │
//!                            Session::start ◄──┘ (stored by the facade as versioned JSON)
//! Session ──select(audience, scope, now)──► cached token, or
//!         ──refresh_request──► TokenExchange ──finish──► TokenSet ──Session::store (rotation)
//! ```
//!
//! Beside it: `account` (the callback's code exchange, refresh grants, sign-out and UserInfo, run
//! by a module a callback page fetches as it loads and other pages on first use),
//! `par` (RFC 9126), `audience_match` (Hydra's allow-list rule), `resource` (RFC 8707),
//! `client_credentials` (RFC 6749 §4.4; only the Node build exports it, so the browser wasm
//! leaves it out). In folders: `codec/` (base64url, percent and form encoding, JSON, URLs)
//! and `jose/` (JWT decoding and ID token claims, the JWK Set key choice for ID token
//! signatures, DPoP proofs).

pub mod account;
pub mod audience;
pub mod audience_match;
pub mod authorize;
pub mod callback;
pub mod client_credentials;
pub mod codec;
pub mod config;
pub mod discovery;
mod error;
pub mod http;
pub mod jose;
pub mod par;
pub mod pkce;
mod platform;
pub mod resource;
pub mod session;
pub mod token;

// The codecs and the JOSE pieces are grouped in folders of their own; their modules are also
// reachable here (`core::codec::json`, `core::jose::jwks`, …), the paths the rest of the crate uses.
pub use codec::{encoding, json, url};
pub use error::{Check, Error, ProviderError, Step};
pub use jose::{dpop, id_token, jwks};
pub use platform::Platform;

/// Every entry point that reads outside input, fed many random inputs: each must return a
/// value or a typed error, never panic (a panic would be a trap in the shipped module).
#[cfg(test)]
mod robustness {
    use super::authorize::tests::{config, signin, FakePlatform};
    use super::authorize::PendingLogin;
    use super::codec::json::Value;
    use super::discovery::{self, ProviderMetadata};
    use super::http::HttpResponse;
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
        // A real stored session, for mutation below.
        let login = signin(&cfg, r#"{"scope":"api offline_access"}"#, &platform).pending;
        let cb = callback::parse(&["https://app.example/cb?code=c&state=", login.state()].concat()).unwrap();
        let answer = r#"{"access_token":"a","token_type":"Bearer","expires_in":60,"refresh_token":"r"}"#;
        let ok = HttpResponse { status: 200, content_type: "application/json".into(), body: answer.into() };
        let tokens = login.accept(&cb, &cfg, &meta, 1_700_000_000).unwrap().finish(&ok, 1_700_000_000).unwrap();
        let real = super::session::Session::start(cfg.issuer.as_str(), &cfg.client_id, &tokens).to_json();
        for _ in 0..20_000 {
            let t = rng.text();
            // The stored session with random text spliced in: deeper into its reader.
            let mut at = (rng.next() % (real.len() as u64 + 1)) as usize;
            while !real.is_char_boundary(at) {
                at -= 1;
            }
            let mutated = [&real[..at], &t, &real[at..]].concat();
            if let Ok(mut session) = super::session::Session::from_json(&mutated, &cfg) {
                let aud = AudienceList::new(["x"]).unwrap();
                let scope = super::config::Scope::new("api").unwrap();
                let _ = session.select(&aud, &scope, 1_700_000_000, 30);
                let endpoints = &meta.endpoints;
                let resource = super::resource::ResourceList::default();
                let _ = session.refresh_request(&cfg, endpoints, aud, scope, true, &resource);
                session.store(&tokens, 1_700_000_000);
                let _ = session.to_json();
            }
            let _ = Value::parse(&t);
            let _ = encoding::base64url_decode(&t);
            let _ = encoding::form_decode(&t);
            let _ = encoding::parse_query(&t);
            let _ = AudienceList::decode(&t);
            let u = rng.text();
            let _ = super::audience_match::explain(&[&t, "https://a.example/x"], &[&u, &t]);
            let _ = super::resource::ResourceList::from_json(&Value::String(u.clone()));
            let _ = super::config::TokenOptions::from_json(&t);
            let _ = super::client_credentials::request(&t);
            if let Ok(mut session) = super::session::Session::from_json(&t, &cfg) {
                let _ = session.to_json();
                session.salvage(&HttpResponse {
                    status: 200,
                    content_type: "application/json".into(),
                    body: t.clone(),
                });
            }
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
            // The JWK Set, a pushed request's answer and a DPoP public key, all random.
            let header = ["{\"alg\":\"RS256\",\"kid\":", &u, "}"].concat();
            let token = super::token::tests::jwt(&header, "{}");
            let _ = super::jose::jwks::choose(&token, Value::parse(&u).as_ref(), &resp, rng.next() % 2 == 0);
            let _ = super::par::redirect(&resp, "https://as.example/auth", &u);
            let _ = super::jose::dpop::PublicKey::from_jwk(&t).map(|k| k.proof_input("GET", &u, &t, 1, &u, &t));
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
                if let Ok(exchange) = login.accept(&params, &cfg, &meta, 1_700_000_000) {
                    let _ = exchange.finish(&resp, platform.now.get());
                }
            }
        }
    }
}
