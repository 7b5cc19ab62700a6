//! Warranty checks: when a product fails, what the merchant owes: a return, a replacement or a
//! repair, free or paid, and, for a paid repair, the quote the customer must confirm.
//!
//! Decided here, in this order, one function a step ([`check`] runs them; the words of every
//! reason and quote line are in [`crate::messages::warranty`]):
//! 1. `read_claim`: the claim's texts and dates: the product's texts, the symptoms (at most 4000
//!    characters), each date, the fault neither after `now` nor before the purchase, the earlier
//!    repairs' dates;
//! 2. `find_term`: the warranty terms: the first of the policy's `terms` whose `when` holds for the
//!    product (category, SKU, brand, model, fault kind, member tier);
//! 3. `warranty_period`: when the warranty runs: from the purchase, delivery or invoice date (the
//!    term's `from`); with no proof of purchase, from the manufacture date when the term allows it
//!    (else no free remedy: a paid repair); for `period` months (a month after 31 January ends on
//!    the last day of February), plus the days the product spent in repair (三包: repair time
//!    extends the warranty), ending at 23:59:59 local time; an extended warranty bought with the
//!    order adds its own months;
//! 4. `paid_because`: what turns a free repair into a paid one (never a silent refusal): the end
//!    of the warranty, a fault the term does not cover, or an excluded external factor (dropped,
//!    water, physical damage, unauthorised repair, misuse); the answer names which;
//! 5. `free_remedies`: otherwise, the remedies for a covered fault inside the warranty: the tier
//!    the fault date falls in (三包: within 7 days return, replace or repair; within 15 days
//!    replace or repair), else free repair; `failed_repairs_limit` failed repairs of the same
//!    fault → replace or return; a repair that took longer than `repair_overrun_days` → replace;
//!    then `unrepairable`: a product that cannot be repaired gets the term's `unrepairable`
//!    remedies instead of the repair;
//! 6. `paid_repair`: with no free remedy, a repair at the customer's cost and its quote
//!    (`repair_quote`) from the price list (parts by code, labour by the hour, other costs, a
//!    diagnostic fee waived when the repair goes ahead), exact to the minor unit, to be confirmed
//!    by the customer (nothing when the product cannot be repaired); then `apply_shares`: a term
//!    paying only a share (`coverage` × the `pro_rata` step of the product's age) splits each quote
//!    line into `covered` and `payable` (the customer's share rounded, the two adding up to the
//!    cost) and prices each remedy;
//! 7. `apply_legal_guarantee`: the law as a floor: inside the legal guarantee of the policy's
//!    jurisdiction ([`crate::statute`]), a defect is repaired or replaced free of charge whatever
//!    the terms say (replaced or refunded when it cannot be repaired); or, instead,
//!    `no_fault_found`: no remedy and the diagnostic fee;
//! 8. `turnarounds`: each remedy's due date on the policy's calendar, by the first `turnaround`
//!    rule for its fault and difficulty, a repair else by `repair_turnaround`.

use crate::calendar::{self, add_duration, parse_date, Calendar, DataGaps, DurationSpec};
use crate::conditions::{self, Condition, FactValue, Facts};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, Text, TraceEntry};
use crate::facts::{Declared, Values, WithDeclared};
use crate::messages::format_money;
use crate::messages::warranty::Says;
use crate::money::{self, Decimal, Minor, Percent, Rounding};
use crate::problems::Problems;
use crate::time::{end_of_local_day, format_instant, Timestamp};
use crate::vocabulary::{ExternalFactor, Locale, RemedyKind};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most terms a policy may hold, and parts a repair may propose.
pub const MAX_TERMS: usize = 200;
pub const MAX_PARTS: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WarrantySpec {
    pub terms: Vec<TermSpec>,
    #[serde(default)]
    pub price_list: PriceList,
    #[serde(default)]
    pub rounding: Rounding,
    /// The promised completion of a repair: `{"within": {"business_days": 5}, "calendar": "support"}`.
    #[serde(default)]
    pub repair_turnaround: Option<Turnaround>,
    /// Turnaround by fault and difficulty: the first rule whose `when` holds and whose `remedies`
    /// name the remedy gives its due date (`[{"when": {"claim.difficulty": {"eq": "hard"}},
    /// "remedies": ["repair"], "within": {"business_days": 10}, "calendar": "support"}]`); a
    /// repair no rule times falls back to `repair_turnaround`.
    #[serde(default)]
    pub turnaround: Vec<TurnaroundRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TurnaroundRule {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WarrantyCondition>"))]
    pub when: Option<serde_json::Value>,
    /// The remedies the rule times (default: all three).
    #[serde(default)]
    pub remedies: Option<Vec<RemedyKind>>,
    pub within: DurationSpec,
    /// The calendar the duration is counted on (default `clock`).
    #[serde(default)]
    pub calendar: Option<String>,
}

/// The share of each kind of cost a term pays, in percent (each 0 to 100, default 100).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    #[serde(default)]
    pub parts: Option<Percent>,
    #[serde(default)]
    pub labour: Option<Percent>,
    /// Other costs of a repair (`proposed_repair.other`: transport, a visit).
    #[serde(default)]
    pub other: Option<Percent>,
}

