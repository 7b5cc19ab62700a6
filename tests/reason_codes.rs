//! Every code an answer can carry has its text in English and in Simplified Chinese.
//!
//! Runs every shared vector twice, in `en` and in `zh-CN`, collects each `{code, message}` the
//! answers hold (reasons, refund components, repair-quote lines), and checks that:
//! - every code given is in the catalogue (`aftersales::reasons::CATALOGUE`);
//! - every catalogue code is given by some vector, so its text is exercised;
//! - its Chinese text holds Chinese characters and differs from its English text.
//!
//! It also renders every sample of the templates (`aftersales::messages::samples()`), each with
//! its code, in both locales and checks the same of each text directly, so that every template
//! and every catalogue code is checked whether or not a vector gives it.
//!
//! It also keeps the table of codes in `docs/reason-codes.md` current: the table between the
//! `reason-codes` markers is generated from the catalogue and the texts seen here. Run with
//! `UPDATE_DOCS=1 cargo test --test reason_codes` to rewrite it after a change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use aftersales::reasons::{Kind, CATALOGUE};
use aftersales::vocabulary::Locale;
use aftersales::PolicyEngine;
use common::{call, cases, root, vector_files};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What the vectors showed of one code.
#[derive(Default)]
struct Seen {
    en: Option<String>,
    zh: Option<String>,
    figures: BTreeSet<String>,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Sets `locale` on a request, or on every request of a batch.
fn with_locale(request: &Value, locale: &str) -> Value {
    let mut r = request.clone();
    match &mut r {
        Value::Object(m) => {
            m.insert("locale".into(), Value::from(locale));
        }
        Value::Array(items) => {
            for item in items {
                if let Value::Object(m) = item {
                    m.insert("locale".into(), Value::from(locale));
                }
            }
        }
        _ => {}
    }
    r
}

/// Every `{code, message}` object in an answer (errors, which also have a `path`, excepted).
fn collect(v: &Value, zh: bool, seen: &mut BTreeMap<String, Seen>, overridden: &BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(code)), Some(Value::String(message)), None) =
                (m.get("code"), m.get("message"), m.get("path"))
            {
                let entry = seen.entry(code.clone()).or_default();
                if !overridden.contains(code) {
                    let slot = if zh { &mut entry.zh } else { &mut entry.en };
                    slot.get_or_insert_with(|| message.clone());
                }
                if let Some(Value::Object(f)) = m.get("figures") {
                    entry.figures.extend(f.keys().cloned());
                }
            }
            m.values().for_each(|x| collect(x, zh, seen, overridden));
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, zh, seen, overridden)),
        _ => {}
    }
}

/// Runs every vector in both locales; the texts are checked as they come.
fn run_all() -> (BTreeMap<String, Seen>, Vec<String>) {
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut engines: BTreeMap<String, Option<PolicyEngine>> = BTreeMap::new();
    for file in vector_files() {
        for case in cases(&file) {
            if case.call == "load_policy" || case.call == "validate_policy" {
                continue;
            }
            let Some(engine) =
                engines.entry(case.policy.clone()).or_insert_with(|| PolicyEngine::new(&case.policy).ok())
            else {
                continue;
            };
            // Codes whose text the policy overrides say nothing of the engine's translations.
            let overridden: BTreeSet<String> = serde_json::from_str::<Value>(&case.policy)
                .ok()
                .and_then(|p| p.get("messages").and_then(Value::as_object).map(|m| m.keys().cloned().collect()))
                .unwrap_or_default();
            for (locale, zh) in [("en", false), ("zh-CN", true)] {
                let request = with_locale(&case.request, locale).to_string();
                let Ok(answer) = call(engine, &case.call, &request) else { continue };
                let answer: Value = serde_json::from_str(&answer).unwrap();
                let mut here = BTreeMap::new();
                collect(&answer, zh, &mut here, &overridden);
                for (code, s) in here {
                    let text = if zh { s.zh.as_deref() } else { s.en.as_deref() };
                    if let Some(text) = text {
                        if zh && !text.chars().any(is_cjk) {
                            problems.push(format!("{}: {code} in zh-CN has no Chinese: {text}", case.name));
                        }
                    }
                    let entry = seen.entry(code).or_default();
                    entry.figures.extend(s.figures);
                    if entry.en.is_none() {
                        entry.en = s.en;
                    }
                    if entry.zh.is_none() {
                        entry.zh = s.zh;
                    }
                }
            }
        }
    }
    (seen, problems)
}

