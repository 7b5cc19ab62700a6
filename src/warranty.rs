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
//! 6. `paid_repair`: with no free remedy, a repair at the customer's cost and its quote
//!    (`repair_quote`) from the price list (parts by code, labour by the hour, a diagnostic fee
//!    waived when the repair goes ahead), exact to the minor unit, to be confirmed by the customer;
//! 7. `apply_legal_guarantee`: the law as a floor: inside the legal guarantee of the policy's
//!    jurisdiction ([`crate::statute`]), a defect is repaired or replaced free of charge whatever
//!    the terms say;
//! 8. `repair_turnaround`: the promised completion date on the policy's calendar
//!    (`repair_turnaround`).

use crate::calendar::{self, add_duration, parse_date, Calendar, DataGaps, DurationSpec};
use crate::conditions::{self, Condition, FactDef, FactType, FactValue, Facts};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, Text, TraceEntry};
use crate::messages::format_money;
use crate::messages::warranty::Says;
use crate::money::{self, Decimal, Minor, Rounding};
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
}

impl WarrantyPolicy {
    /// The terms' compiled `when`s, in document order (for the policy lint).
    pub fn term_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.terms.iter().map(|t| &t.when)
    }
}

/// The facts warranty rules may test.
pub static FACTS: &[FactDef] = &[
    FactDef { name: "product.category", ty: FactType::Text, doc: "the product's category" },
    FactDef { name: "product.sku", ty: FactType::Text, doc: "the product's SKU" },
    FactDef { name: "product.brand", ty: FactType::Text, doc: "the product's brand" },
    FactDef { name: "product.model", ty: FactType::Text, doc: "the product's model" },
    FactDef {
        name: "claim.fault_kind",
        ty: FactType::Text,
        doc: "manufacturing_defect, performance_fault, wear, cosmetic, …",
    },
    FactDef { name: "customer.tier", ty: FactType::Text, doc: "the member tier" },
];

/// Compiles the `warranty` section, noting every refusal in `problems` (each term, each field)
/// and going on; the section is `None` when there was any.
pub fn compile(spec: &WarrantySpec, env: &Env, path: &str, problems: &mut Problems) -> Option<WarrantyPolicy> {
    let terms = compile_terms(&spec.terms, path, problems);
    let prices = check_prices(&spec.price_list, path, problems);
    let turnaround = compile_turnaround(spec.repair_turnaround.as_ref(), env, path, problems);
    let (terms, (), turnaround) = (terms?, prices?, turnaround?);
    Some(WarrantyPolicy { terms, price_list: spec.price_list.clone(), rounding: spec.rounding, turnaround })
}

/// The terms, each checked (none of them past [`MAX_TERMS`]).
fn compile_terms(terms: &[TermSpec], path: &str, problems: &mut Problems) -> Option<Vec<Term>> {
    if terms.len() > MAX_TERMS {
        problems.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.terms"),
            format!("more than {MAX_TERMS} terms"),
        ));
        return None;
    }
    let compiled: Vec<Option<Term>> =
        terms.iter().enumerate().map(|(i, t)| compile_term(t, &format!("{path}.terms[{i}]"), problems)).collect();
    compiled.into_iter().collect()
}

