//! The one error shape of the engine: a stable `code`, the JSON `path` of the culprit and a
//! message. Every refusal of a policy or a request is a [`PolicyError`]; nothing in the engine
//! panics on input.

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
/// line and column instead, and the path is read back from the text there (`path_at`).
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
    let spot = scan(text, byte_offset(text, e.line(), e.column()));
    if kind == Refusal::Syntax && message.starts_with("trailing characters") && spot.frames.is_empty() {
        // A whole document and then more: serde_json's message keeps its position, as it always has.
        return PolicyError::new(code, "", message);
    }
    let mut path = path_at(text, &spot, kind, &message);
    // serde names a missing field in its message and the path is the parent's: name the field.
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        path = join_path(&path, field);
    }
    PolicyError::new(code, path, strip_position(&message))
}

/// What kind of refusal serde_json made: of a value (a wrong type, a missing field, one of our own
/// checks), of the JSON syntax, or of a text that ends too soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Data,
    Syntax,
    Eof,
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes into the line, from 0).
/// Line 0 means serde_json gave no position: the document itself.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let start = if line == 1 {
        0
    } else {
        text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    start.saturating_add(column).min(text.len())
}

/// Where the scanner is in the innermost open container (or at the top level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// After `{` or an object's `,`: a key comes next.
    KeyNext,
    /// Inside a key's string.
    InKey,
    /// A key was read; its `:` comes next.
    AfterKey,
    /// After `:`, `[` or an array's `,`: a value comes next.
    ValueNext,
    /// Inside a string, number, `true`, `false` or `null`.
    InValue,
    /// A value ended; `,` or the closing bracket comes next (at the top level: the end).
    AfterValue,
}

/// Why the scanner stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// It reached the offset (or the end of the text).
    Offset,
    /// This byte cannot come next: serde_json refused the text there.
    Invalid(u8),
}

/// The token being read: a string (and where in an escape), a number (which part), a keyword
/// (the bytes still to come).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Str { escape: Escape },
    Num(NumPart),
    Word(&'static [u8]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    /// Just after `\`.
    Start,
    /// In `\uXXXX`, this many hex digits still to come.
    Hex(u8),
}

/// The parts of a JSON number, as serde_json reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumPart {
    /// `-`: a digit must follow.
    Minus,
    /// A leading `0`: no digit may follow.
    Zero,
    Int,
    /// `.`: a digit must follow.
    Dot,
    Frac,
    /// `e`: a sign or a digit must follow.
    Exp,
    /// The exponent's sign: a digit must follow.
    ExpSign,
    ExpDigits,
}

impl NumPart {
    /// Whether a number may end here.
    fn complete(self) -> bool {
        matches!(self, NumPart::Zero | NumPart::Int | NumPart::Frac | NumPart::ExpDigits)
    }

    /// The part after `b`, or `None` when `b` does not continue the number.
    fn next(self, b: u8) -> Option<NumPart> {
        let digit = b.is_ascii_digit();
        match self {
            NumPart::Minus if b == b'0' => Some(NumPart::Zero),
            NumPart::Minus | NumPart::Int if digit => Some(NumPart::Int),
            NumPart::Zero | NumPart::Int if b == b'.' => Some(NumPart::Dot),
            NumPart::Zero | NumPart::Int | NumPart::Frac if b == b'e' || b == b'E' => Some(NumPart::Exp),
            NumPart::Dot | NumPart::Frac if digit => Some(NumPart::Frac),
            NumPart::Exp if b == b'+' || b == b'-' => Some(NumPart::ExpSign),
            NumPart::Exp | NumPart::ExpSign | NumPart::ExpDigits if digit => Some(NumPart::ExpDigits),
            _ => None,
        }
    }
}

/// An open object or array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Frame {
    array: bool,
    /// In an array: the element being read (incremented at each `,`).
    index: usize,
    /// In an array: whether an element has begun (`[]` is empty, `[1,]` has a trailing comma).
    begun: bool,
    /// In an object: the byte range of the last key's text, inside its quotes.
    key: Option<(usize, usize)>,
}

/// The state of the text at an offset: the open containers, outermost first, and the step in
/// the innermost.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spot {
    frames: Vec<Frame>,
    step: Step,
    stop: Stop,
    /// The byte at which the scanner stopped (not read), if any.
    next: Option<u8>,
    /// Whether the last token read was a closing `}` or `]`.
    closed: bool,
}

impl Spot {
    /// Whether the innermost container has just been opened: nothing read in it yet.
    fn fresh(&self) -> bool {
        match self.frames.last() {
            Some(f) if f.array => self.step == Step::ValueNext && !f.begun,
            Some(f) => self.step == Step::KeyNext && f.key.is_none(),
            None => false,
        }
    }
}

