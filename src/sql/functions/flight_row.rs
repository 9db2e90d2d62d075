//! `flight_findings(flight)` and `flight_env(flight)`: the checks of
//! `flight_check` / `flight_source_check` and the rows of
//! `flight_env_preview`, for a whole Flight row at a time (any STRUCT,
//! read by field name: see [`crate::sql::row`]). Rules:
//! [`crate::flight::row`] and [`crate::flight::env`]. A NULL row gives NULL;
//! problems of the described Flight are findings, never errors.
//!
//! `flight_findings` scans each distinct source once per database: its
//! [`ScanCache`] is the function's state, which DuckDB keeps for the
//! function's catalog entry, so every chunk, thread and connection of the
//! database shares it (the versions of a Flight share their source, on rows
//! spread over many chunks). That shares nothing between users: the cache is
//! keyed by a hash of the source under random keys drawn per cache, keeps no
//! source text, only scans (names, lines), and a hit needs the caller to hold
//! the exact text already (see [`crate::flight::source`]'s `cache`).

use crate::flight::cache::{ContentCache, Recent};
use crate::flight::requirements::Requirements;
use crate::flight::row::Reads;
use crate::flight::schedule::ScheduleRead;
use crate::flight::source::{ScanCache, SourceScan};
use crate::flight::Finding;
use crate::flight::{env, row};
use crate::sql::findings::{write_findings, FINDING_FIELDS};
use crate::sql::parallel::split_rows;
use crate::sql::row::{FlightColumn, SpecBuffers};
use crate::sql::scalar::{Chunk, SharedScalar};
use crate::sql::types::{signature, SqlType};
use crate::sql::vector::{write_bool, write_opt_text, ListOutput};
use duckdb::core::{DataChunkHandle, Inserter};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

/// The one argument, declared ANY: the row's STRUCT type is read at execution.
fn any_row_to(item: SqlType) -> Vec<ScalarFunctionSignature> {
    vec![signature(vec![SqlType::Any], SqlType::list(item))]
}

/// The Flight rows of a chunk.
fn flights<'a>(function: &str, input: &'a DataChunkHandle) -> Result<FlightColumn<'a>, String> {
    FlightColumn::of_chunk(function, input)
}

/// What `flight_findings` keeps: each distinct source scanned once, each
/// distinct requirements text and schedule read once.
#[derive(Default)]
pub struct TextCaches {
    scans: ScanCache,
    requirements: ContentCache<Requirements>,
    schedules: ContentCache<ScheduleRead>,
}

/// `flight_findings(flight)`: `STRUCT(severity, code, subject, message)[]`.
/// A chunk's rows are shared among the threads DuckDB leaves idle
/// ([`crate::sql::parallel`]).
pub struct FlightFindings;

impl SharedScalar for FlightFindings {
    /// The scans of the sources and the reads of the requirements seen, shared by every call (see the module docs).
    type State = TextCaches;

    fn signature() -> (Vec<SqlType>, SqlType) {
        let fields = FINDING_FIELDS.map(|name| (name, SqlType::Varchar));
        (vec![SqlType::Any], SqlType::list(SqlType::struct_of(&fields)))
    }

    fn invoke(
        caches: &TextCaches,
        threads: usize,
        input: &Chunk,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let column = FlightColumn::of_raw_chunk("flight_findings", input)?;
        let rows = split_rows(column.len(), threads, |range| {
            // The part's sources first, one after another: the parser's code and
            // data stay in the CPU's caches from one source to the next.
            // A NULL row is `None`; any other its scan, if it has a source.
            let rows: Vec<_> = range
                .clone()
                .map(|i| (!column.is_null(i)).then(|| column.source_code(i).map(|code| caches.scans.scan(code))))
                .collect();
            let mut part = Part::default();
            range
                .zip(rows)
                .map(|(i, row)| row.map(|scan| part.findings(caches, &column, i, scan.as_deref())).transpose())
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|e| -> Box<dyn Error> { e })?;
        let items = rows.iter().flatten().map(Vec::len).sum();
        let mut out = ListOutput::with_capacity(rows.len(), items);
        for row in rows {
            match row {
                Some(findings) => out.push_row(findings),
                None => out.push_null(),
            }
        }
        write_findings(&out, output);
        Ok(())
    }
}

/// What one part of a chunk reuses from row to row: the buffers rows are
/// read into, and the requirements texts and schedules it has met.
#[derive(Default)]
struct Part {
    buffers: SpecBuffers,
    requirements: Recent<Requirements>,
    schedules: Recent<ScheduleRead>,
}

impl Part {
    /// The findings of row `i`, a Flight whose source is scanned (`scan`), its
    /// other texts read through `caches`.
    fn findings(
        &mut self,
        caches: &TextCaches,
        column: &FlightColumn,
        i: usize,
        scan: Option<&SourceScan>,
    ) -> Result<Vec<Finding>, Box<dyn Error + Send + Sync>> {
        let spec = column.spec_with(i, &mut self.buffers)?;
        let requirements =
            spec.requirements_txt.as_deref().map(|text| self.requirements.get(&caches.requirements, text));
        let cron = spec.schedule_cron.as_deref().filter(|c| !c.is_empty());
        let schedule = cron.map(|text| self.schedules.get(&caches.schedules, text));
        let reads = Reads { scan, requirements, schedule };
        let findings = row::findings_with(&spec, reads)?;
        self.buffers.recycle(spec);
        Ok(findings)
    }
}

/// `flight_env(flight)`: `STRUCT(name, value, source, origin, sensitive, note)[]`.
pub struct FlightEnv;

impl VScalar for FlightEnv {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let column = flights("flight_env", input)?;
        // The variables borrow their Flight's text: the chunk's Flights are read first.
        let specs = (0..column.len())
            .map(|i| if column.is_null(i) { Ok(None) } else { column.spec(i).map(Some) })
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = ListOutput::with_rows(column.len());
        for spec in &specs {
            match spec {
                Some(spec) => out.push_row(env::resolve(spec).vars),
                None => out.push_null(),
            }
        }
        out.write_struct_list(output, |fields, vars| {
            let n = vars.len();
            let (names, mut values, sources) = (fields.child(0, n), fields.child(1, n), fields.child(2, n));
            let (origins, mut sensitive, mut notes) = (fields.child(3, n), fields.child(4, n), fields.child(5, n));
            for (i, var) in vars.iter().enumerate() {
                names.insert(i, &*var.name);
                write_opt_text(&mut values, i, var.value.as_deref());
                sources.insert(i, var.source.as_str());
                origins.insert(i, var.origin.to_string().as_str());
                write_bool(&mut sensitive, i, var.sensitive);
                write_opt_text(&mut notes, i, var.note.as_deref());
            }
        });
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let field = |name| (name, SqlType::Varchar);
        any_row_to(SqlType::struct_of(&[
            field("name"),
            field("value"),
            field("source"),
            field("origin"),
            ("sensitive", SqlType::Boolean),
            field("note"),
        ]))
    }
}
