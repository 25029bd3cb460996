//! The DPoP module (`oauth_wasm_dpop.wasm`, feature `dpop-module`): fetched when a client is
//! created with `dpop: true`. Each export takes an [`abi`](crate::abi) buffer whose first
//! string is the public key WebCrypto exported (JWK), and one number; `offered` takes the
//! discovery answer's body instead.
#![allow(unsafe_code)]

use crate::abi;
use crate::core::discovery;
use crate::core::jose::dpop::PublicKey;
use crate::core::{Check, Error};
use crate::prelude::*;

/// Runs `f` over the key and the `count` strings after it (any other count is an error).
fn run(
    ptr: *mut u8,
    len: usize,
    count: usize,
    f: impl FnOnce(&PublicKey, &[&str]) -> Result<String, Error>,
) -> *const u8 {
    // SAFETY: JS passes back the buffer `input(len)` gave it, once.
    unsafe {
        abi::serve(ptr, len, |list| match list {
            Some([jwk, rest @ ..]) if rest.len() == count => PublicKey::from_jwk(jwk).and_then(|key| f(&key, rest)),
            _ => Err(Error::check(Check::Config, "the DPoP module's arguments could not be read")),
        })
    }
}

/// [`PublicKey::thumbprint`]: strings `[jwk]`.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn thumbprint(ptr: *mut u8, len: usize, _num: u32) -> *const u8 {
    run(ptr, len, 0, |key, _| Ok(key.thumbprint()))
}

/// [`PublicKey::proof_input`]: strings `[jwk, method, url, jti, nonce, access token]` (the
/// last two may be empty), `num` the time (epoch seconds).
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn proof(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 5, |key, a| {
        let arg = |i: usize| a[i];
        Ok(key.proof_input(arg(0), arg(1), arg(2), u64::from(num), arg(3), arg(4)))
    })
}

/// Before a sign-in makes a key: strings `[discovery body]` (empty with explicit endpoints,
/// where the app vouches for its provider). `invalid_config` unless the provider offers DPoP
/// with ES256 ([`discovery::offers_dpop`]), so that such a sign-in fails before any navigation.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn offered(ptr: *mut u8, len: usize, _num: u32) -> *const u8 {
    offers(ptr, len)
}

// `offered`'s body: like `run`, a private function over the buffer JS passes back.
fn offers(ptr: *mut u8, len: usize) -> *const u8 {
    // SAFETY: as in `run`.
    unsafe {
        abi::serve(ptr, len, |list| match list {
            Some([body]) if body.is_empty() || discovery::offers_dpop(body) => Ok(String::new()),
            _ => Err(Error::config("option dpop needs ES256 in the provider's dpop_signing_alg_values_supported")),
        })
    }
}
