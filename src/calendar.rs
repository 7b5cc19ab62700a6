//! Business calendars: when the merchant's service is open, in the merchant's time zone, and
//! business time counted over it.
//!
//! A calendar has weekly hours (several intervals a day; `"22:00-06:00"` runs overnight and belongs
//! to the day it starts), or `"24x7": true` (with holidays: open all day, every day but them); public holidays (dates or ranges) with no hours; and
//! make-up working days (`extra_workdays`, 调休: a weekend day that is worked, with the hours of a
//! named weekday, Monday's by default, or its own). `"extends": "cn-2025-2026"` brings mainland
//! China's official holidays and make-up days for 2025 and 2026 (`data/cn-public-holidays.json`).
//! The calendar's own `holidays` and `extra_workdays` override the preset's (a merchant may work on a
//! public holiday or close on an official make-up day); a date that is both among its own holidays
//! and its own make-up days is refused. Intervals start at 00:00-23:59 and end up to 24:00, or past
//! midnight for an overnight one.
//!
//! The rules of counting:
//! - a clock that starts outside hours starts at the next opening;
//! - time that runs out exactly at a closing time ends at that closing time, not at the next opening;
//! - N business days from an instant: the N-th working day after its local date, at the same local
//!   time (or at 23:59:59 local, when the target says `"at": "end_of_day"`);
//! - local times resolve by the "compatible" rule (`time::resolve_local`): in a DST gap forward,
//!   in an overlap the earlier instant;
//! - searches are bounded (ten years of days): a calendar that is never open is
//!   `CALENDAR_NEVER_OPEN`, never a hang;
//! - a calendar knows the years its holiday data covers; a date outside them is counted as an
//!   ordinary week and reported (`CALENDAR_DATA_MISSING`), never guessed silently. The warning names
//!   exactly the years the answer depends on: from the start to the answer (for `elapsed`, to the
//!   span's end; for `is_open`, the instant asked about). A day the search only looks at (the day
//!   before the start, for its overnight hours; the next opening after an elapsed span) adds no
//!   year unless its hours count.

use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::Reason;
use crate::messages::calendar::Says;
use crate::problems::Problems;
use crate::time::{format_instant, resolve_local};
use crate::zone::Tz;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How many days a search may look ahead before it gives up.
pub const MAX_SCAN_DAYS: i64 = 3660;
/// Most intervals a day may have.
pub const MAX_INTERVALS: usize = 12;
/// Most holidays and make-up days a calendar may list.
pub const MAX_DATES: usize = 5000;

const CN_HOLIDAYS: &str = include_str!("../data/cn-public-holidays.json");

/// The `calendars` section as written: calendars by name.
pub type CalendarsSpec = BTreeMap<String, CalendarSpec>;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// A preset to start from: `cn-2025-2026`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::CalendarPreset>"))]
    pub extends: Option<String>,
    /// IANA zone; the policy's by default.
    #[serde(default)]
    pub timezone: Option<crate::time::Zone>,
    /// Open hours by weekday (`mon` … `sun`), each a list of `"HH:MM-HH:MM"`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "BTreeMap<DayName, Vec<crate::schema::Interval>>"))]
    pub hours: BTreeMap<DayName, Vec<String>>,
    #[serde(default, rename = "24x7")]
    pub always_open: bool,
    /// Closed dates: `"2026-10-01"` or `{"from": "2026-10-01", "to": "2026-10-07"}`.
    #[serde(default)]
    pub holidays: Vec<DateOrRange>,
    /// Worked weekend days: `"2026-10-10"` (Monday's hours) or `{"date": "2026-10-10", "hours": "fri"}`
    /// or `{"date": …, "hours": ["10:00-16:00"]}`.
    #[serde(default)]
    pub extra_workdays: Vec<ExtraDay>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DayName {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl DayName {
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged, remote = "DateOrRange")]
pub enum DateOrRange {
    Date(#[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))] String),
    Range {
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
        from: String,
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
        to: String,
    },
}

// Untagged: refused only once the whole value is read, so it is read inside serde_json's own
// visitor call (see `crate::error::in_place`) and the refusal is placed at the value.
impl<'de> Deserialize<'de> for DateOrRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::error::in_place(d)
    }
}

