//! The condition language of policy rules (`when`), compiled once at load and evaluated
//! against the facts of one request.
//!
//! ```json
//! {"all": [{"item.tags": {"contains": "clearance"}}, {"not": {"customer.tier": {"in": ["gold", "vip"]}}}]}
//! ```
//!
//! - `all` / `any` take a list of conditions, `not` takes one; an object with several facts
//!   (or a fact with several operators) means all of them.
//! - Operators: `eq`, `ne`, `in`, `not_in`, `gt`, `gte`, `lt`, `lte`, `contains`.
//! - Each evaluator (returns, SLA, warranty) publishes its fixed namespace of facts with their
//!   types; a fact or operator it does not know, or an operator that does not fit the fact's
//!   type, is a load-time error with its JSON path, never a silent `false`.
//! - A fact the request does not supply (a customer with no tier) equals nothing: `eq`, `in`,
//!   comparisons and `contains` are false, `ne` and `not_in` are true.
//! - Numbers compare exactly when both sides are integers.
//! - A policy may declare facts of its own (see [`DeclaredFact`]); a section compiled with
//!   [`compile_declared`] knows them beside its built-in ones, with the same type checks. A
//!   `date` fact compares as a day (`"2026-11-20"`): `eq`, `ne`, `in`, `not_in` and comparisons.

use crate::error::{join_path, ErrorCode, PolicyError, Result};
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

/// How deep `all` / `any` / `not` may nest.
pub const MAX_DEPTH: usize = 32;
/// How many values an `in` list, or an `all` / `any`, may hold.
pub const MAX_LIST: usize = 1000;

/// The type of a fact, checked against the operators used on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactType {
    Text,
    Number,
    Bool,
    TextList,
    /// A calendar day, written `YYYY-MM-DD` (only declared facts have this type).
    Date,
}

impl FactType {
    pub fn name(self) -> &'static str {
        match self {
            FactType::Text => "text",
            FactType::Number => "number",
            FactType::Bool => "boolean",
            FactType::TextList => "list of text",
            FactType::Date => "date",
        }
    }
}

/// One fact of an evaluator's namespace.
#[derive(Debug, Clone, Copy)]
pub struct FactDef {
    pub name: &'static str,
    pub ty: FactType,
    pub doc: &'static str,
}

/// A fact the policy declares (its `facts` section), known to the conditions of the sections
/// compiled with it beside their built-in facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredFact {
    pub name: Arc<str>,
    pub ty: FactType,
}

/// A `YYYY-MM-DD` day as the number a `date` fact compares by (days from 0001-01-01).
pub fn day_number(text: &str) -> Option<Num> {
    if text.len() != 10 {
        return None;
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(Num::Int(i64::from(chrono::Datelike::num_days_from_ce(&day))))
}

/// A number in a condition or a fact: exact when integral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn cmp(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    fn from_json(n: &serde_json::Number) -> Option<Num> {
        if let Some(i) = n.as_i64() {
            Some(Num::Int(i))
        } else {
            n.as_f64().map(Num::Float)
        }
    }
}

/// A fact's value in one request.
#[derive(Debug, Clone, Copy)]
pub enum FactValue<'a> {
    Text(&'a str),
    Number(Num),
    Bool(bool),
    TextList(&'a [String]),
    Missing,
}

/// What an evaluator supplies: the value of a fact of its namespace.
pub trait Facts {
    fn fact(&self, name: &str) -> FactValue<'_>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
}

impl Op {
    fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "in" => Op::In,
            "not_in" => Op::NotIn,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "contains" => Op::Contains,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Text(String),
    Number(Num),
    Bool(bool),
}

/// A compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test { fact: Cow<'static, str>, op: OpTest },
}

/// An operator with its operand, private so only [`compile`] can build one.
#[derive(Debug, Clone, PartialEq)]
pub struct OpTest {
    op: Op,
    values: Vec<Scalar>,
}

impl Condition {
    /// A condition that always holds (a rule with no `when`).
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }

    pub fn eval(&self, facts: &dyn Facts) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.eval(facts)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval(facts)),
            Condition::Not(c) => !c.eval(facts),
            Condition::Test { fact, op } => test(facts.fact(fact), op),
        }
    }

    /// Calls `f` with the name of every fact the condition tests (for the facts a request must give).
    pub fn each_fact(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.each_fact(f)),
            Condition::Not(c) => c.each_fact(f),
            Condition::Test { fact, .. } => f(fact),
        }
    }
}

