//! What a policy change would do: two engines (the policy in force and a candidate) answer the
//! same requests, and the answers are compared one by one. The result is a [`DiffReport`]: how
//! many outcomes went from one value to another (approve → deny, deny → approve, → review,
//! error → …) with a few examples of each, the money at stake before and after by currency
//! (exact minor units), deadlines moved, SLA targets newly breached or met, and reason codes
//! gained and lost.
//!
//! A report is a value that merges ([`DiffReport::merge`]): requests compared in chunks (on
//! several threads, in several processes) add up to the report of one run, examples included,
//! because each example list keeps the requests with the lowest line numbers. The command line,
//! the npm package and the admin page all call this module, so they give the same numbers.
//!
//! Every evaluator of the engine's table can be compared; what is read from each answer:
//!
//! | evaluator | outcome | money | deadlines |
//! |---|---|---|---|
//! | `check_return` | `approve`, `deny`, `review` | the refund exposure (below) | `deadline`, `complete_by` |
//! | `quote_refund` | `approve`, `deny`, `review` | `total` | `review_by`, `payout_by` |
//! | `check_warranty` | `covered`, `paid_repair`, `not_covered` | the paid repair's `quote.total` | `warranty_ends_at`, `repair_due_by` |
//! | `sla_deadlines` | the worst target status | none | each target's `due_at` |
//! | `calendar` | `open`, `closed` or `answered` | none | `at` |
//! | any other of the table | the answer's `outcome` (or `covered`) | `total` in `currency` | its top-level timestamps |
//!
//! A request the engine refuses has the outcome `error` (its code is kept); a line that is not
//! a request at all (not JSON, not the evaluator's request) is counted apart, in `invalid`, and
//! compared under neither policy. A request's `policy_fingerprint` is ignored: both policies
//! judge it.
//!
//! **Refund exposure of a return request**: the `total` of the refund quote the same request
//! gets (`quote_refund` of the same JSON: type `return_and_refund`, no merchant label), when the
//! return decision is `approve` or `review` (a person may still approve it); nothing when it is
//! `deny` or refused, or when the request asks for an `exchange` or a `repair` (no money goes
//! back). So a deduction the new policy adds (`refunds.deductions`) shows as exposure lost, and
//! a longer window as exposure gained. A decision whose quote is refused (the order's money does
//! not add up, say) counts in `unpriced`.

use crate::calendar_query::{CalendarAnswer, CalendarRequest};
use crate::engine::PolicyEngine;
use crate::error::{from_json_str, ErrorCode, PolicyError, Result};
use crate::explain::Explained;
use crate::refund::{RefundQuote, RefundRequest};
use crate::returns::{ReturnDecision, ReturnRequest};
use crate::sla::{Case, SlaAnswer, Status};
use crate::vocabulary::{Outcome, Resolution};
use crate::warranty::{Claim, WarrantyDecision};
use serde::Serialize;
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Examples kept for each transition unless told otherwise.
pub const DEFAULT_EXAMPLES: usize = 5;

/// The comparison of two policies over a stream of requests (see the module's documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiffReport {
    /// The evaluator compared (`check_return`, `quote_refund`, …).
    pub evaluator: String,
    /// The policy in force: id, version, fingerprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<PolicyName>,
    /// The candidate policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<PolicyName>,
    /// At most this many examples are kept for each transition.
    pub examples_limit: usize,
    /// Requests compared (lines that were not a request are in `invalid` instead).
    pub requests: u64,
    /// Requests whose answer differs in anything compared: outcome, money, a deadline, an SLA
    /// status, a reason code, an error code.
    pub changed: u64,
    /// How many requests had each outcome, before and after.
    pub outcomes: BTreeMap<String, Counts>,
    /// Every pair of outcomes (before, after) seen, unchanged ones too, by `from` then `to`.
    pub transitions: Vec<Transition>,
    /// The money at stake by currency (for returns: the refund exposure), before and after.
    pub money: Vec<Money>,
    /// Return requests approved (or in review) whose refund quote was refused, so they count
    /// no money: before, after.
    pub unpriced: Counts,
    /// Each deadline of the answers that moved, by its name.
    pub deadlines: Vec<DeadlineMoves>,
    /// SLA targets newly breached or met, by stage.
    pub sla: Vec<SlaChange>,
    /// Reason codes that requests gained or lost, by code.
    pub reasons: Vec<CodeChange>,
    /// Lines that are not a request of the evaluator, with the first few.
    pub invalid: Invalid,
}

