//! Refund quotes (placeholder until the refund work lands).

use crate::error::Result;
use crate::policy::CompileContext;

/// The `refunds` section as written.
pub type RefundsSpec = serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct RefundsPolicy {}

pub fn compile(_spec: Option<&RefundsSpec>, _ctx: &CompileContext<'_>, _path: &str) -> Result<RefundsPolicy> {
    Ok(RefundsPolicy {})
}
