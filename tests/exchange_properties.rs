//! Laws of exchanges, over random orders, random variants and random sequences of exchanges,
//! each fed back into the order through the answer's `record` (into `order.exchanges`) and
//! `refund_record` (into `order.refunds`) as a merchant's system would:
//! - the difference is exact: `replacement − basis` to the minor unit (the basis worked out here
//!   independently: the paid shares by largest remainder, or the list price), 0 for a
//!   like-for-like swap, and `customer_pays − refund − store_credit` is the sum of the
//!   differences unless a downsell was capped;
//! - a downsell's difference never exceeds what is left of what the line was paid, and no
//!   sequence of exchanges pays back more than a line, a payment method or the order was paid.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::money::allocate;
use aftersales::PolicyEngine;
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{arb_order, Line};

#[derive(Debug, Clone)]
struct Step {
    line: usize,
    units: u64,
    /// The variant's price: the line's unit price (like for like) or this.
    price: i64,
    same_price: bool,
}

fn arb_steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (0usize..5, 1u64..5, 0i64..250_000, prop::bool::weighted(0.2))
            .prop_map(|(line, units, price, same_price)| Step { line, units, price, same_price }),
        1..6,
    )
}

const METHODS: [&str; 2] = ["card", "gift_card"];

/// What each unit of each line was paid (goods, tax), worked out here from the order's figures.
fn paid_units(
    lines: &[Line],
    order_discount_per_mille: i64,
    tax_included: bool,
) -> (Vec<Vec<i64>>, Vec<Vec<i64>>, i64) {
    let subs: Vec<i64> = lines
        .iter()
        .map(|l| {
            let gross = l.unit_price * l.quantity as i64;
            gross - gross * l.discount_per_mille / 1000
        })
        .collect();
    let order_discount = subs.iter().sum::<i64>() * order_discount_per_mille / 1000;
    let shares = allocate(order_discount, &subs);
    let mut goods = Vec::new();
    let mut tax = Vec::new();
    for ((l, sub), share) in lines.iter().zip(&subs).zip(&shares) {
        let units = vec![1; l.quantity as usize];
        goods.push(allocate(sub - share, &units));
        tax.push(if tax_included { vec![0; units.len()] } else { allocate(l.tax, &units) });
    }
    (goods, tax, order_discount)
}

fn build_order(lines: &[Line], order_discount: i64, shipping: i64, tax_included: bool, split: &[u8]) -> Value {
    let (json_lines, subtotal, tax_total) = common::json_lines(lines);
    let charged = subtotal - order_discount + shipping + if tax_included { 0 } else { tax_total };
    let payments = common::payments(charged, split, &METHODS);
    json!({"id": "X1", "currency": "CNY", "placed_at": "2026-11-01T12:00:00+08:00", "delivered_at": "2026-11-03T12:00:00+08:00",
           "tax_included": tax_included, "lines": json_lines, "discounts": [{"amount": order_discount}],
           "shipping": {"amount": shipping}, "payments": payments, "refunds": [], "exchanges": []})
}

/// An engine with exchanges on `basis`, downsells as `downsell`, no limit and no `returns` section
/// (so only the exchange's own rules decide).
fn engine(basis: &str, downsell: &str) -> PolicyEngine {
    PolicyEngine::from_value(json!({
        "schema": 1, "id": "x", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
        "refunds": {"payment_order": ["gift_card", "card"]},
        "exchanges": {"reasons": {"changed_mind": {"kinds": ["same_item", "other_item"]}},
                      "price_basis": basis, "downsell": downsell}
    }))
    .unwrap()
}

fn request(order: &Value, line: usize, units: u64, price: i64) -> String {
    json!({"now": "2026-11-08T10:00:00+08:00", "reason": "changed_mind", "order": order,
           "items": [{"line_id": format!("L{line}"), "quantity": units,
                      "variant": {"sku": "V", "price": price, "in_stock": true}}]})
    .to_string()
}

