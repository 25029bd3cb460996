use super::codec::json::ObjectWriter;
use crate::prelude::*;

/// Marks an error crossing into JavaScript, so the JS entry can tell it from anything else.
pub const TAG: &str = "oauth-wasm:";
/// Everything that can go wrong, sorted by **who failed**.
///
/// Each error maps to a stable machine-readable [`code`](Error::code), which is what the
/// JavaScript `OAuthError.code` carries.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The authorization server refused: an RFC 6749 §4.1.2.1 authorization error or a
    /// §5.2 token error. Boxed, so that every `Result` of the crate stays small.
    Provider(Box<ProviderError>),
    /// The request got no HTTP answer (offline, DNS, CORS refusal, aborted).
    Transport {
        /// Which exchange failed.
        step: Step,
        /// What the browser reported.
        detail: String,
    },
    /// An answer arrived but is not what the protocol allows (status, media type, JSON).
    Format {
        /// Which exchange produced the answer.
        step: Step,
        /// What is wrong with it.
        detail: Cow<'static, str>,
    },
    /// One of our own checks refused the input: configuration, state, `iss`, ID token…
    Check {
        /// Which check.
        check: Check,
        /// Why, naming the offending value where that helps.
        detail: Cow<'static, str>,
    },
    /// The host environment failed: no secure random source, storage full or blocked.
    Platform {
        /// What failed.
        detail: Cow<'static, str>,
    },
}

/// An error the provider sent, passed through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// The provider's `error`, e.g. `access_denied` or `invalid_grant`.
    pub code: String,
    /// `error_description`, when sent.
    pub description: Option<String>,
    /// `error_uri`, when sent.
    pub uri: Option<String>,
}

/// The HTTP exchanges the client performs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `GET {issuer}/.well-known/openid-configuration`.
    Discovery,
    /// `POST {token_endpoint}`.
    Token,
    /// `GET {userinfo_endpoint}`.
    Userinfo,
    /// `GET {jwks_uri}`: the provider's signing keys.
    Jwks,
    /// `POST {pushed_authorization_request_endpoint}` (RFC 9126).
    Par,
    /// `POST {revocation_endpoint}` (RFC 7009), at sign-out.
    Revocation,
}

/// The client-side checks, each with its own error code.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Client or per-call options are invalid (`invalid_config`).
    Config,
    /// An audience value is empty or contains whitespace (`invalid_audience`).
    Audience,
    /// The callback's `state` is unknown, already used or missing (`state_mismatch`).
    State,
    /// The callback's `iss` (RFC 9207) is not the configured issuer (`issuer_mismatch`).
    Issuer,
    /// The callback URL is not an authorization response for our redirect URI
    /// (`invalid_callback`).
    Callback,
    /// The ID token failed OIDC Core §3.1.3.7 validation (`invalid_id_token`).
    IdToken,
    /// An RFC 8707 `resource` is not an absolute URI without fragment (`invalid_target`).
    Target,
    /// The access token's `aud` lacks a requested audience (`audience_not_granted`).
    AudienceGranted,
    /// No usable session: not signed in, no refresh token, or the grant ended
    /// (`login_required`, the OIDC code, meaning: call `signinRedirect`).
    Login,
    /// Stored session data is unreadable, of another version or another client
    /// (`invalid_session`); it is discarded.
    Session,
    /// The UserInfo `sub` is not the ID token's (`userinfo_sub_mismatch`, OIDC Core §5.3.2).
    UserinfoSub,
    /// The callback's pending login is older than `loginLifetime` (`login_expired`).
    LoginExpired,
}

impl Error {
    /// The stable code exposed to JavaScript as `OAuthError.code`.
    pub fn code(&self) -> &str {
        match self {
            Error::Provider(p) => &p.code,
            Error::Transport { step: Step::Discovery, .. } | Error::Format { step: Step::Discovery, .. } => {
                "discovery_failed"
            }
            // A JWK Set that cannot be had (no answer, an error page, not a set) is a fault
            // that may pass: the token answer waiting for it is kept for a retry.
            Error::Transport { .. } | Error::Format { step: Step::Jwks, .. } => "network_error",
            Error::Format { .. } => "invalid_response",
            Error::Check { check, .. } => match check {
                Check::Config => "invalid_config",
                Check::Audience => "invalid_audience",
                Check::State => "state_mismatch",
                Check::Issuer => "issuer_mismatch",
                Check::Callback => "invalid_callback",
                Check::IdToken => "invalid_id_token",
                Check::Target => "invalid_target",
                Check::AudienceGranted => "audience_not_granted",
                Check::Login => "login_required",
                Check::Session => "invalid_session",
                Check::UserinfoSub => "userinfo_sub_mismatch",
                Check::LoginExpired => "login_expired",
            },
            Error::Platform { .. } => "platform_error",
        }
    }

    /// A human-readable explanation (the provider's `error_description` for provider errors).
    pub fn description(&self) -> Option<&str> {
        match self {
            Error::Provider(p) => p.description.as_deref(),
            Error::Transport { detail, .. } => Some(detail),
            Error::Format { detail, .. } | Error::Check { detail, .. } | Error::Platform { detail } => Some(detail),
        }
    }

    /// The provider's `error_uri`, when it sent one.
    pub fn uri(&self) -> Option<&str> {
        match self {
            Error::Provider(p) => p.uri.as_deref(),
            _ => None,
        }
    }

    /// A provider error with its three fields.
    pub fn provider(code: String, description: Option<String>, uri: Option<String>) -> Self {
        Error::Provider(Box::new(ProviderError { code, description, uri }))
    }

    /// A request that got no answer; the description says which endpoint and the likely
    /// causes, then what the browser reported.
    pub fn transport(step: Step, reported: &str) -> Self {
        let endpoint = match step {
            Step::Discovery => "the discovery document",
            Step::Token => "the token endpoint",
            Step::Userinfo => "the userinfo endpoint",
            Step::Jwks => "the JWK Set (jwks_uri)",
            Step::Par => "the pushed authorization request endpoint",
            Step::Revocation => "the revocation endpoint",
        };
        let detail = [endpoint, " could not be reached (offline, or refused by CORS): ", reported].cat();
        Error::Transport { step, detail }
    }

    /// `oauth-wasm:{"code":…,"description":…,"uri":…}`: the form in which an error crosses into
    /// JavaScript (the output of every raw-ABI export that failed);
    /// `js/shared.js` turns it into an `OAuthError` with those fields.
    pub fn to_tagged_json(&self) -> String {
        let mut w = ObjectWriter::default();
        w.str("code", self.code()).opt_str("description", self.description()).opt_str("uri", self.uri());
        [TAG, &w.finish()].cat()
    }

    pub(crate) fn check(check: Check, detail: impl Into<Cow<'static, str>>) -> Self {
        Error::Check { check, detail: detail.into() }
    }

    pub(crate) fn format(step: Step, detail: impl Into<Cow<'static, str>>) -> Self {
        Error::Format { step, detail: detail.into() }
    }

    pub(crate) fn config(detail: impl Into<Cow<'static, str>>) -> Self {
        Error::check(Check::Config, detail)
    }
}
