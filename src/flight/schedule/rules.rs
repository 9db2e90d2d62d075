//! The schedule's findings: `schedule_invalid`, `schedule_nonstandard` and
//! `schedule_overlap`, from MotherDuck's scheduling page
//! (<https://motherduck.com/docs/key-tasks/flights/scheduling-and-runs/>):
//! 5-field cron in UTC; runs of one Flight may run concurrently
//! (`shared/reference/flights-runtime.md` sections 6 and 7).

use super::calendar::{days_from_civil, MINUTES_PER_DAY};
use super::cron::{Cron, CronErrorKind};
use crate::flight::{quoted, Finding, FindingCode};
use std::mem::size_of;
use std::sync::OnceLock;

/// What is wrong with a Flight's schedule: `cron` is its `schedule_cron`
/// (`None` or `''`: not scheduled), `max_runtime_sec` its per-run timeout
/// (`None` or 0: no timeout, nothing to overlap with).
pub fn schedule_findings(cron: Option<&str>, max_runtime_sec: Option<i64>) -> Vec<Finding> {
    match cron.filter(|c| !c.is_empty()) {
        Some(text) => ScheduleRead::read(text).findings(text, max_runtime_sec),
        None => Vec::new(),
    }
}

/// What a schedule text tells whatever the run-time limit: the finding of a
/// cron that cannot run, or the cron and (once a limit asks for them) the
/// gaps between its runs. Read once per distinct text by a caller that caches
/// it (`flight_findings`), then asked per row with that row's `max_runtime_sec`.
#[derive(Debug, Clone)]
pub struct ScheduleRead {
    outcome: Result<Fires, Finding>,
}

/// A cron that fires, and the gaps between its runs, found when first asked for.
#[derive(Debug, Clone)]
struct Fires {
    cron: Cron,
    gaps: OnceLock<Gaps>,
}

/// The gaps between consecutive runs, in minutes: the shortest within one
/// day, and the gaps across days in the order [`closest_runs`] meets them,
/// each kept only when shorter than every one met before (a later, longer
/// gap is never the first one under a limit).
#[derive(Debug, Clone, PartialEq)]
struct Gaps {
    within_day: Option<i64>,
    across_days: Vec<i64>,
}

impl ScheduleRead {
    /// Reads `text`, a non-empty `schedule_cron`.
    pub fn read(text: &str) -> Self {
        ScheduleRead { outcome: Cron::parse(text).map_err(|e| invalid(text, e)).and_then(|c| fires(text, c)) }
    }

    /// The findings of the schedule `text` (the text read) under `max_runtime_sec`.
    pub fn findings(&self, text: &str, max_runtime_sec: Option<i64>) -> Vec<Finding> {
        match &self.outcome {
            Err(finding) => vec![finding.clone()],
            Ok(fires) => {
                let runtime = max_runtime_sec.filter(|s| *s > 0);
                let gaps = || fires.gaps.get_or_init(|| Gaps::of(&fires.cron));
                match runtime.and_then(|limit| gaps().under(limit)) {
                    Some(gap_minutes) => vec![overlap(text, &quoted(text), gap_minutes, runtime.unwrap_or_default())],
                    None => Vec::new(),
                }
            }
        }
    }

    /// The heap the read takes, roughly.
    pub fn heap_bytes(&self) -> usize {
        size_of::<Self>()
            + match &self.outcome {
                Ok(fires) => fires.gaps.get().map_or(0, |g| g.across_days.capacity() * size_of::<i64>()),
                Err(f) => f.subject.capacity() + f.message.capacity(),
            }
    }
}

impl crate::flight::cache::Kept for ScheduleRead {
    fn make(text: &str) -> Self {
        ScheduleRead::read(text)
    }

    fn heap_bytes(&self) -> usize {
        ScheduleRead::heap_bytes(self)
    }
}

/// The finding of a cron that does not parse.
fn invalid(text: &str, e: super::CronError) -> Finding {
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
    Finding::new(code, subject, format!("schedule_cron {}: {e}. {advice}", quoted(text)))
}

/// A parsed cron that fires; the finding when it never does.
fn fires(text: &str, cron: Cron) -> Result<Fires, Finding> {
    if !cron.fires() {
        let fields: Vec<&str> = text.split_ascii_whitespace().collect();
        let message = format!(
            "schedule_cron {} never fires: no month in '{}' has a day in '{}' \
             (February has 29 days at most, April, June, September and November 30); fix the day or the month",
            quoted(text),
            fields[3],
            fields[2]
        );
        return Err(Finding::new(FindingCode::ScheduleInvalid, text, message));
    }
    Ok(Fires { cron, gaps: OnceLock::new() })
}

fn overlap(text: &str, shown: &str, gap_minutes: i64, limit: i64) -> Finding {
    let message = format!(
        "two consecutive runs of schedule_cron {shown} are {} apart, less than max_runtime_sec {limit} ({}): \
         a run still going when the next starts overlaps it (MotherDuck starts runs of one Flight concurrently). \
         Space the runs at least {} apart, or lower max_runtime_sec to what one run needs",
        Duration(gap_minutes * 60),
        Duration(limit),
        Duration(limit),
    );
    Finding::new(FindingCode::ScheduleOverlap, text, message)
}

/// A gap between consecutive runs, in minutes, shorter than `limit` seconds, if any:
/// two runs of one day, or the last run of a day and the first of the next matching
/// day (looked for over the 400 years after which the calendar repeats).
pub fn closest_runs(cron: &Cron, limit: i64) -> Option<i64> {
    Gaps::of(cron).under(limit)
}

impl Gaps {
    fn of(cron: &Cron) -> Self {
        let times = cron.times_of_day();
        let (Some(&first), Some(&last)) = (times.first(), times.last()) else {
            return Gaps { within_day: None, across_days: Vec::new() };
        };
        let within_day = times.windows(2).map(|w| w[1] - w[0]).min();
        let across = |days: i64| days * MINUTES_PER_DAY - last + first;
        let mut across_days = Vec::new();
        // A fixed start: the answer does not depend on it over a whole 400-year cycle.
        let start = days_from_civil(2000, 1, 1);
        let mut day = cron.next_day(start);
        while let Some(d) = day.filter(|&d| d < start + 146_097) {
            let Some(next) = cron.next_day(d + 1) else { break };
            let gap = across(next - d);
            if across_days.last().is_none_or(|&shortest| gap < shortest) {
                across_days.push(gap);
                // One day apart is the shortest gap across days.
                if next - d == 1 {
                    break;
                }
            }
            day = Some(next);
        }
        Gaps { within_day, across_days }
    }

    /// The first gap shorter than `limit` seconds: within a day, else across days.
    fn under(&self, limit: i64) -> Option<i64> {
        let short = |gap: &i64| gap * 60 < limit;
        self.within_day.filter(short).or_else(|| self.across_days.iter().copied().find(short))
    }
}

/// `1 day 2 hours`, `15 minutes`, `90 seconds`.
pub fn duration(seconds: i64) -> String {
    Duration(seconds).to_string()
}

/// A number of seconds in words ([`duration`]), written without a string of its own.
struct Duration(i64);

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts = [(86_400, "day"), (3600, "hour"), (60, "minute"), (1, "second")];
        let mut rest = self.0;
        let mut first = true;
        for (size, unit) in parts {
            let n = rest / size;
            rest %= size;
            if n > 0 {
                let (space, plural) = (if first { "" } else { " " }, if n == 1 { "" } else { "s" });
                write!(f, "{space}{n} {unit}{plural}")?;
                first = false;
            }
        }
        if first {
            f.write_str("0 seconds")?;
        }
        Ok(())
    }
}
