//! Refund quotes: how much money goes back, line by line and component by component, exact to
//! the minor unit, and to which payment method.
//!
//! [`quote`] runs these stages, in this order (each a function of that name):
//! 1. `paid_lines`: the order is checked, and what each line was really paid is found: its
//!    subtotal after its own discount, less its share of the order's discounts (largest remainder
//!    over line subtotals, ties to the earlier line), plus its tax when prices exclude tax; each
//!    line's paid goods and tax are split over its units the same way, and units are refunded in
//!    order, so refunding one unit at a time adds up to the line;
//! 2. `validate`: the order's money adds up in the policy's currency, the resolution is `refund`
//!    or `store_credit`, a partial refund has a valid offer;
//! 3. `return_decision`: for the return types, the return decision of `returns` (through the
//!    engine's `decide_return`); an ineligible item quotes 0 with its reasons;
//! 4. per item, in the request's order:
//!    1. `item_line`: the order has the line, it is asked for once, with units it has;
//!    2. `units_left`: the item's verdict starts from the return decision's; earlier refunds
//!       (`order.refunds`) leave fewer units, and the units covered are the next ones not yet
//!       returned, with what they were paid;
//!    3. `components`: for a partial refund `partial_refund` (the offer, capped by the policy);
//!       for goods that come back `returned_goods` (goods and tax), `netted` (a partial refund
//!       paid earlier on units kept that now come back) and `deductions` (the restocking fee the
//!       return decision names, the deductions for a condition the policy prices in
//!       `refunds.deductions`);
//!    4. `cap_by_paid`: never more than is left of what the line was paid;
//! 5. `label_fee`: the return-label fee when the customer pays the return shipping and uses the
//!    merchant's label (shared over the lines by amount);
//! 6. `original_shipping`: by the policy's rule (`never`, `full_return`, `merchant_fault`), once;
//! 7. `order_ceiling`: the total never exceeds what was paid less what was refunded before, so
//!    nothing is refunded twice;
//! 8. `payments_split`: the split back over the payments in the policy's `payment_order` (never
//!    more to a method than it has left), or store credit with its bonus;
//! 9. `outcome`: approve, review or deny.
//!
//! Threshold discounts, coupons and points (`discounts`, a submodule): after the items,
//! `recompute` (a threshold discount the kept units no longer reach is withheld, or given back
//! when units it was withheld for come back), `coupons` (given back when the whole order is back)
//! and `points_clawed_back`; after the payments split, `points_paid` (points go back as points).
//! When the money moves (`release`, a submodule): after the outcome, `release` (on request, at the
//! first scan, after inspection, by the policy's rules); a request whose items carry an
//! `inspection` runs `inspect` instead of the items' stages: what to recover from the customer.
//!
//! The quote's `record` is the entry to append to `order.refunds` once the refund is made, so the
//! next quote on the same order knows about it. Nothing here reads a clock or rounds with floats,
//! and nothing here writes words: the messages are [`Says`] values, put in words by the engine.

use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, Text, TraceEntry};
use crate::messages::format_money;
use crate::messages::refunds::{Charge, Says};
use crate::money::{self, allocate, percent_of, Count, Currency, Fee, Minor, Percent, Rounding};
use crate::order::{Line, Order};
use crate::problems::Problems;
use crate::returns::{ItemDecision, ReturnDecision, ReturnItem, ReturnRequest};
use crate::time::Timestamp;
use crate::vocabulary::{ItemCondition, Locale, Outcome, Payer, Requirement, Resolution};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

mod discounts;
mod release;
pub use discounts::{DiscountMode, DiscountRecordOut, DiscountRuleSpec, PointsSpec, ReinstatedCoupon};
pub use release::{Recovery, RecoveryLine, Release, ReleasePolicy, ReleaseRuleSpec, ReleaseSpec, RELEASE_FACTS};

// ---------------------------------------------------------------------------------------------
// The policy section

/// Most units a line of a quoted order may have: each unit's paid share is computed (8 bytes a
/// unit, twice), and a quantity of 2^32 would ask for 64 GiB.
pub const MAX_UNITS: u64 = 1_000_000;

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
    /// Order discounts by kind (`order.discounts[].kind`): prorated (default) or recomputed when
    /// the units kept fall below the threshold; coupons given back when the whole order comes
    /// back in time (`{"threshold": {"mode": "recompute"}, "coupon": {"reinstate": true}}`).
    #[serde(default)]
    pub discounts: BTreeMap<String, DiscountRuleSpec>,
    /// Loyalty points earned on the order: clawed back in proportion (default).
    #[serde(default)]
    pub points: PointsSpec,
    /// When refunds are released (on request, at the carrier's first scan, after inspection), by
    /// rules; without it, quotes do not say.
    #[serde(default)]
    pub release: Option<ReleaseSpec>,
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
    release: Option<ReleasePolicy>,
}

