//! DuckDB's sandbox switch, `enable_external_access` (pure).
//!
//! DuckDB documents `SET enable_external_access = false` as the way to forbid
//! a database from reaching anything outside it (its file readers and
//! `httpfs` refuse, as does `LOAD`: "Loading external extensions is disabled
//! through configuration"). Every function of this extension that would reach
//! MotherDuck's MCP server checks it first, before the token is read or a
//! connection opened. The glue reads the setting of the database the query
//! runs in ([`crate::sql::external_access`], [`crate::sql::table`]) and hands
//! the client a [`Caller`], the [`Gate`] every MotherDuck call asks first.

use crate::motherduck::api::Gate;
use crate::motherduck::{Error, ErrorKind};

/// What `enable_external_access` says where the query runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalAccess {
    Allowed,
    Disabled,
    /// This DuckDB gives an extension no way to read the setting at query
    /// time (a C API before v1.5.6): not enforced, as documented.
    Unknown,
}

impl ExternalAccess {
    /// From the setting's value as DuckDB prints it (`true` / `false`).
    pub fn from_setting(value: Option<&str>) -> ExternalAccess {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("false") => ExternalAccess::Disabled,
            Some("true") => ExternalAccess::Allowed,
            _ => ExternalAccess::Unknown,
        }
    }
}

/// Who asks for the network: the SQL function (for messages) and the setting where it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller<'a> {
    pub function: &'a str,
    pub access: ExternalAccess,
}

impl Caller<'_> {
    /// Refuses when external access is disabled.
    pub fn check(&self) -> Result<(), Error> {
        match self.access {
            ExternalAccess::Disabled => Err(Error::new(
                ErrorKind::Sandbox,
                format!(
                    "{} reaches MotherDuck's MCP server over the network, and external access is disabled through \
                     configuration (enable_external_access = false): nothing was sent and the token was not read",
                    self.function
                ),
            )),
            ExternalAccess::Allowed | ExternalAccess::Unknown => Ok(()),
        }
    }
}

impl Gate for Caller<'_> {
    fn check(&self) -> Result<(), Error> {
        Caller::check(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_refuses_and_names_the_setting() {
        let caller = Caller { function: "motherduck_flight", access: ExternalAccess::from_setting(Some("false")) };
        let err = caller.check().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Sandbox);
        let err = err.message;
        assert!(
            err.starts_with("motherduck_flight reaches") && err.contains("enable_external_access = false"),
            "{err}"
        );
        assert!(err.contains("disabled through configuration"), "{err}");
        for value in [Some("true"), Some("TRUE"), None, Some("maybe")] {
            assert!(Caller { function: "f", access: ExternalAccess::from_setting(value) }.check().is_ok(), "{value:?}");
        }
        assert_eq!(ExternalAccess::from_setting(None), ExternalAccess::Unknown);
    }
}