/// A policy's id, version and fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyName {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
}

/// A count before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    pub before: u64,
    pub after: u64,
}

/// The requests whose outcome went from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub count: u64,
    /// Of `count`, those whose answer changed in anything (all of them when `from` ≠ `to`).
    pub changed: u64,
    /// Their money before and after, by currency.
    pub money: Vec<Money>,
    /// The changed requests with the lowest line numbers, at most `examples_limit`.
    pub examples: Vec<Example>,
}

/// An amount of money before and after, in minor units of `currency`, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Money {
    pub currency: String,
    #[cfg_attr(feature = "schema", schemars(with = "i64"))]
    pub before: i128,
    #[cfg_attr(feature = "schema", schemars(with = "i64"))]
    pub after: i128,
    /// `after - before`.
    #[cfg_attr(feature = "schema", schemars(with = "i64"))]
    pub delta: i128,
}

/// One request whose answer changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Example {
    /// The request's line in JSON Lines, or its position in an array, from 1.
    pub line: u64,
    /// The order id (returns, refunds), the serial number or SKU (warranty), the case id (SLA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub before: Glimpse,
    pub after: Glimpse,
    /// Reason codes the new answer has and the old one had not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gained: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<String>,
}

/// What one answer said, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Glimpse {
    pub outcome: String,
    /// The money at stake, minor units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The answer's first deadline (a return's `deadline`, an SLA's first due time, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub deadline: Option<String>,
    /// The error's code and message, when the engine refused the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How often one deadline moved: later or earlier (and by how many seconds in all), appeared or
/// went away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeadlineMoves {
    /// `deadline`, `complete_by`, `review_by`, `first_response.due_at`, …
    pub name: String,
    pub later: u64,
    pub earlier: u64,
    /// Absent before, present after.
    pub gained: u64,
    pub lost: u64,
    /// The seconds the later ones moved, added up.
    #[cfg_attr(feature = "schema", schemars(with = "i64"))]
    pub later_seconds: i128,
    #[cfg_attr(feature = "schema", schemars(with = "i64"))]
    pub earlier_seconds: i128,
}

/// An SLA stage's statuses that changed. Breached means `breached` or `met_late`; met means
/// `met` (in time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SlaChange {
    pub stage: String,
    pub newly_breached: u64,
    pub no_longer_breached: u64,
    pub newly_met: u64,
    pub no_longer_met: u64,
}

/// How many requests gained a reason code, and how many lost it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CodeChange {
    pub code: String,
    pub gained: u64,
    pub lost: u64,
}

/// Lines that are not a request of the evaluator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Invalid {
    pub count: u64,
    /// The first ones (by line), at most `examples_limit`.
    pub examples: Vec<InvalidLine>,
}

/// A line that is not a request, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InvalidLine {
    pub line: u64,
    pub error: PolicyError,
}

// ---------------------------------------------------------------------------------------------
// Merging

/// Adds `from` into the list `into` kept sorted by `order`: an entry with the same key is
/// combined by `add`, a new one inserted in its place.
fn merge_sorted<T>(into: &mut Vec<T>, from: Vec<T>, order: impl Fn(&T, &T) -> Ordering, add: impl Fn(&mut T, T)) {
    for item in from {
        match into.binary_search_by(|x| order(x, &item)) {
            Ok(i) => {
                if let Some(had) = into.get_mut(i) {
                    add(had, item);
                }
            }
            Err(i) => into.insert(i, item),
        }
    }
}

/// Two lists sorted by line, as one list of the `limit` lowest lines.
fn lowest_lines<T>(into: &mut Vec<T>, from: Vec<T>, limit: usize, line: impl Fn(&T) -> u64) {
    into.extend(from);
    into.sort_by_key(&line);
    into.truncate(limit);
}

fn add_money(into: &mut Vec<Money>, from: Vec<Money>) {
    merge_sorted(
        into,
        from,
        |a, b| a.currency.cmp(&b.currency),
        |a, b| {
            a.before += b.before;
            a.after += b.after;
            a.delta += b.delta;
        },
    );
}

fn transition_order(a: &Transition, b: &Transition) -> Ordering {
    (&a.from, &a.to).cmp(&(&b.from, &b.to))
}

fn add_transition(a: &mut Transition, b: Transition, limit: usize) {
    a.count += b.count;
    a.changed += b.changed;
    add_money(&mut a.money, b.money);
    lowest_lines(&mut a.examples, b.examples, limit, |e| e.line);
}

