//! The law underneath a merchant's policy: the statutory minimums of a jurisdiction
//! (shared/docs/domain.md §7), checked when a policy loads and applied to every decision.
//!
//! A policy declares `"jurisdiction": "CN" | "EU" | "US"` (the law presets do). Then:
//! - loading it reports each rule that goes below the floor as a `BELOW_STATUTORY_MINIMUM` warning
//!   with its path (`validatePolicy`, `PolicyEngine::info`);
//! - a return the law allows is allowed whatever the policy says: its denial reasons are replaced
//!   by a `STATUTORY_RIGHT` reason citing the law, the deadline is the later of the two, a refund is
//!   open, and no restocking fee is charged.
//!
//! The statutory right to return, per jurisdiction:
//! - **CN** (Consumer Rights Protection Law Art. 25): `changed_mind` within 7 days of delivery (to
//!   23:59:59 of the 7th day after signing), the goods intact (not used beyond trial, accessories
//!   complete, tags on; opening the packaging does not count); none for items tagged `custom`,
//!   `perishable`, `digital`, `newspaper` or `no_reason_excluded` (confirmed at checkout), nor for
//!   `audio_visual` or `software` once unsealed. Art. 24: `defective` or `not_as_described` within
//!   7 days of delivery, in any condition, the seller paying the transport.
//! - **EU** (Directive 2011/83/EU Art. 9 and 16): `changed_mind` within 14 days of delivery in any
//!   condition (handling beyond trying is a deduction, not a bar); none for items tagged `custom`,
//!   `perishable`, `digital` or `newspaper`, nor for `hygiene`, `audio_visual` or `software` once
//!   unsealed.
//! - **US**: no general statutory right; nothing is checked.
//!
//! The legal guarantee, per jurisdiction:
//! - **EU** (Directive 2019/771 Art. 10, 11, 13): a lack of conformity (`manufacturing_defect`,
//!   `performance_fault`, `not_as_described`) that shows within 24 months of delivery is repaired
//!   or replaced free at the consumer's choice; within the first 12 months it is presumed present
//!   at delivery; once a repair has failed to cure the defect, the consumer may return the goods
//!   for a refund instead (Art. 13(4)). Damage by an external factor and wear are not a lack of
//!   conformity. A warranty decision inside it carries `LEGAL_GUARANTEE`.
//! - **CN**: the 三包 tiers are the `cn-consumer-law` preset's warranty terms.

use crate::calendar::DurationSpec;
use crate::explain::Locale;
use crate::policy::PolicyDocument;
use crate::returns::{ItemCondition, Payer, Requirement, RuleSpec};
use crate::time::{day_window_end, Timestamp};
use crate::zone::Tz;
use chrono::{DateTime, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Whose consumer law the policy sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Jurisdiction {
    /// Mainland China.
    #[serde(rename = "CN")]
    Cn,
    /// The European Union.
    #[serde(rename = "EU")]
    Eu,
    /// The United States (no general statutory right of return).
    #[serde(rename = "US")]
    Us,
}

/// The warning a policy below the law gets.
pub const BELOW_STATUTORY_MINIMUM: &str = "BELOW_STATUTORY_MINIMUM";
/// The reason a decision carries when the law, not the policy, allowed it.
pub const STATUTORY_RIGHT: &str = "STATUTORY_RIGHT";
/// The reason a warranty decision carries when the legal guarantee, not the terms, gave the remedy.
pub const LEGAL_GUARANTEE: &str = "LEGAL_GUARANTEE";
/// The reason a change-of-mind return carries under the law's floor.
pub const NO_REASON: &str = "changed_mind";

/// A right to return goods that a statute gives.
#[derive(Debug)]
struct Right {
    /// A short stable citation code (`CN-CRPL-25`).
    law: &'static str,
    citation: (&'static str, &'static str),
    /// What the law gives, in a clause (en, zh-CN).
    gives: (&'static str, &'static str),
    /// The reasons it covers.
    reasons: &'static [&'static str],
    days: u64,
    /// Items with these tags have no such right.
    exempt_tags: &'static [&'static str],
    /// Items with these tags lose it once their seal is broken.
    sealed_tags: &'static [&'static str],
    /// What "intact" means: conditions that, reported false, end the right.
    intact: &'static [Requirement],
    /// Conditions a policy may ask for without going below the law.
    may_require: &'static [Requirement],
    merchant_pays_shipping: bool,
}

