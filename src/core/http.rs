//! HTTP as plain data: the core describes requests and reads answers; the facade moves them.

use super::codec::json::{ObjectWriter, Value};
use super::{encoding::push_u64, Error, Step};
use crate::prelude::*;

/// A request for the facade to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(&'static str, Cow<'static, str>)>,
    /// The body, for `POST`.
    pub body: Option<String>,
}

impl HttpRequest {
    /// `GET url` accepting `accept`.
    pub fn get(url: &str, accept: &'static str) -> Self {
        HttpRequest { method: "GET", url: url.to_owned(), headers: vec![("Accept", accept.into())], body: None }
    }

    /// `{"method","url","headers":{…},"body"}`: the request as the JS side's `fetch` takes it.
    pub fn to_json(&self) -> String {
        let mut headers = ObjectWriter::default();
        for (name, value) in &self.headers {
            headers.str(name, value);
        }
        let mut w = ObjectWriter::default();
        w.str("method", self.method)
            .str("url", &self.url)
            .raw("headers", &headers.finish())
            .opt_str("body", self.body.as_deref());
        w.finish()
    }
}

/// The headers of a form POST to the token endpoint.
pub const FORM_HEADERS: [(&str, &str); 2] =
    [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")];

/// What came back: enough to judge the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header ("" when absent).
    pub content_type: String,
    /// The body as text.
    pub body: String,
}

impl HttpResponse {
    /// An answer as the JS side reports it (a status beyond 999 is no HTTP status: 999).
    pub fn new(status: u32, content_type: &str, body: &str) -> Self {
        HttpResponse { status: status.min(999) as u16, content_type: content_type.to_owned(), body: body.to_owned() }
    }

    /// True for a `2xx` status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as a JSON object, if the media type is `application/json` (or a `+json` one,
    /// RFC 6839 §3.1, such as `application/jwk-set+json`) and it parses.
    pub fn json_object(&self) -> Option<Value> {
        let media = self.content_type.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("application/json") && !media.ends_with("+json") {
            return None;
        }
        Value::parse(&self.body).filter(|v| v.as_object().is_some())
    }

    /// An RFC 6749 §5.2 error answer (`error`, `error_description`, `error_uri`) as the
    /// provider's error; else the `Format` error for `step`.
    pub fn error(&self, json: Option<&Value>, step: Step) -> Error {
        let field = |name: &str| json?.get(name).and_then(Value::as_str).map(str::to_owned);
        match field("error") {
            Some(code) => Error::provider(code, field("error_description"), field("error_uri")),
            None => self.unexpected(step, "not an RFC 6749 §5.2 error"),
        }
    }

    /// The `Format` error for an answer we cannot use: names the step's endpoint and the
    /// status, so "HTTP 502 from the token endpoint" reaches the developer.
    pub fn unexpected(&self, step: Step, why: &str) -> Error {
        let mut status = String::new();
        push_u64(&mut status, u64::from(self.status));
        let endpoint = match step {
            Step::Discovery => "discovery document",
            Step::Token => "token endpoint",
            Step::Userinfo => "userinfo endpoint",
            Step::Jwks => "JWK Set",
            Step::Par => "pushed authorization request endpoint",
            Step::Revocation => "revocation endpoint",
        };
        Error::format(step, [endpoint, " answered HTTP ", &status, ": ", why].cat())
    }
}
