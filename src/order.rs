//! The order as a request carries it: lines, discounts, shipping, payments and the refunds
//! already made. This module reads and checks the order's own consistency (ids, counts,
//! dates); it decides nothing about returns or money owed.

use crate::error::{ErrorCode, PolicyError, Result};
use crate::money::{Count, Minor};
use crate::time::Timestamp;
use crate::vocabulary::{RefundCause, RefundType};
use serde::Deserialize;

/// Most lines an order may have.
pub const MAX_LINES: usize = 1000;
/// Longest id, sku, category, tag or tier string.
pub const MAX_TEXT: usize = 256;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub id: String,
    pub currency: String,
    pub placed_at: Timestamp,
    #[serde(default)]
    pub delivered_at: Option<Timestamp>,
    /// The sales channel (`web`, `app`, `store`, …), a fact for rules.
    #[serde(default)]
    pub channel: Option<String>,
    /// The country the order was shipped to (ISO 3166 alpha-2), a fact for rules.
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub customer: Customer,
    pub lines: Vec<Line>,
    /// Order-level discounts, shared over the lines by line subtotal.
    #[serde(default)]
    pub discounts: Vec<Discount>,
    #[serde(default)]
    pub shipping: Shipping,
    /// Whether `unit_price` includes tax (true: tax is part of the price, `tax` is for the
    /// record); false: `tax` is charged on top.
    #[serde(default = "yes")]
    pub tax_included: bool,
    #[serde(default)]
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub refunds: Vec<RefundRecord>,
    /// Exchanges already made, one entry per line exchanged (an exchange answer's `record`).
    #[serde(default)]
    pub exchanges: Vec<ExchangeRecord>,
    /// Loyalty points the order earned; a refund claws them back in proportion to the value of
    /// the units that come back (`refunds.points`).
    #[serde(default)]
    pub points_earned: Option<Count>,
    /// Return-freight insurance (运费险) bought with the order: the insurer pays the customer
    /// towards the return shipping, so the merchant does not reimburse that part.
    #[serde(default)]
    pub freight_insurance: Option<FreightInsurance>,
}