/// What the policy lint asks of a compiled condition (it never evaluates one).
impl Condition {
    /// Whether the condition can hold only when one of the tests it needs passes `leaf` (every
    /// branch of an `any`, one part of an `all`; a `not` is never read).
    pub fn only_when(&self, leaf: &dyn Fn(&Condition) -> bool) -> bool {
        match self {
            Condition::All(cs) => cs.iter().any(|c| c.only_when(leaf)),
            Condition::Any(cs) => !cs.is_empty() && cs.iter().all(|c| c.only_when(leaf)),
            Condition::Not(_) => false,
            Condition::Test { .. } => leaf(self),
        }
    }

    /// Whether the condition can hold only for a list fact `fact` that contains one of `values`
    /// (a rule limited to items tagged `custom`, say).
    pub fn only_when_contains(&self, fact: &str, values: &[&str]) -> bool {
        self.only_when(&|c| c.is_contains(fact, values))
    }

    /// Whether this is a test that a list fact `fact` contains one of `values`.
    pub fn is_contains(&self, fact: &str, values: &[&str]) -> bool {
        matches!(self, Condition::Test { fact: f, op } if *f == fact
            && op.op == Op::Contains
            && matches!(op.values.first(), Some(Scalar::Text(t)) if values.contains(&t.as_str())))
    }

    /// Whether this is a test that passes only when the number fact `fact` is above `n` (`gt` a
    /// value at least `n`, `gte` one above it).
    pub fn is_above(&self, fact: &str, n: i64) -> bool {
        let Condition::Test { fact: f, op } = self else { return false };
        let Some(Scalar::Number(v)) = op.values.first() else { return false };
        *f == fact
            && match op.op {
                Op::Gt => v.cmp(Num::Int(n)).is_some_and(|o| o != Ordering::Less),
                Op::Gte => v.cmp(Num::Int(n)) == Some(Ordering::Greater),
                _ => false,
            }
    }

    /// Whether the condition can hold only when the text fact `fact` is other than `value` (a
    /// rule for defective returns only, asked about change of mind).
    pub fn only_when_not(&self, fact: &str, value: &str) -> bool {
        let is = |s: &Scalar| matches!(s, Scalar::Text(t) if t == value);
        match self {
            Condition::All(cs) => cs.iter().any(|c| c.only_when_not(fact, value)),
            Condition::Any(cs) => !cs.is_empty() && cs.iter().all(|c| c.only_when_not(fact, value)),
            Condition::Not(_) => false,
            Condition::Test { fact: f, op } => {
                *f == fact
                    && match op.op {
                        Op::Eq => op.values.first().is_some_and(|s| matches!(s, Scalar::Text(_)) && !is(s)),
                        Op::In => !op.values.iter().any(is),
                        Op::Ne => op.values.first().is_some_and(is),
                        _ => false,
                    }
            }
        }
    }
}

/// What an `all` asks of one fact, for [`Condition::never_holds`]: the values it may take (`eq`,
/// `in`; `None` for any), the values it may not (`ne`, `not_in`), and its numeric bounds.
#[derive(Default)]
struct Asked<'a> {
    allowed: Option<Vec<&'a Scalar>>,
    barred: Vec<&'a Scalar>,
    /// (bound, strict)
    lower: Vec<(Num, bool)>,
    upper: Vec<(Num, bool)>,
}

fn same(a: &Scalar, b: &Scalar) -> bool {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) => x.cmp(*y) == Some(Ordering::Equal),
        _ => a == b,
    }
}

