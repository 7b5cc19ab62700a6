//! The one error shape of the engine: a stable `code`, the JSON `path` of the culprit and a
//! message. Every refusal of a policy or a request is a [`PolicyError`]; nothing in the engine
//! panics on input.

use crate::json_path::{self, Refusal};
use serde::Serialize;
use std::fmt;

/// Stable error codes. They serialize to SCREAMING_SNAKE strings that never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The text is not JSON at all.
    InvalidJson,
    /// A field has the wrong type, is missing, or is not allowed here.
    InvalidField,
    /// A field is present but its value is out of range or inconsistent with another.
    InvalidValue,
    /// A condition names a fact the engine does not know.
    UnknownFact,
    /// A condition uses an operator the engine does not know.
    UnknownOperator,
    /// A time zone name is not in the IANA database.
    UnknownTimezone,
    /// A timestamp is not RFC 3339 with an offset.
    InvalidTimestamp,
    /// A reference (a line id, a calendar name, a part code) points to nothing.
    UnknownReference,
    /// Amounts in different currencies were combined.
    CurrencyMismatch,
    /// An amount left the exact integer range (2^53 - 1 minor units) or overflowed.
    AmountOutOfRange,
    /// The policy's `schema` is not one this engine reads.
    UnsupportedSchema,
    /// A size or depth limit was exceeded.
    LimitExceeded,
    /// A business calendar has no open time at all, so no deadline can be computed.
    CalendarNeverOpen,
    /// A request was judged against a policy other than the one the caller expected.
    PolicyMismatch,
    /// The evaluator called is not in this build (a build by capability, such as the storefront
    /// entry's, carries only some); `path` names the method.
    NotInThisBuild,
}

impl ErrorCode {
    /// The stable string form, e.g. `INVALID_FIELD`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "INVALID_JSON",
            ErrorCode::InvalidField => "INVALID_FIELD",
            ErrorCode::InvalidValue => "INVALID_VALUE",
            ErrorCode::UnknownFact => "UNKNOWN_FACT",
            ErrorCode::UnknownOperator => "UNKNOWN_OPERATOR",
            ErrorCode::UnknownTimezone => "UNKNOWN_TIMEZONE",
            ErrorCode::InvalidTimestamp => "INVALID_TIMESTAMP",
            ErrorCode::UnknownReference => "UNKNOWN_REFERENCE",
            ErrorCode::CurrencyMismatch => "CURRENCY_MISMATCH",
            ErrorCode::AmountOutOfRange => "AMOUNT_OUT_OF_RANGE",
            ErrorCode::UnsupportedSchema => "UNSUPPORTED_SCHEMA",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::CalendarNeverOpen => "CALENDAR_NEVER_OPEN",
            ErrorCode::PolicyMismatch => "POLICY_MISMATCH",
            ErrorCode::NotInThisBuild => "NOT_IN_THIS_BUILD",
        }
    }
}

/// A refused policy or request: what is wrong (`code`), where (`path`, a JSON path such as
/// `order.lines[2].quantity`; empty for the document itself) and a message in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyError {
    pub code: ErrorCode,
    pub path: String,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code.as_str(), self.message)
        } else {
            write!(f, "{} at {}: {}", self.code.as_str(), self.path, self.message)
        }
    }
}

impl PolicyError {
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyError { code, path: path.into(), message: message.into() }
    }

    /// Shorthand for the most common refusal: a value out of range at `path`.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidValue, path, message)
    }

    /// The same error, with its path placed under `prefix` (`order` + `lines[2]` → `order.lines[2]`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = join_path(prefix, &self.path);
        self
    }
}

/// Joins two JSON path pieces: `join_path("order", "lines[0]") == "order.lines[0]"`,
/// `join_path("items", "[0]") == "items[0]"`.
pub fn join_path(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else if rest.is_empty() {
        prefix.to_string()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

pub type Result<T, E = PolicyError> = std::result::Result<T, E>;

/// Parses JSON text into `T`, naming the path of the first bad field.
///
/// Every type is read by one deserializer only, serde_json's over text: a second one that tracks
/// paths would compile every `Deserialize` again (a third of the wasm). A refusal carries its
/// line and column instead, and the path is read back from the text there (`json_path`).
pub fn from_json_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| json_error(text, &e))
}

