//! The exported classes and functions (their JS names are what `js/api.js` calls).
use crate::prelude::*;

use super::error::{error_string, to_js};
use super::platform::BrowserPlatform;
use super::storage;
use crate::core::audience::{self, Audience, AudienceList};
use crate::core::authorize::{self, PendingLogin, State};
#[cfg(feature = "server")]
use crate::core::client_credentials;
use crate::core::config::{ClientConfig, Scope, SigninOptions, StorageKind, TokenOptions};
use crate::core::discovery::{self, ProviderMetadata};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::{push_array, push_str, ObjectWriter, Value};
use crate::core::pkce::{CodeVerifier, METHOD};
use crate::core::resource::ResourceList;
use crate::core::session::{self, Session};
use crate::core::token::TokenExchange;
use crate::core::url::HttpUrl;
use crate::core::{callback, Check, Error, Platform, Step};
use wasm_bindgen::prelude::*;

/// A configured client: options plus, once known, the provider's endpoints.
#[wasm_bindgen]
pub struct Client {
    config: ClientConfig,
    metadata: Option<ProviderMetadata>,
}

/// `{"method","url","headers":{…},"body"}` for the JS entry's `fetch`.
fn request_json(req: &HttpRequest) -> String {
    let mut headers = ObjectWriter::default();
    for (name, value) in &req.headers {
        headers.str(name, value);
    }
    let mut w = ObjectWriter::default();
    w.str("method", req.method)
        .str("url", &req.url)
        .raw("headers", &headers.finish())
        .opt_str("body", req.body.as_deref());
    w.finish()
}

/// The error for a request that got no answer (`fetch` rejected); `step` 0 is discovery,
/// 1 the token endpoint, 2 the userinfo endpoint.
#[wasm_bindgen(js_name = transportError)]
pub fn transport_error(step: u8, detail: String) -> JsValue {
    let step = match step {
        0 => Step::Discovery,
        1 => Step::Token,
        _ => Step::Userinfo,
    };
    to_js(Error::transport(step, &detail))
}

#[wasm_bindgen]
impl Client {
    /// Reads the options (JSON).
    #[wasm_bindgen(constructor)]
    pub fn new(options: String) -> Result<Client, JsValue> {
        Client::from_options(&options).map_err(to_js)
    }

    /// The discovery request (JSON), or `undefined` when the endpoints are configured.
    #[wasm_bindgen(js_name = discoveryRequest)]
    pub fn discovery_request(&self) -> Option<String> {
        self.metadata.is_none().then(|| request_json(&discovery::request(&self.config.issuer)))
    }

    /// Takes the discovery answer.
    pub fn discovered(&mut self, status: u16, content_type: String, body: String) -> Result<(), JsValue> {
        let resp = HttpResponse { status, content_type, body };
        self.metadata = Some(discovery::parse(&resp, &self.config.issuer).map_err(to_js)?);
        Ok(())
    }

    /// Builds an authorization request, stores its pending login under its state and
    /// returns `{"url","state"}`.
    #[wasm_bindgen(js_name = createSigninRequest)]
    pub fn create_signin_request(&self, options: String) -> Result<String, JsValue> {
        let (url, state) = self.signin(&options).map_err(to_js)?;
        let mut w = ObjectWriter::default();
        w.str("url", &url).str("state", &state);
        Ok(w.finish())
    }

    /// The audience list (JSON array) a sign-in request with these options asks for: what the
    /// audience module's `allowedAudiences` pre-check judges before `createSigninRequest`.
    #[wasm_bindgen(js_name = signinAudience)]
    pub fn signin_audience(&self, options: String) -> Result<String, JsValue> {
        let run = || -> Result<_, Error> {
            let audience = SigninOptions::from_json(&options)?.token.audience;
            let mut out = String::new();
            push_array(&mut out, audience.as_ref().unwrap_or(&self.config.audience).iter(), push_str);
            Ok(out)
        };
        run().map_err(to_js)
    }