#[test]
fn every_code_has_english_and_chinese_text() {
    let (seen, mut problems) = run_all();
    for code in seen.keys() {
        if aftersales::reasons::lookup(code).is_none() {
            problems.push(format!("{code} is given but is not in the catalogue (src/reasons.rs)"));
        }
    }
    for c in CATALOGUE {
        match seen.get(c.code) {
            None => problems.push(format!("{}: no vector gives this code, so its text is never checked", c.code)),
            Some(s) => {
                if s.en.is_none() || s.zh.is_none() {
                    problems.push(format!("{}: seen in only one language", c.code));
                }
                if s.en == s.zh {
                    problems.push(format!("{}: the same text in both languages: {:?}", c.code, s.en));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_template_has_english_and_chinese_text() {
    let samples = aftersales::messages::samples();
    let mut problems = Vec::new();
    for (code, message) in &samples {
        let (area, variant) = message.variant();
        let name = format!("{area}::{variant} ({code})");
        match aftersales::reasons::lookup(code) {
            None => problems.push(format!("{name}: the code is not in the catalogue (src/reasons.rs)")),
            Some(c) if c.area != area => {
                problems.push(format!("{name}: the catalogue puts the code in area {}", c.area));
            }
            Some(_) => {}
        }
        let en = message.clone().render(Locale::En);
        let zh = message.clone().render(Locale::ZhCn);
        if en.trim().is_empty() {
            problems.push(format!("{name}: no English text"));
        }
        if en.chars().any(is_cjk) {
            problems.push(format!("{name}: Chinese characters in the English text: {en}"));
        }
        if !zh.chars().any(is_cjk) {
            problems.push(format!("{name}: no Chinese characters in the zh-CN text: {zh}"));
        }
        if zh == en {
            problems.push(format!("{name}: the same text in both languages: {en}"));
        }
        for text in [&en, &zh] {
            if text.contains(['{', '}']) {
                problems.push(format!("{name}: a placeholder is left: {text}"));
            }
        }
    }
    for (area, variant) in aftersales::messages::variants() {
        if !samples.iter().any(|(_, m)| m.variant() == (area, variant)) {
            problems.push(format!("{area}::{variant} has no sample (src/messages/{area}.rs, samples())"));
        }
    }
    for c in CATALOGUE {
        if !samples.iter().any(|(code, _)| *code == c.code) {
            problems.push(format!("{}: no template sample is given with this code", c.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Reason => "reason",
        Kind::Component => "refund amount",
        Kind::QuoteLine => "repair quote line",
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The table of codes in `docs/reason-codes.md`, from the catalogue and the texts the vectors gave.
fn table(seen: &BTreeMap<String, Seen>) -> String {
    let mut out = String::from(
        "| code | answer part | when | figures | example (en) | example (zh-CN) |\n|---|---|---|---|---|---|\n",
    );
    let mut area = "";
    for c in CATALOGUE {
        if c.area != area {
            area = c.area;
            out.push_str(&format!("| **{area}** | | | | | |\n"));
        }
        let s = seen.get(c.code);
        let figures = s.map(|s| s.figures.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "));
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            c.code,
            kind_name(c.kind),
            cell(c.meaning),
            figures.unwrap_or_default(),
            cell(s.and_then(|s| s.en.as_deref()).unwrap_or("")),
            cell(s.and_then(|s| s.zh.as_deref()).unwrap_or("")),
        ));
    }
    out
}

#[test]
fn docs_table_of_codes_is_current() {
    const START: &str = "<!-- reason-codes:start (generated by tests/reason_codes.rs) -->\n";
    const END: &str = "<!-- reason-codes:end -->";
    let (seen, _) = run_all();
    let path = root().join("docs/reason-codes.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/reason-codes.md lacks the reason-codes markers");
    };
    let current = &doc[a + START.len()..b];
    let wanted = table(&seen);
    if current != wanted {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}{START}{wanted}{}", &doc[..a], &doc[b..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/reason-codes.md's table of codes is stale: run `UPDATE_DOCS=1 cargo test --test reason_codes`"
            );
        }
    }
}
