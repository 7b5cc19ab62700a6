//! `compare CORPUS OLD NEW [--examples K]`: compares two runs of `answer` over one corpus, line
//! by line, byte for byte, and prints what differs. Exit 0 when every difference is on the
//! allow-list below, 1 when any other remains (or a run is short), 2 on bad arguments.
//!
//! The allow-list: what the refactor changes on purpose. A differing line is "expected" when
//! the old answer is (for a batch: every differing element of it is) one of
//! - (a) `INVALID_FIELD` "number out of range" at an amount or a count, the input holding a
//!   number beyond f64 (`1e400`);
//! - (b) "duplicate field `…`" with the path of the object holding the key twice (empty at the
//!   top; in a batch, under the element's own path `[i]`);
//! - (c) `INVALID_FIELD` with serde's wording for a lone surrogate escape (`\ud800`), the input
//!   holding one;
//! - (d) a `validate_policy` answer whose `errors` grew: the new list is longer, its first error is
//!   the old first error, and the rest of the answer is the same;
//! - (e) a refund of an order line of billions of units, which aborted the old build (it asked for
//!   a share per unit): the new answer refuses it with `LIMIT_EXCEEDED` "a refund quotes lines
//!   of at most … units" (in a batch, that element).
//!
//! Any other crash or panic on either side that the other side does not share is never expected.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// serde_json's messages for a string holding a lone surrogate escape.
const SURROGATE: &[&str] =
    &["unexpected end of hex escape", "lone leading surrogate in hex escape", "invalid unicode code point"];

const BATCHES: &[&str] = &["check_returns", "quote_refunds", "check_warranties", "sla_deadlines_many"];

fn open(path: &str) -> std::io::Lines<std::io::BufReader<std::fs::File>> {
    match std::fs::File::open(path) {
        Ok(f) => std::io::BufReader::with_capacity(1 << 20, f).lines(),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2)
        }
    }
}

/// `ok`, `err`, `policy_err`, `crash` or `panic`: what kind of output a line is.
fn kind(out: &Value) -> &'static str {
    for k in ["ok", "err", "policy_err", "crash", "panic"] {
        if out.get(k).is_some() {
            return k;
        }
    }
    "?"
}

/// The error an output carries: a refusal, or a policy that did not compile.
fn error_of(out: &Value) -> Option<&Value> {
    out.get("err").or_else(|| out.get("policy_err"))
}

/// A number literal that overflows f64 (`1e400`, `-1E+400`), outside strings.
fn has_overflowing_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if c == b'-' || c.is_ascii_digit() {
            let start = i;
            while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            if text[start..i].parse::<f64>().is_ok_and(f64::is_infinite) {
                return true;
            }
            continue;
        }
        i += 1;
    }
    false
}

/// A `\uD800`–`\uDFFF` escape in the text.
fn has_surrogate_escape(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["\\ud8", "\\ud9", "\\uda", "\\udb", "\\udc", "\\udd", "\\ude", "\\udf"].iter().any(|p| lower.contains(p))
}
/// Which allow-list class (a)–(c) an old error is in; `own` is the path an element of a batch
/// has for itself (`[3]`), empty otherwise.
fn allowed_error(e: &Value, own: &str, input: &str) -> Option<&'static str> {
    let code = e.get("code").and_then(Value::as_str).unwrap_or("");
    let path = e.get("path").and_then(Value::as_str).unwrap_or("");
    let message = e.get("message").and_then(Value::as_str).unwrap_or("");
    // Amounts and counts alike (a count beyond 2^53 was already AMOUNT_OUT_OF_RANGE); other
    // numbers out of range are refused as before, so they do not differ.
    if code == "INVALID_FIELD" && message.contains("number out of range") && has_overflowing_number(input) {
        return Some("(a) 1e400 where money is expected");
    }
    // At the top (an empty path, `[i]` in a batch) or inside an object (its path).
    if message.starts_with("duplicate field `") && path.starts_with(own) {
        return Some("(b) duplicated key");
    }
    if code == "INVALID_FIELD" && SURROGATE.iter().any(|s| message.starts_with(s)) && has_surrogate_escape(input) {
        return Some("(c) lone surrogate escape");
    }
    None
}

fn code_of(out: &Value) -> String {
    match kind(out) {
        "ok" => "ok".into(),
        k @ ("err" | "policy_err") => {
            let code = error_of(out).and_then(|e| e.get("code")).and_then(Value::as_str).unwrap_or("?");
            if k == "policy_err" {
                format!("policy {code}")
            } else {
                code.into()
            }
        }
        k => k.into(),
    }
}

/// The code of an error, or "ok" / "none".
fn code(e: Option<&Value>) -> String {
    match e {
        Some(e) => e.get("code").and_then(Value::as_str).unwrap_or("?").to_string(),
        None => "none".into(),
    }
}

