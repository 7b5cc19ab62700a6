//! Calendar questions asked of the engine directly (`engine.calendar(request)`), for dashboards:
//! add a duration in business time, the business time elapsed between two instants, the next
//! opening, whether the calendar is open at an instant.

use crate::calendar::{add_duration, Calendar, DataGaps, DurationSpec};
use crate::env::Env;
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::{Explained, Reason, Text};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A calendar computation asked of the engine directly (`engine.calendar(request)`), for dashboards.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarRequest {
    /// A calendar of the policy, or `clock` for plain clock time in the policy's zone.
    pub calendar: String,
    pub from: Timestamp,
    /// `add` (needs `duration`), `elapsed` (needs `to`), `next_opening`, `is_open`.
    pub op: CalendarOp,
    #[serde(default)]
    pub duration: Option<DurationSpec>,
    #[serde(default)]
    pub to: Option<Timestamp>,
    /// For business days: end at 23:59:59 local instead of the same local time.
    #[serde(default)]
    pub end_of_day: bool,
    #[serde(default)]
    pub locale: crate::vocabulary::Locale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CalendarOp {
    Add,
    Elapsed,
    NextOpening,
    IsOpen,
}

/// The answer to a [`CalendarRequest`]: `at` for `add` and `next_opening`, `seconds` for
/// `elapsed`, `open` for `is_open`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalendarAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::time::Timestamp>"))]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    pub warnings: Vec<Reason>,
}

impl Explained for CalendarAnswer {
    fn reasons(&mut self, _f: &mut dyn FnMut(&mut Reason)) {}

    fn texts(&mut self, f: &mut dyn FnMut(&mut Text)) {
        self.warnings.iter_mut().for_each(|w| f(&mut w.message));
    }
}

/// Answers a [`CalendarRequest`].
pub fn compute(env: &Env, req: &CalendarRequest) -> Result<CalendarAnswer> {
    let clock = Calendar::clock(env.zone);
    let cal = env.calendar(&req.calendar, &clock, "calendar")?;
    let from = req.from.utc();
    let mut gaps = DataGaps::default();
    let mut answer = CalendarAnswer { at: None, seconds: None, open: None, warnings: Vec::new() };
    match req.op {
        CalendarOp::Add => {
            let d = req
                .duration
                .ok_or_else(|| PolicyError::new(ErrorCode::InvalidField, "duration", "`add` needs a duration"))?;
            let amount = d.amount("duration")?;
            answer.at = Some(cal.print(add_duration(cal, from, amount, req.end_of_day, &[], &mut gaps)?));
        }
        CalendarOp::Elapsed => {
            let to = req.to.ok_or_else(|| PolicyError::new(ErrorCode::InvalidField, "to", "`elapsed` needs `to`"))?;
            answer.seconds = Some(cal.elapsed(from, to.utc(), &[], &mut gaps)?);
        }
        CalendarOp::NextOpening => answer.at = Some(cal.print(cal.next_opening(from, &mut gaps)?)),
        CalendarOp::IsOpen => {
            cal.note_data_years(from, from, &mut gaps);
            answer.open = Some(cal.is_open(from));
        }
    }
    answer.warnings = gaps.warnings();
    Ok(answer)
}
