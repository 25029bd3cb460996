//! The runtime of the shipped module (feature `small-runtime`): no std, so neither its
//! panic machinery (which formats messages and pulls in all of `core::fmt`) nor dlmalloc.

/// A panic is a bug: trap. The JS entry turns the trap into `OAuthError("internal_error")`.
/// (The code is written not to panic; this handler only keeps the formatter out.)
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

// SAFETY: wasm32-unknown-unknown without the `atomics` target feature has one thread, which
// is the condition `AssumeSingleThreaded` requires.
#[allow(unsafe_code)]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
