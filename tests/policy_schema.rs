//! The policy's JSON Schema (`pkg/policy.schema.json`) against the loader.
//!
//! - The committed file is what the Rust types generate (else: regenerate it).
//! - Every policy the loader accepts, the schema accepts: the presets, `tests/policies/`, every
//!   policy of the shared vectors that loads. An editor never flags a good policy.
//! - Of the policies the loader refuses, the schema refuses every one whose fault is of shape
//!   (a wrong type, a missing or unknown field, an unknown zone, currency, fact, operator, preset
//!   or reason code); those it lets through are faults only the loader can see (a reference between
//!   sections, an impossible calendar, a date that does not exist), listed here by vector name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use aftersales::PolicyEngine;
use common::{cases, root, vector_files};
use serde_json::{json, Value};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("pkg/policy.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

fn schema_errors(v: &jsonschema::Validator, policy: &Value) -> Vec<String> {
    v.iter_errors(policy).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn the_committed_schema_is_generated_from_the_types() {
    let committed = std::fs::read_to_string(root().join("pkg/policy.schema.json")).unwrap();
    assert!(
        committed == aftersales::schema::schema_text(),
        "pkg/policy.schema.json is stale: run `cargo run --example policy_schema --features schema`"
    );
}

/// Every policy text the tests use: presets, tests/policies, and the vectors' own.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["presets", "tests/policies"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
            out.push((f.display().to_string(), std::fs::read_to_string(&f).unwrap()));
        }
    }
    for file in vector_files() {
        for case in cases(&file) {
            out.push((case.name, case.policy));
        }
    }
    out
}

/// Policies the loader refuses that no JSON Schema could: the fault is between fields or in
/// the calendar, not in the shape.
const BEYOND_A_SCHEMA: &[&str] = &[
    "one date both a holiday and a working day",
    "an interval with no length",
    "deny_reasons naming a reason the policy does not have",
    "two rules with one id",
    "conditions nested 41 deep",
    "a holiday that does not exist",
    "overlapping intervals",
    "two versions taking effect at once",
    "versions of different policies",
    "a make-up day on a date that does not exist",
    "a day off outside its year",
    "a make-up day outside its year",
    "a make-up day on a weekday",
    "a make-up day that is also a day off",
    "a year's day off on a date that does not exist",
    // A return, release, exchange or refund-only condition may test a fact the policy declares
    // (`facts`), under any
    // namespace a declaration may use: an unknown one there, or a declared one compared to a
    // value of another type, is seen against the declarations by the loader only.
    "an unknown fact",
    "comparing the declared number to a string",
    "a release rule on a fact refunds do not have",
    "a release rule comparing the declared number with text",
    "a keep-item condition on a fact refund-only rules do not have",
    "declarations refused: a name without a namespace, one of the engine's own facts",
    "risk refused: a signal id twice",
];

#[test]
fn the_schema_accepts_every_policy_the_loader_accepts_and_refuses_the_malformed() {
    let v = validator();
    let mut problems = Vec::new();
    let (mut accepted, mut refused, mut beyond) = (0, 0, Vec::new());
    for (name, text) in corpus() {
        let Ok(policy) = serde_json::from_str::<Value>(&text) else { continue };
        let errors = schema_errors(&v, &policy);
        match PolicyEngine::new(&text) {
            Ok(_) => {
                accepted += 1;
                if !errors.is_empty() {
                    problems.push(format!("{name}: loads, but the schema refuses it: {}", errors.join("; ")));
                }
            }
            Err(e) => {
                refused += 1;
                if errors.is_empty() {
                    if BEYOND_A_SCHEMA.iter().any(|b| name.contains(b)) {
                        beyond.push(name);
                    } else {
                        problems.push(format!(
                            "{name}: the loader refuses it ({} at {}), the schema does not",
                            e.code.as_str(),
                            e.path
                        ));
                    }
                }
            }
        }
    }
    assert!(accepted > 20 && refused > 20, "corpus too small: {accepted} good, {refused} bad");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("{accepted} good policies accepted, {refused} bad refused ({} only by the loader)", beyond.len());
}

fn sample() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("tests/policies/sportswear-cn.json")).unwrap()).unwrap()
}