/// Reads `text` up to byte `offset` (or up to the first byte that is not JSON) and says where it
/// stands. Never panics: any text and any offset give a spot.
fn scan(text: &str, offset: usize) -> Spot {
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut step = Step::ValueNext;
    let mut token: Option<Token> = None;
    let mut key_start = 0;
    let mut closed = false;
    let mut pos = 0;
    let stop = loop {
        let Some(&b) = bytes.get(pos).filter(|_| pos < offset) else { break Stop::Offset };
        if let Some(t) = token {
            match t {
                Token::Str { escape } => {
                    token = match (escape, b) {
                        (Escape::None, b'"') => None,
                        (Escape::None, b'\\') => Some(Token::Str { escape: Escape::Start }),
                        (Escape::None, 0x00..=0x1f) => break Stop::Invalid(b),
                        (Escape::None, _) => Some(t),
                        (Escape::Start, b'u') => Some(Token::Str { escape: Escape::Hex(4) }),
                        (Escape::Start, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            Some(Token::Str { escape: Escape::None })
                        }
                        (Escape::Hex(n), _) if b.is_ascii_hexdigit() => {
                            Some(Token::Str { escape: if n > 1 { Escape::Hex(n - 1) } else { Escape::None } })
                        }
                        (Escape::Start | Escape::Hex(_), _) => break Stop::Invalid(b),
                    };
                    if token.is_none() {
                        if step == Step::InKey {
                            if let Some(top) = frames.last_mut() {
                                top.key = Some((key_start, pos));
                            }
                            step = Step::AfterKey;
                        } else {
                            step = Step::AfterValue;
                        }
                    }
                    pos += 1;
                    continue;
                }
                Token::Num(part) => match part.next(b) {
                    Some(next) => {
                        token = Some(Token::Num(next));
                        pos += 1;
                        continue;
                    }
                    // serde_json refuses `01` inside the number, not after it.
                    None if part.complete() && !(part == NumPart::Zero && b.is_ascii_digit()) => {
                        // The number ended before this byte, which is read again as what follows it.
                        token = None;
                        step = Step::AfterValue;
                    }
                    None => break Stop::Invalid(b),
                },
                Token::Word(rest) => match rest.split_first() {
                    Some((&expected, rest)) if expected == b => {
                        token = if rest.is_empty() { None } else { Some(Token::Word(rest)) };
                        if token.is_none() {
                            step = Step::AfterValue;
                        }
                        pos += 1;
                        continue;
                    }
                    _ => break Stop::Invalid(b),
                },
            }
        }
        if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            pos += 1;
            continue;
        }
        closed = matches!(b, b'}' | b']');
        let array = frames.last().map(|f| f.array);
        match (step, b) {
            (Step::ValueNext, _) => {
                if let Some(top) = frames.last_mut().filter(|f| f.array) {
                    if b == b']' {
                        if top.begun {
                            break Stop::Invalid(b);
                        }
                        frames.pop();
                        step = Step::AfterValue;
                        pos += 1;
                        continue;
                    }
                    top.begun = true;
                }
                match b {
                    b'{' => {
                        frames.push(Frame { array: false, index: 0, begun: false, key: None });
                        step = Step::KeyNext;
                    }
                    b'[' => {
                        frames.push(Frame { array: true, index: 0, begun: false, key: None });
                        step = Step::ValueNext;
                    }
                    b'"' => {
                        token = Some(Token::Str { escape: Escape::None });
                        step = Step::InValue;
                    }
                    b'-' => {
                        token = Some(Token::Num(NumPart::Minus));
                        step = Step::InValue;
                    }
                    b'0' => {
                        token = Some(Token::Num(NumPart::Zero));
                        step = Step::InValue;
                    }
                    b'1'..=b'9' => {
                        token = Some(Token::Num(NumPart::Int));
                        step = Step::InValue;
                    }
                    b't' | b'f' | b'n' => {
                        let rest: &'static [u8] = match b {
                            b't' => b"rue",
                            b'f' => b"alse",
                            _ => b"ull",
                        };
                        token = Some(Token::Word(rest));
                        step = Step::InValue;
                    }
                    _ => break Stop::Invalid(b),
                }
            }
            (Step::KeyNext, b'"') => {
                token = Some(Token::Str { escape: Escape::None });
                key_start = pos + 1;
                step = Step::InKey;
            }
            (Step::KeyNext, b'}') => {
                // Only an empty object closes here; after a `,` it is a trailing comma.
                if frames.last().is_some_and(|f| f.key.is_some()) {
                    break Stop::Invalid(b);
                }
                frames.pop();
                step = Step::AfterValue;
            }
            (Step::AfterKey, b':') => step = Step::ValueNext,
            (Step::AfterValue, b',') if array.is_some() => {
                if let Some(top) = frames.last_mut().filter(|f| f.array) {
                    top.index = top.index.saturating_add(1);
                    step = Step::ValueNext;
                } else {
                    step = Step::KeyNext;
                }
            }
            (Step::AfterValue, b'}') if array == Some(false) => {
                frames.pop();
            }
            (Step::AfterValue, b']') if array == Some(true) => {
                frames.pop();
            }
            _ => break Stop::Invalid(b),
        }
        pos += 1;
    };
    if let (Some(Token::Num(part)), Stop::Offset, None) = (token, stop, bytes.get(pos)) {
        if part.complete() {
            // The text ends with a number that may end there: serde_json has read it.
            step = Step::AfterValue;
        }
    }
    Spot { frames, step, stop, next: bytes.get(pos).copied(), closed }
}

