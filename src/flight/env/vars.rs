//! The variables of a run by name, placed and replaced as the rules go.

use crate::flight::EnvVar;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// The variables by name. Rows live in a plain vector and the index borrows
/// config keys from the spec, so a config of a million keys costs one small
/// index entry per key and no extra copy of the key.
#[derive(Default)]
pub(super) struct Vars<'s> {
    rows: Vec<EnvVar>,
    index: HashMap<Cow<'s, str>, usize>,
}

impl<'s> Vars<'s> {
    pub(super) fn reserve(&mut self, additional: usize) {
        self.rows.reserve(additional);
        self.index.reserve(additional);
    }

    pub(super) fn get(&self, name: &str) -> Option<&EnvVar> {
        self.index.get(name).and_then(|&i| self.rows.get(i))
    }

    pub(super) fn get_mut(&mut self, name: &str) -> Option<&mut EnvVar> {
        self.index.get(name).and_then(|&i| self.rows.get_mut(i))
    }

    /// Adds `var` under `name` (its own name), replacing a row of that name.
    pub(super) fn put(&mut self, name: Cow<'s, str>, var: EnvVar) {
        debug_assert_eq!(name, var.name);
        match self.index.entry(name) {
            Entry::Occupied(slot) => {
                if let Some(row) = self.rows.get_mut(*slot.get()) {
                    *row = var;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(self.rows.len());
                self.rows.push(var);
            }
        }
    }

    /// The rows ordered by name; names are unique by construction.
    pub(super) fn into_sorted(self) -> Vec<EnvVar> {
        let mut rows = self.rows;
        rows.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        rows
    }
}
