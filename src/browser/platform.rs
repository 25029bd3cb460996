//! [`Platform`] on the web platform: `crypto.getRandomValues` and `Date.now`.

use crate::core::{Error, Platform};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // The global `crypto` (window, worker and Node ≥ 19 alike), not `window.crypto`, so the
    // synchronous helpers also work in Node.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// The browser's secure randomness and clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct BrowserPlatform;

impl Platform for BrowserPlatform {
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error> {
        get_random_values(buf)
            .map(drop)
            .map_err(|_| Error::Platform { detail: "crypto.getRandomValues is unavailable".into() })
    }

    fn now(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }
}
