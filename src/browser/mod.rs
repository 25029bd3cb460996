//! The thin browser facade: what the JS entry calls, over the I/O the core asks for.
//!
//! It is sans-IO towards the network, like the core: it hands HTTP requests to the JS entry
//! as data and takes the answers back. `fetch`, the session stores and the
//! refresh lock live in `js/`. What it does itself goes through [`Host`]: randomness, the
//! clock and the tab's `sessionStorage` for pending logins. `host` is that host in the
//! browser, `ops` the exports `js/abi.js` calls (the raw ABI of [`crate::abi`]); `host` exists
//! only in the shipped module (wasm32 with `small-runtime`), and `ops` is unit-tested natively
//! over a host stand-in; the rest is tested natively and in headless Chromium (`tests/web.rs`)
//! against hosts of the tests' own.

pub mod client;
#[cfg(all(target_arch = "wasm32", feature = "small-runtime"))]
pub mod host;
// The export table; natively only for its unit tests (over a host stand-in).
#[cfg(any(test, all(target_arch = "wasm32", feature = "small-runtime")))]
mod ops;
pub mod storage;

use crate::core::{Error, Platform};

/// What the facade needs from the browser: randomness and time ([`Platform`]) and the tab's
/// `sessionStorage`.
pub trait Host: Platform {
    /// `sessionStorage.setItem(key, value)`.
    fn put(&self, key: &str, value: &str) -> Result<(), Error>;
}
