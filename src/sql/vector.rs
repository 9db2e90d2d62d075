//! Reading DuckDB input vectors and writing output vectors for the scalar
//! functions, without copying strings on the way in.
//!
//! DuckDB hands a C API scalar function flat vectors: row `i` of the chunk is
//! entry `i` of each vector. A `MAP(VARCHAR, VARCHAR)` vector is a list vector
//! whose child is a `STRUCT(key, value)` vector.

use duckdb::core::{DataChunkHandle, FlatVector, Inserter, ListVector, StructVector};
use duckdb::ffi;
use duckdb::vtab::arrow::WritableVector;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::hash::Hash;

/// The bytes of one DuckDB string.
///
/// # Safety
/// `s` must be a string slot of a live vector; the bytes live as long as it.
unsafe fn string_bytes(s: &ffi::duckdb_string_t) -> &[u8] {
    // SAFETY: DuckDB's string layout: a length, then up to 12 bytes inline,
    // or a 4-byte prefix and a pointer to the full string.
    unsafe {
        let len = s.value.inlined.length as usize;
        if len <= 12 {
            std::slice::from_raw_parts(s.value.inlined.inlined.as_ptr().cast::<u8>(), len)
        } else {
            std::slice::from_raw_parts(s.value.pointer.ptr.cast::<u8>(), len)
        }
    }
}

/// Text of a DuckDB VARCHAR.
///
/// DuckDB validates VARCHAR as UTF-8; should invalid bytes slip through
/// anyway, the value reads as U+FFFD instead of being trusted.
fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or(INVALID_UTF8)
}

/// Sets `buffer` to `text`, keeping its allocation.
pub fn refill(buffer: &mut String, text: &str) {
    buffer.clear();
    buffer.push_str(text);
}

/// Sets `buffer` to `text` (or `None`), keeping its allocation when both are some.
pub fn refill_opt(buffer: &mut Option<String>, text: Option<&str>) {
    match (buffer.as_mut(), text) {
        (Some(b), Some(t)) => refill(b, t),
        (_, t) => *buffer = t.map(str::to_owned),
    }
}

/// What a VARCHAR holding invalid UTF-8 reads as.
pub const INVALID_UTF8: &str = "\u{FFFD}";

/// A validity mask; all rows valid when DuckDB gives none.
#[derive(Clone, Copy)]
pub(crate) struct Validity(*mut u64);

impl Validity {
    pub(crate) fn of(vector: ffi::duckdb_vector) -> Self {
        // SAFETY: `vector` is a live input vector.
        Validity(unsafe { ffi::duckdb_vector_get_validity(vector) })
    }

    /// Read inline, as the C API's header documents the mask (`validity[row / 64]`,
    /// bit `row % 64`): no call per row.
    pub(crate) fn is_valid(self, row: usize) -> bool {
        // SAFETY: a non-null mask covers every row of its vector.
        self.0.is_null() || unsafe { (*self.0.add(row / 64) >> (row % 64)) & 1 == 1 }
    }
}

/// One VARCHAR slot as it lies in a vector, undecoded (a `duckdb_string_t`,
/// viewed in place). Two keys are equal exactly when their bytes are: a short
/// (inlined) string is compared as one 16-byte word masked to its length (no
/// call, no reliance on padding), a long one by length and 4-byte prefix
/// first, then its bytes.
#[repr(transparent)]
pub struct Key(ffi::duckdb_string_t);

impl Key {
    /// The slots of a live vector, viewed as keys.
    fn slice(slots: &[ffi::duckdb_string_t]) -> &[Key] {
        // SAFETY: `Key` is a transparent wrapper of `duckdb_string_t`.
        unsafe { std::slice::from_raw_parts(slots.as_ptr().cast::<Key>(), slots.len()) }
    }

    /// The string's bytes.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the slot belongs to a live input vector.
        unsafe { string_bytes(&self.0) }
    }

    /// The slot's 16 bytes: the length, then 12 inlined bytes or a 4-byte prefix and a pointer.
    fn word(&self) -> u128 {
        // SAFETY: `duckdb_string_t` is 16 bytes; any bit pattern is a valid u128.
        u128::from_le_bytes(unsafe { std::mem::transmute_copy::<ffi::duckdb_string_t, [u8; 16]>(&self.0) })
    }
}

