//! The Flight model and its rules, in plain Rust.
//!
//! Nothing in this module knows about DuckDB: the SQL glue in `crate::sql`
//! converts DuckDB values into these plain types, calls the rules, and writes
//! the results back. Every rule here is unit-tested on its own.
//!
//! Domain facts: `shared/reference/flights-semantics.md` (summarised in README.md).

mod model;
pub use model::*;

pub mod config;
pub mod credentials;
pub mod env;
pub mod source;
pub mod stored;

#[cfg(test)]
mod properties;
