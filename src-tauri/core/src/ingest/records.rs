//! Turning a text stream into records with their physical line numbers: CSV/TSV (any quoting,
//! LF or CRLF, multi-line quoted fields) and JSON Lines.

use std::fmt::Write as _;
use std::io::{self, BufRead};

use smallvec::SmallVec;

use crate::input::lines::{LineLimit, Marks};

/// How records are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Delimited(u8),
    /// Whitespace-aligned columns: fields separated by runs of at least this many spaces
    /// (see [`super::spaced`]).
    Spaces(u8),
    JsonLines,
}

/// Guess the layout from the first line: `{` → JSON Lines; else the most frequent of tab,
/// semicolon and comma (comma on ties).
pub fn layout_of(first_line: &str) -> Layout {
    if first_line.trim_start().starts_with('{') {
        return Layout::JsonLines;
    }
    let count = |c: char| first_line.matches(c).count();
    let (tab, semi, comma) = (count('\t'), count(';'), count(','));
    if tab > comma && tab >= semi {
        Layout::Delimited(b'\t')
    } else if semi > comma {
        Layout::Delimited(b';')
    } else {
        Layout::Delimited(b',')
    }
}

/// Why a line could not be split into fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("{0}")]
    Csv(String),
    #[error("column {column}: invalid UTF-8 (the file is not UTF-8 or GB18030 text)")]
    InvalidUtf8 { column: usize },
    #[error("invalid UTF-8 (the file is not UTF-8 or GB18030 text)")]
    InvalidUtf8Line,
    #[error("not a JSON object: {0}")]
    NotJson(String),
    #[error("no header object")]
    NoHeader,
    /// The line is longer than the record limit; it was skipped without being read whole.
    #[error("the line is {bytes} bytes long, over the limit of {limit} bytes per record")]
    TooLong { bytes: u64, limit: u64 },
}

/// One record as the importer sees it.
pub struct Record<'a> {
    /// 1-based physical line where the record starts.
    pub line: u64,
    /// The fields, or why the line could not be split into fields.
    pub fields: Result<&'a [&'a str], SplitError>,
    /// The record's text (fields joined by the delimiter), for rejected-line storage.
    pub raw: RawText<'a>,
}

/// A record's text, joined only when asked for (most records are never rejected).
#[derive(Debug, Clone, Copy)]
pub enum RawText<'a> {
    Text(&'a str),
    Fields(&'a [&'a str], char),
}

impl std::fmt::Display for RawText<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            RawText::Text(t) => out.write_str(t),
            RawText::Fields(fields, delimiter) => {
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        out.write_char(delimiter)?;
                    }
                    out.write_str(field)?;
                }
                Ok(())
            }
        }
    }
}

/// What the callback answers.
pub enum Next {
    Continue,
    Stop,
}

/// Read every record of `reader` and hand it to `f`, with the default record limit
/// ([`super::DEFAULT_MAX_RECORD_BYTES`]); see [`for_each_limited`].
pub fn for_each<R: BufRead, E: From<io::Error>>(
    reader: R,
    layout: Layout,
    header: bool,
    on_header: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    f: &mut dyn FnMut(Record) -> Result<Next, E>,
) -> Result<(), E> {
    for_each_limited(reader, layout, header, super::DEFAULT_MAX_RECORD_BYTES, on_header, f)
}

/// Read every record of `reader` and hand it to `f`. With `header`, line 1 is returned first
/// through `on_header` and not passed to `f`. For JSON Lines the header is the first object's
/// keys and every object is turned into fields in that key order.
///
/// A line longer than `max_record` bytes is never held in memory: it comes to `f` as a record
/// whose fields are [`SplitError::TooLong`] and whose raw text is a short excerpt (see
/// [`crate::input::lines`]); an over-long header line is passed to `on_header` as no fields.
/// A quoted record spanning lines that grows past the limit without ending fails the whole
/// read with an I/O error carrying [`crate::input::InputError::RecordTooLong`].
pub fn for_each_limited<R: BufRead, E: From<io::Error>>(
    reader: R,
    layout: Layout,
    header: bool,
    max_record: usize,
    on_header: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    f: &mut dyn FnMut(Record) -> Result<Next, E>,
) -> Result<(), E> {
    let (reader, marks) = LineLimit::new(reader, max_record);
    match layout {
        Layout::Delimited(d) => delimited(reader, &marks, d, header, on_header, f),
        Layout::Spaces(run) => super::spaced::records(io::BufReader::with_capacity(1 << 16, reader), &marks, run, header, on_header, f),
        Layout::JsonLines => json_lines(io::BufReader::with_capacity(1 << 16, reader), &marks, on_header, f),
    }
}