/// The longest string DuckDB keeps inline, after its 4-byte length.
const INLINE_LIMIT: usize = 12;
const _: () = assert!(std::mem::size_of::<ffi::duckdb_string_t>() == 16);

impl PartialEq for Key {
    /// The mask comes from `other`'s length (a differing length shows in the
    /// compared length bytes), so a loop comparing many keys with one `other`
    /// computes it once. Identical slots are equal at once.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.word(), other.word());
        // SAFETY: both forms start with the length.
        let len = unsafe { other.0.value.inlined.length } as usize;
        if len <= INLINE_LIMIT {
            // Length and the `len` inlined bytes; the bytes past them are not compared.
            let mask = if len == INLINE_LIMIT { u128::MAX } else { (1u128 << (8 * (4 + len))) - 1 };
            return (a ^ b) & mask == 0;
        }
        // Length and 4-byte prefix, then the whole string.
        (a ^ b) & 0xFFFF_FFFF_FFFF_FFFF == 0 && (a == b || self.bytes() == other.bytes())
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes().hash(state);
    }
}

/// A VARCHAR input column.
#[derive(Clone, Copy)]
pub struct TextColumn<'a> {
    data: &'a [ffi::duckdb_string_t],
    validity: Validity,
}

impl<'a> TextColumn<'a> {
    /// Column `col` of `input`, which the caller declared VARCHAR.
    pub fn new(input: &'a DataChunkHandle, col: usize) -> Self {
        // SAFETY: the column exists and is VARCHAR by the function's signature.
        unsafe { Self::of_vector(ffi::duckdb_data_chunk_get_vector(input.get_ptr(), col as u64), input.len()) }
    }

    /// A flat VARCHAR vector of `rows` rows.
    ///
    /// # Safety
    /// `vector` must be a live flat VARCHAR vector of at least `rows` rows, live for `'a`.
    pub unsafe fn of_vector(vector: ffi::duckdb_vector, rows: usize) -> Self {
        // SAFETY (caller): a flat VARCHAR vector holds `rows` string slots.
        unsafe {
            let ptr = ffi::duckdb_vector_get_data(vector).cast::<ffi::duckdb_string_t>();
            let data = if ptr.is_null() || rows == 0 { &[][..] } else { std::slice::from_raw_parts(ptr, rows) };
            TextColumn { data, validity: Validity::of(vector) }
        }
    }

    /// Row `row`, or `None` when it is NULL.
    pub fn get(&self, row: usize) -> Option<&'a str> {
        let slot = self.data.get(row)?;
        // SAFETY: the slot belongs to the live input chunk.
        self.validity.is_valid(row).then(|| text(unsafe { string_bytes(slot) }))
    }
}

/// A `MAP(VARCHAR, VARCHAR)` input column.
#[derive(Clone, Copy)]
pub struct MapColumn<'a> {
    entries: &'a [ffi::duckdb_list_entry],
    validity: Validity,
    keys: &'a [ffi::duckdb_string_t],
    values: &'a [ffi::duckdb_string_t],
    value_validity: Validity,
}

/// One non-NULL map of a [`MapColumn`], undecoded.
#[derive(Clone, Copy)]
pub struct MapRow<'a> {
    /// The child row of its first entry.
    first: usize,
    keys: &'a [ffi::duckdb_string_t],
    value_validity: Validity,
}

impl<'a> MapRow<'a> {
    /// The number of entries.
    pub fn len(self) -> usize {
        self.keys.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, for comparing.
    pub fn keys(self) -> &'a [Key] {
        Key::slice(self.keys)
    }

    /// The keys, each with whether its value is non-NULL.
    pub fn entries(self) -> impl Iterator<Item = (&'a Key, bool)> {
        let validity = self.value_validity;
        self.keys().iter().enumerate().map(move |(i, key)| (key, validity.is_valid(self.first + i)))
    }
}

