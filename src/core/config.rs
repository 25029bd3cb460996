//! Client configuration and per-call sign-in options, read from the JSON the JS entry
//! passes (`JSON.stringify(options)`), with camelCase names as in the JS API.
//!
//! Unknown options are refused rather than ignored: a misspelt `audeince` must not
//! silently send a token request without its audience.

use super::audience::{self, AudienceList};
use super::codec::encoding::Space;
use super::codec::json::Value;
use super::codec::url::HttpUrl;
use super::resource::ResourceList;
use super::Error;
use crate::prelude::*;

/// An RFC 6749 §3.3 scope: space-separated tokens of `%x21 / %x23-5B / %x5D-7E`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope(String);

impl Scope {
    /// Validates and normalises (single spaces, no repeats).
    pub fn new(text: &str) -> Result<Self, Error> {
        let mut out = String::new();
        for token in text.split(' ').filter(|t| !t.is_empty()) {
            if !token.bytes().all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)) {
                return Err(Error::config(["scope token \"", token, "\" has characters RFC 6749 §3.3 forbids"].cat()));
            }
            if !out.split(' ').any(|t| t == token) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(token);
            }
        }
        Ok(Scope(out))
    }

    /// The normalised scope string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the scope includes `token` (e.g. `openid`).
    pub fn contains(&self, token: &str) -> bool {
        self.0.split(' ').any(|t| t == token)
    }
}

/// Authorization and token endpoints, from discovery or given explicitly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// RFC 6749 §3.1.
    pub authorization: HttpUrl,
    /// RFC 6749 §3.2.
    pub token: HttpUrl,
    /// RFC 7009 §2 token revocation, when the provider has one.
    pub revocation: Option<HttpUrl>,
    /// OIDC RP-Initiated Logout 1.0 §2 `end_session_endpoint`, when the provider has one.
    pub end_session: Option<HttpUrl>,
    /// OIDC Core §5.3 UserInfo endpoint, when the provider has one.
    pub userinfo: Option<HttpUrl>,
    /// Discovery §3 `jwks_uri`: the keys that sign ID tokens.
    pub jwks: Option<HttpUrl>,
    /// RFC 9126 §5 `pushed_authorization_request_endpoint`, when the provider has one.
    pub par: Option<HttpUrl>,
}

/// `storage`: where the signed-in session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StorageKind {
    /// In the page only: gone on reload (the default).
    #[default]
    Memory,
    /// sessionStorage: per tab, survives reload.
    Session,
    /// IndexedDB, one session for every tab of the origin, refreshes serialised by Web Locks.
    Shared,
}

/// Everything `OAuthClient.create` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The issuer identifier; must equal discovery's `issuer`, the callback's `iss` and
    /// the ID token's `iss` exactly.
    pub issuer: HttpUrl,
    /// The public client's `client_id`.
    pub client_id: String,
    /// The registered redirect URI, sent and compared exactly.
    pub redirect_uri: HttpUrl,
    /// Default scope (`openid` when not given).
    pub scope: Scope,
    /// Default audience list.
    pub audience: AudienceList,
    /// How the space between audiences is written.
    pub audience_encoding: Space,
    /// Explicit endpoints; discovery is skipped when present.
    pub endpoints: Option<Endpoints>,
    /// Tolerated clock difference for ID token `exp`/`iat`, in seconds (default 60).
    pub clock_skew: u64,
    /// The mirror of the Hydra client's `audience` metadata: when set, a request Hydra
    /// would refuse is refused locally, before navigating.
    pub allowed_audiences: Option<Vec<String>>,
    /// Default RFC 8707 resources.
    pub resource: ResourceList,
    /// What to do when the access token's `aud` lacks a requested audience.
    pub on_audience_mismatch: MismatchPolicy,
    /// Where the session is kept.
    pub storage: StorageKind,
    /// An access token is not handed out when it expires within this many seconds (default 30).
    pub expiry_skew: u64,
    /// How long a started sign-in (its pending login) stays usable, in seconds (default 600).
    pub login_lifetime: u64,
    /// How long the facade waits for any answer of the provider, in milliseconds (default
    /// 30,000); then the request ends as `network_error` (`discovery_failed` for discovery).
    pub request_timeout: u64,
    /// Refresh before expiry on a timer.
    pub auto_refresh: bool,
    /// `dangerouslySkipIdTokenSignature`: accept ID tokens without checking their signature
    /// (OIDC Core §3.1.3.7 step 6 allows it for a token from the token endpoint over TLS,
    /// but a compromised or misconfigured proxy could then hand the app any identity).
    pub skip_signature: bool,
    /// `par`: push every authorization request (RFC 9126), also where the provider does not
    /// require it.
    pub par: bool,
    /// `dpop`: sender-constrained tokens (RFC 9449): `dpop_jkt` on the authorization request,
    /// and a token response whose `token_type` is not `DPoP` is refused.
    pub dpop: bool,
}

