//! Service-level deadlines (placeholder until the SLA work lands).

use crate::error::Result;
use crate::policy::CompileContext;

/// The `sla` section as written.
pub type SlaSpec = serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct SlaPolicy {}

pub fn compile(_spec: &SlaSpec, _ctx: &CompileContext<'_>, _path: &str) -> Result<SlaPolicy> {
    Ok(SlaPolicy {})
}
