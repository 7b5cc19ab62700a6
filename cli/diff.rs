//! `diff OLD NEW REQUESTS`: both policies answer every request, a chunk at a time on every core;
//! the chunks' reports merge into one (`aftersales::compare`), printed as a table or JSON, and
//! written as an HTML page if asked.

use crate::input::Chunks;
use crate::{Fatal, Format};
use aftersales::compare::{Comparison, DiffReport, Money};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub struct Options<'a> {
    pub evaluator: &'a str,
    pub format: Format,
    pub html: Option<&'a Path>,
    pub examples: usize,
    pub fail_on_change: bool,
}

pub fn run(old: &Path, new: &Path, requests: Option<&Path>, o: &Options<'_>) -> Result<ExitCode, Fatal> {
    let (old, new) = (crate::engine(old)?, crate::engine(new)?);
    let cmp = Comparison::new(&old, &new, o.evaluator, o.examples)?;
    let lines = Chunks::open(requests).map_err(|e| Fatal(format!("{}: {e}", crate::run::shown(requests))))?;
    let report = compare(&cmp, &lines)?;
    lines.progress.finish_and_clear();
    if let Some(path) = o.html {
        std::fs::write(path, crate::html::page(&report)).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    match o.format {
        Format::Json => println!("{}", serde_json::to_string(&report)?),
        Format::Text => print!("{}", table(&report)),
    }
    Ok(if o.fail_on_change && report.changed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Every line compared: each chunk's lines on every core, each thread's report merged.
fn compare(cmp: &Comparison<'_>, lines: &Chunks) -> Result<DiffReport, Fatal> {
    let mut total = cmp.report();
    loop {
        let chunk = lines.next_chunk()?;
        if chunk.is_empty() {
            return Ok(total);
        }
        let part = chunk
            .into_par_iter()
            .fold(
                || cmp.report(),
                |mut report, (line, text)| {
                    match text {
                        Ok(text) => cmp.add(&mut report, line, &text),
                        Err(e) => report.add_invalid(line, e),
                    }
                    report
                },
            )
            .reduce(
                || cmp.report(),
                |mut a, b| {
                    a.merge(b);
                    a
                },
            );
        total.merge(part);
    }
}

/// Minor units as an amount of `currency` (its ISO 4217 minor-unit digits): `132400` CNY is
/// `1,324.00`; exact, no floating point.
pub fn amount(minor: i128, currency: &str) -> String {
    let digits = iso_currency::Currency::from_code(currency).and_then(|c| c.exponent()).unwrap_or(2);
    let scale = 10i128.pow(u32::from(digits));
    let (sign, abs) = if minor < 0 { ("-", minor.unsigned_abs()) } else { ("", minor.unsigned_abs()) };
    let (whole, frac) = (abs / scale.unsigned_abs(), abs % scale.unsigned_abs());
    let whole = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if digits == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:0width$}", width = usize::from(digits))
    }
}

/// `CNY 0.00 → 1,305.00` for each currency.
pub fn money_line(money: &[Money]) -> String {
    if money.is_empty() {
        return String::from("-");
    }
    let each = money
        .iter()
        .map(|m| format!("{} {} → {}", m.currency, amount(m.before, &m.currency), amount(m.after, &m.currency)));
    each.collect::<Vec<_>>().join("; ")
}

/// `8d 0h` from seconds.
pub fn duration(seconds: i128) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else {
        format!("{minutes}m {}s", seconds % 60)
    }
}

/// How far a deadline moved: `+8d 0h`.
fn shift(before: &str, after: &str) -> Option<String> {
    let (b, a) =
        (chrono::DateTime::parse_from_rfc3339(before).ok()?, chrono::DateTime::parse_from_rfc3339(after).ok()?);
    let seconds = i128::from(a.timestamp() - b.timestamp());
    Some(if seconds >= 0 { format!("+{}", duration(seconds)) } else { format!("-{}", duration(-seconds)) })
}

