//! The shape both layers' errors share ([`crate::flight::Error`],
//! [`crate::motherduck::Error`]): what kind of failure it is (the layer's own
//! `ErrorKind`), and the words a user reads. The SQL glue turns either into
//! DuckDB's error text, its message as is (`crate::sql::error_text`).

use std::fmt;

/// A failure of one layer; `K` is that layer's `ErrorKind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerError<K> {
    /// What kind of failure: callers decide by this, never by the words.
    pub kind: K,
    /// What the user reads (the MotherDuck layer's: token scrubbed).
    pub message: String,
}

impl<K> LayerError<K> {
    pub fn new(kind: K, message: impl Into<String>) -> Self {
        LayerError { kind, message: message.into() }
    }

    /// The same failure, its message after `prefix` (the kind kept).
    pub fn after(self, prefix: &str) -> Self {
        LayerError { kind: self.kind, message: format!("{prefix}{}", self.message) }
    }

    /// The same kind with other words (the old ones given to `f`).
    pub fn map_message(self, f: impl FnOnce(&str) -> String) -> Self {
        LayerError { message: f(&self.message), kind: self.kind }
    }
}

impl<K> fmt::Display for LayerError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl<K: fmt::Debug> std::error::Error for LayerError<K> {}