fn refunded_on(order: &Value, line_id: &str) -> i64 {
    order["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["lines"].as_array().unwrap().iter())
        .filter(|l| l["line_id"] == line_id)
        .map(|l| l["amount"].as_i64().unwrap())
        .sum()
}

fn refunded_to(order: &Value, method: &str) -> i64 {
    order["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["payments"].as_array().unwrap().iter())
        .filter(|p| p["method"] == method)
        .map(|p| p["amount"].as_i64().unwrap())
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// For any order and variant price, one exchange's difference is exact: the variant's price ×
    /// units less the units' paid share (basis paid) or list price (basis list), 0 at the line's
    /// unit price; the customer pays an upsell in full, and a downsell is paid back in full unless
    /// it is more than the line was paid, when it is exactly what the line was paid.
    #[test]
    fn one_difference_is_exact((lines, odisc, shipping, tax_included, split) in arb_order(METHODS.len()),
                               step in (0usize..5, 1u64..5, 0i64..250_000, prop::bool::weighted(0.2)),
                               list in any::<bool>(), credit in any::<bool>()) {
        let (line, units, price, same) = step;
        let line = line % lines.len();
        let units = 1 + (units - 1) % lines[line].quantity;
        let price = if same { lines[line].unit_price } else { price };
        let (goods, tax, order_discount) = paid_units(&lines, odisc, tax_included);
        let order = build_order(&lines, order_discount, shipping, tax_included, &split);
        let engine = engine(if list { "list" } else { "paid" }, if credit { "store_credit" } else { "refund" });
        let answer: Value = serde_json::from_str(&engine.check_exchange_json(&request(&order, line, units, price)).unwrap()).unwrap();

        let basis: i64 = if list { lines[line].unit_price * units as i64 } else { goods[line][..units as usize].iter().sum() };
        let expected = if price == lines[line].unit_price { 0 } else { price * units as i64 - basis };
        let item = &answer["items"][0];
        prop_assert_eq!(item["returned_value"].as_i64().unwrap(), basis);
        prop_assert_eq!(item["difference"].as_i64().unwrap(), expected);
        let line_paid: i64 = goods[line].iter().chain(tax[line].iter()).sum();
        let (pays, back) = (answer["customer_pays"].as_i64().unwrap(),
                            answer["refund"].as_i64().unwrap() + answer["store_credit"].as_i64().unwrap());
        prop_assert!(back <= line_paid, "a downsell of {back} on a line paid {line_paid}");
        if -expected <= line_paid {
            prop_assert_eq!(pays - back, expected, "customer_pays − refund = replacement − basis");
        } else {
            prop_assert_eq!((pays, back), (0, line_paid));
        }
        let shares: i64 = answer["payments"].as_array().unwrap().iter().map(|p| p["amount"].as_i64().unwrap()).sum();
        prop_assert_eq!(shares, back);
    }

    /// However exchanges follow one another (each answer's records fed back into the order), no
    /// line gets back more than it was paid, no payment method more than it paid, and each
    /// downsell is its exact difference or, capped, exactly what is left of the line.
    #[test]
    fn exchanges_never_pay_back_more_than_was_paid((lines, odisc, shipping, tax_included, split) in arb_order(METHODS.len()),
                                                   steps in arb_steps(), list in any::<bool>()) {
        let (goods, tax, order_discount) = paid_units(&lines, odisc, tax_included);
        let mut order = build_order(&lines, order_discount, shipping, tax_included, &split);
        let engine = engine(if list { "list" } else { "paid" }, "refund");
        for step in steps {
            let line = step.line % lines.len();
            let units = 1 + (step.units - 1) % lines[line].quantity;
            let price = if step.same_price { lines[line].unit_price } else { step.price };
            let id = format!("L{line}");
            let line_paid: i64 = goods[line].iter().chain(tax[line].iter()).sum();
            let left = line_paid - refunded_on(&order, &id);
            let answer: Value = serde_json::from_str(&engine.check_exchange_json(&request(&order, line, units, price)).unwrap()).unwrap();
            let item = &answer["items"][0];
            let difference = item["difference"].as_i64().unwrap();
            let back = answer["refund"].as_i64().unwrap();
            prop_assert_eq!(back, (-difference).clamp(0, left), "a downsell is its difference, capped by what is left");
            if let Some(record) = answer.get("refund_record") {
                order["refunds"].as_array_mut().unwrap().push(record.clone());
            }
            for r in answer["record"].as_array().unwrap() {
                order["exchanges"].as_array_mut().unwrap().push(r.clone());
            }
            prop_assert!(refunded_on(&order, &id) <= line_paid);
            for method in METHODS {
                let paid: i64 = order["payments"].as_array().unwrap().iter()
                    .filter(|p| p["method"] == method).map(|p| p["amount"].as_i64().unwrap()).sum();
                prop_assert!(refunded_to(&order, method) <= paid, "{method} got back more than it paid");
            }
        }
        prop_assert!(!order["exchanges"].as_array().unwrap().is_empty());
    }
}