/// One step of a pro-rata term: a fault before the product is `until_month` whole months old
/// (counted from the warranty's start) is covered at `percent`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProRataStep {
    pub until_month: u32,
    pub percent: Percent,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Turnaround {
    pub within: DurationSpec,
    #[serde(default)]
    pub calendar: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceList {
    #[serde(default)]
    pub labour_per_hour: Minor,
    /// Charged for looking at a product outside the free warranty; waived if the repair goes ahead.
    #[serde(default)]
    pub diagnostic_fee: Minor,
    #[serde(default)]
    pub parts: BTreeMap<String, Minor>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TermSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WarrantyCondition>"))]
    pub when: Option<serde_json::Value>,
    pub period: Period,
    /// What the period counts from: `purchase` (default), `delivery`, `invoice`.
    #[serde(default)]
    pub from: Option<WarrantyStart>,
    /// Fault kinds covered (default: manufacturing_defect, performance_fault).
    #[serde(default)]
    pub covers: Option<Vec<String>>,
    /// External factors that make a repair paid (default: all five).
    #[serde(default)]
    pub exclusions: Option<Vec<ExternalFactor>>,
    /// The 三包 tiers: `[{"within_days": 7, "remedies": ["return", "replace", "repair"]}, …]`.
    #[serde(default)]
    pub tiers: Vec<TierSpec>,
    /// After this many failed repairs of the same fault inside the warranty: replace or return.
    #[serde(default)]
    pub failed_repairs_limit: Option<u32>,
    /// A repair that took longer than this many days entitles a replacement.
    #[serde(default)]
    pub repair_overrun_days: Option<u32>,
    /// Days in repair extend the warranty (三包; default true).
    #[serde(default)]
    pub extend_by_repair_days: Option<bool>,
    /// Without proof of purchase: count from the manufacture date (`manufacture_date`), or refuse (`none`, default).
    #[serde(default)]
    pub without_proof: Option<WithoutProof>,
    /// The share of parts, labour and other costs the term pays (default 100 % each):
    /// `{"parts": 100, "labour": 0}`.
    #[serde(default)]
    pub coverage: Option<Coverage>,
    /// A share falling with the product's age, multiplied into `coverage`: steps of increasing
    /// `until_month`, `[{"until_month": 12, "percent": 100}, {"until_month": 36, "percent": 50}]`;
    /// a fault past the last step is covered at 0 %.
    #[serde(default)]
    pub pro_rata: Vec<ProRataStep>,
    /// What a covered product that cannot be repaired (`repairable: false`) is owed instead
    /// (default `["replace"]`; `return` refunds it).
    #[serde(default)]
    pub unrepairable: Option<Vec<RemedyKind>>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(default)]
    pub months: Option<u32>,
    #[serde(default)]
    pub days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarrantyStart {
    Purchase,
    Delivery,
    Invoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WithoutProof {
    ManufactureDate,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    pub within_days: u32,
    pub remedies: Vec<RemedyKind>,
}

#[derive(Debug, Clone)]
struct Term {
    /// The term's id, shared by the trace and the messages that name it.
    id: Arc<str>,
    spec: TermSpec,
    when: Condition,
}

/// The compiled `warranty` section.
#[derive(Debug, Clone)]
pub struct WarrantyPolicy {
    terms: Vec<Term>,
    price_list: PriceList,
    rounding: Rounding,
    turnaround: Option<(calendar::Amount, String)>,
    rules: Vec<Rule>,
    /// The policy's declared facts, and those of them the terms and turnaround rules test.
    declared: Arc<Declared>,
    tested: Vec<Arc<str>>,
}

/// A compiled turnaround rule.
#[derive(Debug, Clone)]
struct Rule {
    when: Condition,
    remedies: Option<Vec<RemedyKind>>,
    within: calendar::Amount,
    calendar: String,
}

impl WarrantyPolicy {
    /// The terms' compiled `when`s, in document order (for the policy lint).
    pub fn term_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.terms.iter().map(|t| &t.when)
    }
}

pub use crate::builtin_facts::WARRANTY as FACTS;

/// Compiles the `warranty` section, noting every refusal in `problems` (each term, each field)
/// and going on; the section is `None` when there was any.
pub fn compile(
    spec: &WarrantySpec,
    env: &Env,
    declared: &Arc<Declared>,
    path: &str,
    problems: &mut Problems,
) -> Option<WarrantyPolicy> {
    let terms = compile_terms(&spec.terms, declared, path, problems);
    let prices = check_prices(&spec.price_list, path, problems);
    let turnaround = compile_turnaround(spec.repair_turnaround.as_ref(), env, path, problems);
    let rules = compile_rules(&spec.turnaround, env, declared, path, problems);
    let (terms, (), turnaround, rules) = (terms?, prices?, turnaround?, rules?);
    let tested = crate::facts::tested(declared, terms.iter().map(|t| &t.when).chain(rules.iter().map(|r| &r.when)));
    Some(WarrantyPolicy {
        terms,
        price_list: spec.price_list.clone(),
        rounding: spec.rounding,
        turnaround,
        rules,
        declared: declared.clone(),
        tested,
    })
}

/// The terms, each checked (none of them past [`MAX_TERMS`]).
fn compile_terms(terms: &[TermSpec], declared: &Declared, path: &str, problems: &mut Problems) -> Option<Vec<Term>> {
    if terms.len() > MAX_TERMS {
        problems.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.terms"),
            format!("more than {MAX_TERMS} terms"),
        ));
        return None;
    }
    let compiled: Vec<Option<Term>> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| compile_term(t, declared, &format!("{path}.terms[{i}]"), problems))
        .collect();
    compiled.into_iter().collect()
}

/// One term: its id, its period and its `when`, each refusal noted.
fn compile_term(t: &TermSpec, declared: &Declared, tp: &str, problems: &mut Problems) -> Option<Term> {
    let id = problems.check(crate::order::check_text(&t.id, &format!("{tp}.id")));
    let period = if t.period.months.is_some() == t.period.days.is_some() {
        problems.push(PolicyError::invalid(format!("{tp}.period"), "a period is {\"months\": N} or {\"days\": N}"));
        None
    } else {
        Some(())
    };
    let when = match &t.when {
        Some(w) => problems.check(conditions::compile_declared(w, &format!("{tp}.when"), FACTS, declared.facts())),
        None => Some(Condition::always()),
    };
    let steps = check_pro_rata(&t.pro_rata, &format!("{tp}.pro_rata"), problems);
    if t.unrepairable.as_ref().is_some_and(|u| u.contains(&RemedyKind::Repair)) {
        problems.push(PolicyError::invalid(
            format!("{tp}.unrepairable"),
            "a product that cannot be repaired is owed `replace` or `return`, not `repair`",
        ));
        return None;
    }
    let ((), (), when, ()) = (id?, period?, when?, steps?);
    Some(Term { id: t.id.as_str().into(), spec: t.clone(), when })
}

/// The price list's parts: each code a text, each price not negative (a refused code's price is
/// not looked at: its path would name the code).
fn check_prices(list: &PriceList, path: &str, problems: &mut Problems) -> Option<()> {
    let mut ok = true;
    for (code, price) in &list.parts {
        if problems.check(crate::order::check_text(code, &format!("{path}.price_list.parts"))).is_none() {
            ok = false;
        } else if price.0 < 0 {
            problems.push(PolicyError::invalid(format!("{path}.price_list.parts.{code}"), "a price is not negative"));
            ok = false;
        }
    }
    ok.then_some(())
}

/// A pro-rata term's steps: `until_month` above 0 and increasing.
fn check_pro_rata(steps: &[ProRataStep], path: &str, problems: &mut Problems) -> Option<()> {
    let mut ok = true;
    let mut last = 0;
    for (i, step) in steps.iter().enumerate() {
        if step.until_month <= last {
            problems.push(PolicyError::invalid(
                format!("{path}[{i}].until_month"),
                format!("steps are in increasing months: {} is not after {last}", step.until_month),
            ));
            ok = false;
        }
        last = last.max(step.until_month);
    }
    ok.then_some(())
}

/// The turnaround rules, each checked: its condition, duration and calendar.
fn compile_rules(
    rules: &[TurnaroundRule],
    env: &Env,
    declared: &Declared,
    path: &str,
    problems: &mut Problems,
) -> Option<Vec<Rule>> {
    if rules.len() > MAX_TERMS {
        problems.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.turnaround"),
            format!("more than {MAX_TERMS} rules"),
        ));
        return None;
    }
    let mut compiled = Vec::with_capacity(rules.len());
    for (i, r) in rules.iter().enumerate() {
        let rp = format!("{path}.turnaround[{i}]");
        let when = match &r.when {
            Some(w) => problems.check(conditions::compile_declared(w, &format!("{rp}.when"), FACTS, declared.facts())),
            None => Some(Condition::always()),
        };
        let within = problems.check(r.within.amount(&format!("{rp}.within")));
        let name = r.calendar.clone().unwrap_or_else(|| "clock".into());
        let known = name == "clock" || env.calendars.get(&name).is_some();
        if !known {
            problems.push(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("{rp}.calendar"),
                format!("no calendar `{}`", crate::time::truncate(&name, 64)),
            ));
        }
        compiled.push(match (when, within, known) {
            (Some(when), Some(within), true) => {
                Some(Rule { when, remedies: r.remedies.clone(), within, calendar: name })
            }
            _ => None,
        });
    }
    compiled.into_iter().collect()
}

