//! What a page needs only once the provider has sent the user back: the callback's code
//! exchange (RFC 6749 §4.1.3) and the choice of the key that checks the ID token, the refresh
//! grant (RFC 6749 §6), sign-out (RFC 7009 revocation, OIDC RP-Initiated Logout 1.0) and
//! UserInfo (OIDC Core §5.3). The browser build runs it in a module of its own
//! (`oauth_wasm_account.wasm`), fetched by a callback page as it loads and by other pages on
//! first use, which keeps nothing between calls: each call rebuilds an [`Account`] from what
//! the JS side keeps (the client options, the discovery answer the main module accepted, the
//! stored session).

use super::callback;
use super::codec::encoding::FormBuilder;
use super::codec::json::{ObjectWriter, Value};
use super::codec::url::HttpUrl;
use super::config::{ClientConfig, Endpoints};
use super::discovery::{self, ProviderMetadata};
use super::http::{HttpRequest, HttpResponse, FORM_HEADERS};
use super::jose::jwks;
use super::session::{self, Session};
use super::token::TokenExchange;
use super::{Check, Error, Step};
use crate::prelude::*;

fn not_signed_in() -> Error {
    Error::check(Check::Login, "not signed in")
}

/// A client, its provider and its session, as the main module knew them.
pub struct Account {
    config: ClientConfig,
    metadata: ProviderMetadata,
    session: Option<Session>,
}

impl Account {
    /// `options`: the JSON `OAuthClient.create` was given; `discovery`: the content type and
    /// body of the discovery answer the main module accepted (`None` with explicit endpoints);
    /// `session`: the stored session, when signed in.
    pub fn new(options: &str, discovery: Option<(&str, &str)>, session: Option<&str>) -> Result<Self, Error> {
        let config = ClientConfig::from_json(options)?;
        let metadata = match (discovery, &config.endpoints) {
            (Some((content_type, body)), _) => {
                discovery::parse(&HttpResponse::new(200, content_type, body), &config.issuer)?
            }
            (None, Some(endpoints)) => ProviderMetadata::explicit(endpoints.clone()),
            (None, None) => return Err(Error::config("the provider metadata has not been loaded")),
        };
        let session = session.map(|s| Session::from_json(s, &config)).transpose()?;
        Ok(Account { config, metadata, session })
    }

    /// The code exchange of the callback `url` for the pending login `stored` at `now`
    /// ([`callback::begin`], which the main module runs before the token request leaves).
    pub fn callback(&self, url: &str, stored: &str, now: u64) -> Result<TokenExchange, Error> {
        callback::begin(url, stored, &self.config, &self.metadata, now)
    }

    /// Judges the token endpoint's answer to [`Account::callback`]'s exchange (same `url`,
    /// `stored` and `now`): `{"tokens","session","verify"?}` ([`session::outcome`]).
    pub fn signed_in(&self, url: &str, stored: &str, resp: &HttpResponse, now: u64) -> Result<String, Error> {
        let exchange = self.callback(url, stored, now)?;
        let verify = exchange.expect.verify_signature;
        let (issuer, client_id) = (exchange.expect.issuer.clone(), exchange.expect.client_id.clone());
        let tokens = exchange.finish(resp, now)?;
        let session = Session::start(&issuer, &client_id, &tokens);
        Ok(session::outcome(&tokens.to_json(), Some(&session), &tokens, verify, None))
    }

    /// The key of the provider's JWK Set (and its WebCrypto algorithm) that checks
    /// `id_token`, or `None` when the set should be fetched again first ([`jwks::choose`]).
    pub fn pick_key(&self, id_token: &str, jwks: &HttpResponse, last_try: bool) -> Result<Option<String>, Error> {
        jwks::choose(id_token, self.metadata.id_token_algs.as_ref(), jwks, last_try)
    }

    /// Sign-out and UserInfo over this account, with `state` for the end-session request.
    pub fn context(&self, state: &str) -> AccountContext {
        let parts = self.session.as_ref().map_or((None, None, None), Session::account_parts);
        AccountContext::new(&self.config.client_id, &self.metadata.endpoints, parts, state)
    }