impl<'de> crate::error::Derived<'de> for DateOrRange {
    fn derived<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        DateOrRange::deserialize(d)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged, remote = "ExtraDay")]
pub enum ExtraDay {
    Date(#[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))] String),
    WithHours {
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
        date: String,
        hours: ExtraHours,
    },
}

// Untagged: refused only once the whole value is read, so it is read inside serde_json's own
// visitor call (see `crate::error::in_place`) and the refusal is placed at the value.
impl<'de> Deserialize<'de> for ExtraDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::error::in_place(d)
    }
}

impl<'de> crate::error::Derived<'de> for ExtraDay {
    fn derived<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        ExtraDay::deserialize(d)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ExtraHours {
    Like(DayName),
    Own(#[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Interval>"))] Vec<String>),
}

/// An open interval of a day, in seconds from local midnight; `end` may pass midnight.
type Span = (u32, u32);

/// A compiled calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub name: String,
    pub zone: Tz,
    always_open: bool,
    week: [Vec<Span>; 7],
    holidays: BTreeSet<NaiveDate>,
    extra: BTreeMap<NaiveDate, Vec<Span>>,
    data_years: BTreeSet<i32>,
}

/// The compiled calendars, by name.
#[derive(Debug, Clone, Default)]
pub struct Calendars {
    by_name: BTreeMap<String, Calendar>,
}

impl Calendars {
    pub fn get(&self, name: &str) -> Option<&Calendar> {
        self.by_name.get(name)
    }
}

/// `YYYY-MM-DD`, a real date. (Read by hand: chrono's format-string parser adds to the .wasm for
/// this one shape.)
pub fn parse_date(text: &str, path: &str) -> Result<NaiveDate> {
    let bad =
        || PolicyError::invalid(path, format!("`{}` is not a date (YYYY-MM-DD)", crate::time::truncate(text, 32)));
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
}

fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    ((h <= 23 && m <= 59) || (h == 24 && m == 0)).then_some(h * 3600 + m * 60)
}

/// `"09:00-18:00"` → (32400, 64800); `"22:00-06:00"` → (79200, 108000): overnight.
fn parse_span(text: &str, path: &str) -> Result<Span> {
    let bad = || {
        PolicyError::invalid(
            path,
            format!("`{}` is not an interval such as \"09:00-18:00\"", crate::time::truncate(text, 32)),
        )
    };
    let (a, b) = text.split_once('-').ok_or_else(bad)?;
    let (start, end) = (parse_clock(a).ok_or_else(bad)?, parse_clock(b).ok_or_else(bad)?);
    if start >= 86_400 {
        // "24:00-01:00" would be the next day's hours filed under this one.
        return Err(bad());
    }
    match end.cmp(&start) {
        std::cmp::Ordering::Greater => Ok((start, end)),
        std::cmp::Ordering::Less => Ok((start, end + 86_400)),
        std::cmp::Ordering::Equal => Err(PolicyError::invalid(path, "an interval's start and end are the same")),
    }
}