fn add_moves(a: &mut DeadlineMoves, b: DeadlineMoves) {
    a.later += b.later;
    a.earlier += b.earlier;
    a.gained += b.gained;
    a.lost += b.lost;
    a.later_seconds += b.later_seconds;
    a.earlier_seconds += b.earlier_seconds;
}

fn add_sla(a: &mut SlaChange, b: SlaChange) {
    a.newly_breached += b.newly_breached;
    a.no_longer_breached += b.no_longer_breached;
    a.newly_met += b.newly_met;
    a.no_longer_met += b.no_longer_met;
}

fn add_codes(a: &mut CodeChange, b: CodeChange) {
    a.gained += b.gained;
    a.lost += b.lost;
}

impl DiffReport {
    /// An empty report of `evaluator` between the two policies.
    pub fn new(evaluator: &str, old: Option<PolicyName>, new: Option<PolicyName>, examples_limit: usize) -> Self {
        DiffReport { evaluator: evaluator.to_string(), old, new, examples_limit, ..DiffReport::default() }
    }

    /// Counts line `line` as not a request (`error` says why), for a reader that could not even
    /// make text of it.
    pub fn add_invalid(&mut self, line: u64, error: PolicyError) {
        self.invalid.count += 1;
        let limit = self.examples_limit;
        lowest_lines(&mut self.invalid.examples, vec![InvalidLine { line, error }], limit, |e| e.line);
    }

    /// Adds another report in: the report of the requests of both. Associative and commutative,
    /// so chunks compared apart, in any order, add up to the report of one run.
    pub fn merge(&mut self, other: DiffReport) {
        if self.evaluator.is_empty() {
            self.evaluator = other.evaluator;
        }
        self.old = self.old.take().or(other.old);
        self.new = self.new.take().or(other.new);
        self.examples_limit = self.examples_limit.max(other.examples_limit);
        let limit = self.examples_limit;
        self.requests += other.requests;
        self.changed += other.changed;
        for (outcome, counts) in other.outcomes {
            let had = self.outcomes.entry(outcome).or_default();
            had.before += counts.before;
            had.after += counts.after;
        }
        merge_sorted(&mut self.transitions, other.transitions, transition_order, |a, b| add_transition(a, b, limit));
        add_money(&mut self.money, other.money);
        self.unpriced.before += other.unpriced.before;
        self.unpriced.after += other.unpriced.after;
        merge_sorted(&mut self.deadlines, other.deadlines, |a, b| a.name.cmp(&b.name), add_moves);
        merge_sorted(&mut self.sla, other.sla, |a, b| a.stage.cmp(&b.stage), add_sla);
        merge_sorted(&mut self.reasons, other.reasons, |a, b| a.code.cmp(&b.code), add_codes);
        self.invalid.count += other.invalid.count;
        lowest_lines(&mut self.invalid.examples, other.invalid.examples, limit, |e| e.line);
    }
}

// ---------------------------------------------------------------------------------------------
// What one answer says

/// What is compared of one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Seen {
    outcome: &'static str,
    /// The refusal, when the engine refused the request.
    error: Option<PolicyError>,
    /// The money at stake and its currency.
    money: Option<(String, i64)>,
    /// An approved return whose refund quote was refused.
    unpriced: bool,
    /// Each deadline by name, in the answer's order.
    deadlines: Vec<(String, String)>,
    /// Each SLA stage's status.
    sla: Vec<(String, Status)>,
    /// The reason codes, sorted, once each.
    codes: Vec<&'static str>,
}

impl Seen {
    fn refused(e: PolicyError) -> Seen {
        Seen { outcome: "error", error: Some(e), ..Seen::default() }
    }

    fn glimpse(&self) -> Glimpse {
        Glimpse {
            outcome: self.outcome.to_string(),
            amount: self.money.as_ref().map(|(_, a)| *a),
            currency: self.money.as_ref().map(|(c, _)| c.clone()),
            deadline: self.deadlines.first().map(|(_, d)| d.clone()),
            error: self.error.as_ref().map(|e| e.to_string()),
        }
    }
}

/// The codes of every reason of an answer, sorted, once each.
fn codes_of<A: Explained>(answer: &mut A) -> Vec<&'static str> {
    let mut codes = Vec::new();
    answer.reasons(&mut |r| codes.push(r.code));
    codes
}

fn sorted(mut codes: Vec<&'static str>) -> Vec<&'static str> {
    codes.sort_unstable();
    codes.dedup();
    codes
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Approve => "approve",
        Outcome::Deny => "deny",
        Outcome::Review => "review",
    }
}

