//! The per-row config scalars, for whole tables of Flights and runs:
//! `flight_config_changes`, `flight_validate_override`,
//! `flight_override_is_valid`, `flight_effective_config`.
//!
//! Each reads two `MAP(VARCHAR, VARCHAR)` columns without copying a string,
//! calls the rule in [`crate::flight::config`], and writes the chunk's
//! results at once. `flight_config_changes`: NULL in, NULL out (DuckDB's
//! default). The override scalars take a NULL override as "no override"
//! (special NULL handling, registered through [`crate::sql::scalar`]); a NULL
//! stored config gives NULL.

use crate::flight::config;
use crate::sql::scalar::{Chunk, RawScalar};
use crate::sql::types::{signature, SqlType};
use crate::sql::vector::{write_bool, write_opt_text, ListOutput, MapColumn, Pairs};
use duckdb::core::{DataChunkHandle, Inserter};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

/// The signature `(MAP(VARCHAR, VARCHAR), MAP(VARCHAR, VARCHAR)) -> returns`.
fn two_maps_to(returns: SqlType) -> Vec<ScalarFunctionSignature> {
    vec![signature(vec![SqlType::CONFIG_MAP, SqlType::CONFIG_MAP], returns)]
}

/// The override scalars' signature `(MAP(VARCHAR, VARCHAR), MAP(VARCHAR, VARCHAR)) -> returns`.
fn stored_and_override_to(returns: SqlType) -> (Vec<SqlType>, SqlType) {
    (vec![SqlType::CONFIG_MAP, SqlType::CONFIG_MAP], returns)
}

/// The stored and override columns of an override scalar's chunk.
fn stored_and_override(input: &Chunk) -> (MapColumn<'_>, MapColumn<'_>) {
    (input.map_column(0), input.map_column(1))
}

/// Calls `each(row, left, right)` for every row of a two-map chunk; `None` for a NULL row.
/// With `null_right_is_empty`, a NULL right map reads as empty (NULL override: no override).
fn for_each_pair<'a>(
    (left, right): (MapColumn<'a>, MapColumn<'a>),
    rows: usize,
    null_right_is_empty: bool,
    mut each: impl FnMut(usize, Option<(&Pairs<'a>, &Pairs<'a>)>),
) {
    let (mut l, mut r) = (Pairs::new(), Pairs::new());
    for row in 0..rows {
        if left.is_null(row) || (right.is_null(row) && !null_right_is_empty) {
            each(row, None);
            continue;
        }
        left.read_into(row, &mut l);
        right.read_into(row, &mut r);
        each(row, Some((&l, &r)));
    }
}

/// `flight_config_changes(old, new)`: update-mode changes as a list of structs.
pub struct FlightConfigChanges;

impl VScalar for FlightConfigChanges {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let mut out = ListOutput::with_rows(input.len());
        let columns = (MapColumn::new(input, 0), MapColumn::new(input, 1));
        for_each_pair(columns, input.len(), false, |_, maps| match maps {
            Some((old, new)) => out.push_row(config::config_changes(old, new)),
            None => out.push_null(),
        });
        out.write_struct_list(output, |fields, items| {
            let n = items.len();
            let (keys, changes) = (fields.child(0, n), fields.child(1, n));
            let (mut olds, mut news) = (fields.child(2, n), fields.child(3, n));
            for (i, item) in items.iter().enumerate() {
                keys.insert(i, item.key);
                changes.insert(i, item.change.as_str());
                write_opt_text(&mut olds, i, item.old_value);
                write_opt_text(&mut news, i, item.new_value);
            }
        });
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let field = |name| (name, SqlType::Varchar);
        two_maps_to(SqlType::struct_list(&[field("key"), field("change"), field("old_value"), field("new_value")]))
    }
}

/// `flight_validate_override(stored, override)`: one message per problem; `[]` for a NULL override.
pub struct FlightValidateOverride;

