use super::*;
use crate::flight::{ConfigMap, ParamValue, SecretDef, SecretParam, REDACTED};
use std::collections::HashSet;

/// The resolution of `spec`, owning its text (a test's Flight is often a temporary).
fn resolve(spec: &FlightSpec) -> Resolution<'static> {
    super::resolve(spec).into_owned()
}

fn config(entries: &[(&str, Option<&str>)]) -> Option<crate::flight::ConfigMap> {
    Some(entries.iter().map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect())
}

fn secret(name: &str, params: &[(&str, ParamValue)]) -> SecretDef {
    SecretDef {
        name: name.into(),
        params: params.iter().map(|(k, v)| SecretParam { key: k.to_string(), value: v.clone() }).collect(),
    }
}

fn keys(name: &str, keys: &[&str]) -> SecretDef {
    secret(name, &keys.iter().map(|k| (*k, ParamValue::KeyOnly)).collect::<Vec<_>>())
}

fn names<'r>(r: &'r Resolution) -> Vec<&'r str> {
    r.vars.iter().map(|v| &*v.name).collect()
}

fn codes<'r>(r: &'r Resolution) -> Vec<&'r str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn var<'r>(r: &'r Resolution<'r>, name: &str) -> &'r EnvVar<'r> {
    r.vars.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("no var {name} in {:?}", names(r)))
}

#[test]
fn docs_page_example() {
    let spec = FlightSpec {
        flight_secret_names: Some(vec![Some("my_api_secret".into())]),
        secrets: Some(vec![keys("my_api_secret", &["API_KEY", "ENDPOINT"])]),
        ..Default::default()
    };
    let r = resolve(&spec);
    assert_eq!(names(&r), ["MOTHERDUCK_TOKEN", "MY_API_SECRET_API_KEY", "MY_API_SECRET_ENDPOINT"]);
    let key = var(&r, "MY_API_SECRET_API_KEY");
    assert_eq!(
        (key.value.as_deref(), key.source, key.origin.to_string().as_str(), key.sensitive),
        (Some(REDACTED), EnvSource::Secret, "my_api_secret.API_KEY", true)
    );
    let token = var(&r, "MOTHERDUCK_TOKEN");
    assert_eq!((token.origin.to_string().as_str(), token.value.as_deref()), (DEFAULT_TOKEN_NAME, Some(REDACTED)));
    assert_eq!(codes(&r), ["default_token"]);
    assert_eq!(error_report(&r.findings), None);
}

#[test]
fn lower_naming_keeps_the_key_case() {
    assert_eq!(secret_env_name("My_Api_Secret", "API_key", SecretNaming::Lower), "my_api_secret_API_key");
    assert_eq!(secret_env_name("my_api_secret", "API_KEY", SecretNaming::Upper), "MY_API_SECRET_API_KEY");
    assert_eq!(parse_naming(Some(" LOWER ")), Ok(SecretNaming::Lower));
    assert!(parse_naming(Some("camel")).unwrap_err().message.contains("'camel'"));
    let spec = FlightSpec {
        secrets: Some(vec![keys("s", &["K"])]),
        secret_naming: Some("lower".into()),
        ..Default::default()
    };
    assert!(names(&resolve(&spec)).contains(&"s_K"));
}

