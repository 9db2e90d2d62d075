//! The DuckDB types of the glue, one vocabulary: [`SqlType`] declares a
//! signature or an output column (as a duckdb-rs [`LogicalTypeHandle`] or a raw
//! C API [`RawType`]), is read off a vector whose type comes at execution
//! ([`vector_type`]: an `ANY` argument), and names a type in an error the way
//! DuckDB names it (`Display`).
//!
//! A new type: a variant, its id in `leaf_id` (or a branch in the two builders
//! for a nested one), its name in `Display`, and where it is read in `from_raw`.

use super::value::take_c_string;
use duckdb::core::{LogicalTypeHandle, LogicalTypeId};
use duckdb::ffi;
use duckdb::vscalar::ScalarFunctionSignature;
use std::ffi::CString;
use std::fmt;
use std::ops::Deref;

/// A DuckDB type, as a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlType {
    /// `ANY` (a parameter only): the argument arrives with its own type, read at execution.
    Any,
    /// `"NULL"`: the type of a bare `NULL` (and the item type of `[]`).
    Null,
    Varchar,
    Boolean,
    /// An integer type of at most 64 bits ([`SqlType::INTEGER`], [`SqlType::BIGINT`], ...).
    Integer(IntType),
    /// `TIMESTAMP WITH TIME ZONE` (values: microseconds since the epoch, UTC).
    TimestampTz,
    /// `INTERVAL` (values: months, days, microseconds, as DuckDB keeps them).
    Interval,
    List(Nested),
    Map(Nested, Nested),
    Struct(Vec<(String, SqlType)>),
    /// A type the extension never declares, read off a vector and named as DuckDB names it.
    Other(&'static str),
}

/// The child of a LIST or MAP type: a constant (a declared column, e.g.
/// [`SqlType::TEXT_LIST`]) or a type built or read at run time.
#[derive(Clone)]
pub enum Nested {
    Const(&'static SqlType),
    Owned(Box<SqlType>),
}

impl Deref for Nested {
    type Target = SqlType;
    fn deref(&self) -> &SqlType {
        match self {
            Nested::Const(ty) => ty,
            Nested::Owned(ty) => ty,
        }
    }
}

impl PartialEq for Nested {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Nested {}

impl fmt::Debug for Nested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl SqlType {
    /// `INTEGER`.
    pub const INTEGER: SqlType = SqlType::Integer(IntType::Int);
    /// `BIGINT`.
    pub const BIGINT: SqlType = SqlType::Integer(IntType::BigInt);
    /// `VARCHAR[]`.
    pub const TEXT_LIST: SqlType = SqlType::List(Nested::Const(&SqlType::Varchar));
    /// `INTEGER[]`.
    pub const INT_LIST: SqlType = SqlType::List(Nested::Const(&SqlType::INTEGER));
    /// `MAP(VARCHAR, VARCHAR)`: a config map.
    pub const CONFIG_MAP: SqlType = SqlType::Map(Nested::Const(&SqlType::Varchar), Nested::Const(&SqlType::Varchar));

    /// `<item>[]`.
    pub fn list(item: SqlType) -> SqlType {
        SqlType::List(Nested::Owned(Box::new(item)))
    }

    /// `STRUCT(name type, ...)`.
    pub fn struct_of(fields: &[(&str, SqlType)]) -> SqlType {
        SqlType::Struct(fields.iter().map(|(name, ty)| (name.to_string(), ty.clone())).collect())
    }

    /// `STRUCT(name type, ...)[]`.
    pub fn struct_list(fields: &[(&str, SqlType)]) -> SqlType {
        SqlType::list(SqlType::struct_of(fields))
    }

    /// The C API id of a type that has no children; `None` for LIST, MAP and STRUCT.
    fn leaf_id(&self) -> Option<ffi::duckdb_type> {
        Some(match self {
            SqlType::Any => ffi::DUCKDB_TYPE_DUCKDB_TYPE_ANY,
            SqlType::Null => ffi::DUCKDB_TYPE_DUCKDB_TYPE_SQLNULL,
            SqlType::Varchar => ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARCHAR,
            SqlType::Boolean => ffi::DUCKDB_TYPE_DUCKDB_TYPE_BOOLEAN,
            SqlType::Integer(int) => int.id(),
            SqlType::TimestampTz => ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_TZ,
            SqlType::Interval => ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTERVAL,
            SqlType::Other(name) => {
                debug_assert!(false, "{name} is read, never declared");
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_SQLNULL
            }
            SqlType::List(_) | SqlType::Map(..) | SqlType::Struct(_) => return None,
        })
    }

