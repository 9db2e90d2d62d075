//! The next runs of a [`Cron`] strictly after an instant, in UTC.
//!
//! The search moves by whole months (a month the schedule lacks), whole days
//! (a day that does not match) and whole hours, and looks a minute up in a
//! bitset, so a run years away (`0 0 29 2 *`) costs a few hundred steps, not
//! a minute-by-minute scan. A schedule that never fires yields nothing at
//! once ([`Cron::fires`]); any other search gives up after 400 years, after
//! which the Gregorian calendar (dates and weekdays) repeats.

use super::calendar::{
    civil_from_days, days_from_civil, days_in_month, weekday, DAYS_PER_400_YEARS, MICROS_PER_MINUTE, MINUTES_PER_DAY,
};
use super::cron::Cron;

/// The last minute (counted from the epoch) whose microseconds fit DuckDB's TIMESTAMP range.
const LAST_MINUTE: i64 = (i64::MAX - 1) / MICROS_PER_MINUTE;

/// The lowest set bit of `bits` at or above `from`.
fn next_bit(bits: u64, from: i64) -> Option<i64> {
    if !(0..64).contains(&from) {
        return None;
    }
    let masked = bits >> from << from;
    (masked != 0).then(|| i64::from(masked.trailing_zeros()))
}

impl Cron {
    /// The first day (counted from 1970-01-01) at or after `from` whose date matches,
    /// within 400 years; `None` when the schedule never fires.
    pub fn next_day(&self, from: i64) -> Option<i64> {
        if !self.fires {
            return None;
        }
        let limit = from.saturating_add(DAYS_PER_400_YEARS + 1);
        let mut day = from;
        while day <= limit {
            let (y, m, d) = civil_from_days(day);
            if next_bit(self.months, i64::from(m)) != Some(i64::from(m)) {
                // Skip to the first day of the next month the schedule has.
                day = match next_bit(self.months, i64::from(m) + 1) {
                    Some(next) => days_from_civil(y, next as u32, 1),
                    None => days_from_civil(y + 1, self.months.trailing_zeros(), 1),
                };
                continue;
            }
            let wd = weekday(day);
            if self.day_matches(m, d, wd) {
                return Some(day);
            }
            day += self.days_to_candidate(d, wd, days_in_month(y, m));
        }
        None
    }

    /// How many days after day `d` (weekday `wd`) of a month of `length` days the next
    /// day that may match is: the next day-of-month or weekday of the schedule (the
    /// nearer when either field may match, the farther when both must), or the next month.
    fn days_to_candidate(&self, d: u32, wd: u32, length: u32) -> i64 {
        let by_date = next_bit(self.days, i64::from(d) + 1).map_or(i64::MAX, |next| next - i64::from(d));
        let wd = i64::from(wd);
        let by_weekday = (1..=7).find(|k| self.weekdays & (1 << ((wd + k) % 7)) != 0).unwrap_or(i64::MAX);
        let step = if self.either_day { by_date.min(by_weekday) } else { by_date.max(by_weekday) };
        // Past the month's end: its first day after it.
        step.min(i64::from(length - d) + 1)
    }

    /// The first run at or after minute `from` (minutes counted from the epoch).
    pub fn first_minute_at_or_after(&self, from: i64) -> Option<i64> {
        let mut t = from;
        loop {
            let today = t.div_euclid(MINUTES_PER_DAY);
            let day = self.next_day(today)?;
            let of_day = if day == today { t - day * MINUTES_PER_DAY } else { 0 };
            let (hour, minute) = (of_day / 60, of_day % 60);
            if let Some(h) = next_bit(self.hours, hour) {
                let m = if h == hour { next_bit(self.minutes, minute) } else { next_bit(self.minutes, 0) };
                match m {
                    Some(m) => return Some(day * MINUTES_PER_DAY + h * 60 + m),
                    // No minute left in this hour: the next hour.
                    None => {
                        t = day * MINUTES_PER_DAY + (hour + 1) * 60;
                        continue;
                    }
                }
            }
            t = (day + 1) * MINUTES_PER_DAY;
        }
    }

    /// The runs strictly after `start` (microseconds since the epoch, UTC), as microseconds.
    pub fn runs_after(&self, start: i64) -> Runs<'_> {
        Runs { cron: self, from: Some(start.div_euclid(MICROS_PER_MINUTE) + 1) }
    }
}

/// The runs of a schedule, in order (see [`Cron::runs_after`]).
pub struct Runs<'a> {
    cron: &'a Cron,
    /// The minute to search from; `None` once the runs are over.
    from: Option<i64>,
}

impl Iterator for Runs<'_> {
    type Item = i64;

    fn next(&mut self) -> Option<i64> {
        let found = self.from.and_then(|from| self.cron.first_minute_at_or_after(from)).filter(|m| *m <= LAST_MINUTE);
        self.from = found.map(|m| m + 1);
        found.map(|m| m * MICROS_PER_MINUTE)
    }
}
