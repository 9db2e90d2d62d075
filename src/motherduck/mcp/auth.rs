//! What a 401 or 403 from the MCP server means, from its `WWW-Authenticate`
//! header (pure).
//!
//! Pages followed: MCP 2025-11-25 `basic/authorization.mdx` and 2026-07-28
//! `basic/authorization/index.mdx`, "Error Handling" (401: authorization
//! required or token invalid; 403: invalid scopes or insufficient permissions)
//! and "Runtime Insufficient Scope Errors" (403 with `WWW-Authenticate: Bearer
//! error="insufficient_scope", scope="..."`); RFC 6750 section 3.1 for the
//! `error` codes (`invalid_token`, `insufficient_scope`); RFC 9110 section
//! 11.6.1 for the header's grammar. A 403 may also mean a rejected `Origin`
//! (streamable-http.mdx, "Security Warning"), with a JSON-RPC error body.
//!
//! The messages never contain the token: the caller scrubs every server text.

/// One challenge of a `WWW-Authenticate` header: its scheme and parameters
/// (names lower-cased, values unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Parses a `WWW-Authenticate` value into its challenges (lenient: what
/// cannot be read is skipped).
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    let skip = |i: &mut usize, set: &str| {
        while *i < chars.len() && set.contains(chars[*i]) {
            *i += 1;
        }
    };
    let token = |i: &mut usize| {
        let start = *i;
        while *i < chars.len() && is_tchar(chars[*i]) {
            *i += 1;
        }
        chars[start..*i].iter().collect::<String>()
    };
    let mut challenges: Vec<Challenge> = Vec::new();
    loop {
        skip(&mut i, " \t,");
        if i >= chars.len() {
            return challenges;
        }
        let word = token(&mut i);
        if word.is_empty() {
            i += 1; // not a token character: skip it
            continue;
        }
        let mut j = i;
        skip(&mut j, " \t");
        let is_param = j < chars.len() && chars[j] == '=' && chars.get(j + 1).is_some_and(|c| *c != '=');
        match (is_param, challenges.last_mut()) {
            (true, Some(challenge)) => {
                i = j + 1;
                skip(&mut i, " \t");
                let value = if chars.get(i) == Some(&'"') { quoted(&chars, &mut i) } else { token(&mut i) };
                challenge.params.push((word.to_ascii_lowercase(), value));
            }
            (true, None) => i = j + 1,
            (false, _) => {
                challenges.push(Challenge { scheme: word, params: Vec::new() });
                // A token68 credential after the scheme (`Basic abc==`) is skipped.
                skip(&mut i, " \t");
                let mut k = i;
                let t = token(&mut k);
                let mut eq = k;
                skip(&mut eq, "=");
                let mut after = eq;
                skip(&mut after, " \t");
                if !t.is_empty() && eq > k && matches!(chars.get(after), None | Some(',')) {
                    i = eq;
                }
            }
        }
    }
}

/// A quoted-string starting at `chars[*i]` (the opening quote), unescaped.
fn quoted(chars: &[char], i: &mut usize) -> String {
    let mut out = String::new();
    *i += 1;
    while *i < chars.len() {
        match chars[*i] {
            '"' => {
                *i += 1;
                break;
            }
            '\\' if *i + 1 < chars.len() => {
                out.push(chars[*i + 1]);
                *i += 2;
            }
            c => {
                out.push(c);
                *i += 1;
            }
        }
    }
    out
}

