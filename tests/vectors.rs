//! Runs every shared vector in `tests/vectors/` through the native engine. The same files run in
//! Node and in headless Chromium (`tests/js/`), which also compare their answers byte for byte
//! with the native ones this run writes to `target/vector-outputs/`.
//!
//! A vector file: `{"call", "policy", "base", "cases": [{"name", "patch" | "request",
//! "policy"?, "expect" | "expect_error"}]}`. A case's request is `base` with `patch` merged in
//! (RFC 7386). `expect` is worked out by hand and matched as a subset: every key it names must be
//! equal, arrays element by element and of the same length.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::PolicyEngine;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vector_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root().join("tests/vectors")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn policy_text(spec: &Value) -> String {
    match spec {
        Value::String(name) => std::fs::read_to_string(root().join(format!("tests/policies/{name}.json"))).unwrap(),
        other => other.to_string(),
    }
}

/// Calls the engine the way every runtime does: JSON text in, JSON text out.
fn call(engine: &PolicyEngine, name: &str, request: &str) -> Result<String, aftersales::PolicyError> {
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
        other => panic!("unknown call {other}"),
    }
}

/// Checks that `actual` contains everything `expect` says.
fn matches(expect: &Value, actual: &Value, at: &str, problems: &mut Vec<String>) {
    match (expect, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => matches(ev, av, &format!("{at}.{k}"), problems),
                    None => problems.push(format!("{at}.{k}: missing (expected {ev})")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                problems.push(format!("{at}: expected {} elements, got {}: {}", e.len(), a.len(), actual));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{at}[{i}]"), problems);
            }
        }
        (e, a) if e == a => {}
        (e, a) => problems.push(format!("{at}: expected {e}, got {a}")),
    }
}

#[test]
fn shared_vectors() {
    let out_dir = root().join("target/vector-outputs");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut engines: BTreeMap<String, Result<PolicyEngine, aftersales::PolicyError>> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in vector_files() {
        let rel = file.strip_prefix(root().join("tests/vectors")).unwrap().to_string_lossy().replace('/', "__");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut outputs = Vec::new();
        for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
            let name =
                format!("{} #{i} {}", file.file_name().unwrap().to_string_lossy(), case["name"].as_str().unwrap_or(""));
            let call_name = case.get("call").or(doc.get("call")).and_then(Value::as_str).unwrap();
            let policy_spec = case.get("policy").or(doc.get("policy")).cloned().unwrap_or(Value::Null);
            let text = policy_text(&policy_spec);
            let engine = engines.entry(text.clone()).or_insert_with(|| PolicyEngine::new(&text));
            let result = if call_name == "load_policy" {
                engine.as_ref().map(|e| serde_json::to_string(&e.info()).unwrap()).map_err(Clone::clone)
            } else {
                let mut request =
                    case.get("request").cloned().unwrap_or_else(|| doc.get("base").cloned().unwrap_or(json!({})));
                if let Some(patch) = case.get("patch") {
                    json_patch::merge(&mut request, patch);
                }
                match engine {
                    Ok(engine) => call(engine, call_name, &request.to_string()),
                    Err(e) => Err(e.clone()),
                }
            };
            let printed = match &result {
                Ok(text) => {
                    json!({"ok": true, "value": serde_json::from_str::<Value>(text).unwrap()})
                }
                Err(e) => json!({"ok": false, "error": e}),
            };
            outputs.push(match &result {
                Ok(text) => format!("{{\"ok\":true,\"value\":{text}}}"),
                Err(e) => serde_json::to_string(&json!({"ok": false, "error": e})).unwrap(),
            });
            let mut problems = Vec::new();
            match (case.get("expect"), case.get("expect_error")) {
                (Some(expect), _) => matches(&json!({"ok": true, "value": expect}), &printed, "", &mut problems),
                (None, Some(expect)) => matches(&json!({"ok": false, "error": expect}), &printed, "", &mut problems),
                (None, None) => problems.push("the case has neither expect nor expect_error".into()),
            }
            if !problems.is_empty() {
                failures.push(format!("{name}\n  {}\n  answer: {printed}", problems.join("\n  ")));
            }
            ran += 1;
        }
        std::fs::write(out_dir.join(rel), outputs.join("\n") + "\n").unwrap();
    }
    assert!(ran > 0, "no vectors found");
    assert!(failures.is_empty(), "{} of {ran} vectors failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{ran} vectors passed");
}

#[test]
fn vector_files_exist() {
    assert!(Path::new(&root().join("tests/vectors")).is_dir());
}
