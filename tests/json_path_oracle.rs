//! The engine names a refused field from serde_json's position (`src/json_path.rs`, one deserializer
//! per type); serde_path_to_error names it by wrapping the deserializer (a second copy of every
//! type's code, which the wasm does not carry). Here serde_path_to_error is the oracle: on requests
//! made from the vectors' valid requests by random mutations, whenever it reports a path, the
//! engine's is the same, and so is the message, except where `expected` below says otherwise.
//!
//! Mutations: a value of the wrong type, an unknown field, a missing field, numbers out of range
//! (beyond 2^53, beyond u64, beyond an f64, fractions, negative), bad timestamps, unknown enum
//! strings, lone surrogate escapes, a key given twice, a key written with escapes, broken syntax
//! in place of a value, a text cut short, a byte inserted or deleted; printed compact or pretty,
//! with `\n` or `\r\n`. The case count is `PROPTEST_CASES` (default 1,000, as `make test` runs it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

// The request types, by their public paths (the one place to change if they move).
use aftersales::calendar_query::CalendarRequest;
use aftersales::error::{from_json_str, PolicyError};
use aftersales::exchange::ExchangeRequest;
use aftersales::refund::RefundRequest;
use aftersales::returns::ReturnRequest;
use aftersales::sla::Case;
use aftersales::warranty::Claim;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::OnceLock;

/// The request types, and the vector calls whose requests are of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Return,
    Refund,
    Exchange,
    Warranty,
    Sla,
    Calendar,
}

impl Kind {
    fn of_call(call: &str) -> Option<(Kind, bool)> {
        Some(match call {
            "check_return" => (Kind::Return, false),
            "check_returns" => (Kind::Return, true),
            "quote_refund" => (Kind::Refund, false),
            "quote_refunds" => (Kind::Refund, true),
            "check_exchange" => (Kind::Exchange, false),
            "check_exchanges" => (Kind::Exchange, true),
            "check_warranty" => (Kind::Warranty, false),
            "check_warranties" => (Kind::Warranty, true),
            "sla_deadlines" => (Kind::Sla, false),
            "sla_deadlines_many" => (Kind::Sla, true),
            "calendar" => (Kind::Calendar, false),
            _ => return None,
        })
    }

    /// The engine's answer and the oracle's for `text`, read as this kind's type.
    fn both(self, text: &str) -> (Result<(), PolicyError>, Oracle) {
        match self {
            Kind::Return => both::<ReturnRequest>(text),
            Kind::Refund => both::<RefundRequest>(text),
            Kind::Exchange => both::<ExchangeRequest>(text),
            Kind::Warranty => both::<Claim>(text),
            Kind::Sla => both::<Case>(text),
            Kind::Calendar => both::<CalendarRequest>(text),
        }
    }
}

/// serde_path_to_error's answer: read, refused with a path and serde's message, or read but
/// followed by more text (refused by `end()`, with no path).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Oracle {
    Read,
    /// `offset`: the byte serde_json's line and column point at.
    Refused {
        path: String,
        message: String,
        offset: usize,
    },
    Trailing {
        message: String,
    },
}

fn both<T: DeserializeOwned>(text: &str) -> (Result<(), PolicyError>, Oracle) {
    let engine = from_json_str::<T>(text).map(|_| ());
    let mut de = serde_json::Deserializer::from_str(text);
    let oracle = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => match de.end() {
            Ok(()) => Oracle::Read,
            Err(e) => Oracle::Trailing { message: e.to_string() },
        },
        Err(e) => Oracle::Refused {
            path: e.path().to_string(),
            message: e.inner().to_string(),
            offset: byte_offset(text, e.inner().line(), e.inner().column()),
        },
    };
    (engine, oracle)
}

