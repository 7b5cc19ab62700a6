//! Return and exchange eligibility: may these items go back, for this reason, by when, who pays
//! the return shipping, and which resolutions (refund, exchange, repair, store credit) are open.
//!
//! Decided here, in this order, per requested item:
//! 1. the line exists and the quantity is possible (more than bought is a request error; more
//!    than is left after earlier returns is `ALREADY_RETURNED`);
//! 2. the reason is one the policy accepts;
//! 3. the policy's rules, in document order, each one whose `when` holds for the item;
//! 4. the window (the reason's own, or the policy's), extended by rules, counted in days from
//!    delivery or purchase and ending at 23:59:59 local time on its last day;
//! 5. the conditions the reason requires (unused, tags, packaging, accessories, seal, proof);
//! 6. the resolution asked for, against those allowed.
//!
//! The request is approved only when every item is; any rule asking for review turns an
//! approval into `review`. Money is not decided here (see `refund`).

use crate::conditions::{self, Condition, FactDef, FactType, FactValue, Facts, Num};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, PolicyRef, Reason, TraceEntry};
use crate::messages::format_datetime;
use crate::money::{Count, Fee};
use crate::order::{Line, Order};
use crate::problems::Problems;
use crate::time::{day_window_end, format_instant, local_days_between, Timestamp};
use crate::vocabulary::{ItemCondition, Locale, LocalizedText, Outcome, Payer, Requirement, Resolution};
use crate::zone::Tz;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
}