/// One map of a [`MapColumn`]: `(key, value)` pairs in map order, values possibly NULL.
pub type Pairs<'a> = Vec<(&'a str, Option<&'a str>)>;

impl<'a> MapColumn<'a> {
    /// Column `col` of `input`, which the caller declared `MAP(VARCHAR, VARCHAR)`.
    pub fn new(input: &'a DataChunkHandle, col: usize) -> Self {
        // SAFETY: the column exists and is a MAP(VARCHAR, VARCHAR) (declared by the caller).
        unsafe { Self::of_vector(ffi::duckdb_data_chunk_get_vector(input.get_ptr(), col as u64), input.len()) }
    }

    /// A flat `MAP(VARCHAR, VARCHAR)` vector of `rows` rows.
    ///
    /// # Safety
    /// `vector` must be a live flat `MAP(VARCHAR, VARCHAR)` vector of at least `rows` rows, live for `'a`.
    pub unsafe fn of_vector(vector: ffi::duckdb_vector, rows: usize) -> Self {
        // SAFETY: the vector has the declared MAP type: a list
        // vector of `rows` entries whose child is STRUCT(key VARCHAR, value VARCHAR)
        // holding `duckdb_list_vector_get_size` rows.
        unsafe {
            let entries = ffi::duckdb_vector_get_data(vector).cast::<ffi::duckdb_list_entry>();
            let child = ffi::duckdb_list_vector_get_child(vector);
            let child_rows = ffi::duckdb_list_vector_get_size(vector) as usize;
            let keys = ffi::duckdb_struct_vector_get_child(child, 0);
            let values = ffi::duckdb_struct_vector_get_child(child, 1);
            let slice = |v: ffi::duckdb_vector| -> &'a [ffi::duckdb_string_t] {
                let ptr = ffi::duckdb_vector_get_data(v).cast::<ffi::duckdb_string_t>();
                if ptr.is_null() || child_rows == 0 {
                    &[]
                } else {
                    std::slice::from_raw_parts(ptr, child_rows)
                }
            };
            MapColumn {
                entries: if entries.is_null() || rows == 0 { &[] } else { std::slice::from_raw_parts(entries, rows) },
                validity: Validity::of(vector),
                keys: slice(keys),
                values: slice(values),
                value_validity: Validity::of(values),
            }
        }
    }

    /// Whether row `row` is a NULL map.
    pub fn is_null(&self, row: usize) -> bool {
        !self.validity.is_valid(row)
    }

    /// The key and value slots of row `row` (empty for a NULL map).
    fn slots(&self, row: usize) -> std::ops::Range<usize> {
        if self.is_null(row) {
            return 0..0;
        }
        self.entry_slots(row)
    }

    /// The key and value slots the entry of row `row` points at, NULL or not.
    fn entry_slots(&self, row: usize) -> std::ops::Range<usize> {
        match self.entries.get(row) {
            Some(entry) => {
                let start = (entry.offset as usize).min(self.keys.len());
                start..start.saturating_add(entry.length as usize).min(self.keys.len())
            }
            None => 0..0,
        }
    }

    /// The number of entries of row `row`.
    pub fn len(&self, row: usize) -> usize {
        self.slots(row).len()
    }

    /// Row `row` as a map, undecoded; `None` for a NULL map. The slots are
    /// found once, for callers that look at a row several times.
    pub fn row(&self, row: usize) -> Option<MapRow<'a>> {
        if self.is_null(row) {
            return None;
        }
        let slots = self.entry_slots(row);
        Some(MapRow {
            first: slots.start,
            keys: self.keys.get(slots).unwrap_or(&[]),
            value_validity: self.value_validity,
        })
    }

    /// The keys of row `row`, undecoded: the slots as they lie in the vector.
    fn key_slots(&self, row: usize) -> &'a [ffi::duckdb_string_t] {
        self.keys.get(self.slots(row)).unwrap_or(&[])
    }

    /// Whether rows `a` and `b` have the same keys in the same order.
    pub fn same_keys(&self, a: usize, b: usize) -> bool {
        let (a, b) = (self.key_slots(a), self.key_slots(b));
        let (a, b) = (Key::slice(a), Key::slice(b));
        // Equal keys of two rows usually lie in identical slots: compare those first.
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.word() == y.word() || x == y)
    }

    /// Whether rows `a` and `b` have the same keys in the same order, with
    /// NULL values in the same places.
    pub fn same_entries(&self, a: usize, b: usize) -> bool {
        self.same_keys(a, b)
            && self
                .slots(a)
                .zip(self.slots(b))
                .all(|(x, y)| self.value_validity.is_valid(x) == self.value_validity.is_valid(y))
    }

    /// Fills `out` with the keys of row `row` (cleared first), values left out
    /// as `None`: for rules that only look at the keys.
    pub fn read_keys_into(&self, row: usize, out: &mut Pairs<'a>) {
        out.clear();
        out.extend(Key::slice(self.key_slots(row)).iter().map(|key| (text(key.bytes()), None)));
    }

    /// The pairs of row `row` as owned strings, made straight from the
    /// vectors (no borrowed pairs first). A NULL map gives an empty list.
    pub fn owned_pairs(&self, row: usize) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        self.owned_pairs_into(row, &mut out);
        out
    }

    /// [`MapColumn::owned_pairs`] into `out`, overwriting its pairs in place:
    /// the strings keep their buffers, so reading a chunk's rows one after
    /// another into one vector allocates only where a text grew.
    pub fn owned_pairs_into(&self, row: usize, out: &mut Vec<(String, Option<String>)>) {
        let pairs = self.pairs(row);
        out.truncate(pairs.len());
        for (n, (key, value)) in pairs.enumerate() {
            match out.get_mut(n) {
                Some((k, v)) => {
                    refill(k, key);
                    refill_opt(v, value);
                }
                None => out.push((key.to_owned(), value.map(str::to_owned))),
            }
        }
    }

    /// The pairs of row `row`, borrowed, in map order (none for a NULL map).
    pub fn pairs(&self, row: usize) -> impl ExactSizeIterator<Item = (&'a str, Option<&'a str>)> + '_ {
        self.slots(row).map(|i| {
            // SAFETY: `i` is within the child vector's rows.
            let key = text(unsafe { string_bytes(&self.keys[i]) });
            let value = match self.values.get(i) {
                Some(slot) if self.value_validity.is_valid(i) => Some(text(unsafe { string_bytes(slot) })),
                _ => None,
            };
            (key, value)
        })
    }

    /// Fills `out` with the pairs of row `row` (cleared first). A NULL map
    /// leaves it empty; use [`MapColumn::is_null`] to tell the two apart.
    pub fn read_into(&self, row: usize, out: &mut Pairs<'a>) {
        out.clear();
        out.extend(self.pairs(row));
    }
}

