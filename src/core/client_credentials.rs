//! The client credentials grant (RFC 6749 §4.4) with Hydra's `audience` and RFC 8707
//! resources: for servers, where a client secret can be kept. The JS browser entry refuses it.

use super::audience::{self, AudienceList};
use super::codec::encoding::{base64url_encode, percent_encode_into, FormBuilder, Space};
use super::codec::json::Value;
use super::codec::url::HttpUrl;
use super::config::{MismatchPolicy, Scope};
use super::http::{HttpRequest, FORM_HEADERS};
use super::resource::ResourceList;
use super::token::{Expectations, TokenExchange};
use super::Error;
use crate::prelude::*;

/// RFC 6749 §2.3.1 `client_secret_basic`: `Basic base64(urlencode(id) ":" urlencode(secret))`.
fn basic(client_id: &str, secret: &str) -> String {
    let mut pair = String::new();
    percent_encode_into(&mut pair, client_id, Space::Plus);
    pair.push(':');
    percent_encode_into(&mut pair, secret, Space::Plus);
    let mut b64 = base64url_encode(pair.as_bytes()).replace('-', "+").replace('_', "/");
    while b64.len() % 4 != 0 {
        b64.push('=');
    }
    ["Basic ", &b64].cat()
}

/// Builds the token request from the options of `clientCredentials` (JSON): `tokenEndpoint`,
/// `clientId`, `clientSecret` (required), `audience`, `audienceEncoding`, `scope`, `resource`,
/// `auth` (`client_secret_basic` by default, or `client_secret_post`), `onAudienceMismatch`.
/// The audience goes in the body as one space-joined `audience` value, as Hydra decodes it.
pub fn request(options: &str) -> Result<TokenExchange, Error> {
    let json = Value::parse(options).ok_or_else(|| Error::config("client credentials options are not valid JSON"))?;
    let members = json.as_object().ok_or_else(|| Error::config("client credentials options must be an object"))?;
    let text = |v: &Value, name: &str| {
        v.as_str().map(str::to_owned).ok_or_else(|| Error::config(["option ", name, " must be a string"].cat()))
    };
    let (mut endpoint, mut id, mut secret, mut post) = (None, None, None, false);
    let (mut aud, mut space, mut scope, mut resource, mut on_mismatch) =
        (AudienceList::default(), Space::Percent, Scope::new("")?, ResourceList::default(), MismatchPolicy::Error);
    for (name, v) in members {
        match name.as_str() {
            "tokenEndpoint" => endpoint = Some(HttpUrl::parse(&text(v, name)?, name)?),
            "clientId" => id = Some(text(v, name)?),
            "clientSecret" => secret = Some(text(v, name)?),
            "audience" => aud = AudienceList::from_json(v)?,
            "audienceEncoding" => space = audience::encoding(&text(v, name)?)?,
            "scope" => scope = Scope::new(&text(v, name)?)?,
            "resource" => resource = ResourceList::from_json(v)?,
            "onAudienceMismatch" => on_mismatch = MismatchPolicy::from_json(v)?,
            "auth" => {
                post = match v.as_str() {
                    Some("client_secret_basic") => false,
                    Some("client_secret_post") => true,
                    _ => return Err(Error::config("auth must be 'client_secret_basic' or 'client_secret_post'")),
                }
            }
            _ => return Err(Error::config(["unknown option \"", name, "\""].cat())),
        }
    }
    let missing = |name: &str| Error::config(["option ", name, " is required"].cat());
    let endpoint = endpoint.ok_or_else(|| missing("tokenEndpoint"))?;
    let id = id.filter(|i| !i.is_empty()).ok_or_else(|| missing("clientId"))?;
    let secret = secret.filter(|s| !s.is_empty()).ok_or_else(|| missing("clientSecret"))?;

    let mut body = FormBuilder::default();
    body.pair("grant_type", "client_credentials");
    if !scope.as_str().is_empty() {
        body.pair("scope", scope.as_str());
    }
    if !aud.is_empty() {
        body.pair_encoded("audience", &aud.encode(space));
    }
    for r in resource.iter() {
        body.pair("resource", r);
    }
    let mut headers: Vec<(&'static str, Cow<'static, str>)> =
        FORM_HEADERS.iter().map(|&(n, v)| (n, v.into())).collect();
    if post {
        body.pair("client_id", &id).pair("client_secret", &secret);
    } else {
        headers.push(("Authorization", basic(&id, &secret).into()));
    }
    let request = HttpRequest { method: "POST", url: endpoint.as_str().to_owned(), headers, body: Some(body.finish()) };
    let expect = Expectations {
        issuer: String::new(),
        client_id: id,
        nonce: None,
        audience: aud,
        scope,
        clock_skew: 0,
        app_state: None,
        on_mismatch,
        id_token_required: false,
        sub: None,
        verify_signature: false,
        dpop: false,
    };
    Ok(TokenExchange { request, expect })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::HttpResponse;
    use crate::core::token::tests::jwt;

    const BASE: &str = r#""tokenEndpoint":"https://as.example/token","clientId":"svc id","clientSecret":"s3:cr+t/=""#;

    fn req(extra: &str) -> Result<TokenExchange, Error> {
        request(&["{", BASE, extra, "}"].cat())
    }

    #[test]
    fn basic_auth_and_audience_in_the_body() {
        let ex = req(r#","audience":["https://api.example.com/user","https://api.example.com/billing"],"scope":"api""#)
            .unwrap();
        assert_eq!(ex.request.method, "POST");
        assert_eq!(ex.request.url, "https://as.example/token");
        assert_eq!(
            ex.request.body.as_deref(),
            Some(
                "grant_type=client_credentials&scope=api&audience=https%3A%2F%2Fapi.example.com%2Fuser%20https%3A%2F%2F\
                 api.example.com%2Fbilling"
            )
        );
        // base64("svc+id:s3%3Acr%2Bt%2F%3D"): RFC 6749 §2.3.1 form-encodes both parts first.
        let auth = ex.request.headers.iter().find(|(n, _)| *n == "Authorization").unwrap();
        assert_eq!(auth.1, "Basic c3ZjK2lkOnMzJTNBY3IlMkJ0JTJGJTNE");
    }

    #[test]
    fn post_auth_puts_the_secret_in_the_body() {
        let ex = req(r#","auth":"client_secret_post","resource":"https://api.example.com/billing""#).unwrap();
        assert_eq!(
            ex.request.body.as_deref(),
            Some(
                "grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.com%2Fbilling&client_id=svc%20id\
                 &client_secret=s3%3Acr%2Bt%2F%3D"
            )
        );
        assert!(ex.request.headers.iter().all(|(n, _)| *n != "Authorization"));
    }

    #[test]
    fn the_granted_audience_is_checked() {
        let ok = |at: &str| HttpResponse {
            status: 200,
            content_type: "application/json".into(),
            body: [r#"{"access_token":""#, at, r#"","token_type":"bearer","expires_in":60}"#].cat(),
        };
        let at = jwt(r#"{"alg":"RS256"}"#, r#"{"aud":["https://api/u"]}"#);
        let set = req(r#","audience":"https://api/u""#).unwrap().finish(&ok(&at), 1000).unwrap();
        assert_eq!((set.audience_verified, set.expires_at), (true, Some(1060)));
        let e = req(r#","audience":["https://api/u","https://api/b"]"#).unwrap().finish(&ok(&at), 1000).unwrap_err();
        assert_eq!(e.code(), "audience_not_granted");
        let set = req(r#","audience":"https://api/x""#).unwrap().finish(&ok("opaque"), 1000).unwrap();
        assert_eq!((set.audience, set.audience_verified), (vec!["https://api/x".to_owned()], false));
    }

    #[test]
    fn refusals() {
        let cases = [
            (r#"{}"#, "option tokenEndpoint is required"),
            (
                r#"{"tokenEndpoint":"http://as.example/t","clientId":"a","clientSecret":"b"}"#,
                "tokenEndpoint must use https (plain http is allowed only on loopback hosts): \"http://as.example/t\"",
            ),
            (r#"{"tokenEndpoint":"https://as/t","clientId":"a"}"#, "option clientSecret is required"),
            (
                r#"{"tokenEndpoint":"https://as/t","clientId":"a","clientSecret":"b","auth":"none"}"#,
                "auth must be 'client_secret_basic' or 'client_secret_post'",
            ),
            (
                r#"{"tokenEndpoint":"https://as/t","clientId":"a","clientSecret":"b","secret":"c"}"#,
                "unknown option \"secret\"",
            ),
        ];
        for (json, description) in cases {
            assert_eq!(request(json).unwrap_err().description(), Some(description), "{json}");
        }
    }
}