/// A window: `{"days": 30, "from": "delivery"}`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
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
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThenSpec {
    /// These reasons are not accepted for the item (final sale: no change of mind).
    #[serde(default)]
    pub deny_reasons: Vec<String>,
    /// The item cannot be returned at all.
    #[serde(default)]
    pub deny: bool,
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

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowExtension {
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
    label: Option<LocalizedText>,
    restocking_fee: Option<Fee>,
}

#[derive(Debug, Clone)]
struct Rule {
    id: std::sync::Arc<str>,
    when: Condition,
    then: ThenSpec,
    message: Option<LocalizedText>,
}

/// The facts return rules may test.
pub static FACTS: &[FactDef] = &[
    FactDef { name: "order.id", ty: FactType::Text, doc: "the order's id" },
    FactDef { name: "order.channel", ty: FactType::Text, doc: "the sales channel (web, app, store, …)" },
    FactDef { name: "order.country", ty: FactType::Text, doc: "the country shipped to (ISO 3166 alpha-2)" },
    FactDef { name: "order.tags", ty: FactType::TextList, doc: "the order's tags" },
    FactDef { name: "order.total", ty: FactType::Number, doc: "what the order charged, in minor units" },
    FactDef {
        name: "order.discount_percent",
        ty: FactType::Number,
        doc: "line and order discounts as a percent of the goods' list value",
    },
    FactDef {
        name: "order.days_since_purchase",
        ty: FactType::Number,
        doc: "local calendar days from placing the order to now",
    },
    FactDef {
        name: "order.days_since_delivery",
        ty: FactType::Number,
        doc: "local calendar days from delivery to now (missing before delivery)",
    },
    FactDef { name: "item.sku", ty: FactType::Text, doc: "the line's SKU" },
    FactDef { name: "item.category", ty: FactType::Text, doc: "the line's category" },
    FactDef { name: "item.brand", ty: FactType::Text, doc: "the line's brand" },
    FactDef { name: "item.tags", ty: FactType::TextList, doc: "the line's tags (clearance, custom, final_sale, …)" },
    FactDef { name: "item.unit_price", ty: FactType::Number, doc: "list price of one unit, in minor units" },
    FactDef { name: "item.quantity", ty: FactType::Number, doc: "units asked to return" },
    FactDef { name: "item.line_quantity", ty: FactType::Number, doc: "units bought on the line" },
    FactDef { name: "item.value", ty: FactType::Number, doc: "list price × units asked to return, in minor units" },
    FactDef {
        name: "item.discount_percent",
        ty: FactType::Number,
        doc: "the line's own discount as a percent of its list value",
    },
    FactDef { name: "item.condition.unused", ty: FactType::Bool, doc: "the item is reported unused" },
    FactDef {
        name: "item.condition.original_packaging",
        ty: FactType::Bool,
        doc: "the original packaging is reported intact (false: opened)",
    },
    FactDef { name: "item.condition.tags_attached", ty: FactType::Bool, doc: "the tags are reported attached" },
    FactDef {
        name: "item.condition.accessories_complete",
        ty: FactType::Bool,
        doc: "accessories and gifts are reported complete",
    },
    FactDef { name: "item.condition.seal_intact", ty: FactType::Bool, doc: "the seal is reported unbroken" },
    FactDef { name: "customer.id", ty: FactType::Text, doc: "the customer's id" },
    FactDef { name: "customer.tier", ty: FactType::Text, doc: "the member tier" },
    FactDef { name: "customer.tags", ty: FactType::TextList, doc: "the customer's tags" },
    FactDef {
        name: "customer.returns_last_90_days",
        ty: FactType::Number,
        doc: "returns the customer made in the last 90 days",
    },
    FactDef { name: "request.reason", ty: FactType::Text, doc: "the reason given" },
    FactDef { name: "request.resolution", ty: FactType::Text, doc: "the resolution asked for" },
    FactDef { name: "request.channel", ty: FactType::Text, doc: "where the request was made" },
    FactDef { name: "request.proof_of_purchase", ty: FactType::Bool, doc: "whether proof of purchase was given" },
    FactDef { name: "request.item_count", ty: FactType::Number, doc: "units asked to return, over all items" },
    FactDef {
        name: "request.value",
        ty: FactType::Number,
        doc: "list value of everything asked to return, in minor units",
    },
];

fn window(spec: &WindowSpec, inherit: Anchor, path: &str) -> Result<Window> {
    if spec.days.0 > MAX_WINDOW_DAYS {
        return Err(PolicyError::invalid(
            format!("{path}.days"),
            format!("a window is at most {MAX_WINDOW_DAYS} days"),
        ));
    }
    Ok(Window { days: spec.days.0, from: spec.from.unwrap_or(inherit) })
}

/// Compiles the `returns` section at `path`.
pub fn compile(spec: &ReturnsSpec, env: &Env, path: &str, problems: &mut Problems) -> Option<ReturnsPolicy> {
    problems.check(compile_section(spec, env, path))
}

fn compile_section(spec: &ReturnsSpec, _env: &Env, path: &str) -> Result<ReturnsPolicy> {
    let base = window(&spec.window, Anchor::Delivery, &format!("{path}.window"))?;
    let mut reasons = BTreeMap::new();
    for (name, r) in &spec.reasons {
        let rp = format!("{path}.reasons.{name}");
        crate::order::check_text(name, &rp)?;
        if let Some(fee) = &r.restocking_fee {
            fee.validate(&format!("{rp}.restocking_fee"))?;
        }
        reasons.insert(
            name.clone(),
            ReasonPolicy {
                window: r.window.as_ref().map(|w| window(w, base.from, &format!("{rp}.window"))).transpose()?,
                return_shipping: r.return_shipping,
                resolutions: r.resolutions.clone(),
                requires: r.requires.clone(),
                label: r.label.clone(),
                restocking_fee: r.restocking_fee,
            },
        );
    }
    if spec.rules.len() > MAX_RULES {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            format!("{path}.rules"),
            format!("more than {MAX_RULES} rules"),
        ));
    }
    let mut rules = Vec::with_capacity(spec.rules.len());
    for (i, r) in spec.rules.iter().enumerate() {
        let rp = format!("{path}.rules[{i}]");
        crate::order::check_text(&r.id, &format!("{rp}.id"))?;
        if spec.rules.iter().take(i).any(|o| o.id == r.id) {
            return Err(PolicyError::invalid(format!("{rp}.id"), format!("rule id `{}` appears twice", r.id)));
        }
        for (j, reason) in r.then.deny_reasons.iter().enumerate() {
            if !reasons.contains_key(reason) {
                return Err(PolicyError::new(
                    ErrorCode::UnknownReference,
                    format!("{rp}.then.deny_reasons[{j}]"),
                    format!("no reason `{}` in returns.reasons", crate::time::truncate(reason, 64)),
                ));
            }
        }
        if let Some(ext) = &r.then.extend_window {
            if ext.days.0 > MAX_WINDOW_DAYS {
                return Err(PolicyError::invalid(
                    format!("{rp}.then.extend_window.days"),
                    format!("at most {MAX_WINDOW_DAYS} days"),
                ));
            }
        }
        if let Some(fee) = &r.then.restocking_fee {
            fee.validate(&format!("{rp}.then.restocking_fee"))?;
        }
        let when = match &r.when {
            Some(w) => conditions::compile(w, &format!("{rp}.when"), FACTS)?,
            None => Condition::always(),
        };
        rules.push(Rule { id: r.id.as_str().into(), when, then: r.then.clone(), message: r.message.clone() });
    }
    Ok(ReturnsPolicy {
        window: base,
        requires: spec.requires.clone(),
        return_shipping: spec.return_shipping.unwrap_or(Payer::Customer),
        resolutions: spec.resolutions.clone().unwrap_or_else(|| vec![Resolution::Refund, Resolution::Exchange]),
        reasons,
        rules,
    })
}

