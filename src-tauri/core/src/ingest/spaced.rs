//! Whitespace-aligned text exports (`.txt` reports whose columns are separated by runs of
//! spaces, often with leading spaces): recognising them and reading their records, and the
//! delimiter names a user can choose (`--delimiter`).

use std::io::{self, BufRead};

use super::records::{Layout, Next, RawText, Record, SplitError};
use crate::input::lines::Marks;

/// Lines of the file's head looked at to recognise a whitespace-aligned layout.
pub const SNIFF_LINES: usize = 20;

/// The fields of `line` for a whitespace layout: trimmed, split on runs of at least `run`
/// spaces or tabs (`run` 2 keeps single spaces inside values such as `2019-10-01 10:00:00`).
pub fn split(line: &str, run: u8) -> Vec<&str> {
    let line = line.trim();
    if line.is_empty() {
        return Vec::new();
    }
    if run <= 1 {
        return line.split_whitespace().collect();
    }
    let mut out = Vec::new();
    let (bytes, mut start, mut i) = (line.as_bytes(), 0, 0);
    while i < bytes.len() {
        if bytes[i] == b' ' || bytes[i] == b'\t' {
            let ws = bytes[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            if ws >= run as usize || bytes[i] == b'\t' {
                out.push(&line[start..i]);
                start = i + ws;
            }
            i += ws;
        } else {
            i += 1;
        }
    }
    out.push(&line[start..]);
    out
}

/// A whitespace layout for `lines` (the first lines of a file, header first) when the header
/// has no comma, semicolon, tab or pipe and every non-blank line splits into the same number
/// (> 1) of fields on runs of two or more spaces, or else on any run of spaces. Needs a header
/// and at least one data line.
pub fn sniff(lines: &[&str]) -> Option<Layout> {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).take(SNIFF_LINES).collect();
    let header = lines.first()?;
    if lines.len() < 2 || header.contains([',', ';', '\t', '|']) || header.trim_start().starts_with('{') {
        return None;
    }
    [2u8, 1]
        .into_iter()
        .find(|&run| {
            let n = split(header, run).len();
            n > 1 && lines.iter().all(|l| split(l, run).len() == n)
        })
        .map(Layout::Spaces)
}

/// The layout of a file from its head: whitespace-aligned columns when every first line agrees
/// (see [`sniff`]), else by line 1's delimiters ([`super::records::layout_of`]).
pub(super) fn sniff_layout(head: &[u8], first_line: &str) -> Layout {
    let text = String::from_utf8_lossy(head);
    let mut lines: Vec<&str> = text.lines().collect();
    if !head.ends_with(b"\n") && lines.len() > 1 {
        lines.pop(); // cut at the peek limit
    }
    sniff(&lines).unwrap_or_else(|| super::records::layout_of(first_line))
}

/// The layout a user names with `--delimiter`: `comma`/`,`, `semicolon`/`;`, `tab`/`\t`,
/// `pipe`/`|` or `spaces` (runs of two or more spaces). `None` for anything else.
pub fn named(name: &str) -> Option<Layout> {
    match name.trim().to_ascii_lowercase().as_str() {
        "comma" | "," => Some(Layout::Delimited(b',')),
        "semicolon" | ";" => Some(Layout::Delimited(b';')),
        "tab" | "\\t" | "\t" => Some(Layout::Delimited(b'\t')),
        "pipe" | "|" => Some(Layout::Delimited(b'|')),
        "spaces" | "space" | "whitespace" => Some(Layout::Spaces(2)),
        _ => None,
    }
}

/// How a layout's delimiter is named in messages.
pub fn name_of(layout: Layout) -> &'static str {
    match layout {
        Layout::Delimited(b',') => "comma",
        Layout::Delimited(b';') => "semicolon",
        Layout::Delimited(b'\t') => "tab",
        Layout::Delimited(b'|') => "pipe",
        Layout::Delimited(_) => "custom",
        Layout::Spaces(_) => "spaces",
        Layout::JsonLines => "JSON Lines",
    }
}

/// Read whitespace-aligned records (see [`split`]); blank lines are skipped, a line that is
/// not UTF-8 or too long is a rejected record.
pub fn records<R: BufRead, E: From<io::Error>>(
    mut reader: R,
    marks: &Marks,
    run: u8,
    header: bool,
    on_header: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    f: &mut dyn FnMut(Record) -> Result<Next, E>,
) -> Result<(), E> {
    let mut buf = Vec::new();
    let (mut line_no, mut first) = (0u64, header);
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line_no += 1;
        let bytes = buf.strip_suffix(b"\n").unwrap_or(&buf[..]);
        if bytes.first() == Some(&0) {
            if let Some(long) = marks.take(bytes) {
                if first {
                    first = false;
                    on_header(&[])?;
                    continue;
                }
                let r = Record { line: line_no, fields: Err(SplitError::TooLong { bytes: long.bytes, limit: marks.limit() as u64 }), raw: RawText::Text(&long.excerpt) };
                if let Next::Stop = f(r)? {
                    return Ok(());
                }
                continue;
            }
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            if let Next::Stop = f(Record { line: line_no, fields: Err(SplitError::InvalidUtf8Line), raw: RawText::Text("") })? {
                return Ok(());
            }
            continue;
        };
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        let fields = split(text, run);
        if first {
            first = false;
            on_header(&fields)?;
            continue;
        }
        if let Next::Stop = f(Record { line: line_no, fields: Ok(&fields), raw: RawText::Text(text) })? {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_columns_split_on_runs_of_spaces_keeping_single_spaces_in_values() {
        assert_eq!(split("   user_id    item_id   time", 2), vec!["user_id", "item_id", "time"]);
        assert_eq!(split("  1001       5001      2019-10-01 10:00:00  ", 2), vec!["1001", "5001", "2019-10-01 10:00:00"]);
        assert_eq!(split(" a b  c ", 1), vec!["a", "b", "c"]);
    }

    #[test]
    fn sniffing_needs_consistent_columns_and_no_other_delimiter() {
        let aligned = ["   user   item   time", "   1      5      2019-10-01 10:00:00", "   22     6      2019-10-02 11:00:00"];
        assert_eq!(sniff(&aligned), Some(Layout::Spaces(2)));
        assert_eq!(sniff(&["user item time", "1 5 1570000000", "2 6 1570000001"]), Some(Layout::Spaces(1)));
        assert_eq!(sniff(&["user,item,time", "1,5,7"]), None, "a comma header is CSV");
        assert_eq!(sniff(&["hello world"]), None, "a header alone proves nothing");
        assert_eq!(sniff(&["user item time", "1 5", "2 6 7"]), None, "inconsistent rows");
        assert_eq!((named("Semicolon"), named("|"), named("spaces"), named("x")), (Some(Layout::Delimited(b';')), Some(Layout::Delimited(b'|')), Some(Layout::Spaces(2)), None));
    }
}
