//! Core errors → the value thrown into JavaScript.

use crate::core::json::ObjectWriter;
use crate::core::Error;
use wasm_bindgen::JsValue;

/// Marks a thrown string as ours, so the JS entry can tell it from anything else.
pub const TAG: &str = "oauth-wasm:";

/// `oauth-wasm:{"code":…,"description":…,"uri":…}` as a JS string; `js/api.js` turns it into
/// an `OAuthError` with those fields.
pub fn to_js(error: Error) -> JsValue {
    let mut w = ObjectWriter::default();
    w.str("code", error.code()).opt_str("description", error.description()).opt_str("uri", error.uri());
    JsValue::from_str(&[TAG, &w.finish()].concat())
}
