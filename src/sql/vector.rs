//! Reading DuckDB input vectors and writing output vectors for the scalar
//! functions, without copying strings on the way in.
//!
//! DuckDB hands a C API scalar function flat vectors: row `i` of the chunk is
//! entry `i` of each vector. A `MAP(VARCHAR, VARCHAR)` vector is a list vector
//! whose child is a `STRUCT(key, value)` vector.

use duckdb::core::{DataChunkHandle, FlatVector, Inserter, ListVector, StructVector};
use duckdb::ffi;

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

/// What a VARCHAR holding invalid UTF-8 reads as.
pub const INVALID_UTF8: &str = "\u{FFFD}";

/// A validity mask; all rows valid when DuckDB gives none.
#[derive(Clone, Copy)]
struct Validity(*mut u64);

impl Validity {
    fn of(vector: ffi::duckdb_vector) -> Self {
        // SAFETY: `vector` is a live input vector.
        Validity(unsafe { ffi::duckdb_vector_get_validity(vector) })
    }

    fn is_valid(self, row: usize) -> bool {
        // SAFETY: a non-null mask covers every row of its vector.
        self.0.is_null() || unsafe { ffi::duckdb_validity_row_is_valid(self.0, row as u64) }
    }
}

/// A VARCHAR input column.
pub struct TextColumn<'a> {
    data: &'a [ffi::duckdb_string_t],
    validity: Validity,
}

impl<'a> TextColumn<'a> {
    /// Column `col` of `input`, which the caller declared VARCHAR.
    pub fn new(input: &'a DataChunkHandle, col: usize) -> Self {
        let rows = input.len();
        // SAFETY: the column exists and is VARCHAR by the function's signature;
        // a flat VARCHAR vector holds `rows` string slots.
        unsafe {
            let vector = ffi::duckdb_data_chunk_get_vector(input.get_ptr(), col as u64);
            let data = ffi::duckdb_vector_get_data(vector).cast::<ffi::duckdb_string_t>();
            TextColumn { data: std::slice::from_raw_parts(data, rows), validity: Validity::of(vector) }
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
pub struct MapColumn<'a> {
    entries: &'a [ffi::duckdb_list_entry],
    validity: Validity,
    keys: &'a [ffi::duckdb_string_t],
    values: &'a [ffi::duckdb_string_t],
    value_validity: Validity,
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
                entries: std::slice::from_raw_parts(entries, rows),
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
        match self.entries.get(row) {
            Some(entry) if !self.is_null(row) => {
                let start = (entry.offset as usize).min(self.keys.len());
                start..start.saturating_add(entry.length as usize).min(self.keys.len())
            }
            _ => 0..0,
        }
    }

    /// The number of entries of row `row`.
    pub fn len(&self, row: usize) -> usize {
        self.slots(row).len()
    }

    /// The keys of row `row` as raw bytes, without decoding them.
    pub fn key_bytes(&self, row: usize) -> impl Iterator<Item = &'a [u8]> + Clone + '_ {
        // SAFETY: every index of `slots` is within the child vector's rows.
        self.slots(row).map(|i| unsafe { string_bytes(&self.keys[i]) })
    }

    /// The keys of row `row` as raw bytes, each with whether its value is non-NULL.
    pub fn entry_bytes(&self, row: usize) -> impl Iterator<Item = (&'a [u8], bool)> + '_ {
        // SAFETY: as in `key_bytes`.
        self.slots(row).map(|i| (unsafe { string_bytes(&self.keys[i]) }, self.value_validity.is_valid(i)))
    }

    /// Fills `out` with the keys of row `row` (cleared first), values left out
    /// as `None`: for rules that only look at the keys.
    pub fn read_keys_into(&self, row: usize, out: &mut Pairs<'a>) {
        out.clear();
        out.extend(self.key_bytes(row).map(|key| (text(key), None)));
    }

    /// Fills `out` with the pairs of row `row` (cleared first). A NULL map
    /// leaves it empty; use [`MapColumn::is_null`] to tell the two apart.
    pub fn read_into(&self, row: usize, out: &mut Pairs<'a>) {
        out.clear();
        for i in self.slots(row) {
            // SAFETY: `i` is within the child vector's rows.
            let key = text(unsafe { string_bytes(&self.keys[i]) });
            let value = match self.values.get(i) {
                Some(slot) if self.value_validity.is_valid(i) => Some(text(unsafe { string_bytes(slot) })),
                _ => None,
            };
            out.push((key, value));
        }
    }
}

/// Collects the list results of a whole chunk, then writes them in one go
/// (DuckDB needs the child size reserved before the children are written).
pub struct ListOutput<T> {
    items: Vec<T>,
    /// `(offset, length)` per row; `None` for a NULL row.
    rows: Vec<Option<(usize, usize)>>,
}

impl<T> ListOutput<T> {
    pub fn with_rows(rows: usize) -> Self {
        ListOutput { items: Vec::new(), rows: Vec::with_capacity(rows) }
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

    /// Writes the rows into `list`, with `write_items` filling the child vector.
    fn write(&self, list: &mut ListVector, write_items: impl FnOnce(&ListVector, &[T])) {
        write_items(list, &self.items);
        for (row, entry) in self.rows.iter().enumerate() {
            match entry {
                Some((offset, len)) => list.set_entry(row, *offset, *len),
                None => {
                    list.set_entry(row, 0, 0);
                    list.set_null(row);
                }
            }
        }
        list.set_len(self.items.len());
    }
}

impl<S: AsRef<str>> ListOutput<S> {
    /// Writes a `VARCHAR[]` result.
    pub fn write_text_list(&self, mut list: ListVector) {
        self.write(&mut list, |list, items| {
            let child = list.child(items.len());
            for (i, item) in items.iter().enumerate() {
                child.insert(i, item.as_ref());
            }
        });
    }
}

impl<K: AsRef<str>, V: AsRef<str>> ListOutput<(K, Option<V>)> {
    /// Writes a `MAP(VARCHAR, VARCHAR)` result.
    pub fn write_map(&self, mut list: ListVector) {
        self.write(&mut list, |list, items| {
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

impl<T> ListOutput<T> {
    /// Writes a `STRUCT(...)[]` result: `fill` writes every item into the struct child vector.
    pub fn write_struct_list(&self, mut list: ListVector, fill: impl FnOnce(&StructVector, &[T])) {
        self.write(&mut list, |list, items| fill(&list.struct_child(items.len()), items));
    }
}

/// Writes a VARCHAR or NULL into row `row` of `vector`.
pub fn write_opt_text(vector: &mut FlatVector, row: usize, value: Option<&str>) {
    match value {
        Some(text) => vector.insert(row, text),
        None => vector.set_null(row),
    }
}
