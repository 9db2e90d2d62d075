//! String literals: their values (escapes decoded), the literal prefix of
//! an expression, the redacted display of a read, and credential-shaped
//! contents (only line and kind are kept).

use super::scanner::{line, Scanner, Token, MAX_CHAIN};
use crate::flight::credentials::credential_kind;
use tree_sitter::{Node, TreeCursor};

/// At most this many characters of an expression go into a read's `detail`.
pub(super) const MAX_DETAIL_CHARS: usize = 80;

impl<'s> Scanner<'s> {
    /// The value of a plain string literal: a string without interpolation,
    /// an implicit concatenation of them, or a `+` of them; `None` for
    /// anything else (names, interpolations, `%`, bytes).
    pub(super) fn literal(&self, node: Node) -> Option<String> {
        let mut value = String::new();
        let mut stack = vec![node];
        let mut steps = 0;
        while let Some(node) = stack.pop() {
            steps += 1;
            if steps > MAX_CHAIN * 4 {
                return None;
            }
            let ids = self.ids;
            let kind = node.kind_id();
            if kind == ids.string {
                self.push_string_value(node, &mut value)?;
            } else if kind == ids.parenthesized_expression {
                let mut cursor = node.walk();
                let mut inner = node.named_children(&mut cursor).filter(|c| c.kind_id() != ids.comment);
                let (Some(only), None) = (inner.next(), inner.next()) else { return None };
                stack.push(only);
            } else if kind == ids.concatenated_string {
                let mut cursor = node.walk();
                let parts: Vec<Node> =
                    node.named_children(&mut cursor).filter(|c| c.kind_id() != ids.comment).collect();
                stack.extend(parts.into_iter().rev());
            } else if kind == ids.binary_operator {
                let operator = node.child_by_field_id(ids.f_operator).map(|o| self.text(o));
                let (Some("+"), Some(left), Some(right)) =
                    (operator, node.child_by_field_id(ids.f_left), node.child_by_field_id(ids.f_right))
                else {
                    return None;
                };
                stack.push(right);
                stack.push(left);
            } else {
                return None;
            }
        }
        Some(value)
    }

    /// The value of one `string` node, escapes decoded; `None` for bytes, an
    /// interpolation, or an escape we do not decode (`\N{...}`).
    pub(super) fn string_value(&self, node: Node) -> Option<String> {
        let mut value = String::new();
        self.push_string_value(node, &mut value)?;
        Some(value)
    }

    /// [`Self::string_value`], pushed onto `value`.
    fn push_string_value(&self, node: Node, value: &mut String) -> Option<()> {
        let prefix = node.child(0).filter(|c| c.kind_id() == self.ids.string_start).map(|c| self.text(c))?;
        if prefix.contains(['b', 'B']) {
            return None;
        }
        let raw = prefix.contains(['r', 'R']);
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            let kind = child.kind_id();
            if kind == self.ids.string_content {
                self.push_content(child, raw, value)?;
            } else if kind == self.ids.interpolation {
                return None;
            }
        }
        Some(())
    }

    pub(super) fn push_content(&self, content: Node, raw: bool, value: &mut String) -> Option<()> {
        let mut at = content.start_byte();
        let mut cursor = content.walk();
        for piece in content.named_children(&mut cursor) {
            value.push_str(self.src.get(at..piece.start_byte())?);
            let text = self.text(piece);
            let kind = piece.kind_id();
            if kind == self.ids.escape_interpolation {
                value.push_str(text.get(..1)?);
            } else if kind == self.ids.escape_sequence && !raw {
                value.push_str(&unescape(text)?);
            } else {
                value.push_str(text);
            }
            at = piece.end_byte();
        }
        value.push_str(self.src.get(at..content.end_byte())?);
        Some(())
    }

    /// The literal text an expression starts with (`"md:" + name`, `f"md:{db}"`).
    pub(super) fn literal_prefix(&self, node: Node) -> String {
        let mut node = node;
        for _ in 0..MAX_CHAIN {
            match node.kind() {
                "parenthesized_expression" | "concatenated_string" => match node.named_child(0) {
                    Some(first) => node = first,
                    None => break,
                },
                "binary_operator" => match node.child_by_field_id(self.ids.f_left) {
                    Some(left) => node = left,
                    None => break,
                },
                "string" => {
                    let mut value = String::new();
                    let mut cursor = node.walk();
                    for child in node.named_children(&mut cursor) {
                        let kind = child.kind_id();
                        let more = if kind == self.ids.string_content {
                            self.push_content(child, true, &mut value).is_some()
                        } else {
                            kind != self.ids.interpolation
                        };
                        if !more {
                            break;
                        }
                    }
                    return value;
                }
                _ => break,
            }
        }
        String::new()
    }
}

/// The redacted display of a read.
impl<'s> Scanner<'s> {
    /// The expression as written, each string literal's contents replaced by
    /// `...` and comments dropped, on one line, at most [`MAX_DETAIL_CHARS`].
    pub(super) fn display(&self, node: Node) -> String {
        if !self.tokens_whole {
            return self.display_tree(node);
        }
        let display = self.display_tokens(node.start_byte(), node.end_byte());
        #[cfg(test)]
        assert_eq!(display, self.display_tree(node), "the two displays of {:?}", self.text(node));
        display
    }

