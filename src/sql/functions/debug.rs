//! Debug builds only: functions that panic on purpose, to prove that a panic
//! in a callback becomes a DuckDB error and the connection keeps working.
//! Release builds never register them (see `register_all`).

use crate::sql::scalar::{Chunk, RawScalar};
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::{signature, SqlType};
use crate::sql::value::SqlValue;
use crate::sql::vector::TextColumn;
use duckdb::core::DataChunkHandle;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

/// `flights_helper_debug_panic(message)`: panics with `message` while a scalar runs.
pub struct DebugPanicScalar;

impl VScalar for DebugPanicScalar {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, _: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let message = TextColumn::new(input, 0).get(0).unwrap_or("no message").to_owned();
        panic!("{message}");
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![signature(vec![SqlType::Varchar], SqlType::Varchar)]
    }
}

/// `flights_helper_debug_panic_table(message)`: panics with `message` while a table function binds.
pub struct DebugPanicTable;

impl RowsFunction for DebugPanicTable {
    const COLUMNS: &'static [Column] = &[("never", &SqlType::Varchar)];

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        panic!("{:?}", args.positional(0));
    }
}

/// `flights_helper_debug_panic_nulls(message)`: the same panic in a scalar registered through the
/// raw C API with special NULL handling ([`crate::sql::scalar`]); a NULL message reaches it too.
pub struct DebugPanicNullsScalar;

impl RawScalar for DebugPanicNullsScalar {
    fn signature() -> (Vec<SqlType>, SqlType) {
        (vec![SqlType::Varchar], SqlType::Varchar)
    }

    fn invoke(input: &Chunk, _: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let is_null = input.is_null(0, 0);
        panic!("raw scalar: {}", if is_null { "a NULL message" } else { "a message" });
    }
}
