//! Findings: what is wrong or worth knowing about a described Flight.
//!
//! Every finding code is a [`FindingCode`] variant carrying its severity and
//! its one-line meaning; docs/findings.md's table of finding codes is checked against
//! [`FindingCode::ALL`] by a unit test, and `flight_check` shows [`FindingCode::as_str`].

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// MotherDuck would reject it, or the run would fail.
    Error,
    /// Probably a mistake; the run may still work.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Declares [`FindingCode`] from one table: variant, stable code, severity, meaning.
macro_rules! finding_codes {
    ($($variant:ident = ($code:literal, $severity:ident, $meaning:literal),)*) => {
        /// A stable finding code (snake_case in SQL output and docs/findings.md).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FindingCode {
            $(#[doc = $meaning] $variant,)*
        }

        impl FindingCode {
            /// Every code, in the order of docs/findings.md (errors, warnings, info).
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            /// The code as `flight_check` shows it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $code,)*
                }
            }

            /// Every finding of this code has this severity.
            pub fn severity(self) -> Severity {
                match self {
                    $(FindingCode::$variant => Severity::$severity,)*
                }
            }

            /// One line on what the code means (docs/findings.md's table).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $meaning,)*
                }
            }
        }
    };
}

finding_codes! {
    OverrideUnknownKey = ("override_unknown_key", Error, "a per-run override sets a key the stored config lacks (a per-run override can't add a key)"),
    OverrideNullValue = ("override_null_value", Error, "a per-run override gives a key NULL"),
    SecretNotDefined = ("secret_not_defined", Error, "an attached secret is not in `secrets`: dropped or never created; the Flight fails until it is recreated or detached"),
    NullSecretName = ("null_secret_name", Error, "`flight_secret_names` holds a NULL"),
    EmptyConfigKey = ("empty_config_key", Error, "a config key is the empty string"),
    ConfigKeyHasEquals = ("config_key_has_equals", Error, "a config key holds `=`"),
    ConfigKeyHasNul = ("config_key_has_nul", Error, "a config key holds a NUL byte"),
    ConfigValueHasNul = ("config_value_has_nul", Error, "a config value (stored or per-run override) holds a NUL byte"),
    ReservedConfigKey = ("reserved_config_key", Error, "a config key is `MOTHERDUCK_TOKEN`, `MOTHERDUCK_FLIGHTS_RUN`, `MOTHERDUCK_FLIGHT_ID` or `MOTHERDUCK_FLIGHT_RUN_ID`"),
    NullConfigValue = ("null_config_value", Error, "a config value is NULL"),
    SecretWithoutParams = ("secret_without_params", Error, "an attached secret has an empty PARAMS map"),
    EmptyParamKey = ("empty_param_key", Error, "a secret param key is empty (or NULL)"),
    NullParamValue = ("null_param_value", Error, "a secret param value is NULL"),
    SecretVarReserved = ("secret_var_reserved", Error, "a secret param becomes one of the reserved names above"),
    UnknownSecretNaming = ("unknown_secret_naming", Error, "`secret_naming` is neither `upper` nor `lower`"),
    SourceMissing = ("missing", Error, "`flight_findings` with `source_code`: the source requires a variable the run lacks (KeyError)"),
    SourceBareSecretParam = ("bare_secret_param", Error, "`flight_findings` with `source_code`: the source reads a secret param by its bare name, which the run has only prefixed (KeyError)"),
    SourceSyntaxError = ("syntax_error", Error, "`flight_findings` with `source_code`: the source does not parse there, so the run does not start"),
    MaxRuntimeInvalid = ("max_runtime_invalid", Error, "`max_runtime_sec` is not an integer in 0..4294967295 (seconds, MotherDuck's UINTEGER): MotherDuck refuses it"),
    InstanceTypeUnknown = ("instance_type_unknown", Error, "`instance_type` is not one of MotherDuck's Flight sizes (F4, F16, F32; [Flight sizes](https://motherduck.com/docs/about-motherduck/billing/flight-sizes/))"),
    AccessTokenUnknown = ("access_token_unknown", Error, "with `access_tokens` (the labels that exist): `access_token_name` is not among them, so the run gets no `MOTHERDUCK_TOKEN` (the agent guide's troubleshooting: \"MOTHERDUCK_TOKEN missing: wrong access_token_name label\")"),
    EntryPointMissing = ("entry_point_missing", Error, "`flight_findings` with `source_code`: the source defines functions but no module-level statement runs any of them (no `main()`, no `if __name__ == \"__main__\": main()`) and does no work of its own: the run exits 0 having done nothing"),
    UpdateBreaksRead = ("update_breaks_read", Error, "`flight_update_findings`: the updated source requires a variable the current run has and the updated run lacks (a config key dropped by the replace, a secret detached, a param gone): the run would raise KeyError"),
    RequirementInvalid = ("requirement_invalid", Error, "a line of `requirements_txt` that pip cannot read (pip's requirements file format, PEP 508): the install fails and `main()` never starts"),
    ImportNotInRequirements = ("import_not_in_requirements", Error, "the source imports a module (not optional) that is neither in Python's standard library (3.10-3.13) nor provided by a requirement, by name, by the shipped table of import names or by a namespace path: the run fails with ModuleNotFoundError"),
    DuckdbUnsupported = ("duckdb_unsupported", Error, "`requirements_txt` pins a duckdb outside the DuckDB client versions MotherDuck accepts (today >=1.4.0,<=1.5.6, MotherDuck's version lifecycle page; another window may be given): the run fails at `duckdb.connect(\"md:\")`"),
    RunModuleNotFound = ("run_module_not_found", Error, "`flight_run_findings`: the failed run's log ends with `ModuleNotFoundError` (or `ImportError: No module named ...`); subject: the module; the message names the requirement to add (the table of import names) or what is wrong with the one listed"),
    RunKeyError = ("run_key_error", Error, "`flight_run_findings`: the failed run raised `KeyError` reading an environment variable (the traceback's frame is `os.environ`, or the source reads that name); subject: the variable; the message says why the run lacked it (a bare secret param, a config key the run's config lacks, an unattached secret, or nothing provides it)"),
    RunKilled = ("run_killed", Error, "`flight_run_findings`: the run failed without a Python traceback and with exit code 137, -9 or none: most likely killed for exceeding the memory of its Flight size"),
    RunExitNonzero = ("run_exit_nonzero", Error, "`flight_run_findings`: the run failed without a Python traceback with another exit code (`sys.exit(n)`, a failed subprocess)"),
    RunException = ("run_exception", Error, "`flight_run_findings`: the failed run ended with another uncaught exception; subject: its type; the message gives the line of the Flight's source it was raised at and that line (never the exception's message, which may hold secrets)"),
    ScheduleInvalid = ("schedule_invalid", Error, "`schedule_cron` is not MotherDuck's 5-field UTC cron (not 5 fields, a value out of range, a bare `/N` step, an empty list item, a range that starts after it ends, step 0), or names a date that never comes (`0 0 30 2 *`)"),
    SecretVarClash = ("secret_var_clash", Warning, "two attached secrets set the same variable; the last in `flight_secret_names` wins"),
    AmbiguousSecretName = ("ambiguous_secret_name", Warning, "two different secret/param pairs spell the same variable (`a` + `B_C`, `a_b` + `C`)"),
    SecretShadowsConfig = ("secret_shadows_config", Warning, "a secret variable has the name of a config key; which one the run sees is undocumented"),
    CredentialInConfig = ("credential_in_config", Warning, "a config entry is named like a credential (TOKEN, SECRET, PASSWORD, API_KEY, PRIVATE_KEY, CREDENTIAL, ...) or its value (stored or per-run override) is shaped like one (`sk-...`, `AKIA...`, `ghp_...`, `xox?-...`, JWTs, PEM keys); it belongs in a Flight secret. The value is never shown."),
    ShellUnfriendlyKey = ("shell_unfriendly_key", Warning, "a config key is not a valid shell variable name"),
    SecretAttachedTwice = ("secret_attached_twice", Warning, "`flight_secret_names` lists a secret twice"),
    EmptyParamValue = ("empty_param_value", Warning, "a secret param value is the empty string"),
    DuplicateParamKey = ("duplicate_param_key", Warning, "`secrets` lists the same param of one secret twice"),
    ScheduledDefaultToken = ("scheduled_default_token", Warning, "the Flight has a `schedule_cron` and runs on the default `MotherDuck Flights` token: every scheduled run acts as its owner; scheduled Flights should run as a service account's token"),
    UpdateDropsConfigKey = ("update_drops_config_key", Warning, "`flight_update_findings`: a stored config key is not in the update's `config`, which replaces the whole map (replace, not merge)"),
    UpdateDetachesSecret = ("update_detaches_secret", Warning, "`flight_update_findings`: an attached secret is not in the update's `flight_secret_names`, which replaces the whole list; its variables go with it"),
    SourceCredential = ("credential_in_source", Warning, "`flight_findings` with `source_code`: a string literal is shaped like a credential (the literal is never shown); it belongs in a Flight secret"),
    RequirementOption = ("requirement_option", Warning, "a line of `requirements_txt` uses a pip option (`-r`, `-c`, `-e`, `--index-url`, `--hash`, ...), a bare URL or a local path: pip reads it, but whether Flights honour it is undocumented"),
    RequirementUnpinned = ("requirement_unpinned", Warning, "a requirement is not pinned exactly (one `==` without `.*`, or `===`); MotherDuck's production checklist: pin every dependency"),
    DuckdbUnpinned = ("duckdb_unpinned", Warning, "the source imports duckdb and no requirement pins it exactly: pip would install the newest duckdb, which may be newer than MotherDuck accepts (whether the runtime has one preinstalled is undocumented)"),
    InlineScriptMetadata = ("inline_script_metadata", Warning, "the source carries a PEP 723 `# /// script` block: Flights ignore it, so its dependencies must go to `requirements_txt`"),
    RunSucceededWithoutWork = ("run_succeeded_without_work", Warning, "`flight_run_findings`: the run succeeded, but the Flight's source never calls its entry point (`if __name__ == \"__main__\": main()`), so it did nothing"),
    ScheduleNonstandard = ("schedule_nonstandard", Warning, "`schedule_cron` uses another cron dialect's syntax that MotherDuck does not document: an `@daily`-style macro, month or day names (`JAN`, `MON`), `L`, `W`, `#` or `?`; the message gives the plain 5-field equivalent when there is one"),
    ScheduleOverlap = ("schedule_overlap", Warning, "two consecutive runs of `schedule_cron` are closer than `max_runtime_sec` (> 0): a run may still be going when the next starts, and MotherDuck runs them concurrently"),
    FailureSwallowed = ("failure_swallowed", Warning, "`flight_findings` with `source_code`: in the entry function or at module level, an `except` catches `Exception`, `BaseException` or everything, and neither it nor the rest of that function raises or exits non-zero: a failed run reports SUCCEEDED"),
    DefaultToken = ("default_token", Info, "no `access_token_name`: the run uses the default token; scheduled Flights should run as a service account"),
    EmptyConfigValue = ("empty_config_value", Info, "a config value is empty (a Flight created before per-run overrides may report empty values until updated once)"),
    LowerCaseParamKey = ("lower_case_param_key", Info, "a secret param key has lower-case letters (upper case is the convention)"),
    SecretNamesFromSecrets = ("secret_names_from_secrets", Info, "no `flight_secret_names`: every secret in `secrets` is treated as attached"),
    SecretParamsUnknown = ("secret_params_unknown", Info, "an attached secret's params are unknown: pass `secrets :=`"),
    BareAliasSkipped = ("bare_alias_skipped", Info, "with `bare_aliases`, a param's bare name is not emitted, and why"),
    SourceUnverified = ("unverified", Info, "`flight_findings` with `source_code`: a read may come from an attached secret whose params are unknown"),
    SourceDynamic = ("dynamic", Info, "`flight_findings` with `source_code`: a read's name is computed at run time, so it cannot be checked"),
    NoRuntimeLimit = ("no_runtime_limit", Info, "`max_runtime_sec` is 0: runs have no time limit ([MD_GET_FLIGHT_VERSION](https://motherduck.com/docs/sql-reference/motherduck-sql-reference/flights/md-get-flight-version/): 0 = no timeout)"),
    CloudStorageCredentials = ("cloud_storage_credentials", Info, "a config key or an attached Flight secret's param carries cloud storage credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `GOOGLE_APPLICATION_CREDENTIALS`, `AZURE_STORAGE_CONNECTION_STRING`, `AZURE_STORAGE_ACCOUNT_KEY`, ...): the run's DuckDB connection already resolves a regular MotherDuck storage secret (`CREATE SECRET ... IN MOTHERDUCK (TYPE S3, ...)`), so no Flight secret or config entry is needed. The value is never shown."),
    RunStaleVersion = ("run_stale_version", Info, "`motherduck_flight_diagnosis`: the Flight's current version no longer has the cause of the run's failure (the module is now required, the variable now provided or no longer read): running it again picks that up"),
    ImportUnverified = ("import_unverified", Info, "the source imports a module no requirement is known to provide, but one plausibly does (its name extends the module's, or the table of import names knows neither): never an error"),
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing worth telling the user about a described Flight.
///
/// `message` says what is wrong and how to fix it. Neither `subject` nor
/// `message` may ever contain a secret value or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub code: FindingCode,
    pub subject: String,
    pub message: String,
}

