//! Keeping a deeply nested source from exhausting the stack.
//!
//! Ruff's parser is recursive descent, its visitor recurses, and its tree is
//! dropped recursively: each level of nesting in the source (a bracket, a
//! unary operator, a `lambda:`, an `if` block, a left-nested `a + b + ...`
//! chain) costs stack in all three. Python itself refuses a source nested
//! past 200 brackets or 100 indentation levels (CPython's tokenizer:
//! "too many nested parentheses", "too many levels of indentation"); the
//! scan accepts much more, but nothing may overflow on any input.
//!
//! So before parsing, [`guarded`] bounds how deep the source can nest (a
//! bound on the levels the parse, the walk and the drop can reach), and runs
//! the whole scan (parse, walk, drop) on a stack that holds that many levels
//! ([`PER_LEVEL`] bytes each): the caller's own stack when enough of it is
//! left, which is the common case, else a stack allocated for the call
//! (`stacker`). The bound:
//! - first [`loose_bound`], one pass over the bytes: the number of tokens at
//!   most (every punctuation byte and every word start, strings and comments
//!   included) plus twice the deepest indentation. Every level of nesting
//!   consumes at least one token of its own, so this is a true bound; for a
//!   40-line source it is about 500.
//! - for a source whose loose bound passes [`MAX_LEVELS`] (a few hundred
//!   kilobytes of code), [`tight_bound`] runs ruff's lexer (no recursion in it) and
//!   counts per bracket level only the tokens that can still enclose what
//!   follows: a comma closes the expressions before it (except inside a
//!   `lambda`'s parameters), a logical line end closes the statement.
//!
//! A source whose tight bound still passes [`MAX_LEVELS`] is not parsed: the
//! scan reports a syntax error (Python would refuse it long before).

use super::lines::LineIndex;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{lexer::lex, Mode};

/// Stack bytes one token of nesting may take in the parse, the walk and the
/// drop. Measured on ruff's parser in a release build (a probe parsing,
/// walking and dropping N nested constructs on a 4 MiB stack): an unclosed
/// `(` takes 2.3 KB, the costliest per token (`f(` 2.3 KB per two tokens,
/// `f"{` 3.7 KB per three, `-` 0.9 KB, an `if` block 1.4 KB per five,
/// `a + b + ...` 64 bytes); this is about twice that. Debug builds (the
/// tests) take several times more.
#[cfg(not(debug_assertions))]
pub(super) const PER_LEVEL: usize = 5 << 10;
#[cfg(debug_assertions)]
pub(super) const PER_LEVEL: usize = 32 << 10;
/// Stack for the scan around the nesting (its frames, the walk's state).
const BASE_STACK: usize = 256 << 10;
/// The most levels the scan takes on: 50,000 (a stack of at most 250 MiB in
/// a release build, reserved, and touched only as deep as the source goes:
/// 50,000 unclosed `(` touch about 115 MiB). Python stops at 200 brackets.
pub(super) const MAX_LEVELS: usize = 50_000;

/// What [`guarded`] did.
pub(super) enum Guard<T> {
    /// It ran the scan, on a stack deep enough.
    Ran(T),
    /// The source nests past [`MAX_LEVELS`]; the byte offset where it nests deepest.
    TooDeep(u32),
}

/// Runs `scan` on a stack that holds the nesting of `source` (see the module docs).
pub(super) fn guarded<T>(source: &str, lines: &LineIndex, scan: impl FnOnce() -> T) -> Guard<T> {
    let mut levels = loose_bound(source, lines);
    if levels > MAX_LEVELS {
        levels = tight_bound(source);
        if levels > MAX_LEVELS {
            return Guard::TooDeep(deepest_bracket(source));
        }
    }
    let stack = BASE_STACK + levels * PER_LEVEL;
    Guard::Ran(stacker::maybe_grow(stack, stack, scan))
}

/// Tokens at most (punctuation bytes and word starts) plus twice the deepest indentation.
pub(super) fn loose_bound(source: &str, lines: &LineIndex) -> usize {
    // A punctuation byte is a token; a word byte after a non-word byte starts one.
    let (mut tokens, mut in_word) = (0usize, false);
    for &byte in source.as_bytes() {
        let class = CLASS[usize::from(byte)];
        let word = class == WORD;
        tokens += usize::from(class == PUNCTUATION) + usize::from(word & !in_word);
        in_word = word;
    }
    // The indentation: the whitespace that starts each line.
    let mut max_indent = 0usize;
    for &start in lines.starts() {
        let line = source.as_bytes().get(start as usize..).unwrap_or(&[]);
        let indent = line.iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b'\x0c' | b'\r')).count();
        max_indent = max_indent.max(indent);
    }
    tokens + 2 * max_indent
}

