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
//!    `validate_without_return`: a refund without a return names its cause, evidence and freight
//!    amounts are well formed;
//! 3. `return_decision`: for the return types (and `refund_only` to keep an item), the return
//!    decision of `returns` (through the engine's `decide_return`); an ineligible item quotes 0
//!    with its reasons;
//! 4. per item, in the request's order:
//!    1. `item_line`: the order has the line, it is asked for once, with units it has;
//!    2. `units_left`: the item's verdict starts from the return decision's; earlier refunds
//!       (`order.refunds`) leave fewer units, and the units covered are the next ones not yet
//!       returned, with what they were paid;
//!    3. `without_return_item`: for `refund_only`, the policy accepts the cause and its `when`
//!       holds for the item;
//!    4. `components`: for a partial refund `partial_refund` (the offer, capped by the policy);
//!       for goods that come back `returned_goods` (goods and tax), `netted` (a partial refund
//!       paid earlier on units kept that now come back) and `deductions` (the restocking fee the
//!       return decision names, the deductions for a condition the policy prices in
//!       `refunds.deductions`); for a refund without a return the goods and tax, netted;
//!    5. `cap_by_paid`: never more than is left of what the line was paid;
//! 5. `label_fee`: the return-label fee when the customer pays the return shipping and uses the
//!    merchant's label (shared over the lines by amount);
//! 6. `original_shipping`: by the policy's rule (`never`, `full_return`, `merchant_fault`), once;
//!    for a refund without a return only when nothing of the order was delivered;
//! 7. `return_freight`: the return freight the customer prepaid for a return the merchant pays,
//!    less the order's freight insurance payout, up to the policy's cap;
//! 8. `order_ceiling`: the total never exceeds what was paid (plus the freight reimbursed) less
//!    what was refunded before, so nothing is refunded twice;
//! 9. `payments_split`: the split back over the payments in the policy's `payment_order` (never
//!    more to a method than it has left), or store credit with its bonus;
//! 10. `outcome`: approve, review or deny; `without_return_outcome`: a refund without a return
//!     waits in review for the evidence its cause needs.
//!
//! Threshold discounts, coupons and points (`discounts`, a submodule): after the items,
//! `recompute` (a threshold discount the kept units no longer reach is withheld, or given back
//! when units it was withheld for come back), `coupons` (given back when the whole order is back)
//! and `points_clawed_back`; after the payments split, `points_paid` (points go back as points).
//! When the money moves (`release`, a submodule): after the outcome, `release` (on request, at the
//! first scan, after inspection, by the policy's rules); a request whose items carry an
//! `inspection` runs `inspect` instead of the items' stages: what to recover from the customer.
//!
//! The quote's `record` is the entry to append to `order.refunds` once the refund is made (with
//! its type, cause, reason, time, operator and the return freight reimbursed), so the next quote
//! on the same order knows about it. Nothing here reads a clock or rounds with floats,
//! and nothing here writes words: the messages are [`Says`] values, put in words by the engine.

use crate::conditions::{Condition, FactValue, Facts, Num};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, Text, TraceEntry};
use crate::messages::format_money;
use crate::messages::refunds::{Charge, Says};
use crate::money::{self, allocate, percent_of, Count, Currency, Fee, Minor, Percent, Rounding};
use crate::order::{Line, Order};
use crate::problems::Problems;
use crate::returns::{ItemDecision, ReturnDecision, ReturnItem, ReturnRequest, RiskRestriction};
use crate::statute::{self, DeliveryRefund};
use crate::time::Timestamp;
use crate::vocabulary::{ItemCondition, Locale, Outcome, Payer, Requirement, Resolution};
pub use crate::vocabulary::{RefundCause, RefundType};
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
    /// Refunds without a return (仅退款, `type: refund_only`): the causes accepted, the evidence
    /// each needs and when it applies. Without the section: `not_delivered` and `lost`, on the
    /// carrier's status.
    #[serde(default)]
    pub refund_only: Option<RefundOnlySpec>,
    /// Return freight the customer prepaid for a return the merchant pays: reimbursed, up to `cap`.
    #[serde(default)]
    pub return_freight: ReturnFreightSpec,
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

// Refunds without a return and return freight: the policy's part.

/// `refunds.refund_only`: refunds without a return.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundOnlySpec {
    /// The causes accepted (`not_delivered`, `lost`, `missing_items`, `keep_item`); a cause not
    /// listed is refused (`CAUSE_NOT_ACCEPTED`).
    #[serde(default)]
    pub causes: BTreeMap<RefundCause, CauseSpec>,
}

/// One cause of a refund without a return.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CauseSpec {
    /// The evidence the request must supply (`photo`, `video`, `carrier_status`, `receipt`);
    /// without it the quote goes to review (`EVIDENCE_REQUIRED`).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// When the cause applies to an item (keep items worth at most 3000:
    /// `{"item.paid": {"lte": 3000}}`); an item it does not hold for has to be sent back
    /// (`RETURN_REQUIRED`). Default: always.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::RefundOnlyCondition>"))]
    pub when: Option<serde_json::Value>,
}