/// `onAudienceMismatch`: what a granted audience narrower than the requested one causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MismatchPolicy {
    /// `OAuthError` `audience_not_granted` (the default).
    #[default]
    Error,
    /// The tokens are returned; a console warning and an `audienceMismatch` event follow.
    Warn,
    /// The tokens are returned silently.
    Ignore,
}

impl MismatchPolicy {
    /// Reads `'error' | 'warn' | 'ignore'`.
    pub fn from_json(value: &Value) -> Result<Self, Error> {
        match value.as_str() {
            Some("error") => Ok(MismatchPolicy::Error),
            Some("warn") => Ok(MismatchPolicy::Warn),
            Some("ignore") => Ok(MismatchPolicy::Ignore),
            _ => Err(Error::config("onAudienceMismatch must be 'error', 'warn' or 'ignore'")),
        }
    }
}

/// Reads `allowedAudiences`: an array of strings. Whether Hydra can parse each is checked by
/// the lazily loaded audience module ([`super::audience_match::check_allowed`]) when the client is
/// created.
fn allowed_audiences(value: &Value) -> Result<Vec<String>, Error> {
    let items = value.as_array().ok_or_else(|| Error::config("allowedAudiences must be an array of strings"))?;
    let mut out = Vec::new();
    for item in items {
        let text = item.as_str().ok_or_else(|| Error::config("allowedAudiences must be an array of strings"))?;
        out.push(text.to_owned());
    }
    Ok(out)
}

/// Per-call options of `createSigninRequest` / `signinRedirect`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SigninOptions {
    /// Audience, scope and resources, each replacing the client's for this request.
    pub token: TokenOptions,
    /// OIDC `prompt` (e.g. `login`, `consent`, `none`).
    pub prompt: Option<String>,
    /// Additional authorization parameters; protocol parameters cannot be overridden.
    pub extra_params: Vec<(String, String)>,
    /// Any JSON value the app wants back after the redirect (e.g. where to return to), as
    /// JSON text. Kept with the pending login in the tab; never sent to the provider.
    pub app_state: Option<String>,
}

/// Options of `getAccessToken` / `refresh`: which token. Each defaults to the client's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenOptions {
    /// The audiences the token must cover.
    pub audience: Option<AudienceList>,
    /// The scope it must cover.
    pub scope: Option<Scope>,
    /// RFC 8707 resources to send on the refresh grant.
    pub resource: Option<ResourceList>,
}

impl TokenOptions {
    /// Reads `{audience, scope, resource}`.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let json = parse_json(text, "token options")?;
        let mut opts = TokenOptions::default();
        for (name, v) in members(&json, "token options")? {
            if !opts.take(name, v)? {
                return Err(unknown(name));
            }
        }
        Ok(opts)
    }

    /// Takes `audience`, `scope` or `resource`; false for any other name.
    fn take(&mut self, name: &str, v: &Value) -> Result<bool, Error> {
        match name {
            "audience" => self.audience = Some(AudienceList::from_json(v)?),
            "scope" => self.scope = Some(Scope::new(expect_str(v, name)?)?),
            "resource" => self.resource = Some(ResourceList::from_json(v)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Parameters the client sets itself; `extraParams` may not touch them.
const RESERVED: &[&str] = &[
    "response_type",
    "response_mode",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "audience",
    "resource",
    "prompt",
    "request",
    "request_uri",
    "dpop_jkt",
];

fn expect_str<'a>(v: &'a Value, name: &str) -> Result<&'a str, Error> {
    v.as_str().ok_or_else(|| Error::config(["option ", name, " must be a string"].cat()))
}

fn members<'a>(json: &'a Value, what: &str) -> Result<&'a [(String, Value)], Error> {
    json.as_object().ok_or_else(|| Error::config([what, " must be an object"].cat()))
}

fn unknown(name: &str) -> Error {
    Error::config(["unknown option \"", name, "\""].cat())
}

fn parse_json(text: &str, what: &str) -> Result<Value, Error> {
    Value::parse(text).ok_or_else(|| Error::config([what, " are not valid JSON"].cat()))
}

