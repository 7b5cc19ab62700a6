//! The merchant's policy document: read once, checked with JSON paths, compiled into the form
//! the evaluators use, and fingerprinted. Each section (`returns`, `refunds`, `exchanges`,
//! `warranty`, `sla`, `calendars`) is defined and compiled by its own module; this module only
//! puts them together.
//!
//! The fingerprint is `sha256:` + the SHA-256 of the policy's canonical JSON: object keys sorted,
//! no insignificant white space, numbers as serde_json prints them. Two documents that differ only
//! in key order or white space have the same fingerprint.

use crate::calendar;
use crate::env::Env;
use crate::error::{from_value_text, ErrorCode, PolicyError, Result};
#[cfg(feature = "exchanges")]
use crate::exchange;
use crate::explain::{MessageOverrides, PolicyRef};
use crate::problems::Problems;
#[cfg(feature = "refunds")]
use crate::refund;
use crate::returns;
use crate::sla;
use crate::time::Zone;
#[cfg(feature = "warranty")]
use crate::warranty;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The largest policy document read, in bytes of JSON text.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;
/// The policy `schema` this engine reads.
pub const SCHEMA: u64 = 1;

/// A section this build does not carry (a build by capability, DESIGN.md): read as JSON and
/// left unchecked; it still counts in the fingerprint, which is taken over the document's text.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct NotCarried(#[allow(dead_code)] serde::de::IgnoredAny);

#[cfg(feature = "refunds")]
type RefundsSection = refund::RefundsSpec;
#[cfg(not(feature = "refunds"))]
type RefundsSection = NotCarried;
#[cfg(feature = "exchanges")]
type ExchangesSection = exchange::ExchangesSpec;
#[cfg(not(feature = "exchanges"))]
type ExchangesSection = NotCarried;
#[cfg(feature = "warranty")]
type WarrantySection = warranty::WarrantySpec;
#[cfg(not(feature = "warranty"))]
type WarrantySection = NotCarried;

/// The document as written (`docs/policy.md` describes every field).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    #[cfg_attr(feature = "schema", schemars(extend("const" = 1)))]
    pub schema: u64,
    pub id: String,
    pub version: String,
    /// ISO 4217 code of the currency amounts in the policy are in.
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::currency"))]
    pub currency: String,
    /// The IANA zone the merchant's days and deadlines are counted in.
    pub timezone: Zone,
    #[serde(default)]
    pub name: Option<String>,
    /// The preset this policy starts from (see [`crate::presets`]), already merged in: the policy is
    /// a JSON merge patch (RFC 7386) over it (objects merge key by key, anything else replaces,
    /// `null` removes); the preset's `id`, `version`, `$comment` and `effective_from` are never
    /// inherited.
    #[serde(default)]
    pub extends: Option<String>,
    /// Whose consumer law the policy sits on: its statutory floor is checked when the policy loads and applied to every decision.
    #[serde(default)]
    pub jurisdiction: Option<crate::vocabulary::Jurisdiction>,
    /// Free text for people: where the rules come from, who owns them.
    #[serde(default, rename = "$comment")]
    pub comment: Option<String>,
    /// When this version takes effect. An engine given several versions judges each request under
    /// the version in force when its order was placed (its claim's purchase, its case's creation).
    #[serde(default)]
    pub effective_from: Option<crate::time::Timestamp>,
    #[serde(default)]
    pub calendars: calendar::CalendarsSpec,
    /// Facts of the merchant's own, by name (`customer.credit_score`): their types and defaults;
    /// conditions test them like the engine's, requests give their values in `facts`.
    #[serde(default)]
    pub facts: std::collections::BTreeMap<String, crate::facts::FactSpec>,
    #[serde(default)]
    pub returns: Option<returns::ReturnsSpec>,
    #[serde(default)]
    pub refunds: Option<RefundsSection>,
    /// Exchanges into named variants: the reasons and kinds allowed, the price basis, downsells,
    /// the replacement's shipping, the limit per line, advance exchange, out of stock.
    #[serde(default)]
    pub exchanges: Option<ExchangesSection>,
    /// Warranty terms chosen by rules, the repair price list, the repair turnaround.
    #[serde(default)]
    pub warranty: Option<WarrantySection>,
    #[serde(default)]
    pub sla: Option<sla::SlaSpec>,
    /// Merchant texts replacing the engine's messages, by reason code.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::messages"))]
    pub messages: MessageOverrides,
}

/// Drops `$schema`, which tells an editor where the JSON Schema is (`aftersales/policy.schema.json`)
/// and is not part of the policy: it neither counts in the fingerprint nor is refused as unknown.
fn strip_editor_keys(value: &mut Value) {
    if let Value::Object(map) = value {
        map.remove("$schema");
    }
}