/// serde_json's refusal of `text` as a [`PolicyError`]: the code from the message, the path from
/// the position.
fn json_error(text: &str, e: &serde_json::Error) -> PolicyError {
    use serde_json::error::Category;
    let message = e.to_string();
    let code = classify(&message);
    let kind = match e.classify() {
        Category::Data => Refusal::Data,
        Category::Eof => Refusal::Eof,
        Category::Syntax | Category::Io => Refusal::Syntax,
    };
    let offset = json_path::byte_offset(text, e.line(), e.column());
    if code == ErrorCode::AmountOutOfRange && strip_position(&message) == NUMBER_OUT_OF_RANGE {
        if let Some(number) = json_path::number_before(text, offset) {
            return amount_beyond_an_f64(text, number);
        }
    }
    let spot = json_path::scan(text, offset);
    if kind == Refusal::Syntax && message.starts_with("trailing characters") && spot.at_top_level() {
        // A whole document and then more: serde_json's message keeps its position, as it always has.
        return PolicyError::new(code, "", message);
    }
    let mut path = json_path::path_at(text, &spot, kind, &message);
    // serde names a missing field in its message and the path is the parent's: name the field.
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        path = join_path(&path, field);
    }
    // A string with a lone surrogate escape is JSON by its grammar, but it is not Unicode text:
    // refused as text that is not UTF-8 is, as not JSON the engine reads.
    if message.starts_with("lone leading surrogate in hex escape")
        || message.starts_with("unexpected end of hex escape")
    {
        let escape = json_path::lone_surrogate_before(text, offset).map(|e| format!(" ({e})")).unwrap_or_default();
        return PolicyError::new(
            ErrorCode::InvalidJson,
            path,
            format!("a string holds a lone surrogate escape{escape}, which is not Unicode text"),
        );
    }
    // A key given twice is refused just after it is read the second time: the path is the key's.
    if let Some(field) = message.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next()) {
        return PolicyError::new(code, path, format!("`{field}` appears twice"));
    }
    PolicyError::new(code, path, strip_position(&message))
}

/// serde_json's words for a number beyond an f64's range (`1e400`).
pub(crate) const NUMBER_OUT_OF_RANGE: &str = "number out of range";

/// An amount beyond an f64 (`1e400`): serde_json's own refusal, tagged as an amount's by
/// `money::Minor` and placed where the container holding it stopped reading. It is named at the
/// number, in the words of any amount out of range, with the number as written.
fn amount_beyond_an_f64(text: &str, number: std::ops::Range<usize>) -> PolicyError {
    let path = json_path::path_at(text, &json_path::scan(text, number.end), Refusal::Data, "");
    let written = text.get(number).unwrap_or("the number");
    PolicyError::new(ErrorCode::AmountOutOfRange, path, beyond_exact_range(written))
}

/// How an amount out of range is refused (`money::Minor` and the case above): `v` is the number
/// as written.
pub(crate) fn beyond_exact_range(v: &str) -> String {
    format!("{v} is beyond ±9007199254740991 minor units, the exact range of a JavaScript number")
}

/// Reads a parsed JSON value into `T`: the value is printed and read back with serde_json's text
/// deserializer, the one every type is compiled for (see [`from_json_str`]).
///
/// The answers are those of reading the value itself, which differ in two places (an enum given
/// neither a string nor an object of one key, a struct given as a too long array): serde_json's
/// text deserializer calls them syntax errors; the value deserializer's words are kept (see
/// `value_refusal`).
pub fn from_value_text<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T> {
    let text = serde_json::to_string(value)
        .map_err(|e| PolicyError::new(ErrorCode::InvalidJson, "", format!("the document could not be printed: {e}")))?;
    serde_json::from_str(&text).map_err(|e| value_refusal(&text, value, &e).unwrap_or_else(|| json_error(&text, &e)))
}