/// One piece of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg {
    /// A key, as the byte range of its text inside the quotes.
    Key(usize, usize),
    Index(usize),
    /// A key that was not read (serde_path_to_error's `?`, kept for the same answers).
    Unknown,
}

/// The JSON path of the value serde_json was reading at `spot` when it refused the text.
fn path_at(text: &str, spot: &Spot, kind: Refusal, message: &str) -> String {
    let Some((top, outer)) = spot.frames.split_last() else {
        return String::new();
    };
    let seg_of = |f: &Frame| match (f.array, f.key) {
        (true, _) => Seg::Index(f.index),
        (false, Some((start, end))) => Seg::Key(start, end),
        (false, None) => Seg::Unknown,
    };
    let here = seg_of(top);
    let syntax = kind != Refusal::Data;
    // A syntax error stops at the byte that broke the grammar (`Invalid`) or at the end of the
    // text; one that the grammar allows (a number out of range, a bracket past the depth limit,
    // an enum that is neither a string nor an object) stops at the offset.
    let broke = kind == Refusal::Eof || matches!(spot.stop, Stop::Invalid(_));
    let last = match (top.array, spot.step) {
        // Refused at its opening bracket (`[` for an enum, the depth limit): the container itself.
        _ if syntax && !broke && spot.fresh() => None,
        (_, Step::InValue) => Some(here),
        // serde_json reads a key, or the `,` or `}` before one, with no key in hand.
        (false, Step::KeyNext | Step::InKey) => Some(Seg::Unknown),
        (false, Step::AfterValue) if syntax && broke => Some(Seg::Unknown),
        // An enum written as an object with a key after its variant's: the enum's fault.
        (false, Step::AfterValue)
            if syntax && !spot.closed && spot.next == Some(b',') && message.starts_with("expected value") =>
        {
            None
        }
        // A missing `:` is the object's fault; a key refused at its closing quote (a lone
        // surrogate escape) was not read as a key.
        (false, Step::AfterKey) if syntax && broke => None,
        (false, Step::AfterKey) if syntax => Some(Seg::Unknown),
        // A repeated key is refused by the struct, not at the key.
        (false, Step::AfterKey) if message.starts_with("duplicate field `") => None,
        // A key refused as an enum's variant (a map keyed by weekday) was not captured as a key.
        (false, Step::AfterKey) if message.starts_with("unknown variant `") => Some(Seg::Unknown),
        // The end of the text, a trailing comma or a missing `,` is the array's fault.
        (true, Step::ValueNext) if syntax && (kind == Refusal::Eof || spot.stop == Stop::Invalid(b']')) => None,
        (true, Step::AfterValue) if syntax && broke => None,
        _ => Some(here),
    };
    let mut path = String::new();
    for seg in outer.iter().map(seg_of).chain(last) {
        match seg {
            Seg::Index(i) => path.push_str(&format!("[{i}]")),
            Seg::Key(start, end) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key_text(text, start, end));
            }
            Seg::Unknown => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push('?');
            }
        }
    }
    path
}

