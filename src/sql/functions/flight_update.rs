//! `flight_update_findings(flight, update)` and `flight_update_preview(...)`:
//! what an `MD_UPDATE_FLIGHT` call would break, drop and change, before it is
//! sent. Rules: [`crate::flight::update`]; the replace rule:
//! [`crate::flight::FlightUpdate`].
//!
//! The scalar reads whole rows (a Flight row as `flight_findings` reads it,
//! an update as [`UpdateColumn`] reads it) with special NULL handling: a NULL
//! Flight row gives NULL, a NULL update gives `[]` (no update), as a NULL
//! override means no override.
//!
//! The scalar scans each distinct source (before and after the update) once,
//! in one [`ScanCache`] shared by the process ([`scans`]): a [`RawScalar`]
//! has no state of its own to keep it in. It shares nothing between users for
//! the reasons `flight_findings`' cache does not (content-keyed under random
//! keys, no source text kept; see [`crate::flight::source`]'s `cache`).

use crate::flight::source::{scan_source, ScanCache};
use crate::flight::stored::fill_spec;
use crate::flight::update::{check_update, scan_sides};
use crate::flight::{fields_where, FlightSpec};
use crate::motherduck::api::fetch_flight;
use crate::sql::findings::{write_findings, FINDING_FIELDS};
use crate::sql::params::{field_parameters, opt_int, spec_of_named};
use crate::sql::row::FlightColumn;
use crate::sql::scalar::{Chunk, RawScalar};
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::update_row::UpdateColumn;
use crate::sql::value::SqlValue;
use crate::sql::vector::ListOutput;
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;
use std::sync::OnceLock;

const FINDINGS: &str = "flight_update_findings";

/// `flight_update_findings(flight, update)`: `STRUCT(severity, code, subject, message)[]`.
pub struct FlightUpdateFindings;

impl RawScalar for FlightUpdateFindings {
    fn signature() -> (Vec<SqlType>, SqlType) {
        let finding = SqlType::struct_of(&FINDING_FIELDS.map(|name| (name, SqlType::Varchar)));
        (vec![SqlType::Any, SqlType::Any], SqlType::list(finding))
    }

    fn invoke(input: &Chunk, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let rows = input.len();
        let mut out = ListOutput::with_rows(rows);
        let Some(flights) = FlightColumn::of_scalar_column(FINDINGS, input, 0)? else {
            (0..rows).for_each(|_| out.push_null());
            write_findings(&out, output);
            return Ok(());
        };
        let updates = UpdateColumn::of_scalar_column(FINDINGS, input, 1)?;
        for row in 0..rows {
            if flights.is_null(row) {
                out.push_null();
                continue;
            }
            let Some(update) = updates.get(row)? else {
                out.push_row([]);
                continue;
            };
            let flight = flights.spec(row)?;
            let (before_scan, after_scan) =
                scan_sides(flight.source_code.as_deref(), &update, |code| scans().scan(code));
            let check = check_update(&flight, before_scan.as_deref(), &update, after_scan.as_deref())?;
            out.push_row(check.findings);
        }
        write_findings(&out, output);
        Ok(())
    }
}

/// The scans `flight_update_findings` keeps, one cache for the process.
fn scans() -> &'static ScanCache {
    static SCANS: OnceLock<ScanCache> = OnceLock::new();
    SCANS.get_or_init(ScanCache::new)
}

/// `flight_update_preview(flight := ..., <MD_UPDATE_FLIGHT's parameters>, secrets := ...)`:
/// one row per variable the update adds, removes or changes.
pub struct FlightUpdatePreview;

impl RowsFunction for FlightUpdatePreview {
    const COLUMNS: &'static [Column] = &[
        ("name", &SqlType::Varchar),
        ("change", &SqlType::Varchar),
        ("before_source", &SqlType::Varchar),
        ("after_source", &SqlType::Varchar),
        ("before_value", &SqlType::Varchar),
        ("after_value", &SqlType::Varchar),
        ("read_at", &SqlType::INT_LIST),
        ("finding", &SqlType::Varchar),
        ("message", &SqlType::Varchar),
    ];

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        // A stored Flight's id or name (fetched), or the Flight described as a STRUCT.
        let mut params = vec![("flight", SqlType::Any), ("version", SqlType::INTEGER)];
        // MD_UPDATE_FLIGHT's parameters, and secrets: what the secrets hold.
        params.extend(field_parameters(|a| a.update));
        params
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let mut flight = flight_of(args)?;
        let given = fields_where(|a| a.update).map(|def| (def.sql, args.named(def.sql)));
        let mut update = spec_of_named(given, |a| a.update)?;
        // secrets := says what the secrets hold, on both sides; it completes a Flight that does not say.
        if flight.secrets.is_none() {
            flight.secrets = update.secrets.take();
        }
        let (before_scan, after_scan) = scan_sides(flight.source_code.as_deref(), &update, scan_source);
        let check = check_update(&flight, before_scan.as_ref(), &update, after_scan.as_ref())?;
        Ok(check
            .changes()
            .into_iter()
            .map(|c| {
                let (old, new) = (c.before, c.after);
                vec![
                    c.name.into(),
                    c.kind.as_str().into(),
                    old.map(|v| v.source.as_str()).into(),
                    new.map(|v| v.source.as_str()).into(),
                    old.and_then(|v| v.value.as_deref()).into(),
                    new.and_then(|v| v.value.as_deref()).into(),
                    SqlValue::int_list(c.read_at.iter().map(|&l| i32::try_from(l).unwrap_or(i32::MAX))),
                    c.finding.map(|f| f.code.as_str()).into(),
                    c.finding.map(|f| f.message.as_str()).into(),
                ]
            })
            .collect())
    }
}

/// The Flight `flight :=` names (fetched from MotherDuck) or describes (a STRUCT, read as a Flight row is).
fn flight_of(args: &Args) -> Result<FlightSpec, String> {
    match args.named("flight") {
        SqlValue::Text(name) => {
            let version = opt_int("version", args.named("version"))?;
            let stored = fetch_flight(args.caller("flight :="), name, version)?.stored;
            let mut spec = FlightSpec::default();
            fill_spec(&mut spec, &stored);
            Ok(spec)
        }
        SqlValue::Struct(fields) => {
            if !matches!(args.named("version"), SqlValue::Null) {
                return Err(
                    "version := needs flight := the id or name of a stored Flight (a described Flight has no versions)"
                        .into(),
                );
            }
            spec_of_named(fields.iter().map(|(name, value)| (name.as_str(), value)), |a| a.row)
        }
        SqlValue::Null => Err(format!("flight_update_preview needs flight := {FLIGHT_FORMS}")),
        other => Err(format!("flight := must be {FLIGHT_FORMS}; got {}", other.kind())),
    }
}

const FLIGHT_FORMS: &str = "the id or name of a stored Flight (fetched from MotherDuck), or the Flight described \
     as a STRUCT with flight_env_preview's parameter names plus source_code, e.g. {'config': MAP {'REGION': 'us'}, \
     'flight_secret_names': ['my_api_secret'], 'source_code': '...'}";