/// The promised completion of a repair: its duration and the calendar it is counted on.
fn compile_turnaround(
    turnaround: Option<&Turnaround>,
    env: &Env,
    path: &str,
    problems: &mut Problems,
) -> Option<Option<(calendar::Amount, String)>> {
    let Some(t) = turnaround else {
        return Some(None);
    };
    let amount = problems.check(t.within.amount(&format!("{path}.repair_turnaround.within")));
    let name = t.calendar.clone().unwrap_or_else(|| "clock".into());
    if name != "clock" && env.calendars.get(&name).is_none() {
        problems.push(PolicyError::new(
            ErrorCode::UnknownReference,
            format!("{path}.repair_turnaround.calendar"),
            format!("no calendar `{}`", crate::time::truncate(&name, 64)),
        ));
        return None;
    }
    Some(Some((amount?, name)))
}

// ---------------------------------------------------------------------------------------------

/// A warranty claim: the product, its dates, the fault and the repairs so far.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// "Now": the engine never reads a clock.
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
    #[serde(default)]
    pub customer: Option<ClaimCustomer>,
    pub product: Product,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Date>"))]
    pub purchase_date: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Date>"))]
    pub delivery_date: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Date>"))]
    pub invoice_date: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Date>"))]
    pub manufacture_date: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    pub fault_date: String,
    /// What failed, as a code, for counting repeated failures (`screen_flicker`).
    #[serde(default)]
    pub fault: Option<String>,
    /// `manufacturing_defect` (default), `performance_fault`, `wear`, `cosmetic`, …
    #[serde(default)]
    pub fault_kind: Option<String>,
    #[serde(default)]
    pub symptoms: Option<String>,
    #[serde(default)]
    pub proof_of_purchase: bool,
    #[serde(default)]
    pub external_factors: Vec<ExternalFactor>,
    #[serde(default)]
    pub repairs: Vec<EarlierRepair>,
    /// An extended warranty bought with the order: its months are added.
    #[serde(default)]
    pub extended_warranty_months: Option<u32>,
    #[serde(default)]
    pub proposed_repair: Option<ProposedRepair>,
    /// Values of the facts the policy declares, for its terms' and turnaround rules' `when`:
    /// `{"customer.credit_score": 720}`.
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// What the technician found: `fault` (default) or `no_fault_found` (the policy's
    /// `diagnostic_fee` is charged and no remedy is owed).
    #[serde(default)]
    pub diagnosis: Diagnosis,
    /// `false`: the product cannot be repaired; inside the warranty it moves to the term's
    /// `unrepairable` remedies (or the law's).
    #[serde(default)]
    pub repairable: Option<bool>,
    /// The repair's difficulty, for the turnaround rules (`claim.difficulty`).
    #[serde(default)]
    pub difficulty: Option<String>,
    /// The fingerprint of the policy the caller decided under; a different one is refused with
    /// `POLICY_MISMATCH`.
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimCustomer {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Product {
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    /// What the customer paid for the product: prices a pro-rata replacement or refund.
    #[serde(default)]
    pub price: Option<Minor>,
}

/// What the technician found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Diagnosis {
    #[default]
    Fault,
    NoFaultFound,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EarlierRepair {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    pub date: String,
    #[serde(default)]
    pub fault: Option<String>,
    #[serde(default)]
    pub days_in_repair: u32,
    /// Whether the repair cured the fault.
    #[serde(default)]
    pub fixed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposedRepair {
    #[serde(default)]
    pub parts: Vec<String>,
    /// Hours of labour, an exact decimal (`1.5`).
    #[serde(default, deserialize_with = "crate::money::optional_number")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Number>"))]
    pub labour_hours: Option<serde_json::Number>,
    /// Other costs of the repair (transport, a visit), in minor units.
    #[serde(default)]
    pub other: Option<Minor>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Remedy {
    pub remedy: RemedyKind,
    pub free: bool,
    /// What the customer pays for this remedy (0 when free; a repair's quote `total`; the
    /// uncovered share of `product.price` for a pro-rata replacement); null when not known.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::money::Minor>"))]
    pub price: Option<i64>,
    /// For a return: what is refunded (the covered share of `product.price`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::money::Minor>"))]
    pub refund: Option<i64>,
    /// When the remedy is due, by the turnaround rules (a repair also by `repair_turnaround`).
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub due_by: Option<String>,
}

impl Remedy {
    /// A remedy at no cost to the customer.
    fn free(remedy: RemedyKind) -> Remedy {
        Remedy { remedy, free: true, price: Some(0), refund: None, due_by: None }
    }

    /// A remedy at the customer's cost, its price not yet known.
    fn paid(remedy: RemedyKind) -> Remedy {
        Remedy { remedy, free: false, price: None, refund: None, due_by: None }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuoteLine {
    pub code: String,
    /// The cost.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    /// The share of `amount` the warranty pays.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub covered: i64,
    /// The share the customer pays: `amount − covered`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub payable: i64,
    pub message: Text,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RepairQuote {
    pub currency: String,
    pub lines: Vec<QuoteLine>,
    /// The sum of the lines' `amount`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub cost: i64,
    /// The sum of the lines' `covered`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub covered: i64,
    /// What the customer pays: the sum of the lines' `payable`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub total: i64,
    pub requires_confirmation: bool,
}

/// The answer to a warranty claim: free or paid remedies, a paid repair's quote, the promised completion.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WarrantyDecision {
    /// The terms or the law cover the fault, in whole or (a share of the costs) in part: each
    /// remedy says whether it is `free` and its `price`.
    pub covered: bool,
    pub term: Option<String>,
    pub remedies: Vec<Remedy>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Date>"))]
    pub warranty_starts_on: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub warranty_ends_at: Option<String>,
    pub days_since_purchase: Option<i64>,
    pub quote: Option<RepairQuote>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub repair_due_by: Option<String>,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<Reason>,
    pub trace: Vec<TraceEntry>,
    pub policy: PolicyRef,
}

impl Explained for WarrantyDecision {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.reasons.iter_mut().for_each(f);
    }

    fn texts(&mut self, f: &mut dyn FnMut(&mut Text)) {
        self.warnings.iter_mut().for_each(|w| f(&mut w.message));
        self.quote.iter_mut().flat_map(|q| q.lines.iter_mut()).for_each(|l| f(&mut l.message));
    }
}

struct ClaimFacts<'a>(&'a Claim);

impl Facts for ClaimFacts<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        fn text(v: Option<&String>) -> FactValue<'_> {
            v.map_or(FactValue::Missing, |s| FactValue::Text(s.as_str()))
        }
        let c = self.0;
        match name {
            "product.category" => text(c.product.category.as_ref()),
            "product.sku" => text(c.product.sku.as_ref()),
            "product.brand" => text(c.product.brand.as_ref()),
            "product.model" => text(c.product.model.as_ref()),
            "claim.fault_kind" => FactValue::Text(c.fault_kind.as_deref().unwrap_or("manufacturing_defect")),
            "customer.tier" => text(c.customer.as_ref().and_then(|x| x.tier.as_ref())),
            "claim.fault" => text(c.fault.as_ref()),
            "claim.difficulty" => text(c.difficulty.as_ref()),
            _ => FactValue::Missing,
        }
    }
}

