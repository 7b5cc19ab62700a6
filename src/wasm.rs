//! The WebAssembly face of the engine: translation only, no rule lives here. Every evaluator takes
//! JSON text as UTF-8 bytes and returns JSON text (the fastest path measured across the boundary);
//! the JavaScript wrapper in `pkg/` turns objects into text and back, and a thrown error's message
//! is the JSON of a [`PolicyError`] that the wrapper raises as a `PolicyError` in JavaScript.
//!
//! Why bytes in: a `&str` parameter makes wasm-bindgen's glue copy the string into memory one
//! character at a time in a JavaScript loop (about 2.5 ns a byte in Node, a tenth of a batch's
//! time); a `Uint8Array` from `TextEncoder` is copied in one go, and a server can pass the request
//! body it received as is.

#![allow(unsafe_code)] // the code wasm-bindgen generates

use crate::engine::{self, PolicyEngine};
use crate::error::{ErrorCode, PolicyError};
use crate::vocabulary::Locale;
use wasm_bindgen::prelude::*;

fn to_js(e: PolicyError) -> JsValue {
    JsValue::from_str(
        &engine::to_json(&e)
            .unwrap_or_else(|_| String::from(r#"{"code":"INVALID_VALUE","path":"","message":"error"}"#)),
    )
}

/// The request text of UTF-8 bytes.
fn utf8(bytes: &[u8]) -> Result<&str, JsValue> {
    std::str::from_utf8(bytes)
        .map_err(|e| to_js(PolicyError::new(ErrorCode::InvalidJson, "", format!("the text is not UTF-8: {e}"))))
}

/// A compiled policy (see `PolicyEngine` in the Rust API).
#[wasm_bindgen]
pub struct WasmEngine {
    inner: PolicyEngine,
}

#[wasm_bindgen]
impl WasmEngine {
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str) -> Result<WasmEngine, JsValue> {
        PolicyEngine::new(policy_json).map(|inner| WasmEngine { inner }).map_err(to_js)
    }

    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_string()
    }

    pub fn info_json(&self) -> Result<String, JsValue> {
        engine::to_json(&self.inner.info()).map_err(to_js)
    }
}

/// The JSON-text methods of every evaluator of [`crate::engine`]'s table, over UTF-8 bytes.
macro_rules! wasm_methods {
    ($($name:ident($req:ty) -> $answer:ty, feature $feature:literal, json $json:ident $(, batch $batch:ident)?,
       js $js:literal $($js_batch:literal)?, route $route:literal;)*) => {
        #[wasm_bindgen]
        impl WasmEngine {
            $(
                pub fn $json(&self, request: &[u8]) -> Result<String, JsValue> {
                    self.inner.$json(utf8(request)?).map_err(to_js)
                }
                $(
                    pub fn $batch(&self, requests: &[u8]) -> Result<String, JsValue> {
                        self.inner.$batch(utf8(requests)?).map_err(to_js)
                    }
                )?
            )*
        }
    };
}
engine::evaluators!(wasm_methods);

/// A bench build's twin of `check_return_json` (feature `bench-swb`, bench/object-path.mjs): the
/// answer as a JS object from serde-wasm-bindgen's JSON-compatible serializer, not as text.
#[cfg(feature = "bench-swb")]
#[wasm_bindgen]
impl WasmEngine {
    pub fn check_return_value(&self, request: &[u8]) -> Result<JsValue, JsValue> {
        use serde::Serialize;
        let request: crate::returns::ReturnRequest = crate::error::from_json_str(utf8(request)?).map_err(to_js)?;
        let answer = self.inner.check_return(&request).map_err(to_js)?;
        answer
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| to_js(PolicyError::new(ErrorCode::InvalidValue, "", e.to_string())))
    }
}

/// The evaluators as JSON text: `[{js, js_batch?, json, batch?, route, feature, built}]`, for the JavaScript
/// package to define its methods from.
#[wasm_bindgen]
pub fn evaluators_json() -> String {
    engine::to_json(&engine::EVALUATORS).unwrap_or_else(|_| String::from("[]"))
}

/// Checks a policy: `{"ok": bool, "errors": [{code, path, message}], "warnings": …}` as JSON text,
/// the warnings' messages in `locale` (`en`, `zh-CN`).
#[wasm_bindgen]
pub fn validate_policy_json(policy_json: &str, locale: &str) -> String {
    engine::to_json(&engine::validate_policy_in(policy_json, Locale::parse(locale)))
        .unwrap_or_else(|_| String::from(r#"{"ok":false,"errors":[]}"#))
}

/// Bytes of linear memory the instance holds now (for monitoring memory over a long run).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) as f64) * 65536.0
}

#[cfg(feature = "compare")]
/// Compares two policies (JSON text each) over requests of one evaluator (a JSON array or JSON
/// Lines, as UTF-8 bytes): the [`crate::compare::DiffReport`] as JSON text.
#[wasm_bindgen]
pub fn compare_policies_json(
    old_policy: &str,
    new_policy: &str,
    evaluator: &str,
    requests: &[u8],
    examples: usize,
) -> Result<String, JsValue> {
    let report = crate::compare::compare_policies(old_policy, new_policy, evaluator, utf8(requests)?, examples)
        .map_err(to_js)?;
    engine::to_json(&report).map_err(to_js)
}

/// Checks a policy and places each problem in its text: `{ok, errors, warnings}` with `line` and
/// `column`, as JSON text (what `aftersales validate --format json` prints for one file).
#[wasm_bindgen]
pub fn validate_located_json(policy_json: &str, locale: &str) -> String {
    engine::to_json(&crate::locate::validate_located(policy_json, Locale::parse(locale)))
        .unwrap_or_else(|_| String::from(r#"{"ok":false,"errors":[],"warnings":[]}"#))
}
