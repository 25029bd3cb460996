//! Core errors → the value thrown into JavaScript.

use crate::core::json::ObjectWriter;
use crate::core::Error;
use crate::prelude::*;
use wasm_bindgen::JsValue;

/// Marks a thrown string as ours, so the JS entry can tell it from anything else.
pub const TAG: &str = "oauth-wasm:";

/// `oauth-wasm:{"code":…,"description":…,"uri":…}`; `js/shared.js` turns it into an
/// `OAuthError` with those fields.
pub fn error_string(error: &Error) -> String {
    let mut w = ObjectWriter::default();
    w.str("code", error.code()).opt_str("description", error.description()).opt_str("uri", error.uri());
    [TAG, &w.finish()].concat()
}

/// [`error_string`] as the JS value thrown.
pub fn to_js(error: Error) -> JsValue {
    JsValue::from_str(&error_string(&error))
}