/// serde_json's text deserializer refusing, as a syntax error, what its value deserializer
/// refuses as a value; `text` was printed from `value`, so it is well-formed and a syntax error
/// can only be one of these:
/// - `expected value`: an enum that is neither a string nor an object of one key;
/// - `trailing characters`: an array with more elements than a struct written as one has fields.
///
/// The answer is the value deserializer's words, at the enum's or the array's path.
fn value_refusal(text: &str, value: &serde_json::Value, e: &serde_json::Error) -> Option<PolicyError> {
    use serde::de::Error as _;
    use serde_json::Value;
    if e.classify() != serde_json::error::Category::Syntax {
        return None;
    }
    let message = e.to_string();
    let enum_refused = message.starts_with("expected value");
    if !enum_refused && !message.starts_with("trailing characters") {
        return None;
    }
    let (node, path) = json_path::refused_value(text, e.line(), e.column(), value, enum_refused)?;
    let message = match node {
        Value::Array(items) if !enum_refused => {
            serde_json::Error::invalid_length(items.len(), &"fewer elements in array").to_string()
        }
        _ if !enum_refused => return None,
        Value::Object(_) => {
            serde_json::Error::invalid_value(serde::de::Unexpected::Map, &"map with a single key").to_string()
        }
        other => serde_json::Error::invalid_type(unexpected(other), &"string or map").to_string(),
    };
    Some(PolicyError::new(classify(&message), path, message))
}

/// How serde_json's value deserializer names a value in a refusal.
fn unexpected(value: &serde_json::Value) -> serde::de::Unexpected<'_> {
    use serde::de::Unexpected;
    use serde_json::Value;
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A type whose derived `Deserialize` is an inherent `deserialize` (derived with
/// `#[serde(remote = "TheTypeItself")]`), called by its own `Deserialize` through [`in_place`].
pub(crate) trait Derived<'de>: Sized {
    fn derived<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error>;
}

/// Deserializes `T` from inside a visitor of serde_json's `deserialize_any`. An untagged enum
/// refuses a value only after reading all of it; refused there, serde_json places the error at
/// the value's end. Refused by the caller after the call returned, it would be placed wherever
/// the enclosing object or array stopped reading (past the next `,` in an array), and the path
/// read back from the text would name the wrong element.
pub(crate) fn in_place<'de, D: serde::Deserializer<'de>, T: Derived<'de>>(d: D) -> std::result::Result<T, D::Error> {
    d.deserialize_any(InPlace(std::marker::PhantomData))
}

struct InPlace<T>(std::marker::PhantomData<T>);

