//! The pure protocol core: no `web-sys`, `js-sys` or `wasm-bindgen` below this module.
//!
//! Data path of a sign-in:
//!
//! ```text
//! ClientConfig ──authorize::build──► SigninRequest { url, PendingLogin }
//!                                                          │ (stored by the facade, keyed by state)
//! callback URL ──callback::parse──► CallbackParams ──PendingLogin::accept──► CodeExchange { request }
//!                                                                                  │ (facade POSTs it)
//! HttpResponse ──CodeExchange::finish──► TokenSet (ID token checked, granted audience read)
//! ```

pub mod audience;
pub mod authorize;
pub mod callback;
pub mod config;
pub mod discovery;
pub mod encoding;
mod error;
pub mod http;
pub mod id_token;
pub mod json;
pub mod pkce;
mod platform;
pub mod token;
pub mod url;

pub use error::{Check, Error, ProviderError, Step};
pub use platform::Platform;
