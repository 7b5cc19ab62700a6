//! Threshold discounts, coupons and loyalty points in a refund quote: the stages [`super::quote`]
//! runs after the items (`recompute`, `coupons`, `points_clawed_back`) and after the payments
//! split (`points_paid`).
//!
//! - **Threshold discounts** (满减, "5000 off 30000"): under `refunds.discounts.<kind>.mode:
//!   recompute`, once the units the customer keeps (after this and earlier refunds) are worth less
//!   than the discount's `threshold`, the kept units no longer earn their shares of it: those
//!   shares are withheld from the refund (`DISCOUNT_RECOMPUTED`, never more than the refund, spread
//!   over its lines by amount). A unit's share is what it was given of the order's discounts (its
//!   list subtotal less what it was paid; with several order discounts, split between them by
//!   largest remainder over their amounts). Each refund records what it withheld, so the next one
//!   withholds only what is still owed and gives back (`DISCOUNT_WITHHELD_REFUNDED`) what was
//!   withheld for units that now come back too. A refund that is the merchant's fault (or an
//!   exchange that failed, or any refund where no goods come back) withholds nothing: what it
//!   would have withheld is recorded as waived (`DISCOUNT_WAIVED`), and never asked later.
//! - **Coupons**: under `reinstate: true`, when the whole order has come back and `now` is not
//!   after the coupon's `valid_until`, the answer names the coupon to give back
//!   (`COUPON_REINSTATED`), or says it expired (`COUPON_EXPIRED`). No money moves.
//! - **Points earned** (`order.points_earned`) are spread over every unit of the order by what
//!   it was paid (largest remainder, ties to the earlier unit); the units that come back take
//!   theirs back (`POINTS_CLAWED_BACK`), so the points clawed back over every refund add up to at
//!   most the points earned, and exactly to them once everything is back.
//! - **Points paid** (a payment of method `points`) go back as points: the payment share says how
//!   many when the payment gave its count (in proportion of the money value, counted on the
//!   running total with the policy's rounding, so the last refund gives back exactly the rest;
//!   `POINTS_REFUNDED`).

use super::{codes, Adjusted, Component, PaymentShare, Quoting, RefundType, Tally};
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Reason, Text};
use crate::messages::refunds::Says;
use crate::money::{self, allocate, Rounding};
use crate::order::{Discount, Order};
use crate::problems::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// The policy

/// How a threshold discount is refunded when part of the order comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiscountMode {
    /// Each unit keeps its share of the discount, whatever comes back.
    #[default]
    Prorate,
    /// The kept units lose their shares once they no longer reach the discount's threshold.
    Recompute,
}

/// What the refund does with a discount of one kind (`refunds.discounts.<kind>`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DiscountRuleSpec {
    /// `prorate` (default): each unit keeps its share. `recompute`: once the units the customer
    /// keeps no longer reach the discount's `threshold`, their shares are withheld from the refund
    /// (never more than the refund; not when the return is the merchant's fault).
    #[serde(default)]
    pub mode: DiscountMode,
    /// Give the coupon back when the whole order comes back before its `valid_until`.
    #[serde(default)]
    pub reinstate: bool,
}

/// Loyalty points (`refunds.points`).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PointsSpec {
    /// Claw back the points the order earned (`order.points_earned`) in proportion to the value
    /// of the units that come back (default true).
    #[serde(default = "yes")]
    pub claw_back: bool,
}

impl Default for PointsSpec {
    fn default() -> Self {
        PointsSpec { claw_back: true }
    }
}

fn yes() -> bool {
    true
}

/// Checks the kinds of `refunds.discounts` at `path`.
pub fn compile(discounts: &BTreeMap<String, DiscountRuleSpec>, path: &str, problems: &mut Problems) -> bool {
    let mut ok = true;
    for kind in discounts.keys() {
        ok &= problems.check(crate::order::check_text(kind, &format!("{path}.discounts.{kind}"))).is_some();
    }
    ok
}

// ---------------------------------------------------------------------------------------------
// The answer

