//! What the source does at module level, gathered in the same walk as the
//! reads: the imports (and whether a `try: ... except ImportError` or
//! `if TYPE_CHECKING:` makes each optional), the module-level functions and
//! which of them the module level runs, whether the module level does work
//! of its own, and the handlers that catch every exception in the module
//! level or the entry function, with the failing exits (`raise`,
//! `sys.exit(1)`) that follow them. [`finish`](Facts::finish) turns them into
//! the [`SourceScan`] fields the `entry_point_missing` and
//! `failure_swallowed` rules read.

use super::{DefinedFunction, Import, SourceScan, SwallowedFailure};
use ruff_python_ast::{
    ExceptHandler, Expr, ExprCall, Number, Stmt, StmtFunctionDef, StmtImport, StmtImportFrom, StmtTry,
};
use ruff_text_size::Ranged;
use std::collections::{HashMap, HashSet};

/// Where the walk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Statements that run when the module runs (including `if __name__ == "__main__":`).
    Module,
    /// The body of the module-level function with this index in `functions`.
    Function(usize),
    /// A nested function, a method, a class body: none of the rules look there.
    Other,
}

/// A handler that catches every exception.
struct Handler {
    scope: Scope,
    line: u32,
    start: u32,
    catches: &'static str,
}

/// The facts of one walk (see the module docs).
pub(super) struct Facts<'a> {
    pub(super) scope: Scope,
    /// Above 0 inside decorators, defaults and annotations: calls there are not work.
    pub(super) quiet: usize,
    /// Above 0 inside a `try` body that tolerates a failed import, or `if TYPE_CHECKING:`.
    pub(super) optional: usize,
    imports: Vec<Import>,
    /// Module-level functions: name, line of `def`.
    functions: Vec<(&'a str, u32)>,
    /// Names read at module level, with where.
    refs: Vec<(&'a str, u32)>,
    work: bool,
    handlers: Vec<Handler>,
    /// Failing exits (`raise`, `sys.exit(1)`): scope and offset.
    exits: Vec<(Scope, u32)>,
    /// `return <failure>` in a module-level function: its index and offset.
    returns: Vec<(usize, u32)>,
    /// Functions whose return value the module level exits with (`sys.exit(main())`).
    exit_codes: Vec<&'a str>,
}

impl<'a> Facts<'a> {
    pub(super) fn new() -> Self {
        Facts {
            scope: Scope::Module,
            quiet: 0,
            optional: 0,
            imports: Vec::new(),
            functions: Vec::new(),
            refs: Vec::new(),
            work: false,
            handlers: Vec::new(),
            exits: Vec::new(),
            returns: Vec::new(),
            exit_codes: Vec::new(),
        }
    }

    /// `import a.b.c` (module `a.b.c`), `import a.b as x` (module `a.b`).
    pub(super) fn import(&mut self, import: &StmtImport, line: u32) {
        for alias in &import.names {
            self.imports.push(Import {
                module: alias.name.id.to_string(),
                names: Vec::new(),
                line,
                optional: self.optional > 0,
            });
        }
    }

    /// `from a.b import c, d` (module `a.b`, names `c`, `d`); relative imports are skipped.
    pub(super) fn import_from(&mut self, import: &StmtImportFrom, line: u32) {
        let (Some(module), 0) = (&import.module, import.level) else { return };
        self.imports.push(Import {
            module: module.id.to_string(),
            names: import.names.iter().map(|alias| alias.name.id.to_string()).collect(),
            line,
            optional: self.optional > 0,
        });
    }

    /// A `def`: the scope its body is walked in.
    pub(super) fn function(&mut self, def: &'a StmtFunctionDef, line: u32) -> Scope {
        if self.scope != Scope::Module {
            return Scope::Other;
        }
        self.functions.push((def.name.id.as_str(), line));
        Scope::Function(self.functions.len() - 1)
    }

    /// A `try`: whether its body's imports are optional, and its handlers
    /// that catch everything (module level and module-level functions only).
    pub(super) fn try_statement(&mut self, statement: &StmtTry, line_of: impl Fn(u32) -> u32) -> bool {
        let mut tolerant = false;
        for handler in &statement.handlers {
            let ExceptHandler::ExceptHandler(handler) = handler;
            let caught = handler.type_.as_deref();
            tolerant |= caught
                .is_none_or(|c| catches(c, &["ImportError", "ModuleNotFoundError", "Exception", "BaseException"]));
            let broad = match caught {
                None => Some("everything (a bare except:)"),
                Some(c) if catches(c, &["BaseException"]) => Some("BaseException"),
                Some(c) if catches(c, &["Exception"]) => Some("Exception"),
                Some(_) => None,
            };
            if let (Some(catches), Scope::Module | Scope::Function(_)) = (broad, self.scope) {
                let start = handler.start().into();
                self.handlers.push(Handler { scope: self.scope, line: line_of(start), start, catches });
            }
        }
        tolerant
    }

    /// A statement of the module level or a module-level function, before its children are walked.
    pub(super) fn statement(&mut self, stmt: &'a Stmt) {
        match (stmt, self.scope) {
            (Stmt::Raise(raise), Scope::Module | Scope::Function(_)) => {
                let fails = match raise.exc.as_deref() {
                    // `raise SystemExit` / `raise SystemExit(0)` exits 0.
                    Some(Expr::Name(name)) if name.id.as_str() == "SystemExit" => false,
                    Some(Expr::Call(call)) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "SystemExit") => {
                        exit_code_fails(call)
                    }
                    _ => true,
                };
                if fails {
                    self.exits.push((self.scope, stmt.start().into()));
                }
            }
            (Stmt::Return(ret), Scope::Function(index))
                if ret.value.as_deref().is_some_and(|value| !is_success_code(value)) =>
            {
                self.returns.push((index, stmt.start().into()));
            }
            (Stmt::For(_) | Stmt::While(_) | Stmt::With(_), Scope::Module) => self.work = true,
            (Stmt::Expr(expr), Scope::Module) => {
                // `sys.exit(main())`, `raise SystemExit(main())` is a raise above.
                if let Expr::Call(call) = &*expr.value {
                    if is_exit(&call.func) {
                        if let Some(Expr::Call(inner)) = call.arguments.args.first() {
                            if let Expr::Name(name) = &*inner.func {
                                self.exit_codes.push(name.id.as_str());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// An expression of the walk, before its children.
    pub(super) fn expression(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if self.scope == Scope::Module => self.refs.push((name.id.as_str(), name.start().into())),
            Expr::Call(call) if self.scope != Scope::Other => {
                if is_exit(&call.func) && exit_code_fails(call) {
                    self.exits.push((self.scope, call.start().into()));
                }
                if self.scope == Scope::Module && self.quiet == 0 && !is_setup(&call.func) {
                    self.work = true;
                }
            }
            _ => {}
        }
    }

    /// Puts the facts into `out` (in time linear in the facts, whatever the source).
    pub(super) fn finish(self, out: &mut SourceScan) {
        let first_refs = self.first_refs();
        out.functions = self
            .functions
            .iter()
            .map(|&(name, line)| DefinedFunction { name: name.to_owned(), line, runs: first_refs.of(name).is_some() })
            .collect();
        out.module_does_work = self.work;
        if !self.handlers.is_empty() {
            self.swallowed(&first_refs, &mut out.swallowed);
        }
        out.imports = self.imports;
    }

    /// Where the module level first names each module-level function: a few
    /// functions are looked up in the names, many through a map.
    fn first_refs(&self) -> FirstRefs<'_, 'a> {
        let mut map: HashMap<&str, u32> = HashMap::new();
        if self.functions.len() > 8 {
            map = self.functions.iter().map(|&(name, _)| (name, u32::MAX)).collect();
            for &(name, at) in &self.refs {
                if let Some(first) = map.get_mut(name) {
                    *first = (*first).min(at);
                }
            }
        }
        FirstRefs { refs: &self.refs, map }
    }
}

/// Where the module level first names a function ([`Facts::first_refs`]).
struct FirstRefs<'f, 'a> {
    refs: &'f [(&'a str, u32)],
    /// Filled only for more than 8 functions.
    map: HashMap<&'a str, u32>,
}

impl FirstRefs<'_, '_> {
    fn of(&self, name: &str) -> Option<u32> {
        let first = if self.map.is_empty() {
            self.refs.iter().filter(|(r, _)| *r == name).map(|&(_, at)| at).min()
        } else {
            self.map.get(name).copied()
        };
        first.filter(|&at| at != u32::MAX)
    }
}

/// The `failure_swallowed` facts.
impl Facts<'_> {
    /// The handlers after which nothing fails the run.
    fn swallowed(&self, first_refs: &FirstRefs, swallowed: &mut Vec<SwallowedFailure>) {
        // The last failing exit of each scope, and the last `return <failure>` of each function.
        let (mut module_exit, mut exits, mut returns) =
            (None, vec![None; self.functions.len()], vec![None; self.functions.len()]);
        for &(scope, at) in &self.exits {
            let last = match scope {
                Scope::Module => &mut module_exit,
                Scope::Function(index) => match exits.get_mut(index) {
                    Some(last) => last,
                    None => continue,
                },
                Scope::Other => continue,
            };
            *last = (*last).max(Some(at));
        }
        for &(index, at) in &self.returns {
            if let Some(last) = returns.get_mut(index) {
                *last = (*last).max(Some(at));
            }
        }
        let exit_codes: HashSet<&str> = self.exit_codes.iter().copied().collect();
        let after = |last: Option<u32>, at: u32| last.is_some_and(|last| last > at);
        for handler in &self.handlers {
            let function = match handler.scope {
                Scope::Function(index) => self.functions.get(index).map(|f| (index, f.0)),
                _ => None,
            };
            let fine = match function {
                None => after(module_exit, handler.start),
                Some((index, name)) => {
                    // Only the entry function (one the module level runs) is looked at.
                    let Some(called_at) = first_refs.of(name) else { continue };
                    after(exits.get(index).copied().flatten(), handler.start)
                        || after(module_exit, called_at)
                        || (exit_codes.contains(name) && after(returns.get(index).copied().flatten(), handler.start))
                }
            };
            if !fine {
                let function = function.map(|(_, name)| name.to_owned());
                swallowed.push(SwallowedFailure { line: handler.line, function, catches: handler.catches });
            }
        }
    }
}

/// Whether an `except` clause's type names one of `names` (alone, in a tuple, or as `module.Name`).
fn catches(caught: &Expr, names: &[&str]) -> bool {
    let one = |e: &Expr| match e {
        Expr::Name(name) => names.contains(&name.id.as_str()),
        Expr::Attribute(attribute) => names.contains(&attribute.attr.id.as_str()),
        _ => false,
    };
    match caught {
        Expr::Tuple(tuple) => tuple.elts.iter().any(one),
        other => one(other),
    }
}

/// `sys.exit`, `exit`, `quit`, `os._exit` (through any module alias).
fn is_exit(func: &Expr) -> bool {
    match func {
        Expr::Name(name) => matches!(name.id.as_str(), "exit" | "quit"),
        Expr::Attribute(attribute) => {
            matches!(attribute.attr.id.as_str(), "exit" | "_exit") && matches!(&*attribute.value, Expr::Name(_))
        }
        _ => false,
    }
}

/// Whether an exit call (or `SystemExit(...)`) exits non-zero: `exit(1)`,
/// `exit("message")` (exit status 1), `exit(code)`; not `exit()`, `exit(0)`, `exit(None)`.
fn exit_code_fails(call: &ExprCall) -> bool {
    match call.arguments.args.first().or(call.arguments.keywords.first().map(|k| &k.value)) {
        None => false,
        Some(code) => !is_success_code(code),
    }
}

/// `0`, `None`, `False`, `os.EX_OK`: the exit status 0.
fn is_success_code(code: &Expr) -> bool {
    match code {
        Expr::NumberLiteral(number) => matches!(&number.value, Number::Int(i) if i.as_u8() == Some(0)),
        Expr::NoneLiteral(_) => true,
        Expr::BooleanLiteral(boolean) => !boolean.value,
        Expr::Attribute(attribute) => attribute.attr.id.as_str() == "EX_OK",
        _ => false,
    }
}

/// Calls that set a script up rather than do its work: logging, warnings,
/// environment and path set-up, type helpers, built-in constructors.
fn is_setup(func: &Expr) -> bool {
    const NAMES: [&str; 24] = [
        "basicConfig",
        "getLogger",
        "load_dotenv",
        "filterwarnings",
        "simplefilter",
        "getenv",
        "setdefault",
        "get",
        "append",
        "insert",
        "namedtuple",
        "TypeVar",
        "NewType",
        "field",
        "compile",
        "Path",
        "print",
        "int",
        "str",
        "float",
        "bool",
        "dict",
        "set",
        "frozenset",
    ];
    let name = match func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        _ => return false,
    };
    NAMES.contains(&name) || matches!(name, "list" | "tuple" | "object" | "range" | "len" | "timedelta")
}