/// A jurisdiction's statutory minimums.
#[derive(Debug)]
struct Floor {
    rights: &'static [Right],
    /// Days from receiving returned goods (CN) or the withdrawal (EU) to the refund.
    refund_days: Option<(u64, &'static str, &'static str)>,
    /// Withdrawal refunds the standard delivery (EU).
    refunds_delivery: Option<&'static str>,
    /// The legal guarantee of conformity.
    guarantee: Option<Guarantee>,
}

/// A legal guarantee of conformity: the seller answers for a defect that shows within `months`
/// of delivery, free of charge.
#[derive(Debug)]
struct Guarantee {
    law: &'static str,
    months: u32,
    /// A defect showing within this many months is presumed present at delivery.
    presumed_months: u32,
    citation: (&'static str, &'static str),
    /// What the law adds when a repair did not cure the defect (en, zh-CN).
    after_failed_repair: (&'static str, &'static str),
}

static CN: Floor = Floor {
    rights: &[
        Right {
            law: "CN-CRPL-25",
            citation: ("PRC Consumer Rights Protection Law, Art. 25", "《消费者权益保护法》第二十五条"),
            gives: ("a 7-day no-reason return from delivery", "消费者自收到商品之日起七日内有权无理由退货"),
            reasons: &[NO_REASON],
            days: 7,
            exempt_tags: &["custom", "perishable", "digital", "newspaper", "no_reason_excluded"],
            sealed_tags: &["audio_visual", "software"],
            intact: &[Requirement::Unused, Requirement::AccessoriesComplete, Requirement::TagsAttached],
            may_require: &[
                Requirement::Unused,
                Requirement::AccessoriesComplete,
                Requirement::TagsAttached,
                Requirement::ProofOfPurchase,
            ],
            merchant_pays_shipping: false,
        },
        Right {
            law: "CN-CRPL-24",
            citation: ("PRC Consumer Rights Protection Law, Art. 24", "《消费者权益保护法》第二十四条"),
            gives: (
                "a return within 7 days of delivery for a quality problem, the seller paying the transport",
                "商品存在质量问题的，消费者可自收到商品之日起七日内退货，运输等费用由经营者承担",
            ),
            reasons: &["defective", "not_as_described"],
            days: 7,
            exempt_tags: &[],
            sealed_tags: &[],
            intact: &[],
            may_require: &[Requirement::ProofOfPurchase],
            merchant_pays_shipping: true,
        },
    ],
    refund_days: Some((
        7,
        "CN-CRPL-25",
        "PRC Consumer Rights Protection Law, Art. 25 (refund within 7 days of receiving the goods)",
    )),
    refunds_delivery: None,
    guarantee: None,
};

