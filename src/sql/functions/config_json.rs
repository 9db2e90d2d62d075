//! `flight_config_from_json(json)` and `flight_config_to_json(config)`: the
//! config map in the JSON form MCP tools take. Rules: [`crate::flight::config`].

use crate::flight::config;
use crate::sql::types::{signature, SqlType};
use crate::sql::vector::{ListOutput, MapColumn, Pairs, TextColumn};
use duckdb::core::{DataChunkHandle, Inserter};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

/// `flight_config_from_json(VARCHAR) -> MAP(VARCHAR, VARCHAR)`; strict, NULL in, NULL out.
pub struct FlightConfigFromJson;

impl VScalar for FlightConfigFromJson {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let json = TextColumn::new(input, 0);
        let mut out = ListOutput::with_rows(input.len());
        for row in 0..input.len() {
            match json.get(row) {
                Some(text) => out.push_row(config::config_from_json(text)?),
                None => out.push_null(),
            }
        }
        out.write_map(output);
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![signature(vec![SqlType::Varchar], SqlType::CONFIG_MAP)]
    }
}

/// `flight_config_to_json(MAP(VARCHAR, VARCHAR)) -> VARCHAR`; keys in map order.
pub struct FlightConfigToJson;

impl VScalar for FlightConfigToJson {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let maps = MapColumn::new(input, 0);
        let mut out = output.flat_vector();
        let mut pairs = Pairs::new();
        for row in 0..input.len() {
            if maps.is_null(row) {
                out.set_null(row);
                continue;
            }
            maps.read_into(row, &mut pairs);
            out.insert(row, config::config_to_json(&pairs).as_str());
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![signature(vec![SqlType::CONFIG_MAP], SqlType::Varchar)]
    }
}