    /// `createSigninRequest`, then `location.assign(url)`.
    #[wasm_bindgen(js_name = signinRedirect)]
    pub fn signin_redirect(&self, options: String) -> Result<(), JsValue> {
        let navigate = |url: &str| {
            web_sys::window()
                .and_then(|w| w.location().assign(url).ok())
                .ok_or(Error::Platform { detail: "navigation to the authorization endpoint failed".into() })
        };
        self.signin(&options).and_then(|(url, _)| navigate(&url)).map_err(to_js)
    }

    /// `{"storage","autoRefresh","expirySkew","key"}`: what the JS side needs to keep the
    /// session.
    pub fn settings(&self) -> String {
        let storage = match self.config.storage {
            StorageKind::Memory => "memory",
            StorageKind::Session => "session",
            StorageKind::Shared => "shared",
        };
        let mut w = ObjectWriter::default();
        w.str("storage", storage)
            .bool("autoRefresh", self.config.auto_refresh)
            .num("expirySkew", self.config.expiry_skew)
            .str("key", &[self.config.issuer.as_str(), " ", &self.config.client_id].concat());
        w.finish()
    }

    /// A cached access token (JSON) for the token options, or `undefined`.
    pub fn select(&self, session: String, options: String) -> Result<Option<String>, JsValue> {
        let run = || -> Result<_, Error> {
            let (audience, scope, ..) = self.token_options(&options)?;
            let s = self.session(&session)?;
            Ok(s.select(&audience, &scope, BrowserPlatform.now(), self.config.expiry_skew).map(|t| t.to_json()))
        };
        run().map_err(to_js)
    }

    /// When the token serving the options expires (epoch seconds), ignoring the skew.
    pub fn expiry(&self, session: String, options: String) -> Result<Option<f64>, JsValue> {
        let run = || -> Result<_, Error> {
            let (audience, scope, ..) = self.token_options(&options)?;
            Ok(self.session(&session)?.expiry(&audience, &scope).map(|at| at as f64))
        };
        run().map_err(to_js)
    }

    /// The refresh grant for the token options.
    pub fn refresh(&self, session: String, options: String) -> Result<Refresh, JsValue> {
        let run = || -> Result<_, Error> {
            let (audience, scope, send_scope, resource) = self.token_options(&options)?;
            let s = self.session(&session)?;
            let endpoints = &self.metadata()?.endpoints;
            let exchange = s.refresh_request(&self.config, endpoints, audience, scope, send_scope, &resource)?;
            Ok(Refresh { exchange, session: s })
        };
        run().map_err(to_js)
    }

    /// The signed-in user's ID token claims (JSON), or `undefined`.
    pub fn user(&self, session: String) -> Result<Option<String>, JsValue> {
        self.session(&session).map(|s| s.claims_json().map(str::to_owned)).map_err(to_js)
    }

    /// The sign-out plan: `{"revoke"?: request, "endSession"?: url}`.
    pub fn signout(&self, session: Option<String>, post_logout: Option<String>) -> Result<String, JsValue> {
        let run = || -> Result<_, Error> {
            let endpoints = &self.metadata()?.endpoints;
            let post = post_logout.as_deref().map(|u| HttpUrl::parse(u, "postLogoutRedirectUri")).transpose()?;
            let state = State::generate(&BrowserPlatform)?;
            let s = session.as_deref().map(|j| self.session(j)).transpose()?;
            let mut w = ObjectWriter::default();
            if let Some(req) = s.as_ref().and_then(|s| s.revocation_request(endpoints)) {
                w.raw("revoke", &request_json(&req));
            }
            let id_token = s.as_ref().and_then(Session::id_token);
            w.opt_str(
                "endSession",
                session::end_session_url(endpoints, &self.config.client_id, id_token, post.as_ref(), state.as_str())
                    .as_deref(),
            );
            Ok(w.finish())
        };
        run().map_err(to_js)
    }

    /// The UserInfo request for an access token.
    #[wasm_bindgen(js_name = userinfoRequest)]
    pub fn userinfo_request(&self, access_token: String) -> Result<String, JsValue> {
        let run = || Ok(request_json(&Session::userinfo_request(&self.metadata()?.endpoints, &access_token)?));
        run().map_err(to_js)
    }

