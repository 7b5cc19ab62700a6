//! The policy document's JSON Schema (draft-07, which editors understand best), generated from
//! the Rust types the loader reads, so the two cannot drift apart: `pkg/policy.schema.json`,
//! written by `cargo run --example policy_schema --features schema`, checked by
//! `tests/policy_schema.rs`.
//!
//! What the schema adds to the types: the IANA zone and ISO 4217 currency names as lists an editor
//! completes; the facts and operators each evaluator's conditions accept, typed; exactly one key of
//! a duration or a fee. A policy that `extends` a preset is a JSON merge patch over it, so it is
//! checked against a patch form of the same definitions: nothing required below the top but `id`
//! and `version`, any key may be `null` (removes it), and list items stay complete.
//!
//! What it cannot say, the loader still checks: references between sections (a plan's calendar),
//! the statutory floor, sizes and depths.
//!
//! The same types, with the requests and the answers, give the npm package its TypeScript data
//! types ([`types_schema`], turned into `pkg/types.generated.d.ts` by `scripts/types.mjs`).

use crate::conditions::{FactDef, FactType};
use crate::policy::PolicyDocument;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::BTreeSet;

impl JsonSchema for crate::money::Minor {
    fn schema_name() -> Cow<'static, str> {
        "Minor".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An integer of the currency's minor units (59900 = ¥599.00), within ±(2^53 − 1).",
            "type": "integer",
            "minimum": -crate::money::MAX_SAFE_INTEGER,
            "maximum": crate::money::MAX_SAFE_INTEGER
        })
    }
}

impl JsonSchema for crate::money::Count {
    fn schema_name() -> Cow<'static, str> {
        "Count".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "integer", "minimum": 0, "maximum": crate::money::MAX_SAFE_INTEGER})
    }
}

impl JsonSchema for crate::money::Percent {
    fn schema_name() -> Cow<'static, str> {
        "Percent".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"description": "A percentage, 0 to 100 (12.5 is exact).", "type": "number", "minimum": 0, "maximum": 100})
    }
}

impl JsonSchema for crate::time::Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "RFC 3339 with an offset, e.g. 2026-11-23T10:00:00+08:00.",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
        })
    }
}

impl JsonSchema for crate::time::Zone {
    fn schema_name() -> Cow<'static, str> {
        "Zone".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names = crate::zone::Tz::names();
        json_schema!({"description": "An IANA time zone name, e.g. Asia/Shanghai.", "type": "string", "enum": names})
    }
}

impl JsonSchema for crate::vocabulary::Locale {
    fn schema_name() -> Cow<'static, str> {
        "Locale".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "en or zh-CN (zh, zh-Hans and the like are Chinese); any other tag is English.",
            "type": "string"
        })
    }
}

/// A local date, `2026-10-01`.
#[derive(Debug)]
pub struct Date;

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A local date, YYYY-MM-DD.",
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
        })
    }
}

/// Open hours of a day, `09:00-18:00`; an end before the start runs past midnight.
#[derive(Debug)]
pub struct Interval;

impl JsonSchema for Interval {
    fn schema_name() -> Cow<'static, str> {
        "Interval".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "HH:MM-HH:MM local time, e.g. 09:00-18:00; 22:00-06:00 runs past midnight; an end of 24:00 is midnight.",
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
        })
    }
}

/// A calendar preset's name.
#[derive(Debug)]
pub struct CalendarPreset;

impl JsonSchema for CalendarPreset {
    fn schema_name() -> Cow<'static, str> {
        "CalendarPreset".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar to start from: cn is mainland China's official holidays and make-up working days for every year of its data (2006-2026); cn-2025-2026 is the same data for 2025 and 2026 only.",
            "type": "string",
            "enum": crate::calendar::PRESETS
        })
    }
}

/// The ISO 4217 codes with a minor unit, as the loader accepts them.
pub fn currency(_: &mut SchemaGenerator) -> Schema {
    let codes: Vec<&str> = <iso_currency::Currency as iso_currency::IntoEnumIterator>::iter()
        .filter(|c| c.exponent().is_some())
        .map(|c| c.code())
        .collect();
    json_schema!({"description": "An ISO 4217 currency code, e.g. CNY, EUR, USD.", "type": "string", "enum": codes})
}