impl<'a> Asked<'a> {
    fn add(&mut self, t: &'a OpTest) {
        let allow = |s: &mut Self, vals: Vec<&'a Scalar>| {
            s.allowed = Some(match s.allowed.take() {
                None => vals,
                Some(old) => old.into_iter().filter(|a| vals.iter().any(|b| same(a, b))).collect(),
            });
        };
        let num = t.values.first().and_then(|s| match s {
            Scalar::Number(n) => Some(*n),
            _ => None,
        });
        match (t.op, num) {
            (Op::Eq, _) => allow(self, t.values.iter().take(1).collect()),
            (Op::In, _) => allow(self, t.values.iter().collect()),
            (Op::Ne, _) => self.barred.extend(t.values.first()),
            (Op::NotIn, _) => self.barred.extend(t.values.iter()),
            (Op::Gt, Some(n)) => self.lower.push((n, true)),
            (Op::Gte, Some(n)) => self.lower.push((n, false)),
            (Op::Lt, Some(n)) => self.upper.push((n, true)),
            (Op::Lte, Some(n)) => self.upper.push((n, false)),
            _ => {}
        }
    }

    /// Whether no value passes every test.
    fn impossible(&self) -> bool {
        let fits = |v: &Scalar| match v {
            Scalar::Number(n) => {
                self.lower.iter().all(|(l, strict)| n.cmp(*l).is_some_and(|o| o.is_gt() || (!strict && o.is_eq())))
                    && self
                        .upper
                        .iter()
                        .all(|(u, strict)| n.cmp(*u).is_some_and(|o| o.is_lt() || (!strict && o.is_eq())))
            }
            _ => true,
        };
        if let Some(allowed) = &self.allowed {
            return !allowed.iter().any(|v| fits(v) && !self.barred.iter().any(|b| same(v, b)));
        }
        self.lower.iter().any(|(l, ls)| {
            self.upper.iter().any(|(u, us)| l.cmp(*u).is_some_and(|o| o.is_gt() || ((*ls || *us) && o.is_eq())))
        })
    }
}

impl Condition {
    /// Whether the condition can never hold, whatever the facts: an `all` whose tests on one fact
    /// contradict each other (`eq a` and `eq b`, `gte 10` and `lt 5`, `in [a]` and `ne a`), an
    /// `any` whose every branch never holds, an `in` of nothing. Sound, not complete: `not` is
    /// not read, and tests are compared only within one `all`.
    pub fn never_holds(&self) -> bool {
        match self {
            Condition::Any(cs) => cs.iter().all(Condition::never_holds),
            Condition::Not(_) => false,
            Condition::Test { op, .. } => op.op == Op::In && op.values.is_empty(),
            Condition::All(cs) => {
                if cs.iter().any(Condition::never_holds) {
                    return true;
                }
                let mut by_fact: std::collections::BTreeMap<&str, Asked> = std::collections::BTreeMap::new();
                tests_of(cs, &mut |fact, op| by_fact.entry(fact).or_default().add(op));
                by_fact.values().any(Asked::impossible)
            }
        }
    }
}

/// The tests an `all` needs, its nested `all`s' included.
fn tests_of<'a>(cs: &'a [Condition], visit: &mut dyn FnMut(&'a str, &'a OpTest)) {
    for c in cs {
        match c {
            Condition::Test { fact, op } => visit(fact, op),
            Condition::All(inner) => tests_of(inner, visit),
            _ => {}
        }
    }
}

fn scalar_eq(value: &FactValue<'_>, s: &Scalar) -> bool {
    match (value, s) {
        (FactValue::Text(a), Scalar::Text(b)) => *a == b,
        (FactValue::Number(a), Scalar::Number(b)) => a.cmp(*b) == Some(Ordering::Equal),
        (FactValue::Bool(a), Scalar::Bool(b)) => a == b,
        _ => false,
    }
}

fn test(value: FactValue<'_>, t: &OpTest) -> bool {
    let first = t.values.first();
    match t.op {
        Op::Eq => first.is_some_and(|s| scalar_eq(&value, s)),
        Op::Ne => !first.is_some_and(|s| scalar_eq(&value, s)),
        Op::In => t.values.iter().any(|s| scalar_eq(&value, s)),
        Op::NotIn => !t.values.iter().any(|s| scalar_eq(&value, s)),
        Op::Contains => match (value, first) {
            (FactValue::TextList(list), Some(Scalar::Text(s))) => list.iter().any(|x| x == s),
            (FactValue::Text(text), Some(Scalar::Text(s))) => text.contains(s.as_str()),
            _ => false,
        },
        Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
            let (FactValue::Number(a), Some(Scalar::Number(b))) = (value, first) else {
                return false;
            };
            match a.cmp(*b) {
                Some(ord) => match t.op {
                    Op::Gt => ord == Ordering::Greater,
                    Op::Gte => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    _ => ord != Ordering::Greater,
                },
                None => false,
            }
        }
    }
}

/// Compiles a `when` at `path` against an evaluator's namespace of facts.
pub fn compile(value: &Value, path: &str, facts: &'static [FactDef]) -> Result<Condition> {
    compile_at(value, path, Names { builtin: facts, declared: &[] }, 0)
}

