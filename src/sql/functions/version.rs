//! `flights_helper_version()`: the extension version as VARCHAR.

use crate::sql::types::{signature, SqlType};
use duckdb::core::{DataChunkHandle, Inserter};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

pub struct FlightsHelperVersion;

impl VScalar for FlightsHelperVersion {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let out = output.flat_vector();
        for row in 0..input.len().max(1) {
            out.insert(row, crate::VERSION);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![signature(vec![], SqlType::Varchar)]
    }
}
