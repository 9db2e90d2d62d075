//! Config updates and per-run overrides.
//!
//! - Updating `config` (`MD_UPDATE_FLIGHT`) replaces the whole map: a key left
//!   out is gone.
//! - A per-run override (`MD_RUN_FLIGHT(config := ...)`) may only set keys the
//!   stored config already has; keys it leaves out keep their stored values.
//!   The run records stored-overlaid-with-override, in stored order.
//!
//! The rules work on borrowed pairs ([`Pair`]) so the per-row scalars over
//! millions of rows never copy a string; [`pairs`] borrows an owned
//! [`ConfigMap`]. Maps are small (tens of keys), so lookups scan linearly
//! until a map is large enough for a hash index to pay off.

use super::{quoted, ConfigMap};
use serde::de::{self, Deserializer as _, IgnoredAny, MapAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

/// One config entry, borrowed: key and value (NULL as `None`).
pub type Pair<'a> = (&'a str, Option<&'a str>);

/// Borrows an owned config map as pairs.
pub fn pairs(map: &ConfigMap) -> Vec<Pair<'_>> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_deref())).collect()
}

/// Finds keys in a map: a linear scan for small maps, a hash index for large ones.
struct Lookup<'m, 'a> {
    pairs: &'m [Pair<'a>],
    index: Option<HashMap<&'a str, usize>>,
}

impl<'m, 'a> Lookup<'m, 'a> {
    /// Below this many keys a scan beats building a hash index.
    const INDEX_FROM: usize = 24;

    fn new(pairs: &'m [Pair<'a>]) -> Self {
        let index =
            (pairs.len() >= Self::INDEX_FROM).then(|| pairs.iter().enumerate().map(|(i, p)| (p.0, i)).collect());
        Lookup { pairs, index }
    }

    fn get(&self, key: &str) -> Option<&'m Pair<'a>> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.pairs[i]),
            None => self.pairs.iter().find(|p| p.0 == key),
        }
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
    pub fn parse(text: &str) -> Result<DiffMode, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "update" => Ok(DiffMode::Update),
            "run" => Ok(DiffMode::Run),
            _ => Err(format!(
                "unknown mode {}: use 'update' (new replaces old, as MD_UPDATE_FLIGHT does) \
                 or 'run' (new is a per-run override, as MD_RUN_FLIGHT applies it)",
                quoted(text)
            )),
        }
    }
}

/// What happens to one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Update: a key only `new` has.
    Added,
    /// Update: a key only `old` has; it is gone after the update.
    Removed,
    /// The value differs.
    Changed,
    /// Same value; in run mode also a key the override leaves out.
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

/// One key of a diff. In run mode `new_value` is the value the run gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffRow<'a> {
    pub key: &'a str,
    pub change: Change,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
}

/// Compares two configs key by key; rows ordered by key (byte order).
pub fn config_diff<'a>(
    old: &[Pair<'a>],
    new: &[Pair<'a>],
    mode: DiffMode,
    include_unchanged: bool,
) -> Vec<DiffRow<'a>> {
    let in_new = Lookup::new(new);
    let mut rows = Vec::new();
    for &(key, old_value) in old {
        let (change, new_value) = match (in_new.get(key), mode) {
            (Some(&(_, new_value)), _) if new_value == old_value => (Change::Unchanged, new_value),
            (Some(&(_, new_value)), _) => (Change::Changed, new_value),
            (None, DiffMode::Update) => (Change::Removed, None),
            (None, DiffMode::Run) => (Change::Unchanged, old_value),
        };
        if change != Change::Unchanged || include_unchanged {
            rows.push(DiffRow { key, change, old_value, new_value });
        }
    }
    let in_old = Lookup::new(old);
    let only_in_new = match mode {
        DiffMode::Update => Change::Added,
        DiffMode::Run => Change::Rejected,
    };
    for &(key, new_value) in new {
        if in_old.get(key).is_none() {
            rows.push(DiffRow { key, change: only_in_new, old_value: None, new_value });
        }
    }
    rows.sort_unstable_by(|a, b| a.key.cmp(b.key));
    rows
}