    /// The type as duckdb-rs declares it (table function parameters and columns, duckdb-rs scalars).
    pub fn handle(&self) -> LogicalTypeHandle {
        match self {
            SqlType::List(item) => LogicalTypeHandle::list(&item.handle()),
            SqlType::Map(key, value) => LogicalTypeHandle::map(&key.handle(), &value.handle()),
            SqlType::Struct(fields) => {
                let fields: Vec<(&str, LogicalTypeHandle)> =
                    fields.iter().map(|(name, ty)| (name.as_str(), ty.handle())).collect();
                LogicalTypeHandle::struct_type(&fields)
            }
            leaf => LogicalTypeHandle::from(LogicalTypeId::from(leaf.leaf_id().unwrap_or_default())),
        }
    }

    /// The type built with the C API (scalars registered through [`super::scalar`]).
    pub fn raw(&self) -> RawType {
        // SAFETY: each call creates a new type we own; children are live for the call and copied by DuckDB.
        RawType(unsafe {
            match self {
                SqlType::List(item) => ffi::duckdb_create_list_type(item.raw().0),
                SqlType::Map(key, value) => ffi::duckdb_create_map_type(key.raw().0, value.raw().0),
                SqlType::Struct(fields) => {
                    let names: Vec<CString> = fields
                        .iter()
                        .map(|(name, _)| CString::new(name.replace('\0', "")).unwrap_or_default())
                        .collect();
                    let mut name_ptrs: Vec<*const std::os::raw::c_char> = names.iter().map(|n| n.as_ptr()).collect();
                    let children: Vec<RawType> = fields.iter().map(|(_, ty)| ty.raw()).collect();
                    let mut types: Vec<ffi::duckdb_logical_type> = children.iter().map(|t| t.0).collect();
                    ffi::duckdb_create_struct_type(types.as_mut_ptr(), name_ptrs.as_mut_ptr(), fields.len() as u64)
                }
                leaf => ffi::duckdb_create_logical_type(leaf.leaf_id().unwrap_or_default()),
            }
        })
    }

    /// The type `raw` describes, walked `depth` levels below the top.
    fn from_raw(raw: &RawType, depth: usize) -> SqlType {
        let t = raw.0;
        // SAFETY: `t` is live; every child type we get is wrapped and destroyed.
        unsafe {
            let id = ffi::duckdb_get_type_id(t);
            let nested = matches!(
                id,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_LIST
                    | ffi::DUCKDB_TYPE_DUCKDB_TYPE_MAP
                    | ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT
            );
            if depth >= MAX_TYPE_DEPTH && nested {
                return SqlType::Other("a deeply nested type");
            }
            let child = |child: ffi::duckdb_logical_type| SqlType::from_raw(&RawType(child), depth + 1);
            match id {
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARCHAR => SqlType::Varchar,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_BOOLEAN => SqlType::Boolean,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_SQLNULL => SqlType::Null,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_TZ => SqlType::TimestampTz,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTERVAL => SqlType::Interval,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_LIST => SqlType::list(child(ffi::duckdb_list_type_child_type(t))),
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_MAP => SqlType::Map(
                    Nested::Owned(Box::new(child(ffi::duckdb_map_type_key_type(t)))),
                    Nested::Owned(Box::new(child(ffi::duckdb_map_type_value_type(t)))),
                ),
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT => SqlType::Struct(
                    (0..ffi::duckdb_struct_type_child_count(t))
                        .map(|i| {
                            let name = take_c_string(ffi::duckdb_struct_type_child_name(t, i));
                            (name, child(ffi::duckdb_struct_type_child_type(t, i)))
                        })
                        .collect(),
                ),
                other => IntType::of(other).map_or_else(|| SqlType::Other(other_type_name(other)), SqlType::Integer),
            }
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::Any => write!(f, "ANY"),
            SqlType::Null => write!(f, "\"NULL\""),
            SqlType::Varchar => write!(f, "VARCHAR"),
            SqlType::Boolean => write!(f, "BOOLEAN"),
            SqlType::Integer(int) => write!(f, "{}", int.name()),
            SqlType::TimestampTz => write!(f, "TIMESTAMP WITH TIME ZONE"),
            SqlType::Interval => write!(f, "INTERVAL"),
            SqlType::List(item) => write!(f, "{}[]", **item),
            SqlType::Map(k, v) => write!(f, "MAP({}, {})", **k, **v),
            SqlType::Struct(fields) => {
                write!(f, "STRUCT(")?;
                for (i, (name, ty)) in fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{name} {ty}")?;
                }
                write!(f, ")")
            }
            SqlType::Other(name) => write!(f, "{name}"),
        }
    }
}

/// The signature of a duckdb-rs scalar: exactly these parameters, this return type.
pub fn signature(params: Vec<SqlType>, returns: SqlType) -> ScalarFunctionSignature {
    ScalarFunctionSignature::exact(params.iter().map(SqlType::handle).collect(), returns.handle())
}

/// The integer types of at most 64 bits (HUGEINT and DECIMAL are not integers of ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntType {
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    UTinyInt,
    USmallInt,
    UInt,
    UBigInt,
}

