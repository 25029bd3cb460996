//! The after-the-redirect module (`oauth_wasm_account.wasm`, feature `account-module`):
//! fetched as a callback page loads (its code exchange and ID token key), and when another page
//! first refreshes a token, signs out, asks for UserInfo or, with `autoRefresh`, times a
//! renewal. It keeps
//! nothing between calls: each export takes an [`abi`](crate::abi) buffer whose first four
//! strings are what the JS side keeps, `[client options, discovery content type, discovery
//! body ("" with explicit endpoints), stored session ("" when signed out)]`, rebuilt into an
//! [`Account`], then the call's own strings, and one number.
#![allow(unsafe_code)]

use crate::abi;
use crate::core::account::Account;
use crate::core::codec::encoding::push_u64;
use crate::core::codec::json::Value;
use crate::core::http::HttpResponse;
use crate::core::{Check, Error};
use crate::prelude::*;

/// The call's own strings.
#[derive(Clone, Copy)]
struct Args<'a>(&'a [&'a str]);

impl<'a> Args<'a> {
    fn at(self, i: usize) -> &'a str {
        self.0[i]
    }
}

/// Runs `f` over the account and the call's own `count` strings (any other count is an error);
/// its text (or the tagged error) is the output.
fn run(
    ptr: *mut u8,
    len: usize,
    count: usize,
    f: impl FnOnce(Account, Args<'_>) -> Result<String, Error>,
) -> *const u8 {
    // SAFETY: JS passes back the buffer `input(len)` gave it, once.
    unsafe {
        abi::serve(ptr, len, |list| match list {
            Some([options, discovery_type, discovery, session, rest @ ..]) if rest.len() == count => {
                let discovery = (!discovery.is_empty()).then_some((*discovery_type, *discovery));
                let account = Account::new(options, discovery, (!session.is_empty()).then_some(*session))?;
                f(account, Args(rest))
            }
            _ => Err(Error::check(Check::Config, "the account module's arguments could not be read")),
        })
    }
}

/// Epoch seconds from their decimal text.
fn now(text: &str) -> Result<u64, Error> {
    Value::parse(text).and_then(|v| v.as_u64()).ok_or_else(|| Error::config("now is not a number"))
}

/// [`Account::signed_in`]: strings `[…, callback URL, stored login, now, content type, body]`,
/// `num` the status.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn signed_in(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 5, |account, arg| {
        account.signed_in(arg.at(0), arg.at(1), &HttpResponse::new(num, arg.at(3), arg.at(4)), now(arg.at(2))?)
    })
}

/// [`Account::pick_key`]: strings `[…, ID token, content type, body, last try ("" or "1")]`,
/// `num` the JWK Set's status; `""` when the set should be fetched again first.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn pick_key(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 4, |account, arg| {
        let resp = HttpResponse::new(num, arg.at(1), arg.at(2));
        Ok(account.pick_key(arg.at(0), &resp, !arg.at(3).is_empty())?.unwrap_or_default())
    })
}

/// [`AccountContext::signout`](crate::core::account::AccountContext::signout): strings
/// `[…, state, postLogoutRedirectUri?]`; `num` 1 when the URI is given.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn signout(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 1 + num as usize, |account, arg| account.context(arg.at(0)).signout((num == 1).then(|| arg.at(1))))
}

/// [`AccountContext::userinfo_request`](crate::core::account::AccountContext::userinfo_request):
/// strings `[…, access token]`; `num` 1 for a DPoP-bound token.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn userinfo_request(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 1, |account, arg| Ok(account.context("").userinfo_request(arg.at(0), num == 1)?.to_json()))
}

/// [`AccountContext::userinfo`](crate::core::account::AccountContext::userinfo): strings
/// `[…, content type, body]`, `num` the status.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn userinfo(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 2, |account, arg| account.context("").userinfo(&HttpResponse::new(num, arg.at(0), arg.at(1))))
}

/// [`Account::expiry`]: strings `[…, token options]`; epoch seconds in decimal, or "" when
/// unknown.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn expiry(ptr: *mut u8, len: usize, _num: u32) -> *const u8 {
    run(ptr, len, 1, |account, arg| {
        let mut out = String::new();
        if let Some(at) = account.expiry(arg.at(0))? {
            push_u64(&mut out, at);
        }
        Ok(out)
    })
}

/// [`Account::refresh`]: strings `[…, token options]`; the request (JSON).
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn refresh_request(ptr: *mut u8, len: usize, _num: u32) -> *const u8 {
    run(ptr, len, 1, |account, arg| Ok(account.refresh(arg.at(0))?.request.to_json()))
}

/// [`Account::refreshed`]: strings `[…, token options, content type, body, now (epoch
/// seconds)]`, `num` the status.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn refresh(ptr: *mut u8, len: usize, num: u32) -> *const u8 {
    run(ptr, len, 4, |account, arg| {
        account.refreshed(arg.at(0), &HttpResponse::new(num, arg.at(1), arg.at(2)), now(arg.at(3))?)
    })
}
