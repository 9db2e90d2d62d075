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
//! (string values, credential-shaped literals) and `reads`
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
mod facts;
#[cfg(test)]
mod facts_tests;
mod inline_metadata;
mod lines;
mod literals;
mod parse;
mod reads;
mod scanner;
#[cfg(test)]
mod tests;

pub use cache::ScanCache;
pub use check::{check_source, check_source_where, SourceRow, Status};
pub use inline_metadata::inline_script_metadata;
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
    /// Every absolute import, at any depth, in source order.
    pub imports: Vec<Import>,
    /// The functions defined at module level (also inside a module-level `if` or `try`).
    pub functions: Vec<DefinedFunction>,
    /// Whether module-level statements do work of their own (a call that is
    /// not set-up such as `logging.basicConfig(...)`, a loop, a `with`).
    pub module_does_work: bool,
    /// Handlers in the entry function or at module level that catch every
    /// exception with nothing after them that fails the run.
    pub swallowed: Vec<SwallowedFailure>,
    /// The variables the source sets itself (`os.environ["X"] = ...`), in
    /// source order: the name (`None`: computed at run time) and the line.
    pub env_writes: Vec<(Option<String>, u32)>,
    /// The 1-based line of a PEP 723 `# /// script` block (the first), which
    /// Flights ignore ([`inline_script_metadata`]); `None`: no such block.
    pub inline_metadata: Option<u32>,
}

/// One import: `import a.b.c` is module `a.b.c` with no names, `import a.b as x`
/// module `a.b`, `from a.b import c, d` module `a.b` with names `c`, `d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub module: String,
    pub names: Vec<String>,
    /// 1-based line of the import statement.
    pub line: u32,
    /// Inside a `try:` whose handlers tolerate a failed import (`ImportError`,
    /// `ModuleNotFoundError`, `Exception`, `BaseException`, a bare `except:`),
    /// or inside `if TYPE_CHECKING:`.
    pub optional: bool,
}

/// A function defined at module level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinedFunction {
    pub name: String,
    /// 1-based line of its `def`.
    pub line: u32,
    /// Whether a module-level statement runs it: calls it, a method or attribute
    /// of it, or passes it on (`asyncio.run(main())`, `typer.run(main)`).
    pub runs: bool,
}

/// A handler that catches every exception and lets the run succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwallowedFailure {
    /// 1-based line of the `except`.
    pub line: u32,
    /// The entry function it is in; `None` at module level.
    pub function: Option<String>,
    /// What it catches: `Exception`, `BaseException`, `everything (a bare except:)`.
    pub catches: &'static str,
}

impl SourceScan {
    /// The function the `entry_point_missing` rule names (`main` if defined,
    /// else the first): the source defines functions, runs none of them at
    /// module level, and its module level does no work of its own. `None`
    /// for a source with syntax errors (the syntax error comes first).
    pub fn entry_point_missing(&self) -> Option<&DefinedFunction> {
        if !self.syntax_errors.is_empty() || self.module_does_work || self.functions.iter().any(|f| f.runs) {
            return None;
        }
        self.functions.iter().find(|f| f.name == "main").or(self.functions.first())
    }

    /// The handlers the `failure_swallowed` rule reports (none for a source with syntax errors).
    pub fn swallowed_failures(&self) -> &[SwallowedFailure] {
        if self.syntax_errors.is_empty() {
            &self.swallowed
        } else {
            &[]
        }
    }
}
