//! DuckDB values as plain Rust trees, one vocabulary: the parameters a table
//! function is called with, and the cells of the rows it returns (each of its
//! column's [`SqlType`](super::types::SqlType), checked at bind by `table::check_cells`).
//!
//! duckdb-rs hands parameters over as [`duckdb::vtab::Value`], which reads
//! strings, numbers and lists but has no reader for MAP values. We take the
//! raw `duckdb_value` out of it and walk it with the stable C API
//! (`duckdb_get_map_*`, `duckdb_get_list_*`), owning and destroying every
//! child value exactly once. The result is a [`SqlValue`] that the rest of
//! the glue reads without any FFI.

use crate::flight::ConfigMap;
use duckdb::ffi;
use duckdb::vtab::Value;
use std::ffi::CStr;

/// A DuckDB value as plain Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    Null,
    Text(String),
    Bool(bool),
    /// An INTEGER.
    Int(i32),
    /// A BIGINT. A parameter of any integer type (but UBIGINT) reads as one.
    BigInt(i64),
    /// A TIMESTAMP WITH TIME ZONE: microseconds since the epoch, UTC (`infinity` is `i64::MAX`).
    Timestamp(i64),
    /// An INTERVAL: months, days, microseconds, as DuckDB keeps them.
    Interval {
        months: i32,
        days: i32,
        micros: i64,
    },
    List(Vec<SqlValue>),
    Map(Vec<(SqlValue, SqlValue)>),
    /// A STRUCT: field names (as given) and values, in order.
    Struct(Vec<(String, SqlValue)>),
    /// A value of a type the extension never takes, named as DuckDB names it.
    Other(String),
}

impl SqlValue {
    /// The DuckDB type name of this value's kind, for error messages.
    pub fn kind(&self) -> &str {
        match self {
            SqlValue::Null => "NULL",
            SqlValue::Text(_) => "VARCHAR",
            SqlValue::Bool(_) => "BOOLEAN",
            SqlValue::Int(_) | SqlValue::BigInt(_) => "an integer",
            SqlValue::Timestamp(_) => "a TIMESTAMP WITH TIME ZONE",
            SqlValue::Interval { .. } => "an INTERVAL",
            SqlValue::List(_) => "a LIST",
            SqlValue::Map(_) => "a MAP",
            SqlValue::Struct(_) => "a STRUCT",
            SqlValue::Other(name) => name,
        }
    }

    /// An INTEGER; NULL when absent or out of range.
    pub fn int(value: Option<i64>) -> Self {
        value.and_then(|v| i32::try_from(v).ok()).map_or(SqlValue::Null, SqlValue::Int)
    }

    /// An INTEGER, `i32::MAX` when larger (a line number).
    pub fn saturating_int(value: usize) -> Self {
        SqlValue::Int(i32::try_from(value).unwrap_or(i32::MAX))
    }

    /// A BIGINT; NULL when absent.
    pub fn bigint(value: Option<i64>) -> Self {
        value.map_or(SqlValue::Null, SqlValue::BigInt)
    }

    /// A TIMESTAMP WITH TIME ZONE; NULL when absent.
    pub fn timestamp(value: Option<i64>) -> Self {
        value.map_or(SqlValue::Null, SqlValue::Timestamp)
    }

    /// A `VARCHAR[]` of `items`.
    pub fn text_list(items: impl IntoIterator<Item = String>) -> Self {
        SqlValue::List(items.into_iter().map(SqlValue::Text).collect())
    }

    /// An `INTEGER[]` of `items`.
    pub fn int_list(items: impl IntoIterator<Item = i32>) -> Self {
        SqlValue::List(items.into_iter().map(SqlValue::Int).collect())
    }

    /// A `MAP(VARCHAR, VARCHAR)` of a config map.
    pub fn config_map(map: ConfigMap) -> Self {
        SqlValue::Map(map.into_iter().map(|(k, v)| (SqlValue::Text(k), v.into())).collect())
    }
}

impl From<Option<String>> for SqlValue {
    fn from(value: Option<String>) -> Self {
        value.map_or(SqlValue::Null, SqlValue::Text)
    }
}

impl From<Option<&str>> for SqlValue {
    fn from(value: Option<&str>) -> Self {
        value.map_or(SqlValue::Null, SqlValue::from)
    }
}

impl From<String> for SqlValue {
    fn from(value: String) -> Self {
        SqlValue::Text(value)
    }
}

impl From<&str> for SqlValue {
    fn from(value: &str) -> Self {
        SqlValue::Text(value.to_owned())
    }
}

impl From<bool> for SqlValue {
    fn from(value: bool) -> Self {
        SqlValue::Bool(value)
    }
}

impl From<Option<bool>> for SqlValue {
    fn from(value: Option<bool>) -> Self {
        value.map_or(SqlValue::Null, SqlValue::Bool)
    }
}

/// Nested values deeper than this are reported as [`SqlValue::Other`]
/// instead of being walked (no parameter of ours nests deeper than 3).
const MAX_DEPTH: usize = 16;

/// An owned `duckdb_value`, destroyed on drop.
struct OwnedValue(ffi::duckdb_value);