/// Collects the list results of a whole chunk, then writes them in one go
/// (DuckDB needs the child size reserved before the children are written).
/// The one writer of LIST and MAP output: scalars and table functions alike.
pub struct ListOutput<T> {
    items: Vec<T>,
    /// `(offset, length)` per row; `None` for a NULL row.
    rows: Vec<Option<(usize, usize)>>,
}

impl<T> ListOutput<T> {
    pub fn with_rows(rows: usize) -> Self {
        Self::with_capacity(rows, 0)
    }

    /// Room for `rows` rows holding `items` items in all.
    pub fn with_capacity(rows: usize, items: usize) -> Self {
        ListOutput { items: Vec::with_capacity(items), rows: Vec::with_capacity(rows) }
    }

    /// Appends one row holding `items`.
    pub fn push_row(&mut self, items: impl IntoIterator<Item = T>) {
        let start = self.items.len();
        self.items.extend(items);
        self.rows.push(Some((start, self.items.len() - start)));
    }

    /// Appends a NULL row.
    pub fn push_null(&mut self) {
        self.rows.push(None);
    }

    /// Writes the rows into `target`, with `write_items` filling the child
    /// vector: the children first, then every row's entry in one pass over
    /// the list vector's data, then the NULL rows.
    fn write(&self, target: &mut (impl ListTarget + ?Sized), write_items: impl FnOnce(&ListVector, &[T])) {
        {
            let list = target.list();
            write_items(&list, &self.items);
            list.set_len(self.items.len());
        }
        let mut entries = target.entries();
        // SAFETY: a list vector's data holds one `duckdb_list_entry` per row of its capacity.
        let slots = unsafe { entries.as_mut_slice::<ffi::duckdb_list_entry>() };
        for (slot, row) in slots.iter_mut().zip(&self.rows) {
            let (offset, length) = row.unwrap_or((0, 0));
            *slot = ffi::duckdb_list_entry { offset: offset as u64, length: length as u64 };
        }
        for (row, _) in self.rows.iter().enumerate().filter(|(_, r)| r.is_none()) {
            entries.set_null(row);
        }
    }
}

