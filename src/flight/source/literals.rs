//! String literals: their values (ruff's parser decodes the escapes), the
//! literal prefix of an expression, the redacted display of a read (from the
//! parser's tokens), and credential-shaped contents (only line and kind are kept).

use super::scanner::{span, Scanner, MAX_CHAIN};
use crate::flight::credentials::credential_kind;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprFString, FStringPart, InterpolatedStringElement, Operator};
use ruff_text_size::{Ranged, TextRange};

/// At most this many characters of an expression go into a read's `detail`.
pub(super) const MAX_DETAIL_CHARS: usize = 80;

impl Scanner<'_> {
    /// The value of a plain string literal: a string without interpolation,
    /// an implicit concatenation of them, or a `+` of them; `None` for
    /// anything else (names, interpolations, `%`, bytes).
    pub(super) fn literal(&self, expr: &Expr) -> Option<String> {
        if let Expr::StringLiteral(string) = expr {
            return Some(string.value.to_str().to_owned());
        }
        let mut value = String::new();
        let mut stack = vec![expr];
        let mut steps = 0;
        while let Some(expr) = stack.pop() {
            steps += 1;
            if steps > MAX_CHAIN * 4 {
                return None;
            }
            match expr {
                Expr::StringLiteral(string) => value.push_str(string.value.to_str()),
                Expr::FString(string) => {
                    if !push_fstring_text(&mut value, string) {
                        return None;
                    }
                }
                Expr::BinOp(binary) if binary.op == Operator::Add => {
                    stack.push(&binary.right);
                    stack.push(&binary.left);
                }
                _ => return None,
            }
        }
        Some(value)
    }

    /// The literal text an expression starts with (`"md:" + name`, `f"md:{db}"`).
    pub(super) fn literal_prefix(&self, expr: &Expr) -> String {
        let mut expr = expr;
        for _ in 0..MAX_CHAIN {
            match expr {
                Expr::BinOp(binary) => expr = &binary.left,
                Expr::StringLiteral(string) => return string.value.to_str().to_owned(),
                Expr::FString(string) => {
                    let mut value = String::new();
                    push_fstring_text(&mut value, string);
                    return value;
                }
                _ => break,
            }
        }
        String::new()
    }

    /// Whether an expression holds the string `motherduck_token` (a config dict).
    pub(super) fn mentions_token(&self, expr: &Expr) -> bool {
        let mut stack = vec![expr];
        let mut steps = 0;
        while let Some(expr) = stack.pop() {
            steps += 1;
            if steps > MAX_CHAIN * 4 {
                return false;
            }
            match expr {
                Expr::StringLiteral(string) if string.value.to_str().eq_ignore_ascii_case("motherduck_token") => {
                    return true
                }
                Expr::Dict(dict) => {
                    for item in &dict.items {
                        stack.extend(item.key.as_ref());
                        stack.push(&item.value);
                    }
                }
                Expr::Call(call) => {
                    stack.extend(call.arguments.args.iter());
                    stack.extend(call.arguments.keywords.iter().map(|k| &k.value));
                }
                Expr::List(list) => stack.extend(list.elts.iter()),
                Expr::Tuple(tuple) => stack.extend(tuple.elts.iter()),
                Expr::Set(set) => stack.extend(set.elts.iter()),
                _ => {}
            }
        }
        false
    }
}

/// Appends an f-string's literal text to `value`, up to its first
/// interpolation; `false` when it has one (the text before it is appended).
fn push_fstring_text(value: &mut String, string: &ExprFString) -> bool {
    for part in &string.value {
        match part {
            FStringPart::Literal(literal) => value.push_str(&literal.value),
            FStringPart::FString(f_string) => {
                for element in &f_string.elements {
                    match element {
                        InterpolatedStringElement::Literal(literal) => value.push_str(&literal.value),
                        InterpolatedStringElement::Interpolation(_) => return false,
                    }
                }
            }
        }
    }
    true
}

