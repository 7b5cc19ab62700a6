//! Exchanges as a transaction: an item goes back and a named variant goes out (another size or
//! colour of the same item, or another item); the price difference is settled exactly, each way's
//! shipping has its payer, the replacement may ship before the return arrives, and a variant out
//! of stock falls back to what the policy says.
//!
//! [`check`] runs these stages, in this order (each a function of that name):
//! 1. `validate`: the order is checked and what each line was paid is found (the refund quote's
//!    own shares: `refund::paid_lines`), its money adds up in the policy's currency; the items
//!    name lines once, with units they have; each variant has a sku and a price of 0 or more;
//! 2. `return_decision`: the items must be returnable: the return decision of `returns` for the
//!    resolution `exchange` (through the engine's `decide_return`), when the policy has that
//!    section;
//!
//! then per item:
//! 3. `figures`: what the units going back count at (`paid`: their paid share after discounts,
//!    tax on top left out; `list`: their unit price), what the replacement costs, the difference
//!    (none when the variant costs the line's unit price: a like-for-like swap);
//! 4. `allowed`: the return decision's verdict, the reason and the kind of exchange the policy
//!    allows, the line's exchange limit (`order.exchanges`);
//! 5. `apply_rules`: the policy's rules, in document order (advance exchange, the replacement's
//!    shipping, review);
//! 6. `settle`: out of stock, the fallback; otherwise (and for `wait`) the difference: the
//!    customer pays an upsell, a downsell is refunded, given as store credit, or refused, never
//!    more than is left of what the line was paid;
//! 7. `shipping`: who pays each way, and whether the replacement ships before the return arrives;
//!
//! and last, 8. `fallback_quote`: an `exchange_failed` refund quote (through the engine) for the
//! items whose fallback is a refund or store credit; 9. `payments`: the downsell refunds split
//! back over the payments in the `refunds` section's `payment_order`, and the records to append to
//! `order.refunds` and `order.exchanges`; 10. `outcome`: approved only when every item is, in
//! review when the return decision or a rule says so. Nothing here writes words: the messages
//! are [`Says`] values, put in words by the engine.

use crate::conditions::{Condition, FactValue, Facts, Num};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, Text, TraceEntry};
use crate::facts::{Declared, Values, WithDeclared};
use crate::messages::exchanges::Says;
use crate::messages::format_money;
use crate::messages::returns::{ReasonName, Says as ReturnSays};
use crate::money::{self, Count, Minor};
use crate::order::{Line, Order};
use crate::problems::Problems;
use crate::refund::{
    self, DecideReturn, PaidLine, PaymentShare, RecordLine, RecordOut, RefundItem, RefundQuote, RefundRequest,
    RefundType, RefundsPolicy,
};
use crate::returns::{ItemDecision, ReturnDecision, ReturnItem, ReturnRequest, RiskRestriction};
use crate::time::Timestamp;
use crate::vocabulary::{ItemCondition, Locale, LocalizedText, Outcome, Payer, Resolution};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most rules an `exchanges` section may hold.
pub const MAX_RULES: usize = 500;

// ---------------------------------------------------------------------------------------------
// The policy section

/// The `exchanges` section as written.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangesSpec {
    /// The reasons that allow an exchange, and of which kinds (`{"changed_mind": {"kinds":
    /// ["same_item"]}}`); a reason not listed allows none.
    pub reasons: BTreeMap<String, ExchangeReasonSpec>,
    /// What the units going back count at: `paid` (default: what they were paid after discounts)
    /// or `list` (their unit price). A variant at the line's unit price is a like-for-like swap
    /// with no difference, on either basis.
    #[serde(default)]
    pub price_basis: PriceBasis,
    /// When the variant is cheaper: `refund` (default: the difference back to the original
    /// payment), `store_credit`, or `not_allowed`. An upsell is always the customer's to pay.
    #[serde(default)]
    pub downsell: Downsell,
    /// Who pays the replacement's shipping unless the reason or a rule says otherwise (default:
    /// merchant).
    #[serde(default)]
    pub replacement_shipping: Option<Payer>,
    /// Most exchanges one order line may have: each entry of `order.exchanges` naming the line is
    /// one. No limit when left out.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<std::num::NonZeroU64>"))]
    pub max_per_line: Option<Count>,
    /// When the variant is out of stock: `refund` (default: the price paid back, an
    /// `exchange_failed` refund), `store_credit` (the same, as store credit) or `wait` (the
    /// replacement ships when back in stock).
    #[serde(default)]
    pub out_of_stock: Fallback,
    /// Applied in document order to each item: `{"id", "when", "then", "message"?}`.
    #[serde(default)]
    pub rules: Vec<ExchangeRuleSpec>,
}

/// What one reason allows.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeReasonSpec {
    /// The kinds of exchange allowed (default: `same_item`).
    #[serde(default = "same_item_only")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub kinds: Vec<ExchangeKind>,
    /// Who pays the replacement's shipping for this reason.
    #[serde(default)]
    pub replacement_shipping: Option<Payer>,
}

fn same_item_only() -> Vec<ExchangeKind> {
    vec![ExchangeKind::SameItem]
}

/// The kind of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// Another size or colour of the same item.
    #[default]
    SameItem,
    /// Another item.
    OtherItem,
}

impl ExchangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeKind::SameItem => "same_item",
            ExchangeKind::OtherItem => "other_item",
        }
    }
}

