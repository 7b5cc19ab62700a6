//! `corpus --root DIR [--seed S] [--lines N] [--peers FILE] > CORPUS`: writes the differential
//! corpus, JSON Lines, the same for the same inputs and seed (no clock, no network, no hash order).
//!
//! Each line is one call: `{"call", "policy": TEXT | "policy_of": K, "request": TEXT, "src",
//! "mut"}`. `policy_of: K` reuses the policy text of line K (the first line to carry a text
//! carries it). `src` says where the input came from and `mut` which mutations were applied; the
//! runner reads only `call`, `policy`, `policy_of` and `request`.
//!
//! The inputs are the project's own: every case of `tests/vectors/*.json` (read as
//! tests/common/mod.rs reads them), the presets in `presets/`, `tests/policies/*.json`, and the
//! peers fixture (`node bench/peers/write-fixture.mjs FILE`: 10,000 return requests). All of them
//! are first written unchanged; the rest of the lines are structured mutations of them: fields
//! dropped, nulled, of the wrong type, huge, negative, `1e400`, long, lone surrogates, non-ASCII,
//! duplicated keys, values swapped between requests, dates moved by a second, a day or across
//! DST, quantities and amounts changed, locales switched, deep nesting, truncated text; of
//! requests and of policies, single and batched.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// A small deterministic generator (splitmix64): the corpus depends on the seed only.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn by weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// The project's inputs.

struct Case {
    src: String,
    call: String,
    policy: String,
    request: Option<Value>,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        std::process::exit(2)
    })
}

