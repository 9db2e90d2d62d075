//! `flight_schedule(cron, "limit" := 5, start := now())`: the next runs of a
//! `schedule_cron` strictly after `start`, in UTC. Rules: [`crate::flight::schedule`].

use crate::flight::schedule::calendar::MICROS_PER_DAY;
use crate::flight::schedule::Cron;
use crate::sql::params::opt_text;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

/// Runs listed when `"limit"` is absent or NULL.
const DEFAULT_LIMIT: i64 = 5;
/// The most runs one call lists (each row is computed at bind time).
pub const MAX_LIMIT: i64 = 1_000_000;

pub struct FlightSchedule;

impl RowsFunction for FlightSchedule {
    const COLUMNS: &'static [Column] = &[("run_at", &SqlType::TimestampTz), ("since_previous", &SqlType::Interval)];

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("limit", SqlType::BIGINT), ("start", SqlType::TimestampTz)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let limit = limit(args.named("limit"))?;
        let start = start(args.named("start"))?;
        // NULL: no schedule; '': MotherDuck's way to clear one (an on-demand Flight).
        let Some(text) = opt_text("cron", args.positional(0))?.filter(|t| !t.is_empty()) else {
            return Ok(Vec::new());
        };
        let cron = Cron::parse(&text).map_err(|e| e.for_schedule(&text))?;
        let mut previous: Option<i64> = None;
        Ok(cron
            .runs_after(start)
            .take(limit)
            .map(|run| {
                let since = previous.map_or(SqlValue::Null, |p| interval(run - p));
                previous = Some(run);
                vec![SqlValue::Timestamp(run), since]
            })
            .collect())
    }
}

/// `run - previous` as DuckDB's `timestamp - timestamp` gives it: whole days and microseconds, no months.
fn interval(micros: i64) -> SqlValue {
    SqlValue::Interval {
        months: 0,
        days: i32::try_from(micros / MICROS_PER_DAY).unwrap_or(i32::MAX),
        micros: micros % MICROS_PER_DAY,
    }
}

fn limit(value: &SqlValue) -> Result<usize, String> {
    match value {
        SqlValue::Null => Ok(DEFAULT_LIMIT as usize),
        SqlValue::BigInt(n) if *n < 0 => {
            Err(format!("\"limit\" must be 0 or more (the number of runs to list); got {n}"))
        }
        SqlValue::BigInt(n) if *n > MAX_LIMIT => Err(format!(
            "\"limit\" {n} is above the most runs flight_schedule lists ({MAX_LIMIT}); ask for fewer, \
             or a later start := for later runs"
        )),
        SqlValue::BigInt(n) => Ok(*n as usize),
        other => Err(format!("\"limit\" must be a BIGINT; got {}", other.kind())),
    }
}

fn start(value: &SqlValue) -> Result<i64, String> {
    match value {
        SqlValue::Null => Ok(now()),
        SqlValue::Timestamp(t) if *t == i64::MAX || *t == -i64::MAX => {
            Err(format!("start must be a finite TIMESTAMPTZ; got {}infinity", if *t < 0 { "-" } else { "" }))
        }
        SqlValue::Timestamp(t) => Ok(*t),
        other => {
            Err(format!("start must be a TIMESTAMPTZ, e.g. TIMESTAMPTZ '2026-01-01 00:00:00+00'; got {}", other.kind()))
        }
    }
}

/// The current time in microseconds since the epoch (the call's bind time).
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX - 1))
}
