//! Reads every field of a peers-fixture request (`bench/peers/fixture.mjs`) from the JS object
//! through js-sys, as a hand-written typed reader would, and compares it with what the engine's
//! JSON-text path costs to get the same request into wasm. Keys are interned.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(wasm_bindgen::intern(k))).unwrap_or(JsValue::UNDEFINED)
}
fn text_len(o: &JsValue, k: &str) -> usize {
    get(o, k).as_string().map_or(0, |s| s.len())
}
fn number(o: &JsValue, k: &str) -> usize {
    get(o, k).as_f64().unwrap_or(0.0) as usize
}
fn tags(o: &JsValue, k: &str) -> usize {
    get(o, k).dyn_into::<Array>().map_or(0, |a| a.iter().filter_map(|v| v.as_string()).count())
}

/// Reads every field of one request; returns a sum so nothing is optimized away.
#[wasm_bindgen]
pub fn read_fields(req: &JsValue) -> usize {
    let mut total = 0;
    for k in ["now", "reason", "resolution"] {
        total += text_len(req, k);
    }
    let order = get(req, "order");
    for k in ["id", "currency", "channel", "country", "placed_at", "delivered_at"] {
        total += text_len(&order, k);
    }
    total += tags(&order, "tags");
    let customer = get(&order, "customer");
    total += text_len(&customer, "id") + tags(&customer, "tags") + number(&customer, "returns_last_90_days");
    if let Ok(lines) = get(&order, "lines").dyn_into::<Array>() {
        for line in lines.iter() {
            for k in ["id", "sku", "category"] {
                total += text_len(&line, k);
            }
            total += tags(&line, "tags");
            for k in ["quantity", "unit_price", "discount"] {
                total += number(&line, k);
            }
        }
    }
    if let Ok(items) = get(req, "items").dyn_into::<Array>() {
        for item in items.iter() {
            total += text_len(&item, "line_id") + number(&item, "quantity");
        }
    }
    total
}

/// The JSON-text path's crossing: the request's UTF-8 bytes, copied into wasm memory.
#[wasm_bindgen]
pub fn take_bytes(bytes: &[u8]) -> usize {
    bytes.len()
}
