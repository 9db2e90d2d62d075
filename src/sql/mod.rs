//! DuckDB glue: converting DuckDB values to plain Rust, calling the rules in
//! [`crate::flight`], writing rows back. No domain rule lives here.
//!
//! Each SQL function has one file in [`functions`]; [`register_all`] is the
//! only place that registers them. A new SQL function: a file in `functions/`
//! that converts its arguments (with [`vector`], [`value`], [`types`]), calls
//! one rule and writes the result ([`vector::ListOutput`] for lists and maps,
//! [`table::RowsFunction`] for a table function), and one line below.

pub mod docs;
mod error_text;
pub mod external_access;
pub mod findings;
pub mod functions;
pub mod motherduck_table;
pub mod parallel;
pub mod params;
pub mod row;
pub mod run_row;
pub mod sandbox;
pub mod scalar;
pub mod table;
pub mod types;
pub mod update_row;
pub mod value;
pub mod vector;

use duckdb::Connection;
use std::error::Error;

/// Registers every SQL function of the extension on `con`.
pub fn register_all(con: &Connection, raw: &scalar::RawConnection) -> Result<(), Box<dyn Error>> {
    use functions::*;
    use table::RowsTable;
    con.register_scalar_function::<version::FlightsHelperVersion>("flights_helper_version")?;
    // What the extension offers (rows from docs::FUNCTIONS, the one source of the docs).
    con.register_table_function::<RowsTable<functions_doc::FlightsHelperFunctions>>("flights_helper_functions")?;

    // The environment of a run, and what is wrong with it.
    con.register_table_function::<RowsTable<env_preview::FlightEnvPreview>>("flight_env_preview")?;
    con.register_table_function::<RowsTable<env_preview::FlightCheck>>("flight_check")?;
    con.register_scalar_function::<secret_env_name::FlightSecretEnvName>("flight_secret_env_name")?;

    // The Flight's Python source against that environment.
    con.register_table_function::<RowsTable<source_check::FlightSourceCheck>>("flight_source_check")?;
    con.register_scalar_function::<source_check::FlightSourceEnvReads>("flight_source_env_reads")?;

    // The Flight's requirements_txt, as pip reads it.
    con.register_table_function::<RowsTable<flight_requirements::FlightRequirements>>("flight_requirements")?;

    // Whole Flight rows (any STRUCT), for tables of Flights.
    scalar::register_shared::<flight_row::FlightFindings>(raw, "flight_findings")?;
    con.register_scalar_function::<flight_row::FlightEnv>("flight_env")?;
    // Why a run failed: its status, exit code and log against the Flight version it ran.
    con.register_scalar_function::<run_findings::FlightRunFindings>("flight_run_findings")?;

    // What an update (MD_UPDATE_FLIGHT) would break, drop and change. NULL update: no update.
    scalar::register_special_nulls::<flight_update::FlightUpdateFindings>(raw, "flight_update_findings")?;
    con.register_table_function::<RowsTable<flight_update::FlightUpdatePreview>>("flight_update_preview")?;

    // A Flight's stored definition, fetched from MotherDuck.
    con.register_table_function::<RowsTable<motherduck_flight::MotherDuckFlight>>("motherduck_flight")?;
    con.register_table_function::<RowsTable<motherduck_flight_versions::MotherDuckFlightVersions>>(
        "motherduck_flight_versions",
    )?;
    con.register_table_function::<RowsTable<motherduck_flight_runs::MotherDuckFlightRuns>>("motherduck_flight_runs")?;
    con.register_table_function::<RowsTable<motherduck_flights::MotherDuckFlights>>("motherduck_flights")?;
    con.register_table_function::<RowsTable<motherduck_flight_logs::MotherDuckFlightLogs>>("motherduck_flight_logs")?;
    con.register_table_function::<RowsTable<motherduck_flight_diagnosis::MotherDuckFlightDiagnosis>>(
        "motherduck_flight_diagnosis",
    )?;
    con.register_table_function::<RowsTable<motherduck_fleet_diagnosis::MotherDuckFleetDiagnosis>>(
        "motherduck_fleet_diagnosis",
    )?;

    // A schedule's next runs (schedule_cron, UTC).
    con.register_table_function::<RowsTable<flight_schedule::FlightSchedule>>("flight_schedule")?;

    // Config updates and per-run overrides.
    con.register_table_function::<RowsTable<config_diff::FlightConfigDiff>>("flight_config_diff")?;
    con.register_scalar_function::<config_scalars::FlightConfigChanges>("flight_config_changes")?;
    // NULL override: no override (special NULL handling, through the raw C API).
    scalar::register_special_nulls::<config_scalars::FlightValidateOverride>(raw, "flight_validate_override")?;
    scalar::register_special_nulls::<config_scalars::FlightOverrideIsValid>(raw, "flight_override_is_valid")?;
    scalar::register_special_nulls::<config_scalars::FlightEffectiveConfig>(raw, "flight_effective_config")?;
    con.register_scalar_function::<config_json::FlightConfigFromJson>("flight_config_from_json")?;
    con.register_scalar_function::<config_json::FlightConfigToJson>("flight_config_to_json")?;
    // Debug builds only: functions that panic on purpose (test/debug/).
    #[cfg(debug_assertions)]
    {
        con.register_scalar_function::<debug::DebugPanicScalar>("flights_helper_debug_panic")?;
        con.register_table_function::<RowsTable<debug::DebugPanicTable>>("flights_helper_debug_panic_table")?;
        scalar::register_special_nulls::<debug::DebugPanicNullsScalar>(raw, "flights_helper_debug_panic_nulls")?;
    }
    Ok(())
}
