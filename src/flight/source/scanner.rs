//! The bottom layer of the source scan: the [`Scanner`] (the source text and
//! what its names are bound to), the [`Binding`] and [`Method`] a name can
//! have, the nodes of one walk that matter ([`Found`]), the arguments of a
//! call ([`Args`]), and the small node helpers every other file uses
//! ([`line`], [`unparenthesize`], [`MAX_CHAIN`]). It imports only the
//! grammar's ids (`ids`) from its siblings: `bindings`, `literals` and
//! `reads` extend the [`Scanner`] on top of it, and `parse` walks the tree
//! on top of them.

use super::ids::{ids, Ids};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// Bound on the loops that follow a chain of nodes (parentheses, `.copy()`, `+`).
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

/// The 1-based line where `node` starts.
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

/// A leaf of the tree as the walk met it (a string literal is one leaf),
/// comments left out: a read's display is made from these, in source order,
/// without walking its nodes again.
#[derive(Clone, Copy)]
pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
    /// For a string literal: the byte ranges of its first and last child
    /// (the opening and closing delimiters).
    pub(super) string: Option<((usize, usize), (usize, usize))>,
}

pub(super) struct Scanner<'s> {
    pub(super) src: &'s str,
    /// The grammar's node kind and field ids.
    pub(super) ids: &'static Ids,
    /// Names bound to `os`, `os.environ`, ... `os` and `duckdb` are bound from the start.
    pub(super) names: HashMap<&'s str, Binding>,
    /// Subscripts that are assigned or deleted, not read (node ids).
    pub(super) targets: HashSet<usize>,
    /// The leaves of the walk, in source order.
    pub(super) tokens: Vec<Token>,
    /// Whether `tokens` are every leaf, each of non-zero width (a tree
    /// without errors): then a node's leaves are the tokens in its range.
    /// Otherwise a display walks the node.
    pub(super) tokens_whole: bool,
}

impl<'s> Scanner<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        let names = HashMap::from([("os", Binding::Os), ("duckdb", Binding::Duckdb)]);
        Scanner { src, ids: ids(), names, targets: HashSet::new(), tokens: Vec::new(), tokens_whole: false }
    }

    /// Notes a leaf of the walk (comments aside).
    pub(super) fn leaf(&mut self, node: Node) {
        if node.kind_id() == self.ids.comment {
            return;
        }
        let (start, end) = (node.start_byte(), node.end_byte());
        self.tokens_whole &= start < end;
        self.tokens.push(Token { start, end, string: None });
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
        if node.kind_id() != self.ids.identifier {
            return None;
        }
        self.names.get(self.text(node)).copied()
    }
}

/// The expression inside any number of parentheses.
pub(super) fn unparenthesize(node: Node) -> Node {
    let ids = ids();
    let mut node = node;
    for _ in 0..MAX_CHAIN {
        if node.kind_id() != ids.parenthesized_expression {
            break;
        }
        let mut cursor = node.walk();
        let mut inner = node.named_children(&mut cursor).filter(|c| c.kind_id() != ids.comment);
        match (inner.next(), inner.next()) {
            (Some(only), None) => node = only,
            _ => break,
        }
    }
    node
}

/// The keyword arguments a read is looked at for (`key=`, `default=`,
/// `database=`, `config=`): [`Args::keyword`] knows only these.
const KEYWORDS: [&str; 4] = ["key", "default", "database", "config"];

/// What the scan needs of a call's arguments, gathered without allocating:
/// how many there are, the first positional one, and the first of each
/// keyword in [`KEYWORDS`].
pub(super) struct Args<'t> {
    /// Every argument but comments (`*a` and `**k` count).
    pub(super) count: usize,
    /// The positional arguments (`*a` counts, `**k` does not).
    pub(super) positional: usize,
    pub(super) first_positional: Option<Node<'t>>,
    keywords: [Option<Node<'t>>; KEYWORDS.len()],
}

impl<'t> Args<'t> {
    pub(super) fn of<'s: 't>(arguments: Node<'t>, scanner: &Scanner<'s>) -> Args<'t> {
        let ids = scanner.ids;
        let mut args = Args { count: 0, positional: 0, first_positional: None, keywords: [None; KEYWORDS.len()] };
        if arguments.kind_id() != ids.argument_list {
            // `f(x for x in y)`: one positional generator.
            args.count = 1;
            args.positional = 1;
            args.first_positional = Some(arguments);
            return args;
        }
        let mut cursor = arguments.walk();
        for arg in arguments.named_children(&mut cursor) {
            let kind = arg.kind_id();
            if kind == ids.comment {
                continue;
            } else if kind == ids.keyword_argument {
                let name = arg.child_by_field_id(ids.f_name).map(|n| scanner.text(n)).unwrap_or("");
                if let Some(value) = arg.child_by_field_id(ids.f_value) {
                    if let Some(slot) = KEYWORDS.iter().position(|k| *k == name) {
                        if let Some(first) = args.keywords.get_mut(slot) {
                            first.get_or_insert(value);
                        }
                    }
                }
            } else if kind != ids.dictionary_splat {
                args.positional += 1;
                args.first_positional.get_or_insert(arg);
            }
            args.count += 1;
        }
        args
    }

    /// The first `name=` argument; `name` is one of [`KEYWORDS`].
    pub(super) fn keyword(&self, name: &str) -> Option<Node<'t>> {
        KEYWORDS.iter().position(|k| *k == name).and_then(|slot| self.keywords.get(slot).copied().flatten())
    }

    pub(super) fn first_or_keyword(&self, name: &str) -> Option<Node<'t>> {
        self.first_positional.or_else(|| self.keyword(name))
    }
}