/// A day's intervals, sorted; each refused interval is noted, and an overlap is looked for only
/// among intervals that were all read.
fn parse_spans(list: &[String], path: &str, problems: &mut Problems) -> Option<Vec<Span>> {
    if list.len() > MAX_INTERVALS {
        problems.push(PolicyError::new(ErrorCode::LimitExceeded, path, format!("more than {MAX_INTERVALS} intervals")));
        return None;
    }
    let spans: Vec<_> =
        list.iter().enumerate().map(|(i, s)| problems.check(parse_span(s, &format!("{path}[{i}]")))).collect();
    let mut spans = spans.into_iter().collect::<Option<Vec<_>>>()?;
    spans.sort_unstable();
    if spans.windows(2).any(|w| matches!(w, [a, b] if b.0 < a.1)) {
        problems.push(PolicyError::invalid(path, "intervals overlap"));
        return None;
    }
    Some(spans)
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct HolidayData {
    years: BTreeMap<String, HolidayYear>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct HolidayYear {
    days_off: Vec<DaysOff>,
    make_up_workdays: Vec<String>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct DaysOff {
    from: String,
    to: String,
}

/// The preset calendars a policy calendar can extend.
pub const PRESETS: &[&str] = &["cn-2025-2026"];

fn preset(name: &str, path: &str) -> Result<(Vec<DateOrRange>, Vec<ExtraDay>, BTreeSet<i32>)> {
    if name != "cn-2025-2026" {
        return Err(PolicyError::new(
            ErrorCode::UnknownReference,
            path,
            format!("no calendar preset `{}`; presets: {}", crate::time::truncate(name, 32), PRESETS.join(", ")),
        ));
    }
    let data: HolidayData = serde_json::from_str(CN_HOLIDAYS)
        .map_err(|e| PolicyError::invalid(path, format!("the preset's data is damaged: {e}")))?;
    let mut holidays = Vec::new();
    let mut extra = Vec::new();
    let mut years = BTreeSet::new();
    for (year, y) in data.years {
        years.insert(year.parse().unwrap_or(0));
        holidays.extend(y.days_off.into_iter().map(|d| DateOrRange::Range { from: d.from, to: d.to }));
        extra.extend(y.make_up_workdays.into_iter().map(ExtraDay::Date));
    }
    Ok((holidays, extra, years))
}

/// Adds a holiday (a date or a range) to `into`, noting a refused date or range.
fn add_holiday(h: &DateOrRange, path: &str, into: &mut BTreeSet<NaiveDate>, problems: &mut Problems) {
    match h {
        DateOrRange::Date(d) => {
            if let Some(d) = problems.check(parse_date(d, path)) {
                into.insert(d);
            }
        }
        DateOrRange::Range { from, to } => {
            let a = problems.check(parse_date(from, &format!("{path}.from")));
            let b = problems.check(parse_date(to, &format!("{path}.to")));
            let (Some(a), Some(b)) = (a, b) else { return };
            if b < a || (b - a).num_days() > 366 {
                problems.push(PolicyError::invalid(path, "a holiday range runs forward and for at most a year"));
                return;
            }
            into.extend(a.iter_days().take_while(|d| *d <= b));
        }
    }
}

/// A make-up working day: its date, its hours (Monday's unless it names a weekday or its own), and
/// the path of its date for messages; a refused date or list of hours is `None`, and noted.
fn extra_day(
    e: &ExtraDay,
    week: &[Vec<Span>; 7],
    path: &str,
    problems: &mut Problems,
) -> (Option<NaiveDate>, Option<Vec<Span>>, String) {
    let like = |day: DayName| week.get(day.index()).cloned().unwrap_or_default();
    match e {
        ExtraDay::Date(d) => (problems.check(parse_date(d, path)), Some(like(DayName::Mon)), path.to_string()),
        ExtraDay::WithHours { date, hours } => {
            let dp = format!("{path}.date");
            let spans = match hours {
                ExtraHours::Like(day) => Some(like(*day)),
                ExtraHours::Own(list) => parse_spans(list, &format!("{path}.hours"), problems),
            };
            (problems.check(parse_date(date, &dp)), spans, dp)
        }
    }
}

/// Compiles the `calendars` section, noting every refusal in `problems` and going on with the next
/// calendar, field or date. A refused calendar is kept as a stand-in (the plain clock of its zone,
/// under its name), so a section naming it is not refused again for it; the policy is refused
/// anyway, and the stand-in never counts anything.
pub fn compile(spec: &CalendarsSpec, zone: Tz, path: &str, problems: &mut Problems) -> Calendars {
    let mut by_name = BTreeMap::new();
    for (name, c) in spec {
        let cp = crate::error::join_path(path, name);
        let zone = c.timezone.map_or(zone, |z| z.0);
        let calendar = compile_calendar(name, c, zone, &cp, problems)
            .unwrap_or_else(|| Calendar { name: name.clone(), ..Calendar::clock(zone) });
        by_name.insert(name.clone(), calendar);
    }
    Calendars { by_name }
}

/// A calendar's dates: closed days, make-up working days with their hours, and the years its
/// holiday data covers.
#[derive(Default)]
struct Dates {
    holidays: BTreeSet<NaiveDate>,
    extra: BTreeMap<NaiveDate, Vec<Span>>,
    data_years: BTreeSet<i32>,
}

/// One calendar: its name, the number of its dates, its weekly hours, its preset's dates, then its
/// own (`None` when any was refused; each refusal is noted).
fn compile_calendar(name: &str, c: &CalendarSpec, zone: Tz, cp: &str, problems: &mut Problems) -> Option<Calendar> {
    let mut own = Problems::default();
    own.check(crate::order::check_text(name, cp));
    let few_dates = c.holidays.len() <= MAX_DATES && c.extra_workdays.len() <= MAX_DATES;
    if !few_dates {
        own.push(PolicyError::new(ErrorCode::LimitExceeded, cp, format!("more than {MAX_DATES} dates")));
    }
    let mut week = weekly_hours(&c.hours, cp, &mut own);
    // The preset first, then the calendar's own dates, which override it: a merchant may work on
    // a public holiday, or close on an official make-up day.
    let mut dates = Dates::default();
    if let Some(p) = &c.extends {
        preset_dates(p, &week, &format!("{cp}.extends"), &mut dates, &mut own);
    }
    if few_dates {
        own_dates(c, &week, cp, &mut dates, &mut own);
    }
    let clean = own.is_empty();
    own.into_errors().into_iter().for_each(|e| problems.push(e));
    if !clean {
        return None;
    }
    let Dates { holidays, extra, mut data_years } = dates;
    data_years.extend(holidays.iter().map(Datelike::year));
    // 24x7 with holidays: open all day, every day but the holidays.
    let always_open = c.always_open && holidays.is_empty();
    if c.always_open && !always_open {
        week = std::array::from_fn(|_| vec![(0, 86_400)]);
    }
    Some(Calendar { name: name.to_string(), zone, always_open, week, holidays, extra, data_years })
}

/// The open hours of each weekday (a refused day is left closed, and noted).
fn weekly_hours(hours: &BTreeMap<DayName, Vec<String>>, cp: &str, problems: &mut Problems) -> [Vec<Span>; 7] {
    let mut week: [Vec<Span>; 7] = Default::default();
    for (day, list) in hours {
        if let Some(slot) = week.get_mut(day.index()) {
            let path = format!("{cp}.hours.{}", format!("{day:?}").to_lowercase());
            *slot = parse_spans(list, &path, problems).unwrap_or_default();
        }
    }
    week
}

/// The dates of the preset a calendar extends.
fn preset_dates(name: &str, week: &[Vec<Span>; 7], ep: &str, dates: &mut Dates, problems: &mut Problems) {
    let Some((h, e, y)) = problems.check(preset(name, ep)) else { return };
    for day in &h {
        add_holiday(day, ep, &mut dates.holidays, problems);
    }
    for day in &e {
        if let (Some(date), Some(spans), _) = extra_day(day, week, ep, problems) {
            dates.extra.insert(date, spans);
        }
    }
    dates.data_years.extend(y);
}

/// The calendar's own holidays and make-up days, over the preset's: a date may not be both.
fn own_dates(c: &CalendarSpec, week: &[Vec<Span>; 7], cp: &str, dates: &mut Dates, problems: &mut Problems) {
    let mut own_holidays = BTreeSet::new();
    for (i, h) in c.holidays.iter().enumerate() {
        add_holiday(h, &format!("{cp}.holidays[{i}]"), &mut own_holidays, problems);
    }
    for (i, e) in c.extra_workdays.iter().enumerate() {
        let (date, spans, dp) = extra_day(e, week, &format!("{cp}.extra_workdays[{i}]"), problems);
        let Some(date) = date else { continue };
        if own_holidays.contains(&date) {
            problems.push(PolicyError::invalid(dp, "this date is also one of the calendar's own holidays"));
            continue;
        }
        if let Some(spans) = spans {
            dates.holidays.remove(&date);
            dates.extra.insert(date, spans);
        }
    }
    for date in &own_holidays {
        dates.extra.remove(date);
    }
    dates.holidays.extend(own_holidays);
}

/// The flag an answer carries when a computation left the years the holiday data covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataGaps {
    /// (calendar, year) pairs counted without holiday data.
    pub missing: BTreeSet<(String, i32)>,
}

impl DataGaps {
    /// The `CALENDAR_DATA_MISSING` warnings for the years a computation left, one a year.
    pub fn warnings(&self) -> Vec<Reason> {
        self.missing
            .iter()
            .map(|(calendar, y)| {
                Reason::new("CALENDAR_DATA_MISSING", Says::DataMissing { calendar: calendar.as_str().into(), year: *y })
                    .figure("year", *y)
                    .figure("calendar", calendar.as_str())
            })
            .collect()
    }
}

impl Calendar {
    /// A calendar open all the time in `zone` (clock-time durations count on it).
    pub fn clock(zone: Tz) -> Calendar {
        Calendar {
            name: "clock".into(),
            zone,
            always_open: true,
            week: Default::default(),
            holidays: BTreeSet::new(),
            extra: BTreeMap::new(),
            data_years: BTreeSet::new(),
        }
    }

    /// Notes, as data gaps, the years from `from`'s local date to `to`'s that the holiday data does
    /// not cover: the years an answer spanning those instants depends on.
    pub fn note_data_years(&self, from: DateTime<Utc>, to: DateTime<Utc>, gaps: &mut DataGaps) {
        if self.data_years.is_empty() {
            return;
        }
        let first = from.with_timezone(&self.zone).year();
        let last = to.with_timezone(&self.zone).year();
        // A search is bounded by ten years, so no answer spans more than a dozen.
        for year in first..=last.min(first.saturating_add(12)) {
            if !self.data_years.contains(&year) {
                gaps.missing.insert((self.name.clone(), year));
            }
        }
    }

    /// The open intervals of one local date, as instants.
    fn spans_of(&self, date: NaiveDate) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let spans: &[Span] = if self.holidays.contains(&date) {
            &[]
        } else if let Some(e) = self.extra.get(&date) {
            e
        } else {
            self.week.get(date.weekday().num_days_from_monday() as usize).map_or(&[], Vec::as_slice)
        };
        spans.iter().map(move |(s, e)| (self.local(date, *s), self.local(date, *e))).filter(|(s, e)| e > s)
    }

    fn local(&self, date: NaiveDate, seconds: u32) -> DateTime<Utc> {
        let day = date + Duration::days(i64::from(seconds / 86_400));
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds % 86_400, 0).unwrap_or(NaiveTime::MIN);
        resolve_local(self.zone, day.and_time(time)).with_timezone(&Utc)
    }

    /// Whether a date has any open hours.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.always_open || self.spans_of(date).next().is_some()
    }

    /// Walks the open intervals from `from` on, minus the `closed` ranges (pauses), calling `visit`
    /// with each piece until it says stop. Errors with `CALENDAR_NEVER_OPEN` after ten years.
    fn walk(
        &self,
        from: DateTime<Utc>,
        closed: &[(DateTime<Utc>, DateTime<Utc>)],
        gaps: &mut DataGaps,
        mut visit: impl FnMut(DateTime<Utc>, DateTime<Utc>) -> bool,
    ) -> Result<()> {
        if self.always_open {
            // One endless interval, cut by the pauses.
            let mut cur = from;
            let mut cuts: Vec<_> = closed.iter().filter(|(_, e)| *e > from).copied().collect();
            cuts.sort();
            for (s, e) in cuts {
                if s > cur && !visit(cur, s) {
                    return Ok(());
                }
                cur = cur.max(e);
            }
            visit(cur, DateTime::<Utc>::MAX_UTC);
            return Ok(());
        }
        let start_date = from.with_timezone(&self.zone).date_naive() - Duration::days(1);
        // Open time already walked: an overnight interval may overlap the next day's first one,
        // and no moment may count twice.
        let mut cursor = from;
        for offset in 0..MAX_SCAN_DAYS {
            let date = start_date + Duration::days(offset);
            for (s, e) in self.spans_of(date) {
                if e <= cursor {
                    continue;
                }
                if offset == 0 {
                    // An overnight interval of the day before the start is open at the start: that
                    // day's data counts too.
                    self.note_data_years(s, s, gaps);
                }
                let open = (s.max(cursor), e);
                cursor = e;
                if !closed.iter().any(|(cs, ce)| *ce > open.0 && *cs < open.1) {
                    // No pause touches it (the common case): the whole interval, no cutting.
                    if !visit(open.0, open.1) {
                        return Ok(());
                    }
                    continue;
                }
                let mut pieces = vec![open];
                for (cs, ce) in closed {
                    pieces = pieces
                        .into_iter()
                        .flat_map(|(a, b)| {
                            if *ce <= a || *cs >= b {
                                vec![(a, b)]
                            } else {
                                [(a, *cs.max(&a)), (*ce.min(&b), b)].into_iter().filter(|(x, y)| y > x).collect()
                            }
                        })
                        .collect();
                }
                for (a, b) in pieces {
                    if !visit(a, b) {
                        return Ok(());
                    }
                }
            }
        }
        Err(PolicyError::new(
            ErrorCode::CalendarNeverOpen,
            format!("calendars.{}", self.name),
            format!("calendar `{}` has no open time in the {MAX_SCAN_DAYS} days searched", self.name),
        ))
    }

    /// Whether the calendar is open at `t`.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        if self.always_open {
            return true;
        }
        let date = t.with_timezone(&self.zone).date_naive();
        [date - Duration::days(1), date].iter().any(|d| self.spans_of(*d).any(|(s, e)| s <= t && t < e))
    }

    /// The first open instant at or after `t`.
    pub fn next_opening(&self, t: DateTime<Utc>, gaps: &mut DataGaps) -> Result<DateTime<Utc>> {
        let mut found = None;
        self.walk(t, &[], gaps, |a, _| {
            found = Some(a);
            false
        })?;
        let found = found.ok_or_else(|| {
            PolicyError::new(ErrorCode::CalendarNeverOpen, "", format!("calendar `{}` never opens", self.name))
        })?;
        self.note_data_years(t, found, gaps);
        Ok(found)
    }

    /// `t` plus `seconds` of open time, skipping `closed` ranges. A clock that starts outside
    /// hours starts at the next opening; time that runs out at a closing time ends there.
    pub fn add(
        &self,
        t: DateTime<Utc>,
        seconds: i64,
        closed: &[(DateTime<Utc>, DateTime<Utc>)],
        gaps: &mut DataGaps,
    ) -> Result<DateTime<Utc>> {
        let mut left = seconds.max(0);
        let mut result = None;
        self.walk(t, closed, gaps, |a, b| {
            let span = (b - a).num_seconds();
            if left <= span {
                result = Some(a + Duration::seconds(left));
                false
            } else {
                left -= span;
                true
            }
        })?;
        let result = result.ok_or_else(|| {
            PolicyError::new(ErrorCode::CalendarNeverOpen, "", format!("calendar `{}` never opens", self.name))
        })?;
        self.note_data_years(t, result, gaps);
        Ok(result)
    }

    /// Open seconds between `from` and `to`, less the `closed` ranges (0 when `to` ≤ `from`).
    pub fn elapsed(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        closed: &[(DateTime<Utc>, DateTime<Utc>)],
        gaps: &mut DataGaps,
    ) -> Result<i64> {
        if to <= from {
            return Ok(0);
        }
        self.note_data_years(from, to, gaps);
        let mut total = 0;
        let walked = self.walk(from, closed, gaps, |a, b| {
            if a >= to {
                return false;
            }
            total += (b.min(to) - a).num_seconds();
            b < to
        });
        match walked {
            Ok(()) => Ok(total),
            // Ten years without the end in sight: everything open up to there counts.
            Err(e) if e.code == ErrorCode::CalendarNeverOpen && total > 0 => Ok(total),
            Err(_) => Ok(total),
        }
    }

    /// Open seconds from `from` to each of two ends, in one walk: what two calls of
    /// [`Self::elapsed`] from the same start give.
    pub fn elapsed_to_both(
        &self,
        from: DateTime<Utc>,
        ends: (DateTime<Utc>, DateTime<Utc>),
        closed: &[(DateTime<Utc>, DateTime<Utc>)],
        gaps: &mut DataGaps,
    ) -> Result<(i64, i64)> {
        let far = ends.0.max(ends.1);
        if far <= from {
            return Ok((0, 0));
        }
        self.note_data_years(from, far, gaps);
        let (mut first, mut second) = (0, 0);
        // Ten years without the far end in sight: everything open up to there counts, as in
        // `elapsed`.
        let _ = self.walk(from, closed, gaps, |a, b| {
            if a >= far {
                return false;
            }
            if a < ends.0 {
                first += (b.min(ends.0) - a).num_seconds();
            }
            if a < ends.1 {
                second += (b.min(ends.1) - a).num_seconds();
            }
            b < far
        });
        Ok((first, second))
    }

    /// The `n`-th working day after `t`'s local date, at `t`'s local time or at the end of that day.
    pub fn add_days(&self, t: DateTime<Utc>, n: i64, end_of_day: bool, gaps: &mut DataGaps) -> Result<DateTime<Utc>> {
        let local = t.with_timezone(&self.zone);
        let mut date = local.date_naive();
        let mut counted = 0;
        for _ in 0..MAX_SCAN_DAYS {
            if counted >= n {
                break;
            }
            date = date.succ_opt().unwrap_or(date);
            if !self.data_years.is_empty() && !self.data_years.contains(&date.year()) {
                gaps.missing.insert((self.name.clone(), date.year()));
            }
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        if counted < n {
            return Err(PolicyError::new(
                ErrorCode::CalendarNeverOpen,
                format!("calendars.{}", self.name),
                format!("calendar `{}` has no working day in ten years", self.name),
            ));
        }
        let time =
            if end_of_day { NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN) } else { local.time() };
        Ok(resolve_local(self.zone, date.and_time(time)).with_timezone(&Utc))
    }

    /// The years the calendar's holiday data covers (its preset's, and its own holidays').
    pub fn data_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.data_years.iter().copied()
    }

    /// Working days in a year (for checking the presets).
    pub fn working_days_in(&self, year: i32) -> usize {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else { return 0 };
        first.iter_days().take_while(|d| d.year() == year).filter(|d| self.is_working_day(*d)).count()
    }

    /// An instant as the answer prints it: RFC 3339 in this calendar's zone.
    pub fn print(&self, t: DateTime<Utc>) -> String {
        format_instant(&t.with_timezone(&self.zone))
    }
}