/// The engine's path and message for the oracle's refusal of `text`: the same path, and serde's
/// message less its position (` at line 1 column 9`) and our own deserializers' `[CODE] ` tag,
/// except where the engine is meant to differ (only these):
/// - the document itself: serde_path_to_error writes `.`, the engine ``;
/// - `missing field `x``: serde_path_to_error names the struct, the engine the field (`….x`);
/// - `duplicate field `x``: serde_path_to_error names the struct, the engine the field (`….x`),
///   in its own words (`` `x` appears twice ``);
/// - a key that cannot be read, in an enum written as an object (`"type": {1: 2}`,
///   `"type": {"no_such_variant": 1}`, `"type": {"\ud800": 1}`): serde_path_to_error names the
///   enum (`type`), the engine adds `?` for the key (`type.?`), as both do for a key that cannot
///   be read in any other object (`order.?`);
/// - a string with a lone surrogate escape (serde_json's `lone leading surrogate in hex escape`,
///   `unexpected end of hex escape`): the engine's words, naming the escape as written;
/// - more text after the document (`trailing characters`, refused by `end()`): no path, serde's
///   message as is;
/// - an amount beyond an f64 (`1e400`, serde_json's `number out of range`, tagged
///   `[AMOUNT_OUT_OF_RANGE]` where an amount is read): the engine's words for any amount out of
///   range, with the number as written.
fn expected(text: &str, oracle: &Oracle) -> Option<(String, String)> {
    let (path, message, offset) = match oracle {
        Oracle::Read => return None,
        Oracle::Trailing { message } => return Some((String::new(), message.clone())),
        Oracle::Refused { path, message, offset } => (path, message, *offset),
    };
    let path = if path == "." { String::new() } else { path.clone() };
    if message.starts_with("[AMOUNT_OUT_OF_RANGE] number out of range") {
        let number = number_before(text, offset);
        let words = format!("{number} is beyond ±9007199254740991 minor units, the exact range of a JavaScript number");
        return Some((path, words));
    }
    let message = untagged(strip_position(message)).to_string();
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        return Some((join(&path, field), message));
    }
    if let Some(field) = message.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next()) {
        return Some((join(&path, field), format!("`{field}` appears twice")));
    }
    let lone_surrogate = message == "lone leading surrogate in hex escape" || message == "unexpected end of hex escape";
    let key_not_read = !path.ends_with('?')
        && (message.starts_with("key must be a string")
            || ((message.starts_with("unknown variant `") || lone_surrogate) && in_first_key(text, offset)));
    let path = if key_not_read { join(&path, "?") } else { path };
    if lone_surrogate {
        let escape = last_lone_surrogate(&text[..offset]);
        return Some((path, format!("a string holds a lone surrogate escape ({escape}), which is not Unicode text")));
    }
    Some((path, message))
}

/// Whether byte `offset` is inside the first key of an object (`{"a`), or just after it (`{"a"`).
fn in_first_key(text: &str, offset: usize) -> bool {
    let bytes = &text.as_bytes()[..offset];
    let (mut in_string, mut first_key, mut closed_at) = (false, false, None);
    let mut last = 0u8; // the last byte outside strings and white space
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
                closed_at = Some((i + 1, first_key));
                last = b'"';
            }
        } else if b == b'"' {
            in_string = true;
            first_key = last == b'{';
        } else if !b.is_ascii_whitespace() {
            last = b;
        }
        i += 1;
    }
    if in_string {
        return first_key;
    }
    closed_at.is_some_and(|(at, first)| at == offset && first)
}

/// The number written before `offset`, past white space and at most one `,`, `}` or `]` (the
/// refusal is placed where the container that holds the number stopped reading).
fn number_before(text: &str, offset: usize) -> &str {
    let head = text[..offset].trim_end();
    let head = head.strip_suffix([',', '}', ']']).unwrap_or(head).trim_end();
    let digits = head.bytes().rev().take_while(|b| b"0123456789+-.eE".contains(b)).count();
    &head[head.len() - digits..]
}

