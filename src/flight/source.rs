//! Reading a Flight's Python source for the environment variables it reads,
//! and holding each read against the environment its run gets.
//!
//! The source is parsed for real with tree-sitter's Python grammar, so reads
//! inside comments and strings do not count, aliases do (`import os as o`,
//! `from os import environ as env`, `from os import getenv`, `env = os.environ`),
//! writes and deletes do not (`os.environ["X"] = ...`, `del os.environ["X"]`),
//! and a source with syntax errors still yields what can be read.
//!
//! The tree is walked with a cursor, never by recursion, and every helper that
//! follows a chain of nodes (parentheses, `+`) is a bounded loop: a deeply
//! nested source cannot exhaust the stack. Nothing here panics on any input.

use super::config::suggest_key;
use super::credentials::credential_kind;
use super::{quoted, EnvSource, EnvVar, RESERVED_NAMES};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use tree_sitter::{Node, Parser, Tree};

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

/// At most this many syntax errors are reported.
const MAX_SYNTAX_ERRORS: usize = 20;
/// At most this many characters of an expression go into a read's `detail`.
const MAX_DETAIL_CHARS: usize = 80;
/// Bound on the loops that follow a chain of nodes (parentheses, `.copy()`, `+`).
const MAX_CHAIN: usize = 256;

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

fn line(node: Node) -> u32 {
    u32::try_from(node.start_position().row.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The nodes of one walk that matter once every alias is known.
#[derive(Default)]
struct Found<'t> {
    imports: Vec<Node<'t>>,
    /// `(bound identifier, assignment or named expression)`.
    bindings: Vec<(Node<'t>, Node<'t>)>,
    candidates: Vec<Node<'t>>,
}

/// A method of `os.environ` that reads one variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    SetDefault,
    Pop,
    GetItem,
    Contains,
}

impl Method {
    fn from_name(name: &str) -> Option<Method> {
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
enum Binding {
    Os,
    Environ,
    Getenv,
    /// A bound method of `os.environ` (`get = os.environ.get`).
    EnvironMethod(Method),
    Duckdb,
    Connect,
}

struct Scanner<'s> {
    src: &'s str,
    /// Names bound to `os`, `os.environ`, ... `os` and `duckdb` are bound from the start.
    names: HashMap<&'s str, Binding>,
    /// Subscripts that are assigned or deleted, not read (node ids).
    targets: HashSet<usize>,
}

impl<'s> Scanner<'s> {
    fn new(src: &'s str) -> Self {
        let names = HashMap::from([("os", Binding::Os), ("duckdb", Binding::Duckdb)]);
        Scanner { src, names, targets: HashSet::new() }
    }

    fn text(&self, node: Node) -> &'s str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// 1-based column of the node's start, in characters.
    fn column(&self, node: Node) -> u32 {
        let bytes = node.start_position().column;
        let start = node.start_byte();
        let chars = start
            .checked_sub(bytes)
            .and_then(|line_start| self.src.get(line_start..start))
            .map_or(bytes, |prefix| prefix.chars().count());
        u32::try_from(chars.saturating_add(1)).unwrap_or(u32::MAX)
    }

    fn binding(&self, node: Node) -> Option<Binding> {
        (node.kind() == "identifier").then(|| self.names.get(self.text(node)).copied()).flatten()
    }

