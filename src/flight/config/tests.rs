use super::*;
use crate::flight::suggest::EditDistance;
use crate::flight::{ConfigMap, ErrorKind};

/// [`config_from_json`], its error as the words users read (every error is [`ErrorKind::InvalidJson`]).
fn from_json(json: &str) -> Result<ConfigMap, String> {
    config_from_json(json).map_err(|e| {
        assert_eq!(e.kind, ErrorKind::InvalidJson, "{e}");
        e.message
    })
}

/// [`DiffMode::parse`], its error as the words users read (every error is [`ErrorKind::InvalidMode`]).
fn parse_mode(text: &str) -> Result<DiffMode, String> {
    DiffMode::parse(text).map_err(|e| {
        assert_eq!(e.kind, ErrorKind::InvalidMode, "{e}");
        e.message
    })
}

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
    let new = [("b", Some("1")), ("é", Some("1")), ("B", Some("1")), ("_", Some("1")), ("", Some("1")), ("a", None)];
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
    assert_eq!(parse_mode("update"), Ok(DiffMode::Update));
    assert_eq!(parse_mode("  RUN\t"), Ok(DiffMode::Run));
    assert_eq!(parse_mode("Update"), Ok(DiffMode::Update));
    assert_eq!(
        parse_mode("merge"),
        Err("unknown mode 'merge': use 'update' (new replaces old, as MD_UPDATE_FLIGHT does) or 'run' (new is \
             a per-run override, as MD_RUN_FLIGHT applies it)"
            .to_owned())
    );
    assert!(parse_mode("").is_err());
    assert!(parse_mode("upd\u{0}ate").unwrap_err().starts_with("unknown mode 'upd\\u{0}ate'"));
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
            let stored_keys: Vec<&[u8]> = stored.iter().map(|p| p.0.as_bytes()).collect();
            let ov_keys: Vec<(&[u8], bool)> = ov.iter().map(|&(k, v)| (k.as_bytes(), v.is_some())).collect();
            let by_bytes = override_keys_valid(&stored_keys, ov_keys.iter().map(|(k, v)| (k, *v)), ov.len());
            // A wrong length hint changes the speed only.
            let by_bytes_hinted = override_keys_valid(&stored_keys, ov_keys.iter().map(|(k, v)| (k, *v)), 1000);
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
    assert!(problems[0].contains("'regon0' is not in the stored config (did you mean 'REGION0'?)"), "{}", problems[0]);
    assert!(problems[MAX_SUGGESTED_KEYS].starts_with("override key 'regon20' is not in the stored config: "));
    assert!(problems[MAX_SUGGESTED_KEYS + 2].contains("'REGION' has a NULL value"));
    // The message helper on its own.
    let problem = check_override(STORED, &[("REGON", Some("x"))])[0];
    assert_eq!((problem.index, problem.key, problem.suggestion), (0, "REGON", Some("REGION")));
    assert!(problem.message().contains("(did you mean 'REGION'?)"));
    let unsuggested = OverrideProblem { suggestion: None, ..problem };
    assert!(!unsuggested.message().contains("did you mean"));
    assert_eq!(check_override(STORED, &[("A", None)])[1 - 1].kind, OverrideProblemKind::UnknownKey);
    assert_eq!(check_override(STORED, &[("REGION", None)])[0].kind, OverrideProblemKind::NullValue);
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
    let config = from_json(" {\"Z\": \"1\", \"A\": \"tab\\there\", \"E\": \"\", \"U\": \"\\u00e9\"} ").unwrap();
    assert_eq!(config, owned(&[("Z", Some("1")), ("A", Some("tab\there")), ("E", Some("")), ("U", Some("é"))]));
    assert_eq!(from_json("{}").unwrap(), ConfigMap::new());
    assert_eq!(from_json("{\"\": \"empty key\"}").unwrap(), owned(&[("", Some("empty key"))]));
    // A value that is JSON inside a string stays one string.
    let nested = from_json(r#"{"OPTS": "{\"a\":1}"}"#).unwrap();
    assert_eq!(nested, owned(&[("OPTS", Some("{\"a\":1}"))]));
}

