//! The signed-in session: the refresh token, the ID token and an access-token cache keyed
//! by (audience set, scope). The facade keeps it (memory, sessionStorage or IndexedDB) as
//! the versioned JSON of [`Session::to_json`]; every operation here is pure.

use super::audience::AudienceList;
use super::codec::encoding::FormBuilder;
use super::codec::json::{push_array, ObjectWriter, Value};
use super::config::{ClientConfig, Endpoints, Scope};
use super::http::{HttpRequest, HttpResponse, FORM_HEADERS};
use super::resource::ResourceList;
use super::token::{Expectations, TokenExchange, TokenSet};

use super::{Check, Error};
use crate::prelude::*;

/// Storage format version of [`Session::to_json`].
const VERSION: u64 = 1;
/// Cache entries kept at most (expired ones go first).
const MAX_TOKENS: usize = 16;

/// One cached access token and what it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The requested audiences, without repeats, compared as a set: half of the cache key.
    key_audience: Vec<String>,
    /// The requested scope: the other half.
    key_scope: Scope,
    access_token: String,
    expires_at: Option<u64>,
    /// The JWT's `aud` (or the request, for an opaque token).
    audience: Vec<String>,
    audience_verified: bool,
    /// The granted scope.
    scope: String,
    /// `Bearer` or `DPoP`.
    token_type: &'static str,
}

/// What a session holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    issuer: String,
    client_id: String,
    refresh_token: Option<String>,
    id_token: Option<String>,
    claims_json: Option<String>,
    sub: Option<String>,
    tokens: Vec<CachedToken>,
}

fn key(audience: &AudienceList) -> Vec<String> {
    audience.iter().map(str::to_owned).collect()
}

/// The same audience set, in any order (both lists are without repeats). No sort: its code
/// would cost more wasm than this.
fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

fn invalid() -> Error {
    Error::check(Check::Session, "the stored session is unreadable, of another version or of another client")
}

impl CachedToken {
    fn from_tokens(t: &TokenSet) -> Self {
        CachedToken {
            key_audience: key(&t.requested_audience),
            key_scope: t.requested_scope.clone(),
            access_token: t.access_token.clone(),
            expires_at: t.expires_at,
            audience: t.audience.clone(),
            audience_verified: t.audience_verified,
            scope: t.scope.clone(),
            token_type: t.token_type,
        }
    }

    /// Still usable `skew` seconds from `now` (a token without known expiry is).
    fn fresh(&self, now: u64, skew: u64) -> bool {
        self.expires_at.is_none_or(|at| at > now.saturating_add(skew))
    }

    /// Serves a request for `audience` and `scope`: its key is the same, or its granted
    /// audience and scope cover the request. A request without audience is served only by a
    /// token asked for without audience: a token minted for an API is not handed out where
    /// none was named (least privilege, RFC 9700 §2.3).
    fn serves(&self, audience: &AudienceList, scope: &Scope) -> bool {
        // The same audience set, in any order (both lists are without repeats). No sort: its
        // code would cost more wasm than this.
        let keyed = |a: &str| self.key_audience.iter().any(|k| k == a);
        if audience.iter().count() == self.key_audience.len()
            && audience.iter().all(keyed)
            && self.key_scope.as_str() == scope.as_str()
        {
            return true;
        }
        let audience_ok = if audience.is_empty() {
            self.key_audience.is_empty()
        } else {
            audience.iter().all(|a| self.audience.iter().any(|g| g == a))
        };
        let has = |t: &str| self.key_scope.as_str().split(' ').chain(self.scope.split(' ')).any(|h| h == t);
        audience_ok && scope.as_str().split(' ').filter(|t| !t.is_empty()).all(has)
    }

    /// The JSON JavaScript receives from `getAccessToken`.
    pub fn to_json(&self) -> String {
        self.to_json_reporting(&[])
    }