/// Compiles the `refunds` section (or its defaults) at `path`, noting every refusal in
/// `problems`: the return-label fee, then each deduction's fee.
pub fn compile(spec: Option<&RefundsSpec>, _env: &Env, path: &str, problems: &mut Problems) -> Option<RefundsPolicy> {
    let spec = spec.cloned().unwrap_or_default();
    let mut refused = false;
    if spec.return_label_fee.0 < 0 {
        problems.push(PolicyError::invalid(format!("{path}.return_label_fee"), "a fee is not negative"));
        refused = true;
    }
    for (req, fee) in &spec.deductions {
        refused |= problems.check(fee.validate(&format!("{path}.deductions.{}", req.as_str()))).is_none();
    }
    refused |= !discounts::compile(&spec.discounts, path, problems);
    let release = match &spec.release {
        Some(r) => {
            let compiled = release::compile(r, &format!("{path}.release"), problems);
            refused |= compiled.is_none();
            compiled
        }
        None => None,
    };
    if refused {
        return None;
    }
    let fault_reasons = spec.merchant_fault_reasons.clone().unwrap_or_else(|| {
        ["defective", "not_as_described", "damaged_in_transit", "wrong_item"].iter().map(|s| s.to_string()).collect()
    });
    Some(RefundsPolicy { spec, fault_reasons, release })
}

// ---------------------------------------------------------------------------------------------
// The request and the quote

/// The four refund types.
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

/// A request for a refund quote: how much goes back, line by line and to which payment.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// "Now": the engine never reads a clock.
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
    /// `return_and_refund` by default.
    #[serde(rename = "type", default)]
    pub kind: RefundType,
    /// The reason given (`changed_mind` by default).
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
    /// The fingerprint of the policy the caller decided under; a different one is refused with
    /// `POLICY_MISMATCH`.
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
    /// For `partial`: what the merchant offers for keeping the items (`{"percent": 30}` of their
    /// price, or `{"amount": A}` a unit).
    #[serde(default)]
    pub offer: Option<Fee>,
    /// The merchant's risk assessment of this request (`low`, `high`, or its own words), a fact
    /// for `refunds.release` rules (`request.risk`).
    #[serde(default)]
    pub risk: Option<String>,
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
    /// The condition an inspection found, for units already refunded (the line's last ones):
    /// the quote then says what to recover (`recover`) instead of refunding. Every item of such
    /// a request has one; `condition` is what the customer declared.
    #[serde(default)]
    pub inspection: Option<ItemCondition>,
}

/// One amount in a quote, explained.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Component {
    pub code: &'static str,
    /// Positive: money back; negative: a deduction.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    pub message: Text,
}

/// The quote of one order line.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineQuote {
    pub line_id: String,
    pub quantity: u64,
    pub eligible: bool,
    /// What each unit refunded here was paid (goods after discounts, with tax where it is on top).
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::money::Minor>"))]
    pub unit_paid: Vec<i64>,
    pub components: Vec<Component>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentShare {
    pub method: String,
    /// Money, in minor units (for `points`, their money value).
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    /// For `points`: the points given back (when the order's payment gave its count): points,
    /// not money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<u64>,
}

/// The entry to append to `order.refunds` once the refund is made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordOut {
    pub lines: Vec<RecordLine>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub shipping: i64,
    pub payments: Vec<PaymentShare>,
    /// What this refund did to threshold discounts (withheld, given back, waived).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<DiscountRecordOut>,
    /// Loyalty points clawed back.
    #[serde(skip_serializing_if = "is_zero")]
    pub points_clawed_back: u64,
}

fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordLine {
    pub line_id: String,
    pub quantity: u64,
    pub kept_quantity: u64,
    pub from_kept: u64,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub netted: i64,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    /// Withheld for a recomputed threshold discount (negative: given back).
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub withheld: i64,
    /// To recover from the customer after an inspection.
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub recovered: i64,
}