    /// Judges the UserInfo answer against the session's user; resolves to the claims JSON.
    pub fn userinfo(
        &self,
        session: String,
        status: u16,
        content_type: String,
        body: String,
    ) -> Result<String, JsValue> {
        let resp = HttpResponse { status, content_type, body };
        self.session(&session).and_then(|s| s.userinfo(&resp)).map_err(to_js)
    }

    /// Checks the callback URL and takes its pending login out of storage (a state is
    /// usable once); returns the code exchange to perform.
    #[wasm_bindgen(js_name = beginCallback)]
    pub fn begin_callback(&self, url: String) -> Result<Exchange, JsValue> {
        self.callback(&url).map_err(to_js)
    }
}

impl Client {
    /// The token options with the client's defaults: `(audience, scope, scope given, resource)`.
    fn token_options(&self, options: &str) -> Result<(AudienceList, Scope, bool, ResourceList), Error> {
        let o = TokenOptions::from_json(options)?;
        Ok((
            o.audience.unwrap_or_else(|| self.config.audience.clone()),
            o.scope.clone().unwrap_or_else(|| self.config.scope.clone()),
            o.scope.is_some(),
            o.resource.unwrap_or_else(|| self.config.resource.clone()),
        ))
    }

    fn session(&self, json: &str) -> Result<Session, Error> {
        Session::from_json(json, &self.config)
    }

    /// [`Client::new`] for Rust callers (tests).
    pub fn from_options(options: &str) -> Result<Client, Error> {
        let config = ClientConfig::from_json(options)?;
        let metadata = config.endpoints.clone().map(ProviderMetadata::explicit);
        Ok(Client { config, metadata })
    }

    fn metadata(&self) -> Result<&ProviderMetadata, Error> {
        self.metadata.as_ref().ok_or_else(|| Error::config("the provider metadata has not been loaded"))
    }

    /// Creates a sign-in request and stores its login: `(url, state)`.
    pub fn signin(&self, options: &str) -> Result<(String, String), Error> {
        let options = SigninOptions::from_json(options)?;
        let request = authorize::build(&self.config, &self.metadata()?.endpoints, options, &BrowserPlatform)?;
        let state = request.pending.state().to_owned();
        storage::put(&state, &request.pending.to_json())?;
        Ok((request.url, state))
    }

    /// [`Client::begin_callback`] for Rust callers.
    pub fn callback(&self, url: &str) -> Result<Exchange, Error> {
        let params = callback::parse(url)?;
        let state = params.state()?.to_owned();
        let stored = storage::take(&state)?.ok_or_else(|| {
            Error::check(Check::State, "no pending login has this state (already used, or not started in this tab)")
        })?;
        let exchange = PendingLogin::from_json(&stored)?.accept(&params, &self.config, self.metadata()?)?;
        Ok(Exchange { exchange, restore: Some((state, stored)) })
    }
}

/// A token request in flight: the request to send, and what to do with its answer.
#[wasm_bindgen]
pub struct Exchange {
    exchange: TokenExchange,
    /// For a code exchange: the state and stored login to put back when no answer came.
    restore: Option<(String, String)>,
}

/// `{"tokens":…,"session":"…"}`: what a finished grant gives JavaScript.
fn outcome(tokens: &str, session: Option<&Session>) -> String {
    let mut w = ObjectWriter::default();
    w.raw("tokens", tokens).opt_str("session", session.map(Session::to_json).as_deref());
    w.finish()
}

#[wasm_bindgen]
impl Exchange {
    /// The token request (JSON `{"method","url","headers","body"}`).
    pub fn request(&self) -> String {
        request_json(&self.exchange.request)
    }

    /// Judges the token endpoint's answer: `{"tokens"}`, plus the new `"session"` after a
    /// sign-in.
    pub fn finish(self, status: u16, content_type: String, body: String) -> Result<String, JsValue> {
        let resp = HttpResponse { status, content_type, body };
        let (issuer, client_id) = (self.exchange.expect.issuer.clone(), self.exchange.expect.client_id.clone());
        let tokens = self.exchange.finish(&resp, BrowserPlatform.now()).map_err(to_js)?;
        let session = self.restore.is_some().then(|| Session::start(&issuer, &client_id, &tokens));
        Ok(outcome(&tokens.to_json(), session.as_ref()))
    }

