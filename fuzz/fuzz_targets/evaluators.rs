//! Arbitrary text through every evaluator of every sample policy: returns, refunds, exchanges,
//! calendars, SLA deadlines, warranty claims, and their batch forms. Each answers or refuses, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static POLICIES: [&str; 5] = [
    include_str!("../../tests/policies/storefront-cn.json"),
    include_str!("../../tests/policies/refunds-us.json"),
    include_str!("../../tests/policies/sla-cn.json"),
    include_str!("../../tests/policies/warranty-cn.json"),
    include_str!("../../tests/policies/exchanges-cn-rules.json"),
];

fn engines() -> &'static Vec<aftersales::PolicyEngine> {
    static ENGINES: OnceLock<Vec<aftersales::PolicyEngine>> = OnceLock::new();
    ENGINES.get_or_init(|| POLICIES.iter().filter_map(|p| aftersales::PolicyEngine::new(p).ok()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for e in engines() {
        let _ = e.check_return_json(text);
        let _ = e.quote_refund_json(text);
        let _ = e.check_exchange_json(text);
        let _ = e.calendar_json(text);
        let _ = e.sla_deadlines_json(text);
        let _ = e.check_warranty_json(text);
        let _ = e.quote_refunds_json(text);
    }
});