static EU: Floor = Floor {
    rights: &[Right {
        law: "EU-CRD-9",
        citation: ("Consumer Rights Directive 2011/83/EU, Art. 9", "欧盟《消费者权利指令》(2011/83/EU)第9条"),
        gives: ("14 days from delivery to withdraw from the purchase", "消费者自收到商品之日起14日内有权撤回购买"),
        reasons: &[NO_REASON],
        days: 14,
        exempt_tags: &["custom", "perishable", "digital", "newspaper"],
        sealed_tags: &["hygiene", "audio_visual", "software"],
        intact: &[],
        may_require: &[Requirement::ProofOfPurchase],
        merchant_pays_shipping: false,
    }],
    refund_days: Some((14, "EU-CRD-13", "Consumer Rights Directive 2011/83/EU, Art. 13 (refund within 14 days)")),
    refunds_delivery: Some(
        "Consumer Rights Directive 2011/83/EU, Art. 13 (a withdrawal refunds the standard delivery)",
    ),
    guarantee: Some(Guarantee {
        law: "EU-SGD-10",
        months: 24,
        presumed_months: 12,
        citation: ("Sale of Goods Directive (EU) 2019/771, Art. 10", "欧盟《货物销售指令》(2019/771)第10条"),
        after_failed_repair: (
            "An earlier repair did not cure this defect, so the customer may instead return the product for a \
             refund (Art. 13(4)).",
            "此前维修未能排除该缺陷，消费者亦可退货退款（第13条第4款）。",
        ),
    }),
};

impl Jurisdiction {
    fn floor(self) -> Option<&'static Floor> {
        match self {
            Jurisdiction::Cn => Some(&CN),
            Jurisdiction::Eu => Some(&EU),
            Jurisdiction::Us => None,
        }
    }
}

/// A policy rule below the statutory floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyWarning {
    pub code: &'static str,
    pub path: String,
    pub message: String,
    /// The statute's citation code (`CN-CRPL-25`).
    pub law: &'static str,
}

fn warning(path: impl Into<String>, law: &'static str, message: String) -> PolicyWarning {
    PolicyWarning { code: BELOW_STATUTORY_MINIMUM, path: path.into(), message, law }
}

// ---------------------------------------------------------------------------------------------
// Decisions

/// The law's answer for one item: it may be returned until `deadline`.
#[derive(Debug, Clone)]
pub struct StatutoryReturn {
    pub law: &'static str,
    pub days: u64,
    pub deadline: DateTime<Tz>,
    pub merchant_pays_shipping: bool,
    /// Conditions the law itself requires (unconfirmed ones stay to be confirmed).
    pub intact: Vec<Requirement>,
    citation: (&'static str, &'static str),
    gives: (&'static str, &'static str),
}

impl StatutoryReturn {
    /// The sentence a decision shows, with `deadline` formatted for the reader.
    pub fn message(&self, locale: Locale, deadline: &str, fee_waived: bool) -> String {
        match locale {
            Locale::En => format!(
                "The law gives {} ({}), so this item can be returned until {deadline}.{}",
                self.gives.0,
                self.citation.0,
                if fee_waived { " No restocking fee is charged." } else { "" }
            ),
            Locale::ZhCn => format!(
                "依据{}，{}；该商品可在{deadline}前退货。{}",
                self.citation.1,
                self.gives.1,
                if fee_waived { "不收取退货手续费。" } else { "" }
            ),
        }
    }
}

/// Whether the law lets this item go back now for `reason`, whatever the policy says.
pub fn statutory_return(
    jurisdiction: Option<Jurisdiction>,
    reason: &str,
    tags: &[String],
    condition: &ItemCondition,
    delivered_at: Option<&Timestamp>,
    now: &Timestamp,
    zone: Tz,
) -> crate::error::Result<Option<StatutoryReturn>> {
    let (Some(floor), Some(delivered)) = (jurisdiction.and_then(Jurisdiction::floor), delivered_at) else {
        return Ok(None);
    };
    let has = |list: &[&str]| tags.iter().any(|t| list.contains(&t.as_str()));
    for right in floor.rights.iter().filter(|r| r.reasons.contains(&reason)) {
        if has(right.exempt_tags) || (has(right.sealed_tags) && condition.seal_intact == Some(false)) {
            continue;
        }
        if right.intact.iter().any(|r| condition.get(*r, None) == Some(false)) {
            continue;
        }
        let deadline = day_window_end(zone, delivered, i64::try_from(right.days).unwrap_or(i64::MAX))?;
        if now.utc() > deadline.with_timezone(&chrono::Utc) {
            continue;
        }
        let mut intact = right.intact.to_vec();
        if has(right.sealed_tags) {
            intact.push(Requirement::SealIntact);
        }
        return Ok(Some(StatutoryReturn {
            law: right.law,
            days: right.days,
            deadline,
            merchant_pays_shipping: right.merchant_pays_shipping,
            intact,
            citation: right.citation,
            gives: right.gives,
        }));
    }
    Ok(None)
}

