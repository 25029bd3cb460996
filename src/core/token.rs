//! The token response (RFC 6749 §5.1 / §5.2) and the token set handed to the app.

use super::audience::AudienceList;
use super::codec::json::{ObjectWriter, Value};
use super::config::{MismatchPolicy, Scope};
use super::http::{HttpRequest, HttpResponse};
use super::jose::id_token::{self, IdTokenChecks};
use super::{Check, Error, Step};
use crate::prelude::*;

/// What the token response must be checked against.
#[derive(Debug)]
pub struct Expectations {
    pub(crate) issuer: String,
    pub(crate) client_id: String,
    pub(crate) nonce: Option<String>,
    pub(crate) audience: AudienceList,
    pub(crate) scope: Scope,
    pub(crate) clock_skew: u64,
    pub(crate) app_state: Option<String>,
    pub(crate) on_mismatch: MismatchPolicy,
    /// Code exchange with `openid`: an ID token must come (a refresh MAY omit it, OIDC Core §12.2).
    pub(crate) id_token_required: bool,
    /// On refresh: the signed-in user, whom a new ID token must name again (OIDC Core §12.2).
    pub(crate) sub: Option<String>,
    /// An ID token's signature must be checked ([`super::jose::jwks`]) before the tokens are used.
    pub verify_signature: bool,
    /// DPoP-bound tokens were asked for (RFC 9449 §5): `token_type` must be `DPoP`.
    pub dpop: bool,
}

/// A token request to send, and how to judge its answer.
#[derive(Debug)]
pub struct TokenExchange {
    /// `POST {token_endpoint}` with the form body.
    pub request: HttpRequest,
    pub(crate) expect: Expectations,
}

/// The tokens handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// `access_token`.
    pub access_token: String,
    /// `Bearer`, or `DPoP` for a client with `dpop` (compared case-insensitively, RFC 6749
    /// §7.1; RFC 9449 §5: no silent downgrade to Bearer).
    pub token_type: &'static str,
    /// Expiry in epoch seconds: now + `expires_in`, else the JWT access token's `exp`.
    pub expires_at: Option<u64>,
    /// `refresh_token`.
    pub refresh_token: Option<String>,
    /// `id_token`, validated.
    pub id_token: Option<String>,
    /// Granted scope (the requested one when the response omits it, §5.1).
    pub scope: String,
    /// The `aud` of a JWT access token (read, not verified), else the requested list.
    pub audience: Vec<String>,
    /// True when the access token is a JWT whose `aud` includes every requested audience.
    /// Reading `aud` proves nothing about who may use the token: the resource server must
    /// still verify it.
    pub audience_verified: bool,
    /// Requested audiences missing from the JWT's `aud`, reported under the `'warn'` policy
    /// only (empty otherwise).
    pub missing_audience: Vec<String>,
    /// The ID token's claims as JSON text.
    pub claims_json: Option<String>,
    /// The `appState` given to the sign-in request, as JSON text.
    pub app_state_json: Option<String>,
    /// The validated ID token's `sub`.
    pub sub: Option<String>,
    /// What was asked for (the session's cache key): audiences and scope.
    pub requested_audience: AudienceList,
    /// See `requested_audience`.
    pub requested_scope: Scope,
}

/// The successful parts of a token response, before any check, borrowed from its JSON (so
/// that the checks' early returns have nothing to drop: smaller wasm).
struct Fields<'a> {
    access_token: &'a str,
    expires_in: Option<u64>,
    refresh_token: Option<&'a str>,
    id_token: Option<&'a str>,
    scope: Option<&'a str>,
}

/// Reads a token response (RFC 6749 §5.1) whose body parsed as `json`, or its §5.2 error.
fn read<'a>(resp: &HttpResponse, json: Option<&'a Value>, token_type: &str) -> Result<Fields<'a>, Error> {
    let bad = |why: &'static str| resp.unexpected(Step::Token, why);
    if !resp.is_success() {
        return Err(resp.error(json, Step::Token));
    }
    let json = json.ok_or_else(|| bad("the body is not a JSON object"))?;
    let opt_str = |name: &str, why: &'static str| match json.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(bad(why)),
    };
    let access_token = opt_str("access_token", "access_token is not a string")?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("access_token is missing"))?;
    let got_type = opt_str("token_type", "token_type is not a string")?.ok_or_else(|| bad("token_type is missing"))?;
    if !got_type.eq_ignore_ascii_case(token_type) {
        return Err(resp.unexpected(Step::Token, &["token_type is not ", token_type].cat()));
    }
    let expires_in = match json.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| bad("expires_in is not a non-negative number"))?),
    };
    Ok(Fields {
        access_token,
        expires_in,
        refresh_token: opt_str("refresh_token", "refresh_token is not a string")?,
        id_token: opt_str("id_token", "id_token is not a string")?,
        scope: opt_str("scope", "scope is not a string")?,
    })
}

