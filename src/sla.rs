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
//! [`deadlines`] goes through these stages, in this order (the first refusal is the answer):
//! 1. `pauses`: `now`, the case's creation and the pauses that count;
//! 2. `priority`: given, or classified by the matrix;
//! 3. `plan`: the first plan whose `when` holds;
//! 4. for each of the plan's targets, in order (`target`; one whose start event has not happened
//!    is `not_started` and goes no further):
//!    1. `due`: the due time, moved by the pauses;
//!    2. `used_and_remaining`: the time used and remaining, and the percent used;
//!    3. `status`: met, met late, breached or pending;
//!    4. `escalation`: the level a breach has reached;
//!    5. `warning`: the highest threshold crossed;
//! 5. `complaint_escalation`: the `complaints.escalate` rules.
//!
//! The case's data gaps (`CALENDAR_DATA_MISSING`) become the answer's warnings.

use crate::calendar::{add_duration, Amount, Calendar, DataGaps, DurationSpec};
use crate::conditions::{self, Condition, DeclaredFact, FactDef, FactType, FactValue, Facts};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, TraceEntry};
use crate::facts::{Declared, WithDeclared};
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
    /// The policy's declared facts, and those of them the plans' conditions test.
    declared: Arc<Declared>,
    tested: Vec<Arc<str>>,
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

/// The facts SLA rules may test.
pub static FACTS: &[FactDef] = &[
    FactDef { name: "case.type", ty: FactType::Text, doc: "enquiry, complaint, return, refund, repair, warranty" },
    FactDef { name: "case.priority", ty: FactType::Text, doc: "the case's priority, given or classified" },
    FactDef { name: "case.channel", ty: FactType::Text, doc: "online, phone, email, store, …" },
    FactDef { name: "case.severity", ty: FactType::Text, doc: "a complaint's severity" },
    FactDef {
        name: "case.category",
        ty: FactType::Text,
        doc: "a complaint's category (quality, service, delivery, …)",
    },
    FactDef { name: "customer.tier", ty: FactType::Text, doc: "the member tier" },
];

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
    let (matrix, escalate) = compile_complaints(spec.complaints.as_ref(), path, &mut own);
    let clean = own.is_empty();
    own.into_errors().into_iter().for_each(|e| problems.push(e));
    let tested = crate::facts::tested(declared, plans.iter().map(|p| &p.when));
    clean.then_some(SlaPolicy { warnings, escalation, plans, matrix, escalate, declared: declared.clone(), tested })
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
    path: &str,
    problems: &mut Problems,
) -> (Matrix, Vec<EscalateRule>) {
    let Some(c) = spec else { return (BTreeMap::new(), Vec::new()) };
    let mut escalate = Vec::with_capacity(c.escalate.len());
    for (i, r) in c.escalate.iter().enumerate() {
        let when = conditions::compile(&r.when, &format!("{path}.complaints.escalate[{i}].when"), FACTS);
        if let Some(when) = problems.check(when) {
            escalate.push(EscalateRule { id: r.id.as_str().into(), when, level: r.level });
        }
    }
    (c.priority.clone(), escalate)
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
            _ => FactValue::Missing,
        }
    }
}

/// Computes a case's deadlines under `policy`: the stages of the module's doc, in order.
pub fn deadlines(env: &Env, sla: &SlaPolicy, case: &Case) -> Result<SlaAnswer> {
    crate::order::check_text(&case.kind, "type")?;
    let line = pauses(env, case)?;
    let (priority, classified) = priority(sla, case);
    let facts = CaseFacts { case, priority: priority.as_deref() };
    let declared = sla.declared.values(&case.facts, &sla.tested, "facts")?;
    let plan = plan(sla, &WithDeclared { facts: &facts, declared: &declared }, &case.kind)?;
    let mut trace = vec![TraceEntry { rule: plan.id.as_str().into(), matched: true, lines: Vec::new() }];
    let mut reasons: Vec<Reason> = classified.into_iter().collect();
    let mut gaps = DataGaps::default();
    let mut targets = Vec::with_capacity(plan.targets.len());
    let mut top: Option<EscalationLevel> = None;
    for t in &plan.targets {
        let st = target(env, sla, &line, t, &mut gaps)?;
        if let Some(e) = &st.escalation {
            raise(&mut top, e.level, || e.clone());
        }
        targets.push(st);
    }
    complaint_escalation(sla, &facts, &mut trace, &mut reasons, &mut top);
    Ok(SlaAnswer {
        kind: case.kind.clone(),
        priority,
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

/// Stage 2, the priority: given, or classified by the complaint matrix (then with its reason).
fn priority(sla: &SlaPolicy, case: &Case) -> (Option<String>, Option<Reason>) {
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

/// Stage 3, the plan: the first whose `when` holds.
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

/// Stage 4, each target: its calendar and events, then stages 4.1 to 4.5 in order (a target whose
/// start event has not happened stops here, `not_started`, with no due time).
fn target(env: &Env, sla: &SlaPolicy, line: &Timeline, t: &Target, gaps: &mut DataGaps) -> Result<TargetStatus> {
    let cal = env.calendar(&t.calendar, &line.clock, "sla")?;
    let events = &line.case.events;
    let start = if t.starts == "created_at" { Some(line.created) } else { events.get(&t.starts).map(Timestamp::utc) };
    let done = events.get(&t.done).map(Timestamp::utc);
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
    let Some(start) = start else { return Ok(st) };
    let s = Started { target: t, cal, start, due: due(t, cal, start, line, gaps)?, done };
    st.due_at = Some(cal.print(s.due));
    used_and_remaining(&s, line, gaps, &mut st)?;
    status(&s, line, &mut st);
    escalation(sla, &s, line, gaps, &mut st)?;
    warning(sla, &s, &mut st);
    Ok(st)
}

/// Stage 4.1, the due time: the target's duration from its start on its calendar, moved by the
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

/// Stage 4.2, the time used (to `now`, or to the event that met it) and remaining, and the percent
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

/// Stage 4.3, the status: met, met late, breached or pending; a breach and a late meeting say so.
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

/// Stage 4.4, the escalation a breach has reached: the highest level whose time (the breach plus
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

/// Stage 4.5, the warning: the highest threshold a pending or breached target has crossed (a
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

/// Stage 5, complaint escalation: serious complaints escalate at once, by the
/// `complaints.escalate` rules.
fn complaint_escalation(
    sla: &SlaPolicy,
    facts: &CaseFacts,
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
        let role = sla
            .escalation
            .iter()
            .find(|e| e.level == level)
            .map_or_else(|| format!("level {level}"), |e| e.role.to_string());
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
        events: BTreeMap::new(),
        pauses: Vec::new(),
        policy_fingerprint: None,
        facts: BTreeMap::new(),
    };
    let facts = CaseFacts { case: &case, priority: None };
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
}