fn optional_date(v: &Option<String>, path: &str) -> Result<Option<NaiveDate>> {
    v.as_deref().map(|d| parse_date(d, path)).transpose()
}

/// The claim's earlier repairs with their dates read.
fn dated_repairs(claim: &Claim) -> Result<Vec<(NaiveDate, &EarlierRepair)>> {
    let mut repairs = Vec::with_capacity(claim.repairs.len());
    for (i, r) in claim.repairs.iter().enumerate() {
        repairs.push((parse_date(&r.date, &format!("repairs[{i}].date"))?, r));
    }
    Ok(repairs)
}

/// Repairs between `from` and `to` (inclusive) that did not cure the claim's fault (any fault
/// when the claim names none).
fn failed_repairs(repairs: &[(NaiveDate, &EarlierRepair)], claim: &Claim, from: NaiveDate, to: NaiveDate) -> usize {
    repairs
        .iter()
        .filter(|(d, r)| *d >= from && *d <= to && !r.fixed && (claim.fault.is_none() || r.fault == claim.fault))
        .count()
}

/// Fault kinds a term covers when it does not say.
const DEFAULT_COVERS: &[&str] = &["manufacturing_defect", "performance_fault"];

/// External factors a term excludes when it does not say: all of them.
const DEFAULT_EXCLUSIONS: &[ExternalFactor] = &[
    ExternalFactor::Dropped,
    ExternalFactor::Water,
    ExternalFactor::PhysicalDamage,
    ExternalFactor::UnauthorizedRepair,
    ExternalFactor::Misuse,
];

/// Decides a warranty claim under `policy`, in the steps of the module's list: the claim read,
/// the decision its terms give, the law's floor, then the promised completion of a repair.
pub fn check(env: &Env, w: &WarrantyPolicy, claim: &Claim) -> Result<WarrantyDecision> {
    let read = read_claim(env, w, claim)?;
    let mut d = decide_by_terms(env, w, claim, &read)?;
    if claim.diagnosis == Diagnosis::NoFaultFound {
        no_fault_found(env, w, &mut d);
    } else {
        apply_legal_guarantee(env, claim, &read, &mut d);
    }
    turnarounds(env, w, claim, &read.declared, &mut d)?;
    Ok(d)
}

/// A claim's dates, read and checked.
struct ReadClaim<'c> {
    purchase: Option<NaiveDate>,
    delivery: Option<NaiveDate>,
    invoice: Option<NaiveDate>,
    manufacture: Option<NaiveDate>,
    fault: NaiveDate,
    /// The earlier repairs, with their dates.
    repairs: Vec<(NaiveDate, &'c EarlierRepair)>,
    /// The claim's values of the declared facts the terms and turnaround rules test.
    declared: Values,
}

/// Step 1: the claim's texts checked and its dates read; the fault neither after `now` nor before
/// the purchase.
fn read_claim<'c>(env: &Env, w: &WarrantyPolicy, claim: &'c Claim) -> Result<ReadClaim<'c>> {
    for (name, v) in [
        ("sku", &claim.product.sku),
        ("model", &claim.product.model),
        ("serial_number", &claim.product.serial_number),
        ("category", &claim.product.category),
        ("brand", &claim.product.brand),
    ] {
        if let Some(v) = v {
            crate::order::check_text(v, &format!("product.{name}"))?;
        }
    }
    if claim.proposed_repair.as_ref().and_then(|p| p.other).is_some_and(|o| o.0 < 0) {
        return Err(PolicyError::invalid("proposed_repair.other", "a cost is not negative"));
    }
    if let Some(v) = &claim.difficulty {
        crate::order::check_text(v, "difficulty")?;
    }
    if let Some(s) = &claim.symptoms {
        if s.chars().count() > 4000 {
            return Err(PolicyError::new(ErrorCode::LimitExceeded, "symptoms", "longer than 4000 characters"));
        }
    }
    let purchase = optional_date(&claim.purchase_date, "purchase_date")?;
    let delivery = optional_date(&claim.delivery_date, "delivery_date")?;
    let invoice = optional_date(&claim.invoice_date, "invoice_date")?;
    let manufacture = optional_date(&claim.manufacture_date, "manufacture_date")?;
    let fault = parse_date(&claim.fault_date, "fault_date")?;
    let today = claim.now.in_zone(env.zone).date_naive();
    if fault > today {
        return Err(PolicyError::invalid("fault_date", "the fault date is after `now`"));
    }
    if let Some(p) = purchase {
        if fault < p {
            return Err(PolicyError::invalid(
                "fault_date",
                format!("the fault date {fault} is before the purchase date {p}"),
            ));
        }
    }
    let repairs = dated_repairs(claim)?;
    let declared = w.declared.values(&claim.facts, &w.tested, "facts")?;
    Ok(ReadClaim { purchase, delivery, invoice, manufacture, fault, repairs, declared })
}

/// The decision the policy's own terms give: steps 2 to 6.
fn decide_by_terms(env: &Env, w: &WarrantyPolicy, claim: &Claim, read: &ReadClaim<'_>) -> Result<WarrantyDecision> {
    let mut d = WarrantyDecision {
        covered: false,
        term: None,
        remedies: Vec::new(),
        warranty_starts_on: None,
        warranty_ends_at: None,
        days_since_purchase: None,
        quote: None,
        repair_due_by: None,
        reasons: Vec::new(),
        warnings: Vec::new(),
        trace: Vec::new(),
        policy: env.reference(),
    };
    let Some(term) = find_term(w, claim, &read.declared) else {
        d.reasons.push(Reason::new("NO_WARRANTY_TERMS", Says::NoWarrantyTerms));
        return Ok(d);
    };
    d.trace.push(TraceEntry { rule: Arc::clone(&term.id), matched: true, lines: Vec::new() });
    d.term = Some(term.spec.id.clone());
    let Some(period) = warranty_period(&term.spec, claim, read, &mut d.reasons) else {
        // No date to count from: a repair at the customer's cost.
        d.remedies = vec![Remedy::paid(RemedyKind::Repair)];
        return Ok(d);
    };
    d.warranty_starts_on = Some(period.start.to_string());
    d.warranty_ends_at = Some(format_instant(&end_of_local_day(env.zone, period.end)));
    d.days_since_purchase = Some(period.days_since);
    let paid = paid_because(term, claim, read.fault, &period);
    if paid.is_empty() {
        free_remedies(&term.spec, claim, read, &period, &mut d);
        unrepairable(&term.spec, claim, &mut d);
    } else {
        d.reasons.extend(paid);
    }
    paid_repair(env, w, claim, &mut d)?;
    apply_shares(env, w, &term.spec, claim, &period, &mut d)?;
    Ok(d)
}

/// Step 2: the first term whose `when` holds for the product.
fn find_term<'w>(w: &'w WarrantyPolicy, claim: &Claim, declared: &Values) -> Option<&'w Term> {
    let facts = ClaimFacts(claim);
    let facts = WithDeclared { facts: &facts, declared };
    w.terms.iter().find(|t| t.when.eval(&facts))
}

