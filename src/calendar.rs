//! Business calendars (placeholder until the calendar work lands): working hours, holidays and
//! make-up working days in the merchant's time zone.

use crate::error::Result;
use chrono_tz::Tz;

/// The `calendars` section as written.
pub type CalendarsSpec = serde_json::Map<String, serde_json::Value>;

/// The compiled calendars, by name.
#[derive(Debug, Clone, Default)]
pub struct Calendars {}

pub fn compile(_spec: &CalendarsSpec, _zone: Tz, _path: &str) -> Result<Calendars> {
    Ok(Calendars {})
}
