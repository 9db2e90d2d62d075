//! What names mean: which names are bound to `os`, `os.environ`,
//! `os.getenv`, `duckdb` and `duckdb.connect` (imports, aliases,
//! assignments), and recognising `os.environ` through them.

use super::scanner::{Args, Binding, Found, Method, Scanner, MAX_CHAIN};
use ruff_python_ast::{Expr, StmtImport, StmtImportFrom};

impl<'a> Scanner<'a> {
    /// Binds the names `import os [as o]`, `import os.path` (binds `os`),
    /// `import duckdb [as d]` give. Imports count wherever they are.
    pub(super) fn bind_import(&mut self, import: &'a StmtImport) {
        for alias in &import.names {
            let module = alias.name.id.as_str();
            let top = module.split('.').next().unwrap_or("");
            let binding = match top {
                "os" => Binding::Os,
                "duckdb" => Binding::Duckdb,
                _ => continue,
            };
            match &alias.asname {
                // `import os.path as p` binds p to os.path, not os.
                Some(asname) if module == top => _ = self.names.insert(asname.id.as_str(), binding),
                Some(_) => {}
                // `import os.path` binds os.
                None => _ = self.names.insert(top, binding),
            }
        }
    }

    /// Binds the names `from os import environ, getenv [as g]`, `from os import *`,
    /// `from duckdb import connect` give (absolute imports only).
    pub(super) fn bind_import_from(&mut self, import: &'a StmtImportFrom) {
        let module = match (&import.module, import.level) {
            (Some(module), 0) => module.id.as_str(),
            _ => return,
        };
        let bindings: &[(&'static str, Binding)] = match module {
            "os" => &[("environ", Binding::Environ), ("getenv", Binding::Getenv)],
            "duckdb" => &[("connect", Binding::Connect)],
            _ => return,
        };
        for alias in &import.names {
            let imported = alias.name.id.as_str();
            if imported == "*" {
                for &(name, binding) in bindings {
                    self.names.insert(name, binding);
                }
            } else if let Some(&(_, binding)) = bindings.iter().find(|(n, _)| *n == imported) {
                let name = alias.asname.as_ref().map_or(imported, |a| a.id.as_str());
                self.names.insert(name, binding);
            }
        }
    }

    /// Follows simple assignments until nothing changes (`e2 = env` after
    /// `env = os.environ`, in any order).
    pub(super) fn collect_names(&mut self, found: &Found<'a>) {
        for _ in 0..8 {
            let mut changed = false;
            for &(name, value) in &found.bindings {
                let Some(binding) = self.value_binding(value) else { continue };
                if !name.is_empty() && self.names.insert(name, binding) != Some(binding) {
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// What an expression is, when a name bound to it becomes an alias.
    fn value_binding(&self, value: &Expr) -> Option<Binding> {
        if self.is_environ(value) {
            return Some(Binding::Environ);
        }
        if let Some(binding) = self.binding(value) {
            return Some(binding);
        }
        let Expr::Attribute(attribute) = value else { return None };
        match (self.binding(&attribute.value), attribute.attr.id.as_str()) {
            (Some(Binding::Os), "getenv") => Some(Binding::Getenv),
            (Some(Binding::Duckdb), "connect") => Some(Binding::Connect),
            (_, name) if self.is_environ(&attribute.value) => Method::from_name(name).map(Binding::EnvironMethod),
            _ => None,
        }
    }
}

/// Recognising `os.environ` (through any alias, or a copy of it) and its attributes.
impl Scanner<'_> {
    /// `attribute` of something bound to `binding`: `os.getenv`, `ddb.connect`.
    pub(super) fn is_attribute_of(&self, expr: &Expr, binding: Binding, attribute: &str) -> bool {
        matches!(expr, Expr::Attribute(a) if a.attr.id.as_str() == attribute && self.binding(&a.value) == Some(binding))
    }

    /// `os.environ` (through any alias of os), a name bound to it, or a copy
    /// of it (`os.environ.copy()`, `dict(os.environ)`), which reads the same.
    pub(super) fn is_environ(&self, expr: &Expr) -> bool {
        let mut expr = expr;
        for _ in 0..MAX_CHAIN {
            if self.binding(expr) == Some(Binding::Environ) || self.is_attribute_of(expr, Binding::Os, "environ") {
                return true;
            }
            let Expr::Call(call) = expr else { return false };
            expr = match &*call.func {
                Expr::Attribute(copy) if copy.attr.id.as_str() == "copy" => {
                    if Args::of(&call.arguments).count != 0 {
                        return false;
                    }
                    &copy.value
                }
                Expr::Name(dict) if dict.id.as_str() == "dict" => {
                    let args = Args::of(&call.arguments);
                    match (args.count, args.first_positional) {
                        (1, Some(only)) => only,
                        _ => return false,
                    }
                }
                _ => return false,
            };
        }
        false
    }

    /// `os.environ.keys()`.
    pub(super) fn is_environ_keys(&self, expr: &Expr) -> bool {
        let Expr::Call(call) = expr else { return false };
        Args::of(&call.arguments).count == 0
            && matches!(&*call.func, Expr::Attribute(keys) if keys.attr.id.as_str() == "keys" && self.is_environ(&keys.value))
    }
}
