//! [`LineLimit`]: a text stream with every over-long line replaced by a one-line marker.
//!
//! A line longer than the limit is never held: its first bytes are kept for an excerpt, the
//! rest is skipped to the next `\n` straight out of the underlying buffer, and a short marker
//! line takes its place, so line numbers downstream stay exact. The consumer (a CSV or JSON
//! Lines parser) recognises the marker with [`Marks::take`] and reports the line as rejected.
//! Memory is bounded by the limit (one line start held while its end is looked for).
//!
//! Cost on the hot path: one `memchr` and one `memrchr` per buffer handed out, and a copy of
//! the line that straddles each buffer boundary; short lines otherwise pass straight through.
//!
//! A consumer that parses multi-line records (quoted CSV fields) tells the limiter where each
//! record starts ([`Marks::record_starts`]); a record that grows past the limit without ending
//! fails the read with [`InputError::RecordTooLong`]: one unterminated quote would otherwise
//! turn the rest of the file into one record held in memory.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use super::{excerpt, InputError, EXCERPT_CHARS};

/// Bytes a consumer may buffer beyond the record it parses (its read-ahead), tolerated before
/// a record counts as over the limit.
const READ_AHEAD: u64 = 1 << 16;

/// An over-long line that a marker stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongLine {
    /// Its length in bytes, without the `\n`.
    pub bytes: u64,
    /// Its first characters and length (see [`super::excerpt`]).
    pub excerpt: String,
}

/// What a [`LineLimit`] shares with its consumer: the long lines behind the markers it wrote.
pub struct Marks {
    nonce: u64,
    next: Cell<u64>,
    pending: RefCell<VecDeque<(u64, LongLine)>>,
    /// Where the consumer's current record starts: (byte offset in the limited stream, line).
    record: Cell<Option<(u64, u64)>>,
    limit: usize,
}

impl Marks {
    /// The long line that `line` (a record's text without its `\n`) marks, if it is this
    /// limiter's marker. A line that merely looks like one (wrong nonce or number) is `None`
    /// and is parsed as ordinary data.
    pub fn take(&self, line: &[u8]) -> Option<LongLine> {
        if line.first() != Some(&0) {
            return None;
        }
        let text = std::str::from_utf8(line.strip_prefix(b"\0")?.strip_suffix(b"\0")?).ok()?;
        let (nonce, seq) = text.split_once(':')?;
        if u64::from_str_radix(nonce, 16).ok()? != self.nonce {
            return None;
        }
        let seq: u64 = seq.parse().ok()?;
        let mut pending = self.pending.borrow_mut();
        let i = pending.iter().position(|(s, _)| *s == seq)?;
        pending.remove(i).map(|(_, l)| l)
    }

    /// The consumer starts a record at byte `offset` of the limited stream, on `line`.
    pub fn record_starts(&self, offset: u64, line: u64) {
        self.record.set(Some((offset, line)));
    }

    /// The limit in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

/// See the module docs. Reads from `R`, hands out whole lines.
pub struct LineLimit<R> {
    inner: R,
    max: usize,
    /// The start of the current line, held until its end is seen (≤ `max` bytes).
    partial: Vec<u8>,
    /// Bytes to hand out before reading on.
    ready: Vec<u8>,
    ready_pos: usize,
    /// Bytes handed out so far.
    emitted: u64,
    marks: Rc<Marks>,
}

impl<R: BufRead> LineLimit<R> {
    /// Limit the lines of `inner` to `max` bytes (without the `\n`; at least 1).
    pub fn new(inner: R, max: usize) -> (Self, Rc<Marks>) {
        let max = max.max(1);
        let nonce = rand::random::<u64>();
        let marks = Rc::new(Marks { nonce, next: Cell::new(0), pending: RefCell::new(VecDeque::new()), record: Cell::new(None), limit: max });
        let me = LineLimit { inner, max, partial: Vec::new(), ready: Vec::new(), ready_pos: 0, emitted: 0, marks: Rc::clone(&marks) };
        (me, marks)
    }

    /// Queue the marker for a long line of `bytes` bytes starting with `head`.
    fn mark(&mut self, head: &[u8], bytes: u64) {
        let seq = self.marks.next.get();
        self.marks.next.set(seq + 1);
        self.marks.pending.borrow_mut().push_back((seq, LongLine { bytes, excerpt: excerpt(head, bytes) }));
        self.ready.clear();
        self.ready_pos = 0;
        self.ready.extend_from_slice(format!("\0{:x}:{seq}\0\n", self.marks.nonce).as_bytes());
    }

    /// Skip the rest of a long line whose first `seen` bytes (starting with `head`) are gone,
    /// through its `\n` or the end of input; then queue its marker.
    fn skip_long(&mut self, mut head: Vec<u8>, mut seen: u64) -> io::Result<()> {
        loop {
            let data = self.inner.fill_buf()?;
            if data.is_empty() {
                break;
            }
            if head.len() < EXCERPT_CHARS * 4 {
                let take = (EXCERPT_CHARS * 4 - head.len()).min(data.len());
                head.extend_from_slice(&data[..take]);
            }
            match memchr::memchr(b'\n', data) {
                Some(i) => {
                    seen += i as u64;
                    self.inner.consume(i + 1);
                    break;
                }
                None => {
                    let n = data.len();
                    seen += n as u64;
                    self.inner.consume(n);
                }
            }
        }
        self.mark(&head, seen);
        Ok(())
    }

