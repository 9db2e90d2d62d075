//! Civil-date arithmetic on the proleptic Gregorian calendar, in UTC (no
//! time zones: MotherDuck's schedules are UTC). Days are counted from
//! 1970-01-01; the algorithms are Howard Hinnant's `days_from_civil` and
//! `civil_from_days` (<https://howardhinnant.github.io/date_algorithms.html>).

/// Minutes in a day.
pub const MINUTES_PER_DAY: i64 = 1440;
/// Microseconds in a minute.
pub const MICROS_PER_MINUTE: i64 = 60_000_000;
/// Microseconds in a day.
pub const MICROS_PER_DAY: i64 = 86_400_000_000;
/// Days in 400 Gregorian years: the calendar (dates and weekdays) repeats after them.
pub const DAYS_PER_400_YEARS: i64 = 146_097;

/// Days since 1970-01-01 of `year-month-day` (month 1-12, day 1-31).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * DAYS_PER_400_YEARS + doe - 719_468
}

/// The `(year, month, day)` of a day counted from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(DAYS_PER_400_YEARS);
    let doe = z - era * DAYS_PER_400_YEARS;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day of the week, Sunday = 0 (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1-12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2024-02-29 06:00` (UTC) for a minute counted from the epoch.
pub fn format_minute(minute: i64) -> String {
    let (y, m, d) = civil_from_days(minute.div_euclid(MINUTES_PER_DAY));
    let of_day = minute.rem_euclid(MINUTES_PER_DAY);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", of_day / 60, of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_over_eight_centuries() {
        for days in (-DAYS_PER_400_YEARS..DAYS_PER_400_YEARS).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m), "{days}: {y}-{m}-{d}");
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29) + 1), (2024, 3, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 2024-01-01 was a Monday, 1970-01-01 a Thursday, 1969-12-28 a Sunday.
        assert_eq!(weekday(days_from_civil(2024, 1, 1)), 1);
        assert_eq!(weekday(0), 4);
        assert_eq!(weekday(-4), 0);
        assert!(is_leap(2000) && is_leap(2024) && !is_leap(2100) && !is_leap(2023));
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(format_minute(days_from_civil(2024, 2, 29) * MINUTES_PER_DAY + 361), "2024-02-29 06:01");
    }
}
