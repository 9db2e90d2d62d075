//! How an attached secret's params are named as variables: `secret_naming`
//! and the prefixed name (`MY_API_SECRET_API_KEY`). A leaf module: the run's
//! environment (`env`) and the docs page's advice (`advice`) both use it.

use super::wording::quoted;
use super::{Error, ErrorKind, SecretNaming};

/// Reads `secret_naming`: absent means `upper`; `upper` and `lower` are
/// accepted in any case, trimmed. Anything else is an error message naming
/// the value and both choices.
pub fn parse_naming(text: Option<&str>) -> Result<SecretNaming, Error> {
    match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
        None | Some("upper") => Ok(SecretNaming::Upper),
        Some("lower") => Ok(SecretNaming::Lower),
        Some(_) => Err(Error::new(
            ErrorKind::InvalidNaming,
            format!(
                "unknown secret_naming {}: use 'upper' (MY_API_SECRET_API_KEY, the docs page's rule) \
                 or 'lower' (my_api_secret_API_KEY, the name as DuckDB stores it)",
                quoted(text.unwrap_or_default())
            ),
        )),
    }
}

/// The variable a secret's param becomes: the secret name upper-cased (or
/// lower-cased), `_`, then the param key with its case kept.
pub fn secret_env_name(secret_name: &str, param: &str, naming: SecretNaming) -> String {
    let prefix = match naming {
        SecretNaming::Upper => secret_name.to_uppercase(),
        SecretNaming::Lower => secret_name.to_lowercase(),
    };
    format!("{prefix}_{param}")
}
