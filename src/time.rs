//! Instants, zones and day-counted windows. The engine never reads a clock: every request
//! carries `now` (chrono is built without its `clock` feature, so reading one does not compile).
//!
//! - A [`Timestamp`] is RFC 3339 *with* an offset; a local time without one is refused.
//! - Local times that do not exist or exist twice (DST gaps and overlaps) resolve as jiff's
//!   "compatible" rule does: a gap moves forward by the gap's length, an overlap takes the
//!   earlier instant. So no local time is ever "not found".
//! - A window of N days from an instant ends at 23:59:59 local time on the N-th day after the
//!   instant's local date.

use crate::error::{tagged, ErrorCode, PolicyError, Result};
use crate::zone::Tz;
use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use serde::{Deserialize, Serialize};

/// An instant as written in a request: RFC 3339 with an offset, e.g. `2026-11-23T10:00:00+08:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl Timestamp {
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        DateTime::parse_from_rfc3339(text).map(Timestamp).map_err(|_| {
            format!(
                "`{}` is not an RFC 3339 timestamp with an offset (e.g. 2026-11-23T10:00:00+08:00)",
                truncate(text, 64)
            )
        })
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    /// This instant on the wall clock of `zone`.
    pub fn in_zone(&self, zone: Tz) -> DateTime<Tz> {
        self.0.with_timezone(&zone)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        /// Reads the text in place (no copy of it is made).
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Timestamp;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an RFC 3339 timestamp with an offset")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Timestamp, E> {
                Timestamp::parse(v).map_err(|m| E::custom(tagged(ErrorCode::InvalidTimestamp, m)))
            }
        }
        d.deserialize_str(Text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&format_instant(&self.0))
    }
}

/// RFC 3339 with the zone's offset and whole seconds (`2026-11-25T23:59:59+08:00`), the form every
/// answer uses.
pub fn format_instant<Tz2: TimeZone>(t: &DateTime<Tz2>) -> String
where
    Tz2::Offset: std::fmt::Display,
{
    use chrono::{Datelike, Timelike};
    let local = t.naive_local();
    let offset = t.offset().fix().local_minus_utc();
    let minutes = offset.unsigned_abs() / 60;
    // Written digit by digit: this runs for every deadline of every answer, and `format!` with
    // widths costs several times more. Years outside 0..=9999 cannot be parsed in, so four digits do.
    let mut out = String::with_capacity(25);
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + u8::try_from(n / 10 % 10).unwrap_or(0)));
        out.push(char::from(b'0' + u8::try_from(n % 10).unwrap_or(0)));
    };
    let Ok(year @ 0..=9999) = u32::try_from(local.year()) else {
        let sign = if offset < 0 { '-' } else { '+' };
        let (y, mo, d, h, mi, se) =
            (local.year(), local.month(), local.day(), local.hour(), local.minute(), local.second());
        return format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{sign}{:02}:{:02}", minutes / 60, minutes % 60);
    };
    two(&mut out, year / 100);
    two(&mut out, year % 100);
    out.push('-');
    two(&mut out, local.month());
    out.push('-');
    two(&mut out, local.day());
    out.push('T');
    two(&mut out, local.hour());
    out.push(':');
    two(&mut out, local.minute());
    out.push(':');
    two(&mut out, local.second());
    out.push(if offset < 0 { '-' } else { '+' });
    two(&mut out, minutes / 60);
    out.push(':');
    two(&mut out, minutes % 60);
    out
}

/// An IANA time zone name from a policy (`Asia/Shanghai`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        /// Refuses an unknown name inside the visitor, so serde_json reports it at the string.
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Zone;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<Zone, E> {
                Tz::named(s).map(Zone).ok_or_else(|| {
                    E::custom(tagged(
                        ErrorCode::UnknownTimezone,
                        format!("`{}` is not an IANA time zone name (e.g. Asia/Shanghai)", truncate(s, 64)),
                    ))
                })
            }
        }
        d.deserialize_str(Name)
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name())
    }
}

