//! The raw ABI between the wasm modules and `js/abi.js`, instead of wasm-bindgen's generated
//! glue (measured: docs/architecture.md, "The ABI"): JS asks `input` for a buffer, writes the arguments
//! into it, and calls an export with `(…, ptr, len)`; the export takes the buffer back (and
//! frees it) and returns a pointer to its output, `[len: u32 LE][len bytes of UTF-8]`, which
//! stays valid until the next call. An output starting with `oauth-wasm:` is a tagged error
//! ([`Error::to_tagged_json`](crate::core::Error::to_tagged_json)).
//!
//! Input: a list of strings, `[count: u32 LE]` then per string `[len: u32 LE][UTF-8 bytes]`.
#![allow(unsafe_code)]

use crate::core::Error;
use crate::prelude::*;
use core::cell::UnsafeCell;

/// The version of this ABI and of every module's operations: each module exports it
/// ([`abi_version`]), and `js/abi.js`, whose `ABI_VERSION` must be the same, refuses a module of
/// another (`wasm_load_failed` naming both), so a stale cached module never runs the wrong
/// operation. Bumped with any change to an operation's number, name or arguments
/// (`tests/node/abi.test.mjs` records the list each version stands for).
pub const ABI_VERSION: u32 = 3;

/// [`ABI_VERSION`], for the loader to check.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    ABI_VERSION
}

/// The last output, kept alive until the next call replaces it.
struct Output(UnsafeCell<Vec<u8>>);
// SAFETY: wasm32-unknown-unknown without the `atomics` feature runs one thread.
unsafe impl Sync for Output {}
static OUTPUT: Output = Output(UnsafeCell::new(Vec::new()));

/// A buffer of `len` bytes for JS to fill; ownership passes to the export it is given to.
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn input(len: usize) -> *mut u8 {
    let mut buf = core::mem::ManuallyDrop::new(vec![0u8; len]);
    buf.as_mut_ptr()
}

/// What every export does with its buffer: takes it back from [`input`], reads its strings
/// ([`strings`]; `None` when malformed), runs `f` on them, and returns the address of the
/// output, `f`'s text or its error as tagged JSON.
///
/// # Safety
/// `ptr` and `len` must come from one `input(len)` call, and be given back once.
// Inlined: as a call of its own it cost the main module 416 B gzip, inlined 17 B.
#[inline(always)]
pub unsafe fn serve(ptr: *mut u8, len: usize, f: impl FnOnce(Option<&[&str]>) -> Result<String, Error>) -> *const u8 {
    // SAFETY: the caller passes a buffer `input` made, whose capacity is `len`.
    let buf = unsafe { Vec::from_raw_parts(ptr, len, len) };
    let args = strings(&buf);
    #[cfg(feature = "trap-hook")]
    trap_hook(args.as_deref());
    output(&f(args.as_deref()).unwrap_or_else(|e| e.to_tagged_json()))
}

/// The test build's trap (feature `trap-hook`, never shipped: `scripts/build.sh --trap-hook`):
/// a call with an argument that contains `oauth-wasm-trap:` and this module's name (`main`,
/// `account`, `audience`, `dpop`) traps as a panic would, so that the end-to-end tests show what
/// a trap leaves behind. The instance is poisoned as well: every later call on it traps too, as
/// an instance whose heap a panic left inconsistent may, so only a fresh instance works.
#[cfg(feature = "trap-hook")]
fn trap_hook(args: Option<&[&str]>) {
    use core::sync::atomic::{AtomicBool, Ordering};
    static POISONED: AtomicBool = AtomicBool::new(false);
    let module = if cfg!(feature = "account-module") {
        "account"
    } else if cfg!(feature = "audience-module") {
        "audience"
    } else if cfg!(feature = "dpop-module") {
        "dpop"
    } else {
        "main"
    };
    let mark = ["oauth-wasm-trap:", module].cat();
    if POISONED.load(Ordering::Relaxed) || args.unwrap_or_default().iter().any(|a| a.contains(mark.as_str())) {
        POISONED.store(true, Ordering::Relaxed);
        #[cfg(target_arch = "wasm32")]
        core::arch::wasm32::unreachable();
        #[cfg(not(target_arch = "wasm32"))]
        panic!("trap hook");
    }
}

/// Stores `text` as the output and returns its address.
fn output(text: &str) -> *const u8 {
    // SAFETY: one thread, and no reference to the output outlives this call.
    let out = unsafe { &mut *OUTPUT.0.get() };
    out.clear();
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    out.as_ptr()
}

/// Reads the length-prefixed list of strings; `None` when the buffer is malformed.
pub fn strings(buf: &[u8]) -> Option<Vec<&str>> {
    let mut at = 0;
    let u32_at = |at: &mut usize| -> Option<usize> {
        let bytes = buf.get(*at..*at + 4)?;
        *at += 4;
        Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize)
    };
    let count = u32_at(&mut at)?;
    let mut out = Vec::new();
    for _ in 0..count {
        let len = u32_at(&mut at)?;
        out.push(core::str::from_utf8(buf.get(at..at.checked_add(len)?)?).ok()?);
        at += len;
    }
    (at == buf.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(list: &[&str]) -> Vec<u8> {
        let mut buf = (list.len() as u32).to_le_bytes().to_vec();
        for s in list {
            buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
            buf.extend_from_slice(s.as_bytes());
        }
        buf
    }

    #[test]
    fn strings_round_trip_and_malformed_buffers_are_refused() {
        let list = ["", "https://a.example/x", "ünï", "a\u{0}b"];
        assert_eq!(strings(&encode(&list)).unwrap(), list);
        let buf = encode(&list);
        for cut in 0..buf.len() {
            assert_eq!(strings(&buf[..cut]), None, "a buffer cut at {cut} is refused");
        }
        let mut long = buf.clone();
        long.push(0);
        assert_eq!(strings(&long), None, "trailing bytes are refused");
        assert_eq!(strings(&[1, 0, 0, 0, 255, 255, 255, 255]), None, "a length past the end is refused");
        let mut bad = encode(&["x"]);
        *bad.last_mut().unwrap() = 0xff;
        assert_eq!(strings(&bad), None, "invalid UTF-8 is refused");
    }
}