/// Weekday names for messages.
pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// A duration as a policy writes it: exactly one of the fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "maxProperties" = 1)))]
#[serde(deny_unknown_fields)]
pub struct DurationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_days: Option<u32>,
}

/// What a duration counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// Seconds of clock time.
    Clock(i64),
    /// Seconds of open time on a calendar.
    Business(i64),
    /// Working days on a calendar.
    BusinessDays(i64),
}

impl Amount {
    /// Whether the duration is nothing at all.
    pub fn is_zero(self) -> bool {
        matches!(self, Amount::Clock(0) | Amount::Business(0) | Amount::BusinessDays(0))
    }
}

impl DurationSpec {
    pub fn amount(&self, path: &str) -> Result<Amount> {
        let set: Vec<Amount> = [
            self.minutes.map(|m| Amount::Clock(i64::from(m) * 60)),
            self.hours.map(|h| Amount::Clock(i64::from(h) * 3600)),
            self.days.map(|d| Amount::Clock(i64::from(d) * 86_400)),
            self.business_minutes.map(|m| Amount::Business(i64::from(m) * 60)),
            self.business_hours.map(|h| Amount::Business(i64::from(h) * 3600)),
            self.business_days.map(|d| Amount::BusinessDays(i64::from(d))),
        ]
        .into_iter()
        .flatten()
        .collect();
        match set.as_slice() {
            [one] => Ok(*one),
            _ => Err(PolicyError::invalid(
                path,
                "a duration is exactly one of minutes, hours, days, business_minutes, business_hours, business_days",
            )),
        }
    }
}