    /// The refresh grant for `getAccessToken` / `refresh` options (JSON); `login_required`
    /// when signed out or without a refresh token.
    pub fn refresh(&self, options: &str) -> Result<TokenExchange, Error> {
        self.grant(self.session.as_ref().ok_or_else(not_signed_in)?, options)
    }

    fn grant(&self, session: &Session, options: &str) -> Result<TokenExchange, Error> {
        let (audience, scope, send_scope, resource) = self.config.token_options(options)?;
        session.refresh_request(&self.config, &self.metadata.endpoints, audience, scope, send_scope, &resource)
    }

    /// When the token serving `getAccessToken` options (JSON) expires, in epoch seconds and
    /// ignoring the skew: what `autoRefresh` times its renewal by. `None` when signed out, or
    /// when no cached token serves them or it has no expiry.
    pub fn expiry(&self, options: &str) -> Result<Option<u64>, Error> {
        let (audience, scope, ..) = self.config.token_options(options)?;
        Ok(self.session.as_ref().and_then(|s| s.expiry(&audience, &scope)))
    }

    /// Judges the refresh answer at `now`. It never fails once the grant was made: it gives
    /// `{"tokens","session"}`; or, when a new ID token's signature must be checked first,
    /// `{"tokens","session","verify","kept"}`, where `kept` is the old session with only the
    /// rotated refresh token; or `{"error","session"}` where a failed answer may still
    /// have rotated the refresh token (which replaces the spent one either way).
    pub fn refreshed(mut self, options: &str, resp: &HttpResponse, now: u64) -> Result<String, Error> {
        let mut session = self.session.take().ok_or_else(not_signed_in)?;
        let exchange = self.grant(&session, options)?;
        let verify = exchange.expect.verify_signature;
        Ok(match exchange.finish(resp, now) {
            Ok(tokens) => {
                // Before the new ID token is checked: the session as it was, with only the
                // rotated refresh token, which the facade stores first (a JWK Set that cannot
                // be had then loses nothing: the provider has spent the old one).
                let kept = verify.then(|| {
                    let mut kept = session.clone();
                    kept.salvage(resp);
                    kept.to_json()
                });
                session.store(&tokens, now);
                session::outcome(&session::token_json(&tokens), Some(&session), &tokens, verify, kept.as_deref())
            }
            Err(e) => {
                session.salvage(resp);
                let e = refresh_hint(e);
                let mut w = ObjectWriter::default();
                w.str("error", &e.to_tagged_json()).str("session", &session.to_json());
                w.finish()
            }
        })
    }
}

/// A refresh answer that lacks a requested audience: the provider did not add it on refresh.
/// Ory Hydra ignores `audience` on the refresh grant and issues what consent granted at sign-in.
fn refresh_hint(e: Error) -> Error {
    match e {
        // Not when `aud` is empty (its detail ends in a hint about consent, not in the quoted list):
        // that is no refresh's doing. `ends_with`, not `contains`: str search costs 3.7 KB of wasm.
        Error::Check { check: Check::AudienceGranted, detail } if detail.ends_with('"') => Error::check(
            Check::AudienceGranted,
            [
                &detail,
                ": the refresh grant did not add it. Providers such as Ory Hydra grant audiences only at sign-in: \
                 ask for it in signinRedirect's audience (the session is kept)",
            ]
            .cat(),
        ),
        e => e,
    }
}

/// What sign-out and UserInfo need from the client, its provider and its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountContext {
    client_id: String,
    revocation: Option<HttpUrl>,
    end_session: Option<HttpUrl>,
    userinfo: Option<HttpUrl>,
    refresh_token: Option<String>,
    id_token: Option<String>,
    sub: Option<String>,
    /// A fresh `state` for the end-session request.
    state: String,
}

/// The parts of a session the context takes: `(refresh token, ID token, sub)`.
pub type SessionParts<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

impl AccountContext {
    /// The context for `client_id` at these endpoints, with the session's parts (all `None`
    /// when signed out) and a fresh `state`.
    pub fn new(
        client_id: &str,
        endpoints: &Endpoints,
        (refresh, id_token, sub): SessionParts<'_>,
        state: &str,
    ) -> Self {
        AccountContext {
            client_id: client_id.to_owned(),
            revocation: endpoints.revocation.clone(),
            end_session: endpoints.end_session.clone(),
            userinfo: endpoints.userinfo.clone(),
            refresh_token: refresh.map(str::to_owned),
            id_token: id_token.map(str::to_owned),
            sub: sub.map(str::to_owned),
            state: state.to_owned(),
        }
    }