    /// The token request got no answer: the code was not spent, so the pending login is
    /// put back (the same callback URL can be retried) and a `network_error` returned.
    pub fn failed(self, detail: String) -> JsValue {
        match self.restore.map_or(Ok(()), |(state, stored)| storage::put(&state, &stored)) {
            Ok(()) => transport_error(1, detail),
            Err(e) => to_js(e),
        }
    }
}

/// A fresh PKCE pair: `{"verifier","challenge","method":"S256"}`.
#[wasm_bindgen(js_name = generatePkce)]
pub fn generate_pkce() -> Result<String, JsValue> {
    let verifier = CodeVerifier::generate(&BrowserPlatform).map_err(to_js)?;
    let mut w = ObjectWriter::default();
    w.str("verifier", verifier.secret()).str("challenge", verifier.challenge().as_str()).str("method", METHOD);
    Ok(w.finish())
}

/// The `audience=` query value for a JSON list of audiences; `encoding` is `percent` or
/// `plus`.
#[wasm_bindgen(js_name = encodeAudience)]
pub fn encode_audience(list: String, encoding: String) -> Result<String, JsValue> {
    let run = || {
        let json = Value::parse(&list).ok_or_else(|| Error::check(Check::Audience, "the audience list is not JSON"))?;
        Ok(AudienceList::from_json(&json)?.encode(audience::encoding(&encoding)?))
    };
    run().map_err(to_js)
}

/// The client credentials token request for the options (JSON). Only the Node.js build (feature
/// `server`) has it; the browser build refuses, and its JS entry never calls it. One signature
/// for both, so that both builds share one JS glue file.
#[wasm_bindgen(js_name = clientCredentials)]
pub fn client_credentials(options: String) -> Result<Exchange, JsValue> {
    #[cfg(feature = "server")]
    let result = client_credentials::request(&options).map(|exchange| Exchange { exchange, restore: None });
    #[cfg(not(feature = "server"))]
    let result = {
        drop(options);
        Err(Error::config("the browser build has no client credentials grant"))
    };
    result.map_err(to_js)
}

/// Throws `invalid_audience` unless `value` is a valid audience.
#[wasm_bindgen(js_name = validateAudience)]
pub fn validate_audience(value: String) -> Result<(), JsValue> {
    Audience::new(&value).map(drop).map_err(to_js)
}

/// The audience list (JSON array) an `audience=` query value decodes to.
#[wasm_bindgen(js_name = decodeAudience)]
pub fn decode_audience(query_value: String) -> Result<String, JsValue> {
    let list = AudienceList::decode(&query_value).map_err(to_js)?;
    let mut out = String::new();
    push_array(&mut out, list.iter(), push_str);
    Ok(out)
}

/// A refresh grant in flight: the request, and the session it will update.
#[wasm_bindgen]
pub struct Refresh {
    exchange: TokenExchange,
    session: Session,
}

#[wasm_bindgen]
impl Refresh {
    /// The token request (JSON `{"method","url","headers","body"}`).
    pub fn request(&self) -> String {
        request_json(&self.exchange.request)
    }

    /// Judges the answer: `{"tokens": access token, "session": updated session}`, or
    /// `{"error", "session"}` where a failed answer still rotated the refresh token. A rotated
    /// refresh token has replaced the spent one in the session either way.
    pub fn finish(mut self, status: u16, content_type: String, body: String) -> String {
        let resp = HttpResponse { status, content_type, body };
        let now = BrowserPlatform.now();
        match self.exchange.finish(&resp, now) {
            Ok(tokens) => {
                self.session.store(&tokens, now);
                outcome(&session::token_json(&tokens), Some(&self.session))
            }
            Err(e) => {
                self.session.salvage(&resp);
                let mut w = ObjectWriter::default();
                w.str("error", &error_string(&e)).str("session", &self.session.to_json());
                w.finish()
            }
        }
    }

    /// No answer: the session is unchanged (the refresh token was not spent).
    pub fn failed(&self, detail: String) -> JsValue {
        transport_error(1, detail)
    }
}
