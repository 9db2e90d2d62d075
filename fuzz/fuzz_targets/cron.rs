//! `Cron::parse` on arbitrary text (after an 8-byte start instant and a
//! 4-byte max_runtime_sec): no panic; errors are one line and name a field
//! or the whole text; a nonstandard schedule's plain equivalent parses; an
//! accepted schedule's next runs are strictly after the start, increasing and
//! each a match of the schedule; `schedule_findings` never panics and gives at most one finding.

#![no_main]

use flights_helper::flight::schedule::calendar::{civil_from_days, weekday, MICROS_PER_MINUTE, MINUTES_PER_DAY};
use flights_helper::flight::schedule::{schedule_findings, Cron, CronErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let start = i64::from_le_bytes(data[..8].try_into().unwrap());
    let max_runtime = i64::from(u32::from_le_bytes(data[8..12].try_into().unwrap()));
    let Ok(text) = std::str::from_utf8(&data[12..]) else { return };
    let findings = schedule_findings(Some(text), Some(max_runtime));
    assert!(findings.len() <= 1, "{findings:?}");
    assert!(findings.iter().all(|f| !f.message.contains('\n') || text.contains('\n')));
    match Cron::parse(text) {
        Err(e) => {
            assert!(!e.message.is_empty());
            if !text.contains(['\n', '\r']) {
                assert!(!e.to_string().contains(['\n', '\r']), "multi-line error: {e}");
            }
            if let Some(plain) = &e.plain {
                assert_eq!(e.kind, CronErrorKind::Nonstandard);
                assert!(Cron::parse(plain).is_ok(), "plain equivalent {plain:?} of {text:?} does not parse");
            }
        }
        Ok(cron) => {
            let start = start.clamp(-i64::MAX + 1, i64::MAX - 1);
            let mut previous = start;
            for run in cron.runs_after(start).take(50) {
                assert!(run > previous, "{text:?}: {run} after {previous}");
                assert_eq!(run % MICROS_PER_MINUTE, 0);
                let minute = run / MICROS_PER_MINUTE;
                let day = minute.div_euclid(MINUTES_PER_DAY);
                let (_, m, d) = civil_from_days(day);
                let of_day = minute.rem_euclid(MINUTES_PER_DAY);
                assert!(cron.day_matches(m, d, weekday(day)), "{text:?}: day of {run}");
                assert!(cron.time_matches((of_day / 60) as u32, (of_day % 60) as u32), "{text:?}: time of {run}");
                previous = run;
            }
            if !cron.fires() {
                assert!(cron.runs_after(start).next().is_none());
            }
        }
    }
});