/// What the units going back count at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    /// What they were paid after line and order discounts.
    #[default]
    Paid,
    /// Their unit price.
    List,
}

/// What happens to a downsell's difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Downsell {
    /// Back to the original payment.
    #[default]
    Refund,
    /// Given as store credit.
    StoreCredit,
    /// No exchange into a cheaper variant.
    NotAllowed,
}

/// What an exchange falls back to when the variant is out of stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// The price paid back to the original payment (an `exchange_failed` refund).
    #[default]
    Refund,
    /// The same, as store credit.
    StoreCredit,
    /// The replacement ships when it is back in stock.
    Wait,
}

impl Fallback {
    pub fn as_str(self) -> &'static str {
        match self {
            Fallback::Refund => "refund",
            Fallback::StoreCredit => "store_credit",
            Fallback::Wait => "wait",
        }
    }
}

/// A rule of the `exchanges` section.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeRuleSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::ExchangeCondition>"))]
    pub when: Option<serde_json::Value>,
    pub then: ExchangeThenSpec,
    /// Text shown with the advance exchange this rule grants.
    #[serde(default)]
    pub message: Option<LocalizedText>,
}

/// What a matching exchange rule does (the last rule to set a term wins).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeThenSpec {
    /// The replacement ships before the return arrives (`true`), or only after (`false`).
    #[serde(default)]
    pub advance: Option<bool>,
    /// Who pays the replacement's shipping.
    #[serde(default)]
    pub replacement_shipping: Option<Payer>,
    /// A person must look before the exchange goes ahead.
    #[serde(default)]
    pub review: bool,
}

/// The compiled `exchanges` section.
#[derive(Debug, Clone)]
pub struct ExchangesPolicy {
    reasons: BTreeMap<String, ExchangeReasonSpec>,
    basis: PriceBasis,
    downsell: Downsell,
    replacement_shipping: Payer,
    max_per_line: Option<u64>,
    out_of_stock: Fallback,
    rules: Vec<Rule>,
    /// The policy's declared facts, and those of them the rules test.
    declared: Arc<Declared>,
    tested: Vec<Arc<str>>,
}

#[derive(Debug, Clone)]
struct Rule {
    id: Arc<str>,
    when: Condition,
    then: ExchangeThenSpec,
    message: Option<Arc<LocalizedText>>,
}

pub use crate::builtin_facts::EXCHANGES as FACTS;

/// Compiles the `exchanges` section at `path`, noting every refusal in `problems` (each reason,
/// the limit, then each rule, in the order they are written); `None` when there was any.
pub fn compile(
    spec: &ExchangesSpec,
    _env: &Env,
    declared: &Arc<Declared>,
    path: &str,
    problems: &mut Problems,
) -> Option<ExchangesPolicy> {
    let mut found = Problems::default();
    for (name, r) in &spec.reasons {
        let rp = format!("{path}.reasons.{name}");
        found.check(crate::order::check_text(name, &rp));
        if r.kinds.is_empty() {
            found.push(PolicyError::invalid(format!("{rp}.kinds"), "a reason allows at least one kind of exchange"));
        }
    }
    if spec.max_per_line.is_some_and(|m| m.0 == 0) {
        found.push(PolicyError::invalid(
            format!("{path}.max_per_line"),
            "at least 1 (leave a reason out of `reasons` to allow no exchange for it)",
        ));
    }
    let rules = compile_rules(spec, declared, path, &mut found);
    let tested = crate::facts::tested(declared, rules.iter().map(|r| &r.when));
    let clean = found.is_empty();
    found.into_errors().into_iter().for_each(|e| problems.push(e));
    clean.then(|| ExchangesPolicy {
        reasons: spec.reasons.clone(),
        basis: spec.price_basis,
        downsell: spec.downsell,
        replacement_shipping: spec.replacement_shipping.unwrap_or(Payer::Merchant),
        max_per_line: spec.max_per_line.map(|m| m.0),
        out_of_stock: spec.out_of_stock,
        rules,
        declared: declared.clone(),
        tested,
    })
}

/// The rules, in document order: ids once each, conditions over [`FACTS`] and the declared facts.
fn compile_rules(spec: &ExchangesSpec, declared: &Declared, path: &str, found: &mut Problems) -> Vec<Rule> {
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
        let rp = format!("{path}.rules[{i}]");
        let mut ok = found.check(crate::order::check_text(&r.id, &format!("{rp}.id"))).is_some();
        if ok && spec.rules.iter().take(i).any(|o| o.id == r.id) {
            found.push(PolicyError::invalid(format!("{rp}.id"), format!("rule id `{}` appears twice", r.id)));
            ok = false;
        }
        let when = match &r.when {
            Some(w) => {
                found.check(crate::conditions::compile_declared(w, &format!("{rp}.when"), FACTS, declared.facts()))
            }
            None => Some(Condition::always()),
        };
        if let (true, Some(when)) = (ok, when) {
            let message = r.message.clone().map(Arc::new);
            rules.push(Rule { id: r.id.as_str().into(), when, then: r.then.clone(), message });
        }
    }
    rules
}

// ---------------------------------------------------------------------------------------------
// The request and the decision