/// When a warranty runs: from `start` to the end of `end`; the fault came `days_since` days
/// after the start.
struct WarrantyPeriod {
    start: NaiveDate,
    end: NaiveDate,
    days_since: i64,
}

/// Step 3: when the warranty runs (`None`, with the reason, when there is no date to count from).
fn warranty_period(
    t: &TermSpec,
    claim: &Claim,
    read: &ReadClaim<'_>,
    reasons: &mut Vec<Reason>,
) -> Option<WarrantyPeriod> {
    let start = warranty_start(t, claim, read, reasons)?;
    // The period, the extended warranty, the days in repair.
    let months = t.period.months.unwrap_or(0).saturating_add(claim.extended_warranty_months.unwrap_or(0));
    let mut end = start.checked_add_months(Months::new(months)).unwrap_or(start);
    end = end.checked_add_days(chrono::Days::new(u64::from(t.period.days.unwrap_or(0)))).unwrap_or(end);
    let repair_days: u64 =
        read.repairs.iter().filter(|(d, _)| *d >= start).map(|(_, r)| u64::from(r.days_in_repair)).sum();
    if t.extend_by_repair_days.unwrap_or(true) && repair_days > 0 {
        end = end.checked_add_days(chrono::Days::new(repair_days)).unwrap_or(end);
        reasons.push(
            Reason::new("EXTENDED_BY_REPAIRS", Says::ExtendedByRepairs { days: repair_days, ends_on: end })
                .figure("days", repair_days),
        );
    }
    Some(WarrantyPeriod { start, end, days_since: (read.fault - start).num_days() })
}

/// The date the warranty counts from: the term's `from` with proof of purchase, else the
/// manufacture date when the term allows it, else none (a reason says which).
fn warranty_start(t: &TermSpec, claim: &Claim, read: &ReadClaim<'_>, reasons: &mut Vec<Reason>) -> Option<NaiveDate> {
    let wanted = match t.from.unwrap_or(WarrantyStart::Purchase) {
        WarrantyStart::Purchase => read.purchase,
        WarrantyStart::Delivery => read.delivery.or(read.purchase),
        WarrantyStart::Invoice => read.invoice.or(read.purchase),
    };
    if claim.proof_of_purchase && wanted.is_some() {
        wanted
    } else if t.without_proof == Some(WithoutProof::ManufactureDate) && read.manufacture.is_some() {
        reasons.push(Reason::new("NO_PROOF_OF_PURCHASE", Says::NoProofOfPurchase));
        read.manufacture
    } else {
        reasons.push(Reason::new("PROOF_OF_PURCHASE_REQUIRED", Says::ProofOfPurchaseRequired));
        None
    }
}

/// Step 4: what makes a repair paid, each named by a reason: the end of the warranty, a fault
/// kind the term does not cover, or the excluded external factors (none: the fault is covered).
fn paid_because(term: &Term, claim: &Claim, fault: NaiveDate, period: &WarrantyPeriod) -> Vec<Reason> {
    let t = &term.spec;
    let kind = claim.fault_kind.as_deref().unwrap_or("manufacturing_defect");
    let covered = match &t.covers {
        Some(covers) => covers.iter().any(|c| c == kind),
        None => DEFAULT_COVERS.contains(&kind),
    };
    let exclusions = t.exclusions.as_deref().unwrap_or(DEFAULT_EXCLUSIONS);
    if fault > period.end {
        vec![Reason::new("OUTSIDE_WARRANTY", Says::OutsideWarranty { ended_on: period.end })
            .figure("ended_on", period.end.to_string())]
    } else if !covered {
        vec![Reason::new(
            "FAULT_NOT_COVERED",
            Says::FaultNotCovered { fault_kind: kind.into(), term: Arc::clone(&term.id) },
        )
        .figure("fault_kind", kind)]
    } else {
        claim
            .external_factors
            .iter()
            .filter(|f| exclusions.contains(f))
            .map(|&f| {
                Reason::new("EXCLUDED_BY_EXTERNAL_FACTOR", Says::ExcludedByExternalFactor { factor: f })
                    .figure("factor", serde_json::to_value(f).unwrap_or_default())
            })
            .collect()
    }
}

/// Step 5: the free remedies for a covered fault inside the warranty: the tier the fault falls
/// in (else a free repair), then replacement or return after failed repairs of the same fault,
/// and replacement after a repair that took too long.
fn free_remedies(t: &TermSpec, claim: &Claim, read: &ReadClaim<'_>, period: &WarrantyPeriod, d: &mut WarrantyDecision) {
    let days_since = period.days_since;
    match t.tiers.iter().find(|x| days_since <= i64::from(x.within_days)) {
        Some(tier) => {
            d.remedies.extend(tier.remedies.iter().map(|&r| Remedy::free(r)));
            let said = Says::WarrantyTier {
                days_since_purchase: days_since,
                within_days: tier.within_days,
                remedies: tier.remedies.clone(),
            };
            d.reasons.push(
                Reason::new("WARRANTY_TIER", said)
                    .figure("days_since_purchase", days_since)
                    .figure("within_days", tier.within_days),
            );
        }
        None => d.remedies.push(Remedy::free(RemedyKind::Repair)),
    }
    let same_fault_failures = failed_repairs(&read.repairs, claim, period.start, period.end);
    if let Some(limit) = t.failed_repairs_limit {
        if limit > 0 && same_fault_failures >= limit as usize {
            owe(&mut d.remedies, RemedyKind::Replace);
            owe(&mut d.remedies, RemedyKind::Return);
            d.reasons.push(
                Reason::new(
                    "REPEATED_FAILED_REPAIRS",
                    Says::RepeatedFailedRepairs { failed_repairs: same_fault_failures },
                )
                .figure("failed_repairs", same_fault_failures),
            );
        }
    }
    if let Some(limit) = t.repair_overrun_days {
        if let Some((_, r)) = read.repairs.iter().find(|(d, r)| *d >= period.start && r.days_in_repair > limit) {
            owe(&mut d.remedies, RemedyKind::Replace);
            d.reasons.push(
                Reason::new("REPAIR_OVERRUN", Says::RepairOverrun { days_in_repair: r.days_in_repair, limit })
                    .figure("days_in_repair", r.days_in_repair),
            );
        }
    }
    d.remedies.sort_by_key(|r| r.remedy);
}

/// Adds `remedy`, free, unless it is already owed.
fn owe(remedies: &mut Vec<Remedy>, remedy: RemedyKind) {
    if !remedies.iter().any(|x| x.remedy == remedy) {
        remedies.push(Remedy::free(remedy));
    }
}

/// Step 6: without a free remedy, a repair at the customer's cost, with the quote for the
/// proposed repair, to be confirmed.
fn paid_repair(env: &Env, w: &WarrantyPolicy, claim: &Claim, d: &mut WarrantyDecision) -> Result<()> {
    d.covered = !d.remedies.is_empty();
    if d.covered {
        return Ok(());
    }
    if claim.repairable == Some(false) {
        d.reasons.push(unrepairable_reason(Vec::new()));
        return Ok(());
    }
    let mut repair = Remedy::paid(RemedyKind::Repair);
    if let Some(p) = &claim.proposed_repair {
        let quote = repair_quote(env, w, p, &Shares::NONE, true)?;
        repair.price = Some(quote.total);
        d.quote = Some(quote);
        d.reasons.push(Reason::new("QUOTE_REQUIRES_CONFIRMATION", Says::QuoteRequiresConfirmation));
    }
    d.remedies.push(repair);
    Ok(())
}

