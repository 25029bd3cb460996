//! The Hydra matching module (`oauth_wasm_audience.wasm`, feature `audience-module`): fetched
//! when a page first calls `audienceAllowed` / `explainAudience`, or creates a client with
//! `allowedAudiences`. Each export takes the strings `allowed ++ requested` (the first `split`
//! are `allowed`) in an [`abi`](crate::abi) buffer.
#![allow(unsafe_code)]

use crate::abi;
use crate::core::audience::AudienceList;
use crate::core::audience_match::{self, Source};
use crate::core::codec::json::{push_array, push_str, ObjectWriter};
use crate::core::{Check, Error};
use crate::prelude::*;

/// Runs `f` over the two lists in the buffer; its text (or the tagged error) is the output.
fn run(ptr: *mut u8, len: usize, split: usize, f: impl FnOnce(&[&str], &[&str]) -> Result<String, Error>) -> *const u8 {
    // SAFETY: JS passes back the buffer `input(len)` gave it, once.
    unsafe {
        abi::serve(ptr, len, |list| match list {
            Some(list) if split <= list.len() => f(&list[..split], &list[split..]),
            _ => Err(Error::check(Check::Audience, "the audience lists could not be read")),
        })
    }
}

/// [`audience_match::explain`] as a JSON array of `{"value","source","reason"}`.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn explain(ptr: *mut u8, len: usize, split: usize) -> *const u8 {
    run(ptr, len, split, |allowed, requested| {
        let mut out = String::new();
        push_array(&mut out, audience_match::explain(allowed, requested), |out, p| {
            let mut w = ObjectWriter::default();
            let source = if p.source == Source::Allowed { "allowed" } else { "requested" };
            w.str("value", &p.value).str("source", source).str("reason", &p.reason);
            out.push_str(&w.finish());
        });
        Ok(out)
    })
}

/// [`audience_match::precheck`] of a sign-in's audiences: empty, or the tagged error. The
/// requested values are read first as the main module reads a sign-in's `audience`
/// ([`AudienceList::new`]: an invalid value is its error, repeats count once), so a value
/// `createSigninRequest` would refuse gets the same error here.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn precheck(ptr: *mut u8, len: usize, split: usize) -> *const u8 {
    run(ptr, len, split, |allowed, requested| {
        let list = AudienceList::new(requested.iter().copied())?;
        audience_match::precheck(allowed, &list.iter().collect::<Vec<_>>()).map(|()| String::new())
    })
}

/// [`audience_match::check_allowed`] over the `allowed` list: empty, or the tagged
/// `invalid_config` error.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn check_allowed(ptr: *mut u8, len: usize, split: usize) -> *const u8 {
    run(ptr, len, split, |allowed, _| audience_match::check_allowed(allowed).map(|()| String::new()))
}

/// [`AudienceList::decode`]: the list (JSON array) an `audience=` query value (the one
/// string) decodes to, as Hydra decodes it.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn decode(ptr: *mut u8, len: usize, split: usize) -> *const u8 {
    run(ptr, len, split, |query, _| {
        let list = AudienceList::decode(query.first().copied().unwrap_or_default())?;
        let mut out = String::new();
        push_array(&mut out, list.iter(), push_str);
        Ok(out)
    })
}