#[test]
fn malformed_json_gives_its_position() {
    assert_eq!(
        from_json("{\"A\": \"1\"").unwrap_err(),
        format!("invalid JSON at line 1, column 9: EOF while parsing an object; {SHAPE}")
    );
    assert_eq!(
        from_json("{\n  \"A\": \"1\",\n  \"B\": x\n}").unwrap_err(),
        format!("invalid JSON at line 3, column 8: expected value; {SHAPE}")
    );
    assert_eq!(
        from_json("{\"A\": \"1\"} trailing").unwrap_err(),
        format!("invalid JSON at line 1, column 12: trailing characters; {SHAPE}")
    );
    assert!(from_json("{\"A\": \"1\",}").unwrap_err().starts_with("invalid JSON at line 1, column 11: "));
    assert!(from_json("").unwrap_err().starts_with("invalid JSON at line 1, column 0: EOF"));
    assert!(from_json("   ").unwrap_err().starts_with("invalid JSON"));
    assert!(from_json("{\"A\": \"\\ud800\"}").unwrap_err().starts_with("invalid JSON"), "lone surrogate");
    assert!(from_json("{'A': '1'}").unwrap_err().starts_with("invalid JSON"));
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
        assert_eq!(from_json(json), Err(format!("{SHAPE}; got {got}")), "{json}");
    }
    // A syntax error inside wins.
    assert!(from_json("[1, }").unwrap_err().starts_with("invalid JSON"));
}

#[test]
fn json_duplicate_keys_are_errors() {
    let twice = "config JSON has the key 'A' twice: each key may appear once";
    assert_eq!(from_json("{\"A\": \"1\", \"A\": \"2\"}"), Err(twice.to_owned()));
    assert_eq!(from_json("{\"A\": \"1\", \"\\u0041\": \"1\"}"), Err(twice.to_owned()), "spelled differently");
    assert!(from_json("{\"A\": \"1\", \"a\": \"2\"}").is_ok(), "case matters");
    // Past the scan limit the keys are hashed; the answer is the same.
    for n in [3, SCAN_UP_TO, SCAN_UP_TO + 1, 100] {
        let mut json: Vec<String> = (0..n).map(|i| format!("\"K{i}\": \"v\"")).collect();
        assert_eq!(from_json(&format!("{{{}}}", json.join(","))).unwrap().len(), n);
        json.push(format!("\"K{}\": \"again\"", n / 2));
        json.push("\"LATER\": 1".to_owned());
        let err = from_json(&format!("{{{}}}", json.join(","))).unwrap_err();
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
        assert_eq!(from_json(json), Err(message.to_owned()), "{json}");
    }
    // The first problem is the one reported; keys are escaped in messages.
    assert_eq!(
        from_json(r#"{"A": "ok", "B\n": 1, "C": null}"#).unwrap_err(),
        "config value for 'B\\n' is a number (1): config is a flat string map, quote it: \"1\""
    );
    // ... but a syntax error anywhere wins over it.
    assert!(from_json(r#"{"A": 1, "B": }"#).unwrap_err().starts_with("invalid JSON"));
    assert!(from_json(r#"{"A": "1", "A": "2", "C": [}"#).unwrap_err().starts_with("invalid JSON"));
}

#[test]
fn deep_json_nesting_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    let err = from_json(&deep).unwrap_err();
    assert!(err.starts_with("invalid JSON at line 1, column ") && err.contains("recursion limit exceeded"), "{err}");
    let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(from_json(&closed).unwrap_err().contains("recursion limit exceeded"));
    let in_a_value = format!("{{\"A\": {}\"x\"{}}}", "{\"a\": ".repeat(100_000), "}".repeat(100_000));
    assert!(from_json(&in_a_value).unwrap_err().contains("recursion limit exceeded"));
    let open_objects = "{\"a\":".repeat(100_000);
    assert!(from_json(&open_objects).unwrap_err().contains("recursion limit exceeded"));
    // Moderate nesting inside a value is just a nested value.
    let moderate = format!("{{\"A\": {}{}}}", "[".repeat(100), "]".repeat(100));
    assert!(from_json(&moderate).unwrap_err().contains("'A' is a nested list"));
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
    assert_eq!(from_json(&json).unwrap(), config);
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
    assert!(from_json(&config_to_json(&[("N", None)])).unwrap_err().contains("'N' is null"));
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
        let old_keys: Vec<&[u8]> = old.iter().map(|p| p.0.as_bytes()).collect();
        let new_keys: Vec<(&[u8], bool)> = new.iter().map(|&(k, v)| (k.as_bytes(), v.is_some())).collect();
        let by_bytes = override_keys_valid(&old_keys, new_keys.iter().map(|(k, v)| (k, *v)), new.len());
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
        match from_json(&json) {
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
        match from_json(&text) {
            Ok(config) => assert_eq!(from_json(&config_to_json(&config)).as_ref(), Ok(&config)),
            Err(message) => assert!(!message.is_empty() && !message.contains(['\n', '\r']), "{message:?}"),
        }
    }
}