fn named<const N: usize>(named: [(&str, &Option<String>); N]) -> Vec<(String, String)> {
    named.into_iter().filter_map(|(name, at)| at.as_ref().map(|at| (name.to_string(), at.clone()))).collect()
}

/// A return decision, with its refund exposure from `quote` (see the module's documentation).
fn seen_return(mut d: ReturnDecision, quote: impl FnOnce() -> Option<Result<RefundQuote>>) -> Seen {
    let outcome = outcome_name(d.outcome);
    let mut codes = codes_of(&mut d);
    let (mut money, mut unpriced) = (None, false);
    if matches!(d.outcome, Outcome::Approve | Outcome::Review) {
        match quote() {
            Some(Ok(q)) => {
                codes.extend(deductions(&q));
                money = Some((q.currency, q.total));
            }
            Some(Err(_)) => unpriced = true,
            None => {}
        }
    }
    let deadlines = named([("deadline", &d.deadline), ("complete_by", &d.complete_by)]);
    Seen { outcome, error: None, money, unpriced, deadlines, sla: Vec::new(), codes: sorted(codes) }
}

/// The codes of a quote's deductions (fees, conditions): components that take money off.
fn deductions(q: &RefundQuote) -> impl Iterator<Item = &'static str> + '_ {
    q.lines.iter().flat_map(|l| l.components.iter()).filter(|c| c.amount < 0).map(|c| c.code)
}

fn seen_quote(mut q: RefundQuote) -> Seen {
    let mut codes = codes_of(&mut q);
    codes.extend(deductions(&q));
    let deadlines = named([("review_by", &q.review_by), ("payout_by", &q.payout_by)]);
    Seen {
        outcome: outcome_name(q.outcome),
        error: None,
        money: Some((q.currency, q.total)),
        unpriced: false,
        deadlines,
        sla: Vec::new(),
        codes: sorted(codes),
    }
}

fn seen_warranty(mut w: WarrantyDecision) -> Seen {
    let outcome = match (w.covered, &w.quote) {
        (true, _) => "covered",
        (false, Some(_)) => "paid_repair",
        (false, None) => "not_covered",
    };
    let codes = sorted(codes_of(&mut w));
    let deadlines = named([("warranty_ends_at", &w.warranty_ends_at), ("repair_due_by", &w.repair_due_by)]);
    let money = w.quote.map(|q| (q.currency, q.total));
    Seen { outcome, error: None, money, unpriced: false, deadlines, sla: Vec::new(), codes }
}

/// How bad a status is, for the worst of a case's targets.
fn severity(status: Status) -> (u8, &'static str) {
    match status {
        Status::NotStarted => (0, "not_started"),
        Status::Met => (1, "met"),
        Status::Pending => (2, "pending"),
        Status::MetLate => (3, "met_late"),
        Status::Breached => (4, "breached"),
    }
}

fn seen_sla(mut a: SlaAnswer) -> Seen {
    let codes = sorted(codes_of(&mut a));
    let outcome = a.targets.iter().map(|t| severity(t.status)).max().map_or("no_targets", |(_, name)| name);
    let deadlines = a
        .targets
        .iter()
        .filter_map(|t| t.due_at.as_ref().map(|due| (format!("{}.due_at", t.stage), due.clone())))
        .collect();
    let sla = a.targets.into_iter().map(|t| (t.stage, t.status)).collect();
    Seen { outcome, error: None, money: None, unpriced: false, deadlines, sla, codes }
}

fn seen_calendar(mut a: CalendarAnswer) -> Seen {
    let outcome = match a.open {
        Some(true) => "open",
        Some(false) => "closed",
        None => "answered",
    };
    let codes = sorted(codes_of(&mut a));
    let deadlines = named([("at", &a.at)]);
    Seen { outcome, error: None, money: None, unpriced: false, deadlines, sla: Vec::new(), codes }
}

fn seen<A>(answer: Result<A>, of: impl FnOnce(A) -> Seen) -> Seen {
    answer.map_or_else(Seen::refused, of)
}

/// A request of one evaluator: read from its JSON text once, answered under both policies.
trait Compared: Sized {
    /// Reads the request; `Err` when the text is not one.
    fn read(text: &str) -> Result<Self>;
    /// What the request is called in examples.
    fn id(&self) -> Option<String>;
    /// The answers under the two engines, in short.
    fn observe(&self, old: &PolicyEngine, new: &PolicyEngine, text: &str) -> (Seen, Seen);
}

