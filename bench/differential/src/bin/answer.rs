//! `answer CORPUS [--start N] > OUTPUT`: answers every line of a corpus (JSON Lines, written by
//! `corpus`) with the library it was built against, one output line per input line, in order:
//!
//! - `{"i":N,"ok":ANSWER}`: the answer's text exactly as the library printed it (for
//!   `load_policy`, `info()`; for `validate_policy`, the `Validation`), unparsed;
//! - `{"i":N,"err":ERROR}`: the request was refused (`PolicyError`: code, path, message);
//!   for `load_policy`, the policy was;
//! - `{"i":N,"policy_err":ERROR}`: the policy of an evaluator call did not compile;
//! - `{"i":N,"panic":MESSAGE}`: the library panicked (it should never).
//!
//! Only the public API both revisions have is called. Each distinct policy text is compiled
//! once. The time spent answering goes to stderr.
//!
//! Output is flushed line by line, so when the library takes the process down (an abort on an
//! allocation that fails), the output ends right before the line that did it; the caller
//! (scripts/differential.sh) records `{"i":N,"crash":…}` for it and carries on from the next
//! line with `--start N+1`.

use aftersales::{validate_policy, PolicyEngine, PolicyError};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::time::Instant;

/// One corpus line. `policy` is the policy's text; `policy_of: K` reuses line K's.
#[derive(Deserialize)]
struct Line {
    call: String,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    policy_of: Option<usize>,
    #[serde(default)]
    request: Option<String>,
}

enum Out {
    Ok(String),
    Err(PolicyError),
    PolicyErr(PolicyError),
}

fn evaluate(engine: &PolicyEngine, call: &str, request: &str) -> Result<String, PolicyError> {
    match call {
        "check_return" => engine.check_return_json(request),
        "check_returns" => engine.check_returns_json(request),
        "quote_refund" => engine.quote_refund_json(request),
        "quote_refunds" => engine.quote_refunds_json(request),
        "check_exchange" => engine.check_exchange_json(request),
        "check_exchanges" => engine.check_exchanges_json(request),
        "check_warranty" => engine.check_warranty_json(request),
        "check_warranties" => engine.check_warranties_json(request),
        "sla_deadlines" => engine.sla_deadlines_json(request),
        "sla_deadlines_many" => engine.sla_deadlines_many_json(request),
        "calendar" => engine.calendar_json(request),
        other => {
            eprintln!("unknown call {other:?}");
            std::process::exit(2)
        }
    }
}

fn to_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("could not print an answer: {e}");
            std::process::exit(2)
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(corpus), start) = (args.get(1).cloned(), args.get(2).filter(|a| *a == "--start")) else {
        eprintln!("usage: answer CORPUS [--start N] > OUTPUT");
        std::process::exit(2)
    };
    let start: usize = match start {
        None => 0,
        Some(_) => args.get(3).and_then(|n| n.parse().ok()).unwrap_or_else(|| {
            eprintln!("--start takes a line number");
            std::process::exit(2)
        }),
    };
    let file = match std::fs::File::open(&corpus) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{corpus}: {e}");
            std::process::exit(2)
        }
    };
    // A panic is an answer here: keep the default hook from printing each one.
    std::panic::set_hook(Box::new(|_| {}));

    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    // Line index -> the policy text it carries (for `policy_of`), and text -> compiled engine.
    let mut texts: HashMap<usize, Rc<str>> = HashMap::new();
    let mut engines: HashMap<Rc<str>, Result<PolicyEngine, PolicyError>> = HashMap::new();
    let started = Instant::now();
    let mut panics = 0usize;
    let mut lines = 0usize;
    let mut raw = String::new();
    for i in 0.. {
        raw.clear();
        match reader.read_line(&mut raw) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("{corpus}: line {i}: {e}");
                std::process::exit(2)
            }
        }
        // Before `--start`, only the policy texts matter (for `policy_of`); most lines carry none.
        if i < start && !raw.contains("\"policy\":\"") {
            continue;
        }
        let line: Line = serde_json::from_str(&raw).unwrap_or_else(|e| {
            eprintln!("{corpus}: line {i}: {e}");
            std::process::exit(2)
        });
        let policy: Option<Rc<str>> = match (line.policy, line.policy_of) {
            (Some(text), _) => {
                let text: Rc<str> = Rc::from(text);
                texts.insert(i, text.clone());
                Some(text)
            }
            (None, Some(k)) => match texts.get(&k) {
                Some(text) => Some(text.clone()),
                None => {
                    eprintln!("{corpus}: line {i}: policy_of {k} names no earlier line with a policy");
                    std::process::exit(2)
                }
            },
            (None, None) => None,
        };
        if i < start {
            continue;
        }
        lines += 1;
        let request = line.request.unwrap_or_default();
        let call = line.call.as_str();
        let answered = catch_unwind(AssertUnwindSafe(|| -> Out {
            let Some(policy) = &policy else {
                eprintln!("{corpus}: line {i}: no policy");
                std::process::exit(2)
            };
            if call == "validate_policy" {
                return Out::Ok(to_text(&validate_policy(policy)));
            }
            let engine = engines.entry(policy.clone()).or_insert_with(|| PolicyEngine::new(policy));
            match (call, engine) {
                ("load_policy", Ok(engine)) => Out::Ok(to_text(&engine.info())),
                ("load_policy", Err(e)) => Out::Err(e.clone()),
                (_, Err(e)) => Out::PolicyErr(e.clone()),
                (_, Ok(engine)) => match evaluate(engine, call, &request) {
                    Ok(text) => Out::Ok(text),
                    Err(e) => Out::Err(e),
                },
            }
        }));
        let written = match answered {
            Ok(Out::Ok(text)) => writeln!(out, "{{\"i\":{i},\"ok\":{text}}}"),
            Ok(Out::Err(e)) => writeln!(out, "{{\"i\":{i},\"err\":{}}}", to_text(&e)),
            Ok(Out::PolicyErr(e)) => writeln!(out, "{{\"i\":{i},\"policy_err\":{}}}", to_text(&e)),
            Err(payload) => {
                panics += 1;
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                writeln!(out, "{{\"i\":{i},\"panic\":{}}}", to_text(&message))
            }
        };
        // Flushed line by line: when the process dies (an abort, out of memory), the output
        // ends exactly before the line that killed it.
        let written = written.and_then(|()| out.flush());
        if let Err(e) = written {
            eprintln!("writing the output: {e}");
            std::process::exit(2)
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("writing the output: {e}");
        std::process::exit(2)
    }
    eprintln!(
        "answered {} lines ({} policies compiled, {} panics) in {:.2} s",
        lines,
        engines.len(),
        panics,
        started.elapsed().as_secs_f64()
    );
}