/// The message for HTTP `status` (401 or 403) to `what` at `url`, from the
/// `WWW-Authenticate` header and the JSON-RPC error message of the body.
pub fn refusal_message(status: u16, header: Option<&str>, body_message: Option<&str>, what: &str, url: &str) -> String {
    let bearer =
        header.map(parse_challenges).and_then(|cs| cs.into_iter().find(|c| c.scheme.eq_ignore_ascii_case("bearer")));
    let param = |name: &str| bearer.as_ref().and_then(|c| c.param(name)).filter(|v| !v.trim().is_empty());
    let detail = param("error_description").or(body_message).map(|d| format!(": {d}")).unwrap_or_default();
    match param("error") {
        Some("insufficient_scope") => {
            let scope = param("scope").map_or_else(
                || "a scope it does not name".to_owned(),
                |s| format!("scope {}", s.split_whitespace().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(" ")),
            );
            format!(
                "MotherDuck's MCP server at {url} refused {what}: the token lacks {scope} (HTTP {status} insufficient_scope{detail}); \
                 use an access token whose grant includes it"
            )
        }
        Some("invalid_token") => format!(
            "MotherDuck refused the token at {url} (HTTP {status} invalid_token{detail}): MOTHERDUCK_TOKEN must hold a valid, \
             unexpired MotherDuck access token"
        ),
        _ if status == 401 => format!(
            "MotherDuck's MCP server at {url} asks for authorization (HTTP 401{detail}): check that MOTHERDUCK_TOKEN holds a \
             valid, unexpired access token"
        ),
        _ => format!(
            "MotherDuck's MCP server at {url} refused {what} (HTTP {status} Forbidden{detail}); it did not say the token was \
             invalid or lacked a scope"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_challenges() {
        // authorization/index.mdx, "Runtime Insufficient Scope Errors".
        let header = "Bearer error=\"insufficient_scope\", scope=\"files:write\", \
                      resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource\", \
                      error_description=\"File write permission required for this operation\"";
        let c = &parse_challenges(header)[0];
        assert_eq!(c.scheme, "Bearer");
        assert_eq!(c.param("error"), Some("insufficient_scope"));
        assert_eq!(c.param("scope"), Some("files:write"));
        assert_eq!(c.param("error_description"), Some("File write permission required for this operation"));
        // "Scope Selection Strategy": a 401 with resource_metadata and scope.
        let c = &parse_challenges("Bearer resource_metadata=\"https://x/.well-known/y\",\n scope=\"files:read\"")[0];
        assert_eq!(
            (c.param("resource_metadata"), c.param("scope")),
            (Some("https://x/.well-known/y"), Some("files:read"))
        );
    }

    #[test]
    fn several_challenges_tokens_and_escapes() {
        let cs = parse_challenges(r#"Basic realm="a, b", Bearer ERROR=invalid_token, error_description="say \"no\"""#);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].param("realm"), Some("a, b"));
        assert_eq!(cs[1].param("error"), Some("invalid_token"));
        assert_eq!(cs[1].param("error_description"), Some("say \"no\""));
        let cs = parse_challenges("Basic abc==, Bearer scope=x");
        assert_eq!((cs.len(), cs[1].param("scope")), (2, Some("x")));
        assert_eq!(parse_challenges("Bearer"), vec![Challenge { scheme: "Bearer".into(), params: vec![] }]);
        assert!(parse_challenges("").is_empty() && parse_challenges("=,=").is_empty());
    }

    #[test]
    fn messages_say_what_happened() {
        let url = "https://api.motherduck.com/mcp";
        let scope = refusal_message(
            403,
            Some("Bearer error=\"insufficient_scope\", scope=\"flights:read\""),
            None,
            "get_flight",
            url,
        );
        assert!(scope.contains("lacks scope 'flights:read'") && scope.contains("insufficient_scope"), "{scope}");
        assert!(!scope.contains("unexpired"), "{scope}");
        let refused =
            refusal_message(401, Some("Bearer error=\"invalid_token\", error_description=\"expired\""), None, "x", url);
        assert!(refused.contains("refused the token") && refused.contains("invalid_token: expired"), "{refused}");
        let plain = refusal_message(403, None, Some("Forbidden: invalid Origin"), "get_flight", url);
        assert!(
            plain.contains("HTTP 403 Forbidden: Forbidden: invalid Origin") && !plain.contains("MOTHERDUCK_TOKEN"),
            "{plain}"
        );
        let bare = refusal_message(401, None, None, "x", url);
        assert!(bare.contains("HTTP 401") && bare.contains("MOTHERDUCK_TOKEN"), "{bare}");
        let two = refusal_message(403, Some("Bearer error=insufficient_scope, scope=\"a b\""), None, "x", url);
        assert!(two.contains("scope 'a' 'b'"), "{two}");
    }
}
