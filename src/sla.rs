//! Service-level deadlines: for a case (an enquiry, a complaint, a return, a refund, a repair, a
//! warranty claim), every stage's due time on the merchant's business calendar, its status at
//! `now`, the warning threshold crossed and the escalation reached.
//!
//! - A case's **plan** is the first of the policy's `plans` whose `when` holds for the case (type,
//!   priority, channel, severity, category, member tier); the last plan, with no `when`, is the
//!   default. A complaint with no priority gets one from the classification matrix first
//!   (`complaints.priority[category][severity]`).
//! - A **target** runs from an event (`starts`, e.g. `created_at`) for a duration in business or
//!   clock time on a calendar, and is done at another event (`done`). Its status: `met`,
//!   `met_late`, `breached` (not done, past due), `pending`, or `not_started` (its start event has
//!   not happened; no due time yet). A case with no `created_at` is being created now.
//! - **Pauses** (`[{from, to}]`, waiting on the customer) do not count: the deadline moves by the
//!   paused business time (for day-counted targets, by the working days paused).
//! - **Warnings** name the highest threshold of `warnings` (percent of the allowed business time
//!   used) crossed; **escalation** levels start at the breach plus each level's `after_breach`
//!   (counted on the target's calendar; a zero `after_breach` is the breach itself, even when that
//!   falls outside hours, so a supervisor hears of an evening breach that evening), and
//!   `complaints.escalate` rules escalate serious complaints at once.
//!
//! - **Complaints** (`complaints`): a complaint's priority moves up the policy's `priorities`
//!   (highest first) by `raise_by` for a repeat (the same customer complained on the same subject
//!   within `repeat_within_days`, from `history`) and again for a reopening (reopened within as
//!   many days of its closing); one through a regulator channel gets `regulator_priority`, and
//!   `case.regulator` lets a plan give it its own targets. Responsibility (merchant, carrier,
//!   customer) is the first `responsibility` rule that holds.
//! - **Satisfaction** (`satisfaction`): a result at most `low_at_most` of the scale opens a recovery
//!   call (a target counted from the result) and escalates to `escalate_to`.
//!
//! [`deadlines`] goes through these stages, in this order (the first refusal is the answer):
//! 1. `pauses`: `now`, the case's creation and the pauses that count; then `check_case`: the
//!    satisfaction result, the earlier complaints, a reopening;
//! 2. `priority`: given, or classified by the matrix; a complaint's raised by a `repeat` and a
//!    `reopening`, and set by a regulator channel;
//! 3. `responsibility`: a complaint's, by the first rule that holds;
//! 4. `plan`: the first plan whose `when` holds;
//! 5. for each of the plan's targets, in order (`target`; one whose start event has not happened
//!    is `not_started` and goes no further):
//!    1. `due`: the due time, moved by the pauses;
//!    2. `used_and_remaining`: the time used and remaining, and the percent used;
//!    3. `status`: met, met late, breached or pending;
//!    4. `escalation`: the level a breach has reached;
//!    5. `warning`: the highest threshold crossed;
//! 6. `satisfaction`: a low result's recovery call (a target, as in 5) and escalation;
//! 7. `complaint_escalation`: the `complaints.escalate` rules.
//!
//! The case's data gaps (`CALENDAR_DATA_MISSING`) become the answer's warnings.