    /// [`to_json`](Self::to_json), plus `audienceMissing` (for the `'warn'` policy) when
    /// `missing` is not empty.
    fn to_json_reporting(&self, missing: &[String]) -> String {
        let mut w = ObjectWriter::default();
        w.str("accessToken", &self.access_token).str("tokenType", self.token_type);
        if let Some(at) = self.expires_at {
            w.num("expiresAt", at);
        }
        w.str("scope", &self.scope)
            .str_array("audience", self.audience.iter().map(String::as_str))
            .bool("audienceVerified", self.audience_verified);
        if !missing.is_empty() {
            w.str_array("audienceMissing", missing.iter().map(String::as_str));
        }
        w.finish()
    }

    fn write(&self, out: &mut String) {
        let mut w = ObjectWriter::default();
        w.str_array("key", self.key_audience.iter().map(String::as_str))
            .str("keyScope", self.key_scope.as_str())
            .str("accessToken", &self.access_token);
        if let Some(at) = self.expires_at {
            w.num("expiresAt", at);
        }
        w.str_array("audience", self.audience.iter().map(String::as_str))
            .bool("verified", self.audience_verified)
            .str("scope", &self.scope);
        if self.token_type == "DPoP" {
            w.bool("dpop", true);
        }
        out.push_str(&w.finish());
    }

    fn read(v: &Value) -> Option<Self> {
        let strings = |name: &str| -> Option<Vec<String>> {
            let mut out = Vec::new();
            for s in v.get(name)?.as_array()? {
                out.push(s.as_str()?.to_owned());
            }
            Some(out)
        };
        let text = |name: &str| v.get(name)?.as_str().map(str::to_owned);
        Some(CachedToken {
            key_audience: strings("key")?,
            key_scope: Scope::new(&text("keyScope")?).ok()?,
            access_token: text("accessToken")?,
            expires_at: match v.get("expiresAt") {
                None => None,
                Some(at) => Some(at.as_u64()?),
            },
            audience: strings("audience")?,
            audience_verified: v.get("verified")?.as_bool()?,
            scope: text("scope")?,
            token_type: if v.get("dpop").is_some() { "DPoP" } else { "Bearer" },
        })
    }
}

/// `{"tokens":…,"session":"…","verify":"…","kept":"…"}`: what a finished grant gives
/// JavaScript; `verify` is the ID token whose signature must check out ([`super::jose::jwks`]) before
/// either is used, when the exchange asks for that; `kept`, the session to store meanwhile.
pub fn outcome(
    tokens_json: &str,
    session: Option<&Session>,
    tokens: &TokenSet,
    verify: bool,
    kept: Option<&str>,
) -> String {
    let mut w = ObjectWriter::default();
    w.raw("tokens", tokens_json)
        .opt_str("session", session.map(Session::to_json).as_deref())
        .opt_str("verify", tokens.id_token.as_deref().filter(|_| verify))
        .opt_str("kept", kept);
    w.finish()
}

/// The access-token JSON of a refresh answer (with `audienceMissing` under `'warn'`).
pub fn token_json(tokens: &TokenSet) -> String {
    CachedToken::from_tokens(tokens).to_json_reporting(&tokens.missing_audience)
}

impl Session {
    /// The session a completed sign-in starts.
    pub fn start(issuer: &str, client_id: &str, tokens: &TokenSet) -> Self {
        Session {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            refresh_token: tokens.refresh_token.clone(),
            id_token: tokens.id_token.clone(),
            claims_json: tokens.claims_json.clone(),
            sub: tokens.sub.clone(),
            tokens: vec![CachedToken::from_tokens(tokens)],
        }
    }

    /// A cached token for `audience` and `scope` that does not expire within `skew` seconds.
    pub fn select(&self, audience: &AudienceList, scope: &Scope, now: u64, skew: u64) -> Option<&CachedToken> {
        self.tokens.iter().rev().find(|t| t.fresh(now, skew) && t.serves(audience, scope))
    }

