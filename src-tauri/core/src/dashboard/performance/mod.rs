//! Real performance reports: a CSV of impressions, clicks and conversions per ad, imported
//! into a campaign (tables `performance_reports`, `performance_rows`; migration v11).
//!
//! Format: a header naming `ad_id`, `impressions`, `clicks`, `conversions` and optionally
//! `date` (YYYY-MM-DD) and `cost` (a non-negative number), in any order, case-insensitive;
//! UTF-8 with or without BOM, LF or CRLF. `ad_id` is the variant id (`42`) or the stem of an
//! exported file (`double-11_seg3_v42_google-rda-landscape`, a file extension allowed): the
//! part `v<ID>` after `seg<LABEL>`. The variant must belong to the campaign. Counts are
//! integers from 0 to 10^12 with clicks ≤ impressions and conversions ≤ clicks; a cost is at
//! most 10^12.
//!
//! Bounds: a regular file ([`crate::input::open_regular`]) of at most [`MAX_REPORT_BYTES`]
//! and [`MAX_ROWS`] data rows; a line over [`MAX_LINE_BYTES`] is a rejected row.
//!
//! As in [`crate::ingest`], a bad row is rejected with its line, column and reason and the
//! good rows are kept; the report and its rows are written in one transaction. A file whose
//! SHA-256 the campaign already imported changes nothing (`already_imported`).
//!
//! Reports are summed, so no figure may be counted twice: per variant, each date once (over
//! all the campaign's reports and within the file), and a row without a date — a total over
//! an unstated period, which may cover any date — only for a variant with no other rows. A row
//! that would count figures twice is rejected (column `date`), naming the file and line that
//! counted them first.

mod reports;

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use ::csv::{ByteRecord, StringRecord};

use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::DashboardError;
use crate::campaign;
use crate::ingest::RowError;
use crate::input::lines::LineLimit;

use crate::store::{now_text, Project};
pub use reports::{list_reports, remove_report, reports, totals, RemovedReport};

/// At most this many row errors are returned (all are counted).
pub const MAX_ERRORS: usize = 1000;
/// Largest report file accepted, in bytes.
pub const MAX_REPORT_BYTES: u64 = 64 << 20;
/// Longest accepted line, in bytes (a report line is ~100 bytes); a longer one is a rejected
/// row, skipped without being held.
pub const MAX_LINE_BYTES: usize = 64 << 10;
/// Most data rows in one report (a year of days for ~700 ads).
pub const MAX_ROWS: u64 = 250_000;
/// Largest accepted impressions, clicks or conversions of a row: 10^12.
pub const MAX_COUNT: i64 = 1_000_000_000_000;
/// Largest accepted cost of a row: 10^12.
pub const MAX_COST: f64 = 1e12;

const REQUIRED: [&str; 4] = ["ad_id", "impressions", "clicks", "conversions"];
const OPTIONAL: [&str; 2] = ["date", "cost"];

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PerformanceImport {
    /// The file as given.
    pub file: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub report_id: i64,
    pub sha256: String,
    /// Data rows in the file (the header not counted).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_read: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_imported: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_rejected: u64,
    /// The file was imported into this campaign before: nothing changed, counts are the
    /// earlier import's and `errors` is empty.
    pub already_imported: bool,
    /// Rejected rows (at most [`MAX_ERRORS`]), by line.
    pub errors: Vec<RowError>,
}

struct Good {
    line: u64,
    variant_id: i64,
    impressions: i64,
    clicks: i64,
    conversions: i64,
    date: Option<String>,
    cost: Option<f64>,
}

/// The variant id named by an `ad_id` value: an integer, or an export stem (see module docs).
pub fn parse_ad_id(value: &str) -> Option<i64> {
    let v = value.trim();
    if let Ok(id) = v.parse::<i64>() {
        return (id > 0).then_some(id);
    }
    let stem = [".png", ".jpg", ".jpeg", ".webp", ".gif"].iter().find_map(|ext| v.strip_suffix(ext)).unwrap_or(v);
    let parts: Vec<&str> = stem.split('_').collect();
    let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    parts.windows(2).find(|w| w[0].strip_prefix("seg").is_some_and(is_number) && w[1].strip_prefix('v').is_some_and(is_number)).and_then(|w| w[1][1..].parse().ok()).filter(|&id| id > 0)
}

