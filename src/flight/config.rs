//! Config updates and per-run overrides, and config in the JSON form MCP tools take.
//!
//! The domain (`shared/reference/flights-semantics.md`):
//! - Updating `config` (`MD_UPDATE_FLIGHT(config := ...)`) REPLACES the whole
//!   map: `{REGION: us, BATCH_SIZE: 1000}` updated with `{REGION: eu}` becomes
//!   `{REGION: eu}`, and `BATCH_SIZE` is gone.
//! - A per-run override (`MD_RUN_FLIGHT(config := ...)`) may only set keys the
//!   stored config already has; a new key is rejected and keys it leaves out
//!   keep their stored values. The run records the effective config: the
//!   stored one, in stored order, with the override's values for its keys.
//! - A NULL map is an empty config: callers pass an empty map for it.
//!
//! Every rule reads its maps through [`ConfigView`], so it takes an owned
//! [`ConfigMap`] as well as borrowed [`Pair`]s (what the per-row scalars hold
//! over millions of rows) and never copies a string it does not return.
//! Maps are small, so lookups scan; a hash index is built only when both the
//! map and the number of lookups into it are large. No rule panics on any input.

use super::{quoted, ConfigMap};
use serde::de::{self, Deserialize, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One config entry, borrowed: key and value (NULL as `None`).
pub type Pair<'a> = (&'a str, Option<&'a str>);

/// Borrows an owned config map as pairs.
pub fn pairs(map: &ConfigMap) -> Vec<Pair<'_>> {
    map.iter().map(|(key, value)| (key.as_str(), value.as_deref())).collect()
}

/// A config map the rules can read, without copying it: `&ConfigMap` (or a
/// slice of owned entries) and `&[Pair]` (or `&Vec<Pair>`, or an array).
pub trait ConfigView<'a>: Copy {
    /// What [`effective_config`] returns for a stored config of this form:
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
const SCAN_UP_TO: usize = 16;

/// Whether `lookups` lookups into a map of `len` keys justify a hash index.
fn worth_indexing(len: usize, lookups: usize) -> bool {
    len > SCAN_UP_TO && lookups > SCAN_UP_TO
}

/// Finds keys in one map: scans it, or hashes it once lookups would cost more.
/// On a repeated key (out of contract: DuckDB map keys never repeat) the first wins.
struct Lookup<'a, I> {
    entries: I,
    index: Option<HashMap<&'a str, Option<&'a str>>>,
}

impl<'a, I: ExactSizeIterator<Item = Pair<'a>> + Clone> Lookup<'a, I> {
    /// A lookup into `entries`, which is about to be asked `lookups` times.
    fn new(entries: I, lookups: usize) -> Self {
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
    fn get(&self, key: &str) -> Option<Option<&'a str>> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.clone().find(|&(k, _)| k == key).map(|(_, value)| value),
        }
    }

    fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// How `new` relates to `old` in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffMode {
    /// `new` replaces `old`, as `MD_UPDATE_FLIGHT(config := ...)` does.
    Update,
    /// `new` is a per-run override of `old`, as `MD_RUN_FLIGHT(config := ...)` applies it.
    Run,
}

impl DiffMode {
    /// `'update'` or `'run'`, in any case, surrounding whitespace ignored.
    pub fn parse(s: &str) -> Result<DiffMode, String> {
        let word = s.trim();
        if word.eq_ignore_ascii_case("update") {
            Ok(DiffMode::Update)
        } else if word.eq_ignore_ascii_case("run") {
            Ok(DiffMode::Run)
        } else {
            Err(format!(
                "unknown mode {}: use 'update' (new replaces old, as MD_UPDATE_FLIGHT does) \
                 or 'run' (new is a per-run override, as MD_RUN_FLIGHT applies it)",
                quoted(s)
            ))
        }
    }
}

/// What happens to one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Update: a key only the new map has.
    Added,
    /// Update: a key only the old map has; the update drops it.
    Removed,
    /// Both have the key, with different values.
    Changed,
    /// Both have the key with the same value (NULL equals NULL); in run mode
    /// also a stored key the override leaves out.
    Unchanged,
    /// Run: an override key the stored config lacks; MotherDuck rejects the run.
    Rejected,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
            Change::Rejected => "rejected",
        }
    }
}

/// One key of a diff, borrowed from the two maps (no string is copied).
/// In run mode `new_value` is the value the run gets (for a rejected key:
/// the value the override gave).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffRow<'a> {
    pub key: &'a str,
    pub change: Change,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
}

/// The borrowed diff row by the name the per-row scalars think of it.
pub type BorrowedDiffRow<'a> = DiffRow<'a>;

/// One key of a diff, owned: for rows that must outlive the maps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedDiffRow {
    pub key: String,
    pub change: Change,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl DiffRow<'_> {
    /// Copies the strings out.
    pub fn into_owned(self) -> OwnedDiffRow {
        OwnedDiffRow {
            key: self.key.to_owned(),
            change: self.change,
            old_value: self.old_value.map(str::to_owned),
            new_value: self.new_value.map(str::to_owned),
        }
    }
}

impl From<DiffRow<'_>> for OwnedDiffRow {
    fn from(row: DiffRow<'_>) -> OwnedDiffRow {
        row.into_owned()
    }
}

/// Compares two configs key by key. Rows are ordered by key (byte order);
/// unchanged keys appear only when `include_unchanged`. The rows borrow from
/// the maps; [`config_diff_owned`] copies them out.
///
/// - [`DiffMode::Update`]: a key in both is `Unchanged` when the values are
///   equal (NULL equals NULL), else `Changed`; a key only in `old` is
///   `Removed` (`new_value` NULL); a key only in `new` is `Added` (`old_value` NULL).
/// - [`DiffMode::Run`]: a key in both is `Changed` or `Unchanged`, `new_value`
///   being the override's; a key only in `old` is `Unchanged`, `new_value`
///   being the stored value the run gets; a key only in `new` is `Rejected`
///   (`old_value` NULL, `new_value` the value given).
pub fn config_diff<'a>(
    old: impl ConfigView<'a>,
    new: impl ConfigView<'a>,
    mode: DiffMode,
    include_unchanged: bool,
) -> Vec<DiffRow<'a>> {
    let (old, new) = (old.entries(), new.entries());
    let in_new = Lookup::new(new.clone(), old.len());
    let in_old = Lookup::new(old.clone(), new.len());
    let mut rows = Vec::new();
    for (key, old_value) in old {
        let (change, new_value) = match in_new.get(key) {
            Some(new_value) if new_value == old_value => (Change::Unchanged, new_value),
            Some(new_value) => (Change::Changed, new_value),
            None => match mode {
                DiffMode::Update => (Change::Removed, None),
                DiffMode::Run => (Change::Unchanged, old_value),
            },
        };
        if include_unchanged || change != Change::Unchanged {
            rows.push(DiffRow { key, change, old_value, new_value });
        }
    }
    let only_in_new = match mode {
        DiffMode::Update => Change::Added,
        DiffMode::Run => Change::Rejected,
    };
    rows.extend(new.filter(|&(key, _)| !in_old.contains(key)).map(|(key, new_value)| DiffRow {
        key,
        change: only_in_new,
        old_value: None,
        new_value,
    }));
    rows.sort_unstable_by(|a, b| a.key.cmp(b.key));
    rows
}