    /// Remembers every subscript that `target` (the left side of `=`, a `for`
    /// target, a `del` statement) writes or deletes, through tuples and lists.
    fn mark_targets(&mut self, target: Node) {
        let mut stack = vec![target];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "subscript" => _ = self.targets.insert(node.id()),
                "pattern_list"
                | "tuple_pattern"
                | "list_pattern"
                | "tuple"
                | "list"
                | "parenthesized_expression"
                | "expression_list"
                | "list_splat_pattern"
                | "list_splat"
                | "delete_statement" => {
                    let mut cursor = node.walk();
                    stack.extend(node.named_children(&mut cursor));
                }
                _ => {}
            }
        }
    }

    /// Binds the names imports and simple assignments give to `os`, `os.environ`,
    /// `os.getenv`, `duckdb` and `duckdb.connect`. Imports count wherever they
    /// are; assignments are followed until nothing changes (`e2 = env` after
    /// `env = os.environ`, in any order).
    fn collect_names(&mut self, found: &Found) {
        for &node in &found.imports {
            if node.kind() == "import_statement" {
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    let (module, alias) = self.import_parts(name);
                    let top = module.split('.').next().unwrap_or("");
                    let binding = match top {
                        "os" => Binding::Os,
                        "duckdb" => Binding::Duckdb,
                        _ => continue,
                    };
                    match alias {
                        // `import os.path as p` binds p to os.path, not os.
                        Some(alias) if module == top => _ = self.names.insert(alias, binding),
                        Some(_) => {}
                        // `import os.path` binds os.
                        None => _ = self.names.insert(top, binding),
                    }
                }
                continue;
            }
            let module = node.child_by_field_name("module_name").map(|m| self.text(m)).unwrap_or("");
            let bindings: &[(&str, Binding)] = match module {
                "os" => &[("environ", Binding::Environ), ("getenv", Binding::Getenv)],
                "duckdb" => &[("connect", Binding::Connect)],
                _ => continue,
            };
            let mut cursor = node.walk();
            if node.named_children(&mut cursor).any(|c| c.kind() == "wildcard_import") {
                for &(name, binding) in bindings {
                    self.names.insert(name, binding);
                }
                continue;
            }
            for name in node.children_by_field_name("name", &mut cursor) {
                let (imported, alias) = self.import_parts(name);
                if let Some(&(_, binding)) = bindings.iter().find(|(n, _)| *n == imported) {
                    self.names.insert(alias.unwrap_or(imported), binding);
                }
            }
        }
        for _ in 0..8 {
            let mut changed = false;
            for &(name, node) in &found.bindings {
                let Some(value) = self.bound_value(node) else { continue };
                let Some(binding) = self.value_binding(value) else { continue };
                let name = self.text(name);
                if !name.is_empty() && self.names.insert(name, binding) != Some(binding) {
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The value an assignment (`a = b = value`) or named expression binds.
    fn bound_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        if node.kind() == "named_expression" {
            return node.child_by_field_name("value");
        }
        let mut value = node.child_by_field_name("right")?;
        for _ in 0..MAX_CHAIN {
            if value.kind() != "assignment" {
                return Some(value);
            }
            value = value.child_by_field_name("right")?;
        }
        None
    }

    /// What an expression is, when a name bound to it becomes an alias.
    fn value_binding(&self, value: Node) -> Option<Binding> {
        let value = unparenthesize(value);
        if self.is_environ(value) {
            return Some(Binding::Environ);
        }
        if let Some(binding) = self.binding(value) {
            return Some(binding);
        }
        if value.kind() != "attribute" {
            return None;
        }
        let object = unparenthesize(value.child_by_field_name("object")?);
        let attribute = self.text(value.child_by_field_name("attribute")?);
        match (self.binding(object), attribute) {
            (Some(Binding::Os), "getenv") => Some(Binding::Getenv),
            (Some(Binding::Duckdb), "connect") => Some(Binding::Connect),
            _ if self.is_environ(object) => Method::from_name(attribute).map(Binding::EnvironMethod),
            _ => None,
        }
    }

    /// `(module or name, alias)` of an import's `name` field.
    fn import_parts(&self, node: Node) -> (&'s str, Option<&'s str>) {
        if node.kind() == "aliased_import" {
            let name = node.child_by_field_name("name").map(|n| self.text(n)).unwrap_or("");
            (name, node.child_by_field_name("alias").map(|a| self.text(a)))
        } else {
            (self.text(node), None)
        }
    }

    /// `attribute` of something bound to `binding`: `os.getenv`, `ddb.connect`.
    fn is_attribute_of(&self, node: Node, binding: Binding, attribute: &str) -> bool {
        node.kind() == "attribute"
            && node.child_by_field_name("attribute").is_some_and(|a| self.text(a) == attribute)
            && node.child_by_field_name("object").is_some_and(|o| self.binding(unparenthesize(o)) == Some(binding))
    }

    /// `os.environ` (through any alias of os), a name bound to it, or a copy
    /// of it (`os.environ.copy()`, `dict(os.environ)`), which reads the same.
    fn is_environ(&self, node: Node) -> bool {
        let mut node = node;
        for _ in 0..MAX_CHAIN {
            node = unparenthesize(node);
            if self.binding(node) == Some(Binding::Environ) || self.is_attribute_of(node, Binding::Os, "environ") {
                return true;
            }
            if node.kind() != "call" {
                return false;
            }
            let (Some(function), Some(arguments)) =
                (node.child_by_field_name("function"), node.child_by_field_name("arguments"))
            else {
                return false;
            };
            let args = Args::of(arguments, self);
            let function = unparenthesize(function);
            node = match function.kind() {
                "attribute" if args.all.is_empty() && self.attr_name(function) == Some("copy") => {
                    match function.child_by_field_name("object") {
                        Some(object) => object,
                        None => return false,
                    }
                }
                "identifier" if self.text(function) == "dict" && args.all.len() == 1 => match args.positional.first() {
                    Some(&only) => only,
                    None => return false,
                },
                _ => return false,
            };
        }
        false
    }

    fn attr_name(&self, attribute: Node) -> Option<&'s str> {
        attribute.child_by_field_name("attribute").map(|a| self.text(a))
    }

    /// The value of a plain string literal: a string without interpolation,
    /// an implicit concatenation of them, or a `+` of them; `None` for
    /// anything else (names, interpolations, `%`, bytes).
    fn literal(&self, node: Node) -> Option<String> {
        let mut value = String::new();
        let mut stack = vec![node];
        let mut steps = 0;
        while let Some(node) = stack.pop() {
            steps += 1;
            if steps > MAX_CHAIN * 4 {
                return None;
            }
            match node.kind() {
                "string" => value.push_str(&self.string_value(node)?),
                "parenthesized_expression" => {
                    let mut cursor = node.walk();
                    let mut inner = node.named_children(&mut cursor).filter(|c| c.kind() != "comment");
                    let (Some(only), None) = (inner.next(), inner.next()) else { return None };
                    stack.push(only);
                }
                "concatenated_string" => {
                    let mut cursor = node.walk();
                    let parts: Vec<Node> = node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
                    stack.extend(parts.into_iter().rev());
                }
                "binary_operator" => {
                    let operator = node.child_by_field_name("operator").map(|o| self.text(o));
                    let (Some("+"), Some(left), Some(right)) =
                        (operator, node.child_by_field_name("left"), node.child_by_field_name("right"))
                    else {
                        return None;
                    };
                    stack.push(right);
                    stack.push(left);
                }
                _ => return None,
            }
        }
        Some(value)
    }

    /// The value of one `string` node, escapes decoded; `None` for bytes, an
    /// interpolation, or an escape we do not decode (`\N{...}`).
    fn string_value(&self, node: Node) -> Option<String> {
        let prefix = node.child(0).filter(|c| c.kind() == "string_start").map(|c| self.text(c))?;
        if prefix.contains(['b', 'B']) {
            return None;
        }
        let raw = prefix.contains(['r', 'R']);
        let mut value = String::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "string_content" => self.push_content(child, raw, &mut value)?,
                "interpolation" => return None,
                _ => {}
            }
        }
        Some(value)
    }

    fn push_content(&self, content: Node, raw: bool, value: &mut String) -> Option<()> {
        let mut at = content.start_byte();
        let mut cursor = content.walk();
        for piece in content.named_children(&mut cursor) {
            value.push_str(self.src.get(at..piece.start_byte())?);
            let text = self.text(piece);
            match piece.kind() {
                "escape_interpolation" => value.push_str(text.get(..1)?),
                "escape_sequence" if !raw => value.push_str(&unescape(text)?),
                _ => value.push_str(text),
            }
            at = piece.end_byte();
        }
        value.push_str(self.src.get(at..content.end_byte())?);
        Some(())
    }

    /// The literal text an expression starts with (`"md:" + name`, `f"md:{db}"`).
    fn literal_prefix(&self, node: Node) -> String {
        let mut node = node;
        for _ in 0..MAX_CHAIN {
            match node.kind() {
                "parenthesized_expression" | "concatenated_string" => match node.named_child(0) {
                    Some(first) => node = first,
                    None => break,
                },
                "binary_operator" => match node.child_by_field_name("left") {
                    Some(left) => node = left,
                    None => break,
                },
                "string" => {
                    let mut value = String::new();
                    let mut cursor = node.walk();
                    for child in node.named_children(&mut cursor) {
                        let more = match child.kind() {
                            "string_content" => self.push_content(child, true, &mut value).is_some(),
                            "interpolation" => false,
                            _ => true,
                        };
                        if !more {
                            break;
                        }
                    }
                    return value;
                }
                _ => break,
            }
        }
        String::new()
    }

    /// The expression as written, each string literal's contents replaced by
    /// `...` and comments dropped, on one line, at most [`MAX_DETAIL_CHARS`].
    fn display(&self, node: Node) -> String {
        let mut out = String::new();
        let mut last_end = node.start_byte();
        let mut cursor = node.walk();
        'walk: loop {
            let current = cursor.node();
            let kind = current.kind();
            let leaf = current.child_count() == 0 || kind == "string";
            if leaf && kind != "comment" {
                if current.start_byte() > last_end && !out.is_empty() {
                    out.push(' ');
                }
                if kind == "string" {
                    let start = current.child(0).map(|c| self.text(c)).unwrap_or("\"");
                    let end = current.child(current.child_count().saturating_sub(1)).map(|c| self.text(c));
                    out.push_str(start);
                    out.push_str("...");
                    out.push_str(
                        end.filter(|e| !e.is_empty()).unwrap_or(start.trim_start_matches(char::is_alphabetic)),
                    );
                } else {
                    out.extend(self.text(current).chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
                }
                last_end = current.end_byte();
                if out.chars().count() > MAX_DETAIL_CHARS {
                    let cut: String = out.chars().take(MAX_DETAIL_CHARS).collect();
                    return cut + "...";
                }
            }
            if !leaf && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() || cursor.node().id() == node.id() {
                    break 'walk;
                }
            }
        }
        out
    }

    fn read(&self, reads: &mut Vec<EnvRead>, node: Node, name: Option<String>, access: Access, form: &'static str) {
        let line = line(node);
        let detail = format!("{} at line {line}", self.display(node));
        reads.push(EnvRead { name, line, access, form, detail });
    }

    /// `os.environ["X"]`, unless it is assigned or deleted (`+=` reads it first: it counts).
    fn subscript(&self, node: Node, reads: &mut Vec<EnvRead>) {
        if self.targets.contains(&node.id()) || !node.child_by_field_name("value").is_some_and(|v| self.is_environ(v)) {
            return;
        }
        let mut cursor = node.walk();
        let mut keys = node.children_by_field_name("subscript", &mut cursor);
        let name = match (keys.next(), keys.next()) {
            (Some(key), None) => self.literal(key),
            _ => None,
        };
        self.read(reads, node, name, Access::Required, "os.environ[...]");
    }

    /// `os.environ.get/setdefault/pop(...)`, `os.getenv(...)`, `duckdb.connect("md:...")`.
    fn call(&self, node: Node, reads: &mut Vec<EnvRead>) {
        let (Some(function), Some(arguments)) =
            (node.child_by_field_name("function"), node.child_by_field_name("arguments"))
        else {
            return;
        };
        let function = unparenthesize(function);
        let args = Args::of(arguments, self);
        let method = match self.binding(function) {
            Some(Binding::Getenv) => Some(None),
            Some(Binding::EnvironMethod(method)) => Some(Some(method)),
            Some(Binding::Connect) => return self.connect(node, &args, reads),
            _ if self.is_attribute_of(function, Binding::Os, "getenv") => Some(None),
            _ if self.is_attribute_of(function, Binding::Duckdb, "connect") => return self.connect(node, &args, reads),
            _ if function.kind() == "attribute"
                && function.child_by_field_name("object").is_some_and(|o| self.is_environ(o)) =>
            {
                match self.attr_name(function).and_then(Method::from_name) {
                    Some(method) => Some(Some(method)),
                    None => return,
                }
            }
            _ => None,
        };
        let Some(method) = method else { return };
        // A call without any argument reads nothing (it raises TypeError).
        let Some(key) = args.first_or_keyword("key") else {
            if !args.all.is_empty() {
                // `os.getenv(*args)`, `os.environ.get(**kw)`: computed.
                let access = if method == Some(Method::GetItem) { Access::Required } else { Access::Optional };
                self.read(reads, node, None, access, "os.environ.get(...)");
            }
            return;
        };
        let name = if key.kind() == "list_splat" { None } else { self.literal(key) };
        let has_default = args.positional.len() > 1 || args.keyword("default").is_some();
        let (access, form) = match method {
            None => (Access::Optional, "os.getenv(...)"),
            Some(Method::Get) => (Access::Optional, "os.environ.get(...)"),
            Some(Method::SetDefault) => (Access::Optional, "os.environ.setdefault(...)"),
            Some(Method::Contains) => (Access::Optional, "os.environ.__contains__(...)"),
            Some(Method::Pop) if has_default => (Access::Optional, "os.environ.pop(..., default)"),
            Some(Method::Pop) => (Access::Required, "os.environ.pop(...)"),
            Some(Method::GetItem) => (Access::Required, "os.environ.__getitem__(...)"),
        };
        self.read(reads, node, name, access, form);
    }

    /// `duckdb.connect("md:...")` reads MOTHERDUCK_TOKEN, unless the token is
    /// passed in the connection string or the `config` argument.
    fn connect(&self, node: Node, args: &Args, reads: &mut Vec<EnvRead>) {
        let Some(database) = args.first_or_keyword("database") else { return };
        let target = self.literal_prefix(database).to_ascii_lowercase();
        if !(target.starts_with("md:") || target.starts_with("motherduck:")) || target.contains("token=") {
            return;
        }
        if args.keyword("config").is_some_and(|config| self.mentions_token(config)) {
            return;
        }
        self.read(reads, node, Some("MOTHERDUCK_TOKEN".into()), Access::Required, "duckdb.connect(\"md:...\")");
    }

    /// Whether an expression holds the string `motherduck_token` (a config dict).
    fn mentions_token(&self, node: Node) -> bool {
        let mut cursor = node.walk();
        for _ in 0..MAX_CHAIN * 4 {
            let current = cursor.node();
            if current.kind() == "string"
                && self.string_value(current).is_some_and(|v| v.eq_ignore_ascii_case("motherduck_token"))
            {
                return true;
            }
            if current.kind() != "string" && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() || cursor.node().id() == node.id() {
                    return false;
                }
            }
        }
        false
    }

    /// `"X" in os.environ`, `"X" not in os.environ`, `"X" in os.environ.keys()`.
    fn membership(&self, node: Node, reads: &mut Vec<EnvRead>) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).filter(|c| c.kind() != "comment").collect();
        for (i, child) in children.iter().enumerate() {
            if !matches!(child.kind(), "in" | "not in") {
                continue;
            }
            let (Some(&left), Some(&right)) = (i.checked_sub(1).and_then(|j| children.get(j)), children.get(i + 1))
            else {
                continue;
            };
            if self.is_environ(right) || self.is_environ_keys(right) {
                let form = if child.kind() == "in" { "... in os.environ" } else { "... not in os.environ" };
                self.read(reads, node, self.literal(left), Access::Optional, form);
            }
        }
    }

    /// `os.environ.keys()`.
    fn is_environ_keys(&self, node: Node) -> bool {
        let node = unparenthesize(node);
        node.kind() == "call"
            && node.child_by_field_name("arguments").is_some_and(|a| Args::of(a, self).all.is_empty())
            && node.child_by_field_name("function").is_some_and(|f| {
                f.kind() == "attribute"
                    && self.attr_name(f) == Some("keys")
                    && f.child_by_field_name("object").is_some_and(|o| self.is_environ(o))
            })
    }

    /// Adds the credential each piece of a string literal is shaped like, on
    /// the line where it stands. Only the line and kind are kept.
    fn credentials(&self, node: Node, found: &mut Vec<(u32, &'static str)>) {
        let mut cursor = node.walk();
        for content in node.named_children(&mut cursor).filter(|c| c.kind() == "string_content") {
            let text = self.text(content);
            let first_line = line(content);
            if let Some(kind) = credential_kind(text) {
                push_unique(found, (first_line, kind));
                continue;
            }
            let is_separator = |c: char| c.is_whitespace() || "\"'`,;()[]{}<>|&?=:@\\".contains(c);
            for token in text.split(is_separator).filter(|t| t.len() >= 16) {
                if let Some(kind) = credential_kind(token) {
                    // The token is a slice of `text`: its offset gives its line.
                    let offset = (token.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                    let newlines = text.get(..offset).map_or(0, |before| before.matches('\n').count());
                    let at = first_line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                    push_unique(found, (at, kind));
                }
            }
        }
    }
}

fn push_unique(found: &mut Vec<(u32, &'static str)>, item: (u32, &'static str)) {
    if !found.contains(&item) {
        found.push(item);
    }
}

/// The expression inside any number of parentheses.
fn unparenthesize(node: Node) -> Node {
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

/// Decodes one escape sequence of a non-raw string; `None` when we do not.
fn unescape(text: &str) -> Option<String> {
    let body = text.strip_prefix('\\')?;
    let mut chars = body.chars();
    let first = chars.next()?;
    let simple = match first {
        '\\' => Some('\\'),
        '\'' => Some('\''),
        '"' => Some('"'),
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '0' if body.len() == 1 => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        '\n' | '\r' => return Some(String::new()),
        _ => None,
    };
    if let Some(c) = simple {
        return Some(c.to_string());
    }
    let hex = match first {
        'x' | 'u' | 'U' => chars.as_str(),
        '0'..='7' => return u32::from_str_radix(body, 8).ok().and_then(char::from_u32).map(String::from),
        _ => return None,
    };
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).map(String::from)
}

/// The arguments of a call.
struct Args<'t> {
    all: Vec<Node<'t>>,
    positional: Vec<Node<'t>>,
    keywords: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Args<'t> {
    fn of<'s: 't>(arguments: Node<'t>, scanner: &Scanner<'s>) -> Args<'t> {
        let mut args = Args { all: Vec::new(), positional: Vec::new(), keywords: Vec::new() };
        if arguments.kind() != "argument_list" {
            // `f(x for x in y)`: one positional generator.
            args.all.push(arguments);
            args.positional.push(arguments);
            return args;
        }
        let mut cursor = arguments.walk();
        for arg in arguments.named_children(&mut cursor) {
            match arg.kind() {
                "comment" => continue,
                "keyword_argument" => {
                    let name = arg.child_by_field_name("name").map(|n| scanner.text(n)).unwrap_or("");
                    if let Some(value) = arg.child_by_field_name("value") {
                        args.keywords.push((name, value));
                    }
                }
                "dictionary_splat" => {}
                _ => args.positional.push(arg),
            }
            args.all.push(arg);
        }
        args
    }

    fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    fn first_or_keyword(&self, name: &str) -> Option<Node<'t>> {
        self.positional.first().copied().or_else(|| self.keyword(name))
    }
}

