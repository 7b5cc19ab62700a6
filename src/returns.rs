//! Return and exchange eligibility: may these items go back, for this reason, by when, who pays
//! the return shipping, and which resolutions (refund, exchange, repair, store credit) are open.
//!
//! [`check`] decides in stages, each a function of this name, in this order:
//! 1. `validate`: the request itself: each line exists and is asked for once, each quantity is
//!    at least 1 and at most what the line bought (a request error otherwise);
//! 2. `order_figures`: what the rules may test of the order and the request as a whole (the
//!    order's total and discount, days since purchase and delivery, units and value asked for);
//!
//! then, per requested item, into its verdict:
//! 3. `apply_rules`: the policy's rules, in document order, each one whose `when` holds for the
//!    item (deny it, deny the reason, extend the window, ask for review, change the terms);
//! 4. `reason_accepted`: the reason is one the policy accepts, and its terms as the rules changed
//!    them (if it is not, the item goes straight to step 9);
//! 5. `quantity_left`: no more units than are left after earlier returns (more than bought is a
//!    request error, step 1);
//! 6. `window`: the window (the reason's own, or the policy's), extended by rules, counted in days
//!    from delivery or purchase and ending at 23:59:59 local time on its last day;
//! 7. `conditions`: the conditions the reason requires (unused, tags, packaging, accessories,
//!    seal, proof), then those the rules add;
//! 8. `resolutions`: the resolution asked for, against those allowed;
//! 9. `apply_floor`: the law underneath, which may let the item go back whatever the policy says
//!    (see [`crate::statute`]);
//! 10. `item_decision`: the item's answer;
//!
//! and last, 11. `combine`: the request is approved only when every item is; any rule asking for
//! review turns an approval into `review`. Money is not decided here (see `refund`). The words
//! of every reason are in [`crate::messages::returns`].

use crate::conditions::{Condition, FactValue, Facts, Num};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, TraceEntry};
use crate::facts::{Declared, Values};
use crate::messages::returns::{ReasonName, RiskSignal, Says};
use crate::money::{Count, Fee};
use crate::order::{Line, Order};
use crate::problems::Problems;
use crate::time::{day_window_end, format_instant, local_days_between, Timestamp};
use crate::vocabulary::{ItemCondition, Locale, LocalizedText, Outcome, Payer, Requirement, Resolution};
use crate::zone::Tz;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most rules a `returns` section may hold.
pub const MAX_RULES: usize = 500;
/// Most items one request may ask to return.
pub const MAX_ITEMS: usize = 1000;
/// Longest window, in days.
pub const MAX_WINDOW_DAYS: u64 = 3660;

// ---------------------------------------------------------------------------------------------
// The policy section

/// The `returns` section as written.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnsSpec {
    pub window: WindowSpec,
    /// What every return requires, unless the reason says otherwise.
    #[serde(default)]
    pub requires: Vec<Requirement>,
    /// Who pays the return shipping unless the reason or a rule says otherwise (default: customer).
    #[serde(default)]
    pub return_shipping: Option<Payer>,
    /// Resolutions open unless the reason or a rule says otherwise (default: refund, exchange).
    #[serde(default)]
    pub resolutions: Option<Vec<Resolution>>,
    #[serde(default)]
    pub reasons: BTreeMap<String, ReasonSpec>,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// An explainable risk score: weighted signals, and the scores at which a return goes to
    /// review or is refused.
    #[serde(default)]
    pub risk: Option<RiskSpec>,
}

/// `returns.risk`: each signal whose `when` holds adds its weight to the score; the score
/// reaching `thresholds.deny` refuses the return (a policy refusal: the statutory floor still
/// applies), reaching `thresholds.review` sends it to review.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    /// At most 100 signals, each id once.
    pub signals: Vec<SignalSpec>,
    #[serde(default)]
    pub thresholds: ThresholdsSpec,
}

/// A risk signal: `{"id": "low_credit", "when": {"customer.credit_score": {"lt": 600}}, "weight": 30}`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    pub id: String,
    /// The signal fires when this holds for any item asked for.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::ReturnCondition"))]
    pub when: serde_json::Value,
    /// What the signal adds to the score, at most 1000.
    #[cfg_attr(feature = "schema", schemars(range(max = 1000)))]
    pub weight: u32,
    /// The signal's name in messages (else its id).
    #[serde(default)]
    pub label: Option<LocalizedText>,
}

/// The scores at which the risk acts (each at most 100000; `review` below `deny`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThresholdsSpec {
    /// From this score on, the return goes to review.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 100000)))]
    pub review: Option<u32>,
    /// From this score on, the return is refused.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 100000)))]
    pub deny: Option<u32>,
    /// From this score on, a refund is released only after the goods are inspected, whatever
    /// `refunds.release` says.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 100000)))]
    pub inspect_first: Option<u32>,
    /// From this score on, an exchange's replacement ships only after the return arrives, whatever
    /// the exchange rules grant.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 100000)))]
    pub no_advance_exchange: Option<u32>,
    /// From this score on, a refund without a return for keeping the item (`keep_item`) is
    /// refused: the item has to come back.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 100000)))]
    pub no_keep_item: Option<u32>,
}

/// A window: `{"days": 30, "from": "delivery"}`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    /// At most 3660.
    #[cfg_attr(feature = "schema", schemars(with = "u64", range(max = 3660)))]
    pub days: Count,
    #[serde(default)]
    pub from: Option<Anchor>,
}

/// What a return window counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    Delivery,
    Purchase,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonSpec {
    #[serde(default)]
    pub window: Option<WindowSpec>,
    #[serde(default)]
    pub return_shipping: Option<Payer>,
    #[serde(default)]
    pub resolutions: Option<Vec<Resolution>>,
    /// Replaces the section's `requires` for this reason (a defect claim need not be unused).
    #[serde(default)]
    pub requires: Option<Vec<Requirement>>,
    /// The reason's name in messages.
    #[serde(default)]
    pub label: Option<LocalizedText>,
    /// Deducted from a refund for this reason: `{"percent": 10}` of the goods, or `{"amount": A}` a unit.
    #[serde(default)]
    pub restocking_fee: Option<Fee>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::ReturnCondition>"))]
    pub when: Option<serde_json::Value>,
    pub then: ThenSpec,
    /// Text shown with the reason this rule produces.
    #[serde(default)]
    pub message: Option<LocalizedText>,
}

