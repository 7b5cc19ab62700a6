//! The JSON path at a byte offset of a JSON text.
//!
//! serde_json refuses a text with a line and a column, not a path. [`scan`] reads the text up to
//! that position (containers, the last key of each object, the index of each array element) and
//! [`path_at`] names the value serde_json was reading there (`order.lines[2].quantity`), with the
//! conventions serde_path_to_error has (a key not read is `?`; a syntax error belongs to the
//! container that was reading). Nothing here is generic: one copy of this code serves every type
//! (see `crate::error::from_json_str`), and no text or offset makes it panic.
//!
//! `tests/json_path_oracle.rs` holds its paths to serde_path_to_error's on mutated requests.

/// What kind of refusal serde_json made: of a value (a wrong type, a missing field, one of our own
/// checks), of the JSON syntax, or of a text that ends too soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Data,
    Syntax,
    Eof,
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes into the line, from 0).
/// Line 0 means serde_json gave no position: the document itself.
pub(crate) fn byte_offset(text: &str, line: usize, column: usize) -> usize {
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
pub(crate) struct Spot {
    frames: Vec<Frame>,
    step: Step,
    stop: Stop,
    /// The byte at which the scanner stopped (not read), if any.
    next: Option<u8>,
    /// Whether the last token read was a closing `}` or `]`.
    closed: bool,
}

impl Spot {
    /// Whether no container is open: the spot is at the top level of the text.
    pub(crate) fn at_top_level(&self) -> bool {
        self.frames.is_empty()
    }

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
#[expect(clippy::too_many_lines, reason = "a tokenizer: one loop over the bytes, a match arm per JSON token")]
pub(crate) fn scan(text: &str, offset: usize) -> Spot {
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
pub(crate) fn path_at(text: &str, spot: &Spot, kind: Refusal, message: &str) -> String {
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

/// The byte range of the number that ends before byte `offset` of `text`, past white space and
/// at most one `,`, `}` or `]`: where serde_json places a refusal of the number made after it
/// was read (the container holding it closes first, and places the refusal there).
pub(crate) fn number_before(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let before = |i: usize| i.checked_sub(1).and_then(|j| bytes.get(j)).copied();
    let past_space = |mut i: usize| {
        while before(i).is_some_and(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) {
            i -= 1;
        }
        i
    };
    let mut end = past_space(offset.min(bytes.len()));
    if matches!(before(end), Some(b',' | b'}' | b']')) {
        end = past_space(end - 1);
    }
    let mut start = end;
    while before(start).is_some_and(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
        start -= 1;
    }
    (start < end).then_some(start..end)
}

/// The `\uXXXX` escape of a lone surrogate that serde_json refused at byte `offset` of `text`, as
/// written. serde_json refuses a trailing surrogate alone (`\udc00`) just after it; a leading one
/// (`\ud800`) once what follows is not a trailing one: just after the escape that follows
/// (`\ud800\u0041`), or one or two bytes after it (`\ud800"`, `\ud800\n`).
pub(crate) fn lone_surrogate_before(text: &str, offset: usize) -> Option<&str> {
    // The escape that ends at `end`, if it is one, and its value.
    let escape = |end: usize| -> Option<(&str, u16)> {
        let e = text.get(end.checked_sub(6)?..end)?;
        Some((e, u16::from_str_radix(e.strip_prefix("\\u")?, 16).ok()?))
    };
    let leading = |end: Option<usize>| end.and_then(escape).filter(|(_, n)| matches!(n, 0xD800..=0xDBFF));
    let found = match escape(offset) {
        Some((e, 0xDC00..=0xDFFF)) => Some((e, 0)),
        Some(_) => leading(offset.checked_sub(6)),
        None => leading(offset.checked_sub(1)).or_else(|| leading(offset.checked_sub(2))),
    };
    found.map(|(e, _)| e)
}

/// The value `text` was printed from (`value`) at the spot serde_json's text deserializer refused
/// at `line` and `column`, and its path, for the two refusals that only text gives (see
/// `crate::error::from_value_text`): an enum that is neither a string nor an object of one key
/// (`enum_refused`), and a struct written as an array longer than its fields.
pub(crate) fn refused_value<'v>(
    text: &str,
    line: usize,
    column: usize,
    value: &'v serde_json::Value,
    enum_refused: bool,
) -> Option<(&'v serde_json::Value, String)> {
    let offset = byte_offset(text, line, column);
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
    let spot = Spot { frames: at.to_vec(), step: Step::AfterValue, stop: Stop::Offset, next: None, closed: false };
    Some((node, path_at(text, &spot, Refusal::Data, "")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
    fn the_number_before_an_offset_is_found_past_its_container_s_end() {
        let text = "{\"a\": 1e400, \"b\": [-1.5E+400 ,\n 2], \"c\": {\"d\": 1e999 }}";
        let number = |offset: usize| number_before(text, offset).map(|r| &text[r]);
        let after = |s: &str| text.find(s).unwrap() + s.len();
        assert_eq!(number(after("1e400")), Some("1e400"));
        assert_eq!(number(after("1e400,")), Some("1e400"), "past the `,`");
        assert_eq!(number(after("1e400, ")), Some("1e400"), "past the `,` and the white space after it");
        assert_eq!(number(after("\"b\": ")), None, "a key and its `:` are not a number");
        assert_eq!(number(after("E+400 ,\n ")), Some("-1.5E+400"), "past a `,` and white space");
        assert_eq!(number(after("1e999 }")), Some("1e999"), "past the closing `}}`");
        assert_eq!(number(after("1e999 }}")), None, "past one bracket only");
        assert_eq!(number(after("[")), None);
        assert_eq!(number(0), None);
        assert_eq!(number(usize::MAX), None);
        assert_eq!(number_before("1e400", 5), Some(0..5));
    }

    #[test]
    fn the_lone_surrogate_serde_json_refused_is_found_as_written() {
        // Where serde_json refuses each (checked below): the escape as written.
        for (text, escape) in [
            (r#"["\udc00"]"#, r"\udc00"),
            (r#"["a\uDFFFb"]"#, r"\uDFFF"),
            (r#"["\ud800"]"#, r"\ud800"),
            (r#"["\uD800x"]"#, r"\uD800"),
            (r#"["\ud800\n"]"#, r"\ud800"),
            (r#"["\ud800\u0041"]"#, r"\ud800"),
            (r#"["\ud83d\ude00\ud800\ud800"]"#, r"\ud800"),
            (r#"["\\ud800\udc00"]"#, r"\udc00"),
        ] {
            let e = serde_json::from_str::<Vec<String>>(text).unwrap_err();
            let offset = byte_offset(text, e.line(), e.column());
            let found = lone_surrogate_before(text, offset).map(|e| e.as_ptr() as usize - text.as_ptr() as usize);
            assert_eq!(found.and_then(|at| text.get(at..at + 6)), Some(escape), "{text}: {e}");
        }
        assert_eq!(lone_surrogate_before(r#""\ud800""#, 0), None);
        assert_eq!(lone_surrogate_before(r#""\u0041""#, 7), None);
        assert_eq!(lone_surrogate_before("é", 1), None);
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
        }
    }
}