use crate::calendar::{add_duration, Amount, Calendar, DataGaps, DurationSpec};
use crate::conditions::{self, Condition, DeclaredFact, FactValue, Facts};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, TraceEntry};
use crate::facts::{Declared, Values, WithDeclared};
use crate::messages::sla::Says;
use crate::problems::Problems;
use crate::time::Timestamp;
use crate::vocabulary::Locale;
use crate::zone::Tz;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most plans and targets a policy may hold.
pub const MAX_PLANS: usize = 200;
pub const MAX_TARGETS: usize = 50;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SlaSpec {
    /// Percent thresholds of the allowed time used that raise a warning (default 50, 75, 100).
    #[serde(default)]
    pub warnings: Option<Vec<u32>>,
    /// Escalation levels after a breach (default: level 1 supervisor at the breach, level 2 manager
    /// 24 business hours later).
    #[serde(default)]
    pub escalation: Option<Vec<EscalationSpec>>,
    /// The calendar of business-time targets that name none.
    #[serde(default)]
    pub calendar: Option<String>,
    /// The first plan whose `when` holds applies; end with a plan without `when`.
    pub plans: Vec<PlanSpec>,
    #[serde(default)]
    pub complaints: Option<ComplaintsSpec>,
    /// A low satisfaction result opens a recovery call and escalates.
    #[serde(default)]
    pub satisfaction: Option<SatisfactionSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SatisfactionSpec {
    /// A result at or below this score (on `scale`) is low.
    pub low_at_most: u32,
    /// The scale of `low_at_most` (default 5); a result on another scale is compared in
    /// proportion (2 of 5 is 40 of 100).
    #[serde(default)]
    pub scale: Option<u32>,
    /// The recovery call a low result opens, counted from the result's `at`.
    pub recovery: RecoverySpec,
    /// The escalation level a low result reaches at once (none when absent).
    #[serde(default)]
    pub escalate_to: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoverySpec {
    /// The stage's name in the answer (default `recovery_call`).
    #[serde(default)]
    pub stage: Option<String>,
    pub within: DurationSpec,
    /// The calendar of business time (default `sla.calendar`).
    #[serde(default)]
    pub calendar: Option<String>,
    /// The event that meets it (default `recovery_call_at`).
    #[serde(default)]
    pub done: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalationSpec {
    pub level: u32,
    pub role: String,
    pub after_breach: DurationSpec,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    pub id: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::SlaCondition>"))]
    pub when: Option<serde_json::Value>,
    pub targets: Vec<TargetSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub stage: String,
    pub within: DurationSpec,
    #[serde(default)]
    pub calendar: Option<String>,
    /// The event that starts the clock (default `created_at`).
    #[serde(default)]
    pub starts: Option<String>,
    /// The event that meets the target.
    pub done: String,
    /// For business days: end at 23:59:59 local rather than at the same local time.
    #[serde(default)]
    pub end_of_day: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ComplaintsSpec {
    /// category → severity → priority.
    #[serde(default)]
    pub priority: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub escalate: Vec<EscalateRuleSpec>,
    /// The priority levels, highest first (`["P1", "P2", "P3", "P4"]`); raising a priority moves
    /// it up this list. When given, the matrix's and the cases' priorities must be in it.
    #[serde(default)]
    pub priorities: Vec<String>,
    /// Who is responsible for a complaint (`merchant`, `carrier`, `customer`): the first rule whose
    /// `when` holds.
    #[serde(default)]
    pub responsibility: Vec<ResponsibilityRuleSpec>,
    /// A complaint raises its priority when the same customer complained on the same subject
    /// (`history`) at most this many days (of 24 hours) before, and again when it is reopened at
    /// most this many days after it was closed (`events.closed_at`, `events.reopened_at`).
    #[serde(default)]
    pub repeat_within_days: Option<u32>,
    /// Levels raised by a repeat, and by a reopening (default 1).
    #[serde(default)]
    pub raise_by: Option<u32>,
    /// Channels of a consumer regulator (e.g. `12315`): a complaint through one gets
    /// `regulator_priority`.
    #[serde(default)]
    pub regulator_channels: Vec<String>,
    /// The priority of a complaint through a regulator channel (default the highest of
    /// `priorities`).
    #[serde(default)]
    pub regulator_priority: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponsibilityRuleSpec {
    /// The rule's name in reasons (default `responsibility[i]`).
    #[serde(default)]
    pub id: Option<String>,
    /// Always, when absent.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::SlaCondition>"))]
    pub when: Option<serde_json::Value>,
    pub party: Party,
}

/// Who is responsible for a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Merchant,
    Carrier,
    Customer,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Merchant => "merchant",
            Party::Carrier => "carrier",
            Party::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalateRuleSpec {
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::SlaCondition"))]
    pub when: serde_json::Value,
    pub level: u32,
}

#[derive(Debug, Clone)]
struct Plan {
    id: String,
    when: Condition,
    targets: Vec<Target>,
}

#[derive(Debug, Clone)]
struct Target {
    stage: Arc<str>,
    amount: Amount,
    calendar: String,
    starts: String,
    done: String,
    end_of_day: bool,
}

#[derive(Debug, Clone)]
struct Escalation {
    level: u32,
    role: Arc<str>,
    after: Amount,
}

/// The compiled `sla` section.
#[derive(Debug, Clone, Default)]
pub struct SlaPolicy {
    warnings: Vec<u32>,
    escalation: Vec<Escalation>,
    plans: Vec<Plan>,
    matrix: Matrix,
    escalate: Vec<EscalateRule>,
    complaints: ComplaintRules,
    satisfaction: Option<Satisfaction>,
    /// The policy's declared facts, and those of them the plans' conditions test.
    declared: Arc<Declared>,
    tested: Vec<Arc<str>>,
}

/// The complaints' priority levels, responsibility, repeats and regulator channels.
#[derive(Debug, Clone, Default)]
struct ComplaintRules {
    priorities: Vec<String>,
    responsibility: Vec<ResponsibilityRule>,
    repeat_within_days: Option<u32>,
    raise_by: u32,
    regulator_channels: Vec<String>,
    regulator_priority: Option<String>,
}

#[derive(Debug, Clone)]
struct ResponsibilityRule {
    id: Arc<str>,
    when: Condition,
    party: Party,
}

/// A low satisfaction result: at most `low` of `scale`; its recovery call and escalation.
#[derive(Debug, Clone)]
struct Satisfaction {
    low: u32,
    scale: u32,
    recovery: Target,
    escalate_to: Option<u32>,
}

/// Complaint category → severity → priority.
type Matrix = BTreeMap<String, BTreeMap<String, String>>;

/// A `complaints.escalate` rule: a complaint whose facts hold escalates at once to `level`.
#[derive(Debug, Clone)]
struct EscalateRule {
    id: Arc<str>,
    when: Condition,
    level: u32,
}

pub use crate::builtin_facts::SLA as FACTS;

fn event_name(name: &str, path: &str) -> Result<String> {
    let ok = name.ends_with("_at") && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if ok {
        Ok(name.to_string())
    } else {
        Err(PolicyError::invalid(
            path,
            format!("`{}` is not an event name such as created_at", crate::time::truncate(name, 64)),
        ))
    }
}

/// Compiles the `sla` section, noting every refusal in `problems` and going on with the next plan,
/// target, field or rule; the section is `None` when it had any.
pub fn compile(spec: &SlaSpec, env: &Env, path: &str, problems: &mut Problems) -> Option<SlaPolicy> {
    compile_declared(spec, env, &Arc::default(), path, problems)
}

/// [`compile`], the plans' conditions knowing the policy's declared facts (`case.region`).
pub fn compile_declared(
    spec: &SlaSpec,
    env: &Env,
    declared: &Arc<Declared>,
    path: &str,
    problems: &mut Problems,
) -> Option<SlaPolicy> {
    let mut own = Problems::default();
    let plans = compile_plans(spec, env, declared.facts(), path, &mut own);
    let escalation = compile_escalation(spec.escalation.as_deref(), path, &mut own);
    let warnings = spec.warnings.clone().unwrap_or_else(|| vec![50, 75, 100]);
    let (matrix, escalate) = compile_complaints(spec.complaints.as_ref(), declared.facts(), path, &mut own);
    let complaints = compile_complaint_rules(spec.complaints.as_ref(), declared.facts(), path, &mut own);
    let satisfaction = spec
        .satisfaction
        .as_ref()
        .and_then(|s| compile_satisfaction(spec, env, s, &format!("{path}.satisfaction"), &mut own));
    let clean = own.is_empty();
    own.into_errors().into_iter().for_each(|e| problems.push(e));
    let whens = plans.iter().map(|p| &p.when).chain(escalate.iter().map(|r| &r.when));
    let tested = crate::facts::tested(declared, whens.chain(complaints.responsibility.iter().map(|r| &r.when)));
    clean.then_some(SlaPolicy {
        warnings,
        escalation,
        plans,
        matrix,
        escalate,
        complaints,
        satisfaction,
        declared: declared.clone(),
        tested,
    })
}

/// The plans; too many, and none is read.
fn compile_plans(
    spec: &SlaSpec,
    env: &Env,
    declared: &[DeclaredFact],
    path: &str,
    problems: &mut Problems,
) -> Vec<Plan> {
    if spec.plans.len() > MAX_PLANS {
        problems.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.plans"),
            format!("more than {MAX_PLANS} plans"),
        ));
        return Vec::new();
    }
    let mut plans = Vec::with_capacity(spec.plans.len());
    for (i, p) in spec.plans.iter().enumerate() {
        if let Some(plan) = compile_plan(spec, env, declared, p, &format!("{path}.plans[{i}]"), problems) {
            plans.push(plan);
        }
    }
    plans
}

/// One plan: its id, its targets (too many, and none is read), its `when`.
fn compile_plan(
    spec: &SlaSpec,
    env: &Env,
    declared: &[DeclaredFact],
    p: &PlanSpec,
    pp: &str,
    problems: &mut Problems,
) -> Option<Plan> {
    let id = problems.check(crate::order::check_text(&p.id, &format!("{pp}.id")));
    let targets = if p.targets.len() > MAX_TARGETS {
        problems.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{pp}.targets"),
            format!("more than {MAX_TARGETS} targets"),
        ));
        None
    } else {
        let mut targets = Vec::with_capacity(p.targets.len());
        for (j, t) in p.targets.iter().enumerate() {
            targets.push(compile_target(spec, env, t, &format!("{pp}.targets[{j}]"), problems));
        }
        targets.into_iter().collect::<Option<Vec<_>>>()
    };
    let when = match &p.when {
        Some(w) => problems.check(conditions::compile_declared(w, &format!("{pp}.when"), FACTS, declared)),
        None => Some(Condition::always()),
    };
    id?;
    Some(Plan { id: p.id.clone(), when: when?, targets: targets? })
}

/// One target: its stage, duration, calendar, start and done events.
fn compile_target(spec: &SlaSpec, env: &Env, t: &TargetSpec, tp: &str, problems: &mut Problems) -> Option<Target> {
    let stage = problems.check(crate::order::check_text(&t.stage, &format!("{tp}.stage")));
    let amount = problems.check(t.within.amount(&format!("{tp}.within")));
    let calendar = calendar_of(t.calendar.as_ref().or(spec.calendar.as_ref()), amount, env, &format!("{tp}.calendar"));
    let calendar = problems.check(calendar).flatten();
    let starts = problems.check(event_name(t.starts.as_deref().unwrap_or("created_at"), &format!("{tp}.starts")));
    let done = problems.check(event_name(&t.done, &format!("{tp}.done")));
    stage?;
    Some(Target {
        stage: t.stage.as_str().into(),
        amount: amount?,
        calendar: calendar?,
        starts: starts?,
        done: done?,
        end_of_day: t.end_of_day,
    })
}

/// The calendar a target counts on: its own, else the section's, else the clock for clock time
/// (`None`, and no refusal, when that depends on a refused duration). A calendar the `calendars`
/// section refused is still there, so it is not refused again here.
fn calendar_of(name: Option<&String>, amount: Option<Amount>, env: &Env, at: &str) -> Result<Option<String>> {
    match (name, amount) {
        (Some(n), _) if n == "clock" || env.calendars.get(n).is_some() => Ok(Some(n.clone())),
        (Some(n), _) => Err(PolicyError::new(
            ErrorCode::UnknownReference,
            at,
            format!("no calendar `{}` in calendars", crate::time::truncate(n, 64)),
        )),
        (None, Some(Amount::Clock(_))) => Ok(Some("clock".into())),
        (None, Some(_)) => Err(PolicyError::new(
            ErrorCode::InvalidField,
            at,
            "business time needs a calendar (here or in sla.calendar)",
        )),
        (None, None) => Ok(None),
    }
}

/// The escalation levels (by default: level 1 supervisor at the breach, level 2 manager 24 business
/// hours later).
fn compile_escalation(list: Option<&[EscalationSpec]>, path: &str, problems: &mut Problems) -> Vec<Escalation> {
    let Some(list) = list else {
        return vec![
            Escalation { level: 1, role: "supervisor".into(), after: Amount::Business(0) },
            Escalation { level: 2, role: "manager".into(), after: Amount::Business(24 * 3600) },
        ];
    };
    let mut levels = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let ep = format!("{path}.escalation[{i}]");
        let role = problems.check(crate::order::check_text(&e.role, &format!("{ep}.role")));
        let after = problems.check(e.after_breach.amount(&format!("{ep}.after_breach")));
        if let (Some(()), Some(after)) = (role, after) {
            levels.push(Escalation { level: e.level, role: e.role.as_str().into(), after });
        }
    }
    levels
}

