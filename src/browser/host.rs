//! [`Host`] in the browser: imports from `js/wasm.js` (module `host`) over
//! `crypto.getRandomValues`, `Date.now` and `sessionStorage`.
#![allow(unsafe_code)]

use super::Host;
use crate::core::{Error, Platform};
use crate::prelude::*;

#[link(wasm_import_module = "host")]
extern "C" {
    /// `crypto.getRandomValues` over the bytes; 1 when it worked.
    fn random(ptr: *mut u8, len: usize) -> u32;
    /// `Date.now()`.
    fn now_ms() -> f64;
    /// `sessionStorage.setItem`; 1 when it worked.
    fn put(key: *const u8, key_len: usize, value: *const u8, value_len: usize) -> u32;
    /// `sessionStorage.getItem` + `removeItem`: the value's length in UTF-8 (kept for
    /// `take_copy`), -1 when absent, -2 when sessionStorage is unavailable, -3 when the
    /// removal failed.
    fn take(key: *const u8, key_len: usize) -> i32;
    /// Copies the value `take` found into `ptr` (its length, as `take` said).
    fn take_copy(ptr: *mut u8);
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

    fn take(&self, key: &str) -> Result<Option<String>, Error> {
        // SAFETY: the import only reads the key.
        let len = unsafe { take(key.as_ptr(), key.len()) };
        let fail = |detail: &'static str| Err(Error::Platform { detail: detail.into() });
        match len {
            -1 => Ok(None),
            -2 => fail("sessionStorage is unavailable"),
            n if n < 0 => fail("sessionStorage refused to delete a login transaction"),
            n => {
                let mut bytes = vec![0u8; n as usize];
                // SAFETY: `take_copy` writes exactly the `n` bytes `take` announced.
                unsafe { take_copy(bytes.as_mut_ptr()) };
                String::from_utf8(bytes).map(Some).or_else(|_| fail("sessionStorage returned invalid text"))
            }
        }
    }
}