/// One term: its id, its period and its `when`, each refusal noted.
fn compile_term(t: &TermSpec, tp: &str, problems: &mut Problems) -> Option<Term> {
    let id = problems.check(crate::order::check_text(&t.id, &format!("{tp}.id")));
    let period = if t.period.months.is_some() == t.period.days.is_some() {
        problems.push(PolicyError::invalid(format!("{tp}.period"), "a period is {\"months\": N} or {\"days\": N}"));
        None
    } else {
        Some(())
    };
    let when = match &t.when {
        Some(w) => problems.check(conditions::compile(w, &format!("{tp}.when"), FACTS)),
        None => Some(Condition::always()),
    };
    let ((), (), when) = (id?, period?, when?);
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
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Remedy {
    pub remedy: RemedyKind,
    pub free: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuoteLine {
    pub code: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    pub message: Text,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RepairQuote {
    pub currency: String,
    pub lines: Vec<QuoteLine>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub total: i64,
    pub requires_confirmation: bool,
}

/// The answer to a warranty claim: free or paid remedies, a paid repair's quote, the promised completion.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WarrantyDecision {
    /// A free remedy is owed.
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
    let read = read_claim(env, claim)?;
    let mut d = decide_by_terms(env, w, claim, &read)?;
    apply_legal_guarantee(env, claim, &read, &mut d);
    repair_turnaround(env, w, claim, &mut d)?;
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
}

/// Step 1: the claim's texts checked and its dates read; the fault neither after `now` nor before
/// the purchase.
fn read_claim<'c>(env: &Env, claim: &'c Claim) -> Result<ReadClaim<'c>> {
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
    Ok(ReadClaim { purchase, delivery, invoice, manufacture, fault, repairs })
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
    let Some(term) = find_term(w, claim) else {
        d.reasons.push(Reason::new("NO_WARRANTY_TERMS", Says::NoWarrantyTerms));
        return Ok(d);
    };
    d.trace.push(TraceEntry { rule: Arc::clone(&term.id), matched: true, lines: Vec::new() });
    d.term = Some(term.spec.id.clone());
    let Some(period) = warranty_period(&term.spec, claim, read, &mut d.reasons) else {
        // No date to count from: a repair at the customer's cost.
        d.remedies = vec![Remedy { remedy: RemedyKind::Repair, free: false }];
        return Ok(d);
    };
    d.warranty_starts_on = Some(period.start.to_string());
    d.warranty_ends_at = Some(format_instant(&end_of_local_day(env.zone, period.end)));
    d.days_since_purchase = Some(period.days_since);
    let paid = paid_because(term, claim, read.fault, &period);
    if paid.is_empty() {
        free_remedies(&term.spec, claim, read, &period, &mut d);
    } else {
        d.reasons.extend(paid);
    }
    paid_repair(env, w, claim, &mut d)?;
    Ok(d)
}

/// Step 2: the first term whose `when` holds for the product.
fn find_term<'w>(w: &'w WarrantyPolicy, claim: &Claim) -> Option<&'w Term> {
    let facts = ClaimFacts(claim);
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
            d.remedies.extend(tier.remedies.iter().map(|&r| Remedy { remedy: r, free: true }));
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
        None => d.remedies.push(Remedy { remedy: RemedyKind::Repair, free: true }),
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
        remedies.push(Remedy { remedy, free: true });
    }
}

/// Step 6: without a free remedy, a repair at the customer's cost, with the quote for the
/// proposed repair, to be confirmed.
fn paid_repair(env: &Env, w: &WarrantyPolicy, claim: &Claim, d: &mut WarrantyDecision) -> Result<()> {
    d.covered = !d.remedies.is_empty();
    if d.covered {
        return Ok(());
    }
    d.remedies.push(Remedy { remedy: RemedyKind::Repair, free: false });
    if let Some(p) = &claim.proposed_repair {
        d.quote = Some(repair_quote(env, w, p)?);
        d.reasons.push(Reason::new("QUOTE_REQUIRES_CONFIRMATION", Says::QuoteRequiresConfirmation));
    }
    Ok(())
}

