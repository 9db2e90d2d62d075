//! MotherDuck's schedule grammar: a 5-field cron in UTC, parsed into a typed
//! [`Cron`] (one bitset per field).
//!
//! The grammar, from MotherDuck's scheduling page
//! (<https://motherduck.com/docs/key-tasks/flights/scheduling-and-runs/>) and
//! its agent skills (`shared/reference/flights-runtime.md` section 6): minute
//! 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-6 with Sunday
//! 0; lists (`1,15`), ranges (`1-5`), `*`, and steps with a base (`*/15`,
//! `0-30/10`; `5/15` means 5 to the field's maximum, as cron reads it); a bare
//! `/15` is invalid. Month and day names, `@daily`-style macros, `L`, `W`,
//! `#`, `?`, 7 as Sunday and a seconds field are not documented: the names,
//! macros and special characters are reported as [`CronErrorKind::Nonstandard`]
//! (with the plain equivalent when there is one), the rest as invalid.
//!
//! How day-of-month and day-of-week combine is not documented either; we
//! follow cron (Vixie cron, which POSIX describes): when both fields are
//! restricted, a day matches if EITHER does; when one of them starts with `*`
//! (`*` or `*/N`), both must match.

use crate::flight::{quoted, Error, ErrorKind};
use std::fmt;

/// One of the five fields, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}

impl Field {
    pub const ALL: [Field; 5] = [Field::Minute, Field::Hour, Field::DayOfMonth, Field::Month, Field::DayOfWeek];

    /// The field's name in messages (and a finding's subject).
    pub fn name(self) -> &'static str {
        match self {
            Field::Minute => "minute",
            Field::Hour => "hour",
            Field::DayOfMonth => "day-of-month",
            Field::Month => "month",
            Field::DayOfWeek => "day-of-week",
        }
    }

    /// The smallest and largest value the field takes.
    pub fn range(self) -> (u32, u32) {
        match self {
            Field::Minute => (0, 59),
            Field::Hour => (0, 23),
            Field::DayOfMonth => (1, 31),
            Field::Month => (1, 12),
            Field::DayOfWeek => (0, 6),
        }
    }
}

/// Why a schedule is not MotherDuck's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronErrorKind {
    /// Not a cron at all by the documented grammar (field count, range, syntax).
    Invalid,
    /// A construct of other cron dialects (names, macros, `L`, `W`, `#`, `?`) the documented grammar lacks.
    Nonstandard,
}

/// A schedule that does not parse, with the field, the value and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    pub kind: CronErrorKind,
    /// The field at fault; `None` when the whole text is (field count, macro).
    pub field: Option<Field>,
    /// What is wrong, naming the field and the value, one line.
    pub message: String,
    /// For [`CronErrorKind::Nonstandard`]: the same schedule in the documented grammar, when there is one.
    pub plain: Option<String>,
}

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match (&self.plain, self.kind) {
            (Some(plain), _) => write!(f, "; write '{plain}' instead"),
            (None, CronErrorKind::Nonstandard) => f.write_str(
                "; it has no plain equivalent in MotherDuck's grammar: schedule the days it could fall on \
                 and check the date in the Flight",
            ),
            (None, CronErrorKind::Invalid) => Ok(()),
        }
    }
}

impl std::error::Error for CronError {}

impl CronError {
    /// The layer's [`Error`] about the `schedule_cron` `text` that gave this one, as a SQL caller reads it.
    pub fn for_schedule(&self, text: &str) -> Error {
        match self.kind {
            CronErrorKind::Invalid => {
                Error::new(ErrorKind::InvalidCron, format!("invalid schedule_cron {}: {self}", quoted(text)))
            }
            CronErrorKind::Nonstandard => Error::new(
                ErrorKind::NonstandardCron,
                format!("schedule_cron {} is not MotherDuck's cron grammar: {self}", quoted(text)),
            ),
        }
    }
}

