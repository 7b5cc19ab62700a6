//! Facts the merchant declares: the policy's `facts` section names facts of its own (a credit
//! score from its risk system, a region for on-site service) with their types and an optional
//! default; conditions test them like built-in facts, type-checked at load (see
//! [`crate::conditions::compile_declared`]); requests carry their values in a `facts` object.
//!
//! - A name is namespaced (`customer.`, `order.`, `item.`, `case.`, `request.`) and is none of
//!   the engine's own facts.
//! - A request's value of the wrong type, or for a fact the policy does not declare, is refused
//!   with its path (`facts.customer.credit_score`); a declared fact a section's conditions test,
//!   missing from the request and without a default, is refused likewise, never a silent false.

use crate::conditions::{day_number, Condition, DeclaredFact, FactDef, FactType, FactValue, Facts, Num};
use crate::error::{join_path, ErrorCode, PolicyError, Result};
use crate::problems::Problems;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most facts a policy may declare.
pub const MAX_FACTS: usize = 200;
/// The namespaces a declared fact's name starts with.
pub const NAMESPACES: &[&str] = &["customer.", "order.", "item.", "case.", "request."];

/// A declared fact: `{"type": "number", "default": 0}`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    #[serde(rename = "type")]
    pub ty: DeclaredType,
    /// The value when a request does not give one (of the fact's type); without it a request
    /// judged by a condition on the fact must give it.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<DefaultValue>"))]
    pub default: Option<Value>,
    /// Free text for people: what the fact means, where its value comes from.
    #[serde(default)]
    pub description: Option<String>,
}

/// A declared fact's default, as the schema describes it: a number, a string (a date too), a
/// boolean or a list of strings.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum DefaultValue {
    Number(f64),
    Text(String),
    Bool(bool),
    List(Vec<String>),
}

/// A declared fact's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclaredType {
    Number,
    String,
    Boolean,
    StringList,
    /// A calendar day, `YYYY-MM-DD`.
    Date,
}

impl DeclaredType {
    fn fact_type(self) -> FactType {
        match self {
            DeclaredType::Number => FactType::Number,
            DeclaredType::String => FactType::Text,
            DeclaredType::Boolean => FactType::Bool,
            DeclaredType::StringList => FactType::TextList,
            DeclaredType::Date => FactType::Date,
        }
    }
}

/// A value a request gives (or a default), read by its type.
#[derive(Debug, Clone, PartialEq)]
enum Stored {
    Text(String),
    Number(Num),
    Bool(bool),
    TextList(Vec<String>),
}

/// Reads `value` as a fact of type `ty` (a date as its day number).
fn read(ty: FactType, value: &Value) -> Option<Stored> {
    Some(match (ty, value) {
        (FactType::Text, Value::String(s)) => Stored::Text(s.clone()),
        (FactType::Number, Value::Number(n)) => {
            Stored::Number(n.as_i64().map_or_else(|| n.as_f64().map(Num::Float), |i| Some(Num::Int(i)))?)
        }
        (FactType::Bool, Value::Bool(b)) => Stored::Bool(*b),
        (FactType::TextList, Value::Array(items)) => {
            Stored::TextList(items.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<String>>>()?)
        }
        (FactType::Date, Value::String(s)) => Stored::Number(day_number(s)?),
        _ => return None,
    })
}

fn wrong_type(path: String, name: &str, ty: FactType) -> PolicyError {
    let example = match ty {
        FactType::Text => "a string",
        FactType::Number => "a number",
        FactType::Bool => "true or false",
        FactType::TextList => "a list of strings",
        FactType::Date => "a date, YYYY-MM-DD",
    };
    PolicyError::new(ErrorCode::InvalidField, path, format!("`{name}` is declared {}: give {example}", ty.name()))
}

/// The compiled `facts` section: each fact with its type and default.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    facts: Vec<DeclaredFact>,
    defaults: Vec<Option<Stored>>,
}

