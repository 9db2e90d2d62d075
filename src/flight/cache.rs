//! Each distinct text read once: the [`ContentCache`], which hands out what
//! it made of a text it has seen before instead of making it again (the
//! versions of a Flight share most of their source and requirements, and an
//! audit over every version reads the same texts many times). What it makes
//! of a text is a [`Kept`] value: the scan of a source
//! (`source::ScanCache`), the read of a requirements text.
//!
//! What it keeps, and why that cannot hand one user's text to another:
//! - The key is a 128-bit hash of the text under keys drawn at random for
//!   each cache (two SipHash-1-3 hashers of std's [`RandomState`]), plus the
//!   text's length. Without the keys nobody can make two texts collide on
//!   purpose, and by chance two of them collide with a probability of about
//!   2^-128 per pair.
//! - The text itself is never stored: only what was made of it (variable
//!   names, line numbers, requirement names). A hit
//!   needs the caller to hold the exact text already, so nothing can be read
//!   out of the cache that the caller does not have.
//!
//! Bounded: at most [`MAX_ENTRIES`] values and about [`MAX_BYTES`] (estimated
//! from each value's heap size, [`Kept::heap_bytes`]); a text over
//! [`MAX_TEXT_BYTES`] is read but not kept. Eviction is by two generations (a
//! cheap second chance): new values go into the young generation; when it
//! reaches half the bounds it becomes the old one, and the previous old
//! generation is dropped whole. A hit in the old generation moves the value
//! back to the young one, so a value in use survives and one unused for two
//! generations goes.
//!
//! Shared by threads: one mutex, held only for map look-ups and inserts, never
//! while making a value (two threads missing the same text both make it; the
//! first stored is the one both keep using). A poisoned lock (a panic
//! elsewhere while it was held) empties the cache and carries on.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::mem::size_of;
use std::sync::{Arc, Mutex, MutexGuard};

/// At most this many values are kept.
pub const MAX_ENTRIES: usize = 16_384;
/// About this many bytes of values are kept (estimated).
pub const MAX_BYTES: usize = 32 << 20;
/// A text longer than this (in bytes) is read but not kept.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// What a [`ContentCache`] makes of a text, and keeps.
pub trait Kept: Send + Sync + 'static {
    /// The value of `text` (the scan of a source, the read of a requirements text).
    fn make(text: &str) -> Self;
    /// The heap the value takes, roughly (its own size included).
    fn heap_bytes(&self) -> usize;
}

/// A text as the cache knows it: its keyed 128-bit hash and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    hash: u128,
    len: usize,
}

/// One generation of values and their estimated size.
struct Generation<T> {
    values: HashMap<Key, Arc<T>>,
    bytes: usize,
}

impl<T> Default for Generation<T> {
    fn default() -> Self {
        Generation { values: HashMap::new(), bytes: 0 }
    }
}

/// The two generations, and the bounds of each: half of the cache's.
struct Generations<T> {
    young: Generation<T>,
    old: Generation<T>,
    max_entries: usize,
    max_bytes: usize,
}

/// The values of the texts seen so far, keyed by content (see the module docs).
pub struct ContentCache<T> {
    hashers: (RandomState, RandomState),
    generations: Mutex<Generations<T>>,
}

impl<T: Kept> Default for ContentCache<T> {
    fn default() -> Self {
        Self::with_bounds(MAX_ENTRIES, MAX_BYTES)
    }
}

impl<T: Kept> std::fmt::Debug for ContentCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the keys nor the values: only how full it is.
        f.debug_struct("ContentCache").field("entries", &self.entries()).field("bytes", &self.bytes()).finish()
    }
}

/// The texts one caller asks a [`ContentCache`] for over and over (a part of
/// a chunk: its rows repeat a handful of requirements texts and schedules),
/// each asked of the cache once: a row that repeats one of the last
/// [`RECENT`] texts costs a comparison of texts, with no hash, no lock and no
/// count shared with other threads. Unlike the cache it holds the texts, for
/// as long as its caller keeps it (one part of one chunk).
pub struct Recent<T> {
    kept: Vec<(String, Arc<T>)>,
}

/// How many texts a [`Recent`] holds.
pub const RECENT: usize = 8;

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Recent { kept: Vec::new() }
    }
}

impl<T: Kept> Recent<T> {
    /// The value of `text`: the one held, or `cache`'s (then held in place
    /// of the text held longest).
    pub fn get(&mut self, cache: &ContentCache<T>, text: &str) -> &T {
        let at = match self.kept.iter().position(|(held, _)| held == text) {
            Some(at) => at,
            None => {
                if self.kept.len() == RECENT {
                    self.kept.remove(0);
                }
                self.kept.push((text.to_owned(), cache.get(text)));
                self.kept.len() - 1
            }
        };
        &self.kept[at].1
    }
}

impl<T: Kept> ContentCache<T> {
    /// A cache of the default bounds ([`MAX_ENTRIES`], [`MAX_BYTES`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache of at most `entries` values and about `bytes` bytes.
    pub fn with_bounds(entries: usize, bytes: usize) -> Self {
        let generations = Generations::new((entries / 2).max(1), bytes / 2);
        ContentCache { hashers: (RandomState::new(), RandomState::new()), generations: Mutex::new(generations) }
    }

