//! `flights_helper_functions()`: every SQL function of the extension, with its
//! signature, parameters and an example, from [`crate::sql::docs::FUNCTIONS`].

use crate::sql::docs::FUNCTIONS;
use crate::sql::table::{Args, Cell, ColumnType, RowsFunction};
use std::error::Error;

pub struct FlightsHelperFunctions;

impl RowsFunction for FlightsHelperFunctions {
    const COLUMNS: &'static [(&'static str, ColumnType)] = &[
        ("function", ColumnType::Text),
        ("fun_type", ColumnType::Text),
        ("signature", ColumnType::Text),
        ("returns", ColumnType::Text),
        ("description", ColumnType::Text),
        ("comment", ColumnType::Text),
        ("example", ColumnType::Text),
        ("needs_motherduck", ColumnType::Bool),
    ];

    fn rows(_: &Args) -> Result<Vec<Vec<Cell>>, Box<dyn Error>> {
        Ok(FUNCTIONS
            .iter()
            .map(|doc| {
                vec![
                    doc.name.into(),
                    doc.fun_type.as_str().into(),
                    doc.signature.into(),
                    doc.returns.into(),
                    doc.description.into(),
                    doc.comment_text().into(),
                    doc.example.into(),
                    Cell::Bool(doc.needs_motherduck),
                ]
            })
            .collect())
    }
}
