//! Structure-aware: arbitrary orders (lines, discounts, tax on top or not, several payment
//! methods) and arbitrary sequences of refunds of every type, each fed back through its record.
//! Besides never panicking, the money laws must hold: nothing refunded beyond what was paid, per
//! payment method and for the order; a quote's parts add up.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn engine() -> &'static aftersales::PolicyEngine {
    static ENGINE: OnceLock<aftersales::PolicyEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        aftersales::PolicyEngine::new(include_str!("../../tests/policies/storefront-cn.json")).unwrap_or_else(|e| panic!("{e}"))
    })
}

#[derive(Arbitrary, Debug)]
struct Line {
    quantity: u8,
    unit_price: u32,
    discount_share: u8,
    tax: u16,
}

#[derive(Arbitrary, Debug)]
struct Step {
    line: u8,
    units: u8,
    kind: u8,
    percent: u8,
    store_credit: bool,
    defective: bool,
    from_kept: Option<u8>,
    label: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    lines: Vec<Line>,
    order_discount_share: u8,
    shipping: u16,
    tax_included: bool,
    gift_card_share: u8,
    steps: Vec<Step>,
}

fn amount(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fuzz_target!(|input: Input| {
    if input.lines.is_empty() || input.lines.len() > 6 || input.steps.len() > 10 {
        return;
    }
    let mut subtotal: i64 = 0;
    let mut tax: i64 = 0;
    let lines: Vec<Value> = input.lines.iter().enumerate().map(|(i, l)| {
        let q = i64::from(l.quantity % 5) + 1;
        let gross = i64::from(l.unit_price % 500_000) * q;
        let discount = gross * i64::from(l.discount_share % 101) / 100;
        subtotal += gross - discount;
        tax += i64::from(l.tax);
        json!({"id": format!("L{i}"), "quantity": q, "unit_price": l.unit_price % 500_000, "discount": discount, "tax": l.tax})
    }).collect();
    let order_discount = subtotal * i64::from(input.order_discount_share % 101) / 100;
    let charged = subtotal - order_discount + i64::from(input.shipping) + if input.tax_included { 0 } else { tax };
    let gift = charged * i64::from(input.gift_card_share % 101) / 100;
    let mut order = json!({"id": "F", "currency": "CNY", "placed_at": "2026-11-01T12:00:00+08:00", "delivered_at": "2026-11-03T15:00:00+08:00",
        "tax_included": input.tax_included, "lines": lines, "discounts": [{"amount": order_discount}], "shipping": {"amount": input.shipping},
        "payments": [{"method": "card", "amount": charged - gift}, {"method": "gift_card", "amount": gift}], "refunds": []});
    for step in &input.steps {
        let li = usize::from(step.line) % input.lines.len();
        let kind = ["return_and_refund", "exchange_failed", "partial", "no_reason"][usize::from(step.kind % 4)];
        let mut item = json!({"line_id": format!("L{li}"), "quantity": u64::from(step.units % 5) + 1,
            "condition": {"unused": true, "original_packaging": true, "tags_attached": true, "accessories_complete": true}});
        if let Some(k) = step.from_kept {
            item["from_kept"] = json!(k % 5);
        }
        let mut req = json!({"now": "2026-11-05T10:00:00+08:00", "type": kind, "reason": if step.defective { "defective" } else { "changed_mind" },
            "resolution": if step.store_credit { "store_credit" } else { "refund" }, "uses_merchant_label": step.label,
            "proof_of_purchase": true, "order": order, "items": [item]});
        if kind == "partial" {
            req["offer"] = json!({"percent": step.percent % 101});
        }
        let Ok(text) = engine().quote_refund_json(&req.to_string()) else { continue };
        let Ok(quote) = serde_json::from_str::<Value>(&text) else { panic!("the engine printed something that is not JSON") };
        let lines_sum: i64 = quote["lines"].as_array().map_or(0, |l| l.iter().map(|x| amount(&x["amount"])).sum());
        assert_eq!(amount(&quote["total"]), lines_sum + amount(&quote["shipping"]), "{quote}");
        let paid_back: i64 = quote["payments"].as_array().map_or(0, |p| p.iter().map(|x| amount(&x["amount"])).sum());
        assert_eq!(paid_back, amount(&quote["total"]));
        if let Some(refunds) = order["refunds"].as_array_mut() {
            refunds.push(quote["record"].clone());
        }
        let back: i64 = order["refunds"].as_array().map_or(0, |r| r.iter().flat_map(|x| x["payments"].as_array().cloned().unwrap_or_default()).map(|p| amount(&p["amount"])).sum());
        assert!(back <= charged, "refunded {back} of {charged}");
        for (method, paid) in [("card", charged - gift), ("gift_card", gift)] {
            let to_method: i64 = order["refunds"].as_array().map_or(0, |r| r.iter().flat_map(|x| x["payments"].as_array().cloned().unwrap_or_default()).filter(|p| p["method"] == method).map(|p| amount(&p["amount"])).sum());
            assert!(to_method <= paid, "{method} got {to_method} of {paid}");
        }
    }
});
