//! A table function whose rows are computed once, at bind time.
//!
//! Every table function of this extension describes one Flight and returns
//! a small result, so the whole result is computed when DuckDB binds the
//! call (errors then surface as `Binder Error: ...` before any row is read),
//! and the scan only copies rows out, one chunk at a time.

use super::external_access::external_access;
use super::types;
use super::value::{self, SqlValue};
use super::vector::{write_bool, write_i64, write_int, write_interval, ChunkColumn, ListOutput};
use crate::flight::ConfigMap;
use crate::sql::sandbox::{Caller, ExternalAccess};
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The SQL type of an output column. A new type: a variant, its
/// [`LogicalTypeHandle`] in `logical_type`, a [`Cell`] variant and an arm in `write_column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Bool,
    Int,
    TextList,
    /// INTEGER[].
    IntList,
    Map,
    /// BIGINT.
    BigInt,
    /// TIMESTAMP WITH TIME ZONE (cells: microseconds since the epoch, UTC).
    TimestampTz,
    /// INTERVAL (cells: months, days, microseconds, as DuckDB keeps them).
    Interval,
}

impl ColumnType {
    fn logical_type(self) -> LogicalTypeHandle {
        match self {
            ColumnType::Text => types::varchar(),
            ColumnType::Bool => types::boolean(),
            ColumnType::Int => types::integer(),
            ColumnType::TextList => types::text_list(),
            ColumnType::IntList => types::int_list(),
            ColumnType::Map => types::config_map(),
            ColumnType::BigInt => types::bigint(),
            ColumnType::TimestampTz => types::timestamptz(),
            ColumnType::Interval => types::interval(),
        }
    }
}

/// A column of a table function: its name and type.
pub type Column = (&'static str, ColumnType);

/// The columns of `parts`, one after the other, as one array (a table
/// function's `COLUMNS` built from shared column sets, at compile time).
/// `N` must be the parts' total length.
pub const fn columns<const N: usize>(parts: &[&[Column]]) -> [Column; N] {
    let mut out: [Column; N] = [("", ColumnType::Text); N];
    let (mut at, mut part) = (0, 0);
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            out[at] = parts[part][i];
            at += 1;
            i += 1;
        }
        part += 1;
    }
    assert!(at == N, "columns: N is not the parts' total length");
    out
}

/// One output value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Bool(bool),
    Int(i32),
    TextList(Vec<String>),
    IntList(Vec<i32>),
    Map(ConfigMap),
    BigInt(i64),
    /// Microseconds since the Unix epoch, UTC.
    Timestamp(i64),
    /// An INTERVAL: months, days, microseconds.
    Interval {
        months: i32,
        days: i32,
        micros: i64,
    },
}

impl From<Option<String>> for Cell {
    fn from(value: Option<String>) -> Self {
        value.map_or(Cell::Null, Cell::Text)
    }
}

impl From<Option<&str>> for Cell {
    fn from(value: Option<&str>) -> Self {
        value.map_or(Cell::Null, Cell::from)
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Cell::Text(value)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Cell::Text(value.to_owned())
    }
}

/// The arguments of one call, converted to plain values.
#[derive(Debug)]
pub struct Args {
    positional: Vec<SqlValue>,
    named: Vec<(&'static str, SqlValue)>,
    /// `enable_external_access` where the call binds (read only when the call may reach the network).
    external_access: ExternalAccess,
}

impl Default for Args {
    fn default() -> Self {
        Args::new(Vec::new(), Vec::new())
    }
}

impl Args {
    /// Positional argument `i` (NULL when missing).
    pub fn positional(&self, i: usize) -> &SqlValue {
        self.positional.get(i).unwrap_or(&SqlValue::Null)
    }

    /// A named argument; NULL when absent or given as NULL.
    pub fn named(&self, name: &str) -> &SqlValue {
        self.named.iter().find(|(n, _)| *n == name).map_or(&SqlValue::Null, |(_, v)| v)
    }

    /// Builds arguments by hand (tests and internal callers).
    pub fn new(positional: Vec<SqlValue>, named: Vec<(&'static str, SqlValue)>) -> Self {
        Args { positional, named, external_access: ExternalAccess::Unknown }
    }

    /// `function` asking for the network, with the sandbox setting of this call.
    pub fn caller<'a>(&self, function: &'a str) -> Caller<'a> {
        Caller { function, access: self.external_access }
    }
}