#[test]
fn config_and_override_rows() {
    let spec = FlightSpec {
        config: config(&[("REGION", Some("us")), ("BATCH_SIZE", Some("1000"))]),
        override_config: config(&[("REGION", Some("eu"))]),
        access_token_name: Some("flights-prod".into()),
        ..Default::default()
    };
    let r = resolve(&spec);
    assert_eq!(names(&r), ["BATCH_SIZE", "MOTHERDUCK_TOKEN", "REGION"]);
    let region = var(&r, "REGION");
    assert_eq!((region.value.as_deref(), region.source), (Some("eu"), EnvSource::Override));
    assert!(region.note.as_deref().unwrap().contains("'us'"));
    assert_eq!(var(&r, "BATCH_SIZE").source, EnvSource::Config);
    assert_eq!(var(&r, "MOTHERDUCK_TOKEN").origin.to_string(), "flights-prod");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn every_error_is_reported_at_once() {
    let spec = FlightSpec {
        config: config(&[
            ("", Some("x")),
            ("A=B", Some("1")),
            ("N\0UL", Some("1")),
            ("MOTHERDUCK_TOKEN", Some("1")),
            ("NULLV", None),
            ("V", Some("a\0b")),
        ]),
        override_config: config(&[("REGON", Some("eu")), ("NULLV", None)]),
        flight_secret_names: Some(vec![Some("missing".into()), None, Some("empty".into()), Some("bad".into())]),
        secrets: Some(vec![keys("empty", &[]), secret("bad", &[("", ParamValue::KeyOnly), ("K", ParamValue::Null)])]),
        secret_naming: Some("camel".into()),
        ..Default::default()
    };
    let r = resolve(&spec);
    let errors: Vec<&str> =
        r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code.as_str()).collect();
    for code in [
        "unknown_secret_naming",
        "empty_config_key",
        "config_key_has_equals",
        "config_key_has_nul",
        "reserved_config_key",
        "null_config_value",
        "config_value_has_nul",
        "override_unknown_key",
        "override_null_value",
        "secret_not_defined",
        "null_secret_name",
        "secret_without_params",
        "empty_param_key",
        "null_param_value",
    ] {
        assert!(errors.contains(&code), "{code} missing from {errors:?}");
    }
    let report = error_report(&r.findings).unwrap();
    assert_eq!(report.lines().count(), errors.len() + 1);
    assert!(!report.contains('\0'));
    // Errors come first.
    let first_non_error = r.findings.iter().position(|f| f.severity != Severity::Error).unwrap_or(r.findings.len());
    assert_eq!(first_non_error, errors.len());
}

#[test]
fn last_secret_wins_a_clash() {
    let spec = FlightSpec {
        flight_secret_names: Some(vec![Some("a".into()), Some("b".into())]),
        secrets: Some(vec![keys("a", &["X_KEY"]), keys("b", &["X_KEY"]), keys("a_x", &["KEY"])]),
        ..Default::default()
    };
    // `a_x` is described but not attached: it sets nothing.
    let r = resolve(&spec);
    assert_eq!(names(&r), ["A_X_KEY", "B_X_KEY", "MOTHERDUCK_TOKEN"]);
    assert_eq!(var(&r, "A_X_KEY").origin.to_string(), "a.X_KEY");
    assert!(!codes(&r).contains(&"secret_var_clash"));
    // Different secrets only share a prefix when their names differ in case alone.
    let spec = FlightSpec {
        flight_secret_names: Some(vec![Some("s".into()), Some("S".into())]),
        secrets: Some(vec![keys("s", &["K"]), keys("S", &["K"])]),
        secret_naming: Some("lower".into()),
        ..Default::default()
    };
    let r = resolve(&spec);
    let k = var(&r, "s_K");
    assert_eq!(k.origin.to_string(), "S.K");
    assert!(k.note.as_deref().unwrap().contains("s.K, which loses"));
    assert!(codes(&r).contains(&"secret_var_clash"));
}

#[test]
fn ambiguous_prefixes_are_reported() {
    let spec = FlightSpec {
        flight_secret_names: Some(vec![Some("a".into()), Some("a_b".into())]),
        secrets: Some(vec![keys("a", &["B_C"]), keys("a_b", &["C"])]),
        ..Default::default()
    };
    let r = resolve(&spec);
    assert_eq!(var(&r, "A_B_C").origin.to_string(), "a_b.C");
    assert!(codes(&r).contains(&"ambiguous_secret_name"));
}

#[test]
fn secret_over_config_is_reported_and_names_stay_unique() {
    let spec = FlightSpec {
        config: config(&[("S_K", Some("plain"))]),
        secrets: Some(vec![keys("s", &["K"])]),
        ..Default::default()
    };
    let r = resolve(&spec);
    assert_eq!(names(&r), ["MOTHERDUCK_TOKEN", "S_K"]);
    assert_eq!(var(&r, "S_K").source, EnvSource::Secret);
    assert!(codes(&r).contains(&"secret_shadows_config"));
    assert!(codes(&r).contains(&"secret_names_from_secrets"));
}

