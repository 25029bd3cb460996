//! Wasm modules fetched on first use of a feature, beside the browser facade: code a page may
//! never run stays out of its first download.
//!
//! Each is built from this crate with its own cargo feature and without the `browser` facade
//! (`scripts/build.sh`), so it holds only the core code it calls. They use the raw ABI of
//! [`crate::abi`], as the main module does.

#[cfg(feature = "account-module")]
pub mod account;
#[cfg(feature = "audience-module")]
pub mod audience;
#[cfg(feature = "dpop-module")]
pub mod dpop;