/// A compiled policy: everything checked, every rule's condition compiled.
#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
    pub effective_from: Option<crate::time::Timestamp>,
    /// Zone, currency, calendars, jurisdiction and reference: what every section decides against.
    pub env: Env,
    pub returns: Option<returns::ReturnsPolicy>,
    #[cfg(feature = "refunds")]
    pub refunds: refund::RefundsPolicy,
    #[cfg(feature = "exchanges")]
    pub exchanges: Option<exchange::ExchangesPolicy>,
    #[cfg(feature = "warranty")]
    pub warranty: Option<warranty::WarrantyPolicy>,
    pub sla: Option<sla::SlaPolicy>,
    pub messages: MessageOverrides,
    pub extends: Option<String>,
    /// What the policy lint found ([`crate::lint`]); decisions apply the law regardless.
    pub warnings: Vec<crate::lint::PolicyWarning>,
}

impl Policy {
    /// Reads a policy from JSON text.
    pub fn from_json(text: &str) -> Result<Policy> {
        Policy::from_value(read_document(text)?)
    }

    /// Reads a policy from a parsed JSON value; refused with the first of its errors.
    pub fn from_value(value: Value) -> Result<Policy> {
        let mut problems = Problems::default();
        let policy = Policy::read(value, &mut problems);
        problems.first_or(())?;
        policy.ok_or_else(|| PolicyError::invalid("", "the policy could not be compiled"))
    }

    /// Reads and compiles a policy, noting every refusal in `problems` (none is kept then).
    pub fn read(mut value: Value, problems: &mut Problems) -> Option<Policy> {
        strip_editor_keys(&mut value);
        let value = problems.check(crate::presets::resolve(value))?;
        let fingerprint = fingerprint(&value);
        if !value.is_object() {
            problems.push(PolicyError::new(ErrorCode::InvalidField, "", "a policy is a JSON object"));
            return None;
        }
        if let Some(schema) = value.get("schema") {
            if schema.as_u64() != Some(SCHEMA) {
                problems.push(PolicyError::new(
                    ErrorCode::UnsupportedSchema,
                    "schema",
                    format!("this engine reads policy schema {SCHEMA}"),
                ));
                return None;
            }
        }
        // Read through its text: the policy's types are compiled for one deserializer only.
        match from_value_text::<PolicyDocument>(&value) {
            Ok(doc) => Policy::compile(doc, fingerprint, problems),
            Err(e) => {
                problems.push(e.clone());
                read_without_broken_sections(value, e, fingerprint, problems);
                None
            }
        }
    }

    /// Compiles a read document, noting every refusal in `problems` (the policy is `None` when
    /// there was any).
    fn compile(doc: PolicyDocument, fingerprint: String, problems: &mut Problems) -> Option<Policy> {
        problems.check(crate::order::check_text(&doc.id, "id"));
        problems.check(crate::order::check_text(&doc.version, "version"));
        // Stand-ins let the sections be checked when these are refused; the policy is not kept then.
        let currency = problems.check(crate::money::currency(&doc.currency, "currency"));
        let currency = currency.unwrap_or(crate::money::Currency { code: String::new(), exponent: 0 });
        let zone = doc.timezone.0;
        let calendars = calendar::compile(&doc.calendars, zone, "calendars", problems);
        let reference = PolicyRef {
            id: doc.id.as_str().into(),
            version: doc.version.as_str().into(),
            fingerprint: fingerprint.as_str().into(),
        };
        let env = Env { zone, currency, calendars, jurisdiction: doc.jurisdiction, reference };
        use crate::builtin_facts as b;
        let builtin = [b::RETURNS, b::EXCHANGES, b::SLA, b::WARRANTY, b::REFUND_ONLY, b::RELEASE];
        let declared = std::sync::Arc::new(crate::facts::compile(&doc.facts, &builtin, "facts", problems));
        let returns = doc.returns.as_ref().map(|s| returns::compile_declared(s, &env, &declared, "returns", problems));
        #[cfg(feature = "refunds")]
        let refunds = refund::compile(doc.refunds.as_ref(), &env, &declared, "refunds", problems);
        #[cfg(feature = "exchanges")]
        let exchanges = doc.exchanges.as_ref().map(|s| exchange::compile(s, &env, &declared, "exchanges", problems));
        #[cfg(feature = "warranty")]
        let warranty = doc.warranty.as_ref().map(|s| warranty::compile(s, &env, &declared, "warranty", problems));
        let sla = doc.sla.as_ref().map(|s| sla::compile_declared(s, &env, &declared, "sla", problems));
        problems.check(doc.messages.validate("messages"));
        if !problems.is_empty() {
            return None;
        }
        let warnings = crate::lint::check(crate::lint::Sections {
            jurisdiction: doc.jurisdiction,
            returns: doc.returns.as_ref(),
            compiled_returns: returns.as_ref().and_then(Option::as_ref),
            #[cfg(feature = "refunds")]
            refunds: doc.refunds.as_ref(),
            #[cfg(feature = "warranty")]
            warranty: doc.warranty.as_ref(),
            sla: doc.sla.as_ref(),
            compiled_sla: sla.as_ref().and_then(Option::as_ref),
            #[cfg(feature = "warranty")]
            compiled_warranty: warranty.as_ref().and_then(Option::as_ref),
            calendars: &doc.calendars,
            env: &env,
        });
        Some(Policy {
            extends: doc.extends,
            warnings,
            id: doc.id,
            version: doc.version,
            fingerprint,
            effective_from: doc.effective_from,
            env,
            returns: returns.flatten(),
            #[cfg(feature = "refunds")]
            refunds: refunds?,
            #[cfg(feature = "exchanges")]
            exchanges: exchanges.flatten(),
            #[cfg(feature = "warranty")]
            warranty: warranty.flatten(),
            sla: sla.flatten(),
            messages: doc.messages,
        })
    }

