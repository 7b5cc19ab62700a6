//! The policy's author warned, when it loads (`validatePolicy`, `PolicyEngine::info`), each
//! warning with a stable code and the path of the culprit; the policy still loads:
//!
//! - `BELOW_STATUTORY_MINIMUM`: a place the policy goes below the statutory floor of its
//!   jurisdiction ([`crate::statute`]), the refund term counted over the calendar's real holidays
//!   ([`crate::sla::longest_chain`]); decisions apply the law regardless;
//! - `SLA_STAGES_OUT_OF_ORDER`: a plan's stage that some start makes fall due before an earlier
//!   stage counted from the same event (found by starting a case every quarter hour of a week,
//!   [`crate::sla::stages_out_of_order`]);
//! - `PAID_REMEDY_WITHOUT_PRICE`: warranty terms whose paid repair would be quoted from an empty
//!   price list (nothing, ¥0);
//! - `RULE_NEVER_MATCHES`: a return rule or SLA plan whose conditions contradict each other
//!   ([`Condition::never_holds`]);
//! - `RULE_SHADOWED`: a return rule an earlier one with the same `then` and no `when` or the same
//!   `when` makes useless;
//! - `UNUSED_DEFINITION`: an SLA plan no case reaches, a warranty term no claim reaches, a
//!   calendar nothing counts on.

use crate::calendar::{CalendarsSpec, DurationSpec};
use crate::conditions::Condition;
use crate::env::Env;
use crate::messages::lint::{Listed, Says};
#[cfg(feature = "refunds")]
use crate::refund::{RefundsSpec, ShippingRule};
use crate::returns::{ReturnsPolicy, ReturnsSpec, RuleSpec};
use crate::sla::{SlaPolicy, SlaSpec};
use crate::statute::{self, Right, NO_REASON};
use crate::vocabulary::{Jurisdiction, Locale, Payer, Requirement};
#[cfg(feature = "warranty")]
use crate::warranty::{WarrantyPolicy, WarrantySpec};
use serde::Serialize;

/// The warning a policy below the law gets.
pub const BELOW_STATUTORY_MINIMUM: &str = "BELOW_STATUTORY_MINIMUM";
/// An SLA plan's stage that can fall due before an earlier one.
pub const SLA_STAGES_OUT_OF_ORDER: &str = "SLA_STAGES_OUT_OF_ORDER";
/// A paid repair with nothing in the price list.
pub const PAID_REMEDY_WITHOUT_PRICE: &str = "PAID_REMEDY_WITHOUT_PRICE";
/// A return rule, SLA plan or warranty term whose conditions contradict each other.
pub const RULE_NEVER_MATCHES: &str = "RULE_NEVER_MATCHES";
/// A return rule that does what an earlier one already does whenever it matches.
pub const RULE_SHADOWED: &str = "RULE_SHADOWED";
/// A calendar nothing counts on, an SLA plan no case reaches, a warranty term no claim reaches.
pub const UNUSED_DEFINITION: &str = "UNUSED_DEFINITION";

/// Every warning code, in the order [`check`] looks.
pub const CODES: &[&str] = &[
    BELOW_STATUTORY_MINIMUM,
    SLA_STAGES_OUT_OF_ORDER,
    PAID_REMEDY_WITHOUT_PRICE,
    RULE_NEVER_MATCHES,
    RULE_SHADOWED,
    UNUSED_DEFINITION,
];

/// What a careful reviewer would say of a policy: below the law, or likely not what its author
/// meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyWarning {
    /// `BELOW_STATUTORY_MINIMUM`, `SLA_STAGES_OUT_OF_ORDER`, `PAID_REMEDY_WITHOUT_PRICE`,
    /// `RULE_NEVER_MATCHES`, `RULE_SHADOWED`, `UNUSED_DEFINITION`.
    pub code: &'static str,
    /// The policy field at fault, e.g. `returns.window.days`; `[i].` first for the i-th of several
    /// versions.
    pub path: String,
    /// In English, or in the locale the validation was asked for (`validatePolicy(policy, {locale:
    /// "zh-CN"})`, `aftersales validate --locale zh-CN`).
    pub message: String,
    /// The statute's citation code (`CN-CRPL-25`); empty for a warning that is not about the law.
    pub law: &'static str,
    /// What the message says, to put in words in another locale.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub says: Says,
}

