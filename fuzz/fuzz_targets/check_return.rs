//! Structure-aware return requests against the sample policy: arbitrary orders, lines, dates,
//! quantities and conditions. The evaluator answers or refuses, never panics.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use std::sync::OnceLock;

static POLICY: &str = include_str!("../../tests/policies/sportswear-cn.json");

fn engine() -> &'static aftersales::PolicyEngine {
    static ENGINE: OnceLock<aftersales::PolicyEngine> = OnceLock::new();
    ENGINE.get_or_init(|| aftersales::PolicyEngine::new(POLICY).unwrap_or_else(|e| panic!("{e}")))
}

#[derive(Arbitrary, Debug)]
struct Line {
    id: u8,
    quantity: i64,
    unit_price: i64,
    discount: i64,
    tags: Vec<String>,
    category: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct Item {
    line_id: u8,
    quantity: i64,
    unused: Option<bool>,
    tags_attached: Option<bool>,
}

#[derive(Arbitrary, Debug)]
struct Request {
    placed_secs: u32,
    delivered_after: Option<u32>,
    now_after: i64,
    offset_quarter_hours: i8,
    reason: u8,
    tier: Option<String>,
    returns_90: Option<i64>,
    lines: Vec<Line>,
    items: Vec<Item>,
    refunded: Vec<(u8, i64)>,
    raw: Option<String>,
}

fn stamp(secs: i64, quarter_hours: i8) -> String {
    let offset = chrono::FixedOffset::east_opt(i32::from(quarter_hours.clamp(-56, 56)) * 900);
    match (chrono::DateTime::from_timestamp(secs, 0), offset) {
        (Some(t), Some(offset)) => t.with_timezone(&offset).to_rfc3339(),
        _ => "not a time".to_string(),
    }
}

fuzz_target!(|r: Request| {
    if let Some(raw) = &r.raw {
        let _ = engine().check_return_json(raw);
        let _ = engine().check_returns_json(raw);
    }
    let placed = 1_700_000_000i64 + i64::from(r.placed_secs);
    let reasons = ["changed_mind", "defective", "wrong_item", "other", ""];
    let request = json!({
        "now": stamp(placed.saturating_add(r.now_after % 100_000_000), r.offset_quarter_hours),
        "reason": reasons[usize::from(r.reason) % reasons.len()],
        "order": {
            "id": "F1", "currency": "CNY",
            "placed_at": stamp(placed, r.offset_quarter_hours),
            "delivered_at": r.delivered_after.map(|d| stamp(placed + i64::from(d), 0)),
            "customer": {"tier": r.tier, "returns_last_90_days": r.returns_90},
            "lines": r.lines.iter().map(|l| json!({"id": format!("L{}", l.id % 4), "quantity": l.quantity,
                "unit_price": l.unit_price, "discount": l.discount, "tags": l.tags, "category": l.category})).collect::<Vec<_>>(),
            "refunds": r.refunded.iter().map(|(id, q)| json!({"lines": [{"line_id": format!("L{}", id % 4), "quantity": q}]})).collect::<Vec<_>>(),
        },
        "items": r.items.iter().map(|i| json!({"line_id": format!("L{}", i.line_id % 4), "quantity": i.quantity,
            "condition": {"unused": i.unused, "tags_attached": i.tags_attached}})).collect::<Vec<_>>(),
    });
    let _ = engine().check_return_json(&request.to_string());
});