/// A parsed schedule: the values each field matches, as bitsets (bit `v` set when `v` matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cron {
    pub(super) minutes: u64,
    pub(super) hours: u64,
    pub(super) days: u64,
    pub(super) months: u64,
    pub(super) weekdays: u64,
    /// Both day fields restricted: a day matches if either matches (else both must).
    pub(super) either_day: bool,
    /// Some date matches (`0 0 30 2 *` never does).
    pub(super) fires: bool,
}

fn bit(bits: u64, value: u32) -> bool {
    value < 64 && bits & (1 << value) != 0
}

impl Cron {
    /// Parses a schedule of MotherDuck's grammar (see the module docs).
    pub fn parse(text: &str) -> Result<Cron, CronError> {
        Cron::parse_with(text, true)
    }

    /// `suggest`: look for the plain equivalent of a nonstandard schedule (not when parsing that equivalent).
    fn parse_with(text: &str, suggest: bool) -> Result<Cron, CronError> {
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if trimmed.starts_with('@') {
            return Err(macro_error(trimmed));
        }
        let fields: Vec<&str> = text.split_ascii_whitespace().collect();
        if fields.len() != 5 {
            let hint = match fields.len() {
                0 => " (an empty schedule_cron clears the schedule)",
                6 | 7 => " (a seconds or year field is not part of MotherDuck's grammar)",
                _ => "",
            };
            let message =
                format!("expected 5 fields (minute hour day-of-month month day-of-week), got {}{hint}", fields.len());
            return Err(CronError { kind: CronErrorKind::Invalid, field: None, message, plain: None });
        }
        let mut bits = [0u64; 5];
        for (i, field) in Field::ALL.into_iter().enumerate() {
            bits[i] = parse_field(field, fields[i]).map_err(|mut e| {
                if suggest && e.kind == CronErrorKind::Nonstandard {
                    e.plain = plain_equivalent(text);
                }
                e
            })?;
        }
        let [minutes, hours, days, months, weekdays] = bits;
        let either_day = !fields[2].starts_with('*') && !fields[4].starts_with('*');
        let mut cron = Cron { minutes, hours, days, months, weekdays, either_day, fires: false };
        cron.fires = cron.can_fire();
        Ok(cron)
    }