/// A repair's quote from the price list: parts by code, labour by the hour, other costs, each
/// split into the share the warranty pays and the customer's (`shares`); a paid repair's also
/// (`paid`) also shows the diagnostic fee and its waiver.
fn repair_quote(env: &Env, w: &WarrantyPolicy, p: &ProposedRepair, shares: &Shares, paid: bool) -> Result<RepairQuote> {
    let cur = &env.currency;
    if p.parts.len() > MAX_PARTS {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "proposed_repair.parts",
            format!("more than {MAX_PARTS} parts"),
        ));
    }
    let line = |code: &str, amount: i64, share: Decimal, said: Says| -> Result<QuoteLine> {
        let (covered, payable) = split(amount, share, w.rounding)?;
        Ok(QuoteLine { code: code.into(), amount, covered, payable, message: Text::new(said) })
    };
    let mut lines = Vec::new();
    for (i, code) in p.parts.iter().enumerate() {
        let Some(price) = w.price_list.parts.get(code) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("proposed_repair.parts[{i}]"),
                format!("no part `{}` in the price list", crate::time::truncate(code, 64)),
            ));
        };
        lines.push(line("PART", price.0, shares.parts, Says::Part { code: code.as_str().into() })?);
    }
    if let Some(hours) = &p.labour_hours {
        let h = labour_hours(hours)?;
        let rate = w.price_list.labour_per_hour.0;
        let labour = money::times_decimal(rate, h, w.rounding).map_err(|e| e.under("proposed_repair.labour_hours"))?;
        let said = Says::Labour { hours: h, rate: format_money(rate, &cur.code, cur.exponent) };
        lines.push(line("LABOUR", labour, shares.labour, said)?);
    }
    if let Some(o) = p.other.filter(|o| o.0 > 0) {
        lines.push(line("OTHER", o.0, shares.other, Says::OtherCosts)?);
    }
    let fee = w.price_list.diagnostic_fee.0;
    if fee > 0 && paid {
        lines.push(line("DIAGNOSTIC_FEE", fee, Decimal::ZERO, Says::DiagnosticFee)?);
        lines.push(line("DIAGNOSTIC_FEE_WAIVED", -fee, Decimal::ZERO, Says::DiagnosticFeeWaived)?);
    }
    quote_of(cur.code.clone(), lines).map_err(|e| e.under("proposed_repair"))
}

/// A quote's totals from its lines; it needs the customer's confirmation when they pay anything.
fn quote_of(currency: String, lines: Vec<QuoteLine>) -> Result<RepairQuote> {
    let cost = money::sum(lines.iter().map(|l| l.amount))?;
    let covered = money::sum(lines.iter().map(|l| l.covered))?;
    let total = money::sum(lines.iter().map(|l| l.payable))?;
    Ok(RepairQuote { currency, lines, cost, covered, total, requires_confirmation: total > 0 })
}

/// Hours of labour, an exact decimal from 0 to 1000.
fn labour_hours(hours: &serde_json::Number) -> Result<Decimal> {
    let h: Decimal = hours
        .to_string()
        .parse()
        .map_err(|_| PolicyError::invalid("proposed_repair.labour_hours", "not a number of hours"))?;
    if h < Decimal::ZERO || h > Decimal::from(1000) {
        return Err(PolicyError::invalid("proposed_repair.labour_hours", "between 0 and 1000 hours"));
    }
    Ok(h)
}

/// `amount` split into the share the warranty pays (`share` percent) and the customer's: the
/// customer's share is rounded by the policy's rule and the warranty pays the rest, so the two
/// add up to `amount` exactly.
fn split(amount: i64, share: Decimal, rounding: Rounding) -> Result<(i64, i64)> {
    let customer = Decimal::ONE_HUNDRED - share;
    let payable = money::percent_of(amount, Percent::of(customer), rounding)?;
    Ok((amount - payable, payable))
}

/// The share of each cost a term pays, in percent.
struct Shares {
    parts: Decimal,
    labour: Decimal,
    other: Decimal,
    /// The share of the product itself (a replacement or a refund): the pro-rata share.
    product: Decimal,
}

impl Shares {
    /// A paid repair: the warranty pays nothing.
    const NONE: Shares =
        Shares { parts: Decimal::ZERO, labour: Decimal::ZERO, other: Decimal::ZERO, product: Decimal::ZERO };

    fn repair_is_whole(&self) -> bool {
        [self.parts, self.labour, self.other].iter().all(|s| *s == Decimal::ONE_HUNDRED)
    }
}

/// Whole months from `start` to `day` (a month after 31 January ends on the last day of February).
fn whole_months(start: NaiveDate, day: NaiveDate) -> u32 {
    use chrono::Datelike;
    let guess = (day.year() - start.year()) * 12 + day.month() as i32 - start.month() as i32;
    let mut months = u32::try_from(guess.max(0)).unwrap_or(0);
    while months > 0 && start.checked_add_months(Months::new(months)).is_none_or(|d| d > day) {
        months -= 1;
    }
    months
}

/// Step 5b: a covered claim under a term that pays only a share (its `coverage` times its
/// `pro_rata` step for the product's age): the reasons saying so, each remedy's price, and the
/// proposed repair's quote split line by line.
fn apply_shares(
    env: &Env,
    w: &WarrantyPolicy,
    t: &TermSpec,
    claim: &Claim,
    period: &WarrantyPeriod,
    d: &mut WarrantyDecision,
) -> Result<()> {
    if !d.covered {
        return Ok(());
    }
    let age = whole_months(period.start, period.start + chrono::Duration::days(period.days_since));
    let pro_rata = if t.pro_rata.is_empty() {
        Decimal::ONE_HUNDRED
    } else {
        t.pro_rata.iter().find(|s| age < s.until_month).map_or(Decimal::ZERO, |s| s.percent.0)
    };
    let cov = t.coverage.unwrap_or_default();
    // Both at most 100 with the few decimals a JSON number holds: the product fits a Decimal
    // (rounded past its 28 digits, never overflowing), and 0 % if it did not.
    let share = |p: Option<Percent>| {
        let p = p.map_or(Decimal::ONE_HUNDRED, |p| p.0);
        p.checked_mul(pro_rata).and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)).unwrap_or(Decimal::ZERO)
    };
    let shares =
        Shares { parts: share(cov.parts), labour: share(cov.labour), other: share(cov.other), product: pro_rata };
    let repair = d.remedies.iter().any(|r| r.remedy == RemedyKind::Repair);
    if (!repair || shares.repair_is_whole()) && pro_rata == Decimal::ONE_HUNDRED {
        return Ok(());
    }
    if pro_rata < Decimal::ONE_HUNDRED {
        d.reasons.push(
            Reason::new("PRO_RATA_SHARE", Says::ProRataShare { age_months: age, percent: pro_rata })
                .figure("age_months", age)
                .figure("percent", serde_json::to_value(Percent::of(pro_rata)).unwrap_or_default()),
        );
    }
    let written = [cov.parts, cov.labour, cov.other].map(|p| p.map_or(Decimal::ONE_HUNDRED, |p| p.0));
    if repair && written.iter().any(|p| *p < Decimal::ONE_HUNDRED) {
        let figure = |p: Decimal| serde_json::to_value(Percent::of(p)).unwrap_or_default();
        let said = Says::PartialCoverage { parts: written[0], labour: written[1], other: written[2] };
        d.reasons.push(
            Reason::new("PARTIAL_COVERAGE", said)
                .figure("parts", figure(written[0]))
                .figure("labour", figure(written[1]))
                .figure("other", figure(written[2])),
        );
    }
    price_remedies(env, w, claim, &shares, d)
}

