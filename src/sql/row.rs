//! Reading a whole Flight row (an argument declared `ANY`) from a STRUCT
//! vector through the C API: the vector carries its own type
//! (`duckdb_vector_get_column_type`), so the fields are found by name at
//! execution, without a bind callback. Unknown fields are ignored; a known
//! field of the wrong type is an error naming the field, the type found and
//! the type expected.
//!
//! Fields read (names compared ignoring ASCII case, as DuckDB does):
//!
//! | field | type |
//! |---|---|
//! | `config`, `override` | `MAP(VARCHAR, VARCHAR)` |
//! | `flight_secret_names` or `md_secret_names` | `VARCHAR[]` |
//! | `access_token_name` or `md_token_name` | `VARCHAR` |
//! | `secrets` | `MAP(VARCHAR, VARCHAR[])` or `MAP(VARCHAR, MAP(VARCHAR, VARCHAR))` |
//! | `secret_naming`, `source_code`, `schedule_cron` | `VARCHAR` |
//! | `bare_aliases` | `BOOLEAN` |
//!
//! A field typed `"NULL"` (a bare `NULL` in a struct literal) reads as absent.
//! DuckDB flattens a C API scalar's input before the call; children of a flat
//! STRUCT are read as flat vectors.

use super::row_type::{vector_type, Ty};
use super::scalar::Chunk;
use super::vector::{MapColumn, TextColumn, Validity};
use crate::flight::{ConfigMap, FlightSpec, ParamValue, SecretDef, SecretParam};
use duckdb::core::DataChunkHandle;
use duckdb::ffi;
use std::ops::Range;

/// A flat BOOLEAN vector.
#[derive(Clone, Copy)]
struct Bools<'a> {
    data: &'a [bool],
    validity: Validity,
}

impl Bools<'_> {
    fn get(&self, row: usize) -> Option<bool> {
        self.validity.is_valid(row).then(|| self.data.get(row).copied()).flatten()
    }
}

/// A flat LIST (or MAP) vector: the child range of each row.
#[derive(Clone, Copy)]
struct Lists<'a> {
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

/// Row `row` of a `MAP(VARCHAR, VARCHAR)` column as an owned config; `None` when it is NULL.
fn owned_map(maps: &MapColumn, row: usize) -> Option<ConfigMap> {
    if maps.is_null(row) {
        return None;
    }
    Some(maps.owned_pairs(row))
}

/// The `secrets` field: secret name to param keys, or to its PARAMS map.
#[derive(Clone, Copy)]
enum Secrets<'a> {
    Keys { lists: Lists<'a>, names: TextColumn<'a>, params: Lists<'a>, keys: TextColumn<'a> },
    Params { lists: Lists<'a>, names: TextColumn<'a>, params: MapColumn<'a> },
}

impl Secrets<'_> {
    fn get(&self, row: usize) -> Option<Vec<SecretDef>> {
        let (lists, names) = match self {
            Secrets::Keys { lists, names, .. } | Secrets::Params { lists, names, .. } => (lists, names),
        };
        let range = lists.range(row)?;
        Some(
            range
                .map(|i| {
                    let name = names.get(i).unwrap_or_default().to_owned();
                    let params = match self {
                        // A NULL key reads as an empty key, which the rules report.
                        Secrets::Keys { params, keys, .. } => params
                            .range(i)
                            .into_iter()
                            .flatten()
                            .map(|j| SecretParam {
                                key: keys.get(j).unwrap_or_default().to_owned(),
                                value: ParamValue::KeyOnly,
                            })
                            .collect(),
                        Secrets::Params { params, .. } => owned_map(params, i)
                            .into_iter()
                            .flatten()
                            .map(|(key, value)| SecretParam {
                                key,
                                value: value.map_or(ParamValue::Null, ParamValue::Given),
                            })
                            .collect(),
                    };
                    SecretDef { name, params }
                })
                .collect(),
        )
    }
}

/// A column of Flight rows: one STRUCT vector, its known fields located.
pub struct FlightColumn<'a> {
    rows: usize,
    validity: Validity,
    config: Option<MapColumn<'a>>,
    override_config: Option<MapColumn<'a>>,
    secret_names: [Option<(Lists<'a>, TextColumn<'a>)>; 2],
    token: [Option<TextColumn<'a>>; 2],
    secrets: Option<Secrets<'a>>,
    secret_naming: Option<TextColumn<'a>>,
    bare_aliases: Option<Bools<'a>>,
    source_code: Option<TextColumn<'a>>,
    schedule_cron: Option<TextColumn<'a>>,
    /// Every field name of the STRUCT, lower case, first of each name.
    fields: Vec<String>,
    /// What the STRUCT is, in errors: `the Flight row`, `the update`.
    noun: &'static str,
}

