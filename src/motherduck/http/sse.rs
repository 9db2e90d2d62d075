//! Server-Sent Events, as MCP's Streamable HTTP transport uses them (pure).
//!
//! The event-stream format is WHATWG HTML's "Server-sent events",
//! "Interpreting an event stream": `data:` lines join with a newline, a blank
//! line dispatches the event, `:` starts a comment, `id:` sets the last event
//! id (kept across events and reconnections; one with a NUL is ignored) and
//! `retry:` (digits only) the reconnection time in milliseconds; an event cut
//! off by the end of the stream is discarded.
//!
//! Polling (MCP 2025-11-25, `basic/transports.mdx`, "Sending Messages to the
//! Server" item 6 and "Resumability and Redelivery"): a server may send a
//! priming event (an id and empty data), then close the connection before the
//! response. The client waits the `retry` time and resumes with a GET carrying
//! `Last-Event-ID`. [`resume_wait`] is that decision; the I/O is in the transport.

use std::io::BufRead;
use std::time::Duration;

/// The reconnection time when the server sent no `retry:` (WHATWG leaves it to
/// the client; MCP's server SHOULD send one before closing).
pub const DEFAULT_RETRY: Duration = Duration::from_millis(1000);
/// How many times one request's stream may be resumed.
pub const MAX_RESUMES: u32 = 50;

/// What a stream leaves for the next connection to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The last event id dispatched (WHATWG's "last event ID string").
    pub last_event_id: Option<String>,
    /// The server's `retry:` hint.
    pub retry: Option<Duration>,
}

/// A line-by-line event-stream parser; its [`Cursor`] outlives a connection.
#[derive(Debug, Default)]
pub struct Parser {
    data: Option<String>,
    id_buffer: Option<String>,
    pub cursor: Cursor,
}

impl Parser {
    /// Feeds one line (without its line ending); returns the data of the
    /// event a blank line dispatches.
    pub fn line(&mut self, line: &str) -> Option<String> {
        if line.is_empty() {
            self.cursor.last_event_id.clone_from(&self.id_buffer);
            return self.data.take();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "id" if !value.contains('\0') => self.id_buffer = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.cursor.retry = value.parse::<u64>().ok().map(Duration::from_millis);
            }
            _ => {}
        }
        None
    }

    /// The end of a connection: a half-received event is dropped.
    pub fn end_of_stream(&mut self) {
        self.data = None;
    }
}

/// The data of the next event on `reader` (an empty string for an event with
/// empty data, such as a priming event); `None` at the end of the stream.
pub fn next_event(reader: &mut impl BufRead, parser: &mut Parser) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            parser.end_of_stream();
            return Ok(None);
        }
        let text = line.strip_suffix('\n').unwrap_or(&line);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(data) = parser.line(text) {
            return Ok(Some(data));
        }
    }
}

/// Why a stream that ended before its response cannot be resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoResume {
    /// The server sent no event id: there is nothing to resume from.
    NoEventId,
    /// Waiting `retry` would run past the request's time limit.
    OutOfTime(Duration),
    /// Resumed [`MAX_RESUMES`] times already.
    TooManyResumes,
}

/// How long to wait before resuming a stream that ended before the response
/// (`resumes` done so far, `remaining` of the request's time limit).
pub fn resume_wait(cursor: &Cursor, remaining: Duration, resumes: u32) -> Result<Duration, NoResume> {
    if cursor.last_event_id.as_deref().unwrap_or("").is_empty() {
        return Err(NoResume::NoEventId);
    }
    if resumes >= MAX_RESUMES {
        return Err(NoResume::TooManyResumes);
    }
    let wait = cursor.retry.unwrap_or(DEFAULT_RETRY);
    if wait >= remaining {
        return Err(NoResume::OutOfTime(wait));
    }
    Ok(wait)
}

/// The data of each event of a whole event-stream body.
pub fn sse_messages(body: &str) -> Vec<String> {
    let mut reader = std::io::Cursor::new(body.as_bytes());
    let mut parser = Parser::default();
    std::iter::from_fn(|| next_event(&mut reader, &mut parser).ok().flatten()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_comments_and_multiline_data() {
        let body =
            "event: message\ndata: {\"a\":1}\n\n: comment\ndata: {\"b\":\r\ndata: 2}\r\n\r\ndata\n\ndata: cut off";
        assert_eq!(sse_messages(body), vec!["{\"a\":1}", "{\"b\":\n2}", ""]);
        assert!(sse_messages("").is_empty());
        assert_eq!(sse_messages("\u{feff}data:x\n\n"), vec!["x"]);
    }

    /// A priming event (an id and empty data), a retry hint, then the end.
    #[test]
    fn the_priming_event_and_retry_are_remembered() {
        let mut reader = std::io::Cursor::new(&b"id: s1-0\ndata:\n\nretry: 250\n\n"[..]);
        let mut parser = Parser::default();
        assert_eq!(next_event(&mut reader, &mut parser).unwrap(), Some(String::new()));
        assert_eq!(next_event(&mut reader, &mut parser).unwrap(), None);
        assert_eq!(
            parser.cursor,
            Cursor { last_event_id: Some("s1-0".into()), retry: Some(Duration::from_millis(250)) }
        );
    }

    #[test]
    fn ids_follow_the_whatwg_rules() {
        let mut parser = Parser::default();
        for line in ["id: 7", "data: a", ""] {
            parser.line(line);
        }
        assert_eq!(parser.cursor.last_event_id.as_deref(), Some("7"));
        // An id with NUL is ignored; the buffer carries over to the next event.
        for line in ["id: x\0y", "data: b", ""] {
            parser.line(line);
        }
        assert_eq!(parser.cursor.last_event_id.as_deref(), Some("7"));
        // An id of an event cut off by the end of the stream is not taken.
        parser.line("id: 9");
        parser.end_of_stream();
        assert_eq!(parser.cursor.last_event_id.as_deref(), Some("7"));
        // retry must be digits.
        parser.line("retry: 1.5");
        parser.line("retry: -3");
        assert_eq!(parser.cursor.retry, None);
    }

    #[test]
    fn resuming_waits_the_retry_time_within_the_limit() {
        let second = Duration::from_secs(1);
        let cursor = Cursor { last_event_id: Some("s1-0".into()), retry: Some(Duration::from_millis(100)) };
        assert_eq!(resume_wait(&cursor, second, 0), Ok(Duration::from_millis(100)));
        assert_eq!(
            resume_wait(&cursor, Duration::from_millis(100), 0),
            Err(NoResume::OutOfTime(cursor.retry.unwrap()))
        );
        assert_eq!(resume_wait(&cursor, second, MAX_RESUMES), Err(NoResume::TooManyResumes));
        let no_retry = Cursor { retry: None, ..cursor.clone() };
        assert_eq!(resume_wait(&no_retry, 2 * second, 0), Ok(DEFAULT_RETRY));
        assert_eq!(resume_wait(&Cursor::default(), second, 0), Err(NoResume::NoEventId));
        let empty_id = Cursor { last_event_id: Some(String::new()), ..cursor };
        assert_eq!(resume_wait(&empty_id, second, 0), Err(NoResume::NoEventId));
    }
}
