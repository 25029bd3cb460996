//! The authorization response (RFC 6749 §4.1.2) arriving at the redirect URI, and the
//! checks that turn it into a code exchange.

use super::authorize::PendingLogin;
use super::codec::encoding::{parse_query, FormBuilder};
use super::codec::url::strip_query;
use super::config::ClientConfig;
use super::discovery::ProviderMetadata;
use super::http::HttpRequest;
use super::token::{Expectations, TokenExchange};
use super::{Check, Error};
use crate::prelude::*;

/// The parameters of a callback URL's query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallbackParams {
    /// The URL without query and fragment, compared with the redirect URI.
    pub base: String,
    /// `state`.
    pub state: Option<String>,
    /// `code`.
    pub code: Option<String>,
    /// `error` (§4.1.2.1).
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `error_uri`.
    pub error_uri: Option<String>,
    /// `iss` (RFC 9207).
    pub iss: Option<String>,
}

impl CallbackParams {
    /// The `state` that finds the pending login. Without one the response cannot be bound
    /// to a request, so its `error` is not believed; it is only named in the description,
    /// to help debugging (providers may drop `state` when the request itself was malformed).
    pub fn state(&self) -> Result<&str, Error> {
        self.state.as_deref().ok_or_else(|| match &self.error {
            Some(error) => {
                Error::check(Check::State, ["the callback has no state; it carries an unverified error=", error].cat())
            }
            None => Error::check(Check::State, "the callback has no state"),
        })
    }
}

fn invalid(detail: &'static str) -> Error {
    Error::check(Check::Callback, detail)
}

/// Reads a callback URL (response mode `query`). Parameters may not repeat (RFC 6749
/// §3.1); the fragment is ignored.
pub fn parse(url: &str) -> Result<CallbackParams, Error> {
    let without_fragment = url.split('#').next().unwrap_or_default();
    let (base, query) = without_fragment
        .split_once('?')
        .ok_or_else(|| invalid("the callback URL has no query: it is not an authorization response"))?;
    let pairs =
        parse_query(query).ok_or_else(|| invalid("the callback URL's query is not valid percent-encoded UTF-8"))?;
    let mut params = CallbackParams { base: base.to_owned(), ..CallbackParams::default() };
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "state" => &mut params.state,
            "code" => &mut params.code,
            "error" => &mut params.error,
            "error_description" => &mut params.error_description,
            "error_uri" => &mut params.error_uri,
            "iss" => &mut params.iss,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(invalid("a callback parameter appears more than once (RFC 6749 §3.1)"));
        }
    }
    Ok(params)
}

/// The code exchange for the callback `url` of the pending login `stored` (its JSON, `""` when
/// the tab has none for the callback's state), checked at `now` ([`PendingLogin::accept`]).
/// Its errors are the callback's own first (a malformed URL, no `state`), then a state no
/// login of this tab has.
pub fn begin(
    url: &str,
    stored: &str,
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    now: u64,
) -> Result<TokenExchange, Error> {
    let params = parse(url)?;
    params.state()?;
    if stored.is_empty() {
        return Err(Error::check(
            Check::State,
            "no pending login has this state (already used, or not started in this tab)",
        ));
    }
    PendingLogin::from_json(stored)?.accept(&params, config, metadata, now)
}

impl PendingLogin {
    /// Checks the callback against this login and builds the token request (RFC 6749
    /// §4.1.3 + RFC 7636 §4.5). Order matters: the response is bound to our request
    /// (state, client, redirect URI, `iss`) *before* its `error` is believed.
    pub fn accept(
        self,
        callback: &CallbackParams,
        config: &ClientConfig,
        metadata: &ProviderMetadata,
        now: u64,
    ) -> Result<TokenExchange, Error> {
        // A pending login is usable for `loginLifetime` seconds (default 10 minutes): an old
        // state, verifier and nonce left in a tab cannot be used by a callback much later. (One
        // return for both refusals: each return of `self` costs its drop glue in wasm.)
        let expired = now.saturating_sub(self.at) > config.login_lifetime;
        if expired || callback.state.as_deref() != Some(self.state.as_str()) {
            return Err(if expired {
                Error::check(Check::LoginExpired, "the sign-in expired: it is older than loginLifetime; sign in again")
            } else {
                Error::check(Check::State, "the callback's state does not match the login")
            });
        }
        if self.issuer != config.issuer.as_str() || self.client_id != config.client_id {
            return Err(Error::check(
                Check::State,
                "the login was started by a client with another issuer or client_id",
            ));
        }
        if callback.base != strip_query(&self.redirect_uri) {
            return Err(invalid("the callback URL is not the redirect URI of the login"));
        }
        match &callback.iss {
            Some(iss) if iss != config.issuer.as_str() => {
                return Err(Error::check(Check::Issuer, "the callback's iss is not the configured issuer (RFC 9207)"))
            }
            None if metadata.requires_iss => {
                return Err(Error::check(Check::Issuer, "the provider advertises RFC 9207 but the callback has no iss"))
            }
            _ => {}
        }
        if let Some(code) = &callback.error {
            return Err(Error::provider(code.clone(), callback.error_description.clone(), callback.error_uri.clone()));
        }
        let code = callback
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| invalid("the callback has neither code nor error"))?;