const SPACE: u8 = 0;
const WORD: u8 = 1;
const PUNCTUATION: u8 = 2;

/// Each byte's class: space (` `, tab, form feed, `\r`, `\n`), word (ASCII
/// letters, digits, `_`, every byte of a non-ASCII character), punctuation.
static CLASS: [u8; 256] = {
    let mut class = [PUNCTUATION; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            class[byte] = WORD;
        } else if matches!(b, b' ' | b'\t' | b'\x0c' | b'\r' | b'\n') {
            class[byte] = SPACE;
        }
        byte += 1;
    }
    class
};

/// Slack per open level for the nodes that own no token (a tuple, a statement).
const SLACK: usize = 4;

/// One open bracket level: the tokens in its current element, and the
/// `lambda`s whose `:` is still to come.
#[derive(Default)]
struct Level {
    tokens: usize,
    lambdas: usize,
}

/// The deepest the parse can nest, by ruff's own tokens (see the module docs).
pub(super) fn tight_bound(source: &str) -> usize {
    let mut lexer = lex(source, Mode::Module);
    let mut levels = vec![Level::default()];
    let (mut open_tokens, mut indent, mut deepest) = (0usize, 0usize, 0usize);
    loop {
        let kind = lexer.next_token();
        let top = levels.len();
        let Some(level) = levels.last_mut() else { break };
        match kind {
            TokenKind::EndOfFile => break,
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent = indent.saturating_sub(1),
            TokenKind::Comment | TokenKind::NonLogicalNewline => {}
            TokenKind::Newline | TokenKind::Semi if top == 1 => {
                open_tokens -= level.tokens;
                *level = Level::default();
            }
            TokenKind::Comma if level.lambdas == 0 => {
                open_tokens -= level.tokens;
                level.tokens = 0;
            }
            _ => {
                level.tokens += 1;
                open_tokens += 1;
                match kind {
                    TokenKind::Lambda => level.lambdas += 1,
                    TokenKind::Colon => level.lambdas = level.lambdas.saturating_sub(1),
                    TokenKind::Lpar
                    | TokenKind::Lsqb
                    | TokenKind::Lbrace
                    | TokenKind::FStringStart
                    | TokenKind::TStringStart => levels.push(Level::default()),
                    TokenKind::Rpar
                    | TokenKind::Rsqb
                    | TokenKind::Rbrace
                    | TokenKind::FStringEnd
                    | TokenKind::TStringEnd
                        if top > 1 =>
                    {
                        if let Some(closed) = levels.pop() {
                            open_tokens -= closed.tokens;
                        }
                    }
                    _ => {}
                }
            }
        }
        deepest = deepest.max(open_tokens + SLACK * levels.len() + 2 * indent);
    }
    deepest
}

/// Where the brackets of `source` (counted as bytes, strings included) nest deepest.
fn deepest_bracket(source: &str) -> u32 {
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    for (offset, byte) in source.bytes().enumerate() {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    (deepest, at) = (depth, offset);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    u32::try_from(at).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loose bound is at least the number of tokens ruff's lexer makes of
    /// any text (each level of nesting needs a token of its own).
    #[test]
    fn the_loose_bound_counts_every_token() {
        let pieces = [
            "(", ")", "[", "f\"{", "}\"", "'s'", "x", "é", " ", "\n", "  ", "\t", "lambda:", "1.5e3", "#c", "\\\n",
            "+=", "not ", ",",
        ];
        let mut seed: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..2000 {
            let mut source = String::new();
            for _ in 0..(seed % 40) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                source.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let mut lexer = lex(&source, Mode::Module);
            let mut tokens = 0usize;
            loop {
                match lexer.next_token() {
                    TokenKind::EndOfFile => break,
                    TokenKind::Newline | TokenKind::NonLogicalNewline | TokenKind::Dedent | TokenKind::Comment => {}
                    _ => tokens += 1,
                }
            }
            let bound = loose_bound(&source, &LineIndex::new(&source));
            assert!(bound >= tokens, "{source:?}: bound {bound} < {tokens} tokens");
        }
    }
}
