//! Logged bandit feedback in the Open Bandit Dataset format, read into columns.
//!
//! An OBD file (`open-bandit/{random,bts}/all.csv`) is a CSV whose first column is an unnamed
//! row index, followed by `timestamp,item_id,position,click,propensity_score,user_feature_*,
//! user-item_affinity_*`. Only four columns are used, found by name in the header (in any
//! order; others are ignored):
//!
//! | column | meaning | accepted |
//! |---|---|---|
//! | `item_id` | the action shown | integer 0 ≤ id < 1,048,576 |
//! | `position` | the slot it was shown in | integer ≤ 64; numbered from 0 or 1 |
//! | `click` | the reward | 0 or 1 |
//! | `propensity_score` | the logging policy's probability of the action | 0 < p ≤ 1 |
//!
//! Items: `n_items` = largest `item_id` + 1 (obp's `OpenBanditDataset` does the same).
//! Positions: obp maps `position` to 0.. with a dense rank; the studio requires the logged
//! positions to be consecutive, starting at 0 or 1 (the "position base", detected from the
//! smallest value), so the dense rank is simply `position − base` and policy files can use the
//! logs' own numbering. Read in one streaming pass with one reused record.
//!
//! Bounds: only a regular file is read ([`crate::input::open_regular`]; `/dev/zero`, a FIFO or
//! a directory is refused by kind); a line over [`MAX_LINE_BYTES`] is an error naming it,
//! found without holding the line; at most [`MAX_ROWS`] rows (24 bytes each in memory).

use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use super::OpeError;
use crate::input::lines::LineLimit;

/// Largest accepted `item_id` + 1.
pub const MAX_ITEMS: usize = 1 << 20;
/// Largest accepted position number.
pub const MAX_POSITION: u32 = 64;
/// Longest accepted line, in bytes (an OBD line with every feature column is ~300 bytes).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most accepted rows (the full Open Bandit `bts/all` has about 12 million).
pub const MAX_ROWS: usize = 50_000_000;

/// The four columns of an OBD log, positions 0-based.
#[derive(Debug, Clone, PartialEq)]
pub struct Logs {
    path: String,
    action: Vec<u32>,
    position: Vec<u32>,
    reward: Vec<f64>,
    pscore: Vec<f64>,
    n_items: usize,
    n_positions: usize,
    position_base: u32,
    clicks: u64,
}

/// The text of a field for an error message (at most 40 characters).
pub(crate) fn shown(field: &[u8]) -> String {
    let s = String::from_utf8_lossy(field);
    let s = s.trim();
    if s.chars().count() > 40 {
        format!("{:?}…", s.chars().take(40).collect::<String>())
    } else {
        format!("{s:?}")
    }
}

pub(crate) fn parse_int(field: &[u8]) -> Option<u32> {
    std::str::from_utf8(field).ok()?.trim().parse().ok()
}

pub(crate) fn parse_f64(field: &[u8]) -> Option<f64> {
    std::str::from_utf8(field).ok()?.trim().parse().ok()
}

/// Map a csv-crate error to one naming the file and line.
pub(crate) fn csv_error(path: &str, e: csv::Error) -> OpeError {
    let line = e.position().map_or(0, |p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(source) => OpeError::Read { path: path.to_string(), source },
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => OpeError::Malformed { path: path.to_string(), line, reason: format!("{len} fields where the header has {expected_len}") },
        other => OpeError::Malformed { path: path.to_string(), line, reason: format!("{other:?}") },
    }
}

/// Indices of `wanted` columns in a header, or a `Malformed` error on line 1 listing the
/// missing ones.
pub(crate) fn find_columns<const K: usize>(path: &str, header: &ByteRecord, wanted: [&str; K]) -> Result<[usize; K], OpeError> {
    let names: Vec<String> = header.iter().map(|f| String::from_utf8_lossy(f).trim().trim_start_matches('\u{feff}').to_string()).collect();
    let mut idx = [0; K];
    let mut missing = Vec::new();
    for (k, w) in wanted.iter().enumerate() {
        match names.iter().position(|n| n == w) {
            Some(i) => idx[k] = i,
            None => missing.push(*w),
        }
    }
    if missing.is_empty() {
        return Ok(idx);
    }
    let have: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    Err(OpeError::Malformed { path: path.to_string(), line: 1, reason: format!("header lacks column(s) {} (it starts {:?}; expected {})", missing.join(", "), have, wanted.join(", ")) })
}

