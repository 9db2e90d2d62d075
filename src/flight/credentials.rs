//! Recognising credentials where they do not belong: config keys named like
//! one, and values (or Python string literals) shaped like one. Detectors
//! only answer "what kind"; callers never echo the value.

/// Words in a key that name a credential.
const CREDENTIAL_WORDS: [&str; 7] = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "CREDENTIAL", "CREDENTIALS"];

/// Word pairs that name a credential (`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`).
const CREDENTIAL_PAIRS: [(&str, &str); 4] = [("API", "KEY"), ("PRIVATE", "KEY"), ("ACCESS", "KEY"), ("SECRET", "KEY")];

/// A last word that makes the key describe a credential rather than hold one
/// (`TOKEN_NAME` is a label, `SECRET_PATH` a location).
const DESCRIPTIVE_SUFFIXES: [&str; 10] = ["NAME", "LABEL", "ID", "URL", "URI", "PATH", "FILE", "TYPE", "ENV", "VAR"];

/// Calls `each` with the words of a key, split on `_`, `-`, `.`, spaces and
/// camelCase humps (no list is made: this runs for every config key of every row).
fn for_each_word<'k>(key: &'k str, mut each: impl FnMut(&'k str)) {
    let mut start = None;
    let mut previous_lower = false;
    for (i, c) in key.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                each(&key[s..i]);
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            if let Some(s) = start.replace(i) {
                each(&key[s..i]);
            }
        }
        start.get_or_insert(i);
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if let Some(s) = start {
        each(&key[s..]);
    }
}

/// Whether `key` holds `word` (upper case ASCII), ignoring ASCII case.
fn holds(key: &[u8], word: &[u8]) -> bool {
    key.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether a key could name a credential: it holds a credential word, or
/// `KEY` with a word a pair starts with. Every key [`key_names_credential`]
/// accepts passes; most keys of a config fail here without being split into words.
fn may_name_credential(key: &str) -> bool {
    let key = key.as_bytes();
    [&b"TOKEN"[..], b"SECRET", b"PASSW", b"CREDENTIAL"].iter().any(|w| holds(key, w))
        || (holds(key, b"KEY") && [&b"API"[..], b"PRIVATE", b"ACCESS"].iter().any(|w| holds(key, w)))
}

/// Whether a config key is named like a credential (`API_KEY`, `dbPassword`, `GITHUB_TOKEN`).
pub fn key_names_credential(key: &str) -> bool {
    may_name_credential(key) && words_name_credential(key)
}

/// [`key_names_credential`] by the key's words alone.
fn words_name_credential(key: &str) -> bool {
    let is = |word: &str, upper: &str| word.eq_ignore_ascii_case(upper);
    let (mut names, mut previous) = (false, None::<&str>);
    for_each_word(key, |word| {
        names |= CREDENTIAL_WORDS.iter().any(|c| is(word, c))
            || previous.is_some_and(|before| CREDENTIAL_PAIRS.iter().any(|(a, b)| is(before, a) && is(word, b)));
        previous = Some(word);
    });
    // `previous` is the last word now.
    names && !previous.is_some_and(|last| DESCRIPTIVE_SUFFIXES.iter().any(|s| is(last, s)))
}

/// The kind of credential a value is shaped like, if any.
pub fn credential_kind(value: &str) -> Option<&'static str> {
    let value = value.trim();
    // Every shape but a PEM key starts with one of these letters.
    if !matches!(value.as_bytes().first(), Some(b's' | b'A' | b'g' | b'x' | b'e')) {
        return is_pem_private_key(value).then_some(PEM);
    }
    let rest_is = |prefix: &str, min: usize, ok: fn(char) -> bool| {
        value.strip_prefix(prefix).is_some_and(|rest| rest.chars().count() >= min && rest.chars().all(ok))
    };
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if rest_is("sk-", 20, token_char) {
        return Some("API secret key (sk-...)");
    }
    if ["AKIA", "ASIA"].iter().any(|p| rest_is(p, 16, |c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        && value.len() == 20
    {
        return Some("AWS access key id");
    }
    if ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"].iter().any(|p| rest_is(p, 30, |c| c.is_ascii_alphanumeric()))
        || rest_is("github_pat_", 20, token_char)
    {
        return Some("GitHub token");
    }
    if ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"].iter().any(|p| rest_is(p, 10, token_char)) {
        return Some("Slack token");
    }
    if is_jwt(value) {
        return Some("JSON Web Token (such as a MotherDuck token)");
    }
    is_pem_private_key(value).then_some(PEM)
}

const PEM: &str = "PEM private key";

/// A PEM private key block, anywhere in the value.
fn is_pem_private_key(value: &str) -> bool {
    value.len() > 26 && value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----")
}

/// Three non-empty base64url segments separated by dots, the first a JSON header (`eyJ`).
fn is_jwt(value: &str) -> bool {
    let base64url =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=');
    if !value.starts_with("eyJ") || value.len() < 30 || value.split('.').count() != 3 {
        return false;
    }
    value.split('.').all(base64url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_named_like_credentials() {
        for key in [
            "API_KEY",
            "OPENAI_API_KEY",
            "GITHUB_TOKEN",
            "dbPassword",
            "db-passwd",
            "AWS_SECRET_ACCESS_KEY",
            "my.secret",
            "CREDENTIALS",
        ] {
            assert!(key_names_credential(key), "{key}");
        }
        for key in
            ["REGION", "BATCH_SIZE", "TOKEN_NAME", "SECRET_PATH", "KEYBOARD", "MONKEY", "TOKENIZER_MODEL", "API_URL"]
        {
            assert!(!key_names_credential(key), "{key}");
        }
    }

    #[test]
    fn the_prefilter_lets_every_credential_name_through() {
        let words = [
            "TOKEN",
            "SECRET",
            "PASSWORD",
            "PASSWD",
            "APIKEY",
            "CREDENTIAL",
            "CREDENTIALS",
            "API",
            "KEY",
            "PRIVATE",
            "ACCESS",
            "NAME",
            "DB",
            "x",
            "token",
            "Key",
            "apiKey",
            "Api",
        ];
        let (mut credentials, mut rejected) = (0, 0);
        for a in words {
            for b in words {
                for sep in ["_", "-", ".", "", " "] {
                    let key = format!("{a}{sep}{b}");
                    if words_name_credential(&key) {
                        assert!(may_name_credential(&key), "{key}");
                        credentials += 1;
                    } else if !may_name_credential(&key) {
                        rejected += 1;
                    }
                }
            }
        }
        // Both sides are exercised: credentials let through, others cut short.
        assert!(credentials > 300 && rejected > 300, "{credentials} {rejected}");
    }

    #[test]
    fn values_shaped_like_credentials() {
        assert!(credential_kind("sk-abcdefghijklmnopqrstuvwxyz123456").is_some());
        assert!(credential_kind("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(credential_kind("ghp_abcdefghijklmnopqrstuvwxyz0123456789").is_some());
        assert!(credential_kind("xoxb-1234567890-abcdef").is_some());
        assert!(credential_kind("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk").is_some());
        assert!(credential_kind("-----BEGIN RSA PRIVATE KEY-----\nMII...\n-----END RSA PRIVATE KEY-----").is_some());
        for plain in ["us-east-1", "1000", "sk-short", "AKIA", "", "eyJ.a.b", "https://example.com/a.b.c"] {
            assert_eq!(credential_kind(plain), None, "{plain}");
        }
    }
}
