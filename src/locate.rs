//! Where a JSON path is in a JSON text: the line and column of every problem `validate_policy`
//! finds, the way a compiler points at code (`policy.json:12:9`). The command line and the npm
//! package's `npx aftersales validate` both print [`validate_located`].
//!
//! [`position`] walks the text along the path (`returns.reasons.changed_mind.window.days`,
//! `returns.rules[2].when`, `[1].refunds` for the second of several versions) and stops at the
//! deepest part it finds: a member's key, an array's element. A key may hold dots
//! (`when.item.tags`): at each object the longest key that begins the rest of the path is taken.
//! A path the text does not hold all of (a field left out, a field inherited from a preset)
//! points at the deepest part that is there. Nothing here panics on any text or path.

use crate::engine::{validate_policy_in, Validation};
use crate::error::{ErrorCode, PolicyError};
use crate::explain::PolicyRef;
use crate::lint::PolicyWarning;
use crate::vocabulary::Locale;
use serde::Serialize;

/// A place in a text: line and column from 1; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

/// An error of `validate_policy` with where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LocatedError {
    #[serde(flatten)]
    pub error: PolicyError,
    pub line: u64,
    pub column: u64,
}

/// A warning of `validate_policy` with where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LocatedWarning {
    #[serde(flatten)]
    pub warning: PolicyWarning,
    pub line: u64,
    pub column: u64,
}

/// [`Validation`] with a line and column for each error and warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LocatedValidation {
    pub ok: bool,
    pub errors: Vec<LocatedError>,
    pub warnings: Vec<LocatedWarning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRef>,
}

/// Checks a policy (as `validate_policy`) and places each problem in the text.
pub fn validate_located(text: &str, locale: Locale) -> LocatedValidation {
    let Validation { ok, errors, warnings, policy } = validate_policy_in(text, locale);
    let syntax = syntax_error_at(text);
    let errors = errors
        .into_iter()
        .map(|error| {
            let at =
                syntax.filter(|_| error.code == ErrorCode::InvalidJson).unwrap_or_else(|| position(text, &error.path));
            LocatedError { error, line: at.line, column: at.column }
        })
        .collect();
    let warnings = warnings
        .into_iter()
        .map(|warning| {
            let at = position(text, &warning.path);
            LocatedWarning { warning, line: at.line, column: at.column }
        })
        .collect();
    LocatedValidation { ok, errors, warnings, policy }
}

/// Where serde_json refuses the text as JSON, if it does.
fn syntax_error_at(text: &str) -> Option<Position> {
    let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    let offset = crate::json_path::byte_offset(text, e.line(), e.column().saturating_sub(1));
    Some(position_of(text, offset))
}

/// The line and column of byte `offset` (the end of the text if beyond it).
pub fn position_of(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) as u64 + 1;
    Position { line, column }
}

/// Where `path` is in `text`: a member's key, an array's element, or the deepest part of the
/// path the text holds (the document's start for `""`).
pub fn position(text: &str, path: &str) -> Position {
    let bytes = text.as_bytes();
    position_of(text, find(bytes, skip_ws(bytes, 0), path, 0))
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The byte after the string that starts (with its `"`) at `at`.
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The byte after the value that starts at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let (mut depth, mut i) = (0usize, at);
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes.get(i).is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace()) {
                i += 1;
            }
            Some(i)
        }
    }
}

/// Whether `key` begins `rest` as a whole segment (followed by nothing, `.` or `[`).
fn begins(rest: &str, key: &str) -> bool {
    rest.strip_prefix(key).is_some_and(|after| after.is_empty() || after.starts_with(['.', '[']))
}

/// Paths are never deeper than this (policies nest at most 32 conditions deep).
const MAX_DEPTH: usize = 256;

/// The offset of `path` in the value at `at`, or of the deepest part of it found.
fn find(bytes: &[u8], at: usize, path: &str, depth: usize) -> usize {
    if path.is_empty() || depth > MAX_DEPTH {
        return at;
    }
    if let Some(rest) = path.strip_prefix('[') {
        let Some((index, after)) = rest.split_once(']') else { return at };
        let Ok(index) = index.parse::<usize>() else { return at };
        return element(bytes, at, index).map_or(at, |el| find(bytes, el, after, depth + 1));
    }
    let path = path.strip_prefix('.').unwrap_or(path);
    match member(bytes, at, path) {
        Some((key, _, "")) => key,
        Some((_, value, rest)) => find(bytes, value, rest, depth + 1),
        None => at,
    }
}

/// The offset of element `index` of the array at `at`.
fn element(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let mut i = skip_ws(bytes, at + 1);
    for n in 0.. {
        if bytes.get(i).is_none_or(|&b| b == b']') {
            return None;
        }
        if n == index {
            return Some(i);
        }
        i = skip_ws(bytes, skip_value(bytes, i)?);
        if bytes.get(i) == Some(&b',') {
            i = skip_ws(bytes, i + 1);
        }
    }
    None
}

/// In the object at `at`, the member whose key is the longest to begin `path`: the offsets of
/// its key and value, and the rest of the path.
fn member<'p>(bytes: &[u8], at: usize, path: &'p str) -> Option<(usize, usize, &'p str)> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut best: Option<(usize, usize, usize)> = None;
    let mut i = skip_ws(bytes, at + 1);
    while bytes.get(i) == Some(&b'"') {
        let key_end = skip_string(bytes, i)?;
        let key: String = serde_json::from_slice(bytes.get(i..key_end)?).ok()?;
        let value = skip_ws(bytes, skip_ws(bytes, key_end) + 1);
        if begins(path, &key) && best.is_none_or(|(_, _, len)| key.len() > len) {
            best = Some((i, value, key.len()));
        }
        i = skip_ws(bytes, skip_value(bytes, value)?);
        if bytes.get(i) == Some(&b',') {
            i = skip_ws(bytes, i + 1);
        }
    }
    let (key, value, len) = best?;
    Some((key, value, path.get(len..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"id\": \"x\",\n  \"returns\": {\n    \"window\": {\"days\": -1},\n    \"rules\": [\n      {\"id\": \"a\"},\n      {\"when\": {\"item.tags\": {\"contains\": \"é\"}}, \"then\": {}}\n    ]\n  }\n}\n";

    fn at(path: &str) -> (u64, u64) {
        let p = position(TEXT, path);
        (p.line, p.column)
    }

    #[test]
    fn finds_keys_elements_and_dotted_keys() {
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("id"), (2, 3));
        assert_eq!(at("returns"), (3, 3));
        assert_eq!(at("returns.window.days"), (4, 16));
        assert_eq!(at("returns.rules[1]"), (7, 7));
        assert_eq!(at("returns.rules[1].when.item.tags.contains"), (7, 31));
        assert_eq!(at("returns.rules[1].then"), (7, 50));
    }

    #[test]
    fn a_path_not_all_there_points_at_its_deepest_part() {
        assert_eq!(at("returns.window.from"), (4, 15));
        assert_eq!(at("returns.rules[5].id"), (5, 14));
        assert_eq!(at("refunds.deductions"), (1, 1));
    }

    #[test]
    fn never_panics_on_broken_text() {
        for cut in 0..TEXT.len() {
            if let Some(text) = TEXT.get(..cut) {
                let _ = position(text, "returns.rules[1].when.item.tags.contains");
                let _ = position(text, "[3].x");
            }
        }
        assert_eq!(position_of("aé\nb", 99), Position { line: 2, column: 2 });
    }
}
