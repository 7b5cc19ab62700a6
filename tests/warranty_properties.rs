//! Laws of warranty decisions under the law's floor, over thousands of generated claims: the
//! EU legal guarantee (Directive 2019/771 Art. 10) never takes anything away from what the terms
//! give, and gives a free repair or replacement exactly when the law says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::PolicyEngine;
use chrono::{Days, Months, NaiveDate};
use proptest::prelude::*;
use serde_json::{json, Value};

const KINDS: [&str; 5] = ["manufacturing_defect", "performance_fault", "not_as_described", "wear", "cosmetic"];

fn policy(jurisdiction: &str, months: u32) -> Value {
    json!({"schema": 1, "id": "w", "version": "1", "currency": "EUR", "timezone": "Europe/Berlin",
           "jurisdiction": jurisdiction,
           "warranty": {"terms": [{"id": "shop", "period": {"months": months}, "from": "delivery",
                                   "extend_by_repair_days": false}]}})
}

fn decide(policy: &Value, claim: &Value) -> Value {
    let engine = PolicyEngine::from_value(policy.clone()).unwrap();
    serde_json::from_str(&engine.check_warranty_json(&claim.to_string()).unwrap()).unwrap()
}

fn free(decision: &Value, remedy: &str) -> bool {
    decision["remedies"].as_array().unwrap().iter().any(|r| r["remedy"] == remedy && r["free"] == true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_legal_guarantee_only_adds(
        months in 1u32..36,
        delivered_days in 0u64..1_795,
        fault_after in 0u64..1_200,
        kind in 0usize..KINDS.len(),
        dropped in any::<bool>(),
        proof in any::<bool>(),
        repaired in proptest::option::of((0u64..1_200, any::<bool>())),
    ) {
        let now = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let delivered = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Days::new(delivered_days);
        let fault = (delivered + Days::new(fault_after)).min(now);
        let claim = json!({
            "now": "2026-11-30T12:00:00+01:00", "product": {"category": "appliances"},
            "purchase_date": delivered.to_string(), "delivery_date": delivered.to_string(),
            "fault_date": fault.to_string(), "fault_kind": KINDS[kind], "proof_of_purchase": proof,
            "external_factors": if dropped { json!(["dropped"]) } else { json!([]) },
            "repairs": repaired.map_or(json!([]), |(after, fixed)| json!([{
                "date": (delivered + Days::new(after)).min(fault).to_string(), "fixed": fixed}])),
        });
        let failed_repair = repaired.is_some_and(|(_, fixed)| !fixed);
        let terms_only = decide(&policy("US", months), &claim);
        let with_law = decide(&policy("EU", months), &claim);

        // Nothing the terms give is taken away.
        if terms_only["covered"] == true {
            prop_assert_eq!(&with_law["covered"], &json!(true));
        }
        for remedy in ["return", "replace", "repair"] {
            if free(&terms_only, remedy) {
                prop_assert!(free(&with_law, remedy), "{remedy} was free under the terms alone");
            }
        }
        // The law's own condition: a lack of conformity, shown within 2 years of delivery.
        let inside = fault <= delivered.checked_add_months(Months::new(24)).unwrap();
        let conformity = KINDS[kind] != "wear" && KINDS[kind] != "cosmetic";
        let law_applies = proof && conformity && !dropped && inside;
        prop_assert_eq!(with_law["covered"] == true, terms_only["covered"] == true || law_applies);
        if law_applies {
            prop_assert!(free(&with_law, "repair") && free(&with_law, "replace"));
            // A repair that did not cure the defect opens a return for a refund (Art. 13(4)).
            if failed_repair {
                prop_assert!(free(&with_law, "return"));
            }
            prop_assert_eq!(&with_law["quote"], &Value::Null);
        }
        let cites_law = with_law["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "LEGAL_GUARANTEE");
        if terms_only["covered"] != true && law_applies {
            prop_assert!(cites_law);
        }
        if !law_applies {
            prop_assert!(!cites_law);
            prop_assert_eq!(&with_law["remedies"], &terms_only["remedies"]);
        }
    }
}

/// A term paying `parts`, `labour` and `other` tenths of a percent of each cost, times a pro-rata
/// share of `pro_rata` tenths of a percent in the first 12 months.
fn shared_policy(
    parts: u32,
    labour: u32,
    other: u32,
    pro_rata: u32,
    rounding: &str,
    part_price: i64,
    rate: i64,
) -> Value {
    let pct = |t: u32| serde_json::from_str::<Value>(&format!("{}.{}", t / 10, t % 10)).unwrap();
    json!({"schema": 1, "id": "s", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
           "warranty": {"terms": [{"id": "shared", "period": {"months": 24},
                                   "coverage": {"parts": pct(parts), "labour": pct(labour), "other": pct(other)},
                                   "pro_rata": [{"until_month": 12, "percent": pct(pro_rata)}]}],
                        "price_list": {"labour_per_hour": rate, "diagnostic_fee": 5000, "parts": {"P": part_price}},
                        "rounding": rounding}})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Whatever the costs and shares: each line's covered and payable add up to its cost exactly,
    /// neither is negative, the totals are the sums of the lines, the repair's price is the quote's
    /// total, and (rounding half up) the payable is the customer's exact share rounded half up.
    #[test]
    fn covered_and_payable_add_up_to_the_cost(
        parts in 0u32..=1000, labour in 0u32..=1000, other in 0u32..=1000, pro_rata in 0u32..=1000,
        rounding in 0usize..3,
        part_price in 0i64..2_000_000_000, rate in 0i64..2_000_000, tenths in 0u32..10_000, other_cost in 0i64..1_000_000_000,
    ) {
        let rounding_name = ["half_up", "half_even", "down"][rounding];
        let policy = shared_policy(parts, labour, other, pro_rata, rounding_name, part_price, rate);
        let hours: Value = serde_json::from_str(&format!("{}.{}", tenths / 10, tenths % 10)).unwrap();
        let claim = json!({"now": "2026-11-23T10:00:00+08:00", "product": {"category": "x"},
                           "purchase_date": "2026-06-01", "fault_date": "2026-11-20", "proof_of_purchase": true,
                           "proposed_repair": {"parts": ["P"], "labour_hours": hours, "other": other_cost}});
        let d = decide(&policy, &claim);
        let repair = d["remedies"].as_array().unwrap().iter().find(|r| r["remedy"] == "repair").unwrap().clone();
        let whole = [parts, labour, other].iter().all(|&p| p * pro_rata == 1_000_000);
        if whole {
            prop_assert_eq!(&d["quote"], &Value::Null);
            prop_assert_eq!(&repair["price"], &json!(0));
            return Ok(());
        }
        let q = &d["quote"];
        let (mut cost, mut covered, mut payable) = (0i64, 0i64, 0i64);
        for line in q["lines"].as_array().unwrap() {
            let (a, c, p) = (line["amount"].as_i64().unwrap(), line["covered"].as_i64().unwrap(), line["payable"].as_i64().unwrap());
            prop_assert_eq!(c + p, a, "{}", line);
            prop_assert!(c >= 0 && p >= 0, "{}", line);
            if rounding_name == "half_up" {
                let share = match line["code"].as_str().unwrap() { "PART" => parts, "LABOUR" => labour, _ => other };
                // The customer's share of a, exactly: a × (10^6 − share × pro_rata) / 10^6, rounded half up.
                let num = i128::from(a) * (1_000_000 - i128::from(share * pro_rata));
                prop_assert_eq!(i128::from(p), (2 * num + 1_000_000) / 2_000_000, "{}", line);
            }
            cost += a;
            covered += c;
            payable += p;
        }
        prop_assert_eq!(q["cost"].as_i64().unwrap(), cost);
        prop_assert_eq!(q["covered"].as_i64().unwrap(), covered);
        prop_assert_eq!(q["total"].as_i64().unwrap(), payable);
        prop_assert_eq!(&repair["price"], &q["total"]);
        prop_assert_eq!(repair["free"].as_bool().unwrap(), payable == 0);
    }
}

/// A product that cannot be repaired inside the EU legal guarantee: replacement or, the repair
/// being impossible, a refund (Directive 2019/771 Art. 13(2) and 13(4)(a)), whether or not the
/// shop's own terms still run; outside both, nothing.
#[test]
fn an_unrepairable_product_under_the_eu_guarantee_is_replaced_or_refunded() {
    let claim = |fault: &str| {
        json!({"now": "2026-11-30T12:00:00+01:00", "product": {"category": "appliances"},
               "purchase_date": "2025-03-01", "delivery_date": "2025-03-01", "fault_date": fault,
               "proof_of_purchase": true, "repairable": false})
    };
    let kinds = |d: &Value| -> Vec<(String, bool)> {
        d["remedies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["remedy"].as_str().unwrap().into(), r["free"] == true))
            .collect()
    };
    let owed = vec![("return".to_string(), true), ("replace".to_string(), true)];
    // 12 months of the shop's terms ended on 1 Mar 2026; the law runs to 1 Mar 2027.
    let by_law = decide(&policy("EU", 12), &claim("2026-11-20"));
    assert_eq!(kinds(&by_law), owed);
    let codes: Vec<&str> = by_law["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["LEGAL_GUARANTEE", "UNREPAIRABLE"]);
    assert_eq!(by_law["reasons"][1]["figures"]["remedies"], json!(["return", "replace"]));
    // Inside the shop's 24 months too: the term would give a replacement, the law adds the refund.
    assert_eq!(kinds(&decide(&policy("EU", 24), &claim("2026-11-20"))), owed);
    // In the US, the terms alone: replacement inside them, nothing after.
    assert_eq!(kinds(&decide(&policy("US", 24), &claim("2026-11-20"))), vec![("replace".to_string(), true)]);
    assert_eq!(kinds(&decide(&policy("US", 12), &claim("2026-11-20"))), vec![]);
}
