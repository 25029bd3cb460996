//! Wasm modules fetched on first use of a feature, beside the browser facade: code a page may
//! never run stays out of its first download.
//!
//! Each is built from this crate with its own cargo feature and without the `browser` facade
//! (`scripts/build.sh`), so it holds only the core code it calls. They use a raw C ABI instead
//! of wasm-bindgen: strings go in as one length-prefixed buffer and come back as one, which a
//! few lines of `js/lazy.js` handle; generated glue for the same two exports measured larger
//! (README, "Size").

pub mod abi;
#[cfg(feature = "audience-module")]
pub mod audience;