impl Logs {
    /// Read an OBD log. Any bad row is an error naming its line and column: OPE over a log
    /// with silently dropped rows would be biased. A file without any `"` (OBD's own files)
    /// of at most [`FAST_READ_MAX`] bytes is read whole and split by hand, looking only at the
    /// four columns it needs; anything else streams through the csv crate. Both paths accept
    /// and refuse the same files with the same messages.
    pub fn read(path: &Path) -> Result<Logs, OpeError> {
        let name = path.display().to_string();
        let read_err = |source| OpeError::Read { path: name.clone(), source };
        let (file, meta) = crate::input::open_regular(path).map_err(read_err)?;
        let size = meta.len();
        if size <= FAST_READ_MAX {
            let mut bytes = Vec::with_capacity(size as usize);
            std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(read_err)?;
            if memchr::memchr(b'"', &bytes).is_none() {
                return read_plain(&name, &bytes);
            }
            return read_csv(&name, std::io::Cursor::new(bytes));
        }
        read_csv(&name, file)
    }

    /// Logs from columns (positions already 0-based), for tests and in-process callers.
    /// Validates like [`Logs::read`]; `name` stands for the file in messages and lines are
    /// counted as if row 0 were on line 2.
    pub fn from_columns(name: &str, action: Vec<u32>, position: Vec<u32>, reward: Vec<f64>, pscore: Vec<f64>) -> Result<Logs, OpeError> {
        let n = action.len();
        if n == 0 || position.len() != n || reward.len() != n || pscore.len() != n {
            return Err(OpeError::BadFile { path: name.into(), reason: "columns must be non-empty and of equal length".into() });
        }
        let bad = |i: usize, column, reason: String| OpeError::BadValue { path: name.into(), line: i as u64 + 2, column, reason };
        for i in 0..n {
            if action[i] as usize >= MAX_ITEMS {
                return Err(bad(i, "item_id", format!("{} is too large", action[i])));
            }
            if position[i] > MAX_POSITION {
                return Err(bad(i, "position", format!("{} is too large", position[i])));
            }
            if !(reward[i] == 0.0 || reward[i] == 1.0) {
                return Err(bad(i, "click", format!("{} is not 0 or 1", reward[i])));
            }
            if !(pscore[i] > 0.0 && pscore[i] <= 1.0) {
                return Err(bad(i, "propensity_score", format!("{} is not a probability in (0, 1]", pscore[i])));
            }
        }
        let n_positions = *position.iter().max().expect("non-empty") as usize + 1;
        let n_items = *action.iter().max().expect("non-empty") as usize + 1;
        let clicks = reward.iter().filter(|&&r| r == 1.0).count() as u64;
        Ok(Logs { path: name.into(), action, position, reward, pscore, n_items, n_positions, position_base: 0, clicks })
    }

    pub fn path(&self) -> &str {
        &self.path
    }
    /// Rows (impressions).
    pub fn len(&self) -> usize {
        self.action.len()
    }
    pub fn is_empty(&self) -> bool {
        self.action.is_empty()
    }
    /// Item shown per row (0..n_items).
    pub fn action(&self) -> &[u32] {
        &self.action
    }
    /// 0-based position per row (0..n_positions).
    pub fn position(&self) -> &[u32] {
        &self.position
    }
    /// Click per row, 0.0 or 1.0.
    pub fn reward(&self) -> &[f64] {
        &self.reward
    }
    /// Logging propensity per row, in (0, 1].
    pub fn pscore(&self) -> &[f64] {
        &self.pscore
    }
    /// Largest item id + 1.
    pub fn n_items(&self) -> usize {
        self.n_items
    }
    pub fn n_positions(&self) -> usize {
        self.n_positions
    }
    /// The file's number for position 0 (0 or 1).
    pub fn position_base(&self) -> u32 {
        self.position_base
    }
    pub fn clicks(&self) -> u64 {
        self.clicks
    }
    /// The logging policy's value: mean click (`reward.mean()` in numpy, bit for bit).
    pub fn mean_reward(&self) -> f64 {
        super::numeric::mean(&self.reward)
    }
}