/// A coupon to give back to the customer (the whole order came back within its validity).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReinstatedCoupon {
    /// The discount's index in `order.discounts`.
    pub discount: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub valid_until: Option<String>,
}

/// What a refund did to one threshold discount, for the record (`order.refunds[].discounts`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiscountRecordOut {
    /// The discount's index in `order.discounts`.
    pub discount: usize,
    /// Withheld by this refund; negative: withheld earlier and given back now.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub withheld: i64,
    /// Waived by this refund (the merchant's fault); negative: no longer owed.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub waived: i64,
}

// ---------------------------------------------------------------------------------------------
// The request's new fields, checked

/// Checks the order's discounts, points and records: kinds are text, a threshold is reached by
/// the goods, a record names a discount of the order, only a `points` payment spends points.
pub(super) fn validate(order: &Order) -> Result<()> {
    // The goods after their own discounts (already checked to be in range by `paid_lines`).
    let subtotal =
        || {
            money::sum(order.lines.iter().map(|l| {
                money::times(l.unit_price.0, l.quantity.0).map_or(0, |gross| gross.saturating_sub(l.discount.0))
            }))
        };
    for (i, d) in order.discounts.iter().enumerate() {
        if let Some(kind) = &d.kind {
            crate::order::check_text(kind, &format!("order.discounts[{i}].kind"))?;
        }
        if let Some(t) = d.threshold {
            let subtotal = subtotal()?;
            if t.0 < 0 || t.0 > subtotal {
                return Err(PolicyError::invalid(
                    format!("order.discounts[{i}].threshold"),
                    format!("a threshold is between 0 and the goods' {subtotal}; this one is {}", t.0),
                ));
            }
        }
    }
    for (i, p) in order.payments.iter().enumerate() {
        if p.points.is_some() && p.method != "points" {
            return Err(PolicyError::invalid(
                format!("order.payments[{i}].points"),
                "only a `points` payment spends points",
            ));
        }
    }
    for (i, r) in order.refunds.iter().enumerate() {
        for (j, d) in r.discounts.iter().enumerate() {
            if usize::try_from(d.discount.0).map_or(true, |k| k >= order.discounts.len()) {
                return Err(PolicyError::new(
                    ErrorCode::UnknownReference,
                    format!("order.refunds[{i}].discounts[{j}].discount"),
                    format!("the order has {} discounts", order.discounts.len()),
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Threshold discounts recomputed

/// Each unit's list subtotal (after its line's own discount) and the order discounts it was
/// given (that subtotal less what it was paid), line by line.
struct Units {
    subtotal: Vec<Vec<i64>>,
    given: Vec<Vec<i64>>,
    /// Units of each line gone after this refund (returned before and now).
    gone: Vec<usize>,
    /// Units of each line returned by this refund.
    now: Vec<usize>,
}

impl Units {
    fn of(q: &Quoting<'_>, tally: &Tally) -> Result<Units> {
        let order = q.order;
        let mut units = Units { subtotal: Vec::new(), given: Vec::new(), gone: Vec::new(), now: Vec::new() };
        for (line, paid) in order.lines.iter().zip(&q.paid) {
            let gross = money::times(line.unit_price.0, line.quantity.0)?;
            let subtotal = allocate(gross - line.discount.0, &vec![1; paid.goods.len()]);
            units.given.push(subtotal.iter().zip(&paid.goods).map(|(s, g)| s - g).collect());
            units.subtotal.push(subtotal);
            let now = tally.record_lines.iter().filter(|r| r.line_id == line.id).map(|r| r.quantity).sum::<u64>();
            let before = order.returned_quantity(&line.id);
            units.now.push(usize::try_from(now).unwrap_or(usize::MAX));
            units.gone.push(usize::try_from(before.saturating_add(now)).unwrap_or(usize::MAX));
        }
        Ok(units)
    }

    /// The share of discount `d` (of the order's `amounts`) a unit was given.
    fn share(&self, line: usize, unit: usize, d: usize, amounts: &[i64]) -> i64 {
        let given = self.given.get(line).and_then(|g| g.get(unit)).copied().unwrap_or(0);
        if amounts.len() == 1 {
            given
        } else {
            allocate(given, amounts).get(d).copied().unwrap_or(0)
        }
    }

    /// The value of the units kept after this refund, and their shares of discount `d`.
    fn kept(&self, d: usize, amounts: &[i64]) -> Result<(i64, i64)> {
        let mut value = Vec::new();
        let mut shares = Vec::new();
        for (l, subtotal) in self.subtotal.iter().enumerate() {
            let from = self.gone.get(l).copied().unwrap_or(0);
            for (u, s) in subtotal.iter().enumerate().skip(from) {
                value.push(*s);
                shares.push(self.share(l, u, d, amounts));
            }
        }
        Ok((money::sum(value)?, money::sum(shares)?))
    }

    /// The shares of discount `d` of the units each line returns now.
    fn returned_now(&self, d: usize, amounts: &[i64]) -> Vec<i64> {
        (0..self.subtotal.len())
            .map(|l| {
                let (gone, now) = (self.gone.get(l).copied().unwrap_or(0), self.now.get(l).copied().unwrap_or(0));
                (gone.saturating_sub(now)..gone).map(|u| self.share(l, u, d, amounts)).sum()
            })
            .collect()
    }
}

/// Stage: threshold discounts recomputed (policy `recompute`): what the kept units no longer
/// earn is withheld (or waived), and what was withheld for units now back is given back.
pub(super) fn recompute(q: &Quoting<'_>, tally: &mut Tally, adjusted: &mut Adjusted) -> Result<()> {
    let order = q.order;
    let recomputed: Vec<(usize, &Discount, i64)> = order
        .discounts
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((i, d, d.threshold?.0)))
        .filter(|(_, d, _)| {
            d.kind().and_then(|k| q.rp.spec.discounts.get(k)).is_some_and(|r| r.mode == DiscountMode::Recompute)
        })
        .collect();
    let nothing_back = tally.record_lines.iter().all(|r| r.quantity == 0);
    if recomputed.is_empty() || q.partial() || nothing_back {
        return Ok(());
    }
    let units = Units::of(q, tally)?;
    let amounts: Vec<i64> = order.discounts.iter().map(|d| d.amount.0).collect();
    // Only a return for the customer's own reasons pays for the threshold it breaks.
    let withholds = matches!(q.req.kind, RefundType::ReturnAndRefund | RefundType::NoReason) && !tally.merchant_fault;
    for (d, discount, threshold) in recomputed {
        let (kept, owed) = units.kept(d, &amounts)?;
        let owed = if kept < threshold { owed } else { 0 };
        let (mut withheld, mut waived) = (0, 0);
        for r in order.refunds.iter().flat_map(|r| r.discounts.iter()).filter(|r| r.discount.0 == d as u64) {
            withheld = money::sum([withheld, r.withheld.0])?;
            waived = money::sum([waived, r.waived.0])?;
        }
        let covered = money::sum([withheld, waived])?;
        let says = |q: &Quoting<'_>| (discount.code.clone(), q.money(threshold), q.money(kept));
        let mut record = DiscountRecordOut { discount: d, withheld: 0, waived: 0 };
        if owed > covered && withholds {
            let available = money::sum(tally.lines.iter().map(|l| l.amount))?;
            record.withheld = (owed - covered).min(available);
            let (code, threshold, kept) = says(q);
            let message = Says::DiscountRecomputed { discount: code, threshold, kept };
            let weights: Vec<i64> = tally.lines.iter().map(|l| l.amount).collect();
            spread(tally, codes::DISCOUNT_RECOMPUTED, -record.withheld, &weights, &message);
        } else if owed > covered {
            record.waived = owed - covered;
            let (code, threshold_text, kept_text) = says(q);
            let message = Says::DiscountWaived { discount: code, threshold: threshold_text, kept: kept_text };
            tally.reasons.push(
                Reason::new(codes::DISCOUNT_WAIVED, message)
                    .figure("threshold", threshold)
                    .figure("kept", kept)
                    .figure("waived", record.waived),
            );
        } else if owed < covered {
            // Given back first what was withheld, then what was waived is no longer owed.
            let back = (covered - owed).min(withheld.max(0));
            record.withheld = -back;
            record.waived = -(covered - owed - back);
            let returned = units.returned_now(d, &amounts);
            let weights = line_weights(q, tally, &returned);
            let message = Says::DiscountWithheldRefunded { discount: discount.code.clone() };
            spread(tally, codes::DISCOUNT_WITHHELD_REFUNDED, back, &weights, &message);
        }
        if record.withheld != 0 || record.waived != 0 {
            adjusted.discounts.push(record);
        }
    }
    Ok(())
}

/// The weights a give-back is spread by: each quoted line's units returned now, by their shares
/// (evenly over the lines returning units when those shares are all nothing).
fn line_weights(q: &Quoting<'_>, tally: &Tally, returned: &[i64]) -> Vec<i64> {
    let by_line = |id: &str| q.order.lines.iter().position(|l| l.id == id);
    let weights: Vec<i64> =
        tally
            .record_lines
            .iter()
            .map(|r| {
                if r.quantity > 0 {
                    by_line(&r.line_id).and_then(|l| returned.get(l)).copied().unwrap_or(0)
                } else {
                    0
                }
            })
            .collect();
    if weights.iter().any(|w| *w > 0) {
        weights
    } else {
        tally.record_lines.iter().map(|r| i64::from(r.quantity > 0)).collect()
    }
}

/// Spreads `amount` (negative: withheld) over the quoted lines by `weights` (largest remainder),
/// as a component of each line that gets a share, in the line's amount and its record.
fn spread(tally: &mut Tally, code: &'static str, amount: i64, weights: &[i64], says: &Says) {
    if amount == 0 || weights.iter().all(|w| *w <= 0) {
        return;
    }
    let shares = allocate(amount.abs(), weights);
    for ((line, record), share) in tally.lines.iter_mut().zip(tally.record_lines.iter_mut()).zip(shares) {
        if share == 0 {
            continue;
        }
        let share = if amount < 0 { -share } else { share };
        line.components.push(Component { code, amount: share, message: Text::new(says.clone()) });
        line.amount += share;
        record.amount += share;
        record.withheld -= share;
    }
}

// ---------------------------------------------------------------------------------------------
// Coupons and points

/// Stage: coupons given back when this refund brings the whole order back within their validity.
pub(super) fn coupons(q: &Quoting<'_>, tally: &mut Tally, adjusted: &mut Adjusted) {
    let order = q.order;
    let now_back = |id: &str| tally.record_lines.iter().filter(|r| r.line_id == id).map(|r| r.quantity).sum::<u64>();
    let all_back =
        order.lines.iter().all(|l| order.returned_quantity(&l.id).saturating_add(now_back(&l.id)) >= l.quantity.0);
    if !all_back || tally.record_lines.iter().all(|r| r.quantity == 0) {
        return;
    }
    for (i, d) in order.discounts.iter().enumerate() {
        if !d.kind().and_then(|k| q.rp.spec.discounts.get(k)).is_some_and(|r| r.reinstate) {
            continue;
        }
        let until = d.valid_until.map(|t| t.in_zone(q.env.zone));
        let valid_until = d.valid_until.map(|t| crate::time::format_instant(&t.in_zone(q.env.zone)));
        let code = d.code.clone();
        if d.valid_until.is_some_and(|t| q.req.now.utc() > t.utc()) {
            let says = Says::CouponExpired { coupon: code, valid_until: until };
            let reason = Reason::new(codes::COUPON_EXPIRED, says).figure("discount", i);
            tally.reasons.push(reason.figure("valid_until", valid_until));
            continue;
        }
        let says = Says::CouponReinstated { coupon: code.clone(), valid_until: until };
        let mut reason = Reason::new(codes::COUPON_REINSTATED, says).figure("discount", i);
        if let Some(v) = &valid_until {
            reason = reason.figure("valid_until", v.clone());
        }
        tally.reasons.push(reason);
        adjusted.coupons.push(ReinstatedCoupon { discount: i, code, valid_until });
    }
}

/// Stage: the points the order earned, clawed back for the units that come back now: every unit
/// of the order gets its part of the points by what it was paid (largest remainder).
pub(super) fn points_clawed_back(q: &Quoting<'_>, tally: &mut Tally, adjusted: &mut Adjusted) -> Result<()> {
    let Some(earned) = q.order.points_earned.map(|p| p.0).filter(|p| *p > 0 && q.rp.spec.points.claw_back) else {
        return Ok(());
    };
    let weights: Vec<i64> = q.paid.iter().flat_map(|p| p.goods.iter().copied()).collect();
    let points = allocate(i64::try_from(earned).unwrap_or(0), &weights);
    let mut first = 0usize;
    let mut back = Vec::new();
    for (line, paid) in q.order.lines.iter().zip(&q.paid) {
        let now = tally.record_lines.iter().filter(|r| r.line_id == line.id).map(|r| r.quantity).sum::<u64>();
        let from = first.saturating_add(usize::try_from(q.order.returned_quantity(&line.id)).unwrap_or(usize::MAX));
        let to = from.saturating_add(usize::try_from(now).unwrap_or(0));
        back.extend(points.get(from..to).unwrap_or_default().iter().copied());
        first = first.saturating_add(paid.goods.len());
    }
    let clawed = u64::try_from(money::sum(back)?).unwrap_or(0);
    if clawed > 0 {
        let says = Says::PointsClawedBack { points: clawed, earned };
        tally
            .reasons
            .push(Reason::new(codes::POINTS_CLAWED_BACK, says).figure("points", clawed).figure("earned", earned));
    }
    adjusted.points_clawed_back = clawed;
    Ok(())
}

/// Stage: points paid go back as points: each `points` share says how many, in proportion of the
/// money value on the running total (so the last refund gives back exactly the rest).
pub(super) fn points_paid(q: &Quoting<'_>, payments: &mut [PaymentShare], tally: &mut Tally) -> Result<()> {
    let order = q.order;
    for share in payments.iter_mut().filter(|s| s.method == "points" && s.amount > 0) {
        let paid: Vec<_> = order.payments.iter().filter(|p| p.method == "points").collect();
        let value = money::sum(paid.iter().map(|p| p.amount.0))?;
        let count: Option<Vec<u64>> = paid.iter().map(|p| p.points.map(|c| c.0)).collect();
        let earlier = order.refunds.iter().flat_map(|r| r.payments.iter()).filter(|p| p.method == "points");
        let (back_before, points_before) = earlier.fold((0i64, 0u64), |(m, c), p| {
            (m.saturating_add(p.amount.0), c.saturating_add(p.points.map_or(0, |c| c.0)))
        });
        share.points = count.map(|c| {
            let spent = c.iter().fold(0u64, |a, b| a.saturating_add(*b));
            let running = ratio(spent, back_before.saturating_add(share.amount), value, q.rounding());
            running.min(spent).saturating_sub(points_before)
        });
        let says = Says::PointsRefunded { amount: q.money(share.amount), points: share.points };
        let mut reason = Reason::new(codes::POINTS_REFUNDED, says).figure("amount", share.amount);
        if let Some(p) = share.points {
            reason = reason.figure("points", p);
        }
        tally.reasons.push(reason);
    }
    Ok(())
}

/// `whole` × `part` / `of`, rounded by `rounding` (non-negative figures; 0 when `of` is 0).
fn ratio(whole: u64, part: i64, of: i64, rounding: Rounding) -> u64 {
    let (Ok(part), Ok(of)) = (u128::try_from(part), u128::try_from(of)) else { return 0 };
    if of == 0 {
        return 0;
    }
    let exact = u128::from(whole) * part;
    let (q, r) = (exact / of, exact % of);
    let up = match rounding {
        Rounding::HalfUp => 2 * r >= of,
        Rounding::HalfEven => 2 * r > of || (2 * r == of && q % 2 == 1),
        Rounding::Down => false,
    };
    u64::try_from(q + u128::from(up && r > 0)).unwrap_or(u64::MAX)
}
