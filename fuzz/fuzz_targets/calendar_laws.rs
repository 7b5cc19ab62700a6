//! Structure-aware calendars: arbitrary weekly hours (overnight too), holidays, make-up days,
//! 24x7 and zones with DST, then arbitrary starts and durations. Besides never panicking or
//! hanging, the laws must hold: a deadline is never before its start, adding more never ends
//! earlier, and elapsed(start, add(start, d)) == d.
#![no_main]
use aftersales::calendar::DataGaps;
use arbitrary::Arbitrary;
use chrono::{DateTime, Duration, Utc};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

const ZONES: [&str; 5] = ["Asia/Shanghai", "America/Los_Angeles", "Europe/Berlin", "Australia/Lord_Howe", "UTC"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Arbitrary, Debug)]
struct Input {
    zone: u8,
    always_open: bool,
    extends_cn: bool,
    hours: Vec<(u8, u8, u8)>,
    holidays: Vec<u16>,
    extra: Vec<u16>,
    start_minutes: u32,
    a: u32,
    b: u32,
}

fn clock(slot: u8) -> String {
    let m = u32::from(slot % 96) * 15;
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn date(offset: u16) -> String {
    (chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default() + Duration::days(i64::from(offset % 900))).to_string()
}

fuzz_target!(|input: Input| {
    let mut hours = serde_json::Map::new();
    for (day, from, to) in input.hours.iter().take(14) {
        let entry = hours.entry(DAYS[usize::from(*day % 7)]).or_insert_with(|| json!([]));
        if let Some(list) = entry.as_array_mut() {
            list.push(json!(format!("{}-{}", clock(*from), clock(*to))));
        }
    }
    let mut cal = json!({"timezone": ZONES[usize::from(input.zone) % ZONES.len()], "24x7": input.always_open, "hours": hours,
        "holidays": input.holidays.iter().take(50).map(|d| date(*d)).collect::<Vec<_>>(),
        "extra_workdays": input.extra.iter().take(20).map(|d| date(*d)).collect::<Vec<_>>()});
    if input.extends_cn {
        cal["extends"] = json!("cn-2025-2026");
    }
    let policy = json!({"schema": 1, "id": "f", "version": "1", "currency": "CNY", "timezone": "Asia/Shanghai", "calendars": {"c": cal}});
    let Ok(policy) = aftersales::Policy::from_value(policy) else { return };
    let Some(c) = policy.env.calendars.get("c") else { return };
    let start: DateTime<Utc> = DateTime::from_timestamp(1_735_689_600 + i64::from(input.start_minutes % 1_000_000) * 60, 0).unwrap_or_default();
    let (a, b) = (i64::from(input.a % 2_000_000), i64::from(input.b % 2_000_000));
    let (lo, hi) = (a.min(b), a.max(b));
    let mut gaps = DataGaps::default();
    let (Ok(x), Ok(y)) = (c.add(start, lo, &[], &mut gaps), c.add(start, hi, &[], &mut gaps)) else { return };
    assert!(x >= start, "a deadline before its start");
    assert!(x <= y, "adding more ended earlier");
    if let Ok(e) = c.elapsed(start, x, &[], &mut gaps) {
        assert_eq!(e, lo, "elapsed(start, add(start, d)) != d");
    }
    let _ = c.add_days(start, lo % 40, input.always_open, &mut gaps);
    let _ = c.next_opening(start, &mut gaps);
    let _ = c.is_open(start);
});
