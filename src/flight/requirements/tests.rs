use super::names::{is_stdlib, table_rows};
use super::options::read_options;
use super::pep508::{check_marker, parse_requirement};
use super::rules::{duckdb_window, findings};
use super::version::{Specifiers, Version};
use super::*;
use crate::flight::properties::Rng;
use crate::flight::FindingCode;

fn one(text: &str) -> Requirement {
    let reqs = read_requirements(text);
    assert_eq!(reqs.entries.len(), 1, "{text:?} -> {reqs:?}");
    reqs.entries.into_iter().next().unwrap_or_default()
}

fn invalid(text: &str) -> bool {
    matches!(one(text).problem, Some(Problem::Invalid(_)))
}

#[test]
fn reads_pips_documented_example() {
    // The example of pip's "Requirements File Format" page.
    let text = "# This is a comment, to show how #-prefixed lines are ignored.\n\
        # It is possible to specify requirements as plain names.\n\
        pytest\npytest-cov\nbeautifulsoup4\n\n\
        # The syntax supported here is the same as that of requirement specifiers.\n\
        docopt == 0.6.1\n\
        requests [security] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"\n\
        urllib3 @ https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip\n\n\
        # It is possible to refer to other requirement files or constraints files.\n\
        -r other-requirements.txt\n-c constraints.txt\n\n\
        # It is possible to refer to specific local distribution paths.\n\
        ./downloads/numpy-1.9.2-cp34-none-win32.whl\n\n\
        # It is possible to refer to URLs.\n\
        http://wxpython.org/Phoenix/snapshot-builds/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl\n";
    let reqs = read_requirements(text);
    let names: Vec<Option<&str>> = reqs.entries.iter().map(|e| e.name.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("pytest"),
            Some("pytest-cov"),
            Some("beautifulsoup4"),
            Some("docopt"),
            Some("requests"),
            Some("urllib3"),
            None,
            None,
            None,
            None
        ]
    );
    let lines: Vec<u32> = reqs.entries.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 8, 9, 10, 13, 14, 17, 20]);
    let docopt = &reqs.entries[3];
    assert_eq!((docopt.specifier.as_deref(), docopt.pinned_version.as_deref()), (Some("==0.6.1"), Some("0.6.1")));
    let requests = &reqs.entries[4];
    assert_eq!(requests.extras, ["security"]);
    assert_eq!(requests.specifier.as_deref(), Some(">=2.8.1,==2.8.*"));
    assert_eq!(requests.marker.as_deref(), Some("python_version < \"2.7\""));
    assert_eq!(requests.pinned_version, None);
    assert_eq!(reqs.entries[5].url.as_deref(), Some("https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip"));
    assert!(reqs.entries[..6].iter().all(|e| e.problem.is_none()), "{reqs:?}");
    for (i, what) in [(6, "--requirement"), (7, "--constraint"), (8, "local path"), (9, "bare URL")] {
        let Some(Problem::Option(text)) = &reqs.entries[i].problem else { panic!("{:?}", reqs.entries[i]) };
        assert!(text.contains(what), "{text}");
    }
}

#[test]
fn comments_continuations_and_blank_lines() {
    let reqs =
        read_requirements("a==1 # pinned\n\n  # indented comment\nb\\\n==2\nc==3 \\\n  # via x\nd#e==1\r\ne==4\\");
    let got: Vec<(u32, Option<&str>, Option<&str>)> =
        reqs.entries.iter().map(|e| (e.line, e.name.as_deref(), e.pinned_version.as_deref())).collect();
    assert_eq!(
        got,
        [
            (1, Some("a"), Some("1")),
            (4, Some("b"), Some("2")),
            (6, Some("c"), Some("3")),
            (8, None, None),
            (9, Some("e"), Some("4"))
        ]
    );
    // `#` not after whitespace is no comment: `d#e==1` is not a requirement.
    assert!(matches!(reqs.entries[3].problem, Some(Problem::Invalid(_))));
}