/// Why a differing line is expected (`Ok((class, old -> new))`), or the class it is counted
/// under (`Err`).
fn classify(call: &str, input: &str, old: &Value, new: &Value) -> Result<(&'static str, String), String> {
    let moved = || format!("{} -> {}", code_of(old), code_of(new));
    let unexpected = || Err(format!("{call}: {}", moved()));
    let (ko, kn) = (kind(old), kind(new));
    if ko == "crash" && matches!(kn, "ok" | "err") && new.to_string().contains("a refund quotes lines of at most") {
        return Ok(("(e) a line of billions of units: crash -> LIMIT_EXCEEDED", moved()));
    }
    if matches!(ko, "crash" | "panic" | "?") || matches!(kn, "crash" | "panic" | "?") {
        return unexpected();
    }
    if call == "validate_policy" && ko == "ok" && kn == "ok" {
        let (vo, vn) = (&old["ok"], &new["ok"]);
        if let (Some(eo), Some(en)) = (vo["errors"].as_array(), vn["errors"].as_array()) {
            let rest_same = ["ok", "warnings", "policy"].iter().all(|k| vo.get(k) == vn.get(k));
            if !eo.is_empty() && en.len() > eo.len() && en.first() == eo.first() && rest_same {
                return Ok(("(d) validate_policy errors grew", format!("{} -> {} errors", eo.len(), en.len())));
            }
            if let Some(first) = eo.first() {
                if en.first() != Some(first) {
                    if let Some(class) = allowed_error(first, "", input) {
                        return Ok((class, format!("first error {} -> {}", code(Some(first)), code(en.first()))));
                    }
                }
            }
        }
        return Err(format!("{call}: answer changed"));
    }
    if BATCHES.contains(&call) && ko == "ok" && kn == "ok" {
        if let (Some(ao), Some(an)) = (old["ok"].as_array(), new["ok"].as_array()) {
            if ao.len() == an.len() {
                let element = |e: &Value| e.get("error").map_or("ok".to_string(), |x| code(Some(x)));
                let mut class = None;
                for (j, (eo, en)) in ao.iter().zip(an).enumerate() {
                    if eo == en {
                        continue;
                    }
                    let how = format!("element {} -> {}", element(eo), element(en));
                    match eo.get("error").and_then(|e| allowed_error(e, &format!("[{j}]"), input)) {
                        Some(c) => class = class.or(Some((c, how))),
                        None => return Err(format!("{call}: {how}")),
                    }
                }
                if let Some(c) = class {
                    return Ok(c);
                }
            }
        }
        return Err(format!("{call}: answer changed"));
    }
    if let Some(e) = error_of(old) {
        if let Some(class) = allowed_error(e, "", input) {
            return Ok((class, moved()));
        }
        return unexpected();
    }
    if ko == "ok" && kn == "ok" {
        return Err(format!("{call}: answer changed"));
    }
    unexpected()
}

fn clip(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut cut = n;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes)", &s[..cut], s.len())
}

/// The byte offset where two texts first differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()))
}

/// At most `n` bytes of `s` from a little before `at`: where a long output starts to differ.
fn around(s: &str, at: usize, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut from = at.saturating_sub(n / 4).min(s.len());
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    if from == 0 {
        clip(s, n)
    } else {
        format!("…(from byte {from}) {}", clip(&s[from..], n))
    }
}

#[derive(Default)]
struct Mix {
    ok: usize,
    err: usize,
    policy_err: usize,
    crash: usize,
    /// Envelopes inside batch answers.
    items_ok: usize,
    items_err: usize,
    /// validate_policy: valid and invalid policies.
    valid: usize,
    invalid: usize,
}

