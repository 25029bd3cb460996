//! Pending logins in `sessionStorage`: per tab, gone with the tab, never `localStorage`
//! (the browser-apps BCP keeps transient secrets out of origin-wide storage). The JS side takes
//! them (`js/api.js`, `handleCallback`), reads their `at` stamp to sweep stale ones, and puts a
//! login back with an `answer` member (a token answer whose ID token could not be checked yet),
//! which the core ignores.

use super::Host;
use crate::core::Error;
use crate::prelude::*;

/// Key prefix of stored logins; the rest of the key is the `state`.
pub const PREFIX: &str = "oauth-wasm:tx:";

fn key(state: &str) -> String {
    [PREFIX, state].cat()
}

/// Stores a login's serialised form under its state.
pub fn put(host: &dyn Host, state: &str, text: &str) -> Result<(), Error> {
    host.put(&key(state), text)
}