    /// The refresh-token grant (RFC 6749 §6) for `audience` and `scope`: Hydra's `audience`
    /// (one space-joined value) and RFC 8707 `resource`s (§2.2) ask for a token for those
    /// APIs where the provider honours them; `login_required` without a refresh token. The
    /// `scope` parameter is sent only when `send_scope` (the caller asked for one): omitted,
    /// it means the scope originally granted (§6), which providers accept however they
    /// split resource scopes from the refresh token's.
    pub fn refresh_request(
        &self,
        config: &ClientConfig,
        endpoints: &Endpoints,
        audience: AudienceList,
        scope: Scope,
        send_scope: bool,
        resource: &ResourceList,
    ) -> Result<TokenExchange, Error> {
        let refresh_token = self
            .refresh_token
            .as_deref()
            .ok_or_else(|| Error::check(Check::Login, "there is no refresh token: sign in again"))?;
        let mut body = FormBuilder::default();
        body.pair("grant_type", "refresh_token")
            .pair("refresh_token", refresh_token)
            .pair("client_id", &self.client_id);
        if send_scope && !scope.as_str().is_empty() {
            body.pair("scope", scope.as_str());
        }
        if !audience.is_empty() {
            body.pair_encoded("audience", &audience.encode(config.audience_encoding));
        }
        for r in resource.iter() {
            body.pair("resource", r);
        }
        let request = HttpRequest {
            method: "POST",
            url: endpoints.token.as_str().to_owned(),
            headers: FORM_HEADERS.iter().map(|&(n, v)| (n, v.into())).collect(),
            body: Some(body.finish()),
        };
        let expect = Expectations {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            nonce: None,
            audience,
            scope,
            clock_skew: config.clock_skew,
            app_state: None,
            on_mismatch: config.on_audience_mismatch,
            id_token_required: false,
            sub: self.sub.clone(),
            verify_signature: !config.skip_signature,
            dpop: config.dpop,
        };
        Ok(TokenExchange { request, expect })
    }

    /// Takes a refresh answer in: a rotated refresh token replaces the old one (RFC 6749 §6:
    /// the client MUST discard it), a new ID token replaces the old one, and the access token
    /// goes into the cache under its key (expired entries are dropped).
    pub fn store(&mut self, tokens: &TokenSet, now: u64) {
        if let Some(rt) = &tokens.refresh_token {
            self.refresh_token = Some(rt.clone());
        }
        if tokens.id_token.is_some() {
            self.id_token.clone_from(&tokens.id_token);
            self.claims_json.clone_from(&tokens.claims_json);
        }
        let entry = CachedToken::from_tokens(tokens);
        self.tokens.retain(|t| {
            t.fresh(now, 0) && !(same_set(&t.key_audience, &entry.key_audience) && t.key_scope == entry.key_scope)
        });
        if self.tokens.len() >= MAX_TOKENS {
            self.tokens.remove(0);
        }
        self.tokens.push(entry);
    }

    /// What sign-out and UserInfo need: `(refresh token, ID token, sub)`.
    pub fn account_parts(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        (self.refresh_token.as_deref(), self.id_token.as_deref(), self.sub.as_deref())
    }

    /// Keeps a rotated refresh token from an answer whose other checks failed: the provider
    /// has spent the old one, so losing the new one would end the session.
    pub fn salvage(&mut self, resp: &HttpResponse) {
        if resp.is_success() {
            if let Some(rt) = resp.json_object().and_then(|j| j.get("refresh_token")?.as_str().map(str::to_owned)) {
                self.refresh_token = Some(rt);
            }
        }
    }

    /// The signed-in user's ID token claims (JSON), if an ID token was issued.
    pub fn claims_json(&self) -> Option<&str> {
        self.claims_json.as_deref()
    }

    /// The `expiresAt` of the token [`select`](Self::select) would pick, ignoring the skew:
    /// what automatic renewal schedules against.
    pub fn expiry(&self, audience: &AudienceList, scope: &Scope) -> Option<u64> {
        self.tokens.iter().rev().find(|t| t.serves(audience, scope)).and_then(|t| t.expires_at)
    }