/// `refunds.return_freight`: return freight the customer prepaid.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnFreightSpec {
    /// The most reimbursed for one return, in minor units; without it, the receipt in full.
    #[serde(default)]
    pub cap: Option<Minor>,
}

/// A compiled cause of a refund without a return.
#[derive(Debug, Clone)]
struct CausePolicy {
    /// `refund_only.<cause>`: its name in the trace and in reasons.
    id: Arc<str>,
    evidence: Vec<String>,
    when: Option<Condition>,
}

pub use crate::builtin_facts::REFUND_ONLY as REFUND_ONLY_FACTS;

/// Compiles `refunds.refund_only` at `path` (without it: `not_delivered` and `lost`, on the
/// carrier's status), noting each refused evidence name and condition in `problems`.
fn compile_refund_only(
    spec: Option<&RefundOnlySpec>,
    declared: &crate::facts::Declared,
    path: &str,
    problems: &mut Problems,
) -> Option<BTreeMap<RefundCause, CausePolicy>> {
    let id = |cause: RefundCause| -> Arc<str> { format!("refund_only.{}", cause.as_str()).into() };
    let Some(spec) = spec else {
        return Some(
            [RefundCause::NotDelivered, RefundCause::Lost]
                .into_iter()
                .map(|c| (c, CausePolicy { id: id(c), evidence: vec!["carrier_status".into()], when: None }))
                .collect(),
        );
    };
    let mut ok = true;
    let mut causes = BTreeMap::new();
    for (cause, c) in &spec.causes {
        let at = format!("{path}.causes.{}", cause.as_str());
        for (i, e) in c.evidence.iter().enumerate() {
            ok &= problems.check(crate::order::check_text(e, &format!("{at}.evidence[{i}]"))).is_some();
        }
        let when = match &c.when {
            Some(w) => problems.check(crate::conditions::compile_declared(
                w,
                &format!("{at}.when"),
                REFUND_ONLY_FACTS,
                declared.facts(),
            )),
            None => Some(Condition::always()),
        };
        ok &= when.is_some();
        let when = when.filter(|_| c.when.is_some());
        causes.insert(*cause, CausePolicy { id: id(*cause), evidence: c.evidence.clone(), when });
    }
    ok.then_some(causes)
}

/// The compiled `refunds` section.
#[derive(Debug, Clone, Default)]
pub struct RefundsPolicy {
    spec: RefundsSpec,
    fault_reasons: Vec<String>,
    release: Option<ReleasePolicy>,
    /// The causes of a refund without a return the policy accepts.
    refund_only: BTreeMap<RefundCause, CausePolicy>,
    /// The policy's declared facts, and those of them the causes' `when` test.
    declared: Arc<crate::facts::Declared>,
    refund_only_tested: Vec<Arc<str>>,
}

/// Compiles the `refunds` section (or its defaults) at `path`, noting every refusal in
/// `problems`: the return-label fee, then each deduction's fee.
pub fn compile(
    spec: Option<&RefundsSpec>,
    _env: &Env,
    declared: &Arc<crate::facts::Declared>,
    path: &str,
    problems: &mut Problems,
) -> Option<RefundsPolicy> {
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
            let compiled = release::compile(r, &format!("{path}.release"), declared, problems);
            refused |= compiled.is_none();
            compiled
        }
        None => None,
    };
    let refund_only =
        compile_refund_only(spec.refund_only.as_ref(), declared, &format!("{path}.refund_only"), problems);
    if spec.return_freight.cap.is_some_and(|c| c.0 < 0) {
        problems.push(PolicyError::invalid(format!("{path}.return_freight.cap"), "a cap is not negative"));
        refused = true;
    }
    if refused {
        return None;
    }
    let fault_reasons = spec.merchant_fault_reasons.clone().unwrap_or_else(|| {
        ["defective", "not_as_described", "damaged_in_transit", "wrong_item"].iter().map(|s| s.to_string()).collect()
    });
    let refund_only = refund_only?;
    let refund_only_tested = crate::facts::tested(declared, refund_only.values().filter_map(|c| c.when.as_ref()));
    Some(RefundsPolicy { spec, fault_reasons, release, refund_only, declared: declared.clone(), refund_only_tested })
}