impl Compared for ReturnRequest {
    fn read(text: &str) -> Result<Self> {
        let mut r: ReturnRequest = from_json_str(text)?;
        r.policy_fingerprint = None;
        Ok(r)
    }
    fn id(&self) -> Option<String> {
        Some(self.order.id.clone())
    }
    fn observe(&self, old: &PolicyEngine, new: &PolicyEngine, text: &str) -> (Seen, Seen) {
        // The same text as a refund request, read once, and only if a side approves.
        let refund: OnceCell<Result<RefundRequest>> = OnceCell::new();
        let refunded = matches!(self.resolution, None | Some(Resolution::Refund | Resolution::StoreCredit));
        let under = |engine: &PolicyEngine| {
            let quote = || {
                refunded.then(|| {
                    let request = refund.get_or_init(|| {
                        from_json_str::<RefundRequest>(text).map(|mut r| {
                            r.policy_fingerprint = None;
                            r
                        })
                    });
                    request.as_ref().map_err(Clone::clone).and_then(|r| engine.quote_refund(r))
                })
            };
            seen(engine.check_return(self), |d| seen_return(d, quote))
        };
        (under(old), under(new))
    }
}

/// The `Compared` of a request answered by one engine method, with no fingerprint.
macro_rules! compared {
    ($req:ty, $method:ident, $seen:ident, |$r:ident| $id:expr) => {
        impl Compared for $req {
            fn read(text: &str) -> Result<Self> {
                let mut r: $req = from_json_str(text)?;
                r.policy_fingerprint = None;
                Ok(r)
            }
            fn id(&self) -> Option<String> {
                let $r = self;
                $id
            }
            fn observe(&self, old: &PolicyEngine, new: &PolicyEngine, _: &str) -> (Seen, Seen) {
                (seen(old.$method(self), $seen), seen(new.$method(self), $seen))
            }
        }
    };
}
compared!(RefundRequest, quote_refund, seen_quote, |r| Some(r.order.id.clone()));
compared!(Claim, check_warranty, seen_warranty, |c| c.product.serial_number.clone().or_else(|| c.product.sku.clone()));
compared!(Case, sla_deadlines, seen_sla, |c| c.id.clone());

impl Compared for CalendarRequest {
    fn read(text: &str) -> Result<Self> {
        from_json_str(text)
    }
    fn id(&self) -> Option<String> {
        None
    }
    fn observe(&self, old: &PolicyEngine, new: &PolicyEngine, _: &str) -> (Seen, Seen) {
        (seen(old.calendar(self), seen_calendar), seen(new.calendar(self), seen_calendar))
    }
}

/// Reads one request and answers it under both policies: its id and the two answers in short.
type Observe = fn(&PolicyEngine, &PolicyEngine, &str) -> Result<(Option<String>, Seen, Seen)>;

fn observe<R: Compared>(old: &PolicyEngine, new: &PolicyEngine, text: &str) -> Result<(Option<String>, Seen, Seen)> {
    let request = R::read(text)?;
    let (before, after) = request.observe(old, new, text);
    Ok((request.id(), before, after))
}

/// The evaluators read through their types, by Rust and JavaScript name: what each answer says
/// is read from its fields (the table of the module's documentation).
const TYPED: &[(&str, &str, Observe)] = &[
    ("check_return", "checkReturn", observe::<ReturnRequest>),
    ("quote_refund", "quoteRefund", observe::<RefundRequest>),
    ("check_warranty", "checkWarranty", observe::<Claim>),
    ("sla_deadlines", "slaDeadlines", observe::<Case>),
    ("calendar", "calendar", observe::<CalendarRequest>),
];

/// Every evaluator of the engine's table by its Rust and JavaScript names: the typed reading when
/// there is one, else its answer read as JSON ([`observe_json`]), so an evaluator added to the
/// table can be compared at once.
macro_rules! observers {
    ($($name:ident($req:ty) -> $answer:ty, feature $feature:literal, json $json:ident $(, batch $batch:ident)?,
       js $js:literal $($js_batch:literal)?, route $route:literal;)*) => {
        /// The evaluator named `name` (`check_return` or `checkReturn`): its Rust name and how to
        /// observe its requests.
        fn observer(name: &str) -> Option<(&'static str, Observe)> {
            if let Some((rust, _, observe)) = TYPED.iter().find(|(rust, js, _)| name == *rust || name == *js) {
                return Some((rust, *observe));
            }
            $(
                if name == stringify!($name) || name == $js {
                    let observe: Observe = |old, new, text| observe_json(old, new, text, PolicyEngine::$json);
                    return Some((stringify!($name), observe));
                }
            )*
            None
        }

        /// The names [`Comparison::new`] takes (Rust names).
        pub const COMPARABLE: &[&str] = &[$(stringify!($name)),*];
    };
}
crate::engine::evaluators!(observers);