/// The complaints' priority matrix and the rules that escalate a complaint at once.
fn compile_complaints(
    spec: Option<&ComplaintsSpec>,
    declared: &[DeclaredFact],
    path: &str,
    problems: &mut Problems,
) -> (Matrix, Vec<EscalateRule>) {
    let Some(c) = spec else { return (BTreeMap::new(), Vec::new()) };
    let mut escalate = Vec::with_capacity(c.escalate.len());
    for (i, r) in c.escalate.iter().enumerate() {
        let when =
            conditions::compile_declared(&r.when, &format!("{path}.complaints.escalate[{i}].when"), FACTS, declared);
        if let Some(when) = problems.check(when) {
            escalate.push(EscalateRule { id: r.id.as_str().into(), when, level: r.level });
        }
    }
    (c.priority.clone(), escalate)
}

/// The complaints' priority levels, responsibility rules, repeats and regulator channels.
fn compile_complaint_rules(
    spec: Option<&ComplaintsSpec>,
    declared: &[DeclaredFact],
    path: &str,
    problems: &mut Problems,
) -> ComplaintRules {
    let Some(c) = spec else { return ComplaintRules::default() };
    let cp = format!("{path}.complaints");
    check_priorities(c, &cp, problems);
    let mut responsibility = Vec::with_capacity(c.responsibility.len());
    for (i, r) in c.responsibility.iter().enumerate() {
        let rp = format!("{cp}.responsibility[{i}]");
        let id = r.id.clone().unwrap_or_else(|| format!("responsibility[{i}]"));
        let named = problems.check(crate::order::check_text(&id, &format!("{rp}.id")));
        let when = match &r.when {
            Some(w) => problems.check(conditions::compile_declared(w, &format!("{rp}.when"), FACTS, declared)),
            None => Some(Condition::always()),
        };
        if let (Some(()), Some(when)) = (named, when) {
            responsibility.push(ResponsibilityRule { id: id.into(), when, party: r.party });
        }
    }
    let regulator_priority = c.regulator_priority.clone().or_else(|| c.priorities.first().cloned());
    if !c.regulator_channels.is_empty() && regulator_priority.is_none() {
        problems.push(PolicyError::new(
            ErrorCode::InvalidField,
            format!("{cp}.regulator_priority"),
            "regulator channels need a regulator_priority (or complaints.priorities)",
        ));
    }
    ComplaintRules {
        priorities: c.priorities.clone(),
        responsibility,
        repeat_within_days: c.repeat_within_days,
        raise_by: c.raise_by.unwrap_or(1),
        regulator_channels: c.regulator_channels.clone(),
        regulator_priority,
    }
}

/// The priority levels: each a text, listed once; the matrix's and the regulator's among them;
/// raising a priority needs them.
fn check_priorities(c: &ComplaintsSpec, cp: &str, problems: &mut Problems) {
    for (i, p) in c.priorities.iter().enumerate() {
        let pp = format!("{cp}.priorities[{i}]");
        if problems.check(crate::order::check_text(p, &pp)).is_some() && c.priorities.iter().take(i).any(|x| x == p) {
            problems
                .push(PolicyError::invalid(pp, format!("priority `{}` is listed twice", crate::time::truncate(p, 64))));
        }
    }
    if c.priorities.is_empty() {
        if c.repeat_within_days.is_some() {
            problems.push(PolicyError::new(
                ErrorCode::InvalidField,
                format!("{cp}.repeat_within_days"),
                "raising a priority needs complaints.priorities (highest first)",
            ));
        }
        return;
    }
    let unknown = |p: &str, at: String| {
        PolicyError::new(
            ErrorCode::UnknownReference,
            at,
            format!("priority `{}` is not in complaints.priorities", crate::time::truncate(p, 64)),
        )
    };
    for (category, by_severity) in &c.priority {
        for (severity, p) in by_severity {
            if !c.priorities.contains(p) {
                problems.push(unknown(p, format!("{cp}.priority.{category}.{severity}")));
            }
        }
    }
    if let Some(p) = c.regulator_priority.as_ref().filter(|p| !c.priorities.contains(p)) {
        problems.push(unknown(p, format!("{cp}.regulator_priority")));
    }
}

/// The satisfaction section: the low mark on its scale, the recovery call (a target counted from
/// the result) and the escalation.
fn compile_satisfaction(
    spec: &SlaSpec,
    env: &Env,
    s: &SatisfactionSpec,
    sp: &str,
    problems: &mut Problems,
) -> Option<Satisfaction> {
    let scale = s.scale.unwrap_or(5);
    let marked = if scale == 0 {
        problems.push(PolicyError::invalid(format!("{sp}.scale"), "a scale runs from 0 to at least 1"));
        None
    } else if s.low_at_most > scale {
        problems.push(PolicyError::invalid(
            format!("{sp}.low_at_most"),
            format!("{} is above the scale's {scale}", s.low_at_most),
        ));
        None
    } else {
        Some(())
    };
    let r = &s.recovery;
    let t = TargetSpec {
        stage: r.stage.clone().unwrap_or_else(|| "recovery_call".into()),
        within: r.within,
        calendar: r.calendar.clone(),
        starts: None,
        done: r.done.clone().unwrap_or_else(|| "recovery_call_at".into()),
        end_of_day: false,
    };
    let recovery = compile_target(spec, env, &t, &format!("{sp}.recovery"), problems);
    marked?;
    Some(Satisfaction { low: s.low_at_most, scale, recovery: recovery?, escalate_to: s.escalate_to })
}

// ---------------------------------------------------------------------------------------------

/// A case, with the events that happened so far.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// "Now": the engine never reads a clock.
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
    /// `enquiry`, `complaint`, `return`, `refund`, `repair`, `warranty`, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub customer: Option<CaseCustomer>,
    /// A complaint's subject (an order, a product, a matter), matched against `history`.
    #[serde(default)]
    pub subject: Option<String>,
    /// The customer's satisfaction result, when surveyed.
    #[serde(default)]
    pub satisfaction: Option<SatisfactionResult>,
    /// The same customer's earlier complaints (at most 1000).
    #[serde(default)]
    pub history: Vec<EarlierComplaint>,
    /// Events by name: `created_at`, `first_response_at`, `approved_at`, `resolved_at`, …
    #[serde(default)]
    pub events: BTreeMap<String, Timestamp>,
    /// Time waiting on the customer, not counted.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// The fingerprint of the policy the caller decided under; a different one is refused with
    /// `POLICY_MISMATCH`.
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
    /// Values of the facts the policy declares, by name: `{"case.region": "xinjiang"}`.
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseCustomer {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
}

