//! Reading a whole Flight row (an argument declared `ANY`) from a STRUCT
//! vector through the C API: the vector carries its own type
//! (`duckdb_vector_get_column_type`), so the fields are found by name at
//! execution, without a bind callback. The fields read are the ones of
//! [`FIELDS`](crate::flight::FIELDS) that appear in a row (or in an update),
//! under either spelling, names compared ignoring ASCII case as DuckDB does;
//! each is read by its kind (VARCHAR, BOOLEAN, any integer type, VARCHAR[],
//! MAP(VARCHAR, VARCHAR), the secrets' two MAP shapes). Unknown fields are
//! ignored; a known field of the wrong type is an error naming the field, the
//! type found and the type expected; both spellings of one field given with
//! different values in one row is an error naming both.
//!
//! A field typed `"NULL"` (a bare `NULL` in a struct literal) reads as absent.
//! DuckDB flattens a C API scalar's input before the call; children of a flat
//! STRUCT are read as flat vectors.

use super::scalar::Chunk;
use super::types::{vector_type, IntType, SqlType};
use super::vector::{refill, MapColumn, TextColumn, Validity};
use crate::flight::{
    set_spelled, Appears, ConfigMap, Field, FieldDef, FieldKind, FieldValue, FlightSpec, ParamValue, SecretDef,
    SecretParam, FIELDS,
};
use duckdb::core::DataChunkHandle;
use duckdb::ffi;
use std::ops::Range;

/// A flat BOOLEAN vector.
#[derive(Clone, Copy)]
pub(super) struct Bools<'a> {
    data: &'a [bool],
    validity: Validity,
}

impl Bools<'_> {
    fn get(&self, row: usize) -> Option<bool> {
        self.validity.is_valid(row).then(|| self.data.get(row).copied()).flatten()
    }
}

/// A flat vector of one of the integer types, read as `i64` (a UBIGINT past `i64::MAX` saturates).
#[derive(Clone, Copy)]
pub(super) enum Ints<'a> {
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
}

/// The data of a flat vector of `rows` values of `T`.
///
/// # Safety
/// `vector` must be a live flat vector of `rows` values of `T`, live for `'a`.
unsafe fn flat_data<'a, T>(vector: ffi::duckdb_vector, rows: usize) -> &'a [T] {
    // SAFETY (caller): as above.
    unsafe {
        let ptr = ffi::duckdb_vector_get_data(vector).cast::<T>();
        if ptr.is_null() || rows == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(ptr, rows)
        }
    }
}

impl<'a> Ints<'a> {
    /// # Safety
    /// `vector` must be a live flat vector of type `int` with `rows` rows, live for `'a`.
    unsafe fn of(vector: ffi::duckdb_vector, rows: usize, int: IntType) -> Self {
        // SAFETY (caller): the element type matches `int`.
        unsafe {
            match int {
                IntType::TinyInt => Ints::I8(flat_data(vector, rows)),
                IntType::SmallInt => Ints::I16(flat_data(vector, rows)),
                IntType::Int => Ints::I32(flat_data(vector, rows)),
                IntType::BigInt => Ints::I64(flat_data(vector, rows)),
                IntType::UTinyInt => Ints::U8(flat_data(vector, rows)),
                IntType::USmallInt => Ints::U16(flat_data(vector, rows)),
                IntType::UInt => Ints::U32(flat_data(vector, rows)),
                IntType::UBigInt => Ints::U64(flat_data(vector, rows)),
            }
        }
    }

    fn get(&self, row: usize) -> Option<i64> {
        match self {
            Ints::I8(d) => d.get(row).map(|&v| i64::from(v)),
            Ints::I16(d) => d.get(row).map(|&v| i64::from(v)),
            Ints::I32(d) => d.get(row).map(|&v| i64::from(v)),
            Ints::I64(d) => d.get(row).copied(),
            Ints::U8(d) => d.get(row).map(|&v| i64::from(v)),
            Ints::U16(d) => d.get(row).map(|&v| i64::from(v)),
            Ints::U32(d) => d.get(row).map(|&v| i64::from(v)),
            Ints::U64(d) => d.get(row).map(|&v| i64::try_from(v).unwrap_or(i64::MAX)),
        }
    }
}