#[test]
fn version_specifiers_with_and_without_parentheses() {
    for (text, spec, pin) in [
        ("a (==1.0)", "==1.0", Some("1.0")),
        ("a(>=1,<2)", ">=1,<2", None),
        ("a ~= 1.4.2", "~=1.4.2", None),
        ("a===1.0-foo", "===1.0-foo", Some("1.0-foo")),
        ("a==1.*", "==1.*", None),
        ("a!=1.5", "!=1.5", None),
        ("a>1,", ">1", None),
        ("a==1.0+local.2", "==1.0+local.2", Some("1.0+local.2")),
        ("a == v1.0rc1.post2.dev3", "==v1.0rc1.post2.dev3", Some("v1.0rc1.post2.dev3")),
    ] {
        let e = one(text);
        assert_eq!((e.problem, e.specifier.as_deref(), e.pinned_version.as_deref()), (None, Some(spec), pin), "{text}");
    }
    for text in ["a=1", "a==", "a>=1.*", "a~=1", "a<1+local", "a (==1", "a,", "==1", "a[b c]", "a[b,]", "a>=1 b", "a @"]
    {
        assert!(invalid(text), "{text} should be invalid: {:?}", one(text));
    }
    let Some(Problem::Invalid(reason)) = one("a=1").problem else { panic!() };
    assert!(reason.contains("did you mean '=='"), "{reason}");
}

#[test]
fn extras_names_and_markers() {
    let e = one("Foo.Bar_baz [ x , y ]>=1;sys_platform=='linux' and (python_version>'3.8' or extra == \"z\")");
    assert_eq!((e.name.as_deref(), e.normalized.as_deref()), (Some("Foo.Bar_baz"), Some("foo-bar-baz")));
    assert_eq!(e.extras, ["x", "y"]);
    assert_eq!(e.marker.as_deref(), Some("sys_platform=='linux' and (python_version>'3.8' or extra == \"z\")"));
    assert_eq!(normalize("A__b-.-C"), "a-b-c");
    for marker in ["python_version < '3.12'", "os.name == 'posix'", "'a' not in extra", "(os_name=='nt')"] {
        assert_eq!(check_marker(marker), Ok(()), "{marker}");
    }
    for marker in
        ["python_version", "python_version <", "foo == '1'", "os_name == 'a' and", "(os_name=='a'", "'a' notin extra"]
    {
        assert!(check_marker(marker).is_err(), "{marker}");
    }
    assert!(invalid("a; python_version <"));
    assert_eq!(one("a ;").marker, None);
    assert_eq!(
        parse_requirement("name @ git+https://x/y.git@v1").map(|p| p.url),
        Ok(Some("git+https://x/y.git@v1".into()))
    );
}

#[test]
fn options_are_named_and_unknown_ones_invalid() {
    assert_eq!(read_options("--index-url https://x").map(|o| o.describe()), Ok("the pip option --index-url".into()));
    assert_eq!(read_options("-ihttps://x --pre").map(|o| o.describe()), Ok("the pip option --index-url, --pre".into()));
    assert_eq!(read_options("--extra=https://x").map(|o| o.describe()), Ok("the pip option --extra-index-url".into()));
    assert!(read_options("--frobnicate").is_err());
    assert!(read_options("--index-url").is_err());
    assert!(read_options("--no-index=1").is_err());
    assert!(read_options("--hash 'sha256:abc").is_err());
    let e = one("a==1 --hash=sha256:abcd --hash=sha256:ef");
    assert_eq!(e.pinned_version.as_deref(), Some("1"));
    assert_eq!(e.problem, Some(Problem::Option("the pip option --hash".into())));
    assert!(matches!(one("-e git+https://x/y.git#egg=y").problem, Some(Problem::Option(_))));
    assert!(invalid("--bogus"));
}