/// Each remedy's price under `shares`: a repair's from its quote (unknown without a proposed
/// repair), a replacement's and a return's from the product's price.
fn price_remedies(
    env: &Env,
    w: &WarrantyPolicy,
    claim: &Claim,
    shares: &Shares,
    d: &mut WarrantyDecision,
) -> Result<()> {
    let product = claim.product.price.map(|p| p.0);
    for r in &mut d.remedies {
        match r.remedy {
            RemedyKind::Repair if shares.repair_is_whole() => {}
            RemedyKind::Repair => {
                r.free = false;
                r.price = None;
                if let Some(p) = &claim.proposed_repair {
                    let quote = repair_quote(env, w, p, shares, false)?;
                    r.price = Some(quote.total);
                    r.free = quote.total == 0;
                    if quote.requires_confirmation {
                        d.reasons.push(Reason::new("QUOTE_REQUIRES_CONFIRMATION", Says::QuoteRequiresConfirmation));
                    }
                    d.quote = Some(quote);
                }
            }
            RemedyKind::Replace | RemedyKind::Return if shares.product < Decimal::ONE_HUNDRED => {
                r.free = false;
                let split = product.map(|p| split(p, shares.product, w.rounding)).transpose()?;
                r.price = split.map(|(_, payable)| payable);
                if r.remedy == RemedyKind::Return {
                    r.refund = split.map(|(covered, _)| covered);
                }
            }
            RemedyKind::Replace | RemedyKind::Return => {}
        }
    }
    Ok(())
}

/// Step 5c: a covered product that cannot be repaired gets the term's `unrepairable` remedies
/// (default replacement) instead of a repair.
fn unrepairable(t: &TermSpec, claim: &Claim, d: &mut WarrantyDecision) {
    if claim.repairable != Some(false) || d.remedies.is_empty() {
        return;
    }
    d.remedies.retain(|r| r.remedy != RemedyKind::Repair);
    for &r in t.unrepairable.as_deref().unwrap_or(&[RemedyKind::Replace]) {
        owe(&mut d.remedies, r);
    }
    d.remedies.sort_by_key(|r| r.remedy);
    d.reasons.push(unrepairable_reason(d.remedies.iter().map(|r| r.remedy).collect()));
}

/// `UNREPAIRABLE`, with the remedies owed instead.
fn unrepairable_reason(remedies: Vec<RemedyKind>) -> Reason {
    let figure = serde_json::to_value(&remedies).unwrap_or_default();
    Reason::new("UNREPAIRABLE", Says::Unrepairable { remedies }).figure("remedies", figure)
}

/// A claim where no fault was found: no remedy, and the policy's diagnostic fee charged.
fn no_fault_found(env: &Env, w: &WarrantyPolicy, d: &mut WarrantyDecision) {
    let cur = &env.currency;
    let fee = w.price_list.diagnostic_fee.0;
    d.covered = false;
    d.remedies.clear();
    d.reasons.clear();
    let said = Says::NoFaultFound { fee: format_money(fee, &cur.code, cur.exponent) };
    d.reasons.push(Reason::new("NO_FAULT_FOUND", said).figure("diagnostic_fee", fee));
    let line = QuoteLine {
        code: "DIAGNOSTIC_FEE".into(),
        amount: fee,
        covered: 0,
        payable: fee,
        message: Text::new(Says::DiagnosticFee),
    };
    let lines = if fee > 0 { vec![line] } else { Vec::new() };
    d.quote = Some(RepairQuote {
        currency: cur.code.clone(),
        lines,
        cost: fee,
        covered: 0,
        total: fee,
        requires_confirmation: false,
    });
}

/// Reasons the legal guarantee overrides (see [`crate::statute`]).
const OVERRIDDEN: &[&str] = &[
    "NO_WARRANTY_TERMS",
    "OUTSIDE_WARRANTY",
    "FAULT_NOT_COVERED",
    "QUOTE_REQUIRES_CONFIRMATION",
    "PARTIAL_COVERAGE",
    "PRO_RATA_SHARE",
    "UNREPAIRABLE",
];

/// Step 7: the law as a floor. Inside the legal guarantee of the policy's jurisdiction, a defect
/// (not damage in use) is repaired or the product replaced free of charge, whatever the terms
/// say, with a `LEGAL_GUARANTEE` reason citing the law. It runs from delivery (else purchase) and
/// needs the purchase to be shown.
fn apply_legal_guarantee(env: &Env, claim: &Claim, read: &ReadClaim<'_>, d: &mut WarrantyDecision) {
    if !claim.proof_of_purchase {
        return;
    }
    let delivered = match (read.delivery, read.purchase) {
        (Some(date), _) => (date, "delivery"),
        (None, Some(date)) => (date, "purchase"),
        (None, None) => return,
    };
    let kind = claim.fault_kind.as_deref().unwrap_or("manufacturing_defect");
    let failed_repairs = failed_repairs(&read.repairs, claim, delivered.0, read.fault);
    let external = !claim.external_factors.is_empty();
    let Some(g) =
        crate::statute::legal_guarantee(env.jurisdiction, delivered.0, read.fault, kind, external, failed_repairs)
    else {
        return;
    };
    let before = d.reasons.len();
    d.reasons.retain(|r| !OVERRIDDEN.contains(&r.code));
    let mut changed = d.reasons.len() != before;
    // A product that cannot be repaired: replacement or, the repair being impossible, a refund
    // (Art. 13(4)(a)).
    let unrepairable = claim.repairable == Some(false);
    d.remedies.retain(|r| r.free && !(unrepairable && r.remedy == RemedyKind::Repair));
    let owed: &[RemedyKind] = if unrepairable {
        &[RemedyKind::Return, RemedyKind::Replace]
    } else if g.may_return {
        &[RemedyKind::Return, RemedyKind::Replace, RemedyKind::Repair]
    } else {
        &[RemedyKind::Replace, RemedyKind::Repair]
    };
    for &remedy in owed {
        if !d.remedies.iter().any(|r| r.remedy == remedy) {
            d.remedies.push(Remedy::free(remedy));
            changed = true;
        }
    }
    d.remedies.sort_by_key(|r| r.remedy);
    d.covered = true;
    d.quote = None;
    if changed {
        let said = Says::LegalGuarantee {
            months: g.months,
            presumed_months: g.presumed_months,
            presumed: g.presumed,
            may_return: g.may_return,
            ends_on: g.ends_on,
            citation: g.citation,
            after_failed_repair: g.after_failed_repair,
        };
        d.reasons.push(
            Reason::new(crate::statute::LEGAL_GUARANTEE, said)
                .figure("law", g.law)
                .figure("months", g.months)
                .figure("ends_on", g.ends_on.to_string())
                .figure("from", delivered.1)
                .figure("presumed_at_delivery", g.presumed)
                .figure("failed_repairs", failed_repairs),
        );
    }
    if unrepairable {
        d.reasons.push(unrepairable_reason(d.remedies.iter().map(|r| r.remedy).collect()));
    }
}