    /// The value of `text` ([`Kept::make`]): the one kept from an earlier
    /// call with the same text, or a new one (kept if it fits).
    pub fn get(&self, text: &str) -> Arc<T> {
        if text.len() > MAX_TEXT_BYTES {
            return Arc::new(T::make(text));
        }
        let key = self.key(text);
        if let Some(value) = self.lock().get(key) {
            return value;
        }
        // Made without the lock: other threads keep using the cache meanwhile.
        let value = Arc::new(T::make(text));
        let bytes = value.heap_bytes() + size_of::<Key>() + size_of::<Arc<T>>() + 2 * size_of::<usize>() + 1;
        let mut generations = self.lock();
        if bytes > generations.max_bytes {
            return value;
        }
        // Another thread may have stored it meanwhile: keep one value per text.
        if let Some(stored) = generations.get(key) {
            return stored;
        }
        generations.insert(key, Arc::clone(&value), bytes);
        value
    }

    /// How many values are kept.
    pub fn entries(&self) -> usize {
        let generations = self.lock();
        generations.young.values.len() + generations.old.values.len()
    }

    /// The estimated size of the values kept, in bytes.
    pub fn bytes(&self) -> usize {
        let generations = self.lock();
        generations.young.bytes + generations.old.bytes
    }

    fn key(&self, text: &str) -> Key {
        let high = self.hashers.0.hash_one(text);
        let low = self.hashers.1.hash_one(text);
        Key { hash: (u128::from(high) << 64) | u128::from(low), len: text.len() }
    }

    fn lock(&self) -> MutexGuard<'_, Generations<T>> {
        self.generations.lock().unwrap_or_else(|poisoned| {
            // A panic while the lock was held may have left the sizes wrong: start afresh.
            let mut generations = poisoned.into_inner();
            *generations = Generations::new(generations.max_entries, generations.max_bytes);
            self.generations.clear_poison();
            generations
        })
    }
}

impl<T: Kept> Generations<T> {
    fn new(max_entries: usize, max_bytes: usize) -> Self {
        Generations { young: Generation::default(), old: Generation::default(), max_entries, max_bytes }
    }

    /// The value kept for `key`; a hit in the old generation moves it to the young one.
    fn get(&mut self, key: Key) -> Option<Arc<T>> {
        if let Some(value) = self.young.values.get(&key) {
            return Some(Arc::clone(value));
        }
        let value = self.old.values.remove(&key)?;
        let bytes = value.heap_bytes() + size_of::<Key>() + size_of::<Arc<T>>() + 2 * size_of::<usize>() + 1;
        self.old.bytes = self.old.bytes.saturating_sub(bytes);
        self.insert(key, Arc::clone(&value), bytes);
        Some(value)
    }

    /// Keeps `value` in the young generation, which first becomes the old one
    /// (dropping the old one) when it would outgrow a generation's bounds.
    fn insert(&mut self, key: Key, value: Arc<T>, bytes: usize) {
        if self.young.values.len() >= self.max_entries || self.young.bytes + bytes > self.max_bytes {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.values.insert(key, value);
        self.young.bytes += bytes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value made of a text, to test the cache alone.
    #[derive(Debug, PartialEq)]
    struct Upper(String);

    impl Kept for Upper {
        fn make(text: &str) -> Self {
            Upper(text.to_uppercase())
        }

        fn heap_bytes(&self) -> usize {
            size_of::<Upper>() + self.0.capacity()
        }
    }

    #[test]
    fn recent_asks_the_cache_once_per_text_it_holds() {
        let cache = ContentCache::<Upper>::new();
        let mut recent = Recent::default();
        for round in 0..3 {
            for text in ["a", "b", "a", "c"] {
                assert_eq!(recent.get(&cache, text), &Upper(text.to_uppercase()), "round {round}");
            }
        }
        assert_eq!(cache.entries(), 3);
        // Past RECENT texts the oldest goes, and comes back from the cache.
        let many: Vec<String> = (0..RECENT + 1).map(|i| format!("t{i}")).collect();
        for text in &many {
            recent.get(&cache, text);
        }
        assert_eq!(recent.kept.len(), RECENT);
        assert!(recent.kept.iter().all(|(t, _)| t != "a" && t != "t0"));
        assert_eq!(recent.get(&cache, "t0"), &Upper("T0".into()));
    }

    #[test]
    fn two_caches_draw_different_keys() {
        let (a, b) = (ContentCache::<Upper>::new(), ContentCache::<Upper>::new());
        assert_ne!(a.key("x"), b.key("x"));
        assert_eq!(*a.get("x"), Upper("X".into()));
        assert!(Arc::ptr_eq(&a.get("x"), &a.get("x")));
    }

    #[test]
    fn a_poisoned_lock_empties_the_cache() {
        let cache = Arc::new(ContentCache::<Upper>::new());
        cache.get("a");
        let poisoner = Arc::clone(&cache);
        let result = std::thread::spawn(move || {
            let _guard = poisoner.generations.lock();
            panic!("poison the lock");
        })
        .join();
        assert!(result.is_err());
        assert_eq!(cache.entries(), 0);
        assert_eq!(*cache.get("a"), Upper("A".into()));
        assert_eq!(cache.entries(), 1);
    }
}
