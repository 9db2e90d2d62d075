//! The plain types every rule module shares: config maps, the described
//! Flight (`fields`: its fields declared once), environment variables
//! (`origin`) and findings (`finding`).
//! No DuckDB types here. A new finding is a new [`FindingCode`] variant (with
//! its severity and one-line meaning); README's table is checked against it.

mod fields;
mod finding;
mod origin;
mod update;
pub use fields::*;
pub use finding::*;
pub use origin::*;
pub use update::*;

/// A config map as DuckDB hands it over: keys in map order, values possibly NULL.
///
/// DuckDB map keys are never NULL and never repeat, so a plain ordered list of
/// pairs is enough; lookups on the hot paths build their own index.
pub type ConfigMap = Vec<(String, Option<String>)>;

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

/// The word shown instead of a secret value or token, as `duckdb_secrets()` does.
pub const REDACTED: &str = "redacted";

/// The label of the token a run uses when no `access_token_name` is given.
pub const DEFAULT_TOKEN_NAME: &str = "MotherDuck Flights";

/// Names MotherDuck sets itself; a config key must not take them.
pub const RESERVED_NAMES: [&str; 4] =
    ["MOTHERDUCK_TOKEN", "MOTHERDUCK_FLIGHTS_RUN", "MOTHERDUCK_FLIGHT_ID", "MOTHERDUCK_FLIGHT_RUN_ID"];
