//! Core errors → the value thrown into JavaScript.

use crate::core::Error;
use crate::prelude::*;
use wasm_bindgen::JsValue;

/// [`Error::to_tagged_json`]: `oauth-wasm:{"code":…,"description":…,"uri":…}`.
pub fn error_string(error: &Error) -> String {
    error.to_tagged_json()
}

/// [`error_string`] as the JS value thrown.
pub fn to_js(error: Error) -> JsValue {
    JsValue::from_str(&error.to_tagged_json())
}
