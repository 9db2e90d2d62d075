//! The top of the scan: ruff's parser (error-tolerant), the single walk over
//! its typed tree that binds imports, notes aliases, read candidates and
//! credential literals, the syntax errors with their lines, and the entry
//! points [`scan_source`] and [`env_reads`]. It drives the [`Scanner`] as
//! `bindings`, `literals` and `reads` extend it; `depth` keeps the parse,
//! the walk and the tree's drop from exhausting the stack.

use super::depth::{guarded, Guard};
use super::facts::{Facts, Scope};
use super::lines::LineIndex;
use super::reads::Placed;
use super::scanner::{Candidate, Found, Scanner};
use super::{EnvRead, SourceScan};
use ruff_python_ast::visitor::{walk_expr, walk_interpolated_string_element, walk_stmt, Visitor};
use ruff_python_ast::{
    BytesLiteral, CmpOp, Expr, ExprContext, InterpolatedStringElement, Stmt, StmtClassDef, StmtFunctionDef, StmtIf,
    StmtTry, StringLikePart, StringLiteral,
};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};
use ruff_text_size::Ranged;

/// At most this many syntax errors are reported.
pub(super) const MAX_SYNTAX_ERRORS: usize = 20;

/// The environment reads of `source` alone (no credential or syntax checks).
pub fn env_reads(source: &str) -> Vec<EnvRead> {
    scan(source, false).reads
}

/// Reads, credential-shaped literals, syntax errors, imports, the entry
/// point's facts and the PEP 723 block of `source`.
pub fn scan_source(source: &str) -> SourceScan {
    let mut out = scan(source, true);
    // A comment block: read from the text, whatever the parser made of it.
    out.inline_metadata = super::inline_script_metadata(source);
    out
}

fn scan(source: &str, full: bool) -> SourceScan {
    // Ruff counts bytes in u32.
    if u32::try_from(source.len()).is_err() {
        return SourceScan::default();
    }
    let lines = LineIndex::new(source);
    match guarded(source, &lines, || scan_parsed(source, &lines, full)) {
        Guard::Ran(scan) => scan,
        Guard::TooDeep(offset) => {
            // Nothing is read from a source nested past any Python's limits:
            // it is a syntax error where the nesting goes too deep.
            let mut out = SourceScan::default();
            if full {
                out.syntax_errors.push(lines.line_column(offset));
            }
            out
        }
    }
}

/// Parses `source`, walks its tree once, and drops it (all on the stack `depth` chose).
fn scan_parsed(source: &str, lines: &LineIndex, full: bool) -> SourceScan {
    let parsed = parse_unchecked(source, ParseOptions::from(Mode::Module));
    let mut out = SourceScan::default();
    let Some(module) = parsed.syntax().as_module() else { return out };
    let scanner = Scanner::new(source, lines);
    // About one call or subscript per eight tokens: the candidates rarely grow.
    let found =
        Found { bindings: Vec::new(), candidates: Vec::with_capacity(parsed.tokens().len() / 8), stores: Vec::new() };
    let mut walk = Walk { scanner, found, facts: Facts::new(), full, out: &mut out };
    walk.visit_body(&module.body);
    let Walk { mut scanner, found, facts, .. } = walk;
    facts.finish(&mut out);
    scanner.collect_names(&found);
    let mut reads: Vec<Placed> = Vec::with_capacity(found.candidates.len());
    for &candidate in &found.candidates {
        scanner.candidate(candidate, &mut reads);
    }
    // Source order: by where the read starts, an enclosing read before the reads inside it.
    if !reads.is_sorted_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end))) {
        reads.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    }
    out.reads = reads.into_iter().map(|(_, _, read)| read).collect();
    out.env_writes = found.stores.iter().filter_map(|store| scanner.env_write(store)).collect();
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
    facts: Facts<'a>,
    /// Whether credential literals are looked for.
    full: bool,
    out: &'o mut SourceScan,
}

impl<'a> Visitor<'a> for Walk<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.facts.statement(stmt);
        match stmt {
            Stmt::Import(import) => {
                self.scanner.bind_import(import);
                self.facts.import(import, self.scanner.line(import));
            }
            Stmt::ImportFrom(import) => {
                self.scanner.bind_import_from(import);
                self.facts.import_from(import, self.scanner.line(import));
            }
            Stmt::FunctionDef(def) => return self.function(def),
            Stmt::ClassDef(class) => return self.class(class),
            Stmt::Try(statement) => return self.try_statement(statement),
            Stmt::If(statement) if is_type_checking(&statement.test) => return self.type_checking(statement),
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
        self.facts.expression(expr);
        match expr {
            // Assigned (`Store`) and deleted (`Del`) subscripts are not reads.
            Expr::Subscript(subscript) if subscript.ctx == ExprContext::Load => {
                self.found.candidates.push(Candidate::Subscript(subscript));
            }
            Expr::Subscript(subscript) if subscript.ctx == ExprContext::Store => self.found.stores.push(subscript),
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

/// The statements whose children the walk visits itself, to know where it is
/// (module level, a module-level function, elsewhere) and whether an import is optional.
impl<'a> Walk<'a, '_> {
    /// Decorators, parameters and annotations run at definition (quietly: they
    /// are not the module's work); the body is its own scope.
    fn function(&mut self, def: &'a StmtFunctionDef) {
        self.facts.quiet += 1;
        for decorator in &def.decorator_list {
            self.visit_decorator(decorator);
        }
        if let Some(type_params) = &def.type_params {
            self.visit_type_params(type_params);
        }
        self.visit_parameters(&def.parameters);
        if let Some(returns) = &def.returns {
            self.visit_annotation(returns);
        }
        self.facts.quiet -= 1;
        let inner = self.facts.function(def, self.scanner.line(&def.name));
        let outer = std::mem::replace(&mut self.facts.scope, inner);
        self.visit_body(&def.body);
        self.facts.scope = outer;
    }

    fn class(&mut self, class: &'a StmtClassDef) {
        self.facts.quiet += 1;
        for decorator in &class.decorator_list {
            self.visit_decorator(decorator);
        }
        if let Some(type_params) = &class.type_params {
            self.visit_type_params(type_params);
        }
        if let Some(arguments) = &class.arguments {
            self.visit_arguments(arguments);
        }
        self.facts.quiet -= 1;
        let outer = std::mem::replace(&mut self.facts.scope, Scope::Other);
        self.visit_body(&class.body);
        self.facts.scope = outer;
    }

    fn try_statement(&mut self, statement: &'a StmtTry) {
        let lines = &self.scanner.lines;
        let tolerant = usize::from(self.facts.try_statement(statement, |at| lines.line(at)));
        self.facts.optional += tolerant;
        self.visit_body(&statement.body);
        self.facts.optional -= tolerant;
        for handler in &statement.handlers {
            self.visit_except_handler(handler);
        }
        self.visit_body(&statement.orelse);
        self.visit_body(&statement.finalbody);
    }

    /// `if TYPE_CHECKING:`: its body's imports are optional (they never run).
    fn type_checking(&mut self, statement: &'a StmtIf) {
        self.visit_expr(&statement.test);
        self.facts.optional += 1;
        self.visit_body(&statement.body);
        self.facts.optional -= 1;
        for clause in &statement.elif_else_clauses {
            if let Some(test) = &clause.test {
                self.visit_expr(test);
            }
            self.visit_body(&clause.body);
        }
    }
}

/// `TYPE_CHECKING`, `typing.TYPE_CHECKING`.
fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attribute) => attribute.attr.id.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}