    /// [`Self::display`] from the walk's tokens in `start..end`.
    fn display_tokens(&self, start: usize, end: usize) -> String {
        let first = self.tokens.partition_point(|t| t.start < start);
        let mut out = String::new();
        let mut chars = 0usize;
        let mut last_end = start;
        // The end of the last string literal: the tokens of its interpolations are in it.
        let mut inside = start;
        for token in self.tokens.get(first..).unwrap_or(&[]) {
            if token.start >= end {
                break;
            }
            if token.start < inside {
                continue;
            }
            let before = out.len();
            if token.start > last_end && !out.is_empty() {
                out.push(' ');
            }
            if let Some((open, close)) = token.string {
                let open = self.src.get(open.0..open.1).unwrap_or("");
                let close = self.src.get(close.0..close.1).unwrap_or("");
                out.push_str(open);
                out.push_str("...");
                out.push_str(if close.is_empty() { open.trim_start_matches(char::is_alphabetic) } else { close });
                inside = token.end;
            } else {
                let text = self.src.get(token.start..token.end).unwrap_or("");
                out.extend(text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
            }
            last_end = token.end;
            chars += out.get(before..).map_or(0, |added| added.chars().count());
            if chars > MAX_DETAIL_CHARS {
                let cut: String = out.chars().take(MAX_DETAIL_CHARS).collect();
                return cut + "...";
            }
        }
        out
    }

    /// [`Self::display`] by a walk of the node (a tree with errors).
    fn display_tree(&self, node: Node) -> String {
        let (string, comment) = (self.ids.string, self.ids.comment);
        let mut out = String::new();
        let mut chars = 0usize;
        let mut last_end = node.start_byte();
        let mut cursor = node.walk();
        'walk: loop {
            let current = cursor.node();
            let kind = current.kind_id();
            let leaf = current.child_count() == 0 || kind == string;
            if leaf && kind != comment {
                let before = out.len();
                if current.start_byte() > last_end && !out.is_empty() {
                    out.push(' ');
                }
                if kind == string {
                    let start = current.child(0).map(|c| self.text(c)).unwrap_or("\"");
                    let end = current.child(current.child_count().saturating_sub(1)).map(|c| self.text(c));
                    out.push_str(start);
                    out.push_str("...");
                    out.push_str(
                        end.filter(|e| !e.is_empty()).unwrap_or(start.trim_start_matches(char::is_alphabetic)),
                    );
                } else {
                    out.extend(self.text(current).chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
                }
                last_end = current.end_byte();
                chars += out.get(before..).map_or(0, |added| added.chars().count());
                if chars > MAX_DETAIL_CHARS {
                    let cut: String = out.chars().take(MAX_DETAIL_CHARS).collect();
                    return cut + "...";
                }
            }
            if !leaf && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() || cursor.node().id() == node.id() {
                    break 'walk;
                }
            }
        }
        out
    }
}

/// Credential-shaped contents of string literals.
impl<'s> Scanner<'s> {
    /// Adds the credential each piece of a string literal is shaped like, on
    /// the line where it stands (when `found` is given); only the line and
    /// kind are kept. Whether the literal holds an interpolation (`f"{x}"`).
    /// `cursor` stands on the `string` node, and is back there after (the
    /// walk's own cursor: no new one is made per string).
    pub(super) fn string_literal(
        &mut self,
        cursor: &mut TreeCursor,
        mut found: Option<&mut Vec<(u32, &'static str)>>,
    ) -> bool {
        let node = cursor.node();
        if !cursor.goto_first_child() {
            self.tokens_whole = false;
            return false;
        }
        let range = |n: Node| (n.start_byte(), n.end_byte());
        let open = range(cursor.node());
        let mut close;
        let mut interpolated = false;
        loop {
            let piece = cursor.node();
            close = range(piece);
            let kind = piece.kind_id();
            if kind == self.ids.string_content {
                if let Some(found) = found.as_deref_mut() {
                    self.content_credentials(piece, found);
                }
            } else if kind == self.ids.interpolation {
                interpolated = true;
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
        cursor.goto_parent();
        let (start, end) = range(node);
        self.tokens_whole &= start < end;
        self.tokens.push(Token { start, end, string: Some((open, close)) });
        interpolated
    }

    fn content_credentials(&self, content: Node, found: &mut Vec<(u32, &'static str)>) {
        let text = self.text(content);
        let first_line = line(content);
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

/// Decodes one escape sequence of a non-raw string; `None` when we do not.
fn unescape(text: &str) -> Option<String> {
    let body = text.strip_prefix('\\')?;
    let mut chars = body.chars();
    let first = chars.next()?;
    let simple = match first {
        '\\' => Some('\\'),
        '\'' => Some('\''),
        '"' => Some('"'),
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '0' if body.len() == 1 => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        '\n' | '\r' => return Some(String::new()),
        _ => None,
    };
    if let Some(c) = simple {
        return Some(c.to_string());
    }
    let hex = match first {
        'x' | 'u' | 'U' => chars.as_str(),
        '0'..='7' => return u32::from_str_radix(body, 8).ok().and_then(char::from_u32).map(String::from),
        _ => return None,
    };
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).map(String::from)
}