/// A satisfaction result: `score` of `scale` (default 5), given at `at`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SatisfactionResult {
    pub score: u32,
    #[serde(default)]
    pub scale: Option<u32>,
    pub at: Timestamp,
}

/// An earlier complaint of the case's customer.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EarlierComplaint {
    pub subject: String,
    pub opened_at: Timestamp,
    #[serde(default)]
    pub closed_at: Option<Timestamp>,
    /// When given, an entry of another customer than `customer.id` does not count.
    #[serde(default)]
    pub customer_id: Option<String>,
}

/// Most earlier complaints a case may carry.
pub const MAX_HISTORY: usize = 1000;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pause {
    pub from: Timestamp,
    #[serde(default)]
    pub to: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    Pending,
    Met,
    MetLate,
    Breached,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EscalationLevel {
    pub level: u32,
    pub role: String,
}

/// One stage of a case: when it is due, and where it stands at `now`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TargetStatus {
    pub stage: String,
    pub calendar: String,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub starts_at: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub due_at: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub done_at: Option<String>,
    pub status: Status,
    /// Business seconds used so far (to `now`, or to the event that met it), pauses excluded.
    pub elapsed_seconds: i64,
    /// Business seconds left until due (negative once overdue).
    pub remaining_seconds: i64,
    pub percent_used: u32,
    /// The highest warning threshold crossed.
    pub warning: Option<u32>,
    pub escalation: Option<EscalationLevel>,
    pub reasons: Vec<Reason>,
}

/// The answer to an SLA case: every stage's due time and status, the warning and escalation reached.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SlaAnswer {
    #[serde(rename = "type")]
    pub kind: String,
    pub priority: Option<String>,
    /// Who is responsible for a complaint, by the first `complaints.responsibility` rule that holds.
    pub responsibility: Option<Party>,
    pub plan: String,
    pub targets: Vec<TargetStatus>,
    /// The highest escalation reached, by a breach or by a complaint rule.
    pub escalation: Option<EscalationLevel>,
    pub reasons: Vec<Reason>,
    /// `CALENDAR_DATA_MISSING` when a date left the years the holiday data covers.
    pub warnings: Vec<Reason>,
    pub trace: Vec<TraceEntry>,
    pub policy: PolicyRef,
}

impl Explained for SlaAnswer {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.targets.iter_mut().flat_map(|t| t.reasons.iter_mut()).chain(self.reasons.iter_mut()).for_each(f);
    }

    fn texts(&mut self, f: &mut dyn FnMut(&mut crate::explain::Text)) {
        self.warnings.iter_mut().for_each(|w| f(&mut w.message));
    }
}

struct CaseFacts<'a> {
    case: &'a Case,
    priority: Option<&'a str>,
    regulator: bool,
}

impl Facts for CaseFacts<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        fn text(v: Option<&String>) -> FactValue<'_> {
            v.map_or(FactValue::Missing, |s| FactValue::Text(s.as_str()))
        }
        match name {
            "case.type" => FactValue::Text(&self.case.kind),
            "case.priority" => self.priority.map_or(FactValue::Missing, FactValue::Text),
            "case.channel" => text(self.case.channel.as_ref()),
            "case.severity" => text(self.case.severity.as_ref()),
            "case.category" => text(self.case.category.as_ref()),
            "customer.tier" => text(self.case.customer.as_ref().and_then(|c| c.tier.as_ref())),
            "case.subject" => text(self.case.subject.as_ref()),
            "case.regulator" => FactValue::Bool(self.regulator),
            _ => FactValue::Missing,
        }
    }
}

/// Computes a case's deadlines under `policy`: the stages of the module's doc, in order.
pub fn deadlines(env: &Env, sla: &SlaPolicy, case: &Case) -> Result<SlaAnswer> {
    crate::order::check_text(&case.kind, "type")?;
    let line = pauses(env, case)?;
    check_case(&line)?;
    let ranked = priority(sla, &line)?;
    let facts = CaseFacts { case, priority: ranked.priority.as_deref(), regulator: ranked.regulator };
    let mut reasons = ranked.reasons;
    let mut trace = Vec::new();
    let declared = sla.declared.values(&case.facts, &sla.tested, "facts")?;
    let responsibility = responsibility(sla, &facts, &declared, &mut trace, &mut reasons);
    let plan = plan(sla, &WithDeclared { facts: &facts, declared: &declared }, &case.kind)?;
    trace.insert(0, TraceEntry { rule: plan.id.as_str().into(), matched: true, lines: Vec::new() });
    let mut gaps = DataGaps::default();
    let mut targets = Vec::with_capacity(plan.targets.len() + 1);
    let mut top: Option<EscalationLevel> = None;
    for t in &plan.targets {
        let start =
            if t.starts == "created_at" { Some(line.created) } else { case.events.get(&t.starts).map(Timestamp::utc) };
        let (st, _) = target(env, sla, &line, t, start, &mut gaps)?;
        if let Some(e) = &st.escalation {
            raise(&mut top, e.level, || e.clone());
        }
        targets.push(st);
    }
    if let Some((st, reason, escalated)) = satisfaction(env, sla, &line, &mut gaps)? {
        for e in st.escalation.iter().chain(escalated.iter()) {
            raise(&mut top, e.level, || e.clone());
        }
        targets.push(st);
        reasons.push(reason);
    }
    complaint_escalation(sla, &WithDeclared { facts: &facts, declared: &declared }, &mut trace, &mut reasons, &mut top);
    Ok(SlaAnswer {
        kind: case.kind.clone(),
        priority: ranked.priority,
        responsibility,
        plan: plan.id.clone(),
        targets,
        escalation: top,
        reasons,
        warnings: gaps.warnings(),
        trace,
        policy: env.reference(),
    })
}

/// A case's time line: `now`, when it was created (a case with no `created_at` is being created
/// now), the part of each pause that has happened by `now`, and the plain clock of the policy's zone.
struct Timeline<'a> {
    case: &'a Case,
    now: DateTime<Utc>,
    created: DateTime<Utc>,
    pauses: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    clock: Calendar,
}

/// Stage 1, the pauses: the part of each that has happened by `now`, with the case's creation;
/// refused when the case was created after `now` or a pause ends before it starts.
fn pauses<'a>(env: &Env, case: &'a Case) -> Result<Timeline<'a>> {
    let now = case.now.utc();
    let created = case.events.get("created_at").map_or(now, Timestamp::utc);
    if created > now {
        return Err(PolicyError::invalid("events.created_at", "the case was created after `now`"));
    }
    let mut pauses = Vec::with_capacity(case.pauses.len());
    for (i, p) in case.pauses.iter().enumerate() {
        let (from, to) = (p.from.utc(), p.to.map_or(now, |t| t.utc()));
        if to < from {
            return Err(PolicyError::invalid(format!("pauses[{i}].to"), "a pause ends before it starts"));
        }
        // Only the part of a pause that has happened by `now` counts.
        if from < now {
            pauses.push((from, to.min(now)));
        }
    }
    Ok(Timeline { case, now, created, pauses, clock: Calendar::clock(env.zone) })
}