/// Step 8: when each remedy offered is due: the first turnaround rule whose `when` holds and
/// whose `remedies` name it, else, for a repair, `repair_turnaround`; counted from `now` on the
/// rule's calendar. `repair_due_by` is the repair's.
fn turnarounds(
    env: &Env,
    w: &WarrantyPolicy,
    claim: &Claim,
    declared: &Values,
    d: &mut WarrantyDecision,
) -> Result<()> {
    let facts = ClaimFacts(claim);
    let facts = WithDeclared { facts: &facts, declared };
    let clock = Calendar::clock(env.zone);
    let mut gaps = DataGaps::default();
    for r in &mut d.remedies {
        let rule = w
            .rules
            .iter()
            .enumerate()
            .find(|(_, x)| x.remedies.as_ref().is_none_or(|l| l.contains(&r.remedy)) && x.when.eval(&facts));
        let timed = match (rule, &w.turnaround) {
            (Some((i, x)), _) => Some((x.within, &x.calendar, format!("warranty.turnaround[{i}].calendar"))),
            (None, Some((amount, cal))) if r.remedy == RemedyKind::Repair => {
                Some((*amount, cal, "warranty.repair_turnaround.calendar".to_string()))
            }
            _ => None,
        };
        if let Some((amount, name, path)) = timed {
            let cal = env.calendar(name, &clock, &path)?;
            r.due_by = Some(cal.print(add_duration(cal, claim.now.utc(), amount, false, &[], &mut gaps)?));
        }
    }
    d.repair_due_by = d.remedies.iter().find(|r| r.remedy == RemedyKind::Repair).and_then(|r| r.due_by.clone());
    d.warnings = gaps.warnings();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env() -> Env {
        Env {
            zone: crate::zone::Tz::named("Asia/Shanghai").unwrap(),
            currency: crate::money::Currency { code: "CNY".into(), exponent: 2 },
            calendars: calendar::Calendars::default(),
            jurisdiction: None,
            reference: PolicyRef { id: "p".into(), version: "1".into(), fingerprint: "f".into() },
        }
    }

    fn refusals(section: serde_json::Value) -> Vec<String> {
        let spec: WarrantySpec = serde_json::from_value(section).unwrap();
        let mut problems = Problems::default();
        let compiled = compile(&spec, &env(), &Arc::default(), "warranty", &mut problems);
        let errors: Vec<String> = problems.into_errors().iter().map(|e| format!("{}: {}", e.path, e.message)).collect();
        assert_eq!(compiled.is_none(), !errors.is_empty());
        errors
    }

    #[test]
    fn every_refusal_is_noted_in_the_order_checked() {
        let errors = refusals(json!({
            "terms": [
                {"id": "", "period": {}, "when": {"product.nope": {"eq": 1}}},
                {"id": "fine", "period": {"months": 12}},
                {"id": "both", "period": {"months": 1, "days": 1}},
                {"id": "steps", "period": {"months": 36}, "unrepairable": ["repair"],
                 "pro_rata": [{"until_month": 12, "percent": 100}, {"until_month": 12, "percent": 50}]},
            ],
            "price_list": {"parts": {"": -1, "CHEAP": 0, "MINUS": -5}},
            "repair_turnaround": {"within": {"days": 1, "hours": 2}, "calendar": "nowhere"},
            "turnaround": [{"when": {"claim.difficulty": {"eq": "hard"}}, "within": {"days": 3}},
                           {"within": {}, "calendar": "elsewhere"}],
        }));
        assert_eq!(
            errors,
            [
                "warranty.terms[0].id: must not be empty",
                "warranty.terms[0].period: a period is {\"months\": N} or {\"days\": N}",
                "warranty.terms[0].when.product.nope: unknown fact `product.nope`; known facts: product.category, \
                 product.sku, product.brand, product.model, claim.fault_kind, customer.tier, claim.fault, \
                 claim.difficulty",
                "warranty.terms[2].period: a period is {\"months\": N} or {\"days\": N}",
                "warranty.terms[3].pro_rata[1].until_month: steps are in increasing months: 12 is not after 12",
                "warranty.terms[3].unrepairable: a product that cannot be repaired is owed `replace` or `return`, \
                 not `repair`",
                // The empty code's price is not looked at: its path would name the code.
                "warranty.price_list.parts: must not be empty",
                "warranty.price_list.parts.MINUS: a price is not negative",
                "warranty.repair_turnaround.within: a duration is exactly one of minutes, hours, days, \
                 business_minutes, business_hours, business_days",
                "warranty.repair_turnaround.calendar: no calendar `nowhere`",
                "warranty.turnaround[1].within: a duration is exactly one of minutes, hours, days, \
                 business_minutes, business_hours, business_days",
                "warranty.turnaround[1].calendar: no calendar `elsewhere`",
            ]
        );
    }

    #[test]
    fn too_many_terms_are_not_checked_one_by_one() {
        let terms: Vec<_> = (0..=MAX_TERMS).map(|_| json!({"id": "", "period": {}})).collect();
        let errors = refusals(json!({"terms": terms, "price_list": {"parts": {"X": -1}}}));
        assert_eq!(
            errors,
            ["warranty.terms: more than 200 terms", "warranty.price_list.parts.X: a price is not negative"]
        );
    }

    #[test]
    fn shares_with_many_decimals_split_exactly() {
        let policy = json!({"schema": 1, "id": "d", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
            "warranty": {"terms": [{"id": "t", "period": {"months": 24},
                "coverage": {"parts": 33.333333333333336, "labour": 0.000000000000001},
                "pro_rata": [{"until_month": 24, "percent": 66.66666666666667}]}],
                "price_list": {"labour_per_hour": 3_000_000_000_000_001_i64, "parts": {"P": 3_000_000_000_000_001_i64}}}});
        let engine = crate::PolicyEngine::from_value(policy).unwrap();
        let claim = json!({"now": "2026-11-23T10:00:00+08:00", "product": {}, "purchase_date": "2026-01-01",
            "fault_date": "2026-11-20", "proof_of_purchase": true,
            "proposed_repair": {"parts": ["P"], "labour_hours": 0.5, "other": 3_000_000_000_000_001_i64}});
        let d: serde_json::Value =
            serde_json::from_str(&engine.check_warranty_json(&claim.to_string()).unwrap()).unwrap();
        for line in d["quote"]["lines"].as_array().unwrap() {
            let (a, c, p) = (&line["amount"], &line["covered"], &line["payable"]);
            assert_eq!(c.as_i64().unwrap() + p.as_i64().unwrap(), a.as_i64().unwrap(), "{line}");
        }
    }

    #[test]
    fn a_sound_section_compiles() {
        let errors = refusals(json!({
            "terms": [{"id": "t", "period": {"days": 30}, "when": {"product.category": {"eq": "toys"}}}],
            "price_list": {"parts": {"X": 1}},
            "repair_turnaround": {"within": {"business_days": 5}},
        }));
        assert!(errors.is_empty(), "{errors:?}");
    }
}
