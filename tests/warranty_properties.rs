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
