//! Reading a run (a STRUCT with `status`, `exit_code`, `logs` and optionally
//! `config` and `flight_version`) from a vector, field by field, as
//! [`FlightColumn`](super::row::FlightColumn) reads a Flight row: names
//! compared ignoring ASCII case, any integer type for the numbers, other
//! fields ignored (a row of `motherduck_flight_runs` joined with its log
//! works as is), a field of the wrong type an error naming it. The rule:
//! [`crate::flight::run`].

use super::row::{expected, reader, Reader};
use super::types::{vector_type, SqlType};
use super::vector::Validity;
use crate::flight::run::RunRecord;
use crate::flight::{FieldKind, FieldValue};
use duckdb::core::DataChunkHandle;
use duckdb::ffi;

/// The fields of a run: name, kind, and whether the STRUCT must have it.
const RUN_FIELDS: [(&str, FieldKind, bool); 5] = [
    ("status", FieldKind::Text, true),
    ("exit_code", FieldKind::Integer, true),
    ("logs", FieldKind::Text, true),
    ("config", FieldKind::ConfigMap, false),
    ("flight_version", FieldKind::Integer, false),
];

/// A column of runs: one STRUCT vector, its fields located.
pub struct RunColumn<'a> {
    validity: Validity,
    /// A reader per field of [`RUN_FIELDS`], in order; `None` when absent (or typed NULL).
    readers: Vec<Option<Reader<'a>>>,
}

impl<'a> RunColumn<'a> {
    /// Column `col` of `input` as runs, the argument of `function`; `None` when it is a bare `NULL`.
    pub fn of_chunk_column(function: &str, input: &'a DataChunkHandle, col: usize) -> Result<Option<Self>, String> {
        if col >= input.num_columns() {
            return Err(format!("{function}: no argument {}", col + 1));
        }
        // SAFETY: column `col` exists (checked) and is live and flat (DuckDB flattens a
        // scalar's chunk) for the call, which outlives the borrow of `input`.
        unsafe { Self::read(function, ffi::duckdb_data_chunk_get_vector(input.get_ptr(), col as u64), input.len()) }
    }

    /// # Safety
    /// `vector` must be a live, flattened input vector of `rows` rows, live for `'a`.
    unsafe fn read(function: &str, vector: ffi::duckdb_vector, rows: usize) -> Result<Option<Self>, String> {
        // SAFETY (caller): the vector is live.
        let fields = match unsafe { vector_type(vector) } {
            SqlType::Null => return Ok(None),
            SqlType::Struct(fields) => fields,
            other => {
                return Err(format!(
                    "{function} takes the run as a STRUCT with status, exit_code and logs (and optionally config and \
                     flight_version), e.g. {{'status': 'FAILED', 'exit_code': 1, 'logs': log_text}}; got {other}"
                ))
            }
        };
        let mut readers = Vec::with_capacity(RUN_FIELDS.len());
        for (wanted, kind, required) in RUN_FIELDS {
            let Some(index) = fields.iter().position(|(name, _)| name.eq_ignore_ascii_case(wanted)) else {
                if required {
                    return Err(format!(
                        "{function}: the run has no field {wanted}; it needs status, exit_code and logs (NULL where \
                         unknown), and may have config and flight_version"
                    ));
                }
                readers.push(None);
                continue;
            };
            let (name, ty) = &fields[index];
            if *ty == SqlType::Null {
                readers.push(None);
                continue;
            }
            // SAFETY: the struct has this child; the vector is live and flat for 'a.
            let read = unsafe { reader(ffi::duckdb_struct_vector_get_child(vector, index as u64), rows, ty, kind) };
            let read = read.map_err(|hint| {
                format!("{function}: field {name} of the run is {ty}; expected {}{hint}", expected(kind))
                    .replace("<field>", name)
            })?;
            readers.push(Some(read));
        }
        Ok(Some(RunColumn { validity: Validity::of(vector), readers }))
    }

    /// Row `row`'s run; `None` when it is NULL.
    pub fn get(&self, row: usize) -> Option<RunRecord> {
        if !self.validity.is_valid(row) {
            return None;
        }
        let value = |i: usize| self.readers[i].as_ref().and_then(|r| r.get(row));
        let text = |i| match value(i) {
            Some(FieldValue::Text(t)) => Some(t),
            _ => None,
        };
        let int = |i| match value(i) {
            Some(FieldValue::Integer(n)) => Some(n),
            _ => None,
        };
        Some(RunRecord {
            status: text(0),
            exit_code: int(1),
            logs: text(2),
            config: match value(3) {
                Some(FieldValue::ConfigMap(map)) => Some(map),
                _ => None,
            },
            flight_version: int(4),
        })
    }
}