/// Compiles a `when` at `path` against an evaluator's namespace of facts and the policy's
/// declared ones.
pub fn compile_declared(
    value: &Value,
    path: &str,
    facts: &'static [FactDef],
    declared: &[DeclaredFact],
) -> Result<Condition> {
    compile_at(value, path, Names { builtin: facts, declared }, 0)
}

/// The facts a condition may name: an evaluator's and the policy's.
#[derive(Clone, Copy)]
struct Names<'a> {
    builtin: &'static [FactDef],
    declared: &'a [DeclaredFact],
}

impl Names<'_> {
    fn find(&self, name: &str) -> Option<(Cow<'static, str>, FactType)> {
        if let Some(def) = self.builtin.iter().find(|f| f.name == name) {
            return Some((Cow::Borrowed(def.name), def.ty));
        }
        self.declared.iter().find(|f| &*f.name == name).map(|f| (Cow::Owned(f.name.to_string()), f.ty))
    }
}

fn compile_at(value: &Value, path: &str, facts: Names<'_>, depth: usize) -> Result<Condition> {
    if depth > MAX_DEPTH {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            path,
            format!("conditions nest deeper than {MAX_DEPTH} levels"),
        ));
    }
    let Value::Object(map) = value else {
        return Err(PolicyError::new(
            ErrorCode::InvalidField,
            path,
            "a condition is an object: {\"all\": […]}, {\"any\": […]}, {\"not\": …} or {\"fact\": {\"op\": value}}",
        ));
    };
    let mut parts = Vec::with_capacity(map.len());
    for (key, inner) in map {
        let here = join_path(path, key);
        match key.as_str() {
            "all" | "any" => {
                let Value::Array(items) = inner else {
                    return Err(PolicyError::new(
                        ErrorCode::InvalidField,
                        here,
                        format!("`{key}` takes a list of conditions"),
                    ));
                };
                if items.len() > MAX_LIST {
                    return Err(PolicyError::new(
                        ErrorCode::LimitExceeded,
                        here,
                        format!("more than {MAX_LIST} conditions"),
                    ));
                }
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(compile_at(item, &format!("{here}[{i}]"), facts, depth + 1)?);
                }
                parts.push(if key == "all" { Condition::All(list) } else { Condition::Any(list) });
            }
            "not" => parts.push(Condition::Not(Box::new(compile_at(inner, &here, facts, depth + 1)?))),
            fact_name => {
                let Some((name, ty)) = facts.find(fact_name) else {
                    let known: Vec<&str> =
                        facts.builtin.iter().map(|f| f.name).chain(facts.declared.iter().map(|f| &*f.name)).collect();
                    return Err(PolicyError::new(
                        ErrorCode::UnknownFact,
                        here,
                        format!(
                            "unknown fact `{}`; known facts: {}",
                            crate::time::truncate(fact_name, 64),
                            known.join(", ")
                        ),
                    ));
                };
                parts.extend(compile_tests(name, ty, inner, &here)?);
            }
        }
    }
    Ok(if parts.len() == 1 { parts.pop().unwrap_or_else(Condition::always) } else { Condition::All(parts) })
}

fn compile_tests(name: Cow<'static, str>, ty: FactType, ops: &Value, path: &str) -> Result<Vec<Condition>> {
    let def = Def { name: name.as_ref(), ty };
    let Value::Object(ops) = ops else {
        return Err(PolicyError::new(
            ErrorCode::InvalidField,
            path,
            format!("a fact takes an object of operators, e.g. {{\"{name}\": {{\"eq\": …}}}}"),
        ));
    };
    if ops.is_empty() {
        return Err(PolicyError::new(ErrorCode::InvalidField, path, "no operator given"));
    }
    let mut out = Vec::with_capacity(ops.len());
    for (op_name, operand) in ops {
        let here = join_path(path, op_name);
        let Some(op) = Op::parse(op_name) else {
            return Err(PolicyError::new(
                ErrorCode::UnknownOperator,
                here,
                format!(
                    "unknown operator `{}`; known: eq, ne, in, not_in, gt, gte, lt, lte, contains",
                    crate::time::truncate(op_name, 32)
                ),
            ));
        };
        let values = operand_values(&def, op, operand, &here)?;
        out.push(Condition::Test { fact: name.clone(), op: OpTest { op, values } });
    }
    Ok(out)
}

/// The fact a test is on, as [`operand_values`] checks its operand.
struct Def<'a> {
    name: &'a str,
    ty: FactType,
}

