//! The engine's zones (jiff's bundled database, offered as a chrono `TimeZone` by `src/zone.rs`)
//! against chrono-tz, which the engine used before: the same offset at every instant, and the same
//! answer for every local time (one instant, two in an overlap, none in a gap), over 2000–2035 in
//! zones chosen for their rules: DST north and south, half-hour and 45-minute offsets, a 30-minute
//! DST, DST abolished (Brazil 2019, Iran 2022), none at all.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::zone::Tz;
use chrono::{DateTime, NaiveDateTime, Offset, TimeZone};
use proptest::prelude::*;

const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tehran",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "UTC",
];

// 2000-01-01T00:00:00Z to 2035-12-31T23:59:59Z.
const FROM: i64 = 946_684_800;
const TO: i64 = 2_082_758_399;

fn naive(seconds: i64) -> NaiveDateTime {
    DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_offset_at_an_instant_is_chrono_tz_s(zone in 0..ZONES.len(), at in FROM..TO) {
        let ours: Tz = ZONES[zone].parse().unwrap();
        let theirs: chrono_tz::Tz = ZONES[zone].parse().unwrap();
        let utc = naive(at);
        prop_assert_eq!(ours.offset_from_utc_datetime(&utc).fix(), theirs.offset_from_utc_datetime(&utc).fix());
    }

    #[test]
    fn a_local_time_resolves_as_chrono_tz_resolves_it(zone in 0..ZONES.len(), at in FROM..TO) {
        let ours: Tz = ZONES[zone].parse().unwrap();
        let theirs: chrono_tz::Tz = ZONES[zone].parse().unwrap();
        let local = naive(at);
        let a = ours.offset_from_local_datetime(&local).map(|o| o.fix());
        let b = theirs.offset_from_local_datetime(&local).map(|o| o.fix());
        prop_assert_eq!(a, b, "{} at {}", ZONES[zone], local);
    }
}

/// Random instants seldom land in the hour a clock skips or repeats: every transition of the
/// period, in every zone, is tried at its edges.
#[test]
fn every_transition_resolves_as_chrono_tz_resolves_it() {
    for name in ZONES {
        let ours: Tz = name.parse().unwrap();
        let theirs: chrono_tz::Tz = name.parse().unwrap();
        let mut checked = 0;
        let mut at = FROM;
        while at < TO {
            let (now, later) = (naive(at), naive(at + 3600));
            if theirs.offset_from_utc_datetime(&now).fix() != theirs.offset_from_utc_datetime(&later).fix() {
                // A transition within the hour: walk it minute by minute, in UTC and in local time.
                for m in 0..=120 {
                    let t = naive(at - 1800 + m * 60);
                    assert_eq!(
                        ours.offset_from_utc_datetime(&t).fix(),
                        theirs.offset_from_utc_datetime(&t).fix(),
                        "{name} at {t}Z"
                    );
                    let local = t + chrono::Duration::seconds(i64::from(
                        theirs.offset_from_utc_datetime(&t).fix().local_minus_utc(),
                    ));
                    for probe in [local, local - chrono::Duration::hours(1), local + chrono::Duration::hours(1)] {
                        assert_eq!(
                            ours.offset_from_local_datetime(&probe).map(|o| o.fix()),
                            theirs.offset_from_local_datetime(&probe).map(|o| o.fix()),
                            "{name} at local {probe}"
                        );
                    }
                }
                checked += 1;
            }
            at += 3600;
        }
        if !["Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu", "UTC"].contains(name) {
            assert!(checked > 10, "{name}: only {checked} transitions found");
        }
    }
}

/// Every zone name a policy could give before is still accepted.
#[test]
fn every_name_chrono_tz_knows_is_known() {
    let unknown: Vec<&str> =
        chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).filter(|name| Tz::named(name).is_none()).collect();
    assert!(unknown.is_empty(), "{unknown:?}");
}