/// Adds a policy duration to `t` on `calendar` (clock durations on the plain clock of its zone).
pub fn add_duration(
    calendar: &Calendar,
    t: DateTime<Utc>,
    amount: Amount,
    end_of_day: bool,
    closed: &[(DateTime<Utc>, DateTime<Utc>)],
    gaps: &mut DataGaps,
) -> Result<DateTime<Utc>> {
    match amount {
        Amount::Clock(s) => Calendar::clock(calendar.zone).add(t, s, closed, gaps),
        Amount::Business(s) => calendar.add(t, s, closed, gaps),
        Amount::BusinessDays(n) => {
            // Pauses push a day-counted deadline by the working days they cover.
            let base = calendar.add_days(t, n, end_of_day, gaps)?;
            let paused_days: i64 = closed
                .iter()
                .filter(|(s, _)| *s < base)
                .map(|(s, e)| {
                    let (a, b) = (
                        s.with_timezone(&calendar.zone).date_naive(),
                        (*e).min(base).with_timezone(&calendar.zone).date_naive(),
                    );
                    a.iter_days().take_while(|d| *d < b).filter(|d| calendar.is_working_day(*d)).count() as i64
                })
                .sum();
            if paused_days > 0 {
                calendar.add_days(t, n + paused_days, end_of_day, gaps)
            } else {
                Ok(base)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(json: &str) -> (Vec<String>, Calendars) {
        let spec: CalendarsSpec = serde_json::from_str(json).unwrap();
        let mut problems = Problems::default();
        let zone = Tz::named("Asia/Shanghai").unwrap();
        let calendars = compile(&spec, zone, "calendars", &mut problems);
        (problems.into_errors().into_iter().map(|e| e.path).collect(), calendars)
    }

    #[test]
    fn every_refusal_is_noted_and_refused_calendars_stay_defined() {
        let (found, calendars) = paths(
            r#"{
                "a": {
                    "hours": {"mon": ["9-5", "09:00-18:00"], "tue": ["09:00-12:00", "11:00-13:00"]},
                    "holidays": ["2026-13-01", {"from": "2026-02-01", "to": "2026-01-01"}, "2026-10-10"],
                    "extra_workdays": [{"date": "x", "hours": ["bad"]}, "2026-10-10", "2026-10-11"]
                },
                "b": {"extends": "nope"},
                "c": {"hours": {"mon": ["09:00-18:00"]}}
            }"#,
        );
        assert_eq!(
            found,
            [
                "calendars.a.hours.mon[0]",
                "calendars.a.hours.tue",
                "calendars.a.holidays[0]",
                "calendars.a.holidays[1]",
                "calendars.a.extra_workdays[0].hours[0]",
                "calendars.a.extra_workdays[0].date",
                "calendars.a.extra_workdays[1]",
                "calendars.b.extends",
            ]
        );
        for name in ["a", "b", "c"] {
            assert!(calendars.get(name).is_some(), "{name}");
        }
        assert!(calendars.get("d").is_none());
    }

    #[test]
    fn a_clean_calendar_notes_nothing() {
        let (found, calendars) =
            paths(r#"{"support": {"extends": "cn-2025-2026", "hours": {"mon": ["09:00-18:00"]}}}"#);
        assert!(found.is_empty(), "{found:?}");
        assert!(calendars.get("support").is_some_and(|c| !c.data_years.is_empty()));
    }
}
