//! The facts of the walk for issue #28: imports, the entry point, swallowed failures.

use super::*;

fn imports(source: &str) -> Vec<(String, Vec<String>, u32, bool)> {
    scan_source(source).imports.into_iter().map(|i| (i.module, i.names, i.line, i.optional)).collect()
}

fn import(module: &str, names: &[&str], line: u32, optional: bool) -> (String, Vec<String>, u32, bool) {
    (module.into(), names.iter().map(|n| n.to_string()).collect(), line, optional)
}

#[test]
fn imports_at_any_depth() {
    let src = "import a.b.c\nimport a.b as x, os\nfrom a.b import c, d as e\nfrom . import rel\nfrom .pkg import y\n\
               def f():\n    import inner\n    class K:\n        from deep.er import z\nif x:\n    import in_if\n";
    assert_eq!(
        imports(src),
        vec![
            import("a.b.c", &[], 1, false),
            import("a.b", &[], 2, false),
            import("os", &[], 2, false),
            import("a.b", &["c", "d"], 3, false),
            import("inner", &[], 7, false),
            import("deep.er", &["z"], 9, false),
            import("in_if", &[], 11, false),
        ]
    );
}

#[test]
fn guarded_imports_are_optional() {
    let src = "try:\n    import ujson\nexcept ImportError:\n    import json\n\
               try:\n    import a\nexcept (ModuleNotFoundError, ValueError):\n    pass\n\
               try:\n    import b\nexcept:\n    pass\n\
               try:\n    import c\nexcept Exception:\n    pass\n\
               try:\n    import d\nexcept ValueError:\n    pass\n\
               from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import e\nelse:\n    import f\n\
               def g():\n    try:\n        from h import i\n    except ImportError:\n        i = None\n";
    let got: Vec<(String, bool)> = imports(src).into_iter().map(|i| (i.0, i.3)).collect();
    let want = [
        ("ujson", true),
        ("json", false),
        ("a", true),
        ("b", true),
        ("c", true),
        ("d", false),
        ("typing", false),
        ("e", true),
        ("f", false),
        ("h", true),
    ];
    assert_eq!(got, want.iter().map(|(m, o)| (m.to_string(), *o)).collect::<Vec<_>>());
}

fn entry(source: &str) -> Option<(String, u32)> {
    scan_source(source).entry_point_missing().map(|f| (f.name.clone(), f.line))
}

#[test]
fn the_entry_point() {
    // Defined, never run.
    assert_eq!(entry("import os\n\ndef main():\n    os.environ['A']\n"), Some(("main".into(), 3)));
    assert_eq!(entry("def helper():\n    pass\n@decorator\ndef run():\n    pass\n"), Some(("helper".into(), 1)));
    // Set-up at module level is not work.
    let setup = "import logging\nlogging.basicConfig(level=logging.INFO)\nlog = logging.getLogger(__name__)\n\
                 TABLES = ['a', 'b']\nN = int(os.getenv('N', '5'))\n@app.command()\ndef main():\n    pass\n";
    assert_eq!(entry(setup), Some(("main".into(), 7)));
    // Each way of running one.
    for run in [
        "main()",
        "if __name__ == '__main__':\n    main()",
        "if __name__ == \"__main__\":\n    sys.exit(main())",
        "asyncio.run(main())",
        "typer.run(main)",
        "main.run()",
        "raise SystemExit(main())",
        "pipeline.run(main())",
        "x = [main]",
    ] {
        let src = format!("import sys\ndef main():\n    pass\n{run}\n");
        assert_eq!(entry(&src), None, "{run}");
    }
    // A plain script doing its work at module level, with or without helpers.
    assert_eq!(
        entry("import duckdb\ndef helper():\n    pass\ncon = duckdb.connect('md:')\ncon.sql('SELECT 1')\n"),
        None
    );
    assert_eq!(entry("def helper():\n    pass\nfor x in range(3):\n    print(x)\n"), None);
    // No functions, nothing to say; a syntax error comes first.
    assert_eq!(entry("import os\nprint(os.environ['A'])\n"), None);
    assert_eq!(entry(""), None);
    assert_eq!(entry("def main(:\n    pass\n"), None);
    // A method or a nested function is not a module-level function.
    assert_eq!(entry("class K:\n    def run(self):\n        pass\n"), None);
    // dlt's decorators: the module runs the source through the pipeline.
    let dlt = "import dlt\n@dlt.resource\ndef rows():\n    yield 1\n@dlt.source\ndef source():\n    return rows\n\
               if __name__ == '__main__':\n    pipeline = dlt.pipeline(destination='motherduck')\n    pipeline.run(source())\n";
    assert_eq!(entry(dlt), None);
}

fn swallowed(source: &str) -> Vec<(u32, Option<String>, &'static str)> {
    scan_source(source).swallowed_failures().iter().map(|s| (s.line, s.function.clone(), s.catches)).collect()
}

