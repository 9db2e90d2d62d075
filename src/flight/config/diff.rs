//! What a config update (or a per-run override) changes, key by key.

use super::overrides::{check_override, OverrideProblemKind};
use super::view::{ConfigView, Lookup, Pair};
use crate::flight::wording::quoted;
use crate::flight::{Error, ErrorKind};

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
    pub fn parse(s: &str) -> Result<DiffMode, Error> {
        let word = s.trim();
        if word.eq_ignore_ascii_case("update") {
            Ok(DiffMode::Update)
        } else if word.eq_ignore_ascii_case("run") {
            Ok(DiffMode::Run)
        } else {
            let message = format!(
                "unknown mode {}: use 'update' (new replaces old, as MD_UPDATE_FLIGHT does) \
                 or 'run' (new is a per-run override, as MD_RUN_FLIGHT applies it)",
                quoted(s)
            );
            Err(Error::new(ErrorKind::InvalidMode, message))
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
    let (old_view, new_view) = (old, new);
    let (old, new) = (old.entries(), new.entries());
    let in_new = Lookup::new(new.clone(), old.len());
    let mut rows = Vec::new();
    for (key, old_value) in old.clone() {
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
    let row = |(key, new_value), change| DiffRow { key, change, old_value: None, new_value };
    match mode {
        DiffMode::Update => {
            let in_old = Lookup::new(old, new.len());
            rows.extend(new.filter(|&(key, _)| !in_old.contains(key)).map(|entry| row(entry, Change::Added)));
        }
        // THE override rule says which keys MotherDuck rejects.
        DiffMode::Run => {
            let entries: Vec<Pair<'a>> = new.collect();
            for problem in check_override(old_view, new_view) {
                if problem.kind == OverrideProblemKind::UnknownKey {
                    if let Some(&entry) = entries.get(problem.index) {
                        rows.push(row(entry, Change::Rejected));
                    }
                }
            }
        }
    }
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
