//! Sign-out (RFC 7009 revocation, OIDC RP-Initiated Logout 1.0) and UserInfo (OIDC Core
//! §5.3): what a page needs only when the user signs out or asks for their profile, so the
//! browser build runs it in a module of its own, fetched on first use
//! (`oauth_wasm_account.wasm`). The main module hands it an [`AccountContext`] as JSON.

use super::config::Endpoints;
use super::encoding::FormBuilder;
use super::http::{HttpRequest, HttpResponse, FORM_HEADERS};
use super::json::{ObjectWriter, Value};
use super::url::HttpUrl;
use super::{Check, Error, Step};
use crate::prelude::*;

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

    /// The JSON the main module passes to the account module.
    pub fn to_json(&self) -> String {
        let mut w = ObjectWriter::default();
        w.str("clientId", &self.client_id)
            .opt_str("revocation", self.revocation.as_ref().map(HttpUrl::as_str))
            .opt_str("endSession", self.end_session.as_ref().map(HttpUrl::as_str))
            .opt_str("userinfo", self.userinfo.as_ref().map(HttpUrl::as_str))
            .opt_str("refreshToken", self.refresh_token.as_deref())
            .opt_str("idToken", self.id_token.as_deref())
            .opt_str("sub", self.sub.as_deref())
            .str("state", &self.state);
        w.finish()
    }

    /// Reads [`to_json`](Self::to_json)'s output back.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let bad = || Error::config("the account context is not valid");
        let v = Value::parse(text).ok_or_else(bad)?;
        let text = |name: &str| v.get(name).and_then(Value::as_str);
        let url = |name: &'static str| text(name).map(|u| HttpUrl::parse(u, name)).transpose();
        Ok(AccountContext {
            client_id: text("clientId").ok_or_else(bad)?.to_owned(),
            revocation: url("revocation")?,
            end_session: url("endSession")?,
            userinfo: url("userinfo")?,
            refresh_token: text("refreshToken").map(str::to_owned),
            id_token: text("idToken").map(str::to_owned),
            sub: text("sub").map(str::to_owned),
            state: text("state").ok_or_else(bad)?.to_owned(),
        })
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
        assert_eq!(AccountContext::from_json(&ctx.to_json()).unwrap(), ctx, "the context survives its JSON");
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
        for bad in
            ["", "{}", r#"{"clientId":"spa"}"#, r#"{"clientId":"spa","state":"s","userinfo":"http://x.example/me"}"#]
        {
            assert!(AccountContext::from_json(bad).is_err(), "{bad}");
        }
    }
}
