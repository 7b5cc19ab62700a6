//! `diff --html FILE`: the report as one self-contained page (inline style and SVG charts, no
//! script, nothing fetched), to open from disk or attach to a change request.

use crate::diff::{amount, duration, money_line};
use aftersales::compare::{DiffReport, Transition};
use std::fmt::Write as _;

/// Text safe inside HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330;padding:0 1rem}\
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}\
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#6b7385}\
.kpi{display:flex;gap:1rem;flex-wrap:wrap}.kpi div{background:#f4f6f9;border-radius:.5rem;padding:.6rem 1rem}\
.kpi b{display:block;font-size:1.3rem}code{font-size:.9em}svg text{font:12px system-ui,sans-serif}";

/// The colour of a transition: opened (green), closed (red), to review (amber), unchanged (grey).
fn colour(t: &Transition) -> &'static str {
    match (t.from.as_str(), t.to.as_str()) {
        (a, b) if a == b => "#b8bfcc",
        (_, "approve" | "covered" | "met") => "#2e9d5b",
        (_, "review" | "paid_repair" | "pending") => "#d99a1e",
        _ => "#cc3d3d",
    }
}

/// A horizontal bar for each transition, its length the number of requests.
fn transitions_chart(r: &DiffReport) -> String {
    let max = r.transitions.iter().map(|t| t.count).max().unwrap_or(1).max(1);
    let height = 26 * r.transitions.len() + 10;
    let mut svg = format!("<svg role=\"img\" aria-label=\"requests by transition\" width=\"720\" height=\"{height}\" viewBox=\"0 0 720 {height}\">");
    for (i, t) in r.transitions.iter().enumerate() {
        let y = 26 * i + 5;
        let width = (t.count as f64 / max as f64 * 440.0).round().max(1.0);
        let _ = write!(
            svg,
            "<text x=\"200\" y=\"{}\" text-anchor=\"end\">{} → {}</text><rect x=\"210\" y=\"{y}\" width=\"{width}\" height=\"18\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            y + 13,
            esc(&t.from),
            esc(&t.to),
            colour(t),
            210.0 + width + 6.0,
            y + 13,
            t.count
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The money each transition moved (after − before), a bar either side of zero, per currency.
fn money_chart(r: &DiffReport) -> String {
    let rows: Vec<(String, String, i128)> = r
        .transitions
        .iter()
        .flat_map(|t| t.money.iter().map(move |m| (format!("{} → {}", t.from, t.to), m.currency.clone(), m.delta)))
        .filter(|(_, _, d)| *d != 0)
        .chain(r.money.iter().map(|m| (String::from("all requests"), m.currency.clone(), m.delta)))
        .collect();
    if rows.is_empty() {
        return String::from("<p class=\"muted\">No money moved.</p>");
    }
    let max = rows.iter().map(|(_, _, d)| d.unsigned_abs()).max().unwrap_or(1).max(1);
    let height = 26 * rows.len() + 10;
    let mut svg = format!("<svg role=\"img\" aria-label=\"money moved by transition\" width=\"720\" height=\"{height}\" viewBox=\"0 0 720 {height}\"><line x1=\"450\" x2=\"450\" y1=\"0\" y2=\"{height}\" stroke=\"#8a93a6\"/>");
    for (i, (label, currency, delta)) in rows.iter().enumerate() {
        let y = 26 * i + 5;
        let width = (delta.unsigned_abs() as f64 / max as f64 * 150.0).round().max(1.0);
        let (x, fill, anchor, tx) = if *delta >= 0 {
            (450.0, "#2e9d5b", "start", 456.0 + width)
        } else {
            (450.0 - width, "#cc3d3d", "end", 444.0 - width)
        };
        let sign = if *delta >= 0 { "+" } else { "" };
        let _ = write!(
            svg,
            "<text x=\"200\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"18\" fill=\"{fill}\"/><text x=\"{tx}\" y=\"{}\" text-anchor=\"{anchor}\">{sign}{} {}</text>",
            y + 13,
            esc(label),
            y + 13,
            esc(&amount(*delta, currency)),
            esc(currency)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The whole page.
pub fn page(r: &DiffReport) -> String {
    let mut h = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>aftersales diff: {}</title><style>{STYLE}</style></head><body>", esc(&r.evaluator));
    let _ = write!(h, "<h1>What the new policy would change</h1><p class=\"muted\">");
    for (label, p) in [("old", &r.old), ("new", &r.new)] {
        if let Some(p) = p {
            let _ = write!(
                h,
                "{label}: <b>{} {}</b> <code>{}</code><br>",
                esc(&p.id),
                esc(&p.version),
                esc(&p.fingerprint)
            );
        }
    }
    let _ = write!(h, "evaluator <code>{}</code></p><div class=\"kpi\">", esc(&r.evaluator));
    let _ = write!(
        h,
        "<div><b>{}</b>requests</div><div><b>{}</b>changed</div><div><b>{}</b>invalid lines</div>",
        r.requests, r.changed, r.invalid.count
    );
    for m in &r.money {
        let sign = if m.delta >= 0 { "+" } else { "" };
        let _ = write!(
            h,
            "<div><b>{sign}{} {}</b>money moved ({} → {})</div>",
            esc(&amount(m.delta, &m.currency)),
            esc(&m.currency),
            esc(&amount(m.before, &m.currency)),
            esc(&amount(m.after, &m.currency))
        );
    }
    h.push_str("</div><h2>Transitions</h2>");
    h.push_str(&transitions_chart(r));
    h.push_str("<h2>Money moved</h2>");
    h.push_str(&money_chart(r));
    h.push_str(&tables(r));
    h.push_str("</body></html>\n");
    h
}

/// The transitions with their examples, then deadlines, SLA, reason codes, invalid lines.
fn tables(r: &DiffReport) -> String {
    let mut h = String::from("<h2>Requests by transition</h2><table><tr><th>from → to</th><th class=\"n\">requests</th><th class=\"n\">changed</th><th>money before → after</th><th>examples (line, id)</th></tr>");
    for t in &r.transitions {
        let examples: Vec<String> =
            t.examples.iter().map(|e| format!("{} {}", e.line, esc(e.id.as_deref().unwrap_or("")))).collect();
        let _ = write!(
            h,
            "<tr><td>{} → {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&t.from),
            esc(&t.to),
            t.count,
            t.changed,
            esc(&money_line(&t.money)),
            examples.join(", ")
        );
    }
    h.push_str("</table>");
    if !r.deadlines.is_empty() {
        h.push_str("<h2>Deadlines moved</h2><table><tr><th>deadline</th><th class=\"n\">later</th><th class=\"n\">earlier</th><th class=\"n\">gained</th><th class=\"n\">lost</th><th>moved in all</th></tr>");
        for d in &r.deadlines {
            let _ = write!(h, "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>+{} / −{}</td></tr>", esc(&d.name), d.later, d.earlier, d.gained, d.lost, duration(d.later_seconds), duration(d.earlier_seconds));
        }
        h.push_str("</table>");
    }
    if !r.sla.is_empty() {
        h.push_str("<h2>SLA targets</h2><table><tr><th>stage</th><th class=\"n\">newly breached</th><th class=\"n\">no longer breached</th><th class=\"n\">newly met</th><th class=\"n\">no longer met</th></tr>");
        for s in &r.sla {
            let _ = write!(h, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>", esc(&s.stage), s.newly_breached, s.no_longer_breached, s.newly_met, s.no_longer_met);
        }
        h.push_str("</table>");
    }
    if !r.reasons.is_empty() {
        h.push_str(
            "<h2>Reason codes</h2><table><tr><th>code</th><th class=\"n\">gained</th><th class=\"n\">lost</th></tr>",
        );
        for c in &r.reasons {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&c.code),
                c.gained,
                c.lost
            );
        }
        h.push_str("</table>");
    }
    for e in &r.invalid.examples {
        let _ = write!(h, "<p class=\"muted\">line {}: not a request: {}</p>", e.line, esc(&e.error.to_string()));
    }
    h
}