    /// RFC 7009 §2.1 revocation of the refresh token, when there is one and the provider
    /// advertises an endpoint.
    pub fn revocation_request(&self) -> Option<HttpRequest> {
        let (endpoint, token) = (self.revocation.as_ref()?, self.refresh_token.as_deref()?);
        let mut body = FormBuilder::default();
        body.pair("token", token).pair("token_type_hint", "refresh_token").pair("client_id", &self.client_id);
        Some(HttpRequest {
            method: "POST",
            url: endpoint.as_str().to_owned(),
            headers: FORM_HEADERS.iter().map(|&(n, v)| (n, v.into())).collect(),
            body: Some(body.finish()),
        })
    }

    /// The RP-Initiated Logout 1.0 §2 URL, when the provider advertises
    /// `end_session_endpoint`: `id_token_hint` (the session's ID token, when there is one),
    /// `client_id`, `post_logout_redirect_uri` and `state`.
    pub fn end_session_url(&self, post_logout: Option<&HttpUrl>) -> Option<String> {
        let mut url = FormBuilder::url(self.end_session.as_ref()?.as_str());
        if let Some(hint) = &self.id_token {
            url.pair("id_token_hint", hint);
        }
        url.pair("client_id", &self.client_id);
        if let Some(uri) = post_logout {
            url.pair("post_logout_redirect_uri", uri.as_str());
        }
        url.pair("state", &self.state);
        Some(url.finish())
    }

    /// The sign-out plan: `{"revoke"?: request, "endSession"?: url}`; `post_logout` is the
    /// app's `postLogoutRedirectUri`, checked like every URL option.
    pub fn signout(&self, post_logout: Option<&str>) -> Result<String, Error> {
        let post = post_logout.map(|u| HttpUrl::parse(u, "postLogoutRedirectUri")).transpose()?;
        let mut w = ObjectWriter::default();
        if let Some(req) = self.revocation_request() {
            w.raw("revoke", &req.to_json());
        }
        w.opt_str("endSession", self.end_session_url(post.as_ref()).as_deref());
        Ok(w.finish())
    }

    /// `GET {userinfo_endpoint}` with the access token (RFC 6750 §2.1; a DPoP-bound one with
    /// the `DPoP` scheme, RFC 9449 §7.1, and a proof the facade adds).
    pub fn userinfo_request(&self, access_token: &str, dpop: bool) -> Result<HttpRequest, Error> {
        let endpoint = self
            .userinfo
            .as_ref()
            .ok_or_else(|| Error::config("the provider has no userinfo endpoint (userinfoEndpoint)"))?;
        Ok(HttpRequest {
            method: "GET",
            url: endpoint.as_str().to_owned(),
            headers: vec![
                ("Authorization", [if dpop { "DPoP " } else { "Bearer " }, access_token].cat().into()),
                ("Accept", "application/json".into()),
            ],
            body: None,
        })
    }

