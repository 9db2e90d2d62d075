//! The plain types every rule module shares: config maps, the described
//! Flight, environment variables and findings. No DuckDB types here.

/// A config map as DuckDB hands it over: keys in map order, values possibly NULL.
///
/// DuckDB map keys are never NULL and never repeat, so a plain ordered list of
/// pairs is enough; lookups on the hot paths build their own index.
pub type ConfigMap = Vec<(String, Option<String>)>;

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

/// One thing worth telling the user about a described Flight.
///
/// `code` is a stable snake_case identifier documented in README.md.
/// `message` says what is wrong and how to fix it. Neither `subject` nor
/// `message` may ever contain a secret value or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub subject: String,
    pub message: String,
}

impl Finding {
    pub fn new(severity: Severity, code: &'static str, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { severity, code, subject: subject.into(), message: message.into() }
    }
}

/// How an attached secret's param becomes an environment variable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecretNaming {
    /// The docs page's rule (default): `MY_API_SECRET_API_KEY`.
    #[default]
    Upper,
    /// The name as DuckDB stores it, key case kept: `my_api_secret_API_KEY`.
    Lower,
}

/// What is known about one param of a Flight secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// Only the key was given (`secrets := MAP {'s': ['API_KEY']}`).
    KeyOnly,
    /// The PARAMS map gave NULL for this key.
    Null,
    /// The PARAMS map gave a value. Used for checks only; never echoed.
    Given(String),
}

/// One param of a Flight secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretParam {
    pub key: String,
    pub value: ParamValue,
}

/// A Flight secret as the user described it with `secrets :=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretDef {
    /// The secret name as given (DuckDB lower-cases unquoted names; we keep what we get).
    pub name: String,
    /// Its params in the order given. Empty when the map entry was NULL or empty.
    pub params: Vec<SecretParam>,
}

/// Everything a user can say about a Flight to preview or check its run.
///
/// Each field mirrors one named SQL parameter of `flight_env_preview` and
/// `flight_check`; `None` means the parameter was absent or NULL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlightSpec {
    /// The stored config (`config :=`).
    pub config: Option<ConfigMap>,
    /// A per-run override (`override :=`).
    pub override_config: Option<ConfigMap>,
    /// The attached secret names in order (`flight_secret_names :=`); an element may be NULL.
    pub flight_secret_names: Option<Vec<Option<String>>>,
    /// What the secrets hold (`secrets :=`), in map order.
    pub secrets: Option<Vec<SecretDef>>,
    /// The token label (`access_token_name :=`).
    pub access_token_name: Option<String>,
    /// `secret_naming :=` as given; parsed (and rejected when unknown) by the rules.
    pub secret_naming: Option<String>,
    /// `bare_aliases :=`.
    pub bare_aliases: bool,
    /// The Flight's schedule (`schedule_cron :=`, the column of `MD_FLIGHTS()`); `None`: not scheduled.
    pub schedule_cron: Option<String>,
}

/// Where an environment variable of a run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvSource {
    Token,
    Config,
    Override,
    Secret,
    SecretAlias,
}

impl EnvSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EnvSource::Token => "token",
            EnvSource::Config => "config",
            EnvSource::Override => "override",
            EnvSource::Secret => "secret",
            EnvSource::SecretAlias => "secret_alias",
        }
    }
}

/// One row of `flight_env_preview`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// Config and override values in clear; `redacted` for the token and secrets;
    /// `None` for the placeholder row of a secret whose params are unknown.
    pub value: Option<String>,
    pub source: EnvSource,
    /// Token label; config key; `<secret name>.<PARAM>` for secrets and aliases.
    pub origin: String,
    pub sensitive: bool,
    pub note: Option<String>,
}

/// The word shown instead of a secret value or token, as `duckdb_secrets()` does.
pub const REDACTED: &str = "redacted";

/// The label of the token a run uses when no `access_token_name` is given.
pub const DEFAULT_TOKEN_NAME: &str = "MotherDuck Flights";

/// Names MotherDuck sets itself; a config key must not take them.
pub const RESERVED_NAMES: [&str; 4] =
    ["MOTHERDUCK_TOKEN", "MOTHERDUCK_FLIGHTS_RUN", "MOTHERDUCK_FLIGHT_ID", "MOTHERDUCK_FLIGHT_RUN_ID"];

/// A key or name as shown inside a message: in single quotes, with control
/// characters, NUL bytes and quotes escaped so every message stays one line.
pub fn quoted(text: &str) -> String {
    const MAX_CHARS: usize = 200;
    let mut out = String::with_capacity(text.len().min(MAX_CHARS) + 2);
    out.push('\'');
    for (i, c) in text.chars().enumerate() {
        if i == MAX_CHARS {
            out.push_str("...");
            break;
        }
        match c {
            '\'' => out.push_str("\\'"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