/// [`config_diff`] with owned rows.
pub fn config_diff_owned<'a>(
    old: impl ConfigView<'a>,
    new: impl ConfigView<'a>,
    mode: DiffMode,
    include_unchanged: bool,
) -> Vec<OwnedDiffRow> {
    config_diff(old, new, mode, include_unchanged).into_iter().map(DiffRow::into_owned).collect()
}

/// What an update from `old` to `new` changes (update mode, unchanged keys
/// left out), borrowed from the maps, ordered by key. For the per-row scalar.
pub fn config_changes<'a>(old: impl ConfigView<'a>, new: impl ConfigView<'a>) -> Vec<DiffRow<'a>> {
    config_diff(old, new, DiffMode::Update, false)
}

/// Whether a per-run override is valid: every key exists in the stored config
/// and every value is a string. Allocates nothing unless both maps are large.
/// Agrees with [`override_problems`] being empty.
pub fn override_is_valid<'a>(stored: impl ConfigView<'a>, ov: impl ConfigView<'a>) -> bool {
    let mut ov = ov.entries();
    let in_stored = Lookup::new(stored.entries(), ov.len());
    ov.all(|(key, value)| value.is_some() && in_stored.contains(key))
}

/// [`override_is_valid`] on raw key bytes, for callers that hold keys as
/// bytes (the per-row scalar decides without decoding a string):
/// `stored_keys` yields the stored keys, `ov` each override key with whether
/// its value is non-NULL. The lengths are hints that only choose between a
/// scan and a hash set; a wrong hint changes the speed, never the answer.
pub fn override_keys_valid<'s, 'o, S, O>(stored_keys: S, stored_len: usize, mut ov: O, ov_len: usize) -> bool
where
    S: Iterator<Item = &'s [u8]> + Clone,
    O: Iterator<Item = (&'o [u8], bool)>,
{
    if worth_indexing(stored_len, ov_len) {
        let stored: HashSet<&[u8]> = stored_keys.collect();
        return ov.all(|(key, has_value)| has_value && stored.contains(key));
    }
    ov.all(|(key, has_value)| has_value && stored_keys.clone().any(|stored| stored == key))
}

/// One message per problem of a per-run override, in override order; empty
/// when the override is valid. The problems: a key the stored config lacks
/// ([`unknown_override_key`]; the first [`MAX_SUGGESTED_KEYS`] of them get a
/// suggestion) and a NULL value ([`null_override_value`]).
///
/// Only the stored keys matter (callers may pass the stored values as NULL),
/// and no message quotes a value.
pub fn override_problems<'a>(stored: impl ConfigView<'a>, ov: impl ConfigView<'a>) -> Vec<String> {
    let ov = ov.entries();
    let stored = stored.entries();
    let in_stored = Lookup::new(stored.clone(), ov.len());
    let mut unknown = 0;
    ov.filter_map(|(key, value)| {
        if !in_stored.contains(key) {
            unknown += 1;
            let suggest = unknown <= MAX_SUGGESTED_KEYS;
            Some(unknown_key_message(key, stored.clone().map(|(stored_key, _)| stored_key), suggest))
        } else if value.is_none() {
            Some(null_override_value(key))
        } else {
            None
        }
    })
    .collect()
}

/// At most this many unknown keys of one override get a suggestion, so the
/// work stays linear however many keys an override gets wrong.
pub const MAX_SUGGESTED_KEYS: usize = 20;

/// The message for an override key given a NULL value.
pub fn null_override_value(key: &str) -> String {
    format!(
        "override key {} has a NULL value: give a string value ('' for an empty one), \
         or leave the key out to keep its stored value",
        quoted(key)
    )
}

/// The message for an override key the stored config lacks. With `suggest`,
/// it names the stored key the user probably meant (see [`suggest_key`]),
/// when there is one; callers ask for that for the first [`MAX_SUGGESTED_KEYS`]
/// unknown keys only.
pub fn unknown_override_key(key: &str, stored: &[Pair], suggest: bool) -> String {
    unknown_key_message(key, stored.iter().map(|&(stored_key, _)| stored_key), suggest)
}

fn unknown_key_message<'a>(key: &str, stored_keys: impl ExactSizeIterator<Item = &'a str>, suggest: bool) -> String {
    // Past the cap there is no suggestion: skip reading the keys at all.
    let meant =
        if suggest && stored_keys.len() <= MAX_SUGGESTION_CANDIDATES { suggest_key(key, stored_keys) } else { None };
    let hint = match meant {
        Some(meant) => format!(" (did you mean {}?)", quoted(meant)),
        None => String::new(),
    };
    format!(
        "override key {} is not in the stored config{hint}: a per-run override can only set keys the Flight \
         already has; to add a key, update the Flight's config with MD_UPDATE_FLIGHT first",
        quoted(key)
    )
}

/// The config the run records: `stored`, in stored order, with the override's
/// values for its keys. `Err` carries [`override_problems`]'s messages.
///
/// Returns a [`ConfigMap`] for an owned `stored`, borrowed pairs for borrowed ones.
pub fn effective_config<'a, S: ConfigView<'a>>(
    stored: S,
    ov: impl ConfigView<'a>,
) -> Result<S::Effective, Vec<String>> {
    if !override_is_valid(stored, ov) {
        return Err(override_problems(stored, ov));
    }
    let stored_entries = stored.entries();
    let in_override = Lookup::new(ov.entries(), stored_entries.len());
    Ok(S::collect_effective(stored_entries.map(|(key, value)| (key, in_override.get(key).unwrap_or(value)))))
}

/// Above this many candidate keys [`suggest_key`] suggests nothing.
///
/// Suggestions are for maps a person wrote; the cap keeps many unknown keys
/// against a huge map linear.
pub const MAX_SUGGESTION_CANDIDATES: usize = 1000;

/// Keys longer than this (in characters) get no typo suggestion: edit
/// distance is quadratic in the length.
const SUGGEST_MAX_CHARS: usize = 128;

/// The candidate the user probably meant by `unknown`:
///
/// 1. the first candidate with the same letters in another case (`REGION`
///    for `region`), else
/// 2. the closest candidate by edit distance (insertions, deletions,
///    substitutions and swaps of neighbours, case ignored) within
///    `max(1, chars / 4)` edits; the first in order wins a tie.
///
/// Keys of three characters or fewer only get case suggestions: one edit
/// there makes another word, not a typo. Past [`MAX_SUGGESTION_CANDIDATES`]
/// candidates there is no suggestion at all.
pub fn suggest_key<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().take(MAX_SUGGESTION_CANDIDATES + 1).collect();
    if candidates.len() > MAX_SUGGESTION_CANDIDATES {
        return None;
    }
    if let Some(same) = candidates.iter().find(|candidate| same_letters(unknown, candidate)) {
        return Some(same);
    }
    let wanted: Vec<char> = lowercase_chars(unknown).take(SUGGEST_MAX_CHARS + 1).collect();
    if !(4..=SUGGEST_MAX_CHARS).contains(&wanted.len()) {
        return None;
    }
    let limit = (wanted.len() / 4).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    let mut candidate_chars = Vec::new();
    let mut distance = EditDistance::default();
    for candidate in candidates {
        // A later candidate must be strictly closer to win.
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1));
        if bound == 0 {
            break;
        }
        // An ASCII key's length is its character count: skip far-off lengths before decoding.
        if candidate.is_ascii() && candidate.len().abs_diff(wanted.len()) > bound {
            continue;
        }
        candidate_chars.clear();
        candidate_chars.extend(lowercase_chars(candidate).take(SUGGEST_MAX_CHARS + 1));
        if candidate_chars.len() > SUGGEST_MAX_CHARS || candidate_chars.len().abs_diff(wanted.len()) > bound {
            continue;
        }
        let d = distance.between(&wanted, &candidate_chars);
        if d <= bound {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

fn lowercase_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase)
}