/// One row of `flight_source_check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub name: String,
    pub line: Option<u32>,
    pub access: Option<Access>,
    pub provided_by: Option<EnvSource>,
    pub status: &'static str,
    pub message: String,
}

/// A secret param as the run gets it: the variable and the param's key.
struct Param<'v> {
    var: &'v EnvVar,
    secret: &'v str,
}

/// Splits a secret variable's origin `<secret name>.<PARAM>` where the
/// variable's name ends with `_<PARAM>` (a secret name may hold a dot).
fn secret_and_key(var: &EnvVar) -> Option<(&str, &str)> {
    let origin = var.origin.as_str();
    let splits = origin.match_indices('.').map(|(i, _)| (&origin[..i], &origin[i + 1..]));
    let mut first = None;
    for (secret, key) in splits {
        first.get_or_insert((secret, key));
        if var.name.strip_suffix(key).is_some_and(|rest| rest.ends_with('_')) {
            return Some((secret, key));
        }
    }
    first
}

/// Holds every read of `scan` against the run's variables `vars` (from
/// `env::resolve`). Rows ordered by line (rows without a line last), then name.
///
/// Statuses: `ok`, `missing`, `missing_optional`, `bare_secret_param`,
/// `unverified`, `dynamic`, `unused`, `credential_in_source`, `syntax_error`.
pub fn check_source(scan: &SourceScan, vars: &[EnvVar]) -> Vec<SourceRow> {
    let by_name: HashMap<&str, &EnvVar> = vars.iter().map(|v| (v.name.as_str(), v)).collect();
    // Param key -> the prefixed variables that carry it.
    let mut params: HashMap<&str, Vec<Param>> = HashMap::new();
    let mut placeholders: Vec<(&str, &EnvVar)> = Vec::new();
    for var in vars {
        if var.source != EnvSource::Secret {
            continue;
        }
        match var.name.strip_suffix('*') {
            Some(prefix) if var.value.is_none() => placeholders.push((prefix, var)),
            _ => {
                if let Some((secret, key)) = secret_and_key(var) {
                    params.entry(key).or_default().push(Param { var, secret });
                }
            }
        }
    }
    let aliases_on = vars.iter().any(|v| v.source == EnvSource::SecretAlias);
    let has_dynamic = scan.reads.iter().any(|r| r.name.is_none());
    let mut read_names: HashSet<&str> = HashSet::new();
    let mut rows = Vec::new();
    for read in &scan.reads {
        let Some(name) = read.name.as_deref() else {
            rows.push(SourceRow {
                name: "(dynamic)".into(),
                line: Some(read.line),
                access: Some(read.access),
                provided_by: None,
                status: "dynamic",
                message: format!(
                    "line {} reads an environment variable whose name is computed at run time ({}): it cannot be checked; \
                     read a fixed name where you can",
                    read.line, read.form
                ),
            });
            continue;
        };
        read_names.insert(name);
        let context = Context { by_name: &by_name, params: &params, placeholders: &placeholders, vars, aliases_on };
        rows.push(check_read(read, name, &context));
    }
    for var in vars {
        let unused_kind = match var.source {
            EnvSource::Config | EnvSource::Override => "config key",
            EnvSource::Secret if var.value.is_some() => "secret variable",
            _ => continue,
        };
        if read_names.contains(var.name.as_str()) {
            continue;
        }
        let maybe =
            if has_dynamic { " (the source also reads names computed at run time, which may include it)" } else { "" };
        rows.push(SourceRow {
            name: var.name.clone(),
            line: None,
            access: None,
            provided_by: Some(var.source),
            status: "unused",
            message: format!("{unused_kind} {} is never read by the source{maybe}", quoted(&var.name)),
        });
    }
    for &(line, kind) in &scan.credential_literals {
        rows.push(SourceRow {
            name: "(literal)".into(),
            line: Some(line),
            access: None,
            provided_by: None,
            status: "credential_in_source",
            message: format!(
                "line {line} holds a string shaped like a credential ({kind}): anyone who can read the Flight reads it; move it into a \
                 Flight secret (CREATE SECRET ... IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})), attach it with \
                 flight_secret_names and read it from os.environ"
            ),
        });
    }
    for &(line, column) in &scan.syntax_errors {
        rows.push(SourceRow {
            name: "(syntax)".into(),
            line: Some(line),
            access: None,
            provided_by: None,
            status: "syntax_error",
            message: format!(
                "Python syntax error near line {line}, column {column}: the reads around it may be missing from this check, \
                 and the run would fail; fix the source"
            ),
        });
    }
    rows.sort_by(|a, b| (a.line.is_none(), a.line, &a.name).cmp(&(b.line.is_none(), b.line, &b.name)));
    rows
}

