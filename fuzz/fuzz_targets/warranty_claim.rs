//! Structure-aware warranty claims against the sample warranty policy: arbitrary dates (including
//! impossible ones), categories, external factors, repair histories and proposed repairs. The
//! engine answers or refuses with a path, never panics; a warranty never ends before it starts.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn engine() -> &'static aftersales::PolicyEngine {
    static ENGINE: OnceLock<aftersales::PolicyEngine> = OnceLock::new();
    ENGINE.get_or_init(|| aftersales::PolicyEngine::new(include_str!("../../tests/policies/warranty-cn.json")).unwrap_or_else(|e| panic!("{e}")))
}

#[derive(Arbitrary, Debug)]
struct Input {
    category: u8,
    purchase: (u16, u8, u8),
    fault_after_days: u16,
    proof: bool,
    factors: Vec<u8>,
    repairs: Vec<(u16, u8, bool, bool)>,
    parts: Vec<u8>,
    hours_quarters: Option<u16>,
    extended_months: Option<u8>,
    kind: u8,
}

fuzz_target!(|i: Input| {
    let categories = ["electronics", "footwear", "cables", "furniture"];
    let factors = ["dropped", "water", "physical_damage", "unauthorized_repair", "misuse"];
    let purchase = format!("{:04}-{:02}-{:02}", 2020 + i.purchase.0 % 8, i.purchase.1 % 14, i.purchase.2 % 33);
    let fault = chrono::NaiveDate::parse_from_str(&purchase, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(i64::from(i.fault_after_days % 1500))).to_string())
        .unwrap_or_else(|_| "2026-11-23".into());
    let fault_kind = ["manufacturing_defect", "performance_fault", "wear"][usize::from(i.kind) % 3];
    let claim = json!({"now": "2031-01-01T10:00:00+08:00", "product": {"category": categories[usize::from(i.category) % 4], "serial_number": "SN"},
        "purchase_date": purchase, "fault_date": fault, "fault": "f", "proof_of_purchase": i.proof,
        "fault_kind": fault_kind,
        "external_factors": i.factors.iter().take(5).map(|f| factors[usize::from(*f) % 5]).collect::<Vec<_>>(),
        "repairs": i.repairs.iter().take(6).map(|(d, days, fixed, same)| json!({"date": format!("{:04}-{:02}-15", 2020 + d % 8, 1 + d % 12),
            "days_in_repair": days, "fixed": fixed, "fault": if *same { "f" } else { "g" }})).collect::<Vec<_>>(),
        "extended_warranty_months": i.extended_months,
        "proposed_repair": {"parts": i.parts.iter().take(4).map(|p| ["SCREEN-1", "BATTERY-1", "NOPE"][usize::from(*p) % 3]).collect::<Vec<_>>(),
                            "labour_hours": i.hours_quarters.map(|q| f64::from(q % 4000) / 4.0)}});
    let Ok(text) = engine().check_warranty_json(&claim.to_string()) else { return };
    let Ok(d) = serde_json::from_str::<Value>(&text) else { panic!("not JSON") };
    if let (Some(s), Some(e)) = (d["warranty_starts_on"].as_str(), d["warranty_ends_at"].as_str()) {
        assert!(e.get(..10).unwrap_or("") >= s, "the warranty ends before it starts: {d}");
    }
});