    /// Whether some date matches: a day of the month that its months have,
    /// or (day fields combined by either) any weekday, which every month has.
    fn can_fire(&self) -> bool {
        if self.either_day && self.weekdays != 0 {
            return true;
        }
        // February counts 29 days: a leap year comes (weekdays cycle through every date).
        (1..=12u32).any(|m| {
            let longest = match m {
                2 => 29,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            bit(self.months, m) && (1..=longest).any(|d| bit(self.days, d))
        })
    }

    /// Whether the schedule can ever run (`0 0 30 2 *` cannot).
    pub fn fires(&self) -> bool {
        self.fires
    }

    /// Whether the day `year-month-day` (weekday Sunday = 0) matches the three date fields.
    pub fn day_matches(&self, month: u32, day: u32, weekday: u32) -> bool {
        if !bit(self.months, month) {
            return false;
        }
        let (dom, dow) = (bit(self.days, day), bit(self.weekdays, weekday));
        if self.either_day {
            dom || dow
        } else {
            dom && dow
        }
    }

    /// Whether the schedule runs at `hour:minute` of a matching day.
    pub fn time_matches(&self, hour: u32, minute: u32) -> bool {
        bit(self.hours, hour) && bit(self.minutes, minute)
    }

    /// The times of day it runs at, in minutes after midnight, ascending.
    pub fn times_of_day(&self) -> Vec<i64> {
        let mut times = Vec::new();
        for h in (0..24).filter(|h| bit(self.hours, *h)) {
            times.extend((0..60).filter(|m| bit(self.minutes, *m)).map(|m| i64::from(h) * 60 + i64::from(m)));
        }
        times
    }
}

/// At most this many characters of a user's value are shown in a message.
const SHOWN: usize = 40;

/// A user's value inside a message: on one line (control characters escaped), cut after [`SHOWN`] characters.
fn shown(text: &str) -> String {
    let line = crate::flight::wording::one_line(text);
    if line.chars().count() <= SHOWN {
        line
    } else {
        format!("{}...", line.chars().take(SHOWN).collect::<String>())
    }
}

fn invalid(field: Field, message: String) -> CronError {
    CronError { kind: CronErrorKind::Invalid, field: Some(field), message, plain: None }
}

fn nonstandard(field: Field, message: String) -> CronError {
    CronError { kind: CronErrorKind::Nonstandard, field: Some(field), message, plain: None }
}

fn parse_field(field: Field, text: &str) -> Result<u64, CronError> {
    let mut bits = 0u64;
    for item in text.split(',') {
        if item.is_empty() {
            return Err(invalid(
                field,
                format!("{}: empty item in the list '{}'; remove the extra comma", field.name(), shown(text)),
            ));
        }
        bits |= parse_item(field, item)?;
    }
    Ok(bits)
}

/// One list item: `*`, `N`, `M-N`, each optionally `/S`.
fn parse_item(field: Field, item: &str) -> Result<u64, CronError> {
    if let Some(problem) = dialect_construct(field, item) {
        return Err(nonstandard(field, problem));
    }
    let (min, max) = field.range();
    let (base, step) = match item.split_once('/') {
        Some((base, step)) => (base, Some(step)),
        None => (item, None),
    };
    if base.is_empty() {
        return Err(invalid(
            field,
            format!("{}: a step needs a base, as in */15 or 0-30/15 (got '{}')", field.name(), shown(item)),
        ));
    }
    let step = match step {
        None => 1,
        Some(step) => match number(field, step, item)? {
            0 => return Err(invalid(field, format!("{}: step 0 in '{}'; a step is 1 or more", field.name(), item))),
            s => s,
        },
    };
    let (low, high) = if base == "*" {
        (min, max)
    } else if let Some((a, b)) = base.split_once('-') {
        let (a, b) = (value(field, a, item)?, value(field, b, item)?);
        if a > b {
            return Err(invalid(field, format!("{}: range {a}-{b} starts after it ends; write {b}-{a}", field.name())));
        }
        (a, b)
    } else {
        let v = value(field, base, item)?;
        // `5/15` runs from 5 to the field's maximum, as cron reads it.
        (v, if item.contains('/') { max } else { v })
    };
    let mut bits = 0u64;
    let mut v = u64::from(low);
    while v <= u64::from(high) {
        bits |= 1 << v;
        v += step;
    }
    Ok(bits)
}

/// A decimal number (ASCII digits only); saturates instead of overflowing.
fn number(field: Field, text: &str, item: &str) -> Result<u64, CronError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            field,
            format!(
                "{}: '{}' is not a number, a range (1-5) or a step (*/15); the grammar has digits, '*', ',', '-' and '/' only",
                field.name(),
                shown(item)
            ),
        ));
    }
    Ok(text.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0'))))
}

/// A value of the field, within its range.
fn value(field: Field, text: &str, item: &str) -> Result<u32, CronError> {
    let (min, max) = field.range();
    let n = number(field, text, item)?;
    if n < u64::from(min) || n > u64::from(max) {
        let note = match (field, n) {
            (Field::DayOfWeek, 7) => " (Sunday is 0; write 0 for Sunday)",
            (Field::DayOfWeek, _) => " (Sunday is 0)",
            _ => "",
        };
        return Err(invalid(
            field,
            format!(
                "{} value {} is out of range {min}-{max}{note}",
                field.name(),
                if n == u64::MAX { shown(text) } else { n.to_string() }
            ),
        ));
    }
    Ok(n as u32)
}

