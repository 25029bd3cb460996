//! OpenID Connect Discovery 1.0 (§4): where the endpoints are and what the provider supports.

use super::codec::json::Value;
use super::codec::url::HttpUrl;
use super::config::Endpoints;
use super::http::{HttpRequest, HttpResponse};
use super::{Error, Step};
use crate::prelude::*;

/// The parts of the provider metadata the client uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// Authorization and token endpoints.
    pub endpoints: Endpoints,
    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3): when true, a
    /// callback without `iss` is refused.
    pub requires_iss: bool,
    /// `id_token_signing_alg_values_supported` (Discovery §3), as sent: an ID token signed
    /// with an `alg` it does not list (or when it is no array of strings) is refused. `None`
    /// with explicit endpoints.
    pub id_token_algs: Option<Value>,
    /// `require_pushed_authorization_requests` (RFC 9126 §5).
    pub requires_par: bool,
}

impl ProviderMetadata {
    /// Metadata for explicitly configured endpoints (no discovery, no RFC 9207 promise).
    pub fn explicit(endpoints: Endpoints) -> Self {
        ProviderMetadata { endpoints, requires_iss: false, id_token_algs: None, requires_par: false }
    }
}

/// `GET {issuer}/.well-known/openid-configuration` (Discovery §4.1: a trailing `/` of the
/// issuer is removed before appending).
pub fn request(issuer: &HttpUrl) -> HttpRequest {
    let base = issuer.as_str().trim_end_matches('/');
    HttpRequest::get(&[base, "/.well-known/openid-configuration"].cat(), "application/json")
}

/// Reads the discovery answer. Discovery §4.3: the `issuer` in it MUST be identical to the
/// issuer the client used, else the document is rejected (it may be a mix-up attack).
pub fn parse(resp: &HttpResponse, issuer: &HttpUrl) -> Result<ProviderMetadata, Error> {
    let fail = |why: &'static str| resp.unexpected(Step::Discovery, why);
    if !resp.is_success() {
        return Err(fail("expected 200"));
    }
    let doc = resp.json_object().ok_or_else(|| fail("not a JSON object"))?;
    if doc.get("issuer").and_then(|v| v.as_str()) != Some(issuer.as_str()) {
        return Err(fail("its issuer is not the configured issuer"));
    }
    let endpoint = |name: &str| {
        let text =
            doc.get(name).and_then(|v| v.as_str()).ok_or_else(|| fail("an endpoint is missing or not a string"))?;
        HttpUrl::parse(text, name)
            .map_err(|e| Error::format(Step::Discovery, e.description().unwrap_or_default().to_owned()))
    };
    let optional = |name: &str| match doc.get(name) {
        None | Some(super::codec::json::Value::Null) => Ok(None),
        Some(_) => endpoint(name).map(Some),
    };
    let endpoints = Endpoints {
        authorization: endpoint("authorization_endpoint")?,
        token: endpoint("token_endpoint")?,
        revocation: optional("revocation_endpoint")?,
        end_session: optional("end_session_endpoint")?,
        userinfo: optional("userinfo_endpoint")?,
        jwks: optional("jwks_uri")?,
        par: optional("pushed_authorization_request_endpoint")?,
    };
    if let Some(methods) = doc.get("code_challenge_methods_supported").and_then(|v| v.as_array()) {
        if !methods.iter().any(|m| m.as_str() == Some(super::pkce::METHOD)) {
            return Err(fail("the provider does not support PKCE S256"));
        }
    }
    let flag = |name: &str| doc.get(name).and_then(|v| v.as_bool()) == Some(true);
    let id_token_algs = doc.get("id_token_signing_alg_values_supported").cloned();
    Ok(ProviderMetadata {
        endpoints,
        requires_iss: flag("authorization_response_iss_parameter_supported"),
        id_token_algs,
        requires_par: flag("require_pushed_authorization_requests"),
    })
}