/// The definition of the operators a fact of this type takes.
fn operators_name(ty: FactType) -> &'static str {
    match ty {
        FactType::Text => "TextOperators",
        FactType::Number => "NumberOperators",
        FactType::Bool => "BooleanOperators",
        FactType::TextList => "ListOperators",
        FactType::Date => "DateOperators",
    }
}

/// `messages`: texts by reason code.
pub fn messages(generator: &mut SchemaGenerator) -> Schema {
    let codes: Vec<&str> =
        crate::reasons::CATALOGUE.iter().filter(|c| c.kind == crate::reasons::Kind::Reason).map(|c| c.code).collect();
    let text = generator.subschema_for::<crate::vocabulary::LocalizedText>();
    json_schema!({
        "description": "Texts replacing the engine's messages, by reason code; {figure} is filled in.",
        "type": "object",
        "propertyNames": {"enum": codes},
        "additionalProperties": text
    })
}

/// The operators a fact of this type takes, with their operand's schema.
fn operators(ty: FactType) -> Value {
    let scalar = match ty {
        FactType::Text | FactType::TextList | FactType::Date => json!({"type": "string"}),
        FactType::Number => json!({"type": "number"}),
        FactType::Bool => json!({"type": "boolean"}),
    };
    let list = json!({"type": "array", "items": scalar, "maxItems": crate::conditions::MAX_LIST});
    let mut ops = Map::new();
    if ty == FactType::TextList {
        ops.insert("contains".into(), json!({"description": "the list holds this text", "type": "string"}));
    } else {
        ops.insert("eq".into(), scalar.clone());
        ops.insert("ne".into(), scalar.clone());
        ops.insert("in".into(), list.clone());
        ops.insert("not_in".into(), list);
        if ty == FactType::Number || ty == FactType::Date {
            for op in ["gt", "gte", "lt", "lte"] {
                ops.insert(op.into(), scalar.clone());
            }
        }
        if ty == FactType::Text {
            ops.insert("contains".into(), json!({"description": "the text contains this text", "type": "string"}));
        }
    }
    json!({
        "description": format!("Operators on a {} fact; several mean all of them.", ty.name()),
        "type": "object",
        "properties": ops,
        "additionalProperties": false,
        "minProperties": 1
    })
}

/// A condition over `facts`: `all`, `any`, `not`, and each fact with its operators.
/// With `declared`, also the facts a policy declares (`facts`): any namespaced name, any operator
/// (the loader checks them against the declarations).
fn condition(generator: &mut SchemaGenerator, me: Schema, facts: &[FactDef], what: &str, declared: bool) -> Schema {
    let mut props = Map::new();
    props.insert(
        "all".into(),
        json!({"description": "every condition holds", "type": "array", "items": me.clone(), "maxItems": crate::conditions::MAX_LIST}),
    );
    props.insert(
        "any".into(),
        json!({"description": "at least one holds", "type": "array", "items": me.clone(), "maxItems": crate::conditions::MAX_LIST}),
    );
    props.insert("not".into(), json!({"description": "the condition does not hold", "allOf": [me]}));
    for f in facts {
        let name = operators_name(f.ty);
        generator.definitions_mut().insert(name.into(), operators(f.ty));
        props.insert(
            f.name.into(),
            json!({"description": format!("{} ({})", f.doc, f.ty.name()), "allOf": [{"$ref": format!("#/definitions/{name}")}]}),
        );
    }
    json_schema!({
        "description": format!("A condition on {what}: {{\"all\": […]}}, {{\"any\": […]}}, {{\"not\": …}} or {{\"fact\": {{\"operator\": value}}}}; several keys mean all of them."),
        "type": "object",
        "properties": props,
        "additionalProperties": false
    })
    .tap_declared(generator, declared)
}

/// Adds a declared fact's name with its operators to a condition's schema.
trait TapDeclared {
    fn tap_declared(self, generator: &mut SchemaGenerator, declared: bool) -> Schema;
}

impl TapDeclared for Schema {
    fn tap_declared(mut self, generator: &mut SchemaGenerator, declared: bool) -> Schema {
        if declared {
            self.insert("patternProperties".into(), declared_facts(generator));
        }
        self
    }
}