impl<'de, T: Derived<'de>> serde::de::Visitor<'de> for InPlace<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<T, E> {
        T::derived(serde::de::value::UnitDeserializer::new())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<T, E> {
        T::derived(serde::de::value::BoolDeserializer::new(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<T, E> {
        T::derived(serde::de::value::I64Deserializer::new(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<T, E> {
        T::derived(serde::de::value::U64Deserializer::new(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<T, E> {
        T::derived(serde::de::value::F64Deserializer::new(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<T, E> {
        T::derived(serde::de::value::StrDeserializer::new(v))
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> std::result::Result<T, E> {
        T::derived(serde::de::value::BorrowedStrDeserializer::new(v))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<T, E> {
        T::derived(serde::de::value::StringDeserializer::new(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> std::result::Result<T, A::Error> {
        T::derived(serde::de::value::SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<T, A::Error> {
        T::derived(serde::de::value::MapAccessDeserializer::new(map))
    }
}

/// Our own deserializers prefix their messages with a code in brackets (`[AMOUNT_OUT_OF_RANGE] …`);
/// serde's own messages are field or syntax errors.
fn classify(message: &str) -> ErrorCode {
    const TAGGED: [ErrorCode; 6] = [
        ErrorCode::AmountOutOfRange,
        ErrorCode::InvalidTimestamp,
        ErrorCode::UnknownTimezone,
        ErrorCode::InvalidValue,
        ErrorCode::LimitExceeded,
        ErrorCode::UnsupportedSchema,
    ];
    for code in TAGGED {
        if message.starts_with(&format!("[{}]", code.as_str())) {
            return code;
        }
    }
    if message.contains("EOF while parsing")
        || message.contains("expected value at")
        || message.contains("key must be a string")
        || message.contains("trailing characters")
        || message.contains("control character")
        || message.contains("invalid escape")
        || message.contains("recursion limit exceeded")
    {
        return if message.contains("recursion limit") { ErrorCode::LimitExceeded } else { ErrorCode::InvalidJson };
    }
    ErrorCode::InvalidField
}

/// Drops our `[CODE] ` tag and serde's ` at line 1 column 17` suffix: the path says where.
fn strip_position(message: &str) -> String {
    let mut m = message;
    if m.starts_with('[') {
        if let Some(end) = m.find("] ") {
            m = m.get(end + 2..).unwrap_or(m);
        }
    }
    match m.rfind(" at line ") {
        Some(i) => m.get(..i).unwrap_or(m).to_string(),
        None => m.to_string(),
    }
}

/// A serde error message carrying one of our codes, for custom deserializers.
pub fn tagged(code: ErrorCode, message: impl fmt::Display) -> String {
    format!("[{}] {}", code.as_str(), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Req {
        order: Order,
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Order {
        lines: Vec<Line>,
        #[serde(default)]
        holidays: Vec<crate::calendar::DateOrRange>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        id: String,
        quantity: crate::money::Count,
        #[serde(default)]
        at: Option<crate::time::Timestamp>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Refund,
        Exchange,
    }

    /// The code, path and message `from_json_str::<Req>` gives `text`.
    fn refusal(text: &str) -> (ErrorCode, String, String) {
        let e = from_json_str::<Req>(text).expect_err(text);
        (e.code, e.path, e.message)
    }

    fn path(text: &str) -> String {
        refusal(text).1
    }

    #[test]
    fn a_wrong_type_deep_inside_is_named() {
        let text = r#"{"order": {"lines": [{"id": "a", "quantity": 1}, {"id": "b", "quantity": "2"}]}}"#;
        assert_eq!(
            refusal(text),
            (
                ErrorCode::InvalidField,
                "order.lines[1].quantity".into(),
                "invalid type: string \"2\", expected an integer number of minor units".into()
            )
        );
        // An object or array where a number belongs is refused at its bracket.
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a", "quantity": [1]}]}}"#), "order.lines[0].quantity");
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a", "quantity": {"n": 1}}]}}"#), "order.lines[0].quantity");
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a", "quantity": 1}, [1]]}}"#), "order.lines[1][0]");
        assert_eq!(path(r#"{"order": {"lines": [[1]]}}"#), "order.lines[0][0]", "a struct written as an array");
        assert_eq!(path(r#"{"order": {"lines": {}}}"#), "order.lines");
        assert_eq!(path(r#"{"order": 5}"#), "order");
        assert_eq!(path(r#""order""#), "");
    }

    #[test]
    fn unknown_and_missing_and_repeated_fields() {
        assert_eq!(
            path(r#"{"order": {"lines": [{"id": "a", "quantity": 1, "colour": "red"}]}}"#),
            "order.lines[0].colour"
        );
        assert_eq!(path(r#"{"order": {"lines": []}, "zz": 1}"#), "zz");
        let (code, p, message) = refusal(r#"{"order": {"lines": [{"id": "a", "quantity": 1}, {"id": "b"}]}}"#);
        assert_eq!(
            (code, p.as_str(), message.as_str()),
            (ErrorCode::InvalidField, "order.lines[1].quantity", "missing field `quantity`")
        );
        assert_eq!(path(r#"{"note": "x"}"#), "order");
        assert_eq!(refusal("[]").2, "invalid length 0, expected struct Req with 3 elements");
        assert_eq!(path("[]"), "", "a struct written as an array, too short");
        // A key given twice is named where it is given the second time.
        assert_eq!(
            refusal(r#"{"order": {"lines": [], "lines": []}}"#),
            (ErrorCode::InvalidField, "order.lines".into(), "`lines` appears twice".into())
        );
        assert_eq!(
            refusal("{\"order\": {\"lines\": [{\"id\": \"a\", \"quantity\": 1,\n \"id\" : \"b\"}]}}"),
            (ErrorCode::InvalidField, "order.lines[0].id".into(), "`id` appears twice".into())
        );
        assert_eq!(
            path(r#"{"note": null, "order": {"lines": []}, "not\u0065": "x"}"#),
            "note",
            "written with an escape"
        );
    }

    #[test]
    fn our_own_refusals_are_placed_at_their_value() {
        // A visitor's refusal (a timestamp), the first and the last element, the last field.
        let (code, p, _) = refusal(r#"{"order": {"lines": [{"id": "a", "quantity": 1, "at": "2026-01-01"}]}}"#);
        assert_eq!((code, p.as_str()), (ErrorCode::InvalidTimestamp, "order.lines[0].at"));
        let text = "{\"order\": {\"lines\": [\r\n  {\"id\": \"a\", \"quantity\": -1},\r\n  {\"id\": \"b\", \"quantity\": 1}\r\n]}}";
        assert_eq!(refusal(text).0, ErrorCode::InvalidValue);
        assert_eq!(path(text), "order.lines[0].quantity");
        let text =
            "{\"order\": {\"lines\": [\n  {\"id\": \"a\", \"quantity\": 1},\n  {\"id\": \"b\", \"quantity\": -1}\n]}}";
        assert_eq!(path(text), "order.lines[1].quantity");
        let text = r#"{"note": "é✓😀", "order": {"lines": [{"id": "ü", "quantity": 9007199254740992}]}}"#;
        assert_eq!(refusal(text).0, ErrorCode::AmountOutOfRange);
        assert_eq!(path(text), "order.lines[0].quantity");
        // An untagged enum is refused once all of it is read, in its own element.
        let text = r#"{"order": {"lines": [], "holidays": ["2026-01-01", {"from": 1}, "x"]}}"#;
        let (_, p, message) = refusal(text);
        assert_eq!(
            (p.as_str(), message.as_str()),
            ("order.holidays[1]", "data did not match any variant of untagged enum DateOrRange")
        );
        assert_eq!(path(r#"{"order": {"lines": [], "holidays": [{"from": 1}]}}"#), "order.holidays[0]");
    }

    #[test]
    fn an_amount_beyond_an_f64_is_out_of_range_as_other_amounts_are() {
        let words =
            |n: &str| format!("{n} is beyond ±9007199254740991 minor units, the exact range of a JavaScript number");
        // The last field of its object, a field before another, after white space and lines.
        for (text, number) in [
            (r#"{"order": {"lines": [{"id": "a", "quantity": 1e400}]}}"#, "1e400"),
            (r#"{"order": {"lines": [{"quantity": -1e400, "id": "a"}]}}"#, "-1e400"),
            ("{\"order\": {\"lines\": [{\"id\": \"a\",\r\n \"quantity\": 1.5E+999 \n }]}}", "1.5E+999"),
        ] {
            assert_eq!(
                refusal(text),
                (ErrorCode::AmountOutOfRange, "order.lines[0].quantity".into(), words(number)),
                "{text}"
            );
        }
        // In an array of amounts, the first and a later one.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Amounts {
            a: Vec<crate::money::Minor>,
        }
        let e = from_json_str::<Amounts>(r#"{"a": [1e400, 2]}"#).unwrap_err();
        assert_eq!((e.code, e.path.as_str(), e.message), (ErrorCode::AmountOutOfRange, "a[0]", words("1e400")));
        let e = from_json_str::<Amounts>(r#"{"a": [1, 2e400]}"#).unwrap_err();
        assert_eq!((e.code, e.path.as_str(), e.message), (ErrorCode::AmountOutOfRange, "a[1]", words("2e400")));
        // Where no amount is read, serde_json's refusal stands.
        assert_eq!(
            refusal(r#"{"order": {"lines": [{"id": 1e400}]}}"#),
            (ErrorCode::InvalidField, "order.lines[0].id".into(), "number out of range".into())
        );
    }

    #[test]
    fn a_lone_surrogate_escape_is_not_json() {
        let words = |e: &str| format!("a string holds a lone surrogate escape ({e}), which is not Unicode text");
        for (text, escape) in [
            (r#"{"note": "\ud800", "order": {"lines": []}}"#, r"\ud800"),
            (r#"{"note": "a\uDC00b", "order": {"lines": []}}"#, r"\uDC00"),
            (r#"{"order": {"lines": [{"id": "\ud800\u0041", "quantity": 1}]}}"#, r"\ud800"),
        ] {
            let (code, path, message) = refusal(text);
            assert_eq!((code, message), (ErrorCode::InvalidJson, words(escape)), "{text}");
            assert!(path == "note" || path == "order.lines[0].id", "{text}: {path}");
        }
        // In a key: the key was not read.
        assert_eq!(
            refusal(r#"{"order": {"lines": [], "\ud800": 1}}"#),
            (ErrorCode::InvalidJson, "order.?".into(), words(r"\ud800"))
        );
        // A pair is one character.
        assert!(from_json_str::<Req>(r#"{"note": "\ud83d\ude00", "order": {"lines": []}}"#).is_ok());
    }

    #[test]
    fn enums() {
        assert_eq!(path(r#"{"order": {"lines": []}, "kind": "zzz"}"#), "kind");
        // serde_json's text deserializer calls an enum that is not a string a syntax error.
        assert_eq!(
            refusal(r#"{"order": {"lines": []}, "kind": 5}"#),
            (ErrorCode::InvalidJson, "kind".into(), "expected value".into())
        );
        assert_eq!(path(r#"{"kind": [1], "order": {"lines": []}}"#), "kind");
        assert_eq!(path(r#"{"kind": {"refund": null, "x": 1}}"#), "kind");
        assert_eq!(path(r#"{"kind": {"refund": 1}}"#), "kind.refund");
        // Read from a value, the words are the value deserializer's.
        let value = serde_json::json!({"order": {"lines": []}, "kind": 5});
        let e = from_value_text::<Req>(&value).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str(), e.message.as_str()),
            (ErrorCode::InvalidField, "kind", "invalid type: integer `5`, expected string or map")
        );
        for (kind, message) in [
            (serde_json::json!([1]), "invalid type: sequence, expected string or map"),
            (serde_json::json!(null), "invalid type: null, expected string or map"),
            (serde_json::json!({}), "invalid value: map, expected map with a single key"),
            (
                serde_json::json!({"exchange": null, "refund": null}),
                "invalid value: map, expected map with a single key",
            ),
        ] {
            let value = serde_json::json!({"order": {"lines": []}, "kind": [kind]});
            #[derive(Debug, Deserialize)]
            #[allow(dead_code)]
            struct Kinds {
                order: Order,
                kind: Vec<Kind>,
            }
            let e = from_value_text::<Kinds>(&value).unwrap_err();
            assert_eq!((e.code, e.path.as_str(), e.message.as_str()), (ErrorCode::InvalidField, "kind[0]", message));
        }
        // A struct written as an array with too many elements.
        let value = serde_json::json!({"order": {"lines": [["a", 1, null, 4]]}});
        let e = from_value_text::<Req>(&value).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            ("order.lines[0]", "invalid length 4, expected fewer elements in array")
        );
    }

    #[test]
    fn syntax_errors() {
        let (code, p, message) = refusal(r#"{"order": {"lines": []}} x"#);
        assert_eq!(
            (code, p.as_str(), message.as_str()),
            (ErrorCode::InvalidJson, "", "trailing characters at line 1 column 26")
        );
        assert_eq!(
            refusal(r#"{"order": {"lines": ["#),
            (ErrorCode::InvalidJson, "order.lines".into(), "EOF while parsing a list".into())
        );
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a", "quantity": 1},]}}"#), "order.lines");
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a", "quantity": 1} {"id": "b"}]}}"#), "order.lines");
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a", "quantity": 1"#), "order.lines[0].?");
        assert_eq!(path(r#"{"order": {"lines": [{"id" "a"}]}}"#), "order.lines[0]");
        assert_eq!(path(r#"{"order": {"lines": [{"id": tru}]}}"#), "order.lines[0].id");
        assert_eq!(path(r#"{"order": {"lines": [{"id": 01}]}}"#), "order.lines[0].id");
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a\x"}]}}"#), "order.lines[0].id");
        assert_eq!(path(r#"{"order": {"lines": [{"id": "a",}]}}"#), "order.lines[0].?");
        assert_eq!(path(r#"{"order": {"lines": [{"id": 1e999}]}}"#), "order.lines[0].id");
        assert_eq!(path(r#"{"order": {, "#), "order.?");
        assert_eq!(path(r#"{"order": }"#), "order");
        assert_eq!(path(""), "");
        let deep = format!(r#"{{"a": [{}]}}"#, r#"{"b": ["#.repeat(100));
        let e = from_json_str::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::LimitExceeded, "recursion limit exceeded"));
        assert_eq!(e.path, format!("a{}", "[0].b".repeat(63)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn reading_json_like_text_never_panics(text in "[\\[\\]{}:, \"\\\\a-z0-9.eE+\\-é😀\n\r\t]{0,80}") {
            let _ = from_json_str::<Req>(&text);
            let _ = from_json_str::<serde_json::Value>(&text);
        }
    }
}
