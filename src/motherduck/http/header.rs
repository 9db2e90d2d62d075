//! Header values of modern MCP requests (pure).
//!
//! MCP 2026-07-28, `basic/transports/streamable-http.mdx`, "Value Encoding":
//! a value that is not safe as a plain header value (not visible ASCII
//! 0x21-0x7E, space or tab; leading or trailing whitespace; or a plain value
//! that itself looks like the sentinel) is sent as `=?base64?{Base64 of its
//! UTF-8}?=`. The same rule applies to `Mcp-Name` and `Mcp-Param-{Name}`.

const PREFIX: &str = "=?base64?";
const SUFFIX: &str = "?=";

/// `text` as a header value: as is when safe, else in the Base64 sentinel.
pub fn header_value(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        format!("{PREFIX}{}{SUFFIX}", base64(text.as_bytes()))
    }
}

/// Whether `text` may go into a header as it is: visible ASCII, space or tab
/// inside, no whitespace at either end, and not shaped like the sentinel.
fn is_plain(text: &str) -> bool {
    let safe = text.bytes().all(|b| (0x21..=0x7e).contains(&b) || b == b' ' || b == b'\t');
    let padded = text.starts_with([' ', '\t']) || text.ends_with([' ', '\t']);
    let sentinel = text.starts_with(PREFIX) && text.ends_with(SUFFIX);
    safe && !padded && !sentinel
}

/// The value a server reads back from `value` (a plain value, or the sentinel
/// decoded); `None` for a sentinel that is not valid Base64 of UTF-8.
pub fn decode_header_value(value: &str) -> Option<String> {
    match value.strip_prefix(PREFIX).and_then(|rest| rest.strip_suffix(SUFFIX)) {
        Some(encoded) => String::from_utf8(unbase64(encoded)?).ok(),
        None => Some(value.to_owned()),
    }
}

/// Whether `name` may be an HTTP field name (RFC 9110 `token`: one or more `tchar`).
pub fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard Base64 (RFC 4648, with `=` padding).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard Base64 with padding; `None` when malformed.
fn unbase64(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.as_bytes().chunks(4) {
        let pad = chunk.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for (i, b) in chunk[..4 - pad].iter().enumerate() {
            let v = ALPHABET.iter().position(|a| a == b)? as u32;
            n |= v << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of encoding examples in streamable-http.mdx, "Value Encoding".
    #[test]
    fn the_pages_examples() {
        assert_eq!(header_value("us-west1"), "us-west1");
        assert_eq!(header_value("Hello, 世界"), "=?base64?SGVsbG8sIOS4lueVjA==?=");
        assert_eq!(header_value(" padded "), "=?base64?IHBhZGRlZCA=?=");
        assert_eq!(header_value("line1\nline2"), "=?base64?bGluZTEKbGluZTI=?=");
        assert_eq!(header_value("=?base64?literal?="), "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    }

    #[test]
    fn plain_tool_names_stay_plain() {
        for name in ["get_flight", "list_flights", "a b", "x\ty", "=?base64?open"] {
            assert_eq!(header_value(name), name);
        }
        assert_eq!(header_value("tab\t"), format!("=?base64?{}?=", base64(b"tab\t")));
        assert_eq!(header_value("caf\u{e9}"), "=?base64?Y2Fmw6k=?=");
        assert_eq!(header_value(""), "");
    }

    #[test]
    fn round_trips() {
        for text in ["", "a", "ab", "abc", "abcd", "Hello, 世界", " x ", "\u{1}", "=?base64?x?="] {
            assert_eq!(decode_header_value(&header_value(text)).as_deref(), Some(text), "{text:?}");
        }
        assert_eq!(decode_header_value("=?base64?***?="), None);
        assert_eq!(decode_header_value("=?base64?/w==?="), None, "not UTF-8");
    }

    #[test]
    fn field_names() {
        assert!(is_field_name("Region") && is_field_name("X-Tenant_1"));
        assert!(!is_field_name("") && !is_field_name("a b") && !is_field_name("a\r\nb") && !is_field_name("é"));
    }
}
