//! The comparison of two policies (`aftersales::compare`): the hand-worked figures of
//! `tests/history/README.md`, reports that merge (chunks compared apart add up to one run), and
//! a policy compared with itself over every vector changes nothing, for every evaluator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use aftersales::compare::{Comparison, DiffReport};
use aftersales::PolicyEngine;
use proptest::prelude::*;
use serde_json::{json, Value};

fn history_file(name: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/history").join(name)).unwrap()
}

fn engines() -> (PolicyEngine, PolicyEngine) {
    (
        PolicyEngine::new(&history_file("policy-old.json")).unwrap(),
        PolicyEngine::new(&history_file("policy-new.json")).unwrap(),
    )
}

fn history_report(examples: usize) -> DiffReport {
    let (old, new) = engines();
    Comparison::new(&old, &new, "check_return", examples).unwrap().json_lines(&history_file("returns.jsonl"))
}

/// `(from, to) → (count, changed, [examples' lines])`.
fn transitions(report: &Value) -> Vec<(String, String, u64, u64, Vec<u64>)> {
    report["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let lines = t["examples"].as_array().unwrap().iter().map(|e| e["line"].as_u64().unwrap()).collect();
            (
                t["from"].as_str().unwrap().into(),
                t["to"].as_str().unwrap().into(),
                t["count"].as_u64().unwrap(),
                t["changed"].as_u64().unwrap(),
                lines,
            )
        })
        .collect()
}

fn t(from: &str, to: &str, count: u64, changed: u64, lines: &[u64]) -> (String, String, u64, u64, Vec<u64>) {
    (from.into(), to.into(), count, changed, lines.to_vec())
}

/// The figures of tests/history/README.md, worked out by hand there.
#[test]
fn the_history_gives_the_hand_worked_figures() {
    let report = serde_json::to_value(history_report(5)).unwrap();
    assert_eq!(report["evaluator"], "check_return");
    assert_eq!(report["requests"], 23);
    assert_eq!(report["changed"], 19);
    assert_eq!(report["invalid"]["count"], 0);
    assert_eq!(
        report["outcomes"],
        json!({"approve": {"before": 6, "after": 12}, "deny": {"before": 15, "after": 8},
               "error": {"before": 1, "after": 1}, "review": {"before": 1, "after": 2}})
    );
    assert_eq!(
        transitions(&report),
        vec![
            t("approve", "approve", 6, 5, &[1, 2, 3, 4, 18]),
            t("deny", "approve", 6, 6, &[5, 6, 7, 8, 9]),
            t("deny", "deny", 8, 6, &[12, 13, 14, 15, 16]),
            t("deny", "review", 1, 1, &[10]),
            t("error", "error", 1, 0, &[]),
            t("review", "review", 1, 1, &[21]),
        ]
    );
    assert_eq!(report["money"], json!([{"currency": "CNY", "before": 205200, "after": 337600, "delta": 132400}]));
    let money_of = |from: &str, to: &str| {
        report["transitions"].as_array().unwrap().iter().find(|t| t["from"] == from && t["to"] == to).unwrap()["money"]
            .clone()
    };
    assert_eq!(
        money_of("approve", "approve"),
        json!([{"currency": "CNY", "before": 192300, "after": 184300, "delta": -8000}])
    );
    assert_eq!(
        money_of("deny", "approve"),
        json!([{"currency": "CNY", "before": 0, "after": 130500, "delta": 130500}])
    );
    assert_eq!(money_of("deny", "review"), json!([{"currency": "CNY", "before": 0, "after": 9900, "delta": 9900}]));
    assert_eq!(money_of("review", "review"), json!([{"currency": "CNY", "before": 12900, "after": 12900, "delta": 0}]));
    assert_eq!(money_of("deny", "deny"), json!([]));
    assert_eq!(
        report["deadlines"],
        json!([{"name": "deadline", "later": 18, "earlier": 0, "gained": 0, "lost": 0,
                "later_seconds": 12_441_600, "earlier_seconds": 0}])
    );
    assert_eq!(
        report["reasons"],
        json!([{"code": "CONDITION_DEDUCTION", "gained": 5, "lost": 0},
               {"code": "RETURN_WINDOW_EXPIRED", "gained": 0, "lost": 9}])
    );
    assert_eq!(report["unpriced"], json!({"before": 0, "after": 0}));
}

#[test]
fn an_example_says_what_changed() {
    let report = serde_json::to_value(history_report(5)).unwrap();
    let deny_approve =
        report["transitions"].as_array().unwrap().iter().find(|t| t["from"] == "deny" && t["to"] == "approve");
    // Line 6: 19900 without tags, refused after 7 days, now 17900 (2000 off) with 8 more days.
    let six = deny_approve.unwrap()["examples"][1].clone();
    assert_eq!(
        six,
        json!({"line": 6, "id": "H06",
               "before": {"outcome": "deny", "deadline": "2026-11-09T23:59:59+08:00"},
               "after": {"outcome": "approve", "amount": 17900, "currency": "CNY", "deadline": "2026-11-17T23:59:59+08:00"},
               "gained": ["CONDITION_DEDUCTION"], "lost": ["RETURN_WINDOW_EXPIRED"]})
    );
}

#[test]
fn a_line_that_is_not_a_request_is_counted_apart_with_its_line() {
    let (old, new) = engines();
    let text = format!("{}\nnot json\n\n{{\"now\": 1}}\n", history_file("returns.jsonl").trim_end());
    let report = Comparison::new(&old, &new, "checkReturn", 5).unwrap().json_lines(&text);
    assert_eq!(report.requests, 23);
    assert_eq!(report.invalid.count, 2);
    let lines: Vec<u64> = report.invalid.examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![24, 26]);
    // Refused as the evaluator itself refuses it.
    assert_eq!(report.invalid.examples[0].error, old.check_return_json("not json").unwrap_err());
}