impl PolicyWarning {
    /// The same warning with its message in `locale`.
    pub fn in_locale(mut self, locale: Locale) -> PolicyWarning {
        self.message = self.says.render(locale);
        self
    }
}

fn warning(path: impl Into<String>, law: &'static str, says: Says) -> PolicyWarning {
    PolicyWarning { code: BELOW_STATUTORY_MINIMUM, path: path.into(), message: says.render(Locale::En), law, says }
}

/// A warning that is not about the law.
fn note(code: &'static str, path: impl Into<String>, says: Says) -> PolicyWarning {
    PolicyWarning { code, path: path.into(), message: says.render(Locale::En), law: "", says }
}

// ---------------------------------------------------------------------------------------------
// Checking a policy

/// The sections of a policy as written, for [`check`].
#[derive(Debug, Clone, Copy)]
pub struct Sections<'a> {
    pub jurisdiction: Option<Jurisdiction>,
    pub returns: Option<&'a ReturnsSpec>,
    /// The `returns` section compiled: its rules' conditions are read compiled, not as JSON.
    pub compiled_returns: Option<&'a ReturnsPolicy>,
    #[cfg(feature = "refunds")]
    pub refunds: Option<&'a RefundsSpec>,
    #[cfg(feature = "warranty")]
    pub warranty: Option<&'a WarrantySpec>,
    pub sla: Option<&'a SlaSpec>,
    /// The `sla` section compiled: its due times are computed by the SLA code itself.
    pub compiled_sla: Option<&'a SlaPolicy>,
    /// The `warranty` section compiled: its terms' conditions are read compiled.
    #[cfg(feature = "warranty")]
    pub compiled_warranty: Option<&'a WarrantyPolicy>,
    pub calendars: &'a CalendarsSpec,
    pub env: &'a Env,
}

/// Every warning of a policy: the statutory floor first, then the codes of [`CODES`] in order.
pub fn check(doc: Sections<'_>) -> Vec<PolicyWarning> {
    let mut out = check_floor(doc);
    if let Some(sla) = doc.compiled_sla {
        stages_out_of_order(doc.env, sla, &mut out);
    }
    #[cfg(feature = "warranty")]
    if let Some(w) = doc.warranty {
        paid_remedy_without_price(w, &mut out);
    }
    if let (Some(returns), Some(compiled)) = (doc.returns, doc.compiled_returns) {
        return_rules(returns, compiled, &mut out);
    }
    if let (Some(spec), Some(sla)) = (doc.sla, doc.compiled_sla) {
        let items = spec.plans.iter().map(|p| p.id.as_str()).zip(sla.plan_conditions()).collect();
        unreachable(&FirstMatch { kind: Listed::Plan, list: "sla.plans", items }, &mut out);
    }
    #[cfg(feature = "warranty")]
    if let (Some(spec), Some(w)) = (doc.warranty, doc.compiled_warranty) {
        let items = spec.terms.iter().map(|t| t.id.as_str()).zip(w.term_conditions()).collect();
        unreachable(&FirstMatch { kind: Listed::Term, list: "warranty.terms", items }, &mut out);
    }
    unused_calendars(doc, &mut out);
    out
}

/// `RULE_NEVER_MATCHES` and `RULE_SHADOWED` for the return rules: a rule shadowed is one whose
/// `then` an earlier rule repeats with no `when` or the same `when` (rules add up, so it adds
/// nothing; a rule that extends the window is never shadowed, extensions add up too).
fn return_rules(returns: &ReturnsSpec, compiled: &ReturnsPolicy, out: &mut Vec<PolicyWarning>) {
    let whens: Vec<&Condition> = compiled.rule_conditions().collect();
    for (j, (rule, when)) in returns.rules.iter().zip(&whens).enumerate() {
        if when.never_holds() {
            out.push(note(
                RULE_NEVER_MATCHES,
                format!("returns.rules[{j}].when"),
                Says::RuleNeverMatches { rule: rule.id.clone() },
            ));
            continue;
        }
        if rule.then.extend_window.is_some() {
            continue;
        }
        let earlier = returns
            .rules
            .iter()
            .zip(&whens)
            .take(j)
            .enumerate()
            .find(|(_, (r, w))| r.then == rule.then && (***w == Condition::always() || **w == *when));
        if let Some((i, (r, _))) = earlier {
            out.push(note(
                RULE_SHADOWED,
                format!("returns.rules[{j}]"),
                Says::RuleShadowed { rule: rule.id.clone(), earlier: r.id.clone(), at: i },
            ));
        }
    }
}