fn operand_values(def: &Def<'_>, op: Op, operand: &Value, path: &str) -> Result<Vec<Scalar>> {
    let mismatch = |what: &str| {
        PolicyError::new(ErrorCode::InvalidValue, path, format!("`{}` is {}; {what}", def.name, def.ty.name()))
    };
    match op {
        Op::In | Op::NotIn => {
            let Value::Array(items) = operand else {
                return Err(mismatch("`in` and `not_in` take a list"));
            };
            if items.len() > MAX_LIST {
                return Err(PolicyError::new(ErrorCode::LimitExceeded, path, format!("more than {MAX_LIST} values")));
            }
            if def.ty == FactType::TextList {
                return Err(mismatch("use `contains` on a list"));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    scalar(def.ty, v).ok_or_else(|| {
                        PolicyError::new(
                            ErrorCode::InvalidValue,
                            format!("{path}[{i}]"),
                            format!("`{}` is {}; this value is not", def.name, def.ty.name()),
                        )
                    })
                })
                .collect()
        }
        Op::Contains => match (def.ty, operand) {
            (FactType::TextList | FactType::Text, Value::String(s)) => Ok(vec![Scalar::Text(s.clone())]),
            _ => Err(mismatch("`contains` needs a text value on a text or list fact")),
        },
        Op::Gt | Op::Gte | Op::Lt | Op::Lte => match (def.ty, operand) {
            (FactType::Number, Value::Number(n)) => {
                Num::from_json(n).map(|n| vec![Scalar::Number(n)]).ok_or_else(|| mismatch("not a number"))
            }
            (FactType::Date, Value::String(s)) => {
                day_number(s).map(|n| vec![Scalar::Number(n)]).ok_or_else(|| mismatch("not a YYYY-MM-DD date"))
            }
            _ => Err(mismatch("comparisons need a number on a number fact (a day on a date fact)")),
        },
        Op::Eq | Op::Ne => {
            if def.ty == FactType::TextList {
                return Err(mismatch("use `contains` on a list"));
            }
            scalar(def.ty, operand).map(|s| vec![s]).ok_or_else(|| mismatch("the value is of another type"))
        }
    }
}

fn scalar(ty: FactType, v: &Value) -> Option<Scalar> {
    match (ty, v) {
        (FactType::Text, Value::String(s)) => Some(Scalar::Text(s.clone())),
        (FactType::Number, Value::Number(n)) => Num::from_json(n).map(Scalar::Number),
        (FactType::Bool, Value::Bool(b)) => Some(Scalar::Bool(*b)),
        (FactType::Date, Value::String(s)) => day_number(s).map(Scalar::Number),
        _ => None,
    }
}

/// A built-in table for other modules' tests.
#[cfg(test)]
pub mod tests_support {
    use super::{FactDef, FactType};
    pub static BUILTIN: &[FactDef] = &[FactDef { name: "customer.tier", ty: FactType::Text, doc: "" }];
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static FACTS: [FactDef; 3] = [
        FactDef { name: "item.tags", ty: FactType::TextList, doc: "" },
        FactDef { name: "customer.tier", ty: FactType::Text, doc: "" },
        FactDef { name: "customer.returns_last_90_days", ty: FactType::Number, doc: "" },
    ];

