//! What names mean: which names are bound to `os`, `os.environ`,
//! `os.getenv`, `duckdb` and `duckdb.connect` (imports, aliases,
//! assignments), and which subscripts are written rather than read.

use super::scanner::{unparenthesize, Args, Binding, Found, Method, Scanner, MAX_CHAIN};
use tree_sitter::Node;

impl<'s> Scanner<'s> {
    /// Remembers every subscript that `target` (the left side of `=`, a `for`
    /// target, a `del` statement) writes or deletes, through tuples and lists.
    pub(super) fn mark_targets(&mut self, target: Node) {
        let ids = self.ids;
        let walks_into = |kind: u16| {
            [
                ids.pattern_list,
                ids.tuple_pattern,
                ids.list_pattern,
                ids.tuple,
                ids.list,
                ids.parenthesized_expression,
                ids.expression_list,
                ids.list_splat_pattern,
                ids.list_splat,
                ids.delete_statement,
            ]
            .contains(&kind)
        };
        let kind = target.kind_id();
        if kind == ids.subscript {
            self.targets.insert(target.id());
            return;
        }
        if !walks_into(kind) {
            // A plain name (`x = ...`): nothing is written through it.
            return;
        }
        let mut stack = vec![target];
        while let Some(node) = stack.pop() {
            let kind = node.kind_id();
            if kind == ids.subscript {
                self.targets.insert(node.id());
            } else if walks_into(kind) {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
        }
    }

    /// Binds the names imports and simple assignments give to `os`, `os.environ`,
    /// `os.getenv`, `duckdb` and `duckdb.connect`. Imports count wherever they
    /// are; assignments are followed until nothing changes (`e2 = env` after
    /// `env = os.environ`, in any order).
    pub(super) fn collect_names(&mut self, found: &Found) {
        for &node in &found.imports {
            if node.kind_id() == self.ids.import_statement {
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
            let module = node.child_by_field_id(self.ids.f_module_name).map(|m| self.text(m)).unwrap_or("");
            let bindings: &[(&str, Binding)] = match module {
                "os" => &[("environ", Binding::Environ), ("getenv", Binding::Getenv)],
                "duckdb" => &[("connect", Binding::Connect)],
                _ => continue,
            };
            let mut cursor = node.walk();
            if node.named_children(&mut cursor).any(|c| c.kind_id() == self.ids.wildcard_import) {
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
    pub(super) fn bound_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        if node.kind_id() == self.ids.named_expression {
            return node.child_by_field_id(self.ids.f_value);
        }
        let mut value = node.child_by_field_id(self.ids.f_right)?;
        for _ in 0..MAX_CHAIN {
            if value.kind_id() != self.ids.assignment {
                return Some(value);
            }
            value = value.child_by_field_id(self.ids.f_right)?;
        }
        None
    }

    /// What an expression is, when a name bound to it becomes an alias.
    pub(super) fn value_binding(&self, value: Node) -> Option<Binding> {
        let value = unparenthesize(value);
        if self.is_environ(value) {
            return Some(Binding::Environ);
        }
        if let Some(binding) = self.binding(value) {
            return Some(binding);
        }
        if value.kind_id() != self.ids.attribute {
            return None;
        }
        let object = unparenthesize(value.child_by_field_id(self.ids.f_object)?);
        let attribute = self.text(value.child_by_field_id(self.ids.f_attribute)?);
        match (self.binding(object), attribute) {
            (Some(Binding::Os), "getenv") => Some(Binding::Getenv),
            (Some(Binding::Duckdb), "connect") => Some(Binding::Connect),
            _ if self.is_environ(object) => Method::from_name(attribute).map(Binding::EnvironMethod),
            _ => None,
        }
    }

    /// `(module or name, alias)` of an import's `name` field.
    pub(super) fn import_parts(&self, node: Node) -> (&'s str, Option<&'s str>) {
        if node.kind_id() == self.ids.aliased_import {
            let name = node.child_by_field_id(self.ids.f_name).map(|n| self.text(n)).unwrap_or("");
            (name, node.child_by_field_id(self.ids.f_alias).map(|a| self.text(a)))
        } else {
            (self.text(node), None)
        }
    }
}

/// Recognising `os.environ` (through any alias, or a copy of it) and its attributes.
impl<'s> Scanner<'s> {
    /// `attribute` of something bound to `binding`: `os.getenv`, `ddb.connect`.
    pub(super) fn is_attribute_of(&self, node: Node, binding: Binding, attribute: &str) -> bool {
        node.kind_id() == self.ids.attribute
            && node.child_by_field_id(self.ids.f_attribute).is_some_and(|a| self.text(a) == attribute)
            && node
                .child_by_field_id(self.ids.f_object)
                .is_some_and(|o| self.binding(unparenthesize(o)) == Some(binding))
    }

    /// `os.environ` (through any alias of os), a name bound to it, or a copy
    /// of it (`os.environ.copy()`, `dict(os.environ)`), which reads the same.
    pub(super) fn is_environ(&self, node: Node) -> bool {
        let mut node = node;
        for _ in 0..MAX_CHAIN {
            node = unparenthesize(node);
            if self.binding(node) == Some(Binding::Environ) || self.is_attribute_of(node, Binding::Os, "environ") {
                return true;
            }
            if node.kind_id() != self.ids.call {
                return false;
            }
            let (Some(function), Some(arguments)) =
                (node.child_by_field_id(self.ids.f_function), node.child_by_field_id(self.ids.f_arguments))
            else {
                return false;
            };
            let function = unparenthesize(function);
            let kind = function.kind_id();
            node = if kind == self.ids.attribute && self.attr_name(function) == Some("copy") {
                if Args::of(arguments, self).count != 0 {
                    return false;
                }
                match function.child_by_field_id(self.ids.f_object) {
                    Some(object) => object,
                    None => return false,
                }
            } else if kind == self.ids.identifier && self.text(function) == "dict" {
                let args = Args::of(arguments, self);
                match (args.count, args.first_positional) {
                    (1, Some(only)) => only,
                    _ => return false,
                }
            } else {
                return false;
            };
        }
        false
    }

    pub(super) fn attr_name(&self, attribute: Node) -> Option<&'s str> {
        attribute.child_by_field_id(self.ids.f_attribute).map(|a| self.text(a))
    }

    /// `os.environ.keys()`.
    pub(super) fn is_environ_keys(&self, node: Node) -> bool {
        let node = unparenthesize(node);
        node.kind_id() == self.ids.call
            && node.child_by_field_id(self.ids.f_arguments).is_some_and(|a| Args::of(a, self).count == 0)
            && node.child_by_field_id(self.ids.f_function).is_some_and(|f| {
                f.kind_id() == self.ids.attribute
                    && self.attr_name(f) == Some("keys")
                    && f.child_by_field_id(self.ids.f_object).is_some_and(|o| self.is_environ(o))
            })
    }
}