/// A list where the first item whose `when` holds applies: SLA plans (to cases), warranty terms
/// (to claims).
struct FirstMatch<'a> {
    /// Plans (`sla.plans`) or terms (`warranty.terms`).
    kind: Listed,
    list: &'static str,
    items: Vec<(&'a str, &'a Condition)>,
}

/// `RULE_NEVER_MATCHES` for an item whose `when` contradicts itself, `UNUSED_DEFINITION` for one
/// after an item that always holds (no `when`) or has the same `when`: no case reaches it.
fn unreachable(l: &FirstMatch<'_>, out: &mut Vec<PolicyWarning>) {
    let (kind, list) = (l.kind, l.list);
    let unreached = |id: &str, first: &str, at: usize, same_when: bool| Says::Unreached {
        kind,
        id: id.to_string(),
        first: first.to_string(),
        list,
        at,
        same_when,
    };
    for (j, (id, when)) in l.items.iter().enumerate() {
        let before = l.items.iter().take(j).enumerate();
        if let Some((i, (first, _))) = before.clone().find(|(_, (_, w))| **w == Condition::always()) {
            out.push(note(UNUSED_DEFINITION, format!("{list}[{j}]"), unreached(id, first, i, false)));
        } else if when.never_holds() {
            out.push(note(
                RULE_NEVER_MATCHES,
                format!("{list}[{j}].when"),
                Says::NeverApplies { kind, id: (*id).to_string() },
            ));
        } else if let Some((i, (first, _))) = before.clone().find(|(_, (_, w))| *w == *when) {
            out.push(note(UNUSED_DEFINITION, format!("{list}[{j}]"), unreached(id, first, i, true)));
        }
    }
}

/// `UNUSED_DEFINITION` for a calendar no SLA target, the SLA section or the repair turnaround
/// counts on (a calendar request may still name it).
fn unused_calendars(doc: Sections<'_>, out: &mut Vec<PolicyWarning>) {
    let mut used: Vec<&str> = Vec::new();
    if let Some(sla) = doc.sla {
        used.extend(sla.calendar.as_deref());
        used.extend(sla.plans.iter().flat_map(|p| p.targets.iter().filter_map(|t| t.calendar.as_deref())));
    }
    #[cfg(feature = "warranty")]
    if let Some(t) = doc.warranty.and_then(|w| w.repair_turnaround.as_ref()) {
        used.extend(t.calendar.as_deref());
    }
    for name in doc.calendars.keys().filter(|n| !used.contains(&n.as_str())) {
        out.push(note(
            UNUSED_DEFINITION,
            crate::error::join_path("calendars", name),
            Says::CalendarUnused { name: crate::time::truncate(name, 64).to_string() },
        ));
    }
}

/// `SLA_STAGES_OUT_OF_ORDER`, under the later stage's target.
fn stages_out_of_order(env: &Env, sla: &SlaPolicy, out: &mut Vec<PolicyWarning>) {
    for o in crate::sla::stages_out_of_order(env, sla) {
        out.push(note(
            SLA_STAGES_OUT_OF_ORDER,
            format!("sla.plans[{}].targets[{}]", o.plan, o.later),
            Says::StagesOutOfOrder {
                start: o.start,
                start_day: o.start_day,
                earlier_stage: o.earlier_stage,
                earlier_due: o.earlier_due,
                later_stage: o.later_stage,
                later_due: o.later_due,
            },
        ));
    }
}

#[cfg(feature = "warranty")]
/// `PAID_REMEDY_WITHOUT_PRICE`: terms that leave a repair paid (a claim outside them is repaired
/// at the customer's cost) with no labour rate, diagnostic fee or part in the price list.
fn paid_remedy_without_price(w: &WarrantySpec, out: &mut Vec<PolicyWarning>) {
    let p = &w.price_list;
    if !w.terms.is_empty() && p.labour_per_hour.0 == 0 && p.diagnostic_fee.0 == 0 && p.parts.is_empty() {
        out.push(note(PAID_REMEDY_WITHOUT_PRICE, "warranty.price_list", Says::PaidRemedyWithoutPrice));
    }
}