/// What a matching rule does.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThenSpec {
    /// These reasons are not accepted for the item (final sale: no change of mind).
    #[serde(default)]
    pub deny_reasons: Vec<String>,
    /// The item cannot be returned at all.
    #[serde(default)]
    pub deny: bool,
    /// Sets the window outright, shorter or longer than the reason's (`{"days": 3}`, counted
    /// from the reason's anchor unless `from` says). The last matching rule that sets one wins;
    /// `extend_window` adds to it; the statutory floor still applies on top.
    #[serde(default)]
    pub window: Option<WindowSpec>,
    /// Adds days to the window.
    #[serde(default)]
    pub extend_window: Option<WindowExtension>,
    #[serde(default)]
    pub return_shipping: Option<Payer>,
    /// Replaces the resolutions open.
    #[serde(default)]
    pub resolutions: Option<Vec<Resolution>>,
    /// A person must look before the return goes ahead.
    #[serde(default)]
    pub review: bool,
    /// Adds requirements.
    #[serde(default)]
    pub require: Vec<Requirement>,
    /// Sets the restocking fee deducted from a refund (opened electronics: `{"percent": 15}`).
    #[serde(default)]
    pub restocking_fee: Option<Fee>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowExtension {
    /// At most 3660.
    #[cfg_attr(feature = "schema", schemars(with = "u64", range(max = 3660)))]
    pub days: Count,
}

/// The compiled `returns` section.
#[derive(Debug, Clone)]
pub struct ReturnsPolicy {
    window: Window,
    requires: Vec<Requirement>,
    return_shipping: Payer,
    resolutions: Vec<Resolution>,
    reasons: BTreeMap<String, ReasonPolicy>,
    rules: Vec<Rule>,
    /// The policy's declared facts, and those of them the section's conditions test.
    declared: Arc<Declared>,
    tested: Vec<Arc<str>>,
    risk: Option<Risk>,
}

/// The compiled `returns.risk`.
#[derive(Debug, Clone)]
struct Risk {
    signals: Vec<Signal>,
    review: Option<u64>,
    deny: Option<u64>,
    /// The scores from which each restriction applies.
    restrictions: Vec<(RiskRestriction, u64)>,
}

#[derive(Debug, Clone)]
struct Signal {
    id: Arc<str>,
    when: Condition,
    weight: u64,
    label: Option<Arc<LocalizedText>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    days: u64,
    from: Anchor,
}

#[derive(Debug, Clone)]
struct ReasonPolicy {
    window: Option<Window>,
    return_shipping: Option<Payer>,
    resolutions: Option<Vec<Resolution>>,
    requires: Option<Vec<Requirement>>,
    /// The reason's name in messages, shared with every reason that names it.
    label: Option<Arc<LocalizedText>>,
    restocking_fee: Option<Fee>,
}

#[derive(Debug, Clone)]
struct Rule {
    id: Arc<str>,
    when: Condition,
    then: ThenSpec,
    /// Replaces the built-in words of the reasons the rule gives.
    message: Option<Arc<LocalizedText>>,
}

pub use crate::builtin_facts::RETURNS as FACTS;

fn compile_window(spec: &WindowSpec, inherit: Anchor, path: &str) -> Result<Window> {
    if spec.days.0 > MAX_WINDOW_DAYS {
        return Err(PolicyError::invalid(
            format!("{path}.days"),
            format!("a window is at most {MAX_WINDOW_DAYS} days"),
        ));
    }
    Ok(Window { days: spec.days.0, from: spec.from.unwrap_or(inherit) })
}

/// Compiles the `returns` section at `path`, noting every refusal in `problems` (the window, then
/// each reason, then each rule, in the order they are written); `None` when there was any.
pub fn compile(spec: &ReturnsSpec, env: &Env, path: &str, problems: &mut Problems) -> Option<ReturnsPolicy> {
    compile_declared(spec, env, &Arc::new(Declared::default()), path, problems)
}

/// [`compile`], the conditions knowing the policy's declared facts (the policy's `facts`).
pub fn compile_declared(
    spec: &ReturnsSpec,
    _env: &Env,
    declared: &Arc<Declared>,
    path: &str,
    problems: &mut Problems,
) -> Option<ReturnsPolicy> {
    let mut found = Problems::default();
    let base = found.check(compile_window(&spec.window, Anchor::Delivery, &format!("{path}.window")));
    // A reason's window inherits the anchor even when the section's days are refused.
    let reasons = compile_reasons(spec, spec.window.from.unwrap_or(Anchor::Delivery), path, &mut found);
    let rules = compile_rules(spec, declared.facts(), path, &mut found);
    let risk = spec.risk.as_ref().and_then(|r| compile_risk(r, declared.facts(), &format!("{path}.risk"), &mut found));
    let clean = found.is_empty();
    for error in found.into_errors() {
        problems.push(error);
    }
    if !clean {
        return None;
    }
    Some(ReturnsPolicy {
        window: base?,
        requires: spec.requires.clone(),
        return_shipping: spec.return_shipping.unwrap_or(Payer::Customer),
        resolutions: spec.resolutions.clone().unwrap_or_else(|| vec![Resolution::Refund, Resolution::Exchange]),
        tested: tested_facts(declared, &rules, risk.as_ref()),
        declared: declared.clone(),
        reasons,
        rules,
        risk,
    })
}

/// The declared facts the rules and signals test, each once.
fn tested_facts(declared: &Declared, rules: &[Rule], risk: Option<&Risk>) -> Vec<Arc<str>> {
    let signals = risk.map(|r| r.signals.as_slice()).unwrap_or_default();
    crate::facts::tested(declared, rules.iter().map(|r| &r.when).chain(signals.iter().map(|s| &s.when)))
}

/// Most signals a risk score may add up.
pub const MAX_SIGNALS: usize = 100;