        let mut body = FormBuilder::default();
        body.pair("grant_type", "authorization_code")
            .pair("code", code)
            .pair("redirect_uri", &self.redirect_uri)
            .pair("client_id", &self.client_id)
            .pair("code_verifier", self.verifier.secret());
        // RFC 8707 §2.2: the resources go on the token request too.
        for r in self.resource.iter() {
            body.pair("resource", r);
        }
        let request = HttpRequest {
            method: "POST",
            url: metadata.endpoints.token.as_str().to_owned(),
            headers: super::http::FORM_HEADERS.iter().map(|&(n, v)| (n, v.into())).collect(),
            body: Some(body.finish()),
        };
        let id_token_required = self.scope.contains("openid");
        let expect = Expectations {
            issuer: self.issuer,
            client_id: self.client_id,
            nonce: self.nonce.map(|n| n.as_str().to_owned()),
            audience: self.audience,
            scope: self.scope,
            clock_skew: config.clock_skew,
            app_state: self.app_state,
            on_mismatch: config.on_audience_mismatch,
            id_token_required,
            sub: None,
            verify_signature: !config.skip_signature,
            dpop: config.dpop,
        };
        Ok(TokenExchange { request, expect })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authorize::tests::{config, signin, FakePlatform};

    fn metadata(c: &ClientConfig, requires_iss: bool) -> ProviderMetadata {
        ProviderMetadata { requires_iss, ..ProviderMetadata::explicit(c.endpoints.clone().unwrap()) }
    }

    #[test]
    fn parses_success_and_error_responses() {
        let p = parse("https://app.example/cb?code=a%2Bb&state=s1&iss=https%3A%2F%2Fas.example&scope=x#frag").unwrap();
        assert_eq!(p.base, "https://app.example/cb");
        assert_eq!((p.code.as_deref(), p.state.as_deref()), (Some("a+b"), Some("s1")));
        assert_eq!(p.iss.as_deref(), Some("https://as.example"));
        let p = parse("https://app.example/cb?error=access_denied&error_description=End-User+aborted&state=s").unwrap();
        assert_eq!(p.error.as_deref(), Some("access_denied"));
        assert_eq!(p.error_description.as_deref(), Some("End-User aborted"));
    }

    #[test]
    fn missing_state_names_an_unverified_error() {
        let e = parse("https://app.example/cb?error=invalid_request").unwrap().state().unwrap_err();
        assert_eq!(
            (e.code(), e.description().unwrap()),
            ("state_mismatch", "the callback has no state; it carries an unverified error=invalid_request")
        );
        let e = parse("https://app.example/cb?code=c").unwrap().state().unwrap_err();
        assert_eq!(e.description(), Some("the callback has no state"));
        assert_eq!(parse("https://app.example/cb?state=s").unwrap().state(), Ok("s"));
    }