/// A request to exchange items for named variants.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    /// "Now": the engine never reads a clock.
    pub now: Timestamp,
    #[serde(default)]
    pub locale: Locale,
    pub reason: String,
    #[serde(default)]
    pub proof_of_purchase: Option<bool>,
    #[serde(default)]
    pub channel: Option<String>,
    /// The fingerprint of the policy the caller decided under; a different one is refused.
    #[serde(default)]
    pub policy_fingerprint: Option<String>,
    /// The order, with the exchanges already made on it (`order.exchanges`).
    pub order: Order,
    pub items: Vec<ExchangeItem>,
    /// Values of the facts the policy declares, for its return rules and its exchange rules (as
    /// on a return request).
    #[serde(default)]
    pub facts: std::collections::BTreeMap<String, serde_json::Value>,
}

/// One item to exchange, and what for.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeItem {
    pub line_id: String,
    pub quantity: Count,
    #[serde(default)]
    pub condition: ItemCondition,
    pub variant: Variant,
}

/// The variant asked for.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub sku: String,
    /// Its current price of one unit, in minor units (with or without tax as the order's prices are).
    pub price: Minor,
    pub in_stock: bool,
    /// `same_item` (default: another size or colour) or `other_item`.
    #[serde(default)]
    pub kind: ExchangeKind,
}

/// Which way an item's difference goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The customer pays `amount` (an upsell).
    CustomerPays,
    /// `amount` goes back to the original payment (a downsell).
    Refund,
    /// `amount` is given as store credit (a downsell).
    StoreCredit,
    /// Nothing moves.
    None,
}

/// The answer to an [`ExchangeRequest`].
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExchangeDecision {
    pub eligible: bool,
    pub outcome: Outcome,
    pub currency: String,
    pub items: Vec<ExchangeItemDecision>,
    /// What the customer pays on top, over every eligible item.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub customer_pays: i64,
    /// Downsell differences back to the original payments.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub refund: i64,
    /// Downsell differences given as store credit.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub store_credit: i64,
    /// Where `refund` and `store_credit` go.
    pub payments: Vec<PaymentShare>,
    /// The last moment the items could be sent back (the return decision's deadline).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub deadline: Option<String>,
    /// For items out of stock whose fallback is a refund or store credit: their
    /// `exchange_failed` refund quote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_refund: Option<RefundQuote>,
    /// Append each to `order.exchanges` once the replacements are sent.
    pub record: Vec<ExchangeRecordOut>,
    /// Append this to `order.refunds` once the differences are paid back (when there are any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_record: Option<RecordOut>,
    /// Every reason, item reasons carrying their `line_id`.
    pub reasons: Vec<Reason>,
    /// The rules whose conditions held: the return rules', then the exchange rules'.
    pub trace: Vec<TraceEntry>,
    pub policy: PolicyRef,
}

/// The decision on one item.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExchangeItemDecision {
    pub line_id: String,
    pub quantity: u64,
    pub eligible: bool,
    /// The variant asked for, its kind, and whether it is in stock.
    pub sku: String,
    pub kind: ExchangeKind,
    pub in_stock: bool,
    pub basis: PriceBasis,
    /// What the units going back count at, on `basis`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub returned_value: i64,
    /// The variant's price × the units.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub replacement_value: i64,
    /// `replacement_value − returned_value`, or 0 for a like-for-like swap (the variant at the
    /// line's unit price). Positive: an upsell.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub difference: i64,
    pub direction: Direction,
    /// What moves in `direction` (0 or more).
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Minor"))]
    pub amount: i64,
    pub return_shipping_paid_by: Payer,
    /// Who pays the replacement's shipping (left out when no replacement ships).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement_shipping_paid_by: Option<Payer>,
    /// The replacement ships before the return arrives.
    pub advance: bool,
    /// What happens instead, when the variant is out of stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
    pub reasons: Vec<Reason>,
}

/// The entry to append to `order.exchanges` for one line.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExchangeRecordOut {
    pub line_id: String,
    pub quantity: u64,
    pub sku: String,
    pub created_at: Timestamp,
}

impl Explained for ExchangeDecision {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.items.iter_mut().flat_map(|i| i.reasons.iter_mut()).chain(self.reasons.iter_mut()).for_each(&mut *f);
        if let Some(quote) = &mut self.fallback_refund {
            quote.reasons(f);
        }
    }

    fn texts(&mut self, f: &mut dyn FnMut(&mut Text)) {
        if let Some(quote) = &mut self.fallback_refund {
            quote.texts(f);
        }
    }
}

crate::reasons::codes! {
    /// Every code an exchange decision gives of its own, for documentation (it also carries the
    /// return decision's, and `ALREADY_RETURNED` and `MANUAL_REVIEW` of its own making).
    pub const CODES = [
        EXCHANGE_PRICE_DIFFERENCE,
        EXCHANGE_DIFFERENCE_CAPPED,
        EXCHANGE_DOWNSELL_NOT_ALLOWED,
        EXCHANGE_SHIPPING,
        ADVANCE_EXCHANGE,
        REPLACEMENT_AFTER_RETURN,
        EXCHANGE_OUT_OF_STOCK,
        EXCHANGE_LIMIT_REACHED,
        EXCHANGE_REASON_NOT_ALLOWED,
        EXCHANGE_KIND_NOT_ALLOWED,
    ], also [ALREADY_RETURNED, MANUAL_REVIEW]
}

// ---------------------------------------------------------------------------------------------
// The stages

