//! The main module's exports (raw ABI, [`crate::abi`]): `call(op, handle, num, ptr, len)`
//! runs operation `op` over the strings in the buffer, on the object `handle` names, with one
//! number `num` (an HTTP status, a step, a flag); `free(handle)` drops an object. Objects
//! (clients, grants in flight) live in a table whose slots are never reused, so a stale handle
//! finds nothing rather than another object. The op numbers are `js/abi.js`'s `OP`.
#![allow(unsafe_code)]

#[cfg(feature = "server")]
use super::client::Grant;
use super::client::{self, decimal, Client};
use super::host::WebHost;
use crate::abi;
use crate::core::http::HttpResponse;
use crate::core::{Error, Platform};
use crate::prelude::*;
use core::cell::UnsafeCell;

enum Object {
    Client(Client),
    #[cfg(feature = "server")]
    Grant(Grant),
}

struct Table(UnsafeCell<Vec<Option<Object>>>);
// SAFETY: wasm32-unknown-unknown without the `atomics` feature runs one thread.
unsafe impl Sync for Table {}
static OBJECTS: Table = Table(UnsafeCell::new(Vec::new()));

fn objects() -> &'static mut Vec<Option<Object>> {
    // SAFETY: one thread, and `call` holds at most this one reference at a time (the host
    // imports it calls never re-enter `call` or `free`).
    unsafe { &mut *OBJECTS.0.get() }
}

/// Stores an object; its handle as decimal text (handles start at 1).
fn keep(object: Object) -> String {
    let table = objects();
    table.push(Some(object));
    decimal(table.len() as u64)
}

fn slot(handle: u32) -> Option<&'static mut Option<Object>> {
    objects().get_mut((handle as usize).checked_sub(1)?)
}

fn gone() -> Error {
    Error::config("this object is no longer usable (already finished, or freed)")
}

fn client(handle: u32) -> Result<&'static mut Client, Error> {
    match slot(handle) {
        Some(Some(Object::Client(c))) => Ok(c),
        _ => Err(gone()),
    }
}

/// Takes a grant out of its slot: finishing a grant consumes it.
#[cfg(feature = "server")]
fn take_grant(handle: u32) -> Result<Grant, Error> {
    match slot(handle).map(Option::take) {
        Some(Some(Object::Grant(g))) => Ok(g),
        _ => Err(gone()),
    }
}

/// `Some(text)` → text; `None` → "" (JS reads it as `undefined`).
fn or_empty(text: Option<String>) -> String {
    text.unwrap_or_default()
}

fn run(op: u32, handle: u32, num: u32, a: &[&str]) -> Result<String, Error> {
    let arg = |i: usize| a.get(i).copied().unwrap_or_default();
    let host = &WebHost;
    Ok(match op {
        0 => keep(Object::Client(Client::new(arg(0))?)),
        1 => or_empty(client(handle)?.discovery_request()),
        2 => client(handle)?.discovered(&HttpResponse::new(num, arg(0), arg(1))).map(|()| String::new())?,
        3 => client(handle)?.create_signin_request(arg(0), arg(1), host)?,
        5 => client(handle)?.settings(),
        6 => or_empty(client(handle)?.select(arg(0), arg(1), host.now())?),
        9 => or_empty(client(handle)?.user(arg(0))?),
        11 => or_empty(client(handle)?.jwks_request()?),
        21 => client(handle)?.pushed(&HttpResponse::new(num, arg(0), arg(1)))?,
        #[cfg(feature = "server")]
        14 => match slot(handle) {
            Some(Some(Object::Grant(g))) => g.request(),
            _ => return Err(gone()),
        },
        #[cfg(feature = "server")]
        15 => take_grant(handle)?.finish(&HttpResponse::new(num, arg(0), arg(1)), host.now())?,
        17 => client::generate_pkce(host)?,
        18 => client::encode_audience(arg(0), arg(1))?,
        #[cfg(feature = "server")]
        19 => keep(Object::Grant(client::client_credentials(arg(0))?)),
        20 => client::validate_audience(arg(0)).map(|()| String::new())?,
        22 => return Err(client::transport_error(num, arg(0))),
        _ => return Err(Error::config("unknown operation")),
    })
}

/// Runs operation `op`; the output is its text or a tagged error.
#[no_mangle]
pub extern "C" fn call(op: u32, handle: u32, num: u32, ptr: *mut u8, len: usize) -> *const u8 {
    // SAFETY: JS passes back the buffer `input(len)` gave it, once.
    unsafe {
        abi::serve(ptr, len, |args| match args {
            Some(args) => run(op, handle, num, args),
            None => Err(Error::config("the arguments could not be read")),
        })
    }
}

/// Drops the object `handle` names (nothing when it is already gone).
#[no_mangle]
pub extern "C" fn free(handle: u32) {
    if let Some(slot) = slot(handle) {
        *slot = None;
    }
}
