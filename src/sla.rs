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

use crate::calendar::{add_duration, gap_warnings, Amount, Calendar, DataGaps, DurationSpec};
use crate::conditions::{self, Condition, FactDef, FactType, FactValue, Facts};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, TraceEntry};
use crate::messages::format_datetime;
use crate::problems::Problems;
use crate::time::Timestamp;
use crate::vocabulary::Locale;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    stage: String,
    amount: Amount,
    calendar: String,
    starts: String,
    done: String,
    end_of_day: bool,
}

#[derive(Debug, Clone)]
struct Escalation {
    level: u32,
    role: String,
    after: Amount,
}

/// The compiled `sla` section.
#[derive(Debug, Clone, Default)]
pub struct SlaPolicy {
    warnings: Vec<u32>,
    escalation: Vec<Escalation>,
    plans: Vec<Plan>,
    matrix: BTreeMap<String, BTreeMap<String, String>>,
    escalate: Vec<(String, Condition, u32)>,
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

/// Compiles the `sla` section.
pub fn compile(spec: &SlaSpec, env: &Env, path: &str, problems: &mut Problems) -> Option<SlaPolicy> {
    problems.check(compile_section(spec, env, path))
}

fn compile_section(spec: &SlaSpec, env: &Env, path: &str) -> Result<SlaPolicy> {
    if spec.plans.len() > MAX_PLANS {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.plans"),
            format!("more than {MAX_PLANS} plans"),
        ));
    }
    let calendar_of = |name: Option<&String>, amount: Amount, at: &str| -> Result<String> {
        match (name.or(spec.calendar.as_ref()), amount) {
            (Some(n), _) if n == "clock" || env.calendars.get(n).is_some() => Ok(n.clone()),
            (Some(n), _) => Err(PolicyError::new(
                ErrorCode::UnknownReference,
                at,
                format!("no calendar `{}` in calendars", crate::time::truncate(n, 64)),
            )),
            (None, Amount::Clock(_)) => Ok("clock".into()),
            (None, _) => Err(PolicyError::new(
                ErrorCode::InvalidField,
                at,
                "business time needs a calendar (here or in sla.calendar)",
            )),
        }
    };
    let mut plans = Vec::with_capacity(spec.plans.len());
    for (i, p) in spec.plans.iter().enumerate() {
        let pp = format!("{path}.plans[{i}]");
        crate::order::check_text(&p.id, &format!("{pp}.id"))?;
        if p.targets.len() > MAX_TARGETS {
            return Err(PolicyError::new(
                ErrorCode::LimitExceeded,
                format!("{pp}.targets"),
                format!("more than {MAX_TARGETS} targets"),
            ));
        }
        let mut targets = Vec::with_capacity(p.targets.len());
        for (j, t) in p.targets.iter().enumerate() {
            let tp = format!("{pp}.targets[{j}]");
            crate::order::check_text(&t.stage, &format!("{tp}.stage"))?;
            let amount = t.within.amount(&format!("{tp}.within"))?;
            targets.push(Target {
                stage: t.stage.clone(),
                amount,
                calendar: calendar_of(t.calendar.as_ref(), amount, &format!("{tp}.calendar"))?,
                starts: event_name(t.starts.as_deref().unwrap_or("created_at"), &format!("{tp}.starts"))?,
                done: event_name(&t.done, &format!("{tp}.done"))?,
                end_of_day: t.end_of_day,
            });
        }
        let when = match &p.when {
            Some(w) => conditions::compile(w, &format!("{pp}.when"), FACTS)?,
            None => Condition::always(),
        };
        plans.push(Plan { id: p.id.clone(), when, targets });
    }
    let escalation = match &spec.escalation {
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let ep = format!("{path}.escalation[{i}]");
                crate::order::check_text(&e.role, &format!("{ep}.role"))?;
                Ok(Escalation {
                    level: e.level,
                    role: e.role.clone(),
                    after: e.after_breach.amount(&format!("{ep}.after_breach"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?,
        None => vec![
            Escalation { level: 1, role: "supervisor".into(), after: Amount::Business(0) },
            Escalation { level: 2, role: "manager".into(), after: Amount::Business(24 * 3600) },
        ],
    };
    let warnings = spec.warnings.clone().unwrap_or_else(|| vec![50, 75, 100]);
    let (matrix, escalate) = match &spec.complaints {
        Some(c) => (
            c.priority.clone(),
            c.escalate
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    Ok((
                        r.id.clone(),
                        conditions::compile(&r.when, &format!("{path}.complaints.escalate[{i}].when"), FACTS)?,
                        r.level,
                    ))
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        None => (BTreeMap::new(), Vec::new()),
    };
    Ok(SlaPolicy { warnings, escalation, plans, matrix, escalate })
}

// ---------------------------------------------------------------------------------------------

/// A case, with the events that happened so far.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
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
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
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
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    Pending,
    Met,
    MetLate,
    Breached,
}

#[derive(Debug, Clone, Serialize)]
pub struct EscalationLevel {
    pub level: u32,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetStatus {
    pub stage: String,
    pub calendar: String,
    pub starts_at: Option<String>,
    pub due_at: Option<String>,
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

#[derive(Debug, Clone, Serialize)]
pub struct SlaAnswer {
    #[serde(rename = "type")]
    pub kind: String,
    pub priority: Option<String>,
    pub plan: String,
    pub targets: Vec<TargetStatus>,
    /// The highest escalation reached, by a breach or by a complaint rule.
    pub escalation: Option<EscalationLevel>,
    pub reasons: Vec<Reason>,
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

fn role_zh(role: &str) -> &str {
    match role {
        "supervisor" => "主管",
        "manager" => "经理",
        "director" => "总监",
        other => other,
    }
}

fn stage_label(stage: &str, locale: Locale) -> String {
    let zh = match stage {
        "first_response" => "首次响应",
        "registration" => "登记与初判",
        "solution" => "给出方案",
        "resolution" => "问题解决",
        "follow_up" => "满意度回访",
        "refund_review" => "退款审核",
        "refund_payout" => "退款到账",
        "repair" => "维修完成",
        "return_complete" => "退货完成",
        _ => stage,
    };
    locale.pick(stage.replace('_', " "), zh.to_string())
}

/// Computes a case's deadlines under `policy`.
pub fn deadlines(env: &Env, sla: &SlaPolicy, case: &Case) -> Result<SlaAnswer> {
    crate::order::check_text(&case.kind, "type")?;
    let locale = case.locale;
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

    // Priority: given, or classified by the complaint matrix.
    let classified = match (&case.priority, &case.category, &case.severity) {
        (None, Some(c), Some(s)) => sla.matrix.get(c).and_then(|m| m.get(s)).cloned(),
        _ => None,
    };
    let priority = case.priority.clone().or(classified.clone());
    let facts = CaseFacts { case, priority: priority.as_deref() };
    let mut trace = Vec::new();
    let Some(plan) = sla.plans.iter().find(|p| p.when.eval(&facts)) else {
        return Err(PolicyError::new(
            ErrorCode::UnknownReference,
            "type",
            format!("no SLA plan applies to this case (type `{}`); end the plans with a default", case.kind),
        ));
    };
    trace.push(TraceEntry { rule: plan.id.as_str().into(), matched: true, lines: Vec::new() });

    let mut reasons = Vec::new();
    if let Some(p) = &classified {
        reasons.push(
            Reason::new(
                "PRIORITY_CLASSIFIED",
                locale.pick_with(
                    || format!("Classified as priority {p} by its category and severity."),
                    || format!("按投诉类型和严重程度定为{p}优先级。"),
                ),
            )
            .figure("priority", p.as_str()),
        );
    }
    let mut gaps = DataGaps::default();
    let clock = Calendar::clock(env.zone);
    let mut targets = Vec::with_capacity(plan.targets.len());
    let mut top: Option<EscalationLevel> = None;
    for t in &plan.targets {
        let cal = env.calendar(&t.calendar, &clock, "sla")?;
        let counting = match t.amount {
            Amount::Clock(_) => std::borrow::Cow::Owned(Calendar::clock(cal.zone)),
            _ => std::borrow::Cow::Borrowed(cal),
        };
        let start =
            if t.starts == "created_at" { Some(created) } else { case.events.get(&t.starts).map(Timestamp::utc) };
        let done = case.events.get(&t.done).map(Timestamp::utc);
        let mut st = TargetStatus {
            stage: t.stage.clone(),
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
        if let Some(start) = start {
            let due = add_duration(cal, start, t.amount, t.end_of_day, &pauses, &mut gaps)?;
            let until = done.map_or(now, |d| d.min(now));
            let (total, used) = counting.elapsed_to_both(start, (due, until), &pauses, &mut gaps)?;
            st.due_at = Some(cal.print(due));
            st.elapsed_seconds = used;
            // Open time adds up over adjoining spans, so from the start on what is left is the
            // total less what was used (negative once past due) without walking the calendar again.
            st.remaining_seconds = if start <= until {
                total.saturating_sub(used)
            } else {
                counting.elapsed(until, due, &pauses, &mut gaps)?
            };
            st.percent_used = if total > 0 {
                u32::try_from(used.saturating_mul(100) / total).unwrap_or(u32::MAX)
            } else if until >= due {
                100
            } else {
                0
            };
            st.status = match done {
                Some(d) if d <= due => Status::Met,
                Some(_) => Status::MetLate,
                None if now > due => Status::Breached,
                None => Status::Pending,
            };
            let stage = stage_label(&t.stage, locale);
            let due_text = format_datetime(locale, &due.with_timezone(&cal.zone));
            match st.status {
                Status::Breached => {
                    st.reasons.push(
                        Reason::new(
                            "SLA_BREACHED",
                            locale.pick_with(
                                || format!("The {stage} target was due {due_text} and is overdue."),
                                || format!("{stage}时限为{due_text}，已超时。"),
                            ),
                        )
                        .figure("due_at", cal.print(due)),
                    );
                    for e in &sla.escalation {
                        // A zero delay is the breach itself, even outside hours (adding no business
                        // time to an after-hours instant would wait for the next opening).
                        let at = if e.after.is_zero() {
                            due
                        } else {
                            add_duration(cal, due, e.after, false, &pauses, &mut gaps)?
                        };
                        if now >= at && st.escalation.as_ref().is_none_or(|x| e.level > x.level) {
                            st.escalation = Some(EscalationLevel { level: e.level, role: e.role.clone() });
                        }
                    }
                    if let Some(e) = &st.escalation {
                        st.reasons.push(
                            Reason::new(
                                "ESCALATED",
                                locale.pick_with(
                                    || format!("Escalated to level {} ({}).", e.level, e.role),
                                    || format!("已升级至第{}级（{}）。", e.level, role_zh(&e.role)),
                                ),
                            )
                            .figure("level", e.level)
                            .figure("role", e.role.as_str()),
                        );
                    }
                }
                Status::MetLate => st.reasons.push(Reason::new(
                    "SLA_MET_LATE",
                    locale.pick_with(
                        || format!("The {stage} target was met after it was due ({due_text})."),
                        || format!("{stage}已完成，但晚于时限（{due_text}）。"),
                    ),
                )),
                _ => {}
            }
            if matches!(st.status, Status::Pending | Status::Breached) {
                st.warning = sla.warnings.iter().copied().filter(|w| st.percent_used >= *w).max();
                if let (Some(w), Status::Pending) = (st.warning, st.status) {
                    st.reasons.push(
                        Reason::new(
                            "SLA_WARNING",
                            locale.pick_with(
                                || format!("{w}% of the {stage} time is used; due {due_text}."),
                                || format!("{stage}时限已用{w}%，截止{due_text}。"),
                            ),
                        )
                        .figure("threshold", w),
                    );
                }
            }
            if let Some(e) = &st.escalation {
                if top.as_ref().is_none_or(|x| e.level > x.level) {
                    top = Some(e.clone());
                }
            }
        }
        targets.push(st);
    }

    // Serious complaints escalate at once.
    for (id, when, level) in &sla.escalate {
        if when.eval(&facts) {
            trace.push(TraceEntry { rule: id.as_str().into(), matched: true, lines: Vec::new() });
            let role = sla
                .escalation
                .iter()
                .find(|e| e.level == *level)
                .map_or_else(|| format!("level {level}"), |e| e.role.clone());
            reasons.push(
                Reason::new(
                    "COMPLAINT_ESCALATED",
                    locale.pick_with(
                        || format!("A serious complaint: escalated to level {level} ({role}) at once (rule {id})."),
                        || format!("严重投诉，立即升级至第{level}级（{}）（规则 {id}）。", role_zh(&role)),
                    ),
                )
                .rule(id.as_str())
                .figure("level", *level),
            );
            if top.as_ref().is_none_or(|x| *level > x.level) {
                top = Some(EscalationLevel { level: *level, role });
            }
        }
    }
    let warnings = gap_warnings(&gaps, locale);
    Ok(SlaAnswer {
        kind: case.kind.clone(),
        priority,
        plan: plan.id.clone(),
        targets,
        escalation: top,
        reasons,
        warnings,
        trace,
        policy: env.reference(),
    })
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
    };
    let facts = CaseFacts { case: &case, priority: None };
    let Some(plan) = sla.plans.iter().find(|p| p.when.eval(&facts)) else { return Ok(None) };
    let Some(t) = plan.targets.iter().find(|t| t.stage == stage) else { return Ok(None) };
    let clock = Calendar::clock(env.zone);
    let cal = env.calendar(&t.calendar, &clock, "sla")?;
    let due = add_duration(cal, start.utc(), t.amount, t.end_of_day, &[], &mut DataGaps::default())?;
    Ok(Some(cal.print(due)))
}
