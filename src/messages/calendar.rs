//! The calendar messages, in English and Simplified Chinese.

use crate::vocabulary::Locale;
use std::sync::Arc;

/// What a calendar reason says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {
    /// `CALENDAR_DATA_MISSING`: a year counted without the calendar's holiday data.
    DataMissing { calendar: Arc<str>, year: i32 },
}

impl Says {
    /// The words in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        match self {
            Says::DataMissing { calendar, year: y } => locale.pick_with(
                || format!("Calendar {calendar} has no holiday data for {y}; that year was counted as ordinary weeks."),
                || format!("日历 {calendar} 缺少 {y} 年的节假日数据，该年按普通工作周计算。"),
            ),
        }
    }
}

variants!(DataMissing);

/// For tests and docs: a sample of every variant, with the code it is given with (see
/// [`super::samples`]).
pub fn samples() -> Vec<(&'static str, Says)> {
    vec![("CALENDAR_DATA_MISSING", Says::DataMissing { calendar: "support".into(), year: 2027 })]
}