/// Why one cell of a report row is refused: its column and the reason (kept with the row).
struct BadCell {
    column: &'static str,
    reason: String,
}

fn bad_cell(column: &'static str, reason: String) -> BadCell {
    BadCell { column, reason }
}

fn count(value: &str, column: &'static str) -> Result<i64, BadCell> {
    let v = value.trim();
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    match v.parse::<i64>() {
        Ok(n) if (0..=MAX_COUNT).contains(&n) => Ok(n),
        Ok(n) if n < 0 => Err(bad_cell(column, format!("{column} must not be negative, is {n}"))),
        Ok(n) => Err(bad_cell(column, format!("{column} must be at most 10^12, is {n}"))),
        Err(_) if digits => Err(bad_cell(column, format!("{column} must be at most 10^12, is {}", crate::input::bounded(v, 60)))),
        Err(_) => Err(bad_cell(column, format!("{column} must be a non-negative integer, is {:?}", crate::input::bounded(v, 60)))),
    }
}

fn date(value: &str) -> Result<Option<String>, BadCell> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .map_err(|_| bad_cell("date", format!("date must be YYYY-MM-DD, is {:?}", crate::input::bounded(v, 60))))
}

fn cost(value: &str) -> Result<Option<f64>, BadCell> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(c) if c.is_finite() && (0.0..=MAX_COST).contains(&c) => Ok(Some(c)),
        Ok(c) if c.is_finite() && c > MAX_COST => Err(bad_cell("cost", format!("cost must be at most 10^12, is {v}"))),
        _ => Err(bad_cell("cost", format!("cost must be a non-negative number, is {:?}", crate::input::bounded(v, 60)))),
    }
}