    struct F {
        tags: Vec<String>,
        tier: Option<&'static str>,
        returns: i64,
    }
    impl Facts for F {
        fn fact(&self, name: &str) -> FactValue<'_> {
            match name {
                "item.tags" => FactValue::TextList(&self.tags),
                "customer.tier" => self.tier.map_or(FactValue::Missing, FactValue::Text),
                "customer.returns_last_90_days" => FactValue::Number(Num::Int(self.returns)),
                _ => FactValue::Missing,
            }
        }
    }

    #[test]
    fn contradictions_are_found_and_never_hold() {
        let c = |v: serde_json::Value| compile(&v, "when", &FACTS).unwrap();
        let never = [
            json!({"all": [{"customer.tier": {"eq": "gold"}}, {"customer.tier": {"eq": "silver"}}]}),
            json!({"customer.returns_last_90_days": {"gte": 10, "lt": 5}}),
            json!({"customer.returns_last_90_days": {"gt": 5, "lte": 5}}),
            json!({"customer.returns_last_90_days": {"eq": 3, "gt": 4}}),
            json!({"all": [{"customer.tier": {"in": ["gold", "silver"]}}, {"customer.tier": {"not_in": ["gold", "silver"]}}]}),
            json!({"all": [{"customer.tier": {"in": ["gold"]}}, {"all": [{"customer.tier": {"ne": "gold"}}]}]}),
            json!({"any": [{"customer.tier": {"in": []}}, {"customer.tier": {"eq": "a", "ne": "a"}}]}),
        ];
        let maybe = [
            json!({"customer.returns_last_90_days": {"gte": 5, "lte": 5}}),
            json!({"customer.returns_last_90_days": {"gt": 4, "lt": 5}}),
            json!({"all": [{"customer.tier": {"ne": "gold"}}, {"customer.tier": {"ne": "silver"}}]}),
            json!({"all": [{"customer.tier": {"in": ["gold", "silver"]}}, {"customer.tier": {"ne": "gold"}}]}),
            json!({"any": [{"customer.tier": {"eq": "a", "ne": "a"}}, {"customer.tier": {"eq": "b"}}]}),
            json!({"not": {"customer.tier": {"in": []}}}),
        ];
        for v in &never {
            let cond = c(v.clone());
            assert!(cond.never_holds(), "{v}");
            for tier in [None, Some("gold"), Some("silver"), Some("a")] {
                for returns in -1..12 {
                    assert!(!cond.eval(&F { tags: vec![], tier, returns }), "{v} held");
                }
            }
        }
        for v in &maybe {
            assert!(!c(v.clone()).never_holds(), "{v}");
        }
    }

    #[test]
    fn above_a_number_is_read_from_the_test() {
        let c = |v: serde_json::Value| compile(&v, "when", &FACTS).unwrap();
        let n = "customer.returns_last_90_days";
        assert!(c(json!({n: {"gt": 7}})).is_above(n, 7));
        assert!(c(json!({n: {"gte": 8}})).is_above(n, 7));
        assert!(!c(json!({n: {"gte": 7}})).is_above(n, 7));
        assert!(!c(json!({n: {"lt": 9}})).is_above(n, 7));
        assert!(c(json!({"all": [{"customer.tier": {"eq": "gold"}}, {n: {"gt": 9}}]})).only_when(&|t| t.is_above(n, 7)));
    }

    #[test]
    fn evaluates_all_any_not() {
        let c = compile(
            &json!({"all": [{"item.tags": {"contains": "clearance"}}, {"not": {"customer.tier": {"in": ["gold"]}}}]}),
            "when",
            &FACTS,
        )
        .unwrap();
        assert!(c.eval(&F { tags: vec!["clearance".into()], tier: Some("silver"), returns: 0 }));
        assert!(!c.eval(&F { tags: vec!["clearance".into()], tier: Some("gold"), returns: 0 }));
        assert!(!c.eval(&F { tags: vec![], tier: None, returns: 0 }));
    }

    #[test]
    fn missing_facts_equal_nothing() {
        let ne = compile(&json!({"customer.tier": {"ne": "gold"}}), "w", &FACTS).unwrap();
        let eq = compile(&json!({"customer.tier": {"eq": "gold"}}), "w", &FACTS).unwrap();
        let f = F { tags: vec![], tier: None, returns: 0 };
        assert!(ne.eval(&f));
        assert!(!eq.eval(&f));
    }

    #[test]
    fn comparisons_are_inclusive_where_named() {
        let c = compile(&json!({"customer.returns_last_90_days": {"gte": 5}}), "w", &FACTS).unwrap();
        assert!(c.eval(&F { tags: vec![], tier: None, returns: 5 }));
        assert!(!c.eval(&F { tags: vec![], tier: None, returns: 4 }));
    }

    #[test]
    fn unknown_facts_and_operators_are_load_errors_with_paths() {
        let e =
            compile(&json!({"any": [{"item.colour": {"eq": "red"}}]}), "returns.rules[0].when", &FACTS).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownFact);
        assert_eq!(e.path, "returns.rules[0].when.any[0].item.colour");
        let e = compile(&json!({"customer.tier": {"like": "g%"}}), "w", &FACTS).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownOperator);
        assert_eq!(e.path, "w.customer.tier.like");
        let e = compile(&json!({"customer.tier": {"gt": 3}}), "w", &FACTS).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidValue);
    }

    #[test]
    fn nesting_is_bounded() {
        let mut v = json!({"customer.tier": {"eq": "gold"}});
        for _ in 0..40 {
            v = json!({"not": v});
        }
        assert_eq!(compile(&v, "w", &FACTS).unwrap_err().code, ErrorCode::LimitExceeded);
    }
}