/// The case's own figures: a satisfaction result on its scale and not after `now`; at most
/// [`MAX_HISTORY`] earlier complaints, each opened before this one; a reopening after a closing.
fn check_case(line: &Timeline) -> Result<()> {
    let case = line.case;
    if let Some(s) = &case.satisfaction {
        let scale = s.scale.unwrap_or(5);
        if scale == 0 {
            return Err(PolicyError::invalid("satisfaction.scale", "a scale runs from 0 to at least 1"));
        }
        if s.score > scale {
            return Err(PolicyError::invalid(
                "satisfaction.score",
                format!("{} is above the scale's {scale}", s.score),
            ));
        }
        if s.at.utc() > line.now {
            return Err(PolicyError::invalid("satisfaction.at", "the result is after `now`"));
        }
    }
    if case.history.len() > MAX_HISTORY {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "history",
            format!("more than {MAX_HISTORY} earlier complaints"),
        ));
    }
    if let Some(i) = case.history.iter().position(|h| h.opened_at.utc() > line.created) {
        return Err(PolicyError::invalid(
            format!("history[{i}].opened_at"),
            "an earlier complaint opened after this one",
        ));
    }
    match (case.events.get("closed_at"), case.events.get("reopened_at")) {
        (None, Some(_)) => Err(PolicyError::invalid("events.reopened_at", "a reopened case needs its closed_at")),
        (Some(c), Some(r)) if r.utc() < c.utc() => {
            Err(PolicyError::invalid("events.reopened_at", "the case was reopened before it was closed"))
        }
        _ => Ok(()),
    }
}

/// A case's priority, whether it came through a regulator channel, and the reasons.
struct Ranked {
    priority: Option<String>,
    regulator: bool,
    reasons: Vec<Reason>,
}

/// Stage 2, the priority: given, or classified by the complaint matrix; a complaint's raised by a
/// repeat and by a reopening, and set by a regulator channel.
fn priority(sla: &SlaPolicy, line: &Timeline) -> Result<Ranked> {
    let (case, c) = (line.case, &sla.complaints);
    let (priority, classified) = classify(sla, case);
    let regulator = case.channel.as_ref().is_some_and(|ch| c.regulator_channels.contains(ch));
    let mut ranked = Ranked { priority, regulator, reasons: classified.into_iter().collect() };
    if case.kind != "complaint" {
        return Ok(ranked);
    }
    if let Some(p) = ranked.priority.as_ref().filter(|p| !c.priorities.is_empty() && !c.priorities.contains(p)) {
        return Err(PolicyError::new(
            ErrorCode::UnknownReference,
            "priority",
            format!("priority `{}` is not one of the policy's complaints.priorities", crate::time::truncate(p, 64)),
        ));
    }
    if let Some(days) = c.repeat_within_days {
        repeat(c, line, days, &mut ranked);
        reopening(c, line, days, &mut ranked);
    }
    if let (true, Some(p)) = (regulator, &c.regulator_priority) {
        let channel = case.channel.clone().unwrap_or_default();
        ranked.reasons.push(
            Reason::new(
                "REGULATOR_CHANNEL",
                Says::RegulatorChannel { channel: channel.as_str().into(), priority: p.as_str().into() },
            )
            .figure("channel", channel)
            .figure("priority", p.as_str()),
        );
        ranked.priority = Some(p.clone());
    }
    Ok(ranked)
}

/// The priority given, or classified by the complaint matrix (then with its reason).
fn classify(sla: &SlaPolicy, case: &Case) -> (Option<String>, Option<Reason>) {
    let classified = match (&case.priority, &case.category, &case.severity) {
        (None, Some(c), Some(s)) => sla.matrix.get(c).and_then(|m| m.get(s)),
        _ => None,
    };
    let reason = classified.map(|p| {
        Reason::new("PRIORITY_CLASSIFIED", Says::PriorityClassified { priority: p.as_str().into() })
            .figure("priority", p.as_str())
    });
    (case.priority.clone().or_else(|| classified.cloned()), reason)
}

/// A priority raised `raise_by` levels up `priorities` (one with no priority, or none yet, starts
/// from the lowest): from and to.
fn raised(c: &ComplaintRules, from: Option<&str>) -> (String, String) {
    let lowest = c.priorities.len().saturating_sub(1);
    let at = from.and_then(|p| c.priorities.iter().position(|x| x == p)).unwrap_or(lowest);
    let to = at.saturating_sub(usize::try_from(c.raise_by).unwrap_or(usize::MAX));
    let name = |i: usize| c.priorities.get(i).cloned().unwrap_or_default();
    (name(at), name(to))
}

/// A repeat: the same customer complained on the same subject at most `days` days (of 24 hours)
/// before this complaint opened; raised once, however many there were.
fn repeat(c: &ComplaintRules, line: &Timeline, days: u32, ranked: &mut Ranked) {
    let case = line.case;
    let Some(subject) = &case.subject else { return };
    let customer = case.customer.as_ref().and_then(|c| c.id.as_deref());
    let window = i64::from(days) * 86_400;
    let latest = case
        .history
        .iter()
        .filter(|h| &h.subject == subject && h.customer_id.as_deref().is_none_or(|id| Some(id) == customer))
        .map(|h| h.opened_at.utc())
        .filter(|opened| (line.created - *opened).num_seconds() <= window)
        .max();
    let Some(latest) = latest else { return };
    let (from, to) = raised(c, ranked.priority.as_deref());
    ranked.reasons.push(
        Reason::new(
            "COMPLAINT_REPEAT",
            Says::ComplaintRepeat { from: from.as_str().into(), to: to.as_str().into(), days },
        )
        .figure("from", from)
        .figure("to", to.as_str())
        .figure("earlier_opened_at", line.clock.print(latest))
        .figure("within_days", days),
    );
    ranked.priority = Some(to);
}

/// A reopening: the complaint was reopened at most `days` days (of 24 hours) after it was closed.
fn reopening(c: &ComplaintRules, line: &Timeline, days: u32, ranked: &mut Ranked) {
    let events = &line.case.events;
    let (Some(closed), Some(reopened)) = (events.get("closed_at"), events.get("reopened_at")) else { return };
    if (reopened.utc() - closed.utc()).num_seconds() > i64::from(days) * 86_400 {
        return;
    }
    let (from, to) = raised(c, ranked.priority.as_deref());
    ranked.reasons.push(
        Reason::new(
            "COMPLAINT_REOPENED",
            Says::ComplaintReopened { from: from.as_str().into(), to: to.as_str().into(), days },
        )
        .figure("from", from)
        .figure("to", to.as_str())
        .figure("within_days", days),
    );
    ranked.priority = Some(to);
}

/// Stage 3, responsibility: a complaint's party, by the first rule that holds.
fn responsibility(
    sla: &SlaPolicy,
    facts: &CaseFacts,
    declared: &Values,
    trace: &mut Vec<TraceEntry>,
    reasons: &mut Vec<Reason>,
) -> Option<Party> {
    if facts.case.kind != "complaint" {
        return None;
    }
    let with = WithDeclared { facts, declared };
    let rule = sla.complaints.responsibility.iter().find(|r| r.when.eval(&with))?;
    trace.push(TraceEntry { rule: rule.id.clone(), matched: true, lines: Vec::new() });
    reasons.push(
        Reason::new("RESPONSIBILITY", Says::Responsibility { party: rule.party.as_str(), rule: rule.id.clone() })
            .rule(rule.id.clone())
            .figure("party", rule.party.as_str()),
    );
    Some(rule.party)
}

/// Stage 4, the plan: the first whose `when` holds.
fn plan<'a>(sla: &'a SlaPolicy, facts: &dyn Facts, kind: &str) -> Result<&'a Plan> {
    sla.plans.iter().find(|p| p.when.eval(facts)).ok_or_else(|| {
        PolicyError::new(
            ErrorCode::UnknownReference,
            "type",
            format!("no SLA plan applies to this case (type `{kind}`); end the plans with a default"),
        )
    })
}