    /// Judges the UserInfo answer: a JSON object whose `sub` is the ID token's (OIDC Core
    /// §5.3.2: "If they do not match, the UserInfo Response values MUST NOT be used").
    pub fn userinfo(&self, resp: &HttpResponse) -> Result<String, Error> {
        if !resp.is_success() {
            if let Some(code) = resp.json_object().and_then(|j| j.get("error")?.as_str().map(str::to_owned)) {
                return Err(Error::provider(code, None, None));
            }
            return Err(resp.unexpected(Step::Userinfo, "not a UserInfo response"));
        }
        let json =
            resp.json_object().ok_or_else(|| resp.unexpected(Step::Userinfo, "the body is not a JSON object"))?;
        let sub = json.get("sub").and_then(Value::as_str);
        if sub.is_none() || sub != self.sub.as_deref() {
            return Err(Error::check(Check::UserinfoSub, "the UserInfo sub is not the signed-in user's"));
        }
        Ok(resp.body.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authorize::tests::config;

    #[test]
    fn signout_and_userinfo() {
        let c = config(
            r#","revocationEndpoint":"https://as.example/revoke","endSessionEndpoint":"https://as.example/logout","userinfoEndpoint":"https://as.example/me""#,
        );
        let endpoints = c.endpoints.clone().unwrap();
        let ctx = AccountContext::new("spa", &endpoints, (Some("rt/1"), Some("h.p.s"), Some("alice")), "st");
        let revoke = ctx.revocation_request().unwrap();
        assert_eq!(revoke.url, "https://as.example/revoke");
        assert_eq!(revoke.body.as_deref(), Some("token=rt%2F1&token_type_hint=refresh_token&client_id=spa"));
        let post = HttpUrl::parse("https://app.example/bye", "p").unwrap();
        assert_eq!(
            ctx.end_session_url(Some(&post)).unwrap(),
            "https://as.example/logout?id_token_hint=h.p.s&client_id=spa&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye&state=st"
        );
        let plan = Value::parse(&ctx.signout(Some("https://app.example/bye")).unwrap()).unwrap();
        assert_eq!(plan.get("revoke").unwrap().get("body").unwrap().as_str(), revoke.body.as_deref());
        assert!(plan.get("endSession").unwrap().as_str().unwrap().ends_with("&state=st"));
        assert_eq!(ctx.signout(Some("http://app.example/bye")).unwrap_err().code(), "invalid_config");

        let bare = AccountContext::new("spa", &config("").endpoints.unwrap(), (None, None, None), "st");
        assert!(bare.revocation_request().is_none() && bare.end_session_url(None).is_none());
        assert_eq!(bare.signout(None).unwrap(), "{}");
        assert_eq!(bare.userinfo_request("at", false).unwrap_err().code(), "invalid_config");
        let signed_out = AccountContext::new("spa", &endpoints, (None, None, None), "st");
        assert!(signed_out.revocation_request().is_none(), "nothing to revoke without a refresh token");
        assert_eq!(
            signed_out.end_session_url(None).unwrap(),
            "https://as.example/logout?client_id=spa&state=st",
            "no id_token_hint without an ID token"
        );

        let req = ctx.userinfo_request("at-1", false).unwrap();
        assert_eq!((req.method, req.url.as_str()), ("GET", "https://as.example/me"));
        assert_eq!(req.headers[0], ("Authorization", "Bearer at-1".into()));
        assert_eq!(ctx.userinfo_request("at-1", true).unwrap().headers[0], ("Authorization", "DPoP at-1".into()));
        let answer = |status: u16, body: &str| HttpResponse {
            status,
            content_type: "application/json".into(),
            body: body.into(),
        };
        assert_eq!(
            ctx.userinfo(&answer(200, r#"{"sub":"alice","email":"a@x"}"#)).unwrap(),
            r#"{"sub":"alice","email":"a@x"}"#
        );
        assert_eq!(ctx.userinfo(&answer(200, r#"{"sub":"mallory"}"#)).unwrap_err().code(), "userinfo_sub_mismatch");
        assert_eq!(ctx.userinfo(&answer(200, r#"{"name":"x"}"#)).unwrap_err().code(), "userinfo_sub_mismatch");
        assert_eq!(ctx.userinfo(&answer(401, r#"{"error":"invalid_token"}"#)).unwrap_err().code(), "invalid_token");
        assert_eq!(ctx.userinfo(&answer(500, "oops")).unwrap_err().code(), "invalid_response");
        assert_eq!(
            signed_out.userinfo(&answer(200, r#"{"sub":"alice"}"#)).unwrap_err().code(),
            "userinfo_sub_mismatch"
        );
    }

    const OPTIONS: &str = r#"{"issuer":"https://as.example","clientId":"spa","redirectUri":"https://app.example/cb","scope":"openid api offline_access","audience":["https://a.example"],"dangerouslySkipIdTokenSignature":true}"#;
    const DISCOVERY: &str = r#"{"issuer":"https://as.example","authorization_endpoint":"https://as.example/auth","token_endpoint":"https://as.example/token","revocation_endpoint":"https://as.example/revoke","userinfo_endpoint":"https://as.example/me"}"#;
    const SESSION: &str =
        r#"{"v":1,"issuer":"https://as.example","clientId":"spa","refreshToken":"rt1","sub":"alice","tokens":[]}"#;

    fn account(session: Option<&str>) -> Result<Account, Error> {
        Account::new(OPTIONS, Some(("application/json", DISCOVERY)), session)
    }

    #[test]
    fn rebuilt_from_options_discovery_and_session() {
        let a = account(Some(SESSION)).unwrap();
        let ctx = a.context("st");
        assert_eq!(
            ctx.revocation_request().unwrap().body.as_deref(),
            Some("token=rt1&token_type_hint=refresh_token&client_id=spa")
        );
        assert_eq!(ctx.userinfo_request("at", false).unwrap().url, "https://as.example/me");
        assert!(ctx.end_session_url(None).is_none(), "the provider has no end_session_endpoint");
        // Explicit endpoints need no discovery answer; without either, no account.
        let explicit = r#"{"issuer":"https://as.example","clientId":"spa","redirectUri":"https://app.example/cb","authorizationEndpoint":"https://as.example/auth","tokenEndpoint":"https://as.example/t2","jwksUri":"https://as.example/jwks"}"#;
        let url = Account::new(explicit, None, Some(SESSION)).unwrap().refresh("{}").unwrap().request.url;
        assert_eq!(url, "https://as.example/t2");
        assert_eq!(Account::new(OPTIONS, None, None).err().unwrap().code(), "invalid_config");
        // A session of another client, or unreadable, is refused as the main module refuses it.
        let other = SESSION.replace(r#""clientId":"spa""#, r#""clientId":"other""#);
        assert_eq!(account(Some(&other)).err().unwrap().code(), "invalid_session");
        assert_eq!(account(Some("{")).err().unwrap().code(), "invalid_session");
        assert_eq!(account(None).unwrap().refresh("{}").unwrap_err().code(), "login_required");
    }

    #[test]
    fn expiry_of_the_token_serving_the_options() {
        let token = |key: &str, at: &str| {
            [
                r#"{"key":["#,
                key,
                r#"],"keyScope":"openid api offline_access","accessToken":"at","#,
                at,
                r#""audience":[],"verified":false,"scope":"api"}"#,
            ]
            .concat()
        };
        let tokens =
            [token(r#""https://a.example""#, r#""expiresAt":1700000100,"#), token(r#""https://b.example""#, "")];
        let session = SESSION.replace(r#""tokens":[]"#, &[r#""tokens":["#, &tokens.join(","), "]"].concat());
        let a = account(Some(&session)).unwrap();
        // The client's audience by default; another audience's token has no expiry; none for a third.
        assert_eq!(a.expiry("{}").unwrap(), Some(1_700_000_100));
        assert_eq!(a.expiry(r#"{"audience":["https://b.example"]}"#).unwrap(), None);
        assert_eq!(a.expiry(r#"{"audience":["https://c.example"]}"#).unwrap(), None);
        assert_eq!(a.expiry(r#"{"audience":"x y"}"#).unwrap_err().code(), "invalid_audience");
        assert_eq!(account(None).unwrap().expiry("{}").unwrap(), None, "signed out");
    }

    #[test]
    fn refresh_grant_rotation_and_refusal() {
        let a = account(Some(SESSION)).unwrap();
        let request = a.refresh(r#"{"audience":["https://c.example"],"scope":"api"}"#).unwrap().request;
        assert_eq!((request.method, request.url.as_str()), ("POST", "https://as.example/token"));
        assert_eq!(
            request.body.as_deref(),
            Some("grant_type=refresh_token&refresh_token=rt1&client_id=spa&scope=api&audience=https%3A%2F%2Fc.example")
        );
        // The client's audience by default; the scope is left out unless asked for (RFC 6749 §6).
        let body = a.refresh("{}").unwrap().request.body.unwrap();
        assert_eq!(body, "grant_type=refresh_token&refresh_token=rt1&client_id=spa&audience=https%3A%2F%2Fa.example");
        assert_eq!(a.refresh(r#"{"audiance":[]}"#).unwrap_err().code(), "invalid_config");

        let answer = |status: u32, body: &str| HttpResponse::new(status, "application/json", body);
        let ok = answer(200, r#"{"access_token":"at2","token_type":"Bearer","expires_in":60,"refresh_token":"rt2"}"#);
        let out = Value::parse(&a.refreshed("{}", &ok, 1_700_000_000).unwrap()).unwrap();
        assert_eq!(out.get("tokens").unwrap().get("accessToken").unwrap().as_str(), Some("at2"));
        assert!(out.get("verify").is_none() && out.get("kept").is_none());
        let rotated = out.get("session").unwrap().as_str().unwrap().to_owned();
        assert!(rotated.contains(r#""refreshToken":"rt2""#) && !rotated.contains("rt1"), "{rotated}");
        let cached = account(Some(&rotated)).unwrap().session.unwrap();
        let wanted = super::super::audience::AudienceList::new(["https://a.example"]).unwrap();
        let scope = super::super::config::Scope::new("openid api offline_access").unwrap();
        assert!(cached.select(&wanted, &scope, 1_700_000_000, 30).is_some(), "the new token is cached under its key");

        // invalid_grant: the error beside the session; a rotated token in a refused answer is kept.
        let refused = Value::parse(
            &account(Some(SESSION)).unwrap().refreshed("{}", &answer(400, r#"{"error":"invalid_grant"}"#), 0).unwrap(),
        )
        .unwrap();
        assert!(refused.get("error").unwrap().as_str().unwrap().starts_with(r#"oauth-wasm:{"code":"invalid_grant""#));
        let bad = answer(200, r#"{"access_token":"at3","token_type":"DPoP","refresh_token":"rt3"}"#);
        let salvaged = Value::parse(&account(Some(SESSION)).unwrap().refreshed("{}", &bad, 0).unwrap()).unwrap();
        assert!(salvaged.get("error").unwrap().as_str().unwrap().contains("invalid_response"));
        assert!(salvaged.get("session").unwrap().as_str().unwrap().contains(r#""refreshToken":"rt3""#));

        // Ory Hydra's refresh ignores `audience`: a token without the asked-for audience is
        // audience_not_granted saying so, and the rotated refresh token is kept.
        let jwt =
            |claims: &str| ["e30.", &crate::core::codec::encoding::base64url_encode(claims.as_bytes()), ".c2ln"].cat();
        let body = [
            r#"{"access_token":""#,
            &jwt(r#"{"aud":["https://a.example"]}"#),
            r#"","token_type":"Bearer","refresh_token":"rt4"}"#,
        ]
        .cat();
        let options = r#"{"audience":["https://c.example"]}"#;
        let out =
            Value::parse(&account(Some(SESSION)).unwrap().refreshed(options, &answer(200, &body), 0).unwrap()).unwrap();
        let error = out.get("error").unwrap().as_str().unwrap();
        assert!(error.contains(r#""code":"audience_not_granted""#), "{error}");
        assert!(error.contains("grant audiences only at sign-in") && error.contains("signinRedirect"), "{error}");
        assert!(out.get("session").unwrap().as_str().unwrap().contains(r#""refreshToken":"rt4""#));
    }

    #[test]
    fn a_refreshed_id_token_to_check_comes_with_the_session_to_keep_meanwhile() {
        let options = OPTIONS.replace(r#","dangerouslySkipIdTokenSignature":true"#, "");
        let a = Account::new(&options, Some(("application/json", DISCOVERY)), Some(SESSION)).unwrap();
        let now = 1_700_000_000;
        let claims = r#"{"iss":"https://as.example","aud":"spa","sub":"alice","exp":1700000100,"iat":1700000000}"#;
        let id_token =
            ["eyJhbGciOiJSUzI1NiJ9.", &crate::core::codec::encoding::base64url_encode(claims.as_bytes()), ".c2ln"]
                .cat();
        let body =
            [r#"{"access_token":"at5","token_type":"Bearer","refresh_token":"rt5","id_token":""#, &id_token, r#""}"#]
                .cat();
        let out =
            Value::parse(&a.refreshed("{}", &HttpResponse::new(200, "application/json", &body), now).unwrap()).unwrap();
        assert_eq!(out.get("verify").unwrap().as_str(), Some(id_token.as_str()));
        let kept = out.get("kept").unwrap().as_str().unwrap();
        // The old session, its refresh token rotated, nothing of the unchecked answer else.
        assert_eq!(kept, SESSION.replace("rt1", "rt5"));
        let session = out.get("session").unwrap().as_str().unwrap();
        assert!(session.contains(r#""refreshToken":"rt5""#) && session.contains(&id_token) && session.contains("at5"));
    }
}