/// Who pays the return shipping under the law: the seller for a quality problem, else the policy's payer.
pub fn shipping_payer(right: &StatutoryReturn, policy: Payer) -> Payer {
    if right.merchant_pays_shipping {
        Payer::Merchant
    } else {
        policy
    }
}

/// Fault kinds that are a lack of conformity (not wear, not damage in use).
const NONCONFORMITY: &[&str] = &["manufacturing_defect", "performance_fault", "not_as_described"];

/// The law's answer for a warranty claim: the seller owes a free remedy until `ends_on`.
#[derive(Debug, Clone)]
pub struct LegalGuarantee {
    pub law: &'static str,
    pub months: u32,
    pub ends_on: NaiveDate,
    /// Whether the defect is presumed present at delivery (it showed early enough).
    pub presumed: bool,
    /// Whether the customer may return the goods for a refund: a repair already failed to cure
    /// the defect (EU Art. 13(4)).
    pub may_return: bool,
    presumed_months: u32,
    citation: (&'static str, &'static str),
    after_failed_repair: (&'static str, &'static str),
}

impl LegalGuarantee {
    /// The sentence a decision shows, with `ends_on` formatted for the reader.
    pub fn message(&self, locale: Locale, ends_on: &str) -> String {
        let (months, presumed_months) = (self.months, self.presumed_months);
        let years = |m: u32| if m % 12 == 0 { format!("{}-year", m / 12) } else { format!("{m}-month") };
        let zh_span = |m: u32| if m % 12 == 0 { format!("{}年", m / 12) } else { format!("{m}个月") };
        locale.pick_with(
            || {
                format!(
                    "The law gives a {} legal guarantee from delivery ({}), until {ends_on}: repair or replacement, \
                     free of charge, at the customer's choice. {}",
                    years(months),
                    self.citation.0,
                    if self.presumed {
                        format!("A defect that shows within {} of delivery is presumed present at delivery.", en_span(presumed_months))
                    } else {
                        format!(
                            "The defect showed more than {} after delivery, so the customer may be asked to show it was present at delivery.",
                            en_span(presumed_months)
                        )
                    }
                ) + if self.may_return { " " } else { "" }
                    + if self.may_return { self.after_failed_repair.0 } else { "" }
            },
            || {
                format!(
                    "依据{}，商品自交付起享有{}法定保证，至{ends_on}：消费者可选择免费维修或换货。{}",
                    self.citation.1,
                    zh_span(months),
                    if self.presumed {
                        format!("交付后{}内出现的缺陷推定为交付时已存在。", zh_span(presumed_months))
                    } else {
                        format!("缺陷出现在交付{}之后，可能需要消费者证明其在交付时已存在。", zh_span(presumed_months))
                    }
                ) + if self.may_return { self.after_failed_repair.1 } else { "" }
            },
        )
    }
}

/// "1 year", "18 months".
fn en_span(months: u32) -> String {
    match months {
        12 => "1 year".to_string(),
        m if m % 12 == 0 => format!("{} years", m / 12),
        m => format!("{m} months"),
    }
}