/// Import the performance report at `path` into campaign `campaign_id` (see the module docs).
/// Errors: [`DashboardError::CampaignNotFound`]; `Read` when the file cannot be read (also
/// `invalid_input` for a device, FIFO or directory, or a quoted record running past the line
/// limit); `BadFile` when it is over [`MAX_REPORT_BYTES`] or [`MAX_ROWS`], not UTF-8, has no
/// header, lacks a required column, names an unknown or repeated column, or has no data rows;
/// store errors.
pub fn import(project: &mut Project, campaign_id: i64, path: &Path) -> Result<PerformanceImport, DashboardError> {
    let read_err = |source| DashboardError::Read { path: path.to_path_buf(), source };
    let bad = |reason: String| DashboardError::BadFile { path: path.to_path_buf(), reason };
    let (mut file, meta) = crate::input::open_regular(path).map_err(read_err)?;
    let variants: HashSet<i64> = campaign::variants(project, campaign_id)?.iter().map(|v| v.id).collect();
    if meta.len() > MAX_REPORT_BYTES {
        return Err(bad(format!("the file is {} bytes, over the limit of {MAX_REPORT_BYTES} bytes for one report; split it", meta.len())));
    }
    let mut hasher = Sha256::new();
    std::io::copy(&mut (&file).take(MAX_REPORT_BYTES + 1), &mut hasher).map_err(read_err)?;
    let sha256 = hex::encode(hasher.finalize());
    let file_display = path.display().to_string();
    let earlier = project
        .conn()
        .query_row("SELECT id, rows_read, rows_imported, rows_rejected FROM performance_reports WHERE campaign_id = ?1 AND sha256 = ?2", rusqlite::params![campaign_id, sha256], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64, r.get::<_, i64>(3)? as u64))
        })
        .optional()?;
    if let Some((report_id, rows_read, rows_imported, rows_rejected)) = earlier {
        return Ok(PerformanceImport { file: file_display, report_id, sha256, rows_read, rows_imported, rows_rejected, already_imported: true, errors: Vec::new() });
    }
    file.seek(SeekFrom::Start(0)).map_err(read_err)?;
    // Only '\n' ends a record (positions are then physical lines; a CR stays on the last
    // field, which every value's trim removes); no line over MAX_LINE_BYTES is ever held.
    let (limited, marks) = LineLimit::new(BufReader::with_capacity(1 << 16, (&file).take(MAX_REPORT_BYTES + 1)), MAX_LINE_BYTES);
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).terminator(::csv::Terminator::Any(b'\n')).from_reader(limited);
    let io_or = |e: ::csv::Error, line: u64| match e.into_kind() {
        ::csv::ErrorKind::Io(source) => read_err(source),
        other => bad(format!("line {line}: malformed CSV: {other:?}")),
    };
    let mut raw = ByteRecord::new();
    marks.record_starts(0, 1);
    reader.read_byte_record(&mut raw).map_err(|e| io_or(e, 1))?;
    if let Some(long) = (raw.len() == 1).then(|| marks.take(&raw[0])).flatten() {
        return Err(bad(format!("line 1: the header line is {} bytes long, over the limit of {MAX_LINE_BYTES} bytes", long.bytes)));
    }
    let header = StringRecord::from_byte_record(std::mem::take(&mut raw)).map_err(|_| bad("line 1: not UTF-8 text".into()))?;
    let mut col: HashMap<String, usize> = HashMap::new();
    let names: Vec<String> = header.iter().map(|n| n.trim().trim_start_matches('\u{feff}').trim().to_ascii_lowercase()).collect();
    if let Some(missing) = REQUIRED.iter().find(|c| !names.iter().any(|n| n == *c)) {
        return Err(bad(format!("line 1: the header lacks the required column {missing:?} (a header ad_id,impressions,clicks,conversions[,date][,cost] is required)")));
    }
    for (i, name) in names.into_iter().enumerate() {
        if col.insert(name.clone(), i).is_some() {
            return Err(bad(format!("line 1: column {name:?} appears twice")));
        }
    }
    if let Some(unknown) = col.keys().find(|c| !REQUIRED.contains(&c.as_str()) && !OPTIONAL.contains(&c.as_str())) {
        return Err(bad(format!("line 1: unknown column {unknown:?} (expected ad_id, impressions, clicks, conversions, optionally date and cost)")));
    }
    let name = path.file_name().map_or_else(|| file_display.clone(), |n| n.to_string_lossy().into_owned());
    let mut counted = Counted::load(project, campaign_id)?;
    let (mut good, mut errors, mut rows_read, mut rejected) = (Vec::new(), Vec::new(), 0u64, 0u64);
    let mut reject = |errors: &mut Vec<RowError>, line: u64, column: &str, reason: String| {
        rejected += 1;
        if errors.len() < MAX_ERRORS {
            errors.push(RowError { line, column: column.to_string(), reason });
        }
    };
    loop {
        let at = reader.position().clone();
        marks.record_starts(at.byte(), at.line());
        if !reader.read_byte_record(&mut raw).map_err(|e| io_or(e, at.line()))? {
            break;
        }
        let line = raw.position().map_or(at.line(), |p| p.line());
        if raw.len() == 1 && (raw[0].is_empty() || &raw[0] == b"\r") {
            continue; // a blank line
        }
        rows_read += 1;
        if rows_read > MAX_ROWS {
            return Err(bad(format!("more than {MAX_ROWS} data rows, the limit for one report; split it")));
        }
        if let Some(long) = (raw.len() == 1).then(|| marks.take(&raw[0])).flatten() {
            reject(&mut errors, line, "*", format!("the line is {} bytes long, over the limit of {MAX_LINE_BYTES} bytes", long.bytes));
            continue;
        }
        let record = StringRecord::from_byte_record(std::mem::take(&mut raw)).map_err(|_| bad(format!("line {line}: not UTF-8 text")))?;
        if record.len() != header.len() {
            reject(&mut errors, line, "*", format!("{} fields, the header has {}", record.len(), header.len()));
            raw = record.into_byte_record();
            continue;
        }
        let get = |c: &str| col.get(c).map_or("", |&i| &record[i]);
        let parsed = (|| -> Result<Good, BadCell> {
            let raw_id = get("ad_id");
            let variant_id =
                parse_ad_id(raw_id).ok_or_else(|| bad_cell("ad_id", format!("{:?} is neither a variant id nor an exported file stem with v<ID>", crate::input::bounded(raw_id.trim(), 60))))?;
            if !variants.contains(&variant_id) {
                return Err(bad_cell("ad_id", format!("variant {variant_id} is not in campaign {campaign_id}")));
            }
            let impressions = count(get("impressions"), "impressions")?;
            let clicks = count(get("clicks"), "clicks")?;
            let conversions = count(get("conversions"), "conversions")?;
            if clicks > impressions {
                return Err(bad_cell("clicks", format!("clicks ({clicks}) exceed impressions ({impressions})")));
            }
            if conversions > clicks {
                return Err(bad_cell("conversions", format!("conversions ({conversions}) exceed clicks ({clicks})")));
            }
            let date = date(get("date"))?;
            let cost = cost(get("cost"))?;
            Ok(Good { line, variant_id, impressions, clicks, conversions, date, cost })
        })();
        match parsed.and_then(|g| counted.admit(&g, &name).map(|()| g)) {
            Ok(g) => good.push(g),
            Err(BadCell { column, reason }) => reject(&mut errors, line, column, reason),
        }
        raw = record.into_byte_record();
    }
    if rows_read == 0 {
        return Err(bad("no data rows after the header".into()));
    }
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO performance_reports(campaign_id, file_name, sha256, rows_read, rows_imported, rows_rejected, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![campaign_id, name, sha256, rows_read as i64, good.len() as i64, rejected as i64, now_text()],
    )?;
    let report_id = tx.last_insert_rowid();
    {
        let mut ins = tx.prepare("INSERT INTO performance_rows(report_id, variant_id, line, impressions, clicks, conversions, date, cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for g in &good {
            ins.execute(rusqlite::params![report_id, g.variant_id, g.line as i64, g.impressions, g.clicks, g.conversions, g.date, g.cost])?;
        }
    }
    tx.commit()?;
    Ok(PerformanceImport { file: file_display, report_id, sha256, rows_read, rows_imported: good.len() as u64, rows_rejected: rejected, already_imported: false, errors })
}