/// The last `\uXXXX` escape in `head` found to be a lone surrogate: a trailing surrogate with no
/// leading one just before it, or a leading one followed by anything but a trailing one.
fn last_lone_surrogate(head: &str) -> &str {
    let bytes = head.as_bytes();
    let mut lone = "";
    let mut pending: Option<&str> = None;
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        match (in_string, bytes[i]) {
            (false, b'"') => in_string = true,
            (false, _) => {}
            (true, b'\\') if bytes.get(i + 1) == Some(&b'u') => {
                let escape = head.get(i..i + 6).and_then(|e| Some((e, u16::from_str_radix(e.get(2..)?, 16).ok()?)));
                if let Some((e, n)) = escape {
                    match (pending.take(), n) {
                        (Some(_), 0xDC00..=0xDFFF) => {}
                        (Some(p), _) => {
                            lone = p;
                            if (0xD800..=0xDBFF).contains(&n) {
                                pending = Some(e);
                            }
                        }
                        (None, 0xD800..=0xDBFF) => pending = Some(e),
                        (None, 0xDC00..=0xDFFF) => lone = e,
                        (None, _) => {}
                    }
                    i += 6;
                    continue;
                }
                if let Some(p) = pending.take() {
                    lone = p;
                }
                i += 2;
                continue;
            }
            (true, c) => {
                if let Some(p) = pending.take() {
                    lone = p;
                }
                if c == b'\\' {
                    i += 1;
                } else if c == b'"' {
                    in_string = false;
                }
            }
        }
        i += 1;
    }
    lone
}

/// The byte offset of serde_json's line (from 1) and column (bytes into the line).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column).min(text.len())
}

fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |i| &message[..i])
}

fn untagged(message: &str) -> &str {
    match message.strip_prefix('[').and_then(|m| m.find("] ").map(|i| &m[i + 2..])) {
        Some(rest) => rest,
        None => message,
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// Compares the engine with the oracle on `text`; `Err` says how they differ.
fn agree(kind: Kind, text: &str) -> Result<(), String> {
    let (engine, oracle) = kind.both(text);
    let want = expected(text, &oracle);
    let got = engine.as_ref().err().map(|e| (e.path.clone(), e.message.clone()));
    if want == got {
        return Ok(());
    }
    Err(format!(
        "{kind:?} text: {text}\n  oracle: {oracle:?}\n  expected: {want:?}\n  engine: {:?}",
        engine.as_ref().err().map(|e| (e.code, &e.path, &e.message))
    ))
}

/// The valid requests of the vectors, each with its kind: the cases' requests (base and patch
/// merged), each element of a batch on its own; those its type refuses are left out.
fn seeds() -> &'static [(Kind, Value)] {
    static SEEDS: OnceLock<Vec<(Kind, Value)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = Vec::new();
        for file in common::vector_files() {
            for case in common::cases(&file) {
                let Some((kind, batch)) = Kind::of_call(&case.call) else { continue };
                let requests = match (&case.request, batch) {
                    (Value::Array(items), true) => items.clone(),
                    (_, true) => continue,
                    (request, false) => vec![request.clone()],
                };
                for request in requests {
                    let text = request.to_string();
                    if kind.both(&text) == (Ok(()), Oracle::Read) && !seeds.contains(&(kind, request.clone())) {
                        seeds.push((kind, request));
                    }
                }
            }
        }
        for kind in [Kind::Return, Kind::Refund, Kind::Exchange, Kind::Warranty, Kind::Sla, Kind::Calendar] {
            assert!(seeds.iter().any(|(k, _)| *k == kind), "no valid {kind:?} request in the vectors");
        }
        seeds
    })
}

