//! The variables of a run by name, placed and replaced as the rules go.

use crate::flight::EnvVar;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry;

/// The variables by name. Rows live in a plain vector and borrow what they
/// can from the spec; the index borrows config keys too, so a config of a
/// million keys costs one small index entry per key and no copy of a key or
/// a value. The index hashes with FxHash: it runs for every variable of every
/// Flight row, and its keys are the caller's own description of a Flight (no
/// one else's input to defend against crafted collisions).
#[derive(Default)]
pub(super) struct Vars<'s> {
    rows: Vec<EnvVar<'s>>,
    index: FxHashMap<Cow<'s, str>, usize>,
}

impl<'s> Vars<'s> {
    pub(super) fn reserve(&mut self, additional: usize) {
        self.rows.reserve(additional);
        self.index.reserve(additional);
    }

    pub(super) fn get(&self, name: &str) -> Option<&EnvVar<'s>> {
        self.index.get(name).and_then(|&i| self.rows.get(i))
    }

    pub(super) fn get_mut(&mut self, name: &str) -> Option<&mut EnvVar<'s>> {
        self.index.get(name).and_then(|&i| self.rows.get_mut(i))
    }

    /// Adds `var` under its own name, replacing a row of that name.
    pub(super) fn put(&mut self, var: EnvVar<'s>) {
        match self.index.entry(var.name.clone()) {
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

    /// The rows in the order they were placed.
    pub(super) fn into_rows(self) -> Vec<EnvVar<'s>> {
        self.rows
    }

    /// The rows ordered by name; names are unique by construction.
    pub(super) fn into_sorted(self) -> Vec<EnvVar<'s>> {
        let mut rows = self.rows;
        rows.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        rows
    }
}