/// Where a figure was first counted.
struct Origin {
    file: String,
    line: u64,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, line {}", self.file, self.line)
    }
}

/// The figures a campaign's reports already count, per variant: by date (`None`: an undated
/// total), and any one row per variant.
struct Counted {
    at: HashMap<(i64, Option<String>), Origin>,
    any: HashMap<i64, (Option<String>, Origin)>,
}

impl Counted {
    fn load(project: &Project, campaign_id: i64) -> rusqlite::Result<Counted> {
        let mut counted = Counted { at: HashMap::new(), any: HashMap::new() };
        let mut stmt = project.conn().prepare(
            "SELECT r.variant_id, r.date, p.file_name, r.line FROM performance_rows r JOIN performance_reports p ON p.id = r.report_id
             WHERE p.campaign_id = ?1 ORDER BY r.id",
        )?;
        let mut rows = stmt.query([campaign_id])?;
        while let Some(r) = rows.next()? {
            let origin = Origin { file: r.get(2)?, line: r.get::<_, i64>(3)? as u64 };
            counted.record(r.get(0)?, r.get(1)?, origin);
        }
        Ok(counted)
    }

    fn record(&mut self, variant_id: i64, date: Option<String>, origin: Origin) {
        let first = Origin { file: origin.file.clone(), line: origin.line };
        self.any.entry(variant_id).or_insert((date.clone(), first));
        self.at.entry((variant_id, date)).or_insert(origin);
    }

    /// Count `g` (a row of `file`), or say why that would count figures twice.
    fn admit(&mut self, g: &Good, file: &str) -> Result<(), BadCell> {
        let v = g.variant_id;
        let twice = |reason: String| Err(bad_cell("date", reason));
        if let Some(o) = self.at.get(&(v, None)) {
            return twice(format!("variant {v} already has a total without a date ({o}), which may include this row; give every row of a variant a date"));
        }
        match &g.date {
            Some(d) => {
                if let Some(o) = self.at.get(&(v, Some(d.clone()))) {
                    return twice(format!("variant {v} on {d} is already counted ({o})"));
                }
            }
            None => {
                if let Some((first, o)) = self.any.get(&v) {
                    let when = first.as_deref().map_or_else(String::new, |d| format!(" for {d}"));
                    return twice(format!("variant {v} already has figures{when} ({o}); a row without a date may include them"));
                }
            }
        }
        self.record(v, g.date.clone(), Origin { file: file.to_string(), line: g.line });
        Ok(())
    }
}
