//! Native speed of the evaluators: `cargo bench` (figures in docs/performance.md).
//! Each benchmark evaluates a typed request against a policy compiled once, plus the JSON-text
//! path every host uses (parse, evaluate, print).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::returns::ReturnRequest;
use aftersales::PolicyEngine;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_return() -> (PolicyEngine, String) {
    let policy = std::fs::read_to_string(root().join("tests/policies/sportswear-cn.json")).unwrap();
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/vectors/returns-acceptance.json")).unwrap())
            .unwrap();
    (PolicyEngine::new(&policy).unwrap(), vectors["base"].to_string())
}

fn returns(c: &mut Criterion) {
    let (engine, text) = sample_return();
    let request: ReturnRequest = serde_json::from_str(&text).unwrap();
    c.bench_function("check_return (typed)", |b| b.iter(|| engine.check_return(black_box(&request)).unwrap()));
    c.bench_function("check_return_json (parse + evaluate + print)", |b| {
        b.iter(|| engine.check_return_json(black_box(&text)).unwrap())
    });
    let policy = std::fs::read_to_string(root().join("tests/policies/sportswear-cn.json")).unwrap();
    c.bench_function("compile the sample policy", |b| b.iter(|| PolicyEngine::new(black_box(&policy)).unwrap()));
}

fn refunds(c: &mut Criterion) {
    let policy = std::fs::read_to_string(root().join("tests/policies/refunds-cn.json")).unwrap();
    let engine = PolicyEngine::new(&policy).unwrap();
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/vectors/refunds-acceptance.json")).unwrap())
            .unwrap();
    let text = vectors["base"].to_string();
    let request: aftersales::refund::RefundRequest = serde_json::from_str(&text).unwrap();
    c.bench_function("quote_refund (typed)", |b| b.iter(|| engine.quote_refund(black_box(&request)).unwrap()));
    c.bench_function("quote_refund_json (parse + evaluate + print)", |b| {
        b.iter(|| engine.quote_refund_json(black_box(&text)).unwrap())
    });
}

fn sla(c: &mut Criterion) {
    let mut policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/policies/sla-cn.json")).unwrap()).unwrap();
    // The service plan with three more targets: eight in all, as a busy case has.
    let extra = serde_json::json!([
        {"stage": "callback", "within": {"business_hours": 4}, "done": "called_back_at"},
        {"stage": "quality_check", "within": {"business_days": 2}, "done": "checked_at"},
        {"stage": "closure", "within": {"days": 7}, "done": "closed_at"}]);
    policy["sla"]["plans"][0]["targets"].as_array_mut().unwrap().extend(extra.as_array().unwrap().iter().cloned());
    let engine = PolicyEngine::from_value(policy).unwrap();
    let case = r#"{"now": "2026-11-23T10:01:00+08:00", "type": "enquiry", "events": {"created_at": "2026-11-20T17:00:00+08:00", "registered_at": "2026-11-20T18:10:00+08:00"}}"#;
    let typed: aftersales::sla::Case = serde_json::from_str(case).unwrap();
    c.bench_function("sla_deadlines, 8 targets (typed)", |b| {
        b.iter(|| engine.sla_deadlines(black_box(&typed)).unwrap())
    });
    c.bench_function("sla_deadlines_json, 8 targets", |b| {
        b.iter(|| engine.sla_deadlines_json(black_box(case)).unwrap())
    });
    let add = r#"{"calendar": "support", "op": "add", "from": "2026-11-20T17:00:00+08:00", "duration": {"business_hours": 2}}"#;
    let request: aftersales::calendar_query::CalendarRequest = serde_json::from_str(add).unwrap();
    c.bench_function("add 2 business hours (typed)", |b| b.iter(|| engine.calendar(black_box(&request)).unwrap()));
}

fn warranty(c: &mut Criterion) {
    let policy = std::fs::read_to_string(root().join("tests/policies/warranty-cn.json")).unwrap();
    let engine = PolicyEngine::new(&policy).unwrap();
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/vectors/warranty-acceptance.json")).unwrap())
            .unwrap();
    let text = vectors["base"].to_string();
    let claim: aftersales::warranty::Claim = serde_json::from_str(&text).unwrap();
    c.bench_function("check_warranty (typed)", |b| b.iter(|| engine.check_warranty(black_box(&claim)).unwrap()));
    c.bench_function("check_warranty_json", |b| b.iter(|| engine.check_warranty_json(black_box(&text)).unwrap()));
}

/// The peers fixture of `bench/peers.mjs` (20 rules, 10,000 generated requests), written by
/// `node bench/peers/write-fixture.mjs` into `target/` when it is not there yet: the native figure
/// beside the table against json-rules-engine and plain JS in docs/performance.md.
fn peers(c: &mut Criterion) {
    let file = root().join("target/peers-fixture.json");
    if !file.exists() {
        let made = std::process::Command::new("node")
            .arg(root().join("bench/peers/write-fixture.mjs"))
            .arg(&file)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("peers: skipped (node could not write {})", file.display());
            return;
        }
    }
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let engine = PolicyEngine::from_value(fixture["policy"].clone()).unwrap();
    let requests = fixture["requests"].as_array().unwrap();
    let texts: Vec<String> = requests.iter().map(|r| r.to_string()).collect();
    let typed: Vec<ReturnRequest> = texts.iter().map(|t| serde_json::from_str(t).unwrap()).collect();
    let batch = serde_json::Value::Array(requests.clone()).to_string();
    let mut group = c.benchmark_group("peers fixture, 10,000 requests");
    group.throughput(criterion::Throughput::Elements(requests.len() as u64));
    group.sample_size(10);
    group.bench_function("check_return (typed), one call each", |b| {
        b.iter(|| typed.iter().map(|r| usize::from(engine.check_return(black_box(r)).unwrap().eligible)).sum::<usize>())
    });
    group.bench_function("check_return_json, one call each", |b| {
        b.iter(|| texts.iter().map(|t| engine.check_return_json(black_box(t)).unwrap().len()).sum::<usize>())
    });
    group.bench_function("check_returns_json, one batch", |b| {
        b.iter(|| engine.check_returns_json(black_box(&batch)).unwrap().len())
    });
    group.finish();
}

criterion_group!(benches, returns, refunds, sla, warranty, peers);
criterion_main!(benches);