/// The `patternProperties` of a condition: a declared fact's name with its operators.
fn declared_facts(generator: &mut SchemaGenerator) -> Value {
    let mut ops = Map::new();
    for op in ["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains"] {
        ops.insert(op.into(), json!({}));
    }
    generator.definitions_mut().insert(
        "DeclaredOperators".into(),
        json!({
            "description": "Operators on a fact the policy declares (its `facts`), checked against its type when the policy loads.",
            "type": "object",
            "properties": ops,
            "additionalProperties": false,
            "minProperties": 1
        }),
    );
    let pattern = format!("^({})[^.]", crate::facts::NAMESPACES.join("|").replace('.', "\\."));
    json!({pattern: {"$ref": "#/definitions/DeclaredOperators"}})
}

macro_rules! condition_type {
    ($name:ident, $facts:path, $what:literal) => {
        condition_type!($name, $facts, $what, false);
    };
    ($name:ident, $facts:path, $what:literal, $declared:literal) => {
        #[doc = concat!("The schema of a condition on ", $what, ".")]
        #[derive(Debug)]
        pub struct $name;
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                false
            }
            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                let me = generator.subschema_for::<$name>();
                condition(generator, me, $facts, $what, $declared)
            }
        }
    };
}

condition_type!(
    ReturnCondition,
    crate::returns::FACTS,
    "a return request's order, item, customer and request, and the facts the policy declares",
    true
);
condition_type!(
    ExchangeCondition,
    crate::exchange::FACTS,
    "an exchange request's order, item, variant and customer, and the facts the policy declares",
    true
);
condition_type!(SlaCondition, crate::sla::FACTS, "an SLA case, and the facts the policy declares", true);
condition_type!(
    WarrantyCondition,
    crate::warranty::FACTS,
    "a warranty claim's product and fault, and the facts the policy declares",
    true
);
condition_type!(
    ReleaseCondition,
    crate::refund::RELEASE_FACTS,
    "a refund request's customer, order and amount (release rules), and the facts the policy declares",
    true
);
condition_type!(
    RefundOnlyCondition,
    crate::refund::REFUND_ONLY_FACTS,
    "an item of a refund without a return, its order, customer and request, and the facts the policy declares",
    true
);

/// Removes what a merge patch need not give; lets any property be `null`; points `$ref`s to
/// definitions in `changed` at their patch forms. List items stay complete (a patch replaces
/// lists whole).
fn patchify(v: &Value, changed: &BTreeSet<String>) -> Value {
    let Value::Object(m) = v else { return v.clone() };
    let mut out = Map::new();
    for (k, x) in m {
        match k.as_str() {
            "required" | "minProperties" | "maxProperties" => {}
            "$ref" => {
                let target = x.as_str().unwrap_or_default();
                let name = target.trim_start_matches("#/definitions/");
                let to = if changed.contains(name) { format!("{target}.patch") } else { target.to_string() };
                out.insert(k.clone(), Value::from(to));
            }
            "properties" => {
                let props: Map<String, Value> = x
                    .as_object()
                    .map(|p| p.iter().map(|(name, s)| (name.clone(), nullable(patchify(s, changed)))).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Object(props));
            }
            "additionalProperties" if x.is_object() => {
                out.insert(k.clone(), nullable(patchify(x, changed)));
            }
            "anyOf" | "oneOf" | "allOf" => {
                let list: Vec<Value> =
                    x.as_array().map(|a| a.iter().map(|s| patchify(s, changed)).collect()).unwrap_or_default();
                out.insert(k.clone(), Value::Array(list));
            }
            _ => {
                out.insert(k.clone(), x.clone());
            }
        }
    }
    Value::Object(out)
}

/// Every definition `root` refers to, directly or not.
fn referenced(root: &Value, defs: &Map<String, Value>) -> BTreeSet<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.trim_start_matches("#/definitions/").to_string());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo = Vec::new();
    refs(root, &mut todo);
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            if let Some(d) = defs.get(&name) {
                refs(d, &mut todo);
            }
        }
    }
    seen
}

