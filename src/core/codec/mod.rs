//! The codecs the protocol steps are written over: base64url, percent and form encoding
//! (`encoding`), a strict JSON reader and writer (`json`), and http(s) URLs (`url`).

pub mod encoding;
pub mod json;
pub mod url;