/// `returns.risk` at `path`: each signal's id (once), weight and condition; the thresholds.
fn compile_risk(
    spec: &RiskSpec,
    declared: &[crate::conditions::DeclaredFact],
    path: &str,
    found: &mut Problems,
) -> Option<Risk> {
    let mut ok = true;
    if spec.signals.len() > MAX_SIGNALS {
        found.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.signals"),
            format!("more than {MAX_SIGNALS} signals"),
        ));
        return None;
    }
    let mut signals = Vec::with_capacity(spec.signals.len());
    for (i, s) in spec.signals.iter().enumerate() {
        let sp = format!("{path}.signals[{i}]");
        let id_ok = found.check(crate::order::check_text(&s.id, &format!("{sp}.id"))).is_some();
        ok &= id_ok;
        if id_ok && spec.signals.iter().take(i).any(|o| o.id == s.id) {
            found.push(PolicyError::invalid(format!("{sp}.id"), format!("signal id `{}` appears twice", s.id)));
            ok = false;
        }
        if s.weight > 1000 {
            found.push(PolicyError::invalid(format!("{sp}.weight"), "a weight is at most 1000"));
            ok = false;
        }
        let when = crate::conditions::compile_declared(&s.when, &format!("{sp}.when"), FACTS, declared);
        match found.check(when) {
            Some(when) => {
                let label = s.label.clone().map(Arc::new);
                signals.push(Signal { id: s.id.as_str().into(), when, weight: u64::from(s.weight), label });
            }
            None => ok = false,
        }
    }
    let t = &spec.thresholds;
    let (review, deny) = (t.review, t.deny);
    let restrictions = [
        (RiskRestriction::InspectFirst, t.inspect_first),
        (RiskRestriction::NoAdvanceExchange, t.no_advance_exchange),
        (RiskRestriction::NoKeepItem, t.no_keep_item),
    ];
    let named = restrictions.iter().map(|(r, t)| (r.as_str(), *t));
    for (name, t) in [("review", review), ("deny", deny)].into_iter().chain(named) {
        if t.is_some_and(|t| t > 100_000) {
            found.push(PolicyError::invalid(format!("{path}.thresholds.{name}"), "a threshold is at most 100000"));
            ok = false;
        }
    }
    if let (Some(r), Some(d)) = (review, deny) {
        if r >= d {
            found.push(PolicyError::invalid(format!("{path}.thresholds.review"), "review comes below deny"));
            ok = false;
        }
    }
    let restrictions = restrictions.iter().filter_map(|(r, t)| t.map(|t| (*r, u64::from(t)))).collect();
    ok.then(|| Risk { signals, review: review.map(u64::from), deny: deny.map(u64::from), restrictions })
}

/// The reasons, in name order; a refused reason is noted and left out.
fn compile_reasons(
    spec: &ReturnsSpec,
    from: Anchor,
    path: &str,
    found: &mut Problems,
) -> BTreeMap<String, ReasonPolicy> {
    let mut reasons = BTreeMap::new();
    for (name, r) in &spec.reasons {
        let rp = format!("{path}.reasons.{name}");
        let mut ok = found.check(crate::order::check_text(name, &rp)).is_some();
        if let Some(fee) = &r.restocking_fee {
            ok &= found.check(fee.validate(&format!("{rp}.restocking_fee"))).is_some();
        }
        let window = match &r.window {
            Some(w) => match found.check(compile_window(w, from, &format!("{rp}.window"))) {
                Some(w) => Some(w),
                None => continue,
            },
            None => None,
        };
        if !ok {
            continue;
        }
        reasons.insert(
            name.clone(),
            ReasonPolicy {
                window,
                return_shipping: r.return_shipping,
                resolutions: r.resolutions.clone(),
                requires: r.requires.clone(),
                label: r.label.clone().map(Arc::new),
                restocking_fee: r.restocking_fee,
            },
        );
    }
    reasons
}

/// The rules, in document order; a refused rule is noted and left out (more than [`MAX_RULES`]
/// are refused as a whole, none of them read).
fn compile_rules(
    spec: &ReturnsSpec,
    declared: &[crate::conditions::DeclaredFact],
    path: &str,
    found: &mut Problems,
) -> Vec<Rule> {
    if spec.rules.len() > MAX_RULES {
        found.push(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.rules"),
            format!("more than {MAX_RULES} rules"),
        ));
        return Vec::new();
    }
    let mut rules = Vec::with_capacity(spec.rules.len());
    for (i, r) in spec.rules.iter().enumerate() {
        let earlier = spec.rules.get(..i).unwrap_or_default();
        if let Some(rule) = compile_rule(spec, earlier, r, declared, &format!("{path}.rules[{i}]"), found) {
            rules.push(rule);
        }
    }
    rules
}

/// One rule at `rp`, its fields in order: the id (once only: not one of `earlier`'s), the reasons
/// it denies (each one of the section's), the extension, the fee, the condition.
fn compile_rule(
    spec: &ReturnsSpec,
    earlier: &[RuleSpec],
    r: &RuleSpec,
    declared: &[crate::conditions::DeclaredFact],
    rp: &str,
    found: &mut Problems,
) -> Option<Rule> {
    let mut ok = found.check(crate::order::check_text(&r.id, &format!("{rp}.id"))).is_some();
    // An id refused as text is not compared (no follow-on noise).
    if ok && earlier.iter().any(|o| o.id == r.id) {
        found.push(PolicyError::invalid(format!("{rp}.id"), format!("rule id `{}` appears twice", r.id)));
        ok = false;
    }
    for (j, reason) in r.then.deny_reasons.iter().enumerate() {
        // A reason the section names but refused is still known here.
        if !spec.reasons.contains_key(reason) {
            found.push(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("{rp}.then.deny_reasons[{j}]"),
                format!("no reason `{}` in returns.reasons", crate::time::truncate(reason, 64)),
            ));
            ok = false;
        }
    }
    if let Some(w) = &r.then.window {
        ok &= found.check(compile_window(w, Anchor::Delivery, &format!("{rp}.then.window"))).is_some();
    }
    if let Some(ext) = &r.then.extend_window {
        if ext.days.0 > MAX_WINDOW_DAYS {
            found.push(PolicyError::invalid(
                format!("{rp}.then.extend_window.days"),
                format!("at most {MAX_WINDOW_DAYS} days"),
            ));
            ok = false;
        }
    }
    if let Some(fee) = &r.then.restocking_fee {
        ok &= found.check(fee.validate(&format!("{rp}.then.restocking_fee"))).is_some();
    }
    let when = match &r.when {
        Some(w) => found.check(crate::conditions::compile_declared(w, &format!("{rp}.when"), FACTS, declared))?,
        None => Condition::always(),
    };
    ok.then(|| Rule { id: r.id.as_str().into(), when, then: r.then.clone(), message: r.message.clone().map(Arc::new) })
}

// ---------------------------------------------------------------------------------------------
// The request and the decision