fn parse(path: &Path, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        std::process::exit(2)
    })
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// RFC 7386, as `json_patch::merge` does it.
fn merge(target: &mut Value, patch: &Value) {
    if let Value::Object(p) = patch {
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        if let Value::Object(t) = target {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
    } else {
        *target = patch.clone();
    }
}

/// Every case of every vector file, resolved as tests/common/mod.rs resolves them.
fn vector_cases(root: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    for file in json_files(&root.join("tests/vectors")) {
        let doc = parse(&file, &read(&file));
        let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let Some(cases) = doc.get("cases").and_then(Value::as_array) else { continue };
        for (i, case) in cases.iter().enumerate() {
            let call = case.get("call").or(doc.get("call")).and_then(Value::as_str).unwrap_or("").to_string();
            let spec = case.get("policy").or(doc.get("policy")).cloned().unwrap_or(Value::Null);
            let policy = match &spec {
                Value::String(n) => read(&root.join(format!("tests/policies/{n}.json"))),
                other => other.to_string(),
            };
            let mut request =
                case.get("request").cloned().unwrap_or_else(|| doc.get("base").cloned().unwrap_or(json!({})));
            if let Some(patch) = case.get("patch") {
                merge(&mut request, patch);
            }
            // `load_policy` and `validate_policy` take the policy alone.
            let request = if call == "load_policy" || call == "validate_policy" { None } else { Some(request) };
            out.push(Case { src: format!("{name}#{i}"), call, policy, request });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Paths into a JSON value.

#[derive(Clone, Debug)]
enum Seg {
    K(String),
    I(usize),
}

fn paths(v: &Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                at.push(Seg::K(k.clone()));
                out.push(at.clone());
                paths(c, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                at.push(Seg::I(i));
                out.push(at.clone());
                paths(c, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn all_paths(v: &Value) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    paths(v, &mut Vec::new(), &mut out);
    out
}

fn at<'a>(v: &'a Value, p: &[Seg]) -> Option<&'a Value> {
    p.iter().try_fold(v, |v, s| match s {
        Seg::K(k) => v.get(k),
        Seg::I(i) => v.get(i),
    })
}

fn at_mut<'a>(v: &'a mut Value, p: &[Seg]) -> Option<&'a mut Value> {
    p.iter().try_fold(v, |v, s| match s {
        Seg::K(k) => v.get_mut(k),
        Seg::I(i) => v.get_mut(i),
    })
}

fn describe(p: &[Seg]) -> String {
    let mut s = String::new();
    for seg in p {
        match seg {
            Seg::K(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::I(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// A random path whose value satisfies `want` (not inside a raw token).
fn pick_path(rng: &mut Rng, v: &Value, want: impl Fn(&[Seg], &Value) -> bool) -> Option<Vec<Seg>> {
    let found: Vec<Vec<Seg>> =
        all_paths(v).into_iter().filter(|p| at(v, p).is_some_and(|x| !is_raw(x) && want(p, x))).collect();
    if found.is_empty() {
        None
    } else {
        Some(found[rng.below(found.len())].clone())
    }
}

fn last_key(p: &[Seg]) -> &str {
    match p.last() {
        Some(Seg::K(k)) => k,
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------------
// Raw tokens: JSON that a `Value` cannot hold (`1e400`, a lone surrogate escape, a duplicated
// key) is put in as a placeholder string and substituted into the printed text.

const MARK: char = '\u{1}';

fn is_raw(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with(MARK))
}

#[derive(Default)]
struct Raws(Vec<String>);

impl Raws {
    /// A placeholder for the JSON text `raw` (a value, or a key with its quotes).
    fn token(&mut self, raw: impl Into<String>) -> String {
        self.0.push(raw.into());
        format!("{MARK}R{}{MARK}", self.0.len() - 1)
    }
    fn value(&mut self, raw: impl Into<String>) -> Value {
        Value::String(self.token(raw))
    }
    fn print(&self, v: &Value, pretty: bool) -> String {
        let mut text =
            if pretty { serde_json::to_string_pretty(v) } else { serde_json::to_string(v) }.unwrap_or_default();
        for (i, raw) in self.0.iter().enumerate() {
            text = text.replace(&format!("\"\\u0001R{i}\\u0001\""), raw);
        }
        text
    }
}

// ---------------------------------------------------------------------------------------------
// Dates: RFC 3339 timestamps and plain dates, moved by whole seconds, in the same offset.

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        None
    } else {
        s.parse().ok()
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.frac]OFFSET` -> (local seconds since the epoch, the fraction and offset text).
fn parse_timestamp(s: &str) -> Option<(i64, String)> {
    if s.len() < 20 || !s.is_char_boundary(19) || s.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let (y, mo, d) = (num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?);
    let (h, mi, se) = (num(s.get(11..13)?)?, num(s.get(14..16)?)?, num(s.get(17..19)?)?);
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se;
    Some((secs, s.get(19..)?.to_string()))
}

fn print_timestamp(secs: i64, rest: &str) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{rest}", t / 3600, t / 60 % 60, t % 60)
}

fn parse_date(s: &str) -> Option<i64> {
    if s.len() != 10 || s.as_bytes().get(4) != Some(&b'-') || s.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    Some(days_from_civil(num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?))
}

fn print_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn is_time(v: &Value) -> bool {
    v.as_str().is_some_and(|s| parse_timestamp(s).is_some() || parse_date(s).is_some())
}

// ---------------------------------------------------------------------------------------------
// Mutations.

const NON_ASCII: &[&str] = &[
    "退货退款",
    "七天无理由",
    "Ünïcödé façade",
    "😀👍🏽",
    "e\u{301}",
    "مرحبا",
    "\u{200b}",
    "Ａ１",
    "\u{fffd}",
    "ß",
    "İ",
    "\u{0}",
    "\u{7f}",
    "\u{2028}",
];

const TIMEZONES: &[&str] = &[
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "UTC",
    "Etc/GMT+12",
    "Asia/Shanghai",
    "America/Sao_Paulo",
    "Mars/Olympus_Mons",
    "",
    "asia/shanghai",
    "EST5EDT",
];

const CURRENCIES: &[&str] = &["CNY", "USD", "EUR", "JPY", "BHD", "XXX", "cny", "ZZZ", "", "USDT"];

/// Instants around DST changes, in each zone's offset before or after the change.
const DST: &[&str] = &[
    "2026-03-08T02:30:00-05:00",
    "2026-03-08T01:59:59-05:00",
    "2026-03-08T03:00:00-04:00",
    "2026-11-01T01:30:00-04:00",
    "2026-11-01T01:30:00-05:00",
    "2026-11-01T00:59:59-04:00",
    "2026-03-29T02:30:00+01:00",
    "2026-03-29T01:00:00Z",
    "2026-10-25T02:30:00+02:00",
    "2026-10-25T02:30:00+01:00",
    "2026-10-25T00:59:59Z",
    "2026-04-05T02:30:00+10:30",
];

const BAD_TIMES: &[&str] = &[
    "2026-02-30T10:00:00+08:00",
    "2026-11-05T24:00:00+08:00",
    "2026-11-05 10:00:00+08:00",
    "2026-11-05T10:00:00",
    "2026-12-31T23:59:60Z",
    "2026-11-05T10:00:00.123456789+08:00",
    "2026-11-05T10:00:00.5Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "2026-11-05T10:00:00+24:00",
    "2026-11-05T10:00:00z",
    "2026-11-05t10:00:00+08:00",
    "2026-11-05",
    "2028-02-29T12:00:00+08:00",
    "2026-11-05T10:00:00+08:00\u{0}",
    "",
];

const BAD_DATES: &[&str] = &[
    "2026-02-29",
    "2028-02-29",
    "2026-13-01",
    "2026-11-31",
    "0000-01-01",
    "9999-12-31",
    "2026/11/05",
    "2026-11-5",
    "",
];

const BIG_NUMBERS: &[&str] = &[
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740991",
    "-9007199254740992",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "9223372036854775807",
    "4294967296",
    "2147483648",
    "1000000000000000",
    "123456789012345678901234567890",
];

const RAW_NUMBERS: &[&str] =
    &["1e400", "-1e400", "1E400", "1e308", "1e-400", "1.5", "100.0", "1e2", "-0", "0.1", "0.0", "5e-324", "2.5e3"];

/// `{k: v, …}` without `json!`, which would print and re-read every value put in (quadratic when nesting).
fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// A value of another JSON type than `v`.
fn wrong_type(rng: &mut Rng, v: &Value) -> Value {
    let options: Vec<Value> = vec![
        json!("1"),
        json!("text"),
        json!(1),
        json!(true),
        json!([]),
        json!({}),
        Value::Array(vec![v.clone()]),
        json!(""),
        json!(0),
    ];
    loop {
        let w = rng.pick(&options).clone();
        let same = matches!(
            (&w, v),
            (Value::String(_), Value::String(_))
                | (Value::Number(_), Value::Number(_))
                | (Value::Bool(_), Value::Bool(_))
                | (Value::Array(_), Value::Array(_))
                | (Value::Object(_), Value::Object(_))
        );
        if !same {
            return w;
        }
    }
}

/// A JSON string literal of `s`, its last `\u` escape replaced by `escape` (for surrogates).
fn with_escape(s: &str, escape: &str) -> String {
    let quoted = Value::String(s.to_string()).to_string();
    let body = &quoted[1..quoted.len() - 1];
    format!("\"{body}{escape}\"")
}

fn shift_time(rng: &mut Rng, s: &str) -> (String, &'static str) {
    if let Some((secs, rest)) = parse_timestamp(s) {
        let (delta, name) = *rng.pick(&[
            (1, "time+1s"),
            (-1, "time-1s"),
            (86_400, "time+1d"),
            (-86_400, "time-1d"),
            (3600, "time+1h"),
            (-3600, "time-1h"),
            (7 * 86_400, "time+7d"),
            (-30 * 86_400, "time-30d"),
            (365 * 86_400, "time+1y"),
            (86_399, "time+1d-1s"),
        ]);
        if rng.chance(0.15) {
            return (rng.pick(DST).to_string(), "time-dst");
        }
        if rng.chance(0.08) {
            // The same local time in another offset.
            let offset = *rng.pick(&["Z", "+00:00", "-05:00", "+08:00", "+05:45", "-00:00", "+14:00", "-12:00"]);
            let base = if rest.starts_with('.') { rest.find(['Z', '+', '-']).map_or("", |i| &rest[..i]) } else { "" };
            return (print_timestamp(secs, &format!("{base}{offset}")), "time-offset");
        }
        return (print_timestamp(secs + delta, &rest), name);
    }
    if let Some(days) = parse_date(s) {
        let (delta, name) =
            *rng.pick(&[(1, "date+1d"), (-1, "date-1d"), (365, "date+1y"), (-730, "date-2y"), (30, "date+30d")]);
        return (print_date(days + delta), name);
    }
    (s.to_string(), "time-none")
}

/// One mutation of `v` (a request or a policy); the name of what was done, or `None`.
fn mutate_value(rng: &mut Rng, v: &mut Value, raws: &mut Raws, donors: &[&Value], mild: bool) -> Option<String> {
    let kinds: &[(&str, u32)] = if mild {
        &[("time", 40), ("amount", 25), ("locale", 15), ("swap", 12), ("text", 8)]
    } else {
        &[
            ("drop", 14),
            ("null", 9),
            ("wrong_type", 10),
            ("big_number", 6),
            ("negative", 5),
            ("raw_number", 8),
            ("long_string", 6),
            ("surrogate", 6),
            ("non_ascii", 6),
            ("dup_key", 7),
            ("swap", 5),
            ("bad_time", 6),
            ("nest", 4),
            ("unknown_field", 4),
            ("empty", 4),
        ]
    };
    let weights: Vec<u32> = kinds.iter().map(|k| k.1).collect();
    let kind = kinds[rng.weighted(&weights)].0;
    match kind {
        "time" => {
            let p = pick_path(rng, v, |_, x| is_time(x))?;
            let slot = at_mut(v, &p)?;
            let (moved, name) = shift_time(rng, slot.as_str()?);
            *slot = Value::String(moved);
            Some(format!("{name}@{}", describe(&p)))
        }
        "amount" => {
            let p = pick_path(rng, v, |_, x| x.is_u64() || x.is_i64())?;
            let slot = at_mut(v, &p)?;
            let n = slot.as_i64()?;
            let (m, name) = match rng.below(8) {
                0 => (n + 1, "+1"),
                1 => (n - 1, "-1"),
                2 => (n.saturating_mul(2), "x2"),
                3 => (n.saturating_mul(10), "x10"),
                4 => (0, "=0"),
                5 => (n / 2, "/2"),
                6 => (n + 1 + rng.below(100) as i64, "+k"),
                _ => (1, "=1"),
            };
            *slot = json!(m);
            Some(format!("amount{name}@{}", describe(&p)))
        }
        "locale" => {
            let locale = *rng.pick(&["en", "zh-CN", "en", "zh-CN", "zh", "fr-FR", "", "EN", "zh-cn", "en-US"]);
            let obj = v.as_object_mut()?;
            obj.insert("locale".into(), json!(locale));
            Some(format!("locale={locale}"))
        }
        "swap" => {
            // The value at the same path in another input of the same kind, or two sibling values.
            if !donors.is_empty() && rng.chance(0.7) {
                let donor = *rng.pick(donors);
                let p = pick_path(rng, v, |p, _| at(donor, p).is_some())?;
                let value = at(donor, &p)?.clone();
                *at_mut(v, &p)? = value;
                Some(format!("swap_from_other@{}", describe(&p)))
            } else {
                let p = pick_path(rng, v, |_, x| x.as_object().is_some_and(|o| o.len() >= 2))?;
                let obj = at_mut(v, &p)?.as_object_mut()?;
                let keys: Vec<String> = obj.keys().cloned().collect();
                let a = keys[rng.below(keys.len())].clone();
                let b = keys[rng.below(keys.len())].clone();
                let va = obj.get(&a)?.clone();
                let vb = obj.get(&b)?.clone();
                obj.insert(a.clone(), vb);
                obj.insert(b.clone(), va);
                Some(format!("swap_siblings@{}:{a}<->{b}", describe(&p)))
            }
        }
        "text" => {
            let p = pick_path(rng, v, |p, x| x.is_string() && !is_time(x) && last_key(p) != "currency")?;
            let slot = at_mut(v, &p)?;
            let s = slot.as_str()?.to_string();
            let t = *rng.pick(NON_ASCII);
            *slot = Value::String(if rng.chance(0.5) { format!("{s}{t}") } else { t.to_string() });
            Some(format!("non_ascii@{}", describe(&p)))
        }
        "drop" => {
            let p = pick_path(rng, v, |_, _| true)?;
            let (last, parent) = p.split_last()?;
            match (at_mut(v, parent)?, last) {
                (Value::Object(m), Seg::K(k)) => {
                    m.remove(k);
                }
                (Value::Array(a), Seg::I(i)) => {
                    a.remove(*i);
                }
                _ => return None,
            }
            Some(format!("drop@{}", describe(&p)))
        }
        "null" => {
            let p = pick_path(rng, v, |_, _| true)?;
            *at_mut(v, &p)? = Value::Null;
            Some(format!("null@{}", describe(&p)))
        }
        "wrong_type" => {
            let p = pick_path(rng, v, |_, _| true)?;
            let slot = at_mut(v, &p)?;
            *slot = wrong_type(rng, slot);
            Some(format!("wrong_type@{}", describe(&p)))
        }
        "big_number" => {
            let p = pick_path(rng, v, |_, x| x.is_number())?;
            let n = *rng.pick(BIG_NUMBERS);
            *at_mut(v, &p)? = raws.value(n);
            Some(format!("big_number={n}@{}", describe(&p)))
        }
        "negative" => {
            let p = pick_path(rng, v, |_, x| x.is_number())?;
            let slot = at_mut(v, &p)?;
            let n = slot.as_i64().unwrap_or(1);
            *slot = json!(if n > 0 { -n } else { -1 });
            Some(format!("negative@{}", describe(&p)))
        }
        "raw_number" => {
            // Mostly where a number is; sometimes where anything is.
            let p = if rng.chance(0.8) {
                pick_path(rng, v, |_, x| x.is_number())?
            } else {
                pick_path(rng, v, |_, _| true)?
            };
            let n = if rng.chance(0.5) { "1e400" } else { *rng.pick(RAW_NUMBERS) };
            *at_mut(v, &p)? = raws.value(n);
            Some(format!("raw_number={n}@{}", describe(&p)))
        }
        "long_string" => {
            let p = pick_path(rng, v, |_, x| x.is_string())?;
            let (s, name) = match rng.below(9) {
                0 => ("x".repeat(256), "256"),
                1 => ("x".repeat(257), "257"),
                2 => ("退".repeat(256), "256cjk"),
                3 => ("退".repeat(257), "257cjk"),
                4 => ("é".repeat(200), "200e"),
                5 => ("x".repeat(5000), "5000"),
                6 => ("😀".repeat(300), "300emoji"),
                7 if rng.chance(0.1) => ("y".repeat(70_000), "70000"),
                _ => ("x".repeat(1000), "1000"),
            };
            *at_mut(v, &p)? = Value::String(s);
            Some(format!("long_string={name}@{}", describe(&p)))
        }
        "surrogate" => {
            let p = pick_path(rng, v, |_, x| x.is_string())?;
            let slot = at_mut(v, &p)?;
            let s = slot.as_str()?.to_string();
            let (esc, name) = *rng.pick(&[
                ("\\ud800", "ud800"),
                ("\\udc00", "udc00"),
                ("\\ud800\\u0041", "ud800+A"),
                ("\\ud800\\ud800", "ud800x2"),
                ("\\udfff", "udfff"),
                ("\\ud83d\\ude00", "pair"),
                ("\\ud800x", "ud800+x"),
            ]);
            *slot = raws.value(with_escape(&s, esc));
            Some(format!("surrogate={name}@{}", describe(&p)))
        }
        "non_ascii" => {
            let p = pick_path(rng, v, |_, x| x.is_string())?;
            let slot = at_mut(v, &p)?;
            let s = slot.as_str()?.to_string();
            let t = *rng.pick(NON_ASCII);
            *slot = Value::String(if rng.chance(0.5) { format!("{s}{t}") } else { t.to_string() });
            Some(format!("non_ascii@{}", describe(&p)))
        }
        "dup_key" => {
            // `locale` twice at the top when there is one (or even when there is not), else any key.
            let p = if rng.chance(0.35) { Vec::new() } else { pick_path(rng, v, |_, x| x.is_object())? };
            let obj = at_mut(v, &p)?.as_object_mut()?;
            let key = if p.is_empty() && (obj.contains_key("locale") || rng.chance(0.5)) {
                "locale".to_string()
            } else {
                let keys: Vec<&String> = obj.keys().collect();
                if keys.is_empty() {
                    return None;
                }
                keys[rng.below(keys.len())].clone()
            };
            let value = match obj.get(&key) {
                Some(x) if rng.chance(0.5) => x.clone(),
                Some(x) if x.is_string() => json!(rng.pick(&["en", "zh-CN", "other"])),
                Some(x) => wrong_type(rng, x),
                None => json!(rng.pick(&["en", "zh-CN"])),
            };
            if !obj.contains_key(&key) {
                obj.insert(key.clone(), json!(if rng.chance(0.5) { "en" } else { "zh-CN" }));
            }
            let token = raws.token(Value::String(key.clone()).to_string());
            obj.insert(token, value);
            Some(format!("dup_key={key}@{}", describe(&p)))
        }
        "bad_time" => {
            let p = pick_path(rng, v, |_, x| is_time(x))?;
            let slot = at_mut(v, &p)?;
            let bad = if slot.as_str().is_some_and(|s| parse_date(s).is_some()) {
                *rng.pick(BAD_DATES)
            } else {
                *rng.pick(BAD_TIMES)
            };
            *slot = json!(bad);
            Some(format!("bad_time={bad}@{}", describe(&p)))
        }
        "nest" => {
            let p = pick_path(rng, v, |_, _| true)?;
            let depth = *rng.pick(&[1usize, 2, 10, 63, 64, 126, 127, 128, 129, 200, 1000]);
            let slot = at_mut(v, &p)?;
            let mut x = slot.clone();
            let arrays = rng.chance(0.5);
            for _ in 0..depth {
                x = if arrays { Value::Array(vec![x]) } else { object([("a", x)]) };
            }
            *slot = x;
            Some(format!("nest={depth}{}@{}", if arrays { "[]" } else { "{}" }, describe(&p)))
        }
        "unknown_field" => {
            let p = if rng.chance(0.4) { Vec::new() } else { pick_path(rng, v, |_, x| x.is_object())? };
            let obj = at_mut(v, &p)?.as_object_mut()?;
            let key = *rng.pick(&["x_extra", "Locale", "now ", "comment", "$comment", "unit_price"]);
            if obj.contains_key(key) {
                return None;
            }
            obj.insert(key.into(), json!(1));
            Some(format!("unknown_field={key}@{}", describe(&p)))
        }
        "empty" => {
            let p = pick_path(rng, v, |_, x| x.is_array() || x.is_object())?;
            let slot = at_mut(v, &p)?;
            *slot = if slot.is_array() { json!([]) } else { json!({}) };
            Some(format!("empty@{}", describe(&p)))
        }
        _ => None,
    }
}

/// Mutations that only make sense on a policy.
fn mutate_policy(rng: &mut Rng, v: &mut Value) -> Option<String> {
    // An array of versions: mutate one of them.
    if let Value::Array(versions) = v {
        let i = rng.below(versions.len());
        return mutate_policy(rng, versions.get_mut(i)?).map(|m| format!("[{i}]{m}"));
    }
    match rng.below(11) {
        0 => {
            let tz = *rng.pick(TIMEZONES);
            v.as_object_mut()?.insert("timezone".into(), json!(tz));
            Some(format!("policy_timezone={tz}"))
        }
        1 => {
            let c = *rng.pick(CURRENCIES);
            v.as_object_mut()?.insert("currency".into(), json!(c));
            Some(format!("policy_currency={c}"))
        }
        2 => {
            let p = pick_path(rng, v, |p, x| last_key(p) == "days" && x.is_number())?;
            let days = *rng.pick(&[0i64, 1, 6, 7, 8, 14, 15, 30, 3660, 3661, -1]);
            *at_mut(v, &p)? = json!(days);
            Some(format!("policy_days={days}@{}", describe(&p)))
        }
        3 => {
            let schema = rng.pick(&[json!(2), json!(0), json!("1"), Value::Null, json!(1.0)]).clone();
            v.as_object_mut()?.insert("schema".into(), schema.clone());
            Some(format!("policy_schema={schema}"))
        }
        4 => {
            let preset =
                *rng.pick(&["us-retail", "cn-consumer-law", "eu-consumer-rights", "sportswear-cn", "nope", ""]);
            v.as_object_mut()?.insert("extends".into(), json!(preset));
            Some(format!("policy_extends={preset}"))
        }
        5 => {
            // A rule's condition with an unknown operator or fact.
            let p = pick_path(rng, v, |p, x| last_key(p) == "when" && x.is_object())?;
            let when = at_mut(v, &p)?;
            let bad = if rng.chance(0.5) {
                json!({"item.category": {"regex": "shoe.*"}})
            } else {
                json!({"item.colour": {"eq": "red"}})
            };
            *when = bad;
            Some(format!("policy_bad_condition@{}", describe(&p)))
        }
        6 => {
            // `not` twice over, `depth` times: the same meaning, deeper (the limit is 32).
            let p = pick_path(rng, v, |p, x| last_key(p) == "when" && x.is_object())?;
            let depth = *rng.pick(&[1usize, 8, 15, 16, 17, 30]);
            let when = at_mut(v, &p)?;
            let mut x = when.clone();
            for _ in 0..depth {
                x = object([("not", object([("not", x)]))]);
            }
            *when = x;
            Some(format!("policy_not_not={depth}@{}", describe(&p)))
        }
        7 => {
            let p = pick_path(rng, v, |p, x| last_key(p) == "when" && x.is_object())?;
            let when = at_mut(v, &p)?;
            let wrap = *rng.pick(&["all", "any"]);
            *when = object([(wrap, Value::Array(vec![when.clone(), when.clone()]))]);
            Some(format!("policy_wrap_{wrap}@{}", describe(&p)))
        }
        8 => {
            // Two versions: this one from 2026-11-10 and an older copy with one change.
            let mut newer = v.clone();
            let mut older = v.clone();
            let when = *rng.pick(&["2026-11-10T00:00:00+08:00", "2026-11-01T00:00:00Z", "2026-03-08T02:30:00-05:00"]);
            newer.as_object_mut()?.insert("effective_from".into(), json!(when));
            older.as_object_mut()?.insert("effective_from".into(), json!("2020-01-01T00:00:00Z"));
            older.as_object_mut()?.insert("version".into(), json!("old"));
            *v = Value::Array(if rng.chance(0.8) { vec![older, newer] } else { vec![newer, older] });
            Some(format!("policy_versions@{when}"))
        }
        9 => {
            let p = pick_path(rng, v, |p, x| last_key(p) == "rules" && x.is_array())?;
            let rules = at_mut(v, &p)?.as_array_mut()?;
            if rules.is_empty() {
                return None;
            }
            let i = rng.below(rules.len());
            let copy = rules[i].clone();
            rules.push(copy);
            Some(format!("policy_dup_rule@{}", describe(&p)))
        }
        _ => {
            let id = match rng.below(5) {
                0 => String::new(),
                1 => "x".into(),
                2 => "店铺-退货".into(),
                3 => "a b".into(),
                _ => "x".repeat(300),
            };
            v.as_object_mut()?.insert("id".into(), json!(id));
            Some("policy_id".to_string())
        }
    }
}

/// Mutations of the printed text.
fn mutate_text(rng: &mut Rng, text: &str) -> (String, String) {
    match rng.below(8) {
        0 | 1 => {
            let mut cut = rng.below(text.len().max(1));
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            (text[..cut].to_string(), format!("truncate@{cut}"))
        }
        2 => {
            let tail = *rng.pick(&[" x", "}", "{}", "]", ",", "\n", " ", "\u{0}", "//"]);
            (format!("{text}{tail}"), format!("append={tail:?}"))
        }
        3 => {
            let head = *rng.pick(&["\u{feff}", " \n\t", "x", "[", "\u{a0}"]);
            (format!("{head}{text}"), format!("prepend={head:?}"))
        }
        4 => {
            let whole = *rng.pick(&["", "null", "[]", "{}", "42", "\"text\"", "true", "[{}]", "{\"\":1}", "\u{0}"]);
            (whole.to_string(), format!("whole={whole:?}"))
        }
        5 => {
            // A byte changed: a quote, brace or comma.
            let spots: Vec<usize> = text.match_indices(['"', '{', '}', ',', ':']).map(|(i, _)| i).collect();
            if spots.is_empty() {
                return (text.to_string(), "none".into());
            }
            let i = spots[rng.below(spots.len())];
            let repl = *rng.pick(&["", "'", "\\", " ", ";"]);
            (format!("{}{}{}", &text[..i], repl, &text[i + 1..]), format!("byte@{i}={repl:?}"))
        }
        _ => {
            // Repeat the whole text: two documents.
            (format!("{text}\n{text}"), "twice".into())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// The batch twin of a single call.
fn batch_of(call: &str) -> Option<&'static str> {
    match call {
        "check_return" => Some("check_returns"),
        "quote_refund" => Some("quote_refunds"),
        "check_exchange" => Some("check_exchanges"),
        "check_warranty" => Some("check_warranties"),
        "sla_deadlines" => Some("sla_deadlines_many"),
        _ => None,
    }
}

struct Writer<W: Write> {
    out: W,
    line: usize,
    /// Policy text -> the first line that carried it.
    seen: HashMap<String, usize>,
    calls: BTreeMap<String, usize>,
    mutated: BTreeMap<String, usize>,
    policy_mutated: usize,
}

impl<W: Write> Writer<W> {
    fn emit(&mut self, call: &str, policy: &str, request: Option<String>, src: &str, muts: &[String]) {
        let mut line = Map::new();
        line.insert("call".into(), json!(call));
        match self.seen.get(policy) {
            Some(k) => {
                line.insert("policy_of".into(), json!(k));
            }
            None => {
                self.seen.insert(policy.to_string(), self.line);
                line.insert("policy".into(), json!(policy));
            }
        }
        if let Some(r) = request {
            line.insert("request".into(), json!(r));
        }
        line.insert("src".into(), json!(src));
        if !muts.is_empty() {
            line.insert("mut".into(), json!(muts));
        }
        let text = Value::Object(line).to_string();
        if let Err(e) = writeln!(self.out, "{text}") {
            eprintln!("writing the corpus: {e}");
            std::process::exit(2)
        }
        *self.calls.entry(call.to_string()).or_default() += 1;
        *self.mutated.entry(if muts.is_empty() { "unchanged".into() } else { "mutated".into() }).or_default() += 1;
        self.line += 1;
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(arg(&args, "--root").unwrap_or_else(|| ".".into()));
    let seed: u64 = arg(&args, "--seed").and_then(|s| s.parse().ok()).unwrap_or(20_261_124);
    let lines: usize = arg(&args, "--lines").and_then(|s| s.parse().ok()).unwrap_or(120_000);
    let peers_file = arg(&args, "--peers");
    let mut rng = Rng(seed);

    // The inputs.
    let cases = vector_cases(&root);
    if cases.is_empty() {
        eprintln!("no vectors under {}", root.join("tests/vectors").display());
        std::process::exit(2);
    }
    let mut policies: Vec<(String, String)> = Vec::new(); // (src, text)
    for dir in ["presets", "tests/policies"] {
        for file in json_files(&root.join(dir)) {
            let name =
                format!("{dir}/{}", file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default());
            policies.push((name, read(&file)));
        }
    }
    for c in &cases {
        if !policies.iter().any(|(_, t)| *t == c.policy) {
            policies.push((c.src.clone(), c.policy.clone()));
        }
    }
    let mut peers: Vec<Value> = Vec::new();
    let mut peers_policy = String::new();
    if let Some(file) = &peers_file {
        let doc = parse(Path::new(file), &read(Path::new(file)));
        peers_policy = doc.get("policy").map(Value::to_string).unwrap_or_default();
        peers = doc.get("requests").and_then(Value::as_array).cloned().unwrap_or_default();
        policies.push(("peers".into(), peers_policy.clone()));
    }
    // Requests by call, with the policy they came with.
    let mut by_call: BTreeMap<String, Vec<(String, String, Value)>> = BTreeMap::new();
    for c in &cases {
        if let Some(r) = &c.request {
            by_call.entry(c.call.clone()).or_default().push((c.src.clone(), c.policy.clone(), r.clone()));
        }
    }
    // Policies that answered each call in the vectors (for pairing a request with another policy).
    let mut policies_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &cases {
        let list = policies_of.entry(c.call.clone()).or_default();
        if !list.contains(&c.policy) {
            list.push(c.policy.clone());
        }
    }
    // Batches are made from the single calls' requests.
    let single_calls: Vec<String> = by_call
        .keys()
        .filter(|c| {
            !matches!(c.as_str(), "check_returns" | "quote_refunds" | "check_warranties" | "sla_deadlines_many")
        })
        .cloned()
        .collect();

    let stdout = std::io::stdout();
    let mut w = Writer {
        out: BufWriter::with_capacity(1 << 20, stdout.lock()),
        line: 0,
        seen: HashMap::new(),
        calls: BTreeMap::new(),
        mutated: BTreeMap::new(),
        policy_mutated: 0,
    };

    // 1. Everything as it is.
    for c in &cases {
        w.emit(&c.call, &c.policy, c.request.as_ref().map(Value::to_string), &c.src, &[]);
    }
    for (src, text) in &policies {
        w.emit("load_policy", text, None, src, &[]);
        w.emit("validate_policy", text, None, src, &[]);
    }
    for (i, r) in peers.iter().enumerate() {
        w.emit("check_return", &peers_policy, Some(r.to_string()), &format!("peers#{i}"), &[]);
    }
    for (i, chunk) in peers.chunks(50).take(20).enumerate() {
        w.emit(
            "check_returns",
            &peers_policy,
            Some(Value::Array(chunk.to_vec()).to_string()),
            &format!("peers/50#{i}"),
            &[],
        );
    }

    // 2. Mutations, until `lines`.
    let peers_share = if peers.is_empty() { 0 } else { 20 };
    let mut mutated_policies: HashMap<String, Vec<(String, String)>> = HashMap::new();
    while w.line < lines {
        let mut muts: Vec<String> = Vec::new();
        let mut raws = Raws::default();
        let what = rng.weighted(&[62, peers_share, 9, 4, 9]);
        if what >= 2 {
            // A policy alone: validate_policy or load_policy, mostly mutated; or a batch.
            if what == 4 {
                // A batch: 2 to 8 requests of one call, some of them mutated.
                let call = rng.pick(&["check_return", "quote_refund", "check_warranty", "sla_deadlines"]).to_string();
                let Some(pool) = by_call.get(&call) else { continue };
                let (src, policy, _) = rng.pick(pool).clone();
                let donors: Vec<&Value> = pool.iter().map(|p| &p.2).collect();
                let n = 2 + rng.below(7);
                let mut items = Vec::new();
                for k in 0..n {
                    let (_, _, mut r) = rng.pick(pool).clone();
                    if rng.chance(0.3) {
                        let mild = rng.chance(0.4);
                        if let Some(m) = mutate_value(&mut rng, &mut r, &mut raws, &donors, mild) {
                            muts.push(format!("[{k}]{m}"));
                        }
                    }
                    items.push(r);
                }
                let mut text = raws.print(&Value::Array(items), rng.chance(0.1));
                if rng.chance(0.05) {
                    let (t, m) = mutate_text(&mut rng, &text);
                    text = t;
                    muts.push(m);
                }
                let batch = batch_of(&call).unwrap_or("check_returns");
                w.emit(batch, &policy, Some(text), &format!("batch:{src}"), &muts);
                continue;
            }
            let (src, text) = rng.pick(&policies).clone();
            let call = if what == 2 { "validate_policy" } else { "load_policy" };
            let mut policy_text = text.clone();
            if rng.chance(0.8) {
                let mut v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let n = 1 + rng.below(2);
                for _ in 0..n {
                    let m = if rng.chance(0.5) {
                        mutate_policy(&mut rng, &mut v)
                    } else {
                        let mild = rng.chance(0.5);
                        mutate_value(&mut rng, &mut v, &mut raws, &[], mild)
                    };
                    muts.extend(m);
                }
                policy_text = raws.print(&v, rng.chance(0.3));
                if rng.chance(0.08) {
                    let (t, m) = mutate_text(&mut rng, &policy_text);
                    policy_text = t;
                    muts.push(m);
                }
            }
            if !muts.is_empty() {
                w.policy_mutated += 1;
            }
            w.emit(call, &policy_text, None, &src, &muts);
            continue;
        }

        // A request, mutated, maybe under another or a mutated policy, maybe in a batch.
        let (src, mut policy, mut request, call, donors): (String, String, Value, String, Vec<&Value>) = if what == 1 {
            let i = rng.below(peers.len());
            let donors = (0..4).map(|_| &peers[rng.below(peers.len())]).collect();
            (format!("peers#{i}"), peers_policy.clone(), peers[i].clone(), "check_return".into(), donors)
        } else {
            let call = rng.pick(&single_calls).clone();
            let Some(pool) = by_call.get(&call) else { continue };
            let (src, policy, request) = rng.pick(pool).clone();
            (src, policy, request, call, pool.iter().map(|p| &p.2).collect())
        };
        // The policy: another one that answers this call (5 %), or a mutated one (10 %).
        let roll = rng.below(100);
        if roll < 5 {
            if let Some(list) = policies_of.get(&call) {
                policy = rng.pick(list).clone();
                muts.push("other_policy".into());
            }
        } else if roll < 15 {
            // Half of the time one made before for this policy: fewer texts to compile and store.
            let made = mutated_policies.get(&policy).map_or(0, Vec::len);
            if made > 0 && rng.chance(0.5) {
                let (text, m) = mutated_policies[&policy][rng.below(made)].clone();
                muts.push(format!("policy:{m}"));
                policy = text;
                w.policy_mutated += 1;
            } else {
                let mut v: Value = serde_json::from_str(&policy).unwrap_or(Value::Null);
                let mut praws = Raws::default();
                let m = if rng.chance(0.65) {
                    mutate_policy(&mut rng, &mut v)
                } else {
                    let mild = rng.chance(0.3);
                    mutate_value(&mut rng, &mut v, &mut praws, &[], mild)
                };
                if let Some(m) = m {
                    muts.push(format!("policy:{m}"));
                    let text = praws.print(&v, rng.chance(0.3));
                    mutated_policies.entry(policy.clone()).or_default().push((text.clone(), m));
                    policy = text;
                    w.policy_mutated += 1;
                }
            }
        }
        // The request: 0 to 3 mutations, mild ones more often.
        let n = *rng.pick(&[0usize, 0, 1, 1, 1, 1, 2, 3]);
        for _ in 0..n {
            let mild = rng.chance(0.65);
            if let Some(m) = mutate_value(&mut rng, &mut request, &mut raws, &donors, mild) {
                muts.push(m);
            }
        }
        let batch = batch_of(&call).filter(|_| rng.chance(0.06));
        let mut text = if batch.is_some() {
            let extra = rng.below(3);
            let mut items = vec![request];
            for _ in 0..extra {
                items.push((*rng.pick(&donors)).clone());
            }
            raws.print(&Value::Array(items), rng.chance(0.1))
        } else {
            raws.print(&request, rng.chance(0.1))
        };
        if rng.chance(0.05) {
            let (t, m) = mutate_text(&mut rng, &text);
            text = t;
            muts.push(m);
        }
        w.emit(batch.unwrap_or(&call), &policy, Some(text), &src, &muts);
    }
    if let Err(e) = w.out.flush() {
        eprintln!("writing the corpus: {e}");
        std::process::exit(2)
    }
    let calls: Vec<String> = w.calls.iter().map(|(k, v)| format!("{k} {v}")).collect();
    eprintln!(
        "corpus: {} lines (seed {seed}): {}; {} unchanged, {} mutated ({} with a mutated policy); {} distinct policy texts",
        w.line,
        calls.join(", "),
        w.mutated.get("unchanged").unwrap_or(&0),
        w.mutated.get("mutated").unwrap_or(&0),
        w.policy_mutated,
        w.seen.len()
    );
}
