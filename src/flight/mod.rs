//! The Flight model and its rules, in plain Rust.
//!
//! Nothing in this module knows about DuckDB: the SQL glue in `crate::sql`
//! converts DuckDB values into these plain types, calls the rules, and writes
//! the results back. Every rule here is unit-tested on its own.
//!
//! Layout, one concern per folder and one job per file:
//! - `model`: the shared types ([`FlightSpec`], [`EnvVar`] and its typed
//!   [`Origin`], [`Finding`] and [`FindingCode`]). A new finding is a new
//!   `FindingCode` variant there, raised by the rule that detects it.
//! - [`config`]: config diffs, THE per-run override rule, the JSON form.
//! - [`env`](mod@env): the environment a run gets, and the findings about the Flight.
//! - [`source`]: the Python source's environment reads, held against that
//!   environment. A new source status is a new `source::Status` variant.
//! - [`update`]: what an update (`MD_UPDATE_FLIGHT`) breaks, drops and changes.
//! - [`run`]: what a run left behind (its log), read for why it failed.
//! - [`schedule`]: `schedule_cron` (MotherDuck's 5-field UTC cron), its next runs and findings.
//! - [`Error`]: the layer's one error ([`ErrorKind`] says what input was wrong).
//! - leaf modules any rule may use: [`wording`] (quoting, SQL snippets),
//!   [`naming`] (secret variable names),
//!   [`suggest`] (did-you-mean), [`credentials`] (credential shapes).
//!
//! Domain facts: `shared/reference/flights-semantics.md` (summarised in README.md).

mod error;
mod model;
pub use error::{Error, ErrorKind};
pub use model::*;

pub mod advice;
pub mod cache;
pub mod config;
pub mod credentials;
pub mod env;
pub mod naming;
pub mod requirements;
pub mod row;
pub mod run;
pub mod runtime;
pub mod schedule;
pub mod sizes;
pub mod source;
pub mod stored;
pub mod suggest;
pub mod update;
pub mod wording;

pub use wording::quoted;

#[cfg(test)]
mod properties;
