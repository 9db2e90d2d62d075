//! Reading a config map without copying it: [`ConfigView`] takes an owned
//! [`ConfigMap`] as well as borrowed [`Pair`]s, and [`Lookup`] finds keys by
//! scanning small maps and hashing large ones.

use crate::flight::ConfigMap;
use std::collections::HashMap;

/// One config entry, borrowed: key and value (NULL as `None`).
pub type Pair<'a> = (&'a str, Option<&'a str>);

/// Borrows an owned config map as pairs.
pub fn pairs(map: &ConfigMap) -> Vec<Pair<'_>> {
    map.iter().map(|(key, value)| (key.as_str(), value.as_deref())).collect()
}

/// A config map the rules can read, without copying it: `&ConfigMap` (or a
/// slice of owned entries) and `&[Pair]` (or `&Vec<Pair>`, or an array).
pub trait ConfigView<'a>: Copy {
    /// What [`effective_config`](super::effective_config) returns for a stored config of this form:
    /// a [`ConfigMap`] for owned entries, `Vec<Pair>` for borrowed ones.
    type Effective;

    /// The entries in map order.
    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone;

    /// Collects entries into [`Self::Effective`].
    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> Self::Effective;
}

impl<'a> ConfigView<'a> for &'a [(String, Option<String>)] {
    type Effective = ConfigMap;

    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone {
        self.iter().map(|(key, value)| (key.as_str(), value.as_deref()))
    }

    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> ConfigMap {
        entries.map(|(key, value)| (key.to_owned(), value.map(str::to_owned))).collect()
    }
}

impl<'a> ConfigView<'a> for &'a ConfigMap {
    type Effective = ConfigMap;

    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone {
        self.as_slice().entries()
    }

    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> ConfigMap {
        <&[(String, Option<String>)]>::collect_effective(entries)
    }
}

impl<'a> ConfigView<'a> for &[Pair<'a>] {
    type Effective = Vec<Pair<'a>>;

    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone {
        self.iter().copied()
    }

    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> Vec<Pair<'a>> {
        entries.collect()
    }
}

impl<'a> ConfigView<'a> for &Vec<Pair<'a>> {
    type Effective = Vec<Pair<'a>>;

    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone {
        self.iter().copied()
    }

    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> Vec<Pair<'a>> {
        entries.collect()
    }
}

impl<'a, const N: usize> ConfigView<'a> for &[Pair<'a>; N] {
    type Effective = Vec<Pair<'a>>;

    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone {
        self.iter().copied()
    }

    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> Vec<Pair<'a>> {
        entries.collect()
    }
}

/// A reference to a view reads like the view: `&&ConfigMap` works as `&ConfigMap`.
impl<'a, V: ConfigView<'a>> ConfigView<'a> for &V {
    type Effective = V::Effective;

    fn entries(self) -> impl ExactSizeIterator<Item = Pair<'a>> + Clone {
        (*self).entries()
    }

    fn collect_effective(entries: impl Iterator<Item = Pair<'a>>) -> Self::Effective {
        V::collect_effective(entries)
    }
}

/// Up to this many keys (or lookups) a linear scan beats building a hash index.
pub(crate) const SCAN_UP_TO: usize = 16;

/// Whether `lookups` lookups into a map of `len` keys justify a hash index.
pub(crate) fn worth_indexing(len: usize, lookups: usize) -> bool {
    len > SCAN_UP_TO && lookups > SCAN_UP_TO
}

/// Finds keys in one map: scans it, or hashes it once lookups would cost more.
/// On a repeated key (out of contract: DuckDB map keys never repeat) the first wins.
pub(crate) struct Lookup<'a, I> {
    entries: I,
    index: Option<HashMap<&'a str, Option<&'a str>>>,
}

impl<'a, I: ExactSizeIterator<Item = Pair<'a>> + Clone> Lookup<'a, I> {
    /// A lookup into `entries`, which is about to be asked `lookups` times.
    pub(crate) fn new(entries: I, lookups: usize) -> Self {
        let index = worth_indexing(entries.len(), lookups).then(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (key, value) in entries.clone() {
                index.entry(key).or_insert(value);
            }
            index
        });
        Lookup { entries, index }
    }

    /// `Some(value)` when the map has `key`, `None` when it does not.
    pub(crate) fn get(&self, key: &str) -> Option<Option<&'a str>> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.clone().find(|&(k, _)| k == key).map(|(_, value)| value),
        }
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}