/// What one SQL table function provides; [`RowsTable`] does the DuckDB part.
pub trait RowsFunction: Send + Sync + 'static {
    /// Output columns, in order.
    const COLUMNS: &'static [(&'static str, ColumnType)];
    /// Positional parameter types.
    fn parameters() -> Vec<LogicalTypeHandle> {
        Vec::new()
    }
    /// Named parameters and their types.
    fn named_parameters() -> Vec<(&'static str, LogicalTypeHandle)> {
        Vec::new()
    }
    /// Whether every call reaches MotherDuck over the network (a call with a
    /// non-NULL `flight :=` does too): bind then reads `enable_external_access`.
    const NETWORK: bool = false;
    /// The whole result. An `Err` becomes the DuckDB error of the call.
    fn rows(args: &Args) -> Result<Vec<Vec<Cell>>, Box<dyn Error>>;
}

/// Adapts a [`RowsFunction`] to duckdb-rs's [`VTab`].
pub struct RowsTable<F>(PhantomData<F>);

pub struct Rows(Vec<Vec<Cell>>);

pub struct Cursor(AtomicUsize);

impl<F: RowsFunction> VTab for RowsTable<F> {
    type BindData = Rows;
    type InitData = Cursor;

    fn bind(bind: &BindInfo) -> Result<Rows, Box<dyn Error>> {
        for (name, column_type) in F::COLUMNS {
            bind.add_result_column(name, column_type.logical_type());
        }
        let positional = (0..bind.get_parameter_count()).map(|i| value::from_duckdb(bind.get_parameter(i))).collect();
        let named = F::named_parameters()
            .into_iter()
            .map(|(name, _)| (name, bind.get_named_parameter(name).map_or(SqlValue::Null, value::from_duckdb)))
            .collect();
        let named: Vec<(&'static str, SqlValue)> = named;
        let fetches = F::NETWORK || named.iter().any(|(n, v)| *n == "flight" && !matches!(v, SqlValue::Null));
        let external_access = if fetches { external_access(bind) } else { ExternalAccess::Unknown };
        let rows = F::rows(&Args { positional, named, external_access })?;
        check_cells(F::COLUMNS, &rows)?;
        bind.set_cardinality(rows.len() as u64, true);
        Ok(Rows(rows))
    }

    fn init(_: &InitInfo) -> Result<Cursor, Box<dyn Error>> {
        Ok(Cursor(AtomicUsize::new(0)))
    }

    fn func(info: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Box<dyn Error>> {
        let Rows(rows) = info.get_bind_data();
        let cursor = &info.get_init_data().0;
        let capacity = output.flat_vector(0).capacity();
        let start = cursor.fetch_add(capacity, Ordering::Relaxed).min(rows.len());
        let chunk = &rows[start..(start + capacity).min(rows.len())];
        for (col, (_, column_type)) in F::COLUMNS.iter().enumerate() {
            write_column(output, col, *column_type, chunk.iter().map(|row| row.get(col).unwrap_or(&Cell::Null)));
        }
        output.set_len(chunk.len());
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(F::parameters())
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        Some(F::named_parameters().into_iter().map(|(n, t)| (n.to_owned(), t)).collect())
    }
}

/// Writes one column of a chunk: every cell of the column's type, else NULL
/// (a mismatch is a bug, and shows as NULL rather than as corrupt memory).
/// A new column type adds an arm here and one in [`ColumnType::logical_type`].
/// Whether `cell` is a value of a column of type `column` (NULL fits every column).
fn fits(column: ColumnType, cell: &Cell) -> bool {
    matches!(
        (column, cell),
        (_, Cell::Null)
            | (ColumnType::Text, Cell::Text(_))
            | (ColumnType::Bool, Cell::Bool(_))
            | (ColumnType::Int, Cell::Int(_))
            | (ColumnType::BigInt, Cell::BigInt(_))
            | (ColumnType::TimestampTz, Cell::Timestamp(_))
            | (ColumnType::Interval, Cell::Interval { .. })
            | (ColumnType::TextList, Cell::TextList(_))
            | (ColumnType::IntList, Cell::IntList(_))
            | (ColumnType::Map, Cell::Map(_))
    )
}

/// Every row has one cell per column, each of its column's type: a row that
/// does not is a bug of the function, reported as an error (never written as NULL).
fn check_cells(columns: &[(&str, ColumnType)], rows: &[Vec<Cell>]) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        if row.len() != columns.len() {
            return Err(format!(
                "flights_helper bug: row {i} has {} cells for {} columns; please report it",
                row.len(),
                columns.len()
            ));
        }
        if let Some(((name, column), _)) = columns.iter().zip(row).find(|((_, column), cell)| !fits(*column, cell)) {
            return Err(format!(
                "flights_helper bug: column {name} ({column:?}) got a cell of another type in row {i}; please report it"
            ));
        }
    }
    Ok(())
}

