//! Laws of refunds, over random orders and random sequences of refunds (returns, failed
//! exchanges, partial refunds, refunds without a return, with return freight prepaid and
//! return-freight insurance), each fed back into the order through the quote's `record` as a
//! merchant's system would.

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
    kind: u8,
    percent: u8,
    store_credit: bool,
    defective: bool,
    from_kept: u64,
    /// For `refund_only`: not_delivered, lost, missing_items, keep_item.
    cause: u8,
    /// The return freight the customer prepaid.
    freight: i64,
}

fn arb_steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (0usize..5, 1u64..5, 0u8..4, 0u8..101, any::<bool>(), any::<bool>(), 0u64..3, 0u8..4, 0i64..2000).prop_map(
            |(line, units, kind, percent, store_credit, defective, from_kept, cause, freight)| Step {
                line,
                units,
                kind,
                percent,
                store_credit,
                defective,
                from_kept,
                cause,
                freight,
            },
        ),
        1..8,
    )
}

const METHODS: [&str; 3] = ["card", "gift_card", "points"];

fn build_order(
    lines: &[Line],
    order_discount_per_mille: i64,
    shipping: i64,
    tax_included: bool,
    split: &[u8],
) -> Value {
    let (lines, subtotal, tax_total) = common::json_lines(lines);
    let order_discount = subtotal * order_discount_per_mille / 1000;
    let charged = subtotal - order_discount + shipping + if tax_included { 0 } else { tax_total };
    let payments = common::payments(charged, split, &METHODS);
    json!({"id": "P1", "currency": "CNY", "placed_at": "2026-11-01T12:00:00+08:00", "delivered_at": "2026-11-03T12:00:00+08:00",
           "tax_included": tax_included, "lines": lines, "discounts": [{"amount": order_discount}],
           "shipping": {"amount": shipping}, "payments": payments, "refunds": []})
}

/// The most return freight the test policy reimburses for one return.
const FREIGHT_CAP: i64 = 700;

fn engine() -> PolicyEngine {
    PolicyEngine::from_value(
        json!({"schema": 1, "id": "p", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
        "refunds": {"payment_order": ["gift_card", "card"], "return_label_fee": 500, "partial": {"max_percent": 60},
                    "deductions": {"accessories_complete": {"percent": 12.5}}, "store_credit": {"bonus_percent": 5},
                    "refund_only": {"causes": {"not_delivered": {"evidence": ["carrier_status"]}, "lost": {},
                                               "missing_items": {"evidence": ["photo"]},
                                               "keep_item": {"when": {"item.paid": {"lte": 30000}}}}},
                    "return_freight": {"cap": FREIGHT_CAP}}}),
    )
    .unwrap()
}

const CAUSES: [&str; 4] = ["not_delivered", "lost", "missing_items", "keep_item"];

/// The method reimbursed return freight goes to: the policy's first (gift card, card) that the
/// order has, else the order's first.
/// The refund request a step makes on `order`: its kind, reason, resolution and one line's units;
/// the evidence a refund-only cause may need; the offer of a partial refund.
fn step_request(step: &Step, order: &Value, lines: &[Line]) -> Value {
    let li = step.line % lines.len();
    let kind = ["return_and_refund", "exchange_failed", "partial", "refund_only"][usize::from(step.kind)];
    let mut request = json!({"now": "2026-11-05T10:00:00+08:00", "type": kind,
        "reason": if step.defective { "defective" } else { "changed_mind" },
        "resolution": if step.store_credit { "store_credit" } else { "refund" }, "uses_merchant_label": true,
        "evidence": ["photo", "carrier_status"], "order": order.clone(),
        "items": [{"line_id": format!("L{li}"), "quantity": step.units.min(lines[li].quantity), "from_kept": step.from_kept,
                   "condition": {"accessories_complete": step.percent % 2 == 0}}]});
    if kind == "partial" {
        request["offer"] = json!({"percent": step.percent});
    }
    if kind == "refund_only" {
        request["cause"] = json!(CAUSES[usize::from(step.cause)]);
    }
    request
}