impl TokenExchange {
    /// Judges the token endpoint's answer: a provider error, a malformed answer, a failed
    /// ID token check, or the token set.
    pub fn finish(self, resp: &HttpResponse, now: u64) -> Result<TokenSet, Error> {
        let json = resp.json_object();
        let token_type = if self.expect.dpop { "DPoP" } else { "Bearer" };
        let fields = read(resp, json.as_ref(), token_type)?;
        let expect = self.expect;
        let access_claims = id_token::decode(fields.access_token).map(|jwt| jwt.claims);
        let claims_json = match fields.id_token {
            Some(jwt) => Some(id_token::validate(
                jwt,
                &IdTokenChecks {
                    issuer: &expect.issuer,
                    client_id: &expect.client_id,
                    nonce: expect.nonce.as_deref(),
                    now,
                    skew: expect.clock_skew,
                    access_token: fields.access_token,
                    sub: expect.sub.as_deref(),
                },
            )?),
            None if expect.id_token_required => {
                return Err(resp.unexpected(Step::Token, "id_token is missing although openid was requested"))
            }
            None => None,
        };
        let sub = claims_json.as_deref().and_then(Value::parse).and_then(|c| c.get("sub")?.as_str().map(str::to_owned));
        let (audience, missing_audience) = match access_claims.as_ref().and_then(id_token::audience) {
            Some(granted) => {
                let missing: Vec<String> =
                    expect.audience.iter().filter(|r| !granted.iter().any(|g| g == r)).map(str::to_owned).collect();
                (Some(granted), missing)
            }
            None => (None, Vec::new()),
        };
        if !missing_audience.is_empty() && expect.on_mismatch == MismatchPolicy::Error {
            let mut detail = String::from("the access token's aud lacks the requested audience");
            for (i, m) in missing_audience.iter().enumerate() {
                detail.push_str(if i == 0 { " \"" } else { "\", \"" });
                detail.push_str(m);
            }
            detail.push('"');
            if audience.as_ref().is_some_and(Vec::is_empty) {
                // Ory Hydra's most reported audience pitfall: a consent app that grants none.
                detail.push_str(": it is empty (Ory Hydra: consent must grant_access_token_audience)");
            }
            return Err(Error::check(Check::AudienceGranted, detail));
        }
        let audience_verified = audience.is_some() && missing_audience.is_empty();
        // Only 'warn' reports what is missing (the facade warns and emits an event).
        let missing_audience = if expect.on_mismatch == MismatchPolicy::Warn { missing_audience } else { Vec::new() };
        let audience = audience.unwrap_or_else(|| expect.audience.iter().map(str::to_owned).collect());
        let expires_at = match fields.expires_in {
            Some(secs) => Some(now.saturating_add(secs)),
            None => access_claims.as_ref().and_then(|claims| claims.get("exp")?.as_u64()),
        };
        let scope = fields.scope.unwrap_or(expect.scope.as_str()).to_owned();
        Ok(TokenSet {
            access_token: fields.access_token.to_owned(),
            token_type,
            expires_at,
            refresh_token: fields.refresh_token.map(str::to_owned),
            id_token: fields.id_token.map(str::to_owned),
            scope,
            audience,
            audience_verified,
            missing_audience,
            claims_json,
            app_state_json: expect.app_state,
            sub,
            requested_audience: expect.audience,
            requested_scope: expect.scope,
        })
    }
}

