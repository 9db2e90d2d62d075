//! Each distinct source scanned once: the [`ScanCache`], which hands out the
//! [`SourceScan`] of a source it has seen before instead of parsing it again
//! (the versions of a Flight share most of their source, and an audit over
//! every version reads the same text many times).
//!
//! What it keeps, and why that cannot hand one user's source to another:
//! - The key is a 128-bit hash of the source under keys drawn at random for
//!   each cache (two SipHash-1-3 hashers of std's [`RandomState`]), plus the
//!   source's length. Without the keys nobody can make two sources collide on
//!   purpose, and by chance two of them collide with a probability of about
//!   2^-128 per pair.
//! - The source text itself is never stored: only its scan (variable names,
//!   line numbers, redacted read details, credential kinds). A hit needs the
//!   caller to hold the exact text already, so nothing can be read out of the
//!   cache that the caller does not have.
//!
//! Bounded: at most [`MAX_ENTRIES`] scans and about [`MAX_BYTES`] (estimated
//! from each scan's heap size); a source over [`MAX_SOURCE_BYTES`] is scanned
//! but not kept. Eviction is by two generations (a cheap second chance):
//! new scans go into the young generation; when it reaches half the bounds it
//! becomes the old one, and the previous old generation is dropped whole. A
//! hit in the old generation moves the scan back to the young one, so a scan
//! in use survives and one unused for two generations goes.
//!
//! Shared by threads: one mutex, held only for map look-ups and inserts, never
//! while scanning (two threads missing the same source both scan it; the
//! first scan stored is the one both keep using). A poisoned lock (a panic
//! elsewhere while it was held) empties the cache and carries on.

use super::parse::scan_source;
use super::SourceScan;
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::mem::size_of;
use std::sync::{Arc, Mutex, MutexGuard};

/// At most this many scans are kept.
pub const MAX_ENTRIES: usize = 16_384;
/// About this many bytes of scans are kept (estimated).
pub const MAX_BYTES: usize = 32 << 20;
/// A source longer than this (in bytes) is scanned but not kept.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// A source as the cache knows it: its keyed 128-bit hash and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    hash: u128,
    len: usize,
}

/// One generation of scans and their estimated size.
#[derive(Default)]
struct Generation {
    scans: HashMap<Key, Arc<SourceScan>>,
    bytes: usize,
}

/// The two generations, and the bounds of each: half of the cache's.
struct Generations {
    young: Generation,
    old: Generation,
    max_entries: usize,
    max_bytes: usize,
}

/// The scans of the sources seen so far, keyed by content (see the module docs).
pub struct ScanCache {
    hashers: (RandomState, RandomState),
    generations: Mutex<Generations>,
}

impl Default for ScanCache {
    fn default() -> Self {
        Self::with_bounds(MAX_ENTRIES, MAX_BYTES)
    }
}

impl std::fmt::Debug for ScanCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the keys nor the scans: only how full it is.
        f.debug_struct("ScanCache").field("entries", &self.entries()).field("bytes", &self.bytes()).finish()
    }
}

impl ScanCache {
    /// A cache of the default bounds ([`MAX_ENTRIES`], [`MAX_BYTES`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache of at most `entries` scans and about `bytes` bytes.
    pub fn with_bounds(entries: usize, bytes: usize) -> Self {
        let generations = Generations::new((entries / 2).max(1), bytes / 2);
        ScanCache { hashers: (RandomState::new(), RandomState::new()), generations: Mutex::new(generations) }
    }

    /// The scan of `source` ([`scan_source`]): the one kept from an earlier
    /// call with the same text, or a new one (kept if it fits).
    pub fn scan(&self, source: &str) -> Arc<SourceScan> {
        if source.len() > MAX_SOURCE_BYTES {
            return Arc::new(scan_source(source));
        }
        let key = self.key(source);
        if let Some(scan) = self.lock().get(key) {
            return scan;
        }
        // Scanned without the lock: other threads keep using the cache meanwhile.
        let scan = Arc::new(scan_source(source));
        let bytes = estimated_bytes(&scan);
        let mut generations = self.lock();
        if bytes > generations.max_bytes {
            return scan;
        }
        // Another thread may have stored it meanwhile: keep one scan per source.
        if let Some(stored) = generations.get(key) {
            return stored;
        }
        generations.insert(key, Arc::clone(&scan), bytes);
        scan
    }