struct Example {
    line: usize,
    src: String,
    muts: String,
    input: String,
    old: String,
    new: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(corpus), Some(old_path), Some(new_path)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: compare CORPUS OLD NEW [--examples K]");
        std::process::exit(2)
    };
    let per_class: usize = args
        .iter()
        .position(|a| a == "--examples")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(3);
    let (mut lines_c, mut lines_o, mut lines_n) = (open(corpus), open(old_path), open(new_path));
    let mut texts: HashMap<usize, String> = HashMap::new();
    let mut mix: BTreeMap<String, Mix> = BTreeMap::new();
    let (mut inputs, mut same) = (0usize, 0usize);
    let mut expected: BTreeMap<&'static str, Vec<Example>> = BTreeMap::new();
    let mut unexpected: BTreeMap<String, Vec<Example>> = BTreeMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut short = None;
    for i in 0.. {
        let Some(c) = lines_c.next() else { break };
        let c = c.unwrap_or_else(|e| {
            eprintln!("{corpus}: {e}");
            std::process::exit(2)
        });
        inputs += 1;
        let (o, n) = (lines_o.next().and_then(Result::ok), lines_n.next().and_then(Result::ok));
        let (Some(o), Some(n)) = (o, n) else {
            short = Some(i);
            break;
        };
        let line: Value = serde_json::from_str(&c).unwrap_or(Value::Null);
        let call = line["call"].as_str().unwrap_or("?").to_string();
        let policy = match (line.get("policy").and_then(Value::as_str), line.get("policy_of").and_then(Value::as_u64)) {
            (Some(p), _) => {
                texts.insert(i, p.to_string());
                p.to_string()
            }
            (None, Some(k)) => texts.get(&(k as usize)).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        let request = line["request"].as_str().unwrap_or("");
        let old: Value = serde_json::from_str(&o).unwrap_or(Value::Null);
        // The mix, from the old run.
        let m = mix.entry(call.clone()).or_default();
        match kind(&old) {
            "ok" => {
                m.ok += 1;
                if let Some(items) = old["ok"].as_array() {
                    for item in items {
                        if item.get("error").is_some() {
                            m.items_err += 1;
                        } else {
                            m.items_ok += 1;
                        }
                    }
                }
                if call == "validate_policy" {
                    if old["ok"]["ok"] == Value::Bool(true) {
                        m.valid += 1;
                    } else {
                        m.invalid += 1;
                    }
                }
            }
            "err" => m.err += 1,
            "policy_err" => m.policy_err += 1,
            _ => m.crash += 1,
        }
        if o == n {
            same += 1;
            continue;
        }
        let new: Value = serde_json::from_str(&n).unwrap_or(Value::Null);
        let input = format!("{policy}\n{request}");
        let input_shown = if call == "validate_policy" || call == "load_policy" { &policy } else { request };
        let example = || Example {
            line: i,
            src: line["src"].as_str().unwrap_or("").to_string(),
            muts: line.get("mut").map(Value::to_string).unwrap_or_default(),
            input: clip(input_shown, 400),
            old: around(&o, first_difference(&o, &n), 400),
            new: around(&n, first_difference(&o, &n), 400),
        };
        match classify(&call, &input, &old, &new) {
            Ok((class, how)) => {
                *counts.entry(format!("expected {class}: {call}: {how}")).or_default() += 1;
                let list = expected.entry(class).or_default();
                if list.len() < per_class {
                    list.push(example());
                }
            }
            Err(class) => {
                *counts.entry(format!("unexpected {class}")).or_default() += 1;
                let list = unexpected.entry(class).or_default();
                if list.len() < per_class {
                    list.push(example());
                }
            }
        }
    }

    // The report.
    let total = |f: fn(&Mix) -> usize| mix.values().map(f).sum::<usize>();
    let n_expected: usize = counts.iter().filter(|(k, _)| k.starts_with("expected")).map(|(_, v)| v).sum();
    let n_unexpected: usize = counts.iter().filter(|(k, _)| k.starts_with("unexpected")).map(|(_, v)| v).sum();
    println!("inputs:    {inputs}");
    println!(
        "compared:  {} answers ({} inside batches: {} answers, {} errors), {} errors ({} of them policies that did not load), {} crashes",
        total(|m| m.ok),
        total(|m| m.items_ok + m.items_err),
        total(|m| m.items_ok),
        total(|m| m.items_err),
        total(|m| m.err + m.policy_err),
        total(|m| m.policy_err),
        total(|m| m.crash),
    );
    println!("identical: {same}");
    println!(
        "differ:    {} ({n_expected} expected, {n_unexpected} unexpected)",
        inputs - same - usize::from(short.is_some())
    );
    println!();
    println!(
        "{:<20} {:>8} {:>8} {:>8} {:>10} {:>6}   in batches ok/err, validate valid/invalid",
        "call", "inputs", "answers", "errors", "policy_err", "crash"
    );
    for (call, m) in &mix {
        let extra = if call == "validate_policy" {
            format!("valid {} / invalid {}", m.valid, m.invalid)
        } else if m.items_ok + m.items_err > 0 {
            format!("{} / {}", m.items_ok, m.items_err)
        } else {
            String::new()
        };
        println!(
            "{call:<20} {:>8} {:>8} {:>8} {:>10} {:>6}   {extra}",
            m.ok + m.err + m.policy_err + m.crash,
            m.ok,
            m.err,
            m.policy_err,
            m.crash
        );
    }
    if !counts.is_empty() {
        println!();
        println!("differences by class (old -> new):");
        for (class, n) in &counts {
            println!("  {n:>7}  {class}");
        }
    }
    let show = |title: &str, class: &str, list: &[Example]| {
        println!();
        println!("{title} {class}:");
        for e in list {
            println!("  line {} ({}{}{})", e.line, e.src, if e.muts.is_empty() { "" } else { " " }, e.muts);
            println!("    input: {}", e.input);
            println!("    old:   {}", e.old);
            println!("    new:   {}", e.new);
        }
    };
    for (class, list) in &unexpected {
        show("UNEXPECTED", class, list);
    }
    for (class, list) in &expected {
        show("expected", class, list);
    }
    if let Some(i) = short {
        println!();
        println!("UNEXPECTED: an output ends at line {i} of {inputs}+ (a run died?)");
        std::process::exit(1);
    }
    if lines_o.next().is_some() || lines_n.next().is_some() {
        println!();
        println!("UNEXPECTED: an output has more lines than the corpus");
        std::process::exit(1);
    }
    if n_unexpected > 0 {
        std::process::exit(1);
    }
}
