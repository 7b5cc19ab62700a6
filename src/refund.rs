//! Refund quotes: how much money goes back, line by line and component by component, exact to
//! the minor unit, and to which payment method.
//!
//! What is decided here, in this order:
//! 1. what each line was really paid: its subtotal after its own discount, less its share of the
//!    order's discounts (largest remainder over line subtotals, ties to the earlier line), plus its
//!    tax when prices exclude tax; each line's paid goods and tax are split over its units the same
//!    way, and units are refunded in order, so refunding one unit at a time adds up to the line;
//! 2. whether each item may be refunded: for the return types the return decision of `returns`
//!    (an ineligible item quotes 0 with its reasons);
//! 3. deductions: the restocking fee the return decision names, deductions for a condition the
//!    policy prices (`refunds.deductions`), and the return-label fee when the customer pays the
//!    return shipping and uses the merchant's label (shared over the lines by amount);
//! 4. the original shipping, by the policy's rule (`never`, `full_return`, `merchant_fault`), once;
//! 5. the ledger: earlier refunds (`order.refunds`) reduce what is left per line, per payment
//!    method and for the order; nothing is refunded twice and the total never exceeds what was paid;
//! 6. the split back over the payments, in the policy's `payment_order`, or store credit with its
//!    bonus.
//!
//! The quote's `record` is the entry to append to `order.refunds` once the refund is made, so the
//! next quote on the same order knows about it. Nothing here reads a clock or rounds with floats.

use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, Text, TraceEntry};
use crate::messages::format_money;
use crate::money::{self, allocate, percent_of, Count, Currency, Fee, Minor, Percent, Rounding};
use crate::order::Order;
use crate::problems::Problems;
use crate::returns::{ReturnDecision, ReturnItem, ReturnRequest};
use crate::time::Timestamp;
use crate::vocabulary::{ItemCondition, Locale, Outcome, Payer, Requirement, Resolution};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// The policy section

