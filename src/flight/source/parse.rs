//! The top of the scan: ruff's parser (error-tolerant), the single walk over
//! its typed tree that binds imports, notes aliases, read candidates and
//! credential literals, the syntax errors with their lines, and the entry
//! points [`scan_source`] and [`env_reads`]. It drives the [`Scanner`] as
//! `bindings`, `literals` and `reads` extend it; `depth` keeps the parse,
//! the walk and the tree's drop from exhausting the stack.

use super::depth::{guarded, Guard};
use super::reads::Placed;
use super::scanner::{Candidate, Found, Scanner};
use super::{EnvRead, SourceScan};
use ruff_python_ast::visitor::{walk_expr, walk_interpolated_string_element, walk_stmt, Visitor};
use ruff_python_ast::{
    BytesLiteral, CmpOp, Expr, ExprContext, InterpolatedStringElement, Stmt, StringLiteral, StringLikePart,
};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};
use ruff_text_size::Ranged;

/// At most this many syntax errors are reported.
pub(super) const MAX_SYNTAX_ERRORS: usize = 20;

/// The environment reads of `source` alone (no credential or syntax checks).
pub fn env_reads(source: &str) -> Vec<EnvRead> {
    scan(source, false).reads
}

/// Reads, credential-shaped literals and syntax errors of `source`.
pub fn scan_source(source: &str) -> SourceScan {
    scan(source, true)
}

fn scan(source: &str, full: bool) -> SourceScan {
    // Ruff counts bytes in u32.
    if u32::try_from(source.len()).is_err() {
        return SourceScan::default();
    }
    match guarded(source, || scan_parsed(source, full)) {
        Guard::Ran(scan) => scan,
        Guard::TooDeep(offset) => {
            // Nothing is read from a source nested past any Python's limits:
            // it is a syntax error where the nesting goes too deep.
            let mut out = SourceScan::default();
            if full {
                out.syntax_errors.push(super::lines::LineIndex::new(source).line_column(offset));
            }
            out
        }
    }
}

/// Parses `source`, walks its tree once, and drops it (all on the stack `depth` chose).
fn scan_parsed(source: &str, full: bool) -> SourceScan {
    let parsed = parse_unchecked(source, ParseOptions::from(Mode::Module));
    let mut out = SourceScan::default();
    let Some(module) = parsed.syntax().as_module() else { return out };
    let mut walk = Walk { scanner: Scanner::new(source, parsed.tokens()), found: Found::default(), full, out: &mut out };
    walk.visit_body(&module.body);
    let Walk { mut scanner, found, .. } = walk;
    scanner.collect_names(&found);
    let mut reads: Vec<Placed> = Vec::new();
    for &candidate in &found.candidates {
        scanner.candidate(candidate, &mut reads);
    }
    // Source order: by where the read starts, an enclosing read before the reads inside it.
    reads.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    out.reads = reads.into_iter().map(|(_, _, read)| read).collect();
    // Line order (the walk visits an assignment's value before its targets).
    out.credential_literals.sort_by_key(|&(line, _)| line);
    if full {
        let mut errors: Vec<u32> = parsed.errors().iter().map(|e| e.location.start().into()).collect();
        errors.sort_unstable();
        for offset in errors {
            let at = scanner.lines.line_column(offset);
            if out.syntax_errors.len() >= MAX_SYNTAX_ERRORS {
                break;
            }
            if out.syntax_errors.last().is_none_or(|last| last.0 != at.0) {
                out.syntax_errors.push(at);
            }
        }
    }
    out
}

/// The one walk over the tree.
struct Walk<'a, 'o> {
    scanner: Scanner<'a>,
    found: Found<'a>,
    /// Whether credential literals are looked for.
    full: bool,
    out: &'o mut SourceScan,
}

impl<'a> Visitor<'a> for Walk<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => self.scanner.bind_import(import),
            Stmt::ImportFrom(import) => self.scanner.bind_import_from(import),
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if let Expr::Name(name) = target {
                        self.found.bindings.push((name.id.as_str(), &assign.value));
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let (Expr::Name(name), Some(value)) = (&*assign.target, &assign.value) {
                    self.found.bindings.push((name.id.as_str(), value));
                }
            }
            // `os.environ["X"] += ...` reads the variable first.
            Stmt::AugAssign(assign) => {
                if let Expr::Subscript(subscript) = &*assign.target {
                    self.found.candidates.push(Candidate::Subscript(subscript));
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            // Assigned (`Store`) and deleted (`Del`) subscripts are not reads.
            Expr::Subscript(subscript) if subscript.ctx == ExprContext::Load => {
                self.found.candidates.push(Candidate::Subscript(subscript));
            }
            Expr::Call(call) => self.found.candidates.push(Candidate::Call(call)),
            Expr::Compare(compare) if compare.ops.iter().any(|op| matches!(op, CmpOp::In | CmpOp::NotIn)) => {
                self.found.candidates.push(Candidate::Membership(compare));
            }
            Expr::Named(named) => {
                if let Expr::Name(name) = &*named.target {
                    self.found.bindings.push((name.id.as_str(), &named.value));
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }

    fn visit_string_literal(&mut self, literal: &'a StringLiteral) {
        if self.full {
            let content = StringLikePart::String(literal).content_range();
            self.scanner.content_credentials(content, &mut self.out.credential_literals);
        }
    }

    fn visit_bytes_literal(&mut self, literal: &'a BytesLiteral) {
        if self.full {
            let content = StringLikePart::Bytes(literal).content_range();
            self.scanner.content_credentials(content, &mut self.out.credential_literals);
        }
    }

    fn visit_interpolated_string_element(&mut self, element: &'a InterpolatedStringElement) {
        if let (InterpolatedStringElement::Literal(literal), true) = (element, self.full) {
            self.scanner.content_credentials(literal.range(), &mut self.out.credential_literals);
        }
        walk_interpolated_string_element(self, element);
    }
}
