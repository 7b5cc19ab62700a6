//! What the native vector runners share: finding the vector files, loading their policies, and
//! calling the engine the way every runtime does (JSON text in, JSON text out).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, dead_code)]

use aftersales::PolicyEngine;
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
