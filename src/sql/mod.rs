//! DuckDB glue: converting DuckDB values to plain Rust, calling the rules in
//! [`crate::flight`], writing rows back. No domain rule lives here.
//!
//! Each SQL function has one file in [`functions`]; [`register_all`] is the
//! only place that registers them.

pub mod functions;
pub mod params;
pub mod table;
pub mod value;
pub mod vector;

use duckdb::Connection;
use std::error::Error;

/// Registers every SQL function of the extension on `con`.
pub fn register_all(con: &Connection) -> Result<(), Box<dyn Error>> {
    use functions::*;
    con.register_scalar_function::<version::FlightsHelperVersion>("flights_helper_version")?;
    Ok(())
}
