//! Runs every shared vector in `tests/vectors/` through the native engine. The same files run in
//! Node and in headless Chromium (`tests/js/`), which also compare their answers byte for byte
//! with the native ones this run writes to `target/vector-outputs/`.
//!
//! A vector file: `{"call", "policy", "base", "cases": [{"name", "patch" | "request",
//! "policy"?, "expect" | "expect_error"}]}`. A case's request is `base` with `patch` merged in
//! (RFC 7386). The calls `load_policy` and `validate_policy` take the case's policy alone (and
//! `validate_policy` the `locale` of its request, for the warnings' words).
//! `expect` is worked out by hand and matched as a subset: every key it names must be
//! equal, arrays element by element and of the same length.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use aftersales::PolicyEngine;
use common::{call, cases, root, vector_files};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

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
        let mut outputs = Vec::new();
        for case in cases(&file) {
            let name = case.name;
            let text = case.policy;
            let engine = engines.entry(text.clone()).or_insert_with(|| PolicyEngine::new(&text));
            let result = if case.call == "validate_policy" {
                let locale = aftersales::Locale::parse(case.request["locale"].as_str().unwrap_or("en"));
                Ok(serde_json::to_string(&aftersales::validate_policy_in(&text, locale)).unwrap())
            } else if case.call == "load_policy" {
                engine.as_ref().map(|e| serde_json::to_string(&e.info()).unwrap()).map_err(Clone::clone)
            } else {
                match engine {
                    Ok(engine) => call(engine, &case.call, &case.request.to_string()),
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
            match (case.spec.get("expect"), case.spec.get("expect_error")) {
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