/// An evaluator without a typed reading, through its JSON-text twin: a text that is not JSON is
/// not a request; the outcome is the answer's `outcome` (or `covered`), the money its `total` in
/// its `currency`, the deadlines its top-level timestamps, the codes those of every `reasons`
/// list; the id the request's `order.id`, or `id`.
fn observe_json(
    old: &PolicyEngine,
    new: &PolicyEngine,
    text: &str,
    eval: fn(&PolicyEngine, &str) -> Result<String>,
) -> Result<(Option<String>, Seen, Seen)> {
    let request: serde_json::Value = from_json_str(text)?;
    let id = request.pointer("/order/id").or_else(|| request.get("id")).and_then(|v| v.as_str()).map(String::from);
    let seen = |answer: Result<String>| match answer.and_then(|a| from_json_str::<serde_json::Value>(&a)) {
        Ok(answer) => seen_value(&answer),
        Err(e) => Seen::refused(e),
    };
    Ok((id, seen(eval(old, text)), seen(eval(new, text))))
}

fn seen_value(answer: &serde_json::Value) -> Seen {
    use serde_json::Value;
    let outcome = match (answer.get("outcome").and_then(Value::as_str), answer.get("covered").and_then(Value::as_bool))
    {
        (Some("approve"), _) => "approve",
        (Some("deny"), _) => "deny",
        (Some("review"), _) => "review",
        (Some(_), _) => "other",
        (None, Some(true)) => "covered",
        (None, Some(false)) => "not_covered",
        (None, None) => "answered",
    };
    let money = match (answer.get("total").and_then(Value::as_i64), answer.get("currency").and_then(Value::as_str)) {
        (Some(total), Some(currency)) => Some((currency.to_string(), total)),
        _ => None,
    };
    let mut deadlines: Vec<(String, String)> = answer
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().filter(|s| instant(s).is_some()).map(|s| (k.clone(), s.to_string())))
        .collect();
    deadlines.sort();
    let mut codes = Vec::new();
    reason_codes(answer, &mut codes);
    Seen { outcome, error: None, money, unpriced: false, deadlines, sla: Vec::new(), codes: sorted(codes) }
}

/// The codes of every `reasons` list in `value`, at any depth, as the catalogue names them.
fn reason_codes(value: &serde_json::Value, codes: &mut Vec<&'static str>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "reasons" {
                    let found =
                        v.as_array().into_iter().flatten().filter_map(|r| r.get("code").and_then(Value::as_str));
                    codes.extend(found.filter_map(|c| crate::reasons::lookup(c).map(|known| known.code)));
                }
                reason_codes(v, codes);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| reason_codes(v, codes)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// Two policies and an evaluator: compares requests into [`DiffReport`]s.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    old: &'a PolicyEngine,
    new: &'a PolicyEngine,
    evaluator: &'static str,
    observe: Observe,
    examples: usize,
}

fn name_of(engine: &PolicyEngine) -> PolicyName {
    let info = engine.info();
    PolicyName { id: info.id, version: info.version, fingerprint: engine.fingerprint().to_string() }
}

impl<'a> Comparison<'a> {
    /// `evaluator` by its Rust or JavaScript name (`check_return`, `checkReturn`); `examples`:
    /// how many to keep for each transition.
    pub fn new(old: &'a PolicyEngine, new: &'a PolicyEngine, evaluator: &str, examples: usize) -> Result<Self> {
        let (evaluator, observe) = observer(evaluator).ok_or_else(|| {
            PolicyError::new(
                ErrorCode::UnknownReference,
                "evaluator",
                format!("no evaluator `{evaluator}`; one of: {}", COMPARABLE.join(", ")),
            )
        })?;
        Ok(Comparison { old, new, evaluator, observe, examples })
    }

    /// An empty report of this comparison, to add requests to.
    pub fn report(&self) -> DiffReport {
        DiffReport::new(self.evaluator, Some(name_of(self.old)), Some(name_of(self.new)), self.examples)
    }

    /// Compares one request (its JSON text), numbered `line`, into `report`.
    pub fn add(&self, report: &mut DiffReport, line: u64, text: &str) {
        match (self.observe)(self.old, self.new, text) {
            Ok((id, before, after)) => record(report, line, id, &before, &after),
            Err(error) => report.add_invalid(line, error),
        }
    }

