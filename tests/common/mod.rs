//! Shared by the tests: the vector runners' files, policies and engine calls; the refund and exchange random orders.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, dead_code)]

use aftersales::money::allocate;
use aftersales::PolicyEngine;
use proptest::prelude::{any, prop, Strategy};
use serde_json::{json, Value};
use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn vector_files() -> Vec<PathBuf> {
    files_under(&root().join("tests/vectors"), "json")
}

/// Every file ending in `.ext` below `dir`, in sub-folders too, sorted.
pub fn files_under(dir: &std::path::Path, ext: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

pub fn policy_text(spec: &Value) -> String {
    match spec {
        Value::String(name) => std::fs::read_to_string(root().join(format!("tests/policies/{name}.json"))).unwrap(),
        other => other.to_string(),
    }
}

/// Calls the engine the way every runtime does: JSON text in, JSON text out.
pub fn call(engine: &PolicyEngine, name: &str, request: &str) -> Result<String, aftersales::PolicyError> {
    match name {
        "check_return" => engine.check_return_json(request),
        "check_returns" => engine.check_returns_json(request),
        "quote_refund" => engine.quote_refund_json(request),
        "calendar" => engine.calendar_json(request),
        "check_warranty" => engine.check_warranty_json(request),
        "check_warranties" => engine.check_warranties_json(request),
        "sla_deadlines" => engine.sla_deadlines_json(request),
        "sla_deadlines_many" => engine.sla_deadlines_many_json(request),
        "quote_refunds" => engine.quote_refunds_json(request),
        "check_exchange" => engine.check_exchange_json(request),
        "check_exchanges" => engine.check_exchanges_json(request),
        other => panic!("unknown call {other}"),
    }
}

/// One case of a vector file, resolved: the call, the policy's text and the request.
pub struct Case {
    /// `file #i name`.
    pub name: String,
    pub call: String,
    pub policy: String,
    pub request: Value,
    pub spec: Value,
}

/// Every case of a vector file, its request merged from `base` and `patch`.
pub fn cases(file: &std::path::Path) -> Vec<Case> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut out = Vec::new();
    for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let name =
            format!("{} #{i} {}", file.file_name().unwrap().to_string_lossy(), case["name"].as_str().unwrap_or(""));
        let call = case.get("call").or(doc.get("call")).and_then(Value::as_str).unwrap().to_string();
        let policy_spec = case.get("policy").or(doc.get("policy")).cloned().unwrap_or(Value::Null);
        let mut request = case.get("request").cloned().unwrap_or_else(|| doc.get("base").cloned().unwrap_or(json!({})));
        if let Some(patch) = case.get("patch") {
            json_patch::merge(&mut request, patch);
        }
        out.push(Case { name, call, policy: policy_text(&policy_spec), request, spec: case.clone() });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Random orders, for the laws of refunds and of exchanges (`refund_properties`, `exchange_properties`)

/// One line of a random order.
#[derive(Debug, Clone)]
pub struct Line {
    pub quantity: u64,
    pub unit_price: i64,
    pub discount_per_mille: i64,
    pub tax: i64,
}

/// Lines, the order discount per mille, shipping, whether prices include tax, the payments' weights
/// (1 to `max_payments` of them).
pub fn arb_order(max_payments: usize) -> impl Strategy<Value = (Vec<Line>, i64, i64, bool, Vec<u8>)> {
    (
        prop::collection::vec(
            (1u64..5, 0i64..200_000, 0i64..500, 0i64..5_000).prop_map(
                |(quantity, unit_price, discount_per_mille, tax)| Line {
                    quantity,
                    unit_price,
                    discount_per_mille,
                    tax,
                },
            ),
            1..5,
        ),
        0i64..1000,
        0i64..3000,
        any::<bool>(),
        prop::collection::vec(1u8..100, 1..max_payments + 1),
    )
}

/// The lines as the order's JSON (`L0`, `L1`, …), their subtotal after the line discounts, and their tax.
pub fn json_lines(lines: &[Line]) -> (Vec<Value>, i64, i64) {
    let mut subtotal = 0;
    let mut tax_total = 0;
    let json_lines = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let gross = l.unit_price * l.quantity as i64;
            let discount = gross * l.discount_per_mille / 1000;
            subtotal += gross - discount;
            tax_total += l.tax;
            json!({"id": format!("L{i}"), "quantity": l.quantity, "unit_price": l.unit_price, "discount": discount, "tax": l.tax})
        })
        .collect();
    (json_lines, subtotal, tax_total)
}

/// The order's payments: `charged` shared by the weights in `split` (largest remainder), the
/// `methods` taken in turn.
pub fn payments(charged: i64, split: &[u8], methods: &[&str]) -> Vec<Value> {
    let weights: Vec<i64> = split.iter().map(|w| i64::from(*w)).collect();
    allocate(charged, &weights)
        .into_iter()
        .enumerate()
        .map(|(i, amount)| json!({"method": methods[i % methods.len()], "amount": amount}))
        .collect()
}
