//! `config_diff` in both modes and the override rules on arbitrary maps
//! (unique keys, as DuckDB maps have): rows sorted and complete, an update's
//! changes applied to old give new, and `override_is_valid`,
//! `override_problems` and `effective_config` agree.

#![no_main]

mod common;

use arbitrary::Arbitrary;
use common::{config_map, Text};
use flights_helper::flight::config::{
    config_changes, config_diff, config_from_json, config_to_json, effective_config, override_is_valid,
    override_problems, pairs, suggest_key, Change, DiffMode, DiffRow, Pair,
};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

#[derive(Debug, Arbitrary)]
struct Input {
    old: Vec<(Text, Option<Text>)>,
    new: Vec<(Text, Option<Text>)>,
    /// Extra generated keys `K0..`, so maps cross the sizes where the rules
    /// switch from scanning to hashing (24 keys; 256 key pairs); at most 47.
    pad_old: u8,
    pad_new: u8,
    /// Of the padded new keys, every `skip`-th is left out (and so removed).
    skip: u8,
    mode: Text,
}

fn pad(map: &mut Vec<(String, Option<String>)>, count: u8, skip: u8, value: &str) {
    for i in 0..count % 48 {
        let key = format!("K{i}");
        if (skip > 1 && i % skip == 0) || map.iter().any(|(k, _)| *k == key) {
            continue;
        }
        map.push((key, Some(value.to_owned())));
    }
}

fn check_rows(rows: &[DiffRow], old: &HashMap<&str, Option<&str>>, new: &HashMap<&str, Option<&str>>, mode: DiffMode) {
    assert!(rows.windows(2).all(|w| w[0].key < w[1].key), "rows not sorted by key or repeated");
    for row in rows {
        let (o, n) = (old.get(row.key), new.get(row.key));
        match row.change {
            Change::Added => assert!(mode == DiffMode::Update && o.is_none() && n.is_some()),
            Change::Removed => assert!(mode == DiffMode::Update && o.is_some() && n.is_none()),
            Change::Rejected => assert!(mode == DiffMode::Run && o.is_none() && n.is_some()),
            Change::Changed => assert!(o.is_some() && n.is_some() && o != n),
            Change::Unchanged => assert!(o.is_some() && (n.is_none() && mode == DiffMode::Run || n == o)),
        }
        assert_eq!(Some(&row.old_value), o.or(Some(&None)), "{row:?}");
        let expected_new = match (n, mode) {
            (Some(v), _) => *v,
            (None, DiffMode::Update) => None,
            (None, DiffMode::Run) => *o.unwrap(),
        };
        assert_eq!(row.new_value, expected_new, "{row:?}");
    }
}

fuzz_target!(|input: Input| {
    let mut old = config_map(input.old);
    let mut new = config_map(input.new);
    pad(&mut old, input.pad_old, 0, "v");
    pad(&mut new, input.pad_new, input.skip, "w");
    let (old, new) = (pairs(&old), pairs(&new));
    let old_index: HashMap<&str, Option<&str>> = old.iter().copied().collect();
    let new_index: HashMap<&str, Option<&str>> = new.iter().copied().collect();

    for mode in [DiffMode::Update, DiffMode::Run] {
        let all = config_diff(&old, &new, mode, true);
        let changed = config_diff(&old, &new, mode, false);
        check_rows(&all, &old_index, &new_index, mode);
        // With unchanged rows every key shows up once.
        let mut keys: Vec<&str> = old.iter().chain(&new).map(|p| p.0).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(all.iter().map(|r| r.key).collect::<Vec<_>>(), keys);
        // Without them, the same rows less the unchanged ones.
        let filtered: Vec<DiffRow> = all.iter().copied().filter(|r| r.change != Change::Unchanged).collect();
        assert_eq!(changed, filtered);
    }
    assert_eq!(config_changes(&old, &new), config_diff(&old, &new, DiffMode::Update, false));

    // Applying an update's changes to old gives new.
    let mut applied: Vec<Pair> = old.clone();
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

    // The three override rules agree.
    let valid = override_is_valid(&old, &new);
    let problems = override_problems(&old, &new);
    let effective = effective_config(&old, &new);
    assert_eq!(valid, problems.is_empty());
    assert_eq!(valid, effective.is_ok());
    let bad = new.iter().filter(|(k, v)| !old_index.contains_key(k) || v.is_none()).count();
    assert_eq!(problems.len(), bad);
    assert!(problems.iter().all(|p| !p.contains(['\n', '\r'])), "multi-line problem in {problems:?}");
    match effective {
        Ok(effective) => {
            // Stored keys in stored order, the override's values for its keys.
            let expected: Vec<Pair> = old.iter().map(|&(k, v)| (k, new_index.get(k).copied().unwrap_or(v))).collect();
            assert_eq!(effective, expected);
        }
        Err(errors) => assert_eq!(errors, problems),
    }
    // A suggestion is always one of the candidates.
    for &(key, _) in &new {
        if let Some(meant) = suggest_key(key, old.iter().map(|p| p.0)) {
            assert!(old_index.contains_key(meant));
        }
    }

    // JSON: every map is written as an object that reads back, NULLs refused.
    let json = config_to_json(&old);
    match config_from_json(&json) {
        Ok(back) => assert_eq!(pairs(&back), old, "round trip through {json}"),
        Err(e) => assert!(old.iter().any(|p| p.1.is_none()) && e.message.contains("is null"), "{e} for {json}"),
    }
    let _ = DiffMode::parse(&input.mode.0);
});