// ---------------------------------------------------------------------------------------------
// The request and the decision

/// A return or exchange request.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
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

#[derive(Debug, Clone, Serialize)]
pub struct ReturnDecision {
    pub eligible: bool,
    pub outcome: Outcome,
    /// Resolutions open to every item.
    pub resolutions: Vec<Resolution>,
    /// The last moment the request could be made (the earliest of the items' deadlines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    pub return_shipping_paid_by: Payer,
    /// When the return will be complete if the goods arrived now (the SLA's `return_complete`
    /// target for a `return` case), for "you will hear from us by …".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complete_by: Option<String>,
    pub items: Vec<ItemDecision>,
    /// Every reason behind the outcome, item reasons carrying their `line_id`.
    pub reasons: Vec<Reason>,
    /// The rules whose conditions held.
    pub trace: Vec<TraceEntry>,
    pub policy: PolicyRef,
}

impl Explained for ReturnDecision {
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason)) {
        self.items.iter_mut().flat_map(|i| i.reasons.iter_mut()).chain(self.reasons.iter_mut()).for_each(f);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemDecision {
    pub line_id: String,
    pub quantity: u64,
    pub eligible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    pub window_days: u64,
    pub return_shipping_paid_by: Payer,
    pub resolutions: Vec<Resolution>,
    /// The restocking fee a refund of this item would bear, when the policy sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restocking_fee: Option<Fee>,
    pub reasons: Vec<Reason>,
}

/// Return codes and their messages.
mod codes {
    pub const RETURN_WINDOW_EXPIRED: &str = "RETURN_WINDOW_EXPIRED";
    pub const NOT_DELIVERED: &str = "NOT_DELIVERED";
    pub const REASON_NOT_ACCEPTED: &str = "REASON_NOT_ACCEPTED";
    pub const REASON_EXCLUDED_BY_RULE: &str = "REASON_EXCLUDED_BY_RULE";
    pub const NOT_RETURNABLE: &str = "NOT_RETURNABLE";
    pub const CONDITION_NOT_MET: &str = "CONDITION_NOT_MET";
    pub const CONDITION_NOT_CONFIRMED: &str = "CONDITION_NOT_CONFIRMED";
    pub const RESOLUTION_NOT_ALLOWED: &str = "RESOLUTION_NOT_ALLOWED";
    pub const ALREADY_RETURNED: &str = "ALREADY_RETURNED";
    pub const MANUAL_REVIEW: &str = "MANUAL_REVIEW";
}

/// Every reason code a return decision can carry, for documentation and translation checks.
pub const REASON_CODES: &[&str] = &[
    codes::RETURN_WINDOW_EXPIRED,
    codes::NOT_DELIVERED,
    codes::REASON_NOT_ACCEPTED,
    codes::REASON_EXCLUDED_BY_RULE,
    codes::NOT_RETURNABLE,
    codes::CONDITION_NOT_MET,
    codes::CONDITION_NOT_CONFIRMED,
    codes::RESOLUTION_NOT_ALLOWED,
    codes::ALREADY_RETURNED,
    codes::MANUAL_REVIEW,
];

/// The name of a return reason in messages: the policy's label, else the built-in one.
fn reason_label(name: &str, policy_label: Option<&LocalizedText>, locale: Locale) -> String {
    if let Some(text) = policy_label.and_then(|l| l.get(locale)) {
        return text.to_string();
    }
    let builtin = match name {
        "changed_mind" => Some(locale.pick("change-of-mind", "无理由")),
        "defective" => Some(locale.pick("defective-item", "质量问题")),
        "not_as_described" => Some(locale.pick("not-as-described", "与描述不符")),
        "damaged_in_transit" => Some(locale.pick("damaged-in-transit", "运输损坏")),
        "wrong_item" => Some(locale.pick("wrong-item", "发错商品")),
        _ => None,
    };
    builtin.map_or_else(|| name.to_string(), str::to_string)
}

struct ItemFacts<'a> {
    req: &'a ReturnRequest,
    line: &'a Line,
    condition: &'a ItemCondition,
    quantity: u64,
    order_total: i64,
    order_discount_percent: Num,
    days_since_purchase: i64,
    days_since_delivery: Option<i64>,
    request_units: u64,
    request_value: i64,
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
            "order.total" => FactValue::Number(Num::Int(self.order_total)),
            "order.discount_percent" => FactValue::Number(self.order_discount_percent),
            "order.days_since_purchase" => FactValue::Number(Num::Int(self.days_since_purchase)),
            "order.days_since_delivery" => {
                self.days_since_delivery.map_or(FactValue::Missing, |d| FactValue::Number(Num::Int(d)))
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
            "request.item_count" => count(self.request_units),
            "request.value" => FactValue::Number(Num::Int(self.request_value)),
            _ => FactValue::Missing,
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

/// Decides a return request under the policy's `returns` section.
pub fn check(env: &Env, returns: &ReturnsPolicy, req: &ReturnRequest) -> Result<ReturnDecision> {
    validate(req)?;
    let zone = env.zone;
    let locale = req.locale;
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
    let request_units = req.items.iter().map(|i| i.quantity.0).fold(0, u64::saturating_add);
    let request_value = req
        .items
        .iter()
        .filter_map(|i| {
            order
                .line(&i.line_id)
                .map(|l| l.unit_price.0.saturating_mul(i64::try_from(i.quantity.0).unwrap_or(i64::MAX)))
        })
        .fold(0, i64::saturating_add);
    let days_since_purchase = local_days_between(zone, &order.placed_at, &req.now);
    let days_since_delivery = order.delivered_at.as_ref().map(|d| local_days_between(zone, d, &req.now));

    let reason_policy = returns.reasons.get(&req.reason);
    let label = reason_label(&req.reason, reason_policy.and_then(|r| r.label.as_ref()), locale);

    let mut items = Vec::with_capacity(req.items.len());
    let mut review_reasons: Vec<Reason> = Vec::new();
    let mut matched: Vec<TraceEntry> = Vec::new();
    let mut earliest: Option<DateTime<Tz>> = None;

    for item in &req.items {
        let Some(line) = order.line(&item.line_id) else {
            continue;
        };
        let facts = ItemFacts {
            req,
            line,
            condition: &item.condition,
            quantity: item.quantity.0,
            order_total,
            order_discount_percent: percent(line_discounts.saturating_add(order_discounts), gross),
            days_since_purchase,
            days_since_delivery,
            request_units,
            request_value,
        };
        let mut reasons = Vec::new();

        // Rules, in document order.
        let mut extend_days: u64 = 0;
        let mut shipping_override = None;
        let mut resolutions_override: Option<&Vec<Resolution>> = None;
        let mut extra_requires: Vec<Requirement> = Vec::new();
        let mut restocking_override: Option<Fee> = None;
        for rule in &returns.rules {
            if !rule.when.eval(&facts) {
                continue;
            }
            match matched.iter_mut().find(|t| t.rule == rule.id) {
                Some(t) => t.lines.push(line.id.clone()),
                None => matched.push(TraceEntry { rule: rule.id.clone(), matched: true, lines: vec![line.id.clone()] }),
            }
            let then = &rule.then;
            let custom = rule.message.as_ref().and_then(|m| m.get(locale));
            if then.deny {
                let message = custom.map_or_else(
                    || {
                        locale.pick_with(
                            || format!("This item cannot be returned (rule {}).", rule.id),
                            || format!("该商品不支持退换（规则 {}）。", rule.id),
                        )
                    },
                    str::to_string,
                );
                reasons.push(Reason::new(codes::NOT_RETURNABLE, message).rule(rule.id.clone()));
            }
            if then.deny_reasons.iter().any(|r| r == &req.reason) {
                let message = custom.map_or_else(
                    || {
                        locale.pick_with(
                            || format!("This item cannot be returned as a {label} return (rule {}).", rule.id),
                            || format!("该商品不支持{label}退货（规则 {}）。", rule.id),
                        )
                    },
                    str::to_string,
                );
                reasons.push(
                    Reason::new(codes::REASON_EXCLUDED_BY_RULE, message)
                        .rule(rule.id.clone())
                        .figure("reason", req.reason.as_str()),
                );
            }
            if let Some(ext) = &then.extend_window {
                extend_days = extend_days.saturating_add(ext.days.0);
            }
            if let Some(p) = then.return_shipping {
                shipping_override = Some(p);
            }
            if let Some(r) = &then.resolutions {
                resolutions_override = Some(r);
            }
            extra_requires.extend(then.require.iter().copied());
            if then.restocking_fee.is_some() {
                restocking_override = then.restocking_fee;
            }
            if then.review && !review_reasons.iter().any(|r| r.rule.as_deref() == Some(&*rule.id)) {
                let message = custom.map_or_else(
                    || {
                        locale.pick_with(
                            || {
                                format!(
                                    "A member of staff will review this request before it goes ahead (rule {}).",
                                    rule.id
                                )
                            },
                            || format!("该申请需人工审核后处理（规则 {}）。", rule.id),
                        )
                    },
                    str::to_string,
                );
                review_reasons.push(Reason::new(codes::MANUAL_REVIEW, message).rule(rule.id.clone()));
            }
        }

        let Some(rp) = reason_policy else {
            reasons.push(
                Reason::new(
                    codes::REASON_NOT_ACCEPTED,
                    locale.pick_with(
                        || format!("Returns for the reason “{label}” are not accepted."),
                        || format!("不接受以“{label}”为由的退换货。"),
                    ),
                )
                .figure("reason", req.reason.as_str()),
            );
            let mut v = Verdict {
                reasons,
                deadline: None,
                days: 0,
                payer: returns.return_shipping,
                allowed: Vec::new(),
                restocking: None,
            };
            apply_floor(env, req, item, line, &mut v)?;
            if let Some(end) = v.deadline {
                if earliest.is_none_or(|e| end < e) {
                    earliest = Some(end);
                }
            }
            items.push(item_decision(item, line, v));
            continue;
        };

        // Quantity left after earlier returns (units kept with a partial refund may still come back).
        let left = line.quantity.0.saturating_sub(order.returned_quantity(&line.id));
        if item.quantity.0 > left {
            reasons.push(
                Reason::new(
                    codes::ALREADY_RETURNED,
                    locale.pick_with(
                        || format!("Only {left} of the {} units can still be returned.", line.quantity.0),
                        || format!("该商品共{}件，仅剩{left}件可退。", line.quantity.0),
                    ),
                )
                .figure("left", left)
                .figure("bought", line.quantity.0),
            );
        }

        // The window.
        let base = rp.window.unwrap_or(returns.window);
        let days = base.days.saturating_add(extend_days);
        let start = match base.from {
            Anchor::Delivery => order.delivered_at.as_ref(),
            Anchor::Purchase => Some(&order.placed_at),
        };
        let mut deadline = None;
        match start {
            None => reasons.push(Reason::new(
                codes::NOT_DELIVERED,
                locale.pick_with(
                    || "The return window starts at delivery, and this order has not been delivered yet.".to_string(),
                    || "退货期限自签收起算，该订单尚未签收。".to_string(),
                ),
            )),
            Some(start) => {
                let end = day_window_end(zone, start, i64::try_from(days).unwrap_or(i64::MAX))?;
                if req.now.utc() > end.with_timezone(&chrono::Utc) {
                    reasons.push(
                        Reason::new(
                            codes::RETURN_WINDOW_EXPIRED,
                            locale.pick_with(
                                || {
                                    format!(
                                        "The {days}-day window for {label} returns ended on {}.",
                                        format_datetime(locale, &end)
                                    )
                                },
                                || format!("{label}退货的{days}天期限已于{}结束。", format_datetime(locale, &end)),
                            ),
                        )
                        .figure("window_days", days)
                        .figure("deadline", format_instant(&end))
                        .figure("from", if base.from == Anchor::Delivery { "delivery" } else { "purchase" }),
                    );
                }
                deadline = Some(end);
            }
        }

        // Conditions.
        let requires = rp.requires.as_ref().unwrap_or(&returns.requires);
        for r in requires.iter().chain(extra_requires.iter()) {
            if reasons.iter().any(|x| x.figures.get("condition").and_then(|v| v.as_str()) == Some(r.as_str())) {
                continue;
            }
            match item.condition.get(*r, req.proof_of_purchase) {
                Some(true) => {}
                Some(false) => reasons.push(
                    Reason::new(
                        codes::CONDITION_NOT_MET,
                        locale.pick_with(
                            || {
                                format!(
                                    "A {label} return requires that {}; this item does not meet it.",
                                    r.label(locale)
                                )
                            },
                            || format!("{label}退货要求{}，该商品不符合。", r.label(locale)),
                        ),
                    )
                    .figure("condition", r.as_str()),
                ),
                None => reasons.push(
                    Reason::new(
                        codes::CONDITION_NOT_CONFIRMED,
                        locale.pick_with(
                            || format!("Please confirm that {}.", r.label(locale)),
                            || format!("请确认{}。", r.label(locale)),
                        ),
                    )
                    .figure("condition", r.as_str()),
                ),
            }
        }

        // Resolutions.
        let allowed: Vec<Resolution> =
            resolutions_override.or(rp.resolutions.as_ref()).unwrap_or(&returns.resolutions).clone();
        if let Some(asked) = req.resolution {
            if !allowed.contains(&asked) {
                let list: Vec<&str> = allowed.iter().map(|r| r.label(locale)).collect();
                reasons.push(
                    Reason::new(
                        codes::RESOLUTION_NOT_ALLOWED,
                        locale.pick_with(
                            || {
                                format!(
                                    "A {label} return can be settled by {}, not by {}.",
                                    list.join(", "),
                                    asked.label(locale)
                                )
                            },
                            || format!("{label}退货可选择{}，不支持{}。", list.join("、"), asked.label(locale)),
                        ),
                    )
                    .figure("resolution", asked.as_str()),
                );
            }
        }

        let payer = shipping_override.or(rp.return_shipping).unwrap_or(returns.return_shipping);
        let restocking = restocking_override.or(rp.restocking_fee);
        let mut v = Verdict { reasons, deadline, days, payer, allowed, restocking };
        apply_floor(env, req, item, line, &mut v)?;
        if let Some(end) = v.deadline {
            if earliest.is_none_or(|e| end < e) {
                earliest = Some(end);
            }
        }
        items.push(item_decision(item, line, v));
    }

    let eligible = items.iter().all(|i| i.eligible);
    let outcome = if !eligible {
        Outcome::Deny
    } else if review_reasons.is_empty() {
        Outcome::Approve
    } else {
        Outcome::Review
    };
    let mut resolutions: Vec<Resolution> = Vec::new();
    if let Some(first) = items.first() {
        resolutions =
            first.resolutions.iter().copied().filter(|r| items.iter().all(|i| i.resolutions.contains(r))).collect();
    }
    let return_shipping_paid_by =
        if !items.is_empty() && items.iter().all(|i| i.return_shipping_paid_by == Payer::Merchant) {
            Payer::Merchant
        } else {
            Payer::Customer
        };
    let mut reasons: Vec<Reason> = items.iter().flat_map(|i| i.reasons.iter().cloned()).collect();
    reasons.extend(review_reasons);
    Ok(ReturnDecision {
        eligible,
        outcome,
        resolutions,
        deadline: earliest.map(|d| format_instant(&d)),
        return_shipping_paid_by,
        complete_by: None,
        items,
        reasons,
        trace: matched,
        policy: env.reference(),
    })
}

/// One item's answer before it is printed.
struct Verdict {
    /// Why it may not go back (empty: it may), then any note such as the statutory right.
    reasons: Vec<Reason>,
    deadline: Option<DateTime<Tz>>,
    days: u64,
    payer: Payer,
    allowed: Vec<Resolution>,
    restocking: Option<Fee>,
}

/// Reasons the statutory right overrides (see [`crate::statute`]).
const OVERRIDDEN: &[&str] = &[
    codes::RETURN_WINDOW_EXPIRED,
    codes::REASON_NOT_ACCEPTED,
    codes::REASON_EXCLUDED_BY_RULE,
    codes::NOT_RETURNABLE,
    codes::CONDITION_NOT_MET,
    codes::CONDITION_NOT_CONFIRMED,
];

/// The law as a floor: when the policy's jurisdiction gives this item a statutory right to go back
/// now, the policy's refusals give way, a refund is open, no restocking fee is charged, and the
/// later deadline stands, with a `STATUTORY_RIGHT` reason citing the law.
fn apply_floor(env: &Env, req: &ReturnRequest, item: &ReturnItem, line: &Line, v: &mut Verdict) -> Result<()> {
    let Some(right) = crate::statute::statutory_return(
        env.jurisdiction,
        &req.reason,
        &line.tags,
        &item.condition,
        req.order.delivered_at.as_ref(),
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
        let locale = req.locale;
        let deadline = v.deadline.unwrap_or(right.deadline);
        v.reasons.push(
            Reason::new(
                crate::statute::STATUTORY_RIGHT,
                right.message(locale, &format_datetime(locale, &deadline), fee_waived),
            )
            .figure("law", right.law)
            .figure("window_days", right.days)
            .figure("deadline", format_instant(&deadline))
            .figure("from", "delivery"),
        );
    }
    Ok(())
}

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

impl ReturnsPolicy {
    /// The rules' compiled conditions, in document order (for the policy lint).
    pub fn rule_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.rules.iter().map(|r| &r.when)
    }
}