    /// How many scans are kept.
    pub fn entries(&self) -> usize {
        let generations = self.lock();
        generations.young.scans.len() + generations.old.scans.len()
    }

    /// The estimated size of the scans kept, in bytes.
    pub fn bytes(&self) -> usize {
        let generations = self.lock();
        generations.young.bytes + generations.old.bytes
    }

    fn key(&self, source: &str) -> Key {
        let high = self.hashers.0.hash_one(source);
        let low = self.hashers.1.hash_one(source);
        Key { hash: (u128::from(high) << 64) | u128::from(low), len: source.len() }
    }

    fn lock(&self) -> MutexGuard<'_, Generations> {
        self.generations.lock().unwrap_or_else(|poisoned| {
            // A panic while the lock was held may have left the sizes wrong: start afresh.
            let mut generations = poisoned.into_inner();
            *generations = Generations::new(generations.max_entries, generations.max_bytes);
            self.generations.clear_poison();
            generations
        })
    }
}

impl Generations {
    fn new(max_entries: usize, max_bytes: usize) -> Self {
        Generations { young: Generation::default(), old: Generation::default(), max_entries, max_bytes }
    }

    /// The scan kept for `key`; a hit in the old generation moves it to the young one.
    fn get(&mut self, key: Key) -> Option<Arc<SourceScan>> {
        if let Some(scan) = self.young.scans.get(&key) {
            return Some(Arc::clone(scan));
        }
        let scan = self.old.scans.remove(&key)?;
        let bytes = estimated_bytes(&scan);
        self.old.bytes = self.old.bytes.saturating_sub(bytes);
        self.insert(key, Arc::clone(&scan), bytes);
        Some(scan)
    }