/// An `exchange_failed` refund quote under the same policy version, made by the engine.
pub type QuoteRefund<'a> = &'a dyn Fn(&RefundRequest) -> Result<RefundQuote>;

/// What an exchange asks of the rest of the engine.
pub struct Calls<'a> {
    /// The return decision the exchange stands on, when the policy has a `returns` section.
    pub decide_return: Option<DecideReturn<'a>>,
    /// The refund quote of the items out of stock whose fallback is a refund.
    pub quote_refund: QuoteRefund<'a>,
    /// The policy's `refunds` section: where a downsell's difference goes back.
    pub refunds: &'a RefundsPolicy,
}

/// Decides an exchange request under the policy's `exchanges` section. The stages run in the
/// order of the module's list.
pub fn check(env: &Env, xp: &ExchangesPolicy, req: &ExchangeRequest, calls: Calls<'_>) -> Result<ExchangeDecision> {
    let paid = validate(env, req)?;
    let decision = return_decision(req, calls.decide_return)?;
    let order_total = req.order.charged().unwrap_or(0);
    let declared = xp.declared.values(&req.facts, &xp.tested, "facts")?;
    let x = Exchanging { env, xp, req, order: &req.order, paid, decision, order_total, declared };

    let mut tally = Tally::default();
    for (i, asked) in req.items.iter().enumerate() {
        let Some((li, line)) = req.order.lines.iter().enumerate().find(|(_, l)| l.id == asked.line_id) else {
            continue;
        };
        let figures = x.figures(i, li, line, asked)?;
        let mut v = x.allowed(line, asked, &figures);
        let effects = x.apply_rules(line, asked, &figures, &mut tally);
        x.settle(asked, &figures, &mut v);
        x.shipping(asked, &effects, &mut v);
        tally.add(&x, line, asked, &figures, v);
    }
    let fallback_refund = x.fallback_quote(&tally, calls.quote_refund)?;
    let (payments, refund_record) = x.payments(&tally, calls.refunds)?;
    let (eligible, outcome) = x.outcome(&mut tally);
    let mut trace = x.decision.as_ref().map(|d| d.trace.clone()).unwrap_or_default();
    trace.append(&mut tally.trace);
    Ok(ExchangeDecision {
        eligible,
        outcome,
        currency: env.currency.code.clone(),
        customer_pays: tally.total(Direction::CustomerPays)?,
        refund: tally.total(Direction::Refund)?,
        store_credit: tally.total(Direction::StoreCredit)?,
        payments,
        deadline: x.decision.as_ref().and_then(|d| d.deadline.clone()),
        fallback_refund,
        record: tally.records,
        refund_record,
        items: tally.items,
        reasons: tally.reasons,
        trace,
        policy: env.reference(),
    })
}

/// Validate: the order (through `refund::paid_lines`, which also gives what each line was paid)
/// and its money, `now`, the reason, and each item: a line of the order asked for once, with
/// units it has, and a variant with a sku and a price of 0 or more.
fn validate(env: &Env, req: &ExchangeRequest) -> Result<Vec<PaidLine>> {
    let paid = refund::paid_lines(&req.order)?;
    refund::validate_money(&req.order, &env.currency)?;
    if req.now < req.order.placed_at {
        return Err(PolicyError::invalid("now", "`now` is before the order was placed"));
    }
    crate::order::check_text(&req.reason, "reason")?;
    if req.items.is_empty() {
        return Err(PolicyError::invalid("items", "a request exchanges at least one item"));
    }
    if req.items.len() > crate::returns::MAX_ITEMS {
        let most = crate::returns::MAX_ITEMS;
        return Err(PolicyError::new(ErrorCode::LimitExceeded, "items", format!("more than {most} items")));
    }
    for (i, item) in req.items.iter().enumerate() {
        let Some(line) = req.order.line(&item.line_id) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownReference,
                format!("items[{i}].line_id"),
                format!("no line `{}` in the order", crate::time::truncate(&item.line_id, 64)),
            ));
        };
        if req.items.iter().take(i).any(|o| o.line_id == item.line_id) {
            return Err(PolicyError::invalid(format!("items[{i}].line_id"), "a line is asked for twice"));
        }
        let units = item.quantity.0;
        if units == 0 || units > line.quantity.0 {
            return Err(PolicyError::invalid(
                format!("items[{i}].quantity"),
                format!("{units} units asked, but line `{}` has {}", line.id, line.quantity.0),
            ));
        }
        crate::order::check_text(&item.variant.sku, &format!("items[{i}].variant.sku"))?;
        if item.variant.price.0 < 0 {
            return Err(PolicyError::invalid(format!("items[{i}].variant.price"), "a price is not negative"));
        }
    }
    Ok(paid)
}

/// The return decision for the resolution `exchange`, on the same order, items and reason (when
/// the policy has a `returns` section).
fn return_decision(req: &ExchangeRequest, decide: Option<DecideReturn<'_>>) -> Result<Option<ReturnDecision>> {
    let Some(decide) = decide else { return Ok(None) };
    let rr = ReturnRequest {
        now: req.now,
        locale: req.locale,
        reason: req.reason.clone(),
        resolution: Some(Resolution::Exchange),
        proof_of_purchase: req.proof_of_purchase,
        channel: req.channel.clone(),
        policy_fingerprint: None,
        order: req.order.clone(),
        items: req
            .items
            .iter()
            .map(|i| ReturnItem { line_id: i.line_id.clone(), quantity: i.quantity, condition: i.condition.clone() })
            .collect(),
        facts: req.facts.clone(),
    };
    decide(&rr).map(Some)
}