// ---------------------------------------------------------------------------------------------
// The request and the quote

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
    /// The reason given (`changed_mind` by default; for `refund_only` other than `keep_item`,
    /// the cause).
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
    /// For `refund_only`: why the goods do not come back (`not_delivered`, `lost`,
    /// `missing_items`, `keep_item`).
    #[serde(default)]
    pub cause: Option<RefundCause>,
    /// The evidence supplied (`photo`, `carrier_status`, …), for the evidence a cause needs.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// What sending the items back would cost, in minor units (a fact for keep-item rules).
    #[serde(default)]
    pub return_shipping_cost: Option<Minor>,
    /// The return freight the customer prepaid (the receipt's amount), reimbursed when the
    /// merchant pays the return.
    #[serde(default)]
    pub return_freight_paid: Option<Minor>,
    /// Who makes the refund (a member of staff's id), for the record.
    #[serde(default)]
    pub operator: Option<String>,
    pub order: Order,
    pub items: Vec<RefundItem>,
    /// Values of the facts the policy declares, for its return rules, release rules and
    /// refund-only causes (as on a return request).
    #[serde(default)]
    pub facts: std::collections::BTreeMap<String, serde_json::Value>,
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
    /// The refund type.
    #[serde(rename = "type")]
    pub kind: RefundType,
    /// Why the goods did not come back (`refund_only`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<RefundCause>,
    /// The reason (the request's, or its default).
    pub reason: String,
    /// The request's `now`.
    pub created_at: Timestamp,
    /// The request's `operator`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    pub lines: Vec<RecordLine>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub shipping: i64,
    /// Return freight reimbursed (part of `payments`, beyond what the order was paid).
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub return_freight: i64,
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
    /// Whether the goods are to be sent back (false for `partial` and `refund_only`).
    pub return_required: bool,
    /// For `refund_only`: the cause and the evidence it needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_only: Option<RefundOnlyOut>,
    /// Return freight the customer prepaid, reimbursed (`RETURN_FREIGHT`), beyond the order's paid.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub return_freight: i64,
    /// What the order's return-freight insurance pays the customer (`FREIGHT_INSURANCE`); not
    /// part of `total`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub freight_insurance_payout: i64,
    /// Money back, the sum of the lines, the shipping and the return freight.
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
    /// The latest payout the law of the policy's jurisdiction allows, counted from now (CN: 7 days
    /// from receiving the returned goods; EU: 14 days from the withdrawal), to 23:59:59 of its last
    /// day; beside `payout_by`, with `REFUND_AFTER_LEGAL_LIMIT` when the policy's is later.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub legal_payout_by: Option<String>,
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

/// What a refund without a return asks for.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RefundOnlyOut {
    pub cause: RefundCause,
    /// The evidence the policy asks for this cause (`photo`, `carrier_status`, …).
    pub evidence_required: Vec<String>,
    /// Of those, what the request does not supply: the quote is in review until it does.
    pub evidence_missing: Vec<String>,
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

crate::reasons::codes! {
    /// Every code a refund quote can carry (components and reasons), for documentation.
    pub const CODES = [
        UNIT_PRICE_PAID,
        TAX,
        PARTIAL_NETTED,
        RESTOCKING_FEE,
        CONDITION_DEDUCTION,
        RETURN_LABEL_FEE,
        PARTIAL_REFUND,
        CAPPED_BY_PAID,
        EXCHANGE_FAILED,
        NOTHING_LEFT_TO_REFUND,
        PARTIAL_CAPPED,
        ORIGINAL_SHIPPING,
        STORE_CREDIT_BONUS,
        // Threshold discounts, coupons and points (`discounts`); release and recovery (`release`).
        DISCOUNT_RECOMPUTED,
        DISCOUNT_WITHHELD_REFUNDED,
        DISCOUNT_WAIVED,
        COUPON_REINSTATED,
        COUPON_EXPIRED,
        POINTS_CLAWED_BACK,
        POINTS_REFUNDED,
        REFUND_RELEASE,
        REFUND_RECOVERY,
        INSPECTION_NOT_PRICED,
        DELIVERY_WITH_LAST_GOODS,
        REFUND_AFTER_LEGAL_LIMIT,
        REFUND_WITHOUT_RETURN,
        CAUSE_NOT_ACCEPTED,
        RETURN_REQUIRED,
        EVIDENCE_REQUIRED,
        RETURN_FREIGHT,
        FREIGHT_INSURANCE,
    ]
}

/// What each line of the order was really paid, split over its units.
pub(crate) struct PaidLine {
    pub(crate) goods: Vec<i64>,
    pub(crate) tax: Vec<i64>,
}

