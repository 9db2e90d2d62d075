//! Reading an update (the fields of `MD_UPDATE_FLIGHT`, as a STRUCT) from a
//! vector: the fields of [`FIELDS`](crate::flight::FIELDS) an update takes
//! are read as a Flight row's are ([`FlightColumn`]), and a field
//! `MD_UPDATE_FLIGHT` does not take is an error, since a misspelt field
//! would otherwise change nothing without a word. A NULL update, or a bare
//! `NULL` argument, is no update. The rule itself: [`crate::flight::update`].

use super::row::FlightColumn;
use super::scalar::Chunk;
use super::types::{vector_type, SqlType};
use crate::flight::{is_update_field, update_fields_text, FlightUpdate};
use duckdb::ffi;

/// A column of updates; `None` when the argument is a bare `NULL`.
pub struct UpdateColumn<'a>(Option<FlightColumn<'a>>);

impl<'a> UpdateColumn<'a> {
    /// Column `col` of a raw scalar's chunk as updates.
    pub fn of_scalar_column(function: &str, input: &'a Chunk, col: usize) -> Result<Self, String> {
        // SAFETY: a declared column of the chunk, live and flat for the call, which
        // outlives the borrow of `input`.
        unsafe { Self::read(function, input.vector(col), input.len()) }
    }

    /// The updates in `vector`, the argument of `function`.
    ///
    /// # Safety
    /// `vector` must be a live, flattened input vector of `rows` rows, live for `'a`.
    pub unsafe fn read(function: &str, vector: ffi::duckdb_vector, rows: usize) -> Result<Self, String> {
        // SAFETY (caller): the vector is live.
        match unsafe { vector_type(vector) } {
            SqlType::Null => Ok(UpdateColumn(None)),
            SqlType::Struct(_) => {
                // SAFETY (caller): as above.
                let column = unsafe { FlightColumn::read_as(function, "the update", |a| a.update, vector, rows)? };
                if let Some(field) = column.fields().iter().find(|f| !is_update_field(f)) {
                    return Err(format!(
                        "{function}: the update has a field {field}, which MD_UPDATE_FLIGHT does not take \
                         (a misspelt field would change nothing); its fields are {}",
                        update_fields_text()
                    ));
                }
                Ok(UpdateColumn(Some(column)))
            }
            other => Err(format!(
                "{function} takes the update as a STRUCT of MD_UPDATE_FLIGHT's fields, e.g. \
                 {{'config': MAP {{'REGION': 'eu'}}}} or a row of a table of updates; got {other}"
            )),
        }
    }

    /// Row `row`'s update; `Ok(None)` when it is NULL (no update).
    pub fn get(&self, row: usize) -> Result<Option<FlightUpdate>, String> {
        match self.0.as_ref().filter(|c| !c.is_null(row)) {
            Some(column) => column.spec(row).map(Some),
            None => Ok(None),
        }
    }
}