#[test]
fn versions_compare_as_pep_440_says() {
    let v = |t: &str| Version::parse(t).unwrap_or_else(|| panic!("{t}"));
    let window = duckdb_window(None).unwrap_or_else(|e| panic!("{e}"));
    for (text, inside) in [
        ("1.4.0", true),
        ("1.5.6", true),
        ("1.5", true),
        ("1.3.2", false),
        ("1.5.7", false),
        ("1.5.6.post1", false),
        ("2.0.0", false),
    ] {
        assert_eq!(window.contains(&v(text), text), inside, "{text}");
    }
    let set = |t: &str| Specifiers::parse(t).unwrap_or_else(|e| panic!("{e}"));
    assert!(set("~=1.4.2").contains(&v("1.4.9"), "1.4.9") && !set("~=1.4.2").contains(&v("1.5"), "1.5"));
    assert!(set("==1.5.*").contains(&v("1.5.3"), "1.5.3") && !set("==1.5.*").contains(&v("1.50"), "1.50"));
    assert!(!set("<1.5").contains(&v("1.5rc1"), "1.5rc1") && set("<1.5").contains(&v("1.4"), "1.4"));
    assert!(set("!=1.0").contains(&v("1.0.1"), "1.0.1") && !set("!=1.0").contains(&v("1.0.0"), "1.0.0"));
    assert!(!set("<1.0").contains(&v("1.0.dev1"), "1.0.dev1") && set(">=1.0a1").contains(&v("1.0"), "1.0"));
    for bad in ["", "1.4", ">=", ">=1.*", "=1"] {
        assert!(duckdb_window(Some(bad)).is_err(), "{bad}");
    }
    assert!(Version::parse("1.0.").is_none() && Version::parse("99999999999999999999999").is_none());
}

#[test]
fn the_tables_hold_the_required_names() {
    for (module, dist) in [
        ("yaml", "PyYAML"),
        ("sklearn", "scikit_learn"),
        ("PIL", "pillow"),
        ("bs4", "beautifulsoup4"),
        ("dateutil", "python-dateutil"),
        ("dotenv", "python-dotenv"),
        ("google.cloud.bigquery", "google-cloud-bigquery"),
    ] {
        assert!(table_rows(module).iter().any(|r| r.1 == dist), "{module}: {:?}", table_rows(module));
    }
    for module in ["os", "os.path", "json", "tomllib", "distutils", "asynchat", "__future__"] {
        assert!(is_stdlib(module), "{module}");
    }
    assert!(!is_stdlib("requests") && !is_stdlib("duckdb"));
}

fn paths(text: &str, module: &str, names: &[&str]) -> Provided {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    provides(module, &names, &read_requirements(text), &[])
}

#[test]
fn which_requirement_provides_a_module() {
    assert_eq!(paths("", "os.path", &[]), Provided::Stdlib);
    assert_eq!(paths("x==1\nfoo-bar==1", "foo_bar", &[]), Provided::By(1));
    assert_eq!(paths("PyYAML==6", "yaml", &[]), Provided::By(0));
    assert_eq!(paths("scikit-learn==1.5", "sklearn.linear_model", &[]), Provided::By(0));
    assert_eq!(paths("google-cloud-bigquery==3", "google.cloud", &["bigquery"]), Provided::By(0));
    assert_eq!(paths("google-cloud-bigquery==3", "google.cloud.bigquery", &[]), Provided::By(0));
    assert_eq!(paths("azure-storage-blob==12", "azure.storage.blob", &["BlobClient"]), Provided::By(0));
    assert_eq!(paths("requests==2", "yaml", &[]), Provided::Missing { suggest: Some("PyYAML") });
    assert_eq!(
        paths("requests==2", "google.cloud", &["bigquery"]),
        Provided::Missing { suggest: Some("google-cloud-bigquery") }
    );
    // `google` alone is protobuf in the table, but a namespace: no suggestion for an unknown child.
    assert_eq!(paths("requests==2", "google.cloud.unknown", &[]), Provided::Missing { suggest: None });
    assert_eq!(paths("foo-binary==1", "foo", &[]), Provided::Unverified { candidates: vec![0] });
    assert_eq!(paths("-r other.txt\nrequests==2", "foo", &[]), Provided::Unverified { candidates: vec![0] });
    let reqs = read_requirements("requests==2\nmystery-dist==1");
    assert_eq!(provides("pandas", &[], &reqs, &[1]), Provided::Unverified { candidates: vec![1] });
    // The table knows yaml: an unknown distribution does not make it unverified.
    assert_eq!(provides("yaml", &[], &reqs, &[1]), Provided::Missing { suggest: Some("PyYAML") });
    // A hostile path with a thousand parts costs what a short one does.
    let long = vec!["a"; 1000].join(".");
    assert_eq!(paths("b==1", &long, &[]), Provided::Missing { suggest: None });
}

