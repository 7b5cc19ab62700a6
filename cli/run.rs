//! `check`, `quote`, `warranty`, `sla`: one envelope out for each request in, in the order of the
//! input, each chunk answered on every core. A line that cannot be answered gets an error
//! envelope with its line number; the run goes on.

use crate::input::Chunks;
use crate::Fatal;
use aftersales::{PolicyEngine, PolicyError};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

type Evaluate = fn(&PolicyEngine, &str) -> aftersales::error::Result<String>;

fn evaluate(name: &str) -> Option<Evaluate> {
    Some(match name {
        "check_return" => PolicyEngine::check_return_json,
        "quote_refund" => PolicyEngine::quote_refund_json,
        "check_warranty" => PolicyEngine::check_warranty_json,
        "sla_deadlines" => PolicyEngine::sla_deadlines_json,
        "calendar" => PolicyEngine::calendar_json,
        _ => return None,
    })
}

/// `{"line": n, "ok": true, "value": …}` or `{"line": n, "ok": false, "error": {…}}`.
fn envelope(line: u64, answer: Result<String, PolicyError>) -> (String, bool) {
    match answer {
        Ok(value) => (format!("{{\"line\":{line},\"ok\":true,\"value\":{value}}}\n"), true),
        Err(e) => {
            let error = serde_json::to_string(&e).unwrap_or_else(|_| String::from("{}"));
            (format!("{{\"line\":{line},\"ok\":false,\"error\":{error}}}\n"), false)
        }
    }
}

/// Answers every request of `requests` (standard input when `None`) under the policy at `policy`.
/// Exit 0 when every line was answered, 1 when some were refused.
pub fn run(policy: &Path, requests: Option<&Path>, evaluator: &str) -> Result<ExitCode, Fatal> {
    let engine = crate::engine(policy)?;
    let eval = evaluate(evaluator).ok_or_else(|| Fatal(format!("no evaluator `{evaluator}`")))?;
    let lines = Chunks::open(requests).map_err(|e| Fatal(format!("{}: {e}", shown(requests))))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut refused = 0u64;
    loop {
        let chunk = lines.next_chunk()?;
        if chunk.is_empty() {
            break;
        }
        let answers: Vec<(String, bool)> =
            chunk.into_par_iter().map(|(line, text)| envelope(line, text.and_then(|t| eval(&engine, &t)))).collect();
        for (text, ok) in answers {
            refused += u64::from(!ok);
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    lines.progress.finish_and_clear();
    if refused > 0 {
        eprintln!("aftersales: {refused} line(s) refused (see their error envelopes)");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A path for messages (`standard input` for none).
pub fn shown(path: Option<&Path>) -> String {
    path.map_or_else(|| String::from("standard input"), |p| p.display().to_string())
}