    /// Compares every request of a JSON Lines text (blank lines are skipped; lines count from 1).
    pub fn json_lines(&self, text: &str) -> DiffReport {
        let mut report = self.report();
        for (i, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                self.add(&mut report, i as u64 + 1, line);
            }
        }
        report
    }

    /// Compares the requests of a JSON array (positions count from 1), or of JSON Lines when the
    /// text does not start with `[`.
    pub fn text(&self, text: &str) -> Result<DiffReport> {
        if !text.trim_start().starts_with('[') {
            return Ok(self.json_lines(text));
        }
        let requests: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).map_err(|e| {
            PolicyError::new(ErrorCode::InvalidJson, "", format!("requests are a JSON array or JSON Lines: {e}"))
        })?;
        let mut report = self.report();
        for (i, request) in requests.iter().enumerate() {
            self.add(&mut report, i as u64 + 1, request.get());
        }
        Ok(report)
    }
}

/// Compares `requests` (a JSON array or JSON Lines) of `evaluator` under two policies (JSON
/// text each): the one function the wasm binding and the npm package's command line call.
pub fn compare_policies(
    old_policy: &str,
    new_policy: &str,
    evaluator: &str,
    requests: &str,
    examples: usize,
) -> Result<DiffReport> {
    let old = PolicyEngine::new(old_policy).map_err(|e| e.under("old"))?;
    let new = PolicyEngine::new(new_policy).map_err(|e| e.under("new"))?;
    Comparison::new(&old, &new, evaluator, examples)?.text(requests)
}

/// Adds one request's two answers to `report`.
fn record(report: &mut DiffReport, line: u64, id: Option<String>, before: &Seen, after: &Seen) {
    report.requests += 1;
    report.outcomes.entry(before.outcome.to_string()).or_default().before += 1;
    report.outcomes.entry(after.outcome.to_string()).or_default().after += 1;
    report.unpriced.before += u64::from(before.unpriced);
    report.unpriced.after += u64::from(after.unpriced);
    let money = money_of(before, after);
    add_money(&mut report.money, money.clone());
    let mut changed = before.outcome != after.outcome
        || before.money != after.money
        || before.error.as_ref().map(|e| e.code) != after.error.as_ref().map(|e| e.code);
    changed |= record_deadlines(report, before, after);
    changed |= record_sla(report, before, after);
    let (gained, lost) = code_changes(before, after);
    changed |= !gained.is_empty() || !lost.is_empty();
    let codes = gained.iter().map(|c| (*c, 1, 0)).chain(lost.iter().map(|c| (*c, 0, 1)));
    let codes = codes.map(|(code, gained, lost)| CodeChange { code: code.to_string(), gained, lost }).collect();
    merge_sorted(&mut report.reasons, codes, |a, b| a.code.cmp(&b.code), add_codes);
    report.changed += u64::from(changed);
    let examples = if changed && report.examples_limit > 0 {
        let gained = gained.iter().map(|c| c.to_string()).collect();
        let lost = lost.iter().map(|c| c.to_string()).collect();
        vec![Example { line, id, before: before.glimpse(), after: after.glimpse(), gained, lost }]
    } else {
        Vec::new()
    };
    let transition = Transition {
        from: before.outcome.to_string(),
        to: after.outcome.to_string(),
        count: 1,
        changed: u64::from(changed),
        money,
        examples,
    };
    let limit = report.examples_limit;
    merge_sorted(&mut report.transitions, vec![transition], transition_order, |a, b| add_transition(a, b, limit));
}

/// The money of one request before and after, by currency (none when neither side has any).
fn money_of(before: &Seen, after: &Seen) -> Vec<Money> {
    let mut money = Vec::new();
    let sides = [(&before.money, true), (&after.money, false)];
    for (side, is_before) in sides {
        if let Some((currency, amount)) = side {
            let (b, a) = if is_before { (i128::from(*amount), 0) } else { (0, i128::from(*amount)) };
            let m = Money { currency: currency.clone(), before: b, after: a, delta: a - b };
            add_money(&mut money, vec![m]);
        }
    }
    money
}

/// Parses an answer's timestamp to seconds since the epoch.
fn instant(at: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(at).ok().map(|t| t.timestamp())
}

