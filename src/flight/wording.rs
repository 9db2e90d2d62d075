//! How names and SQL appear inside messages and notes: quoted, escaped onto
//! one line, cut when long, and the SQL snippets several rules repeat.
//! A leaf module: any rule may use it, and it uses no rule.

/// At most this many characters of a name are shown inside a message or note.
pub const SHOWN_CHARS: usize = 200;

/// The advice every credential finding ends with (config, override, source).
pub const MOVE_TO_SECRET: &str =
    "move it into a Flight secret (CREATE SECRET ... IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {...}))";

/// A key or name as shown inside a message: in single quotes, with control
/// characters, NUL bytes and quotes escaped so every message stays one line.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(SHOWN_CHARS) + 2);
    out.push('\'');
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN_CHARS {
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

/// `text` for a message or note: control characters escaped, `quote` doubled,
/// cut after [`SHOWN_CHARS`] characters, so the text stays one short line.
fn escaped(text: &str, quote: Option<char>) -> String {
    let mut out = String::with_capacity(text.len().min(SHOWN_CHARS) + 3);
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push_str("...");
            break;
        }
        match c {
            c if Some(c) == quote => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// A name inside a note, unquoted, kept on one line.
pub fn one_line(text: &str) -> String {
    escaped(text, None)
}

/// A secret name as it would be written in SQL: bare when DuckDB would keep
/// it as is (lower case, digits, `_`), else a quoted identifier.
pub fn sql_identifier(name: &str) -> String {
    let mut chars = name.chars();
    let bare = chars.next().is_some_and(|c| c == '_' || c.is_ascii_lowercase())
        && chars.all(|c| c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit());
    if bare {
        name.to_owned()
    } else {
        format!("\"{}\"", escaped(name, Some('"')))
    }
}

/// A SQL string literal of `text` (quotes doubled), kept on one line.
pub fn sql_string(text: &str) -> String {
    format!("'{}'", escaped(text, Some('\'')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_sql_and_stay_on_one_line() {
        assert_eq!(sql_identifier("my_api_secret"), "my_api_secret");
        assert_eq!(sql_identifier("API"), "\"API\"");
        assert_eq!(sql_identifier(""), "\"\"");
        assert_eq!(sql_identifier("1st"), "\"1st\"");
        assert_eq!(sql_identifier("a\"b\n"), "\"a\"\"b\\n\"");
        assert_eq!(sql_string("a'b"), "'a''b'");
        assert_eq!(one_line(&"x".repeat(1000)).len(), SHOWN_CHARS + 3);
        assert_eq!(quoted("it's\n"), r"'it\'s\n'");
        assert_eq!(quoted(&"y".repeat(300)).chars().count(), SHOWN_CHARS + 5);
    }
}
