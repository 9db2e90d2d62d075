//! One module per SQL function (or per family of twin functions).

pub mod config_diff;
pub mod config_json;
pub mod config_scalars;
#[cfg(debug_assertions)]
pub mod debug;
pub mod env_preview;
pub mod flight_requirements;
pub mod flight_row;
pub mod flight_schedule;
pub mod flight_update;
pub mod functions_doc;
pub mod motherduck_fleet_diagnosis;
pub mod motherduck_flight;
pub mod motherduck_flight_diagnosis;
pub mod motherduck_flight_logs;
pub mod motherduck_flight_runs;
pub mod motherduck_flight_versions;
pub mod motherduck_flights;
pub mod motherduck_stored;
pub mod run_findings;
pub mod secret_env_name;
pub mod source_check;
pub mod version;