/// What an update from `old` to `new` changes, without unchanged keys.
pub fn config_changes<'a>(old: &[Pair<'a>], new: &[Pair<'a>]) -> Vec<DiffRow<'a>> {
    config_diff(old, new, DiffMode::Update, false)
}

/// Whether a per-run override is valid: every key exists in the stored
/// config and every value is a string. Allocates nothing for small maps.
pub fn override_is_valid(stored: &[Pair], ov: &[Pair]) -> bool {
    override_keys_valid(
        stored.iter().map(|p| p.0.as_bytes()),
        stored.len(),
        ov.iter().map(|&(key, value)| (key.as_bytes(), value.is_some())),
        ov.len(),
    )
}

/// [`override_is_valid`] on raw key bytes, for callers that hold keys as
/// bytes (the per-row scalar compares without decoding a string):
/// `stored_keys` yields the stored keys, `ov` each override key with whether
/// it has a value. Scans while the maps are small, hashes once they are not.
pub fn override_keys_valid<'a, S, O>(stored_keys: S, stored_len: usize, ov: O, ov_len: usize) -> bool
where
    S: Iterator<Item = &'a [u8]> + Clone,
    O: Iterator<Item = (&'a [u8], bool)>,
{
    const SCAN_LIMIT: usize = 256;
    if stored_len.saturating_mul(ov_len) <= SCAN_LIMIT {
        let mut ov = ov;
        return ov.all(|(key, has_value)| has_value && stored_keys.clone().any(|stored| stored == key));
    }
    let stored: std::collections::HashSet<&[u8]> = stored_keys.collect();
    let mut ov = ov;
    ov.all(|(key, has_value)| has_value && stored.contains(key))
}

/// One message per problem of a per-run override, in override order; empty when valid.
pub fn override_problems(stored: &[Pair], ov: &[Pair]) -> Vec<String> {
    let in_stored = Lookup::new(stored);
    let mut problems = Vec::new();
    for &(key, value) in ov {
        if in_stored.get(key).is_none() {
            problems.push(unknown_override_key(key, stored));
        } else if value.is_none() {
            problems.push(null_override_value(key));
        }
    }
    problems
}

/// The message for an override key given a NULL value.
pub fn null_override_value(key: &str) -> String {
    format!(
        "override key {} has a NULL value: give a string value ('' for an empty one), \
         or leave the key out to keep its stored value",
        quoted(key)
    )
}

/// The message for an override key the stored config lacks, with a suggestion.
pub fn unknown_override_key(key: &str, stored: &[Pair]) -> String {
    let hint = match suggest_key(key, stored.iter().map(|p| p.0)) {
        Some(meant) => format!(" (did you mean {}?)", quoted(meant)),
        None => String::new(),
    };
    format!(
        "override key {} is not in the stored config{hint}: a per-run override can only set keys the Flight \
         already has; to add a key, update the Flight's config with MD_UPDATE_FLIGHT first",
        quoted(key)
    )
}

/// The config the run records: stored, in stored order, with the override's
/// values for its keys. `Err` carries [`override_problems`]'s messages.
pub fn effective_config<'a>(stored: &[Pair<'a>], ov: &[Pair<'a>]) -> Result<Vec<Pair<'a>>, Vec<String>> {
    if !override_is_valid(stored, ov) {
        return Err(override_problems(stored, ov));
    }
    let in_override = Lookup::new(ov);
    Ok(stored.iter().map(|&(key, value)| (key, in_override.get(key).map_or(value, |p| p.1))).collect())
}

/// Above this many candidate keys [`suggest_key`] suggests nothing.
pub const MAX_SUGGESTION_CANDIDATES: usize = 1000;

/// The key the user probably meant: the same letters in another case, else
/// the closest key within a small edit distance (first in order on a tie).
///
/// Suggestions are for maps a person wrote: past [`MAX_SUGGESTION_CANDIDATES`]
/// keys none is made, so that many unknown keys against a huge map stay linear.
pub fn suggest_key<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> Option<&'a str> {
    const MAX_LEN: usize = 128; // edit distance is quadratic: don't run it on huge keys
    if candidates.clone().into_iter().nth(MAX_SUGGESTION_CANDIDATES).is_some() {
        return None;
    }
    let same_letters = |c: &str| {
        if c.is_ascii() && unknown.is_ascii() {
            c.eq_ignore_ascii_case(unknown)
        } else {
            c.to_lowercase() == unknown.to_lowercase()
        }
    };
    if let Some(same) = candidates.clone().into_iter().find(|c| same_letters(c)) {
        return Some(same);
    }
    let wanted: Vec<char> = unknown.to_lowercase().chars().collect();
    // One edit in a key of three letters or fewer makes another word, not a typo.
    if wanted.len() < 4 || wanted.len() > MAX_LEN {
        return None;
    }
    let limit = (wanted.len() / 4).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    let mut chars = Vec::new();
    for candidate in candidates {
        // Byte length bounds character count: skip far-off lengths before decoding.
        if candidate.len() + limit < wanted.len() || candidate.chars().count().abs_diff(wanted.len()) > limit {
            continue;
        }
        chars.clear();
        chars.extend(candidate.chars().flat_map(char::to_lowercase));
        if chars.len() > MAX_LEN {
            continue;
        }
        let distance = edit_distance(&wanted, &chars);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, key)| key)
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of neighbours each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut before = vec![0usize; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

const JSON_SHAPE: &str = "config must be a JSON object of string values, e.g. {\"REGION\": \"us\"}";

/// Reads config from a JSON object of strings, the form MCP tools take.
///
/// Strict: malformed JSON (with its position), anything but an object, a
/// duplicate key and any non-string value are errors that say how to fix them.
pub fn config_from_json(json: &str) -> Result<ConfigMap, String> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let parsed = deserializer.deserialize_any(ConfigVisitor).and_then(|config| deserializer.end().map(|()| config));
    match parsed {
        Ok(config) => config,
        Err(e) => {
            let message = e.to_string();
            let reason = message.rsplit_once(" at line ").map_or(message.as_str(), |(reason, _)| reason);
            Err(format!("invalid JSON at line {}, column {}: {reason}; {JSON_SHAPE}", e.line(), e.column()))
        }
    }
}

/// Walks the top-level object, keeping order and catching duplicates and
/// non-string values. Its value is `Err(message)` for a well-formed JSON
/// document that is not a valid config (syntax errors stay serde errors).
struct ConfigVisitor;

impl<'de> Visitor<'de> for ConfigVisitor {
    type Value = Result<ConfigMap, String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of string values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut config = ConfigMap::new();
        let mut seen = std::collections::HashSet::new();
        let mut problem = None;
        while let Some(key) = map.next_key::<String>()? {
            if problem.is_some() {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value: serde_json::Value = map.next_value()?;
            if !seen.insert(key.clone()) {
                problem = Some(format!("config JSON has the key {} twice: each key may appear once", quoted(&key)));
                continue;
            }
            match value {
                serde_json::Value::String(text) => config.push((key, Some(text))),
                other => problem = Some(non_string_value(&key, &other)),
            }
        }
        Ok(problem.map_or(Ok(config), Err))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(format!("{JSON_SHAPE}; got an array")))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got a string")))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err(format!("{JSON_SHAPE}; got a boolean")))
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

fn non_string_value(key: &str, value: &serde_json::Value) -> String {
    let key = quoted(key);
    match value {
        serde_json::Value::Number(n) => {
            format!("config value for {key} is a number ({n}): config is a flat string map, quote it: \"{n}\"")
        }
        serde_json::Value::Bool(b) => {
            format!("config value for {key} is a boolean ({b}): config is a flat string map, quote it: \"{b}\"")
        }
        serde_json::Value::Null => {
            format!("config value for {key} is null: give a string (\"\" for an empty one) or leave the key out")
        }
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => format!(
            "config value for {key} is a nested {}: config is a flat string map, JSON-encode it into one \
             string, e.g. \"{{\\\"a\\\": 1}}\"",
            if value.is_array() { "list" } else { "object" }
        ),
        serde_json::Value::String(_) => format!("config value for {key} is a string"),
    }
}

/// The compact JSON object for MCP tools, keys in map order, NULL as `null`.
pub fn config_to_json(config: &[Pair]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in config.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(*key).to_string());
        out.push(':');
        match value {
            Some(text) => out.push_str(&serde_json::Value::from(*text).to_string()),
            None => out.push_str("null"),
        }
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map<'a>(entries: &[(&'a str, Option<&'a str>)]) -> Vec<Pair<'a>> {
        entries.to_vec()
    }

    fn row<'a>(key: &'a str, change: Change, old: Option<&'a str>, new: Option<&'a str>) -> DiffRow<'a> {
        DiffRow { key, change, old_value: old, new_value: new }
    }

    const STORED: &[Pair<'static>] = &[("REGION", Some("us")), ("BATCH_SIZE", Some("1000"))];

    #[test]
    fn docs_example_update_replaces_the_whole_map() {
        let rows = config_diff(STORED, &map(&[("REGION", Some("eu"))]), DiffMode::Update, false);
        assert_eq!(
            rows,
            vec![
                row("BATCH_SIZE", Change::Removed, Some("1000"), None),
                row("REGION", Change::Changed, Some("us"), Some("eu")),
            ]
        );
    }

    #[test]
    fn docs_example_override_keeps_other_keys() {
        let ov = map(&[("REGION", Some("ap-south-1"))]);
        let rows = config_diff(STORED, &ov, DiffMode::Run, true);
        assert_eq!(
            rows,
            vec![
                row("BATCH_SIZE", Change::Unchanged, Some("1000"), Some("1000")),
                row("REGION", Change::Changed, Some("us"), Some("ap-south-1")),
            ]
        );
        assert_eq!(
            effective_config(STORED, &ov).unwrap(),
            map(&[("REGION", Some("ap-south-1")), ("BATCH_SIZE", Some("1000"))])
        );
    }

    #[test]
    fn docs_example_override_with_a_new_key_is_rejected() {
        let ov = map(&[("NEW_KEY", Some("x"))]);
        let rows = config_diff(STORED, &ov, DiffMode::Run, false);
        assert_eq!(rows, vec![row("NEW_KEY", Change::Rejected, None, Some("x"))]);
        assert!(!override_is_valid(STORED, &ov));
        let problems = override_problems(STORED, &ov);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("'NEW_KEY' is not in the stored config"), "{}", problems[0]);
        assert!(problems[0].contains("MD_UPDATE_FLIGHT"), "{}", problems[0]);
        assert_eq!(effective_config(STORED, &ov), Err(problems));
    }

    #[test]
    fn update_mode_every_change() {
        let old = map(&[("A", Some("1")), ("B", Some("2")), ("C", None), ("D", None)]);
        let new = map(&[("B", Some("3")), ("A", Some("1")), ("C", None), ("D", Some("x")), ("E", Some("5"))]);
        let rows = config_diff(&old, &new, DiffMode::Update, true);
        assert_eq!(
            rows,
            vec![
                row("A", Change::Unchanged, Some("1"), Some("1")),
                row("B", Change::Changed, Some("2"), Some("3")),
                row("C", Change::Unchanged, None, None),
                row("D", Change::Changed, None, Some("x")),
                row("E", Change::Added, None, Some("5")),
            ]
        );
        assert_eq!(config_changes(&old, &new).len(), 3);
    }

    #[test]
    fn empty_maps() {
        assert!(config_diff(&[], &[], DiffMode::Update, true).is_empty());
        assert_eq!(config_diff(STORED, &[], DiffMode::Update, false).len(), 2);
        assert!(config_diff(STORED, &[], DiffMode::Run, false).is_empty());
        assert!(override_is_valid(STORED, &[]));
        assert_eq!(effective_config(STORED, &[]).unwrap(), STORED.to_vec());
    }

    #[test]
    fn null_override_value_is_a_problem() {
        let ov = map(&[("REGION", None)]);
        assert!(!override_is_valid(STORED, &ov));
        let problems = override_problems(STORED, &ov);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("'REGION' has a NULL value"), "{}", problems[0]);
    }

    #[test]
    fn suggestions() {
        let keys = ["REGION", "BATCH_SIZE", "region_name"];
        assert_eq!(suggest_key("region", keys), Some("REGION"));
        assert_eq!(suggest_key("REGON", keys), Some("REGION"));
        assert_eq!(suggest_key("BATCH_SZIE", keys), Some("BATCH_SIZE"));
        assert_eq!(suggest_key("COMPLETELY_ELSE", keys), None);
        assert_eq!(suggest_key("", keys), None);
        assert_eq!(suggest_key("B", ["A"]), None);
        let many: Vec<String> = (0..=MAX_SUGGESTION_CANDIDATES).map(|i| format!("KEY_{i}")).collect();
        assert_eq!(suggest_key("key_1", many.iter().map(String::as_str)), None);
        assert_eq!(suggest_key("key_1", many[..10].iter().map(String::as_str)), Some("KEY_1"));
        assert_eq!(suggest_key("b", ["B"]), Some("B"));
        let ov = map(&[("REGON", Some("eu"))]);
        assert!(override_problems(STORED, &ov)[0].contains("did you mean 'REGION'?"));
        let ov = map(&[("ZZZ", Some("eu"))]);
        assert!(!override_problems(STORED, &ov)[0].contains("did you mean"));
    }

    #[test]
    fn large_maps_use_the_index_with_the_same_answers() {
        let keys: Vec<String> = (0..1000).map(|i| format!("KEY_{i}")).collect();
        let stored: Vec<Pair> = keys.iter().map(|k| (k.as_str(), Some("v"))).collect();
        let ov: Vec<Pair> = keys.iter().step_by(7).map(|k| (k.as_str(), Some("w"))).collect();
        assert!(override_is_valid(&stored, &ov));
        let effective = effective_config(&stored, &ov).unwrap();
        assert_eq!(effective.len(), 1000);
        assert_eq!(effective[7], ("KEY_7", Some("w")));
        assert_eq!(effective[8], ("KEY_8", Some("v")));
        assert_eq!(
            config_changes(&stored, &ov).iter().filter(|r| r.change == Change::Removed).count(),
            1000 - ov.len()
        );
    }

    #[test]
    fn json_round_trip_keeps_order_and_escapes() {
        let config: ConfigMap = vec![
            ("Z".into(), Some("last \"quoted\" \\ é ☃".into())),
            ("A".into(), Some("tab\tnew\nline\u{0}nul".into())),
            ("EMPTY".into(), Some(String::new())),
        ];
        let json = config_to_json(&pairs(&config));
        assert!(json.starts_with("{\"Z\":"), "{json}");
        assert_eq!(config_from_json(&json).unwrap(), config);
        assert_eq!(config_to_json(&[]), "{}");
        assert_eq!(config_to_json(&[("K", None)]), "{\"K\":null}");
    }

    #[test]
    fn json_errors_name_the_problem_and_the_fix() {
        let err = config_from_json("{\"A\": \"1\",}").unwrap_err();
        assert!(err.starts_with("invalid JSON at line 1, column"), "{err}");
        let err = config_from_json("[1, 2]").unwrap_err();
        assert!(err.contains("got an array"), "{err}");
        let err = config_from_json("\"x\"").unwrap_err();
        assert!(err.contains("got a string"), "{err}");
        let err = config_from_json("{\"A\": \"1\", \"A\": \"2\"}").unwrap_err();
        assert!(err.contains("'A' twice"), "{err}");
        let err = config_from_json("{\"BATCH_SIZE\": 1000}").unwrap_err();
        assert!(err.contains("'BATCH_SIZE' is a number (1000)") && err.contains("\"1000\""), "{err}");
        let err = config_from_json("{\"DEBUG\": true}").unwrap_err();
        assert!(err.contains("is a boolean (true)"), "{err}");
        let err = config_from_json("{\"X\": null}").unwrap_err();
        assert!(err.contains("is null"), "{err}");
        let err = config_from_json("{\"X\": {\"a\": 1}}").unwrap_err();
        assert!(err.contains("nested object") && err.contains("JSON-encode"), "{err}");
        let err = config_from_json("{\"X\": [1]}").unwrap_err();
        assert!(err.contains("nested list"), "{err}");
        let err = config_from_json("{} {}").unwrap_err();
        assert!(err.contains("invalid JSON"), "{err}");
        assert!(config_from_json("").unwrap_err().contains("invalid JSON"));
    }

    #[test]
    fn deep_json_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(config_from_json(&deep).unwrap_err().contains("invalid JSON"));
        let deep_value = format!("{{\"A\": {}}}", "[".repeat(100_000));
        assert!(config_from_json(&deep_value).is_err());
    }

    /// A tiny deterministic generator, so the property checks need no extra crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn random_map(rng: &mut Rng, keys: &[String], values: &[String]) -> Vec<(String, Option<String>)> {
        let mut map = Vec::new();
        for key in keys {
            if rng.next(2) == 0 {
                let value = (rng.next(5) != 0).then(|| values[rng.next(values.len() as u64) as usize].clone());
                map.push((key.clone(), value));
            }
        }
        map
    }

    #[test]
    fn properties_hold_on_random_maps() {
        let keys: Vec<String> = (0..40).map(|i| format!("K{i}")).collect();
        let values: Vec<String> = ["a", "b", "", "c"].iter().map(|s| s.to_string()).collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2000 {
            let old = random_map(&mut rng, &keys, &values);
            let new = random_map(&mut rng, &keys, &values);
            let (old, new) = (pairs(&old), pairs(&new));
            // Applying an update's changes to old yields new (as a set of entries).
            let mut applied: Vec<Pair> = old.clone();
            for change in config_changes(&old, &new) {
                applied.retain(|p| p.0 != change.key);
                if change.change != Change::Removed {
                    applied.push((change.key, change.new_value));
                }
            }
            let mut expected = new.clone();
            applied.sort();
            expected.sort();
            assert_eq!(applied, expected);
            // Validity and effective config agree; the effective config has exactly the stored keys.
            let valid = override_is_valid(&old, &new);
            assert_eq!(valid, override_problems(&old, &new).is_empty());
            match effective_config(&old, &new) {
                Ok(effective) => {
                    assert!(valid);
                    assert_eq!(
                        effective.iter().map(|p| p.0).collect::<Vec<_>>(),
                        old.iter().map(|p| p.0).collect::<Vec<_>>()
                    );
                }
                Err(problems) => assert!(!valid && !problems.is_empty()),
            }
        }
    }
}