    /// Versioned JSON for storage. It holds the refresh token: see the README on `storage`.
    pub fn to_json(&self) -> String {
        let mut w = ObjectWriter::default();
        w.num("v", VERSION)
            .str("issuer", &self.issuer)
            .str("clientId", &self.client_id)
            .opt_str("refreshToken", self.refresh_token.as_deref())
            .opt_str("idToken", self.id_token.as_deref())
            .opt_str("sub", self.sub.as_deref());
        w.opt_raw("claims", self.claims_json.as_deref());
        let mut tokens = String::new();
        push_array(&mut tokens, &self.tokens, |out, t| t.write(out));
        w.raw("tokens", &tokens);
        w.finish()
    }

    /// Reads stored JSON; anything unreadable, of another version, or of another issuer or
    /// client is `invalid_session` (the facade discards it and emits `error`).
    pub fn from_json(text: &str, config: &ClientConfig) -> Result<Self, Error> {
        let v = Value::parse(text).ok_or_else(invalid)?;
        let text = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
        if v.get("v").and_then(Value::as_u64) != Some(VERSION)
            || text("issuer").as_deref() != Some(config.issuer.as_str())
            || text("clientId").as_deref() != Some(config.client_id.as_str())
        {
            return Err(invalid());
        }
        let mut tokens = Vec::new();
        for t in v.get("tokens").and_then(Value::as_array).ok_or_else(invalid)? {
            tokens.push(CachedToken::read(t).ok_or_else(invalid)?);
        }
        Ok(Session {
            issuer: config.issuer.as_str().to_owned(),
            client_id: config.client_id.clone(),
            refresh_token: text("refreshToken"),
            id_token: text("idToken"),
            claims_json: v.get("claims").map(Value::to_json),
            sub: text("sub"),
            tokens,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authorize::tests::config;
    use crate::core::token::tests::jwt;

    const NOW: u64 = 1_700_000_000;

    fn set(requested: &[&str], scope: &str, granted: &[&str], expires_at: u64, rt: Option<&str>) -> TokenSet {
        TokenSet {
            access_token: ["at:", &granted.join(",")].cat(),
            token_type: "Bearer",
            expires_at: Some(expires_at),
            refresh_token: rt.map(str::to_owned),
            id_token: None,
            scope: "api".into(),
            audience: granted.iter().map(|s| (*s).to_owned()).collect(),
            audience_verified: true,
            missing_audience: Vec::new(),
            claims_json: None,
            app_state_json: None,
            sub: Some("alice".into()),
            requested_audience: AudienceList::new(requested.iter().copied()).unwrap(),
            requested_scope: Scope::new(scope).unwrap(),
        }
    }

    fn aud(values: &[&str]) -> AudienceList {
        AudienceList::new(values.iter().copied()).unwrap()
    }

    fn scope(s: &str) -> Scope {
        Scope::new(s).unwrap()
    }

    fn picked<'a>(s: &'a Session, a: &[&str], sc: &str, now: u64) -> Option<&'a str> {
        s.select(&aud(a), &scope(sc), now, 30).map(|t| t.access_token.as_str())
    }

    #[test]
    fn selection_by_audience_set_scope_and_expiry_with_skew() {
        let mut s = Session::start(
            "https://as.example",
            "spa",
            &set(&["u", "b"], "openid api", &["u", "b"], NOW + 600, Some("r1")),
        );
        // Audience order does not matter; a covered subset is served; the scope may be the
        // requested one or the granted one.
        assert_eq!(picked(&s, &["b", "u"], "openid api", NOW), Some("at:u,b"));
        assert_eq!(picked(&s, &["u"], "api", NOW), Some("at:u,b"));
        assert_eq!(picked(&s, &["x"], "api", NOW), None, "not covered");
        assert_eq!(picked(&s, &["u"], "api admin", NOW), None, "scope not covered");
        assert_eq!(picked(&s, &[], "openid api", NOW), None, "an API token is not handed out without audience");
        // Skew: a token expiring within 30 s is not handed out.
        assert_eq!(picked(&s, &["u"], "api", NOW + 569), Some("at:u,b"));
        assert_eq!(picked(&s, &["u"], "api", NOW + 570), None);
        // A second entry (refresh for another audience) is kept beside the first.
        s.store(&set(&["x"], "api", &["x"], NOW + 300, None), NOW);
        assert_eq!(picked(&s, &["x"], "api", NOW), Some("at:x"));
        assert_eq!(picked(&s, &["u"], "api", NOW), Some("at:u,b"));
        assert_eq!(s.refresh_token.as_deref(), Some("r1"), "no new refresh token: the old one stays");
        // Same key again: replaced, not duplicated; expired entries are dropped on store.
        s.store(&set(&["x"], "api", &["x"], NOW + 900, Some("r2")), NOW + 700);
        assert_eq!(s.tokens.len(), 1);
        assert_eq!(picked(&s, &["x"], "api", NOW + 800), Some("at:x"));
        assert_eq!(s.refresh_token.as_deref(), Some("r2"), "rotation: the new refresh token replaces the old");
        // A token asked for without audience serves requests without audience.
        s.store(&set(&[], "openid", &[], NOW + 900, None), NOW);
        assert_eq!(picked(&s, &[], "openid", NOW), Some("at:"));
    }

    #[test]
    fn narrowed_tokens_still_serve_their_own_key() {
        let mut t = set(&["u", "b"], "api", &["u"], NOW + 600, Some("r"));
        t.audience_verified = false;
        let s = Session::start("https://as.example", "spa", &t);
        assert_eq!(picked(&s, &["u", "b"], "api", NOW), Some("at:u"), "accepted under warn/ignore: same key");
        assert_eq!(picked(&s, &["b"], "api", NOW), None, "but it does not cover b alone");
    }

    #[test]
    fn cache_is_bounded() {
        let mut s = Session::start("https://as.example", "spa", &set(&["a0"], "api", &["a0"], NOW + 600, Some("r")));
        for i in 1..40u8 {
            let a = [char::from(b'a' + (i % 26)).to_string(), i.to_string()].cat();
            s.store(&set(&[&a], "api", &[&a], NOW + 600, None), NOW);
        }
        assert_eq!(s.tokens.len(), MAX_TOKENS);
    }

    #[test]
    fn refresh_request_and_rotation() {
        let c = config(r#","audienceEncoding":"plus""#);
        let endpoints = c.endpoints.clone().unwrap();
        let s =
            Session::start("https://as.example", "spa", &set(&["u"], "openid api", &["u"], NOW + 600, Some("rt-1")));
        let resource = ResourceList::default();
        let ex =
            s.refresh_request(&c, &endpoints, aud(&["https://api/b", "x"]), scope("api"), true, &resource).unwrap();
        assert_eq!(ex.request.url, "https://as.example/token");
        assert_eq!(
            ex.request.body.as_deref(),
            Some(
                "grant_type=refresh_token&refresh_token=rt-1&client_id=spa&scope=api&audience=https%3A%2F%2Fapi%2Fb+x"
            )
        );
        // The answer: a rotated refresh token and a JWT for the new audience.
        let at = jwt(r#"{"alg":"RS256"}"#, r#"{"aud":["https://api/b","x"]}"#);
        let resp = HttpResponse {
            status: 200,
            content_type: "application/json".into(),
            body: [r#"{"access_token":""#, &at, r#"","token_type":"Bearer","expires_in":60,"refresh_token":"rt-2"}"#]
                .cat(),
        };
        let tokens = ex.finish(&resp, NOW).unwrap();
        let mut s2 = s.clone();
        s2.store(&tokens, NOW);
        assert_eq!(s2.refresh_token.as_deref(), Some("rt-2"));
        assert_eq!(s2.select(&aud(&["x", "https://api/b"]), &scope("api"), NOW, 30).unwrap().access_token, at);
        // An answer that fails a check still hands over its rotated refresh token.
        let mut s3 = s.clone();
        let bad = HttpResponse {
            status: 200,
            content_type: "application/json".into(),
            body: r#"{"access_token":"x","token_type":"DPoP","refresh_token":"rt-3"}"#.into(),
        };
        let ex = s3.refresh_request(&c, &endpoints, aud(&[]), scope("api"), false, &resource).unwrap();
        assert_eq!(ex.finish(&bad, NOW).unwrap_err().code(), "invalid_response");
        s3.salvage(&bad);
        assert_eq!(s3.refresh_token.as_deref(), Some("rt-3"));
        s3.salvage(&HttpResponse { status: 400, ..bad });
        assert_eq!(s3.refresh_token.as_deref(), Some("rt-3"), "an error answer has no refresh token to keep");
        // Without a refresh token: login_required.
        let none = Session::start("https://as.example", "spa", &set(&["u"], "api", &["u"], NOW + 600, None));
        let e = none.refresh_request(&c, &endpoints, aud(&[]), scope("api"), false, &resource).unwrap_err();
        assert_eq!(e.code(), "login_required");
    }

    #[test]
    fn refreshed_id_token_must_name_the_same_user() {
        let c = config(r#","scope":"openid""#);
        let endpoints = c.endpoints.clone().unwrap();
        let s = Session::start("https://as.example", "spa", &set(&[], "openid", &[], NOW + 600, Some("rt")));
        let id = |sub: &str| {
            jwt(
                r#"{"alg":"RS256"}"#,
                &[r#"{"iss":"https://as.example","aud":"spa","exp":1700000600,"iat":1700000000,"sub":""#, sub, "\"}"]
                    .cat(),
            )
        };
        for (sub, ok) in [("alice", true), ("mallory", false)] {
            let ex =
                s.refresh_request(&c, &endpoints, aud(&[]), scope("openid"), false, &ResourceList::default()).unwrap();
            let body = [r#"{"access_token":"a","token_type":"Bearer","id_token":""#, &id(sub), "\"}"].cat();
            let r = ex.finish(&HttpResponse { status: 200, content_type: "application/json".into(), body }, NOW);
            assert_eq!(r.is_ok(), ok, "{sub}");
        }
        // A refresh answer without an ID token is fine (OIDC Core §12.2).
        let ex = s.refresh_request(&c, &endpoints, aud(&[]), scope("openid"), false, &ResourceList::default()).unwrap();
        let body = r#"{"access_token":"a","token_type":"Bearer"}"#.to_owned();
        assert!(ex.finish(&HttpResponse { status: 200, content_type: "application/json".into(), body }, NOW).is_ok());
    }

    #[test]
    fn storage_round_trip_and_versioning() {
        let c = config("");
        let mut t = set(&["u"], "openid api", &["u"], NOW + 600, Some("rt"));
        t.id_token = Some("id.jwt".into());
        t.claims_json = Some(r#"{"sub":"alice"}"#.into());
        let mut s = Session::start("https://as.example", "spa", &t);
        s.store(&set(&["b"], "api", &["b"], NOW + 60, None), NOW);
        let text = s.to_json();
        assert!(
            text.starts_with(r#"{"v":1,"issuer":"https://as.example","clientId":"spa","refreshToken":"rt""#),
            "{text}"
        );
        let back = Session::from_json(&text, &c).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.claims_json(), Some(r#"{"sub":"alice"}"#));
        let other = config("").clone();
        let foreign = text.replace(r#""clientId":"spa""#, r#""clientId":"other""#);
        for bad in [
            "",
            "{}",
            "[]",
            "null",
            &text.replace("\"v\":1", "\"v\":2"),
            &foreign,
            &text.replace("\"tokens\":[", "\"tokens\":[1,"),
        ] {
            assert_eq!(Session::from_json(bad, &other).unwrap_err().code(), "invalid_session", "{bad}");
        }
    }
}