/// What an exchange is decided from once the request is validated; every stage reads it.
struct Exchanging<'a> {
    env: &'a Env,
    xp: &'a ExchangesPolicy,
    req: &'a ExchangeRequest,
    order: &'a Order,
    paid: Vec<PaidLine>,
    decision: Option<ReturnDecision>,
    /// What the order charged (the `order.total` fact).
    order_total: i64,
    /// The request's values of the declared facts the rules test.
    declared: Values,
}

/// An item's money, before anything is decided.
struct Figures {
    /// What the units going back count at, on the policy's basis.
    returned_value: i64,
    replacement_value: i64,
    /// `replacement_value − returned_value`; 0 for a like-for-like swap.
    difference: i64,
    /// What is left of the line's payment after earlier refunds.
    line_left: i64,
    /// Units of the line not yet returned.
    units_left: u64,
    /// Exchanges made earlier on the line.
    done: u64,
}

/// One item's answer as the stages make it.
struct Verdict {
    denied: bool,
    reasons: Vec<Reason>,
    direction: Direction,
    amount: i64,
    return_payer: Payer,
    replacement_payer: Option<Payer>,
    advance: bool,
    fallback: Option<Fallback>,
}

/// What the rules that matched an item set (the last rule to set a term wins).
#[derive(Default)]
struct RuleEffects<'a> {
    advance: Option<(bool, &'a Rule)>,
    replacement_shipping: Option<Payer>,
}

/// What the items add up to, as the stages go.
#[derive(Default)]
struct Tally {
    items: Vec<ExchangeItemDecision>,
    records: Vec<ExchangeRecordOut>,
    reasons: Vec<Reason>,
    review: Vec<Reason>,
    trace: Vec<TraceEntry>,
}

impl Tally {
    /// Adds an item's answer, its reasons to the decision's, and its record when a replacement
    /// ships.
    fn add(&mut self, x: &Exchanging<'_>, line: &Line, asked: &ExchangeItem, f: &Figures, v: Verdict) {
        let reasons: Vec<Reason> = v.reasons.into_iter().map(|r| r.line(&line.id)).collect();
        self.reasons.extend(reasons.iter().cloned());
        if !v.denied && v.replacement_payer.is_some() {
            self.records.push(ExchangeRecordOut {
                line_id: line.id.clone(),
                quantity: asked.quantity.0,
                sku: asked.variant.sku.clone(),
                created_at: x.req.now,
            });
        }
        self.items.push(ExchangeItemDecision {
            line_id: line.id.clone(),
            quantity: asked.quantity.0,
            eligible: !v.denied,
            sku: asked.variant.sku.clone(),
            kind: asked.variant.kind,
            in_stock: asked.variant.in_stock,
            basis: x.xp.basis,
            returned_value: f.returned_value,
            replacement_value: f.replacement_value,
            difference: f.difference,
            direction: v.direction,
            amount: v.amount,
            return_shipping_paid_by: v.return_payer,
            replacement_shipping_paid_by: v.replacement_payer,
            advance: v.advance,
            fallback: v.fallback,
            reasons,
        });
    }

    /// What the eligible items move in `direction`.
    fn total(&self, direction: Direction) -> Result<i64> {
        money::sum(self.items.iter().filter(|i| i.eligible && i.direction == direction).map(|i| i.amount))
    }
}

/// The facts of one item, as the exchange rules see them.
struct ItemFacts<'a> {
    x: &'a Exchanging<'a>,
    line: &'a Line,
    asked: &'a ExchangeItem,
    figures: &'a Figures,
}

fn text_or_missing(v: Option<&String>) -> FactValue<'_> {
    v.map_or(FactValue::Missing, |s| FactValue::Text(s))
}

fn number(n: u64) -> FactValue<'static> {
    FactValue::Number(Num::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

impl Facts for ItemFacts<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        let (order, line, variant) = (self.x.order, self.line, &self.asked.variant);
        match name {
            "order.channel" => text_or_missing(order.channel.as_ref()),
            "order.country" => text_or_missing(order.country.as_ref()),
            "order.tags" => FactValue::TextList(&order.tags),
            "order.total" => FactValue::Number(Num::Int(self.x.order_total)),
            "customer.id" => text_or_missing(order.customer.id.as_ref()),
            "customer.tier" => text_or_missing(order.customer.tier.as_ref()),
            "customer.tags" => FactValue::TextList(&order.customer.tags),
            "customer.returns_last_90_days" => {
                order.customer.returns_last_90_days.map_or(FactValue::Missing, |c| number(c.0))
            }
            "item.sku" => text_or_missing(line.sku.as_ref()),
            "item.category" => text_or_missing(line.category.as_ref()),
            "item.brand" => text_or_missing(line.brand.as_ref()),
            "item.tags" => FactValue::TextList(&line.tags),
            "item.unit_price" => FactValue::Number(Num::Int(line.unit_price.0)),
            "item.quantity" => number(self.asked.quantity.0),
            "item.exchanges" => number(self.figures.done),
            "variant.sku" => FactValue::Text(&variant.sku),
            "variant.price" => FactValue::Number(Num::Int(variant.price.0)),
            "variant.in_stock" => FactValue::Bool(variant.in_stock),
            "variant.kind" => FactValue::Text(variant.kind.as_str()),
            "exchange.difference" => FactValue::Number(Num::Int(self.figures.difference)),
            "request.reason" => FactValue::Text(&self.x.req.reason),
            "request.channel" => text_or_missing(self.x.req.channel.as_ref()),
            _ => FactValue::Missing,
        }
    }
}

