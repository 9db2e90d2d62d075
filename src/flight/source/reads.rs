//! Recognising each kind of environment read: `os.environ[...]`,
//! `os.environ.get/pop/setdefault(...)`, `os.getenv(...)`, `in os.environ`,
//! and `duckdb.connect("md:...")` (which reads MOTHERDUCK_TOKEN).

use super::scanner::{line, unparenthesize, Args, Binding, Method, Scanner, MAX_CHAIN};
use super::{Access, EnvRead};
use std::num::NonZeroU16;
use tree_sitter::Node;

impl<'s> Scanner<'s> {
    pub(super) fn read(
        &self,
        reads: &mut Vec<EnvRead>,
        node: Node,
        name: Option<String>,
        access: Access,
        form: &'static str,
    ) {
        let line = line(node);
        let detail = format!("{} at line {line}", self.display(node));
        reads.push(EnvRead { name, line, access, form, detail });
    }

    /// `os.environ["X"]`, unless it is assigned or deleted (`+=` reads it first: it counts).
    pub(super) fn subscript(&self, node: Node, reads: &mut Vec<EnvRead>) {
        if self.targets.contains(&node.id())
            || !node.child_by_field_id(self.ids.f_value).is_some_and(|v| self.is_environ(v))
        {
            return;
        }
        let Some(field) = NonZeroU16::new(self.ids.f_subscript) else { return };
        let mut cursor = node.walk();
        let mut keys = node.children_by_field_id(field, &mut cursor);
        let name = match (keys.next(), keys.next()) {
            (Some(key), None) => self.literal(key),
            _ => None,
        };
        self.read(reads, node, name, Access::Required, "os.environ[...]");
    }

    /// `os.environ.get/setdefault/pop(...)`, `os.getenv(...)`, `duckdb.connect("md:...")`.
    pub(super) fn call(&self, node: Node, reads: &mut Vec<EnvRead>) {
        let (Some(function), Some(arguments)) =
            (node.child_by_field_id(self.ids.f_function), node.child_by_field_id(self.ids.f_arguments))
        else {
            return;
        };
        let function = unparenthesize(function);
        // The arguments are gathered only for a call that reads.
        let method = match self.binding(function) {
            Some(Binding::Getenv) => Some(None),
            Some(Binding::EnvironMethod(method)) => Some(Some(method)),
            Some(Binding::Connect) => return self.connect(node, &Args::of(arguments, self), reads),
            _ if self.is_attribute_of(function, Binding::Os, "getenv") => Some(None),
            _ if self.is_attribute_of(function, Binding::Duckdb, "connect") => {
                return self.connect(node, &Args::of(arguments, self), reads)
            }
            _ if function.kind_id() == self.ids.attribute
                && function.child_by_field_id(self.ids.f_object).is_some_and(|o| self.is_environ(o)) =>
            {
                match self.attr_name(function).and_then(Method::from_name) {
                    Some(method) => Some(Some(method)),
                    None => return,
                }
            }
            _ => None,
        };
        let Some(method) = method else { return };
        let args = Args::of(arguments, self);
        // A call without any argument reads nothing (it raises TypeError).
        let Some(key) = args.first_or_keyword("key") else {
            if args.count > 0 {
                // `os.getenv(*args)`, `os.environ.get(**kw)`: computed.
                let access = if method == Some(Method::GetItem) { Access::Required } else { Access::Optional };
                self.read(reads, node, None, access, "os.environ.get(...)");
            }
            return;
        };
        let name = if key.kind_id() == self.ids.list_splat { None } else { self.literal(key) };
        let has_default = args.positional > 1 || args.keyword("default").is_some();
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
    pub(super) fn connect(&self, node: Node, args: &Args, reads: &mut Vec<EnvRead>) {
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
    pub(super) fn mentions_token(&self, node: Node) -> bool {
        let mut cursor = node.walk();
        for _ in 0..MAX_CHAIN * 4 {
            let current = cursor.node();
            if current.kind_id() == self.ids.string
                && self.string_value(current).is_some_and(|v| v.eq_ignore_ascii_case("motherduck_token"))
            {
                return true;
            }
            if current.kind_id() != self.ids.string && cursor.goto_first_child() {
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
    pub(super) fn membership(&self, node: Node, reads: &mut Vec<EnvRead>) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).filter(|c| c.kind_id() != self.ids.comment).collect();
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
}