#[test]
fn swallowed_failures() {
    let main =
        |body: &str, tail: &str| format!("import sys\ndef main():\n{body}\nif __name__ == '__main__':\n{tail}\n");
    let swallow = "    try:\n        work()\n    except Exception as e:\n        print(e)";
    assert_eq!(swallowed(&main(swallow, "    main()")), [(5, Some("main".into()), "Exception")]);
    // Each handler that lets the failure through.
    for handler in [
        "raise",
        "raise RuntimeError('failed') from e",
        "sys.exit(1)",
        "sys.exit('failed')",
        "sys.exit(code)",
        "exit(2)",
        "os._exit(1)",
        "raise SystemExit(1)",
    ] {
        let body = format!("    try:\n        work()\n    except Exception as e:\n        print(e)\n        {handler}");
        assert_eq!(swallowed(&main(&body, "    main()")), [], "{handler}");
    }
    // Exiting 0 is swallowing.
    for handler in ["sys.exit(0)", "sys.exit()", "exit(None)", "raise SystemExit", "raise SystemExit(0)", "return"] {
        let body = format!("    try:\n        work()\n    except BaseException:\n        {handler}");
        assert_eq!(swallowed(&main(&body, "    main()")).len(), 1, "{handler}");
    }
    // Recording the failure and exiting non-zero after the loop (MotherDuck's Postgres template).
    let later =
        "    failed = []\n    for t in tables:\n        try:\n            copy(t)\n        except Exception as e:\n\
                 \x20           failed.append((t, e))\n    if failed:\n        sys.exit(1)";
    assert_eq!(swallowed(&main(later, "    main()")), []);
    // The module level exits with main's return value, or fails after it.
    let returns = "    try:\n        work()\n    except:\n        return 1\n    return 0";
    assert_eq!(swallowed(&main(returns, "    sys.exit(main())")), []);
    assert_eq!(swallowed(&main(returns, "    main()")), [(5, Some("main".into()), "everything (a bare except:)")]);
    assert_eq!(swallowed(&main(swallow, "    ok = main()\n    if not ok:\n        sys.exit(1)")), []);
    // A raise in the try body is caught by the handler: it does not count.
    let caught = "    try:\n        raise ValueError()\n    except (ValueError, Exception):\n        pass";
    assert_eq!(swallowed(&main(caught, "    main()")).len(), 1);
    // Narrow handlers, helpers that are not the entry, nested functions: not reported.
    let narrow = "    try:\n        work()\n    except ValueError:\n        pass";
    assert_eq!(swallowed(&main(narrow, "    main()")), []);
    let helper = "import sys\ndef helper():\n    try:\n        work()\n    except Exception:\n        pass\ndef main():\n    helper()\nmain()\n";
    assert_eq!(swallowed(helper), []);
    // At module level.
    let module = "try:\n    main()\nexcept Exception as e:\n    print(e)\n";
    assert_eq!(swallowed(&format!("def main():\n    pass\n{module}")), [(5, None, "Exception")]);
    assert_eq!(swallowed(&format!("def main():\n    pass\n{module}    raise\n")), []);
}

/// Property: over random mixes of statements, the facts agree with what the
/// pieces say: an import's line holds `import`, a reported entry function is
/// defined on its line and never runs, a swallowed handler's line holds `except`.
#[test]
fn facts_agree_with_the_source() {
    let pieces = [
        "import os\n",
        "from a.b import c\n",
        "try:\n    import x\nexcept ImportError:\n    x = None\n",
        "def main():\n    try:\n        work()\n    except Exception:\n        pass\n",
        "def helper():\n    return 1\n",
        "if __name__ == '__main__':\n    main()\n",
        "main()\n",
        "helper()\n",
        "import sys\nsys.exit(1)\n",
        "logging.basicConfig()\n",
        "x = 1\n",
        "for i in range(2):\n    pass\n",
        "try:\n    main()\nexcept:\n    pass\n",
        "class K:\n    def m(self):\n        pass\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..500 {
        let mut src = String::new();
        for _ in 0..(seed % 7) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            src.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let scan = scan_source(&src);
        let lines: Vec<&str> = src.lines().collect();
        let at = |line: u32| lines.get(line as usize - 1).copied().unwrap_or("");
        for import in &scan.imports {
            assert!(at(import.line).contains("import"), "{src}\n{import:?}");
        }
        for function in &scan.functions {
            assert!(at(function.line).starts_with(&format!("def {}", function.name)), "{src}\n{function:?}");
            let called =
                src.contains(&format!("\n{}()", function.name)) || src.starts_with(&format!("{}()", function.name));
            let guarded = src.contains("    main()\n") && function.name == "main";
            assert_eq!(function.runs, called || guarded, "{src}\n{function:?}");
        }
        if let Some(function) = scan.entry_point_missing() {
            assert!(!function.runs && !scan.module_does_work, "{src}");
        }
        for failure in scan.swallowed_failures() {
            assert!(at(failure.line).trim_start().starts_with("except"), "{src}\n{failure:?}");
        }
    }
}

/// A variable the source sets itself is not missing; one it may set under a
/// computed name cannot be checked (the agent guide's Postgres template copies
/// secret params to libpq's variables under computed names, then reads them).
#[test]
fn variables_the_source_sets_are_not_missing() {
    use crate::flight::source::{check_source, Status};
    let scan = scan_source("import os\nos.environ['PGHOST'] = 'h'\nprint(os.environ['PGHOST'], os.environ['OTHER'])\n");
    assert_eq!(scan.env_writes, [(Some("PGHOST".to_owned()), 2)]);
    let rows = check_source(&scan, &[]);
    let status = |name: &str| rows.iter().find(|r| r.name == name).map(|r| r.status);
    assert_eq!(status("PGHOST"), Some(Status::Ok));
    assert_eq!(status("OTHER"), Some(Status::Missing));
    let code = "import os\nfor k, v in (('PGHOST', 'h'),):\n    os.environ[k] = v\nprint(os.environ['PGHOST'])\n";
    let scan = scan_source(code);
    assert_eq!(scan.env_writes, [(None, 3)]);
    assert_eq!(check_source(&scan, &[]).iter().map(|r| r.status).collect::<Vec<_>>(), [Status::Unverified]);
    // A write is not a read.
    assert!(scan_source("import os\nos.environ['X'] = '1'\n").reads.is_empty());
}
