//! The policy's author warned: every place a policy goes below the statutory floor of its
//! jurisdiction ([`crate::statute`]), found when it loads and reported as a
//! `BELOW_STATUTORY_MINIMUM` warning with its path (`validatePolicy`, `PolicyEngine::info`). The
//! policy still loads, and decisions apply the law regardless.

use crate::calendar::DurationSpec;
use crate::conditions::Condition;
use crate::refund::{RefundsSpec, ShippingRule};
use crate::returns::{ReturnsPolicy, ReturnsSpec, RuleSpec};
use crate::sla::SlaSpec;
use crate::statute::{self, Right, NO_REASON};
use crate::vocabulary::{Jurisdiction, Payer, Requirement};
use crate::warranty::WarrantySpec;
use serde::Serialize;

/// The warning a policy below the law gets.
pub const BELOW_STATUTORY_MINIMUM: &str = "BELOW_STATUTORY_MINIMUM";

/// A policy rule below the statutory floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyWarning {
    /// `BELOW_STATUTORY_MINIMUM`.
    pub code: &'static str,
    /// The policy field at fault, e.g. `returns.window.days`; `[i].` first for the i-th of several
    /// versions.
    pub path: String,
    pub message: String,
    /// The statute's citation code (`CN-CRPL-25`).
    pub law: &'static str,
}

fn warning(path: impl Into<String>, law: &'static str, message: String) -> PolicyWarning {
    PolicyWarning { code: BELOW_STATUTORY_MINIMUM, path: path.into(), message, law }
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
    pub refunds: Option<&'a RefundsSpec>,
    pub warranty: Option<&'a WarrantySpec>,
    pub sla: Option<&'a SlaSpec>,
}

/// Every place a policy goes below the statutory floor of its jurisdiction.
pub fn check(doc: Sections<'_>) -> Vec<PolicyWarning> {
    let mut out = Vec::new();
    let Some(floor) = doc.jurisdiction.and_then(statute::floor) else {
        return out;
    };
    if let (Some(returns), Some(compiled)) = (doc.returns, doc.compiled_returns) {
        for right in floor.rights {
            check_right(right, returns, compiled, &mut out);
        }
        if let Some(law) = &floor.refunds_delivery {
            let shipping = doc.refunds.map(|r| r.shipping).unwrap_or_default();
            if shipping != ShippingRule::FullReturn {
                let path = if doc.refunds.is_some() { "refunds.shipping" } else { "refunds" };
                out.push(warning(
                    path,
                    law.law,
                    format!(
                        "a withdrawal refunds the standard delivery ({}), which quotes do whatever this says; \
                         `full_return` says so",
                        law.citation.0
                    ),
                ));
            }
        }
    }
    if let (Some((days, law, text)), Some(sla)) = (floor.refund_days, doc.sla) {
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
    if let (Some(g), Some(warranty)) = (&floor.guarantee, doc.warranty) {
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

fn check_right(right: &Right, returns: &ReturnsSpec, compiled: &ReturnsPolicy, out: &mut Vec<PolicyWarning>) {
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
    if when.only_when_contains("item.tags", right.exempt_tags) || when.only_when_not("request.reason", reason) {
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
        let sealed_ok = *r == Requirement::SealIntact && when.only_when_contains("item.tags", right.sealed_tags);
        if !right.may_require.contains(r) && !sealed_ok {
            out.push(warning(
                format!("{path}.then.require[{j}]"),
                right.law,
                format!("rule `{}` makes a `{reason}` return depend on `{}` ({cite})", rule.id, r.as_str()),
            ));
        }
    }
    if let Some(w) = rule.then.window.as_ref().filter(|w| w.days.0 < right.days) {
        out.push(warning(
            format!("{path}.then.window.days"),
            right.law,
            format!(
                "rule `{}` sets a {}-day window, but the law gives {} ({cite}), which stands",
                rule.id, w.days.0, right.gives.0
            ),
        ));
    }
    if rule.then.restocking_fee.is_some() {
        out.push(warning(
            format!("{path}.then.restocking_fee"),
            right.law,
            format!("rule `{}` charges a restocking fee on a `{reason}` return the law gives free ({cite})", rule.id),
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