impl TokenSet {
    /// The JSON object JavaScript receives (`accessToken`, `tokenType`, `expiresAt`, …). Never
    /// the refresh token: it stays in the session, which only the SDK reads.
    pub fn to_json(&self) -> String {
        let mut w = ObjectWriter::default();
        w.str("accessToken", &self.access_token).str("tokenType", self.token_type);
        if let Some(at) = self.expires_at {
            w.num("expiresAt", at);
        }
        w.opt_str("idToken", self.id_token.as_deref())
            .str("scope", &self.scope)
            .str_array("audience", self.audience.iter().map(String::as_str))
            .bool("audienceVerified", self.audience_verified);
        if !self.missing_audience.is_empty() {
            w.str_array("audienceMissing", self.missing_audience.iter().map(String::as_str));
        }
        w.opt_raw("claims", self.claims_json.as_deref());
        w.opt_raw("appState", self.app_state_json.as_deref());
        w.finish()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::authorize::tests::{config, signin, FakePlatform};
    use crate::core::callback;
    use crate::core::codec::encoding::base64url_encode;
    use crate::core::discovery::ProviderMetadata;

    pub fn jwt(header: &str, payload: &str) -> String {
        [base64url_encode(header.as_bytes()), base64url_encode(payload.as_bytes()), "c2ln".into()].join(".")
    }

    /// Runs a whole login up to the code exchange and returns it with its nonce.
    fn exchange(client_extra: &str) -> (TokenExchange, String) {
        exchange_with(client_extra, "{}")
    }

    fn exchange_with(client_extra: &str, signin_options: &str) -> (TokenExchange, String) {
        let p = FakePlatform::new();
        let c = config(client_extra);
        let login = signin(&c, signin_options, &p).pending;
        let nonce = login.nonce.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default();
        let cb = callback::parse(&["https://app.example/cb?code=c&state=", login.state()].cat()).unwrap();
        let meta = ProviderMetadata::explicit(c.endpoints.clone().unwrap());
        (login.accept(&cb, &c, &meta, 1_700_000_000).unwrap(), nonce)
    }

    fn ok(body: &str) -> HttpResponse {
        HttpResponse { status: 200, content_type: "application/json".into(), body: body.into() }
    }

    const NOW: u64 = 1_700_000_000;

    fn id_token(nonce: &str) -> String {
        jwt(
            r#"{"alg":"RS256","kid":"k"}"#,
            &[
                r#"{"iss":"https://as.example","sub":"u1","aud":"spa","exp":1700000300,"iat":1700000000,"nonce":""#,
                nonce,
                "\"}",
            ]
            .cat(),
        )
    }

    #[test]
    fn full_token_set_with_jwt_access_token() {
        let (ex, nonce) = exchange(r#","scope":"openid offline_access","audience":["https://api/u","https://api/b"]"#);
        let at = jwt(r#"{"alg":"RS256"}"#, r#"{"aud":["https://api/u","https://api/b"],"exp":1700000600}"#);
        let body = [
            r#"{"access_token":""#,
            &at,
            r#"","token_type":"bearer","expires_in":3600,"refresh_token":"r1","id_token":""#,
            &id_token(&nonce),
            r#"","scope":"openid offline_access"}"#,
        ]
        .cat();
        let set = ex.finish(&ok(&body), NOW).unwrap();
        assert_eq!(set.token_type, "Bearer");
        assert_eq!(set.expires_at, Some(NOW + 3600));
        assert_eq!(set.refresh_token.as_deref(), Some("r1"));
        assert!(!set.to_json().contains("r1"), "the refresh token is never handed to JavaScript");
        assert_eq!(set.audience, ["https://api/u", "https://api/b"]);
        let js = Value::parse(&set.to_json()).unwrap();
        assert_eq!(js.get("claims").unwrap().get("sub").unwrap().as_str(), Some("u1"));
        assert_eq!(js.get("expiresAt").unwrap().as_u64(), Some(NOW + 3600));
        assert_eq!(js.get("audience").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(js.get("audienceVerified").unwrap().as_bool(), Some(true));
        assert!(js.get("audienceMissing").is_none());
    }

    /// A JWT access token granting only `https://api/u` of the two requested audiences.
    fn narrowed(policy: &str) -> Result<TokenSet, Error> {
        let extra =
            [r#","scope":"api","audience":["https://api/u","https://api/b"],"onAudienceMismatch":""#, policy, "\""];
        let (ex, _) = exchange(&extra.cat());
        let at = jwt(r#"{"alg":"RS256"}"#, r#"{"aud":"https://api/u"}"#);
        ex.finish(&ok(&[r#"{"access_token":""#, &at, r#"","token_type":"Bearer"}"#].cat()), NOW)
    }

    #[test]
    fn narrowed_audience_follows_the_policy() {
        let e = narrowed("error").unwrap_err();
        assert_eq!(e.code(), "audience_not_granted");
        assert_eq!(e.description(), Some(r#"the access token's aud lacks the requested audience "https://api/b""#));
        for policy in ["warn", "ignore"] {
            let set = narrowed(policy).unwrap();
            assert_eq!((set.audience.as_slice(), set.audience_verified), (&["https://api/u".to_owned()][..], false));
            let reported = policy == "warn";
            assert_eq!(set.missing_audience.is_empty(), !reported, "{policy}");
            assert_eq!(
                set.to_json().contains(r#""audienceVerified":false,"audienceMissing":["https://api/b"]"#),
                reported
            );
        }
        // An empty aud (a Hydra consent app that granted no audience) says where to look.
        let (ex, _) = exchange(r#","scope":"api","audience":["https://api/u","https://api/b"]"#);
        let at = jwt(r#"{"alg":"RS256"}"#, r#"{"aud":[]}"#);
        let e = ex.finish(&ok(&[r#"{"access_token":""#, &at, r#"","token_type":"Bearer"}"#].cat()), NOW).unwrap_err();
        assert_eq!(e.code(), "audience_not_granted");
        assert_eq!(
            e.description(),
            Some(
                "the access token's aud lacks the requested audience \"https://api/u\", \"https://api/b\": it is empty \
                 (Ory Hydra: consent must grant_access_token_audience)"
            )
        );
        // Extra granted values are not a mismatch; the default policy is 'error'.
        let (ex, _) = exchange(r#","scope":"api","audience":["x","y"]"#);
        let at = jwt(r#"{"alg":"RS256"}"#, r#"{"aud":["y","z"]}"#);
        let e = ex.finish(&ok(&[r#"{"access_token":""#, &at, r#"","token_type":"Bearer"}"#].cat()), NOW);
        assert_eq!(e.unwrap_err().description(), Some(r#"the access token's aud lacks the requested audience "x""#));
        let (ex, _) = exchange(r#","scope":"api","audience":["y"]"#);
        let set = ex.finish(&ok(&[r#"{"access_token":""#, &at, r#"","token_type":"Bearer"}"#].cat()), NOW).unwrap();
        assert_eq!((set.audience, set.audience_verified), (vec!["y".to_owned(), "z".to_owned()], true));
    }

    #[test]
    fn resources_go_on_the_token_request() {
        let (ex, _) = exchange_with(
            r#","scope":"api","resource":"https://client.default/""#,
            r#"{"resource":["https://api.example.com/a","urn:x:y"]}"#,
        );
        let body = ex.request.body.as_deref().unwrap();
        assert!(body.ends_with("&resource=https%3A%2F%2Fapi.example.com%2Fa&resource=urn%3Ax%3Ay"), "{body}");
        let (ex, _) = exchange(r#","scope":"api","resource":"https://client.default/""#);
        assert!(ex.request.body.as_deref().unwrap().ends_with("&resource=https%3A%2F%2Fclient.default%2F"));
        let (ex, _) = exchange(r#","scope":"api""#);
        assert!(!ex.request.body.as_deref().unwrap().contains("resource"));
    }

    #[test]
    fn opaque_access_token_reports_requested_audience_and_scope() {
        let (ex, _) = exchange(r#","scope":"api","audience":["https://api/u"]"#);
        let set = ex.finish(&ok(r#"{"access_token":"opaque","token_type":"Bearer"}"#), NOW).unwrap();
        assert_eq!(set.audience, ["https://api/u"]);
        assert_eq!(set.scope, "api");
        assert_eq!(set.expires_at, None);
        assert_eq!(set.claims_json, None);
        assert_eq!(
            set.to_json(),
            r#"{"accessToken":"opaque","tokenType":"Bearer","scope":"api","audience":["https://api/u"],"audienceVerified":false}"#
        );
    }

    #[test]
    fn app_state_comes_back_with_the_tokens() {
        let (ex, _) = exchange_with(r#","scope":"api""#, r#"{"appState":{"returnTo":"/orders/7","n":[1,2]}}"#);
        let set = ex.finish(&ok(r#"{"access_token":"a","token_type":"Bearer"}"#), NOW).unwrap();
        assert_eq!(
            set.to_json(),
            r#"{"accessToken":"a","tokenType":"Bearer","scope":"api","audience":[],"audienceVerified":false,"appState":{"returnTo":"/orders/7","n":[1,2]}}"#
        );
    }

    #[test]
    fn provider_errors() {
        let (ex, _) = exchange("");
        let resp = HttpResponse {
            status: 400,
            content_type: "application/json".into(),
            body: r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#.into(),
        };
        assert_eq!(
            ex.finish(&resp, NOW).unwrap_err(),
            Error::provider("invalid_grant".into(), Some("grant request is invalid".into()), None)
        );
    }

    #[test]
    fn malformed_answers_are_typed_errors() {
        let cases: &[(u16, &str, &str, &str)] = &[
            (502, "text/html", "<h1>Bad gateway</h1>", "token endpoint answered HTTP 502: not an RFC 6749 §5.2 error"),
            (
                400,
                "application/json",
                r#"{"message":"x"}"#,
                "token endpoint answered HTTP 400: not an RFC 6749 §5.2 error",
            ),
            (
                200,
                "text/plain",
                r#"{"access_token":"a","token_type":"Bearer"}"#,
                "token endpoint answered HTTP 200: the body is not a JSON object",
            ),
            (200, "application/json", "[]", "token endpoint answered HTTP 200: the body is not a JSON object"),
            (
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"Bearer""#,
                "token endpoint answered HTTP 200: the body is not a JSON object",
            ),
            (
                200,
                "application/json",
                r#"{"token_type":"Bearer"}"#,
                "token endpoint answered HTTP 200: access_token is missing",
            ),
            (
                200,
                "application/json",
                r#"{"access_token":7,"token_type":"Bearer"}"#,
                "token endpoint answered HTTP 200: access_token is not a string",
            ),
            (
                200,
                "application/json",
                r#"{"access_token":"a"}"#,
                "token endpoint answered HTTP 200: token_type is missing",
            ),
            (
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"DPoP"}"#,
                "token endpoint answered HTTP 200: token_type is not Bearer",
            ),
            (
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"Bearer","expires_in":"3600"}"#,
                "token endpoint answered HTTP 200: expires_in is not a non-negative number",
            ),
            (
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"Bearer","refresh_token":1}"#,
                "token endpoint answered HTTP 200: refresh_token is not a string",
            ),
            (
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"Bearer"}"#,
                "token endpoint answered HTTP 200: id_token is missing although openid was requested",
            ),
        ];
        for (status, ctype, body, why) in cases {
            let (ex, _) = exchange("");
            let resp = HttpResponse { status: *status, content_type: (*ctype).into(), body: (*body).into() };
            let e = ex.finish(&resp, NOW).unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), ("invalid_response", *why), "{body}");
        }
    }

    #[test]
    fn id_token_failure_returns_no_tokens() {
        let (ex, _) = exchange("");
        let body =
            [r#"{"access_token":"a","token_type":"Bearer","id_token":""#, &id_token("not-the-nonce"), "\"}"].cat();
        let e = ex.finish(&ok(&body), NOW).unwrap_err();
        assert_eq!((e.code(), e.description().unwrap()), ("invalid_id_token", "nonce does not match the login"));
    }
}

#[cfg(test)]
mod dpop_tests {
    use super::tests::*;
    use crate::core::authorize::tests::{config, signin, FakePlatform};
    use crate::core::callback;
    use crate::core::discovery::ProviderMetadata;
    use crate::core::http::HttpResponse;
    use crate::prelude::*;

    #[test]
    fn dpop_clients_take_dpop_tokens_only() {
        let answer = |token_type: &str| HttpResponse {
            status: 200,
            content_type: "application/json".into(),
            body: [r#"{"access_token":"a","token_type":""#, token_type, r#"","expires_in":60}"#].cat(),
        };
        let run = |extra: &str, token_type: &str| {
            let (p, c) = (FakePlatform::new(), config(&[extra, r#","scope":"api""#].cat()));
            let login = signin(&c, "{}", &p).pending;
            let cb = callback::parse(&["https://app.example/cb?code=c&state=", login.state()].cat()).unwrap();
            let meta = ProviderMetadata::explicit(c.endpoints.clone().unwrap());
            login.accept(&cb, &c, &meta, 1_700_000_000).unwrap().finish(&answer(token_type), 1_700_000_000)
        };
        assert_eq!(run(r#","dpop":true"#, "dpop").unwrap().token_type, "DPoP");
        let e = run(r#","dpop":true"#, "Bearer").unwrap_err();
        assert_eq!(
            (e.code(), e.description()),
            ("invalid_response", Some("token endpoint answered HTTP 200: token_type is not DPoP"))
        );
        let e = run("", "DPoP").unwrap_err();
        assert_eq!(e.description(), Some("token endpoint answered HTTP 200: token_type is not Bearer"));
        let _ = jwt("{}", "{}");
    }
}