/// A flat LIST (or MAP) vector: the child range of each row.
#[derive(Clone, Copy)]
pub(super) struct Lists<'a> {
    entries: &'a [ffi::duckdb_list_entry],
    validity: Validity,
    child_len: usize,
    child: ffi::duckdb_vector,
}

impl<'a> Lists<'a> {
    unsafe fn of(vector: ffi::duckdb_vector, len: usize) -> Self {
        // SAFETY (caller): a live flat LIST or MAP vector of at least `len` rows.
        unsafe {
            let ptr = ffi::duckdb_vector_get_data(vector).cast::<ffi::duckdb_list_entry>();
            let entries = if ptr.is_null() || len == 0 { &[][..] } else { std::slice::from_raw_parts(ptr, len) };
            Lists {
                entries,
                validity: Validity::of(vector),
                child_len: ffi::duckdb_list_vector_get_size(vector) as usize,
                child: ffi::duckdb_list_vector_get_child(vector),
            }
        }
    }

    /// The child rows of row `row`; `None` when it is NULL.
    fn range(&self, row: usize) -> Option<Range<usize>> {
        let entry = self.entries.get(row)?;
        if !self.validity.is_valid(row) {
            return None;
        }
        let start = (entry.offset as usize).min(self.child_len);
        Some(start..start.saturating_add(entry.length as usize).min(self.child_len))
    }

    /// The child as VARCHAR (a `VARCHAR[]`).
    unsafe fn texts(&self) -> TextColumn<'a> {
        // SAFETY (caller): the child is VARCHAR.
        unsafe { TextColumn::of_vector(self.child, self.child_len) }
    }

    /// Struct child `i` of the child vector (a MAP's keys are 0, values 1).
    fn entry_field(&self, i: u64) -> ffi::duckdb_vector {
        // SAFETY: the caller matched the type: the child is a STRUCT with this field.
        unsafe { ffi::duckdb_struct_vector_get_child(self.child, i) }
    }
}

/// The `secrets` field: secret name to param keys, or to its PARAMS map.
#[derive(Clone, Copy)]
pub(super) enum Secrets<'a> {
    Keys { lists: Lists<'a>, names: TextColumn<'a>, params: Lists<'a>, keys: TextColumn<'a> },
    Params { lists: Lists<'a>, names: TextColumn<'a>, params: MapColumn<'a> },
}

impl Secrets<'_> {
    /// Row `row`'s secrets into `out` (overwritten in place, see
    /// [`MapColumn::owned_pairs_into`]); `false` when the row is NULL.
    fn get_into(&self, row: usize, out: &mut Vec<SecretDef>) -> bool {
        let (lists, names) = match self {
            Secrets::Keys { lists, names, .. } | Secrets::Params { lists, names, .. } => (lists, names),
        };
        let Some(range) = lists.range(row) else { return false };
        out.truncate(range.len());
        for (n, i) in range.enumerate() {
            if out.len() == n {
                out.push(SecretDef { name: String::new(), params: Vec::new() });
            }
            let def = &mut out[n];
            refill(&mut def.name, names.get(i).unwrap_or_default());
            match self {
                // A NULL key reads as an empty key, which the rules report.
                Secrets::Keys { params, keys, .. } => {
                    let range = params.range(i).unwrap_or_default();
                    def.params.truncate(range.len());
                    for (m, j) in range.enumerate() {
                        let key = keys.get(j).unwrap_or_default();
                        match def.params.get_mut(m) {
                            Some(param) => {
                                refill(&mut param.key, key);
                                param.value = ParamValue::KeyOnly;
                            }
                            None => def.params.push(SecretParam { key: key.to_owned(), value: ParamValue::KeyOnly }),
                        }
                    }
                }
                Secrets::Params { params, .. } => {
                    let pairs = params.pairs(i);
                    def.params.truncate(pairs.len());
                    for (m, (key, value)) in pairs.enumerate() {
                        let Some(param) = def.params.get_mut(m) else {
                            let value = value.map_or(ParamValue::Null, |v| ParamValue::Given(v.to_owned()));
                            def.params.push(SecretParam { key: key.to_owned(), value });
                            continue;
                        };
                        refill(&mut param.key, key);
                        match (&mut param.value, value) {
                            (ParamValue::Given(buffer), Some(v)) => refill(buffer, v),
                            (slot, v) => *slot = v.map_or(ParamValue::Null, |v| ParamValue::Given(v.to_owned())),
                        }
                    }
                }
            }
        }
        true
    }
}

