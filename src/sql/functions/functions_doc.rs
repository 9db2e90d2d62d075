//! `flights_helper_functions()`: every SQL function of the extension, with its
//! signature, parameters and an example, from [`crate::sql::docs::FUNCTIONS`].

use crate::sql::docs::FUNCTIONS;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct FlightsHelperFunctions;

impl RowsFunction for FlightsHelperFunctions {
    const COLUMNS: &'static [Column] = &[
        ("function", &SqlType::Varchar),
        ("fun_type", &SqlType::Varchar),
        ("signature", &SqlType::Varchar),
        ("returns", &SqlType::Varchar),
        ("description", &SqlType::Varchar),
        ("comment", &SqlType::Varchar),
        ("example", &SqlType::Varchar),
        ("needs_motherduck", &SqlType::Boolean),
    ];

    fn rows(_: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
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
                    SqlValue::Bool(doc.needs_motherduck),
                ]
            })
            .collect())
    }
}