    fn hand_out(&mut self, buf: &mut [u8]) -> usize {
        let n = (self.ready.len() - self.ready_pos).min(buf.len());
        buf[..n].copy_from_slice(&self.ready[self.ready_pos..self.ready_pos + n]);
        self.ready_pos += n;
        n
    }

    fn check_record(&self) -> io::Result<()> {
        if let Some((start, line)) = self.marks.record.get() {
            if self.emitted.saturating_sub(start) > self.max as u64 + READ_AHEAD {
                return Err(InputError::RecordTooLong { line, limit: self.max as u64 }.into());
            }
        }
        Ok(())
    }
}

impl<R: BufRead> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.check_record()?;
        loop {
            if self.ready_pos < self.ready.len() {
                let n = self.hand_out(buf);
                self.emitted += n as u64;
                return Ok(n);
            }
            let data = self.inner.fill_buf()?;
            if data.is_empty() {
                if self.partial.is_empty() {
                    return Ok(0);
                }
                // The last line, without a final newline.
                std::mem::swap(&mut self.ready, &mut self.partial);
                self.partial.clear();
                self.ready_pos = 0;
                continue;
            }
            // At most `max` + 1 bytes: a line wholly inside the window is then within the limit.
            let window = &data[..data.len().min(buf.len()).min(self.max + 1)];
            let held = self.partial.len();
            match memchr::memchr(b'\n', window) {
                None if held + window.len() > self.max => {
                    let mut head = std::mem::take(&mut self.partial);
                    head.truncate(EXCERPT_CHARS * 4);
                    if head.len() < EXCERPT_CHARS * 4 {
                        head.extend_from_slice(&window[..window.len().min(EXCERPT_CHARS * 4 - head.len())]);
                    }
                    let seen = (held + window.len()) as u64;
                    let n = window.len();
                    self.inner.consume(n);
                    self.skip_long(head, seen)?;
                }
                None => {
                    self.partial.extend_from_slice(window);
                    let n = window.len();
                    self.inner.consume(n);
                }
                Some(first) if held + first > self.max => {
                    let mut head = std::mem::take(&mut self.partial);
                    head.truncate(EXCERPT_CHARS * 4);
                    if head.len() < EXCERPT_CHARS * 4 {
                        head.extend_from_slice(&window[..first.min(EXCERPT_CHARS * 4 - head.len())]);
                    }
                    self.inner.consume(first + 1);
                    self.mark(&head, (held + first) as u64);
                }
                Some(first) if held > 0 => {
                    self.partial.extend_from_slice(&window[..=first]);
                    self.inner.consume(first + 1);
                    std::mem::swap(&mut self.ready, &mut self.partial);
                    self.partial.clear();
                    self.ready_pos = 0;
                }
                Some(_) => {
                    // Whole lines, each within the limit: straight through.
                    let end = memchr::memrchr(b'\n', window).map_or(0, |i| i + 1);
                    buf[..end].copy_from_slice(&window[..end]);
                    self.inner.consume(end);
                    self.emitted += end as u64;
                    return Ok(end);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything `input` becomes through a limit of `max`, with markers resolved.
    fn through(input: &[u8], max: usize, chunk: usize, buf_cap: usize) -> Vec<String> {
        let (mut r, marks) = LineLimit::new(io::BufReader::with_capacity(buf_cap, input), max);
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out.split(|&b| b == b'\n')
            .map(|l| match marks.take(l) {
                Some(long) => format!("<{}>", long.excerpt),
                None => String::from_utf8_lossy(l).into_owned(),
            })
            .collect()
    }

    #[test]
    fn long_lines_become_markers_and_every_other_byte_passes() {
        let long = "x".repeat(300);
        let input = format!("a,b\n{long}\nc,d\r\n{}\nlast", "y".repeat(10));
        for (chunk, cap) in [(8192, 64), (7, 5), (1, 1), (64, 1000), (3, 17)] {
            let lines = through(input.as_bytes(), 10, chunk, cap);
            let marker = format!("<{}… (300 bytes)>", "x".repeat(EXCERPT_CHARS));
            assert_eq!(lines, ["a,b", marker.as_str(), "c,d\r", "yyyyyyyyyy", "last"], "chunk {chunk}, buffer {cap}");
        }
        // A long last line without a newline, and exactly-at-the-limit lines.
        let lines = through(b"0123456789\n0123456789A", 10, 4, 3);
        assert_eq!(lines, ["0123456789", "<0123456789A… (11 bytes)>", ""]);
    }

    #[test]
    fn a_lookalike_marker_is_data() {
        let (mut r, marks) = LineLimit::new(&b"\x00abc:0\x00\n"[..], 100);
        let mut s = Vec::new();
        r.read_to_end(&mut s).unwrap();
        assert_eq!(marks.take(&s[..s.len() - 1]), None);
    }

    #[test]
    fn a_record_running_past_the_limit_fails() {
        let input = format!("\"{}", "a,b\n".repeat(100_000));
        let (mut r, marks) = LineLimit::new(input.as_bytes(), 1000);
        marks.record_starts(0, 1);
        let e = io::copy(&mut r, &mut io::sink()).unwrap_err();
        assert_eq!(InputError::of(&e), Some(&InputError::RecordTooLong { line: 1, limit: 1000 }));
    }
}
