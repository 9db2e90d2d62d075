//! A Flight's `requirements_txt` and what the source imports from it.
//!
//! One job per file: [`read`] (the requirements text as pip reads it; one
//! line's options in [`options`], one requirement's PEP 508 syntax in
//! [`pep508`], PEP 440 versions and specifiers in [`version`]), [`names`]
//! (which requirement provides an imported module: the standard library, PEP
//! 503 names, the generated tables `table_imports` and `table_stdlib`), and
//! [`rules`] (the findings). Reading is separate from the rules so that a
//! read can be cached per distinct text.

pub mod names;
pub mod options;
pub mod pep508;
pub mod read;
pub mod rules;
mod table_imports;
mod table_stdlib;
pub mod version;

pub use names::{provides, Provided};
pub use read::{normalize, read_requirements, Problem, Requirement, Requirements};
pub use rules::{entry_problems, imported_as, requirement_findings, ImportedName, DUCKDB_WINDOW};

#[cfg(test)]
mod tests;
