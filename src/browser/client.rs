//! The client and its grants: what the exports of `ops` call. Every method takes and
//! returns strings (options and results as JSON), and errors are core [`Error`]s; the ops turn
//! them into the tagged text `js/abi.js` throws.
use crate::prelude::*;

use super::{storage, Host};
use crate::core::audience::{self, Audience, AudienceList};
use crate::core::authorize;
#[cfg(feature = "server")]
use crate::core::client_credentials;
use crate::core::codec::encoding::push_u64;
use crate::core::codec::json::{ObjectWriter, Value};
use crate::core::config::{ClientConfig, SigninOptions, StorageKind};
use crate::core::discovery::{self, ProviderMetadata};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::par;
use crate::core::pkce::{CodeVerifier, METHOD};
#[cfg(feature = "server")]
use crate::core::session;
use crate::core::session::Session;
#[cfg(feature = "server")]
use crate::core::token::TokenExchange;
use crate::core::{callback, Check, Error, Platform, Step};

/// A configured client: options plus, once known, the provider's endpoints.
pub struct Client {
    config: ClientConfig,
    metadata: Option<ProviderMetadata>,
}

/// The error for a request that got no answer (`fetch` rejected); `step` 0 is discovery,
/// 1 the token endpoint, 2 the userinfo endpoint, 3 the JWK Set, 4 the pushed authorization
/// request endpoint, 5 the revocation endpoint.
pub fn transport_error(step: u32, detail: &str) -> Error {
    let step = match step {
        0 => Step::Discovery,
        1 => Step::Token,
        2 => Step::Userinfo,
        3 => Step::Jwks,
        4 => Step::Par,
        _ => Step::Revocation,
    };
    Error::transport(step, detail)
}

impl Client {
    /// Reads the options (JSON).
    pub fn new(options: &str) -> Result<Client, Error> {
        let config = ClientConfig::from_json(options)?;
        let metadata = config.endpoints.clone().map(ProviderMetadata::explicit);
        Ok(Client { config, metadata })
    }

    /// The discovery request (JSON), or `None` when the endpoints are configured.
    pub fn discovery_request(&self) -> Option<String> {
        self.metadata.is_none().then(|| discovery::request(&self.config.issuer).to_json())
    }

    /// Takes the discovery answer.
    pub fn discovered(&mut self, resp: &HttpResponse) -> Result<(), Error> {
        self.metadata = Some(discovery::parse(resp, &self.config.issuer)?);
        Ok(())
    }

    fn metadata(&self) -> Result<&ProviderMetadata, Error> {
        self.metadata.as_ref().ok_or_else(|| Error::config("the provider metadata has not been loaded"))
    }

    /// Builds an authorization request, stores its pending login under its state and
    /// returns `{"url","state"}`, or `{"par","state"}`: the request to push first (RFC 9126,
    /// when the provider requires it or the option `par` is set), whose answer
    /// [`Client::pushed`] turns into the URL.
    ///
    /// With `dpop`, `jkt` is the thumbprint of the session's DPoP key, sent as `dpop_jkt`
    /// (RFC 9449 §10).
    pub fn create_signin_request(&self, options: &str, jkt: &str, host: &dyn Host) -> Result<String, Error> {
        let mut options = SigninOptions::from_json(options)?;
        if self.config.dpop {
            options.extra_params.push(("dpop_jkt".into(), jkt.into()));
        }
        let meta = self.metadata()?;
        let endpoints = &meta.endpoints;
        let request = authorize::build(&self.config, endpoints, options, host)?;
        let push = match &endpoints.par {
            _ if !self.config.par && !meta.requires_par => None,
            Some(par) => Some(par::push(par.as_str(), &request.url, endpoints.authorization.as_str()).to_json()),
            None => return Err(Error::config("option par needs the provider's pushed_authorization_request_endpoint")),
        };
        let state = request.pending.state();
        storage::put(host, state, &request.pending.to_json())?;
        let mut w = ObjectWriter::default();
        match &push {
            Some(push) => w.raw("par", push),
            None => w.str("url", &request.url),
        };
        w.str("state", state);
        Ok(w.finish())
    }

    /// The authorization URL from the pushed request's answer (`client_id` and `request_uri`).
    pub fn pushed(&self, resp: &HttpResponse) -> Result<String, Error> {
        par::redirect(resp, self.metadata()?.endpoints.authorization.as_str(), &self.config.client_id)
    }

