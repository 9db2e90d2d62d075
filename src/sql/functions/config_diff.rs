//! `flight_config_diff(old, new, mode :=, include_unchanged :=)`: what a
//! config update (or a per-run override) changes, key by key.
//! Rules: [`crate::flight::config`].

use crate::flight::config::{self, DiffMode};
use crate::sql::params::{config_map, opt_bool, opt_text};
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct FlightConfigDiff;

impl RowsFunction for FlightConfigDiff {
    const COLUMNS: &'static [Column] = &[
        ("key", &SqlType::Varchar),
        ("change", &SqlType::Varchar),
        ("old_value", &SqlType::Varchar),
        ("new_value", &SqlType::Varchar),
    ];

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::CONFIG_MAP, SqlType::CONFIG_MAP]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("mode", SqlType::Varchar), ("include_unchanged", SqlType::Boolean)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        // A NULL map is an empty config.
        let old = config_map("old", args.positional(0))?.unwrap_or_default();
        let new = config_map("new", args.positional(1))?.unwrap_or_default();
        let mode = match opt_text("mode", args.named("mode"))? {
            Some(mode) => DiffMode::parse(&mode)?,
            None => DiffMode::Update,
        };
        let include_unchanged = opt_bool("include_unchanged", args.named("include_unchanged"))?.unwrap_or(false);
        Ok(config::config_diff(&config::pairs(&old), &config::pairs(&new), mode, include_unchanged)
            .into_iter()
            .map(|row| vec![row.key.into(), row.change.as_str().into(), row.old_value.into(), row.new_value.into()])
            .collect())
    }
}
