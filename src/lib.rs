//! `flights_helper`: see the exact environment a MotherDuck Flight run gets,
//! what an update or a per-run override would change, and what is wrong,
//! from any DuckDB, before calling `MD_RUN_FLIGHT`.
//!
//! Layout: [`flight`] holds the domain rules in plain Rust (no DuckDB types);
//! [`sql`] is the thin DuckDB glue (one file per SQL function, one place that
//! registers them all). Data flows one way: SQL value -> plain struct -> rules -> rows.

pub mod flight;
pub mod motherduck;
pub mod sql;

use duckdb::Connection;
use duckdb_loadable_macros::duckdb_entrypoint_c_api;
use std::error::Error;

/// The extension version, from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Entry point DuckDB calls on `LOAD flights_helper` (as `flights_helper_init_c_api`).
///
/// The stable C API `v1.2.0` is requested so that one binary loads in DuckDB 1.4 to 2.0.
#[duckdb_entrypoint_c_api(ext_name = "flights_helper", min_duckdb_version = "v1.2.0")]
pub fn extension_entrypoint(con: Connection) -> Result<(), Box<dyn Error>> {
    sql::register_all(&con)
}