/// Largest file [`Logs::read`] reads whole for the fast path.
pub const FAST_READ_MAX: u64 = 128 << 20;

/// Rows being collected, with what the final checks need.
#[derive(Default)]
struct Columns {
    action: Vec<u32>,
    position: Vec<u32>,
    reward: Vec<f64>,
    pscore: Vec<f64>,
    clicks: u64,
    max_item: u32,
    min_pos: u32,
    max_pos: u32,
    seen: u128,
}

impl Columns {
    /// Check and keep one row's four fields (`line` is its 1-based line number).
    fn push(&mut self, name: &str, line: u64, [item, pos, click, p]: [&[u8]; 4]) -> Result<(), OpeError> {
        let bad = |column, reason: String| OpeError::BadValue { path: name.to_string(), line, column, reason };
        if self.action.len() >= MAX_ROWS {
            return Err(OpeError::BadFile { path: name.to_string(), reason: format!("has more than {MAX_ROWS} data rows (the limit); split it") });
        }
        let item_v = parse_int(item).filter(|&v| (v as usize) < MAX_ITEMS).ok_or_else(|| bad("item_id", format!("{} is not an item id (an integer from 0 to {})", shown(item), MAX_ITEMS - 1)))?;
        let pos_v = parse_int(pos).filter(|&v| v <= MAX_POSITION).ok_or_else(|| bad("position", format!("{} is not a position (an integer from 0 to {MAX_POSITION})", shown(pos))))?;
        let click_v = parse_f64(click).filter(|&v| v == 0.0 || v == 1.0).ok_or_else(|| bad("click", format!("{} is not a click (0 or 1)", shown(click))))?;
        let p_v = parse_f64(p).ok_or_else(|| bad("propensity_score", format!("{} is not a number", shown(p))))?;
        if !(p_v > 0.0 && p_v <= 1.0) {
            return Err(bad("propensity_score", format!("{p_v} is not a probability in (0, 1]: importance weighting divides by it")));
        }
        if self.action.is_empty() {
            self.min_pos = u32::MAX;
        }
        self.max_item = self.max_item.max(item_v);
        (self.min_pos, self.max_pos) = (self.min_pos.min(pos_v), self.max_pos.max(pos_v));
        self.seen |= 1u128 << pos_v;
        self.clicks += (click_v == 1.0) as u64;
        self.action.push(item_v);
        self.position.push(pos_v);
        self.reward.push(click_v);
        self.pscore.push(p_v);
        Ok(())
    }

    /// The logs, after the whole-file checks (rows exist, positions consecutive from 0 or 1).
    fn finish(mut self, name: String) -> Result<Logs, OpeError> {
        if self.action.is_empty() {
            return Err(OpeError::BadFile { path: name, reason: "has a header but no data rows".into() });
        }
        let (min_pos, max_pos) = (self.min_pos, self.max_pos);
        if min_pos > 1 {
            return Err(OpeError::BadFile { path: name, reason: format!("positions start at {min_pos}; they must be numbered from 0 or from 1") });
        }
        if let Some(gap) = (min_pos..=max_pos).find(|&k| self.seen & (1u128 << k) == 0) {
            return Err(OpeError::BadFile {
                path: name,
                reason: format!("position {gap} never occurs between {min_pos} and {max_pos}; positions must be consecutive (obp numbers them by dense rank)"),
            });
        }
        if min_pos > 0 {
            self.position.iter_mut().for_each(|p| *p -= min_pos);
        }
        let n_items = self.max_item as usize + 1;
        Ok(Logs {
            path: name,
            action: self.action,
            position: self.position,
            reward: self.reward,
            pscore: self.pscore,
            n_items,
            n_positions: (max_pos - min_pos + 1) as usize,
            position_base: min_pos,
            clicks: self.clicks,
        })
    }
}