/// The record for a marker line standing for an over-long line.
fn too_long<'a>(line: u64, long: &'a crate::input::lines::LongLine, marks: &Marks) -> Record<'a> {
    Record { line, fields: Err(SplitError::TooLong { bytes: long.bytes, limit: marks.limit() as u64 }), raw: RawText::Text(&long.excerpt) }
}

fn delimited<R: io::Read, E: From<io::Error>>(
    reader: R,
    marks: &Marks,
    delimiter: u8,
    header: bool,
    on_header: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    f: &mut dyn FnMut(Record) -> Result<Next, E>,
) -> Result<(), E> {
    // Only '\n' ends a record; a CR before it is stripped from the last field. Positions are
    // then exact: after a record the reader stands on the next line.
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(delimiter).terminator(csv::Terminator::Any(b'\n')).from_reader(reader);
    let mut rec = csv::ByteRecord::new();
    let mut raw = String::new();
    let mut first = header;
    loop {
        let start_line = rdr.position().line();
        marks.record_starts(rdr.position().byte(), start_line);
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    let csv::ErrorKind::Io(io) = e.into_kind() else { unreachable!() };
                    return Err(io.into());
                }
                let r = Record { line: start_line, fields: Err(SplitError::Csv(e.to_string())), raw: RawText::Text("") };
                if let Next::Stop = f(r)? {
                    return Ok(());
                }
                continue;
            }
        }
        if rec.len() == 1 && (rec[0].is_empty() || &rec[0] == b"\r") {
            continue; // blank line
        }
        // The reader now stands after the record's '\n' (on the next line), or at the end of a
        // file without a final newline. Step back over the newlines inside quoted fields.
        let inner = rec.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
        let end = rdr.position().line();
        let line = (if rdr.is_done() { end } else { end - 1 }).saturating_sub(inner).max(start_line);
        if rec.len() == 1 && rec[0].first() == Some(&0) {
            if let Some(long) = marks.take(&rec[0]) {
                if first {
                    first = false;
                    on_header(&[])?;
                    continue;
                }
                if let Next::Stop = f(too_long(line, &long, marks))? {
                    return Ok(());
                }
                continue;
            }
        }
        let mut bad: Option<usize> = None;
        let mut strs: SmallVec<[&str; 16]> = SmallVec::new();
        // Fast path: validate the whole record once, then slice it. The record's buffer holds
        // its fields back to back without delimiters, so the bytes of two invalid fields can
        // join into one valid character: a field bound that is no char boundary sends the
        // record down the field-by-field path, which names the bad field.
        let whole = std::str::from_utf8(rec.as_slice()).ok().and_then(|all| {
            for i in 0..rec.len() {
                let field = all.get(rec.range(i)?)?;
                strs.push(if i + 1 == rec.len() { field.strip_suffix('\r').unwrap_or(field) } else { field });
            }
            Some(())
        });
        match whole {
            Some(()) => {}
            None => {
                strs.clear();
                raw.clear();
                for (i, field) in rec.iter().enumerate() {
                    let field = if i + 1 == rec.len() { field.strip_suffix(b"\r").unwrap_or(field) } else { field };
                    match std::str::from_utf8(field) {
                        Ok(s) => {
                            strs.push(s);
                            if i > 0 {
                                raw.push(delimiter as char);
                            }
                            raw.push_str(s);
                        }
                        Err(_) => {
                            bad = Some(i);
                            break;
                        }
                    }
                }
            }
        }
        if first {
            first = false;
            on_header(&strs)?;
            continue;
        }
        let (fields, text) = match bad {
            Some(i) => (Err(SplitError::InvalidUtf8 { column: i + 1 }), RawText::Text(&raw)),
            None => (Ok(&strs[..]), RawText::Fields(&strs, delimiter as char)),
        };
        if let Next::Stop = f(Record { line, fields, raw: text })? {
            return Ok(());
        }
    }
}

