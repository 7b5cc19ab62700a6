//! Hostile sizes and shapes are refused with LIMIT_EXCEEDED (or another code) and a path, never a
//! stack overflow or a hang; and the same engine keeps answering correctly after any refusal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::{ErrorCode, PolicyEngine};

fn sample_policy() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policies/sportswear-cn.json")).unwrap()
}

fn sample_request() -> String {
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/returns-acceptance.json"))
            .unwrap(),
    )
    .unwrap();
    v["base"].to_string()
}

#[test]
fn a_50_mb_policy_is_refused_before_it_is_read() {
    let huge = format!(r#"{{"schema": 1, "id": "{}"}}"#, "x".repeat(50 * 1024 * 1024));
    let e = PolicyEngine::new(&huge).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitExceeded);
}

#[test]
fn a_condition_100000_deep_is_refused_without_overflowing_the_stack() {
    let deep =
        format!("{}{}{}", r#"{"not":"#.repeat(100_000), r#"{"customer.tier":{"eq":"gold"}}"#, "}".repeat(100_000));
    let policy = sample_policy().replace(r#""when": {"customer.tier": {"eq": "gold"}}"#, &format!(r#""when": {deep}"#));
    assert!(policy.len() > 700_000);
    let e = PolicyEngine::new(&policy).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitExceeded);
}

#[test]
fn a_request_nested_100000_deep_is_refused_without_overflowing_the_stack() {
    let engine = PolicyEngine::new(&sample_policy()).unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Refused at the first value of the wrong type, before any depth builds up; the point is that
    // nothing overflows the stack and the engine answers the next request.
    assert!(engine.check_return_json(&deep).is_err());
    let in_field = sample_request().replace(r#""reason":"changed_mind""#, &format!(r#""reason":{deep}"#));
    assert_eq!(engine.check_return_json(&in_field).unwrap_err().path, "reason");
    let batch = format!("[{}]", deep);
    let answers: serde_json::Value = serde_json::from_str(&engine.check_returns_json(&batch).unwrap()).unwrap();
    assert_eq!(answers[0]["ok"], false);
    assert!(engine.check_return_json(&sample_request()).is_ok());
}

#[test]
fn too_many_lines_rules_and_long_strings_are_refused_with_paths() {
    let engine = PolicyEngine::new(&sample_policy()).unwrap();
    let mut req: serde_json::Value = serde_json::from_str(&sample_request()).unwrap();
    let line = req["order"]["lines"][0].clone();
    req["order"]["lines"] = (0..1001)
        .map(|i| {
            let mut l = line.clone();
            l["id"] = format!("L{i}").into();
            l
        })
        .collect();
    let e = engine.check_return_json(&req.to_string()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "order.lines"));

    let mut req: serde_json::Value = serde_json::from_str(&sample_request()).unwrap();
    req["order"]["lines"][0]["sku"] = "S".repeat(10_000).into();
    let e = engine.check_return_json(&req.to_string()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "order.lines[0].sku"));

    let mut policy: serde_json::Value = serde_json::from_str(&sample_policy()).unwrap();
    let rule = policy["returns"]["rules"][1].clone();
    policy["returns"]["rules"] = (0..501)
        .map(|i| {
            let mut r = rule.clone();
            r["id"] = format!("r{i}").into();
            r
        })
        .collect();
    let e = PolicyEngine::from_value(policy).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "returns.rules"));
}

#[test]
fn after_10000_interleaved_bad_and_good_calls_the_engine_still_answers_correctly() {
    let engine = PolicyEngine::new(&sample_policy()).unwrap();
    let good = sample_request();
    let expected = engine.check_return_json(&good).unwrap();
    let hostile = [
        String::new(),
        "null".into(),
        "[]".into(),
        "\u{0}".into(),
        "{".repeat(5000),
        good.replace(r#""quantity":1"#, r#""quantity":-1"#),
        good.replace(r#""unit_price":59900"#, r#""unit_price":599.5"#),
        good.replace(r#""now":"2026-11-23T10:00:00+08:00""#, r#""now":"yesterday""#),
        good.replace(r#""line_id":"L1""#, &format!(r#""line_id":"{}""#, "L".repeat(100_000))),
    ];
    for i in 0..10_000 {
        assert!(engine.check_return_json(&hostile[i % hostile.len()]).is_err());
        assert_eq!(engine.check_return_json(&good).unwrap(), expected);
    }
}

#[test]
fn a_batch_over_100000_requests_is_refused_whole() {
    let engine = PolicyEngine::new(&sample_policy()).unwrap();
    let batch = format!("[{}{{}}]", "{},".repeat(100_000));
    let e = engine.check_returns_json(&batch).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitExceeded);
    let ok: serde_json::Value =
        serde_json::from_str(&engine.check_returns_json(&format!("[{}]", sample_request())).unwrap()).unwrap();
    assert_eq!(ok[0]["ok"], true);
}

#[test]
fn a_refund_of_a_line_of_billions_of_units_is_refused_not_allocated() {
    // Each unit's paid share is kept: 2^32 units would ask for 64 GiB and abort the process.
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/refunds-acceptance.json"))
            .unwrap(),
    )
    .unwrap();
    let policy =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policies/refunds-cn.json")).unwrap();
    let engine = PolicyEngine::new(&policy).unwrap();
    let mut request = v["base"].clone();
    request["order"]["lines"][0]["quantity"] = serde_json::json!(4_294_967_296u64);
    let e = engine.quote_refund_json(&request.to_string()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "order.lines[0].quantity"));
    assert_eq!(e.message, "a refund quotes lines of at most 1000000 units");
}
