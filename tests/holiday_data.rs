//! Mainland China's holiday data (`data/cn-public-holidays.json`) checked on its own: every date a
//! real one in its year, ranges forward and short, make-up days on weekends and never a day off,
//! every year complete and no year missing between the first and the last; then the `cn` preset
//! against the file, day by day, and `cn-2025-2026` as the same data for 2025 and 2026 only.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::calendar::{Calendar, DataGaps};
use aftersales::Policy;
use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One year of the file: its days off (each range's name, first and last day) and make-up days.
struct Year {
    off: Vec<(String, NaiveDate, NaiveDate)>,
    make_up: Vec<NaiveDate>,
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("`{text}` is not a date"))
}

fn data() -> BTreeMap<i32, Year> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cn-public-holidays.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut years = BTreeMap::new();
    for (key, y) in json["years"].as_object().unwrap() {
        assert_eq!(key.len(), 4, "year {key}");
        assert!(!y["notices"].as_array().unwrap().is_empty(), "{key}: the notices it comes from");
        let off = y["days_off"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_string(),
                    date(d["from"].as_str().unwrap()),
                    date(d["to"].as_str().unwrap()),
                )
            })
            .collect();
        let make_up = y["make_up_workdays"].as_array().unwrap().iter().map(|d| date(d.as_str().unwrap())).collect();
        years.insert(key.parse().unwrap(), Year { off, make_up });
    }
    years
}

/// The days off of a year, one by one.
fn days_off(y: &Year) -> BTreeSet<NaiveDate> {
    y.off.iter().flat_map(|(_, a, b)| a.iter_days().take_while(move |d| d <= b)).collect()
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[test]
fn every_year_is_consistent() {
    let years = data();
    for (year, y) in &years {
        for (name, a, b) in &y.off {
            assert!(a.year() == *year && b.year() == *year, "{year} {name}: {a}..{b} outside the year");
            // The longest break on record is 2020's Spring Festival, ten days (24 January to 2 February).
            assert!(a <= b && (*b - *a).num_days() < 10, "{year} {name}: {a}..{b} runs backward or too long");
        }
        let mut seen = BTreeSet::new();
        for (name, a, b) in &y.off {
            for d in a.iter_days().take_while(|d| d <= b) {
                assert!(seen.insert(d), "{year} {name}: {d} is in two breaks");
            }
        }
        let mut make_up = BTreeSet::new();
        for d in &y.make_up {
            assert_eq!(d.year(), *year, "{year}: make-up day {d} outside the year");
            assert!(weekend(*d), "{year}: make-up day {d} is a {:?}, not a weekend day", d.weekday());
            assert!(!seen.contains(d), "{year}: {d} is both a day off and a make-up day");
            assert!(make_up.insert(*d), "{year}: make-up day {d} twice");
        }
    }
}

#[test]
fn every_year_is_complete_and_none_is_missing() {
    let years = data();
    let (first, last) = (*years.keys().next().unwrap(), *years.keys().last().unwrap());
    assert_eq!(years.len(), usize::try_from(last - first + 1).unwrap(), "a year is missing between {first} and {last}");
    assert!(first <= 2006 && last >= 2026, "covered: {first}..{last}");
    for (year, y) in &years {
        // The statutory holidays of the regulation in force: the four of 1999, and from 2008 the
        // traditional festivals too.
        let mut festivals = vec!["New Year", "Spring Festival", "Labour Day", "National Day"];
        if *year >= 2008 {
            festivals.extend(["Qingming", "Dragon Boat", "Mid-Autumn"]);
        }
        for f in festivals {
            assert!(y.off.iter().any(|(name, ..)| name.contains(f)), "{year}: no {f}");
        }
    }
}

fn support(preset: &str) -> Policy {
    let policy = format!(
        r#"{{"schema": 1, "id": "oracle", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai",
            "calendars": {{"office": {{"extends": "{preset}", "hours": {{"mon": ["09:00-18:00"], "tue": ["09:00-18:00"],
            "wed": ["09:00-18:00"], "thu": ["09:00-18:00"], "fri": ["09:00-18:00"]}}}}}}}}"#
    );
    Policy::from_json(&policy).unwrap()
}

fn office(p: &Policy) -> &Calendar {
    p.env.calendars.get("office").unwrap()
}

/// Whether an answer at noon on `d` needed data the calendar lacks.
fn missing(cal: &Calendar, d: NaiveDate) -> bool {
    let t = Utc.with_ymd_and_hms(d.year(), d.month(), d.day(), 4, 0, 0).unwrap();
    let mut gaps = DataGaps::default();
    cal.note_data_years(t, t, &mut gaps);
    !gaps.missing.is_empty()
}

#[test]
fn the_cn_preset_is_the_data_day_by_day() {
    let years = data();
    let p = support("cn");
    let cal = office(&p);
    for (year, y) in &years {
        let off = days_off(y);
        let make_up: BTreeSet<_> = y.make_up.iter().copied().collect();
        let first = NaiveDate::from_ymd_opt(*year, 1, 1).unwrap();
        for d in first.iter_days().take_while(|d| d.year() == *year) {
            let expected = make_up.contains(&d) || (!weekend(d) && !off.contains(&d));
            assert_eq!(cal.is_working_day(d), expected, "{d}");
            assert!(!missing(cal, d), "{d} reported as missing");
        }
    }
    let before = *years.keys().next().unwrap() - 1;
    assert!(missing(cal, NaiveDate::from_ymd_opt(before, 6, 1).unwrap()), "{before} is not covered");
}

#[test]
fn cn_2025_2026_is_the_same_data_for_its_two_years_only() {
    let (all, two) = (support("cn"), support("cn-2025-2026"));
    let (all, two) = (office(&all), office(&two));
    for year in [2025, 2026] {
        assert_eq!(all.working_days_in(year), two.working_days_in(year), "{year}");
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        for d in first.iter_days().take_while(|d| d.year() == year) {
            assert_eq!(all.is_working_day(d), two.is_working_day(d), "{d}");
        }
    }
    for year in [2024, 2027] {
        assert!(missing(two, NaiveDate::from_ymd_opt(year, 6, 1).unwrap()), "{year}");
    }
}
