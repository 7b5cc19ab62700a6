//! The China preset against its own data file's checks, and the laws of business time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::calendar::{Calendar, DataGaps};
use aftersales::Policy;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;

fn policy() -> Policy {
    Policy::from_json(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policies/sla-cn.json")).unwrap(),
    )
    .unwrap()
}

fn support(p: &Policy) -> &Calendar {
    p.env.calendars.get("support").unwrap()
}

#[test]
fn the_preset_meets_the_checks_of_its_data_file() {
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cn-public-holidays.json")).unwrap(),
    )
    .unwrap();
    let p = policy();
    let cal = support(&p);
    for (year, expected) in data["checks"]["working_days_in_year"].as_object().unwrap() {
        assert_eq!(
            cal.working_days_in(year.parse().unwrap()),
            expected.as_u64().unwrap() as usize,
            "working days in {year}"
        );
    }
    for check in data["checks"]["next_working_days"].as_array().unwrap() {
        let start = NaiveDate::parse_from_str(check["start"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let shanghai: aftersales::zone::Tz = "Asia/Shanghai".parse().unwrap();
        let t = shanghai.from_local_datetime(&start.and_hms_opt(10, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
        let got = cal.add_days(t, check["add"].as_i64().unwrap(), false, &mut DataGaps::default()).unwrap();
        assert_eq!(got.with_timezone(&shanghai).date_naive().to_string(), check["expect"].as_str().unwrap(), "{check}");
    }
}

fn instant(minutes_from_2025: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes_from_2025)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Adding more business time never ends earlier, and no deadline is before its start.
    #[test]
    fn adding_business_time_is_monotone(start in 0i64..1_000_000, a in 0i64..400_000, b in 0i64..400_000) {
        let p = policy();
        let cal = support(&p);
        let t = instant(start);
        let (lo, hi) = (a.min(b), a.max(b));
        let due_lo = cal.add(t, lo, &[], &mut DataGaps::default()).unwrap();
        let due_hi = cal.add(t, hi, &[], &mut DataGaps::default()).unwrap();
        prop_assert!(due_lo <= due_hi);
        prop_assert!(due_lo >= t);
    }

    /// The business time elapsed from a start to start + d is d, wherever the start falls (a start
    /// outside hours counts from the next opening in both).
    #[test]
    fn elapsed_undoes_add(start in 0i64..1_000_000, d in 0i64..400_000) {
        let p = policy();
        let cal = support(&p);
        let t = instant(start);
        let due = cal.add(t, d, &[], &mut DataGaps::default()).unwrap();
        prop_assert_eq!(cal.elapsed(t, due, &[], &mut DataGaps::default()).unwrap(), d);
    }

    /// Open time adds up over adjoining spans, pauses or not: elapsed(a, c) = elapsed(a, b) +
    /// elapsed(b, c) for a ≤ b ≤ c (the SLA's remaining time is the total less the used on this).
    #[test]
    fn elapsed_adds_up(a in 0i64..1_000_000, ab in 0i64..20_000, bc in 0i64..20_000, pause_at in 0i64..30_000, pause_len in 0i64..5_000, paused in any::<bool>()) {
        let p = policy();
        let cal = support(&p);
        let (ta, tb, tc) = (instant(a), instant(a + ab), instant(a + ab + bc));
        let pauses = if paused { vec![(instant(a + pause_at), instant(a + pause_at + pause_len))] } else { vec![] };
        let e = |x, y| cal.elapsed(x, y, &pauses, &mut DataGaps::default()).unwrap();
        prop_assert_eq!(e(ta, tc), e(ta, tb) + e(tb, tc));
    }

    /// One walk to two ends gives what two walks give, whichever end is the nearer, data gaps
    /// included.
    #[test]
    fn elapsed_to_both_is_elapsed_twice(a in 0i64..1_000_000, x in -20_000i64..40_000, y in -20_000i64..40_000, pause_at in 0i64..30_000, pause_len in 0i64..5_000, paused in any::<bool>()) {
        let p = policy();
        let cal = support(&p);
        let (from, ex, ey) = (instant(a), instant(a + x), instant(a + y));
        let pauses = if paused { vec![(instant(a + pause_at), instant(a + pause_at + pause_len))] } else { vec![] };
        let (mut one, mut two) = (DataGaps::default(), DataGaps::default());
        let both = cal.elapsed_to_both(from, (ex, ey), &pauses, &mut one).unwrap();
        let far = if ex >= ey { ex } else { ey };
        let twice = (cal.elapsed(from, ex, &pauses, &mut two).unwrap(), cal.elapsed(from, ey, &pauses, &mut two).unwrap());
        prop_assert_eq!(both, twice);
        let mut alone = DataGaps::default();
        let _ = cal.elapsed(from, far, &pauses, &mut alone);
        prop_assert_eq!(one, alone);
    }

    /// Business days are monotone too, and never land before the start.
    #[test]
    fn business_days_are_monotone(start in 0i64..1_000_000, a in 0i64..30, b in 0i64..30, eod in any::<bool>()) {
        let p = policy();
        let cal = support(&p);
        let t = instant(start);
        let (lo, hi) = (a.min(b), a.max(b));
        let x = cal.add_days(t, lo, eod, &mut DataGaps::default()).unwrap();
        let y = cal.add_days(t, hi, eod, &mut DataGaps::default()).unwrap();
        prop_assert!(x <= y);
        prop_assert!(lo == 0 || x > t);
    }

    /// On a 24x7 calendar, business time is clock time, across DST changes.
    #[test]
    fn a_24x7_calendar_is_the_clock(start in 0i64..1_000_000, d in 0i64..10_000_000) {
        let p = policy();
        let cal = p.env.calendars.get("la").unwrap();
        let t = instant(start);
        prop_assert_eq!(cal.add(t, d, &[], &mut DataGaps::default()).unwrap(), t + Duration::seconds(d));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// No SLA deadline is before its start, whatever the case, the pauses and `now`.
    #[test]
    fn sla_deadlines_never_precede_their_start(created in 0i64..1_000_000, now_after in 0i64..100_000, pause_at in 0i64..50_000, pause_len in 0i64..5_000, kind in 0usize..4) {
        let engine = aftersales::PolicyEngine::new(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policies/sla-cn.json")).unwrap()).unwrap();
        let c = instant(created);
        let stamp = |t: DateTime<Utc>| t.to_rfc3339();
        let kind = ["enquiry", "refund", "repair", "complaint"][kind];
        let case = serde_json::json!({
            "now": stamp(c + Duration::minutes(now_after)), "type": kind,
            "events": {"created_at": stamp(c), "approved_at": stamp(c + Duration::minutes(now_after / 2)), "received_at": stamp(c)},
            "pauses": [{"from": stamp(c + Duration::minutes(pause_at)), "to": stamp(c + Duration::minutes(pause_at + pause_len))}]});
        let answer: Value = serde_json::from_str(&engine.sla_deadlines_json(&case.to_string()).unwrap()).unwrap();
        for t in answer["targets"].as_array().unwrap() {
            if let (Some(s), Some(d)) = (t["starts_at"].as_str(), t["due_at"].as_str()) {
                prop_assert!(DateTime::parse_from_rfc3339(d).unwrap() >= DateTime::parse_from_rfc3339(s).unwrap(), "{}", t);
            }
        }
    }
}