/// Adds the deadlines that moved; whether any did.
fn record_deadlines(report: &mut DiffReport, before: &Seen, after: &Seen) -> bool {
    if before.deadlines == after.deadlines {
        return false;
    }
    let mut moves: Vec<DeadlineMoves> = Vec::new();
    let find = |list: &[(String, String)], name: &str| list.iter().find(|(n, _)| n == name).map(|(_, at)| at.clone());
    let mut names: Vec<&String> = before.deadlines.iter().chain(after.deadlines.iter()).map(|(n, _)| n).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let (b, a) = (find(&before.deadlines, name), find(&after.deadlines, name));
        let mut m = DeadlineMoves {
            name: name.clone(),
            later: 0,
            earlier: 0,
            gained: 0,
            lost: 0,
            later_seconds: 0,
            earlier_seconds: 0,
        };
        match (b, a) {
            (Some(b), Some(a)) if b != a => {
                let shift = i128::from(instant(&a).unwrap_or(0)) - i128::from(instant(&b).unwrap_or(0));
                if shift >= 0 {
                    (m.later, m.later_seconds) = (1, shift);
                } else {
                    (m.earlier, m.earlier_seconds) = (1, -shift);
                }
            }
            (None, Some(_)) => m.gained = 1,
            (Some(_), None) => m.lost = 1,
            _ => continue,
        }
        moves.push(m);
    }
    let moved = !moves.is_empty();
    merge_sorted(&mut report.deadlines, moves, |a, b| a.name.cmp(&b.name), add_moves);
    moved
}

/// Adds the SLA stages newly breached or met; whether any status changed.
fn record_sla(report: &mut DiffReport, before: &Seen, after: &Seen) -> bool {
    if before.sla == after.sla {
        return false;
    }
    let late = |s: Option<Status>| matches!(s, Some(Status::Breached | Status::MetLate));
    let met = |s: Option<Status>| matches!(s, Some(Status::Met));
    let status = |list: &[(String, Status)], stage: &str| list.iter().find(|(n, _)| n == stage).map(|(_, s)| *s);
    let mut stages: Vec<&String> = before.sla.iter().chain(after.sla.iter()).map(|(n, _)| n).collect();
    stages.sort_unstable();
    stages.dedup();
    let mut changes = Vec::new();
    for stage in stages {
        let (b, a) = (status(&before.sla, stage), status(&after.sla, stage));
        let change = SlaChange {
            stage: stage.clone(),
            newly_breached: u64::from(late(a) && !late(b)),
            no_longer_breached: u64::from(late(b) && !late(a)),
            newly_met: u64::from(met(a) && !met(b)),
            no_longer_met: u64::from(met(b) && !met(a)),
        };
        if change.newly_breached + change.no_longer_breached + change.newly_met + change.no_longer_met > 0 {
            changes.push(change);
        }
    }
    merge_sorted(&mut report.sla, changes, |a, b| a.stage.cmp(&b.stage), add_sla);
    true
}

/// The codes only the new answer has, and those only the old one had (an error counts as its
/// code).
fn code_changes(before: &Seen, after: &Seen) -> (Vec<&'static str>, Vec<&'static str>) {
    let with_error = |s: &Seen| {
        let mut codes = s.codes.clone();
        codes.extend(s.error.as_ref().map(|e| e.code.as_str()));
        codes
    };
    let (b, a) = (with_error(before), with_error(after));
    let gained = a.iter().filter(|c| !b.contains(c)).copied().collect();
    let lost = b.iter().filter(|c| !a.contains(c)).copied().collect();
    (gained, lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An evaluator read as JSON sees the outcome, money and deadlines its typed reading sees.
    #[test]
    fn the_json_reading_agrees_with_the_typed_one() {
        let old = PolicyEngine::new(include_str!("../tests/history/policy-old.json")).unwrap();
        let new = PolicyEngine::new(include_str!("../tests/history/policy-new.json")).unwrap();
        let mut approved = 0;
        for line in include_str!("../tests/history/returns.jsonl").lines() {
            let typed = observe::<RefundRequest>(&old, &new, line).unwrap();
            let json = observe_json(&old, &new, line, PolicyEngine::quote_refund_json).unwrap();
            assert_eq!(typed.0, json.0);
            for (t, j) in [(&typed.1, &json.1), (&typed.2, &json.2)] {
                assert_eq!((t.outcome, &t.money, &t.deadlines), (j.outcome, &j.money, &j.deadlines), "{line}");
                assert_eq!(t.error, j.error);
                assert!(j.codes.iter().all(|c| t.codes.contains(c)), "{line}");
                approved += usize::from(t.outcome == "approve");
            }
        }
        assert!(approved > 10);
    }
}