#[test]
fn an_unknown_evaluator_is_refused() {
    let (old, new) = engines();
    let e = Comparison::new(&old, &new, "check_everything", 5).unwrap_err();
    assert_eq!(e.code.as_str(), "UNKNOWN_REFERENCE");
    assert!(e.message.contains("check_return"), "{}", e.message);
}

#[test]
fn an_array_and_json_lines_give_the_same_report() {
    let lines = history_file("returns.jsonl");
    let array = format!("[{}]", lines.trim_end().replace('\n', ","));
    let a = aftersales::compare::compare_policies(
        &history_file("policy-old.json"),
        &history_file("policy-new.json"),
        "check_return",
        &array,
        5,
    )
    .unwrap();
    assert_eq!(a, history_report(5));
}

/// The history's lines in chunks (boundaries chosen at random), each compared apart, merged in a
/// random order.
fn chunked(cuts: &[usize], order: &[usize], examples: usize) -> DiffReport {
    let (old, new) = engines();
    let cmp = Comparison::new(&old, &new, "check_return", examples).unwrap();
    let text = history_file("returns.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (lines.len() + 1)).collect();
    bounds.extend([0, lines.len()]);
    bounds.sort_unstable();
    bounds.dedup();
    let mut parts: Vec<DiffReport> = bounds
        .windows(2)
        .map(|w| {
            let mut r = cmp.report();
            for (i, line) in lines[w[0]..w[1]].iter().enumerate() {
                cmp.add(&mut r, (w[0] + i) as u64 + 1, line);
            }
            r
        })
        .collect();
    let mut total = DiffReport::default();
    for o in order {
        if parts.is_empty() {
            break;
        }
        let part = parts.remove(o % parts.len());
        total.merge(part);
    }
    for part in parts {
        total.merge(part);
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn chunks_compared_apart_add_up_to_one_run(
        cuts in proptest::collection::vec(0usize..40, 0..8),
        order in proptest::collection::vec(0usize..16, 0..8),
        examples in 0usize..4,
    ) {
        prop_assert_eq!(chunked(&cuts, &order, examples), history_report(examples));
    }

    #[test]
    fn merging_is_associative(a in 0usize..24, b in 0usize..24) {
        let (lo, hi) = (a.min(b), a.max(b));
        let (old, new) = engines();
        let cmp = Comparison::new(&old, &new, "check_return", 2).unwrap();
        let text = history_file("returns.jsonl");
        let part = |from: usize, to: usize| {
            let mut r = cmp.report();
            for (i, line) in text.lines().enumerate().skip(from).take(to - from) {
                cmp.add(&mut r, i as u64 + 1, line);
            }
            r
        };
        let (x, y, z) = (part(0, lo), part(lo, hi), part(hi, 23));
        let mut left = x.clone();
        left.merge(y.clone());
        left.merge(z.clone());
        let mut yz = y;
        yz.merge(z);
        let mut right = x;
        right.merge(yz);
        prop_assert_eq!(left, right);
    }
}

/// Every evaluator: a policy compared with itself over the requests of every vector file
/// changes nothing (errors stay errors, with the same code).
#[test]
fn a_policy_compared_with_itself_changes_nothing() {
    let mut evaluators = std::collections::BTreeSet::new();
    for file in common::vector_files() {
        for case in common::cases(&file) {
            let Ok(engine) = PolicyEngine::new(&case.policy) else { continue };
            let Ok(cmp) = Comparison::new(&engine, &engine, &case.call, 3) else { continue };
            let report = cmp.json_lines(&case.request.to_string());
            evaluators.insert(report.evaluator.clone());
            assert_eq!(report.changed, 0, "{}: {report:?}", case.name);
            assert!(report.transitions.iter().all(|t| t.from == t.to), "{}", case.name);
        }
    }
    let all: std::collections::BTreeSet<String> =
        aftersales::compare::COMPARABLE.iter().map(|s| s.to_string()).collect();
    assert_eq!(evaluators, all, "every evaluator has a vector");
}

/// SLA targets halved: the cases of the SLA vectors breach sooner, none is met sooner.
#[test]
fn shorter_sla_targets_breach_more() {
    let old_text = std::fs::read_to_string(common::root().join("tests/policies/sla-cn.json")).unwrap();
    let mut policy: Value = serde_json::from_str(&old_text).unwrap();
    for plan in policy["sla"]["plans"].as_array_mut().unwrap() {
        for target in plan["targets"].as_array_mut().unwrap() {
            for v in target["within"].as_object_mut().unwrap().values_mut() {
                if let Some(n) = v.as_u64() {
                    *v = json!((n / 4).max(1));
                }
            }
        }
    }
    let old = PolicyEngine::new(&old_text).unwrap();
    let new = PolicyEngine::from_value(policy).unwrap();
    let cmp = Comparison::new(&old, &new, "slaDeadlines", 3).unwrap();
    let mut report = cmp.report();
    let mut line = 0;
    for file in common::vector_files().iter().filter(|f| f.to_string_lossy().contains("sla-")) {
        for case in common::cases(file).into_iter().filter(|c| c.call == "sla_deadlines") {
            line += 1;
            cmp.add(&mut report, line, &case.request.to_string());
        }
    }
    assert!(report.requests > 10);
    assert!(report.sla.iter().map(|s| s.newly_breached).sum::<u64>() > 0, "{report:?}");
    assert_eq!(report.sla.iter().map(|s| s.newly_met).sum::<u64>(), 0, "{report:?}");
    assert!(report.deadlines.iter().all(|d| d.later == 0), "{report:?}");
}
