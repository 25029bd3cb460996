//! Pending logins in `sessionStorage`: per tab, gone with the tab, never `localStorage`
//! (the browser-apps BCP keeps transient secrets out of origin-wide storage).

use crate::core::Error;
use crate::prelude::*;

/// Key prefix of stored logins; the rest of the key is the `state`.
pub const PREFIX: &str = "oauth-wasm:tx:";

fn storage() -> Result<web_sys::Storage, Error> {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .ok_or(Error::Platform { detail: "sessionStorage is unavailable".into() })
}

fn key(state: &str) -> String {
    [PREFIX, state].concat()
}

/// Stores a login's serialised form under its state.
pub fn put(state: &str, text: &str) -> Result<(), Error> {
    storage()?.set_item(&key(state), text).map_err(|_| Error::Platform {
        detail: "sessionStorage refused the login transaction (full or blocked)".into(),
    })
}

/// Removes and returns the login stored under `state`: a state is usable once.
pub fn take(state: &str) -> Result<Option<String>, Error> {
    let storage = storage()?;
    let key = key(state);
    let text = storage.get_item(&key).ok().flatten();
    if text.is_some() {
        storage
            .remove_item(&key)
            .map_err(|_| Error::Platform { detail: "sessionStorage refused to delete a login transaction".into() })?;
    }
    Ok(text)
}
