//! "Did you mean ...?": the stored key or variable the user probably meant.
//! A leaf module: any rule may use it.

use crate::flight::wording::quoted;

/// ` (did you mean 'KEY'?)` for a suggestion, else nothing: the hint every
/// message with a suggestion ends its first clause with.
pub fn did_you_mean(meant: Option<&str>) -> String {
    meant.map(|meant| format!(" (did you mean {}?)", quoted(meant))).unwrap_or_default()
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
pub(crate) fn same_letters(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        lowercase_chars(a).eq(lowercase_chars(b))
    }
}

/// Optimal string alignment distance (Damerau-Levenshtein without edits to
/// a substring edited before), keeping its three rows between calls.
#[derive(Default)]
pub(crate) struct EditDistance {
    two_back: Vec<usize>,
    one_back: Vec<usize>,
    current: Vec<usize>,
}

impl EditDistance {
    pub(crate) fn between(&mut self, a: &[char], b: &[char]) -> usize {
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