const TEXT_MAP: &str = "MAP(VARCHAR, VARCHAR)";
const SECRETS: &str = "MAP(VARCHAR, VARCHAR[]) or MAP(VARCHAR, MAP(VARCHAR, VARCHAR))";

fn text_map_ty() -> Ty {
    Ty::Map(Box::new(Ty::Varchar), Box::new(Ty::Varchar))
}

/// The `secrets` field: `MAP(VARCHAR, VARCHAR[])` or `MAP(VARCHAR, MAP(VARCHAR, VARCHAR))`;
/// `None` for any other type.
///
/// # Safety
/// `child` must be a live, flat vector of type `ty` with `rows` rows, live for `'a`.
unsafe fn read_secrets<'a>(child: ffi::duckdb_vector, rows: usize, ty: &Ty) -> Option<Secrets<'a>> {
    let Ty::Map(k, v) = ty else { return None };
    if **k != Ty::Varchar {
        return None;
    }
    // SAFETY (caller): a MAP vector of `rows` rows; each reader matches the type checked before it.
    unsafe {
        let lists = Lists::of(child, rows);
        let names = TextColumn::of_vector(lists.entry_field(0), lists.child_len);
        let values = lists.entry_field(1);
        match &**v {
            Ty::List(item) if **item == Ty::Varchar => {
                let params = Lists::of(values, lists.child_len);
                Some(Secrets::Keys { lists, names, params, keys: params.texts() })
            }
            v if *v == text_map_ty() => {
                Some(Secrets::Params { lists, names, params: MapColumn::of_vector(values, lists.child_len) })
            }
            _ => None,
        }
    }
}

/// Where a column of Flight rows comes from: a scalar's chunk.
impl<'a> FlightColumn<'a> {
    /// The Flight rows of `input`, whose one column is the argument of `function`
    /// (DuckDB flattens a scalar's chunk before the call).
    pub fn of_chunk(function: &str, input: &'a DataChunkHandle) -> Result<Self, String> {
        // SAFETY: column 0 exists (the function has one parameter) and is live and flat for 'a.
        unsafe { Self::read(function, ffi::duckdb_data_chunk_get_vector(input.get_ptr(), 0), input.len()) }
    }