/// Every place a policy goes below the statutory floor of its jurisdiction.
fn check_floor(doc: Sections<'_>) -> Vec<PolicyWarning> {
    let mut out = Vec::new();
    let Some(floor) = doc.jurisdiction.and_then(statute::floor) else {
        return out;
    };
    if let (Some(returns), Some(compiled)) = (doc.returns, doc.compiled_returns) {
        for right in floor.rights {
            check_right(right, returns, compiled, &mut out);
        }
        #[cfg(feature = "refunds")]
        if let Some(law) = &floor.refunds_delivery {
            let shipping = doc.refunds.map(|r| r.shipping).unwrap_or_default();
            if shipping != ShippingRule::FullReturn {
                let path = if doc.refunds.is_some() { "refunds.shipping" } else { "refunds" };
                out.push(warning(path, law.law, Says::WithdrawalRefundsDelivery { cite: law.citation }));
            }
        }
    }
    if let Some(limit) = floor.refund_days {
        refund_days(doc, limit, &mut out);
    }
    #[cfg(feature = "warranty")]
    if let (Some(g), Some(warranty)) = (&floor.guarantee, doc.warranty) {
        for (i, term) in warranty.terms.iter().enumerate() {
            let term_months = term.period.months.unwrap_or(0).saturating_add(term.period.days.unwrap_or(0) / 30);
            if term_months < g.months {
                out.push(warning(
                    format!("warranty.terms[{i}].period"),
                    g.law,
                    Says::TermShorterThanGuarantee { term_months, months: g.months, cite: g.citation },
                ));
            }
        }
    }
    // A rule below two rights (a refusal of every reason) is reported once, under the first.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|w| seen.insert(w.path.clone()));
    out
}

/// The refund stages of each plan (`refund_review`, then `refund_payout` from the approval) run
/// one after the other over the calendar's real holidays ([`crate::sla::longest_chain`]), against
/// the statutory refund days; the weekend estimate when that cannot be computed.
fn refund_days(doc: Sections<'_>, limit: statute::RefundDays, out: &mut Vec<PolicyWarning>) {
    let (days, law, cite) = limit;
    let Some(sla) = doc.sla else { return };
    for (i, plan) in sla.plans.iter().enumerate() {
        let idx: Vec<usize> = (0..plan.targets.len())
            .filter(|j| plan.targets.get(*j).is_some_and(|t| t.stage == "refund_review" || t.stage == "refund_payout"))
            .collect();
        let Some(&j) = idx.last() else { continue };
        let path = format!("sla.plans[{i}].targets[{j}].within");
        match doc.compiled_sla.and_then(|c| crate::sla::longest_chain(doc.env, c, i, &idx)) {
            Some(c) if u64::try_from(c.days).unwrap_or(0) > days => out.push(warning(
                path,
                law,
                Says::RefundTermOverHolidays { days: c.days, start: c.start, end: c.end, limit: days, cite },
            )),
            Some(_) => {}
            None => {
                let stages: Vec<DurationSpec> =
                    idx.iter().filter_map(|j| plan.targets.get(*j)).map(|t| t.within).collect();
                let worst = worst_case_days(&stages);
                if worst > days {
                    out.push(warning(path, law, Says::RefundTermAtWorst { days: worst, limit: days, cite }));
                }
            }
        }
    }
}

fn check_right(right: &Right, returns: &ReturnsSpec, compiled: &ReturnsPolicy, out: &mut Vec<PolicyWarning>) {
    let (law, cite, gives) = (right.law, right.citation, right.gives);
    for reason in right.reasons {
        let Some(spec) = returns.reasons.get(*reason) else {
            // The quality right concerns reasons a policy may name otherwise; only the no-reason right must exist.
            if *reason == NO_REASON {
                out.push(warning("returns.reasons", law, Says::NoReasonMissing { reason: NO_REASON, gives, cite }));
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
                Says::WindowShorter { days: window.days.0, gives, cite },
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
                    Says::RequirementNotAllowed { reason: (*reason).to_string(), requirement: r.as_str(), cite },
                ));
            }
        }
        if spec.restocking_fee.is_some() {
            out.push(warning(format!("{base}.restocking_fee"), law, Says::RestockingFee { gives, cite }));
        }
        let payer = spec.return_shipping.or(returns.return_shipping).unwrap_or(Payer::Customer);
        if right.merchant_pays_shipping && payer == Payer::Customer {
            let path = if spec.return_shipping.is_some() { format!("{base}.return_shipping") } else { base.clone() };
            out.push(warning(path, law, Says::SellerPaysTransport { reason: (*reason).to_string(), cite }));
        }
        for (i, (rule, when)) in returns.rules.iter().zip(compiled.rule_conditions()).enumerate() {
            check_rule(right, reason, rule, when, &format!("returns.rules[{i}]"), out);
        }
    }
}

