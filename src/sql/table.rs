//! A table function whose rows are computed once, at bind time.
//!
//! Every table function of this extension describes one Flight and returns
//! a small result, so the whole result is computed when DuckDB binds the
//! call (errors then surface as `Binder Error: ...` before any row is read),
//! and the scan only copies rows out, one chunk at a time.

use super::value::{self, SqlValue};
use super::vector::write_opt_text;
use crate::flight::ConfigMap;
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The SQL type of an output column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Bool,
    Int,
    TextList,
    Map,
    /// BIGINT.
    BigInt,
    /// TIMESTAMP WITH TIME ZONE (cells: microseconds since the epoch, UTC).
    TimestampTz,
}

impl ColumnType {
    fn logical_type(self) -> LogicalTypeHandle {
        let varchar = || LogicalTypeHandle::from(LogicalTypeId::Varchar);
        match self {
            ColumnType::Text => varchar(),
            ColumnType::Bool => LogicalTypeHandle::from(LogicalTypeId::Boolean),
            ColumnType::Int => LogicalTypeHandle::from(LogicalTypeId::Integer),
            ColumnType::TextList => LogicalTypeHandle::list(&varchar()),
            ColumnType::Map => LogicalTypeHandle::map(&varchar(), &varchar()),
            ColumnType::BigInt => LogicalTypeHandle::from(LogicalTypeId::Bigint),
            ColumnType::TimestampTz => LogicalTypeHandle::from(LogicalTypeId::TimestampTZ),
        }
    }
}

/// One output value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Bool(bool),
    Int(i32),
    TextList(Vec<String>),
    Map(ConfigMap),
    BigInt(i64),
    /// Microseconds since the Unix epoch, UTC.
    Timestamp(i64),
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
#[derive(Debug, Default)]
pub struct Args {
    positional: Vec<SqlValue>,
    named: Vec<(&'static str, SqlValue)>,
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
        Args { positional, named }
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
        let rows = F::rows(&Args { positional, named })?;
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

fn write_column<'c>(
    output: &DataChunkHandle,
    col: usize,
    column_type: ColumnType,
    cells: impl Iterator<Item = &'c Cell>,
) {
    match column_type {
        ColumnType::TextList | ColumnType::Map => {
            let mut list = output.list_vector(col);
            let cells: Vec<&Cell> = cells.collect();
            let total = cells
                .iter()
                .map(|c| match c {
                    Cell::TextList(items) => items.len(),
                    Cell::Map(map) => map.len(),
                    _ => 0,
                })
                .sum();
            let mut offset = 0;
            if column_type == ColumnType::TextList {
                let child = list.child(total);
                for cell in &cells {
                    if let Cell::TextList(items) = cell {
                        for item in items {
                            child.insert(offset, item.as_str());
                            offset += 1;
                        }
                    }
                }
            } else {
                let entries = list.struct_child(total);
                let keys = entries.child(0, total);
                let mut values = entries.child(1, total);
                for cell in &cells {
                    if let Cell::Map(map) = cell {
                        for (key, value) in map {
                            keys.insert(offset, key.as_str());
                            write_opt_text(&mut values, offset, value.as_deref());
                            offset += 1;
                        }
                    }
                }
            }
            let mut offset = 0;
            for (row, cell) in cells.iter().enumerate() {
                let len = match cell {
                    Cell::TextList(items) => items.len(),
                    Cell::Map(map) => map.len(),
                    _ => {
                        list.set_entry(row, offset, 0);
                        list.set_null(row);
                        continue;
                    }
                };
                list.set_entry(row, offset, len);
                offset += len;
            }
            list.set_len(total);
        }
        ColumnType::Text | ColumnType::Bool | ColumnType::Int | ColumnType::BigInt | ColumnType::TimestampTz => {
            let mut vector = output.flat_vector(col);
            for (row, cell) in cells.enumerate() {
                // A cell is written only into a column of its own type; a
                // mismatch (a bug) shows as NULL rather than as corrupt memory.
                match (column_type, cell) {
                    (ColumnType::Text, Cell::Text(text)) => vector.insert(row, text.as_str()),
                    // SAFETY: the column was declared BOOLEAN in bind.
                    (ColumnType::Bool, Cell::Bool(b)) => unsafe { vector.as_mut_slice::<bool>()[row] = *b },
                    // SAFETY: the column was declared INTEGER in bind.
                    (ColumnType::Int, Cell::Int(i)) => unsafe { vector.as_mut_slice::<i32>()[row] = *i },
                    // SAFETY: the column was declared BIGINT in bind.
                    (ColumnType::BigInt, Cell::BigInt(i)) => unsafe { vector.as_mut_slice::<i64>()[row] = *i },
                    // SAFETY: TIMESTAMP WITH TIME ZONE is 64-bit microseconds.
                    (ColumnType::TimestampTz, Cell::Timestamp(t)) => unsafe { vector.as_mut_slice::<i64>()[row] = *t },
                    _ => vector.set_null(row),
                }
            }
        }
    }
}