/// Each integer type, its C API id and its DuckDB name.
const INT_TYPES: [(IntType, ffi::duckdb_type, &str); 8] = [
    (IntType::TinyInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_TINYINT, "TINYINT"),
    (IntType::SmallInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_SMALLINT, "SMALLINT"),
    (IntType::Int, ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTEGER, "INTEGER"),
    (IntType::BigInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIGINT, "BIGINT"),
    (IntType::UTinyInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_UTINYINT, "UTINYINT"),
    (IntType::USmallInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_USMALLINT, "USMALLINT"),
    (IntType::UInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_UINTEGER, "UINTEGER"),
    (IntType::UBigInt, ffi::DUCKDB_TYPE_DUCKDB_TYPE_UBIGINT, "UBIGINT"),
];

impl IntType {
    fn entry(self) -> (IntType, ffi::duckdb_type, &'static str) {
        INT_TYPES[self as usize]
    }

    /// DuckDB's name of the type.
    pub fn name(self) -> &'static str {
        self.entry().2
    }

    fn id(self) -> ffi::duckdb_type {
        self.entry().1
    }

    fn of(id: ffi::duckdb_type) -> Option<IntType> {
        INT_TYPES.iter().find(|(_, i, _)| *i == id).map(|(int, _, _)| *int)
    }
}

/// Nesting deeper than this is named, not walked (no type of ours nests deeper than 3).
const MAX_TYPE_DEPTH: usize = 8;

/// DuckDB's name of a type the extension never declares (in errors: "got <name>").
fn other_type_name(id: ffi::duckdb_type) -> &'static str {
    match id {
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_HUGEINT => "HUGEINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_FLOAT => "FLOAT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DOUBLE => "DOUBLE",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DECIMAL => "DECIMAL",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP => "TIMESTAMP",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DATE => "DATE",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME => "TIME",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_BLOB => "BLOB",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UUID => "UUID",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_ENUM => "an ENUM",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_ARRAY => "an ARRAY",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UNION => "a UNION",
        _ => "another type",
    }
}

/// An owned C API `duckdb_logical_type`, destroyed on drop.
pub struct RawType(ffi::duckdb_logical_type);

impl RawType {
    /// The C API handle, live as long as `self`.
    pub fn as_ptr(&self) -> ffi::duckdb_logical_type {
        self.0
    }
}

impl Drop for RawType {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: we own this type and destroy it once.
            unsafe { ffi::duckdb_destroy_logical_type(&mut self.0) };
        }
    }
}

/// The type of `vector`, as a tree.
///
/// # Safety
/// `vector` must be a live vector.
pub(crate) unsafe fn vector_type(vector: ffi::duckdb_vector) -> SqlType {
    // SAFETY (caller): the vector is live; its type is ours to destroy.
    SqlType::from_raw(&RawType(unsafe { ffi::duckdb_vector_get_column_type(vector) }), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_named_as_duckdb_names_them() {
        let secrets = SqlType::Map(Nested::Const(&SqlType::Varchar), Nested::Const(&SqlType::TEXT_LIST));
        assert_eq!(secrets.to_string(), "MAP(VARCHAR, VARCHAR[])");
        let row = SqlType::struct_of(&[("config", SqlType::CONFIG_MAP), ("n", SqlType::INTEGER)]);
        assert_eq!(row.to_string(), "STRUCT(config MAP(VARCHAR, VARCHAR), n INTEGER)");
        assert_eq!(SqlType::Null.to_string(), "\"NULL\"");
        assert_eq!(SqlType::TimestampTz.to_string(), "TIMESTAMP WITH TIME ZONE");
        assert_eq!(SqlType::INT_LIST.to_string(), "INTEGER[]");
    }

    #[test]
    fn a_type_built_at_run_time_equals_its_constant() {
        assert_eq!(SqlType::list(SqlType::Varchar), SqlType::TEXT_LIST);
        assert_ne!(SqlType::list(SqlType::BIGINT), SqlType::INT_LIST);
    }

    #[test]
    fn integer_types_map_to_their_ids_and_back() {
        for (int, id, name) in INT_TYPES {
            assert_eq!((int.id(), int.name(), IntType::of(id)), (id, name, Some(int)));
        }
    }
}
