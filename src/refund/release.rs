//! When the money moves, and what comes back when it moved too early.
//!
//! - **Release** (`refunds.release`): the first rule whose `when` holds (facts: the customer's
//!   tier, tags and return count, the request's reason, type, channel and `risk`, the order's
//!   channel, tags and total, the refund's total) says when the refund is released:
//!   `on_request` (as soon as it is approved), `first_scan` (when the carrier first scans the
//!   return parcel) or `after_inspection` (once the goods are back and inspected); no rule, the
//!   section's `default`. A refund for which nothing comes back (`partial`, `refund_only`) is
//!   released on request whatever
//!   the rules say. The quote's `release` names it, with a `REFUND_RELEASE` reason (and the rule).
//! - **Recovery**: a request whose items carry an `inspection` (the condition the warehouse found)
//!   is about units already refunded (the last ones of the line in `order.refunds`); for each
//!   condition the inspection finds not met where the customer did not say so (`condition`), the
//!   deduction the policy prices for it (`refunds.deductions`) is what to recover from the
//!   customer, on what those units were paid (`recover`, `REFUND_RECOVERY`), never more than the
//!   line got back less what was recovered before. A condition not met that the policy prices no
//!   deduction for recovers nothing and sends the case to a person (`INSPECTION_NOT_PRICED`,
//!   outcome `review`). The record carries the recovery (`recovered`), and no refund.

use super::LineQuote;
use super::{codes, Adjusted, Component, Quoting, RecordLine, RefundItem, RefundRequest, RefundType, Tally};
use crate::conditions::{self, Condition, FactValue, Facts, Num};
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Reason, Text};
use crate::facts::{Declared, WithDeclared};
use crate::messages::refunds::{Charge, Says};
use crate::money;
use crate::problems::Problems;
use crate::returns::RiskRestriction;
use crate::vocabulary::Requirement;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// The policy

/// When a refund is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// As soon as the refund is approved, before the goods come back.
    #[default]
    OnRequest,
    /// When the carrier first scans the return parcel.
    FirstScan,
    /// Once the goods are back and inspected.
    AfterInspection,
}

impl Release {
    /// The stable snake_case name (`after_inspection`).
    pub fn as_str(self) -> &'static str {
        match self {
            Release::OnRequest => "on_request",
            Release::FirstScan => "first_scan",
            Release::AfterInspection => "after_inspection",
        }
    }
}

/// `refunds.release`: when refunds are released, by rules over the customer, the request and
/// the amount.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseSpec {
    /// When no rule holds: `on_request` (default), `first_scan` or `after_inspection`.
    #[serde(default)]
    pub default: Release,
    /// In order; the first whose `when` holds decides.
    #[serde(default)]
    pub rules: Vec<ReleaseRuleSpec>,
}

/// A release rule: when its `when` holds, the refund is released at `release`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseRuleSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    /// No condition: always.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::ReleaseCondition>"))]
    pub when: Option<serde_json::Value>,
    pub release: Release,
}

/// The compiled `refunds.release`.
#[derive(Debug, Clone)]
pub struct ReleasePolicy {
    default: Release,
    rules: Vec<(Arc<str>, Condition, Release)>,
    /// The policy's declared facts, and those of them the rules test.
    declared: Arc<Declared>,
    tested: Vec<Arc<str>>,
}

pub use crate::builtin_facts::RELEASE as RELEASE_FACTS;

/// Compiles `refunds.release` at `path` (`refunds.release`), its rules knowing the policy's
/// declared facts, noting every refusal.
pub fn compile(
    spec: &ReleaseSpec,
    path: &str,
    declared: &Arc<Declared>,
    problems: &mut Problems,
) -> Option<ReleasePolicy> {
    if spec.rules.len() > crate::returns::MAX_RULES {
        problems.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.rules"),
            format!("more than {} rules", crate::returns::MAX_RULES),
        ));
        return None;
    }
    let mut ok = true;
    let mut rules = Vec::with_capacity(spec.rules.len());
    for (i, r) in spec.rules.iter().enumerate() {
        let rp = format!("{path}.rules[{i}]");
        let mut fine = problems.check(crate::order::check_text(&r.id, &format!("{rp}.id"))).is_some();
        if fine && spec.rules.iter().take(i).any(|o| o.id == r.id) {
            problems.push(PolicyError::invalid(format!("{rp}.id"), format!("rule id `{}` appears twice", r.id)));
            fine = false;
        }
        let when = match &r.when {
            Some(w) => {
                problems.check(conditions::compile_declared(w, &format!("{rp}.when"), RELEASE_FACTS, declared.facts()))
            }
            None => Some(Condition::always()),
        };
        match when {
            Some(when) if fine => rules.push((Arc::from(r.id.as_str()), when, r.release)),
            _ => ok = false,
        }
    }
    let tested = crate::facts::tested(declared, rules.iter().map(|(_, when, _)| when));
    ok.then_some(ReleasePolicy { default: spec.default, rules, declared: declared.clone(), tested })
}

