//! Reading DuckDB's `enable_external_access` of the database a query binds
//! in, for the functions that may reach the network ([`crate::sql::sandbox`]).
//!
//! The table function's bind info gives its client context
//! (`duckdb_table_function_get_client_context`), whose
//! `duckdb_client_context_get_config_option` reads the setting as the query
//! sees it: no connection is opened. Both are stable in DuckDB's C API only
//! from v1.5.6, above the v1.2.0 this binary is built against, so they are
//! called only when the host says (`duckdb_library_version`, stable since
//! v0.6.0) it is 1.5.6 or later; on an older host the setting cannot be read
//! at query time and is not enforced (README, "What is sent where").
//!
//! Not taken: keeping the database handle of the entry point (DuckDB frees it
//! when the entry point returns) or a connection opened there (it keeps the
//! database open after its last user closes it: another process then cannot
//! open the file, and its WAL is never checkpointed).

use crate::sql::sandbox::ExternalAccess;
use duckdb::vtab::BindInfo;
use std::sync::OnceLock;

/// The first DuckDB version whose C API has the two functions stable.
const FIRST: (u32, u32, u32) = (1, 5, 6);

/// `v1.5.6`, `v2.0.1-dev12`, ... as numbers.
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().trim_start_matches('v').splitn(3, '.');
    let mut number = || -> Option<u32> {
        let part = parts.next()?;
        part[..part.find(|c: char| !c.is_ascii_digit()).unwrap_or(part.len())].parse().ok()
    };
    Some((number()?, number()?, number()?))
}

/// Whether the host DuckDB lets an extension read a setting while binding
/// (and a scalar function bind at all).
pub fn host_reads_settings() -> bool {
    static READS: OnceLock<bool> = OnceLock::new();
    *READS.get_or_init(|| {
        // SAFETY: DuckDB returns a static NUL-terminated string.
        let version = unsafe { std::ffi::CStr::from_ptr(duckdb::ffi::duckdb_library_version()) };
        parse_version(&version.to_string_lossy()).is_some_and(|v| v >= FIRST)
    })
}

/// `enable_external_access` where `bind` runs.
pub fn external_access(bind: &BindInfo) -> ExternalAccess {
    if !host_reads_settings() {
        return ExternalAccess::Unknown;
    }
    let value = bind.get_config_option("enable_external_access").map(|v| v.to_string());
    ExternalAccess::from_setting(value.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("v1.5.6"), Some((1, 5, 6)));
        assert_eq!(parse_version("v2.0.1-dev12"), Some((2, 0, 1)));
        assert_eq!(parse_version("1.4.4"), Some((1, 4, 4)));
        assert_eq!(parse_version("v1.5"), None);
        assert!(parse_version("v1.5.5").unwrap() < FIRST && parse_version("v1.10.0").unwrap() > FIRST);
    }
}
