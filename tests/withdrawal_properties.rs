//! Laws of refunds under the EU right of withdrawal (Directive 2011/83/EU Art. 13), the sibling
//! of the legal guarantee's in `warranty_properties.rs`: for any shop policy on top of the
//! `eu-consumer-rights` preset and any order, withdrawing inside the 14 days, in one go or in
//! several, never charges a restocking fee and never refunds less than the goods' price paid,
//! and the whole order back refunds everything paid but the premium of a dearer delivery (and the
//! return labels the consumer chose to buy, the direct cost of returning that Art. 14(1) leaves
//! to the consumer).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::money::allocate;
use aftersales::PolicyEngine;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A shop policy: any shipping rule, any restocking fee (on the reason or by a rule), any window,
/// any conditions, a return-label fee.
#[derive(Debug, Clone)]
struct Shop {
    shipping: usize,
    reason_fee: Option<u8>,
    rule_fee: Option<i64>,
    window_days: u64,
    requires: Vec<bool>,
    label_fee: i64,
}

fn arb_shop() -> impl Strategy<Value = Shop> {
    (
        0usize..3,
        proptest::option::of(1u8..60),
        proptest::option::of(1i64..5_000),
        1u64..60,
        prop::collection::vec(any::<bool>(), 4),
        0i64..1_500,
    )
        .prop_map(|(shipping, reason_fee, rule_fee, window_days, requires, label_fee)| Shop {
            shipping,
            reason_fee,
            rule_fee,
            window_days,
            requires,
            label_fee,
        })
}

fn policy(shop: &Shop) -> Value {
    let requires: Vec<&str> = ["unused", "original_packaging", "tags_attached", "accessories_complete"]
        .iter()
        .zip(&shop.requires)
        .filter(|(_, on)| **on)
        .map(|(r, _)| *r)
        .collect();
    let mut changed_mind = json!({"window": {"days": shop.window_days}, "requires": requires});
    if let Some(p) = shop.reason_fee {
        changed_mind["restocking_fee"] = json!({"percent": p});
    }
    let rules = match shop.rule_fee {
        Some(a) => {
            json!([{"id": "fee", "when": {"order.total": {"gte": 0}}, "then": {"restocking_fee": {"amount": a}}}])
        }
        None => json!([]),
    };
    let shipping = ["never", "merchant_fault", "full_return"][shop.shipping];
    json!({"extends": "eu-consumer-rights", "id": "shop", "version": "1", "timezone": "Europe/Berlin",
           "refunds": {"shipping": shipping,
                       "return_label_fee": shop.label_fee},
           "returns": {"requires": requires, "reasons": {"changed_mind": changed_mind}, "rules": rules}})
}

/// An order: lines (quantity, unit price, tax), an order discount in per mille, shipping, its
/// premium in per mille, and whether tax is on top.
type OrderSpec = (Vec<(u64, i64, i64)>, i64, i64, i64, i64, bool);

fn arb_order() -> impl Strategy<Value = OrderSpec> {
    (
        prop::collection::vec((1u64..4, 0i64..90_000, 0i64..3_000), 1..4),
        0i64..400,
        0i64..2_000,
        0i64..1_001,
        0i64..400,
        any::<bool>(),
    )
}

/// The order as JSON, what it charged, and the part of the delivery the law does not refund.
fn build_order(
    (lines, discount_pm, shipping, premium_pm, shipping_tax, tax_included): &OrderSpec,
) -> (Value, i64, i64) {
    let subtotal: i64 = lines.iter().map(|(q, p, _)| *q as i64 * p).sum();
    let discount = subtotal * discount_pm / 1000;
    let premium = shipping * premium_pm / 1000;
    let shipping_tax = if *tax_included { 0 } else { *shipping_tax };
    let line_tax: i64 = if *tax_included { 0 } else { lines.iter().map(|(_, _, t)| t).sum() };
    let charged = subtotal - discount + shipping + shipping_tax + line_tax;
    // Art. 13(2): the premium, and its share of the delivery's tax, stay with the trader.
    let premium_kept = premium + allocate(shipping_tax, &[shipping - premium, premium])[1];
    let lines: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (q, p, t))| json!({"id": format!("L{i}"), "quantity": q, "unit_price": p, "tax": t}))
        .collect();
    let order = json!({"id": "W", "currency": "EUR", "placed_at": "2026-11-01T12:00:00+01:00",
        "delivered_at": "2026-11-03T12:00:00+01:00", "tax_included": tax_included, "lines": lines,
        "discounts": [{"amount": discount}],
        "shipping": {"amount": shipping, "premium": premium, "tax": if *tax_included { 0 } else { shipping_tax }},
        "payments": [{"method": "card", "amount": charged}], "refunds": []});
    (order, charged, premium_kept)
}