/// Where a chunk's rows are read into, reused from row to row
/// ([`FlightColumn::spec_with`]): the config maps and secrets of a row
/// handed back by [`SpecBuffers::recycle`] keep their strings' buffers, so
/// reading the next row allocates only where a text grew.
#[derive(Default)]
pub struct SpecBuffers {
    maps: Vec<ConfigMap>,
    secrets: Vec<Vec<SecretDef>>,
}

impl SpecBuffers {
    /// Takes back the buffers of a row read with [`FlightColumn::spec_with`].
    pub fn recycle(&mut self, spec: FlightSpec) {
        self.maps.extend(spec.config);
        self.maps.extend(spec.override_config);
        self.secrets.extend(spec.secrets);
    }
}

/// One field's column, read by its kind.
#[derive(Clone, Copy)]
pub(super) enum Reader<'a> {
    Text(TextColumn<'a>),
    Bool(Bools<'a>),
    Integer(Ints<'a>, Validity),
    TextList(Lists<'a>, TextColumn<'a>),
    ConfigMap(MapColumn<'a>),
    Secrets(Secrets<'a>),
}

impl Reader<'_> {
    /// Row `row`'s value; `None` when it is NULL.
    pub(super) fn get(&self, row: usize) -> Option<FieldValue> {
        self.get_with(row, &mut SpecBuffers::default())
    }

    /// [`Reader::get`], maps and secrets read into `buffers`' vectors.
    fn get_with(&self, row: usize, buffers: &mut SpecBuffers) -> Option<FieldValue> {
        match self {
            Reader::Text(t) => t.get(row).map(|t| FieldValue::Text(t.to_owned())),
            Reader::Bool(b) => b.get(row).map(FieldValue::Bool),
            Reader::Integer(ints, validity) => {
                validity.is_valid(row).then(|| ints.get(row)).flatten().map(FieldValue::Integer)
            }
            Reader::TextList(lists, items) => {
                let range = lists.range(row)?;
                Some(FieldValue::TextList(range.map(|i| items.get(i).map(str::to_owned)).collect()))
            }
            Reader::ConfigMap(maps) => {
                if maps.is_null(row) {
                    return None;
                }
                let mut map = buffers.maps.pop().unwrap_or_default();
                maps.owned_pairs_into(row, &mut map);
                Some(FieldValue::ConfigMap(map))
            }
            Reader::Secrets(secrets) => {
                let mut defs = buffers.secrets.pop().unwrap_or_default();
                secrets.get_into(row, &mut defs).then_some(FieldValue::Secrets(defs))
            }
        }
    }
}

/// A field of the STRUCT that names a field of [`FIELDS`].
struct Located<'a> {
    def: &'static FieldDef,
    /// The name as the STRUCT spells it.
    name: String,
    reader: Reader<'a>,
}

/// A column of Flight rows: one STRUCT vector, its known fields located.
pub struct FlightColumn<'a> {
    rows: usize,
    validity: Validity,
    located: Vec<Located<'a>>,
    /// Every field name of the STRUCT, lower case, first of each name.
    fields: Vec<String>,
}

// SAFETY: a FlightColumn reads, and only reads, the vectors of one input
// chunk, which DuckDB keeps alive and unchanged for the call it was made in
// (the `'a` it borrows); none of its methods keeps state. Threads of that call
// may read it at once ([`crate::sql::parallel`]).
unsafe impl Sync for FlightColumn<'_> {}

const TEXT_MAP: &str = "MAP(VARCHAR, VARCHAR)";

/// The `secrets` field: `MAP(VARCHAR, VARCHAR[])` or `MAP(VARCHAR, MAP(VARCHAR, VARCHAR))`;
/// `None` for any other type.
///
/// # Safety
/// `child` must be a live, flat vector of type `ty` with `rows` rows, live for `'a`.
unsafe fn read_secrets<'a>(child: ffi::duckdb_vector, rows: usize, ty: &SqlType) -> Option<Secrets<'a>> {
    let SqlType::Map(k, v) = ty else { return None };
    if **k != SqlType::Varchar {
        return None;
    }
    // SAFETY (caller): a MAP vector of `rows` rows; each reader matches the type checked before it.
    unsafe {
        let lists = Lists::of(child, rows);
        let names = TextColumn::of_vector(lists.entry_field(0), lists.child_len);
        let values = lists.entry_field(1);
        match &**v {
            SqlType::List(item) if **item == SqlType::Varchar => {
                let params = Lists::of(values, lists.child_len);
                Some(Secrets::Keys { lists, names, params, keys: params.texts() })
            }
            v if *v == SqlType::CONFIG_MAP => {
                Some(Secrets::Params { lists, names, params: MapColumn::of_vector(values, lists.child_len) })
            }
            _ => None,
        }
    }
}

/// The reader of `child`, of type `ty` with `rows` rows, for a field of `kind`;
/// `Err(hint)` when the type does not fit (`hint`: what to add to the message).
///
/// # Safety
/// `child` must be a live, flat vector of type `ty` with `rows` rows, live for `'a`.
pub(super) unsafe fn reader<'a>(
    child: ffi::duckdb_vector,
    rows: usize,
    ty: &SqlType,
    kind: FieldKind,
) -> Result<Reader<'a>, &'static str> {
    // SAFETY (caller): each reader is built only after its type matched.
    unsafe {
        match (kind, ty) {
            (FieldKind::Text, SqlType::Varchar) => Ok(Reader::Text(TextColumn::of_vector(child, rows))),
            (FieldKind::Bool, SqlType::Boolean) => {
                Ok(Reader::Bool(Bools { data: flat_data(child, rows), validity: Validity::of(child) }))
            }
            (FieldKind::Integer, SqlType::Integer(int)) => {
                Ok(Reader::Integer(Ints::of(child, rows, *int), Validity::of(child)))
            }
            (FieldKind::TextList, SqlType::List(item)) if matches!(**item, SqlType::Varchar | SqlType::Null) => {
                let lists = Lists::of(child, rows);
                // `[]` is typed "NULL"[]: read as VARCHAR[] while it holds no element.
                if **item == SqlType::Null && lists.child_len > 0 {
                    return Err("");
                }
                Ok(Reader::TextList(lists, lists.texts()))
            }
            (FieldKind::ConfigMap, SqlType::Varchar) => {
                Err("; a JSON object converts with flight_config_from_json(<field>)")
            }
            (FieldKind::ConfigMap, ty) if *ty == SqlType::CONFIG_MAP => {
                Ok(Reader::ConfigMap(MapColumn::of_vector(child, rows)))
            }
            (FieldKind::Secrets, ty) => read_secrets(child, rows, ty).map(Reader::Secrets).ok_or(""),
            _ => Err(""),
        }
    }
}