/// A started target on its calendar.
struct Started<'a> {
    target: &'a Target,
    cal: &'a Calendar,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    done: Option<DateTime<Utc>>,
}

impl Started<'_> {
    /// The due time in the calendar's zone, for the words.
    fn due_local(&self) -> DateTime<Tz> {
        self.due.with_timezone(&self.cal.zone)
    }
}

/// Stage 5, each target from its `start`: its calendar and events, then stages 5.1 to 5.5 in
/// order (a target whose start has not happened stops here, `not_started`, with no due time); with
/// its due time in the calendar's zone.
fn target(
    env: &Env,
    sla: &SlaPolicy,
    line: &Timeline,
    t: &Target,
    start: Option<DateTime<Utc>>,
    gaps: &mut DataGaps,
) -> Result<(TargetStatus, Option<DateTime<Tz>>)> {
    let cal = env.calendar(&t.calendar, &line.clock, "sla")?;
    let done = line.case.events.get(&t.done).map(Timestamp::utc);
    let mut st = TargetStatus {
        stage: t.stage.to_string(),
        calendar: t.calendar.clone(),
        starts_at: start.map(|s| cal.print(s)),
        due_at: None,
        done_at: done.map(|d| cal.print(d)),
        status: Status::NotStarted,
        elapsed_seconds: 0,
        remaining_seconds: 0,
        percent_used: 0,
        warning: None,
        escalation: None,
        reasons: Vec::new(),
    };
    let Some(start) = start else { return Ok((st, None)) };
    let s = Started { target: t, cal, start, due: due(t, cal, start, line, gaps)?, done };
    st.due_at = Some(cal.print(s.due));
    used_and_remaining(&s, line, gaps, &mut st)?;
    status(&s, line, &mut st);
    escalation(sla, &s, line, gaps, &mut st)?;
    warning(sla, &s, &mut st);
    Ok((st, Some(s.due_local())))
}

/// Stage 5.1, the due time: the target's duration from its start on its calendar, moved by the
/// pauses.
fn due(
    t: &Target,
    cal: &Calendar,
    start: DateTime<Utc>,
    line: &Timeline,
    gaps: &mut DataGaps,
) -> Result<DateTime<Utc>> {
    add_duration(cal, start, t.amount, t.end_of_day, &line.pauses, gaps)
}

/// Stage 5.2, the time used (to `now`, or to the event that met it) and remaining, and the percent
/// used.
fn used_and_remaining(s: &Started, line: &Timeline, gaps: &mut DataGaps, st: &mut TargetStatus) -> Result<()> {
    let counting = match s.target.amount {
        Amount::Clock(_) => std::borrow::Cow::Owned(Calendar::clock(s.cal.zone)),
        _ => std::borrow::Cow::Borrowed(s.cal),
    };
    let until = s.done.map_or(line.now, |d| d.min(line.now));
    let (total, used) = counting.elapsed_to_both(s.start, (s.due, until), &line.pauses, gaps)?;
    st.elapsed_seconds = used;
    // Open time adds up over adjoining spans, so from the start on what is left is the total less
    // what was used (negative once past due) without walking the calendar again.
    st.remaining_seconds = if s.start <= until {
        total.saturating_sub(used)
    } else {
        counting.elapsed(until, s.due, &line.pauses, gaps)?
    };
    st.percent_used = if total > 0 {
        u32::try_from(used.saturating_mul(100) / total).unwrap_or(u32::MAX)
    } else if until >= s.due {
        100
    } else {
        0
    };
    Ok(())
}

/// Stage 5.3, the status: met, met late, breached or pending; a breach and a late meeting say so.
fn status(s: &Started, line: &Timeline, st: &mut TargetStatus) {
    st.status = match s.done {
        Some(d) if d <= s.due => Status::Met,
        Some(_) => Status::MetLate,
        None if line.now > s.due => Status::Breached,
        None => Status::Pending,
    };
    let (stage, due) = (s.target.stage.clone(), s.due_local());
    match st.status {
        Status::Breached => st
            .reasons
            .push(Reason::new("SLA_BREACHED", Says::Breached { stage, due }).figure("due_at", s.cal.print(s.due))),
        Status::MetLate => st.reasons.push(Reason::new("SLA_MET_LATE", Says::MetLate { stage, due })),
        _ => {}
    }
}

/// Stage 5.4, the escalation a breach has reached: the highest level whose time (the breach plus
/// its `after_breach`) has come.
fn escalation(sla: &SlaPolicy, s: &Started, line: &Timeline, gaps: &mut DataGaps, st: &mut TargetStatus) -> Result<()> {
    if st.status != Status::Breached {
        return Ok(());
    }
    for e in &sla.escalation {
        // A zero delay is the breach itself, even outside hours (adding no business time to an
        // after-hours instant would wait for the next opening).
        let at =
            if e.after.is_zero() { s.due } else { add_duration(s.cal, s.due, e.after, false, &line.pauses, gaps)? };
        if line.now >= at && st.escalation.as_ref().is_none_or(|x| e.level > x.level) {
            st.escalation = Some(EscalationLevel { level: e.level, role: e.role.to_string() });
        }
    }
    if let Some(e) = &st.escalation {
        st.reasons.push(
            Reason::new("ESCALATED", Says::Escalated { level: e.level, role: e.role.as_str().into() })
                .figure("level", e.level)
                .figure("role", e.role.as_str()),
        );
    }
    Ok(())
}

/// Stage 5.5, the warning: the highest threshold a pending or breached target has crossed (a
/// pending one says so).
fn warning(sla: &SlaPolicy, s: &Started, st: &mut TargetStatus) {
    if !matches!(st.status, Status::Pending | Status::Breached) {
        return;
    }
    st.warning = sla.warnings.iter().copied().filter(|w| st.percent_used >= *w).max();
    if let (Some(w), Status::Pending) = (st.warning, st.status) {
        st.reasons.push(
            Reason::new(
                "SLA_WARNING",
                Says::Warning { threshold: w, stage: s.target.stage.clone(), due: s.due_local() },
            )
            .figure("threshold", w),
        );
    }
}

/// Stage 6, satisfaction: a low result (at most `low_at_most` of the policy's scale, compared in
/// proportion and exactly) opens the recovery call, counted from the result, and escalates.
fn satisfaction(
    env: &Env,
    sla: &SlaPolicy,
    line: &Timeline,
    gaps: &mut DataGaps,
) -> Result<Option<(TargetStatus, Reason, Option<EscalationLevel>)>> {
    let (Some(s), Some(r)) = (&sla.satisfaction, &line.case.satisfaction) else { return Ok(None) };
    let scale = r.scale.unwrap_or(5);
    // score / scale <= low / policy scale, in integers.
    if u64::from(r.score) * u64::from(s.scale) > u64::from(s.low) * u64::from(scale) {
        return Ok(None);
    }
    let (st, due) = target(env, sla, line, &s.recovery, Some(r.at.utc()), gaps)?;
    let escalated = s.escalate_to.map(|level| EscalationLevel { level, role: role_of(sla, level) });
    let Some(due) = due else { return Ok(None) };
    let mut reason = Reason::new(
        "SATISFACTION_RECOVERY",
        Says::SatisfactionRecovery {
            score: r.score,
            scale,
            stage: s.recovery.stage.clone(),
            due,
            escalated: escalated.as_ref().map(|e| (e.level, e.role.as_str().into())),
        },
    )
    .figure("score", r.score)
    .figure("scale", scale)
    .figure("stage", &*s.recovery.stage)
    .figure("due_at", st.due_at.clone());
    if let Some(e) = &escalated {
        reason = reason.figure("level", e.level);
    }
    Ok(Some((st, reason, escalated)))
}