fn codes(reqs: &str, imports: &[(&str, &[&str], bool)]) -> Vec<(FindingCode, String)> {
    let names: Vec<Vec<String>> = imports.iter().map(|i| i.1.iter().map(|n| (*n).to_owned()).collect()).collect();
    let imports: Vec<ImportedName> = imports
        .iter()
        .zip(&names)
        .enumerate()
        .map(|(k, (i, names))| ImportedName { module: i.0, names, line: k as u32 + 1, optional: i.2 })
        .collect();
    let found = requirement_findings(Some(reqs), &imports, None).unwrap_or_else(|e| panic!("{e}"));
    found.into_iter().map(|f| (f.code, f.subject)).collect()
}

#[test]
fn the_rules() {
    use FindingCode::*;
    let clean = codes(
        "duckdb==1.5.3\nrequests==2.32.3\n",
        &[("duckdb", &[], false), ("requests", &[], false), ("os", &[], false)],
    );
    assert_eq!(clean, []);
    let got = codes(
        "duckdb==1.3.2\nrequests>=2\n--index-url https://x\nbad line\n",
        &[("yaml", &[], false), ("maybe", &[], true), ("requests.adapters", &[], false)],
    );
    assert_eq!(
        got,
        [
            (RequirementUnpinned, "requests".into()),
            (RequirementOption, "line 3".into()),
            (RequirementInvalid, "line 4".into()),
            (DuckdbUnsupported, "duckdb".into()),
            (ImportNotInRequirements, "yaml".into()),
        ]
    );
    assert_eq!(codes("duckdb>=1.4", &[("duckdb", &[], false)]), [(DuckdbUnpinned, "duckdb".into())]);
    assert_eq!(codes("", &[("duckdb", &[], false)]), [(DuckdbUnpinned, "duckdb".into())]);
    // An unknown distribution nothing else needs: the unknown import is unverified, never an error.
    assert_eq!(codes("mystery==1", &[("pkg", &[], false)]), [(ImportUnverified, "pkg".into())]);
    assert_eq!(codes("duckdb==1.5.2", &[]), []);
    let window = Some(">=1.4.1,<=1.5.6");
    let found = requirement_findings(Some("duckdb==1.4.0"), &[], window).unwrap_or_default();
    assert_eq!(found.iter().map(|f| f.code).collect::<Vec<_>>(), [DuckdbUnsupported]);
    assert!(found[0].message.contains("the window given"), "{}", found[0].message);
    assert!(requirement_findings(None, &[], Some("1.4")).is_err());
}

/// Renders a requirement from its fields, as a user would write it.
fn render(name: &str, extras: &[&str], spec: &str, marker: &str, url: Option<&str>) -> String {
    let mut text = name.to_owned();
    if !extras.is_empty() {
        text.push_str(&format!(" [{}]", extras.join(", ")));
    }
    match url {
        Some(url) => text.push_str(&format!(" @ {url} ")),
        None => text.push_str(spec),
    }
    if !marker.is_empty() {
        text.push_str(&format!(";{marker}"));
    }
    text
}

