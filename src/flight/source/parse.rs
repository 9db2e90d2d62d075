//! The parser (one per thread) and the single walk over the tree that
//! collects imports, bindings, read candidates, credential literals and
//! syntax errors; the [`Scanner`] every other file extends.

use super::bindings::Binding;
use super::{EnvRead, SourceScan};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use tree_sitter::{Node, Parser, Tree};

/// At most this many syntax errors are reported.
pub(super) const MAX_SYNTAX_ERRORS: usize = 20;

/// Bound on the loops that follow a chain of nodes (parentheses, `.copy()`, `+`).
pub(super) const MAX_CHAIN: usize = 256;

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
        match node.kind() {
            "import_statement" | "import_from_statement" => found.imports.push(node),
            "assignment" => {
                if let Some(left) = node.child_by_field_name("left") {
                    scanner.mark_targets(left);
                    if left.kind() == "identifier" {
                        found.bindings.push((left, node));
                    }
                }
            }
            "named_expression" => {
                if let Some(name) = node.child_by_field_name("name") {
                    found.bindings.push((name, node));
                }
            }
            "for_statement" => {
                if let Some(left) = node.child_by_field_name("left") {
                    scanner.mark_targets(left);
                }
            }
            "delete_statement" => scanner.mark_targets(node),
            "subscript" | "call" | "comparison_operator" => found.candidates.push(node),
            "string" if full => scanner.credentials(node, &mut out.credential_literals),
            _ => {}
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                scanner.collect_names(&found);
                for &node in &found.candidates {
                    match node.kind() {
                        "subscript" => scanner.subscript(node, &mut out.reads),
                        "call" => scanner.call(node, &mut out.reads),
                        _ => scanner.membership(node, &mut out.reads),
                    }
                }
                return out;
            }
        }
    }
}

pub(super) fn line(node: Node) -> u32 {
    u32::try_from(node.start_position().row.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The nodes of one walk that matter once every alias is known.
#[derive(Default)]
pub(super) struct Found<'t> {
    pub(super) imports: Vec<Node<'t>>,
    /// `(bound identifier, assignment or named expression)`.
    pub(super) bindings: Vec<(Node<'t>, Node<'t>)>,
    pub(super) candidates: Vec<Node<'t>>,
}

pub(super) struct Scanner<'s> {
    pub(super) src: &'s str,
    /// Names bound to `os`, `os.environ`, ... `os` and `duckdb` are bound from the start.
    pub(super) names: HashMap<&'s str, Binding>,
    /// Subscripts that are assigned or deleted, not read (node ids).
    pub(super) targets: HashSet<usize>,
}

impl<'s> Scanner<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        let names = HashMap::from([("os", Binding::Os), ("duckdb", Binding::Duckdb)]);
        Scanner { src, names, targets: HashSet::new() }
    }

    pub(super) fn text(&self, node: Node) -> &'s str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// 1-based column of the node's start, in characters.
    pub(super) fn column(&self, node: Node) -> u32 {
        let bytes = node.start_position().column;
        let start = node.start_byte();
        let chars = start
            .checked_sub(bytes)
            .and_then(|line_start| self.src.get(line_start..start))
            .map_or(bytes, |prefix| prefix.chars().count());
        u32::try_from(chars.saturating_add(1)).unwrap_or(u32::MAX)
    }

    pub(super) fn binding(&self, node: Node) -> Option<Binding> {
        (node.kind() == "identifier").then(|| self.names.get(self.text(node)).copied()).flatten()
    }
}

/// The expression inside any number of parentheses.
pub(super) fn unparenthesize(node: Node) -> Node {
    let mut node = node;
    for _ in 0..MAX_CHAIN {
        if node.kind() != "parenthesized_expression" {
            break;
        }
        let mut cursor = node.walk();
        let mut inner = node.named_children(&mut cursor).filter(|c| c.kind() != "comment");
        match (inner.next(), inner.next()) {
            (Some(only), None) => node = only,
            _ => break,
        }
    }
    node
}