/// The answer to a [`RefundRequest`]: the money back, line by line and to which payment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RefundQuote {
    #[serde(rename = "type")]
    pub kind: RefundType,
    pub resolution: Resolution,
    pub eligible: bool,
    pub outcome: Outcome,
    pub currency: String,
    pub lines: Vec<LineQuote>,
    /// Original shipping refunded (with its tax where it was on top).
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub shipping: i64,
    /// Money back, the sum of the lines and the shipping.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub total: i64,
    /// The store-credit bonus on top of `total` (store credit only).
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub store_credit_bonus: i64,
    /// Where `total` goes: the original payments, or `store_credit`.
    pub payments: Vec<PaymentShare>,
    /// The review deadline from now (the SLA's `refund_review` target of a `refund` case).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub review_by: Option<String>,
    /// The payout deadline counted from the review deadline (`refund_payout`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub payout_by: Option<String>,
    pub reasons: Vec<Reason>,
    pub trace: Vec<TraceEntry>,
    /// Append this to `order.refunds` once the refund is made.
    pub record: RecordOut,
    /// When the refund is released (with a `refunds.release` section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<Release>,
    /// Loyalty points the order earned that this refund takes back: points, not money.
    #[serde(skip_serializing_if = "is_zero")]
    pub points_clawed_back: u64,
    /// Coupons to give back: the whole order came back within their validity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reinstated_coupons: Vec<ReinstatedCoupon>,
    /// After an inspection: what to recover from the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recover: Option<Recovery>,
    pub policy: PolicyRef,
}

impl Explained for RefundQuote {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.lines.iter_mut().flat_map(|l| l.reasons.iter_mut()).chain(self.reasons.iter_mut()).for_each(f);
    }

    fn texts(&mut self, f: &mut dyn FnMut(&mut Text)) {
        self.lines.iter_mut().flat_map(|l| l.components.iter_mut()).for_each(|c| f(&mut c.message));
        let recovered = self.recover.iter_mut().flat_map(|r| r.lines.iter_mut());
        recovered.flat_map(|l| l.components.iter_mut()).for_each(|c| f(&mut c.message));
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
    pub const STORE_CREDIT_BONUS: &str = "STORE_CREDIT_BONUS";
    // Threshold discounts, coupons and points (`discounts`); release and recovery (`release`).
    pub const DISCOUNT_RECOMPUTED: &str = "DISCOUNT_RECOMPUTED";
    pub const DISCOUNT_WITHHELD_REFUNDED: &str = "DISCOUNT_WITHHELD_REFUNDED";
    pub const DISCOUNT_WAIVED: &str = "DISCOUNT_WAIVED";
    pub const COUPON_REINSTATED: &str = "COUPON_REINSTATED";
    pub const COUPON_EXPIRED: &str = "COUPON_EXPIRED";
    pub const POINTS_CLAWED_BACK: &str = "POINTS_CLAWED_BACK";
    pub const POINTS_REFUNDED: &str = "POINTS_REFUNDED";
    pub const REFUND_RELEASE: &str = "REFUND_RELEASE";
    pub const REFUND_RECOVERY: &str = "REFUND_RECOVERY";
    pub const INSPECTION_NOT_PRICED: &str = "INSPECTION_NOT_PRICED";
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
    codes::STORE_CREDIT_BONUS,
    codes::DISCOUNT_RECOMPUTED,
    codes::DISCOUNT_WITHHELD_REFUNDED,
    codes::DISCOUNT_WAIVED,
    codes::COUPON_REINSTATED,
    codes::COUPON_EXPIRED,
    codes::POINTS_CLAWED_BACK,
    codes::POINTS_REFUNDED,
    codes::REFUND_RELEASE,
    codes::REFUND_RECOVERY,
    codes::INSPECTION_NOT_PRICED,
];

/// What each line of the order was really paid, split over its units.
struct PaidLine {
    goods: Vec<i64>,
    tax: Vec<i64>,
}