/// What [`check_read`] looks a name up in.
struct Context<'a, 'v> {
    by_name: &'a HashMap<&'v str, &'v EnvVar>,
    params: &'a HashMap<&'v str, Vec<Param<'v>>>,
    placeholders: &'a [(&'v str, &'v EnvVar)],
    vars: &'v [EnvVar],
    aliases_on: bool,
}

fn check_read(read: &EnvRead, name: &str, context: &Context) -> SourceRow {
    let row = |provided_by, status, message| SourceRow {
        name: name.to_owned(),
        line: Some(read.line),
        access: Some(read.access),
        provided_by,
        status,
        message,
    };
    if let Some(var) = context.by_name.get(name) {
        let what = match var.source {
            EnvSource::Token => format!("the token {}", quoted(&var.origin)),
            EnvSource::Config => "the config".to_owned(),
            EnvSource::Override => "the per-run override".to_owned(),
            EnvSource::Secret | EnvSource::SecretAlias => format!("secret param {}", quoted(&var.origin)),
        };
        let message = if read.form.starts_with("duckdb.connect") {
            format!("the md: connection needs MOTHERDUCK_TOKEN, provided by {what}")
        } else {
            format!("provided by {what}")
        };
        return row(Some(var.source), "ok", message);
    }
    if RESERVED_NAMES.contains(&name) {
        return row(None, "ok", format!("MotherDuck sets {} itself on every run", quoted(name)));
    }
    if let Some(carriers) = context.params.get(name) {
        let names: Vec<String> = carriers.iter().map(|p| quoted(&p.var.name)).collect();
        let secrets: Vec<String> = carriers.iter().map(|p| quoted(p.secret)).collect();
        let or_aliases = if context.aliases_on {
            "(bare_aliases is on, but this bare name is not emitted: flight_check's bare_alias_skipped says why)"
        } else {
            "(or preview with bare_aliases := true if your runs get bare names)"
        };
        return row(
            None,
            "bare_secret_param",
            format!(
                "the run has no {}: secret {} provides it only as {}; read os.environ[{}] instead {or_aliases}",
                quoted(name),
                secrets.join(", "),
                names.join(", "),
                names.last().map(String::as_str).unwrap_or("''")
            ),
        );
    }
    if let Some((_, placeholder)) = context.placeholders.iter().find(|(prefix, _)| name.starts_with(prefix)) {
        let secret = placeholder.origin.strip_suffix(".*").unwrap_or(&placeholder.origin);
        return row(
            Some(EnvSource::Secret),
            "unverified",
            format!(
                "{} may come from secret {}, whose params are unknown: pass secrets := MAP {{{}: [...]}} to verify",
                quoted(name),
                quoted(secret),
                quoted(secret)
            ),
        );
    }
    let known = context.vars.iter().filter(|v| !(v.value.is_none() && v.name.ends_with('*'))).map(|v| v.name.as_str());
    let hint = suggest_key(name, known).map(|m| format!(" (did you mean {}?)", quoted(m))).unwrap_or_default();
    match read.access {
        Access::Required => row(
            None,
            "missing",
            format!(
                "the run has no {}{hint}: {} raises KeyError; add the key to the Flight's config (MD_UPDATE_FLIGHT with the \
                 full config map) or attach a secret that provides it",
                quoted(name),
                read.form
            ),
        ),
        Access::Optional => row(
            None,
            "missing_optional",
            format!("the run has no {}{hint}: {} falls back to its default", quoted(name), read.form),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::env::resolve;
    use crate::flight::{FlightSpec, ParamValue, SecretDef, SecretParam};

    type Read = (Option<String>, u32, Access);

    fn reads(source: &str) -> Vec<Read> {
        env_reads(source).into_iter().map(|r| (r.name, r.line, r.access)).collect()
    }

    fn names(source: &str) -> Vec<String> {
        env_reads(source).into_iter().map(|r| r.name.unwrap_or_else(|| "?".into())).collect()
    }

    fn req(name: &str, line: u32) -> Read {
        (Some(name.into()), line, Access::Required)
    }

    fn opt(name: &str, line: u32) -> Read {
        (Some(name.into()), line, Access::Optional)
    }

    #[test]
    fn every_access_form() {
        let src = r#"import os
a = os.environ["REQ"]
b = os.environ.get("GET")
c = os.environ.get("GET_DEFAULT", "x")
d = os.getenv("GETENV")
e = os.getenv("GETENV_DEFAULT", "x")
os.environ.setdefault("SETDEFAULT", "x")
if "IN_TEST" in os.environ: pass
if "NOT_IN" not in os.environ: pass
f = os.environ.pop("POP_DEFAULT", None)
g = os.environ.pop("POP")
h = os.getenv(key="KW_KEY", default="d")
i = os.environ.pop("POP_KW", default=None)
j = os.environ.__getitem__("DUNDER")
k = "IN_KEYS" in os.environ.keys()
os.environ["AUGMENTED"] += ":/x"
"#;
        assert_eq!(
            reads(src),
            vec![
                req("REQ", 2),
                opt("GET", 3),
                opt("GET_DEFAULT", 4),
                opt("GETENV", 5),
                opt("GETENV_DEFAULT", 6),
                opt("SETDEFAULT", 7),
                opt("IN_TEST", 8),
                opt("NOT_IN", 9),
                opt("POP_DEFAULT", 10),
                req("POP", 11),
                opt("KW_KEY", 12),
                opt("POP_KW", 13),
                req("DUNDER", 14),
                opt("IN_KEYS", 15),
                req("AUGMENTED", 16),
            ]
        );
    }

    #[test]
    fn aliases_count() {
        let src = r#"import os as o
from os import environ as env, getenv
from os import getenv as ge
import os.path
a = o.environ["A"]
b = env["B"]
c = getenv("C")
d = ge("D")
x = e2.get("E")
e2 = env
y = os.environ["F"]
def f():
    local = o.environ
    return local["G"]
if (w := os.environ):
    w.get("H")
get = os.environ.get
get("I")
copy = os.environ.copy()
copy["J"]
dict(os.environ)["K"]
o2 = os
o2.getenv("L")
"#;
        assert_eq!(names(src), ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"]);
        let star = "from os import *\nfrom duckdb import *\nenviron['A']\ngetenv('B')\nconnect('md:')\n";
        assert_eq!(names(star), ["A", "B", "MOTHERDUCK_TOKEN"]);
        // os.path is not os; a local dict named environ is not os.environ.
        let not_env =
            "import os.path as p\np.environ['A']\nenviron = {}\nenviron['B']\ngetenv('C')\nenv = {}\nenv['D']\n";
        assert!(reads(not_env).is_empty(), "{:?}", reads(not_env));
    }

    #[test]
    fn comments_strings_and_writes_do_not_count() {
        let src = r#"import os
# os.environ["IN_COMMENT"]
s = 'os.environ["IN_STRING"]'
"""os.getenv("IN_DOCSTRING")"""
os.environ["WRITTEN"] = "x"
a, os.environ["TUPLE_TARGET"] = 1, 2
[os.environ["LIST_TARGET"]] = ["x"]
os.environ["CHAINED"] = os.environ["ALSO_CHAINED"] = "x"
os.environ["ANNOTATED"]: str = "x"
del os.environ["DELETED"]
del x, os.environ["DELETED_TOO"]
for os.environ["LOOP"] in ["a"]: pass
os.putenv("PUT", "x")
os.environ.update({"UPDATED": "x"})
environ = {}
z = environ["NOT_OS"]
"#;
        assert!(reads(src).is_empty(), "{:?}", reads(src));
    }

    #[test]
    fn modern_syntax_parses() {
        let src = r#"import os
type Alias = list[int]
type Pair[T] = tuple[T, T]
def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T: (int, str)]:
    def get(self) -> T: ...
match os.environ.get("MODE", "a"):
    case "a" | "b" if os.getenv("GUARD"):
        value = f"{os.environ['INSIDE_FSTRING']}-x"
    case {"k": v}:
        pass
    case _:
        pass
token = os.getenv(
    "MULTI_LINE",
    "default",
)
nested = f"{f'{os.environ["PEP701"]}'}"
async def run():
    async with lock:
        await go(os.environ.get("ASYNC"))
try:
    pass
except* ValueError:
    pass
@decorator(os.getenv("DECORATOR"))
def g(): pass
x = [os.environ[k] for k in ("A",)]
lam = lambda: os.environ["LAMBDA"]
"#;
        let scan = scan_source(src);
        assert!(scan.syntax_errors.is_empty(), "{:?}", scan.syntax_errors);
        let got = reads(src);
        for want in [
            opt("MODE", 8),
            opt("GUARD", 9),
            req("INSIDE_FSTRING", 10),
            opt("MULTI_LINE", 15),
            req("PEP701", 19),
            opt("ASYNC", 22),
            opt("DECORATOR", 27),
            (None, 29, Access::Required),
            req("LAMBDA", 30),
        ] {
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
        assert_eq!(got.len(), 9, "{got:?}");
    }

    #[test]
    fn names_must_be_literals() {
        let src = r#"import os
p = "X"
a = os.environ[p]
b = os.getenv(f"{p}_KEY")
c = os.environ["A" + p]
d = os.environ["PLAIN" "CONCAT"]
e = os.environ[f"NO_INTERPOLATION"]
f = os.environ["PLUS_" + "LITERALS"]
g = os.environ[("PAREN")]
h = os.environ["ESC\x41PED"]
i = os.environ[r"RAW\n"]
j = os.environ["%s_KEY" % p]
k = os.environ["{}_KEY".format(p)]
l = os.environ[b"BYTES"]
m = os.getenv(*args)
n = os.environ[f"{{BRACES}}"]
o = os.environ.get(name, "sk-abcdefghijklmnopqrstuvwxyz0123")
"#;
        assert_eq!(
            names(src),
            [
                "?",
                "?",
                "?",
                "PLAINCONCAT",
                "NO_INTERPOLATION",
                "PLUS_LITERALS",
                "PAREN",
                "ESCAPED",
                "RAW\\n",
                "?",
                "?",
                "?",
                "?",
                "{BRACES}",
                "?"
            ]
        );
        let all = env_reads(src);
        let details: Vec<&str> = all.iter().filter(|r| r.name.is_none()).map(|r| r.detail.as_str()).collect();
        assert_eq!(details[0], "os.environ[p] at line 3");
        assert_eq!(details[1], "os.getenv(f\"...\") at line 4");
        assert_eq!(details[2], "os.environ[\"...\" + p] at line 5");
        // A literal's contents never reach the detail: it may be a secret.
        assert!(all.iter().all(|r| !r.detail.contains("sk-abc") && !r.detail.contains("_KEY")), "{details:?}");
    }

    #[test]
    fn motherduck_connections_need_the_token() {
        let src = r#"import duckdb
import duckdb as ddb
from duckdb import connect
from duckdb import connect as c2
a = duckdb.connect("md:")
b = ddb.connect("md:my_db")
c = connect(database="motherduck:x")
d = c2(f"md:{db}")
e = duckdb.connect("MD:" + db, read_only=True)
f = duckdb.connect(
    "md:multi",
)
g = duckdb.connect("local.duckdb")
h = duckdb.connect()
i = duckdb.connect(":memory:")
j = duckdb.connect("md:?motherduck_token=abc")
k = duckdb.connect("md:", config={"motherduck_token": t})
l = duckdb.connect(path)
"#;
        let got = env_reads(src);
        assert_eq!(got.iter().map(|r| r.line).collect::<Vec<_>>(), [5, 6, 7, 8, 9, 10]);
        assert!(got.iter().all(|r| r.name.as_deref() == Some("MOTHERDUCK_TOKEN") && r.access == Access::Required));
        assert_eq!(got[1].detail, "ddb.connect(\"...\") at line 6");
    }

    const SECRET_LITERALS: [&str; 8] = [
        "sk-abcdefghijklmnopqrstuvwxyz0123",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
        "xoxb-1234567890-abcdefghijkl",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk",
        "-----BEGIN RSA PRIVATE KEY-----\\nMIIabc\\n-----END RSA PRIVATE KEY-----",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJtZCI6InRva2VuIn0.c2lnbmF0dXJlX2hlcmU",
    ];

    #[test]
    fn credentials_are_found_but_never_echoed() {
        let mut src = String::from("import os\n");
        for (i, literal) in SECRET_LITERALS.iter().enumerate() {
            src.push_str(&format!("v{i} = \"{literal}\"\n"));
        }
        src.push_str("# 'sk-not-in-a-comment-abcdefghijklmnop'\n");
        src.push_str("h = {\"Authorization\": f\"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk {x}\"}\n");
        src.push_str("doc = \"\"\"first line\n  token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n\"\"\"\n");
        src.push_str("pem = '''-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----'''\n");
        src.push_str("plain = ['us-east-1', 'sk-short', 'https://example.com/a.b.c', 'AKIA']\n");
        src.push_str("x = os.environ.get('K', 'sk-abcdefghijklmnopqrstuvwxyz0123')\n");
        let scan = scan_source(&src);
        let lines: Vec<u32> = scan.credential_literals.iter().map(|c| c.0).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15, 19], "{:?}", scan.credential_literals);
        let rows = check_source(&scan, &[]);
        assert_eq!(rows.iter().filter(|r| r.status == "credential_in_source").count(), 12);
        for row in &rows {
            let shown = format!("{row:?}");
            for secret in ["abcdefghijklmnop", "AKIAIOSF", "eyJ", "MIIabc", "xoxb", "github_pat"] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
        for read in &scan.reads {
            assert!(!format!("{read:?}").contains("abcdefghijklmnop"), "{read:?}");
        }
    }

    #[test]
    fn syntax_errors_still_yield_reads() {
        let src = "import os\ndef broken(:\n    pass\nx = os.environ['STILL_READ']\ny = (\n";
        let scan = scan_source(src);
        assert_eq!(scan.syntax_errors.first(), Some(&(2, 12)), "{:?}", scan.syntax_errors);
        assert!(scan.reads.iter().any(|r| r.name.as_deref() == Some("STILL_READ")));
        let rows = check_source(&scan, &[]);
        let syntax = rows.iter().find(|r| r.status == "syntax_error").unwrap();
        assert!(syntax.message.starts_with("Python syntax error near line 2, column 12"), "{}", syntax.message);
        // Columns count characters, not bytes.
        let scan = scan_source("é = 'ü' ) os.environ['A']\n");
        assert_eq!(scan.syntax_errors.first().map(|e| e.1), Some(9), "{:?}", scan.syntax_errors);
        // Many errors are capped, and each line counts once.
        let garbage: String = (0..100).map(|i| format!("def f{i}(:\n    pass\n")).collect();
        let scan = scan_source(&garbage);
        assert_eq!(scan.syntax_errors.len(), MAX_SYNTAX_ERRORS);
        assert!(scan.syntax_errors.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = format!("import os\nx = {}os.environ['DEEP']{}\n", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(names(&src), ["DEEP"]);
        let key = format!("import os\nx = os.environ[{}'K'{}]\n", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(reads(&key).len(), 1);
        let calls = format!("import os\nx = {}os.getenv('C'){}\n", "f(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(names(&calls), ["C"]);
        let plus = format!("import os\nx = os.environ[{}'A']\n", "'A' + ".repeat(10_000));
        assert_eq!(names(&plus), ["?"]);
        let lists = format!("import os\nx = {}os.environ['L']{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(names(&lists), ["L"]);
        let indent: String = (0..500).map(|i| format!("{}if x:\n", " ".repeat(i))).collect::<String>()
            + &" ".repeat(500)
            + "os.environ['I']\n";
        assert_eq!(names(&format!("import os\n{indent}")), ["I"]);
        for unclosed in ["[".repeat(50_000), "(".repeat(50_000), "{".repeat(50_000), "f(".repeat(20_000)] {
            let scan = scan_source(&unclosed);
            assert!(scan.reads.is_empty());
            let _ = check_source(&scan, &[]);
        }
        // The same on a thread with a small stack.
        let small = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || (names(&src), scan_source(&"(".repeat(50_000)).reads.len()))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(small, (vec!["DEEP".to_owned()], 0));
    }

    #[test]
    fn odd_inputs_never_panic() {
        assert!(scan_source("").reads.is_empty());
        assert_eq!(scan_source(""), SourceScan::default());
        assert!(env_reads("   \n\n\t").is_empty());
        assert!(env_reads("\0\0import os\0os.environ['A']\0").len() <= 1);
        assert!(env_reads("\u{feff}import os\nos.environ['BOM']\n").len() <= 1);
        // A pseudo-random mix of Python fragments.
        let pieces = [
            "os.environ[",
            "]",
            "(",
            ")",
            "'A'",
            "\"B\"",
            "f\"{",
            "}\"",
            "getenv(",
            "import os as o\n",
            "\n",
            "    ",
            "=",
            "del ",
            "in ",
            "md:",
            "duckdb.connect(",
            ",",
            "\\",
            "'''",
            "#",
            "é",
            "\u{0}",
            "+",
            "e = os.environ\n",
            "e[",
            "sk-abcdefghijklmnopqrstuvwxyz",
            "lambda:",
            "match x:\n",
            "case ",
            "\t",
            "\r\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..1500 {
            let mut src = String::new();
            for _ in 0..(seed % 60) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                src.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let scan = scan_source(&src);
            let rows = check_source(&scan, &[]);
            assert!(rows.iter().all(|r| !r.message.contains("abcdefghijklmnop")));
            assert_eq!(env_reads(&src), scan.reads);
        }
    }

    fn docs_spec() -> FlightSpec {
        FlightSpec {
            config: Some(vec![("REGION".into(), Some("us".into())), ("UNUSED".into(), Some("x".into()))]),
            flight_secret_names: Some(vec![Some("my_api_secret".into()), Some("other".into())]),
            secrets: Some(vec![SecretDef {
                name: "my_api_secret".into(),
                params: vec![SecretParam { key: "API_KEY".into(), value: ParamValue::KeyOnly }],
            }]),
            ..Default::default()
        }
    }

    fn statuses(rows: &[SourceRow]) -> Vec<(&str, Option<u32>, &str)> {
        rows.iter().map(|r| (r.name.as_str(), r.line, r.status)).collect()
    }

    #[test]
    fn statuses_against_the_docs_example() {
        let vars = resolve(&docs_spec()).vars;
        let src = r#"import os, duckdb
key = os.environ["API_KEY"]
region = os.environ["REGION"]
batch = os.environ.get("BATCH_SIZE", "1000")
missing = os.environ["REGOIN"]
good = os.environ["MY_API_SECRET_API_KEY"]
con = duckdb.connect("md:")
unverified = os.getenv("OTHER_TOKEN")
region_again = os.environ["REGION"]
flight = os.environ["MOTHERDUCK_FLIGHT_ID"]
case = os.environ["region"]
"#;
        let rows = check_source(&scan_source(src), &vars);
        assert_eq!(
            statuses(&rows),
            vec![
                ("API_KEY", Some(2), "bare_secret_param"),
                ("REGION", Some(3), "ok"),
                ("BATCH_SIZE", Some(4), "missing_optional"),
                ("REGOIN", Some(5), "missing"),
                ("MY_API_SECRET_API_KEY", Some(6), "ok"),
                ("MOTHERDUCK_TOKEN", Some(7), "ok"),
                ("OTHER_TOKEN", Some(8), "missing_optional"),
                ("REGION", Some(9), "ok"),
                ("MOTHERDUCK_FLIGHT_ID", Some(10), "ok"),
                ("region", Some(11), "missing"),
                ("UNUSED", None, "unused"),
            ]
        );
        assert_eq!(
            rows[0].message,
            "the run has no 'API_KEY': secret 'my_api_secret' provides it only as 'MY_API_SECRET_API_KEY'; read \
             os.environ['MY_API_SECRET_API_KEY'] instead (or preview with bare_aliases := true if your runs get bare names)"
        );
        assert_eq!(rows[0].provided_by, None);
        assert!(rows[3].message.contains("did you mean 'REGION'?"), "{}", rows[3].message);
        assert!(rows[3].message.contains("raises KeyError"), "{}", rows[3].message);
        assert!(rows[9].message.contains("did you mean 'REGION'?"), "{}", rows[9].message);
        assert_eq!((rows[4].provided_by, rows[5].provided_by), (Some(EnvSource::Secret), Some(EnvSource::Token)));
        assert!(rows[5].message.starts_with("the md: connection needs MOTHERDUCK_TOKEN"), "{}", rows[5].message);
        assert!(rows[6].message.contains("falls back to its default"), "{}", rows[6].message);
        assert!(rows[8].message.contains("MotherDuck sets"), "{}", rows[8].message);
        assert!(rows.iter().all(|r| r.access.is_some() == r.line.is_some()));
        // With the secrets' params unknown, a prefixed read cannot be verified.
        let mut unknown = docs_spec();
        unknown.secrets = None;
        let rows = check_source(&scan_source("import os\nx = os.environ['OTHER_TOKEN']\n"), &resolve(&unknown).vars);
        assert_eq!((rows[0].status, rows[0].provided_by), ("unverified", Some(EnvSource::Secret)));
        assert!(rows[0].message.contains("secrets := MAP {'other': [...]}"), "{}", rows[0].message);
    }

    #[test]
    fn bare_aliases_provide_the_bare_name() {
        let mut spec = docs_spec();
        spec.bare_aliases = true;
        let rows = check_source(&scan_source("import os\nkey = os.environ['API_KEY']\n"), &resolve(&spec).vars);
        assert_eq!(rows[0].status, "ok");
        assert_eq!(rows[0].provided_by, Some(EnvSource::SecretAlias));
        // A config key with the bare name wins over the alias: it provides the read.
        spec.config = Some(vec![("API_KEY".into(), Some("x".into()))]);
        let rows = check_source(&scan_source("import os\nkey = os.environ['API_KEY']\n"), &resolve(&spec).vars);
        assert_eq!((rows[0].status, rows[0].provided_by), ("ok", Some(EnvSource::Config)));
    }

    #[test]
    fn unused_and_dynamic() {
        let vars = resolve(&docs_spec()).vars;
        let rows = check_source(&scan_source("import os\nx = os.environ[name]\ny = os.getenv(f'{p}_X')\n"), &vars);
        assert_eq!(
            statuses(&rows),
            vec![
                ("(dynamic)", Some(2), "dynamic"),
                ("(dynamic)", Some(3), "dynamic"),
                ("MY_API_SECRET_API_KEY", None, "unused"),
                ("REGION", None, "unused"),
                ("UNUSED", None, "unused"),
            ]
        );
        assert_eq!((rows[0].access, rows[1].access), (Some(Access::Required), Some(Access::Optional)));
        assert!(rows[0].message.contains("computed at run time"), "{}", rows[0].message);
        assert!(rows[2..].iter().all(|r| r.message.contains("may include it") && r.access.is_none()));
        assert_eq!(rows[2].provided_by, Some(EnvSource::Secret));
        // The token and the placeholder of a secret with unknown params are never unused.
        assert!(rows.iter().all(|r| r.name != "MOTHERDUCK_TOKEN" && !r.name.ends_with('*')));
        // An empty source reads nothing: every config key and secret variable is unused.
        let rows = check_source(&scan_source(""), &vars);
        assert_eq!(rows.iter().filter(|r| r.status == "unused").count(), 3);
    }

    #[test]
    fn secret_names_with_dots_and_lower_naming() {
        let spec = FlightSpec {
            secrets: Some(vec![SecretDef {
                name: "team.api".into(),
                params: vec![SecretParam { key: "KEY".into(), value: ParamValue::Given("v".into()) }],
            }]),
            secret_naming: Some("lower".into()),
            ..Default::default()
        };
        let vars = resolve(&spec).vars;
        let rows = check_source(&scan_source("import os\nos.environ['KEY']\nos.environ['TEAM.API_KEY']\n"), &vars);
        assert_eq!(rows[0].status, "bare_secret_param", "{rows:?}");
        assert!(rows[0].message.contains("secret 'team.api'"), "{}", rows[0].message);
        assert!(rows[1].message.contains("did you mean 'team.api_KEY'?"), "{}", rows[1].message);
        // The value is never shown.
        assert!(rows.iter().all(|r| !r.message.contains("'v'")));
    }

    /// The thread-local parser is reused across many sources with the same answers
    /// (speed is measured by `make bench` and `make stress`, never asserted in a test).
    #[test]
    fn the_parser_is_reused_across_sources() {
        let source = "import os\nv = os.environ['KEY_1']\nw = os.getenv('OPT')\n".repeat(20);
        for _ in 0..200 {
            assert_eq!(env_reads(&source).len(), 40);
        }
    }
}
