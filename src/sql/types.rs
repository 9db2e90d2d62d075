//! The DuckDB logical types the extension's signatures use, written once.

use duckdb::core::{LogicalTypeHandle, LogicalTypeId};

/// `VARCHAR`.
pub fn varchar() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Varchar)
}

/// `ANY`: the argument arrives with its own type (read at execution).
pub fn any() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Any)
}

/// `BIGINT`.
pub fn bigint() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Bigint)
}

/// `TIMESTAMP WITH TIME ZONE`.
pub fn timestamptz() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::TimestampTZ)
}

/// `INTERVAL`.
pub fn interval() -> LogicalTypeHandle {
    LogicalTypeHandle::from(LogicalTypeId::Interval)
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

/// `INTEGER[]`.
pub fn int_list() -> LogicalTypeHandle {
    LogicalTypeHandle::list(&integer())
}

/// `MAP(VARCHAR, VARCHAR)`: a config map.
pub fn config_map() -> LogicalTypeHandle {
    LogicalTypeHandle::map(&varchar(), &varchar())
}

/// `STRUCT(...)[]` of the given fields.
pub fn struct_list(fields: &[(&str, LogicalTypeHandle)]) -> LogicalTypeHandle {
    LogicalTypeHandle::list(&LogicalTypeHandle::struct_type(fields))
}