/// Paid lines: the order is checked, then each line's paid amounts are found: order discounts
/// shared by line subtotal, goods and tax split over units.
fn paid_lines(order: &Order) -> Result<Vec<PaidLine>> {
    order.validate("order")?;
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
    // Each unit's share is kept: a line of billions of units would ask for gigabytes. Checked
    // last, so every other refusal of the order comes first.
    if let Some(i) = order.lines.iter().position(|l| l.quantity.0 > MAX_UNITS) {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("order.lines[{i}].quantity"),
            format!("a refund quotes lines of at most {MAX_UNITS} units"),
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
/// policy has a `returns` section. The stages run in the order of the module's list.
pub fn quote(
    env: &Env,
    rp: &RefundsPolicy,
    req: &RefundRequest,
    decide_return: Option<DecideReturn<'_>>,
) -> Result<RefundQuote> {
    let paid = paid_lines(&req.order)?;
    let resolution = validate(env, req)?;
    let inspecting = release::inspecting(req)?;
    let reason = req.reason.clone().unwrap_or_else(|| "changed_mind".to_string());
    let returning = matches!(req.kind, RefundType::ReturnAndRefund | RefundType::NoReason) && !inspecting;
    let decision = return_decision(req, resolution, &reason, returning, decide_return)?;
    let q = Quoting { env, rp, req, order: &req.order, paid, resolution, reason, returning, decision };

    let mut tally = Tally::with_capacity(req.items.len());
    let mut adjusted = Adjusted::default();
    if inspecting {
        release::inspect(&q, &mut tally, &mut adjusted)?;
    }
    for (i, asked) in req.items.iter().enumerate().filter(|_| !inspecting) {
        let Some(item) = q.item_line(i, asked)? else { continue };
        let mut verdict = q.units_left(&item, &mut tally)?;
        q.components(&item, &mut verdict, &mut tally)?;
        q.cap_by_paid(&item, &mut verdict)?;
        tally.add(&q, &item, verdict);
    }
    discounts::recompute(&q, &mut tally, &mut adjusted)?;
    discounts::coupons(&q, &mut tally, &mut adjusted);
    discounts::points_clawed_back(&q, &mut tally, &mut adjusted)?;
    q.label_fee(&mut tally)?;
    let shipping = q.original_shipping(&mut tally)?;
    let total = q.order_ceiling(&mut tally, shipping)?;
    let (mut payments, bonus) = q.payments_split(&mut tally, total)?;
    discounts::points_paid(&q, &mut payments, &mut tally)?;
    let (eligible, mut outcome) = q.outcome(&mut tally);
    let release = release::release(&q, total, &mut tally)?;
    if adjusted.review && outcome == Outcome::Approve {
        outcome = Outcome::Review;
    }

    Ok(RefundQuote {
        review_by: None,
        payout_by: None,
        kind: req.kind,
        resolution,
        eligible,
        outcome,
        currency: env.currency.code.clone(),
        record: RecordOut {
            lines: tally.record_lines,
            shipping,
            payments: payments.clone(),
            discounts: adjusted.discounts,
            points_clawed_back: adjusted.points_clawed_back,
        },
        release,
        points_clawed_back: adjusted.points_clawed_back,
        reinstated_coupons: adjusted.coupons,
        recover: adjusted.recover,
        lines: tally.lines,
        shipping,
        total,
        store_credit_bonus: bonus,
        payments,
        reasons: tally.reasons,
        trace: q.decision.map(|d| d.trace).unwrap_or_default(),
        policy: env.reference(),
    })
}

/// Validate: the order's money adds up in the policy's currency, the refund goes back as
/// `refund` or `store_credit`, and a partial refund has a valid offer. Gives the resolution.
fn validate(env: &Env, req: &RefundRequest) -> Result<Resolution> {
    validate_money(&req.order, &env.currency)?;
    discounts::validate(&req.order)?;
    if let Some(risk) = &req.risk {
        crate::order::check_text(risk, "risk")?;
    }
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
    Ok(resolution)
}

/// The return decision, for the types where goods come back under the return rules (when the
/// policy has them): the engine's `decide_return` on the same order, items and reason.
fn return_decision(
    req: &RefundRequest,
    resolution: Resolution,
    reason: &str,
    returning: bool,
    decide_return: Option<DecideReturn<'_>>,
) -> Result<Option<ReturnDecision>> {
    let Some(decide) = decide_return.filter(|_| returning) else { return Ok(None) };
    let rr = ReturnRequest {
        now: req.now,
        locale: req.locale,
        reason: reason.to_string(),
        resolution: Some(resolution),
        proof_of_purchase: req.proof_of_purchase,
        channel: req.channel.clone(),
        policy_fingerprint: None,
        order: req.order.clone(),
        items: req
            .items
            .iter()
            .map(|i| ReturnItem { line_id: i.line_id.clone(), quantity: i.quantity, condition: i.condition.clone() })
            .collect(),
    };
    decide(&rr).map(Some)
}

/// What a quote is made from once the request is validated; every stage reads it.
struct Quoting<'a> {
    env: &'a Env,
    rp: &'a RefundsPolicy,
    req: &'a RefundRequest,
    order: &'a Order,
    paid: Vec<PaidLine>,
    resolution: Resolution,
    /// The request's reason (`changed_mind` when it names none).
    reason: String,
    /// Whether the goods come back under the return rules (`return_and_refund`, `no_reason`).
    returning: bool,
    decision: Option<ReturnDecision>,
}

/// One item asked for, with the line it names.
struct Item<'q> {
    asked: &'q RefundItem,
    line: &'q Line,
    /// The line's id, shared by the item's messages.
    id: Arc<str>,
    paid: &'q PaidLine,
    /// Units asked for.
    units: u64,
    /// Units of the line returned before, and kept before with a partial refund.
    returned: u64,
    kept: u64,
    /// The return decision's verdict on the item, when there is one.
    decision: Option<&'q ItemDecision>,
}