/// The report as a terminal table.
pub fn table(r: &DiffReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} requests compared, {} changed, {} invalid lines",
        r.evaluator, r.requests, r.changed, r.invalid.count
    );
    for (label, p) in [("old", &r.old), ("new", &r.new)] {
        if let Some(p) = p {
            let _ = writeln!(out, "  {label}: {} {} {}", p.id, p.version, p.fingerprint);
        }
    }
    let _ = writeln!(out, "\n{:<24} {:>9} {:>9}", "outcome", "before", "after");
    for (outcome, c) in &r.outcomes {
        let _ = writeln!(out, "{outcome:<24} {:>9} {:>9}", c.before, c.after);
    }
    let _ = writeln!(out, "\n{:<24} {:>9} {:>9}  money (before → after)", "transition", "requests", "changed");
    let mut transitions: Vec<_> = r.transitions.iter().collect();
    transitions.sort_by_key(|t| (t.from == t.to, std::cmp::Reverse(t.count)));
    for t in &transitions {
        let name = format!("{} → {}", t.from, t.to);
        let _ = writeln!(out, "{name:<24} {:>9} {:>9}  {}", t.count, t.changed, money_line(&t.money));
    }
    let _ = writeln!(out, "\nmoney at stake: {}", money_line(&r.money));
    for m in &r.money {
        let sign = if m.delta >= 0 { "+" } else { "" };
        let _ = writeln!(out, "  {} moved {sign}{}", m.currency, amount(m.delta, &m.currency));
    }
    if r.unpriced.before + r.unpriced.after > 0 {
        let _ = writeln!(out, "  unpriced (quote refused): {} before, {} after", r.unpriced.before, r.unpriced.after);
    }
    details(r, &mut out);
    examples(&transitions, &mut out);
    out
}

/// Deadlines, SLA stages, reason codes, invalid lines.
fn details(r: &DiffReport, out: &mut String) {
    for d in &r.deadlines {
        let _ = write!(
            out,
            "\n`{}` moved: {} later (+{} in all), {} earlier",
            d.name,
            d.later,
            duration(d.later_seconds),
            d.earlier
        );
        let _ =
            writeln!(out, " (-{} in all), {} appeared, {} went away", duration(d.earlier_seconds), d.gained, d.lost);
    }
    for s in &r.sla {
        let _ = writeln!(
            out,
            "SLA {}: {} newly breached, {} no longer breached, {} newly met, {} no longer met",
            s.stage, s.newly_breached, s.no_longer_breached, s.newly_met, s.no_longer_met
        );
    }
    if !r.reasons.is_empty() {
        let _ = writeln!(out, "\n{:<32} {:>9} {:>9}", "reason code", "gained", "lost");
        for c in &r.reasons {
            let _ = writeln!(out, "{:<32} {:>9} {:>9}", c.code, c.gained, c.lost);
        }
    }
    for e in &r.invalid.examples {
        let _ = writeln!(out, "line {}: not a request: {}", e.line, e.error);
    }
}

fn examples(transitions: &[&aftersales::compare::Transition], out: &mut String) {
    let changed: Vec<_> = transitions.iter().filter(|t| !t.examples.is_empty()).collect();
    if changed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nexamples (line, id: before → after)");
    for t in changed {
        let _ = writeln!(out, "{} → {}", t.from, t.to);
        for e in &t.examples {
            let side = |g: &aftersales::compare::Glimpse| match (&g.amount, &g.currency) {
                (Some(a), Some(c)) => format!("{} {c} {}", g.outcome, amount(i128::from(*a), c)),
                _ => g.outcome.clone(),
            };
            let mut codes = e.gained.iter().map(|c| format!("+{c}")).chain(e.lost.iter().map(|c| format!("-{c}")));
            let codes = codes.by_ref().collect::<Vec<_>>().join(" ");
            let id = e.id.as_deref().unwrap_or("-");
            let moved = match (&e.before.deadline, &e.after.deadline) {
                (Some(b), Some(a)) if a != b => shift(b, a).map(|s| format!(" deadline {s}")).unwrap_or_default(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {:>6} {id:<12} {} → {}{moved}  {codes}", e.line, side(&e.before), side(&e.after));
        }
    }
}