/// Paid lines: the order is checked, then each line's paid amounts are found: order discounts
/// shared by line subtotal, goods and tax split over units.
pub(crate) fn paid_lines(order: &Order) -> Result<Vec<PaidLine>> {
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
pub(crate) fn validate_money(order: &Order, currency: &Currency) -> Result<()> {
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
    if order.shipping.premium.0 < 0 || order.shipping.premium.0 > order.shipping.amount.0 {
        return Err(PolicyError::invalid(
            "order.shipping.premium",
            format!(
                "the premium {} is not part of the shipping's {}",
                order.shipping.premium.0, order.shipping.amount.0
            ),
        ));
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
        if r.return_freight.0 < 0 {
            return Err(PolicyError::invalid(format!("order.refunds[{i}].return_freight"), "freight is not negative"));
        }
        let lines = money::sum(r.lines.iter().map(|l| l.amount.0))?;
        let back = money::sum(r.payments.iter().map(|p| p.amount.0))?;
        let owed = money::sum([lines, r.shipping.0, r.return_freight.0])?;
        if owed != back {
            return Err(PolicyError::invalid(
                format!("order.refunds[{i}].payments"),
                format!("the refund's payments add up to {back}, its lines, shipping and return freight to {owed}"),
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
    validate_without_return(req)?;
    let inspecting = release::inspecting(req)?;
    let reason = req.reason.clone().unwrap_or_else(|| match req.cause {
        Some(cause) if req.kind == RefundType::RefundOnly && cause != RefundCause::KeepItem => cause.as_str().into(),
        _ => "changed_mind".to_string(),
    });
    let returning = matches!(req.kind, RefundType::ReturnAndRefund | RefundType::NoReason) && !inspecting;
    // An item kept under `refund_only` is judged by the return rules as if it went back.
    let kept = req.kind == RefundType::RefundOnly && req.cause == Some(RefundCause::KeepItem);
    let decision = return_decision(req, resolution, &reason, returning || kept, decide_return)?;
    let q = Quoting { env, rp, req, order: &req.order, paid, resolution, reason, returning, decision };

    let mut tally = Tally::with_capacity(req.items.len());
    let mut adjusted = Adjusted::default();
    if inspecting {
        release::inspect(&q, &mut tally, &mut adjusted)?;
    }
    for (i, asked) in req.items.iter().enumerate().filter(|_| !inspecting) {
        let Some(item) = q.item_line(i, asked)? else { continue };
        let mut verdict = q.units_left(&item, &mut tally)?;
        q.without_return_item(&item, &mut verdict, &mut tally)?;
        q.components(&item, &mut verdict, &mut tally)?;
        q.cap_by_paid(&item, &mut verdict)?;
        tally.add(&q, &item, verdict);
    }
    discounts::recompute(&q, &mut tally, &mut adjusted)?;
    discounts::coupons(&q, &mut tally, &mut adjusted);
    discounts::points_clawed_back(&q, &mut tally, &mut adjusted)?;
    q.label_fee(&mut tally)?;
    let shipping = q.original_shipping(&mut tally)?;
    let freight = q.return_freight(&mut tally);
    let total = q.order_ceiling(&mut tally, shipping, freight.reimbursed)?;
    let (mut payments, bonus) = q.payments_split(&mut tally, total, freight.reimbursed)?;
    discounts::points_paid(&q, &mut payments, &mut tally)?;
    let (eligible, outcome) = q.outcome(&mut tally);
    let (refund_only, mut outcome) = q.without_return_outcome(&mut tally, eligible, outcome);
    let release = release::release(&q, total, &mut tally)?;
    if adjusted.review && outcome == Outcome::Approve {
        outcome = Outcome::Review;
    }

    let mut record = q.record(tally.record_lines, shipping, freight.reimbursed, payments.clone());
    (record.discounts, record.points_clawed_back) = (adjusted.discounts, adjusted.points_clawed_back);
    let mut trace = q.decision.map(|d| d.trace).unwrap_or_default();
    trace.append(&mut tally.trace);
    Ok(RefundQuote {
        review_by: None,
        payout_by: None,
        legal_payout_by: None,
        kind: req.kind,
        resolution,
        eligible,
        outcome,
        currency: env.currency.code.clone(),
        record,
        release,
        points_clawed_back: adjusted.points_clawed_back,
        reinstated_coupons: adjusted.coupons,
        recover: adjusted.recover,
        lines: tally.lines,
        shipping,
        return_required: req.kind.goods_come_back(),
        refund_only,
        return_freight: freight.reimbursed,
        freight_insurance_payout: freight.insurance_payout,
        total,
        store_credit_bonus: bonus,
        payments,
        reasons: tally.reasons,
        trace,
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
    if req.kind == RefundType::ExchangeDifference {
        return Err(PolicyError::invalid("type", "an exchange's difference is refunded by checkExchange, not quoted"));
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
        facts: req.facts.clone(),
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
    /// The refund-only causes' conditions, as they held for the items.
    trace: Vec<TraceEntry>,
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
            trace: Vec::new(),
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
        if self.refund_only() {
            // Nothing comes back: the goods and tax paid, an earlier partial refund netted.
            self.returned_goods(item, v);
            return self.netted(item, v);
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

    /// The original shipping, once: by the policy's rule, or the standard delivery that a
    /// withdrawal under the law refunds whatever the rule says (EU: when the last goods of the
    /// order come back, see `statutory_delivery`); the larger of the two. Gives the amount refunded.
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
        if shipping_refunded > 0 || !any_refunded || self.partial() {
            return Ok(0);
        }
        let by_policy = match self.rp.spec.shipping {
            // Without a return, only when nothing of the order was delivered (everything paid).
            _ if self.refund_only() && all_back && self.req.cause.is_some_and(RefundCause::never_delivered) => {
                shipping_paid
            }
            _ if self.refund_only() => 0,
            ShippingRule::Never => 0,
            ShippingRule::MerchantFault if tally.merchant_fault => shipping_paid,
            ShippingRule::FullReturn if all_back => shipping_paid,
            _ => 0,
        };
        let by_law = self.statutory_delivery(tally, all_back, by_policy)?;
        let shipping = by_policy.max(by_law);
        if shipping > 0 && by_law < shipping {
            let says = Says::OriginalShipping { amount: self.money(shipping) };
            tally.reasons.push(Reason::new(codes::ORIGINAL_SHIPPING, says).figure("amount", shipping));
        }
        Ok(shipping)
    }

    /// What the law refunds of the delivery: when goods go back here under a statutory
    /// withdrawal whose law refunds the standard delivery (EU Art. 13(1)), and with them the last
    /// goods of the order, the delivery paid less the premium of a dearer delivery (Art. 13(2)).
    /// A withdrawal of part of the order refunds none of it yet: the delivery served the goods
    /// kept, and comes back with the last of them. Says which, when it gives more than `by_policy`.
    fn statutory_delivery(&self, tally: &mut Tally, all_back: bool, by_policy: i64) -> Result<i64> {
        let Some(law) = self.statutory_withdrawal(tally)? else { return Ok(0) };
        let shipping = &self.order.shipping;
        let standard = shipping.amount.0 - shipping.premium.0;
        let tax = allocate(tax_on_top(self.order, shipping.tax.0), &[standard, shipping.premium.0]);
        let tax = tax.first().copied().unwrap_or(0);
        let delivery = money::sum([standard, tax])?;
        if delivery <= by_policy || delivery == 0 {
            return Ok(0);
        }
        let premium_paid =
            money::sum([standard + shipping.premium.0, tax_on_top(self.order, shipping.tax.0)])? - delivery;
        let premium = (premium_paid > 0).then(|| self.money(premium_paid));
        let (says, code) = if all_back {
            (
                Says::StatutoryDelivery { amount: self.money(delivery), citation: law.citation, premium },
                codes::ORIGINAL_SHIPPING,
            )
        } else {
            (
                Says::DeliveryWithLastGoods { amount: self.money(delivery), citation: law.citation },
                codes::DELIVERY_WITH_LAST_GOODS,
            )
        };
        let reason = Reason::new(code, says).figure("law", law.law);
        if all_back {
            tally.reasons.push(reason.figure("amount", delivery).figure("premium_kept", premium_paid.max(0)));
            return Ok(delivery);
        }
        tally.reasons.push(reason.figure("amount", delivery));
        Ok(0)
    }

    /// The law under which goods refunded here are withdrawn, when it refunds the standard
    /// delivery: a type under which goods come back, and an item of it that the statutory right
    /// lets go back now.
    fn statutory_withdrawal(&self, tally: &Tally) -> Result<Option<&'static DeliveryRefund>> {
        let floor = self.env.jurisdiction.and_then(statute::floor);
        let Some(law) = floor.and_then(|f| f.refunds_delivery.as_ref()).filter(|_| self.returning) else {
            return Ok(None);
        };
        for asked in &self.req.items {
            let back = tally.record_lines.iter().any(|r| r.line_id == asked.line_id && r.quantity > 0);
            let Some(line) = self.order.line(&asked.line_id).filter(|_| back) else { continue };
            let right = statute::statutory_return(
                self.env.jurisdiction,
                &self.reason,
                &line.tags,
                &asked.condition,
                statute::delivery_of(self.env.jurisdiction, self.order, line),
                &self.req.now,
                self.env.zone,
            )?;
            if right.is_some() {
                return Ok(Some(law));
            }
        }
        Ok(None)
    }

    /// The order ceiling: the total is never more than what was paid, less what was refunded
    /// before (the return freight reimbursed is outside it: paid + freight is the true ceiling).
    /// Then the reasons about the whole quote: an exchange that failed, nothing left.
    fn order_ceiling(&self, tally: &mut Tally, shipping: i64, freight: i64) -> Result<i64> {
        let order = self.order;
        let paid_total = money::sum(order.payments.iter().map(|p| p.amount.0))?;
        let refunded_before = money::sum(order.refunds.iter().flat_map(|r| r.payments.iter().map(|p| p.amount.0)))?;
        let freight_before = money::sum(order.refunds.iter().map(|r| r.return_freight.0))?;
        let total = money::sum(tally.lines.iter().map(|l| l.amount).chain([shipping]))?
            .min((paid_total - (refunded_before - freight_before)).max(0));
        let total = money::sum([total, freight])?;
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
    /// The return freight reimbursed goes to the first method (and earns no bonus).
    fn payments_split(&self, tally: &mut Tally, total: i64, freight: i64) -> Result<(Vec<PaymentShare>, i64)> {
        let (payments, bonus) = match self.resolution {
            Resolution::StoreCredit => {
                let bonus = match self.rp.spec.store_credit.bonus_percent {
                    Some(p) => percent_of(total - freight, p, self.rounding())?,
                    None => 0,
                };
                (vec![PaymentShare { method: "store_credit".into(), amount: total, points: None }], bonus)
            }
            _ => (split_payments(self.order, &self.rp.spec.payment_order, total, freight)?, 0),
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

/// The legal date beside the policy's: when the policy's jurisdiction limits the days to a refund
/// and the quote pays something, `legal_payout_by` is `now` plus those days (to 23:59:59 of the
/// last, in the policy's zone), and a `REFUND_AFTER_LEGAL_LIMIT` reason says so when the policy's
/// `payout_by` falls after it. The engine calls it once the SLA deadlines are set.
pub fn legal_payout(env: &Env, quote: &mut RefundQuote, now: &Timestamp) -> Result<()> {
    let Some((days, law, _)) = env.jurisdiction.and_then(statute::floor).and_then(|f| f.refund_days) else {
        return Ok(());
    };
    if quote.total <= 0 {
        return Ok(());
    }
    let legal = crate::time::day_window_end(env.zone, now, i64::try_from(days).unwrap_or(i64::MAX))?;
    quote.legal_payout_by = Some(crate::time::format_instant(&legal));
    let Some(payout_by) = quote.payout_by.as_deref() else { return Ok(()) };
    let payout_by = Timestamp::parse(payout_by).map_err(|m| PolicyError::invalid("payout_by", m))?;
    if payout_by.utc() > legal.with_timezone(&chrono::Utc) {
        let says = Says::PayoutAfterLegalLimit { payout_by: payout_by.in_zone(env.zone), legal, days, law };
        let reason = Reason::new(codes::REFUND_AFTER_LEGAL_LIMIT, says)
            .figure("law", law)
            .figure("days", days)
            .figure("legal_payout_by", crate::time::format_instant(&legal));
        quote.reasons.push(reason);
    }
    Ok(())
}

/// `tax` when the order charges tax on top of its prices, else 0 (it is part of the price).
fn tax_on_top(order: &Order, tax: i64) -> i64 {
    if order.tax_included {
        0
    } else {
        tax
    }
}

/// `total` back over the order's payments in the policy's `payment_order` (an exchange's
/// difference refunded), as [`split_payments`] shares a quote's total.
pub(crate) fn split_back(rp: &RefundsPolicy, order: &Order, total: i64) -> Result<Vec<PaymentShare>> {
    split_payments(order, &rp.spec.payment_order, total, 0)
}

/// Splits `total` over the order's payment methods: the policy's order first, then the rest in
/// the order's order; never more to a method than it paid less what it already got back. Return
/// freight reimbursed (`freight` now, and before) goes to the first method, beyond what it paid.
fn split_payments(order: &Order, preferred: &[String], total: i64, freight: i64) -> Result<Vec<PaymentShare>> {
    let mut methods: Vec<String> = Vec::new();
    for m in preferred.iter().chain(order.payments.iter().map(|p| &p.method)) {
        if order.payments.iter().any(|p| &p.method == m) && !methods.contains(m) {
            methods.push(m.clone());
        }
    }
    let first = methods.first().cloned();
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
        let extra = if first.as_ref() == Some(&m) { money::sum([freight, freight_paid_to(order, &m)?])? } else { 0 };
        let room = money::sum([paid, -back, extra])?.max(0);
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

// ---------------------------------------------------------------------------------------------
// Refunds without a return (仅退款), return freight and its insurance, the record

/// Most evidence names a request may supply.
pub const MAX_EVIDENCE: usize = 32;

/// Validate without return: `refund_only` names its cause (and only it does); evidence names,
/// the operator and the freight amounts are well formed.
fn validate_without_return(req: &RefundRequest) -> Result<()> {
    match (req.kind, req.cause) {
        (RefundType::RefundOnly, None) => {
            return Err(PolicyError::new(
                ErrorCode::InvalidField,
                "cause",
                "a refund without a return (`refund_only`) names its cause: not_delivered, lost, missing_items or keep_item",
            ));
        }
        (kind, Some(_)) if kind != RefundType::RefundOnly => {
            return Err(PolicyError::invalid("cause", "a cause is given only with `type: refund_only`"));
        }
        _ => {}
    }
    if req.evidence.len() > MAX_EVIDENCE {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "evidence",
            format!("more than {MAX_EVIDENCE} kinds of evidence"),
        ));
    }
    for (i, e) in req.evidence.iter().enumerate() {
        crate::order::check_text(e, &format!("evidence[{i}]"))?;
    }
    if let Some(operator) = &req.operator {
        crate::order::check_text(operator, "operator")?;
    }
    let amounts = [
        ("return_freight_paid", req.return_freight_paid),
        ("return_shipping_cost", req.return_shipping_cost),
        ("order.freight_insurance.payout", req.order.freight_insurance.as_ref().map(|f| f.payout)),
    ];
    for (path, amount) in amounts {
        if amount.is_some_and(|a| a.0 < 0) {
            return Err(PolicyError::invalid(path, "an amount is not negative"));
        }
    }
    Ok(())
}

/// The return freight an order's earlier refunds reimbursed to `method` (each refund's freight
/// went to its first method: at most what that refund paid to `method`).
fn freight_paid_to(order: &Order, method: &str) -> Result<i64> {
    money::sum(order.refunds.iter().map(|r| {
        let to_method =
            r.payments.iter().filter(|p| p.method == method).map(|p| p.amount.0).fold(0, i64::saturating_add);
        r.return_freight.0.min(to_method).max(0)
    }))
}

/// The return freight of a quote.
struct Freight {
    /// Reimbursed by the merchant.
    reimbursed: i64,
    /// Paid by the order's return-freight insurance.
    insurance_payout: i64,
}

/// The facts of one item of a refund without a return, as a cause's `when` sees them.
struct WithoutReturnFacts<'a> {
    req: &'a RefundRequest,
    line: &'a Line,
    units: u64,
    paid: i64,
    unit_paid: i64,
    order_total: i64,
}

impl Facts for WithoutReturnFacts<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        let number = |n: i64| FactValue::Number(Num::Int(n));
        let (req, line, customer) = (self.req, self.line, &self.req.order.customer);
        fn text(t: Option<&String>) -> FactValue<'_> {
            t.map_or(FactValue::Missing, |s| FactValue::Text(s))
        }
        match name {
            "request.cause" => req.cause.map_or(FactValue::Missing, |c| FactValue::Text(c.as_str())),
            "request.reason" => text(req.reason.as_ref()),
            "request.evidence" => FactValue::TextList(&req.evidence),
            "request.return_shipping_cost" => req.return_shipping_cost.map_or(FactValue::Missing, |c| number(c.0)),
            "order.total" => number(self.order_total),
            "order.channel" => text(req.order.channel.as_ref()),
            "order.tags" => FactValue::TextList(&req.order.tags),
            "item.sku" => text(line.sku.as_ref()),
            "item.category" => text(line.category.as_ref()),
            "item.brand" => text(line.brand.as_ref()),
            "item.tags" => FactValue::TextList(&line.tags),
            "item.unit_price" => number(line.unit_price.0),
            "item.quantity" => number(i64::try_from(self.units).unwrap_or(i64::MAX)),
            "item.paid" => number(self.paid),
            "item.unit_paid" => number(self.unit_paid),
            "item.return_cost_percent" => match req.return_shipping_cost {
                Some(cost) if self.paid > 0 => {
                    let hundredfold = cost.0.saturating_mul(100);
                    if hundredfold % self.paid == 0 {
                        number(hundredfold / self.paid)
                    } else {
                        FactValue::Number(Num::Float(cost.0 as f64 * 100.0 / self.paid as f64))
                    }
                }
                _ => FactValue::Missing,
            },
            "customer.tier" => text(customer.tier.as_ref()),
            "customer.tags" => FactValue::TextList(&customer.tags),
            "customer.returns_last_90_days" => customer
                .returns_last_90_days
                .map_or(FactValue::Missing, |n| number(i64::try_from(n.0).unwrap_or(i64::MAX))),
            _ => FactValue::Missing,
        }
    }
}

impl Quoting<'_> {
    fn refund_only(&self) -> bool {
        self.req.kind == RefundType::RefundOnly
    }

    /// Per item of a refund without a return: the policy accepts the cause
    /// (`CAUSE_NOT_ACCEPTED`), and the cause's `when` holds for the item (`RETURN_REQUIRED`: it
    /// has to be sent back); each `when` is traced.
    fn without_return_item(&self, item: &Item<'_>, v: &mut Verdict, tally: &mut Tally) -> Result<()> {
        let Some(cause) = self.req.cause.filter(|_| self.refund_only() && v.eligible) else { return Ok(()) };
        let Some(policy) = self.rp.refund_only.get(&cause) else {
            v.eligible = false;
            v.reasons.push(
                Reason::new(codes::CAUSE_NOT_ACCEPTED, Says::CauseNotAccepted { cause })
                    .figure("cause", cause.as_str())
                    .line(&item.line.id),
            );
            return Ok(());
        };
        let risky = self.decision.as_ref().and_then(|d| d.risk_restricts(RiskRestriction::NoKeepItem));
        if let Some(score) = risky.filter(|_| cause == RefundCause::KeepItem) {
            v.eligible = false;
            v.reasons.push(
                Reason::new(codes::RETURN_REQUIRED, Says::ReturnRequiredForRisk { score })
                    .figure("cause", cause.as_str())
                    .figure("risk_score", score)
                    .figure("restriction", RiskRestriction::NoKeepItem.as_str())
                    .line(&item.line.id),
            );
            return Ok(());
        }
        let Some(when) = &policy.when else { return Ok(()) };
        let facts = WithoutReturnFacts {
            req: self.req,
            line: item.line,
            units: item.units,
            paid: money::sum([v.goods, v.tax])?,
            unit_paid: v.unit_paid.iter().copied().max().unwrap_or(0),
            order_total: self.order.charged()?,
        };
        let declared = self.rp.declared.values(&self.req.facts, &self.rp.refund_only_tested, "facts")?;
        let held = when.eval(&crate::facts::WithDeclared { facts: &facts, declared: &declared });
        match tally.trace.iter_mut().find(|t| t.rule == policy.id && t.matched == held) {
            Some(entry) => entry.lines.push(item.line.id.clone()),
            None => tally.trace.push(TraceEntry {
                rule: policy.id.clone(),
                matched: held,
                lines: vec![item.line.id.clone()],
            }),
        }
        if !held {
            v.eligible = false;
            v.reasons.push(
                Reason::new(codes::RETURN_REQUIRED, Says::ReturnRequired { cause })
                    .figure("cause", cause.as_str())
                    .rule(policy.id.clone())
                    .line(&item.line.id),
            );
        }
        Ok(())
    }

    /// Return freight: when goods come back, the order's freight insurance payout is named
    /// (`FREIGHT_INSURANCE`); when the merchant pays the return and the customer prepaid it, the
    /// receipt less that payout is reimbursed, up to the policy's `return_freight.cap`
    /// (`RETURN_FREIGHT`).
    fn return_freight(&self, tally: &mut Tally) -> Freight {
        let none = Freight { reimbursed: 0, insurance_payout: 0 };
        if !self.req.kind.goods_come_back() || !tally.record_lines.iter().any(|r| r.quantity > 0) {
            return none;
        }
        let payout = self.order.freight_insurance.as_ref().map_or(0, |f| f.payout.0);
        if payout > 0 {
            let says = Says::FreightInsurance { payout: self.money(payout) };
            tally.reasons.push(Reason::new(codes::FREIGHT_INSURANCE, says).figure("payout", payout));
        }
        let paid = self.req.return_freight_paid.map_or(0, |p| p.0);
        let owed = (paid - payout).max(0);
        let cap = self.rp.spec.return_freight.cap.map(|c| c.0);
        let reimbursed = cap.map_or(owed, |c| owed.min(c));
        if !tally.merchant_fault || reimbursed <= 0 {
            return Freight { insurance_payout: payout, ..none };
        }
        let (amount, paid_text) = (self.money(reimbursed), self.money(paid));
        let says = match cap {
            Some(c) if owed > c => Says::ReturnFreightCapped { amount, paid: paid_text },
            _ => Says::ReturnFreight { amount, paid: paid_text },
        };
        let mut reason = Reason::new(codes::RETURN_FREIGHT, says).figure("amount", reimbursed).figure("paid", paid);
        if let Some(c) = cap {
            reason = reason.figure("cap", c);
        }
        tally.reasons.push(reason);
        Freight { reimbursed, insurance_payout: payout }
    }

    /// A refund without a return: what its cause needs; it goes ahead without the goods
    /// (`REFUND_WITHOUT_RETURN`), or waits in review for the evidence missing
    /// (`EVIDENCE_REQUIRED`). Gives the answer's `refund_only` and the outcome.
    fn without_return_outcome(
        &self,
        tally: &mut Tally,
        eligible: bool,
        outcome: Outcome,
    ) -> (Option<RefundOnlyOut>, Outcome) {
        let Some(cause) = self.req.cause.filter(|_| self.refund_only()) else { return (None, outcome) };
        let required = self.rp.refund_only.get(&cause).map(|c| c.evidence.clone()).unwrap_or_default();
        let missing: Vec<String> = required.iter().filter(|e| !self.req.evidence.contains(e)).cloned().collect();
        let mut outcome = outcome;
        if eligible {
            let says = Says::RefundWithoutReturn { cause };
            tally.reasons.push(Reason::new(codes::REFUND_WITHOUT_RETURN, says).figure("cause", cause.as_str()));
            if !missing.is_empty() {
                let says = Says::EvidenceRequired { missing: missing.clone() };
                tally.reasons.push(Reason::new(codes::EVIDENCE_REQUIRED, says).figure("missing", missing.join(",")));
                outcome = Outcome::Review;
            }
        }
        (Some(RefundOnlyOut { cause, evidence_required: required, evidence_missing: missing }), outcome)
    }

    /// The record to append to `order.refunds`: type, cause, reason, time and operator with the
    /// money.
    fn record(
        &self,
        lines: Vec<RecordLine>,
        shipping: i64,
        return_freight: i64,
        payments: Vec<PaymentShare>,
    ) -> RecordOut {
        RecordOut {
            kind: self.req.kind,
            cause: self.req.cause,
            reason: self.reason.clone(),
            created_at: self.req.now,
            operator: self.req.operator.clone(),
            lines,
            shipping,
            return_freight,
            payments,
            discounts: Vec::new(),
            points_clawed_back: 0,
        }
    }
}