/// A paid repair's quote from the price list: parts by code, labour by the hour, the diagnostic
/// fee and its waiver.
fn repair_quote(env: &Env, w: &WarrantyPolicy, p: &ProposedRepair) -> Result<RepairQuote> {
    let cur = &env.currency;
    if p.parts.len() > MAX_PARTS {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "proposed_repair.parts",
            format!("more than {MAX_PARTS} parts"),
        ));
    }
    let mut lines = Vec::new();
    for (i, code) in p.parts.iter().enumerate() {
        let Some(price) = w.price_list.parts.get(code) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("proposed_repair.parts[{i}]"),
                format!("no part `{}` in the price list", crate::time::truncate(code, 64)),
            ));
        };
        lines.push(QuoteLine {
            code: "PART".into(),
            amount: price.0,
            message: Text::new(Says::Part { code: code.as_str().into() }),
        });
    }
    if let Some(hours) = &p.labour_hours {
        let h: Decimal = hours
            .to_string()
            .parse()
            .map_err(|_| PolicyError::invalid("proposed_repair.labour_hours", "not a number of hours"))?;
        if h < Decimal::ZERO || h > Decimal::from(1000) {
            return Err(PolicyError::invalid("proposed_repair.labour_hours", "between 0 and 1000 hours"));
        }
        let rate = w.price_list.labour_per_hour.0;
        let labour = money::times_decimal(rate, h, w.rounding).map_err(|e| e.under("proposed_repair.labour_hours"))?;
        lines.push(QuoteLine {
            code: "LABOUR".into(),
            amount: labour,
            message: Text::new(Says::Labour { hours: h, rate: format_money(rate, &cur.code, cur.exponent) }),
        });
    }
    let fee = w.price_list.diagnostic_fee.0;
    if fee > 0 {
        lines.push(QuoteLine { code: "DIAGNOSTIC_FEE".into(), amount: fee, message: Text::new(Says::DiagnosticFee) });
        lines.push(QuoteLine {
            code: "DIAGNOSTIC_FEE_WAIVED".into(),
            amount: -fee,
            message: Text::new(Says::DiagnosticFeeWaived),
        });
    }
    let total = money::sum(lines.iter().map(|l| l.amount))?;
    Ok(RepairQuote { currency: cur.code.clone(), lines, total, requires_confirmation: true })
}

/// Reasons the legal guarantee overrides (see [`crate::statute`]).
const OVERRIDDEN: &[&str] =
    &["NO_WARRANTY_TERMS", "OUTSIDE_WARRANTY", "FAULT_NOT_COVERED", "QUOTE_REQUIRES_CONFIRMATION"];

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
    d.remedies.retain(|r| r.free);
    let owed: &[RemedyKind] = if g.may_return {
        &[RemedyKind::Return, RemedyKind::Replace, RemedyKind::Repair]
    } else {
        &[RemedyKind::Replace, RemedyKind::Repair]
    };
    for &remedy in owed {
        if !d.remedies.iter().any(|r| r.remedy == remedy) {
            d.remedies.push(Remedy { remedy, free: true });
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
}

/// Step 8: the promised completion of a repair the decision offers, on the policy's calendar.
fn repair_turnaround(env: &Env, w: &WarrantyPolicy, claim: &Claim, d: &mut WarrantyDecision) -> Result<()> {
    let zone = env.zone;
    let mut gaps = DataGaps::default();
    d.repair_due_by = match (&w.turnaround, d.remedies.iter().any(|r| r.remedy == RemedyKind::Repair)) {
        (Some((amount, cal)), true) => {
            let clock = Calendar::clock(zone);
            let cal = env.calendar(cal, &clock, "warranty.repair_turnaround.calendar")?;
            Some(cal.print(add_duration(cal, claim.now.utc(), *amount, false, &[], &mut gaps)?))
        }
        _ => None,
    };
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
        let compiled = compile(&spec, &env(), "warranty", &mut problems);
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
            ],
            "price_list": {"parts": {"": -1, "CHEAP": 0, "MINUS": -5}},
            "repair_turnaround": {"within": {"days": 1, "hours": 2}, "calendar": "nowhere"},
        }));
        assert_eq!(
            errors,
            [
                "warranty.terms[0].id: must not be empty",
                "warranty.terms[0].period: a period is {\"months\": N} or {\"days\": N}",
                "warranty.terms[0].when.product.nope: unknown fact `product.nope`; known facts: product.category, \
                 product.sku, product.brand, product.model, claim.fault_kind, customer.tier",
                "warranty.terms[2].period: a period is {\"months\": N} or {\"days\": N}",
                // The empty code's price is not looked at: its path would name the code.
                "warranty.price_list.parts: must not be empty",
                "warranty.price_list.parts.MINUS: a price is not negative",
                "warranty.repair_turnaround.within: a duration is exactly one of minutes, hours, days, \
                 business_minutes, business_hours, business_days",
                "warranty.repair_turnaround.calendar: no calendar `nowhere`",
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
    fn a_sound_section_compiles() {
        let errors = refusals(json!({
            "terms": [{"id": "t", "period": {"days": 30}, "when": {"product.category": {"eq": "toys"}}}],
            "price_list": {"parts": {"X": 1}},
            "repair_turnaround": {"within": {"business_days": 5}},
        }));
        assert!(errors.is_empty(), "{errors:?}");
    }
}
