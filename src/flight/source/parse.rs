//! The top of the scan: the parser (one per thread), the single walk over
//! the tree that collects imports, bindings, read candidates, credential
//! literals and syntax errors, and the entry points [`scan_source`] and
//! [`env_reads`]. It drives the [`Scanner`] as `bindings`, `literals` and
//! `reads` extend it; nothing below imports from here.

use super::scanner::{line, Found, Scanner};
use super::{EnvRead, SourceScan};
use std::cell::RefCell;
use std::collections::HashSet;
use tree_sitter::{Parser, Tree, TreeCursor};

/// At most this many syntax errors are reported.
pub(super) const MAX_SYNTAX_ERRORS: usize = 20;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn new_parser() -> Option<Parser> {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_python::LANGUAGE.into()).ok()?;
    Some(parser)
}

/// Parses with this thread's parser (made once), or a fresh one if it is busy.
fn parse(source: &str) -> Option<Tree> {
    // tree-sitter counts bytes in u32.
    if u32::try_from(source.len()).is_err() {
        return None;
    }
    let run = |parser: &mut Parser| {
        let tree = parser.parse(source, None);
        if tree.is_none() {
            parser.reset();
        }
        tree
    };
    PARSER
        .try_with(|cell| {
            let Ok(mut slot) = cell.try_borrow_mut() else { return new_parser().and_then(|mut p| run(&mut p)) };
            if slot.is_none() {
                *slot = new_parser();
            }
            slot.as_mut().and_then(run)
        })
        .ok()
        .flatten()
}

/// The environment reads of `source` alone (no credential or syntax checks).
pub fn env_reads(source: &str) -> Vec<EnvRead> {
    scan(source, false).reads
}

/// Reads, credential-shaped literals and syntax errors of `source`.
pub fn scan_source(source: &str) -> SourceScan {
    scan(source, true)
}

fn scan(source: &str, full: bool) -> SourceScan {
    let mut out = SourceScan::default();
    let Some(tree) = parse(source) else { return out };
    let root = tree.root_node();
    let mut scanner = Scanner::new(source);
    scanner.tokens_whole = !root.has_error();
    let mut found = Found::default();
    let check_errors = full && root.has_error();
    let mut error_end = 0usize;
    let mut error_lines = HashSet::new();
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if check_errors && (node.is_error() || node.is_missing()) && node.start_byte() >= error_end {
            // The first position of each outermost error, one per line.
            error_end = node.end_byte().max(node.start_byte() + 1);
            let at = (line(node), scanner.column(node));
            if out.syntax_errors.len() < MAX_SYNTAX_ERRORS && error_lines.insert(at.0) {
                out.syntax_errors.push(at);
            }
        }
        if scanner.visit(&mut cursor, &mut found, full, &mut out) {
            if cursor.goto_first_child() {
                continue;
            }
            scanner.leaf(node);
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                scanner.collect_names(&found);
                for &node in &found.candidates {
                    let kind = node.kind_id();
                    if kind == scanner.ids.subscript {
                        scanner.subscript(node, &mut out.reads);
                    } else if kind == scanner.ids.call {
                        scanner.call(node, &mut out.reads);
                    } else {
                        scanner.membership(node, &mut out.reads);
                    }
                }
                return out;
            }
        }
    }
}

impl<'s> Scanner<'s> {
    /// Notes what one node of the walk is: an import, a binding, a written
    /// target, a read candidate, a string literal to check for credentials.
    /// Whether the walk goes into its children: not into a string literal
    /// without interpolations or errors (nothing in it is code).
    fn visit<'t>(
        &mut self,
        cursor: &mut TreeCursor<'t>,
        found: &mut Found<'t>,
        full: bool,
        out: &mut SourceScan,
    ) -> bool {
        let node = cursor.node();
        let ids = self.ids;
        let kind = node.kind_id();
        if kind == ids.subscript || kind == ids.call || kind == ids.comparison_operator {
            found.candidates.push(node);
        } else if kind == ids.string {
            let interpolated = self.string_literal(cursor, full.then_some(&mut out.credential_literals));
            return interpolated || node.has_error();
        } else if kind == ids.import_statement || kind == ids.import_from_statement {
            found.imports.push(node);
        } else if kind == ids.assignment {
            if let Some(left) = node.child_by_field_id(ids.f_left) {
                self.mark_targets(left);
                if left.kind_id() == ids.identifier {
                    found.bindings.push((left, node));
                }
            }
        } else if kind == ids.named_expression {
            if let Some(name) = node.child_by_field_id(ids.f_name) {
                found.bindings.push((name, node));
            }
        } else if kind == ids.for_statement {
            if let Some(left) = node.child_by_field_id(ids.f_left) {
                self.mark_targets(left);
            }
        } else if kind == ids.delete_statement {
            self.mark_targets(node);
        }
        true
    }
}