impl ClientConfig {
    /// `getAccessToken` / `refresh` options (JSON) with this client's defaults: `(audience,
    /// scope, scope given, resource)`.
    pub fn token_options(&self, options: &str) -> Result<(AudienceList, Scope, bool, ResourceList), Error> {
        let o = TokenOptions::from_json(options)?;
        Ok((
            o.audience.unwrap_or_else(|| self.audience.clone()),
            o.scope.clone().unwrap_or_else(|| self.scope.clone()),
            o.scope.is_some(),
            o.resource.unwrap_or_else(|| self.resource.clone()),
        ))
    }

    /// Reads the options object passed to `OAuthClient.create`.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let json = parse_json(text, "client options")?;
        // First pass: strings and values borrowed, plain settings copied: an early return has
        // nothing to drop (drop glue on every `?` is what makes such functions big in wasm).
        // Slots: issuer, clientId, redirectUri, scope, authorizationEndpoint, tokenEndpoint,
        // revocationEndpoint, endSessionEndpoint, userinfoEndpoint, jwksUri, parEndpoint.
        const NAMES: [&str; 11] = [
            "issuer",
            "clientId",
            "redirectUri",
            "scope",
            "authorizationEndpoint",
            "tokenEndpoint",
            "revocationEndpoint",
            "endSessionEndpoint",
            "userinfoEndpoint",
            "jwksUri",
            "parEndpoint",
        ];
        let mut o: [Option<&str>; 11] = [None; 11];
        let (mut audience, mut allowed, mut resource) = (None, None, None);
        let (mut space, mut clock_skew, mut on_mismatch) = (Space::Percent, 60, MismatchPolicy::Error);
        let (mut storage, mut expiry_skew, mut login_lifetime) = (StorageKind::Memory, 30, 600);
        let mut request_timeout = 30_000;
        // The boolean options, by slot.
        const FLAGS: [&str; 4] = ["autoRefresh", "dangerouslySkipIdTokenSignature", "par", "dpop"];
        let mut flags = [false; 4];
        // A whole number in `min..=max` (seconds, or milliseconds for requestTimeout).
        let ranged = |v: &Value, min: u64, max: u64, why: &'static str| {
            v.as_u64().filter(|n| (min..=max).contains(n)).ok_or(Error::config(why))
        };
        for (name, v) in members(&json, "client options")? {
            match name.as_str() {
                "audience" => audience = Some(v),
                "allowedAudiences" => allowed = Some(v),
                "resource" => resource = Some(v),
                // Where client.fetch may send an access token besides the audiences' and
                // resources' origins: read and checked by its JavaScript (account.js), which the
                // sign-in job never loads (the check here cost 169 B of the first download).
                "trustedOrigins" => {}
                "audienceEncoding" => space = audience::encoding(expect_str(v, name)?)?,
                "onAudienceMismatch" => on_mismatch = MismatchPolicy::from_json(v)?,
                "storage" => {
                    storage = match v.as_str() {
                        Some("memory") => StorageKind::Memory,
                        Some("session") => StorageKind::Session,
                        Some("shared") => StorageKind::Shared,
                        _ => return Err(Error::config("storage must be 'memory', 'session' or 'shared'")),
                    }
                }
                "expirySkew" => {
                    expiry_skew = ranged(v, 0, 3600, "option expirySkew must be a number of seconds from 0 to 3600")?
                }
                "loginLifetime" => {
                    login_lifetime =
                        ranged(v, 0, 86400, "option loginLifetime must be a number of seconds from 0 to 86400")?
                }
                "requestTimeout" => {
                    request_timeout = ranged(
                        v,
                        1,
                        600_000,
                        "option requestTimeout must be a number of milliseconds from 1 to 600000",
                    )?
                }
                "clockSkew" => {
                    clock_skew = ranged(v, 0, 600, "option clockSkew must be a number of seconds from 0 to 600")?
                }
                other => match (NAMES.iter().position(|n| *n == other), FLAGS.iter().position(|n| *n == other)) {
                    (Some(slot), _) => o[slot] = Some(expect_str(v, name)?),
                    (_, Some(slot)) => {
                        flags[slot] =
                            v.as_bool().ok_or_else(|| Error::config(["option ", name, " must be a boolean"].cat()))?
                    }
                    _ => return Err(unknown(name)),
                },
            }
        }
        let required = |i: usize| o[i].ok_or_else(|| Error::config(["option ", NAMES[i], " is required"].cat()));
        let client_id = required(1)?;
        if client_id.is_empty() || client_id.chars().any(char::is_control) {
            return Err(Error::config("option clientId must be a non-empty string"));
        }
        let explicit = match (o[4], o[5]) {
            (Some(_), Some(_)) => true,
            (None, None) if o[6..].iter().all(Option::is_none) => false,
            (None, None) => {
                return Err(Error::config(
                    "the other endpoint options go with authorizationEndpoint and tokenEndpoint (discovery finds \
                     them otherwise)",
                ))
            }
            _ => {
                return Err(Error::config("give both authorizationEndpoint and tokenEndpoint, or neither (discovery)"))
            }
        };
        let url = |i: usize| -> Result<HttpUrl, Error> { HttpUrl::parse(required(i)?, NAMES[i]) };
        let optional_url = |i: usize| o[i].map(|text| HttpUrl::parse(text, NAMES[i])).transpose();
        // Second pass: one owned value filled in place, so each `?` drops just that value.
        let mut c = ClientConfig {
            issuer: url(0)?,
            client_id: client_id.to_owned(),
            redirect_uri: HttpUrl::placeholder(),
            scope: Scope(String::new()),
            audience: AudienceList::default(),
            audience_encoding: space,
            endpoints: None,
            clock_skew,
            allowed_audiences: None,
            resource: ResourceList::default(),
            on_audience_mismatch: on_mismatch,
            storage,
            expiry_skew,
            login_lifetime,
            request_timeout,
            auto_refresh: flags[0],
            skip_signature: flags[1],
            par: flags[2],
            dpop: flags[3],
        };
        c.redirect_uri = url(2)?;
        c.scope = Scope::new(o[3].unwrap_or("openid"))?;
        if let Some(v) = audience {
            c.audience = AudienceList::from_json(v)?;
        }
        if let Some(v) = allowed {
            c.allowed_audiences = Some(allowed_audiences(v)?);
        }
        if let Some(v) = resource {
            c.resource = ResourceList::from_json(v)?;
        }
        if explicit {
            c.endpoints = Some(Endpoints {
                authorization: url(4)?,
                token: url(5)?,
                revocation: optional_url(6)?,
                end_session: optional_url(7)?,
                userinfo: optional_url(8)?,
                jwks: optional_url(9)?,
                par: optional_url(10)?,
            });
            if o[9].is_none() && !c.skip_signature && c.scope.contains("openid") {
                return Err(Error::config("option jwksUri is required with explicit endpoints and openid"));
            }
        }
        Ok(c)
    }
}