/// Where a list result goes: a scalar function's output vector, or one
/// column of a table function's output chunk ([`ChunkColumn`]).
pub trait ListTarget {
    /// The vector as a list, to fill its child.
    fn list(&mut self) -> ListVector<'_>;
    /// The same vector as flat, to write its entries and NULLs.
    fn entries(&mut self) -> FlatVector<'_>;
}

impl ListTarget for dyn WritableVector + '_ {
    fn list(&mut self) -> ListVector<'_> {
        self.list_vector()
    }

    fn entries(&mut self) -> FlatVector<'_> {
        self.flat_vector()
    }
}

/// Column `col` of a table function's output chunk.
pub struct ChunkColumn<'a>(pub &'a DataChunkHandle, pub usize);

impl ListTarget for ChunkColumn<'_> {
    fn list(&mut self) -> ListVector<'_> {
        self.0.list_vector(self.1)
    }

    fn entries(&mut self) -> FlatVector<'_> {
        self.0.flat_vector(self.1)
    }
}

impl<S: AsRef<str>> ListOutput<S> {
    /// Writes a `VARCHAR[]` result.
    pub fn write_text_list(&self, target: &mut (impl ListTarget + ?Sized)) {
        self.write(target, |list, items| {
            let child = list.child(items.len());
            for (i, item) in items.iter().enumerate() {
                child.insert(i, item.as_ref());
            }
        });
    }
}

impl ListOutput<usize> {
    /// Writes a `VARCHAR[]` result whose items are indexes into `texts`, each
    /// text copied into the vector once ([`SharedTexts`]).
    pub fn write_shared_text_list(&self, target: &mut (impl ListTarget + ?Sized), texts: &[String]) {
        self.write(target, |list, items| {
            let mut child = SharedTexts::new(list.child(items.len()));
            for (i, &text) in items.iter().enumerate() {
                child.insert(i, text, texts.get(text).map_or("", String::as_str));
            }
        });
    }
}

/// A VARCHAR vector being written whose equal texts share one copy, as
/// DuckDB's own vectors share a string: a text is copied into the vector's
/// string storage once; every later row of the same text copies its 16-byte
/// slot. A text of up to 12 bytes lives in its slot and is written as is.
pub struct SharedTexts<'v, K> {
    child: FlatVector<'v>,
    /// The first row written of each key.
    first: FxHashMap<K, usize>,
}

impl<'v, K: Hash + Eq> SharedTexts<'v, K> {
    pub fn new(child: FlatVector<'v>) -> Self {
        SharedTexts { child, first: FxHashMap::default() }
    }

    /// Writes `text` at row `i`, `key` naming it: rows written with equal keys
    /// hold equal texts.
    pub fn insert(&mut self, i: usize, key: K, text: &str) {
        const INLINE: usize = 12;
        if text.len() <= INLINE || i >= self.child.capacity() {
            self.child.insert(i, text);
            return;
        }
        match self.first.entry(key) {
            Entry::Occupied(first) => {
                let first = *first.get();
                // SAFETY: `first < i < capacity`, the capacity the vector was sized
                // to, which is not resized while written; the copied slot points
                // into this vector's own string storage, which lives as long as
                // the vector.
                unsafe {
                    let data = self.child.as_mut_ptr::<ffi::duckdb_string_t>();
                    data.add(i).write(data.add(first).read());
                }
            }
            Entry::Vacant(slot) => {
                self.child.insert(i, text);
                slot.insert(i);
            }
        }
    }
}