fn sum_components(quote: &Value, codes: &[&str]) -> i64 {
    quote["lines"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["components"].as_array().unwrap().iter())
        .filter(|c| codes.contains(&c["code"].as_str().unwrap()))
        .map(|c| c["amount"].as_i64().unwrap())
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Withdrawing an order inside the 14 days, in up to four refunds: each is approved, none
    /// charges a restocking fee or deducts anything but the return label the customer chose,
    /// each refunds at least the goods' price paid, and once every unit is back the refunds add
    /// up to everything paid less the delivery's premium (and those labels), never more.
    #[test]
    fn a_withdrawal_refunds_the_price_and_the_standard_delivery(
        shop in arb_shop(),
        spec in arb_order(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        labels in prop::collection::vec(any::<bool>(), 4),
        day in 0u64..12,
    ) {
        let engine = PolicyEngine::from_value(policy(&shop)).unwrap();
        let (mut order, charged, premium_kept) = build_order(&spec);
        // Every unit of the order, in order, cut into up to five withdrawals.
        let units: Vec<usize> = spec.0.iter().enumerate().flat_map(|(i, (q, _, _))| vec![i; *q as usize]).collect();
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(units.len() + 1)).collect();
        bounds.extend([0, units.len()]);
        bounds.sort_unstable();
        bounds.dedup();
        let (mut refunded, mut labels_paid) = (0i64, 0i64);
        for (step, pair) in bounds.windows(2).enumerate() {
            let mut items: Vec<Value> = Vec::new();
            for line in &units[pair[0]..pair[1]] {
                let id = format!("L{line}");
                match items.iter_mut().find(|i| i["line_id"] == id.as_str()) {
                    Some(i) => i["quantity"] = json!(i["quantity"].as_u64().unwrap() + 1),
                    None => items.push(json!({"line_id": id, "quantity": 1, "condition": {"unused": true,
                        "original_packaging": true, "tags_attached": true, "accessories_complete": true}})),
                }
            }
            let now = format!("2026-11-{:02}T10:00:00+01:00", 3 + day + step as u64 / 2);
            let request = json!({"now": now, "reason": "changed_mind", "resolution": "refund", "proof_of_purchase": true,
                "uses_merchant_label": labels[step % 4], "order": order, "items": items});
            let quote: Value = serde_json::from_str(&engine.quote_refund_json(&request.to_string()).unwrap()).unwrap();
            prop_assert_eq!(&quote["outcome"], &json!("approve"), "{}", quote);
            let goods = sum_components(&quote, &["UNIT_PRICE_PAID", "TAX"]);
            let label = sum_components(&quote, &["RETURN_LABEL_FEE"]);
            let deducted = sum_components(&quote, &["RESTOCKING_FEE", "CONDITION_DEDUCTION", "CAPPED_BY_PAID", "PARTIAL_NETTED"]);
            prop_assert_eq!(deducted, 0, "{}", quote);
            let total = quote["total"].as_i64().unwrap();
            prop_assert!(total >= goods + label, "{} < {} + {}: {}", total, goods, label, quote);
            refunded += total;
            labels_paid -= label;
            order["refunds"].as_array_mut().unwrap().push(quote["record"].clone());
        }
        prop_assert!(refunded <= charged);
        prop_assert!(refunded >= charged - premium_kept - labels_paid, "{} < {} - {} - {}", refunded, charged, premium_kept, labels_paid);
    }
}