/// Whether the discovery document (`body`) offers DPoP with ES256, the algorithm of the SDK's
/// DPoP keys: `dpop_signing_alg_values_supported` (RFC 9449 §5.1) lists it. A provider without
/// it (Ory Hydra) would only issue Bearer tokens, after the user had signed in.
pub fn offers_dpop(body: &str) -> bool {
    Value::parse(body)
        .and_then(|doc| {
            doc.get("dpop_signing_alg_values_supported")?
                .as_array()
                .map(|algs| algs.iter().any(|a| a.as_str() == Some("ES256")))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer() -> HttpUrl {
        HttpUrl::parse("https://as.example/tenant/", "issuer").unwrap()
    }

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse { status, content_type: "application/json; charset=utf-8".into(), body: body.into() }
    }

    #[test]
    fn dpop_is_offered_only_with_es256() {
        assert!(offers_dpop(r#"{"dpop_signing_alg_values_supported":["EdDSA","ES256"]}"#));
        assert!(!offers_dpop(r#"{"dpop_signing_alg_values_supported":["EdDSA"]}"#));
        assert!(!offers_dpop(r#"{"issuer":"https://as.example"}"#), "Ory Hydra's discovery: no such field");
        assert!(!offers_dpop(r#"{"dpop_signing_alg_values_supported":"ES256"}"#));
        assert!(!offers_dpop("not json"));
    }

    #[test]
    fn request_url_drops_trailing_slash() {
        let r = request(&issuer());
        assert_eq!((r.method, r.url.as_str()), ("GET", "https://as.example/tenant/.well-known/openid-configuration"));
    }

    #[test]
    fn parses_metadata() {
        let m = parse(
            &answer(
                200,
                r#"{"issuer":"https://as.example/tenant/","authorization_endpoint":"https://as.example/auth",
              "token_endpoint":"https://as.example/token","code_challenge_methods_supported":["S256"],
              "authorization_response_iss_parameter_supported":true,"revocation_endpoint":"https://as.example/revoke",
              "end_session_endpoint":"https://as.example/logout","userinfo_endpoint":null,
              "jwks_uri":"https://as.example/jwks","id_token_signing_alg_values_supported":["RS256","ES256"],
              "pushed_authorization_request_endpoint":"https://as.example/par","require_pushed_authorization_requests":true}"#,
            ),
            &issuer(),
        )
        .unwrap();
        assert_eq!(m.endpoints.authorization.as_str(), "https://as.example/auth");
        assert_eq!(m.endpoints.token.as_str(), "https://as.example/token");
        assert_eq!(m.endpoints.revocation.unwrap().as_str(), "https://as.example/revoke");
        assert_eq!(m.endpoints.end_session.unwrap().as_str(), "https://as.example/logout");
        assert_eq!(m.endpoints.userinfo, None, "null is absent");
        assert!(m.requires_iss);
        assert_eq!(m.endpoints.jwks.unwrap().as_str(), "https://as.example/jwks");
        assert_eq!(m.id_token_algs.unwrap().to_json(), r#"["RS256","ES256"]"#);
        assert_eq!(m.endpoints.par.unwrap().as_str(), "https://as.example/par");
        assert!(m.requires_par);
        let bare = ["{\"issuer\":\"https://as.example/tenant/\",", OK_REST, "}"].cat();
        let m = parse(&answer(200, &bare), &issuer()).unwrap();
        assert_eq!((m.endpoints.jwks, m.id_token_algs, m.endpoints.par, m.requires_par), (None, None, None, false));
    }

    const OK_REST: &str =
        r#""authorization_endpoint":"https://as.example/auth","token_endpoint":"https://as.example/token""#;

    #[test]
    fn refusals() {
        let ok_rest = OK_REST;
        let cases = [
            (answer(404, "{}"), "discovery document answered HTTP 404: expected 200"),
            (HttpResponse { status: 200, content_type: "text/html".into(), body: "<html>".into() },
             "discovery document answered HTTP 200: not a JSON object"),
            (answer(200, &["{\"issuer\":\"https://evil.example/\",", ok_rest, "}"].cat()),
             "discovery document answered HTTP 200: its issuer is not the configured issuer"),
            (answer(200, r#"{"issuer":"https://as.example/tenant/","token_endpoint":"https://as.example/token"}"#),
             "discovery document answered HTTP 200: an endpoint is missing or not a string"),
            (answer(200, r#"{"issuer":"https://as.example/tenant/","authorization_endpoint":"http://as.example/a","token_endpoint":"https://as.example/token"}"#),
             "authorization_endpoint must use https (plain http is allowed only on loopback hosts): \"http://as.example/a\""),
            (answer(200, &["{\"issuer\":\"https://as.example/tenant/\",\"userinfo_endpoint\":\"http://as.example/me\",", ok_rest, "}"].cat()),
             "userinfo_endpoint must use https (plain http is allowed only on loopback hosts): \"http://as.example/me\""),
            (answer(200, &["{\"issuer\":\"https://as.example/tenant/\",\"revocation_endpoint\":7,", ok_rest, "}"].cat()),
             "discovery document answered HTTP 200: an endpoint is missing or not a string"),
            (answer(200, &["{\"issuer\":\"https://as.example/tenant/\",\"code_challenge_methods_supported\":[\"plain\"],", ok_rest, "}"].cat()),
             "discovery document answered HTTP 200: the provider does not support PKCE S256"),
            (answer(200, &["{\"issuer\":\"https://as.example/tenant/\",\"jwks_uri\":\"http://as.example/jwks\",", ok_rest, "}"].cat()),
             "jwks_uri must use https (plain http is allowed only on loopback hosts): \"http://as.example/jwks\""),
        ];
        for (resp, why) in cases {
            let e = parse(&resp, &issuer()).unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), ("discovery_failed", why));
        }
    }
}
