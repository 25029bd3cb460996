//! The browser facade in headless Chromium (wasm-bindgen-test): randomness, clock,
//! sessionStorage, URL building, the callback and code-exchange steps (the account module's
//! [`Account`], over the login the facade stored), the session, and error mapping. The shipped module reaches the browser through `js/wasm.js`'s host functions; this
//! test's [`Web`] host does the same over web-sys, so the facade meets the real
//! `crypto.getRandomValues`, `Date.now` and `sessionStorage`.
//! Run by `npm test` as `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use oauth_wasm::browser::client::{encode_audience, generate_pkce, transport_error, Client};
use oauth_wasm::browser::{storage, Host};
use oauth_wasm::core::account::Account;
use oauth_wasm::core::codec::json::Value;
use oauth_wasm::core::http::HttpResponse;
use oauth_wasm::core::pkce::CodeVerifier;
use oauth_wasm::core::{Error, Platform};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);
}

/// The browser's APIs, as `js/wasm.js` gives them to the shipped module.
struct Web;

impl Platform for Web {
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error> {
        get_random_values(buf);
        Ok(())
    }
    fn now(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }
}

impl Host for Web {
    fn put(&self, key: &str, value: &str) -> Result<(), Error> {
        session().set_item(key, value).map_err(|_| Error::Platform { detail: "setItem failed".into() })
    }
}

const OPTIONS: &str = r#"{"issuer":"http://127.0.0.1:9","clientId":"spa","redirectUri":"http://127.0.0.1:8/cb",
  "authorizationEndpoint":"http://127.0.0.1:9/auth","tokenEndpoint":"http://127.0.0.1:9/token","jwksUri":"http://127.0.0.1:9/jwks",
  "audience":["https://a.example/x","https://b.example"]}"#;

fn session() -> web_sys::Storage {
    web_sys::window().unwrap().session_storage().unwrap().unwrap()
}

fn clear() {
    session().clear().unwrap();
}

/// An error as JS receives it: `oauth-wasm:{json}` → (code, description).
fn thrown(error: Error) -> (String, String) {
    let text = error.to_tagged_json();
    let json = text.strip_prefix("oauth-wasm:").expect("tagged");
    let v = Value::parse(json).expect("JSON");
    let field = |n: &str| v.get(n).and_then(Value::as_str).unwrap_or_default().to_owned();
    (field("code"), field("description"))
}

/// The pending login stored under `state` ("" when none), as `js/account.js` reads it.
fn stored(state: &str) -> String {
    session().get_item(&["oauth-wasm:tx:", state].concat()).unwrap().unwrap_or_default()
}

/// The account module's view of the client (explicit endpoints: no discovery answer).
fn account() -> Account {
    Account::new(OPTIONS, None, None).unwrap()
}

/// `create_signin_request`: `(url, state)`.
fn signin(client: &Client, options: &str) -> (String, String) {
    let out = Value::parse(&client.create_signin_request(options, "", &Web).unwrap()).unwrap();
    let field = |n: &str| out.get(n).unwrap().as_str().unwrap().to_owned();
    (field("url"), field("state"))
}