/// The instant of a local wall-clock time in `zone`, by the "compatible" rule: in a DST gap the
/// time moves forward by the length of the gap; in an overlap the earlier instant wins.
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> DateTime<Tz> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(earlier, _) => earlier,
        LocalResult::None => {
            // In a gap: take the offset in force just before it and read the wall time with it,
            // which lands as far past the gap's end as the time was past its start.
            let before = local - Duration::hours(24);
            let offset = match zone.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.offset().fix(),
                LocalResult::None => zone.offset_from_utc_datetime(&local).fix(),
            };
            let utc = local - Duration::seconds(i64::from(offset.local_minus_utc()));
            zone.from_utc_datetime(&utc)
        }
    }
}

/// The last second of a local date in `zone`: `2026-11-25` → `2026-11-25T23:59:59+08:00`.
pub fn end_of_local_day(zone: Tz, date: NaiveDate) -> DateTime<Tz> {
    let last = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
    resolve_local(zone, date.and_time(last))
}

/// The end of a window of `days` days counted from `start`'s local date in `zone`.
pub fn day_window_end(zone: Tz, start: &Timestamp, days: i64) -> Result<DateTime<Tz>> {
    let date = start.in_zone(zone).date_naive();
    let last = date
        .checked_add_signed(Duration::days(days))
        .ok_or_else(|| PolicyError::new(ErrorCode::InvalidValue, "", "the window ends outside the supported dates"))?;
    Ok(end_of_local_day(zone, last))
}

/// Whole local calendar days from `from` to `to` in `zone` (0 on the same day).
pub fn local_days_between(zone: Tz, from: &Timestamp, to: &Timestamp) -> i64 {
    (to.in_zone(zone).date_naive() - from.in_zone(zone).date_naive()).num_days()
}

/// Shortens a user-supplied string before it goes into a message.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max_chars).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_need_an_offset() {
        assert!(Timestamp::parse("2026-11-23T10:00:00+08:00").is_ok());
        assert!(Timestamp::parse("2026-11-23T10:00:00").is_err());
        assert!(Timestamp::parse("2026-11-23").is_err());
    }

    #[test]
    fn instants_print_as_rfc_3339_with_the_offset() {
        for (zone, local) in [
            ("Asia/Kolkata", "2026-01-05T07:08:09+05:30"),
            ("Asia/Kathmandu", "2026-01-05T07:23:09+05:45"),
            ("America/St_Johns", "2026-01-04T22:08:09-03:30"),
            ("UTC", "2026-01-05T01:38:09+00:00"),
        ] {
            let zone: Tz = zone.parse().unwrap();
            let t = Timestamp::parse("2026-01-05T01:38:09Z").unwrap().in_zone(zone);
            assert_eq!(format_instant(&t), local);
        }
        let early = Timestamp::parse("0009-03-04T05:06:07-00:30").unwrap();
        assert_eq!(format_instant(&early.0), "0009-03-04T05:06:07-00:30");
        let late = Timestamp::parse("9999-12-31T23:59:59+00:00").unwrap().0 + Duration::days(1);
        assert_eq!(format_instant(&late), "10000-01-01T23:59:59+00:00");
    }

    #[test]
    fn windows_end_at_the_last_second_of_the_local_day() {
        let zone: Tz = "Asia/Shanghai".parse().unwrap();
        let start = Timestamp::parse("2026-11-03T15:00:00+08:00").unwrap();
        let end = day_window_end(zone, &start, 7).unwrap();
        assert_eq!(format_instant(&end), "2026-11-10T23:59:59+08:00");
        // the local date counts, not the UTC date: 2026-11-03 01:00 in Shanghai is 11-02 in UTC
        let early = Timestamp::parse("2026-11-02T17:00:00Z").unwrap();
        assert_eq!(format_instant(&day_window_end(zone, &early, 7).unwrap()), "2026-11-10T23:59:59+08:00");
    }

    #[test]
    fn dst_gaps_move_forward_and_overlaps_take_the_earlier() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let gap = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(format_instant(&resolve_local(la, gap)), "2026-03-08T03:30:00-07:00");
        let overlap = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_opt(1, 30, 0).unwrap();
        assert_eq!(format_instant(&resolve_local(la, overlap)), "2026-11-01T01:30:00-07:00");
    }
}
