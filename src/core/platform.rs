use super::Error;

/// What the protocol needs from its host: randomness and the clock.
///
/// Injected rather than called globally (the way rustls takes a crypto provider), so the
/// core is deterministic under test and the browser facade supplies
/// `crypto.getRandomValues` and `Date.now`.
pub trait Platform {
    /// Fills `buf` with cryptographically secure random bytes.
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error>;
    /// The current time in whole seconds since the Unix epoch.
    fn now(&self) -> u64;
}

/// Draws 32 random bytes: 256 bits, well above the 128 bits RFC 6749 §10.10 asks for.
pub(crate) fn random_32(platform: &dyn Platform) -> Result<[u8; 32], Error> {
    let mut bytes = [0u8; 32];
    platform.fill_random(&mut bytes)?;
    Ok(bytes)
}
