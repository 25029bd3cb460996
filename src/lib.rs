//! # oauth-wasm
//!
//! An OAuth 2.0 / OpenID Connect client for single-page apps, compiled to WebAssembly.
//!
//! The crate is split into the protocol and its thin facades, and the split is the
//! architecture:
//!
//! - [`core`]: the protocol, as pure functions and types. It never touches a browser API:
//!   it turns configuration into an authorization URL, a callback URL into a token request
//!   `{url, headers, body}`, and an HTTP answer `(status, content-type, body)` into tokens
//!   or a typed [`core::Error`]. Randomness and time come in through [`core::Platform`], so
//!   `cargo test` runs it natively and deterministically.
//! - `browser` (feature `browser`): the thin facade of the main module: the client and its
//!   grants over a `Host` (randomness, clock, sessionStorage), and, in the shipped module, the
//!   raw-ABI exports `js/wasm.js` calls. The npm entry (`js/`) wraps it in the public
//!   `OAuthClient` / `OAuthError` API and does the rest of the I/O (fetch, storage of the
//!   session, navigation).
//! - `lazy`: the wasm modules fetched on first use of a feature (Hydra's audience matching;
//!   refresh grants, sign-out and UserInfo), each a few raw-ABI exports over the core.
//! - `abi`: the one raw ABI every module speaks with JavaScript (a string buffer in, a text
//!   out), instead of wasm-bindgen's generated glue.
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
// Without the small runtime, std supplies the allocator and panic handler.
#[cfg(not(feature = "small-runtime"))]
extern crate std;

pub mod core;
mod prelude;
#[cfg(all(target_arch = "wasm32", feature = "small-runtime"))]
mod runtime;

#[cfg(any(
    test,
    feature = "browser",
    feature = "audience-module",
    feature = "account-module",
    feature = "dpop-module"
))]
pub mod abi;
#[cfg(feature = "browser")]
pub mod browser;
#[cfg(any(feature = "audience-module", feature = "account-module", feature = "dpop-module"))]
pub mod lazy;