fn json_lines<R: BufRead, E: From<io::Error>>(reader: R, marks: &Marks, on_header: &mut dyn FnMut(&[&str]) -> Result<(), E>, f: &mut dyn FnMut(Record) -> Result<Next, E>) -> Result<(), E> {
    let mut keys: Option<Vec<String>> = None;
    let mut reader = reader;
    let mut buf = Vec::new();
    let mut i = 0usize;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        i += 1;
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf[..]);
        if line.first() == Some(&0) {
            if let Some(long) = marks.take(line) {
                if let Next::Stop = f(too_long(i as u64, &long, marks))? {
                    return Ok(());
                }
                continue;
            }
        }
        // A line that is not UTF-8 is a rejected record, not a failed file.
        let (text, utf8_error) = match std::str::from_utf8(&buf) {
            Ok(t) => (t.trim(), None),
            Err(_) => ("", Some(SplitError::InvalidUtf8Line)),
        };
        if let Some(reason) = utf8_error {
            if let Next::Stop = f(Record { line: i as u64, fields: Err(reason), raw: RawText::Text("") })? {
                return Ok(());
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let parsed: Result<serde_json::Map<String, serde_json::Value>, SplitError> = serde_json::from_str(text).map_err(|e| SplitError::NotJson(e.to_string()));
        if keys.is_none() {
            if let Ok(obj) = &parsed {
                let k: Vec<String> = obj.keys().cloned().collect();
                on_header(&k.iter().map(String::as_str).collect::<Vec<_>>())?;
                keys = Some(k);
            }
        }
        let values: Result<Vec<String>, SplitError> = match (&parsed, &keys) {
            (Ok(obj), Some(k)) => Ok(k
                .iter()
                .map(|k| match obj.get(k) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                })
                .collect()),
            (Err(e), _) => Err(e.clone()),
            (Ok(_), None) => Err(SplitError::NoHeader),
        };
        let strs: Vec<&str> = values.as_ref().map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
        let fields = match &values {
            Ok(_) => Ok(&strs[..]),
            Err(e) => Err(e.clone()),
        };
        if let Next::Stop = f(Record { line: i as u64, fields, raw: RawText::Text(text) })? {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's line and its fields or why it could not be split.
    type Records = Vec<(u64, Result<Vec<String>, SplitError>)>;

    fn collect(text: &str, layout: Layout) -> (Vec<String>, Records) {
        let mut header = Vec::new();
        let mut out = Vec::new();
        for_each::<_, io::Error>(
            text.as_bytes(),
            layout,
            true,
            &mut |h| {
                header = h.iter().map(|s| s.to_string()).collect();
                Ok(())
            },
            &mut |r| {
                out.push((r.line, r.fields.map(|f| f.iter().map(|s| s.to_string()).collect())));
                Ok(Next::Continue)
            },
        )
        .unwrap();
        (header, out)
    }

    #[test]
    fn physical_lines_with_crlf_blank_lines_and_quoted_newlines() {
        let text = "a,b\r\n1,2\r\n\r\n3,\"x\ny\"\n4,5\n6,7";
        let (h, rows) = collect(text, Layout::Delimited(b','));
        assert_eq!(h, ["a", "b"]);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [2, 4, 6, 7]);
        assert_eq!(rows[1].1.as_ref().unwrap()[1], "x\ny");
        assert_eq!(rows[0].1.as_ref().unwrap()[1], "2", "CR stripped");
    }

    #[test]
    fn two_invalid_fields_that_join_into_one_valid_character_are_rejected_not_sliced() {
        // `a,\xC2` + `\x80`: each field is invalid UTF-8, their bytes back to back are "a,\u{80}".
        // Found by `make fuzz` (it panicked slicing inside the character).
        let mut seen = Vec::new();
        for_each::<_, io::Error>(&b"h1\th2\na,\xC2\t\x80\nok\tfine\n"[..], Layout::Delimited(b'\t'), true, &mut |_| Ok(()), &mut |r| {
            seen.push((r.line, r.fields.map(|f| f.join("|")), r.raw.to_string()));
            Ok(Next::Continue)
        })
        .unwrap();
        assert_eq!(seen[0].0, 2);
        assert_eq!(seen[0].1, Err(SplitError::InvalidUtf8 { column: 1 }));
        assert_eq!(seen[1], (3, Ok("ok|fine".into()), "ok\tfine".into()));
    }

    #[test]
    fn json_lines_use_first_objects_keys() {
        let (h, rows) = collect("{\"u\":\"1\",\"t\":5}\n{\"t\":6,\"u\":\"2\"}\nnot json\n", Layout::JsonLines);
        assert_eq!(h, ["t", "u"]);
        assert_eq!(rows[0], (1, Ok(vec!["5".into(), "1".into()])));
        assert_eq!(rows[1], (2, Ok(vec!["6".into(), "2".into()])));
        assert_eq!(rows[2].0, 3);
        assert!(rows[2].1.is_err());
    }

    #[test]
    fn layout_guess() {
        assert_eq!(layout_of("a\tb\tc"), Layout::Delimited(b'\t'));
        assert_eq!(layout_of("a;b;c"), Layout::Delimited(b';'));
        assert_eq!(layout_of("a,b"), Layout::Delimited(b','));
        assert_eq!(layout_of(" {\"a\":1}"), Layout::JsonLines);
    }
}