/// Where a column of Flight rows comes from: a scalar's chunk.
impl<'a> FlightColumn<'a> {
    /// The Flight rows of `input`, whose one column is the argument of `function`
    /// (DuckDB flattens a scalar's chunk before the call).
    pub fn of_chunk(function: &str, input: &'a DataChunkHandle) -> Result<Self, String> {
        Self::of_chunk_column(function, input, 0)
    }

    /// Column `col` of `input` as Flight rows (`col` a declared parameter of the scalar).
    pub fn of_chunk_column(function: &str, input: &'a DataChunkHandle, col: usize) -> Result<Self, String> {
        if col >= input.num_columns() {
            return Err(format!("{function}: no argument {}", col + 1));
        }
        // SAFETY: column `col` exists (checked) and is live and flat (DuckDB flattens a scalar's chunk) for 'a.
        unsafe { Self::read(function, ffi::duckdb_data_chunk_get_vector(input.get_ptr(), col as u64), input.len()) }
    }

    /// The Flight rows of a raw scalar's chunk, whose one column is the argument of `function`.
    pub fn of_raw_chunk(function: &str, input: &'a Chunk) -> Result<Self, String> {
        // SAFETY: the declared column of the chunk, live and flat (DuckDB flattens a scalar's
        // chunk) for the call, which outlives the borrow of `input`.
        unsafe { Self::read(function, input.vector(0), input.len()) }
    }

    /// Column `col` of a raw scalar's chunk as Flight rows; `None` when the
    /// argument is a bare `NULL` (typed NULL, every row NULL).
    pub fn of_scalar_column(function: &str, input: &'a Chunk, col: usize) -> Result<Option<Self>, String> {
        let vector = input.vector(col);
        // SAFETY: a declared column of the chunk, live and flat (DuckDB flattens a scalar's
        // chunk) for the call, which outlives the borrow of `input`.
        unsafe {
            if vector_type(vector) == SqlType::Null {
                return Ok(None);
            }
            Self::read(function, vector, input.len()).map(Some)
        }
    }
}

