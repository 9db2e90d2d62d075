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
    use table::RowsTable;
    con.register_scalar_function::<version::FlightsHelperVersion>("flights_helper_version")?;

    // The environment of a run, and what is wrong with it.
    con.register_table_function::<RowsTable<env_preview::FlightEnvPreview>>("flight_env_preview")?;
    con.register_table_function::<RowsTable<env_preview::FlightCheck>>("flight_check")?;
    con.register_scalar_function::<secret_env_name::FlightSecretEnvName>("flight_secret_env_name")?;

    // The Flight's Python source against that environment.
    con.register_table_function::<RowsTable<source_check::FlightSourceCheck>>("flight_source_check")?;
    con.register_scalar_function::<source_check::FlightSourceEnvReads>("flight_source_env_reads")?;

    // A Flight's stored definition, fetched from MotherDuck.
    con.register_table_function::<RowsTable<motherduck_flight::MotherDuckFlight>>("motherduck_flight")?;
    con.register_table_function::<RowsTable<motherduck_flight_versions::MotherDuckFlightVersions>>(
        "motherduck_flight_versions",
    )?;
    con.register_table_function::<RowsTable<motherduck_flight_runs::MotherDuckFlightRuns>>("motherduck_flight_runs")?;
    con.register_table_function::<RowsTable<motherduck_flights::MotherDuckFlights>>("motherduck_flights")?;

    // Config updates and per-run overrides.
    con.register_table_function::<RowsTable<config_diff::FlightConfigDiff>>("flight_config_diff")?;
    con.register_scalar_function::<config_scalars::FlightConfigChanges>("flight_config_changes")?;
    con.register_scalar_function::<config_scalars::FlightValidateOverride>("flight_validate_override")?;
    con.register_scalar_function::<config_scalars::FlightOverrideIsValid>("flight_override_is_valid")?;
    con.register_scalar_function::<config_scalars::FlightEffectiveConfig>("flight_effective_config")?;
    con.register_scalar_function::<config_json::FlightConfigFromJson>("flight_config_from_json")?;
    con.register_scalar_function::<config_json::FlightConfigToJson>("flight_config_to_json")?;
    // Debug builds only: functions that panic on purpose (test/debug/).
    #[cfg(debug_assertions)]
    {
        con.register_scalar_function::<debug::DebugPanicScalar>("flights_helper_debug_panic")?;
        con.register_table_function::<RowsTable<debug::DebugPanicTable>>("flights_helper_debug_panic_table")?;
    }
    Ok(())
}