/// The facts of one refund, for release rules.
struct ReleaseFacts<'a> {
    req: &'a RefundRequest,
    reason: &'a str,
    order_total: i64,
    total: i64,
}

impl Facts for ReleaseFacts<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        let (req, customer) = (self.req, &self.req.order.customer);
        match name {
            "customer.id" => text(&customer.id),
            "customer.tier" => text(&customer.tier),
            "customer.tags" => FactValue::TextList(&customer.tags),
            "customer.returns_last_90_days" => customer
                .returns_last_90_days
                .and_then(|c| i64::try_from(c.0).ok())
                .map_or(FactValue::Missing, |n| FactValue::Number(Num::Int(n))),
            "order.channel" => text(&req.order.channel),
            "order.tags" => FactValue::TextList(&req.order.tags),
            "order.total" => FactValue::Number(Num::Int(self.order_total)),
            "request.reason" => FactValue::Text(self.reason),
            "request.type" => FactValue::Text(type_name(req.kind)),
            "request.channel" => text(&req.channel),
            "request.risk" => text(&req.risk),
            "refund.total" => FactValue::Number(Num::Int(self.total)),
            _ => FactValue::Missing,
        }
    }
}

/// A text fact, missing when not given.
fn text(t: &Option<String>) -> FactValue<'_> {
    t.as_deref().map_or(FactValue::Missing, FactValue::Text)
}

fn type_name(kind: RefundType) -> &'static str {
    match kind {
        RefundType::ReturnAndRefund => "return_and_refund",
        RefundType::NoReason => "no_reason",
        RefundType::ExchangeFailed => "exchange_failed",
        RefundType::Partial => "partial",
        RefundType::RefundOnly => "refund_only",
        RefundType::ExchangeDifference => "exchange_difference",
    }
}

/// Stage: when the refund is released, by the policy's `release` rules (none without the
/// section, or when nothing is refunded).
pub(super) fn release(q: &Quoting<'_>, total: i64, tally: &mut Tally) -> Result<Option<Release>> {
    let Some(policy) = q.rp.release.as_ref().filter(|_| total > 0) else { return Ok(None) };
    if !q.req.kind.goods_come_back() {
        let reason = Reason::new(codes::REFUND_RELEASE, Says::ReleasedNothingBack).figure("release", "on_request");
        tally.reasons.push(reason);
        return Ok(Some(Release::OnRequest));
    }
    let facts = ReleaseFacts { req: q.req, reason: &q.reason, order_total: q.order.charged()?, total };
    let declared = policy.declared.values(&q.req.facts, &policy.tested, "facts")?;
    let facts = WithDeclared { facts: &facts, declared: &declared };
    let matched = policy.rules.iter().find(|(_, when, _)| when.eval(&facts));
    let release = matched.map_or(policy.default, |(_, _, r)| *r);
    let risky = q.decision.as_ref().and_then(|d| d.risk_restricts(RiskRestriction::InspectFirst));
    if let Some(score) = risky.filter(|_| release != Release::AfterInspection) {
        let says = Says::ReleasedAfterInspectionForRisk { score };
        let reason = Reason::new(codes::REFUND_RELEASE, says)
            .figure("release", Release::AfterInspection.as_str())
            .figure("risk_score", score)
            .figure("restriction", RiskRestriction::InspectFirst.as_str());
        tally.reasons.push(reason);
        return Ok(Some(Release::AfterInspection));
    }
    let says = match release {
        Release::OnRequest => Says::ReleasedOnRequest,
        Release::FirstScan => Says::ReleasedAtFirstScan,
        Release::AfterInspection => Says::ReleasedAfterInspection,
    };
    let mut reason = Reason::new(codes::REFUND_RELEASE, says).figure("release", release.as_str());
    if let Some((id, _, _)) = matched {
        reason = reason.rule(id.clone());
    }
    tally.reasons.push(reason);
    Ok(Some(release))
}

// ---------------------------------------------------------------------------------------------
// Recovery after an inspection

/// What to recover from the customer after an inspection (positive amounts: owed back).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recovery {
    /// The sum of the lines'.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    pub lines: Vec<RecoveryLine>,
}

/// What to recover on one inspected line.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecoveryLine {
    pub line_id: String,
    /// The units inspected.
    pub quantity: u64,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    /// The deductions the inspection's findings are priced at (`CONDITION_DEDUCTION`), and the
    /// cap at what the line got back (`CAPPED_BY_PAID`, negative).
    pub components: Vec<Component>,
}

