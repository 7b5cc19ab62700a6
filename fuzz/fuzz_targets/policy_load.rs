//! Arbitrary bytes as a policy document: the loader answers or refuses, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = aftersales::PolicyEngine::new(text);
        let _ = aftersales::validate_policy(text);
    }
});
