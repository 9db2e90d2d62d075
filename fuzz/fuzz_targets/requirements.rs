//! The requirements reader and rules on arbitrary text: no panic; lines
//! 1-based, increasing and within the text; every entry either named (with a
//! PEP 503 name and, when pinned, a single exact clause) or not, as its problem
//! says; the findings, the rows' problems and `imported_as` computed over
//! imports drawn from the text itself; a window read from the text either
//! parses or is refused, never panics.

#![no_main]

use flights_helper::flight::requirements::rules::{entry_problems, findings};
use flights_helper::flight::source::inline_script_metadata;
use flights_helper::flight::requirements::{imported_as, normalize, read_requirements, ImportedName, Problem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let reqs = read_requirements(&text);
    let physical = text.split(['\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}']).count();
    assert!(reqs.entries.windows(2).all(|w| w[0].line < w[1].line), "lines not increasing");
    for e in &reqs.entries {
        assert!(e.line >= 1 && e.line as usize <= physical, "line {} of {physical}", e.line);
        match (&e.name, &e.normalized) {
            (Some(name), Some(n)) => assert_eq!(*n, normalize(name)),
            (None, None) => assert!(e.problem.is_some(), "an entry without a name has a problem"),
            _ => panic!("name and normalized name disagree: {e:?}"),
        }
        if matches!(e.problem, Some(Problem::Invalid(_))) {
            assert!(e.name.is_none() && e.pinned_version.is_none(), "{e:?}");
        }
        if let Some(pin) = &e.pinned_version {
            let spec = e.specifier.as_deref().unwrap_or_default();
            assert!(spec == format!("=={pin}") || spec == format!("==={pin}"), "{spec} vs {pin}");
        }
    }
    // Imports drawn from the text's words, so that some match requirements.
    let words: Vec<&str> = text.split([' ', '\n', '=', '[', ';']).filter(|w| !w.is_empty()).take(16).collect();
    let names: Vec<String> = words.iter().take(2).map(|w| (*w).to_owned()).collect();
    let imports: Vec<ImportedName> = words
        .iter()
        .enumerate()
        .map(|(i, w)| ImportedName { module: w, names: if i % 2 == 0 { &names } else { &[] }, line: i as u32 + 1, optional: i % 3 == 0 })
        .collect();
    let window_text = words.first().copied();
    let problems = entry_problems(&reqs, &imports, window_text);
    if let Ok(problems) = &problems {
        assert_eq!(problems.len(), reqs.entries.len());
    }
    let window = flights_helper::flight::requirements::rules::duckdb_window(None).expect("the default window parses");
    let found = findings(&reqs, &imports, &window, "w");
    assert!(found.iter().all(|f| f.severity == f.code.severity()));
    assert_eq!(imported_as(&reqs, &imports).len(), reqs.entries.len());
    let _ = inline_script_metadata(&text);
});