/// The definitions whose patch form differs from them (objects, and what refers to objects).
fn patched_names(defs: &Map<String, Value>) -> BTreeSet<String> {
    let mut changed = BTreeSet::new();
    loop {
        let next: BTreeSet<String> = defs
            .iter()
            .filter(|(n, d)| !n.ends_with("Condition") && !n.ends_with("Operators") && patchify(d, &changed) != **d)
            .map(|(n, _)| n.clone())
            .collect();
        if next == changed {
            return changed;
        }
        changed = next;
    }
}

fn nullable(s: Value) -> Value {
    json!({"anyOf": [s, {"type": "null"}]})
}

/// The policy's JSON Schema: a document, or a list of its versions; a document with `extends`
/// checked as a merge patch over the preset.
pub fn policy_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().for_deserialize().into_generator();
    let root = generator.into_root_schema_for::<PolicyDocument>();
    let mut root = root.to_value();
    let mut defs = root.as_object_mut().and_then(|r| r.remove("definitions")).and_then(|d| match d {
        Value::Object(m) => Some(m),
        _ => None,
    });
    let defs = defs.get_or_insert_with(Map::new);
    let mut document = root.clone();
    if let Value::Object(d) = &mut document {
        d.remove("$schema");
        d.remove("title");
        if let Some(Value::Object(props)) = d.get_mut("properties") {
            props.insert(
                "$schema".into(),
                json!({"description": "Where editors find this schema, e.g. ./node_modules/aftersales/policy.schema.json; not part of the policy (nor of its fingerprint).", "type": "string"}),
            );
        }
    }
    let changed = patched_names(defs);
    for name in &changed {
        if let Some(def) = defs.get(name).map(|d| patchify(d, &changed)) {
            defs.insert(format!("{name}.patch"), def);
        }
    }
    let mut patch = patchify(&document, &changed);
    if let Value::Object(p) = &mut patch {
        p.insert("required".into(), json!(["id", "version", "extends"]));
        if let Some(Value::Object(props)) = p.get_mut("properties") {
            let presets: Vec<&str> = crate::presets::PRESETS.iter().map(|p| p.name).collect();
            props.insert(
                "extends".into(),
                json!({"description": "The preset this policy is a JSON merge patch over.", "enum": presets}),
            );
            for own in ["id", "version", "schema"] {
                if let Some(s) = document.pointer(&format!("/properties/{own}")) {
                    props.insert(own.into(), s.clone());
                }
            }
        }
    }
    defs.insert("PolicyDocument".into(), document);
    defs.insert("PolicyDocument.patch".into(), patch);
    let one = json!({
        "if": {"type": "object", "required": ["extends"]},
        "then": {"$ref": "#/definitions/PolicyDocument.patch"},
        "else": {"$ref": "#/definitions/PolicyDocument"}
    });
    let versions = json!({
        "description": "Versions of one policy: each order is judged under the version in force when it was placed.",
        "type": "array",
        "minItems": 1,
        "items": one,
        "if": {"minItems": 2},
        "then": {"items": {"required": ["effective_from"]}}
    });
    let top = json!({"anyOf": [one, versions]});
    let used = referenced(&top, defs);
    defs.retain(|name, _| used.contains(name));
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "aftersales policy",
        "description": "A merchant's after-sales policy (returns, refunds, warranty, SLA), or a list of its versions each with effective_from. docs/policy.md of the aftersales package describes every field.",
        "anyOf": top.get("anyOf").cloned().unwrap_or_default(),
        "definitions": defs
    })
}

/// [`policy_schema`] as the text of `pkg/policy.schema.json` (two-space indents, a final newline).
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&policy_schema()).unwrap_or_default();
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------------------------
// The package's TypeScript types

impl JsonSchema for crate::explain::Text {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string"})
    }
}

/// A figure of a reason, one of the things its message speaks of (a date, a number of days, an
/// amount): every figure the engine gives is a string, a number or a boolean, though the Rust
/// type (`serde_json::Value`) could hold more.
#[derive(Debug)]
pub struct Figure;

impl JsonSchema for Figure {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Figure".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "number", "boolean"]})
    }
}