/// The `refunds` section as written. Every field has a default, so a policy without the section
/// still quotes.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundsSpec {
    /// How fractions of a minor unit are rounded: `half_up` (default), `half_even`, `down`.
    #[serde(default)]
    pub rounding: Rounding,
    /// Payment methods refunded first, in this order (`["card", "gift_card"]`); methods not named
    /// follow in the order's own order.
    #[serde(default)]
    pub payment_order: Vec<String>,
    /// Charged when the customer pays the return shipping and uses the merchant's label.
    #[serde(default)]
    pub return_label_fee: Minor,
    /// When the original shipping is refunded: `merchant_fault` (default), `full_return`, `never`.
    #[serde(default)]
    pub shipping: ShippingRule,
    /// Reasons that are the merchant's fault when the policy has no `returns` section to say so
    /// (default: defective, not_as_described, damaged_in_transit, wrong_item).
    #[serde(default)]
    pub merchant_fault_reasons: Option<Vec<String>>,
    /// Deductions when a condition is not met but the return goes ahead
    /// (`{"accessories_complete": {"amount": 2000}, "unused": {"percent": 20}}`).
    #[serde(default)]
    pub deductions: BTreeMap<Requirement, Fee>,
    /// Partial refunds for keeping an item: the most a merchant may offer, as a percent of its price.
    #[serde(default)]
    pub partial: PartialSpec,
    /// Store credit as a resolution: the bonus on top of the refunded amount.
    #[serde(default)]
    pub store_credit: StoreCreditSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShippingRule {
    Never,
    FullReturn,
    #[default]
    MerchantFault,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PartialSpec {
    #[serde(default)]
    pub max_percent: Option<Percent>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StoreCreditSpec {
    #[serde(default)]
    pub bonus_percent: Option<Percent>,
}

/// The compiled `refunds` section.
#[derive(Debug, Clone, Default)]
pub struct RefundsPolicy {
    spec: RefundsSpec,
    fault_reasons: Vec<String>,
}

/// Compiles the `refunds` section (or its defaults) at `path`.
pub fn compile(spec: Option<&RefundsSpec>, env: &Env, path: &str, problems: &mut Problems) -> Option<RefundsPolicy> {
    problems.check(compile_section(spec, env, path))
}

fn compile_section(spec: Option<&RefundsSpec>, _env: &Env, path: &str) -> Result<RefundsPolicy> {
    let spec = spec.cloned().unwrap_or_default();
    if spec.return_label_fee.0 < 0 {
        return Err(PolicyError::invalid(format!("{path}.return_label_fee"), "a fee is not negative"));
    }
    for (req, fee) in &spec.deductions {
        fee.validate(&format!("{path}.deductions.{}", req.as_str()))?;
    }
    let fault_reasons = spec.merchant_fault_reasons.clone().unwrap_or_else(|| {
        ["defective", "not_as_described", "damaged_in_transit", "wrong_item"].iter().map(|s| s.to_string()).collect()
    });
    Ok(RefundsPolicy { spec, fault_reasons })
}

// ---------------------------------------------------------------------------------------------
// The request and the quote

/// The four refund types of the rule book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundType {
    /// 退货退款: the goods come back (quality problem, not as described, …) within the window.
    #[default]
    ReturnAndRefund,
    /// 无理由退款: change of mind within the no-reason window (the reason defaults to changed_mind).
    NoReason,
    /// 换货退款: an exchange was agreed, the replacement is unavailable: the full price, no deductions.
    ExchangeFailed,
    /// 部分退款: the customer keeps the goods for a part of their price.
    Partial,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
    #[serde(rename = "type", default)]
    pub kind: RefundType,
    #[serde(default)]
    pub reason: Option<String>,
    /// `refund` (default: back to the payments) or `store_credit`.
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// The customer uses the merchant's prepaid return label.
    #[serde(default)]
    pub uses_merchant_label: bool,
    #[serde(default)]
    pub proof_of_purchase: Option<bool>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
    /// For `partial`: what the merchant offers for keeping the items (`{"percent": 30}` of their
    /// price, or `{"amount": A}` a unit).
    #[serde(default)]
    pub offer: Option<Fee>,
    pub order: Order,
    pub items: Vec<RefundItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundItem {
    pub line_id: String,
    pub quantity: Count,
    #[serde(default)]
    pub condition: ItemCondition,
    /// Of the units coming back, how many were kept earlier with a partial refund (their partial
    /// refund is netted). Default: units never kept go first.
    #[serde(default)]
    pub from_kept: Option<Count>,
}

/// One amount in a quote, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub code: &'static str,
    /// Positive: money back; negative: a deduction.
    pub amount: i64,
    pub message: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineQuote {
    pub line_id: String,
    pub quantity: u64,
    pub eligible: bool,
    /// What each unit refunded here was paid (goods after discounts, with tax where it is on top).
    pub unit_paid: Vec<i64>,
    pub components: Vec<Component>,
    pub amount: i64,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentShare {
    pub method: String,
    pub amount: i64,
}

/// The entry to append to `order.refunds` once the refund is made.
#[derive(Debug, Clone, Serialize)]
pub struct RecordOut {
    pub lines: Vec<RecordLine>,
    pub shipping: i64,
    pub payments: Vec<PaymentShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordLine {
    pub line_id: String,
    pub quantity: u64,
    pub kept_quantity: u64,
    pub from_kept: u64,
    pub netted: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefundQuote {
    #[serde(rename = "type")]
    pub kind: RefundType,
    pub resolution: Resolution,
    pub eligible: bool,
    pub outcome: Outcome,
    pub currency: String,
    pub lines: Vec<LineQuote>,
    /// Original shipping refunded (with its tax where it was on top).
    pub shipping: i64,
    /// Money back, the sum of the lines and the shipping.
    pub total: i64,
    /// The store-credit bonus on top of `total` (store credit only).
    pub store_credit_bonus: i64,
    /// Where `total` goes: the original payments, or `store_credit`.
    pub payments: Vec<PaymentShare>,
    /// The review deadline from now (the SLA's `refund_review` target of a `refund` case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_by: Option<String>,
    /// The payout deadline counted from the review deadline (`refund_payout`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payout_by: Option<String>,
    pub reasons: Vec<Reason>,
    pub trace: Vec<TraceEntry>,
    pub record: RecordOut,
    pub policy: PolicyRef,
}

impl Explained for RefundQuote {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.lines.iter_mut().flat_map(|l| l.reasons.iter_mut()).chain(self.reasons.iter_mut()).for_each(f);
    }

    fn texts(&mut self, f: &mut dyn FnMut(&mut Text)) {
        self.lines.iter_mut().flat_map(|l| l.components.iter_mut()).for_each(|c| f(&mut c.message));
    }
}

mod codes {
    pub const UNIT_PRICE_PAID: &str = "UNIT_PRICE_PAID";
    pub const TAX: &str = "TAX";
    pub const PARTIAL_NETTED: &str = "PARTIAL_NETTED";
    pub const RESTOCKING_FEE: &str = "RESTOCKING_FEE";
    pub const CONDITION_DEDUCTION: &str = "CONDITION_DEDUCTION";
    pub const RETURN_LABEL_FEE: &str = "RETURN_LABEL_FEE";
    pub const PARTIAL_REFUND: &str = "PARTIAL_REFUND";
    pub const CAPPED_BY_PAID: &str = "CAPPED_BY_PAID";
    pub const EXCHANGE_FAILED: &str = "EXCHANGE_FAILED";
    pub const NOTHING_LEFT_TO_REFUND: &str = "NOTHING_LEFT_TO_REFUND";
    pub const PARTIAL_CAPPED: &str = "PARTIAL_CAPPED";
    pub const ORIGINAL_SHIPPING: &str = "ORIGINAL_SHIPPING";
}

/// Every code a refund quote can carry (components and reasons), for documentation.
pub const CODES: &[&str] = &[
    codes::UNIT_PRICE_PAID,
    codes::TAX,
    codes::PARTIAL_NETTED,
    codes::RESTOCKING_FEE,
    codes::CONDITION_DEDUCTION,
    codes::RETURN_LABEL_FEE,
    codes::PARTIAL_REFUND,
    codes::CAPPED_BY_PAID,
    codes::EXCHANGE_FAILED,
    codes::NOTHING_LEFT_TO_REFUND,
    codes::PARTIAL_CAPPED,
    codes::ORIGINAL_SHIPPING,
];

/// What each line of the order was really paid, split over its units.
struct PaidLine {
    goods: Vec<i64>,
    tax: Vec<i64>,
}

/// Lines' paid amounts: order discounts shared by line subtotal, goods and tax split over units.
fn paid_lines(order: &Order) -> Result<Vec<PaidLine>> {
    let mut subtotals = Vec::with_capacity(order.lines.len());
    for (i, line) in order.lines.iter().enumerate() {
        let gross =
            money::times(line.unit_price.0, line.quantity.0).map_err(|e| e.under(&format!("order.lines[{i}]")))?;
        if line.discount.0 > gross {
            return Err(PolicyError::invalid(
                format!("order.lines[{i}].discount"),
                format!("the discount {} is more than the line's {gross}", line.discount.0),
            ));
        }
        subtotals.push(gross - line.discount.0);
    }
    let order_discount = money::sum(order.discounts.iter().map(|d| d.amount.0))?;
    let subtotal = money::sum(subtotals.iter().copied())?;
    if order.discounts.iter().any(|d| d.amount.0 < 0) {
        return Err(PolicyError::invalid("order.discounts", "a discount is not negative"));
    }
    if order_discount > subtotal {
        return Err(PolicyError::invalid(
            "order.discounts",
            format!("discounts of {order_discount} exceed the goods' {subtotal}"),
        ));
    }
    let shares = allocate(order_discount, &subtotals);
    Ok(order
        .lines
        .iter()
        .zip(subtotals.iter().zip(shares))
        .map(|(line, (sub, share))| {
            let units = vec![1; usize::try_from(line.quantity.0).unwrap_or(0)];
            PaidLine {
                goods: allocate(sub - share, &units),
                tax: if order.tax_included { vec![0; units.len()] } else { allocate(line.tax.0, &units) },
            }
        })
        .collect())
}

/// Checks that the order's money adds up before any of it is refunded.
fn validate_money(order: &Order, currency: &Currency) -> Result<()> {
    if order.currency != currency.code {
        return Err(PolicyError::new(
            ErrorCode::CurrencyMismatch,
            "order.currency",
            format!("the order is in {}, the policy in {}", crate::time::truncate(&order.currency, 8), currency.code),
        ));
    }
    for (i, p) in order.payments.iter().enumerate() {
        if p.amount.0 < 0 {
            return Err(PolicyError::invalid(format!("order.payments[{i}].amount"), "a payment is not negative"));
        }
        crate::order::check_text(&p.method, &format!("order.payments[{i}].method"))?;
    }
    if order.lines.iter().any(|l| l.tax.0 < 0) || order.shipping.amount.0 < 0 || order.shipping.tax.0 < 0 {
        return Err(PolicyError::invalid("order.shipping", "shipping and tax are not negative"));
    }
    let charged = order.charged()?;
    let paid = money::sum(order.payments.iter().map(|p| p.amount.0))?;
    if paid != charged {
        return Err(PolicyError::invalid(
            "order.payments",
            format!(
                "the payments add up to {paid}, but the order charged {charged} (goods after discounts, tax, shipping)"
            ),
        ));
    }
    for (i, r) in order.refunds.iter().enumerate() {
        let lines = money::sum(r.lines.iter().map(|l| l.amount.0))?;
        let back = money::sum(r.payments.iter().map(|p| p.amount.0))?;
        if money::sum([lines, r.shipping.0])? != back {
            return Err(PolicyError::invalid(
                format!("order.refunds[{i}].payments"),
                format!("the refund's payments add up to {back}, its lines and shipping to {}", lines + r.shipping.0),
            ));
        }
    }
    Ok(())
}

/// The return decision a quote stands on, made by the engine under the same policy version.
pub type DecideReturn<'a> = &'a dyn Fn(&ReturnRequest) -> Result<ReturnDecision>;

/// Quotes a refund under the policy's `refunds` section; `decide_return` is there when the
/// policy has a `returns` section.
pub fn quote(
    env: &Env,
    rp: &RefundsPolicy,
    req: &RefundRequest,
    decide_return: Option<DecideReturn<'_>>,
) -> Result<RefundQuote> {
    let rounding = rp.spec.rounding;
    let locale = req.locale;
    let order = &req.order;
    order.validate("order")?;
    let paid = paid_lines(order)?;
    validate_money(order, &env.currency)?;
    let cur = &env.currency;
    let fmt = |m: i64| format_money(m, &cur.code, cur.exponent);
    let reason_name = req.reason.clone().unwrap_or_else(|| "changed_mind".to_string());
    let resolution = req.resolution.unwrap_or(Resolution::Refund);
    if !matches!(resolution, Resolution::Refund | Resolution::StoreCredit) {
        return Err(PolicyError::invalid("resolution", "a refund goes back as `refund` or `store_credit`"));
    }
    if req.kind == RefundType::Partial && req.offer.is_none() {
        return Err(PolicyError::new(
            ErrorCode::InvalidField,
            "offer",
            "a partial refund needs an offer: {\"percent\": P} or {\"amount\": A}",
        ));
    }
    if let Some(offer) = &req.offer {
        offer.validate("offer")?;
    }

    // The return decision, for the types where goods come back under the return rules.
    let returning = matches!(req.kind, RefundType::ReturnAndRefund | RefundType::NoReason);
    let decision = match (decide_return, returning) {
        (Some(decide), true) => {
            let rr = ReturnRequest {
                now: req.now,
                locale,
                reason: reason_name.clone(),
                resolution: Some(resolution),
                proof_of_purchase: req.proof_of_purchase,
                channel: req.channel.clone(),
                policy_fingerprint: None,
                order: order.clone(),
                items: req
                    .items
                    .iter()
                    .map(|i| ReturnItem {
                        line_id: i.line_id.clone(),
                        quantity: i.quantity,
                        condition: i.condition.clone(),
                    })
                    .collect(),
            };
            Some(decide(&rr)?)
        }
        _ => None,
    };

    let mut lines = Vec::with_capacity(req.items.len());
    let mut record_lines = Vec::with_capacity(req.items.len());
    let mut reasons: Vec<Reason> = Vec::new();
    let mut exhausted = 0usize;
    let mut merchant_fault = false;
    let mut customer_pays_shipping = false;
    for (i, item) in req.items.iter().enumerate() {
        let Some((li, line)) = order.lines.iter().enumerate().find(|(_, l)| l.id == item.line_id) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("items[{i}].line_id"),
                format!("no line `{}` in the order", crate::time::truncate(&item.line_id, 64)),
            ));
        };
        if req.items.iter().take(i).any(|o| o.line_id == item.line_id) {
            return Err(PolicyError::invalid(format!("items[{i}].line_id"), "a line is asked for twice"));
        }
        let k = item.quantity.0;
        if k == 0 || k > line.quantity.0 {
            return Err(PolicyError::invalid(
                format!("items[{i}].quantity"),
                format!("{k} units asked, but line `{}` has {}", line.id, line.quantity.0),
            ));
        }
        let Some(pl) = paid.get(li) else { continue };
        let returned = order.returned_quantity(&line.id);
        let kept = order.kept_quantity(&line.id);
        let item_decision = decision.as_ref().and_then(|d| d.items.iter().find(|x| x.line_id == line.id));
        let mut item_reasons: Vec<Reason> = item_decision.map(|d| d.reasons.clone()).unwrap_or_default();
        let mut eligible = item_decision.is_none_or(|d| d.eligible);
        let payer = item_decision.map(|d| d.return_shipping_paid_by);
        let fault = match payer {
            Some(p) => p == Payer::Merchant,
            None => rp.fault_reasons.contains(&reason_name),
        };

        // Units this refund covers: the next ones not yet returned (kept-with-partial ones still count).
        let left = if req.kind == RefundType::Partial {
            line.quantity.0.saturating_sub(returned).saturating_sub(kept)
        } else {
            line.quantity.0.saturating_sub(returned)
        };
        if k > left {
            eligible = false;
            exhausted += 1;
            item_reasons.push(
                Reason::new(
                    codes::NOTHING_LEFT_TO_REFUND,
                    locale.pick_with(
                        || format!("Only {left} of the {} units of this line can still be refunded.", line.quantity.0),
                        || format!("该商品共{}件，仅剩{left}件可退款。", line.quantity.0),
                    ),
                )
                .figure("left", left)
                .line(&line.id),
            );
        }
        let first = usize::try_from(returned.saturating_add(if req.kind == RefundType::Partial { kept } else { 0 }))
            .unwrap_or(usize::MAX);
        let idx = first..first.saturating_add(usize::try_from(k).unwrap_or(0));
        let unit_paid: Vec<i64> =
            idx.clone().map(|u| pl.goods.get(u).copied().unwrap_or(0) + pl.tax.get(u).copied().unwrap_or(0)).collect();
        let goods = money::sum(idx.clone().map(|u| pl.goods.get(u).copied().unwrap_or(0)))?;
        let tax = money::sum(idx.map(|u| pl.tax.get(u).copied().unwrap_or(0)))?;

        let mut components = Vec::new();
        let mut from_kept = 0;
        let mut netted = 0;
        let mut kept_quantity = 0;
        if eligible {
            if req.kind == RefundType::Partial {
                kept_quantity = k;
                let base = goods + tax;
                let offer = req.offer.unwrap_or(Fee { percent: None, amount: Some(Minor(0)) });
                let mut amount = offer.on(base, k, rounding)?;
                if let Some(max) = rp.spec.partial.max_percent {
                    let cap = percent_of(base, max, rounding)?;
                    if amount > cap {
                        amount = cap;
                        item_reasons.push(
                            Reason::new(
                                codes::PARTIAL_CAPPED,
                                locale.pick_with(
                                    || format!("A partial refund is at most {}% of the price: {}.", max.0, fmt(cap)),
                                    || format!("部分退款最多为售价的{}%：{}。", max.0, fmt(cap)),
                                ),
                            )
                            .figure("max_percent", max.0.to_string())
                            .line(&line.id),
                        );
                    }
                }
                components.push(Component {
                    code: codes::PARTIAL_REFUND,
                    amount,
                    message: Text::new(locale.pick_with(
                        || format!("Partial refund for keeping {k} × {}, paid {}", line.id, fmt(base)),
                        || format!("保留商品 {} ×{k} 的部分退款（实付 {}）", line.id, fmt(base)),
                    )),
                });
            } else {
                components.push(Component {
                    code: codes::UNIT_PRICE_PAID,
                    amount: goods,
                    message: Text::new(locale.pick_with(
                        || format!("{k} × {} at the price paid after discounts", line.id),
                        || format!("{} ×{k}，按折后实付价", line.id),
                    )),
                });
                if tax > 0 {
                    components.push(Component {
                        code: codes::TAX,
                        amount: tax,
                        message: Text::new(
                            locale.pick_with(
                                || format!("Tax on {k} × {}", line.id),
                                || format!("{} ×{k} 的税费", line.id),
                            ),
                        ),
                    });
                }
                // Units kept earlier with a partial refund: that refund is netted.
                let never_kept = line.quantity.0.saturating_sub(returned).saturating_sub(kept);
                // at least the units that cannot be never-kept ones, at most the kept ones
                from_kept = item.from_kept.map_or(0, |c| c.0).max(k.saturating_sub(never_kept)).min(kept).min(k);
                if from_kept > 0 {
                    let shares =
                        allocate(order.kept_partial_amount(&line.id), &vec![1; usize::try_from(kept).unwrap_or(0)]);
                    netted = money::sum(shares.iter().take(usize::try_from(from_kept).unwrap_or(0)).copied())?;
                    if netted > 0 {
                        components.push(Component {
                            code: codes::PARTIAL_NETTED,
                            amount: -netted,
                            message: Text::new(locale.pick_with(
                                || format!("Partial refund already paid on {from_kept} unit(s) kept earlier"),
                                || format!("此前保留商品时已退的部分款项（{from_kept}件）"),
                            )),
                        });
                    }
                }
                if req.kind != RefundType::ExchangeFailed {
                    if let Some(fee) = item_decision.and_then(|d| d.restocking_fee) {
                        let amount = fee.on(goods, k, rounding)?;
                        if amount > 0 {
                            components.push(Component {
                                code: codes::RESTOCKING_FEE,
                                amount: -amount,
                                message: Text::new(fee_message(locale, "Restocking fee", "退货手续费", &fee, &fmt)),
                            });
                        }
                    }
                    for (requirement, fee) in &rp.spec.deductions {
                        if item.condition.get(*requirement, None) == Some(false) {
                            let amount = fee.on(goods, k, rounding)?;
                            if amount > 0 {
                                components.push(Component {
                                    code: codes::CONDITION_DEDUCTION,
                                    amount: -amount,
                                    message: Text::new(fee_message(
                                        locale,
                                        &format!("Deduction: {}", requirement.as_str().replace('_', " ")),
                                        &format!("扣减：{}", requirement_zh(*requirement)),
                                        fee,
                                        &fmt,
                                    )),
                                });
                            }
                        }
                    }
                }
                merchant_fault |= fault;
                customer_pays_shipping |= payer == Some(Payer::Customer);
            }
        }
        // Never more than is left of what the line was paid.
        let line_paid = money::sum(pl.goods.iter().chain(pl.tax.iter()).copied())?;
        let line_left = (line_paid - order.refunded_amount(&line.id)).max(0);
        let mut amount = money::sum(components.iter().map(|c| c.amount))?.max(0);
        if amount > line_left {
            components.push(Component {
                code: codes::CAPPED_BY_PAID,
                amount: line_left - amount,
                message: Text::new(locale.pick_with(
                    || format!("Capped at what is left of the line's payment: {}", fmt(line_left)),
                    || format!("以该商品剩余可退金额为限：{}", fmt(line_left)),
                )),
            });
            amount = line_left;
        }
        if !eligible {
            components.clear();
            amount = 0;
        }
        reasons.extend(item_reasons.iter().cloned());
        record_lines.push(RecordLine {
            line_id: line.id.clone(),
            quantity: if eligible && req.kind != RefundType::Partial { k } else { 0 },
            kept_quantity,
            from_kept,
            netted,
            amount,
        });
        lines.push(LineQuote {
            line_id: line.id.clone(),
            quantity: k,
            eligible,
            unit_paid,
            components,
            amount,
            reasons: item_reasons,
        });
    }

    // The return-label fee, shared over the refunded lines by amount.
    let label_fee = rp.spec.return_label_fee.0;
    if returning && req.uses_merchant_label && customer_pays_shipping && label_fee > 0 {
        let weights: Vec<i64> = lines.iter().map(|l| l.amount).collect();
        let base = money::sum(weights.iter().copied())?;
        let fee = label_fee.min(base);
        for ((line, share), rec) in lines.iter_mut().zip(allocate(fee, &weights)).zip(record_lines.iter_mut()) {
            if share > 0 {
                line.components.push(Component {
                    code: codes::RETURN_LABEL_FEE,
                    amount: -share,
                    message: Text::new(locale.pick_with(
                        || format!("Return label fee (you pay the return shipping): {}", fmt(fee)),
                        || format!("退货面单费（退货运费由您承担）：{}", fmt(fee)),
                    )),
                });
                line.amount -= share;
                rec.amount -= share;
            }
        }
    }

    // Original shipping, once.
    let shipping_paid = order.shipping.amount.0 + if order.tax_included { 0 } else { order.shipping.tax.0 };
    let shipping_refunded = money::sum(order.refunds.iter().map(|r| r.shipping.0))?;
    let any_refunded = record_lines.iter().any(|r| r.quantity > 0);
    let all_back = order.lines.iter().all(|l| {
        let now_back = record_lines.iter().filter(|r| r.line_id == l.id).map(|r| r.quantity).sum::<u64>();
        order.returned_quantity(&l.id).saturating_add(now_back) >= l.quantity.0
    });
    let shipping = match rp.spec.shipping {
        _ if shipping_refunded > 0 || !any_refunded || req.kind == RefundType::Partial => 0,
        ShippingRule::Never => 0,
        ShippingRule::MerchantFault if merchant_fault => shipping_paid,
        ShippingRule::FullReturn if all_back => shipping_paid,
        _ => 0,
    };
    if shipping > 0 {
        reasons.push(
            Reason::new(
                codes::ORIGINAL_SHIPPING,
                locale.pick_with(
                    || format!("The original shipping of {} is refunded.", fmt(shipping)),
                    || format!("原订单运费 {} 一并退还。", fmt(shipping)),
                ),
            )
            .figure("amount", shipping),
        );
    }

    // The order's own ceiling: what was paid, less what was refunded before.
    let paid_total = money::sum(order.payments.iter().map(|p| p.amount.0))?;
    let refunded_before = money::sum(order.refunds.iter().flat_map(|r| r.payments.iter().map(|p| p.amount.0)))?;
    let total =
        money::sum(lines.iter().map(|l| l.amount).chain([shipping]))?.min((paid_total - refunded_before).max(0));

    if req.kind == RefundType::ExchangeFailed {
        reasons.push(Reason::new(
            codes::EXCHANGE_FAILED,
            locale.pick_with(
                || {
                    "The exchange could not be made, so the price paid is refunded in full, with no deductions."
                        .to_string()
                },
                || "换货无法完成，按实付金额全额退款，不作任何扣减。".to_string(),
            ),
        ));
    }
    if total == 0 && exhausted > 0 {
        reasons.push(Reason::new(
            codes::NOTHING_LEFT_TO_REFUND,
            locale.pick_with(
                || "Nothing is left to refund on these items.".to_string(),
                || "这些商品已无可退款项。".to_string(),
            ),
        ));
    }

    let (payments, bonus) = match resolution {
        Resolution::StoreCredit => {
            let bonus = match rp.spec.store_credit.bonus_percent {
                Some(p) => percent_of(total, p, rounding)?,
                None => 0,
            };
            (vec![PaymentShare { method: "store_credit".into(), amount: total }], bonus)
        }
        _ => (split_payments(order, &rp.spec.payment_order, total)?, 0),
    };
    if bonus > 0 {
        reasons.push(
            Reason::new(
                "STORE_CREDIT_BONUS",
                locale.pick_with(
                    || {
                        format!(
                            "Store credit of {} plus a bonus of {}: {} in all.",
                            fmt(total),
                            fmt(bonus),
                            fmt(total + bonus)
                        )
                    },
                    || format!("店铺余额 {}，另赠 {}，共 {}。", fmt(total), fmt(bonus), fmt(total + bonus)),
                ),
            )
            .figure("bonus", bonus),
        );
    }

    let eligible = lines.iter().all(|l| l.eligible);
    let outcome = match &decision {
        Some(d) if d.outcome == Outcome::Review && eligible => Outcome::Review,
        _ if eligible && total > 0 => Outcome::Approve,
        _ if eligible => Outcome::Approve,
        _ => Outcome::Deny,
    };
    if let Some(d) = &decision {
        for r in d.reasons.iter().filter(|r| r.code == "MANUAL_REVIEW") {
            reasons.push(r.clone());
        }
    }
    Ok(RefundQuote {
        review_by: None,
        payout_by: None,
        kind: req.kind,
        resolution,
        eligible,
        outcome,
        currency: cur.code.clone(),
        record: RecordOut { lines: record_lines, shipping, payments: payments.clone() },
        lines,
        shipping,
        total,
        store_credit_bonus: bonus,
        payments,
        reasons,
        trace: decision.map(|d| d.trace).unwrap_or_default(),
        policy: env.reference(),
    })
}

fn requirement_zh(r: Requirement) -> &'static str {
    match r {
        Requirement::Unused => "商品已使用",
        Requirement::OriginalPackaging => "原包装缺损",
        Requirement::TagsAttached => "吊牌缺失",
        Requirement::AccessoriesComplete => "配件或赠品缺失",
        Requirement::SealIntact => "封条已拆",
        Requirement::ProofOfPurchase => "无购买凭证",
    }
}