impl Drop for OwnedValue {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: we own this value and destroy it once.
            unsafe { ffi::duckdb_destroy_value(&mut self.0) };
        }
    }
}

// `Value` is a one-field struct around `duckdb_value`; equal sizes mean that
// field is the whole struct, so moving it out by transmute is sound.
const _: () = assert!(std::mem::size_of::<Value>() == std::mem::size_of::<ffi::duckdb_value>());

impl From<Value> for OwnedValue {
    fn from(value: Value) -> Self {
        // SAFETY: see the size assertion above; `transmute` moves the pointer
        // out without running `Value`'s destructor, so ownership passes to us.
        OwnedValue(unsafe { std::mem::transmute::<Value, ffi::duckdb_value>(value) })
    }
}

/// Converts a parameter value handed over by duckdb-rs.
pub fn from_duckdb(value: Value) -> SqlValue {
    convert(&OwnedValue::from(value), 0)
}

fn convert(value: &OwnedValue, depth: usize) -> SqlValue {
    let v = value.0;
    if v.is_null() {
        return SqlValue::Null;
    }
    // SAFETY: `v` is a live value we own; every child we create is wrapped in
    // an `OwnedValue` and destroyed when it goes out of scope.
    unsafe {
        // A bare NULL arrives typed SQLNULL in DuckDB 2.0 but INTEGER in 1.5:
        // test for NULL before looking at the type.
        if ffi::duckdb_is_null_value(v) {
            return SqlValue::Null;
        }
        let type_id = ffi::duckdb_get_type_id(ffi::duckdb_get_value_type(v));
        if depth >= MAX_DEPTH {
            return SqlValue::Other("a too deeply nested value".into());
        }
        match type_id {
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARCHAR => SqlValue::Text(take_c_string(ffi::duckdb_get_varchar(v))),
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_BOOLEAN => SqlValue::Bool(ffi::duckdb_get_bool(v)),
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_TINYINT
            | ffi::DUCKDB_TYPE_DUCKDB_TYPE_SMALLINT
            | ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTEGER
            | ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIGINT
            | ffi::DUCKDB_TYPE_DUCKDB_TYPE_UTINYINT
            | ffi::DUCKDB_TYPE_DUCKDB_TYPE_USMALLINT
            | ffi::DUCKDB_TYPE_DUCKDB_TYPE_UINTEGER => SqlValue::BigInt(ffi::duckdb_get_int64(v)),
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_TZ => SqlValue::Timestamp(ffi::duckdb_get_timestamp_tz(v).micros),
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_LIST => {
                let n = ffi::duckdb_get_list_size(v);
                let mut items = Vec::with_capacity(usize::try_from(n).unwrap_or(0).min(1 << 20));
                for i in 0..n {
                    items.push(convert(&OwnedValue(ffi::duckdb_get_list_child(v, i)), depth + 1));
                }
                SqlValue::List(items)
            }
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_MAP => {
                let n = ffi::duckdb_get_map_size(v);
                let mut entries = Vec::with_capacity(usize::try_from(n).unwrap_or(0).min(1 << 20));
                for i in 0..n {
                    let key = convert(&OwnedValue(ffi::duckdb_get_map_key(v, i)), depth + 1);
                    let val = convert(&OwnedValue(ffi::duckdb_get_map_value(v, i)), depth + 1);
                    entries.push((key, val));
                }
                SqlValue::Map(entries)
            }
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT => {
                // The value's type is borrowed, not ours to destroy; child names are ours to free.
                let ty = ffi::duckdb_get_value_type(v);
                let n = ffi::duckdb_struct_type_child_count(ty);
                let mut fields = Vec::with_capacity(usize::try_from(n).unwrap_or(0).min(1 << 10));
                for i in 0..n {
                    let name = take_c_string(ffi::duckdb_struct_type_child_name(ty, i));
                    fields.push((name, convert(&OwnedValue(ffi::duckdb_get_struct_child(v, i)), depth + 1)));
                }
                SqlValue::Struct(fields)
            }
            _ => SqlValue::Other(type_name(v)),
        }
    }
}

/// DuckDB's own name for the value's type, e.g. `STRUCT(a INTEGER)`.
unsafe fn type_name(v: ffi::duckdb_value) -> String {
    // SAFETY (caller): `v` is live; its type is borrowed, not destroyed.
    let id = unsafe { ffi::duckdb_get_type_id(ffi::duckdb_get_value_type(v)) };
    match id {
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT => "a STRUCT".into(),
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DOUBLE | ffi::DUCKDB_TYPE_DUCKDB_TYPE_FLOAT => "a floating-point number".into(),
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DECIMAL => "a DECIMAL".into(),
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_ARRAY => "an ARRAY".into(),
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_BLOB => "a BLOB".into(),
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DATE
        | ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP
        | ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME => "a date/time value".into(),
        other => format!("a value of DuckDB type id {other}"),
    }
}

/// Copies and frees a string DuckDB allocated. Invalid UTF-8 is replaced, not trusted.
pub(crate) unsafe fn take_c_string(ptr: *mut std::os::raw::c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY (caller): `ptr` is a NUL-terminated string DuckDB allocated for us.
    let text = unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned();
    unsafe { ffi::duckdb_free(ptr.cast()) };
    text
}
