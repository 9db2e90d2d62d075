//! A table function whose rows are computed once, at bind time.
//!
//! Every table function of this extension describes one Flight and returns
//! a small result, so the whole result is computed when DuckDB binds the
//! call (errors then surface as `Binder Error: ...` before any row is read),
//! and the scan only copies rows out, one chunk at a time.

use super::external_access::external_access;
use super::types::{IntType, SqlType};
use super::value::{self, SqlValue};
use super::vector::{write_bool, write_i64, write_int, write_interval, ChunkColumn, ListOutput};
use crate::sql::sandbox::{Caller, ExternalAccess};
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A column of a table function: its name and type. A column of a type
/// [`write_column`] has no writer for is a bug, reported at bind.
pub type Column = (&'static str, &'static SqlType);

/// The columns of `parts`, one after the other, as one array (a table
/// function's `COLUMNS` built from shared column sets, at compile time).
/// `N` must be the parts' total length.
pub const fn columns<const N: usize>(parts: &[&[Column]]) -> [Column; N] {
    let mut out: [Column; N] = [("", &SqlType::Varchar); N];
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
    const COLUMNS: &'static [Column];
    /// Positional parameter types.
    fn parameters() -> Vec<SqlType> {
        Vec::new()
    }
    /// Named parameters and their types.
    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        Vec::new()
    }
    /// Whether every call reaches MotherDuck over the network (a call with a
    /// non-NULL `flight :=` does too): bind then reads `enable_external_access`.
    const NETWORK: bool = false;
    /// The whole result. An `Err` becomes the DuckDB error of the call.
    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>>;
}

/// Adapts a [`RowsFunction`] to duckdb-rs's [`VTab`]. Bind declares the
/// columns and reads the arguments (and, for a call that may reach the
/// network, the sandbox setting); the rows are made once per execution, in
/// the global init: a query that is bound twice (a prepared statement, a view,
/// DuckDB's Python test runner, which binds every query once to build a
/// relation and again to read it) asks MotherDuck once per run, not per bind.
pub struct RowsTable<F>(PhantomData<F>);

/// The arguments of a bound call.
pub struct Bound(Args);

/// The rows of one execution and how far they were written.
pub struct Rows {
    rows: Vec<Vec<SqlValue>>,
    cursor: AtomicUsize,
}

impl<F: RowsFunction> VTab for RowsTable<F> {
    type BindData = Bound;
    type InitData = Rows;

