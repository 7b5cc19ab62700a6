//! The presets shipped with the engine: each loads on its own and as the base of a merchant's
//! policy, and the statutory check finds exactly the places, worked out by hand, where a policy
//! goes below the law (the other warnings are in tests/vectors/policy-warnings.json).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::presets::PRESETS;
use aftersales::{validate_policy, PolicyEngine};
use serde_json::{json, Value};

/// The paths of the `BELOW_STATUTORY_MINIMUM` warnings.
fn warning_paths(policy: &Value) -> Vec<String> {
    all_warnings(policy).into_iter().filter(|(code, _)| code == "BELOW_STATUTORY_MINIMUM").map(|(_, p)| p).collect()
}

/// Every warning, as (code, path).
fn all_warnings(policy: &Value) -> Vec<(String, String)> {
    let v = validate_policy(&policy.to_string());
    assert!(v.ok, "{policy}: {:?}", v.errors);
    v.warnings.iter().map(|w| (w.code.to_string(), w.path.clone())).collect()
}

#[test]
fn every_preset_loads_on_its_own_and_extended() {
    for preset in PRESETS {
        let engine = PolicyEngine::new(preset.text).unwrap_or_else(|e| panic!("{}: {e}", preset.name));
        assert_eq!(engine.info().id, preset.name);
        let doc: Value = serde_json::from_str(preset.text).unwrap();
        assert!(doc["$comment"].as_str().is_some_and(|c| c.len() > 100), "{} cites its sources", preset.name);
        let shop = json!({"extends": preset.name, "id": "shop", "version": "1"});
        let extended = PolicyEngine::new(&shop.to_string()).unwrap();
        assert_eq!(extended.info().extends.as_deref(), Some(preset.name));
    }
}

#[test]
fn law_presets_meet_their_own_floor() {
    for name in ["cn-consumer-law", "eu-consumer-rights", "us-retail"] {
        let text = PRESETS.iter().find(|p| p.name == name).unwrap().text;
        assert_eq!(warning_paths(&serde_json::from_str(text).unwrap()), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn law_presets_leave_the_repair_prices_to_the_merchant() {
    // A law preset has warranty terms but no price list: a paid repair would be quoted nothing.
    for name in ["cn-consumer-law", "eu-consumer-rights", "us-retail"] {
        let text = PRESETS.iter().find(|p| p.name == name).unwrap().text;
        let found = all_warnings(&serde_json::from_str(text).unwrap());
        assert_eq!(found, [("PAID_REMEDY_WITHOUT_PRICE".to_string(), "warranty.price_list".to_string())], "{name}");
    }
}

#[test]
fn the_brand_warns_of_nothing() {
    // The sample brand gives an opened box and clearance items the law's 7 days from delivery
    // (rules, not a requirement or a refusal below the law), counts its first response in clock
    // hours (before the 24-hour solution and the 48-hour resolution whatever the start), and
    // prices its paid repairs.
    let found = all_warnings(&json!({"extends": "sportswear-cn", "id": "shop", "version": "1"}));
    assert_eq!(found, Vec::<(String, String)>::new());
}

#[test]
fn below_the_floor_is_found_with_its_path() {
    let policy = json!({
        "extends": "cn-consumer-law", "id": "shop", "version": "1",
        "returns": {
            "reasons": {"changed_mind": {"window": {"days": 5}, "restocking_fee": {"percent": 10}},
                        "defective": {"return_shipping": "customer"}},
            "rules": [
                {"id": "custom-ok", "when": {"item.tags": {"contains": "custom"}}, "then": {"deny_reasons": ["changed_mind"]}},
                {"id": "sale", "when": {"item.tags": {"contains": "sale"}}, "then": {"deny_reasons": ["changed_mind"]}},
                {"id": "no-underwear", "when": {"item.category": {"eq": "underwear"}}, "then": {"deny": true}}
            ]
        },
        "sla": {"plans": [{"id": "refund", "targets": [
            {"stage": "refund_review", "within": {"business_days": 3}, "done": "approved_at"},
            {"stage": "refund_payout", "within": {"business_days": 5}, "starts": "approved_at", "done": "paid_at"}]}]}
    });
    let paths = warning_paths(&policy);
    assert_eq!(
        paths,
        [
            "returns.reasons.changed_mind.window.days",
            "returns.reasons.changed_mind.restocking_fee",
            "returns.rules[1].then.deny_reasons[0]",
            "returns.rules[2].then.deny",
            "returns.reasons.defective.return_shipping",
            // 3 + 5 working days straddle two weekends: 12 calendar days > 7.
            "sla.plans[0].targets[1].within",
        ]
    );
}

#[test]
fn eu_floor_checks_delivery_refund_and_guarantee() {
    let policy = json!({
        "extends": "eu-consumer-rights", "id": "shop", "version": "1",
        "returns": {"reasons": {"changed_mind": {"requires": ["unused", "proof_of_purchase"]}}},
        "refunds": {"shipping": "merchant_fault"},
        "warranty": {"terms": [{"id": "one-year", "period": {"months": 12}}]}
    });
    assert_eq!(
        warning_paths(&policy),
        ["returns.reasons.changed_mind.requires[0]", "refunds.shipping", "warranty.terms[0].period"]
    );
}

#[test]
fn a_rule_for_requests_after_the_statutory_days_is_not_below_the_law() {
    // The right runs 7 days from delivery (to the end of day 7): a rule for day 8 on is outside it.
    let rule = |op: &str, days: u64| {
        json!({"extends": "cn-consumer-law", "id": "shop", "version": "1", "returns": {"rules": [
            {"id": "late-box", "when": {"all": [{"request.reason": {"eq": "changed_mind"}},
                                                  {"order.days_since_delivery": {op: days}}]},
             "then": {"require": ["original_packaging"]}}]}})
    };
    assert_eq!(warning_paths(&rule("gt", 7)), Vec::<String>::new());
    assert_eq!(warning_paths(&rule("gte", 8)), Vec::<String>::new());
    assert_eq!(warning_paths(&rule("gte", 7)), ["returns.rules[0].then.require[0]"]);
}

#[test]
fn us_has_no_statutory_floor() {
    let policy = json!({"extends": "us-retail", "id": "shop", "version": "1",
        "returns": {"window": {"days": 3}}});
    assert_eq!(warning_paths(&policy), Vec::<String>::new());
}

#[test]
fn the_merged_document_is_fingerprinted() {
    let a = PolicyEngine::new(&json!({"extends": "us-retail", "id": "shop", "version": "1"}).to_string()).unwrap();
    let b = PolicyEngine::new(
        &json!({"extends": "us-retail", "id": "shop", "version": "1", "returns": {"window": {"days": 45}}}).to_string(),
    )
    .unwrap();
    assert_ne!(a.fingerprint(), b.fingerprint());
    let err = PolicyEngine::new(&json!({"extends": "us-retail", "version": "1"}).to_string()).err().unwrap();
    assert_eq!(err.path, "id", "a policy names itself; the preset's id is not inherited");
}