/// Whether the law of `jurisdiction` makes the seller answer, free of charge, for a fault of
/// `fault_kind` that showed on `fault` in goods delivered on `delivered`. Damage by an external
/// factor (a fall, water, misuse, …) is not a lack of conformity.
/// `failed_repairs` counts the earlier repairs of this defect, inside the guarantee, that did not
/// cure it.
pub fn legal_guarantee(
    jurisdiction: Option<Jurisdiction>,
    delivered: NaiveDate,
    fault: NaiveDate,
    fault_kind: &str,
    external_damage: bool,
    failed_repairs: usize,
) -> Option<LegalGuarantee> {
    let g = jurisdiction.and_then(Jurisdiction::floor)?.guarantee.as_ref()?;
    if external_damage || !NONCONFORMITY.contains(&fault_kind) || fault < delivered {
        return None;
    }
    let ends_on = delivered.checked_add_months(Months::new(g.months))?;
    if fault > ends_on {
        return None;
    }
    let presumed = delivered.checked_add_months(Months::new(g.presumed_months)).is_some_and(|p| fault <= p);
    Some(LegalGuarantee {
        law: g.law,
        months: g.months,
        ends_on,
        presumed,
        may_return: failed_repairs > 0,
        presumed_months: g.presumed_months,
        citation: g.citation,
        after_failed_repair: g.after_failed_repair,
    })
}

// ---------------------------------------------------------------------------------------------
// Checking a policy

/// Every place `doc` goes below the statutory floor of its jurisdiction.
pub fn check(doc: &PolicyDocument) -> Vec<PolicyWarning> {
    let mut out = Vec::new();
    let Some(floor) = doc.jurisdiction.and_then(Jurisdiction::floor) else {
        return out;
    };
    if let Some(returns) = &doc.returns {
        for right in floor.rights {
            check_right(right, returns, &mut out);
        }
        if let Some(text) = floor.refunds_delivery {
            let shipping = doc.refunds.as_ref().map(|r| r.shipping).unwrap_or_default();
            if shipping != crate::refund::ShippingRule::FullReturn {
                let path = if doc.refunds.is_some() { "refunds.shipping" } else { "refunds" };
                out.push(warning(
                    path,
                    "EU-CRD-13",
                    format!(
                        "a withdrawal refunds the standard delivery ({text}); set `refunds.shipping` to `full_return`"
                    ),
                ));
            }
        }
    }
    if let (Some((days, law, text)), Some(sla)) = (floor.refund_days, &doc.sla) {
        for (i, plan) in sla.plans.iter().enumerate() {
            let mut stages = Vec::new();
            let mut last = None;
            for (j, t) in plan.targets.iter().enumerate() {
                if t.stage == "refund_review" || t.stage == "refund_payout" {
                    stages.push(t.within);
                    last = Some(j);
                }
            }
            let worst = worst_case_days(&stages);
            if let Some(j) = last {
                if worst > days {
                    out.push(warning(
                        format!("sla.plans[{i}].targets[{j}].within"),
                        law,
                        format!(
                            "refund review and payout can take up to {worst} calendar days (counting the weekends \
                             working days straddle); the law allows {days} ({text})"
                        ),
                    ));
                }
            }
        }
    }
    if let (Some(g), Some(warranty)) = (&floor.guarantee, &doc.warranty) {
        for (i, term) in warranty.terms.iter().enumerate() {
            let term_months = term.period.months.unwrap_or(0).saturating_add(term.period.days.unwrap_or(0) / 30);
            if term_months < g.months {
                out.push(warning(
                    format!("warranty.terms[{i}].period"),
                    g.law,
                    format!(
                        "a {term_months}-month term is shorter than the {}-month legal guarantee ({}); \
                         claims inside the legal guarantee are decided under it",
                        g.months, g.citation.0
                    ),
                ));
            }
        }
    }
    // A rule below two rights (a refusal of every reason) is reported once, under the first.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|w| seen.insert(w.path.clone()));
    out
}