fn check_rule(
    right: &Right,
    reason: &str,
    rule: &RuleSpec,
    when: &Condition,
    path: &str,
    out: &mut Vec<PolicyWarning>,
) {
    // Exempt goods, other reasons, and requests made after the right's days from delivery are
    // outside the right.
    let days = i64::try_from(right.days).unwrap_or(i64::MAX);
    let outside =
        |c: &Condition| c.is_contains("item.tags", right.exempt_tags) || c.is_above("order.days_since_delivery", days);
    if when.only_when(&outside) || when.only_when_not("request.reason", reason) {
        return;
    }
    let (cite, gives) = (right.citation, right.gives);
    let (id, why) = (|| rule.id.clone(), || reason.to_string());
    if rule.then.deny {
        out.push(warning(format!("{path}.then.deny"), right.law, Says::RuleDenies { rule: id(), gives, cite }));
    }
    if let Some(j) = rule.then.deny_reasons.iter().position(|r| r == reason) {
        out.push(warning(
            format!("{path}.then.deny_reasons[{j}]"),
            right.law,
            Says::RuleDeniesReason { rule: id(), reason: why(), exempt: right.exempt_tags, cite },
        ));
    }
    for (j, r) in rule.then.require.iter().enumerate() {
        let sealed_ok = *r == Requirement::SealIntact && when.only_when_contains("item.tags", right.sealed_tags);
        if !right.may_require.contains(r) && !sealed_ok {
            out.push(warning(
                format!("{path}.then.require[{j}]"),
                right.law,
                Says::RuleRequires { rule: id(), reason: why(), requirement: r.as_str(), cite },
            ));
        }
    }
    if let Some(w) = rule.then.window.as_ref().filter(|w| w.days.0 < right.days) {
        out.push(warning(
            format!("{path}.then.window.days"),
            right.law,
            Says::RuleWindowShorter { rule: id(), days: w.days.0, gives, cite },
        ));
    }
    if rule.then.restocking_fee.is_some() {
        out.push(warning(
            format!("{path}.then.restocking_fee"),
            right.law,
            Says::RuleRestockingFee { rule: id(), reason: why(), cite },
        ));
    }
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
    fn tag_and_reason_limits_are_read_from_the_compiled_condition() {
        let compile = |w: serde_json::Value| crate::conditions::compile(&w, "when", crate::returns::FACTS).unwrap();
        let w = compile(
            serde_json::json!({"any": [{"item.tags": {"contains": "custom"}}, {"item.tags": {"contains": "perishable"}}]}),
        );
        assert!(w.only_when_contains("item.tags", &["custom", "perishable"]));
        assert!(!w.only_when_contains("item.tags", &["custom"]));
        let clearance = compile(serde_json::json!({"item.tags": {"contains": "clearance"}}));
        assert!(!clearance.only_when_contains("item.tags", &["custom"]));
        let defect_only = compile(serde_json::json!({"all": [{"request.reason": {"eq": "defective"}}]}));
        assert!(defect_only.only_when_not("request.reason", "changed_mind"));
        assert!(!defect_only.only_when_not("request.reason", "defective"));
        let not_mind = compile(serde_json::json!({"request.reason": {"ne": "changed_mind"}}));
        assert!(not_mind.only_when_not("request.reason", "changed_mind"));
        let others = compile(serde_json::json!({"request.reason": {"in": ["defective", "wrong_item"]}}));
        assert!(others.only_when_not("request.reason", "changed_mind"));
        assert!(!compile(serde_json::json!({"not": {"item.tags": {"contains": "custom"}}}))
            .only_when_contains("item.tags", &["custom"]));
    }
}