/// Rust types whose TypeScript name differs: the names the package exported before its types
/// were generated, and names that would hide a global (`Date`) or say too little (`Status`).
pub const TS_NAMES: &[(&str, &str)] = &[
    ("CalendarSpec", "CalendarSection"),
    ("Case", "SlaCase"),
    ("CodeChange", "DiffReasonCode"),
    ("Counts", "DiffCounts"),
    ("DeadlineMoves", "DiffDeadline"),
    ("Example", "DiffExample"),
    ("Glimpse", "DiffAnswer"),
    ("Invalid", "DiffInvalid"),
    ("InvalidLine", "DiffInvalidLine"),
    ("Claim", "WarrantyClaim"),
    ("Date", "LocalDate"),
    ("ExchangesSpec", "ExchangesSection"),
    ("Line", "OrderLine"),
    ("LocatedValidation", "PolicyValidationWithPositions"),
    ("Money", "DiffMoney"),
    ("PolicyError", "PolicyErrorJSON"),
    ("RefundsSpec", "RefundsSection"),
    ("ReturnsSpec", "ReturnsSection"),
    ("RuleSpec", "ReturnRule"),
    ("SlaChange", "DiffSlaStage"),
    ("SlaSpec", "SlaSection"),
    ("Status", "SlaStatus"),
    ("TargetStatus", "SlaTarget"),
    ("Transition", "DiffTransition"),
    ("Validation", "PolicyValidation"),
    ("WarrantySpec", "WarrantySection"),
    ("WindowSpec", "Window"),
];

/// The definitions of the types the package's API reads and answers, for its TypeScript
/// declarations (`pkg/types.generated.d.ts`, written by `make types` through npm's
/// json-schema-to-typescript). What is read (the policy, the requests) is described as serde reads
/// it: a field with a default may be left out. What is answered is described as serde writes it:
/// a field is optional only where it is left out when empty.
///
/// Unlike `pkg/policy.schema.json`, zones and currencies are plain strings here (a union of
/// hundreds of names helps no TypeScript user), and a document's `extends` names a preset.
pub fn types_schema() -> Result<Value, String> {
    use crate::calendar_query::{CalendarAnswer, CalendarRequest};
    use crate::engine::{Evaluator, PolicyInfo, Validation};
    use crate::exchange::{ExchangeDecision, ExchangeRequest};
    use crate::refund::{RefundQuote, RefundRequest};
    use crate::returns::{ReturnDecision, ReturnRequest};
    use crate::sla::{Case, SlaAnswer};
    use crate::warranty::{Claim, WarrantyDecision};
    use schemars::generate::SchemaSettings;

    let mut read = SchemaSettings::draft07().for_deserialize().into_generator();
    read.subschema_for::<ReturnRequest>();
    read.subschema_for::<RefundRequest>();
    read.subschema_for::<ExchangeRequest>();
    read.subschema_for::<Claim>();
    read.subschema_for::<Case>();
    read.subschema_for::<CalendarRequest>();
    let mut written = SchemaSettings::draft07().for_serialize().into_generator();
    written.subschema_for::<ReturnDecision>();
    written.subschema_for::<RefundQuote>();
    written.subschema_for::<ExchangeDecision>();
    written.subschema_for::<WarrantyDecision>();
    written.subschema_for::<SlaAnswer>();
    written.subschema_for::<CalendarAnswer>();
    written.subschema_for::<PolicyInfo>();
    written.subschema_for::<Validation>();
    written.subschema_for::<Evaluator>();
    written.subschema_for::<crate::compare::DiffReport>();
    written.subschema_for::<crate::locate::LocatedValidation>();

    // The policy document as its JSON Schema has it, without the merge-patch forms.
    let mut defs: Map<String, Value> = match policy_schema().get("definitions") {
        Some(Value::Object(d)) => {
            d.iter().filter(|(n, _)| !n.ends_with(".patch")).map(|(n, d)| (n.clone(), d.clone())).collect()
        }
        _ => return Err("the policy schema has no definitions".into()),
    };
    let written = written.take_definitions(true).into_iter().map(|(name, def)| (name, never_null_when_left_out(&def)));
    for (name, def) in read.take_definitions(true).into_iter().chain(written) {
        match defs.get(&name) {
            // Read and written (a fee): the read form, which also takes `null` for a field left out.
            Some(had) if never_null_when_left_out(had) == def => {}
            Some(had) if *had != def => {
                return Err(format!("`{name}` is read and written in different shapes; give one of them its own type"));
            }
            _ => {
                defs.insert(name, def);
            }
        }
    }

    let presets: Vec<&str> = crate::presets::PRESETS.iter().map(|p| p.name).collect();
    defs.insert(
        "PresetName".into(),
        json!({"description": "A preset a policy can extend (each cites its sources in its `$comment`).", "type": "string", "enum": presets}),
    );
    if let Some(Value::Object(props)) = defs.get_mut("PolicyDocument").and_then(|d| d.get_mut("properties")) {
        if let Some(Value::Object(currency)) = props.get_mut("currency") {
            currency.remove("enum");
        }
        if let Some(Value::Object(extends)) = props.get_mut("extends") {
            extends.remove("type");
            extends.insert("anyOf".into(), json!([{"$ref": "#/definitions/PresetName"}, {"type": "null"}]));
        }
    }
    if let Some(Value::Object(zone)) = defs.get_mut("Zone") {
        zone.remove("enum");
    }
    if let Some(Value::Object(locale)) = defs.get_mut("Locale") {
        // Any tag is read (an unknown one is English); the two written in complete in an editor.
        locale.insert("tsType".into(), json!("\"en\" | \"zh-CN\" | (string & {})"));
    }

    for def in defs.values_mut() {
        describe_variants(def);
    }
    let renamed = |name: &str| TS_NAMES.iter().find(|(rust, _)| *rust == name).map_or(name, |(_, ts)| *ts).to_string();
    let defs: Map<String, Value> =
        defs.iter().map(|(name, def)| (renamed(name), rename_refs(&without_defaults(def), &renamed))).collect();
    Ok(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": defs
    }))
}