fn fee_message(locale: Locale, en: &str, zh: &str, fee: &Fee, fmt: &dyn Fn(i64) -> String) -> String {
    match (fee.percent, fee.amount) {
        (Some(p), _) => {
            locale.pick_with(|| format!("{en}: {}% of the price paid", p.0), || format!("{zh}：实付价的{}%", p.0))
        }
        (None, Some(a)) => {
            locale.pick_with(|| format!("{en}: {} a unit", fmt(a.0)), || format!("{zh}：每件 {}", fmt(a.0)))
        }
        _ => en.to_string(),
    }
}

/// Splits `total` over the order's payment methods: the policy's order first, then the rest in
/// the order's order; never more to a method than it paid less what it already got back.
fn split_payments(order: &Order, preferred: &[String], total: i64) -> Result<Vec<PaymentShare>> {
    let mut methods: Vec<String> = Vec::new();
    for m in preferred.iter().chain(order.payments.iter().map(|p| &p.method)) {
        if order.payments.iter().any(|p| &p.method == m) && !methods.contains(m) {
            methods.push(m.clone());
        }
    }
    let mut left = total;
    let mut shares = Vec::new();
    for m in methods {
        if left <= 0 {
            break;
        }
        let paid = money::sum(order.payments.iter().filter(|p| p.method == m).map(|p| p.amount.0))?;
        let back = money::sum(
            order.refunds.iter().flat_map(|r| r.payments.iter()).filter(|p| p.method == m).map(|p| p.amount.0),
        )?;
        let room = (paid - back).max(0);
        let amount = room.min(left);
        if amount > 0 {
            shares.push(PaymentShare { method: m, amount });
            left -= amount;
        }
    }
    if left > 0 {
        return Err(PolicyError::invalid("order.refunds", "earlier refunds leave the payments less than this refund"));
    }
    Ok(shares)
}
