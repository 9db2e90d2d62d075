//! String literals: their values (ruff's parser decodes the escapes), the
//! literal prefix of an expression, the redacted display of a read (from the
//! parser's tokens), and credential-shaped contents (only line and kind are kept).

use super::scanner::{span, Scanner, MAX_CHAIN};
use crate::flight::credentials::credential_kind;
use ruff_python_ast::{Expr, ExprFString, FStringPart, InterpolatedStringElement, Operator};
use ruff_text_size::TextRange;

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

impl Scanner<'_> {
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

fn push_unique(found: &mut Vec<(u32, &'static str)>, item: (u32, &'static str)) {
    if !found.contains(&item) {
        found.push(item);
    }
}
