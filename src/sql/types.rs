//! The DuckDB logical types the extension's signatures use, written once.

use duckdb::core::{LogicalTypeHandle, LogicalTypeId};

/// `VARCHAR`.
pub fn varchar() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Varchar)
}

/// `BOOLEAN`.
pub fn boolean() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Boolean)
}

/// `INTEGER`.
pub fn integer() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Integer)
}

/// `VARCHAR[]`.
pub fn text_list() -> LogicalTypeHandle {
    LogicalTypeHandle::list(&varchar())
}

/// `MAP(VARCHAR, VARCHAR)`: a config map.
pub fn config_map() -> LogicalTypeHandle {
    LogicalTypeHandle::map(&varchar(), &varchar())
}

/// `STRUCT(...)[]` of the given fields.
pub fn struct_list(fields: &[(&str, LogicalTypeHandle)]) -> LogicalTypeHandle {
    LogicalTypeHandle::list(&LogicalTypeHandle::struct_type(fields))
}
