//! The bottom layer of the source scan: the [`Scanner`] (the source text,
//! its line index and what its names are bound to), the [`Binding`] and
//! [`Method`] a name can have, the nodes of one walk that matter
//! ([`Found`]), and the arguments of a call ([`Args`]). It imports only the
//! line index (`lines`) from its siblings: `bindings`, `literals` and
//! `reads` extend the [`Scanner`] on top of it, and `parse` walks the tree
//! on top of them.

use super::lines::LineIndex;
use ruff_python_ast::{Arguments, Expr, ExprCall, ExprCompare, ExprSubscript};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashMap;

/// Bound on the loops that follow a chain of nodes (`.copy()`, `dict(...)`, `+`).
pub(super) const MAX_CHAIN: usize = 256;

/// A method of `os.environ` that reads one variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    SetDefault,
    Pop,
    GetItem,
    Contains,
}

impl Method {
    pub(super) fn from_name(name: &str) -> Option<Method> {
        Some(match name {
            "get" => Method::Get,
            "setdefault" => Method::SetDefault,
            "pop" => Method::Pop,
            "__getitem__" => Method::GetItem,
            "__contains__" => Method::Contains,
            _ => return None,
        })
    }
}

/// What a name is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Binding {
    Os,
    Environ,
    Getenv,
    /// A bound method of `os.environ` (`get = os.environ.get`).
    EnvironMethod(Method),
    Duckdb,
    Connect,
}

/// A node of the walk that may read a variable, once every alias is known.
#[derive(Clone, Copy)]
pub(super) enum Candidate<'a> {
    /// `x[...]` that is read (not assigned or deleted; `+=` reads first).
    Subscript(&'a ExprSubscript),
    Call(&'a ExprCall),
    /// A comparison holding `in` or `not in`.
    Membership(&'a ExprCompare),
}

/// The nodes of one walk that matter once every alias is known.
#[derive(Default)]
pub(super) struct Found<'a> {
    /// `(bound name, value)`: `name = value`, `name: T = value`, `(name := value)`.
    pub(super) bindings: Vec<(&'a str, &'a Expr)>,
    pub(super) candidates: Vec<Candidate<'a>>,
    /// `x[...] = ...` (and `x[...] += ...`): writes, when `x` is `os.environ`.
    pub(super) stores: Vec<&'a ExprSubscript>,
}

pub(super) struct Scanner<'a> {
    pub(super) src: &'a str,
    pub(super) lines: &'a LineIndex<'a>,
    /// Names bound to `os`, `os.environ`, ... `os` and `duckdb` are bound from the start.
    pub(super) names: Names<'a>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(src: &'a str, lines: &'a LineIndex<'a>) -> Self {
        let mut names = Names::default();
        names.insert("os", Binding::Os);
        names.insert("duckdb", Binding::Duckdb);
        Scanner { src, lines, names }
    }

    /// The 1-based line where `node` starts.
    pub(super) fn line(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.start().into())
    }

    pub(super) fn binding(&self, expr: &Expr) -> Option<Binding> {
        match expr {
            Expr::Name(name) => self.names.get(name.id.as_str()),
            _ => None,
        }
    }
}

/// What names are bound to: a short list searched in order (a source binds a
/// handful), a hash map once it holds more than [`Names::SHORT`].
#[derive(Default)]
pub(super) struct Names<'a> {
    short: Vec<(&'a str, Binding)>,
    long: HashMap<&'a str, Binding>,
}

impl<'a> Names<'a> {
    const SHORT: usize = 16;

    pub(super) fn get(&self, name: &str) -> Option<Binding> {
        if self.long.is_empty() {
            self.short.iter().find(|(n, _)| *n == name).map(|&(_, binding)| binding)
        } else {
            self.long.get(name).copied()
        }
    }

    /// Binds `name`; the binding it had.
    pub(super) fn insert(&mut self, name: &'a str, binding: Binding) -> Option<Binding> {
        if !self.long.is_empty() {
            return self.long.insert(name, binding);
        }
        if let Some(slot) = self.short.iter_mut().find(|(n, _)| *n == name) {
            return Some(std::mem::replace(&mut slot.1, binding));
        }
        if self.short.len() < Self::SHORT {
            self.short.push((name, binding));
        } else {
            self.long = self.short.drain(..).chain([(name, binding)]).collect();
        }
        None
    }
}

/// A range's bytes, for slicing the source.
pub(super) fn span(range: TextRange) -> std::ops::Range<usize> {
    usize::from(range.start())..usize::from(range.end())
}

/// The keyword arguments a read is looked at for (`key=`, `default=`,
/// `database=`, `config=`): [`Args::keyword`] knows only these.
const KEYWORDS: [&str; 4] = ["key", "default", "database", "config"];

/// What the scan needs of a call's arguments: how many there are, the first
/// positional one, and the first of each keyword in [`KEYWORDS`].
pub(super) struct Args<'a> {
    /// Every argument (`*a` and `**k` count).
    pub(super) count: usize,
    /// The positional arguments (`*a` counts, `**k` does not).
    pub(super) positional: usize,
    pub(super) first_positional: Option<&'a Expr>,
    keywords: [Option<&'a Expr>; KEYWORDS.len()],
}

impl<'a> Args<'a> {
    pub(super) fn of(arguments: &'a Arguments) -> Args<'a> {
        let mut args = Args {
            count: arguments.args.len() + arguments.keywords.len(),
            positional: arguments.args.len(),
            first_positional: arguments.args.first(),
            keywords: [None; KEYWORDS.len()],
        };
        for keyword in &arguments.keywords {
            let Some(name) = &keyword.arg else { continue };
            if let Some(slot) = KEYWORDS.iter().position(|k| *k == name.id.as_str()) {
                if let Some(first) = args.keywords.get_mut(slot) {
                    first.get_or_insert(&keyword.value);
                }
            }
        }
        args
    }

    /// The first `name=` argument; `name` is one of [`KEYWORDS`].
    pub(super) fn keyword(&self, name: &str) -> Option<&'a Expr> {
        KEYWORDS.iter().position(|k| *k == name).and_then(|slot| self.keywords.get(slot).copied().flatten())
    }

    pub(super) fn first_or_keyword(&self, name: &str) -> Option<&'a Expr> {
        self.first_positional.or_else(|| self.keyword(name))
    }
}
