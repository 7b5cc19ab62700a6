//! The one error shape of the engine: a stable `code`, the JSON `path` of the culprit and a
//! message. Every refusal of a policy or a request is a [`PolicyError`]; nothing in the engine
//! panics on input.

use serde::Serialize;
use std::fmt;

/// Stable error codes. They serialize to SCREAMING_SNAKE strings that never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
        }
    }
}

/// A refused policy or request: what is wrong (`code`), where (`path`, a JSON path such as
/// `order.lines[2].quantity`; empty for the document itself) and a message in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
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

/// Parses JSON text into `T`, naming the path of the first bad field. Valid input takes the plain
/// serde_json path; only a refusal is parsed again with path tracking, to name the culprit.
pub fn from_json_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    if let Ok(value) = serde_json::from_str::<T>(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(path_error)?;
    de.end().map_err(|e| PolicyError::new(ErrorCode::InvalidJson, "", e.to_string()))?;
    Ok(value)
}

/// Deserializes an already parsed JSON value into `T`, naming the path of the first bad field.
pub fn from_json_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(path_error)
}

fn path_error<E: serde::de::Error + fmt::Display + 'static>(e: serde_path_to_error::Error<E>) -> PolicyError {
    let mut path = clean_path(&e.path().to_string());
    let inner = e.into_inner();
    let message = inner.to_string();
    // serde names a missing field in its message and puts the path on the parent: name the field.
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        path = join_path(&path, field);
    }
    let code = classify(&message);
    PolicyError::new(code, path, strip_position(&message))
}

/// serde_path_to_error writes `.` for the root; the engine writes the empty string.
fn clean_path(path: &str) -> String {
    if path == "." {
        String::new()
    } else {
        path.to_string()
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
