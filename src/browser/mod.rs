//! The thin browser facade: the I/O the core asks for, and the `#[wasm_bindgen]` exports.
//!
//! It is sans-IO towards the network, like the core: it hands HTTP requests to the JS entry
//! as data and takes the answers back (`Exchange`). The one `fetch` call lives in
//! `js/api.js`; awaiting a promise from Rust would need wasm-bindgen-futures and closure
//! glue, which cost more than the whole protocol core (measured in the README).
//!
//! Everything crossing the boundary is a string or a number (options and results as JSON,
//! errors as a tagged JSON `{code, description, uri}`): one kind of glue keeps the generated
//! bindings small. The npm entry turns thrown values into `OAuthError` instances.

pub mod client;
pub mod error;
pub mod platform;
pub mod storage;
