//! Laws of return eligibility and policy loading, over thousands of generated cases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::policy::{canonical_json, fingerprint};
use aftersales::PolicyEngine;
use proptest::prelude::*;
use serde_json::{json, Value};

fn policy(base_days: u64, extend: Option<u64>) -> Value {
    let mut rules = vec![];
    if let Some(days) = extend {
        rules.push(json!({"id": "extend", "when": {"customer.tier": {"eq": "gold"}}, "then": {"extend_window": {"days": days}}}));
    }
    json!({"schema": 1, "id": "p", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
           "returns": {"window": {"days": base_days}, "reasons": {"changed_mind": {}}, "rules": rules}})
}

fn request(delivered_offset_min: i64, now_offset_min: i64) -> Value {
    let placed = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+08:00").unwrap();
    let delivered = placed + chrono::Duration::minutes(delivered_offset_min);
    let now = delivered + chrono::Duration::minutes(now_offset_min);
    json!({"now": now.to_rfc3339(), "reason": "changed_mind",
           "order": {"id": "A", "currency": "CNY", "placed_at": placed.to_rfc3339(), "delivered_at": delivered.to_rfc3339(),
                     "customer": {"tier": "gold"}, "lines": [{"id": "L1", "quantity": 1, "unit_price": 100}]},
           "items": [{"line_id": "L1", "quantity": 1}]})
}

fn decide(policy: &Value, request: &Value) -> Value {
    let engine = PolicyEngine::from_value(policy.clone()).unwrap();
    serde_json::from_str(&engine.check_return_json(&request.to_string()).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A rule that extends the window never turns an approval into a denial, and never moves the
    /// deadline earlier.
    #[test]
    fn extending_a_window_never_shrinks_it(base in 0u64..60, extra in 0u64..60, delivered in 0i64..100_000, after in 0i64..200_000) {
        let req = request(delivered, after);
        let plain = decide(&policy(base, None), &req);
        let extended = decide(&policy(base, Some(extra)), &req);
        if plain["eligible"] == json!(true) {
            prop_assert_eq!(&extended["eligible"], &json!(true));
        }
        prop_assert!(extended["deadline"].as_str().unwrap() >= plain["deadline"].as_str().unwrap());
    }

    /// The deadline is never before the delivery it counts from, and a request before it is inside.
    #[test]
    fn deadlines_follow_their_start(base in 0u64..400, delivered in 0i64..1_000_000, after in 0i64..10_000) {
        let req = request(delivered, after);
        let d = decide(&policy(base, None), &req);
        let deadline = chrono::DateTime::parse_from_rfc3339(d["deadline"].as_str().unwrap()).unwrap();
        let delivered_at = chrono::DateTime::parse_from_rfc3339(req["order"]["delivered_at"].as_str().unwrap()).unwrap();
        prop_assert!(deadline > delivered_at);
        let now = chrono::DateTime::parse_from_rfc3339(req["now"].as_str().unwrap()).unwrap();
        prop_assert_eq!(d["eligible"].as_bool().unwrap(), now <= deadline);
    }

    /// The same input gives the same bytes.
    #[test]
    fn evaluation_is_deterministic(base in 0u64..60, delivered in 0i64..100_000, after in 0i64..100_000) {
        let engine = PolicyEngine::from_value(policy(base, Some(3))).unwrap();
        let text = request(delivered, after).to_string();
        prop_assert_eq!(engine.check_return_json(&text).unwrap(), engine.check_return_json(&text).unwrap());
    }

    /// A batch answers each request as a call of its own would: a decision, or the same error
    /// with `[i]` before its path; whether every request can be read (answered in one pass) or
    /// some cannot (answered one by one) makes no difference.
    #[test]
    fn a_batch_answers_each_request_as_its_own_call_would(
        cases in prop::collection::vec((0i64..100_000, 0i64..100_000, 0u8..4), 1..8)
    ) {
        let engine = PolicyEngine::from_value(policy(30, Some(3))).unwrap();
        let texts: Vec<String> = cases
            .iter()
            .map(|(delivered, after, kind)| {
                let mut r = request(*delivered, *after);
                match kind {
                    1 => r["items"][0]["quantity"] = json!(99),   // judged, refused: more than bought
                    2 => r["items"][0]["quantity"] = json!("x"),  // cannot be read
                    _ => {}
                }
                r.to_string()
            })
            .collect();
        let batch: Value = serde_json::from_str(&engine.check_returns_json(&format!("[{}]", texts.join(","))).unwrap()).unwrap();
        prop_assert_eq!(batch.as_array().unwrap().len(), texts.len());
        for (i, text) in texts.iter().enumerate() {
            let expected = match engine.check_return_json(text) {
                Ok(answer) => json!({"ok": true, "value": serde_json::from_str::<Value>(&answer).unwrap()}),
                Err(e) => json!({"ok": false, "error": serde_json::to_value(e.under(&format!("[{i}]"))).unwrap()}),
            };
            prop_assert_eq!(&batch[i], &expected);
        }
    }

    /// Arbitrary text never panics the loader or the evaluator.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = PolicyEngine::new(&text);
        let engine = PolicyEngine::from_value(policy(30, Some(3))).unwrap();
        let _ = engine.check_return_json(&text);
        let _ = engine.check_returns_json(&text);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-z]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_.]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Canonicalisation is idempotent, and the fingerprint ignores key order and white space.
    #[test]
    fn fingerprint_ignores_layout(v in arb_json()) {
        let canonical = canonical_json(&v);
        let reparsed: Value = serde_json::from_str(&canonical).unwrap();
        prop_assert_eq!(canonical_json(&reparsed), canonical.clone());
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        prop_assert_eq!(fingerprint(&serde_json::from_str(&pretty).unwrap()), fingerprint(&v));
    }

    /// Structured but wrong requests never panic; they answer or refuse with a path.
    #[test]
    fn arbitrary_requests_never_panic(v in arb_json()) {
        let engine = PolicyEngine::from_value(policy(30, Some(3))).unwrap();
        let _ = engine.check_return_json(&v.to_string());
        let _ = PolicyEngine::from_value(v);
    }
}

#[test]
fn fingerprint_ignores_key_order_of_a_real_policy() {
    let a = PolicyEngine::new(r#"{"schema":1,"id":"p","version":"1","currency":"CNY","timezone":"Asia/Shanghai"}"#)
        .unwrap();
    let b = PolicyEngine::new("{\n  \"timezone\": \"Asia/Shanghai\", \"currency\": \"CNY\",\n \"version\": \"1\", \"id\": \"p\", \"schema\": 1 }").unwrap();
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert!(a.fingerprint().starts_with("sha256:") && a.fingerprint().len() == 7 + 64);
}