fn check_right(right: &Right, returns: &crate::returns::ReturnsSpec, out: &mut Vec<PolicyWarning>) {
    let law = right.law;
    let cite = right.citation.0;
    for reason in right.reasons {
        let Some(spec) = returns.reasons.get(*reason) else {
            // The quality right concerns reasons a policy may name otherwise; only the no-reason right must exist.
            if *reason == NO_REASON {
                out.push(warning(
                    "returns.reasons",
                    law,
                    format!("no `{NO_REASON}` reason, but the law gives {} ({cite})", right.gives.0),
                ));
            }
            continue;
        };
        let base = format!("returns.reasons.{reason}");
        let (window, window_path) = match &spec.window {
            Some(w) => (w, format!("{base}.window")),
            None => (&returns.window, "returns.window".to_string()),
        };
        if window.days.0 < right.days {
            out.push(warning(
                format!("{window_path}.days"),
                law,
                format!("a {}-day window is shorter than the law's {} ({cite})", window.days.0, right.gives.0),
            ));
        }
        let (requires, requires_path) = match &spec.requires {
            Some(r) => (r, format!("{base}.requires")),
            None => (&returns.requires, "returns.requires".to_string()),
        };
        for (i, r) in requires.iter().enumerate() {
            if !right.may_require.contains(r) {
                out.push(warning(
                    format!("{requires_path}[{i}]"),
                    law,
                    format!("the law does not let a `{reason}` return depend on `{}` ({cite})", r.as_str()),
                ));
            }
        }
        if spec.restocking_fee.is_some() {
            out.push(warning(
                format!("{base}.restocking_fee"),
                law,
                format!("the law's {} carries no restocking fee ({cite})", right.gives.0),
            ));
        }
        let payer = spec.return_shipping.or(returns.return_shipping).unwrap_or(Payer::Customer);
        if right.merchant_pays_shipping && payer == Payer::Customer {
            let path = if spec.return_shipping.is_some() { format!("{base}.return_shipping") } else { base.clone() };
            out.push(warning(path, law, format!("the seller pays the transport of a `{reason}` return ({cite})")));
        }
        for (i, rule) in returns.rules.iter().enumerate() {
            check_rule(right, reason, rule, &format!("returns.rules[{i}]"), out);
        }
    }
}

fn check_rule(right: &Right, reason: &str, rule: &RuleSpec, path: &str, out: &mut Vec<PolicyWarning>) {
    let when = rule.when.as_ref().unwrap_or(&Value::Null);
    if limited_to(when, right.exempt_tags) || only_other_reasons(when, reason) {
        return;
    }
    let cite = right.citation.0;
    if rule.then.deny {
        out.push(warning(
            format!("{path}.then.deny"),
            right.law,
            format!("rule `{}` refuses returns the law allows: {} ({cite})", rule.id, right.gives.0),
        ));
    }
    if let Some(j) = rule.then.deny_reasons.iter().position(|r| r == reason) {
        out.push(warning(
            format!("{path}.then.deny_reasons[{j}]"),
            right.law,
            format!(
                "rule `{}` refuses `{reason}` returns of goods the law does not exempt (it exempts items tagged {}) ({cite})",
                rule.id,
                right.exempt_tags.join(", ")
            ),
        ));
    }
    for (j, r) in rule.then.require.iter().enumerate() {
        let sealed_ok = *r == Requirement::SealIntact && limited_to(when, right.sealed_tags);
        if !right.may_require.contains(r) && !sealed_ok {
            out.push(warning(
                format!("{path}.then.require[{j}]"),
                right.law,
                format!("rule `{}` makes a `{reason}` return depend on `{}` ({cite})", rule.id, r.as_str()),
            ));
        }
    }
    if rule.then.restocking_fee.is_some() {
        out.push(warning(
            format!("{path}.then.restocking_fee"),
            right.law,
            format!("rule `{}` charges a restocking fee on a `{reason}` return the law gives free ({cite})", rule.id),
        ));
    }
}