const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A name's number in its field (`JAN` = 1, `SUN` = 0), case-insensitive.
fn name_number(field: Field, name: &str) -> Option<usize> {
    let upper = name.to_ascii_uppercase();
    match field {
        Field::Month => MONTHS.iter().position(|m| *m == upper).map(|i| i + 1),
        Field::DayOfWeek => DAYS.iter().position(|d| *d == upper),
        _ => None,
    }
}

/// What another cron dialect would read in `item` that MotherDuck's grammar lacks.
fn dialect_construct(field: Field, item: &str) -> Option<String> {
    let name = field.name();
    let day_field = matches!(field, Field::DayOfMonth | Field::DayOfWeek);
    if day_field && item.contains('?') {
        return Some(format!("{name}: '?' (no specific value, Quartz cron) is not in MotherDuck's cron grammar"));
    }
    let names: Vec<&str> =
        item.split(['-', '/']).filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphabetic())).collect();
    if let Some(n) = names.iter().find(|n| name_number(field, n).is_some()) {
        let numbers = if field == Field::Month { "1-12" } else { "0-6, Sunday is 0" };
        return Some(format!(
            "{name}: the name '{}' is not in MotherDuck's cron grammar, which takes numbers only ({numbers})",
            shown(n)
        ));
    }
    let upper = item.to_ascii_uppercase();
    let special = |c: char| upper.contains(c) && upper.chars().all(|x| x.is_ascii_digit() || "LW#-/".contains(x));
    let meaning = match field {
        Field::DayOfMonth if special('W') => Some("'W' (nearest weekday)"),
        Field::DayOfMonth | Field::DayOfWeek if special('L') => Some("'L' (last)"),
        Field::DayOfWeek if special('#') => Some("'#' (nth weekday of the month)"),
        _ => None,
    };
    meaning.map(|m| format!("{name}: {m} in '{}' is not in MotherDuck's cron grammar", shown(item)))
}

/// `@daily` and its kin: their plain equivalents (from crontab(5)).
fn macro_error(text: &str) -> CronError {
    let plain = match text.to_ascii_lowercase().as_str() {
        "@yearly" | "@annually" => Some("0 0 1 1 *"),
        "@monthly" => Some("0 0 1 * *"),
        "@weekly" => Some("0 0 * * 0"),
        "@daily" | "@midnight" => Some("0 0 * * *"),
        "@hourly" => Some("0 * * * *"),
        "@reboot" => None,
        _ => {
            let message = format!(
                "'{}' is not a schedule: expected 5 fields (minute hour day-of-month month day-of-week)",
                shown(text)
            );
            return CronError { kind: CronErrorKind::Invalid, field: None, message, plain: None };
        }
    };
    let message = format!("the macro '{}' is not in MotherDuck's cron grammar (5 numeric fields, UTC)", shown(text));
    CronError { kind: CronErrorKind::Nonstandard, field: None, message, plain: plain.map(str::to_owned) }
}

/// The schedule with names written as numbers and `?` as `*`, when that is valid.
fn plain_equivalent(text: &str) -> Option<String> {
    let fields: Vec<&str> = text.split_ascii_whitespace().collect();
    let rewritten: Vec<String> = Field::ALL
        .into_iter()
        .zip(&fields)
        .map(|(field, text)| {
            let mut out = String::new();
            for token in text.split_inclusive([',', '-', '/']) {
                let (word, sep) = match token.char_indices().last() {
                    Some((at, c)) if ",-/".contains(c) => (&token[..at], &token[at..]),
                    _ => (token, ""),
                };
                match (name_number(field, word), word) {
                    (Some(n), _) => out.push_str(&n.to_string()),
                    (None, "?") if matches!(field, Field::DayOfMonth | Field::DayOfWeek) => out.push('*'),
                    (None, _) => out.push_str(word),
                }
                out.push_str(sep);
            }
            out
        })
        .collect();
    let plain = rewritten.join(" ");
    Cron::parse_with(&plain, false).ok().map(|_| plain)
}
