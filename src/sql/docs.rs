//! The one place each SQL function is documented: its signature, what it
//! returns, a one-line description, its parameters and one example.
//!
//! `flights_helper_functions()` returns these rows inside DuckDB; `make docs`
//! writes them to `docs/function_descriptions.csv` (the columns DuckDB's
//! community extensions use) and to the README's function reference table,
//! and `make test` fails when either is stale or when a registered function
//! has no row here (test/sql/flights_helper_functions.test).
//!
//! Adding a function: add its row to [`FUNCTIONS`] (in README order), then
//! run `make docs`.

use crate::flight::{fields_where, Appears};

/// Scalar or table function, as `fun_type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunType {
    Scalar,
    Table,
}

impl FunType {
    pub fn as_str(self) -> &'static str {
        match self {
            FunType::Scalar => "scalar",
            FunType::Table => "table",
        }
    }
}

/// The documentation of one SQL function.
#[derive(Debug, Clone, Copy)]
pub struct FunctionDoc {
    /// The SQL name, as registered.
    pub name: &'static str,
    pub fun_type: FunType,
    /// How it is called, e.g. `flight_secret_env_name(secret_name, param [, naming])`.
    pub signature: &'static str,
    /// The result type (scalars) or the result columns (table functions).
    pub returns: &'static str,
    /// One sentence: what it does.
    pub description: &'static str,
    /// The parameters and what to know when calling it.
    pub comment: &'static str,
    /// One SQL example; `make test` runs it unless `needs_motherduck`.
    pub example: &'static str,
    /// Whether it calls MotherDuck (needs a token and the network).
    pub needs_motherduck: bool,
}

const PREVIEW_PARAMETERS: &str = "Named parameters, all optional: {flight parameters}, \
flight VARCHAR and version INTEGER (fetch a stored Flight from MotherDuck). A scheduled Flight on the default token \
is a warning.";

/// Which fields a placeholder lists.
type Selects = fn(&Appears) -> bool;

/// Placeholders a comment may hold, each expanded from the table of Flight
/// fields ([`FIELDS`]) by [`FunctionDoc::comment_text`], so the docs name
/// every field where it appears.
const PLACEHOLDERS: [(&str, Selects); 3] =
    [("{flight parameters}", |a| a.params), ("{row fields}", |a| a.row), ("{update fields}", |a| a.update)];

impl FunctionDoc {
    /// The comment with its placeholders expanded: `{flight parameters}` (each
    /// named parameter with its type and meaning), `{row fields}` and
    /// `{update fields}` (the field names, with their other spelling).
    pub fn comment_text(&self) -> String {
        let mut text = self.comment.to_owned();
        for (placeholder, appears) in PLACEHOLDERS {
            if !text.contains(placeholder) {
                continue;
            }
            let list: Vec<String> = fields_where(appears)
                .map(|def| {
                    let name = def.names().replace(" (or ", " or ").replace(')', "");
                    if placeholder == "{flight parameters}" {
                        format!("{} {} ({})", def.sql, def.kind.sql_type(), def.about)
                    } else {
                        name
                    }
                })
                .collect();
            text = text.replace(placeholder, &list.join(", "));
        }
        text
    }
}

