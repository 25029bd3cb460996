//! [`Host`] in the browser: imports from `js/wasm.js` (module `host`) over
//! `crypto.getRandomValues`, `Date.now` and `sessionStorage.setItem`.
#![allow(unsafe_code)]

use super::Host;
use crate::core::{Error, Platform};

#[link(wasm_import_module = "host")]
extern "C" {
    /// `crypto.getRandomValues` over the bytes; 1 when it worked.
    fn random(ptr: *mut u8, len: usize) -> u32;
    /// `Date.now()`.
    fn now_ms() -> f64;
    /// `sessionStorage.setItem`; 1 when it worked.
    fn put(key: *const u8, key_len: usize, value: *const u8, value_len: usize) -> u32;
}

/// The browser's secure randomness, clock and sessionStorage.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebHost;

/// getrandom's custom backend: `crypto.getRandomValues` through the host import.
///
/// # Safety
/// getrandom passes a writable buffer of `len` bytes.
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(dest: *mut u8, len: usize) -> Result<(), getrandom::Error> {
    // SAFETY: the import writes exactly `len` bytes at `dest`, which getrandom lends us.
    match unsafe { random(dest, len) } {
        1 => Ok(()),
        _ => Err(getrandom::Error::UNSUPPORTED),
    }
}

impl Platform for WebHost {
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error> {
        getrandom::fill(buf).map_err(|_| Error::Platform { detail: "crypto.getRandomValues is unavailable".into() })
    }

    fn now(&self) -> u64 {
        // SAFETY: no arguments.
        (unsafe { now_ms() } / 1000.0) as u64
    }
}

impl Host for WebHost {
    fn put(&self, key: &str, value: &str) -> Result<(), Error> {
        // SAFETY: the import only reads the two byte ranges.
        match unsafe { put(key.as_ptr(), key.len(), value.as_ptr(), value.len()) } {
            1 => Ok(()),
            _ => {
                Err(Error::Platform { detail: "sessionStorage refused the login transaction (full or blocked)".into() })
            }
        }
    }
}