fn write_column<'c>(
    output: &DataChunkHandle,
    col: usize,
    column_type: ColumnType,
    cells: impl Iterator<Item = &'c Cell>,
) {
    match column_type {
        ColumnType::TextList => {
            let mut lists = ListOutput::with_rows(0);
            for cell in cells {
                match cell {
                    Cell::TextList(items) => lists.push_row(items.iter().map(String::as_str)),
                    _ => lists.push_null(),
                }
            }
            lists.write_text_list(&mut ChunkColumn(output, col));
        }
        ColumnType::IntList => {
            let mut lists = ListOutput::with_rows(0);
            for cell in cells {
                match cell {
                    Cell::IntList(items) => lists.push_row(items.iter().copied()),
                    _ => lists.push_null(),
                }
            }
            lists.write_int_list(&mut ChunkColumn(output, col));
        }
        ColumnType::Map => {
            let mut maps = ListOutput::with_rows(0);
            for cell in cells {
                match cell {
                    Cell::Map(map) => maps.push_row(map.iter().map(|(k, v)| (k.as_str(), v.as_deref()))),
                    _ => maps.push_null(),
                }
            }
            maps.write_map(&mut ChunkColumn(output, col));
        }
        ColumnType::Text
        | ColumnType::Bool
        | ColumnType::Int
        | ColumnType::BigInt
        | ColumnType::TimestampTz
        | ColumnType::Interval => {
            let mut vector = output.flat_vector(col);
            for (row, cell) in cells.enumerate() {
                match (column_type, cell) {
                    (ColumnType::Text, Cell::Text(text)) => vector.insert(row, text.as_str()),
                    (ColumnType::Bool, Cell::Bool(b)) => write_bool(&mut vector, row, *b),
                    (ColumnType::Int, Cell::Int(i)) => write_int(&mut vector, row, *i),
                    (ColumnType::BigInt, Cell::BigInt(i)) => write_i64(&mut vector, row, *i),
                    // TIMESTAMP WITH TIME ZONE is 64-bit microseconds since the epoch.
                    (ColumnType::TimestampTz, Cell::Timestamp(t)) => write_i64(&mut vector, row, *t),
                    (ColumnType::Interval, Cell::Interval { months, days, micros }) => {
                        write_interval(&mut vector, row, *months, *days, *micros)
                    }
                    _ => vector.set_null(row),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_sets_join_in_order() {
        const A: [Column; 2] = [("a", ColumnType::Text), ("b", ColumnType::Int)];
        const JOINED: [Column; 3] = columns::<3>(&[&A, &[("c", ColumnType::Map)]]);
        assert_eq!(JOINED.map(|(name, _)| name), ["a", "b", "c"]);
        assert_eq!(JOINED[2].1, ColumnType::Map);
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_a_bug_not_a_null() {
        let columns = [("name", ColumnType::Text), ("n", ColumnType::Int)];
        assert_eq!(check_cells(&columns, &[vec!["a".into(), Cell::Int(1)], vec![Cell::Null, Cell::Null]]), Ok(()));
        let wrong = check_cells(&columns, &[vec!["a".into(), Cell::BigInt(1)]]).unwrap_err();
        assert!(wrong.contains("column n (Int)") && wrong.contains("bug"), "{wrong}");
        let short = check_cells(&columns, &[vec!["a".into()]]).unwrap_err();
        assert!(short.contains("1 cells for 2 columns"), "{short}");
        for column in [
            ColumnType::Text,
            ColumnType::Bool,
            ColumnType::Int,
            ColumnType::BigInt,
            ColumnType::TimestampTz,
            ColumnType::Interval,
            ColumnType::TextList,
            ColumnType::IntList,
            ColumnType::Map,
        ] {
            assert!(fits(column, &Cell::Null));
        }
    }
}