/// The role of an escalation level (`level N` when the policy names none).
fn role_of(sla: &SlaPolicy, level: u32) -> String {
    sla.escalation.iter().find(|e| e.level == level).map_or_else(|| format!("level {level}"), |e| e.role.to_string())
}

/// Stage 7, complaint escalation: serious complaints escalate at once, by the
/// `complaints.escalate` rules.
fn complaint_escalation(
    sla: &SlaPolicy,
    facts: &dyn Facts,
    trace: &mut Vec<TraceEntry>,
    reasons: &mut Vec<Reason>,
    top: &mut Option<EscalationLevel>,
) {
    for rule in &sla.escalate {
        if !rule.when.eval(facts) {
            continue;
        }
        let (id, level) = (&rule.id, rule.level);
        trace.push(TraceEntry { rule: id.clone(), matched: true, lines: Vec::new() });
        let role = role_of(sla, level);
        reasons.push(
            Reason::new(
                "COMPLAINT_ESCALATED",
                Says::ComplaintEscalated { level, role: role.as_str().into(), rule: id.clone() },
            )
            .rule(id.clone())
            .figure("level", level),
        );
        raise(top, level, || EscalationLevel { level, role });
    }
}

/// Keeps the higher escalation: `level` replaces `top` only when it is higher.
fn raise(top: &mut Option<EscalationLevel>, level: u32, new: impl FnOnce() -> EscalationLevel) {
    if top.as_ref().is_none_or(|x| level > x.level) {
        *top = Some(new());
    }
}

/// The due time of a plan's stage for a case of `kind` started at `start` (for "you will hear from
/// us by …" in return decisions and refund quotes), or `None` when no plan names that stage.
pub fn due_for(env: &Env, sla: &SlaPolicy, kind: &str, stage: &str, start: &Timestamp) -> Result<Option<String>> {
    let case = Case {
        now: *start,
        locale: Locale::En,
        kind: kind.to_string(),
        id: None,
        priority: None,
        channel: None,
        severity: None,
        category: None,
        customer: None,
        subject: None,
        satisfaction: None,
        history: Vec::new(),
        events: BTreeMap::new(),
        pauses: Vec::new(),
        policy_fingerprint: None,
        facts: BTreeMap::new(),
    };
    let facts = CaseFacts { case: &case, priority: None, regulator: false };
    // No case: declared facts have their defaults only.
    let declared = sla.declared.values(&BTreeMap::new(), &[], "facts")?;
    let facts = WithDeclared { facts: &facts, declared: &declared };
    let Some(plan) = sla.plans.iter().find(|p| p.when.eval(&facts)) else { return Ok(None) };
    let Some(t) = plan.targets.iter().find(|t| &*t.stage == stage) else { return Ok(None) };
    let clock = Calendar::clock(env.zone);
    let cal = env.calendar(&t.calendar, &clock, "sla")?;
    let due = add_duration(cal, start.utc(), t.amount, t.end_of_day, &[], &mut DataGaps::default())?;
    Ok(Some(cal.print(due)))
}

/// Two stages of one plan, counted from the same event, that fall due out of order for some start:
/// the earlier stage (in the plan's order) due after the later one. For the policy lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagesOutOfOrder {
    /// The plan's index in `plans`, and the two targets' indices in its `targets`.
    pub plan: usize,
    pub earlier: usize,
    pub later: usize,
    pub earlier_stage: String,
    pub later_stage: String,
    /// The start that shows it (and its weekday, `fri`), and the two due times, in the policy's zone.
    pub start: String,
    pub start_day: &'static str,
    pub earlier_due: String,
    pub later_due: String,
}

impl SlaPolicy {
    /// The plans' compiled `when`s, in document order (for the policy lint).
    pub fn plan_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.plans.iter().map(|p| &p.when)
    }
}

/// The week the lint starts cases in: Monday 16 November 2026, local time.
const LINT_WEEK: (i32, u32, u32) = (2026, 11, 16);

/// The starts the lint tries: every quarter hour of [`LINT_WEEK`] in `zone`, the whole hours first
/// (so the start a warning names is a whole hour when one shows it), each in time order.
fn lint_starts(zone: Tz) -> Vec<DateTime<Utc>> {
    let Some(monday) = chrono::NaiveDate::from_ymd_opt(LINT_WEEK.0, LINT_WEEK.1, LINT_WEEK.2) else {
        return Vec::new();
    };
    let quarter = |k: i64| {
        let local = monday.and_time(chrono::NaiveTime::MIN) + chrono::Duration::minutes(15 * k);
        crate::time::resolve_local(zone, local).with_timezone(&Utc)
    };
    let (hours, quarters): (Vec<i64>, Vec<i64>) = (0..7 * 24 * 4).partition(|k| k % 4 == 0);
    hours.into_iter().chain(quarters).map(quarter).collect()
}

/// Whether target `b` can never fall due before target `a` whatever the start: both clock time,
/// or the same kind of time on the same calendar, with `a` no longer than `b`.
fn never_before(a: &Target, b: &Target) -> bool {
    match (a.amount, b.amount) {
        (Amount::Clock(x), Amount::Clock(y)) => x <= y,
        (Amount::Business(x), Amount::Business(y)) => a.calendar == b.calendar && x <= y,
        (Amount::BusinessDays(x), Amount::BusinessDays(y)) => {
            a.calendar == b.calendar && x <= y && (a.end_of_day <= b.end_of_day)
        }
        _ => false,
    }
}

/// Every later target of every plan that some start, tried every quarter hour of one week (the
/// whole hours first), makes fall due before an earlier target counted from the same event: the
/// first such start, with the first earlier target it shows (found, not guessed; pairs that can
/// never cross are not tried).
pub fn stages_out_of_order(env: &Env, sla: &SlaPolicy) -> Vec<StagesOutOfOrder> {
    let clock = Calendar::clock(env.zone);
    let mut out = Vec::new();
    let mut starts: Option<Vec<DateTime<Utc>>> = None;
    for (p, plan) in sla.plans.iter().enumerate() {
        let t = &plan.targets;
        let pairs: Vec<(usize, usize)> = (0..t.len())
            .flat_map(|j| (0..j).map(move |i| (i, j)))
            .filter(|&(i, j)| match (t.get(i), t.get(j)) {
                (Some(a), Some(b)) => a.starts == b.starts && !never_before(a, b),
                _ => false,
            })
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let mut reported = std::collections::BTreeSet::new();
        for &start in starts.get_or_insert_with(|| lint_starts(env.zone)).iter() {
            let dues: Vec<Option<DateTime<Utc>>> = t
                .iter()
                .map(|x| {
                    let cal = env.calendar(&x.calendar, &clock, "sla").ok()?;
                    add_duration(cal, start, x.amount, x.end_of_day, &[], &mut DataGaps::default()).ok()
                })
                .collect();
            for &(i, j) in &pairs {
                let (Some(Some(a)), Some(Some(b))) = (dues.get(i), dues.get(j)) else { continue };
                if a > b && reported.insert(j) {
                    out.push(StagesOutOfOrder {
                        plan: p,
                        earlier: i,
                        later: j,
                        earlier_stage: t.get(i).map(|x| x.stage.to_string()).unwrap_or_default(),
                        later_stage: t.get(j).map(|x| x.stage.to_string()).unwrap_or_default(),
                        start: clock.print(start),
                        start_day: crate::calendar::weekday_name(chrono::Datelike::weekday(
                            &start.with_timezone(&env.zone),
                        )),
                        earlier_due: clock.print(*a),
                        later_due: clock.print(*b),
                    });
                }
            }
        }
    }
    out.sort_by_key(|o| (o.plan, o.later));
    out
}