impl Declared {
    /// The facts, for the conditions.
    pub fn facts(&self) -> &[DeclaredFact] {
        &self.facts
    }

    /// The values of one request: `given` (its `facts` object, at `path`) read by type, every
    /// key declared; each of `tested` (declared facts the section's conditions test) given or
    /// defaulted.
    pub fn values(&self, given: &BTreeMap<String, Value>, tested: &[Arc<str>], path: &str) -> Result<Values> {
        let mut values = BTreeMap::new();
        for (name, value) in given {
            let here = join_path(path, name);
            let Some(i) = self.facts.iter().position(|f| &*f.name == name.as_str()) else {
                return Err(PolicyError::new(
                    ErrorCode::UnknownFact,
                    here,
                    format!("the policy declares no fact `{}`", crate::time::truncate(name, 64)),
                ));
            };
            let Some(fact) = self.facts.get(i) else { continue };
            let stored = read(fact.ty, value).ok_or_else(|| wrong_type(here.clone(), name, fact.ty))?;
            values.insert(fact.name.clone(), stored);
        }
        for (fact, default) in self.facts.iter().zip(&self.defaults) {
            if values.contains_key(&fact.name) {
                continue;
            }
            match default {
                Some(d) => {
                    values.insert(fact.name.clone(), d.clone());
                }
                None if tested.contains(&fact.name) => {
                    return Err(PolicyError::new(
                        ErrorCode::InvalidField,
                        join_path(path, &fact.name),
                        format!("the policy's conditions test `{}`, declared without a default: give it", fact.name),
                    ));
                }
                None => {}
            }
        }
        Ok(Values(values))
    }
}

/// One request's values of the declared facts.
#[derive(Debug, Clone, Default)]
pub struct Values(BTreeMap<Arc<str>, Stored>);

impl Values {
    /// The value of `name` (missing: not declared, or neither given nor defaulted).
    pub fn get(&self, name: &str) -> FactValue<'_> {
        match self.0.get(name) {
            Some(Stored::Text(s)) => FactValue::Text(s),
            Some(Stored::Number(n)) => FactValue::Number(*n),
            Some(Stored::Bool(b)) => FactValue::Bool(*b),
            Some(Stored::TextList(l)) => FactValue::TextList(l),
            None => FactValue::Missing,
        }
    }
}

/// An evaluator's facts, then the declared ones: a name the evaluator does not supply is looked
/// up in the request's values of the declared facts.
pub struct WithDeclared<'a> {
    pub facts: &'a dyn Facts,
    pub declared: &'a Values,
}

impl Facts for WithDeclared<'_> {
    fn fact(&self, name: &str) -> FactValue<'_> {
        match self.facts.fact(name) {
            FactValue::Missing => self.declared.get(name),
            value => value,
        }
    }
}

/// The declared facts `conditions` test, each once, in the order they are first tested.
pub fn tested<'c>(declared: &Declared, conditions: impl Iterator<Item = &'c Condition>) -> Vec<Arc<str>> {
    let mut tested: Vec<Arc<str>> = Vec::new();
    for when in conditions {
        when.each_fact(&mut |name| {
            if let Some(f) = declared.facts.iter().find(|f| &*f.name == name) {
                if !tested.contains(&f.name) {
                    tested.push(f.name.clone());
                }
            }
        });
    }
    tested
}