/// A return or exchange request.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    /// "Now": the engine never reads a clock.
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
    pub reason: String,
    #[serde(default)]
    pub resolution: Option<Resolution>,
    #[serde(default)]
    pub proof_of_purchase: Option<bool>,
    #[serde(default)]
    pub channel: Option<String>,
    /// The fingerprint of the policy the caller decided under; a different one is refused.
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
    pub order: Order,
    pub items: Vec<ReturnItem>,
    /// Values of the facts the policy declares (its `facts`), by name:
    /// `{"customer.credit_score": 550}`.
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnItem {
    pub line_id: String,
    pub quantity: Count,
    #[serde(default)]
    pub condition: ItemCondition,
}

/// The answer to a [`ReturnRequest`]: can the items go back, by when, who pays the shipping.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnDecision {
    pub eligible: bool,
    pub outcome: Outcome,
    /// Resolutions open to every item.
    pub resolutions: Vec<Resolution>,
    /// The last moment the request could be made (the earliest of the items' deadlines).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub deadline: Option<String>,
    pub return_shipping_paid_by: Payer,
    /// When the return will be complete if the goods arrived now (the SLA's `return_complete`
    /// target for a `return` case), for "you will hear from us by …".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub complete_by: Option<String>,
    pub items: Vec<ItemDecision>,
    /// Every reason behind the outcome, item reasons carrying their `line_id`.
    pub reasons: Vec<Reason>,
    /// The rules whose conditions held.
    pub trace: Vec<TraceEntry>,
    /// The risk score, when the policy has `returns.risk`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskScore>,
    pub policy: PolicyRef,
}

/// The risk score of a return request: every signal that fired, with its weight, and what the
/// score did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskScore {
    /// The sum of the weights of the signals that fired.
    pub score: u64,
    /// The signals that fired, in the policy's order.
    pub signals: Vec<FiredSignal>,
    /// The highest threshold the score reached (none: below both).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<RiskEffect>,
    /// What the score restricts in the refund and the exchange that follow (`inspect_first`,
    /// `no_advance_exchange`, `no_keep_item`), in that order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<RiskRestriction>,
}

/// What a risk score at or above its threshold restricts after the return decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskRestriction {
    /// The refund is released only after inspection.
    InspectFirst,
    /// An exchange's replacement ships only after the return arrives.
    NoAdvanceExchange,
    /// No refund for keeping the item.
    NoKeepItem,
}

impl RiskRestriction {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskRestriction::InspectFirst => "inspect_first",
            RiskRestriction::NoAdvanceExchange => "no_advance_exchange",
            RiskRestriction::NoKeepItem => "no_keep_item",
        }
    }
}

impl ReturnDecision {
    /// The risk score, when it reaches the threshold of `restriction`.
    pub fn risk_restricts(&self, restriction: RiskRestriction) -> Option<u64> {
        self.risk.as_ref().filter(|r| r.restrictions.contains(&restriction)).map(|r| r.score)
    }
}

/// A signal that fired.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FiredSignal {
    pub id: String,
    pub weight: u64,
}

/// What a risk score did: sent the return to review, or refused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskEffect {
    Review,
    Deny,
}

impl Explained for ReturnDecision {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.items.iter_mut().flat_map(|i| i.reasons.iter_mut()).chain(self.reasons.iter_mut()).for_each(f);
    }
}

/// The decision on one item of a return request.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemDecision {
    pub line_id: String,
    pub quantity: u64,
    pub eligible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub deadline: Option<String>,
    pub window_days: u64,
    pub return_shipping_paid_by: Payer,
    pub resolutions: Vec<Resolution>,
    /// The restocking fee a refund of this item would bear, when the policy sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restocking_fee: Option<Fee>,
    pub reasons: Vec<Reason>,
}

crate::reasons::codes! {
    /// Every reason code a return decision can carry, for documentation and translation checks.
    pub const REASON_CODES = [
        RETURN_WINDOW_EXPIRED,
        NOT_DELIVERED,
        REASON_NOT_ACCEPTED,
        REASON_EXCLUDED_BY_RULE,
        NOT_RETURNABLE,
        CONDITION_NOT_MET,
        CONDITION_NOT_CONFIRMED,
        RESOLUTION_NOT_ALLOWED,
        ALREADY_RETURNED,
        MANUAL_REVIEW,
        RISK_REVIEW,
        RISK_DENIED,
    ]
}

/// What the rules may test of the order and of the request as a whole (the same for every item).
struct OrderFigures {
    order_total: i64,
    order_discount_percent: Num,
    days_since_purchase: i64,
    days_since_delivery: Option<i64>,
    request_units: u64,
    request_value: i64,
}

/// The facts of one item, as its rules see them.
struct ItemFacts<'a> {
    req: &'a ReturnRequest,
    line: &'a Line,
    condition: &'a ItemCondition,
    quantity: u64,
    figures: &'a OrderFigures,
    /// The request's values of the policy's declared facts.
    declared: &'a Values,
}

fn percent(part: i64, whole: i64) -> Num {
    if whole <= 0 {
        Num::Int(0)
    } else if (part.saturating_mul(100)) % whole == 0 {
        Num::Int(part.saturating_mul(100) / whole)
    } else {
        Num::Float(part as f64 * 100.0 / whole as f64)
    }
}

fn text_or_missing(v: Option<&String>) -> FactValue<'_> {
    v.map_or(FactValue::Missing, |s| FactValue::Text(s))
}

fn flag(v: Option<bool>) -> FactValue<'static> {
    v.map_or(FactValue::Missing, FactValue::Bool)
}