    #[test]
    fn parse_refusals() {
        for (url, why) in [
            ("https://app.example/cb", "the callback URL has no query: it is not an authorization response"),
            (
                "https://app.example/cb#code=x&state=y",
                "the callback URL has no query: it is not an authorization response",
            ),
            ("https://app.example/cb?code=%ZZ", "the callback URL's query is not valid percent-encoded UTF-8"),
            (
                "https://app.example/cb?code=a&code=b&state=s",
                "a callback parameter appears more than once (RFC 6749 §3.1)",
            ),
        ] {
            let e = parse(url).unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), ("invalid_callback", why), "{url}");
        }
    }

    #[test]
    fn builds_byte_exact_token_request() {
        let p = FakePlatform::new();
        let c = config("");
        let login = signin(&c, "{}", &p);
        let state = login.pending.state().to_owned();
        let verifier = login.pending.verifier.secret().to_owned();
        let cb = parse(
            &["https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=", &state, "&iss=https%3A%2F%2Fas.example"]
                .cat(),
        )
        .unwrap();
        let exchange = login.pending.accept(&cb, &c, &metadata(&c, true), 1_700_000_000).unwrap();
        assert_eq!(exchange.request.method, "POST");
        assert_eq!(exchange.request.url, "https://as.example/token");
        assert_eq!(
            exchange.request.body.as_deref(),
            Some(&*["grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
                    "&client_id=spa&code_verifier=", &verifier].cat())
        );
        assert_eq!(exchange.request.headers[0], ("Content-Type", "application/x-www-form-urlencoded".into()));
    }

    #[test]
    fn refusals_in_order() {
        let p = FakePlatform::new();
        let c = config("");
        let m = metadata(&c, false);
        let run = |query: &str, meta: &ProviderMetadata, cfg: &ClientConfig| {
            let login = signin(&c, "{}", &p);
            let url = ["https://app.example/cb?", &query.replace("STATE", login.pending.state())].cat();
            login.pending.accept(&parse(&url).unwrap(), cfg, meta, 1_700_000_000).unwrap_err()
        };
        let cases: &[(&str, &str, &str)] = &[
            ("code=c&state=forged", "state_mismatch", "the callback's state does not match the login"),
            ("code=c", "state_mismatch", "the callback's state does not match the login"),
            // iss is checked before the error is believed (RFC 9207 §2.4).
            (
                "error=access_denied&state=STATE&iss=https%3A%2F%2Fevil.example",
                "issuer_mismatch",
                "the callback's iss is not the configured issuer (RFC 9207)",
            ),
            ("code=&state=STATE", "invalid_callback", "the callback has neither code nor error"),
            ("state=STATE", "invalid_callback", "the callback has neither code nor error"),
        ];
        for (query, code, why) in cases {
            let e = run(query, &m, &c);
            assert_eq!((e.code(), e.description().unwrap()), (*code, *why), "{query}");
        }
        let e = run(
            "error=access_denied&error_description=The+user+said+no&error_uri=https%3A%2F%2Fas%2Fe&state=STATE",
            &m,
            &c,
        );
        assert_eq!(
            e,
            Error::provider("access_denied".into(), Some("The user said no".into()), Some("https://as/e".into()))
        );
        let e = run("code=c&state=STATE", &metadata(&c, true), &c);
        assert_eq!(e.description(), Some("the provider advertises RFC 9207 but the callback has no iss"));
        let mut other = c.clone();
        other.client_id = "other".into();
        assert_eq!(run("code=c&state=STATE", &m, &other).code(), "state_mismatch");
        // Another path on the same origin is not the redirect URI.
        let login = signin(&c, "{}", &p);
        let url = ["https://app.example/cb2?code=c&state=", login.pending.state()].cat();
        let e = login.pending.accept(&parse(&url).unwrap(), &c, &m, 1_700_000_000).unwrap_err();
        assert_eq!(e.description(), Some("the callback URL is not the redirect URI of the login"));
    }

    #[test]
    fn a_pending_login_expires_after_login_lifetime() {
        let p = FakePlatform::new();
        let mut c = config("");
        let m = metadata(&c, false);
        let accept = |cfg: &ClientConfig, now: u64| {
            let login = signin(cfg, "{}", &p);
            let url = ["https://app.example/cb?code=c&state=", login.pending.state()].cat();
            login.pending.accept(&parse(&url).unwrap(), cfg, &m, now)
        };
        // Started at 1_700_000_000: usable for 600 s by default, even an error answer after that
        // is reported as the expiry (the state could be a replay).
        assert!(accept(&c, 1_700_000_600).is_ok());
        let e = accept(&c, 1_700_000_601).unwrap_err();
        assert_eq!(e.code(), "login_expired");
        assert_eq!(e.description(), Some("the sign-in expired: it is older than loginLifetime; sign in again"));
        c.login_lifetime = 3600;
        assert!(accept(&c, 1_700_003_600).is_ok());
        assert_eq!(accept(&c, 1_700_003_601).unwrap_err().code(), "login_expired");
        // A clock set back since is no reason to refuse.
        assert!(accept(&c, 1_699_999_000).is_ok());
    }
}
