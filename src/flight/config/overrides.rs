//! THE per-run override rule (`MD_RUN_FLIGHT(config := ...)`): an override
//! may only set keys the stored config has, each to a string. [`check_override`]
//! returns typed problems; every caller words them with [`OverrideProblem::message`].

use super::view::{worth_indexing, ConfigView, Lookup};
use crate::flight::suggest::{did_you_mean, suggest_key, MAX_SUGGESTION_CANDIDATES};
use crate::flight::wording::quoted;
use std::collections::HashSet;
use std::hash::Hash;

/// Whether a per-run override is valid: every key exists in the stored config
/// and every value is a string. Allocates nothing unless both maps are large.
/// Agrees with [`override_problems`] being empty.
pub fn override_is_valid<'a>(stored: impl ConfigView<'a>, ov: impl ConfigView<'a>) -> bool {
    let mut ov = ov.entries();
    let in_stored = Lookup::new(stored.entries(), ov.len());
    ov.all(|(key, value)| value.is_some() && in_stored.contains(key))
}

/// [`override_is_valid`] on keys of any comparable form, for callers that
/// hold keys undecoded (the per-row scalar compares DuckDB's strings as they
/// lie in the vector): `stored` are the stored keys, `ov` each override key
/// with whether its value is non-NULL (`ov_len` of them). Keys must compare
/// equal exactly when their bytes do. `ov_len` is a hint that only chooses
/// between a scan and a hash set; a wrong hint changes the speed, never the answer.
pub fn override_keys_valid<'k, K, O>(stored: &'k [K], mut ov: O, ov_len: usize) -> bool
where
    K: Eq + Hash,
    O: Iterator<Item = (&'k K, bool)>,
{
    if worth_indexing(stored.len(), ov_len) {
        let stored: HashSet<&K> = stored.iter().collect();
        return ov.all(|(key, has_value)| has_value && stored.contains(key));
    }
    ov.all(|(key, has_value)| has_value && stored.contains(key))
}

/// What is wrong with one key of a per-run override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideProblemKind {
    /// The stored config lacks the key (MotherDuck rejects the run); `suggestion`
    /// is the stored key the user probably meant, if any.
    UnknownKey,
    /// The override gives the key NULL.
    NullValue,
}

/// One problem of a per-run override: THE override rule's typed result.
/// `flight_validate_override`, `flight_effective_config`, `flight_config_diff`
/// in run mode and the environment resolution all word it with [`Self::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverrideProblem<'a> {
    /// The 0-based position of the key in the override.
    pub index: usize,
    pub key: &'a str,
    pub kind: OverrideProblemKind,
    /// For an unknown key: the stored key the user probably meant (only the
    /// first [`MAX_SUGGESTED_KEYS`] unknown keys are given one).
    pub suggestion: Option<&'a str>,
}

impl OverrideProblem<'_> {
    /// The problem in words; no message quotes a value.
    pub fn message(&self) -> String {
        match self.kind {
            OverrideProblemKind::UnknownKey => unknown_key_message(self.key, self.suggestion),
            OverrideProblemKind::NullValue => null_override_value(self.key),
        }
    }
}

/// THE per-run override rule: every problem of `ov` against `stored`, in
/// override order; empty when the override is valid. A key the stored config
/// lacks is [`OverrideProblemKind::UnknownKey`] (the first
/// [`MAX_SUGGESTED_KEYS`] of them get a suggestion), a NULL value
/// [`OverrideProblemKind::NullValue`]. Only the stored keys matter (callers
/// may pass the stored values as NULL).
pub fn check_override<'a>(stored: impl ConfigView<'a>, ov: impl ConfigView<'a>) -> Vec<OverrideProblem<'a>> {
    let ov = ov.entries();
    let stored = stored.entries();
    let in_stored = Lookup::new(stored.clone(), ov.len());
    let mut unknown = 0;
    let mut problems = Vec::new();
    for (index, (key, value)) in ov.enumerate() {
        let (kind, suggestion) = if !in_stored.contains(key) {
            unknown += 1;
            // Past the caps there is no suggestion: skip reading the keys at all.
            let suggest = unknown <= MAX_SUGGESTED_KEYS && stored.len() <= MAX_SUGGESTION_CANDIDATES;
            let meant = if suggest { suggest_key(key, stored.clone().map(|(stored_key, _)| stored_key)) } else { None };
            (OverrideProblemKind::UnknownKey, meant)
        } else if value.is_none() {
            (OverrideProblemKind::NullValue, None)
        } else {
            continue;
        };
        problems.push(OverrideProblem { index, key, kind, suggestion });
    }
    problems
}

/// [`check_override`] in words: one message per problem, in override order.
pub fn override_problems<'a>(stored: impl ConfigView<'a>, ov: impl ConfigView<'a>) -> Vec<String> {
    check_override(stored, ov).iter().map(OverrideProblem::message).collect()
}

/// At most this many unknown keys of one override get a suggestion, so the
/// work stays linear however many keys an override gets wrong.
pub const MAX_SUGGESTED_KEYS: usize = 20;

/// The message for an override key given a NULL value.
fn null_override_value(key: &str) -> String {
    format!(
        "override key {} has a NULL value: give a string value ('' for an empty one), \
         or leave the key out to keep its stored value",
        quoted(key)
    )
}

/// The message for an override key the stored config lacks, naming the key
/// the user probably meant when there is one.
fn unknown_key_message(key: &str, meant: Option<&str>) -> String {
    format!(
        "override key {} is not in the stored config{}: a per-run override can only set keys the Flight \
         already has; to add a key, update the Flight's config with MD_UPDATE_FLIGHT first",
        quoted(key),
        did_you_mean(meant)
    )
}

/// The config the run records: `stored`, in stored order, with the override's
/// values for its keys. `Err` carries [`override_problems`]'s messages.
///
/// Returns a [`ConfigMap`](crate::flight::ConfigMap) for an owned `stored`, borrowed pairs for borrowed ones.
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