fn count(n: u64) -> FactValue<'static> {
    FactValue::Number(Num::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

impl Facts for ItemFacts<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        let order = &self.req.order;
        let line = self.line;
        match name {
            "order.id" => FactValue::Text(&order.id),
            "order.channel" => text_or_missing(order.channel.as_ref()),
            "order.country" => text_or_missing(order.country.as_ref()),
            "order.tags" => FactValue::TextList(&order.tags),
            "order.total" => FactValue::Number(Num::Int(self.figures.order_total)),
            "order.discount_percent" => FactValue::Number(self.figures.order_discount_percent),
            "order.days_since_purchase" => FactValue::Number(Num::Int(self.figures.days_since_purchase)),
            "order.days_since_delivery" => {
                self.figures.days_since_delivery.map_or(FactValue::Missing, |d| FactValue::Number(Num::Int(d)))
            }
            "item.sku" => text_or_missing(line.sku.as_ref()),
            "item.category" => text_or_missing(line.category.as_ref()),
            "item.brand" => text_or_missing(line.brand.as_ref()),
            "item.tags" => FactValue::TextList(&line.tags),
            "item.unit_price" => FactValue::Number(Num::Int(line.unit_price.0)),
            "item.quantity" => count(self.quantity),
            "item.line_quantity" => count(line.quantity.0),
            "item.value" => FactValue::Number(Num::Int(
                line.unit_price.0.saturating_mul(i64::try_from(self.quantity).unwrap_or(i64::MAX)),
            )),
            "item.discount_percent" => {
                let gross = line.unit_price.0.saturating_mul(i64::try_from(line.quantity.0).unwrap_or(i64::MAX));
                FactValue::Number(percent(line.discount.0, gross))
            }
            "item.condition.unused" => flag(self.condition.unused),
            "item.condition.original_packaging" => flag(self.condition.original_packaging),
            "item.condition.tags_attached" => flag(self.condition.tags_attached),
            "item.condition.accessories_complete" => flag(self.condition.accessories_complete),
            "item.condition.seal_intact" => flag(self.condition.seal_intact),
            "customer.id" => text_or_missing(order.customer.id.as_ref()),
            "customer.tier" => text_or_missing(order.customer.tier.as_ref()),
            "customer.tags" => FactValue::TextList(&order.customer.tags),
            "customer.returns_last_90_days" => {
                order.customer.returns_last_90_days.map_or(FactValue::Missing, |c| count(c.0))
            }
            "request.reason" => FactValue::Text(&self.req.reason),
            "request.resolution" => self.req.resolution.map_or(FactValue::Missing, |r| FactValue::Text(r.as_str())),
            "request.channel" => text_or_missing(self.req.channel.as_ref()),
            "request.proof_of_purchase" => self.req.proof_of_purchase.map_or(FactValue::Missing, FactValue::Bool),
            "request.item_count" => count(self.figures.request_units),
            "request.value" => FactValue::Number(Num::Int(self.figures.request_value)),
            declared => self.declared.get(declared),
        }
    }
}

/// Checks the request's own consistency; every refusal names its path.
fn validate(req: &ReturnRequest) -> Result<()> {
    req.order.validate("order")?;
    if req.now < req.order.placed_at {
        return Err(PolicyError::invalid("now", "`now` is before the order was placed"));
    }
    if req.items.is_empty() {
        return Err(PolicyError::invalid("items", "a request returns at least one item"));
    }
    if req.items.len() > MAX_ITEMS {
        return Err(PolicyError::new(ErrorCode::LimitExceeded, "items", format!("more than {MAX_ITEMS} items")));
    }
    crate::order::check_text(&req.reason, "reason")?;
    for (i, item) in req.items.iter().enumerate() {
        let Some(line) = req.order.line(&item.line_id) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("items[{i}].line_id"),
                format!("no line `{}` in order {}", crate::time::truncate(&item.line_id, 64), req.order.id),
            ));
        };
        if req.items.iter().take(i).any(|o| o.line_id == item.line_id) {
            return Err(PolicyError::invalid(
                format!("items[{i}].line_id"),
                format!("line `{}` is asked for twice", item.line_id),
            ));
        }
        if item.quantity.0 == 0 {
            return Err(PolicyError::invalid(format!("items[{i}].quantity"), "return at least 1 unit"));
        }
        if item.quantity.0 > line.quantity.0 {
            return Err(PolicyError::invalid(
                format!("items[{i}].quantity"),
                format!("{} units asked, but line `{}` has {}", item.quantity.0, line.id, line.quantity.0),
            ));
        }
    }
    Ok(())
}

/// Decides a return request under the policy's `returns` section, in the stages of the module's
/// doc: `validate`, `order_figures`, then per item `apply_rules` → `reason_accepted` →
/// `quantity_left` → `window` → `conditions` → `resolutions` → `apply_floor` → `item_decision`,
/// then `combine`.
pub fn check(env: &Env, returns: &ReturnsPolicy, req: &ReturnRequest) -> Result<ReturnDecision> {
    validate(req)?;
    let declared = returns.declared.values(&req.facts, &returns.tested, "facts")?;
    let reason_policy = returns.reasons.get(&req.reason);
    let ask = Ask {
        env,
        returns,
        req,
        declared,
        figures: order_figures(env.zone, req),
        reason: ReasonName { name: req.reason.as_str().into(), label: reason_policy.and_then(|r| r.label.clone()) },
        reason_policy,
    };
    let mut trail = Trail::default();
    let risk = returns.risk.as_ref().map(|r| score_risk(&ask, r, &mut trail));
    let mut judged = Vec::with_capacity(req.items.len());
    for item in &req.items {
        let Some(line) = req.order.line(&item.line_id) else {
            continue;
        };
        let mut v = Verdict::new(returns.return_shipping);
        let rules = apply_rules(&ask, item, line, &mut v, &mut trail);
        if let Some((_, Some(denied))) = &risk {
            v.reasons.push(denied.clone());
        }
        if let Some(terms) = reason_accepted(&ask, rules, &mut v) {
            quantity_left(req, item, line, &mut v);
            window(&ask, &terms, line, &mut v)?;
            conditions(&ask, item, &terms, &mut v);
            resolutions(&ask, &mut v);
        }
        apply_floor(env, req, item, line, &mut v)?;
        judged.push((v.deadline, item_decision(item, line, v)));
    }
    Ok(combine(env, judged, trail, risk.map(|(score, _)| score)))
}