impl Exchanging<'_> {
    /// An amount in the policy's currency, for a message.
    fn money(&self, minor: i64) -> String {
        format_money(minor, &self.env.currency.code, self.env.currency.exponent)
    }

    fn reason_name(&self) -> ReasonName {
        ReasonName { name: self.req.reason.as_str().into(), label: None }
    }

    fn item_decision(&self, line: &Line) -> Option<&ItemDecision> {
        self.decision.as_ref().and_then(|d| d.items.iter().find(|x| x.line_id == line.id))
    }

    /// Per item, the figures: what the units going back count at (the next units not yet
    /// returned, with what they were paid; or their unit price), the replacement's price, the
    /// difference, what is left of the line's payment.
    fn figures(&self, i: usize, li: usize, line: &Line, asked: &ExchangeItem) -> Result<Figures> {
        let units = asked.quantity.0;
        let returned = self.order.returned_quantity(&line.id);
        let (goods, tax): (&[i64], &[i64]) = self.paid.get(li).map_or((&[], &[]), |p| (&p.goods, &p.tax));
        let first = usize::try_from(returned).unwrap_or(usize::MAX);
        let idx = first..first.saturating_add(usize::try_from(units).unwrap_or(0));
        let returned_value = match self.xp.basis {
            PriceBasis::Paid => money::sum(idx.map(|u| goods.get(u).copied().unwrap_or(0)))?,
            PriceBasis::List => money::times(line.unit_price.0, units)?,
        };
        let at = |e: PolicyError| e.under(&format!("items[{i}].variant.price"));
        let replacement_value = money::times(asked.variant.price.0, units).map_err(at)?;
        let like_for_like = asked.variant.price == line.unit_price;
        let difference = if like_for_like { 0 } else { money::sum([replacement_value, -returned_value])? };
        let line_paid = money::sum(goods.iter().chain(tax.iter()).copied())?;
        Ok(Figures {
            returned_value,
            replacement_value,
            difference,
            line_left: (line_paid - self.order.refunded_amount(&line.id)).max(0),
            units_left: line.quantity.0.saturating_sub(returned),
            done: self.order.exchange_count(&line.id),
        })
    }

    /// Per item, whether it may be exchanged at all: the return decision's verdict (with its
    /// reasons), or without one the units left; the reason and the kind allowed; the limit.
    fn allowed(&self, line: &Line, asked: &ExchangeItem, f: &Figures) -> Verdict {
        let mut v = Verdict {
            denied: false,
            reasons: Vec::new(),
            direction: Direction::None,
            amount: 0,
            return_payer: Payer::Customer,
            replacement_payer: None,
            advance: false,
            fallback: None,
        };
        if let Some(d) = self.item_decision(line) {
            v.denied |= !d.eligible;
            v.reasons.extend(d.reasons.iter().cloned());
            v.return_payer = d.return_shipping_paid_by;
        } else if asked.quantity.0 > f.units_left {
            let (left, bought) = (f.units_left, line.quantity.0);
            let says = ReturnSays::AlreadyReturned { left, bought };
            v.reasons.push(Reason::new(codes::ALREADY_RETURNED, says).figure("left", left).figure("bought", bought));
            v.denied = true;
        }
        let kind = asked.variant.kind;
        match self.xp.reasons.get(&self.req.reason) {
            None => {
                let says = Says::ReasonNotAllowed { reason: self.reason_name() };
                let reason = Reason::new(codes::EXCHANGE_REASON_NOT_ALLOWED, says);
                v.reasons.push(reason.figure("reason", self.req.reason.as_str()));
                v.denied = true;
            }
            Some(r) if !r.kinds.contains(&kind) => {
                let says =
                    Says::KindNotAllowed { reason: self.reason_name(), other_item: kind == ExchangeKind::OtherItem };
                v.reasons.push(Reason::new(codes::EXCHANGE_KIND_NOT_ALLOWED, says).figure("kind", kind.as_str()));
                v.denied = true;
            }
            Some(_) => {}
        }
        if let Some(max) = self.xp.max_per_line.filter(|m| f.done >= *m) {
            let says = Says::LimitReached { done: f.done, max };
            let reason = Reason::new(codes::EXCHANGE_LIMIT_REACHED, says);
            v.reasons.push(reason.figure("exchanges", f.done).figure("max_per_line", max));
            v.denied = true;
        }
        v
    }

    /// Per item, the rules, in document order, each one whose `when` holds: its review request to
    /// the tally (once per rule), what else it sets to the effects.
    fn apply_rules<'r>(
        &'r self,
        line: &Line,
        asked: &ExchangeItem,
        figures: &Figures,
        tally: &mut Tally,
    ) -> RuleEffects<'r> {
        let facts = ItemFacts { x: self, line, asked, figures };
        let facts = WithDeclared { facts: &facts, declared: &self.declared };
        let mut effects = RuleEffects::default();
        for rule in &self.xp.rules {
            if !rule.when.eval(&facts) {
                continue;
            }
            match tally.trace.iter_mut().find(|t| t.rule == rule.id) {
                Some(t) => t.lines.push(line.id.clone()),
                None => {
                    tally.trace.push(TraceEntry { rule: rule.id.clone(), matched: true, lines: vec![line.id.clone()] })
                }
            }
            if let Some(advance) = rule.then.advance {
                effects.advance = Some((advance, rule));
            }
            if let Some(payer) = rule.then.replacement_shipping {
                effects.replacement_shipping = Some(payer);
            }
            if rule.then.review && !tally.review.iter().any(|r| r.rule.as_deref() == Some(&*rule.id)) {
                let says = ReturnSays::ManualReview { rule: rule.id.clone(), custom: None };
                tally.review.push(Reason::new(codes::MANUAL_REVIEW, says).rule(rule.id.clone()));
            }
        }
        effects
    }

    /// Per item that may be exchanged: out of stock, the policy's fallback; then, when a
    /// replacement will ship, the difference: the customer pays an upsell; a downsell is refunded,
    /// given as store credit (never more than is left of the line's payment) or refused.
    fn settle(&self, asked: &ExchangeItem, f: &Figures, v: &mut Verdict) {
        if v.denied {
            return;
        }
        if !asked.variant.in_stock {
            let fallback = self.xp.out_of_stock;
            let sku: Arc<str> = asked.variant.sku.as_str().into();
            let says = match fallback {
                Fallback::Refund => Says::OutOfStockRefund { sku },
                Fallback::StoreCredit => Says::OutOfStockStoreCredit { sku },
                Fallback::Wait => Says::OutOfStockWait { sku },
            };
            let reason = Reason::new(codes::EXCHANGE_OUT_OF_STOCK, says);
            v.reasons.push(reason.figure("sku", asked.variant.sku.as_str()).figure("fallback", fallback.as_str()));
            v.fallback = Some(fallback);
            if fallback != Fallback::Wait {
                return;
            }
        }
        let (returned, replacement) = (self.money(f.returned_value), self.money(f.replacement_value));
        let list = self.xp.basis == PriceBasis::List;
        let (direction, amount, says) = match f.difference {
            0 => (Direction::None, 0, Says::LikeForLike { price: self.money(f.replacement_value) }),
            d if d > 0 => {
                let amount = self.money(d);
                (Direction::CustomerPays, d, Says::CustomerPays { amount, returned, replacement, list })
            }
            d => {
                let amount = (-d).min(f.line_left);
                let written = self.money(amount);
                match self.xp.downsell {
                    Downsell::NotAllowed => {
                        let says = Says::DownsellNotAllowed { amount: self.money(-d) };
                        let reason = Reason::new(codes::EXCHANGE_DOWNSELL_NOT_ALLOWED, says).figure("amount", -d);
                        v.reasons.push(reason);
                        v.denied = true;
                        return;
                    }
                    Downsell::Refund => (
                        Direction::Refund,
                        amount,
                        Says::DifferenceRefunded { amount: written, returned, replacement, list },
                    ),
                    Downsell::StoreCredit => (
                        Direction::StoreCredit,
                        amount,
                        Says::DifferenceAsStoreCredit { amount: written, returned, replacement, list },
                    ),
                }
            }
        };
        v.direction = direction;
        v.amount = amount;
        self.difference_reasons(f, v, says);
    }

    /// The difference's reason, and the cap's when the downsell's difference was brought down to
    /// what is left of the line's payment.
    fn difference_reasons(&self, f: &Figures, v: &mut Verdict, says: Says) {
        let direction = match v.direction {
            Direction::CustomerPays => "customer_pays",
            Direction::Refund => "refund",
            Direction::StoreCredit => "store_credit",
            Direction::None => "none",
        };
        v.reasons.push(
            Reason::new(codes::EXCHANGE_PRICE_DIFFERENCE, says)
                .figure("direction", direction)
                .figure("amount", v.amount)
                .figure("difference", f.difference)
                .figure("basis", if self.xp.basis == PriceBasis::List { "list" } else { "paid" }),
        );
        let downsell = matches!(v.direction, Direction::Refund | Direction::StoreCredit);
        if downsell && v.amount < -f.difference {
            let says = Says::DifferenceCapped { left: self.money(f.line_left) };
            v.reasons.push(Reason::new(codes::EXCHANGE_DIFFERENCE_CAPPED, says).figure("left", f.line_left));
        }
    }

    /// Per item whose replacement ships (in stock, or waiting for stock): who pays its shipping
    /// (a rule, else the reason, else the section), and whether it ships before the return
    /// arrives (a rule's `advance`; after the return, by default).
    fn shipping(&self, asked: &ExchangeItem, effects: &RuleEffects<'_>, v: &mut Verdict) {
        let ships = asked.variant.in_stock || v.fallback == Some(Fallback::Wait);
        if v.denied || !ships {
            return;
        }
        let reason_payer = self.xp.reasons.get(&self.req.reason).and_then(|r| r.replacement_shipping);
        let out = effects.replacement_shipping.or(reason_payer).unwrap_or(self.xp.replacement_shipping);
        v.replacement_payer = Some(out);
        let says = Says::Shipping { back: v.return_payer, out };
        let payer = |p: Payer| if p == Payer::Merchant { "merchant" } else { "customer" };
        v.reasons.push(
            Reason::new(codes::EXCHANGE_SHIPPING, says)
                .figure("return_shipping", payer(v.return_payer))
                .figure("replacement_shipping", payer(out)),
        );
        let risky = self.decision.as_ref().and_then(|d| d.risk_restricts(RiskRestriction::NoAdvanceExchange));
        match (effects.advance, risky) {
            (Some((true, _)), Some(score)) => v.reasons.push(
                Reason::new(codes::REPLACEMENT_AFTER_RETURN, Says::AfterReturnForRisk { score })
                    .figure("risk_score", score)
                    .figure("restriction", RiskRestriction::NoAdvanceExchange.as_str()),
            ),
            (Some((true, rule)), None) => {
                v.advance = true;
                let says = Says::Advance { rule: rule.id.clone(), custom: rule.message.clone() };
                v.reasons.push(Reason::new(codes::ADVANCE_EXCHANGE, says).rule(rule.id.clone()));
            }
            _ => v.reasons.push(Reason::new(codes::REPLACEMENT_AFTER_RETURN, Says::AfterReturn)),
        }
    }

    /// The fallback quote: the items that may be exchanged but are out of stock with a refund or
    /// store-credit fallback are quoted as an `exchange_failed` refund (the price paid back, no
    /// deductions), by the engine under the same policy version.
    fn fallback_quote(&self, tally: &Tally, quote: QuoteRefund<'_>) -> Result<Option<RefundQuote>> {
        let falling_back = |d: &ExchangeItemDecision| {
            d.eligible && matches!(d.fallback, Some(Fallback::Refund | Fallback::StoreCredit))
        };
        let items: Vec<RefundItem> = tally
            .items
            .iter()
            .filter(|d| falling_back(d))
            .filter_map(|d| self.req.items.iter().find(|a| a.line_id == d.line_id))
            .map(|a| RefundItem {
                line_id: a.line_id.clone(),
                quantity: a.quantity,
                condition: a.condition.clone(),
                from_kept: None,
                inspection: None,
            })
            .collect();
        if items.is_empty() {
            return Ok(None);
        }
        let resolution =
            if self.xp.out_of_stock == Fallback::StoreCredit { Resolution::StoreCredit } else { Resolution::Refund };
        let request = RefundRequest {
            now: self.req.now,
            locale: self.req.locale,
            kind: RefundType::ExchangeFailed,
            reason: Some(self.req.reason.clone()),
            resolution: Some(resolution),
            uses_merchant_label: false,
            proof_of_purchase: self.req.proof_of_purchase,
            channel: self.req.channel.clone(),
            policy_fingerprint: None,
            offer: None,
            cause: None,
            evidence: Vec::new(),
            return_shipping_cost: None,
            return_freight_paid: None,
            operator: None,
            risk: None,
            order: self.order.clone(),
            items,
            facts: self.req.facts.clone(),
        };
        quote(&request).map(Some)
    }

    /// The payments: the downsells refunded, split back over the payments in the `refunds`
    /// section's `payment_order`, and those given as store credit; and the entry for
    /// `order.refunds` that records them (so a later refund of the line knows what is left).
    fn payments(&self, tally: &Tally, refunds: &RefundsPolicy) -> Result<(Vec<PaymentShare>, Option<RecordOut>)> {
        let (refund, credit) = (tally.total(Direction::Refund)?, tally.total(Direction::StoreCredit)?);
        let mut payments = if refund > 0 { refund::split_back(refunds, self.order, refund)? } else { Vec::new() };
        if credit > 0 {
            payments.push(PaymentShare { method: "store_credit".into(), amount: credit, points: None });
        }
        if payments.is_empty() {
            return Ok((payments, None));
        }
        let lines = tally
            .items
            .iter()
            .filter(|d| d.eligible && d.amount > 0 && matches!(d.direction, Direction::Refund | Direction::StoreCredit))
            .map(|d| RecordLine {
                line_id: d.line_id.clone(),
                quantity: 0,
                kept_quantity: 0,
                from_kept: 0,
                netted: 0,
                amount: d.amount,
                withheld: 0,
                recovered: 0,
            })
            .collect();
        let record = RecordOut {
            kind: RefundType::ExchangeDifference,
            cause: None,
            reason: self.req.reason.clone(),
            created_at: self.req.now,
            operator: None,
            lines,
            shipping: 0,
            return_freight: 0,
            discounts: Vec::new(),
            points_clawed_back: 0,
            payments: payments.clone(),
        };
        Ok((payments, Some(record)))
    }

    /// The outcome: approved when every item is (in review when the return decision is, or a rule
    /// asked for it), else denied; the reviews' reasons join the decision's.
    fn outcome(&self, tally: &mut Tally) -> (bool, Outcome) {
        let eligible = tally.items.iter().all(|i| i.eligible);
        let return_review = self.decision.as_ref().is_some_and(|d| d.outcome == Outcome::Review);
        let outcome = if !eligible {
            Outcome::Deny
        } else if return_review || !tally.review.is_empty() {
            Outcome::Review
        } else {
            Outcome::Approve
        };
        if let Some(d) = &self.decision {
            tally.reasons.extend(d.reasons.iter().filter(|r| r.code == codes::MANUAL_REVIEW).cloned());
        }
        tally.reasons.append(&mut tally.review);
        (eligible, outcome)
    }
}