/// Return-freight insurance (运费险) bought with the order.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FreightInsurance {
    /// What the insurer pays towards the return shipping, in minor units.
    pub payout: Minor,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Customer {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub returns_last_90_days: Option<Count>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub id: String,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub quantity: Count,
    /// Price of one unit before discounts, in minor units.
    pub unit_price: Minor,
    /// The line's own discount (all units together), in minor units.
    #[serde(default)]
    pub discount: Minor,
    /// The line's tax (all units together), in minor units.
    #[serde(default)]
    pub tax: Minor,
    /// When this line was delivered (signed for), when the order came in several parcels; by
    /// default the order's `delivered_at`. Return windows from delivery count from it (from the
    /// last parcel of the order where the law says so: the EU).
    #[serde(default)]
    pub delivered_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Discount {
    #[serde(default)]
    pub code: Option<String>,
    pub amount: Minor,
    /// What kind of discount it is (`threshold`, `coupon`, `member`, …): the key of its rule in
    /// the policy's `refunds.discounts`. Default: `threshold` when the discount has a threshold.
    #[serde(default)]
    pub kind: Option<String>,
    /// The order value (goods after their own discounts) the discount was granted at: "5000 off
    /// 30000" has `amount` 5000 and `threshold` 30000 (满减).
    #[serde(default)]
    pub threshold: Option<Minor>,
    /// Until when a coupon stays valid: given back when the whole order comes back before then.
    #[serde(default)]
    pub valid_until: Option<Timestamp>,
}

impl Discount {
    /// The discount's kind: its own, else `threshold` when it has a threshold.
    pub fn kind(&self) -> Option<&str> {
        self.kind.as_deref().or(self.threshold.map(|_| "threshold"))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    #[serde(default)]
    pub amount: Minor,
    #[serde(default)]
    pub tax: Minor,
    /// The part of `amount` above the standard delivery: what a faster or dearer delivery the
    /// customer chose cost more. A withdrawal under EU law refunds the standard delivery, not
    /// this part (Directive 2011/83/EU Art. 13(2)).
    #[serde(default)]
    pub premium: Minor,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// `card`, `gift_card`, `points`, `store_credit`, `wallet`, …
    pub method: String,
    pub amount: Minor,
    #[serde(default)]
    pub id: Option<String>,
    /// For a `points` payment: the points spent (`amount` is their money value); refunds give
    /// them back as points, in proportion.
    #[serde(default)]
    pub points: Option<Count>,
}

/// A refund already made on the order: a quote's `record` passed back unchanged, or the
/// merchant's own (every field but the money may be left out).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRecord {
    #[serde(default)]
    pub id: Option<String>,
    /// The refund type.
    #[serde(rename = "type", default)]
    pub kind: Option<RefundType>,
    /// Why a refund went without a return (`refund_only`).
    #[serde(default)]
    pub cause: Option<RefundCause>,
    /// The reason given (`defective`, `changed_mind`, …).
    #[serde(default)]
    pub reason: Option<String>,
    /// When the refund was quoted (the request's `now`).
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Who made the refund (a member of staff's id).
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub lines: Vec<RefundedLine>,
    /// Original shipping refunded (with its tax).
    #[serde(default)]
    pub shipping: Minor,
    /// Return freight the customer prepaid, reimbursed beyond what was paid for the order.
    #[serde(default)]
    pub return_freight: Minor,
    /// How the refund was paid back, per method.
    #[serde(default)]
    pub payments: Vec<PaymentAmount>,
    /// Threshold discounts recomputed by this refund: what it withheld (or, negative, gave back)
    /// and what it waived, per discount.
    #[serde(default)]
    pub discounts: Vec<DiscountRecord>,
    /// Loyalty points this refund clawed back.
    #[serde(default)]
    pub points_clawed_back: Count,
}

/// What a refund did to one threshold discount of the order (`refunds.discounts`, `recompute`).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DiscountRecord {
    /// The discount's index in `order.discounts`.
    pub discount: Count,
    /// Withheld from the refund because the units kept no longer reach the threshold; negative:
    /// withheld earlier and given back now.
    #[serde(default)]
    pub withheld: Minor,
    /// Not withheld because the return was the merchant's fault; negative: no longer owed.
    #[serde(default)]
    pub waived: Minor,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundedLine {
    pub line_id: String,
    /// Units refunded in full: they came back, or were refunded without a return (lost, missing,
    /// kept under `refund_only`); 0 for a partial refund on kept goods.
    #[serde(default)]
    pub quantity: Count,
    /// Units the customer kept with a partial refund.
    #[serde(default)]
    pub kept_quantity: Count,
    /// Of the units that came back, those kept earlier with a partial refund.
    #[serde(default)]
    pub from_kept: Count,
    /// Earlier partial refunds netted against this return (already paid, so not paid again).
    #[serde(default)]
    pub netted: Minor,
    /// Goods refunded (tax included), in minor units.
    #[serde(default)]
    pub amount: Minor,
    /// Of the line's refund, what a recomputed threshold discount withheld (negative: gave back);
    /// `amount` + `withheld` is what the line's goods were credited.
    #[serde(default)]
    pub withheld: Minor,
    /// Recovered from the customer after an inspection found the units not as declared.
    #[serde(default)]
    pub recovered: Minor,
}

/// An exchange already made on a line of the order.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeRecord {
    pub line_id: String,
    /// Units exchanged.
    pub quantity: Count,
    /// The variant they were exchanged into.
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentAmount {
    pub method: String,
    pub amount: Minor,
    /// For the `points` method: the points given back.
    #[serde(default)]
    pub points: Option<Count>,
}

impl Order {
    /// Checks what every evaluator relies on: unique line ids, positive quantities, non-negative
    /// prices, dates in order, refunds that name real lines and never return more than bought.
    /// `path` is where the order sits in the request (`order`).
    pub fn validate(&self, path: &str) -> Result<()> {
        let at = |rest: &str| crate::error::join_path(path, rest);
        check_text_at(&self.id, || at("id"))?;
        if self.lines.is_empty() {
            return Err(PolicyError::invalid(at("lines"), "an order has at least one line"));
        }
        if self.lines.len() > MAX_LINES {
            return Err(PolicyError::new(
                ErrorCode::LimitExceeded,
                at("lines"),
                format!("more than {MAX_LINES} lines"),
            ));
        }
        if let Some(d) = &self.delivered_at {
            if d < &self.placed_at {
                return Err(PolicyError::invalid(at("delivered_at"), "delivered before the order was placed"));
            }
        }
        for (i, line) in self.lines.iter().enumerate() {
            let lp = |rest: &str| at(&format!("lines[{i}].{rest}"));
            check_text_at(&line.id, || lp("id"))?;
            if self.lines.iter().take(i).any(|l| l.id == line.id) {
                return Err(PolicyError::invalid(lp("id"), format!("line id `{}` appears twice", line.id)));
            }
            if line.quantity.0 == 0 {
                return Err(PolicyError::invalid(lp("quantity"), "a line has a quantity of 1 or more"));
            }
            if line.delivered_at.as_ref().is_some_and(|d| d < &self.placed_at) {
                return Err(PolicyError::invalid(lp("delivered_at"), "delivered before the order was placed"));
            }
            for (name, v) in [("unit_price", line.unit_price), ("discount", line.discount), ("tax", line.tax)] {
                if v.0 < 0 {
                    return Err(PolicyError::invalid(lp(name), format!("{} is negative", v.0)));
                }
            }
            for (j, tag) in line.tags.iter().enumerate() {
                check_text_at(tag, || lp(&format!("tags[{j}]")))?;
            }
            for (name, v) in [("sku", &line.sku), ("category", &line.category), ("brand", &line.brand)] {
                if let Some(v) = v {
                    check_text_at(v, || lp(name))?;
                }
            }
        }
        for (i, r) in self.refunds.iter().enumerate() {
            for (j, rl) in r.lines.iter().enumerate() {
                if self.line(&rl.line_id).is_none() {
                    return Err(PolicyError::new(
                        ErrorCode::UnknownReference,
                        at(&format!("refunds[{i}].lines[{j}].line_id")),
                        format!("no line `{}` in the order", crate::time::truncate(&rl.line_id, 64)),
                    ));
                }
            }
        }
        self.validate_exchanges(&at)?;
        for line in &self.lines {
            let gone = self.returned_quantity(&line.id).saturating_add(self.kept_quantity(&line.id));
            if gone > line.quantity.0 {
                return Err(PolicyError::invalid(
                    at("refunds"),
                    format!("refunds account for {gone} units of line `{}`, which has {}", line.id, line.quantity.0),
                ));
            }
        }
        Ok(())
    }

    /// When a line was delivered: its own date, else the order's.
    pub fn delivered<'a>(&'a self, line: &'a Line) -> Option<&'a Timestamp> {
        line.delivered_at.as_ref().or(self.delivered_at.as_ref())
    }

    /// The last delivery of the order's lines that have one.
    pub fn last_delivery(&self) -> Option<&Timestamp> {
        self.lines.iter().filter_map(|l| self.delivered(l)).max()
    }

    /// Exchanges name real lines, each of at least 1 and at most the line's units.
    fn validate_exchanges(&self, at: &dyn Fn(&str) -> String) -> Result<()> {
        for (i, x) in self.exchanges.iter().enumerate() {
            let Some(line) = self.line(&x.line_id) else {
                return Err(PolicyError::new(
                    ErrorCode::UnknownReference,
                    at(&format!("exchanges[{i}].line_id")),
                    format!("no line `{}` in the order", crate::time::truncate(&x.line_id, 64)),
                ));
            };
            if x.quantity.0 == 0 || x.quantity.0 > line.quantity.0 {
                return Err(PolicyError::invalid(
                    at(&format!("exchanges[{i}].quantity")),
                    format!("{} units exchanged, but line `{}` has {}", x.quantity.0, line.id, line.quantity.0),
                ));
            }
            if let Some(sku) = &x.sku {
                check_text_at(sku, || at(&format!("exchanges[{i}].sku")))?;
            }
        }
        Ok(())
    }

    /// Exchanges made earlier on a line.
    pub fn exchange_count(&self, line_id: &str) -> u64 {
        self.exchanges.iter().filter(|x| x.line_id == line_id).count() as u64
    }

    pub fn line(&self, id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// Units of a line already returned in earlier refunds.
    pub fn returned_quantity(&self, line_id: &str) -> u64 {
        self.refunded_lines(line_id).map(|l| l.quantity.0).fold(0, u64::saturating_add)
    }

    /// Units of a line the customer keeps with a partial refund and has not returned since.
    pub fn kept_quantity(&self, line_id: &str) -> u64 {
        let kept = self.refunded_lines(line_id).map(|l| l.kept_quantity.0).fold(0, u64::saturating_add);
        let back = self.refunded_lines(line_id).map(|l| l.from_kept.0).fold(0, u64::saturating_add);
        kept.saturating_sub(back)
    }

    /// Partial refunds on units still kept: paid, and to be netted when those units come back.
    pub fn kept_partial_amount(&self, line_id: &str) -> i64 {
        let paid = self
            .refunded_lines(line_id)
            .filter(|l| l.kept_quantity.0 > 0)
            .map(|l| l.amount.0)
            .fold(0, i64::saturating_add);
        let netted = self.refunded_lines(line_id).map(|l| l.netted.0).fold(0, i64::saturating_add);
        paid.saturating_sub(netted).max(0)
    }

    /// Goods refunded on a line so far, as credited before any threshold discount recomputed
    /// (`amount` + `withheld`).
    pub fn refunded_amount(&self, line_id: &str) -> i64 {
        self.refunded_lines(line_id).map(|l| l.amount.0.saturating_add(l.withheld.0)).fold(0, i64::saturating_add)
    }

    /// Recovered from the customer on a line after inspections.
    pub fn recovered_amount(&self, line_id: &str) -> i64 {
        self.refunded_lines(line_id).map(|l| l.recovered.0).fold(0, i64::saturating_add)
    }

    /// What the order charged: goods after discounts, tax on top where prices exclude it, shipping.
    pub fn charged(&self) -> Result<i64> {
        let mut parts = Vec::with_capacity(self.lines.len() * 3 + 2);
        for line in &self.lines {
            parts.push(crate::money::times(line.unit_price.0, line.quantity.0)?);
            parts.push(-line.discount.0);
            if !self.tax_included {
                parts.push(line.tax.0);
            }
        }
        parts.extend(self.discounts.iter().map(|d| -d.amount.0));
        parts.push(self.shipping.amount.0);
        if !self.tax_included {
            parts.push(self.shipping.tax.0);
        }
        crate::money::sum(parts)
    }

    fn refunded_lines<'a>(&'a self, line_id: &'a str) -> impl Iterator<Item = &'a RefundedLine> + 'a {
        self.refunds.iter().flat_map(|r| r.lines.iter()).filter(move |l| l.line_id == line_id)
    }
}

/// Ids, tags and names: non-empty and at most [`MAX_TEXT`] characters.
pub fn check_text(text: &str, path: &str) -> Result<()> {
    check_text_at(text, || path.to_string())
}

/// [`check_text`] with the path made only when the text is refused (request checks run on every
/// call, and nearly every text passes).
pub fn check_text_at(text: &str, path: impl FnOnce() -> String) -> Result<()> {
    if text.is_empty() {
        return Err(PolicyError::invalid(path(), "must not be empty"));
    }
    // A string of at most MAX_TEXT bytes has at most MAX_TEXT characters: count only longer ones.
    if text.len() > MAX_TEXT && text.chars().count() > MAX_TEXT {
        return Err(PolicyError::new(ErrorCode::LimitExceeded, path(), format!("longer than {MAX_TEXT} characters")));
    }
    Ok(())
}