/// A key's text, its escapes decoded.
fn key_text(text: &str, start: usize, end: usize) -> String {
    let raw = text.get(start..end).unwrap_or_default();
    if !raw.contains('\\') {
        return raw.to_string();
    }
    text.get(start.saturating_sub(1)..end.saturating_add(1))
        .and_then(|quoted| serde_json::from_str::<String>(quoted).ok())
        .unwrap_or_else(|| raw.to_string())
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
    let offset = byte_offset(text, e.line(), e.column());
    let spot = scan(text, offset);
    let n = spot.frames.len();
    // How many of the open containers lead to the refused value: all of them when it is a scalar
    // being read (or an object just closed), one fewer when it is the innermost container.
    let depth = if enum_refused {
        match spot.step {
            // A scalar, or `{}` just closed.
            Step::InValue => n,
            Step::AfterValue if spot.closed => n,
            // `{"variant": null, "other": …}`: the `,` after the variant.
            Step::AfterValue if spot.next == Some(b',') => n.checked_sub(1)?,
            _ if spot.fresh() => n.checked_sub(1)?,
            _ => return None,
        }
    } else {
        // Refused at the first byte of the element after the last field: the array is the
        // innermost container, or the one around the element just opened.
        match spot.step {
            Step::InValue => n.checked_sub(1)?,
            _ if spot.fresh() => n.checked_sub(2)?,
            _ => return None,
        }
    };
    let at = spot.frames.get(..depth)?;
    let mut node = value;
    for f in at {
        node = match (f.array, f.key) {
            (true, _) => node.get(f.index)?,
            (false, Some((start, end))) => node.get(key_text(text, start, end))?,
            (false, None) => return None,
        };
    }
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
    let spot = Spot { frames: at.to_vec(), step: Step::AfterValue, stop: Stop::Offset, next: None, closed: false };
    Some(PolicyError::new(classify(&message), path_at(text, &spot, Refusal::Data, ""), message))
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

    /// The path the scanner reads at `offset` for a refused value.
    fn value_path(text: &str, offset: usize) -> String {
        path_at(text, &scan(text, offset), Refusal::Data, "")
    }

    #[test]
    fn the_scanner_names_the_value_at_an_offset() {
        let text = r#"{"a": [1, 2, {"b": true}], "c": {"d": "x,]}"}}"#;
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(value_path(text, 0), "");
        assert_eq!(value_path(text, at(r#""a""#) + 3), "a", "just after the key");
        assert_eq!(value_path(text, at("[") + 1), "a[0]", "just after `[`");
        assert_eq!(value_path(text, at("1") + 1), "a[0]", "just after the first element");
        assert_eq!(value_path(text, at("1,") + 2), "a[1]", "just after a comma: the next element");
        assert_eq!(value_path(text, at("2,") + 3), "a[2]", "after a comma and a space");
        assert_eq!(value_path(text, at("true") + 4), "a[2].b");
        assert_eq!(value_path(text, at("true") + 5), "a[2]", "after the object's `}}`");
        assert_eq!(value_path(text, at("],") + 1), "a", "after the array's `]`");
        assert_eq!(value_path(text, at("x,]}") + 2), "c.d", "inside a string that holds brackets");
        assert_eq!(value_path(text, at("x,]}") + 5), "c.d", "after it");
        assert_eq!(value_path(text, text.len()), "", "after the document");
        assert_eq!(value_path(text, usize::MAX), "");
    }

    #[test]
    fn keys_are_decoded_and_strings_may_hold_anything() {
        let text = r#"{"a\"b": {"\u00e9\n": [0]}, "é✓😀 \\\"": 1}"#;
        assert_eq!(value_path(text, text.find("0]").unwrap() + 1), "a\"b.é\n[0]");
        assert_eq!(value_path(text, text.len() - 2), "é✓😀 \\\"");
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
        // serde refuses a repeated key for the struct, not at the key.
        assert_eq!(
            refusal(r#"{"order": {"lines": [], "lines": []}}"#),
            (ErrorCode::InvalidField, "order".into(), "duplicate field `lines`".into())
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

    #[test]
    fn byte_offsets_count_lines_and_bytes() {
        let text = "ab\ncdé\r\nf";
        assert_eq!(byte_offset(text, 0, 5), 0);
        assert_eq!(byte_offset(text, 1, 2), 2);
        assert_eq!(byte_offset(text, 2, 4), 7);
        assert_eq!(byte_offset(text, 3, 1), 10);
        assert_eq!(byte_offset(text, 9, 9), text.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_scanner_never_panics(text in any::<String>(), offset in any::<usize>()) {
            let spot = scan(&text, offset);
            for kind in [Refusal::Data, Refusal::Syntax, Refusal::Eof] {
                path_at(&text, &spot, kind, "expected value");
            }
        }

        #[test]
        fn nor_on_json_like_text(text in "[\\[\\]{}:, \"\\\\a-z0-9.eE+\\-é😀\n\r\t]{0,80}", offset in 0usize..90) {
            let spot = scan(&text, offset);
            for kind in [Refusal::Data, Refusal::Syntax, Refusal::Eof] {
                for message in ["expected value", "duplicate field `a`", "unknown variant `a`", "x"] {
                    path_at(&text, &spot, kind, message);
                }
            }
            let _ = from_json_str::<Req>(&text);
            let _ = from_json_str::<serde_json::Value>(&text);
        }
    }
}
