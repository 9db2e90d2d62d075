//! The schedule's unit and property tests: the grammar and its errors, the
//! next runs (month ends, leap days, the day-of-month/day-of-week rule,
//! never-firing schedules) against a brute minute-by-minute scan, and the findings.

use super::calendar::*;
use super::*;
use crate::flight::properties::Rng;
use crate::flight::{FindingCode, Severity};

fn at(y: i64, mo: u32, d: u32, h: i64, mi: i64) -> i64 {
    (days_from_civil(y, mo, d) * MINUTES_PER_DAY + h * 60 + mi) * MICROS_PER_MINUTE
}

fn shown(micros: i64) -> String {
    format_minute(micros.div_euclid(MICROS_PER_MINUTE))
}

fn runs(cron: &str, start: i64, n: usize) -> Vec<String> {
    Cron::parse(cron).unwrap().runs_after(start).take(n).map(shown).collect()
}

fn error(cron: &str) -> CronError {
    Cron::parse(cron).unwrap_err()
}

/// Whether minute `minute` (from the epoch) is a run of `cron`, by its definition.
fn matches(cron: &Cron, minute: i64) -> bool {
    let day = minute.div_euclid(MINUTES_PER_DAY);
    let (_, m, d) = civil_from_days(day);
    let of_day = minute.rem_euclid(MINUTES_PER_DAY);
    cron.day_matches(m, d, weekday(day)) && cron.time_matches((of_day / 60) as u32, (of_day % 60) as u32)
}

#[test]
fn documented_examples() {
    let start = at(2024, 1, 1, 0, 7); // a Monday
    assert_eq!(runs("*/15 * * * *", start, 3), ["2024-01-01 00:15", "2024-01-01 00:30", "2024-01-01 00:45"]);
    assert_eq!(runs("0 * * * *", start, 2), ["2024-01-01 01:00", "2024-01-01 02:00"]);
    assert_eq!(runs("0 6 * * *", start, 2), ["2024-01-01 06:00", "2024-01-02 06:00"]);
    assert_eq!(runs("0 6 * * 1", start, 2), ["2024-01-01 06:00", "2024-01-08 06:00"]);
    assert_eq!(runs("0 0 1 * *", start, 2), ["2024-02-01 00:00", "2024-03-01 00:00"]);
}

#[test]
fn strictly_after_start() {
    let start = at(2024, 1, 1, 6, 0);
    assert_eq!(runs("0 6 * * *", start, 1), ["2024-01-02 06:00"]);
    assert_eq!(runs("0 6 * * *", start - 1, 1), ["2024-01-01 06:00"]);
    assert_eq!(runs("* * * * *", start + 1, 1), ["2024-01-01 06:01"]);
    // Before the epoch too.
    assert_eq!(runs("0 0 * * *", at(1969, 12, 31, 12, 0), 2), ["1970-01-01 00:00", "1970-01-02 00:00"]);
}

#[test]
fn month_ends_and_leap_days() {
    let start = at(2024, 1, 1, 0, 0);
    assert_eq!(
        runs("0 0 31 * *", start, 4),
        ["2024-01-31 00:00", "2024-03-31 00:00", "2024-05-31 00:00", "2024-07-31 00:00"]
    );
    assert_eq!(runs("0 0 29 2 *", start, 3), ["2024-02-29 00:00", "2028-02-29 00:00", "2032-02-29 00:00"]);
    // 2100 is not a leap year: eight years apart.
    assert_eq!(runs("0 0 29 2 *", at(2097, 1, 1, 0, 0), 2), ["2104-02-29 00:00", "2108-02-29 00:00"]);
    assert_eq!(
        runs("59 23 28-31 2 *", at(2023, 2, 28, 0, 0), 3),
        ["2023-02-28 23:59", "2024-02-28 23:59", "2024-02-29 23:59"]
    );
    // Across a year end.
    assert_eq!(runs("0 0 1 1 *", at(2024, 12, 31, 23, 59), 1), ["2025-01-01 00:00"]);
}

#[test]
fn never_firing_schedules_yield_nothing() {
    for cron in ["0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6,9,11 *", "0 0 30,31 2 *"] {
        let parsed = Cron::parse(cron).unwrap();
        assert!(!parsed.fires(), "{cron}");
        assert_eq!(parsed.runs_after(0).next(), None, "{cron}");
    }
    // Day-of-week restricted too: either matches, so April's Mondays.
    assert_eq!(runs("0 0 31 4 1", at(2024, 1, 1, 0, 0), 2), ["2024-04-01 00:00", "2024-04-08 00:00"]);
}

