//! DuckDB types read off a vector through the C API, as a plain tree: for
//! matching a Flight row's fields by name and type at execution, and for
//! naming a type in an error the way DuckDB names it.

use super::value::take_c_string;
use duckdb::ffi;
use std::fmt;

/// A DuckDB type as a tree, for matching fields and naming types in errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    Varchar,
    Boolean,
    /// An integer type of at most 64 bits.
    Integer(IntType),
    Null,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Struct(Vec<(String, Ty)>),
    Other(&'static str),
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Varchar => write!(f, "VARCHAR"),
            Ty::Boolean => write!(f, "BOOLEAN"),
            Ty::Integer(int) => write!(f, "{}", int.name()),
            Ty::Null => write!(f, "\"NULL\""),
            Ty::List(child) => write!(f, "{child}[]"),
            Ty::Map(k, v) => write!(f, "MAP({k}, {v})"),
            Ty::Struct(fields) => {
                write!(f, "STRUCT(")?;
                for (i, (name, ty)) in fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{name} {ty}")?;
                }
                write!(f, ")")
            }
            Ty::Other(name) => write!(f, "{name}"),
        }
    }
}

/// The integer types a field of kind `Integer` accepts (HUGEINT and DECIMAL are not integers of ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntType {
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    UTinyInt,
    USmallInt,
    UInt,
    UBigInt,
}

impl IntType {
    pub(crate) fn name(self) -> &'static str {
        match self {
            IntType::TinyInt => "TINYINT",
            IntType::SmallInt => "SMALLINT",
            IntType::Int => "INTEGER",
            IntType::BigInt => "BIGINT",
            IntType::UTinyInt => "UTINYINT",
            IntType::USmallInt => "USMALLINT",
            IntType::UInt => "UINTEGER",
            IntType::UBigInt => "UBIGINT",
        }
    }

    fn of(id: ffi::duckdb_type) -> Option<IntType> {
        Some(match id {
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_TINYINT => IntType::TinyInt,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_SMALLINT => IntType::SmallInt,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTEGER => IntType::Int,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIGINT => IntType::BigInt,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_UTINYINT => IntType::UTinyInt,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_USMALLINT => IntType::USmallInt,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_UINTEGER => IntType::UInt,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_UBIGINT => IntType::UBigInt,
            _ => return None,
        })
    }
}

/// Nesting deeper than this is named, not walked (no field of ours nests deeper than 3).
const MAX_TYPE_DEPTH: usize = 8;

/// An owned `duckdb_logical_type`, destroyed on drop.
struct OwnedType(ffi::duckdb_logical_type);

impl Drop for OwnedType {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: we own this type and destroy it once.
            unsafe { ffi::duckdb_destroy_logical_type(&mut self.0) };
        }
    }
}

fn ty_of(ltype: &OwnedType, depth: usize) -> Ty {
    let t = ltype.0;
    // SAFETY: `t` is live; every child type we get is wrapped and destroyed.
    unsafe {
        let id = ffi::duckdb_get_type_id(t);
        if depth >= MAX_TYPE_DEPTH
            && matches!(
                id,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_LIST
                    | ffi::DUCKDB_TYPE_DUCKDB_TYPE_MAP
                    | ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT
            )
        {
            return Ty::Other("a deeply nested type");
        }
        match id {
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARCHAR => Ty::Varchar,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_BOOLEAN => Ty::Boolean,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_SQLNULL => Ty::Null,
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_LIST => {
                Ty::List(Box::new(ty_of(&OwnedType(ffi::duckdb_list_type_child_type(t)), depth + 1)))
            }
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_MAP => Ty::Map(
                Box::new(ty_of(&OwnedType(ffi::duckdb_map_type_key_type(t)), depth + 1)),
                Box::new(ty_of(&OwnedType(ffi::duckdb_map_type_value_type(t)), depth + 1)),
            ),
            ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT => {
                let n = ffi::duckdb_struct_type_child_count(t);
                (0..n)
                    .map(|i| {
                        let name = take_c_string(ffi::duckdb_struct_type_child_name(t, i));
                        (name, ty_of(&OwnedType(ffi::duckdb_struct_type_child_type(t, i)), depth + 1))
                    })
                    .collect::<Vec<_>>()
                    .pipe(Ty::Struct)
            }
            other => IntType::of(other).map_or_else(|| Ty::Other(scalar_type_name(other)), Ty::Integer),
        }
    }
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

fn scalar_type_name(id: ffi::duckdb_type) -> &'static str {
    match id {
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TINYINT => "TINYINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_SMALLINT => "SMALLINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTEGER => "INTEGER",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIGINT => "BIGINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_HUGEINT => "HUGEINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UTINYINT => "UTINYINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_USMALLINT => "USMALLINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UINTEGER => "UINTEGER",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UBIGINT => "UBIGINT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_FLOAT => "FLOAT",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DOUBLE => "DOUBLE",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DECIMAL => "DECIMAL",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP => "TIMESTAMP",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_TZ => "TIMESTAMP WITH TIME ZONE",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_DATE => "DATE",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME => "TIME",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTERVAL => "INTERVAL",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_BLOB => "BLOB",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UUID => "UUID",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_ENUM => "an ENUM",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_ARRAY => "an ARRAY",
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_UNION => "a UNION",
        _ => "another type",
    }
}

/// The type of `vector`, as a tree.
///
/// # Safety
/// `vector` must be a live vector.
pub(crate) unsafe fn vector_type(vector: ffi::duckdb_vector) -> Ty {
    // SAFETY (caller): the vector is live; its type is ours to destroy.
    ty_of(&OwnedType(unsafe { ffi::duckdb_vector_get_column_type(vector) }), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_map_ty() -> Ty {
        Ty::Map(Box::new(Ty::Varchar), Box::new(Ty::Varchar))
    }

    #[test]
    fn types_are_named_as_duckdb_names_them() {
        let secrets = Ty::Map(Box::new(Ty::Varchar), Box::new(Ty::List(Box::new(Ty::Varchar))));
        assert_eq!(secrets.to_string(), "MAP(VARCHAR, VARCHAR[])");
        let row = Ty::Struct(vec![("config".into(), text_map_ty()), ("n".into(), Ty::Integer(IntType::Int))]);
        assert_eq!(row.to_string(), "STRUCT(config MAP(VARCHAR, VARCHAR), n INTEGER)");
        assert_eq!(Ty::Null.to_string(), "\"NULL\"");
    }
}