/// Whether two keys have the same letters, case ignored.
fn same_letters(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        lowercase_chars(a).eq(lowercase_chars(b))
    }
}

/// Optimal string alignment distance (Damerau-Levenshtein without edits to
/// a substring edited before), keeping its three rows between calls.
#[derive(Default)]
struct EditDistance {
    two_back: Vec<usize>,
    one_back: Vec<usize>,
    current: Vec<usize>,
}

impl EditDistance {
    fn between(&mut self, a: &[char], b: &[char]) -> usize {
        let width = b.len() + 1;
        self.two_back.clear();
        self.two_back.resize(width, 0);
        self.one_back.clear();
        self.one_back.extend(0..width);
        self.current.clear();
        self.current.resize(width, 0);
        // Every row has `width` = b.len() + 1 cells and `j + 1 <= b.len()`,
        // `i - 1`, `j - 1` only when positive: no index can be out of bounds.
        for (i, &ca) in a.iter().enumerate() {
            self.current[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let substitution = self.one_back[j] + usize::from(ca != cb);
                let deletion = self.one_back[j + 1] + 1;
                let insertion = self.current[j] + 1;
                let mut cell = substitution.min(deletion).min(insertion);
                if i > 0 && j > 0 && a[i - 1] == cb && b[j - 1] == ca {
                    cell = cell.min(self.two_back[j - 1] + 1);
                }
                self.current[j + 1] = cell;
            }
            std::mem::swap(&mut self.two_back, &mut self.one_back);
            std::mem::swap(&mut self.one_back, &mut self.current);
        }
        self.one_back.last().copied().unwrap_or(0)
    }
}

/// How a config must look in JSON; ends the messages about a JSON document.
const JSON_SHAPE: &str = "config must be a JSON object of string values, e.g. {\"REGION\": \"us\"}";

/// Reads config from a JSON object of string values, the form MCP tools take,
/// keeping key order.
///
/// Strict, and every error says how to fix it: malformed JSON (with serde_json's
/// line and column; nesting deeper than its recursion limit is malformed too),
/// a top level that is not an object, a key given twice (serde_json's `Value`
/// would silently keep the last) and a value that is not a string.
pub fn config_from_json(json: &str) -> Result<ConfigMap, String> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let parsed = deserializer.deserialize_any(TopLevel).and_then(|config| deserializer.end().map(|()| config));
    parsed.unwrap_or_else(|error| Err(invalid_json(&error)))
}

fn invalid_json(error: &serde_json::Error) -> String {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the position is given up front instead.
    let reason = message.rsplit_once(" at line ").map_or(message.as_str(), |(reason, _)| reason);
    format!("invalid JSON at line {}, column {}: {reason}; {JSON_SHAPE}", error.line(), error.column())
}

/// Reads the top-level JSON value. Its value is `Err(message)` for a
/// well-formed document that is no config; syntax errors stay serde errors,
/// so they win over a config problem found earlier in the document.
struct TopLevel;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Result<ConfigMap, String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of string values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut config = ConfigMap::new();
        let mut seen = SeenKeys::default();
        let mut problem = None;
        while let Some(key) = map.next_key::<String>()? {
            if problem.is_some() {
                // Read on: a syntax error later in the document wins.
                map.next_value::<Skip>()?;
                continue;
            }
            let value = map.next_value::<JsonValue>()?;
            if !seen.first_time(&config, &key) {
                problem = Some(format!("config JSON has the key {} twice: each key may appear once", quoted(&key)));
                continue;
            }
            match value {
                JsonValue::Text(text) => config.push((key, Some(text))),
                other => problem = Some(not_a_string(&key, &other)),
            }
        }
        Ok(problem.map_or(Ok(config), Err))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Err(format!("{JSON_SHAPE}; got an array")))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got a string")))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got {value}")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got a number")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got a number")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got a number")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got null")))
    }
}

/// The keys of a JSON object read so far: scanned while few, hashed once many.
#[derive(Default)]
struct SeenKeys {
    hashed: Option<HashSet<String>>,
}

impl SeenKeys {
    /// Whether `key` is new, given that `config` holds every key read before it.
    fn first_time(&mut self, config: &ConfigMap, key: &str) -> bool {
        if self.hashed.is_none() && config.len() <= SCAN_UP_TO {
            return config.iter().all(|(seen, _)| seen != key);
        }
        let hashed = self.hashed.get_or_insert_with(|| config.iter().map(|(seen, _)| seen.clone()).collect());
        hashed.insert(key.to_owned())
    }
}

/// A config value as read from JSON: the string, or what it is instead.
enum JsonValue {
    Text(String),
    /// The number as serde_json writes it.
    Number(String),
    Bool(bool),
    Null,
    Object,
    List,
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonValueVisitor)
    }
}

struct JsonValueVisitor;