impl RawScalar for FlightValidateOverride {
    fn invoke(input: &Chunk, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let (stored, ov) = stored_and_override(input);
        let mut worded = Worded::default();
        let mut out = ListOutput::with_rows(input.len());
        for row in 0..input.len() {
            match verdict(&stored, &ov, row) {
                None => out.push_null(),
                // The common case, a valid override, decodes no string and allocates nothing.
                Some(true) => out.push_row(None),
                Some(false) => out.push_row(worded.problems(&stored, &ov, row)),
            }
        }
        out.write_shared_text_list(output, &worded.texts);
        Ok(())
    }

    fn signature() -> (Vec<SqlType>, SqlType) {
        stored_and_override_to(SqlType::TEXT_LIST)
    }
}

/// How many recently worded rows of a chunk [`Worded`] remembers.
const RECENT: usize = 8;

/// The messages of a chunk's invalid rows. The messages depend only on the
/// stored keys and the override's keys and NULL values, so a row equal in
/// those to a recently worded row (runs of one Flight, the same override)
/// shares its messages instead of wording them again.
#[derive(Default)]
struct Worded {
    /// Every message worded in this chunk.
    texts: Vec<String>,
    /// Recently worded rows and their messages in `texts`.
    recent: Vec<(usize, std::ops::Range<usize>)>,
}

impl Worded {
    /// The messages of row `row` (an invalid override), as indexes into `texts`.
    fn problems(&mut self, stored: &MapColumn, ov: &MapColumn, row: usize) -> std::ops::Range<usize> {
        let seen = self.recent.iter().find(|(seen, _)| ov.same_entries(*seen, row) && stored.same_keys(*seen, row));
        if let Some((_, messages)) = seen {
            return messages.clone();
        }
        let (mut s, mut o) = (Pairs::new(), Pairs::new());
        // The messages need the stored keys only.
        stored.read_keys_into(row, &mut s);
        ov.read_into(row, &mut o);
        let start = self.texts.len();
        self.texts.extend(config::override_problems(&s, &o));
        let messages = start..self.texts.len();
        if self.recent.len() == RECENT {
            self.recent.remove(0);
        }
        self.recent.push((row, messages.clone()));
        messages
    }
}

/// Whether row `row`'s override is valid against its stored config; `None` for
/// a NULL stored config. A NULL override reads as empty: valid.
fn verdict(stored: &MapColumn, ov: &MapColumn, row: usize) -> Option<bool> {
    let stored = stored.row(row)?;
    let Some(ov) = ov.row(row) else {
        return Some(true);
    };
    Some(config::override_keys_valid(stored.keys(), ov.entries(), ov.len()))
}

/// `flight_override_is_valid(stored, override)`: the same verdict as a BOOLEAN; true for a NULL override.
pub struct FlightOverrideIsValid;

impl RawScalar for FlightOverrideIsValid {
    fn invoke(input: &Chunk, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let (stored, ov) = stored_and_override(input);
        let mut out = output.flat_vector();
        for row in 0..input.len() {
            match verdict(&stored, &ov, row) {
                Some(valid) => write_bool(&mut out, row, valid),
                None => out.set_null(row),
            }
        }
        Ok(())
    }

    fn signature() -> (Vec<SqlType>, SqlType) {
        stored_and_override_to(SqlType::Boolean)
    }
}

/// `flight_effective_config(stored, override)`: the config the run records; `stored` for a NULL override.
pub struct FlightEffectiveConfig;

impl RawScalar for FlightEffectiveConfig {
    fn invoke(input: &Chunk, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let mut out = ListOutput::with_rows(input.len());
        let mut failure = None;
        for_each_pair(stored_and_override(input), input.len(), true, |_, maps| match maps {
            Some((stored, ov)) if failure.is_none() => match config::effective_config(stored, ov) {
                Ok(effective) => out.push_row(effective),
                Err(problems) => failure = Some(problems.join("\n")),
            },
            _ => out.push_null(),
        });
        if let Some(problems) = failure {
            return Err(format!("invalid per-run override:\n{problems}").into());
        }
        out.write_map(output);
        Ok(())
    }

    fn signature() -> (Vec<SqlType>, SqlType) {
        stored_and_override_to(SqlType::CONFIG_MAP)
    }
}