#[wasm_bindgen_test]
fn randomness_is_fresh() {
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    Web.fill_random(&mut a).unwrap();
    Web.fill_random(&mut b).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

#[wasm_bindgen_test]
fn clock_is_epoch_seconds() {
    let js = (js_sys::Date::now() / 1000.0) as u64;
    assert!(Web.now().abs_diff(js) <= 1);
    assert!(Web.now() > 1_700_000_000);
}

#[wasm_bindgen_test]
fn storage_is_per_tab() {
    clear();
    storage::put(&Web, "s1", "payload").unwrap();
    assert_eq!(session().get_item("oauth-wasm:tx:s1").unwrap().as_deref(), Some("payload"));
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(local.length().unwrap(), 0, "nothing goes to localStorage");
}

#[wasm_bindgen_test]
fn signin_request_url_and_stored_login() {
    clear();
    let client = Client::new(OPTIONS).unwrap();
    let (url, state) = signin(&client, r#"{"prompt":"login"}"#);
    assert!(url.starts_with("http://127.0.0.1:9/auth?response_type=code&client_id=spa&redirect_uri=http%3A%2F%2F127.0.0.1%3A8%2Fcb&scope=openid&state="), "{url}");
    assert!(
        url.contains(
            "&code_challenge_method=S256&audience=https%3A%2F%2Fa.example%2Fx%20https%3A%2F%2Fb.example&prompt=login"
        ),
        "{url}"
    );
    assert_eq!(state.len(), 43);
    let stored =
        session().get_item(&["oauth-wasm:tx:", &state].concat()).unwrap().expect("login stored under its state");
    let stored = Value::parse(&stored).unwrap();
    let verifier = CodeVerifier::parse(stored.get("verifier").unwrap().as_str().unwrap().to_owned()).unwrap();
    assert!(
        url.contains(&["&code_challenge=", verifier.challenge().as_str(), "&"].concat()),
        "the URL carries the stored verifier's challenge"
    );
    let nonce = stored.get("nonce").unwrap().as_str().unwrap();
    assert!(url.contains(&["&nonce=", nonce, "&"].concat()));
}

#[wasm_bindgen_test]
fn callback_is_judged_against_the_stored_login() {
    clear();
    let client = Client::new(OPTIONS).unwrap();
    let (_, state) = signin(&client, "{}");

    let forged = account().callback("http://127.0.0.1:8/cb?code=c&state=forged", &stored("forged"), Web.now());
    assert_eq!(thrown(forged.err().unwrap()).0, "state_mismatch");

    let denied = ["http://127.0.0.1:8/cb?error=access_denied&error_description=no&state=", &state].concat();
    let (code, description) = thrown(account().callback(&denied, &stored(&state), Web.now()).err().unwrap());
    assert_eq!((code.as_str(), description.as_str()), ("access_denied", "no"));
}

#[wasm_bindgen_test]
fn code_exchange_request_and_provider_error() {
    clear();
    let client = Client::new(OPTIONS).unwrap();
    let (_, state) = signin(&client, "{}");
    let callback = ["http://127.0.0.1:8/cb?code=the-code&state=", &state].concat();
    let login = stored(&state);

    let exchange = account().callback(&callback, &login, Web.now()).unwrap();
    let request = Value::parse(&exchange.request.to_json()).unwrap();
    assert_eq!(request.get("method").unwrap().as_str(), Some("POST"));
    assert_eq!(request.get("url").unwrap().as_str(), Some("http://127.0.0.1:9/token"));
    let body = request.get("body").unwrap().as_str().unwrap();
    assert!(body.starts_with("grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2F127.0.0.1%3A8%2Fcb&client_id=spa&code_verifier="), "{body}");
    let (code, description) = thrown(transport_error(1, "Failed to fetch"));
    assert_eq!(
        (code.as_str(), description.as_str()),
        ("network_error", "the token endpoint could not be reached (offline, or refused by CORS): Failed to fetch")
    );

    // A provider error is final.
    let err = account()
        .signed_in(
            &callback,
            &login,
            &HttpResponse::new(400, "application/json", r#"{"error":"invalid_grant","error_description":"spent"}"#),
            Web.now(),
        )
        .unwrap_err();
    assert_eq!(thrown(err), ("invalid_grant".to_owned(), "spent".to_owned()));
}

#[wasm_bindgen_test]
fn errors_map_to_codes() {
    let bad = OPTIONS.replace("https://b.example", "https://b.example extra");
    let (code, description) = thrown(Client::new(&bad).err().unwrap());
    assert_eq!(code, "invalid_audience");
    assert_eq!(description, "audience value \"https://b.example extra\" contains whitespace");
    assert_eq!(thrown(transport_error(0, "offline")).0, "discovery_failed");
    assert_eq!(thrown(Client::new("{}").err().unwrap()).0, "invalid_config");
    let client = Client::new(&OPTIONS.replace(
        r#""authorizationEndpoint":"http://127.0.0.1:9/auth","tokenEndpoint":"http://127.0.0.1:9/token","jwksUri":"http://127.0.0.1:9/jwks","#,
        "",
    ))
    .unwrap();
    assert!(client
        .discovery_request()
        .unwrap()
        .contains(r#""url":"http://127.0.0.1:9/.well-known/openid-configuration""#));
    let (code, _) = thrown(client.create_signin_request("{}", "", &Web).err().unwrap());
    assert_eq!(code, "invalid_config", "no sign-in before discovery");
}

#[wasm_bindgen_test]
fn sync_helpers() {
    let pkce = Value::parse(&generate_pkce(&Web).unwrap()).unwrap();
    let verifier = pkce.get("verifier").unwrap().as_str().unwrap();
    assert_eq!(verifier.len(), 43);
    let expected = CodeVerifier::parse(verifier.to_owned()).unwrap().challenge();
    assert_eq!(pkce.get("challenge").unwrap().as_str(), Some(expected.as_str()));
    assert_eq!(pkce.get("method").unwrap().as_str(), Some("S256"));
    assert_eq!(thrown(encode_audience(r#"["a b+c"]"#, "percent").unwrap_err()).0, "invalid_audience");
    assert_eq!(encode_audience(r#"["x/y","z"]"#, "plus").unwrap(), "x%2Fy+z");
}

#[wasm_bindgen_test]
fn session_after_signin_serves_tokens_by_audience_and_scope() {
    clear();
    let client = Client::new(OPTIONS).unwrap();
    let settings = Value::parse(&client.settings()).unwrap();
    assert_eq!(settings.get("storage").unwrap().as_str(), Some("memory"));
    assert_eq!(
        client.jwks_request().unwrap().unwrap(),
        r#"{"method":"GET","url":"http://127.0.0.1:9/jwks","headers":{"Accept":"application/jwk-set+json, application/json"}}"#
    );
    assert_eq!(settings.get("expirySkew").unwrap().as_u64(), Some(30));
    let (_, state) = signin(&client, r#"{"scope":"api offline_access"}"#);
    let done = account()
        .signed_in(
            &["http://127.0.0.1:8/cb?code=c&state=", &state].concat(),
            &stored(&state),
            &HttpResponse::new(
                200,
                "application/json",
                r#"{"access_token":"at1","token_type":"Bearer","expires_in":600,"refresh_token":"rt1"}"#,
            ),
            Web.now(),
        )
        .unwrap();
    let done = Value::parse(&done).unwrap();
    assert_eq!(done.get("tokens").unwrap().get("accessToken").unwrap().as_str(), Some("at1"));
    let session = done.get("session").unwrap().as_str().unwrap().to_owned();
    assert!(session.contains(r#""refreshToken":"rt1""#));

    // The sign-in token serves its audiences and scope; another audience needs a refresh.
    let hit = client.select(&session, r#"{"audience":["https://b.example"],"scope":"api"}"#, Web.now()).unwrap();
    assert!(hit.unwrap().contains(r#""accessToken":"at1""#));
    let miss = client.select(&session, r#"{"audience":["https://c.example"],"scope":"api"}"#, Web.now()).unwrap();
    assert!(miss.is_none());
    // The refresh grant itself runs in the account module (core::account::Account, tested natively).
    // Corrupt session data is a typed error, not a trap.
    assert_eq!(thrown(client.select("{\"v\":1}", "{}", Web.now()).err().unwrap()).0, "invalid_session");
    assert_eq!(thrown(client.user("not json").err().unwrap()).0, "invalid_session");
}