    /// Keeps `scan` in the young generation, which first becomes the old one
    /// (dropping the old one) when it would outgrow a generation's bounds.
    fn insert(&mut self, key: Key, scan: Arc<SourceScan>, bytes: usize) {
        if self.young.scans.len() >= self.max_entries || self.young.bytes + bytes > self.max_bytes {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.scans.insert(key, scan);
        self.young.bytes += bytes;
    }
}

/// The heap a kept scan takes, roughly: the map slot, the scan and what its vectors and strings hold.
fn estimated_bytes(scan: &SourceScan) -> usize {
    let slot = size_of::<Key>() + size_of::<Arc<SourceScan>>() + 1;
    let shared = 2 * size_of::<usize>() + size_of::<SourceScan>();
    let reads: usize =
        scan.reads.iter().map(|r| r.detail.capacity() + r.name.as_ref().map_or(0, String::capacity)).sum::<usize>()
            + scan.reads.capacity() * size_of::<super::EnvRead>();
    let literals = scan.credential_literals.capacity() * size_of::<(u32, &str)>();
    let errors = scan.syntax_errors.capacity() * size_of::<(u32, u32)>();
    let imports: usize = scan
        .imports
        .iter()
        .map(|i| i.module.capacity() + i.names.iter().map(String::capacity).sum::<usize>() + i.names.capacity() * 24)
        .sum::<usize>()
        + scan.imports.capacity() * size_of::<super::Import>();
    let functions: usize = scan.functions.iter().map(|f| f.name.capacity()).sum::<usize>()
        + scan.functions.capacity() * size_of::<super::DefinedFunction>();
    let swallowed: usize =
        scan.swallowed.iter().map(|s| s.function.as_ref().map_or(0, String::capacity)).sum::<usize>()
            + scan.swallowed.capacity() * size_of::<super::SwallowedFailure>();
    slot + shared + reads + literals + errors + imports + functions + swallowed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(i: usize) -> String {
        format!("import os\nx = os.environ['KEY_{i}']\ny = os.getenv('OTHER')\n")
    }

    #[test]
    fn a_hit_returns_the_same_scan() {
        let cache = ScanCache::new();
        let first = cache.scan(&source(1));
        let again = cache.scan(&source(1));
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(*first, scan_source(&source(1)));
        assert_eq!(cache.entries(), 1);
    }

    #[test]
    fn distinct_sources_get_their_own_scans() {
        let cache = ScanCache::new();
        let (one, two) = (cache.scan(&source(1)), cache.scan(&source(2)));
        assert!(!Arc::ptr_eq(&one, &two));
        assert_eq!(one.reads[0].name.as_deref(), Some("KEY_1"));
        assert_eq!(two.reads[0].name.as_deref(), Some("KEY_2"));
        // Same length, one character apart: still told apart.
        let (a, b) = (cache.scan("import os\nos.environ['A']\n"), cache.scan("import os\nos.environ['B']\n"));
        assert_eq!(a.reads[0].name.as_deref(), Some("A"));
        assert_eq!(b.reads[0].name.as_deref(), Some("B"));
        assert_eq!(cache.entries(), 4);
        // Two caches draw different keys.
        let other = ScanCache::new();
        assert_ne!(cache.key(&source(1)), other.key(&source(1)));
    }

    #[test]
    fn the_bounds_hold() {
        let cache = ScanCache::with_bounds(10, usize::MAX);
        for i in 0..100 {
            cache.scan(&source(i));
            assert!(cache.entries() <= 10, "{} entries after {i}", cache.entries());
        }
        // Bytes: room for about 4 scans of this size.
        let one = estimated_bytes(&scan_source(&source(0)));
        let cache = ScanCache::with_bounds(1000, 4 * one + one / 2);
        for i in 0..100 {
            cache.scan(&source(i));
            assert!(cache.bytes() <= 4 * one + one / 2, "{} bytes after {i}", cache.bytes());
        }
        assert!(cache.entries() >= 2);
        // The default bounds, filled past the entry bound.
        let cache = ScanCache::new();
        for i in 0..MAX_ENTRIES + 100 {
            cache.scan(&format!("x{i}"));
        }
        assert!(cache.entries() <= MAX_ENTRIES && cache.bytes() <= MAX_BYTES);
    }

    #[test]
    fn a_scan_in_use_survives_eviction() {
        let cache = ScanCache::with_bounds(8, usize::MAX);
        let kept = cache.scan(&source(0));
        let unused = cache.scan(&source(1));
        for i in 2..100 {
            cache.scan(&source(i));
            assert!(Arc::ptr_eq(&kept, &cache.scan(&source(0))), "evicted after {i}");
        }
        assert!(!Arc::ptr_eq(&unused, &cache.scan(&source(1))), "never evicted");
    }

    #[test]
    fn a_big_source_is_scanned_not_kept() {
        let cache = ScanCache::new();
        let line = "x = os.environ['BIG']\n";
        let big = format!("import os\n{}", line.repeat(MAX_SOURCE_BYTES / line.len() + 1));
        assert!(big.len() > MAX_SOURCE_BYTES);
        let scan = cache.scan(&big);
        assert_eq!(scan.reads.first().and_then(|r| r.name.as_deref()), Some("BIG"));
        assert_eq!(cache.entries(), 0);
        assert!(!Arc::ptr_eq(&scan, &cache.scan(&big)));
    }

    #[test]
    fn threads_share_one_cache() {
        let cache = Arc::new(ScanCache::with_bounds(64, usize::MAX));
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let cache = Arc::clone(&cache);
                std::thread::spawn(move || {
                    for round in 0..200 {
                        let i = (round * 7 + t) % 50;
                        let scan = cache.scan(&source(i));
                        assert_eq!(scan.reads[0].name, Some(format!("KEY_{i}")));
                    }
                })
            })
            .collect();
        for handle in handles {
            assert!(handle.join().is_ok());
        }
        assert!(cache.entries() <= 64);
        let one = cache.scan(&source(3));
        assert!(Arc::ptr_eq(&one, &cache.scan(&source(3))));
    }

    #[test]
    fn a_poisoned_lock_empties_the_cache() {
        let cache = Arc::new(ScanCache::new());
        cache.scan(&source(1));
        let poisoner = Arc::clone(&cache);
        let result = std::thread::spawn(move || {
            let _guard = poisoner.generations.lock();
            panic!("poison the lock");
        })
        .join();
        assert!(result.is_err());
        assert_eq!(cache.entries(), 0);
        assert_eq!(cache.scan(&source(1)).reads[0].name.as_deref(), Some("KEY_1"));
        assert_eq!(cache.entries(), 1);
    }
}
