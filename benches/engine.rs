//! Native speed of the evaluators: `cargo bench` (figures in the README).
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

criterion_group!(benches, returns, refunds);
criterion_main!(benches);
