//! Warranty checks (placeholder until the warranty work lands).

use crate::error::Result;
use crate::policy::CompileContext;

/// The `warranty` section as written.
pub type WarrantySpec = serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct WarrantyPolicy {}

pub fn compile(_spec: &WarrantySpec, _ctx: &CompileContext<'_>, _path: &str) -> Result<WarrantyPolicy> {
    Ok(WarrantyPolicy {})
}