/// Every SQL function of the release build, in the README's order.
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        name: "flights_helper_version",
        fun_type: FunType::Scalar,
        signature: "flights_helper_version()",
        returns: "VARCHAR",
        description: "The extension version.",
        comment: "No parameters.",
        example: "SELECT flights_helper_version();",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flights_helper_functions",
        fun_type: FunType::Table,
        signature: "flights_helper_functions()",
        returns: "function, fun_type, signature, returns, description, comment, example, needs_motherduck",
        description: "Every SQL function of this extension, with its signature, parameters and an example.",
        comment: "No parameters. The same rows as docs/function_descriptions.csv and the README's function reference.",
        example: "SELECT function, signature, description FROM flights_helper_functions();",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_env_preview",
        fun_type: FunType::Table,
        signature: "flight_env_preview(config :=, override :=, flight_secret_names :=, secrets :=, access_token_name :=, secret_naming :=, bare_aliases :=)",
        returns: "name, value, source, origin, sensitive, note",
        description: "Every environment variable a run gets, where it comes from; raises one error listing everything that would fail the run.",
        comment: PREVIEW_PARAMETERS,
        example: "FROM flight_env_preview(config := MAP {'REGION': 'us'}, override := MAP {'REGION': 'eu'}, flight_secret_names := ['my_api_secret'], secrets := MAP {'my_api_secret': ['API_KEY']});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_check",
        fun_type: FunType::Table,
        signature: "flight_check(<same parameters>)",
        returns: "severity, code, subject, message",
        description: "Every finding about the described Flight: errors, warnings, info. Never raises for them.",
        comment: "The parameters of flight_env_preview; source_code (the Flight's Python source) adds its findings as flight_findings does: entry point, swallowed failures, imports against requirements_txt, PEP 723 blocks, environment reads.",
        example: "SELECT severity, code, subject FROM flight_check(config := MAP {'GITHUB_TOKEN': 'ghp_x'}, flight_secret_names := ['gone']);",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_secret_env_name",
        fun_type: FunType::Scalar,
        signature: "flight_secret_env_name(secret_name, param [, naming])",
        returns: "VARCHAR",
        description: "The variable one secret param becomes (`MY_API_SECRET_API_KEY`).",
        comment: "secret_name VARCHAR, param VARCHAR, naming VARCHAR 'upper' (default) or 'lower'. NULL in, NULL out.",
        example: "SELECT flight_secret_env_name('my_api_secret', 'API_KEY');",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_source_check",
        fun_type: FunType::Table,
        signature: "flight_source_check(source_code, <parameters of flight_env_preview>)",
        returns: "name, line, access, provided_by, status, message",
        description: "Every environment read of a Flight's Python source held against the environment its run gets.",
        comment: "source_code VARCHAR (the Flight's Python source; NULL with flight := reads the fetched source), then the named parameters of flight_env_preview but source_code (the source is the first argument).",
        example: "FROM flight_source_check('import os; key = os.environ[''API_KEY'']', config := MAP {'REGION': 'us'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_source_env_reads",
        fun_type: FunType::Scalar,
        signature: "flight_source_env_reads(source_code)",
        returns: "STRUCT(name, line, access)[]",
        description: "The environment reads of a source alone, for many Flights at once.",
        comment: "source_code VARCHAR. A name of NULL is computed at run time. NULL in, NULL out.",
        example: "SELECT flight_source_env_reads('import os; region = os.getenv(''REGION'', ''us'')');",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_requirements",
        fun_type: FunType::Table,
        signature: "flight_requirements(requirements_txt [, source_code := ...] [, duckdb_window := ...])",
        returns: "line, name, extras, specifier, url, marker, pinned_version, problem, message, imported_as",
        description: "A Flight's requirements_txt as pip reads it: one row per requirement, with its most severe problem.",
        comment: "requirements_txt VARCHAR (NULL or empty: no rows); comments, blank lines and `\\` continuations as pip \
reads them; line is the first physical line. pinned_version is set only for one `==` without `.*`, or `===`. problem is \
requirement_invalid, duckdb_unsupported, requirement_option or requirement_unpinned. duckdb_window VARCHAR: the DuckDB \
client versions MotherDuck accepts as a PEP 440 specifier (default '>=1.4.0,<=1.5.6', MotherDuck's version lifecycle page). \
source_code VARCHAR (named, optional): the Flight's Python source; imported_as then lists the modules of the source each \
requirement provides, and an unpinned duckdb the source imports is duckdb_unpinned; absent or NULL: imported_as is NULL.",
        example: "FROM flight_requirements(concat_ws(chr(10), 'duckdb==1.5.3', 'requests>=2  # HTTP', \
'pandas[excel]==2.2.3 ; python_version >= \"3.10\"'));",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_findings",
        fun_type: FunType::Scalar,
        signature: "flight_findings(flight)",
        returns: "STRUCT(severity, code, subject, message)[]",
        description: "Every finding about one whole Flight row: flight_check's findings, plus the troubles of its source_code.",
        comment: "flight: any STRUCT (a table alias or a literal), read by field name: {row fields}; other fields are ignored. A field of the wrong type is an error; a NULL row gives NULL. The rows of a chunk are shared among the threads DuckDB's threads setting leaves idle (DuckDB 1.5.6 and later); the answer is the same on any number.",
        example: "SELECT flight_findings({'config': MAP {'REGION': 'us', 'GITHUB_TOKEN': 'ghp_x'}, 'schedule_cron': '0 6 * * *'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_env",
        fun_type: FunType::Scalar,
        signature: "flight_env(flight)",
        returns: "STRUCT(name, value, source, origin, sensitive, note)[]",
        description: "The environment one whole Flight row's run gets (the rows of flight_env_preview); never raises for the Flight's problems.",
        comment: "flight: any STRUCT, read by field name as flight_findings reads it. Secrets and the token stay redacted. A NULL row gives NULL.",
        example: "SELECT flight_env({'config': MAP {'REGION': 'us'}, 'flight_secret_names': ['my_api_secret'], 'secrets': MAP {'my_api_secret': ['API_KEY']}});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_run_findings",
        fun_type: FunType::Scalar,
        signature: "flight_run_findings(run, flight)",
        returns: "STRUCT(severity, code, subject, message)[]",
        description: "Why a run failed, from its status, exit code and log held against the Flight version it ran: a missing module, a missing environment variable, a killed run, an exit status, an uncaught exception; no network.",
        comment: "run: a STRUCT with status (FAILED or RUN_STATUS_FAILED, ...), exit_code and logs (the log text; NULL where unknown), optionally config (the effective config the run recorded) and flight_version; other fields are ignored. flight: the Flight row of the version the run used, read as flight_findings reads it (source_code, requirements_txt, config, flight_secret_names, secrets, instance_type, ...). Errors first; a successful, pending, running or cancelled run gives []. Messages never repeat the exception's message or other log text. A NULL run or row gives NULL.",
        example: "SELECT unnest(flight_run_findings({'status': 'FAILED', 'exit_code': 137, 'logs': 'loading 40 GB'}, {'instance_type': 'F16'}));",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_update_findings",
        fun_type: FunType::Scalar,
        signature: "flight_update_findings(flight, update)",
        returns: "STRUCT(severity, code, subject, message)[]",
        description: "What an MD_UPDATE_FLIGHT call would break before it is sent: reads of the source it breaks, config keys it drops, secrets it detaches, and every new finding of the updated Flight.",
        comment: "flight: a whole Flight row, read as flight_findings reads it. update: a STRUCT of MD_UPDATE_FLIGHT's fields in either spelling ({update fields}, where secrets says what newly attached secrets hold; flight_id, id and metadata are accepted and not read); another field is an error. A given field replaces the whole stored value (replace, not merge); a missing or NULL field keeps it; schedule_cron := '' clears the schedule. Only what the update introduces is listed, errors first: update_breaks_read, update_drops_config_key, update_detaches_secret, then the updated Flight's new findings. A NULL row gives NULL; a NULL update gives [].",
        example: "SELECT flight_update_findings({'config': MAP {'REGION': 'us', 'BATCH_SIZE': '1000'}, 'access_token_name': 'svc', 'source_code': 'import os; n = os.environ[''BATCH_SIZE'']'}, {'config': MAP {'REGION': 'eu'}});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_update_preview",
        fun_type: FunType::Table,
        signature: "flight_update_preview(flight := ..., config := ..., flight_secret_names := ..., ...)",
        returns: "name, change, before_source, after_source, before_value, after_value, read_at INTEGER[], finding, message",
        description: "One row per environment variable an MD_UPDATE_FLIGHT call would add, remove or change, with the source lines that read it and the update's finding about it.",
        comment: "flight: the id or name of a stored Flight (fetched from MotherDuck, with version := INTEGER), or the Flight described as a STRUCT read as flight_findings reads a row. The update: MD_UPDATE_FLIGHT's named parameters ({update fields}); a given one replaces the whole stored value. secrets: what the secrets hold (values never shown). change is added, removed or changed; values as flight_env_preview shows them (secrets redacted); finding is update_breaks_read, update_drops_config_key, update_detaches_secret or another new finding about the variable.",
        example: "FROM flight_update_preview(flight := {'config': MAP {'REGION': 'us', 'BATCH_SIZE': '1000'}, 'access_token_name': 'svc', 'source_code': 'import os; n = os.environ[''BATCH_SIZE'']'}, config := MAP {'REGION': 'eu'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_schedule",
        fun_type: FunType::Table,
        signature: "flight_schedule(cron, \"limit\" := 5, start := now())",
        returns: "run_at, since_previous",
        description: "The next runs of a schedule_cron strictly after start, in UTC, as MotherDuck's 5-field cron reads it.",
        comment: "cron VARCHAR (NULL or '': no schedule, no rows; an invalid or nonstandard cron raises, naming the field, \
the value and what to write), \"limit\" BIGINT 0 to 1000000 (NULL: 5; quote it, LIMIT is a keyword), start TIMESTAMPTZ \
(NULL: now). run_at TIMESTAMPTZ; since_previous INTERVAL from the run before (NULL on the first row). \
Day-of-month and day-of-week: either matches when both are restricted, as cron reads them.",
        example: "FROM flight_schedule('0 6 * * 1', \"limit\" := 3, start := TIMESTAMPTZ '2026-01-01 00:00:00+00');",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "motherduck_flight",
        fun_type: FunType::Table,
        signature: "motherduck_flight(flight, version := NULL)",
        returns: "flight_id, flight_name, version, access_token_name, flight_secret_names, config, source_code, requirements_txt, schedule_cron, status, current_version, created_at, updated_at, max_runtime_sec, instance_type",
        description: "A Flight's stored definition, fetched from MotherDuck's MCP server (needs a token and the network).",
        comment: "flight VARCHAR (an id, or a name resolved with list_flights), version INTEGER (default: current). Reads MOTHERDUCK_TOKEN, MOTHERDUCK_MCP_URL, MOTHERDUCK_MCP_TIMEOUT, MOTHERDUCK_MCP_PROTOCOL. Refused when enable_external_access is false.",
        example: "FROM motherduck_flight('nightly_ingest');",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "motherduck_flight_versions",
        fun_type: FunType::Table,
        signature: "motherduck_flight_versions(flight, \"limit\" := 100)",
        returns: "version, access_token_name, flight_secret_names, config, source_code, requirements_txt, created_at, max_runtime_sec, instance_type",
        description: "Every stored version of a Flight, newest first (MCP list_flight_versions).",
        comment: "flight VARCHAR (an id or a name); \"limit\" INTEGER, 1 to 500 (quoted: LIMIT is a reserved word). Needs a token and the network.",
        example: "SELECT version, config FROM motherduck_flight_versions('nightly_ingest', \"limit\" := 5);",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "motherduck_flight_runs",
        fun_type: FunType::Table,
        signature: "motherduck_flight_runs(flight, \"limit\" := 100)",
        returns: "run_id, run_number, flight_version, status, is_scheduled, config, created_at, started_at, ended_at, exit_code",
        description: "Every run of a Flight, newest first, with the effective config it used (MCP list_flight_runs).",
        comment: "flight VARCHAR (an id or a name); \"limit\" INTEGER, 1 to 500. status as MotherDuck's SQL functions spell it (RUN_STATUS_SUCCEEDED, ...). Needs a token and the network.",
        example: "SELECT run_number, status, config FROM motherduck_flight_runs('nightly_ingest');",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "motherduck_flights",
        fun_type: FunType::Table,
        signature: "motherduck_flights(keywords := NULL)",
        returns: "flight_id, flight_name, schedule_cron, status, current_version, access_token_name, flight_secret_names, config, source_code, requirements_txt, created_at, updated_at, max_runtime_sec, instance_type",
        description: "Every Flight the token's user owns (list_flights lists only the caller's own, even for an admin), each with its current definition, for auditing them all in one query.",
        comment: "keywords VARCHAR: every word must appear in the name. Lists up to 500 Flights (more: narrow with keywords), then fetches the definitions on a small pool of threads (MOTHERDUCK_MCP_FETCH_THREADS, default 8). A Flight that fails to fetch is an error naming it.",
        example: "SELECT flight_name, unnest(flight_findings(f)) FROM motherduck_flights() f;",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "motherduck_flight_logs",
        fun_type: FunType::Table,
        signature: "motherduck_flight_logs(flight, run_number := NULL, max_bytes := NULL)",
        returns: "run_number, status, exit_code, flight_version, truncated, line_number, line",
        description: "One run's log, one row per line (MCP get_flight_run_logs, or get_flight_logs where the server names it so).",
        comment: "flight VARCHAR (an id or a name); run_number BIGINT (NULL: the newest run); max_bytes BIGINT, at least 1024 (MotherDuck's minimum): only the last max_bytes bytes of the log, truncated then true (the first row may be a partial line). status as the tool gives it without the RUN_STATUS_ prefix (FAILED, SUCCEEDED, ...). line_number counts from 1; a trailing newline makes no empty row; an empty log gives no rows. Needs a token and the network.",
        example: "SELECT line_number, line FROM motherduck_flight_logs('nightly_ingest', run_number := 3);",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "motherduck_flight_diagnosis",
        fun_type: FunType::Table,
        signature: "motherduck_flight_diagnosis(flight, run_number := NULL)",
        returns: "run_number, flight_version, severity, code, subject, message",
        description: "Why a run failed, over MotherDuck: the run's log, the version it ran and the current version, as the findings of flight_run_findings plus run_stale_version where the current version no longer has the cause.",
        comment: "flight VARCHAR (an id or a name); run_number BIGINT (NULL: the newest run). Fetches the run's log (get_flight_run_logs or get_flight_logs), the version the run used and the current version (get_flight). One row per finding, errors first; no rows for a run with nothing to say. Needs a token and the network.",
        example: "SELECT code, subject, message FROM motherduck_flight_diagnosis('nightly_ingest', run_number := 3);",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "motherduck_fleet_diagnosis",
        fun_type: FunType::Table,
        signature: "motherduck_fleet_diagnosis(keywords := NULL, \"limit\" := 20)",
        returns: "flight_id, flight_name, run_number, flight_version, severity, code, subject, message",
        description: "The fleet view of failed runs: every Flight's newest failed run, diagnosed as motherduck_flight_diagnosis diagnoses it.",
        comment: "keywords VARCHAR (only Flights whose name has them, as motherduck_flights); \"limit\" INTEGER 1 to 500 (how many of each Flight's newest runs to look through for a failed one; quoted: LIMIT is a reserved word). A Flight without a failed run among them gives no rows. A table function of its own: DuckDB's table functions take constant arguments, so motherduck_flight_diagnosis cannot be called per row of motherduck_flights(). Needs a token and the network.",
        example: "SELECT flight_name, run_number, code, subject FROM motherduck_fleet_diagnosis() WHERE severity = 'error';",
        needs_motherduck: true,
    },
    FunctionDoc {
        name: "flight_config_diff",
        fun_type: FunType::Table,
        signature: "flight_config_diff(old, new, mode := 'update', include_unchanged := false)",
        returns: "key, change, old_value, new_value",
        description: "What a config update (or, with `mode := 'run'`, a per-run override) changes, key by key.",
        comment: "old and new MAP(VARCHAR, VARCHAR) (NULL: empty), mode 'update' or 'run', include_unchanged BOOLEAN.",
        example: "FROM flight_config_diff(MAP {'REGION': 'us', 'BATCH_SIZE': '1000'}, MAP {'REGION': 'eu'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_config_changes",
        fun_type: FunType::Scalar,
        signature: "flight_config_changes(old, new)",
        returns: "STRUCT(key, change, old_value, new_value)[]",
        description: "The same comparison in update mode, per row, for whole tables of configs.",
        comment: "old and new MAP(VARCHAR, VARCHAR). Unchanged keys are left out. NULL in, NULL out.",
        example: "SELECT flight_config_changes(MAP {'REGION': 'us', 'BATCH_SIZE': '1000'}, MAP {'REGION': 'eu'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_validate_override",
        fun_type: FunType::Scalar,
        signature: "flight_validate_override(stored, override)",
        returns: "VARCHAR[]",
        description: "One message per problem of a per-run override; `[]` when valid.",
        comment: "stored and override MAP(VARCHAR, VARCHAR). A NULL override is no override ([]); a NULL stored config gives NULL.",
        example: "SELECT flight_validate_override(MAP {'REGION': 'us'}, MAP {'REGON': 'eu'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_override_is_valid",
        fun_type: FunType::Scalar,
        signature: "flight_override_is_valid(stored, override)",
        returns: "BOOLEAN",
        description: "The same verdict as a boolean, for filtering.",
        comment: "stored and override MAP(VARCHAR, VARCHAR). A NULL override is no override (true); a NULL stored config gives NULL.",
        example: "SELECT flight_override_is_valid(MAP {'REGION': 'us'}, MAP {'REGION': 'eu'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_effective_config",
        fun_type: FunType::Scalar,
        signature: "flight_effective_config(stored, override)",
        returns: "MAP(VARCHAR, VARCHAR)",
        description: "The config a run records: stored, overlaid with the override. Raises on an invalid override.",
        comment: "stored and override MAP(VARCHAR, VARCHAR). A NULL override is no override (stored); a NULL stored config gives NULL.",
        example: "SELECT flight_effective_config(MAP {'REGION': 'us', 'BATCH_SIZE': '1000'}, MAP {'REGION': 'eu'});",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_config_from_json",
        fun_type: FunType::Scalar,
        signature: "flight_config_from_json(json)",
        returns: "MAP(VARCHAR, VARCHAR)",
        description: "Strictly reads config from the JSON object MCP tools take.",
        comment: "json VARCHAR: an object of strings; anything else is an error naming the key and the fix. NULL in, NULL out.",
        example: "SELECT flight_config_from_json('{\"REGION\": \"us\", \"BATCH_SIZE\": \"1000\"}');",
        needs_motherduck: false,
    },
    FunctionDoc {
        name: "flight_config_to_json",
        fun_type: FunType::Scalar,
        signature: "flight_config_to_json(config)",
        returns: "VARCHAR",
        description: "The compact JSON object for MCP tools, keys in map order.",
        comment: "config MAP(VARCHAR, VARCHAR). NULL in, NULL out.",
        example: "SELECT flight_config_to_json(MAP {'REGION': 'eu'});",
        needs_motherduck: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_row_is_complete_and_names_are_unique() {
        let mut names = HashSet::new();
        for doc in FUNCTIONS {
            assert!(names.insert(doc.name), "{} is documented twice", doc.name);
            assert!(
                doc.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}: not a SQL function name",
                doc.name
            );
            for (field, text) in [
                ("signature", doc.signature),
                ("returns", doc.returns),
                ("description", doc.description),
                ("comment", doc.comment_text().as_str()),
                ("example", doc.example),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {field}", doc.name);
                assert!(!text.contains('|'), "{}: '|' in {field} would break the README table", doc.name);
            }
            assert!(
                PLACEHOLDERS.iter().all(|(p, _)| !doc.comment_text().contains(p)),
                "{}: a placeholder left in the comment",
                doc.name
            );
            assert!(doc.signature.starts_with(&format!("{}(", doc.name)), "{}: signature", doc.name);
            assert!(doc.example.contains(&format!("{}(", doc.name)), "{}: the example does not call it", doc.name);
            assert!(doc.example.trim_end().ends_with(';'), "{}: the example lacks its ';'", doc.name);
            assert!(!doc.example.contains("->"), "{}: write lambda x: ... (DuckDB 2.0)", doc.name);
        }
    }
}
