//! Each distinct source scanned once: [`ScanCache`], the [`ContentCache`] of
//! [`SourceScan`]s (see [`crate::flight::cache`] for what it keeps, its
//! bounds and why it cannot hand one user's source to another).

use super::parse::scan_source;
use super::SourceScan;
use crate::flight::cache::{ContentCache, Kept};
use std::mem::size_of;
#[cfg(test)]
use std::sync::Arc;

#[cfg(test)]
use crate::flight::cache::{MAX_BYTES, MAX_ENTRIES, MAX_TEXT_BYTES as MAX_SOURCE_BYTES};

/// The scans of the sources seen so far, keyed by content.
pub type ScanCache = ContentCache<SourceScan>;

impl Kept for SourceScan {
    fn make(source: &str) -> Self {
        scan_source(source)
    }

    fn heap_bytes(&self) -> usize {
        estimated_bytes(self)
    }
}

/// The scan of `source` ([`scan_source`]), kept: `cache.scan(code)`.
impl ContentCache<SourceScan> {
    pub fn scan(&self, source: &str) -> std::sync::Arc<SourceScan> {
        self.get(source)
    }
}

/// The heap a kept scan takes, roughly: the scan and what its vectors and strings hold.
fn estimated_bytes(scan: &SourceScan) -> usize {
    let shared = size_of::<SourceScan>();
    let reads: usize = scan.reads.iter().map(|r| r.name.as_ref().map_or(0, String::capacity)).sum::<usize>()
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
    let writes: usize =
        scan.env_writes.iter().map(|(name, _)| name.as_ref().map_or(0, String::capacity)).sum::<usize>()
            + scan.env_writes.capacity() * size_of::<(Option<String>, u32)>();
    // `inline_metadata` (an `Option<u32>`, no heap) is in the scan itself: `shared` counts it.
    shared + reads + literals + errors + imports + functions + swallowed + writes
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
        assert!(!Arc::ptr_eq(&cache.scan(&source(1)), &other.scan(&source(1))));
    }

    #[test]
    fn the_bounds_hold() {
        let cache = ScanCache::with_bounds(10, usize::MAX);
        for i in 0..100 {
            cache.scan(&source(i));
            assert!(cache.entries() <= 10, "{} entries after {i}", cache.entries());
        }
        // Bytes: room for about 4 scans of this size.
        let one = estimated_bytes(&scan_source(&source(0))) + 64;
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
}
