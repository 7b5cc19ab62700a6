//! Policies a merchant's policy can start from: `"extends": "cn-consumer-law"`.
//!
//! A preset is a complete policy document shipped with the engine (`presets/*.json`), each citing
//! its sources in `$comment`. A policy that extends one is the preset with the policy merged over
//! it by JSON Merge Patch (RFC 7386): objects merge key by key, anything else (a string, a number,
//! an array such as `rules`) replaces the preset's, and `null` removes a key. The preset's `id`,
//! `version`, `$comment` and `effective_from` are never inherited: the policy names itself. A
//! preset may extend another; the policy's fingerprint is that of the merged document, so a change
//! to a preset in a new engine release shows as a new fingerprint.

use crate::error::{ErrorCode, PolicyError, Result};
use serde_json::Value;

/// A preset: its name and its document.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    /// One line on what it is, for documentation.
    pub summary: &'static str,
    pub text: &'static str,
}

/// The presets this engine ships.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "cn-consumer-law",
        summary: "mainland China's statutory floor: 7-day no-reason returns from delivery with the law's \
                  exceptions, quality returns within 7 days, refunds within 7 days of receipt, the three \
                  guarantees, the public-holiday calendar",
        text: include_str!("../presets/cn-consumer-law.json"),
    },
    Preset {
        name: "eu-consumer-rights",
        summary: "the EU's statutory floor: 14 days to withdraw from delivery with the Art. 16 exceptions, \
                  refunds including standard delivery within 14 days, the 2-year legal guarantee",
        text: include_str!("../presets/eu-consumer-rights.json"),
    },
    Preset {
        name: "us-retail",
        summary: "a typical US policy: 30 days, unused with tags, 15 % restocking fee on opened electronics, \
                  final sale",
        text: include_str!("../presets/us-retail.json"),
    },
    Preset {
        name: "sportswear-cn",
        summary: "a sample sportswear brand on top of cn-consumer-law: 30 days from purchase, packaging \
                  and tags, custom and clearance items, same-item exchanges once per item, 1-year free repair, \
                  2-hour first response, 5-day repair, refunds without a return, return freight reimbursed up to ¥10, \
                  threshold discounts recomputed, refunds released by tier and risk",
        text: include_str!("../presets/sportswear-cn.json"),
    },
];

/// How many presets may stand behind one another.
pub const MAX_DEPTH: usize = 4;

/// Keys a policy never inherits from the preset it extends.
const OWN_KEYS: &[&str] = &["id", "version", "$comment", "effective_from"];

/// The preset called `name`.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Resolves `extends`: returns the document itself when it extends nothing, else the preset's
/// document (itself resolved) with `doc` merged over it. `doc` keeps its `extends` key.
pub fn resolve(doc: Value) -> Result<Value> {
    resolve_at(doc, 0)
}

fn resolve_at(doc: Value, depth: usize) -> Result<Value> {
    let name = match doc.get("extends") {
        None | Some(Value::Null) => return Ok(doc),
        Some(Value::String(name)) => name.clone(),
        Some(_) => return Err(PolicyError::invalid("extends", "`extends` names a preset, as a string")),
    };
    let Some(found) = preset(&name) else {
        let known: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
        return Err(PolicyError::new(
            ErrorCode::UnknownReference,
            "extends",
            format!("no preset `{}`; the presets are {}", crate::time::truncate(&name, 64), known.join(", ")),
        ));
    };
    if depth >= MAX_DEPTH {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "extends",
            format!("presets extend one another more than {MAX_DEPTH} deep"),
        ));
    }
    let base: Value = serde_json::from_str(found.text).map_err(|e| {
        PolicyError::new(ErrorCode::InvalidJson, "extends", format!("preset `{name}` is not JSON: {e}"))
    })?;
    let mut merged = resolve_at(base, depth.saturating_add(1))
        .map_err(|e| PolicyError::new(e.code, "extends", format!("preset `{name}`: {}", e.message)))?;
    if let Value::Object(map) = &mut merged {
        for key in OWN_KEYS {
            map.remove(*key);
        }
    }
    json_patch::merge(&mut merged, &doc);
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_policy_is_merged_over_its_preset() {
        let doc = json!({"extends": "cn-consumer-law", "id": "shop", "version": "1",
            "returns": {"window": {"days": 15}, "rules": []}});
        let merged = resolve(doc).unwrap();
        assert_eq!(merged["id"], "shop");
        assert_eq!(merged["jurisdiction"], "CN");
        assert_eq!(merged["returns"]["window"], json!({"days": 15, "from": "delivery"}));
        assert_eq!(merged["returns"]["rules"], json!([]));
        assert!(merged.get("$comment").is_none());
    }

    #[test]
    fn an_unknown_preset_is_named() {
        let err = resolve(json!({"extends": "xx-law"})).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnknownReference);
        assert_eq!(err.path, "extends");
    }

    #[test]
    fn presets_extending_presets_resolve() {
        let merged = resolve(json!({"extends": "sportswear-cn", "id": "s", "version": "1"})).unwrap();
        assert_eq!(merged["jurisdiction"], "CN");
        assert_eq!(merged["extends"], "sportswear-cn");
        assert_eq!(merged["returns"]["window"]["days"], 30);
    }
}