/// An answer's object without `null` in the fields it may leave out: serde leaves out an empty
/// one (`skip_serializing_if`) and never writes it as `null`.
fn never_null_when_left_out(def: &Value) -> Value {
    let mut def = def.clone();
    let required: BTreeSet<String> = def
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    if let Some(Value::Object(props)) = def.get_mut("properties") {
        for prop in props.iter_mut().filter(|(name, _)| !required.contains(*name)).map(|(_, p)| p) {
            if let Some(Value::Array(types)) = prop.get_mut("type") {
                types.retain(|t| t != "null");
                if let [one] = types.as_slice() {
                    let one = one.clone();
                    prop["type"] = one;
                }
            }
            let any = prop.get_mut("anyOf").and_then(Value::as_array_mut);
            if let Some(any) = any {
                any.retain(|s| s.get("type").and_then(Value::as_str) != Some("null"));
                if let [only] = any.as_slice() {
                    let only = only.clone();
                    if let Value::Object(p) = prop {
                        p.remove("anyOf");
                        p.insert("allOf".into(), Value::Array(vec![only]));
                    }
                }
            }
        }
    }
    def
}

/// Adds an enum's variants and their docs to its description (a TypeScript union of strings has
/// no place for them).
fn describe_variants(def: &mut Value) {
    let Some(Value::Array(variants)) = def.get("oneOf") else { return };
    let lines: Vec<String> = variants
        .iter()
        .filter_map(|v| Some(format!("- `{}`: {}", v.get("const")?.as_str()?, v.get("description")?.as_str()?)))
        .collect();
    if lines.is_empty() {
        return;
    }
    let text = match def.get("description").and_then(Value::as_str) {
        Some(d) => format!("{d}\n\n{}", lines.join("\n")),
        None => lines.join("\n"),
    };
    def["description"] = Value::from(text);
}

/// `v` without `default`s, which say what serde fills in, not a type (json-schema-to-typescript
/// would make `"half_up"` a `string` and intersect it with the type).
fn without_defaults(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(k, _)| *k != "default").map(|(k, x)| (k.clone(), without_defaults(x))).collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_defaults).collect()),
        _ => v.clone(),
    }
}

/// `v` with every `$ref` to a definition renamed.
fn rename_refs(v: &Value, renamed: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = match (k.as_str(), x) {
                        ("$ref", Value::String(r)) => match r.strip_prefix("#/definitions/") {
                            Some(name) => Value::from(format!("#/definitions/{}", renamed(name))),
                            None => x.clone(),
                        },
                        _ => rename_refs(x, renamed),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| rename_refs(x, renamed)).collect()),
        _ => v.clone(),
    }
}
