//! A Flight's schedule (`schedule_cron`): MotherDuck's 5-field UTC cron.
//!
//! - [`cron`]: the grammar, parsed into a typed [`Cron`] (errors name the field, the value and why);
//! - [`next`]: the next runs strictly after an instant, skipping months and days that cannot match;
//! - [`rules`]: the findings (`schedule_invalid`, `schedule_nonstandard`, `schedule_overlap`);
//! - [`calendar`]: civil-date arithmetic (days from 1970-01-01, weekdays), UTC only.

pub mod calendar;
pub mod cron;
pub mod next;
pub mod rules;

pub use cron::{Cron, CronError, CronErrorKind, Field};
pub use next::Runs;
pub use rules::{schedule_findings, ScheduleRead};

#[cfg(test)]
mod tests;