    /// The policy a decision names.
    pub fn reference(&self) -> PolicyRef {
        self.env.reference()
    }

    /// Refuses a request that says it was made under another policy (`policy_fingerprint`).
    pub fn check_fingerprint(&self, claimed: Option<&str>, path: &str) -> Result<()> {
        match claimed {
            Some(f) if f != self.fingerprint => Err(PolicyError::new(
                ErrorCode::PolicyMismatch,
                path,
                format!(
                    "the request was made under policy {}, this engine holds {}",
                    crate::time::truncate(f, 80),
                    self.fingerprint
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// The sections a policy may leave out.
const SECTIONS: &[&str] = &["calendars", "exchanges", "messages", "refunds", "returns", "sla", "warranty"];

/// After the document could not be read: reads it again without the section `error` is in, and
/// again for the next refusal, so that a mistake in one section does not hide those in the
/// others; when the rest reads, compiles it for the refusals of its rules (unless the calendars
/// were left out, which the other sections name). The same one deserializer of the document
/// does it all: no section is compiled to be read on its own.
fn read_without_broken_sections(
    mut value: Value,
    mut error: PolicyError,
    fingerprint: String,
    problems: &mut Problems,
) {
    let mut without_calendars = false;
    loop {
        let section = error.path.split(['.', '[']).next().unwrap_or("");
        let removed = SECTIONS.contains(&section) && value.as_object_mut().and_then(|m| m.remove(section)).is_some();
        if !removed {
            return;
        }
        without_calendars |= section == "calendars";
        match from_value_text::<PolicyDocument>(&value) {
            Ok(doc) => {
                if !without_calendars {
                    Policy::compile(doc, fingerprint, problems);
                }
                return;
            }
            Err(e) => {
                problems.push(e.clone());
                error = e;
            }
        }
    }
}

/// One policy, or the versions of one policy over time (a JSON array of documents, each with its
/// `effective_from`): rules are frozen when the order is placed, so a later change does not move
/// an old order's window.
#[derive(Debug, Clone)]
pub struct PolicySet {
    /// Older versions, oldest first.
    older: Vec<Policy>,
    newest: Policy,
    fingerprint: String,
}

impl PolicySet {
    pub fn from_json(text: &str) -> Result<PolicySet> {
        PolicySet::from_value(read_document(text)?)
    }

    /// [`PolicySet::read`] from JSON text.
    pub fn read_json(text: &str, problems: &mut Problems) -> Option<PolicySet> {
        PolicySet::read(problems.check(read_document(text))?, problems)
    }

    /// Reads one policy or an array of its versions; refused with the first of its errors.
    pub fn from_value(value: Value) -> Result<PolicySet> {
        let mut problems = Problems::default();
        let set = PolicySet::read(value, &mut problems);
        problems.first_or(())?;
        set.ok_or_else(|| PolicyError::invalid("", "the policy could not be compiled"))
    }

    /// Reads one policy or an array of its versions, noting every refusal in `problems` (paths
    /// of a version's refusals start with its index).
    pub fn read(mut value: Value, problems: &mut Problems) -> Option<PolicySet> {
        if let Value::Array(items) = &mut value {
            items.iter_mut().for_each(strip_editor_keys);
        }
        let Value::Array(items) = value else {
            let policy = Policy::read(value, problems)?;
            return Some(PolicySet { fingerprint: policy.fingerprint.clone(), older: Vec::new(), newest: policy });
        };
        let fingerprint = fingerprint(&Value::Array(items.clone()));
        let several = items.len() > 1;
        let mut versions: Vec<Policy> = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let mut own = Problems::default();
            let policy = Policy::read(item, &mut own);
            own.into_errors().into_iter().for_each(|e| problems.push(e.under(&format!("[{i}]"))));
            if let Some(policy) = policy {
                problems.check(version_fits(&versions, &policy, i, several));
                versions.push(policy);
            }
        }
        if !problems.is_empty() {
            return None;
        }
        versions.sort_by_key(|p| p.effective_from);
        let Some(newest) = versions.pop() else {
            problems.push(PolicyError::invalid("", "an array of policy versions holds at least one"));
            return None;
        };
        Some(PolicySet { older: versions, newest, fingerprint })
    }

    /// The version in force at `at` (the oldest one for an instant before them all).
    pub fn at(&self, at: chrono::DateTime<chrono::Utc>) -> &Policy {
        let in_force = |p: &&Policy| p.effective_from.is_none_or(|f| f.utc() <= at);
        if in_force(&&self.newest) {
            return &self.newest;
        }
        self.older.iter().rev().find(in_force).or(self.older.first()).unwrap_or(&self.newest)
    }

    /// The newest version.
    pub fn latest(&self) -> &Policy {
        &self.newest
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = &Policy> {
        self.older.iter().chain(std::iter::once(&self.newest))
    }

    /// One policy's fingerprint, or that of the whole set of versions.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// Refuses version `i` when it does not fit the versions read before it: several versions each
/// say when they take effect, share one id, and take effect at different instants.
fn version_fits(versions: &[Policy], policy: &Policy, i: usize, several: bool) -> Result<()> {
    if several && policy.effective_from.is_none() {
        return Err(PolicyError::new(
            ErrorCode::InvalidField,
            format!("[{i}].effective_from"),
            "each of several versions says when it takes effect",
        ));
    }
    if let Some(first) = versions.first() {
        if policy.id != first.id {
            return Err(PolicyError::invalid(
                format!("[{i}].id"),
                format!("versions of one policy share its id (`{}`)", first.id),
            ));
        }
    }
    if versions.iter().any(|p| p.effective_from == policy.effective_from) {
        return Err(PolicyError::invalid(
            format!("[{i}].effective_from"),
            "two versions take effect at the same instant",
        ));
    }
    Ok(())
}

/// Parses a policy document's text, refusing it before reading when it is over the size limit.
fn read_document(text: &str) -> Result<Value> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "",
            format!("the policy is {} bytes; the limit is {MAX_POLICY_BYTES}", text.len()),
        ));
    }
    serde_json::from_str(text).map_err(|e| {
        let code =
            if e.to_string().contains("recursion limit") { ErrorCode::LimitExceeded } else { ErrorCode::InvalidJson };
        PolicyError::new(code, "", e.to_string())
    })
}

/// `sha256:` + hex SHA-256 of the canonical JSON of `value` (keys sorted, compact).
pub fn fingerprint(value: &Value) -> String {
    // serde_json's map is ordered by key (the `preserve_order` feature is off), so printing the
    // value compactly is the canonical form.
    let canonical = canonical_json(value);
    format!("sha256:{}", hex::encode(Sha256::digest(canonical.as_bytes())))
}

/// The canonical JSON text of a value: keys sorted, no white space.
pub fn canonical_json(value: &Value) -> String {
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_key_for_editors_is_neither_refused_nor_fingerprinted() {
        let doc =
            serde_json::json!({"schema": 1, "id": "p", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai"});
        let mut with = doc.clone();
        with["$schema"] = Value::from("./node_modules/aftersales/policy.schema.json");
        let a = Policy::from_value(doc.clone()).unwrap();
        let b = Policy::from_value(with.clone()).unwrap();
        assert_eq!(a.fingerprint, b.fingerprint);
        let set = PolicySet::from_value(Value::Array(vec![with])).unwrap();
        assert_eq!(set.fingerprint, PolicySet::from_value(Value::Array(vec![doc])).unwrap().fingerprint);
    }

    #[test]
    fn fingerprint_ignores_key_order_and_white_space() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": [1, 2], "x": "s"}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":"s","y":[1,2]},"b":1}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(canonical_json(&a), r#"{"a":{"x":"s","y":[1,2]},"b":1}"#);
    }
}