#[test]
fn bare_aliases_where_safe() {
    let spec = FlightSpec {
        config: config(&[("ENDPOINT", Some("x"))]),
        flight_secret_names: Some(vec![Some("a".into()), Some("b".into()), Some("motherduck".into())]),
        secrets: Some(vec![
            keys("a", &["API_KEY", "ENDPOINT"]),
            keys("b", &["API_KEY"]),
            keys("motherduck", &["MOTHERDUCK_TOKEN"]),
        ]),
        bare_aliases: Some(true),
        ..Default::default()
    };
    let r = resolve(&spec);
    let alias = var(&r, "API_KEY");
    assert_eq!((alias.source, alias.origin.to_string().as_str()), (EnvSource::SecretAlias, "b.API_KEY"));
    assert!(alias.note.as_deref().unwrap().contains("a.API_KEY"));
    assert_eq!(var(&r, "ENDPOINT").source, EnvSource::Config);
    assert_eq!(r.findings.iter().filter(|f| f.code.as_str() == "bare_alias_skipped").count(), 2);
    assert_eq!(var(&r, "MOTHERDUCK_TOKEN").source, EnvSource::Token);
}

#[test]
fn unknown_params_give_a_placeholder() {
    let spec = FlightSpec { flight_secret_names: Some(vec![Some("my_api_secret".into())]), ..Default::default() };
    let r = resolve(&spec);
    let placeholder = var(&r, "MY_API_SECRET_*");
    assert_eq!((placeholder.value.as_deref(), placeholder.origin.to_string().as_str()), (None, "my_api_secret.*"));
    assert!(placeholder.note.as_deref().unwrap().contains("secrets :="));
    assert!(codes(&r).contains(&"secret_params_unknown"));
}

#[test]
fn warnings_and_info() {
    let spec = FlightSpec {
        config: config(&[
            ("OPENAI_API_KEY", Some("x")),
            ("URL", Some("sk-abcdefghijklmnopqrstuvwxyz")),
            ("my-key", Some("v")),
            ("EMPTY", Some("")),
        ]),
        flight_secret_names: Some(vec![Some("s".into()), Some("s".into())]),
        secrets: Some(vec![secret("s", &[("lower", ParamValue::Given(String::new()))])]),
        ..Default::default()
    };
    let r = resolve(&spec);
    let c = codes(&r);
    for code in [
        "credential_in_config",
        "shell_unfriendly_key",
        "empty_config_value",
        "secret_attached_twice",
        "empty_param_value",
        "lower_case_param_key",
        "default_token",
    ] {
        assert!(c.contains(&code), "{code} missing from {c:?}");
    }
    assert_eq!(c.iter().filter(|c| **c == "credential_in_config").count(), 2);
    let credential = r.findings.iter().find(|f| f.subject == "URL").unwrap();
    assert!(!credential.message.contains("sk-abc"), "{}", credential.message);
}

#[test]
fn secret_values_never_appear() {
    let spec = FlightSpec {
        config: config(&[("REGION", Some("us"))]),
        flight_secret_names: Some(vec![Some("s".into()), Some("t".into())]),
        secrets: Some(vec![
            secret(
                "s",
                &[
                    ("API_KEY", ParamValue::Given("SUPERSECRET-123".into())),
                    ("EMPTY", ParamValue::Given(String::new())),
                ],
            ),
            secret("t", &[("API_KEY", ParamValue::Given("OTHERSECRET-456".into())), ("N", ParamValue::Null)]),
        ]),
        bare_aliases: Some(true),
        access_token_name: Some("svc".into()),
        ..Default::default()
    };
    let r = resolve(&spec);
    let all = format!("{r:?}");
    assert!(!all.contains("SUPERSECRET") && !all.contains("OTHERSECRET"), "{all}");
}