impl SigninOptions {
    /// Reads the options object passed to `createSigninRequest` / `signinRedirect`.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let json = parse_json(text, "sign-in options")?;
        let mut opts = SigninOptions::default();
        for (name, v) in members(&json, "sign-in options")? {
            if opts.token.take(name, v)? {
                continue;
            }
            match name.as_str() {
                "prompt" => opts.prompt = Some(expect_str(v, name)?.to_owned()),
                "appState" => opts.app_state = Some(v.to_json()),
                "extraParams" => {
                    for (key, value) in members(v, "option extraParams")? {
                        if key.is_empty() {
                            return Err(Error::config("extraParams names must not be empty"));
                        }
                        if RESERVED.contains(&key.as_str()) {
                            return Err(Error::config(
                                ["extraParams must not set \"", key, "\": the client manages it"].cat(),
                            ));
                        }
                        let value =
                            value.as_str().ok_or_else(|| Error::config("extraParams values must be strings"))?;
                        opts.extra_params.push((key.clone(), value.to_owned()));
                    }
                }
                _ => return Err(unknown(name)),
            }
        }
        Ok(opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str =
        r#""issuer":"http://127.0.0.1:9011","clientId":"spa","redirectUri":"http://127.0.0.1:9012/callback""#;

    fn with(extra: &str) -> Result<ClientConfig, Error> {
        ClientConfig::from_json(&["{", BASE, extra, "}"].cat())
    }

    #[test]
    fn lifecycle_options() {
        let c = with(
            r#","storage":"shared","expirySkew":0,"autoRefresh":true,"onAudienceMismatch":"warn","allowedAudiences":["urn:x"],"loginLifetime":1800,"requestTimeout":250,
            "authorizationEndpoint":"https://as.example/auth","tokenEndpoint":"https://as.example/token",
            "revocationEndpoint":"https://as.example/revoke","endSessionEndpoint":"https://as.example/logout",
            "jwksUri":"https://as.example/jwks""#,
        )
        .unwrap();
        assert_eq!((c.storage, c.expiry_skew, c.auto_refresh, c.login_lifetime), (StorageKind::Shared, 0, true, 1800));
        assert_eq!(c.request_timeout, 250);
        assert!(
            with(r#","trustedOrigins":["https://a.example","http://127.0.0.1:8080/","https://b.example/x"]"#).is_ok()
        );
        assert_eq!(c.on_audience_mismatch, MismatchPolicy::Warn);
        assert_eq!(c.allowed_audiences, Some(vec!["urn:x".to_owned()]));
        let e = c.endpoints.unwrap();
        assert_eq!(e.revocation.unwrap().as_str(), "https://as.example/revoke");
        assert_eq!(e.end_session.unwrap().as_str(), "https://as.example/logout");
        assert_eq!(e.userinfo, None);
        assert_eq!(e.jwks.unwrap().as_str(), "https://as.example/jwks");
        assert!(!c.skip_signature && !c.par);
        let d = with("").unwrap();
        assert_eq!((d.storage, d.expiry_skew, d.auto_refresh, d.login_lifetime), (StorageKind::Memory, 30, false, 600));
        assert_eq!(d.request_timeout, 30_000);
        assert_eq!(d.on_audience_mismatch, MismatchPolicy::Error);
        let t = TokenOptions::from_json(r#"{"audience":"a","scope":"api","resource":"https://r.example/"}"#).unwrap();
        assert_eq!(t.scope.unwrap().as_str(), "api");
        assert_eq!(
            TokenOptions::from_json(r#"{"prompt":"x"}"#).unwrap_err().description(),
            Some("unknown option \"prompt\"")
        );
    }

    #[test]
    fn defaults() {
        let c = with("").unwrap();
        assert_eq!(c.scope.as_str(), "openid");
        assert!(c.audience.is_empty());
        assert_eq!(c.audience_encoding, Space::Percent);
        assert_eq!(c.endpoints, None);
        assert_eq!(c.clock_skew, 60);
    }

    #[test]
    fn full_options() {
        let c = with(
            r#","scope":"openid  offline_access openid","audience":["a","b","a"],"audienceEncoding":"plus",
            "authorizationEndpoint":"https://as.example/auth","tokenEndpoint":"https://as.example/token","clockSkew":5,
            "dangerouslySkipIdTokenSignature":true,"par":true,"parEndpoint":"https://as.example/par""#,
        )
        .unwrap();
        assert_eq!(c.scope.as_str(), "openid offline_access");
        assert!(c.scope.contains("offline_access") && !c.scope.contains("offline"));
        assert_eq!(c.audience.iter().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(c.audience_encoding, Space::Plus);
        assert_eq!(c.endpoints.clone().unwrap().token.as_str(), "https://as.example/token");
        assert_eq!(c.clock_skew, 5);
        assert!(c.skip_signature && c.par && !c.dpop);
        assert!(with(r#","dpop":true"#).unwrap().dpop);
        let e = c.endpoints.unwrap();
        assert_eq!((e.jwks, e.par.unwrap().as_str()), (None, "https://as.example/par"));
    }

    #[test]
    fn explicit_endpoints_need_the_keys_for_id_tokens() {
        let endpoints =
            r#","authorizationEndpoint":"https://as.example/auth","tokenEndpoint":"https://as.example/token""#;
        let e = with(endpoints).unwrap_err();
        assert_eq!(e.description(), Some("option jwksUri is required with explicit endpoints and openid"));
        // No ID token without openid: nothing to check.
        assert!(with(&[endpoints, r#","scope":"api""#].cat()).is_ok());
        let e = with(&[endpoints, r#","jwksUri":"https://as.example/jwks","par":1"#].cat()).unwrap_err();
        assert_eq!(e.description(), Some("option par must be a boolean"));
    }

    #[test]
    fn refusals_name_the_problem() {
        let cases: &[(&str, &str, &str)] = &[
            (r#","audeince":["a"]"#, "invalid_config", "unknown option \"audeince\""),
            (r#","audience":["a b"]"#, "invalid_audience", "audience value \"a b\" contains whitespace"),
            (r#","audience":[""]"#, "invalid_audience", "audience value is empty"),
            (r#","audience":[1]"#, "invalid_audience", "audience must be a string or an array of strings"),
            (r#","audience":{}"#, "invalid_audience", "audience must be a string or an array of strings"),
            (
                r#","scope":"openid \"x\"""#,
                "invalid_config",
                "scope token \"\"x\"\" has characters RFC 6749 §3.3 forbids",
            ),
            (r#","audienceEncoding":"space""#, "invalid_config", "audienceEncoding must be 'percent' or 'plus'"),
            (
                r#","tokenEndpoint":"https://as/t""#,
                "invalid_config",
                "give both authorizationEndpoint and tokenEndpoint, or neither (discovery)",
            ),
            (r#","clockSkew":-1"#, "invalid_config", "option clockSkew must be a number of seconds from 0 to 600"),
            (r#","storage":"local""#, "invalid_config", "storage must be 'memory', 'session' or 'shared'"),
            (r#","expirySkew":3601"#, "invalid_config", "option expirySkew must be a number of seconds from 0 to 3600"),
            (r#","loginLifetime":86401"#, "invalid_config", "option loginLifetime must be a number of seconds from 0 to 86400"),
            (r#","requestTimeout":0"#, "invalid_config", "option requestTimeout must be a number of milliseconds from 1 to 600000"),
            (r#","requestTimeout":600001"#, "invalid_config", "option requestTimeout must be a number of milliseconds from 1 to 600000"),
            (r#","requestTimeout":"5s""#, "invalid_config", "option requestTimeout must be a number of milliseconds from 1 to 600000"),
            (r#","autoRefresh":"yes""#, "invalid_config", "option autoRefresh must be a boolean"),
            (r#","onAudienceMismatch":"throw""#, "invalid_config", "onAudienceMismatch must be 'error', 'warn' or 'ignore'"),
            (r#","allowedAudiences":"https://a""#, "invalid_config", "allowedAudiences must be an array of strings"),
            (r#","allowedAudiences":[1]"#, "invalid_config", "allowedAudiences must be an array of strings"),
            (r#","resource":["/relative"]"#, "invalid_target", "resource \"/relative\" is not an absolute URI (RFC 8707 §2)"),
            (
                r#","authorizationEndpoint":"https://as/a","tokenEndpoint":"https://as/t","userinfoEndpoint":"http://as.example/me""#,
                "invalid_config",
                "userinfoEndpoint must use https (plain http is allowed only on loopback hosts): \"http://as.example/me\"",
            ),
            (
                r#","revocationEndpoint":"https://as/r""#,
                "invalid_config",
                "the other endpoint options go with authorizationEndpoint and tokenEndpoint (discovery finds \
                 them otherwise)",
            ),
        ];
        for (extra, code, description) in cases {
            let e = with(extra).unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), (*code, *description), "{extra}");
        }
        let e = ClientConfig::from_json(r#"{"clientId":"spa","redirectUri":"http://127.0.0.1/cb"}"#).unwrap_err();
        assert_eq!(e.description(), Some("option issuer is required"));
        let e = ClientConfig::from_json("[1]").unwrap_err();
        assert_eq!(e.description(), Some("client options must be an object"));
        let e = ClientConfig::from_json("{").unwrap_err();
        assert_eq!(e.description(), Some("client options are not valid JSON"));
        let e = ClientConfig::from_json(&["{", BASE, r#","clientId":"""#, "}"].cat()).unwrap_err();
        assert_eq!(e.code(), "invalid_config", "a duplicate member makes the JSON invalid");
    }

    #[test]
    fn signin_options() {
        let o = SigninOptions::from_json(
            r#"{"audience":"x","scope":"openid","prompt":"login","extraParams":{"ui_locales":"de"},"appState":{"to":["/a",1]}}"#,
        )
        .unwrap();
        assert_eq!(o.app_state.as_deref(), Some(r#"{"to":["/a",1]}"#));
        assert_eq!(o.token.audience.unwrap().iter().collect::<Vec<_>>(), ["x"]);
        assert_eq!(o.prompt.as_deref(), Some("login"));
        assert_eq!(o.extra_params, vec![("ui_locales".to_owned(), "de".to_owned())]);
        assert_eq!(SigninOptions::from_json("{}").unwrap(), SigninOptions::default());
        let e = SigninOptions::from_json(r#"{"extraParams":{"state":"x"}}"#).unwrap_err();
        assert_eq!(e.description(), Some("extraParams must not set \"state\": the client manages it"));
        let e = SigninOptions::from_json(r#"{"extraParams":{"":"x"}}"#).unwrap_err();
        assert_eq!(e.description(), Some("extraParams names must not be empty"));
        let e = SigninOptions::from_json(r#"{"extraParams":{"a":1}}"#).unwrap_err();
        assert_eq!(e.description(), Some("extraParams values must be strings"));
    }
}