/// Reading a STRUCT vector's fields.
impl<'a> FlightColumn<'a> {
    /// Locates the known fields of `vector`, the argument of `function`.
    ///
    /// # Safety
    /// `vector` must be a live, flattened input vector of `rows` rows, live for `'a`.
    pub unsafe fn read(function: &str, vector: ffi::duckdb_vector, rows: usize) -> Result<Self, String> {
        // SAFETY (caller): as above.
        unsafe { Self::read_as(function, "the Flight row", |a| a.row, vector, rows) }
    }

    /// [`FlightColumn::read`] of a STRUCT that errors name `noun` (`the update`),
    /// reading the fields `appears` selects.
    ///
    /// # Safety
    /// As [`FlightColumn::read`].
    pub unsafe fn read_as(
        function: &str,
        noun: &str,
        appears: impl Fn(&Appears) -> bool,
        vector: ffi::duckdb_vector,
        rows: usize,
    ) -> Result<Self, String> {
        // SAFETY (caller): the vector is live; its type is ours to destroy.
        let ty = unsafe { vector_type(vector) };
        let SqlType::Struct(fields) = ty else {
            return Err(format!(
                "{function} takes one Flight row, a STRUCT read by field name (a table alias such as f in \
                 SELECT {function}(f) FROM my_flights f, or a literal such as {{'config': MAP {{'REGION': 'us'}}}}); got {ty}"
            ));
        };
        let mut column = FlightColumn { rows, validity: Validity::of(vector), located: Vec::new(), fields: Vec::new() };
        for (index, (name, ty)) in fields.iter().enumerate() {
            let key = name.to_ascii_lowercase();
            if column.fields.contains(&key) {
                continue;
            }
            column.fields.push(key);
            let Some(def) = FIELDS.iter().find(|def| appears(&def.appears) && def.is_named(name)) else { continue };
            if *ty == SqlType::Null {
                continue;
            }
            // SAFETY: the struct has this child; the vector is live and flat for 'a.
            let reader =
                unsafe { reader(ffi::duckdb_struct_vector_get_child(vector, index as u64), rows, ty, def.kind) };
            let reader = reader.map_err(|hint| {
                format!(
                    "{function}: field {name} of {noun} is {ty}; expected {} (cast it, or rename the field if it means something else){}",
                    expected(def.kind),
                    hint.replace("<field>", name)
                )
            })?;
            column.located.push(Located { def, name: name.clone(), reader });
        }
        Ok(column)
    }

    /// The STRUCT's field names, lower case, in order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Whether row `row` is a NULL row.
    pub fn is_null(&self, row: usize) -> bool {
        !self.validity.is_valid(row)
    }

    /// The Flight described by row `row` (NULL fields read as absent); an
    /// error when both spellings of a field hold different values.
    pub fn spec(&self, row: usize) -> Result<FlightSpec, String> {
        self.spec_with(row, &mut SpecBuffers::default())
    }

    /// [`FlightColumn::spec`] read into `buffers` (hand the spec back with
    /// [`SpecBuffers::recycle`] when done with it).
    pub fn spec_with(&self, row: usize, buffers: &mut SpecBuffers) -> Result<FlightSpec, String> {
        let mut spec = FlightSpec::default();
        for located in &self.located {
            if let Some(value) = located.reader.get_with(row, buffers) {
                set_spelled(&mut spec, located.def, &located.name, value).map_err(|e| e.to_string())?;
            }
        }
        Ok(spec)
    }

    /// Row `row`'s text field `field` (the first non-NULL spelling), borrowed.
    pub fn text(&self, field: Field, row: usize) -> Option<&'a str> {
        self.located.iter().filter(|l| l.def.field == field).find_map(|l| match l.reader {
            Reader::Text(t) => t.get(row),
            _ => None,
        })
    }

    /// Row `row`'s `source_code`, if the row has one.
    pub fn source_code(&self, row: usize) -> Option<&'a str> {
        self.text(Field::SourceCode, row)
    }
}

/// The type a field of `kind` must have, in errors.
pub(super) fn expected(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::ConfigMap => TEXT_MAP,
        FieldKind::Integer => "an integer type (INTEGER, BIGINT, ...)",
        other => other.sql_type(),
    }
}