/// Whether a `when` can only hold for items carrying one of `tags`.
fn limited_to(when: &Value, tags: &[&str]) -> bool {
    let Some(map) = when.as_object() else {
        return false;
    };
    map.iter().any(|(key, test)| match key.as_str() {
        "all" => test.as_array().is_some_and(|c| c.iter().any(|w| limited_to(w, tags))),
        "any" => test.as_array().is_some_and(|c| !c.is_empty() && c.iter().all(|w| limited_to(w, tags))),
        "item.tags" => test.get("contains").and_then(Value::as_str).is_some_and(|t| tags.contains(&t)),
        _ => false,
    })
}

/// Whether a `when` can only hold for a request reason other than `reason`.
fn only_other_reasons(when: &Value, reason: &str) -> bool {
    let Some(map) = when.as_object() else {
        return false;
    };
    map.iter().any(|(key, test)| match key.as_str() {
        "all" => test.as_array().is_some_and(|c| c.iter().any(|w| only_other_reasons(w, reason))),
        "any" => test.as_array().is_some_and(|c| !c.is_empty() && c.iter().all(|w| only_other_reasons(w, reason))),
        "request.reason" => {
            test.get("eq").and_then(Value::as_str).is_some_and(|r| r != reason)
                || test
                    .get("in")
                    .and_then(Value::as_array)
                    .is_some_and(|l| l.iter().all(|r| r.as_str() != Some(reason)))
                || test.get("ne").and_then(Value::as_str) == Some(reason)
        }
        _ => false,
    })
}

/// The most calendar days a duration can take: working days straddle a weekend every 5 (public
/// holidays are not counted); business hours count 8 to the working day.
fn worst_case_days(stages: &[DurationSpec]) -> u64 {
    let (mut clock_minutes, mut business_minutes, mut working_days) = (0u64, 0u64, 0u64);
    for d in stages {
        clock_minutes = clock_minutes
            .saturating_add(u64::from(d.minutes.unwrap_or(0)))
            .saturating_add(u64::from(d.hours.unwrap_or(0)).saturating_mul(60))
            .saturating_add(u64::from(d.days.unwrap_or(0)).saturating_mul(1440));
        business_minutes = business_minutes
            .saturating_add(u64::from(d.business_minutes.unwrap_or(0)))
            .saturating_add(u64::from(d.business_hours.unwrap_or(0)).saturating_mul(60));
        working_days = working_days.saturating_add(u64::from(d.business_days.unwrap_or(0)));
    }
    let working_days = working_days.saturating_add(business_minutes.div_ceil(8 * 60));
    clock_minutes.div_ceil(1440).saturating_add(working_days).saturating_add(working_days.div_ceil(5).saturating_mul(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_case_counts_the_weekends() {
        let wd = |n| DurationSpec { business_days: Some(n), ..DurationSpec::default() };
        assert_eq!(worst_case_days(&[wd(1)]), 3); // Friday evening → Monday evening
        assert_eq!(worst_case_days(&[wd(5)]), 7);
        assert_eq!(worst_case_days(&[wd(6)]), 10);
        assert_eq!(worst_case_days(&[wd(1), wd(3)]), 6); // one weekend for the two stages together
        assert_eq!(worst_case_days(&[DurationSpec { days: Some(3), hours: Some(1), ..DurationSpec::default() }]), 4);
    }

    #[test]
    fn tag_limits_are_read_from_the_condition() {
        let w = serde_json::json!({"any": [{"item.tags": {"contains": "custom"}}, {"item.tags": {"contains": "perishable"}}]});
        assert!(limited_to(&w, &["custom", "perishable"]));
        assert!(!limited_to(&w, &["custom"]));
        let clearance = serde_json::json!({"item.tags": {"contains": "clearance"}});
        assert!(!limited_to(&clearance, &["custom"]));
        let defect_only = serde_json::json!({"all": [{"request.reason": {"eq": "defective"}}]});
        assert!(only_other_reasons(&defect_only, "changed_mind"));
    }
}