    /// `{"storage","autoRefresh","expirySkew","loginLifetime","requestTimeout","dpop","key"}`: what the JS side needs to keep
    /// the session.
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
            .num("loginLifetime", self.config.login_lifetime)
            .num("requestTimeout", self.config.request_timeout)
            .bool("dpop", self.config.dpop)
            .str("key", &[self.config.issuer.as_str(), " ", &self.config.client_id].cat());
        w.finish()
    }

    fn session(&self, json: &str) -> Result<Session, Error> {
        Session::from_json(json, &self.config)
    }

    /// A cached access token (JSON) for the token options at `now`, or `None`.
    pub fn select(&self, session: &str, options: &str, now: u64) -> Result<Option<String>, Error> {
        let (audience, scope, ..) = self.config.token_options(options)?;
        let s = self.session(session)?;
        Ok(s.select(&audience, &scope, now, self.config.expiry_skew).map(|t| t.to_json()))
    }

    /// The request for the provider's JWK Set (JSON), or `None` when signatures are not
    /// checked (`dangerouslySkipIdTokenSignature`).
    pub fn jwks_request(&self) -> Result<Option<String>, Error> {
        if self.config.skip_signature {
            return Ok(None);
        }
        let uri = self
            .metadata()?
            .endpoints
            .jwks
            .as_ref()
            .ok_or_else(|| Error::check(Check::IdToken, "no jwks_uri to check the ID token's signature with"))?;
        Ok(Some(HttpRequest::get(uri.as_str(), "application/jwk-set+json, application/json").to_json()))
    }

    /// The callback's checks, before anything is sent ([`callback::begin`]): the token request
    /// (JSON) for the callback `url` and its pending login `stored` (`""` when none) at `now`.
    /// The token endpoint's answer is judged by the account module, which loads meanwhile.
    pub fn callback(&self, url: &str, stored: &str, now: u64) -> Result<String, Error> {
        Ok(callback::begin(url, stored, &self.config, self.metadata()?, now)?.request.to_json())
    }

    /// The signed-in user's ID token claims (JSON), or `None`.
    pub fn user(&self, session: &str) -> Result<Option<String>, Error> {
        self.session(session).map(|s| s.claims_json().map(str::to_owned))
    }
}

/// A client credentials token request in flight (the Node.js build only): the request to send,
/// and what to do with its answer. (The callback's code exchange and the refresh grant run in
/// the account module: [`crate::core::account::Account`].)
#[cfg(feature = "server")]
pub struct Grant(TokenExchange);

#[cfg(feature = "server")]
impl Grant {
    /// The token request (JSON `{"method","url","headers","body"}`).
    pub fn request(&self) -> String {
        self.0.request.to_json()
    }

    /// Judges the token endpoint's answer at `now`: `{"tokens"}` ([`session::outcome`]).
    pub fn finish(self, resp: &HttpResponse, now: u64) -> Result<String, Error> {
        let tokens = self.0.finish(resp, now)?;
        Ok(session::outcome(&tokens.to_json(), None, &tokens, false, None))
    }
}

/// A fresh PKCE pair: `{"verifier","challenge","method":"S256"}`.
pub fn generate_pkce(platform: &dyn Platform) -> Result<String, Error> {
    let verifier = CodeVerifier::generate(platform)?;
    let mut w = ObjectWriter::default();
    w.str("verifier", verifier.secret()).str("challenge", verifier.challenge().as_str()).str("method", METHOD);
    Ok(w.finish())
}

/// The `audience=` query value for a JSON list of audiences; `encoding` is `percent` or
/// `plus`.
pub fn encode_audience(list: &str, encoding: &str) -> Result<String, Error> {
    let json = Value::parse(list).ok_or_else(|| Error::check(Check::Audience, "the audience list is not JSON"))?;
    Ok(AudienceList::from_json(&json)?.encode(audience::encoding(encoding)?))
}

/// The client credentials token request for the options (JSON). Only the Node.js build
/// (feature `server`) has it: the browser build has neither this nor its op, and its JS entry
/// refuses `clientCredentials` itself.
#[cfg(feature = "server")]
pub fn client_credentials(options: &str) -> Result<Grant, Error> {
    client_credentials::request(options).map(Grant)
}

/// `invalid_audience` unless `value` is a valid audience.
pub fn validate_audience(value: &str) -> Result<(), Error> {
    Audience::new(value).map(drop)
}

/// Decimal text of `n` (handles and epoch seconds cross as text).
pub fn decimal(n: u64) -> String {
    let mut out = String::new();
    push_u64(&mut out, n);
    out
}