impl Finding {
    /// A finding of `code`, with the code's severity.
    pub fn new(code: FindingCode, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { severity: code.severity(), code, subject: subject.into(), message: message.into() }
    }
}

/// docs/findings.md's table of finding codes, as [`FindingCode::ALL`] writes it.
pub fn finding_code_table() -> String {
    let mut table = String::from("| severity | code | meaning |\n|---|---|---|\n");
    for code in FindingCode::ALL {
        table.push_str(&format!("| {} | `{}` | {} |\n", code.severity().as_str(), code.as_str(), code.meaning()));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/findings.md's table is the enum's, row for row (regenerate it with `finding_code_table`).
    #[test]
    fn readme_table_is_the_enum() {
        let readme = include_str!("../../../docs/findings.md");
        let table = finding_code_table();
        assert!(
            readme.contains(&table),
            "docs/findings.md's finding-code table differs from FindingCode; write:\n{table}"
        );
    }

    #[test]
    fn codes_are_unique_and_ordered_by_severity() {
        let mut seen = std::collections::HashSet::new();
        assert!(FindingCode::ALL.iter().all(|c| seen.insert(c.as_str())));
        assert!(FindingCode::ALL.windows(2).all(|w| w[0].severity() <= w[1].severity()));
        assert!(FindingCode::ALL.iter().all(|c| !c.meaning().contains('\n')));
    }
}
