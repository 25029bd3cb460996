//! The sign-out and UserInfo module (`oauth_wasm_account.wasm`, feature `account-module`):
//! fetched when a page first calls `signout` or `userinfo`. Each export takes an
//! [`abi`](crate::abi) buffer whose first string is the [`AccountContext`] JSON the main
//! module made, and one number.
#![allow(unsafe_code)]

use crate::abi;
use crate::core::account::AccountContext;
use crate::core::http::HttpResponse;
use crate::core::{Check, Error};
use crate::prelude::*;

/// Runs `f` over the context and the other strings; its text (or the tagged error) is the
/// output.
fn run(ptr: *mut u8, len: usize, f: impl FnOnce(&AccountContext, &[&str]) -> Result<String, Error>) -> *const u8 {
    // SAFETY: JS passes back the buffer `input(len)` gave it, once.
    unsafe {
        abi::serve(ptr, len, |list| match list {
            Some([context, rest @ ..]) => AccountContext::from_json(context).and_then(|ctx| f(&ctx, rest)),
            _ => Err(Error::check(Check::Config, "the account module's arguments could not be read")),
        })
    }
}

/// [`AccountContext::signout`]: strings `[context, postLogoutRedirectUri?]`; `num` 1 when the
/// URI is given.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn signout(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, |ctx, a| ctx.signout((num == 1).then(|| a.first().copied().unwrap_or_default())))
}

/// [`AccountContext::userinfo_request`]: strings `[context, access token]`; `num` 1 for a
/// DPoP-bound token.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn userinfo_request(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, |ctx, a| Ok(ctx.userinfo_request(a.first().copied().unwrap_or_default(), num == 1)?.to_json()))
}

/// [`AccountContext::userinfo`]: strings `[context, content type, body]`, `num` the status.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn userinfo(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, |ctx, a| {
        let arg = |i: usize| a.get(i).copied().unwrap_or_default();
        ctx.userinfo(&HttpResponse::new(num, arg(0), arg(1)))
    })
}