#[test]
fn day_of_month_and_day_of_week_combine_as_cron_does() {
    let start = at(2024, 9, 1, 0, 0); // a Sunday
                                      // Both restricted: the 13th or a Friday.
    assert_eq!(runs("0 0 13 * 5", start, 3), ["2024-09-06 00:00", "2024-09-13 00:00", "2024-09-20 00:00"]);
    assert_eq!(
        runs("0 0 1,15 * 0", start - 1, 4),
        ["2024-09-01 00:00", "2024-09-08 00:00", "2024-09-15 00:00", "2024-09-22 00:00"]
    );
    // One starts with '*': both must match (Fridays; odd Fridays).
    assert_eq!(runs("0 0 * * 5", start, 2), ["2024-09-06 00:00", "2024-09-13 00:00"]);
    assert_eq!(runs("0 0 */2 * 5", start, 2), ["2024-09-13 00:00", "2024-09-27 00:00"]);
    assert_eq!(runs("0 0 13 * *", start, 2), ["2024-09-13 00:00", "2024-10-13 00:00"]);
}

#[test]
fn steps_ranges_and_lists() {
    let start = at(2024, 1, 1, 0, 0);
    assert_eq!(runs("50/5 0 * * *", start, 3), ["2024-01-01 00:50", "2024-01-01 00:55", "2024-01-02 00:50"]);
    assert_eq!(
        runs("0-30/15 9-10 * * *", start, 4),
        ["2024-01-01 09:00", "2024-01-01 09:15", "2024-01-01 09:30", "2024-01-01 10:00"]
    );
    assert_eq!(runs("5,1,3 0 * * *", start, 3), ["2024-01-01 00:01", "2024-01-01 00:03", "2024-01-01 00:05"]);
    assert_eq!(runs("0 0 * 1/6 *", start, 2), ["2024-01-02 00:00", "2024-01-03 00:00"]);
    assert_eq!(runs("0 0 1 */6 *", start, 3), ["2024-07-01 00:00", "2025-01-01 00:00", "2025-07-01 00:00"]);
    assert_eq!(runs(" 0\t0  1 1 * ", start, 1), ["2025-01-01 00:00"]);
}

#[test]
fn invalid_schedules_name_the_field_the_value_and_why() {
    let cases = [
        ("0 0 * * 7", "day-of-week value 7 is out of range 0-6 (Sunday is 0; write 0 for Sunday)"),
        ("0 0 * * 1-9", "day-of-week value 9 is out of range 0-6 (Sunday is 0)"),
        ("60 * * * *", "minute value 60 is out of range 0-59"),
        ("0 24 * * *", "hour value 24 is out of range 0-23"),
        ("0 0 0 * *", "day-of-month value 0 is out of range 1-31"),
        ("0 0 * 13 *", "month value 13 is out of range 1-12"),
        ("0 0 * 99999999999999999999999 *", "month value 99999999999999999999999 is out of range 1-12"),
        ("/15 * * * *", "minute: a step needs a base, as in */15 or 0-30/15 (got '/15')"),
        ("*/0 * * * *", "minute: step 0 in '*/0'; a step is 1 or more"),
        ("1,,2 * * * *", "minute: empty item in the list '1,,2'; remove the extra comma"),
        ("0 5-2 * * *", "hour: range 5-2 starts after it ends; write 2-5"),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
        (
            "0 0 0 * * *",
            "expected 5 fields (minute hour day-of-month month day-of-week), got 6 (a seconds or year field is not part of MotherDuck's grammar)",
        ),
        ("   ", "expected 5 fields (minute hour day-of-month month day-of-week), got 0 (an empty schedule_cron clears the schedule)"),
        ("@every 5m", "'@every 5m' is not a schedule: expected 5 fields (minute hour day-of-month month day-of-week)"),
    ];
    for (cron, message) in cases {
        let e = error(cron);
        assert_eq!(e.kind, CronErrorKind::Invalid, "{cron}");
        assert_eq!(e.to_string(), message, "{cron}");
    }
    assert_eq!(error("0 0 * * 7").field, Some(Field::DayOfWeek));
    assert_eq!(error("* * * *").field, None);
    for cron in [
        "x * * * *",
        "-1 * * * *",
        "1- * * * *",
        "*/ * * * *",
        "1/2/3 * * * *",
        "*/x * * * *",
        "0 0 * * FOO",
        "0 L * * *",
    ] {
        let e = error(cron);
        assert_eq!(e.kind, CronErrorKind::Invalid, "{cron}");
        assert!(e.message.contains("is not a number"), "{cron}: {e}");
    }
    // A long value is shown shortened.
    let long = format!("{} * * * *", "x".repeat(1000));
    assert!(error(&long).to_string().len() < 200);
    assert!(!error("0 \u{1}\u{b} * * *").to_string().contains(char::is_control));
}