/// The risk score: each signal whose `when` holds for any item asked for adds its weight. From
/// `deny` on, the refusal each item is given (before the floor); from `review` on, a review in
/// the trail.
fn score_risk(ask: &Ask<'_>, risk: &Risk, trail: &mut Trail) -> (RiskScore, Option<Reason>) {
    let fired: Vec<&Signal> = risk
        .signals
        .iter()
        .filter(|s| {
            ask.req
                .items
                .iter()
                .any(|i| ask.req.order.line(&i.line_id).is_some_and(|l| s.when.eval(&ask.item_facts(i, l))))
        })
        .collect();
    let score = fired.iter().map(|s| s.weight).fold(0, u64::saturating_add);
    let effect = if risk.deny.is_some_and(|d| score >= d) {
        Some(RiskEffect::Deny)
    } else if risk.review.is_some_and(|r| score >= r) {
        Some(RiskEffect::Review)
    } else {
        None
    };
    let named: Vec<RiskSignal> =
        fired.iter().map(|s| RiskSignal { id: s.id.clone(), label: s.label.clone(), weight: s.weight }).collect();
    let ids: Vec<&str> = fired.iter().map(|s| &*s.id).collect();
    let reason = |code: &'static str, threshold: u64, says: Says| {
        Reason::new(code, says).figure("score", score).figure("threshold", threshold).figure("signals", ids.clone())
    };
    let mut denied = None;
    match (effect, risk.deny, risk.review) {
        (Some(RiskEffect::Deny), Some(threshold), _) => {
            let says = Says::RiskDenied { score, threshold, signals: named };
            denied = Some(reason(codes::RISK_DENIED, threshold, says));
        }
        (Some(RiskEffect::Review), _, Some(threshold)) => {
            let says = Says::RiskReview { score, threshold, signals: named };
            trail.review.push(reason(codes::RISK_REVIEW, threshold, says));
        }
        _ => {}
    }
    let signals = fired.iter().map(|s| FiredSignal { id: s.id.to_string(), weight: s.weight }).collect();
    let restrictions = risk.restrictions.iter().filter(|(_, t)| score >= *t).map(|(r, _)| *r).collect();
    (RiskScore { score, signals, effect, restrictions }, denied)
}

/// What every item of one request is judged against.
struct Ask<'a> {
    env: &'a Env,
    returns: &'a ReturnsPolicy,
    req: &'a ReturnRequest,
    /// The request's values of the policy's declared facts.
    declared: Values,
    figures: OrderFigures,
    /// The reason given, as messages name it.
    reason: ReasonName,
    /// The policy's terms for the reason given (`None`: the policy does not accept it).
    reason_policy: Option<&'a ReasonPolicy>,
}

impl Ask<'_> {
    /// The facts of one item, as rules and signals see them.
    fn item_facts<'b>(&'b self, item: &'b ReturnItem, line: &'b Line) -> ItemFacts<'b> {
        ItemFacts {
            req: self.req,
            line,
            condition: &item.condition,
            quantity: item.quantity.0,
            figures: &self.figures,
            declared: &self.declared,
        }
    }
}

/// What the items leave to the request as a whole: the rules that matched (for which lines), and
/// the reviews they asked for (once per rule).
#[derive(Default)]
struct Trail {
    trace: Vec<TraceEntry>,
    review: Vec<Reason>,
}

/// One item's answer as the stages make it; each stage adds its reasons.
struct Verdict {
    /// Why it may not go back (empty: it may), then any note such as the statutory right.
    reasons: Vec<Reason>,
    deadline: Option<DateTime<Tz>>,
    days: u64,
    payer: Payer,
    allowed: Vec<Resolution>,
    restocking: Option<Fee>,
}

impl Verdict {
    /// No reason yet, no deadline, no resolution: what an item gets for a reason the policy does
    /// not accept, before the law's floor.
    fn new(payer: Payer) -> Verdict {
        Verdict { reasons: Vec::new(), deadline: None, days: 0, payer, allowed: Vec::new(), restocking: None }
    }
}

/// What the rules that matched an item change of the reason's terms (the last rule to set a
/// term wins; extensions add up; requirements add up).
#[derive(Default)]
struct RuleEffects<'a> {
    window: Option<&'a WindowSpec>,
    extend_days: u64,
    return_shipping: Option<Payer>,
    resolutions: Option<&'a [Resolution]>,
    require: Vec<Requirement>,
    restocking_fee: Option<Fee>,
}

impl<'a> RuleEffects<'a> {
    fn add(&mut self, then: &'a ThenSpec) {
        if let Some(w) = &then.window {
            self.window = Some(w);
        }
        if let Some(ext) = &then.extend_window {
            self.extend_days = self.extend_days.saturating_add(ext.days.0);
        }
        if let Some(p) = then.return_shipping {
            self.return_shipping = Some(p);
        }
        if let Some(r) = &then.resolutions {
            self.resolutions = Some(r);
        }
        self.require.extend(then.require.iter().copied());
        if let Some(fee) = then.restocking_fee {
            self.restocking_fee = Some(fee);
        }
    }
}

/// What a reason asks of an item once the rules have had their say.
struct Terms<'a> {
    /// What the window counts from.
    from: Anchor,
    /// The reason's requirements (or the section's).
    requires: &'a [Requirement],
    /// The requirements the rules add.
    also_requires: Vec<Requirement>,
}

/// Stage 2: the order's total and discount, the days since purchase and delivery, and the units
/// and list value the request asks for.
fn order_figures(zone: Tz, req: &ReturnRequest) -> OrderFigures {
    let order = &req.order;
    let gross: i64 = order
        .lines
        .iter()
        .map(|l| l.unit_price.0.saturating_mul(i64::try_from(l.quantity.0).unwrap_or(i64::MAX)))
        .fold(0, i64::saturating_add);
    let line_discounts: i64 = order.lines.iter().map(|l| l.discount.0).fold(0, i64::saturating_add);
    let order_discounts: i64 = order.discounts.iter().map(|d| d.amount.0).fold(0, i64::saturating_add);
    let tax_on_top: i64 = if order.tax_included {
        0
    } else {
        order.lines.iter().map(|l| l.tax.0).fold(0, i64::saturating_add).saturating_add(order.shipping.tax.0)
    };
    let order_total = gross
        .saturating_sub(line_discounts)
        .saturating_sub(order_discounts)
        .saturating_add(order.shipping.amount.0)
        .saturating_add(tax_on_top);
    let request_value = req
        .items
        .iter()
        .filter_map(|i| {
            order
                .line(&i.line_id)
                .map(|l| l.unit_price.0.saturating_mul(i64::try_from(i.quantity.0).unwrap_or(i64::MAX)))
        })
        .fold(0, i64::saturating_add);
    OrderFigures {
        order_total,
        order_discount_percent: percent(line_discounts.saturating_add(order_discounts), gross),
        days_since_purchase: local_days_between(zone, &order.placed_at, &req.now),
        days_since_delivery: order
            .delivered_at
            .as_ref()
            .or_else(|| order.last_delivery())
            .map(|d| local_days_between(zone, d, &req.now)),
        request_units: req.items.iter().map(|i| i.quantity.0).fold(0, u64::saturating_add),
        request_value,
    }
}

