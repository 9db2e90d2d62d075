//! Reading a Flight's Python source for the environment variables it reads,
//! and holding each read against the environment its run gets.
//!
//! The source is parsed for real with ruff's Python parser (error-tolerant:
//! a tree and the syntax errors with their places), and its typed tree is
//! walked once, so reads inside comments and strings do not count, aliases do
//! (`import os as o`, `from os import environ as env`, `from os import getenv`,
//! `env = os.environ`), writes and deletes do not (`os.environ["X"] = ...`,
//! `del os.environ["X"]`), and a source with syntax errors still yields what
//! can be read.
//!
//! The parser and its visitor recurse, so `depth` bounds how deep a source
//! can nest before parsing and runs the scan on a stack that holds it (or
//! reports a syntax error past any Python's limits): no input can exhaust
//! the stack. Every helper that follows a chain of nodes is a bounded loop.
//! Nothing here panics on any input.
//!
//! One file per job, each importing only from the files below it:
//! `lines` (the bottom: byte offsets to lines and columns), `scanner` (the
//! `Scanner` state, what a name can be bound to, call arguments), then
//! `bindings` (what names mean: `os`, `os.environ`, aliases), `literals`
//! (string values, redacted display, credential-shaped literals) and `reads`
//! (recognising each kind of read), each extending the scanner; `depth` (the
//! stack guard); `parse` on top of them (the parser and the one walk over the
//! tree: [`scan_source`], [`env_reads`]); `check` (holding reads against the
//! run's variables) and `cache` (each distinct source scanned once) above.
//! A new kind of read goes in `reads`; a new status is a new [`Status`]
//! variant in `check`.

mod bindings;
mod cache;
mod check;
mod depth;
mod lines;
mod literals;
mod parse;
mod reads;
mod scanner;
#[cfg(test)]
mod tests;

pub use cache::ScanCache;
pub use check::{check_source, check_source_where, SourceRow, Status};
pub use parse::{env_reads, scan_source};

/// Whether the run fails when the variable is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `os.environ["X"]`, `os.environ.pop("X")`: a missing variable raises KeyError.
    Required,
    /// A default is given or absence is tested: `os.environ.get`, `os.getenv`, `in`.
    Optional,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Required => "required",
            Access::Optional => "optional",
        }
    }
}

/// One read of an environment variable in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    /// The variable's name; `None` when it is computed at run time.
    pub name: Option<String>,
    /// 1-based line of the read.
    pub line: u32,
    pub access: Access,
    /// What kind of read it is, for messages (`os.environ[...]`, `duckdb.connect("md:...")`).
    pub form: &'static str,
    /// The read as written, with every string literal's contents replaced by `...`
    /// (a literal may hold a secret), and its line: `os.environ[f"..."] at line 12`.
    pub detail: String,
}

/// Everything the source tells about its environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceScan {
    /// Reads in source order.
    pub reads: Vec<EnvRead>,
    /// String literals shaped like credentials: line and kind, never the literal.
    pub credential_literals: Vec<(u32, &'static str)>,
    /// Where the parser found syntax errors: 1-based line and column (in characters),
    /// the first of each line.
    pub syntax_errors: Vec<(u32, u32)>,
}
