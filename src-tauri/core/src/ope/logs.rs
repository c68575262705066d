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

use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use super::OpeError;

/// Largest accepted `item_id` + 1.
pub const MAX_ITEMS: usize = 1 << 20;
/// Largest accepted position number.
pub const MAX_POSITION: u32 = 64;

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
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            OpeError::Malformed { path: path.to_string(), line, reason: format!("{len} fields where the header has {expected_len}") }
        }
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
    Err(OpeError::Malformed {
        path: path.to_string(),
        line: 1,
        reason: format!("header lacks column(s) {} (it starts {:?}; expected {})", missing.join(", "), have, wanted.join(", ")),
    })
}

impl Logs {
    /// Read an OBD log. Any bad row is an error naming its line and column: OPE over a log
    /// with silently dropped rows would be biased.
    pub fn read(path: &Path) -> Result<Logs, OpeError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| OpeError::Read { path: name.clone(), source })?;
        let mut rdr = ReaderBuilder::new().has_headers(true).buffer_capacity(1 << 16).from_reader(file);
        let header = rdr.byte_headers().map_err(|e| csv_error(&name, e))?.clone();
        if header.is_empty() || header.iter().all(|f| f.is_empty()) {
            return Err(OpeError::BadFile { path: name, reason: "is empty (no header line)".into() });
        }
        let [ci, cp, cc, cs] = find_columns(&name, &header, ["item_id", "position", "click", "propensity_score"])?;
        let (mut action, mut position, mut reward, mut pscore) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut record = ByteRecord::new();
        let mut clicks = 0u64;
        let (mut max_item, mut min_pos, mut max_pos, mut seen) = (0u32, u32::MAX, 0u32, 0u128);
        while rdr.read_byte_record(&mut record).map_err(|e| csv_error(&name, e))? {
            let line = record.position().map_or(0, |p| p.line());
            let bad = |column, reason: String| OpeError::BadValue { path: name.clone(), line, column, reason };
            let field = |i: usize| record.get(i).unwrap_or(b"");

            let item = parse_int(field(ci))
                .filter(|&v| (v as usize) < MAX_ITEMS)
                .ok_or_else(|| bad("item_id", format!("{} is not an item id (an integer from 0 to {})", shown(field(ci)), MAX_ITEMS - 1)))?;
            let pos = parse_int(field(cp))
                .filter(|&v| v <= MAX_POSITION)
                .ok_or_else(|| bad("position", format!("{} is not a position (an integer from 0 to {MAX_POSITION})", shown(field(cp)))))?;
            let click = parse_f64(field(cc))
                .filter(|&v| v == 0.0 || v == 1.0)
                .ok_or_else(|| bad("click", format!("{} is not a click (0 or 1)", shown(field(cc)))))?;
            let p = parse_f64(field(cs)).ok_or_else(|| bad("propensity_score", format!("{} is not a number", shown(field(cs)))))?;
            if !(p > 0.0 && p <= 1.0) {
                return Err(bad("propensity_score", format!("{p} is not a probability in (0, 1]: importance weighting divides by it")));
            }
            max_item = max_item.max(item);
            (min_pos, max_pos) = (min_pos.min(pos), max_pos.max(pos));
            seen |= 1u128 << pos;
            clicks += (click == 1.0) as u64;
            action.push(item);
            position.push(pos);
            reward.push(click);
            pscore.push(p);
        }
        if action.is_empty() {
            return Err(OpeError::BadFile { path: name, reason: "has a header but no data rows".into() });
        }
        if min_pos > 1 {
            return Err(OpeError::BadFile { path: name, reason: format!("positions start at {min_pos}; they must be numbered from 0 or from 1") });
        }
        if let Some(gap) = (min_pos..=max_pos).find(|&k| seen & (1u128 << k) == 0) {
            return Err(OpeError::BadFile {
                path: name,
                reason: format!("position {gap} never occurs between {min_pos} and {max_pos}; positions must be consecutive (obp numbers them by dense rank)"),
            });
        }
        if min_pos > 0 {
            position.iter_mut().for_each(|p| *p -= min_pos);
        }
        Ok(Logs { path: name, action, position, reward, pscore, n_items: max_item as usize + 1, n_positions: (max_pos - min_pos + 1) as usize, position_base: min_pos, clicks })
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