#[test]
fn large_configs_resolve_linearly() {
    let config: crate::flight::ConfigMap = (0..100_000).map(|i| (format!("KEY_{i}"), Some(format!("v{i}")))).collect();
    let secrets: Vec<SecretDef> =
        (0..100).map(|s| keys(&format!("secret_{s}"), &["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"])).collect();
    let r = resolve(&FlightSpec { config: Some(config), secrets: Some(secrets), ..Default::default() });
    assert_eq!(r.vars.len(), 100_000 + 1000 + 1);
    assert!(r.vars.windows(2).all(|w| w[0].name < w[1].name));
}

fn attach(list: &[&str]) -> Option<Vec<Option<String>>> {
    Some(list.iter().map(|n| Some(n.to_string())).collect())
}

#[test]
fn clash_order_decides_the_winner() {
    for (order, winner, loser) in [(["s", "S"], "S.K", "s.K"), (["S", "s"], "s.K", "S.K")] {
        let r = resolve(&FlightSpec {
            flight_secret_names: attach(&order),
            secrets: Some(vec![keys("s", &["K"]), keys("S", &["K"])]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        let k = var(&r, "S_K");
        assert_eq!(k.origin.to_string(), winner);
        assert_eq!(
            k.note.as_deref(),
            Some(format!("also set by {loser}, which loses: the last secret in flight_secret_names wins").as_str())
        );
        assert_eq!(codes(&r), ["secret_var_clash"]);
    }
}

#[test]
fn attached_names_match_ignoring_case_and_keep_their_spelling() {
    let r = resolve(&FlightSpec {
        flight_secret_names: attach(&["MY_SECRET"]),
        secrets: Some(vec![keys("my_secret", &["K"])]),
        secret_naming: Some("lower".into()),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    assert_eq!(var(&r, "my_secret_K").origin.to_string(), "MY_SECRET.K");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    // An exact match wins over a case-insensitive one, whatever the order.
    let r = resolve(&FlightSpec {
        flight_secret_names: attach(&["S"]),
        secrets: Some(vec![keys("s", &["LOWER"]), keys("S", &["UPPER"])]),
        ..Default::default()
    });
    assert_eq!(var(&r, "S_UPPER").origin.to_string(), "S.UPPER");
    assert!(!names(&r).contains(&"S_LOWER"));
}

#[test]
fn an_override_never_touches_the_token_row() {
    let r = resolve(&FlightSpec {
        config: config(&[("MOTHERDUCK_TOKEN", Some("x")), ("", Some("e"))]),
        override_config: config(&[("MOTHERDUCK_TOKEN", Some("y")), ("", Some("f"))]),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    assert_eq!(names(&r), ["MOTHERDUCK_TOKEN"]);
    let token = var(&r, "MOTHERDUCK_TOKEN");
    assert_eq!((token.value.as_deref(), token.source, token.note.as_deref()), (Some(REDACTED), EnvSource::Token, None));
    // Config order; the reserved key is also named like a credential.
    assert_eq!(codes(&r), ["reserved_config_key", "empty_config_key", "credential_in_config"]);
}

#[test]
fn override_notes_and_values() {
    let r = resolve(&FlightSpec {
        config: config(&[("A", Some("1")), ("B", Some("2")), ("C", None), ("D", Some("4"))]),
        override_config: config(&[("A", Some("10")), ("B", Some("2")), ("C", Some("3"))]),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    let row = |n| {
        let v = var(&r, n);
        (v.value.as_deref(), v.source, v.note.as_deref())
    };
    assert_eq!(row("A"), (Some("10"), EnvSource::Override, Some("per-run override of the stored value '1'")));
    assert_eq!(row("B"), (Some("2"), EnvSource::Override, Some("per-run override, same as the stored value")));
    assert_eq!(row("C"), (Some("3"), EnvSource::Override, Some("per-run override of a NULL stored value")));
    assert_eq!(row("D"), (Some("4"), EnvSource::Config, None));
    // The stored NULL is still an error: the Flight as stored is invalid.
    assert_eq!(codes(&r), ["null_config_value"]);
    // A repeated override key (not possible in a DuckDB MAP): the last value wins,
    // and the note still names the stored value.
    let r = resolve(&FlightSpec {
        config: config(&[("A", Some("1"))]),
        override_config: config(&[("A", Some("10")), ("A", Some("11"))]),
        ..Default::default()
    });
    let a = var(&r, "A");
    assert_eq!((a.value.as_deref(), a.note.as_deref()), (Some("11"), Some("per-run override of the stored value '1'")));
    // Without a stored config every override key is unknown, and makes no row.
    let r = resolve(&FlightSpec { override_config: config(&[("REGION", Some("eu"))]), ..Default::default() });
    assert_eq!(names(&r), ["MOTHERDUCK_TOKEN"]);
    assert_eq!(codes(&r), ["override_unknown_key", "default_token"]);
    assert_eq!(r.findings[0].subject, "REGION");
}

#[test]
fn override_values_are_checked_like_config_values() {
    let r = resolve(&FlightSpec {
        config: config(&[("A", Some("x")), ("B", Some("ghp_0123456789abcdefghijklmnopqrstuvwxyz")), ("C", Some("y"))]),
        override_config: config(&[
            ("A", Some("a\0b")),
            ("B", Some("ghp_0123456789abcdefghijklmnopqrstuvwxyz")),
            ("C", Some("sk-abcdefghijklmnopqrstuvwxyz0123")),
        ]),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    let found: Vec<(&str, &str)> = r.findings.iter().map(|f| (f.code.as_str(), f.subject.as_str())).collect();
    // B's stored value was already reported; the same override value is not reported again.
    assert_eq!(found, [("config_value_has_nul", "A"), ("credential_in_config", "B"), ("credential_in_config", "C")]);
    assert!(r.findings.iter().all(|f| !f.message.contains("sk-abc") && !f.message.contains("ghp_0")));
    assert!(r.findings[2].message.contains("per-run override"));
}

#[test]
fn secret_over_overridden_config() {
    let r = resolve(&FlightSpec {
        config: config(&[("S_K", Some("a"))]),
        override_config: config(&[("S_K", Some("b"))]),
        secrets: Some(vec![keys("s", &["K"])]),
        ..Default::default()
    });
    let row = var(&r, "S_K");
    assert_eq!(row.source, EnvSource::Secret);
    assert_eq!(
        row.note.as_deref(),
        Some("a config key of the same name (with a per-run override) also exists: which one the run sees is undocumented")
    );
}

#[test]
fn duplicate_param_keys_make_one_row() {
    let r = resolve(&FlightSpec {
        secrets: Some(vec![keys("a", &["K", "K"]), keys("b", &["K"])]),
        bare_aliases: Some(true),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    assert_eq!(names(&r), ["A_K", "B_K", "K", "MOTHERDUCK_TOKEN"]);
    assert_eq!(var(&r, "A_K").note, None);
    assert_eq!(
        var(&r, "K").note.as_deref(),
        Some("bare alias; also a param of a.K, which loses: among secrets the last wins")
    );
    assert_eq!(codes(&r), ["duplicate_param_key", "secret_names_from_secrets"]);
    assert_eq!(r.findings[0].subject, "a.K");
}

#[test]
fn aliases_skip_prefixed_names_and_placeholders_have_none() {
    let r = resolve(&FlightSpec {
        flight_secret_names: attach(&["a", "x"]),
        secrets: Some(vec![keys("a", &["K"]), keys("x", &["A_K"])]),
        bare_aliases: Some(true),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    // x.A_K's bare name A_K is the prefixed name of a.K: the prefixed row stays.
    assert_eq!(names(&r), ["A_K", "K", "MOTHERDUCK_TOKEN", "X_A_K"]);
    assert_eq!((var(&r, "A_K").source, var(&r, "A_K").origin.to_string().as_str()), (EnvSource::Secret, "a.K"));
    assert_eq!(var(&r, "K").source, EnvSource::SecretAlias);
    let skipped: Vec<&Finding> = r.findings.iter().filter(|f| f.code.as_str() == "bare_alias_skipped").collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].severity, Severity::Info);
    assert!(skipped[0].message.contains("already exists"), "{}", skipped[0].message);
    assert!(skipped[0].message.contains("read 'X_A_K' instead"), "{}", skipped[0].message);
    // Params unknown: no aliases can be listed.
    let r =
        resolve(&FlightSpec { flight_secret_names: attach(&["a"]), bare_aliases: Some(true), ..Default::default() });
    assert_eq!(names(&r), ["A_*", "MOTHERDUCK_TOKEN"]);
}

#[test]
fn odd_names_stay_on_one_line_and_read_as_sql() {
    let r = resolve(&FlightSpec {
        flight_secret_names: attach(&["My Secret\n", "it's"]),
        secrets: Some(vec![keys("other", &["K\nX"])]),
        bare_aliases: Some(true),
        ..Default::default()
    });
    let not_defined: Vec<&str> =
        r.findings.iter().filter(|f| f.code.as_str() == "secret_not_defined").map(|f| f.message.as_str()).collect();
    assert!(not_defined[0].contains(r#"CREATE SECRET "My Secret\n" IN MOTHERDUCK"#), "{}", not_defined[0]);
    assert!(not_defined[1].contains(r#"CREATE SECRET "it's" IN MOTHERDUCK"#), "{}", not_defined[1]);
    let r = resolve(&FlightSpec { flight_secret_names: attach(&["it's\n"]), ..Default::default() });
    let placeholder = var(&r, "IT'S\n_*");
    assert_eq!(
        placeholder.note.as_deref(),
        Some(r"params unknown: pass secrets := MAP {'it''s\n': ['PARAM', ...]} to list them")
    );
    let unknown = r.findings.iter().find(|f| f.code.as_str() == "secret_params_unknown").unwrap();
    assert!(unknown.message.contains(r"('IT\'S\n_*')"), "{}", unknown.message);
    // Notes escape too.
    let r = resolve(&FlightSpec {
        flight_secret_names: attach(&["s\t", "S\t"]),
        secrets: Some(vec![keys("s\t", &["K\n"]), keys("S\t", &["K\n"])]),
        bare_aliases: Some(true),
        ..Default::default()
    });
    for v in &r.vars {
        assert!(!v.note.as_deref().unwrap_or("").chars().any(char::is_control), "{v:?}");
    }
    for f in &r.findings {
        assert!(!f.message.chars().any(char::is_control), "{f:?}");
    }
}

/// Every finding code the resolution owns is produced by some spec (the two
/// advice codes are raised by the advice rules, the source codes by
/// `flight_findings` from a row's source, the update codes by `flight::update`,
/// the schedule codes by `flight::schedule::schedule_findings`).
#[test]
fn every_code_is_produced() {
    let advice = [
        FindingCode::ScheduledDefaultToken,
        FindingCode::CloudStorageCredentials,
        FindingCode::UpdateBreaksRead,
        FindingCode::UpdateDropsConfigKey,
        FindingCode::UpdateDetachesSecret,
        // The requirement codes, raised by `flight::requirements::rules`.
        FindingCode::RequirementInvalid,
        FindingCode::ImportNotInRequirements,
        FindingCode::DuckdbUnsupported,
        FindingCode::RequirementOption,
        FindingCode::RequirementUnpinned,
        FindingCode::DuckdbUnpinned,
        FindingCode::InlineScriptMetadata,
        FindingCode::ImportUnverified,
        FindingCode::ScheduleInvalid,
        FindingCode::ScheduleNonstandard,
        FindingCode::ScheduleOverlap,
    ];
    let documented: Vec<FindingCode> = FindingCode::ALL
        .iter()
        .copied()
        .filter(|c| {
            !advice.contains(c)
                && !crate::flight::row::is_source_code(*c)
                && !crate::flight::runtime::RUNTIME_CODES.contains(c)
                && !crate::flight::run::RUN_CODES.contains(c)
        })
        .collect();
    assert_eq!(documented.len(), 29, "{documented:?}");
    let specs = [
        FlightSpec {
            config: config(&[
                ("", Some("x")),
                ("A=B", Some("1")),
                ("N\0UL", Some("1")),
                ("MOTHERDUCK_TOKEN", Some("1")),
                ("NULLV", None),
                ("V", Some("a\0b")),
                ("GITHUB_TOKEN", Some("x")),
                ("EMPTY", Some("")),
                ("S_K", Some("x")),
            ]),
            override_config: config(&[("REGON", Some("eu")), ("NULLV", None)]),
            flight_secret_names: attach(&["missing", "empty", "bad", "motherduck", "s", "s", "S", "x", "x_y"]).map(
                |mut names| {
                    names.push(None);
                    names
                },
            ),
            secrets: Some(vec![
                keys("empty", &[]),
                secret(
                    "bad",
                    &[("", ParamValue::KeyOnly), ("K", ParamValue::Null), ("E", ParamValue::Given(String::new()))],
                ),
                keys("motherduck", &["TOKEN"]),
                keys("s", &["K", "K", "EMPTY"]),
                keys("S", &["K", "lower"]),
                keys("x", &["Y_Z"]),
                keys("x_y", &["Z"]),
            ]),
            secret_naming: Some("camel".into()),
            bare_aliases: Some(true),
            ..Default::default()
        },
        FlightSpec { secrets: Some(vec![keys("a", &["K"])]), ..Default::default() },
        FlightSpec { flight_secret_names: attach(&["a"]), ..Default::default() },
    ];
    let produced: HashSet<FindingCode> = specs.iter().flat_map(|s| resolve(s).findings).map(|f| f.code).collect();
    for code in &documented {
        assert!(produced.contains(code), "{code} never produced; got {produced:?}");
    }
    for spec in &specs {
        for f in resolve(spec).findings {
            assert_eq!(f.severity, f.code.severity(), "{f:?}");
        }
    }
}

#[test]
fn error_report_lists_each_error_once() {
    assert_eq!(error_report(&[]), None);
    let info = Finding::new(FindingCode::DefaultToken, "MOTHERDUCK_TOKEN", "i");
    let warning = Finding::new(FindingCode::SecretVarClash, "X", "w");
    assert_eq!(error_report(&[info.clone(), warning.clone()]), None);
    let e1 = Finding::new(FindingCode::NullConfigValue, "A", "first");
    let e2 = Finding::new(FindingCode::NullConfigValue, "B", "second");
    let one = error_report(&[e1.clone(), info.clone()]).unwrap();
    assert!(one.contains("has 1 problem that") && one.ends_with("\n- first"), "{one}");
    let two = error_report(&[e1, warning, e2, info]).unwrap();
    assert!(two.contains("has 2 problems that"), "{two}");
    assert_eq!(two.lines().skip(1).collect::<Vec<_>>(), ["- first", "- second"]);
}

#[test]
fn naming_choices() {
    for (text, naming) in
        [(None, SecretNaming::Upper), (Some("upper"), SecretNaming::Upper), (Some("\tLower\n"), SecretNaming::Lower)]
    {
        assert_eq!(parse_naming(text), Ok(naming));
    }
    for bad in ["", "snake", "upper lower", "ＵＰＰＥＲ"] {
        let message = parse_naming(Some(bad)).unwrap_err().message;
        assert!(message.contains("'upper'") && message.contains("'lower'"), "{message}");
    }
    assert!(parse_naming(Some("bad\n")).unwrap_err().message.contains(r"'bad\n'"));
    assert_eq!(secret_env_name("straße", "K", SecretNaming::Upper), "STRASSE_K");
    assert_eq!(secret_env_name("", "", SecretNaming::Upper), "_");
    assert_eq!(secret_env_name("s", "*", SecretNaming::Lower), "s_*");
    // An unknown naming is an error, and the rest still resolves with the default.
    let r = resolve(&FlightSpec {
        secrets: Some(vec![keys("s", &["K"])]),
        secret_naming: Some("camel".into()),
        ..Default::default()
    });
    assert!(names(&r).contains(&"S_K"));
    assert_eq!(r.findings[0].code, FindingCode::UnknownSecretNaming);
}

#[test]
fn many_secrets_resolve_linearly() {
    let n = 50_000;
    let attached: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    let defs: Vec<SecretDef> = (0..n).map(|i| keys(&format!("s{i}"), &["K"])).collect();
    let r = resolve(&FlightSpec {
        flight_secret_names: Some(attached.into_iter().map(Some).collect()),
        secrets: Some(defs),
        bare_aliases: Some(true),
        access_token_name: Some("svc".into()),
        ..Default::default()
    });
    assert_eq!(r.vars.len(), n + 2);
    assert_eq!(var(&r, "K").origin.to_string(), format!("S{}.K", n - 1));
}

/// Small random specs over a tiny alphabet, so that names collide often:
/// no panic, names unique and sorted, findings ordered by severity, every
/// message one line, and no secret value anywhere.
#[test]
fn random_specs_keep_the_invariants() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    const PARTS: [&str; 10] = ["a", "A", "b", "_", "a_b", "K", "k", "MOTHERDUCK", "TOKEN", "\n"];
    let word = |next: &mut dyn FnMut(usize) -> usize| {
        (0..next(3)).map(|_| PARTS[next(PARTS.len())]).collect::<Vec<_>>().join(if next(2) == 0 { "_" } else { "" })
    };
    for round in 0..3000 {
        let mut n = |k| next(k);
        let config: ConfigMap = (0..n(5)).map(|_| (word(&mut n), (n(5) > 0).then(|| word(&mut n)))).collect();
        let ov: ConfigMap = (0..n(3)).map(|_| (word(&mut n), (n(5) > 0).then(|| word(&mut n)))).collect();
        let defs: Vec<SecretDef> = (0..n(4))
            .map(|_| SecretDef {
                name: word(&mut n),
                params: (0..n(4))
                    .map(|_| SecretParam {
                        key: word(&mut n),
                        value: match n(3) {
                            0 => ParamValue::KeyOnly,
                            1 => ParamValue::Null,
                            _ => ParamValue::Given(format!("VALUE-{round}-SECRET")),
                        },
                    })
                    .collect(),
            })
            .collect();
        let attached: Vec<Option<String>> = (0..n(4)).map(|_| (n(6) > 0).then(|| word(&mut n))).collect();
        let spec = FlightSpec {
            config: (n(4) > 0).then_some(config),
            override_config: (n(2) > 0).then_some(ov),
            flight_secret_names: (n(2) > 0).then_some(attached),
            secrets: (n(4) > 0).then_some(defs),
            access_token_name: (n(2) > 0).then(|| word(&mut n)),
            secret_naming: [None, Some("lower"), Some("upper"), Some("x")][n(4)].map(str::to_owned),
            bare_aliases: Some(n(2) > 0),
            schedule_cron: None,
            ..Default::default()
        };
        let r = resolve(&spec);
        assert!(r.vars.windows(2).all(|w| w[0].name < w[1].name), "{spec:?}");
        assert!(r.findings.windows(2).all(|w| w[0].severity <= w[1].severity), "{spec:?}");
        assert_eq!(r.vars.iter().filter(|v| v.name == "MOTHERDUCK_TOKEN").count(), 1);
        assert_eq!(var(&r, "MOTHERDUCK_TOKEN").source, EnvSource::Token);
        assert!(!format!("{r:?}").contains("SECRET-"), "{spec:?}");
        for f in &r.findings {
            assert!(!f.message.contains('\n'), "{f:?}");
        }
        for v in &r.vars {
            assert!(!v.note.as_deref().unwrap_or("").contains('\n'), "{v:?}");
            assert_eq!(v.sensitive, !matches!(v.source, EnvSource::Config | EnvSource::Override), "{v:?}");
        }
        if let Some(report) = error_report(&r.findings) {
            let errors = r.findings.iter().filter(|f| f.severity == Severity::Error).count();
            assert_eq!(report.lines().count(), errors + 1);
        }
    }
}