impl<K: AsRef<str>, V: AsRef<str>> ListOutput<(K, Option<V>)> {
    /// Writes a `MAP(VARCHAR, VARCHAR)` result.
    pub fn write_map(&self, target: &mut (impl ListTarget + ?Sized)) {
        self.write(target, |list, items| {
            let entries = list.struct_child(items.len());
            let keys = entries.child(0, items.len());
            let mut values = entries.child(1, items.len());
            for (i, (key, value)) in items.iter().enumerate() {
                keys.insert(i, key.as_ref());
                write_opt_text(&mut values, i, value.as_ref().map(AsRef::as_ref));
            }
        });
    }
}

impl ListOutput<i32> {
    /// Writes an `INTEGER[]` result.
    pub fn write_int_list(&self, target: &mut (impl ListTarget + ?Sized)) {
        self.write(target, |list, items| {
            let mut child = list.child(items.len());
            for (i, &item) in items.iter().enumerate() {
                write_int(&mut child, i, item);
            }
        });
    }
}

impl<T> ListOutput<T> {
    /// Writes a `STRUCT(...)[]` result: `fill` writes every item into the struct child vector.
    pub fn write_struct_list(&self, target: &mut (impl ListTarget + ?Sized), fill: impl FnOnce(&StructVector, &[T])) {
        self.write(target, |list, items| fill(&list.struct_child(items.len()), items));
    }
}

/// Writes a BOOLEAN into row `row` of `vector`, which the caller declared BOOLEAN.
/// A row past the vector's capacity (a bug) is not written.
pub fn write_bool(vector: &mut FlatVector, row: usize, value: bool) {
    // SAFETY: the vector holds `capacity` BOOLEAN slots (one byte each).
    if let Some(slot) = unsafe { vector.as_mut_slice::<bool>() }.get_mut(row) {
        *slot = value;
    }
}

/// Writes an INTEGER into row `row` of `vector`, which the caller declared INTEGER.
/// A row past the vector's capacity (a bug) is not written.
pub fn write_int(vector: &mut FlatVector, row: usize, value: i32) {
    // SAFETY: the vector holds `capacity` INTEGER slots.
    if let Some(slot) = unsafe { vector.as_mut_slice::<i32>() }.get_mut(row) {
        *slot = value;
    }
}

/// Writes a 64-bit integer into row `row` of `vector`, which the caller declared
/// BIGINT or TIMESTAMP WITH TIME ZONE (microseconds). A row past the capacity (a bug) is not written.
pub fn write_i64(vector: &mut FlatVector, row: usize, value: i64) {
    // SAFETY: the vector holds `capacity` 64-bit slots.
    if let Some(slot) = unsafe { vector.as_mut_slice::<i64>() }.get_mut(row) {
        *slot = value;
    }
}

/// Writes an INTERVAL (`months`, `days`, `micros`, as DuckDB's `duckdb_interval`) into row
/// `row` of `vector`, which the caller declared INTERVAL. A row past the capacity (a bug) is not written.
pub fn write_interval(vector: &mut FlatVector, row: usize, months: i32, days: i32, micros: i64) {
    // SAFETY: the vector holds `capacity` INTERVAL slots, each a `duckdb_interval` (16 bytes).
    if let Some(slot) = unsafe { vector.as_mut_slice::<ffi::duckdb_interval>() }.get_mut(row) {
        *slot = ffi::duckdb_interval { months, days, micros };
    }
}

/// Writes a VARCHAR or NULL into row `row` of `vector`.
pub fn write_opt_text(vector: &mut FlatVector, row: usize, value: Option<&str>) {
    match value {
        Some(text) => vector.insert(row, text),
        None => vector.set_null(row),
    }
}