fn first_method(order: &Value) -> String {
    let methods: Vec<&str> =
        order["payments"].as_array().unwrap().iter().map(|p| p["method"].as_str().unwrap()).collect();
    ["gift_card", "card"].iter().find(|m| methods.contains(m)).map_or(methods[0], |m| *m).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// However refunds follow one another, nothing is refunded beyond what was paid: per unit,
    /// per line, per payment method and for the order; returned units never exceed those bought.
    /// Return freight reimbursed is the only money beyond what was paid: each reimbursement is
    /// exactly the receipt less the insurer's payout, up to the cap, when the merchant pays the
    /// return (defective goods coming back), else 0.
    #[test]
    fn refunds_never_exceed_what_was_paid((lines, odisc, shipping, tax_included, split) in arb_order(METHODS.len()), steps in arb_steps(), insurance in prop::option::of(0i64..1500)) {
        let engine = engine();
        let mut order = build_order(&lines, odisc, shipping, tax_included, &split);
        if let Some(payout) = insurance {
            order["freight_insurance"] = json!({"payout": payout});
        }
        let first = first_method(&order);
        let paid_by_method = |order: &Value, m: &str| -> i64 {
            order["payments"].as_array().unwrap().iter().filter(|p| p["method"] == m).map(|p| p["amount"].as_i64().unwrap()).sum()
        };
        for step in steps {
            let mut request = step_request(&step, &order, &lines);
            let kind = request["type"].as_str().unwrap().to_string();
            request["return_freight_paid"] = json!(step.freight);
            if step.percent % 3 == 0 {
                request["evidence"] = json!([]);
            }
            let quote: Value = serde_json::from_str(&engine.quote_refund_json(&request.to_string()).unwrap()).unwrap();
            // The quote's parts add up.
            let lines_sum: i64 = quote["lines"].as_array().unwrap().iter().map(|l| l["amount"].as_i64().unwrap()).sum();
            let freight = quote["return_freight"].as_i64().unwrap();
            prop_assert_eq!(quote["total"].as_i64().unwrap(), lines_sum + quote["shipping"].as_i64().unwrap() + freight);
            prop_assert_eq!(&quote["record"]["return_freight"], &quote["return_freight"]);
            // The freight reimbursed, exactly.
            let units_back: u64 = quote["record"]["lines"].as_array().unwrap().iter().map(|l| l["quantity"].as_u64().unwrap()).sum();
            let merchant_pays = step.defective && matches!(kind.as_str(), "return_and_refund" | "exchange_failed") && units_back > 0;
            let owed = if merchant_pays { (step.freight - insurance.unwrap_or(0)).clamp(0, FREIGHT_CAP) } else { 0 };
            prop_assert_eq!(freight, owed);
            prop_assert_eq!(quote["return_required"].as_bool().unwrap(), matches!(kind.as_str(), "return_and_refund" | "exchange_failed"));
            let pay_sum: i64 = quote["payments"].as_array().unwrap().iter().map(|p| p["amount"].as_i64().unwrap()).sum();
            prop_assert_eq!(pay_sum, quote["total"].as_i64().unwrap());
            for l in quote["lines"].as_array().unwrap() {
                let unit_paid: i64 = l["unit_paid"].as_array().unwrap().iter().map(|u| u.as_i64().unwrap()).sum();
                prop_assert!(l["amount"].as_i64().unwrap() <= unit_paid, "a line got more than its units were paid: {}", l);
                prop_assert!(l["amount"].as_i64().unwrap() >= 0);
            }
            order["refunds"].as_array_mut().unwrap().push(quote["record"].clone());

            // The ledgers after it.
            let refunds = order["refunds"].as_array().unwrap().clone();
            let total_paid: i64 = order["payments"].as_array().unwrap().iter().map(|p| p["amount"].as_i64().unwrap()).sum();
            let total_back: i64 = refunds.iter().flat_map(|r| r["payments"].as_array().unwrap()).map(|p| p["amount"].as_i64().unwrap()).sum();
            let freight_back: i64 = refunds.iter().map(|r| r["return_freight"].as_i64().unwrap()).sum();
            prop_assert!(total_back <= total_paid + freight_back, "{} refunded of {} paid + {} freight", total_back, total_paid, freight_back);
            for m in METHODS {
                let back: i64 = refunds.iter().flat_map(|r| r["payments"].as_array().unwrap()).filter(|p| p["method"] == m).map(|p| p["amount"].as_i64().unwrap()).sum();
                let room = paid_by_method(&order, m) + if m == first { freight_back } else { 0 };
                prop_assert!(back <= room, "{} got back {} of {}", m, back, room);
            }
            for (i, l) in lines.iter().enumerate() {
                let id = format!("L{i}");
                let units: u64 = refunds.iter().flat_map(|r| r["lines"].as_array().unwrap()).filter(|x| x["line_id"] == id.as_str()).map(|x| x["quantity"].as_u64().unwrap()).sum();
                prop_assert!(units <= l.quantity);
            }
            let shipping_back: i64 = refunds.iter().map(|r| r["shipping"].as_i64().unwrap()).sum();
            prop_assert!(shipping_back <= shipping, "shipping refunded twice");
        }
    }

    /// A parcel lost in full: a refund without a return of every unit gives back exactly what
    /// was paid (shipping included), to each payment exactly what it paid; nothing is left after.
    #[test]
    fn a_lost_parcel_refunds_everything_paid((lines, odisc, shipping, tax_included, split) in arb_order(METHODS.len())) {
        let engine = engine();
        let mut order = build_order(&lines, odisc, shipping, tax_included, &split);
        let items: Vec<Value> = order["lines"].as_array().unwrap().iter().map(|l| json!({"line_id": l["id"], "quantity": l["quantity"]})).collect();
        let request = json!({"now": "2026-11-05T10:00:00+08:00", "type": "refund_only", "cause": "lost", "order": order.clone(), "items": items});
        let quote: Value = serde_json::from_str(&engine.quote_refund_json(&request.to_string()).unwrap()).unwrap();
        let paid: i64 = order["payments"].as_array().unwrap().iter().map(|p| p["amount"].as_i64().unwrap()).sum();
        prop_assert_eq!(quote["total"].as_i64().unwrap(), paid);
        prop_assert_eq!(quote["outcome"].as_str().unwrap(), "approve");
        for m in METHODS {
            let back: i64 = quote["payments"].as_array().unwrap().iter().filter(|p| p["method"] == m).map(|p| p["amount"].as_i64().unwrap()).sum();
            let paid_m: i64 = order["payments"].as_array().unwrap().iter().filter(|p| p["method"] == m).map(|p| p["amount"].as_i64().unwrap()).sum();
            prop_assert_eq!(back, paid_m);
        }
        order["refunds"].as_array_mut().unwrap().push(quote["record"].clone());
        let again = json!({"now": "2026-11-06T10:00:00+08:00", "type": "refund_only", "cause": "lost", "order": order, "items": [{"line_id": "L0", "quantity": 1}]});
        let quote: Value = serde_json::from_str(&engine.quote_refund_json(&again.to_string()).unwrap()).unwrap();
        prop_assert_eq!(quote["total"].as_i64().unwrap(), 0);
    }

    /// Allocations always sum to the whole, and no share is off its exact part by a unit or more.
    #[test]
    fn allocations_sum_exactly(total in 0i64..10_000_000, weights in prop::collection::vec(0i64..1_000_000, 1..20)) {
        let shares = allocate(total, &weights);
        prop_assert_eq!(shares.iter().sum::<i64>(), total);
        let sum: i64 = weights.iter().sum();
        if sum > 0 {
            for (s, w) in shares.iter().zip(&weights) {
                let exact = total as f64 * *w as f64 / sum as f64;
                prop_assert!((*s as f64 - exact).abs() < 1.0);
            }
        }
    }

    /// Listing the lines in another order changes nothing but, at most, which line a tied
    /// remainder's unit goes to: totals are equal and each line moves by at most one minor unit.
    #[test]
    fn line_order_does_not_matter((lines, odisc, shipping, tax_included, split) in arb_order(METHODS.len())) {
        let engine = engine();
        let order = build_order(&lines, odisc, shipping, tax_included, &split);
        let mut reversed = order.clone();
        reversed["lines"].as_array_mut().unwrap().reverse();
        let everything = |o: &Value| {
            let items: Vec<Value> = o["lines"].as_array().unwrap().iter().map(|l| json!({"line_id": l["id"], "quantity": l["quantity"]})).collect();
            let q = json!({"now": "2026-11-05T10:00:00+08:00", "reason": "defective", "order": o, "items": items});
            let v: Value = serde_json::from_str(&engine.quote_refund_json(&q.to_string()).unwrap()).unwrap();
            v
        };
        let (a, b) = (everything(&order), everything(&reversed));
        prop_assert_eq!(&a["total"], &b["total"]);
        for la in a["lines"].as_array().unwrap() {
            let lb = b["lines"].as_array().unwrap().iter().find(|l| l["line_id"] == la["line_id"]).unwrap();
            prop_assert!((la["amount"].as_i64().unwrap() - lb["amount"].as_i64().unwrap()).abs() <= 1);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Threshold discounts recomputed, points (issue 17)

/// The sample policy with its threshold discounts recomputed and release rules (which move no
/// money).
fn recomputing_engine() -> PolicyEngine {
    PolicyEngine::from_value(
        json!({"schema": 1, "id": "p", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
        "refunds": {"payment_order": ["gift_card", "card"], "return_label_fee": 500, "partial": {"max_percent": 60},
                    "deductions": {"accessories_complete": {"percent": 12.5}}, "store_credit": {"bonus_percent": 5},
                    "discounts": {"threshold": {"mode": "recompute"}},
                    "release": {"default": "after_inspection", "rules": [{"id": "r", "when": {"refund.total": {"lt": 5000}}, "release": "on_request"}]}}}),
    )
    .unwrap()
}

/// Each unit's share of the order discount, as the engine finds it: its list subtotal less what
/// it was paid (the discount shared by line subtotal, then each line over its units, both by
/// largest remainder); and each unit's list subtotal.
fn unit_shares(order: &Value) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
    let lines = order["lines"].as_array().unwrap();
    let subs: Vec<i64> = lines
        .iter()
        .map(|l| l["unit_price"].as_i64().unwrap() * l["quantity"].as_i64().unwrap() - l["discount"].as_i64().unwrap())
        .collect();
    let discount = order["discounts"][0]["amount"].as_i64().unwrap();
    let line_shares = allocate(discount, &subs);
    let mut given = Vec::new();
    let mut unit_subs = Vec::new();
    for ((l, sub), share) in lines.iter().zip(&subs).zip(&line_shares) {
        let units = vec![1; l["quantity"].as_u64().unwrap() as usize];
        let unit_sub = allocate(*sub, &units);
        let unit_paid = allocate(sub - share, &units);
        given.push(unit_sub.iter().zip(&unit_paid).map(|(s, p)| s - p).collect());
        unit_subs.push(unit_sub);
    }
    (given, unit_subs)
}

fn sum_of(values: impl Iterator<Item = Value>, key: &str) -> i64 {
    values.map(|v| v[key].as_i64().unwrap_or(0)).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// With a threshold discount recomputed: however refunds follow one another, nothing is paid
    /// out beyond what was paid (order, method, line net of what was given back); each
    /// withholding is exact (what the kept units no longer earn, less what earlier refunds
    /// withheld or waived) unless it took the whole refund, never more than the refund, and the
    /// record says exactly what the components did; points clawed back never exceed the points
    /// earned (all of them once everything is back), points given back never exceed those spent.
    #[test]
    fn recomputed_discounts_and_points_never_exceed_what_was_paid(
        (lines, odisc, shipping, tax_included, split) in arb_order(METHODS.len()),
        steps in arb_steps(),
        threshold_per_mille in 0i64..=1000,
        earned in 0u64..5000,
        points_rate in 1i64..20,
    ) {
        let engine = recomputing_engine();
        let mut order = build_order(&lines, odisc, shipping, tax_included, &split);
        let subtotal: i64 = order["lines"].as_array().unwrap().iter()
            .map(|l| l["unit_price"].as_i64().unwrap() * l["quantity"].as_i64().unwrap() - l["discount"].as_i64().unwrap()).sum();
        let threshold = subtotal * threshold_per_mille / 1000;
        order["discounts"][0]["kind"] = json!("threshold");
        order["discounts"][0]["threshold"] = json!(threshold);
        order["points_earned"] = json!(earned);
        for p in order["payments"].as_array_mut().unwrap() {
            if p["method"] == "points" {
                p["points"] = json!(p["amount"].as_i64().unwrap() / points_rate);
            }
        }
        let (given, unit_subs) = unit_shares(&order);
        let points_spent: i64 = order["payments"].as_array().unwrap().iter().map(|p| p["points"].as_i64().unwrap_or(0)).sum();
        for step in steps {
            let mut request = step_request(&step, &order, &lines);
            request["risk"] = json!("low");
            let quote: Value = serde_json::from_str(&engine.quote_refund_json(&request.to_string()).unwrap()).unwrap();
            let total = quote["total"].as_i64().unwrap();
            let quoted = quote["lines"].as_array().unwrap();
            prop_assert_eq!(total, sum_of(quoted.iter().cloned(), "amount") + quote["shipping"].as_i64().unwrap());
            prop_assert_eq!(total, sum_of(quote["payments"].as_array().unwrap().iter().cloned(), "amount"));
            let components = |code: &str| -> i64 {
                quoted.iter().flat_map(|l| l["components"].as_array().unwrap().iter()).filter(|c| c["code"] == code).map(|c| c["amount"].as_i64().unwrap()).sum()
            };
            let (withheld_now, given_back_now) = (components("DISCOUNT_RECOMPUTED"), components("DISCOUNT_WITHHELD_REFUNDED"));
            prop_assert!(withheld_now <= 0 && given_back_now >= 0);
            for l in quoted {
                // Never more than the refund: no line goes below nothing.
                prop_assert!(l["amount"].as_i64().unwrap() >= 0);
                let back: i64 = l["components"].as_array().unwrap().iter().filter(|c| c["code"] == "DISCOUNT_WITHHELD_REFUNDED").map(|c| c["amount"].as_i64().unwrap()).sum();
                let unit_paid: i64 = l["unit_paid"].as_array().unwrap().iter().map(|u| u.as_i64().unwrap()).sum();
                prop_assert!(l["amount"].as_i64().unwrap() - back <= unit_paid, "a line got more than its units were paid: {}", l);
            }
            // The record says what the components did, to the minor unit.
            let record = &quote["record"];
            let recorded: i64 = record["discounts"].as_array().map_or(0, |d| sum_of(d.iter().cloned(), "withheld"));
            prop_assert_eq!(recorded, -(withheld_now + given_back_now));
            prop_assert_eq!(sum_of(record["lines"].as_array().unwrap().iter().cloned(), "withheld"), recorded);
            order["refunds"].as_array_mut().unwrap().push(record.clone());

            let refunds = order["refunds"].as_array().unwrap().clone();
            let total_paid: i64 = sum_of(order["payments"].as_array().unwrap().iter().cloned(), "amount");
            let payouts: Vec<Value> = refunds.iter().flat_map(|r| r["payments"].as_array().unwrap().iter().cloned()).collect();
            prop_assert!(sum_of(payouts.iter().cloned(), "amount") <= total_paid);
            for m in METHODS {
                let back = sum_of(payouts.iter().filter(|p| p["method"] == m).cloned(), "amount");
                let paid = sum_of(order["payments"].as_array().unwrap().iter().filter(|p| p["method"] == m).cloned(), "amount");
                prop_assert!(back <= paid, "{} got back {} of {}", m, back, paid);
            }
            prop_assert!(sum_of(payouts.iter().cloned(), "points") <= points_spent);
            let clawed: u64 = refunds.iter().map(|r| r["points_clawed_back"].as_u64().unwrap_or(0)).sum();
            prop_assert!(clawed <= earned, "{} points clawed back of {}", clawed, earned);

            // Exactness: what the kept units owe, against what the records withheld and waived.
            let mut kept_value = 0;
            let mut owed = 0;
            let mut all_back = true;
            for (i, l) in lines.iter().enumerate() {
                let id = format!("L{i}");
                let gone: u64 = refunds.iter().flat_map(|r| r["lines"].as_array().unwrap()).filter(|x| x["line_id"] == id.as_str()).map(|x| x["quantity"].as_u64().unwrap()).sum();
                all_back &= gone == l.quantity;
                kept_value += unit_subs[i].iter().skip(gone as usize).sum::<i64>();
                owed += given[i].iter().skip(gone as usize).sum::<i64>();
            }
            let owed = if kept_value < threshold { owed } else { 0 };
            let entries: Vec<Value> = refunds.iter().flat_map(|r| r["discounts"].as_array().cloned().unwrap_or_default()).collect();
            let covered = sum_of(entries.iter().cloned(), "withheld") + sum_of(entries.iter().cloned(), "waived");
            let came_back = record["lines"].as_array().unwrap().iter().any(|l| l["quantity"].as_u64().unwrap() > 0);
            prop_assert!(covered <= owed, "covered {} of {} owed", covered, owed);
            if came_back {
                let lines_left = sum_of(quoted.iter().cloned(), "amount") - components("RETURN_LABEL_FEE");
                prop_assert!(covered == owed || lines_left == 0, "covered {} of {} owed, {} refunded", covered, owed, lines_left);
            }
            if all_back {
                prop_assert_eq!(clawed, earned, "everything is back: every point earned clawed back");
            }
        }
    }
}