/// Whether the request is an inspection: every item has an `inspection`, or none has.
pub(super) fn inspecting(req: &RefundRequest) -> Result<bool> {
    let first = req.items.iter().position(|i| i.inspection.is_some());
    let Some(first) = first else { return Ok(false) };
    if let Some(i) = req.items.iter().position(|i| i.inspection.is_none()) {
        return Err(PolicyError::new(
            ErrorCode::InvalidField,
            format!("items[{i}].inspection"),
            format!("items[{first}] is inspected: an inspection request inspects every item"),
        ));
    }
    if !req.kind.goods_come_back() {
        return Err(PolicyError::invalid("type", "an inspection is of goods that came back"));
    }
    Ok(true)
}

const CONDITIONS: [Requirement; 5] = [
    Requirement::Unused,
    Requirement::OriginalPackaging,
    Requirement::TagsAttached,
    Requirement::AccessoriesComplete,
    Requirement::SealIntact,
];

/// Stage (instead of the items' for an inspection): per item, what to recover.
pub(super) fn inspect(q: &Quoting<'_>, tally: &mut Tally, adjusted: &mut Adjusted) -> Result<()> {
    let mut recovery = Recovery { amount: 0, lines: Vec::with_capacity(q.req.items.len()) };
    for (i, asked) in q.req.items.iter().enumerate() {
        let Some(item) = q.item_line(i, asked)? else { continue };
        if item.units > item.returned {
            return Err(PolicyError::invalid(
                format!("items[{i}].quantity"),
                format!(
                    "{} units inspected, but {} of line `{}` were refunded",
                    item.units, item.returned, item.line.id
                ),
            ));
        }
        let first = usize::try_from(item.returned - item.units).unwrap_or(usize::MAX);
        let idx = first..first.saturating_add(usize::try_from(item.units).unwrap_or(0));
        let goods = money::sum(idx.clone().map(|u| item.paid.goods.get(u).copied().unwrap_or(0)))?;
        let unit_paid = idx
            .map(|u| item.paid.goods.get(u).copied().unwrap_or(0) + item.paid.tax.get(u).copied().unwrap_or(0))
            .collect();
        let (line, reasons) = recover_line(q, asked, &item.line.id, item.units, goods)?;
        adjusted.review |= reasons.iter().any(|r| r.code == codes::INSPECTION_NOT_PRICED);
        recovery.amount = money::sum([recovery.amount, line.amount])?;
        tally.reasons.extend(reasons.iter().cloned());
        tally.record_lines.push(RecordLine {
            line_id: item.line.id.clone(),
            quantity: 0,
            kept_quantity: 0,
            from_kept: 0,
            netted: 0,
            amount: 0,
            withheld: 0,
            recovered: line.amount,
        });
        tally.lines.push(LineQuote {
            line_id: item.line.id.clone(),
            quantity: item.units,
            eligible: true,
            unit_paid,
            components: Vec::new(),
            amount: 0,
            reasons,
        });
        recovery.lines.push(line);
    }
    adjusted.recover = Some(recovery);
    Ok(())
}

/// One inspected item: the deductions its findings are priced at, capped at what the line got
/// back less what was recovered before; the reasons (recovery, findings not priced).
fn recover_line(
    q: &Quoting<'_>,
    asked: &RefundItem,
    line_id: &str,
    units: u64,
    goods: i64,
) -> Result<(RecoveryLine, Vec<Reason>)> {
    let found = asked.inspection.clone().unwrap_or_default();
    let newly = |r: Requirement| found.get(r, None) == Some(false) && asked.condition.get(r, None) != Some(false);
    let mut components = Vec::new();
    let mut reasons = Vec::new();
    for r in CONDITIONS.into_iter().filter(|r| newly(*r)) {
        let Some(fee) = q.rp.spec.deductions.get(&r) else {
            let says = Says::InspectionNotPriced { requirement: r, line: Arc::from(line_id) };
            reasons.push(Reason::new(codes::INSPECTION_NOT_PRICED, says).figure("condition", r.as_str()).line(line_id));
            continue;
        };
        let amount = fee.on(goods, units, q.rounding())?;
        if amount > 0 {
            let says = Says::ConditionDeduction { requirement: r, charge: Charge::of(fee, &q.env.currency) };
            components.push(Component { code: codes::CONDITION_DEDUCTION, amount, message: Text::new(says) });
        }
    }
    let back = q.order.refunds.iter().flat_map(|r| r.lines.iter()).filter(|l| l.line_id == line_id);
    let left = money::sum(back.map(|l| l.amount.0.saturating_sub(l.recovered.0)))?.max(0);
    let mut amount = money::sum(components.iter().map(|c| c.amount))?;
    if amount > left {
        let says = Says::CappedByPaid { left: q.money(left) };
        components.push(Component { code: codes::CAPPED_BY_PAID, amount: left - amount, message: Text::new(says) });
        amount = left;
    }
    if amount > 0 {
        let says = Says::Recovery { line: Arc::from(line_id), amount: q.money(amount) };
        reasons.push(Reason::new(codes::REFUND_RECOVERY, says).figure("amount", amount).line(line_id));
    }
    Ok((RecoveryLine { line_id: line_id.to_string(), quantity: units, amount, components }, reasons))
}