    fn bind(bind: &BindInfo) -> Result<Bound, Box<dyn Error>> {
        for (name, column_type) in F::COLUMNS {
            bind.add_result_column(name, column_type.handle());
        }
        let positional = (0..bind.get_parameter_count()).map(|i| value::from_duckdb(bind.get_parameter(i))).collect();
        let named = F::named_parameters()
            .into_iter()
            .map(|(name, _)| (name, bind.get_named_parameter(name).map_or(SqlValue::Null, value::from_duckdb)))
            .collect();
        let named: Vec<(&'static str, SqlValue)> = named;
        let fetches = F::NETWORK || named.iter().any(|(n, v)| *n == "flight" && !matches!(v, SqlValue::Null));
        let external_access = if fetches { external_access(bind) } else { ExternalAccess::Unknown };
        Ok(Bound(Args { positional, named, external_access }))
    }

    fn init(info: &InitInfo) -> Result<Rows, Box<dyn Error>> {
        // SAFETY: DuckDB hands init the bind data this table's bind returned (a `Bound`), alive for the query.
        let Some(Bound(args)) = (unsafe { info.get_bind_data::<Bound>().as_ref() }) else {
            return Err("internal error: a table function was initialised without its bind data".into());
        };
        let rows = F::rows(args)?;
        check_cells(F::COLUMNS, &rows)?;
        Ok(Rows { rows, cursor: AtomicUsize::new(0) })
    }

    fn func(info: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Box<dyn Error>> {
        let Rows { rows, cursor } = info.get_init_data();
        let capacity = output.flat_vector(0).capacity();
        let start = cursor.fetch_add(capacity, Ordering::Relaxed).min(rows.len());
        let chunk = &rows[start..(start + capacity).min(rows.len())];
        for (col, (_, column_type)) in F::COLUMNS.iter().enumerate() {
            write_column(output, col, column_type, chunk.iter().map(|row| row.get(col).unwrap_or(&SqlValue::Null)));
        }
        output.set_len(chunk.len());
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(F::parameters().iter().map(SqlType::handle).collect())
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        Some(F::named_parameters().into_iter().map(|(n, t)| (n.to_owned(), t.handle())).collect())
    }
}

/// Whether `cell` is a value of a column of type `column` (NULL fits every
/// column; list items and map keys are never NULL, map values may be).
fn fits(column: &SqlType, cell: &SqlValue) -> bool {
    let item_fits = |ty: &SqlType, item: &SqlValue| !matches!(item, SqlValue::Null) && fits(ty, item);
    match (column, cell) {
        (_, SqlValue::Null) => true,
        (SqlType::Varchar, SqlValue::Text(_))
        | (SqlType::Boolean, SqlValue::Bool(_))
        | (SqlType::Integer(IntType::Int), SqlValue::Int(_))
        | (SqlType::Integer(IntType::BigInt), SqlValue::BigInt(_))
        | (SqlType::TimestampTz, SqlValue::Timestamp(_))
        | (SqlType::Interval, SqlValue::Interval { .. }) => true,
        (SqlType::List(item), SqlValue::List(items)) => items.iter().all(|v| item_fits(item, v)),
        (SqlType::Map(key, value), SqlValue::Map(entries)) => {
            entries.iter().all(|(k, v)| item_fits(key, k) && fits(value, v))
        }
        _ => false,
    }
}

/// Whether [`write_column`] writes columns of type `column`.
fn writable(column: &SqlType) -> bool {
    matches!(column, SqlType::Varchar | SqlType::Boolean | SqlType::TimestampTz | SqlType::Interval)
        || [SqlType::INTEGER, SqlType::BIGINT, SqlType::TEXT_LIST, SqlType::INT_LIST, SqlType::CONFIG_MAP]
            .contains(column)
}

/// Every column is of a type [`write_column`] writes, and every row has one
/// cell per column, each of its column's type: a row that does not is a bug
/// of the function, reported as an error (never written as NULL).
fn check_cells(columns: &[Column], rows: &[Vec<SqlValue>]) -> Result<(), String> {
    if let Some((name, column)) = columns.iter().find(|(_, column)| !writable(column)) {
        return Err(format!(
            "flights_helper bug: column {name} is {column}, which table functions do not write; please report it"
        ));
    }
    for (i, row) in rows.iter().enumerate() {
        if row.len() != columns.len() {
            return Err(format!(
                "flights_helper bug: row {i} has {} cells for {} columns; please report it",
                row.len(),
                columns.len()
            ));
        }
        if let Some(((name, column), _)) = columns.iter().zip(row).find(|((_, column), cell)| !fits(column, cell)) {
            return Err(format!(
                "flights_helper bug: column {name} ({column}) got a cell of another type in row {i}; please report it"
            ));
        }
    }
    Ok(())
}

/// Writes one column of a chunk, of cells [`check_cells`] checked at bind
/// (a cell of another type would be written as NULL; a debug build stops there).
fn write_column<'c>(
    output: &DataChunkHandle,
    col: usize,
    column_type: &SqlType,
    cells: impl Iterator<Item = &'c SqlValue>,
) {
    let target = &mut ChunkColumn(output, col);
    let list = |cell: &'c SqlValue| if let SqlValue::List(items) = cell { Some(items.iter()) } else { None };
    if *column_type == SqlType::TEXT_LIST {
        list_output(column_type, cells, |cell| Some(list(cell)?.map(item_text))).write_text_list(target);
    } else if *column_type == SqlType::INT_LIST {
        list_output(column_type, cells, |cell| Some(list(cell)?.map(item_int))).write_int_list(target);
    } else if *column_type == SqlType::CONFIG_MAP {
        let map = |cell: &'c SqlValue| if let SqlValue::Map(entries) = cell { Some(entries.iter()) } else { None };
        list_output(column_type, cells, |cell| Some(map(cell)?.map(|(k, v)| (item_text(k), text(v)))))
            .write_map(target);
    } else {
        let mut vector = output.flat_vector(col);
        for (row, cell) in cells.enumerate() {
            match (column_type, cell) {
                (SqlType::Varchar, SqlValue::Text(text)) => vector.insert(row, text.as_str()),
                (SqlType::Boolean, SqlValue::Bool(b)) => write_bool(&mut vector, row, *b),
                (SqlType::Integer(IntType::Int), SqlValue::Int(i)) => write_int(&mut vector, row, *i),
                (SqlType::Integer(IntType::BigInt), SqlValue::BigInt(i)) => write_i64(&mut vector, row, *i),
                // TIMESTAMP WITH TIME ZONE is 64-bit microseconds since the epoch.
                (SqlType::TimestampTz, SqlValue::Timestamp(t)) => write_i64(&mut vector, row, *t),
                (SqlType::Interval, SqlValue::Interval { months, days, micros }) => {
                    write_interval(&mut vector, row, *months, *days, *micros)
                }
                _ => {
                    unchecked(column_type, cell);
                    vector.set_null(row)
                }
            }
        }
    }
}

/// The LIST (or MAP) output of `cells`: the items `items` gives for a cell, else a NULL row.
fn list_output<'c, T, I: Iterator<Item = T>>(
    column: &SqlType,
    cells: impl Iterator<Item = &'c SqlValue>,
    items: impl Fn(&'c SqlValue) -> Option<I>,
) -> ListOutput<T> {
    let mut out = ListOutput::with_rows(0);
    for cell in cells {
        match items(cell) {
            Some(items) => out.push_row(items),
            None => {
                unchecked(column, cell);
                out.push_null()
            }
        }
    }
    out
}

/// A cell [`check_cells`] let through into a column of another type.
fn unchecked(column: &SqlType, cell: &SqlValue) {
    debug_assert!(cell == &SqlValue::Null, "{cell:?} in a {column} column");
}

/// A VARCHAR value's text; `None` for NULL.
fn text(value: &SqlValue) -> Option<&str> {
    match value {
        SqlValue::Text(text) => Some(text),
        other => {
            unchecked(&SqlType::Varchar, other);
            None
        }
    }
}

/// A list item or map key: a VARCHAR, never NULL.
fn item_text(item: &SqlValue) -> &str {
    text(item).unwrap_or_default()
}

/// A list item: an INTEGER, never NULL.
fn item_int(item: &SqlValue) -> i32 {
    match item {
        SqlValue::Int(i) => *i,
        other => {
            unchecked(&SqlType::INTEGER, other);
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_sets_join_in_order() {
        const A: [Column; 2] = [("a", &SqlType::Varchar), ("b", &SqlType::INTEGER)];
        const JOINED: [Column; 3] = columns::<3>(&[&A, &[("c", &SqlType::CONFIG_MAP)]]);
        assert_eq!(JOINED.map(|(name, _)| name), ["a", "b", "c"]);
        assert_eq!(*JOINED[2].1, SqlType::CONFIG_MAP);
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_a_bug_not_a_null() {
        let columns: [Column; 2] = [("name", &SqlType::Varchar), ("n", &SqlType::INTEGER)];
        assert_eq!(
            check_cells(&columns, &[vec!["a".into(), SqlValue::Int(1)], vec![SqlValue::Null, SqlValue::Null]]),
            Ok(())
        );
        let wrong = check_cells(&columns, &[vec!["a".into(), SqlValue::BigInt(1)]]).unwrap_err();
        assert!(wrong.contains("column n (INTEGER)") && wrong.contains("bug"), "{wrong}");
        let short = check_cells(&columns, &[vec!["a".into()]]).unwrap_err();
        assert!(short.contains("1 cells for 2 columns"), "{short}");
        let unwritable = check_cells(&[("s", &SqlType::Any)], &[]).unwrap_err();
        assert!(unwritable.contains("column s is ANY"), "{unwritable}");
        for column in [
            SqlType::Varchar,
            SqlType::Boolean,
            SqlType::INTEGER,
            SqlType::BIGINT,
            SqlType::TimestampTz,
            SqlType::Interval,
            SqlType::TEXT_LIST,
            SqlType::INT_LIST,
            SqlType::CONFIG_MAP,
        ] {
            assert!(writable(&column) && fits(&column, &SqlValue::Null));
        }
    }

    #[test]
    fn list_and_map_cells_fit_by_their_items() {
        let text = |t: &str| SqlValue::Text(t.into());
        assert!(fits(&SqlType::TEXT_LIST, &SqlValue::text_list(["a".to_string()])));
        assert!(fits(&SqlType::INT_LIST, &SqlValue::int_list([1, 2])));
        assert!(fits(
            &SqlType::CONFIG_MAP,
            &SqlValue::config_map(vec![("K".into(), Some("v".into())), ("N".into(), None)])
        ));
        // An item of another type, a NULL item or a NULL key: no writer for it.
        assert!(!fits(&SqlType::TEXT_LIST, &SqlValue::int_list([1])));
        assert!(!fits(&SqlType::TEXT_LIST, &SqlValue::List(vec![text("a"), SqlValue::Null])));
        assert!(!fits(&SqlType::INT_LIST, &SqlValue::List(vec![SqlValue::BigInt(1)])));
        assert!(!fits(&SqlType::CONFIG_MAP, &SqlValue::Map(vec![(SqlValue::Null, text("v"))])));
        assert!(!fits(&SqlType::CONFIG_MAP, &SqlValue::text_list([])));
    }
}
