//! The command line `aftersales` (feature `cli`) as a real process: the hand-worked figures of
//! `tests/history/README.md` through `diff`, `validate` with line and column and its exit codes,
//! JSON Lines through `check` with a malformed line, `schema`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn history(name: &str) -> String {
    common::root().join("tests/history").join(name).display().to_string()
}

fn aftersales(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The figures of tests/history/README.md, worked out by hand there.
#[test]
fn diff_gives_the_hand_worked_figures() {
    let (old, new, requests) = (history("policy-old.json"), history("policy-new.json"), history("returns.jsonl"));
    let o = aftersales(&["diff", &old, &new, &requests, "--format", "json"], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((r["requests"].as_u64(), r["changed"].as_u64()), (Some(23), Some(19)));
    let counts: Vec<(String, u64, u64)> = r["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                format!("{}→{}", t["from"].as_str().unwrap(), t["to"].as_str().unwrap()),
                t["count"].as_u64().unwrap(),
                t["changed"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("approve→approve", 6, 5),
        ("deny→approve", 6, 6),
        ("deny→deny", 8, 6),
        ("deny→review", 1, 1),
        ("error→error", 1, 0),
        ("review→review", 1, 1),
    ];
    assert_eq!(counts, expected.iter().map(|(n, c, ch)| (n.to_string(), *c, *ch)).collect::<Vec<_>>());
    assert_eq!(r["money"], json!([{"currency": "CNY", "before": 205200, "after": 337600, "delta": 132400}]));
    assert_eq!(r["deadlines"][0]["later_seconds"], 12_441_600);
    assert_eq!(r["reasons"][1], json!({"code": "RETURN_WINDOW_EXPIRED", "gained": 0, "lost": 9}));

    // The table says the same, and --fail-on-change fails.
    let o = aftersales(&["diff", &old, &new, &requests, "--fail-on-change"], None);
    assert_eq!(o.status.code(), Some(1));
    let table = stdout(&o);
    assert!(table.contains("23 requests compared, 19 changed"), "{table}");
    assert!(table.contains("CNY 2,052.00 → 3,376.00"), "{table}");
    assert!(table.contains("CNY moved +1,324.00"), "{table}");
}

#[test]
fn diff_reads_standard_input_and_writes_an_html_report() {
    let (old, new) = (history("policy-old.json"), history("policy-new.json"));
    let requests = std::fs::read_to_string(history("returns.jsonl")).unwrap();
    let html = std::env::temp_dir().join(format!("aftersales-diff-{}.html", std::process::id()));
    let html_path = html.display().to_string();
    let input = format!("{requests}this is not json\n");
    let o = aftersales(&["diff", &old, &new, "-", "--format", "json", "--html", &html_path], Some(&input));
    assert_eq!(o.status.code(), Some(0));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["invalid"]["count"], 1);
    assert_eq!(r["invalid"]["examples"][0]["line"], 24);
    let page = std::fs::read_to_string(&html).unwrap();
    std::fs::remove_file(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("<svg"), "{page}");
    assert!(page.contains("+1,324.00 CNY"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"), "self-contained");
}

/// Errors in three sections, each with its line and column (counted by hand in the file).
#[test]
fn validate_lists_every_error_with_line_and_column_and_exits_1() {
    let broken = history("policy-broken.json");
    let o = aftersales(&["validate", &broken], None);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with(&format!("{broken}:9:16: error INVALID_VALUE at returns.window.days:")), "{text}");
    assert!(lines[1].starts_with(&format!("{broken}:13:5: error INVALID_FIELD at refunds.rounding:")), "{text}");
    assert!(
        lines[2].starts_with(&format!("{broken}:18:8: error UNKNOWN_REFERENCE at sla.plans[0].targets[0].calendar:")),
        "{text}"
    );
    assert_eq!(lines[3], format!("{broken}: 3 error(s), 0 warning(s)"));

    let o = aftersales(&["validate", "--format", "json", &broken], None);
    assert_eq!(o.status.code(), Some(1));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["ok"], false);
    let mut at: Vec<(u64, u64, String)> = r["files"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap(), e["path"].as_str().unwrap().to_string()))
        .collect();
    at.sort();
    assert_eq!(
        at,
        vec![
            (9, 16, "returns.window.days".to_string()),
            (13, 5, "refunds.rounding".to_string()),
            (18, 8, "sla.plans[0].targets[0].calendar".to_string())
        ]
    );
}

#[test]
fn validate_a_clean_policy_exits_0_and_warnings_fail_only_when_denied() {
    let o = aftersales(&["validate", &history("policy-old.json"), &history("policy-new.json")], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Below the law (a 3-day no-reason window under CN law): a warning, exit 0 unless denied.
    let dir = std::env::temp_dir().join(format!("aftersales-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let low = dir.join("low.json");
    std::fs::write(&low, "{\"schema\": 1, \"id\": \"low\", \"version\": \"1\", \"extends\": \"cn-consumer-law\",\n \"returns\": {\"reasons\": {\"changed_mind\": {\"window\": {\"days\": 3}}}}}\n").unwrap();
    let low = low.display().to_string();
    let o = aftersales(&["validate", &low], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("{low}:2:")), "{}", stdout(&o));
    assert!(stdout(&o).contains("warning BELOW_STATUTORY_MINIMUM"), "{}", stdout(&o));
    let o = aftersales(&["validate", "--deny-warnings", &low], None);
    assert_eq!(o.status.code(), Some(1));
    // The same warning in Chinese: what the law gives and its article from the statute tables.
    let o = aftersales(&["validate", "--locale", "zh-CN", &low], None);
    assert!(
        stdout(&o).contains(
            "returns.reasons.changed_mind.window.days: 3 天的退货期短于法定期限：\
             消费者自收到商品之日起七日内有权无理由退货（《消费者权益保护法》第二十五条） (CN-CRPL-25)"
        ),
        "{}",
        stdout(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_answers_json_lines_in_order_and_reports_a_bad_line_without_stopping() {
    let requests = std::fs::read_to_string(history("returns.jsonl")).unwrap();
    let mut lines: Vec<&str> = requests.lines().collect();
    lines.insert(2, "{not json");
    lines.insert(4, "");
    let input = lines.join("\n");
    let o = aftersales(&["check", &history("policy-new.json")], Some(&input));
    assert_eq!(o.status.code(), Some(1), "a refused line: exit 1");
    let out: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // 23 requests and the bad line; the blank line has no answer.
    assert_eq!(out.len(), 24);
    let numbers: Vec<u64> = out.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    let mut expected: Vec<u64> = (1..=25).filter(|n| *n != 5).collect();
    expected.truncate(24);
    assert_eq!(numbers, expected);
    assert_eq!(out[2]["ok"], false);
    assert_eq!(out[2]["error"]["code"], "INVALID_JSON");
    assert_eq!(out[0]["value"]["outcome"], "approve");
    // Line 6 of the input is H05 (a bad line and a blank line before it): approved under 15 days.
    assert_eq!(out[4]["line"], 6);
    assert_eq!(out[4]["value"]["outcome"], "approve");
    // H23 (3 units of a line of 1) is refused with its own error.
    assert_eq!(out[23]["error"]["code"], "INVALID_VALUE");
}

#[test]
fn quote_prices_the_deduction() {
    let first = std::fs::read_to_string(history("returns.jsonl")).unwrap().lines().nth(1).unwrap().to_string();
    let o = aftersales(&["quote", &history("policy-new.json"), "-"], Some(&first));
    assert_eq!(o.status.code(), Some(0));
    let answer: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    // H02: 15900 without tags, 2000 off.
    assert_eq!(answer["value"]["total"], 13900);
}

#[test]
fn schema_prints_the_package_schema() {
    let o = aftersales(&["schema"], None);
    assert_eq!(o.status.code(), Some(0));
    let committed = std::fs::read_to_string(common::root().join("pkg/policy.schema.json")).unwrap();
    assert_eq!(stdout(&o), committed);
}

#[test]
fn a_missing_policy_file_exits_2() {
    let o = aftersales(&["check", "/nonexistent/policy.json"], Some(""));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/policy.json"));
}