#[test]
fn malformed_policies_are_refused_by_both() {
    let v = validator();
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut with = |name: &'static str, patch: Value| {
        let mut p = sample();
        json_patch::merge(&mut p, &patch);
        cases.push((name, p));
    };
    with("a misspelt zone", json!({"timezone": "Asia/Shanghia"}));
    with("an unknown currency", json!({"currency": "RMB"}));
    with("schema 2", json!({"schema": 2}));
    with("a typo in a field", json!({"returns": {"windows": {"days": 7}}}));
    with("a window in text", json!({"returns": {"window": {"days": "7"}}}));
    with(
        "a fee both percent and amount",
        json!({"returns": {"reasons": {"changed_mind": {"restocking_fee": {"percent": 10, "amount": 100}}}}}),
    );
    with("a percent over 100", json!({"refunds": {"partial": {"max_percent": 120}}}));
    with("an amount with a fraction", json!({"refunds": {"return_label_fee": 12.5}}));
    with(
        "an unknown fact outside the namespaces a policy may declare",
        json!({"returns": {"rules": [{"id": "r", "when": {"colour": {"eq": "red"}}, "then": {"deny": true}}]}}),
    );
    with(
        "an unknown operator",
        json!({"returns": {"rules": [{"id": "r", "when": {"customer.tier": {"like": "g%"}}, "then": {"deny": true}}]}}),
    );
    with(
        "a comparison on a text fact",
        json!({"returns": {"rules": [{"id": "r", "when": {"customer.tier": {"gt": 3}}, "then": {"deny": true}}]}}),
    );
    with(
        "eq on a list fact",
        json!({"returns": {"rules": [{"id": "r", "when": {"item.tags": {"eq": "x"}}, "then": {"deny": true}}]}}),
    );
    with(
        "a text where a number is compared",
        json!({"returns": {"rules": [{"id": "r", "when": {"order.days_since_delivery": {"gte": "7"}}, "then": {"deny": true}}]}}),
    );
    with("an unknown message code", json!({"messages": {"RETURN_WINDOW_EXPIRD": {"en": "x"}}}));
    with("a requirement that does not exist", json!({"returns": {"requires": ["clean"]}}));
    with(
        "a duration with two units",
        json!({"sla": {"plans": [{"id": "p", "targets": [{"stage": "first_response", "within": {"hours": 2, "days": 1}}]}]}}),
    );
    let mut p = sample();
    p["extends"] = json!("cn-consumer-lawx");
    cases.push(("an unknown preset", p));
    let mut problems = Vec::new();
    for (name, policy) in &cases {
        let loader = PolicyEngine::new(&policy.to_string());
        let schema = schema_errors(&v, policy);
        if loader.is_ok() {
            problems.push(format!("{name}: the loader accepts it"));
        }
        if schema.is_empty() {
            problems.push(format!("{name}: the schema accepts it"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_policy_extending_a_preset_is_checked_as_a_merge_patch() {
    let v = validator();
    // Only what differs, a key removed with null, a new rule complete: valid for both.
    let good = json!({"schema": 1, "id": "acme", "version": "1", "extends": "cn-consumer-law",
        "returns": {"window": {"days": 15}, "return_shipping": null,
                    "rules": [{"id": "vip", "when": {"customer.tier": {"eq": "vip"}}, "then": {"extend_window": {"days": 10}}}]}});
    assert!(PolicyEngine::new(&good.to_string()).is_ok());
    assert_eq!(schema_errors(&v, &good), Vec::<String>::new());
    // A list item is complete even in a patch: a rule without `then`.
    let bad = json!({"schema": 1, "id": "acme", "version": "1", "extends": "cn-consumer-law",
        "returns": {"rules": [{"id": "vip"}]}});
    assert!(PolicyEngine::new(&bad.to_string()).is_err());
    assert!(!schema_errors(&v, &bad).is_empty());
    // Without `id` a patch is refused by both (a policy never inherits its id).
    let no_id = json!({"schema": 1, "version": "1", "extends": "us-retail"});
    assert!(PolicyEngine::new(&no_id.to_string()).is_err());
    assert!(!schema_errors(&v, &no_id).is_empty());
}