/// One item's verdict, as the stages make it.
struct Verdict {
    eligible: bool,
    reasons: Vec<Reason>,
    /// What each unit refunded was paid, and the goods and tax of them all.
    unit_paid: Vec<i64>,
    goods: i64,
    tax: i64,
    components: Vec<Component>,
    /// Units kept before with a partial refund that come back now, and that partial refund.
    from_kept: u64,
    netted: i64,
    /// Units kept with this (partial) refund.
    kept_quantity: u64,
    amount: i64,
}

/// What the stages of `discounts` and `release` add to a quote.
#[derive(Debug, Default)]
struct Adjusted {
    discounts: Vec<DiscountRecordOut>,
    coupons: Vec<ReinstatedCoupon>,
    points_clawed_back: u64,
    recover: Option<Recovery>,
    /// An inspection found something the policy does not price: a person decides.
    review: bool,
}

/// What the items add up to, as the stages go.
struct Tally {
    lines: Vec<LineQuote>,
    record_lines: Vec<RecordLine>,
    reasons: Vec<Reason>,
    /// Items asked for beyond the units left of their line.
    exhausted: usize,
    /// Whether a refunded item's return is the merchant's fault.
    merchant_fault: bool,
    /// Whether the customer pays the return shipping of a refunded item.
    customer_pays_shipping: bool,
}

impl Tally {
    fn with_capacity(items: usize) -> Tally {
        Tally {
            lines: Vec::with_capacity(items),
            record_lines: Vec::with_capacity(items),
            reasons: Vec::new(),
            exhausted: 0,
            merchant_fault: false,
            customer_pays_shipping: false,
        }
    }

    /// Adds an item's line to the quote and to the record, its reasons to the quote's.
    fn add(&mut self, q: &Quoting<'_>, item: &Item<'_>, v: Verdict) {
        self.reasons.extend(v.reasons.iter().cloned());
        self.record_lines.push(RecordLine {
            line_id: item.line.id.clone(),
            quantity: if v.eligible && !q.partial() { item.units } else { 0 },
            kept_quantity: v.kept_quantity,
            from_kept: v.from_kept,
            netted: v.netted,
            amount: v.amount,
            withheld: 0,
            recovered: 0,
        });
        self.lines.push(LineQuote {
            line_id: item.line.id.clone(),
            quantity: item.units,
            eligible: v.eligible,
            unit_paid: v.unit_paid,
            components: v.components,
            amount: v.amount,
            reasons: v.reasons,
        });
    }
}