/// Stage 3: the policy's rules, in document order, each one whose `when` holds for the item:
/// its denials go to the verdict, its review request to the trail (once per rule), the rest of
/// what it does to the effects the next stage applies.
fn apply_rules<'a>(
    ask: &Ask<'a>,
    item: &ReturnItem,
    line: &Line,
    v: &mut Verdict,
    trail: &mut Trail,
) -> RuleEffects<'a> {
    let facts = ask.item_facts(item, line);
    let mut effects = RuleEffects::default();
    for rule in &ask.returns.rules {
        if !rule.when.eval(&facts) {
            continue;
        }
        match trail.trace.iter_mut().find(|t| t.rule == rule.id) {
            Some(t) => t.lines.push(line.id.clone()),
            None => trail.trace.push(TraceEntry { rule: rule.id.clone(), matched: true, lines: vec![line.id.clone()] }),
        }
        let then = &rule.then;
        let custom = rule.message.clone();
        if then.deny {
            let says = Says::NotReturnable { rule: rule.id.clone(), custom: custom.clone() };
            v.reasons.push(Reason::new(codes::NOT_RETURNABLE, says).rule(rule.id.clone()));
        }
        if then.deny_reasons.iter().any(|r| r == &ask.req.reason) {
            let says = Says::ReasonExcludedByRule {
                rule: rule.id.clone(),
                reason: ask.reason.clone(),
                custom: custom.clone(),
            };
            v.reasons.push(
                Reason::new(codes::REASON_EXCLUDED_BY_RULE, says)
                    .rule(rule.id.clone())
                    .figure("reason", ask.req.reason.as_str()),
            );
        }
        effects.add(then);
        if then.review && !trail.review.iter().any(|r| r.rule.as_deref() == Some(&*rule.id)) {
            let says = Says::ManualReview { rule: rule.id.clone(), custom };
            trail.review.push(Reason::new(codes::MANUAL_REVIEW, says).rule(rule.id.clone()));
        }
    }
    effects
}

/// Stage 4: the reason is one the policy accepts. If so, its terms as the rules changed them
/// (window days, payer, resolutions, restocking fee) go to the verdict and the rest is returned
/// for the next stages; if not, `REASON_NOT_ACCEPTED`, and the item goes straight to the floor.
fn reason_accepted<'a>(ask: &Ask<'a>, rules: RuleEffects<'a>, v: &mut Verdict) -> Option<Terms<'a>> {
    let returns = ask.returns;
    let Some(rp) = ask.reason_policy else {
        v.reasons.push(
            Reason::new(codes::REASON_NOT_ACCEPTED, Says::ReasonNotAccepted { reason: ask.reason.clone() })
                .figure("reason", ask.req.reason.as_str()),
        );
        return None;
    };
    let reason_window = rp.window.unwrap_or(returns.window);
    let base = match rules.window {
        Some(w) => Window { days: w.days.0, from: w.from.unwrap_or(reason_window.from) },
        None => reason_window,
    };
    v.days = base.days.saturating_add(rules.extend_days);
    v.payer = rules.return_shipping.or(rp.return_shipping).unwrap_or(returns.return_shipping);
    v.allowed = rules.resolutions.or(rp.resolutions.as_deref()).unwrap_or(&returns.resolutions).to_vec();
    v.restocking = rules.restocking_fee.or(rp.restocking_fee);
    Some(Terms {
        from: base.from,
        requires: rp.requires.as_deref().unwrap_or(&returns.requires),
        also_requires: rules.require,
    })
}

/// Stage 5: the units left after earlier returns (units kept with a partial refund may still
/// come back).
fn quantity_left(req: &ReturnRequest, item: &ReturnItem, line: &Line, v: &mut Verdict) {
    let left = line.quantity.0.saturating_sub(req.order.returned_quantity(&line.id));
    if item.quantity.0 > left {
        v.reasons.push(
            Reason::new(codes::ALREADY_RETURNED, Says::AlreadyReturned { left, bought: line.quantity.0 })
                .figure("left", left)
                .figure("bought", line.quantity.0),
        );
    }
}

/// Stage 6: the window of `v.days` from delivery or purchase, ending at 23:59:59 local time on
/// its last day; its end is the item's deadline. Delivery is the line's own when the order came
/// in several parcels, or the last of the order's where the jurisdiction counts from it
/// ([`crate::statute::delivery_of`]).
fn window(ask: &Ask<'_>, terms: &Terms<'_>, line: &Line, v: &mut Verdict) -> Result<()> {
    let order = &ask.req.order;
    let start = match terms.from {
        Anchor::Delivery => crate::statute::delivery_of(ask.env.jurisdiction, order, line),
        Anchor::Purchase => Some(&order.placed_at),
    };
    let Some(start) = start else {
        v.reasons.push(Reason::new(codes::NOT_DELIVERED, Says::NotDelivered));
        return Ok(());
    };
    let days = v.days;
    let end = day_window_end(ask.env.zone, start, i64::try_from(days).unwrap_or(i64::MAX))?;
    if ask.req.now.utc() > end.with_timezone(&chrono::Utc) {
        v.reasons.push(
            Reason::new(codes::RETURN_WINDOW_EXPIRED, Says::WindowExpired { reason: ask.reason.clone(), days, end })
                .figure("window_days", days)
                .figure("deadline", format_instant(&end))
                .figure("from", if terms.from == Anchor::Delivery { "delivery" } else { "purchase" }),
        );
    }
    v.deadline = Some(end);
    Ok(())
}

/// Stage 7: each requirement of the reason, then each the rules added, once: reported unmet is
/// `CONDITION_NOT_MET`, not reported is `CONDITION_NOT_CONFIRMED`.
fn conditions(ask: &Ask<'_>, item: &ReturnItem, terms: &Terms<'_>, v: &mut Verdict) {
    for r in terms.requires.iter().chain(terms.also_requires.iter()) {
        if v.reasons.iter().any(|x| x.figures.get("condition").and_then(|c| c.as_str()) == Some(r.as_str())) {
            continue;
        }
        let reason = match item.condition.get(*r, ask.req.proof_of_purchase) {
            Some(true) => continue,
            Some(false) => Reason::new(
                codes::CONDITION_NOT_MET,
                Says::ConditionNotMet { reason: ask.reason.clone(), requirement: *r },
            ),
            None => Reason::new(codes::CONDITION_NOT_CONFIRMED, Says::ConditionNotConfirmed { requirement: *r }),
        };
        v.reasons.push(reason.figure("condition", r.as_str()));
    }
}