/// A step from a JSON value to one inside it.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every node of `value` (the root first), as the steps that lead to it.
fn nodes(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(at.clone());
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    at.push(Step::Key(k.clone()));
                    walk(v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    walk(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'a>(value: &'a mut Value, steps: &[Step]) -> &'a mut Value {
    steps.iter().fold(value, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// One mutation: what to do, which node (`pick`, modulo the candidates) and which variant of it
/// (`alt`, modulo the choices).
#[derive(Debug, Clone, Copy)]
struct Mutation {
    what: u8,
    pick: u32,
    alt: u32,
}

/// Text put in place of a placeholder string after printing: raw JSON (or broken JSON) that a
/// `Value` cannot hold.
struct Raw {
    inserts: Vec<(String, String)>,
}

impl Raw {
    /// A placeholder string to put in the value; `text` replaces it, quotes and all, once printed.
    fn put(&mut self, text: impl Into<String>) -> String {
        let mark = format!("@@raw{}@@", self.inserts.len());
        self.inserts.push((format!("\"{mark}\""), text.into()));
        mark
    }
}

const WRONG_TYPES: &[&str] = &["\"x\"", "1", "1.5", "-1", "true", "null", "[]", "{}", "[1]", "{\"a\": 1}", "\"\""];
const NUMBERS: &[&str] = &[
    "9007199254740992",
    "-9007199254740992",
    "9007199254740991",
    "18446744073709551616",
    "-9223372036854775809",
    "1e400",
    "-1e400",
    "1.5e400",
    "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    "1e20",
    "1e-400",
    "1.5",
    "-1",
    "0",
    "-0",
    "4294967296",
    "1E2",
];
const TIMESTAMPS: &[&str] = &[
    "2026-13-01T00:00:00+08:00",
    "2026-11-01",
    "2026-11-01T10:00:00",
    "2026-02-30T10:00:00Z",
    "yesterday",
    "",
    "2026-11-01T25:00:00+08:00",
    "2026-11-01T10:00:00+99:00",
    "10000-01-01T00:00:00Z",
];
const STRINGS: &[&str] = &[
    "\"zzz\"",
    "\"\"",
    "\"\\ud800\"",
    "\"\\uDBFF\"",
    "\"a\\udc00\"",
    "\"\\ud800x\"",
    "\"\\ud800\\n\"",
    "\"\\ud800\\u0041\"",
    "\"\\ud800\\ud800\"",
    "\"\\ud83d\\ude00\"",
    "\"\\x\"",
    "\"a\tb\"",
    "\"\\u00e9\"",
    "\"\\u12\"",
];
const SYNTAX: &[&str] = &[
    "01",
    "tru",
    "1.",
    "-",
    "[1,]",
    "{\"a\" 1}",
    "{,}",
    "[1 2]",
    "{\"a\":1,}",
    "nul",
    ".5",
    "+1",
    "{1:2}",
    "[",
    "{",
    "]",
    "}",
    "\"a\" \"b\"",
    "1e",
    "1e+",
    "[[]",
    "{\"a\":}",
    "{\"a\"}",
    ":",
    ",",
    "\"\\\"",
];

/// `seed` with `mutations` applied, printed (compact or pretty, `\n` or `\r\n`).
#[expect(clippy::too_many_lines, reason = "one independent arm per kind of mutation")]
fn mutate(seed: &Value, mutations: &[Mutation], pretty: bool, crlf: bool) -> String {
    let mut value = seed.clone();
    let mut raw = Raw { inserts: Vec::new() };
    // Text edits come after printing, in order.
    let mut text_edits: Vec<Mutation> = Vec::new();
    for m in mutations {
        let all = nodes(&value);
        let pick = |candidates: &[&Vec<Step>]| -> Option<Vec<Step>> {
            (!candidates.is_empty()).then(|| candidates[m.pick as usize % candidates.len()].clone())
        };
        let alt = m.alt as usize;
        let objects: Vec<&Vec<Step>> =
            all.iter().filter(|s| value_at(&value, s).as_object().is_some_and(|o| !o.is_empty())).collect();
        match m.what % 13 {
            0 => {
                if let Some(at) = pick(&all.iter().collect::<Vec<_>>()) {
                    *node_mut(&mut value, &at) = serde_json::from_str(WRONG_TYPES[alt % WRONG_TYPES.len()]).unwrap();
                }
            }
            1 => {
                let objects: Vec<&Vec<Step>> = all.iter().filter(|s| value_at(&value, s).is_object()).collect();
                if let Some(at) = pick(&objects) {
                    let name = ["zz_unknown", "colour", "Now", "now ", ""][alt % 5];
                    node_mut(&mut value, &at)[name] = Value::from(1);
                }
            }
            2 => {
                if let Some(at) = pick(&objects) {
                    let map = node_mut(&mut value, &at).as_object_mut().unwrap();
                    let key = map.keys().nth(alt % map.len()).unwrap().clone();
                    map.remove(&key);
                }
            }
            3 => {
                let numbers: Vec<&Vec<Step>> = all.iter().filter(|s| value_at(&value, s).is_number()).collect();
                let numbers = if numbers.is_empty() { all.iter().collect() } else { numbers };
                if let Some(at) = pick(&numbers) {
                    *node_mut(&mut value, &at) = Value::String(raw.put(NUMBERS[alt % NUMBERS.len()]));
                }
            }
            4 => {
                let stamps: Vec<&Vec<Step>> = all
                    .iter()
                    .filter(|s| value_at(&value, s).as_str().is_some_and(|t| t.len() >= 10 && t.contains('-')))
                    .collect();
                if let Some(at) = pick(&stamps) {
                    *node_mut(&mut value, &at) = Value::from(TIMESTAMPS[alt % TIMESTAMPS.len()]);
                }
            }
            5 => {
                let strings: Vec<&Vec<Step>> = all.iter().filter(|s| value_at(&value, s).is_string()).collect();
                if let Some(at) = pick(&strings) {
                    *node_mut(&mut value, &at) = Value::String(raw.put(STRINGS[alt % STRINGS.len()]));
                }
            }
            6 => {
                // A key given twice: the copy, under a placeholder key that becomes the same key.
                if let Some(at) = pick(&objects) {
                    let map = node_mut(&mut value, &at).as_object_mut().unwrap();
                    let key = map.keys().nth(alt % map.len()).unwrap().clone();
                    let copy = if alt % 2 == 0 { map[&key].clone() } else { Value::from(0) };
                    let mark = raw.put(serde_json::to_string(&key).unwrap());
                    map.insert(mark, copy);
                }
            }
            7 => {
                // A key written with escapes (`"n\u006fw"`): the same key to serde.
                if let Some(at) = pick(&objects) {
                    let map = node_mut(&mut value, &at).as_object_mut().unwrap();
                    let key = map.keys().nth(alt % map.len()).unwrap().clone();
                    let v = map.remove(&key).unwrap();
                    let mut escaped: String = key.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
                    if alt % 4 == 0 {
                        escaped.push_str(["\\ud800", "\\udfff", "\\ud800\\u0041"][alt / 4 % 3]);
                    }
                    let mark = raw.put(format!("\"{escaped}\""));
                    map.insert(mark, v);
                }
            }
            8 => {
                if let Some(at) = pick(&all.iter().collect::<Vec<_>>()) {
                    *node_mut(&mut value, &at) = Value::String(raw.put(SYNTAX[alt % SYNTAX.len()]));
                }
            }
            9 => {
                // Nested past serde_json's depth limit (128).
                if let Some(at) = pick(&all.iter().collect::<Vec<_>>()) {
                    let depth = 120 + alt % 20;
                    let (open, close) = if alt % 2 == 0 { ("[", "]") } else { ("{\"a\":", "}") };
                    *node_mut(&mut value, &at) =
                        Value::String(raw.put(format!("{}1{}", open.repeat(depth), close.repeat(depth))));
                }
            }
            _ => text_edits.push(*m),
        }
    }
    let mut text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
    for (mark, insert) in &raw.inserts {
        text = text.replace(mark.as_str(), insert);
    }
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    for m in text_edits {
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let at = bounds[m.pick as usize % bounds.len()];
        match m.what % 13 {
            10 => text.truncate(at),
            11 => {
                if let Some(c) = text[at..].chars().next() {
                    text.replace_range(at..at + c.len_utf8(), "");
                }
            }
            _ => {
                let c = "[]{}:,\"\\ 0e.-a\n".chars().nth(m.alt as usize % 15).unwrap();
                text.insert(at, c);
            }
        }
    }
    text
}

fn value_at<'a>(value: &'a Value, steps: &[Step]) -> &'a Value {
    steps.iter().fold(value, |v, s| match s {
        Step::Key(k) => &v[k.as_str()],
        Step::Index(i) => &v[*i],
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_engine_names_the_field_serde_path_to_error_names(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec((any::<u8>(), any::<u32>(), any::<u32>()), 1..4),
        pretty in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let seeds = seeds();
        let (kind, request) = seed.get(seeds);
        let mutations: Vec<Mutation> =
            mutations.into_iter().map(|(what, pick, alt)| Mutation { what, pick, alt }).collect();
        let text = mutate(request, &mutations, pretty, crlf && pretty);
        if let Err(why) = agree(*kind, &text) {
            prop_assert!(false, "{}", why);
        }
    }
}

/// Every single-byte deletion and every cut of one request of each kind, compact and pretty.
#[test]
fn every_deletion_and_cut_of_one_request_of_each_kind() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for kind in [Kind::Return, Kind::Refund, Kind::Exchange, Kind::Warranty, Kind::Sla, Kind::Calendar] {
        let (_, request) = seeds().iter().find(|(k, _)| *k == kind).unwrap();
        for text in [request.to_string(), serde_json::to_string_pretty(request).unwrap()] {
            for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let c = text[at..].chars().next().unwrap();
                let deleted = format!("{}{}", &text[..at], &text[at + c.len_utf8()..]);
                for t in [deleted.as_str(), &text[..at]] {
                    compared += 1;
                    if let Err(why) = agree(kind, t) {
                        failures.push(why);
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} differ; the first:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

/// The seeds are read, and each exception above, on a hand-made text: the oracle's path and the
/// engine's.
#[test]
fn the_oracle_is_consulted_and_the_exceptions_are_these() {
    assert!(seeds().len() > 50, "{} seeds", seeds().len());
    let calendar = |rest: &str| format!(r#"{{"calendar": "support", "from": "2026-11-20T17:00:00+08:00", {rest}}}"#);
    for (kind, text, oracle_path, engine_path) in [
        (Kind::Return, r#"{"now": 1}"#.to_string(), "now", "now"),
        (Kind::Return, "{}".to_string(), ".", "now"),
        (Kind::Calendar, calendar(r#""op": [1]"#), "op", "op"),
        (Kind::Calendar, calendar(r#""op": "add", "op": "add""#), ".", "op"),
        (Kind::Calendar, calendar(r#""op": {1: 2}"#), "op", "op.?"),
        (Kind::Calendar, calendar(r#""op": {"no_such_op": 2}"#), "op", "op.?"),
        (Kind::Calendar, calendar(r#""op": {"\ud800": 2}"#), "op", "op.?"),
        (Kind::Calendar, calendar(r#""op": "\ud800""#), "op", "op"),
        (Kind::Calendar, calendar(r#""op": "add", "to": "a\udc00""#), "to", "to"),
        (Kind::Calendar, calendar(r#""op": "add", "duration": {"days": 1e400}"#), "duration.days", "duration.days"),
        (Kind::Calendar, calendar(r#""op": "add", "duration": {1: 2}"#), "duration.?", "duration.?"),
        (Kind::Calendar, calendar(r#""op": "add", "duration": {"\udc00": 2}"#), "duration.?", "duration.?"),
    ] {
        let (engine, oracle) = kind.both(&text);
        let Oracle::Refused { path, .. } = &oracle else { panic!("{text}: {oracle:?}") };
        assert_eq!(path, oracle_path, "{text}");
        assert_eq!(engine.as_ref().map_err(|e| e.path.as_str()), Err(engine_path), "{text}");
        agree(kind, &text).unwrap();
    }
    let text = format!("{} x", calendar(r#""op": "add", "duration": {"days": 1}"#));
    assert!(matches!(Kind::Calendar.both(&text).1, Oracle::Trailing { .. }));
    agree(Kind::Calendar, &text).unwrap();
}