/// Compiles the `facts` section at `path`: each name namespaced, none of `builtin`'s (the
/// evaluators' own facts), each default of its type; every refusal noted in `problems`.
pub fn compile(
    spec: &BTreeMap<String, FactSpec>,
    builtin: &[&[FactDef]],
    path: &str,
    problems: &mut Problems,
) -> Declared {
    let mut declared = Declared::default();
    if spec.len() > MAX_FACTS {
        problems.push(PolicyError::new(ErrorCode::LimitExceeded, path, format!("more than {MAX_FACTS} facts")));
        return declared;
    }
    for (name, f) in spec {
        let here = join_path(path, name);
        let ty = f.ty.fact_type();
        let namespaced = NAMESPACES.iter().any(|ns| name.strip_prefix(ns).is_some_and(|rest| !rest.is_empty()));
        if problems.check(crate::order::check_text(name, &here)).is_none() {
            continue;
        }
        if !namespaced {
            problems.push(PolicyError::invalid(
                here,
                format!("a declared fact's name starts with one of {}", NAMESPACES.join(" ")),
            ));
            continue;
        }
        if builtin.iter().any(|table| table.iter().any(|d| d.name == name.as_str())) {
            problems.push(PolicyError::invalid(here, format!("`{name}` is one of the engine's own facts")));
            continue;
        }
        let default = match &f.default {
            Some(v) => match read(ty, v) {
                Some(s) => Some(s),
                None => {
                    problems.push(wrong_type(join_path(&here, "default"), name, ty));
                    continue;
                }
            },
            None => None,
        };
        declared.facts.push(DeclaredFact { name: name.as_str().into(), ty });
        declared.defaults.push(default);
    }
    declared
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conditions::compile_declared;
    use serde_json::json;

    fn declared(spec: Value) -> (Declared, Vec<PolicyError>) {
        let spec: BTreeMap<String, FactSpec> = serde_json::from_value(spec).unwrap();
        let mut problems = Problems::default();
        let d = compile(&spec, &[crate::conditions::tests_support::BUILTIN], "facts", &mut problems);
        (d, problems.into_errors())
    }

    struct Only<'a>(&'a Values);
    impl Facts for Only<'_> {
        fn fact(&self, name: &str) -> FactValue<'_> {
            self.0.get(name)
        }
    }

    #[test]
    fn a_date_fact_compares_as_a_day_and_a_list_fact_takes_contains() {
        let (d, errors) = declared(json!({
            "customer.member_since": {"type": "date"},
            "customer.segments": {"type": "string_list", "default": []},
        }));
        assert!(errors.is_empty());
        let when = compile_declared(
            &json!({"customer.member_since": {"lt": "2025-01-01"}, "customer.segments": {"contains": "b2b"}}),
            "w",
            &[],
            d.facts(),
        )
        .unwrap();
        let tested = [Arc::from("customer.member_since")];
        let given = |v: Value| serde_json::from_value::<BTreeMap<String, Value>>(v).unwrap();
        let old = d.values(
            &given(json!({"customer.member_since": "2024-12-31", "customer.segments": ["b2b"]})),
            &tested,
            "facts",
        );
        assert!(when.eval(&Only(&old.unwrap())));
        let new = d.values(
            &given(json!({"customer.member_since": "2025-01-01", "customer.segments": ["b2b"]})),
            &tested,
            "facts",
        );
        assert!(!when.eval(&Only(&new.unwrap())));
        let bad = d.values(&given(json!({"customer.member_since": "2025-02-30"})), &tested, "facts").unwrap_err();
        assert_eq!((bad.code, bad.path.as_str()), (ErrorCode::InvalidField, "facts.customer.member_since"));
        let missing = d.values(&given(json!({})), &tested, "facts").unwrap_err();
        assert_eq!(missing.path, "facts.customer.member_since");
        let e = compile_declared(&json!({"customer.member_since": {"gt": 20250101}}), "w", &[], d.facts()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidValue);
    }

    #[test]
    fn names_are_namespaced_and_not_built_in() {
        let (d, errors) = declared(json!({
            "score": {"type": "number"},
            "customer.tier": {"type": "string"},
            "customer.": {"type": "string"},
            "case.region": {"type": "string", "default": 3},
            "case.ok": {"type": "boolean", "default": false},
        }));
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["facts.case.region.default", "facts.customer.", "facts.customer.tier", "facts.score"]);
        assert_eq!(d.facts().len(), 1);
    }
}