/// Stage 8: the resolution asked for, if any, is one of those allowed.
fn resolutions(ask: &Ask<'_>, v: &mut Verdict) {
    let Some(asked) = ask.req.resolution else {
        return;
    };
    if !v.allowed.contains(&asked) {
        let says = Says::ResolutionNotAllowed { reason: ask.reason.clone(), allowed: v.allowed.clone(), asked };
        v.reasons.push(Reason::new(codes::RESOLUTION_NOT_ALLOWED, says).figure("resolution", asked.as_str()));
    }
}

/// Reasons the statutory right overrides (see [`crate::statute`]).
const OVERRIDDEN: &[&str] = &[
    codes::RETURN_WINDOW_EXPIRED,
    codes::REASON_NOT_ACCEPTED,
    codes::REASON_EXCLUDED_BY_RULE,
    codes::NOT_RETURNABLE,
    codes::CONDITION_NOT_MET,
    codes::CONDITION_NOT_CONFIRMED,
    codes::RISK_DENIED,
];

/// Stage 9: the law as a floor. When the policy's jurisdiction gives this item a statutory right
/// to go back now, the policy's refusals give way, a refund is open, no restocking fee is
/// charged, and the later deadline stands, with a `STATUTORY_RIGHT` reason citing the law.
fn apply_floor(env: &Env, req: &ReturnRequest, item: &ReturnItem, line: &Line, v: &mut Verdict) -> Result<()> {
    let Some(right) = crate::statute::statutory_return(
        env.jurisdiction,
        &req.reason,
        &line.tags,
        &item.condition,
        crate::statute::delivery_of(env.jurisdiction, &req.order, line),
        &req.now,
        env.zone,
    )?
    else {
        return Ok(());
    };
    let before = v.reasons.len();
    let asked_refund = req.resolution == Some(Resolution::Refund);
    v.reasons.retain(|r| {
        let condition_of_law = r
            .figures
            .get("condition")
            .and_then(|c| c.as_str())
            .is_some_and(|c| right.intact.iter().any(|i| i.as_str() == c));
        let overridden = (OVERRIDDEN.contains(&r.code) && !condition_of_law)
            || (r.code == codes::RESOLUTION_NOT_ALLOWED && asked_refund);
        !overridden
    });
    let policy_refused = v.reasons.len() != before;
    let mut changed = policy_refused;
    if !v.allowed.contains(&Resolution::Refund) {
        v.allowed.insert(0, Resolution::Refund);
        changed = true;
    }
    let fee_waived = v.restocking.take().is_some();
    let payer = crate::statute::shipping_payer(&right, v.payer);
    changed |= fee_waived || payer != v.payer;
    v.payer = payer;
    // The policy's later deadline stands only where the policy itself lets the item go back.
    if policy_refused || v.deadline.is_none_or(|d| d < right.deadline) {
        v.deadline = Some(right.deadline);
        v.days = right.days;
        changed = true;
    }
    if changed {
        let deadline = v.deadline.unwrap_or(right.deadline);
        let says = Says::StatutoryRight { citation: right.citation, gives: right.gives, deadline, fee_waived };
        v.reasons.push(
            Reason::new(crate::statute::STATUTORY_RIGHT, says)
                .figure("law", right.law)
                .figure("window_days", right.days)
                .figure("deadline", format_instant(&deadline))
                .figure("from", "delivery"),
        );
    }
    Ok(())
}

/// Stage 10: the item's answer, its reasons naming its line; eligible when nothing but the
/// statutory right is said of it.
fn item_decision(item: &ReturnItem, line: &Line, v: Verdict) -> ItemDecision {
    ItemDecision {
        line_id: line.id.clone(),
        quantity: item.quantity.0,
        eligible: v.reasons.iter().all(|r| r.code == crate::statute::STATUTORY_RIGHT),
        deadline: v.deadline.map(|d| format_instant(&d)),
        window_days: v.days,
        return_shipping_paid_by: v.payer,
        resolutions: v.allowed,
        restocking_fee: v.restocking,
        reasons: v.reasons.into_iter().map(|r| r.line(&line.id)).collect(),
    }
}

/// Stage 11: the request's answer from its items' (each with its deadline): approved only when
/// every item is, `review` when a rule asked for it; the earliest deadline; the resolutions open
/// to every item; the merchant pays the return shipping only when it does for every item.
fn combine(
    env: &Env,
    judged: Vec<(Option<DateTime<Tz>>, ItemDecision)>,
    trail: Trail,
    risk: Option<RiskScore>,
) -> ReturnDecision {
    let earliest = judged.iter().filter_map(|(d, _)| *d).reduce(|e, d| if d < e { d } else { e });
    let items: Vec<ItemDecision> = judged.into_iter().map(|(_, i)| i).collect();
    let eligible = items.iter().all(|i| i.eligible);
    let outcome = if !eligible {
        Outcome::Deny
    } else if trail.review.is_empty() {
        Outcome::Approve
    } else {
        Outcome::Review
    };
    let resolutions: Vec<Resolution> = match items.first() {
        Some(first) => {
            first.resolutions.iter().copied().filter(|r| items.iter().all(|i| i.resolutions.contains(r))).collect()
        }
        None => Vec::new(),
    };
    let return_shipping_paid_by =
        if !items.is_empty() && items.iter().all(|i| i.return_shipping_paid_by == Payer::Merchant) {
            Payer::Merchant
        } else {
            Payer::Customer
        };
    let mut reasons: Vec<Reason> = items.iter().flat_map(|i| i.reasons.iter().cloned()).collect();
    reasons.extend(trail.review);
    ReturnDecision {
        eligible,
        outcome,
        resolutions,
        deadline: earliest.map(|d| format_instant(&d)),
        return_shipping_paid_by,
        complete_by: None,
        items,
        reasons,
        trace: trail.trace,
        risk,
        policy: env.reference(),
    }
}

impl ReturnsPolicy {
    /// The rules' compiled conditions, in document order (for the policy lint).
    pub fn rule_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.rules.iter().map(|r| &r.when)
    }
}
