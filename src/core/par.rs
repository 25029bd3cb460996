//! Pushed authorization requests (RFC 9126): the authorization parameters go to the provider
//! in a `POST`, and the redirect carries only `client_id` and the `request_uri` it answered.

use super::codec::encoding::FormBuilder;
use super::codec::json::Value;
use super::http::{HttpRequest, HttpResponse, FORM_HEADERS};
use super::{Error, Step};
use crate::prelude::*;

/// The push (§2.1): the query of `authorization_url` (the request [`super::authorize::build`]
/// made for `authorization_endpoint`) as a form `POST` to the pushed authorization request
/// endpoint. A public client authenticates with nothing but its `client_id`, which is in it.
pub fn push(endpoint: &str, authorization_url: &str, authorization_endpoint: &str) -> HttpRequest {
    HttpRequest {
        method: "POST",
        url: endpoint.to_owned(),
        headers: FORM_HEADERS.iter().map(|&(name, value)| (name, value.into())).collect(),
        body: Some(authorization_url.get(authorization_endpoint.len() + 1..).unwrap_or_default().to_owned()),
    }
}

/// The redirect after the push's answer: `201` with a `request_uri` (§2.2) gives the
/// authorization URL with `client_id` and `request_uri` only (§4); an error answer (§2.3) is
/// the provider's error.
pub fn redirect(resp: &HttpResponse, authorization_endpoint: &str, client_id: &str) -> Result<String, Error> {
    let json = resp.json_object();
    if resp.status != 201 {
        return Err(resp.error(json.as_ref(), Step::Par));
    }
    let uri = json.as_ref().and_then(|j| j.get("request_uri")).and_then(Value::as_str).filter(|u| !u.is_empty());
    let uri = uri.ok_or_else(|| resp.unexpected(Step::Par, "no request_uri"))?;
    let mut url = FormBuilder::url(authorization_endpoint);
    url.pair("client_id", client_id).pair("request_uri", uri);
    Ok(url.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTH: &str = "https://as.example/auth";

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse { status, content_type: "application/json".into(), body: body.into() }
    }

    #[test]
    fn pushes_the_query_and_redirects_with_the_request_uri() {
        let push =
            push("https://as.example/par", "https://as.example/auth?response_type=code&client_id=spa&state=s", AUTH);
        assert_eq!(
            push.to_json(),
            r#"{"method":"POST","url":"https://as.example/par","headers":{"Content-Type":"application/x-www-form-urlencoded","Accept":"application/json"},"body":"response_type=code&client_id=spa&state=s"}"#
        );
        let url = redirect(
            &answer(201, r#"{"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":60}"#),
            AUTH,
            "s p a",
        )
        .unwrap();
        assert_eq!(
            url,
            "https://as.example/auth?client_id=s%20p%20a&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc"
        );
        let url =
            redirect(&answer(201, r#"{"request_uri":"urn:x"}"#), "https://as.example/auth?tenant=t", "spa").unwrap();
        assert_eq!(url, "https://as.example/auth?tenant=t&client_id=spa&request_uri=urn%3Ax");
    }

    #[test]
    fn errors() {
        let e =
            redirect(&answer(400, r#"{"error":"invalid_request","error_description":"bad audience"}"#), AUTH, "spa")
                .unwrap_err();
        assert_eq!((e.code(), e.description()), ("invalid_request", Some("bad audience")));
        for (resp, why) in [
            (
                answer(200, r#"{"request_uri":"urn:x"}"#),
                "pushed authorization request endpoint answered HTTP 200: not an RFC 6749 §5.2 error",
            ),
            (
                answer(201, r#"{"expires_in":60}"#),
                "pushed authorization request endpoint answered HTTP 201: no request_uri",
            ),
            (
                answer(201, r#"{"request_uri":""}"#),
                "pushed authorization request endpoint answered HTTP 201: no request_uri",
            ),
            (
                HttpResponse { status: 502, content_type: "text/html".into(), body: "<h1>".into() },
                "pushed authorization request endpoint answered HTTP 502: not an RFC 6749 §5.2 error",
            ),
        ] {
            let e = redirect(&resp, AUTH, "spa").unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), ("invalid_response", why));
        }
    }
}