impl<'de> Visitor<'de> for JsonValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::Text(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<JsonValue, E> {
        Ok(JsonValue::Text(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<JsonValue, E> {
        let text = serde_json::Number::from_f64(value).map_or_else(|| value.to_string(), |n| n.to_string());
        Ok(JsonValue::Number(text))
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonValue, A::Error> {
        SkipVisitor.visit_map(map).map(|()| JsonValue::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<JsonValue, A::Error> {
        SkipVisitor.visit_seq(seq).map(|()| JsonValue::List)
    }
}

/// Reads a JSON value and keeps nothing. Unlike serde's `IgnoredAny` (which
/// serde_json skips without a depth limit), it nests through `deserialize_any`,
/// so serde_json's recursion limit guards it: too deep is malformed JSON.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor).map(|()| Skip)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(())
    }
}

/// The message for a config value that is not a JSON string.
fn not_a_string(key: &str, value: &JsonValue) -> String {
    let key = quoted(key);
    match value {
        JsonValue::Number(n) => {
            format!("config value for {key} is a number ({n}): config is a flat string map, quote it: \"{n}\"")
        }
        JsonValue::Bool(b) => {
            format!("config value for {key} is a boolean ({b}): config is a flat string map, quote it: \"{b}\"")
        }
        JsonValue::Null => {
            format!("config value for {key} is null: give a string (\"\" for an empty one) or leave the key out")
        }
        JsonValue::Object => format!(
            "config value for {key} is a nested object: config is a flat string map, JSON-encode it into one \
             string, e.g. \"{{\\\"a\\\":1}}\""
        ),
        JsonValue::List => format!(
            "config value for {key} is a nested list: config is a flat string map, JSON-encode it into one \
             string, e.g. \"[1,2]\""
        ),
        // Not reached: strings are values, not problems.
        JsonValue::Text(_) => format!("config value for {key} is a string"),
    }
}

/// The compact JSON object for MCP tools: keys in map order, NULL values as
/// `null`, strings escaped by serde_json.
pub fn config_to_json<'a>(config: impl ConfigView<'a>) -> String {
    // Writing string keys and values to memory cannot fail; the fallback is never taken.
    serde_json::to_string(&JsonObject(config)).unwrap_or_else(|_| String::from("{}"))
}

/// Serializes a config as a JSON object.
struct JsonObject<V>(V);

impl<'a, V: ConfigView<'a>> Serialize for JsonObject<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries = self.0.entries();
        let mut object = serializer.serialize_map(Some(entries.len()))?;
        for (key, value) in entries {
            object.serialize_entry(key, &value)?;
        }
        object.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An owned config map from borrowed entries.
    fn owned(entries: &[Pair]) -> ConfigMap {
        entries.iter().map(|&(key, value)| (key.to_owned(), value.map(str::to_owned))).collect()
    }

    fn row<'a>(key: &'a str, change: Change, old_value: Option<&'a str>, new_value: Option<&'a str>) -> DiffRow<'a> {
        DiffRow { key, change, old_value, new_value }
    }

    const STORED: &[Pair<'static>] = &[("REGION", Some("us")), ("BATCH_SIZE", Some("1000"))];
    /// What a NULL map argument becomes.
    const EMPTY: &[Pair<'static>] = &[];

    // ---- the docs page's examples ----

    #[test]
    fn docs_example_update_replaces_the_whole_map() {
        let (old, new) = (owned(STORED), owned(&[("REGION", Some("eu"))]));
        let rows = config_diff_owned(&old, &new, DiffMode::Update, false);
        let expected = [
            row("BATCH_SIZE", Change::Removed, Some("1000"), None).into_owned(),
            row("REGION", Change::Changed, Some("us"), Some("eu")).into_owned(),
        ];
        assert_eq!(rows, expected);
        assert_eq!(rows[0].key, "BATCH_SIZE");
        // The borrowed forms give the same rows.
        assert_eq!(config_diff(STORED, &[("REGION", Some("eu"))], DiffMode::Update, false), config_changes(&old, &new));
        assert_eq!(config_changes(&old, &new).into_iter().map(OwnedDiffRow::from).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn docs_example_override_keeps_the_other_keys() {
        let (stored, ov) = (owned(STORED), owned(&[("REGION", Some("ap-south-1"))]));
        assert_eq!(
            config_diff(&stored, &ov, DiffMode::Run, true),
            [
                row("BATCH_SIZE", Change::Unchanged, Some("1000"), Some("1000")),
                row("REGION", Change::Changed, Some("us"), Some("ap-south-1")),
            ]
        );
        assert!(override_problems(&stored, &ov).is_empty());
        let effective: ConfigMap = effective_config(&stored, &ov).unwrap();
        assert_eq!(effective, owned(&[("REGION", Some("ap-south-1")), ("BATCH_SIZE", Some("1000"))]));
        let borrowed: Vec<Pair> = effective_config(STORED, &pairs(&ov)).unwrap();
        assert_eq!(borrowed, pairs(&effective));
    }

    #[test]
    fn docs_example_override_with_a_new_key_is_rejected() {
        let ov = [("NEW_KEY", Some("x"))];
        assert_eq!(config_diff(STORED, &ov, DiffMode::Run, false), [row("NEW_KEY", Change::Rejected, None, Some("x"))]);
        assert!(!override_is_valid(STORED, &ov));
        let problems = override_problems(STORED, &ov);
        assert_eq!(
            problems,
            ["override key 'NEW_KEY' is not in the stored config: a per-run override can only set keys the Flight \
              already has; to add a key, update the Flight's config with MD_UPDATE_FLIGHT first"]
        );
        assert_eq!(effective_config(STORED, &ov), Err(problems.clone()));
        assert_eq!(effective_config(&owned(STORED), &owned(&ov)), Err(problems));
    }

    // ---- diffs ----

    #[test]
    fn update_mode_every_change_kind() {
        let old = [("A", Some("1")), ("B", Some("2")), ("C", None), ("D", None), ("R", Some("r"))];
        let new = [("B", Some("3")), ("A", Some("1")), ("C", None), ("D", Some("x")), ("E", Some("5"))];
        let all = [
            row("A", Change::Unchanged, Some("1"), Some("1")),
            row("B", Change::Changed, Some("2"), Some("3")),
            row("C", Change::Unchanged, None, None),
            row("D", Change::Changed, None, Some("x")),
            row("E", Change::Added, None, Some("5")),
            row("R", Change::Removed, Some("r"), None),
        ];
        assert_eq!(config_diff(&old, &new, DiffMode::Update, true), all);
        let changed: Vec<DiffRow> = all.iter().copied().filter(|r| r.change != Change::Unchanged).collect();
        assert_eq!(config_diff(&old, &new, DiffMode::Update, false), changed);
        assert_eq!(config_changes(&old, &new), changed);
    }

    #[test]
    fn run_mode_every_change_kind() {
        let stored = [("A", Some("1")), ("B", Some("2")), ("C", Some("3")), ("N", None), ("M", None), ("V", Some("v"))];
        let ov = [("D", Some("4")), ("B", Some("9")), ("A", Some("1")), ("N", None), ("M", Some("m")), ("V", None)];
        let all = [
            row("A", Change::Unchanged, Some("1"), Some("1")),
            row("B", Change::Changed, Some("2"), Some("9")),
            // Left out of the override: the run gets the stored value.
            row("C", Change::Unchanged, Some("3"), Some("3")),
            row("D", Change::Rejected, None, Some("4")),
            row("M", Change::Changed, None, Some("m")),
            row("N", Change::Unchanged, None, None),
            row("V", Change::Changed, Some("v"), None),
        ];
        assert_eq!(config_diff(&stored, &ov, DiffMode::Run, true), all);
        assert_eq!(
            config_diff(&stored, &ov, DiffMode::Run, false),
            [all[1], all[3], all[4], all[6]],
            "unchanged rows left out"
        );
    }

    #[test]
    fn null_values_on_both_sides() {
        let cases: [(Option<&str>, Option<&str>, Change); 4] = [
            (None, None, Change::Unchanged),
            (None, Some(""), Change::Changed),
            (Some(""), None, Change::Changed),
            (Some(""), Some(""), Change::Unchanged),
        ];
        for (old, new, change) in cases {
            for mode in [DiffMode::Update, DiffMode::Run] {
                assert_eq!(config_diff(&[("K", old)], &[("K", new)], mode, true), [row("K", change, old, new)]);
            }
        }
        // A removed or added NULL value: the change says what happened.
        assert_eq!(config_changes(&[("K", None)], EMPTY), [row("K", Change::Removed, None, None)]);
        assert_eq!(config_changes(EMPTY, &[("K", None)]), [row("K", Change::Added, None, None)]);
        assert_eq!(config_diff(EMPTY, &[("K", None)], DiffMode::Run, false), [row("K", Change::Rejected, None, None)]);
    }

    #[test]
    fn rows_are_in_byte_order() {
        let new =
            [("b", Some("1")), ("é", Some("1")), ("B", Some("1")), ("_", Some("1")), ("", Some("1")), ("a", None)];
        let keys: Vec<&str> = config_changes(EMPTY, &new).iter().map(|r| r.key).collect();
        assert_eq!(keys, ["", "B", "_", "a", "b", "é"]);
    }

    #[test]
    fn empty_and_null_maps() {
        for mode in [DiffMode::Update, DiffMode::Run] {
            assert!(config_diff(EMPTY, EMPTY, mode, true).is_empty());
            assert!(config_diff(&ConfigMap::new(), &ConfigMap::new(), mode, true).is_empty());
        }
        assert_eq!(config_changes(STORED, EMPTY).len(), 2, "an empty update removes every key");
        assert!(config_diff(STORED, EMPTY, DiffMode::Run, false).is_empty(), "an empty override changes nothing");
        assert!(override_is_valid(STORED, EMPTY) && override_is_valid(EMPTY, EMPTY));
        assert_eq!(effective_config(STORED, EMPTY).unwrap(), STORED);
        assert_eq!(effective_config(EMPTY, EMPTY).unwrap(), EMPTY);
        assert!(!override_is_valid(EMPTY, &[("A", Some("1"))]));
    }

    #[test]
    fn every_form_of_map_reads_the_same() {
        let map = owned(STORED);
        let borrowed = pairs(&map);
        let ov = [("REGION", Some("eu"))];
        let expected = config_diff(STORED, &ov, DiffMode::Update, true);
        assert_eq!(config_diff(&map, &ov, DiffMode::Update, true), expected);
        assert_eq!(config_diff(map.as_slice(), &ov, DiffMode::Update, true), expected);
        assert_eq!(config_diff(&borrowed, &ov[..], DiffMode::Update, true), expected);
        // A reference to a view is a view too (what iterating over a list of maps yields).
        let views = [&map, &map];
        for view in views.iter() {
            assert_eq!(config_diff(view, &ov, DiffMode::Update, true), expected);
        }
        assert_eq!(config_to_json(&map), config_to_json(&borrowed));
        assert_eq!(config_to_json(&map), config_to_json(STORED));
    }

    #[test]
    fn mode_parsing_and_change_names() {
        assert_eq!(DiffMode::parse("update"), Ok(DiffMode::Update));
        assert_eq!(DiffMode::parse("  RUN\t"), Ok(DiffMode::Run));
        assert_eq!(DiffMode::parse("Update"), Ok(DiffMode::Update));
        assert_eq!(
            DiffMode::parse("merge"),
            Err("unknown mode 'merge': use 'update' (new replaces old, as MD_UPDATE_FLIGHT does) or 'run' (new is \
                 a per-run override, as MD_RUN_FLIGHT applies it)"
                .to_owned())
        );
        assert!(DiffMode::parse("").is_err());
        assert!(DiffMode::parse("upd\u{0}ate").unwrap_err().starts_with("unknown mode 'upd\\u{0}ate'"));
        let names: Vec<&str> = [Change::Added, Change::Removed, Change::Changed, Change::Unchanged, Change::Rejected]
            .into_iter()
            .map(Change::as_str)
            .collect();
        assert_eq!(names, ["added", "removed", "changed", "unchanged", "rejected"]);
    }

    // ---- overrides ----

    #[test]
    fn one_problem_message_per_problem_in_override_order() {
        let ov = [("ZZZ", Some("x")), ("REGION", None), ("BATCH_SIZE", Some("5")), ("regon", None)];
        let problems = override_problems(STORED, &ov);
        assert_eq!(problems.len(), 3);
        assert!(problems[0].starts_with("override key 'ZZZ' is not in the stored config: "), "{}", problems[0]);
        assert_eq!(
            problems[1],
            "override key 'REGION' has a NULL value: give a string value ('' for an empty one), or leave the key out \
             to keep its stored value"
        );
        // An unknown key with a NULL value is one problem: the key.
        assert_eq!(
            problems[2],
            "override key 'regon' is not in the stored config (did you mean 'REGION'?): a per-run override can only \
             set keys the Flight already has; to add a key, update the Flight's config with MD_UPDATE_FLIGHT first"
        );
        assert_eq!(effective_config(STORED, &ov), Err(problems));
    }

    #[test]
    fn messages_quote_no_value_and_stay_on_one_line() {
        let stored = [("TOKEN", Some("stored-secret-ish")), ("A", Some("v"))];
        let ov = [("TOKEN", None), ("TOKN", Some("given-secret-ish")), ("A\u{0}\n'", Some("x"))];
        let problems = override_problems(&stored, &ov);
        assert_eq!(problems.len(), 3);
        for problem in &problems {
            assert!(!problem.contains("secret-ish") && !problem.contains(['\n', '\r', '\0']), "{problem}");
        }
        assert!(problems[1].contains("(did you mean 'TOKEN'?)"), "{}", problems[1]);
        assert!(problems[2].starts_with("override key 'A\\u{0}\\n\\'' is not"), "{}", problems[2]);
        // Only the stored keys matter: callers may pass the stored values as NULL.
        let keys_only = [("TOKEN", None), ("A", None)];
        assert_eq!(override_problems(&keys_only, &ov), problems);
    }

    #[test]
    fn validity_agrees_in_every_form() {
        let stored: Vec<String> = (0..40).map(|i| format!("K{i}")).collect();
        let cases: [Vec<Pair>; 5] = [
            vec![],
            vec![("K1", Some("x"))],
            vec![("K1", None)],
            vec![("K40", Some("x"))],
            stored.iter().map(|k| (k.as_str(), Some("y"))).collect(),
        ];
        for size in [0, 3, 16, 17, 40] {
            let stored: Vec<Pair> = stored[..size].iter().map(|k| (k.as_str(), Some("v"))).collect();
            for ov in &cases {
                let valid = override_is_valid(&stored, ov);
                let by_bytes = override_keys_valid(
                    stored.iter().map(|p| p.0.as_bytes()),
                    stored.len(),
                    ov.iter().map(|&(k, v)| (k.as_bytes(), v.is_some())),
                    ov.len(),
                );
                // Wrong length hints change the speed only.
                let by_bytes_hinted = override_keys_valid(
                    stored.iter().map(|p| p.0.as_bytes()),
                    1000,
                    ov.iter().map(|&(k, v)| (k.as_bytes(), v.is_some())),
                    1000,
                );
                let expected = ov.iter().all(|(k, v)| v.is_some() && stored.iter().any(|p| p.0 == *k));
                assert_eq!((valid, by_bytes, by_bytes_hinted), (expected, expected, expected), "{size} {ov:?}");
                assert_eq!(valid, override_problems(&stored, ov).is_empty());
                assert_eq!(valid, effective_config(&stored, ov).is_ok());
            }
        }
    }

    #[test]
    fn effective_config_keeps_stored_order() {
        let stored = [("C", Some("3")), ("A", Some("1")), ("B", None), ("D", Some(""))];
        let ov = [("B", Some("b")), ("C", Some("")), ("A", Some("1"))];
        assert_eq!(
            effective_config(&stored, &ov).unwrap(),
            [("C", Some("")), ("A", Some("1")), ("B", Some("b")), ("D", Some(""))]
        );
        let owned_result: ConfigMap = effective_config(&owned(&stored), &ov).unwrap();
        assert_eq!(pairs(&owned_result), effective_config(&stored, &ov).unwrap());
    }

    #[test]
    fn large_maps_give_the_same_answers_as_small_ones() {
        let n = MAX_SUGGESTION_CANDIDATES + 1;
        let keys: Vec<String> = (0..n).map(|i| format!("KEY_{i}")).collect();
        let stored: Vec<Pair> = keys.iter().map(|k| (k.as_str(), Some("v"))).collect();
        let ov: Vec<Pair> = keys.iter().step_by(7).map(|k| (k.as_str(), Some("w"))).collect();
        assert!(override_is_valid(&stored, &ov));
        let effective = effective_config(&stored, &ov).unwrap();
        assert_eq!(effective.len(), n);
        assert_eq!((effective[7], effective[8]), (("KEY_7", Some("w")), ("KEY_8", Some("v"))));
        let changes = config_changes(&stored, &ov);
        assert_eq!(changes.iter().filter(|r| r.change == Change::Removed).count(), n - ov.len());
        assert_eq!(changes.iter().filter(|r| r.change == Change::Changed).count(), ov.len());
        let mut bad = ov.clone();
        bad.push(("key_5", Some("x")));
        bad.push(("KEY_3", None));
        let problems = override_problems(&stored, &bad);
        assert_eq!(problems.len(), 2);
        // Past the suggestion cap no key is suggested, not even the same letters in another case.
        assert!(problems[0].starts_with("override key 'key_5' is not in the stored config: "), "{}", problems[0]);
        // Just below the cap there is one.
        let problems = override_problems(&stored[..n - 1], &bad);
        assert!(problems[0].contains("(did you mean 'KEY_5'?)"), "{}", problems[0]);
    }

    #[test]
    fn only_the_first_unknown_keys_get_suggestions() {
        let typos: Vec<String> = (0..MAX_SUGGESTED_KEYS + 2).map(|i| format!("regon{i}")).collect();
        let ov: Vec<Pair> = typos.iter().map(|k| (k.as_str(), Some("x"))).chain([("REGION", None)]).collect();
        let stored: Vec<String> = (0..MAX_SUGGESTED_KEYS + 2).map(|i| format!("REGION{i}")).collect();
        let mut stored: Vec<Pair> = stored.iter().map(|k| (k.as_str(), Some("v"))).collect();
        stored.push(("REGION", Some("us")));
        let problems = override_problems(&stored, &ov);
        assert_eq!(problems.len(), MAX_SUGGESTED_KEYS + 3);
        let hinted = problems.iter().filter(|p| p.contains("did you mean")).count();
        assert_eq!(hinted, MAX_SUGGESTED_KEYS);
        assert!(
            problems[0].contains("'regon0' is not in the stored config (did you mean 'REGION0'?)"),
            "{}",
            problems[0]
        );
        assert!(problems[MAX_SUGGESTED_KEYS].starts_with("override key 'regon20' is not in the stored config: "));
        assert!(problems[MAX_SUGGESTED_KEYS + 2].contains("'REGION' has a NULL value"));
        // The message helper on its own.
        assert!(unknown_override_key("REGON", STORED, true).contains("(did you mean 'REGION'?)"));
        assert!(!unknown_override_key("REGON", STORED, false).contains("did you mean"));
        assert_eq!(unknown_override_key("ZZZ", STORED, true), override_problems(STORED, &[("ZZZ", Some("x"))])[0]);
    }

    // ---- suggestions ----

    const KEYS: [&str; 4] = ["REGION", "BATCH_SIZE", "region_name", "API_ENDPOINT"];

    #[test]
    fn suggests_the_same_key_in_another_case() {
        assert_eq!(suggest_key("region", KEYS), Some("REGION"));
        assert_eq!(suggest_key("Batch_Size", KEYS), Some("BATCH_SIZE"));
        assert_eq!(suggest_key("b", ["B"]), Some("B"), "even short keys");
        assert_eq!(suggest_key("état", ["ÉTAT"]), Some("ÉTAT"), "beyond ASCII");
        // A case match wins over an earlier typo match, and the first case match wins.
        assert_eq!(suggest_key("regon", ["REGIO", "REGON", "Regon"]), Some("REGON"));
    }

    #[test]
    fn suggests_the_closest_key_for_a_typo() {
        assert_eq!(suggest_key("REGON", KEYS), Some("REGION"), "deletion");
        assert_eq!(suggest_key("REGIONS", KEYS), Some("REGION"), "insertion");
        assert_eq!(suggest_key("REGIAN", KEYS), Some("REGION"), "substitution");
        assert_eq!(suggest_key("BATCH_SZIE", KEYS), Some("BATCH_SIZE"), "swapped neighbours");
        assert_eq!(suggest_key("batch_sz", KEYS), Some("BATCH_SIZE"), "two edits in ten letters");
        assert_eq!(suggest_key("api_endpiont", KEYS), Some("API_ENDPOINT"), "case and a swap");
        // The closest wins; on a tie the first.
        assert_eq!(suggest_key("ABCDE", ["ABXYE", "ABCDX", "ABCDY"]), Some("ABCDX"));
        assert_eq!(suggest_key("ABCDEFGH", ["ABCDEFXY", "ABCDEFGX"]), Some("ABCDEFGX"));
    }

    #[test]
    fn suggests_nothing_when_nothing_is_close() {
        assert_eq!(suggest_key("COMPLETELY_ELSE", KEYS), None);
        assert_eq!(suggest_key("REGXXN", KEYS), None, "two edits in six letters");
        assert_eq!(suggest_key("B", ["A"]), None, "one edit in a short key makes another word");
        assert_eq!(suggest_key("KEY", ["KEX"]), None);
        assert_eq!(suggest_key("", KEYS), None);
        assert_eq!(suggest_key("REGION", []), None);
        let ov = [("ZZZ", Some("eu"))];
        assert!(!override_problems(STORED, &ov)[0].contains("did you mean"));
    }

    #[test]
    fn suggestions_stop_past_the_cap() {
        let many: Vec<String> = (0..=MAX_SUGGESTION_CANDIDATES).map(|i| format!("KEY_{i}")).collect();
        assert_eq!(suggest_key("key_1", many.iter().map(String::as_str)), None);
        assert_eq!(suggest_key("key_1", many[..MAX_SUGGESTION_CANDIDATES].iter().map(String::as_str)), Some("KEY_1"));
        assert_eq!(suggest_key("key_1", many[..10].iter().map(String::as_str)), Some("KEY_1"));
    }

    #[test]
    fn suggestions_survive_huge_and_strange_keys() {
        let long = "A".repeat(100_000);
        assert_eq!(suggest_key(&long, [long.as_str()]), Some(long.as_str()));
        assert_eq!(suggest_key(&long, ["A", "B"]), None);
        assert_eq!(suggest_key("AAAA", [long.as_str()]), None);
        let near_limit = "AB".repeat(64);
        let typo = format!("{}X", &near_limit[1..]);
        assert_eq!(suggest_key(&typo, [near_limit.as_str()]), Some(near_limit.as_str()));
        // Letters whose lower case is longer than they are.
        let dotted = "i\u{307}i\u{307}i\u{307}i\u{307}";
        assert_eq!(suggest_key("\u{130}\u{130}\u{130}\u{130}", [dotted]), Some(dotted));
        assert_eq!(suggest_key("\u{0}\u{0}\u{0}\u{0}", ["\u{0}\u{0}\u{0}\u{1}"]), Some("\u{0}\u{0}\u{0}\u{1}"));
    }

    #[test]
    fn edit_distance_is_optimal_string_alignment() {
        let mut distance = EditDistance::default();
        let mut between = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            distance.between(&a, &b)
        };
        assert_eq!(between("", ""), 0);
        assert_eq!(between("", "abc"), 3);
        assert_eq!(between("abc", ""), 3);
        assert_eq!(between("kitten", "sitting"), 3);
        assert_eq!(between("ab", "ba"), 1);
        assert_eq!(between("abcd", "acbd"), 1);
        assert_eq!(between("ca", "abc"), 3, "OSA does not edit a swapped pair again");
        assert_eq!(between("same", "same"), 0);
    }

    // ---- JSON ----

    const SHAPE: &str = "config must be a JSON object of string values, e.g. {\"REGION\": \"us\"}";

    #[test]
    fn json_objects_read_in_order() {
        let config =
            config_from_json(" {\"Z\": \"1\", \"A\": \"tab\\there\", \"E\": \"\", \"U\": \"\\u00e9\"} ").unwrap();
        assert_eq!(config, owned(&[("Z", Some("1")), ("A", Some("tab\there")), ("E", Some("")), ("U", Some("é"))]));
        assert_eq!(config_from_json("{}").unwrap(), ConfigMap::new());
        assert_eq!(config_from_json("{\"\": \"empty key\"}").unwrap(), owned(&[("", Some("empty key"))]));
        // A value that is JSON inside a string stays one string.
        let nested = config_from_json(r#"{"OPTS": "{\"a\":1}"}"#).unwrap();
        assert_eq!(nested, owned(&[("OPTS", Some("{\"a\":1}"))]));
    }

    #[test]
    fn malformed_json_gives_its_position() {
        assert_eq!(
            config_from_json("{\"A\": \"1\"").unwrap_err(),
            format!("invalid JSON at line 1, column 9: EOF while parsing an object; {SHAPE}")
        );
        assert_eq!(
            config_from_json("{\n  \"A\": \"1\",\n  \"B\": x\n}").unwrap_err(),
            format!("invalid JSON at line 3, column 8: expected value; {SHAPE}")
        );
        assert_eq!(
            config_from_json("{\"A\": \"1\"} trailing").unwrap_err(),
            format!("invalid JSON at line 1, column 12: trailing characters; {SHAPE}")
        );
        assert!(config_from_json("{\"A\": \"1\",}").unwrap_err().starts_with("invalid JSON at line 1, column 11: "));
        assert!(config_from_json("").unwrap_err().starts_with("invalid JSON at line 1, column 0: EOF"));
        assert!(config_from_json("   ").unwrap_err().starts_with("invalid JSON"));
        assert!(config_from_json("{\"A\": \"\\ud800\"}").unwrap_err().starts_with("invalid JSON"), "lone surrogate");
        assert!(config_from_json("{'A': '1'}").unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn json_top_level_must_be_an_object() {
        for (json, got) in [
            ("[\"REGION\"]", "an array"),
            ("[]", "an array"),
            ("\"us\"", "a string"),
            ("42", "a number"),
            ("-1", "a number"),
            ("1.5e3", "a number"),
            ("true", "true"),
            ("false", "false"),
            ("null", "null"),
        ] {
            assert_eq!(config_from_json(json), Err(format!("{SHAPE}; got {got}")), "{json}");
        }
        // A syntax error inside wins.
        assert!(config_from_json("[1, }").unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn json_duplicate_keys_are_errors() {
        let twice = "config JSON has the key 'A' twice: each key may appear once";
        assert_eq!(config_from_json("{\"A\": \"1\", \"A\": \"2\"}"), Err(twice.to_owned()));
        assert_eq!(
            config_from_json("{\"A\": \"1\", \"\\u0041\": \"1\"}"),
            Err(twice.to_owned()),
            "spelled differently"
        );
        assert!(config_from_json("{\"A\": \"1\", \"a\": \"2\"}").is_ok(), "case matters");
        // Past the scan limit the keys are hashed; the answer is the same.
        for n in [3, SCAN_UP_TO, SCAN_UP_TO + 1, 100] {
            let mut json: Vec<String> = (0..n).map(|i| format!("\"K{i}\": \"v\"")).collect();
            assert_eq!(config_from_json(&format!("{{{}}}", json.join(","))).unwrap().len(), n);
            json.push(format!("\"K{}\": \"again\"", n / 2));
            json.push("\"LATER\": 1".to_owned());
            let err = config_from_json(&format!("{{{}}}", json.join(","))).unwrap_err();
            assert_eq!(err, format!("config JSON has the key 'K{}' twice: each key may appear once", n / 2));
        }
    }

    #[test]
    fn json_values_must_be_strings() {
        let cases = [
            (r#"{"BATCH_SIZE": 1000}"#, "config value for 'BATCH_SIZE' is a number (1000): config is a flat string map, quote it: \"1000\""),
            (r#"{"N": -7}"#, "config value for 'N' is a number (-7): config is a flat string map, quote it: \"-7\""),
            (r#"{"N": 1.5}"#, "config value for 'N' is a number (1.5): config is a flat string map, quote it: \"1.5\""),
            (r#"{"DEBUG": true}"#, "config value for 'DEBUG' is a boolean (true): config is a flat string map, quote it: \"true\""),
            (r#"{"DEBUG": false}"#, "config value for 'DEBUG' is a boolean (false): config is a flat string map, quote it: \"false\""),
            (r#"{"X": null}"#, "config value for 'X' is null: give a string (\"\" for an empty one) or leave the key out"),
            (
                r#"{"OPTS": {"a": [1, {"b": null}]}}"#,
                "config value for 'OPTS' is a nested object: config is a flat string map, JSON-encode it into one string, e.g. \"{\\\"a\\\":1}\"",
            ),
            (
                r#"{"LIST": [1, 2]}"#,
                "config value for 'LIST' is a nested list: config is a flat string map, JSON-encode it into one string, e.g. \"[1,2]\"",
            ),
        ];
        for (json, message) in cases {
            assert_eq!(config_from_json(json), Err(message.to_owned()), "{json}");
        }
        // The first problem is the one reported; keys are escaped in messages.
        assert_eq!(
            config_from_json(r#"{"A": "ok", "B\n": 1, "C": null}"#).unwrap_err(),
            "config value for 'B\\n' is a number (1): config is a flat string map, quote it: \"1\""
        );
        // ... but a syntax error anywhere wins over it.
        assert!(config_from_json(r#"{"A": 1, "B": }"#).unwrap_err().starts_with("invalid JSON"));
        assert!(config_from_json(r#"{"A": "1", "A": "2", "C": [}"#).unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn deep_json_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let err = config_from_json(&deep).unwrap_err();
        assert!(
            err.starts_with("invalid JSON at line 1, column ") && err.contains("recursion limit exceeded"),
            "{err}"
        );
        let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(config_from_json(&closed).unwrap_err().contains("recursion limit exceeded"));
        let in_a_value = format!("{{\"A\": {}\"x\"{}}}", "{\"a\": ".repeat(100_000), "}".repeat(100_000));
        assert!(config_from_json(&in_a_value).unwrap_err().contains("recursion limit exceeded"));
        let open_objects = "{\"a\":".repeat(100_000);
        assert!(config_from_json(&open_objects).unwrap_err().contains("recursion limit exceeded"));
        // Moderate nesting inside a value is just a nested value.
        let moderate = format!("{{\"A\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(config_from_json(&moderate).unwrap_err().contains("'A' is a nested list"));
    }

    #[test]
    fn json_round_trips_every_string() {
        let config = owned(&[
            ("Z", Some("last \"quoted\" \\ back\\slash 'single'")),
            ("A", Some("tab\tnew\nline\r\u{0}nul\u{1f}\u{7f}")),
            ("UNICODE", Some("é ☃ 𝄞 \u{2028}\u{2029} \u{feff}")),
            ("", Some("")),
            ("key with \"quotes\"\n", Some("{\"a\": [1, 2]}")),
            ("/slash", Some("</script>")),
        ]);
        let json = config_to_json(&config);
        assert!(json.starts_with("{\"Z\":\"last \\\"quoted\\\" \\\\ back"), "{json}");
        assert!(!json.contains(['\n', '\r', '\0']), "{json}");
        assert_eq!(config_from_json(&json).unwrap(), config);
    }

    #[test]
    fn json_output_is_compact() {
        assert_eq!(config_to_json(EMPTY), "{}");
        assert_eq!(config_to_json(&ConfigMap::new()), "{}");
        assert_eq!(config_to_json(STORED), "{\"REGION\":\"us\",\"BATCH_SIZE\":\"1000\"}");
        assert_eq!(
            config_to_json(&[("Q", Some("say \"hi\"\\")), ("N", None)]),
            "{\"Q\":\"say \\\"hi\\\"\\\\\",\"N\":null}"
        );
        assert_eq!(
            config_to_json(&[("\u{0}K=\n", Some("\u{1}\u{0}\u{1f}"))]),
            "{\"\\u0000K=\\n\":\"\\u0001\\u0000\\u001f\"}"
        );
        // A NULL value is written as null, which reads back as an error.
        assert!(config_from_json(&config_to_json(&[("N", None)])).unwrap_err().contains("'N' is null"));
    }

    // ---- properties on random maps ----

    use crate::flight::properties::Rng;

    const VALUES: [&str; 8] = ["", "a", "b", "us", "eu", "x\"y\\z", "é\u{0}\n", "{\"a\":1}"];

    /// A map of distinct keys drawn from `keys`, in random order, values sometimes NULL.
    fn random_map<'t>(rng: &mut Rng, keys: &[&'t str], max_len: usize) -> Vec<Pair<'t>> {
        let mut pool = keys.to_vec();
        let len = rng.below(max_len.min(pool.len()) + 1);
        let mut map = Vec::with_capacity(len);
        for _ in 0..len {
            let key = pool.swap_remove(rng.below(pool.len()));
            let value = (rng.below(6) != 0).then(|| rng.pick(&VALUES));
            map.push((key, value));
        }
        map
    }

    /// The rules as plainly as they can be said, to check the real ones against.
    fn reference_diff<'a>(old: &[Pair<'a>], new: &[Pair<'a>], mode: DiffMode) -> Vec<DiffRow<'a>> {
        let find = |map: &[Pair<'a>], key: &str| map.iter().find(|p| p.0 == key).map(|p| p.1);
        let mut keys: Vec<&str> = old.iter().chain(new).map(|p| p.0).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|key| match (find(old, key), find(new, key), mode) {
                (Some(o), Some(n), _) => row(key, if o == n { Change::Unchanged } else { Change::Changed }, o, n),
                (Some(o), None, DiffMode::Update) => row(key, Change::Removed, o, None),
                (Some(o), None, DiffMode::Run) => row(key, Change::Unchanged, o, o),
                (None, Some(n), DiffMode::Update) => row(key, Change::Added, None, n),
                (None, Some(n), DiffMode::Run) => row(key, Change::Rejected, None, n),
                (None, None, _) => unreachable!("every key comes from a map"),
            })
            .collect()
    }

    #[test]
    fn properties_hold_on_random_maps() {
        let generated: Vec<String> = (0..40).map(|i| format!("K{i}")).collect();
        let mut keys: Vec<&str> = generated.iter().map(String::as_str).collect();
        keys.extend(["REGION", "region", "REGON", "Région", "", "a\nb", "é", "BATCH_SIZE"]);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            // Small maps mostly; every fourth round large enough for the hash index.
            let max_len = if round % 4 == 0 { keys.len() } else { 8 };
            let (old, new) = (random_map(&mut rng, &keys, max_len), random_map(&mut rng, &keys, max_len));

            for mode in [DiffMode::Update, DiffMode::Run] {
                let all = config_diff(&old, &new, mode, true);
                assert_eq!(all, reference_diff(&old, &new, mode), "{old:?} -> {new:?}");
                let changed: Vec<DiffRow> = all.iter().copied().filter(|r| r.change != Change::Unchanged).collect();
                assert_eq!(config_diff(&old, &new, mode, false), changed);
                let owned_rows: Vec<OwnedDiffRow> = all.iter().map(|r| r.into_owned()).collect();
                assert_eq!(config_diff_owned(&owned(&old), &owned(&new), mode, true), owned_rows);
            }

            // Applying an update's changes to old gives new.
            let mut applied = old.clone();
            for change in config_changes(&old, &new) {
                applied.retain(|p| p.0 != change.key);
                if change.change != Change::Removed {
                    applied.push((change.key, change.new_value));
                }
            }
            let mut expected = new.clone();
            applied.sort_unstable();
            expected.sort_unstable();
            assert_eq!(applied, expected);

            // The override rules agree, in every form.
            let valid = override_is_valid(&old, &new);
            let problems = override_problems(&old, &new);
            let bad = new.iter().filter(|(k, v)| v.is_none() || !old.iter().any(|p| p.0 == *k)).count();
            assert_eq!(problems.len(), bad);
            assert_eq!(valid, problems.is_empty());
            let by_bytes = override_keys_valid(
                old.iter().map(|p| p.0.as_bytes()),
                old.len(),
                new.iter().map(|&(k, v)| (k.as_bytes(), v.is_some())),
                new.len(),
            );
            assert_eq!(valid, by_bytes);
            match effective_config(&old, &new) {
                Ok(effective) => {
                    assert!(valid);
                    // Exactly the stored keys, in stored order; the override's values for its keys.
                    assert_eq!(
                        effective.iter().map(|p| p.0).collect::<Vec<_>>(),
                        old.iter().map(|p| p.0).collect::<Vec<_>>()
                    );
                    for (&(key, value), &(_, stored)) in effective.iter().zip(&old) {
                        let given = new.iter().find(|p| p.0 == key).map(|p| p.1);
                        assert_eq!(value, given.unwrap_or(stored));
                    }
                    // The run-mode diff shows the same values.
                    for r in config_diff(&old, &new, DiffMode::Run, true) {
                        assert_eq!(Some(&(r.key, r.new_value)), effective.iter().find(|p| p.0 == r.key));
                    }
                    let owned_effective = effective_config(&owned(&old), &owned(&new)).unwrap();
                    assert_eq!(pairs(&owned_effective), effective);
                }
                Err(errors) => {
                    assert!(!valid);
                    assert_eq!(errors, problems);
                }
            }

            // JSON round trip, NULLs refused.
            let json = config_to_json(&old);
            match config_from_json(&json) {
                Ok(back) => assert_eq!(pairs(&back), old),
                Err(e) => assert!(old.iter().any(|p| p.1.is_none()) && e.contains("is null"), "{e} for {json}"),
            }
        }
    }

    #[test]
    fn random_text_never_panics_the_json_reader() {
        const PIECES: [&str; 16] =
            ["{", "}", "[", "]", "\"", ":", ",", "\\", "\\u00", "1", "-", "e", "true", "null", " ", "\"K\""];
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for _ in 0..20_000 {
            let len = rng.below(24);
            let text: String = (0..len).map(|_| rng.pick(&PIECES)).collect();
            match config_from_json(&text) {
                Ok(config) => assert_eq!(config_from_json(&config_to_json(&config)).as_ref(), Ok(&config)),
                Err(message) => assert!(!message.is_empty() && !message.contains(['\n', '\r']), "{message:?}"),
            }
        }
    }
}