/// The longest a chain of stages can take, in local calendar days: for the policy lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongestChain {
    /// The start that makes it longest, and when the last stage is then due.
    pub start: String,
    pub end: String,
    /// Local calendar days from the start's date to the end's.
    pub days: i64,
}

/// The starts [`longest_chain`] tries: 23:59 local of every day of the latest three years the
/// calendars' holiday data covers, else of [`LINT_WEEK`]. A due time never comes earlier for a
/// later start (on any calendar, in any unit), so a date's last minute is its worst start.
fn chain_starts(cals: &[&Calendar]) -> Vec<chrono::NaiveDateTime> {
    let years: std::collections::BTreeSet<i32> = cals.iter().flat_map(|c| c.data_years()).collect();
    let dates: Vec<chrono::NaiveDate> = match (years.iter().rev().nth(2).or(years.first()), years.last()) {
        (Some(&first), Some(&last)) => chrono::NaiveDate::from_ymd_opt(first, 1, 1)
            .map(|d| d.iter_days().take_while(|d| chrono::Datelike::year(d) <= last).collect())
            .unwrap_or_default(),
        _ => chrono::NaiveDate::from_ymd_opt(LINT_WEEK.0, LINT_WEEK.1, LINT_WEEK.2)
            .map(|d| d.iter_days().take(7).collect())
            .unwrap_or_default(),
    };
    let late = chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(chrono::NaiveTime::MIN);
    dates.iter().map(|d| d.and_time(late)).collect()
}

/// Stages `stages` of plan `plan` run one after the other, each starting when the one before is
/// due (its worst case): the start that makes the whole longest in local calendar days, over the
/// calendars' real holidays and make-up working days (`chain_starts`). `None` when a stage or
/// its calendar is missing.
pub fn longest_chain(env: &Env, sla: &SlaPolicy, plan: usize, stages: &[usize]) -> Option<LongestChain> {
    let plan = sla.plans.get(plan)?;
    let targets: Vec<&Target> = stages.iter().map(|i| plan.targets.get(*i)).collect::<Option<_>>()?;
    let clock = Calendar::clock(env.zone);
    let cals: Vec<&Calendar> =
        targets.iter().map(|t| env.calendar(&t.calendar, &clock, "sla").ok()).collect::<Option<_>>()?;
    let mut best: Option<(i64, DateTime<Utc>, DateTime<Utc>)> = None;
    for local in chain_starts(&cals) {
        let start = crate::time::resolve_local(env.zone, local).with_timezone(&Utc);
        let mut due = start;
        for (t, cal) in targets.iter().zip(&cals) {
            due = add_duration(cal, due, t.amount, t.end_of_day, &[], &mut DataGaps::default()).ok()?;
        }
        let date = |x: DateTime<Utc>| x.with_timezone(&env.zone).date_naive();
        let days = (date(due) - date(start)).num_days();
        if best.is_none_or(|(b, _, _)| days > b) {
            best = Some((days, start, due));
        }
    }
    best.map(|(days, start, end)| LongestChain { start: clock.print(start), end: clock.print(end), days })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_noted_and_a_refused_calendar_is_not_refused_again() {
        let zone = crate::zone::Tz::named("Asia/Shanghai").unwrap();
        let mut problems = Problems::default();
        let calendars: crate::calendar::CalendarsSpec =
            serde_json::from_str(r#"{"bad": {"holidays": ["x"]}}"#).unwrap();
        let calendars = crate::calendar::compile(&calendars, zone, "calendars", &mut problems);
        assert_eq!(problems.into_errors().len(), 1);
        let env = Env {
            zone,
            currency: crate::money::Currency { code: "CNY".into(), exponent: 2 },
            calendars,
            jurisdiction: None,
            reference: PolicyRef { id: "p".into(), version: "1".into(), fingerprint: "f".into() },
        };
        let spec: SlaSpec = serde_json::from_str(
            r#"{
                "plans": [
                    {"id": "", "targets": [{"stage": "", "within": {}, "done": "bad"}]},
                    {"id": "p", "targets": [
                        {"stage": "a", "within": {"business_hours": 2}, "calendar": "nope", "done": "done_at"},
                        {"stage": "b", "within": {"business_hours": 2}, "calendar": "bad", "done": "done_at"},
                        {"stage": "c", "within": {"business_hours": 2}, "done": "done_at"}
                    ]}
                ],
                "escalation": [{"level": 1, "role": "", "after_breach": {}}],
                "complaints": {"escalate": [{"id": "r", "when": {"no.such.fact": 1}, "level": 2}]}
            }"#,
        )
        .unwrap();
        let mut problems = Problems::default();
        assert!(compile(&spec, &env, "sla", &mut problems).is_none());
        let found: Vec<String> = problems.into_errors().into_iter().map(|e| e.path).collect();
        let wanted = [
            "sla.plans[0].id",
            "sla.plans[0].targets[0].stage",
            "sla.plans[0].targets[0].within",
            "sla.plans[0].targets[0].done",
            "sla.plans[1].targets[0].calendar",
            "sla.plans[1].targets[2].calendar",
            "sla.escalation[0].role",
            "sla.escalation[0].after_breach",
        ];
        assert_eq!(found.get(..wanted.len()), Some(&wanted.map(String::from)[..]), "{found:?}");
        assert_eq!(found.len(), wanted.len() + 1, "{found:?}");
        assert!(found.last().is_some_and(|p| p.starts_with("sla.complaints.escalate[0].when")), "{found:?}");
    }

    #[test]
    fn complaints_and_satisfaction_are_refused_with_their_paths() {
        let zone = crate::zone::Tz::named("Asia/Shanghai").unwrap();
        let env = Env {
            zone,
            currency: crate::money::Currency { code: "CNY".into(), exponent: 2 },
            calendars: crate::calendar::Calendars::default(),
            jurisdiction: None,
            reference: PolicyRef { id: "p".into(), version: "1".into(), fingerprint: "f".into() },
        };
        let refused = |text: &str| -> Vec<String> {
            let spec: SlaSpec = serde_json::from_str(text).unwrap();
            let mut problems = Problems::default();
            assert!(compile(&spec, &env, "sla", &mut problems).is_none());
            problems.into_errors().into_iter().map(|e| format!("{} {}", e.code.as_str(), e.path)).collect()
        };
        let plans = r#""plans": [{"id": "d", "targets": [{"stage": "s", "within": {"hours": 1}, "done": "d_at"}]}]"#;
        let found = refused(&format!(
            r#"{{{plans}, "complaints": {{"priorities": ["P1", "P2", "P1"], "priority": {{"quality": {{"high": "urgent"}}}},
                "regulator_priority": "P0", "responsibility": [{{"id": "", "party": "carrier"}}]}}}}"#
        ));
        let wanted = [
            "INVALID_VALUE sla.complaints.priorities[2]",
            "UNKNOWN_REFERENCE sla.complaints.priority.quality.high",
            "UNKNOWN_REFERENCE sla.complaints.regulator_priority",
            "INVALID_VALUE sla.complaints.responsibility[0].id",
        ];
        assert_eq!(found, wanted, "{found:?}");
        let found = refused(&format!(
            r#"{{{plans}, "complaints": {{"repeat_within_days": 30, "regulator_channels": ["12315"]}},
                "satisfaction": {{"low_at_most": 6, "recovery": {{"within": {{"business_hours": 4}}, "done": "x"}}}}}}"#
        ));
        let wanted = [
            "INVALID_FIELD sla.complaints.repeat_within_days",
            "INVALID_FIELD sla.complaints.regulator_priority",
            "INVALID_VALUE sla.satisfaction.low_at_most",
            "INVALID_FIELD sla.satisfaction.recovery.calendar",
            "INVALID_VALUE sla.satisfaction.recovery.done",
        ];
        assert_eq!(found, wanted, "{found:?}");
    }
}