impl Quoting<'_> {
    fn partial(&self) -> bool {
        self.req.kind == RefundType::Partial
    }

    fn rounding(&self) -> Rounding {
        self.rp.spec.rounding
    }

    /// An amount in the policy's currency, for a message.
    fn money(&self, minor: i64) -> String {
        format_money(minor, &self.env.currency.code, self.env.currency.exponent)
    }

    /// Per item, the line: the order has it, it is asked for once, and it has the units asked
    /// for. `None` for a line without paid amounts (never: every line has them).
    fn item_line<'q>(&'q self, i: usize, asked: &'q RefundItem) -> Result<Option<Item<'q>>> {
        let Some((li, line)) = self.order.lines.iter().enumerate().find(|(_, l)| l.id == asked.line_id) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("items[{i}].line_id"),
                format!("no line `{}` in the order", crate::time::truncate(&asked.line_id, 64)),
            ));
        };
        if self.req.items.iter().take(i).any(|o| o.line_id == asked.line_id) {
            return Err(PolicyError::invalid(format!("items[{i}].line_id"), "a line is asked for twice"));
        }
        let units = asked.quantity.0;
        if units == 0 || units > line.quantity.0 {
            return Err(PolicyError::invalid(
                format!("items[{i}].quantity"),
                format!("{units} units asked, but line `{}` has {}", line.id, line.quantity.0),
            ));
        }
        let Some(paid) = self.paid.get(li) else { return Ok(None) };
        Ok(Some(Item {
            asked,
            line,
            id: Arc::from(line.id.as_str()),
            paid,
            units,
            returned: self.order.returned_quantity(&line.id),
            kept: self.order.kept_quantity(&line.id),
            decision: self.decision.as_ref().and_then(|d| d.items.iter().find(|x| x.line_id == line.id)),
        }))
    }

    /// Per item, the units left: the verdict starts from the return decision's; the units this
    /// refund covers are the next ones not yet returned (kept-with-partial ones still count
    /// unless they are kept again), and an item asking for more than are left is refused.
    fn units_left(&self, item: &Item<'_>, tally: &mut Tally) -> Result<Verdict> {
        let mut eligible = item.decision.is_none_or(|d| d.eligible);
        let mut reasons: Vec<Reason> = item.decision.map(|d| d.reasons.clone()).unwrap_or_default();
        let quantity = item.line.quantity.0;
        let left = if self.partial() {
            quantity.saturating_sub(item.returned).saturating_sub(item.kept)
        } else {
            quantity.saturating_sub(item.returned)
        };
        if item.units > left {
            eligible = false;
            tally.exhausted += 1;
            reasons.push(
                Reason::new(codes::NOTHING_LEFT_TO_REFUND, Says::UnitsLeft { left, quantity })
                    .figure("left", left)
                    .line(&item.line.id),
            );
        }
        let first = usize::try_from(item.returned.saturating_add(if self.partial() { item.kept } else { 0 }))
            .unwrap_or(usize::MAX);
        let idx = first..first.saturating_add(usize::try_from(item.units).unwrap_or(0));
        let (goods, tax) = (&item.paid.goods, &item.paid.tax);
        let unit_paid: Vec<i64> =
            idx.clone().map(|u| goods.get(u).copied().unwrap_or(0) + tax.get(u).copied().unwrap_or(0)).collect();
        Ok(Verdict {
            eligible,
            reasons,
            unit_paid,
            goods: money::sum(idx.clone().map(|u| goods.get(u).copied().unwrap_or(0)))?,
            tax: money::sum(idx.map(|u| tax.get(u).copied().unwrap_or(0)))?,
            components: Vec::new(),
            from_kept: 0,
            netted: 0,
            kept_quantity: 0,
            amount: 0,
        })
    }

    /// Per item, the components of an eligible one: the partial refund for keeping it, or for
    /// goods that come back their goods, tax, netted partial refund and deductions.
    fn components(&self, item: &Item<'_>, v: &mut Verdict, tally: &mut Tally) -> Result<()> {
        if !v.eligible {
            return Ok(());
        }
        if self.partial() {
            return self.partial_refund(item, v);
        }
        self.returned_goods(item, v);
        self.netted(item, v)?;
        if self.req.kind != RefundType::ExchangeFailed {
            self.deductions(item, v)?;
        }
        let payer = item.decision.map(|d| d.return_shipping_paid_by);
        tally.merchant_fault |= match payer {
            Some(p) => p == Payer::Merchant,
            None => self.rp.fault_reasons.contains(&self.reason),
        };
        tally.customer_pays_shipping |= payer == Some(Payer::Customer);
        Ok(())
    }

    /// The partial refund for keeping the units: the offer on what they were paid, capped by the
    /// policy's `partial.max_percent`.
    fn partial_refund(&self, item: &Item<'_>, v: &mut Verdict) -> Result<()> {
        let units = item.units;
        v.kept_quantity = units;
        let base = v.goods + v.tax;
        let offer = self.req.offer.unwrap_or(Fee { percent: None, amount: Some(Minor(0)) });
        let mut amount = offer.on(base, units, self.rounding())?;
        if let Some(max_percent) = self.rp.spec.partial.max_percent {
            let cap = percent_of(base, max_percent, self.rounding())?;
            if amount > cap {
                amount = cap;
                v.reasons.push(
                    Reason::new(codes::PARTIAL_CAPPED, Says::PartialCapped { max_percent, cap: self.money(cap) })
                        .figure("max_percent", max_percent.0.to_string())
                        .line(&item.line.id),
                );
            }
        }
        let says = Says::PartialRefund { units, line: item.id.clone(), paid: self.money(base) };
        v.components.push(Component { code: codes::PARTIAL_REFUND, amount, message: Text::new(says) });
        Ok(())
    }

    /// The goods that come back at the price paid after discounts, and their tax.
    fn returned_goods(&self, item: &Item<'_>, v: &mut Verdict) {
        let (units, line) = (item.units, item.id.clone());
        let says = Says::UnitPricePaid { units, line: line.clone() };
        v.components.push(Component { code: codes::UNIT_PRICE_PAID, amount: v.goods, message: Text::new(says) });
        if v.tax > 0 {
            let says = Says::Tax { units, line };
            v.components.push(Component { code: codes::TAX, amount: v.tax, message: Text::new(says) });
        }
    }

    /// Units kept earlier with a partial refund that come back now: that refund is netted.
    fn netted(&self, item: &Item<'_>, v: &mut Verdict) -> Result<()> {
        let (units, kept) = (item.units, item.kept);
        let never_kept = item.line.quantity.0.saturating_sub(item.returned).saturating_sub(kept);
        // at least the units that cannot be never-kept ones, at most the kept ones
        v.from_kept =
            item.asked.from_kept.map_or(0, |c| c.0).max(units.saturating_sub(never_kept)).min(kept).min(units);
        if v.from_kept > 0 {
            let shares =
                allocate(self.order.kept_partial_amount(&item.line.id), &vec![1; usize::try_from(kept).unwrap_or(0)]);
            v.netted = money::sum(shares.iter().take(usize::try_from(v.from_kept).unwrap_or(0)).copied())?;
            if v.netted > 0 {
                let says = Says::PartialNetted { units: v.from_kept };
                v.components.push(Component {
                    code: codes::PARTIAL_NETTED,
                    amount: -v.netted,
                    message: Text::new(says),
                });
            }
        }
        Ok(())
    }

    /// The restocking fee the return decision names, and the deductions the policy prices for a
    /// condition not met.
    fn deductions(&self, item: &Item<'_>, v: &mut Verdict) -> Result<()> {
        let (units, goods) = (item.units, v.goods);
        if let Some(fee) = item.decision.and_then(|d| d.restocking_fee) {
            let amount = fee.on(goods, units, self.rounding())?;
            if amount > 0 {
                let says = Says::RestockingFee { charge: Charge::of(&fee, &self.env.currency) };
                v.components.push(Component { code: codes::RESTOCKING_FEE, amount: -amount, message: Text::new(says) });
            }
        }
        for (requirement, fee) in &self.rp.spec.deductions {
            if item.asked.condition.get(*requirement, None) == Some(false) {
                let amount = fee.on(goods, units, self.rounding())?;
                if amount > 0 {
                    let charge = Charge::of(fee, &self.env.currency);
                    let says = Says::ConditionDeduction { requirement: *requirement, charge };
                    let message = Text::new(says);
                    v.components.push(Component { code: codes::CONDITION_DEDUCTION, amount: -amount, message });
                }
            }
        }
        Ok(())
    }

    /// Per item, the cap by paid: never more than is left of what the line was paid; an
    /// ineligible item quotes nothing.
    fn cap_by_paid(&self, item: &Item<'_>, v: &mut Verdict) -> Result<()> {
        let line_paid = money::sum(item.paid.goods.iter().chain(item.paid.tax.iter()).copied())?;
        let line_left = (line_paid - self.order.refunded_amount(&item.line.id)).max(0);
        v.amount = money::sum(v.components.iter().map(|c| c.amount))?.max(0);
        if v.amount > line_left {
            let says = Says::CappedByPaid { left: self.money(line_left) };
            let amount = line_left - v.amount;
            v.components.push(Component { code: codes::CAPPED_BY_PAID, amount, message: Text::new(says) });
            v.amount = line_left;
        }
        if !v.eligible {
            v.components.clear();
            v.amount = 0;
        }
        Ok(())
    }

    /// The label fee: when the customer pays the return shipping and uses the merchant's label,
    /// the return-label fee, shared over the refunded lines by amount.
    fn label_fee(&self, tally: &mut Tally) -> Result<()> {
        let label_fee = self.rp.spec.return_label_fee.0;
        if !(self.returning && self.req.uses_merchant_label && tally.customer_pays_shipping && label_fee > 0) {
            return Ok(());
        }
        let weights: Vec<i64> = tally.lines.iter().map(|l| l.amount).collect();
        let base = money::sum(weights.iter().copied())?;
        let fee = label_fee.min(base);
        let shares = allocate(fee, &weights);
        for ((line, share), rec) in tally.lines.iter_mut().zip(shares).zip(tally.record_lines.iter_mut()) {
            if share > 0 {
                let says = Says::ReturnLabelFee { fee: self.money(fee) };
                line.components.push(Component {
                    code: codes::RETURN_LABEL_FEE,
                    amount: -share,
                    message: Text::new(says),
                });
                line.amount -= share;
                rec.amount -= share;
            }
        }
        Ok(())
    }

    /// The original shipping, once, by the policy's rule; gives the amount refunded.
    fn original_shipping(&self, tally: &mut Tally) -> Result<i64> {
        let order = self.order;
        let shipping_paid = order.shipping.amount.0 + if order.tax_included { 0 } else { order.shipping.tax.0 };
        let shipping_refunded = money::sum(order.refunds.iter().map(|r| r.shipping.0))?;
        let records = &tally.record_lines;
        let any_refunded = records.iter().any(|r| r.quantity > 0);
        let all_back = order.lines.iter().all(|l| {
            let now_back = records.iter().filter(|r| r.line_id == l.id).map(|r| r.quantity).sum::<u64>();
            order.returned_quantity(&l.id).saturating_add(now_back) >= l.quantity.0
        });
        let shipping = match self.rp.spec.shipping {
            _ if shipping_refunded > 0 || !any_refunded || self.partial() => 0,
            ShippingRule::Never => 0,
            ShippingRule::MerchantFault if tally.merchant_fault => shipping_paid,
            ShippingRule::FullReturn if all_back => shipping_paid,
            _ => 0,
        };
        if shipping > 0 {
            let says = Says::OriginalShipping { amount: self.money(shipping) };
            tally.reasons.push(Reason::new(codes::ORIGINAL_SHIPPING, says).figure("amount", shipping));
        }
        Ok(shipping)
    }

    /// The order ceiling: the total is never more than what was paid, less what was refunded
    /// before. Then the reasons about the whole quote: an exchange that failed, nothing left.
    fn order_ceiling(&self, tally: &mut Tally, shipping: i64) -> Result<i64> {
        let order = self.order;
        let paid_total = money::sum(order.payments.iter().map(|p| p.amount.0))?;
        let refunded_before = money::sum(order.refunds.iter().flat_map(|r| r.payments.iter().map(|p| p.amount.0)))?;
        let total = money::sum(tally.lines.iter().map(|l| l.amount).chain([shipping]))?
            .min((paid_total - refunded_before).max(0));
        if self.req.kind == RefundType::ExchangeFailed {
            tally.reasons.push(Reason::new(codes::EXCHANGE_FAILED, Says::ExchangeFailed));
        }
        if total == 0 && tally.exhausted > 0 {
            tally.reasons.push(Reason::new(codes::NOTHING_LEFT_TO_REFUND, Says::NothingLeft));
        }
        Ok(total)
    }

    /// The payments split: `total` back over the payments in the policy's order, or as store
    /// credit with its bonus. Gives the shares and the bonus.
    fn payments_split(&self, tally: &mut Tally, total: i64) -> Result<(Vec<PaymentShare>, i64)> {
        let (payments, bonus) = match self.resolution {
            Resolution::StoreCredit => {
                let bonus = match self.rp.spec.store_credit.bonus_percent {
                    Some(p) => percent_of(total, p, self.rounding())?,
                    None => 0,
                };
                (vec![PaymentShare { method: "store_credit".into(), amount: total, points: None }], bonus)
            }
            _ => (split_payments(self.order, &self.rp.spec.payment_order, total)?, 0),
        };
        if bonus > 0 {
            let says = Says::StoreCreditBonus {
                credit: self.money(total),
                bonus: self.money(bonus),
                total: self.money(total + bonus),
            };
            tally.reasons.push(Reason::new(codes::STORE_CREDIT_BONUS, says).figure("bonus", bonus));
        }
        Ok((payments, bonus))
    }

    /// The outcome: approved when every item is eligible (in review when the return decision
    /// is), else denied; the return decision's manual-review reasons carry over.
    fn outcome(&self, tally: &mut Tally) -> (bool, Outcome) {
        let eligible = tally.lines.iter().all(|l| l.eligible);
        let outcome = match &self.decision {
            Some(d) if d.outcome == Outcome::Review && eligible => Outcome::Review,
            _ if eligible => Outcome::Approve,
            _ => Outcome::Deny,
        };
        if let Some(d) = &self.decision {
            tally.reasons.extend(d.reasons.iter().filter(|r| r.code == "MANUAL_REVIEW").cloned());
        }
        (eligible, outcome)
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
            shares.push(PaymentShare { method: m, amount, points: None });
            left -= amount;
        }
    }
    if left > 0 {
        return Err(PolicyError::invalid("order.refunds", "earlier refunds leave the payments less than this refund"));
    }
    Ok(shares)
}