/// The redacted display of a read.
impl Scanner<'_> {
    /// The expression as written, each string literal's contents replaced by
    /// `...` and comments dropped, on one line, at most [`MAX_DETAIL_CHARS`]:
    /// made from the parser's tokens in the node's range, written straight
    /// into `out`.
    pub(super) fn display(&self, node: &impl Ranged, out: &mut String) {
        let range = node.range();
        let first = self.tokens.partition_point(|t| t.start() < range.start());
        let begin = out.len();
        let mut last_end = range.start();
        // Inside an f-string or t-string: how deep, and its opening quotes.
        let mut depth = 0usize;
        let mut open = "";
        for token in self.tokens.get(first..).unwrap_or(&[]) {
            if token.start() >= range.end() {
                break;
            }
            let text = self.src.get(span(token.range())).unwrap_or("");
            let kind = token.kind();
            match kind {
                TokenKind::FStringStart | TokenKind::TStringStart => depth += 1,
                TokenKind::FStringEnd | TokenKind::TStringEnd => depth = depth.saturating_sub(1),
                TokenKind::Comment
                | TokenKind::NonLogicalNewline
                | TokenKind::Newline
                | TokenKind::Indent
                | TokenKind::Dedent
                | TokenKind::EndOfFile => continue,
                _ => {}
            }
            let starts_string = matches!(kind, TokenKind::FStringStart | TokenKind::TStringStart) && depth == 1;
            let ends_string = matches!(kind, TokenKind::FStringEnd | TokenKind::TStringEnd) && depth == 0;
            if depth > 0 && !starts_string {
                // Inside a string literal: nothing of it is shown.
                last_end = token.end();
                continue;
            }
            if token.start() > last_end && out.len() > begin {
                out.push(' ');
            }
            last_end = token.end();
            match kind {
                _ if starts_string => {
                    open = text;
                    out.push_str(text);
                    out.push_str("...");
                }
                _ if ends_string => out.push_str(text),
                TokenKind::String => push_redacted(text, out),
                // An unterminated string or other bad input: shown as `...`.
                TokenKind::Unknown => out.push_str("..."),
                _ if text.contains(char::is_whitespace) => {
                    out.extend(text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
                }
                _ => out.push_str(text),
            }
            // Bytes bound characters: count them only past the limit.
            if out.len() - begin > MAX_DETAIL_CHARS
                && out.get(begin..).map_or(0, |d| d.chars().count()) > MAX_DETAIL_CHARS
            {
                let cut = out
                    .get(begin..)
                    .and_then(|d| d.char_indices().nth(MAX_DETAIL_CHARS))
                    .map_or(out.len(), |(at, _)| begin + at);
                out.truncate(cut);
                out.push_str("...");
                return;
            }
        }
        if depth > 0 {
            // An f-string left open: close it as it opened.
            out.push_str(open.trim_start_matches(char::is_alphabetic));
        }
    }

    /// Adds the credential each piece of a string literal is shaped like, on
    /// the line where it stands; only the line and kind are kept. `content`
    /// is the range of the literal's text as written (without quotes).
    pub(super) fn content_credentials(&self, content: TextRange, found: &mut Vec<(u32, &'static str)>) {
        let text = self.src.get(span(content)).unwrap_or("");
        // No credential shape is shorter (`xoxb-` and 10 more).
        if text.len() < 15 {
            return;
        }
        let first_line = self.lines.line(content.start().into());
        if let Some(kind) = credential_kind(text) {
            push_unique(found, (first_line, kind));
            return;
        }
        let is_separator = |c: char| c.is_whitespace() || "\"'`,;()[]{}<>|&?=:@\\".contains(c);
        for token in text.split(is_separator).filter(|t| t.len() >= 16) {
            if let Some(kind) = credential_kind(token) {
                // The token is a slice of `text`: its offset gives its line.
                let offset = (token.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                let newlines = text.get(..offset).map_or(0, |before| before.matches('\n').count());
                let at = first_line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                push_unique(found, (at, kind));
            }
        }
    }
}

/// A string token as `prefix + quotes + ... + quotes` (`rb'...'`, `"""..."""`).
fn push_redacted(text: &str, out: &mut String) {
    let body = text.trim_start_matches(char::is_alphabetic);
    let prefix = text.get(..text.len() - body.len()).unwrap_or("");
    let quotes = match body.as_bytes() {
        [b'\'', b'\'', b'\'', _, _, _, ..] => "'''",
        [b'"', b'"', b'"', _, _, _, ..] => "\"\"\"",
        [b'\'', ..] => "'",
        _ => "\"",
    };
    out.push_str(prefix);
    out.push_str(quotes);
    out.push_str("...");
    out.push_str(quotes);
}

fn push_unique(found: &mut Vec<(u32, &'static str)>, item: (u32, &'static str)) {
    if !found.contains(&item) {
        found.push(item);
    }
}
