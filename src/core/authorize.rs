//! The authorization request (RFC 6749 §4.1.1 + RFC 7636 §4.3 + OIDC Core §3.1.2.1) and
//! the pending login it leaves behind.

use super::audience::AudienceList;
use super::codec::encoding::{base64url_encode, FormBuilder};
use super::codec::json::{ObjectWriter, Value};
use super::config::{ClientConfig, Endpoints, Scope, SigninOptions};
use super::pkce::{CodeVerifier, METHOD};
use super::resource::ResourceList;
use super::{Check, Error, Platform};
use crate::prelude::*;

/// The `state` value: 256 random bits (RFC 6749 §10.12 CSRF protection), single-use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State(String);

/// The OIDC `nonce` (Core §3.1.2.1): 256 random bits, echoed in the ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nonce(String);

impl State {
    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Nonce {
    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What must survive the redirect to finish the login: stored by the facade in
/// sessionStorage under its state, and consumed (deleted) by the callback.
#[derive(Debug)]
pub struct PendingLogin {
    pub(crate) state: State,
    pub(crate) nonce: Option<Nonce>,
    pub(crate) verifier: CodeVerifier,
    pub(crate) redirect_uri: String,
    pub(crate) issuer: String,
    pub(crate) client_id: String,
    pub(crate) audience: AudienceList,
    pub(crate) resource: ResourceList,
    pub(crate) scope: Scope,
    pub(crate) app_state: Option<String>,
    /// When the sign-in started (epoch seconds): a login older than `loginLifetime` is refused.
    pub(crate) at: u64,
}

/// A ready authorization request.
#[derive(Debug)]
pub struct SigninRequest {
    /// Where to send the browser.
    pub url: String,
    /// What to keep until the callback.
    pub pending: PendingLogin,
}

/// Storage format version of [`PendingLogin::to_json`].
const VERSION: u64 = 1;

/// Builds the authorization URL. Parameters, in order: `response_type=code`, `client_id`,
/// `redirect_uri`, `scope`, `state`, `nonce` (when `openid` is in scope),
/// `code_challenge`, `code_challenge_method=S256` (always explicit: fosite treats a missing
/// method as `plain`), `audience` (when non-empty), one `resource` per RFC 8707 resource,
/// `prompt`, then `extraParams`. (The `allowedAudiences` pre-check, [`super::audience_match::precheck`],
/// runs before this, in the lazily loaded audience module.)
pub fn build(
    config: &ClientConfig,
    endpoints: &Endpoints,
    options: SigninOptions,
    platform: &dyn Platform,
) -> Result<SigninRequest, Error> {
    let scope = options.token.scope.unwrap_or_else(|| config.scope.clone());
    let audience = options.token.audience.unwrap_or_else(|| config.audience.clone());
    let resource = options.token.resource.unwrap_or_else(|| config.resource.clone());
    // One draw for state, nonce (with `openid`) and verifier, 32 octets each, in that order:
    // in the browser each draw is a call into crypto.getRandomValues, which costs more than
    // the bytes.
    let openid = scope.contains("openid");
    let mut random = [0u8; 96];
    let (random, _) = random.split_at_mut(if openid { 96 } else { 64 });
    platform.fill_random(random)?;
    let (state, rest) = random.split_at(32);
    let state = State(base64url_encode(state));
    let (nonce, verifier) = if openid { rest.split_at(32) } else { (&[][..], rest) };
    let nonce = openid.then(|| Nonce(base64url_encode(nonce)));
    let verifier = CodeVerifier::from_random(verifier);

    let mut url = FormBuilder::url(endpoints.authorization.as_str());
    url.pair("response_type", "code")
        .pair("client_id", &config.client_id)
        .pair("redirect_uri", config.redirect_uri.as_str());
    if !scope.as_str().is_empty() {
        url.pair("scope", scope.as_str());
    }
    url.pair("state", state.as_str());
    if let Some(nonce) = &nonce {
        url.pair("nonce", nonce.as_str());
    }
    url.pair("code_challenge", verifier.challenge().as_str()).pair("code_challenge_method", METHOD);
    if !audience.is_empty() {
        url.pair_encoded("audience", &audience.encode(config.audience_encoding));
    }
    for r in resource.iter() {
        url.pair("resource", r);
    }
    if let Some(prompt) = &options.prompt {
        url.pair("prompt", prompt);
    }
    for (name, value) in &options.extra_params {
        url.pair(name, value);
    }
    let pending = PendingLogin {
        state,
        nonce,
        verifier,
        redirect_uri: config.redirect_uri.as_str().to_owned(),
        issuer: config.issuer.as_str().to_owned(),
        client_id: config.client_id.clone(),
        audience,
        resource,
        scope,
        app_state: options.app_state,
        at: platform.now(),
    };
    Ok(SigninRequest { url: url.finish(), pending })
}

impl PendingLogin {
    /// The state this login is stored under.
    pub fn state(&self) -> &str {
        self.state.as_str()
    }

    /// Serialises for storage (versioned JSON; the verifier is in it, so it belongs in
    /// per-tab sessionStorage only).
    pub fn to_json(&self) -> String {
        let mut w = ObjectWriter::default();
        w.num("v", VERSION)
            .str("state", self.state.as_str())
            .opt_str("nonce", self.nonce.as_ref().map(Nonce::as_str))
            .str("verifier", self.verifier.secret())
            .str("redirectUri", &self.redirect_uri)
            .str("issuer", &self.issuer)
            .str("clientId", &self.client_id)
            .str_array("audience", self.audience.iter())
            .str_array("resource", self.resource.iter())
            .str("scope", self.scope.as_str());
        w.opt_raw("appState", self.app_state.as_deref());
        w.num("at", self.at);
        w.finish()
    }

    /// Restores a stored login; anything unreadable or of another version is refused as
    /// `state_mismatch` (it cannot be matched to a request we made).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let bad = || Error::check(Check::State, "the stored login transaction is unreadable");
        let v = Value::parse(text).ok_or_else(bad)?;
        if v.get("v").and_then(Value::as_u64) != Some(VERSION) {
            return Err(bad());
        }
        // Read every member first, borrowed: an early return then has nothing to drop, which
        // keeps this function small in wasm.
        let mut f = [""; 6];
        for (slot, name) in f.iter_mut().zip(["state", "verifier", "redirectUri", "issuer", "clientId", "scope"]) {
            *slot = v.get(name).and_then(Value::as_str).ok_or_else(bad)?;
        }
        let [state, verifier, redirect_uri, issuer, client_id, scope] = f;
        let at = v.get("at").and_then(Value::as_u64).ok_or_else(bad)?;
        let audience = AudienceList::from_json(v.get("audience").ok_or_else(bad)?).map_err(|_| bad())?;
        let resource = match v.get("resource") {
            Some(r) => ResourceList::from_json(r).map_err(|_| bad())?,
            None => ResourceList::default(),
        };
        let scope = Scope::new(scope).map_err(|_| bad())?;
        let verifier = CodeVerifier::parse(verifier.to_owned())?;
        Ok(PendingLogin {
            state: State(state.to_owned()),
            nonce: v.get("nonce").and_then(Value::as_str).map(|n| Nonce(n.to_owned())),
            verifier,
            redirect_uri: redirect_uri.to_owned(),
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            audience,
            resource,
            scope,
            app_state: v.get("appState").map(Value::to_json),
            at,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::codec::encoding::parse_query;
    use std::cell::Cell;

    /// Deterministic platform: random bytes count up from a seed; the clock is settable.
    pub struct FakePlatform {
        pub next: Cell<u8>,
        pub now: Cell<u64>,
    }

    impl FakePlatform {
        pub fn new() -> Self {
            FakePlatform { next: Cell::new(0), now: Cell::new(1_700_000_000) }
        }
    }

    impl Platform for FakePlatform {
        fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error> {
            for b in buf {
                *b = self.next.get();
                self.next.set(self.next.get().wrapping_add(1));
            }
            Ok(())
        }
        fn now(&self) -> u64 {
            self.now.get()
        }
    }

    pub fn config(extra: &str) -> ClientConfig {
        ClientConfig::from_json(
            &[
                r#"{"issuer":"https://as.example","clientId":"spa","redirectUri":"https://app.example/cb","#,
                r#""authorizationEndpoint":"https://as.example/auth","tokenEndpoint":"https://as.example/token","#,
                r#""jwksUri":"https://as.example/jwks""#,
                extra,
                "}",
            ]
            .cat(),
        )
        .unwrap()
    }

    pub fn signin(config: &ClientConfig, options: &str, platform: &FakePlatform) -> SigninRequest {
        let endpoints = config.endpoints.clone().unwrap();
        build(config, &endpoints, SigninOptions::from_json(options).unwrap(), platform).unwrap()
    }

    #[test]
    fn builds_byte_exact_url() {
        let p = FakePlatform::new();
        let c = config(
            r#","scope":"openid offline_access","audience":["https://api.example.com/user","https://api.example.com/billing"]"#,
        );
        let req = signin(&c, r#"{"prompt":"consent","extraParams":{"ui_locales":"de fr"}}"#, &p);
        let state = base64url_encode(&core::array::from_fn::<u8, 32, _>(|i| i as u8));
        let nonce = base64url_encode(&core::array::from_fn::<u8, 32, _>(|i| 32 + i as u8));
        let verifier = CodeVerifier::from_random(&core::array::from_fn::<u8, 32, _>(|i| 64 + i as u8));
        let expected = [
            "https://as.example/auth?response_type=code&client_id=spa&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
            "&scope=openid%20offline_access&state=",
            &state,
            "&nonce=",
            &nonce,
            "&code_challenge=",
            verifier.challenge().as_str(),
            "&code_challenge_method=S256",
            "&audience=https%3A%2F%2Fapi.example.com%2Fuser%20https%3A%2F%2Fapi.example.com%2Fbilling",
            "&prompt=consent&ui_locales=de%20fr",
        ]
        .cat();
        assert_eq!(req.url, expected);
        assert_eq!(req.pending.state(), state);
        assert_eq!(state.len(), 43);
    }

    #[test]
    fn plus_encoding_no_nonce_without_openid_and_existing_query() {
        let p = FakePlatform::new();
        let mut c = config(r#","scope":"api","audience":["x"]"#);
        c.audience_encoding = crate::core::codec::encoding::Space::Plus;
        c.endpoints.as_mut().unwrap().authorization =
            crate::core::codec::url::HttpUrl::parse("https://as.example/auth?tenant=t1", "a").unwrap();
        let req = signin(&c, r#"{"audience":["u1","u2"]}"#, &p);
        assert!(req.url.starts_with("https://as.example/auth?tenant=t1&response_type=code&"), "{}", req.url);
        assert!(!req.url.contains("nonce="));
        assert!(req.url.ends_with("&audience=u1+u2"), "{}", req.url);
        let query = parse_query(req.url.split_once('?').unwrap().1).unwrap();
        let aud: Vec<_> = query.iter().filter(|(k, _)| k == "audience").collect();
        assert_eq!(aud, [&("audience".to_owned(), "u1 u2".to_owned())]);
    }

    #[test]
    fn no_audience_parameter_when_empty() {
        let p = FakePlatform::new();
        let req = signin(&config(""), "{}", &p);
        assert!(!req.url.contains("audience"));
        assert!(req.url.contains("&scope=openid&"));
    }

    #[test]
    fn pending_login_round_trips() {
        let p = FakePlatform::new();
        let req = signin(&config(r#","audience":["a","b"]"#), r#"{"appState":{"returnTo":"/x?y=1"}}"#, &p);
        assert!(!req.url.contains("returnTo"), "appState stays in the tab");
        let text = req.pending.to_json();
        assert!(text.ends_with(r#","appState":{"returnTo":"/x?y=1"},"at":1700000000}"#), "{text}");
        let back = PendingLogin::from_json(&text).unwrap();
        assert_eq!(back.to_json(), text);
        assert!(!format!("{back:?}").contains(back.verifier.secret()), "Debug must not leak the verifier");
        // Members the SDK's JavaScript adds (a kept token answer) are not the core's business.
        let extra = text.replace(r#""at":"#, r#""answer":[200],"at":"#);
        assert_eq!(PendingLogin::from_json(&extra).unwrap().to_json(), text);
        let unstamped = text.replace(r#","at":1700000000"#, "");
        for bad in [
            "",
            "{}",
            &text.replace("\"v\":1", "\"v\":2"),
            &text.replace("\"audience\":[", "\"audience\":[1,"),
            &unstamped,
        ] {
            assert_eq!(PendingLogin::from_json(bad).unwrap_err().code(), "state_mismatch");
        }
    }

    #[test]
    fn resources_are_repeated_parameters() {
        let p = FakePlatform::new();
        let c = config(r#","audience":["a"],"resource":["https://api.example.com/app/","urn:x"]"#);
        let req = signin(&c, "{}", &p);
        assert!(
            req.url.contains("&audience=a&resource=https%3A%2F%2Fapi.example.com%2Fapp%2F&resource=urn%3Ax"),
            "{}",
            req.url
        );
        let back = PendingLogin::from_json(&req.pending.to_json()).unwrap();
        assert_eq!(back.resource.iter().collect::<Vec<_>>(), ["https://api.example.com/app/", "urn:x"]);
        let e = SigninOptions::from_json(r#"{"resource":["https://a.example/#x"]}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_target");
    }

    #[test]
    fn allowed_audiences_precheck_and_allow_list_check() {
        use super::super::audience_match::{check_allowed, precheck};
        let allowed = ["https://api.example.com/user", "https://api.example.com/billing"];
        assert_eq!(precheck(&allowed, &["https://api.example.com/user/1234"]), Ok(()));
        let e = precheck(&allowed, &["https://api.example.com/user", "https://api.example.com/users"]).unwrap_err();
        assert_eq!(e.code(), "invalid_audience");
        assert_eq!(
            e.description(),
            Some(
                "requested audience \"https://api.example.com/users\" is not allowed by allowedAudiences: its path neither \
                 equals nor continues at a '/' the path of an allowed value with its scheme and host"
            )
        );
        assert_eq!(check_allowed(&allowed), Ok(()));
        let e = check_allowed(&["https://a.example", "https://a:x/"]).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert_eq!(
            e.description(),
            Some(
                "allowedAudiences value \"https://a:x/\" cannot be parsed as a URL (invalid port after host): Hydra \
                 would refuse every request"
            )
        );
        // The client options keep the list (its shape checked); build itself does not match.
        let c = config(r#","allowedAudiences":["https://a:x/"]"#);
        assert_eq!(c.allowed_audiences, Some(vec!["https://a:x/".to_owned()]));
    }

    #[test]
    fn random_values_are_distinct_per_request() {
        let p = FakePlatform::new();
        let c = config("");
        let a = signin(&c, "{}", &p);
        let b = signin(&c, "{}", &p);
        assert_ne!(a.pending.state(), b.pending.state());
        assert_ne!(a.pending.verifier.secret(), b.pending.verifier.secret());
    }
}
