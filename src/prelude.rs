//! The `alloc` items the std prelude would give; the crate is `no_std`.
#![allow(unused_imports)]

pub(crate) use alloc::borrow::{Cow, ToOwned};
pub(crate) use alloc::boxed::Box;
pub(crate) use alloc::string::String;
pub(crate) use alloc::vec;
pub(crate) use alloc::vec::Vec;

/// `[a, b, c].cat()`: the strings joined, in one allocation. Used instead of `[..].concat()`,
/// whose generic join (with its overflow check and panic message) cost about 1.2 KB of wasm.
pub(crate) trait Cat {
    /// The parts, joined.
    fn cat(&self) -> String;
}

impl<S: AsRef<str>> Cat for [S] {
    fn cat(&self) -> String {
        let mut out = String::with_capacity(self.iter().map(|s| s.as_ref().len()).sum());
        for s in self {
            out.push_str(s.as_ref());
        }
        out
    }
}
