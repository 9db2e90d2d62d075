//! `flight_secret_env_name(secret_name, param [, naming])`: the environment
//! variable one secret param becomes. Rules: [`crate::flight::env`].

use crate::flight::env;
use crate::sql::types::{signature, SqlType};
use crate::sql::vector::TextColumn;
use duckdb::core::{DataChunkHandle, Inserter};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

pub struct FlightSecretEnvName;

impl VScalar for FlightSecretEnvName {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let secrets = TextColumn::new(input, 0);
        let params = TextColumn::new(input, 1);
        let namings = (input.num_columns() > 2).then(|| TextColumn::new(input, 2));
        let mut out = output.flat_vector();
        for row in 0..input.len() {
            let naming = match &namings {
                Some(column) => match column.get(row) {
                    Some(text) => Some(env::parse_naming(Some(text))?),
                    None => None,
                },
                None => Some(env::parse_naming(None)?),
            };
            match (secrets.get(row), params.get(row), naming) {
                (Some(secret), Some(param), Some(naming)) => {
                    out.insert(row, env::secret_env_name(secret, param, naming).as_str())
                }
                _ => out.set_null(row),
            }
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![
            signature(vec![SqlType::Varchar, SqlType::Varchar], SqlType::Varchar),
            signature(vec![SqlType::Varchar, SqlType::Varchar, SqlType::Varchar], SqlType::Varchar),
        ]
    }
}