#[test]
fn property_rendered_requirements_read_back() {
    let names = ["a", "Foo.Bar", "x_y-z", "duckdb", "PyYAML", "a1"];
    let extras = ["s", "t_u", "v.w"];
    let specs = ["", "==1.0", " >= 2.8.1, == 2.8.*", "(<2,>1)", "===weird", "~=1.4.2", "!=3.0.post1"];
    let markers = ["", "python_version < \"3.12\"", "os_name == 'posix' and extra == 'x'"];
    let mut rng = Rng(0x5eed_1234);
    for _ in 0..2000 {
        let name = rng.pick(&names);
        let ex: Vec<&str> = (0..rng.below(3)).map(|_| rng.pick(&extras)).collect();
        let spec = rng.pick(&specs);
        let marker = rng.pick(&markers);
        let url = (rng.below(5) == 0).then_some("https://example.org/a-1.0.zip");
        let text = render(name, &ex, spec, marker, url);
        let e = one(&text);
        assert_eq!(e.problem, None, "{text}");
        assert_eq!(
            (e.name.as_deref(), e.extras.clone()),
            (Some(name), ex.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            "{text}"
        );
        assert_eq!(e.marker.as_deref(), Some(marker).filter(|m| !m.is_empty()), "{text}");
        assert_eq!(e.url.as_deref(), url, "{text}");
        // Read again from its fields: the same requirement.
        let again = render(name, &ex, e.specifier.as_deref().unwrap_or(""), marker, url);
        assert_eq!(one(&again), Requirement { line: 1, ..e }, "{text} -> {again}");
    }
}

#[test]
fn property_no_input_panics_and_lines_stay_in_range() {
    let pieces = [
        "a", "==", "1.0", " ", "\\", "\n", "\r\n", "#", ";", "[", "]", "(", ")", ",", "@", "-r", "--hash", "'", "\"",
        "é", "\u{2028}", "*", "+", ".",
    ];
    let mut rng = Rng(42);
    for _ in 0..5000 {
        let text: String = (0..rng.below(30)).map(|_| rng.pick(&pieces)).collect();
        let reqs = read_requirements(&text);
        let physical = text.split(['\n', '\r', '\u{2028}']).count() as u32;
        assert!(reqs.entries.iter().all(|e| e.line >= 1 && e.line <= physical.max(1)), "{text:?}");
        assert!(reqs.entries.windows(2).all(|w| w[0].line < w[1].line), "{text:?}");
        let names: Vec<String> = Vec::new();
        let imports = [ImportedName { module: "a.b", names: &names, line: 1, optional: false }];
        let window = duckdb_window(None).unwrap_or_else(|e| panic!("{e}"));
        let _ = findings(&reqs, &imports, &window, "w");
        let _ = imported_as(&reqs, &imports);
    }
}

#[test]
fn hostile_inputs_are_linear() {
    let long_name = "a".repeat(200_000);
    assert_eq!(one(&long_name).name.as_deref(), Some(long_name.as_str()));
    let nested = format!("a; {}os_name=='x'{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(invalid(&nested));
    let continued = "a\\\n".repeat(50_000);
    assert_eq!(read_requirements(&continued).entries.len(), 1);
    let many = "x==1\n".repeat(50_000);
    assert_eq!(read_requirements(&many).entries.len(), 50_000);
    let dashes = format!("a{}", "-".repeat(100_000));
    assert!(invalid(&dashes));
}

#[test]
fn entry_problems_know_whether_the_source_imports_duckdb() {
    let reqs = read_requirements("duckdb>=1.4\nrequests==2.32.3\n");
    let names: Vec<String> = Vec::new();
    let with = [ImportedName { module: "duckdb", names: &names, line: 1, optional: false }];
    let code = |imports: &[ImportedName]| -> Vec<Option<FindingCode>> {
        entry_problems(&reqs, imports, None).unwrap_or_default().into_iter().map(|f| f.map(|f| f.code)).collect()
    };
    assert_eq!(code(&[]), [Some(FindingCode::RequirementUnpinned), None]);
    assert_eq!(code(&with), [Some(FindingCode::DuckdbUnpinned), None]);
    assert_eq!(imported_as(&reqs, &with), [vec!["duckdb".to_owned()], vec![]]);
}

#[test]
fn sourceless_findings_are_the_findings_without_imports_under_the_default_window() {
    let texts = [
        "duckdb==1.5.2\nrequests==2.32.3",
        "duckdb==1.3.0\nrequests>=2.31\n-r other.txt",
        "pandas\nduckdb>=1.4\nnot a requirement !",
        "",
    ];
    for text in texts {
        let reqs = read_requirements(text);
        let once = reqs.sourceless_findings().to_vec();
        assert_eq!(once, requirement_findings(Some(text), &[], None).unwrap(), "{text:?}");
        assert_eq!(reqs.sourceless_findings(), &once[..], "asked again: the same findings");
    }
    assert!(!read_requirements(texts[1]).sourceless_findings().is_empty(), "a refused duckdb pin is found");
}