fn empty_file(name: &str) -> OpeError {
    OpeError::BadFile { path: name.to_string(), reason: "is empty (no header line)".into() }
}

/// The error for a line over [`MAX_LINE_BYTES`].
fn too_long(name: &str, line: u64, bytes: u64) -> OpeError {
    OpeError::Malformed { path: name.to_string(), line, reason: format!("the line is {bytes} bytes long, over the limit of {MAX_LINE_BYTES} bytes") }
}

/// The general path: any CSV the csv crate reads (quotes included), streamed through
/// [`LineLimit`] so that no line over [`MAX_LINE_BYTES`] is ever held.
fn read_csv<R: std::io::Read>(name: &str, input: R) -> Result<Logs, OpeError> {
    let (limited, marks) = LineLimit::new(std::io::BufReader::with_capacity(1 << 16, input), MAX_LINE_BYTES);
    // Flexible, so that a marker line reaches the check below; field counts are checked here.
    let mut rdr = ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(1 << 16).from_reader(limited);
    let long = |record: &ByteRecord| if record.len() == 1 { marks.take(&record[0]) } else { None };
    let mut header = ByteRecord::new();
    marks.record_starts(0, 1);
    if !rdr.read_byte_record(&mut header).map_err(|e| csv_error(name, e))? {
        return Err(empty_file(name));
    }
    if let Some(l) = long(&header) {
        return Err(too_long(name, 1, l.bytes));
    }
    if header.is_empty() || header.iter().all(|f| f.is_empty()) {
        return Err(empty_file(name));
    }
    let cols = find_columns(name, &header, ["item_id", "position", "click", "propensity_score"])?;
    let mut out = Columns::default();
    let mut record = ByteRecord::new();
    loop {
        let at = rdr.position();
        marks.record_starts(at.byte(), at.line());
        if !rdr.read_byte_record(&mut record).map_err(|e| csv_error(name, e))? {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        if let Some(l) = long(&record) {
            return Err(too_long(name, line, l.bytes));
        }
        if record.len() != header.len() {
            return Err(OpeError::Malformed { path: name.to_string(), line, reason: format!("{} fields where the header has {}", record.len(), header.len()) });
        }
        out.push(name, line, cols.map(|i| record.get(i).unwrap_or(b"")))?;
    }
    out.finish(name.to_string())
}

/// The fast path for a file without quotes: lines split on `\n` (a trailing `\r` dropped),
/// fields on `,`; blank lines skipped; every row must have the header's number of fields.
fn read_plain(name: &str, bytes: &[u8]) -> Result<Logs, OpeError> {
    let mut lines = bytes.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).enumerate().filter(|(_, l)| !l.is_empty());
    let Some((_, head)) = lines.next() else { return Err(empty_file(name)) };
    if head.len() > MAX_LINE_BYTES {
        return Err(too_long(name, 1, head.len() as u64));
    }
    let header = ByteRecord::from(head.split(|&b| b == b',').collect::<Vec<_>>());
    if header.iter().all(|f| f.is_empty()) {
        return Err(empty_file(name));
    }
    let cols = find_columns(name, &header, ["item_id", "position", "click", "propensity_score"])?;
    let last = cols.iter().copied().max().unwrap_or(0);
    let mut out = Columns::default();
    let mut fields: Vec<&[u8]> = Vec::with_capacity(last + 1);
    for (i, l) in lines {
        let line = i as u64 + 1;
        if l.len() > MAX_LINE_BYTES {
            return Err(too_long(name, line, l.len() as u64));
        }
        let n = memchr::memchr_iter(b',', l).count() + 1;
        if n != header.len() {
            return Err(OpeError::Malformed { path: name.to_string(), line, reason: format!("{n} fields where the header has {}", header.len()) });
        }
        fields.clear();
        fields.extend(l.splitn(last + 2, |&b| b == b',').take(last + 1));
        out.push(name, line, cols.map(|c| fields[c]))?;
    }
    out.finish(name.to_string())
}