    /// Column `col` of a raw scalar's chunk as Flight rows; `None` when the
    /// argument is a bare `NULL` (typed NULL, every row NULL).
    pub fn of_scalar_column(function: &str, input: &'a Chunk, col: usize) -> Result<Option<Self>, String> {
        let vector = input.vector(col);
        // SAFETY: a declared column of the chunk, live and flat (DuckDB flattens a scalar's
        // chunk) for the call, which outlives the borrow of `input`.
        unsafe {
            if vector_type(vector) == Ty::Null {
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
        unsafe { Self::read_as(function, "the Flight row", vector, rows) }
    }

    /// [`FlightColumn::read`] of a STRUCT that errors name `noun` (`the update`).
    ///
    /// # Safety
    /// As [`FlightColumn::read`].
    pub unsafe fn read_as(
        function: &str,
        noun: &'static str,
        vector: ffi::duckdb_vector,
        rows: usize,
    ) -> Result<Self, String> {
        // SAFETY (caller): the vector is live; its type is ours to destroy.
        let ty = unsafe { vector_type(vector) };
        let Ty::Struct(fields) = ty else {
            return Err(format!(
                "{function} takes one Flight row, a STRUCT read by field name (a table alias such as f in \
                 SELECT {function}(f) FROM my_flights f, or a literal such as {{'config': MAP {{'REGION': 'us'}}}}); got {ty}"
            ));
        };
        let mut column = FlightColumn {
            rows,
            // SAFETY: as above.
            validity: Validity::of(vector),
            config: None,
            override_config: None,
            secret_names: [None, None],
            token: [None, None],
            secrets: None,
            secret_naming: None,
            bare_aliases: None,
            source_code: None,
            schedule_cron: None,
            fields: Vec::new(),
            noun,
        };
        for (index, (name, ty)) in fields.iter().enumerate() {
            let key = name.to_ascii_lowercase();
            if column.fields.contains(&key) {
                continue;
            }
            column.fields.push(key.clone());
            if *ty == Ty::Null {
                continue;
            }
            // SAFETY: the struct has this child; the vector is live and flat for 'a.
            unsafe { column.read_field(function, vector, index, name, &key, ty)? };
        }
        Ok(column)
    }

    /// Reads the field `name` (lower-cased `key`) of type `ty`, the `index`-th child of `vector`,
    /// if it is one the rules read.
    ///
    /// # Safety
    /// `vector` must be a live, flattened STRUCT vector of `self.rows` rows with this child, live for `'a`.
    unsafe fn read_field(
        &mut self,
        function: &str,
        vector: ffi::duckdb_vector,
        index: usize,
        name: &str,
        key: &str,
        ty: &Ty,
    ) -> Result<(), String> {
        let (rows, noun, column) = (self.rows, self.noun, self);
        let wrong = |expected: &str| {
            format!("{function}: field {name} of {noun} is {ty}; expected {expected} (cast it, or rename the field if it means something else)")
        };
        // SAFETY: the struct has this child; each reader is built only after its type matched.
        let child = unsafe { ffi::duckdb_struct_vector_get_child(vector, index as u64) };
        let text = || -> Result<Option<TextColumn<'a>>, String> {
            match ty {
                Ty::Varchar => Ok(Some(unsafe { TextColumn::of_vector(child, rows) })),
                _ => Err(wrong("VARCHAR")),
            }
        };
        match key {
            "config" | "override" => {
                if *ty == Ty::Varchar {
                    return Err(format!(
                        "{}; a JSON object converts with flight_config_from_json({name})",
                        wrong(TEXT_MAP)
                    ));
                }
                if *ty != text_map_ty() {
                    return Err(wrong(TEXT_MAP));
                }
                let maps = Some(unsafe { MapColumn::of_vector(child, rows) });
                if key == "config" {
                    column.config = maps;
                } else {
                    column.override_config = maps;
                }
            }
            "flight_secret_names" | "md_secret_names" => {
                // `[]` is typed "NULL"[]: read as VARCHAR[] while it holds no element.
                let empty_literal = *ty == Ty::List(Box::new(Ty::Null));
                if *ty != Ty::List(Box::new(Ty::Varchar)) && !empty_literal {
                    return Err(wrong("VARCHAR[]"));
                }
                let lists = unsafe { Lists::of(child, rows) };
                if empty_literal && lists.child_len > 0 {
                    return Err(wrong("VARCHAR[]"));
                }
                let slot = usize::from(key == "md_secret_names");
                column.secret_names[slot] = Some((lists, unsafe { lists.texts() }));
            }
            "access_token_name" | "md_token_name" => {
                column.token[usize::from(key == "md_token_name")] = text()?;
            }
            "secrets" => column.secrets = Some(unsafe { read_secrets(child, rows, ty) }.ok_or_else(|| wrong(SECRETS))?),
            "secret_naming" => column.secret_naming = text()?,
            "source_code" => column.source_code = text()?,
            "schedule_cron" => column.schedule_cron = text()?,
            "bare_aliases" => {
                if *ty != Ty::Boolean {
                    return Err(wrong("BOOLEAN"));
                }
                column.bare_aliases = Some(unsafe {
                    let ptr = ffi::duckdb_vector_get_data(child).cast::<bool>();
                    let data = if ptr.is_null() || rows == 0 { &[][..] } else { std::slice::from_raw_parts(ptr, rows) };
                    Bools { data, validity: Validity::of(child) }
                });
            }
            _ => {}
        }
        Ok(())
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

    /// The Flight described by row `row` (NULL fields read as absent).
    pub fn spec(&self, row: usize) -> FlightSpec {
        let text = |f: &Option<TextColumn<'a>>| f.and_then(|t| t.get(row)).map(str::to_owned);
        let names = self.secret_names.iter().find_map(|f| {
            let (lists, items) = (*f)?;
            let range = lists.range(row)?;
            Some(range.map(|i| items.get(i).map(str::to_owned)).collect())
        });
        FlightSpec {
            config: self.config.and_then(|m| owned_map(&m, row)),
            override_config: self.override_config.and_then(|m| owned_map(&m, row)),
            flight_secret_names: names,
            secrets: self.secrets.and_then(|s| s.get(row)),
            access_token_name: self.token.iter().find_map(text),
            secret_naming: text(&self.secret_naming),
            bare_aliases: self.bare_aliases.and_then(|b| b.get(row)).unwrap_or(false),
            schedule_cron: text(&self.schedule_cron),
        }
    }

    /// Row `row`'s `source_code`, if the row has one.
    pub fn source_code(&self, row: usize) -> Option<&'a str> {
        self.source_code.and_then(|t| t.get(row))
    }
}