#[test]
fn nonstandard_schedules_say_what_to_write() {
    let cases = [
        ("@daily", "0 0 * * *"),
        ("@MIDNIGHT", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("0 6 * * MON-FRI", "0 6 * * 1-5"),
        ("0 6 * * sun,sat", "0 6 * * 0,6"),
        ("0 0 1 JAN,jul *", "0 0 1 1,7 *"),
        ("0 0 ? * MON", "0 0 * * 1"),
        ("0 0 1 * ?", "0 0 1 * *"),
    ];
    for (cron, plain) in cases {
        let e = error(cron);
        assert_eq!((e.kind, e.plain.as_deref()), (CronErrorKind::Nonstandard, Some(plain)), "{cron}: {e}");
        assert!(e.to_string().ends_with(&format!("; write '{plain}' instead")), "{e}");
        assert!(Cron::parse(plain).is_ok());
    }
    assert_eq!(
        error("0 6 * * MON").to_string(),
        "day-of-week: the name 'MON' is not in MotherDuck's cron grammar, which takes numbers only (0-6, Sunday is 0); \
         write '0 6 * * 1' instead"
    );
    for cron in ["0 0 L * *", "0 0 15W * *", "0 0 LW * *", "0 0 * * 5L", "0 0 * * 1#2", "@reboot", "0 0 L JAN *"] {
        let e = error(cron);
        assert_eq!((e.kind, e.plain.as_deref()), (CronErrorKind::Nonstandard, None), "{cron}: {e}");
        assert!(e.to_string().contains("no plain equivalent"), "{e}");
    }
    assert_eq!(error("0 0 * * 1#2").field, Some(Field::DayOfWeek));
    // A name with an invalid field elsewhere has no plain equivalent.
    assert_eq!(error("0 0 * * MON,9").plain, None);
    assert_eq!(error("61 0 * JAN *").kind, CronErrorKind::Invalid);
}

#[test]
fn runs_end_at_duckdbs_last_timestamp() {
    let cron = Cron::parse("* * * * *").unwrap();
    assert_eq!(cron.runs_after(i64::MAX - 1).next(), None);
    let last = cron.runs_after(i64::MAX - 120 * MICROS_PER_MINUTE).last().unwrap();
    assert!(last < i64::MAX && last > i64::MAX - 2 * MICROS_PER_MINUTE);
    assert!(cron.runs_after(-i64::MAX).next().is_some());
}

/// A random list item of a field: `*`, `*/s`, `a`, `a-b`, `a-b/s`, `a/s`.
fn random_item(rng: &mut Rng, field: Field) -> String {
    let (min, max) = field.range();
    let span = (max - min + 1) as usize;
    let a = min + rng.below(span) as u32;
    let b = a + rng.below((max - a + 1) as usize) as u32;
    let s = 1 + rng.below(span / 2 + 1);
    match rng.below(8) {
        0 | 1 => "*".into(),
        2 => format!("*/{s}"),
        3 | 4 => a.to_string(),
        5 => format!("{a}-{b}"),
        6 => format!("{a}-{b}/{s}"),
        _ => format!("{a}/{s}"),
    }
}

fn random_cron(rng: &mut Rng) -> String {
    Field::ALL
        .into_iter()
        .map(|field| {
            (0..1 + rng.below(3) / 2 * rng.below(3)).map(|_| random_item(rng, field)).collect::<Vec<_>>().join(",")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Property: every run matches the schedule, and none is skipped: the fast
/// search agrees with a minute-by-minute scan over a 40-day window.
#[test]
fn next_runs_agree_with_a_brute_scan() {
    let mut rng = Rng(0x5eed_c0de);
    let window = 40 * MINUTES_PER_DAY;
    for _ in 0..250 {
        let text = random_cron(&mut rng);
        let cron = Cron::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let start_minute = days_from_civil(1990 + rng.below(150) as i64, 1 + rng.below(12) as u32, 1) * MINUTES_PER_DAY
            + rng.below(40 * 1440) as i64;
        let start = start_minute * MICROS_PER_MINUTE + rng.below(MICROS_PER_MINUTE as usize) as i64;
        let brute: Vec<i64> = (start_minute + 1..=start_minute + window).filter(|m| matches(&cron, *m)).collect();
        let fast: Vec<i64> =
            cron.runs_after(start).map(|t| t / MICROS_PER_MINUTE).take_while(|m| *m <= start_minute + window).collect();
        assert_eq!(fast, brute, "{text} after {}", shown(start));
        // Beyond the window, runs still match and increase.
        let later: Vec<i64> = cron.runs_after(start).skip(fast.len()).take(20).map(|t| t / MICROS_PER_MINUTE).collect();
        assert!(later.iter().all(|m| matches(&cron, *m)), "{text}");
        assert!(later.windows(2).all(|w| w[0] < w[1]), "{text}");
    }
}

fn findings(cron: &str, max_runtime: Option<i64>) -> Vec<(FindingCode, String, String)> {
    schedule_findings(Some(cron), max_runtime).into_iter().map(|f| (f.code, f.subject, f.message)).collect()
}

#[test]
fn findings_of_invalid_and_nonstandard_schedules() {
    assert!(schedule_findings(None, Some(60)).is_empty());
    assert!(schedule_findings(Some(""), Some(60)).is_empty());
    assert!(findings("0 6 * * 1", Some(3600)).is_empty());
    let found = schedule_findings(Some("0 0 * * 7"), None);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].code, found[0].severity), (FindingCode::ScheduleInvalid, Severity::Error));
    assert_eq!(found[0].subject, "day-of-week");
    assert!(found[0].message.starts_with("schedule_cron '0 0 * * 7': day-of-week value 7 is out of range 0-6"));
    let [(code, subject, message)] = &findings("0 0 * *", None)[..] else { panic!() };
    assert_eq!((*code, subject.as_str()), (FindingCode::ScheduleInvalid, "0 0 * *"));
    assert!(message.contains("got 4"), "{message}");
    let [(code, subject, message)] = &findings("0 0 30 2 *", None)[..] else { panic!() };
    assert_eq!((*code, subject.as_str()), (FindingCode::ScheduleInvalid, "0 0 30 2 *"));
    assert!(message.contains("never fires"), "{message}");
    let found = schedule_findings(Some("@daily"), Some(999_999));
    assert_eq!((found[0].code, found[0].severity), (FindingCode::ScheduleNonstandard, Severity::Warning));
    assert_eq!(found[0].subject, "@daily");
    assert!(found[0].message.contains("write '0 0 * * *' instead"), "{}", found[0].message);
    let [(code, subject, message)] = &findings("0 6 * * MON", None)[..] else { panic!() };
    assert_eq!((*code, subject.as_str()), (FindingCode::ScheduleNonstandard, "day-of-week"));
    assert!(message.contains("write '0 6 * * 1' instead"), "{message}");
    for f in ["0 0 * * 7", "@daily", "0 0 L * *", "0 0 30 2 *"].iter().flat_map(|c| schedule_findings(Some(c), None)) {
        assert!(!f.message.contains('\n'));
    }
}

#[test]
fn overlap_needs_runs_closer_than_the_runtime_limit() {
    let overlap = |cron: &str, limit: i64| -> Option<String> {
        let found = schedule_findings(Some(cron), Some(limit));
        assert!(found.len() <= 1);
        found.first().map(|f| {
            assert_eq!(
                (f.code, f.severity, f.subject.as_str()),
                (FindingCode::ScheduleOverlap, Severity::Warning, cron)
            );
            f.message.clone()
        })
    };
    let message = overlap("*/15 * * * *", 3600).unwrap();
    assert!(message.contains("are 15 minutes apart, less than max_runtime_sec 3600 (1 hour)"), "{message}");
    assert_eq!(overlap("*/15 * * * *", 900), None);
    assert_eq!(overlap("0 * * * *", 3600), None);
    assert!(overlap("0 * * * *", 3601).unwrap().contains("1 hour apart"));
    assert_eq!(overlap("0 6 * * *", 86_400), None);
    assert!(overlap("0 6 * * *", 90_000).unwrap().contains("1 day apart"));
    // The last run of a day and the first of the next: 20 minutes.
    assert!(overlap("10,50 0,23 * * *", 1500).unwrap().contains("20 minutes apart"));
    // Weekdays only: Friday to Monday is 3 days, Monday to Tuesday 1.
    assert!(overlap("0 6 * * 1-5", 100_000).unwrap().contains("1 day apart"));
    assert_eq!(overlap("0 6 * * 1", 6 * 86_400), None);
    assert!(overlap("0 6 * * 1", 8 * 86_400).unwrap().contains("7 days apart"));
    // Leap days: four years apart (1461 days).
    assert!(overlap("0 0 29 2 *", 5 * 365 * 86_400).unwrap().contains("1461 days apart"));
    assert_eq!(overlap("0 0 29 2 *", 1461 * 86_400), None);
    // No limit, or none given: nothing to overlap with.
    assert_eq!(overlap("* * * * *", 0), None);
    assert!(schedule_findings(Some("* * * * *"), None).is_empty());
    assert!(schedule_findings(Some("* * * * *"), Some(-5)).is_empty());
    assert_eq!(rules::duration(90_061), "1 day 1 hour 1 minute 1 second");
    let words: Vec<String> = [0, 1, 90, 900, 7200, 86_400 + 120].map(rules::duration).into();
    assert_eq!(words, ["0 seconds", "1 second", "1 minute 30 seconds", "15 minutes", "2 hours", "1 day 2 minutes"]);
    // Messages stay on one line whatever the text holds.
    for cron in ["*/5 * * * *\n", "0 0 30\t2 *\r\n", "0 0 * * 7\n"] {
        let found = schedule_findings(Some(cron), Some(3600));
        assert_eq!(found.len(), 1, "{cron:?}");
        assert!(!found[0].message.contains(char::is_control), "{}", found[0].message);
    }
}

/// Property: text drawn from the grammar's alphabet (and its dialects') never
/// panics; errors are one line, and a plain equivalent offered parses.
#[test]
fn random_text_parses_or_explains() {
    const PIECES: &[&str] = &[
        "*", "/", "-", ",", " ", "0", "1", "5", "7", "12", "31", "60", "99", "L", "W", "#", "?", "MON", "jan",
        "@daily", "x",
    ];
    let mut rng = Rng(0xc0ffee);
    for _ in 0..20_000 {
        let text: String = (0..rng.below(16)).map(|_| rng.pick(PIECES)).collect();
        match Cron::parse(&text) {
            Ok(cron) => assert!(cron.runs_after(0).take(3).all(|t| t > 0), "{text}"),
            Err(e) => {
                assert!(!e.message.is_empty() && !e.to_string().contains('\n'), "{text}: {e}");
                if let Some(plain) = &e.plain {
                    assert!(Cron::parse(plain).is_ok(), "{text}: {plain}");
                }
            }
        }
    }
}

/// The gap [`rules::closest_runs`] finds, as it was found before the gaps were kept per
/// schedule text: the first day pair of the 400-year cycle closer than the limit.
fn closest_runs_walked(cron: &Cron, limit: i64) -> Option<i64> {
    let times = cron.times_of_day();
    let (first, last) = (*times.first()?, *times.last()?);
    if let Some(gap) = times.windows(2).map(|w| w[1] - w[0]).min().filter(|g| g * 60 < limit) {
        return Some(gap);
    }
    let across = |days: i64| days * MINUTES_PER_DAY - last + first;
    let start = days_from_civil(2000, 1, 1);
    let mut day = cron.next_day(start)?;
    while day < start + 146_097 {
        let next = cron.next_day(day + 1)?;
        if across(next - day) * 60 < limit {
            return Some(across(next - day));
        }
        day = next;
    }
    None
}

#[test]
fn a_schedule_read_once_answers_every_limit_as_the_walk_does() {
    let crons = [
        "0 6 * * 1-5",
        "0 6 * * 1",
        "0 0 29 2 *",
        "10,50 0,23 * * *",
        "0 0 31 * *",
        "0 0 1,15 * 3",
        "30 2 * 1,7 0",
        "*/15 8-17 * * 1-5",
        "0 */2 * * *",
        "0 0 13 * 5",
        "5 4 30 1-12/3 *",
    ];
    let mut rng = Rng(0x5ca1ab1e);
    for cron in crons {
        let parsed = Cron::parse(cron).unwrap();
        let read = ScheduleRead::read(cron);
        let mut limits: Vec<i64> = (0..60).map(|_| rng.below(4000 * 86_400) as i64).collect();
        limits.extend([1, 60, 3600, 86_400, 86_401, 3 * 86_400 + 1, 7 * 86_401, 1461 * 86_400 + 1]);
        for limit in limits {
            assert_eq!(rules::closest_runs(&parsed, limit), closest_runs_walked(&parsed, limit), "{cron} {limit}");
            assert_eq!(read.findings(cron, Some(limit)), schedule_findings(Some(cron), Some(limit)), "{cron} {limit}");
        }
    }
}
