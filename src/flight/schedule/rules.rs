//! The schedule's findings: `schedule_invalid`, `schedule_nonstandard` and
//! `schedule_overlap`, from MotherDuck's scheduling page
//! (<https://motherduck.com/docs/key-tasks/flights/scheduling-and-runs/>):
//! 5-field cron in UTC; runs of one Flight may run concurrently
//! (`shared/reference/flights-runtime.md` sections 6 and 7).

use super::calendar::{days_from_civil, MINUTES_PER_DAY};
use super::cron::{Cron, CronErrorKind};
use crate::flight::{quoted, Finding, FindingCode};

/// What is wrong with a Flight's schedule: `cron` is its `schedule_cron`
/// (`None` or `''`: not scheduled), `max_runtime_sec` its per-run timeout
/// (`None` or 0: no timeout, nothing to overlap with).
pub fn schedule_findings(cron: Option<&str>, max_runtime_sec: Option<i64>) -> Vec<Finding> {
    let Some(text) = cron.filter(|c| !c.is_empty()) else {
        return Vec::new();
    };
    let shown = quoted(text);
    let parsed = match Cron::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let subject = e.field.map_or_else(|| text.to_owned(), |f| f.name().to_owned());
            let (code, advice) = match e.kind {
                CronErrorKind::Invalid => (
                    FindingCode::ScheduleInvalid,
                    "MotherDuck's schedule_cron is 5 numeric fields in UTC (minute 0-59, hour 0-23, \
                     day-of-month 1-31, month 1-12, day-of-week 0-6 with Sunday 0), e.g. '0 6 * * 1'",
                ),
                CronErrorKind::Nonstandard => (
                    FindingCode::ScheduleNonstandard,
                    "MotherDuck documents 5 numeric fields in UTC only; whether it accepts this is not documented",
                ),
            };
            return vec![Finding::new(code, subject, format!("schedule_cron {shown}: {e}. {advice}"))];
        }
    };
    if !parsed.fires() {
        let fields: Vec<&str> = text.split_ascii_whitespace().collect();
        let message = format!(
            "schedule_cron {shown} never fires: no month in '{}' has a day in '{}' \
             (February has 29 days at most, April, June, September and November 30); fix the day or the month",
            fields[3], fields[2]
        );
        return vec![Finding::new(FindingCode::ScheduleInvalid, text, message)];
    }
    let runtime = max_runtime_sec.filter(|s| *s > 0);
    match runtime.and_then(|limit| closest_runs(&parsed, limit)) {
        Some(gap_minutes) => vec![overlap(text, &shown, gap_minutes, runtime.unwrap_or_default())],
        None => Vec::new(),
    }
}

fn overlap(text: &str, shown: &str, gap_minutes: i64, limit: i64) -> Finding {
    let message = format!(
        "two consecutive runs of schedule_cron {shown} are {} apart, less than max_runtime_sec {limit} ({}): \
         a run still going when the next starts overlaps it (MotherDuck starts runs of one Flight concurrently). \
         Space the runs at least {} apart, or lower max_runtime_sec to what one run needs",
        duration(gap_minutes * 60),
        duration(limit),
        duration(limit),
    );
    Finding::new(FindingCode::ScheduleOverlap, text, message)
}

/// A gap between consecutive runs, in minutes, shorter than `limit` seconds, if any:
/// two runs of one day, or the last run of a day and the first of the next matching
/// day (looked for over the 400 years after which the calendar repeats).
pub fn closest_runs(cron: &Cron, limit: i64) -> Option<i64> {
    let times = cron.times_of_day();
    let (first, last) = (*times.first()?, *times.last()?);
    if let Some(gap) = times.windows(2).map(|w| w[1] - w[0]).min().filter(|g| g * 60 < limit) {
        return Some(gap);
    }
    let across = |days: i64| days * MINUTES_PER_DAY - last + first;
    if across(1) * 60 >= limit {
        return None;
    }
    // A fixed start: the answer does not depend on it over a whole 400-year cycle.
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

/// `1 day 2 hours`, `15 minutes`, `90 seconds`.
pub fn duration(seconds: i64) -> String {
    let parts = [(86_400, "day"), (3600, "hour"), (60, "minute"), (1, "second")];
    let mut rest = seconds;
    let mut out = Vec::new();
    for (size, unit) in parts {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            out.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if out.is_empty() {
        "0 seconds".to_owned()
    } else {
        out.join(" ")
    }
}
