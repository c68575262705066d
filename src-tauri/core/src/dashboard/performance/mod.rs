//! Real performance reports: a CSV of impressions, clicks and conversions per ad, imported
//! into a campaign (tables `performance_reports`, `performance_rows`; migrations v11, v14).
//!
//! Three formats, told apart by their header ([`layout`]): the studio's own (below), a Google
//! Ads ad report and a Meta Ads Manager export as the platforms download them, whose rows map
//! to variants by the ad name the export gave each ad ([`crate::export::key`]). Platform total
//! rows are skipped and listed (`skipped`), never counted.
//!
//! The studio's format: a header naming `ad_id`, `impressions`, `clicks`, `conversions` and optionally
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
//! Reports are summed, so no figure may be counted twice ([`counted`]): per variant, each day
//! once (over all the campaign's reports and within the file; a Meta row counts for every day
//! of its reporting period), and a row without a date — a total over an unstated period, which
//! may cover any date — only for a variant with no other rows. A row that would count figures
//! twice is rejected (column `date`), naming the file and line that counted them first.

mod counted;
mod layout;
mod problem;
mod reports;

use std::collections::HashSet;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use ::csv::{ByteRecord, StringRecord};
use counted::Counted;
use layout::{BadCell, Figures, Layout, Row};

use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::DashboardError;
use crate::campaign;
use crate::ingest::RowError;
use crate::input::lines::LineLimit;

use crate::error::{keyed_text, KeyedText};
use crate::store::{now_text, Project};
pub use problem::PERF_KEYS;
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

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PerformanceImport {
    /// The file as given.
    pub file: String,
    /// The format read from its header: `studio`, `google_ads` or `meta_ads`.
    pub format: String,
    /// The cost's currency, when the file says (Meta's `Amount spent (CNY)`, Google's
    /// `Currency code`).
    pub currency: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub report_id: i64,
    pub sha256: String,
    /// Data rows in the file (header and title lines not counted): imported + rejected + skipped.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_read: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_imported: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_rejected: u64,
    /// Platform total rows, not counted by design (their ads' rows are).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_skipped: u64,
    /// The file was imported into this campaign before: nothing changed, counts are the
    /// earlier import's and `errors` is empty.
    pub already_imported: bool,
    /// Rejected rows (at most [`MAX_ERRORS`]), by line.
    pub errors: Vec<RowError>,
    /// Skipped total rows (at most [`MAX_ERRORS`]), by line, with what they were.
    pub skipped: Vec<RowError>,
}

struct Good {
    line: u64,
    f: Figures,
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

/// Import the performance report at `path` into campaign `campaign_id` (see the module docs).
/// Errors: [`DashboardError::CampaignNotFound`]; `Read` when the file cannot be read (also
/// `invalid_input` for a device, FIFO or directory, or a quoted record running past the line
/// limit); `BadFile` when it is over [`MAX_REPORT_BYTES`] or [`MAX_ROWS`], not UTF-8, has no
/// header of a known format, lacks a required column, names an unknown or repeated column, or
/// has no data rows; store errors.
pub fn import(project: &mut Project, campaign_id: i64, path: &Path) -> Result<PerformanceImport, DashboardError> {
    let read_err = |source| DashboardError::Read { path: path.to_path_buf(), source };
    let bad = |reason: KeyedText| DashboardError::BadFile { path: path.to_path_buf(), reason };
    let (mut file, meta) = crate::input::open_regular(path).map_err(read_err)?;
    let variants: HashSet<i64> = campaign::variants(project, campaign_id)?.iter().map(|v| v.id).collect();
    if meta.len() > MAX_REPORT_BYTES {
        return Err(bad(keyed_text!("perf.file.too_big"; "the file is {bytes} bytes, over the limit of {limit} bytes for one report; split it", bytes = meta.len(), limit = MAX_REPORT_BYTES)));
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
        let rows_skipped = rows_read.saturating_sub(rows_imported + rows_rejected);
        return Ok(PerformanceImport {
            file: file_display,
            format: String::new(),
            currency: None,
            report_id,
            sha256,
            rows_read,
            rows_imported,
            rows_rejected,
            rows_skipped,
            already_imported: true,
            errors: Vec::new(),
            skipped: Vec::new(),
        });
    }
    file.seek(SeekFrom::Start(0)).map_err(read_err)?;
    // Only '\n' ends a record (positions are then physical lines; a CR stays on the last
    // field, which every value's trim removes); no line over MAX_LINE_BYTES is ever held.
    let (limited, marks) = LineLimit::new(BufReader::with_capacity(1 << 16, (&file).take(MAX_REPORT_BYTES + 1)), MAX_LINE_BYTES);
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).terminator(::csv::Terminator::Any(b'\n')).from_reader(limited);
    let io_or = |e: ::csv::Error, line: u64| match e.into_kind() {
        ::csv::ErrorKind::Io(source) => read_err(source),
        other => bad(keyed_text!("perf.file.malformed_csv"; "line {line}: malformed CSV: {detail}", line = line, detail = format!("{other:?}"))),
    };
    let mut raw = ByteRecord::new();
    // The header: line 1 in the studio's format; a platform's after up to MAX_TITLE_LINES title lines.
    let mut studio_refusal: Option<KeyedText> = None;
    let layout = loop {
        let at = reader.position().clone();
        marks.record_starts(at.byte(), at.line());
        if !reader.read_byte_record(&mut raw).map_err(|e| io_or(e, at.line()))? {
            return Err(bad(studio_refusal.unwrap_or_else(|| keyed_text!("perf.file.empty"; "line 1: the file is empty; a header is required"))));
        }
        let line = raw.position().map_or(at.line(), |p| p.line());
        if let Some(long) = (raw.len() == 1).then(|| marks.take(&raw[0])).flatten() {
            return Err(bad(
                keyed_text!("perf.file.header_too_long"; "line {line}: the header line is {bytes} bytes long, over the limit of {limit} bytes", line = line, bytes = long.bytes, limit = MAX_LINE_BYTES),
            ));
        }
        let header = StringRecord::from_byte_record(std::mem::take(&mut raw)).map_err(|_| bad(keyed_text!("perf.file.not_utf8"; "line {line}: not UTF-8 text", line = line)))?;
        let names: Vec<String> = header.iter().map(String::from).collect();
        match Layout::platform(&names) {
            Some(found) => break found.map_err(|reason| bad(reason.at(line)))?,
            None if line == 1 => match Layout::studio(&names) {
                Ok(l) => break l,
                // Refused as the studio's header unless a platform header follows title lines.
                Err(reason) if names.iter().any(|n| n.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case("ad_id")) => return Err(bad(reason.at(1))),
                Err(reason) => studio_refusal = Some(reason.at(1)),
            },
            None if line > layout::MAX_TITLE_LINES => return Err(bad(studio_refusal.unwrap_or_else(|| layout::HeaderError::MissingStudioColumn("ad_id").at(1)))),
            None => {}
        }
        raw = header.into_byte_record();
    };
    let name = path.file_name().map_or_else(|| file_display.clone(), |n| n.to_string_lossy().into_owned());
    let mut counted = Counted::load(project, campaign_id)?;
    let (mut good, mut errors, mut skipped, mut rows_read, mut rejected, mut totals) = (Vec::new(), Vec::new(), Vec::new(), 0u64, 0u64, 0u64);
    let mut currency = layout.currency.clone();
    let mut reject = |errors: &mut Vec<RowError>, line: u64, column: &str, reason: KeyedText| {
        rejected += 1;
        if errors.len() < MAX_ERRORS {
            errors.push(RowError { line, column: column.to_string(), reason: reason.text, keyed: Some(reason.keyed) });
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
            return Err(bad(keyed_text!("perf.file.too_many_rows"; "more than {limit} data rows, the limit for one report; split it", limit = MAX_ROWS)));
        }
        if let Some(long) = (raw.len() == 1).then(|| marks.take(&raw[0])).flatten() {
            reject(&mut errors, line, "*", keyed_text!("perf.row.line_too_long"; "the line is {bytes} bytes long, over the limit of {limit} bytes", bytes = long.bytes, limit = MAX_LINE_BYTES));
            continue;
        }
        let record = StringRecord::from_byte_record(std::mem::take(&mut raw)).map_err(|_| bad(keyed_text!("perf.file.not_utf8"; "line {line}: not UTF-8 text", line = line)))?;
        match layout.parse(&record, &variants, campaign_id) {
            Ok(Row::Total(reason)) => {
                totals += 1;
                if skipped.len() < MAX_ERRORS {
                    skipped.push(RowError { line, column: "*".into(), reason: reason.text, keyed: Some(reason.keyed) });
                }
            }
            Ok(Row::Figures(f)) => match counted.admit(&f, &name, line) {
                Ok(()) => {
                    currency = currency.or_else(|| layout.currency_of(&record));
                    good.push(Good { line, f });
                }
                Err(BadCell { column, reason }) => reject(&mut errors, line, column, reason),
            },
            Err(BadCell { column, reason }) => reject(&mut errors, line, column, reason),
        }
        raw = record.into_byte_record();
    }
    if rows_read == 0 {
        return Err(bad(keyed_text!("perf.file.no_rows"; "no data rows after the header")));
    }
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO performance_reports(campaign_id, file_name, sha256, rows_read, rows_imported, rows_rejected, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![campaign_id, name, sha256, rows_read as i64, good.len() as i64, rejected as i64, now_text()],
    )?;
    let report_id = tx.last_insert_rowid();
    {
        let mut ins = tx.prepare("INSERT INTO performance_rows(report_id, variant_id, line, impressions, clicks, conversions, date, date_end, cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
        for Good { line, f } in &good {
            ins.execute(rusqlite::params![report_id, f.variant_id, *line as i64, f.impressions, f.clicks, f.conversions, f.date, f.until, f.cost])?;
        }
    }
    tx.commit()?;
    Ok(PerformanceImport {
        file: file_display,
        format: layout.format.name().into(),
        currency,
        report_id,
        sha256,
        rows_read,
        rows_imported: good.len() as u64,
        rows_rejected: rejected,
        rows_skipped: totals,
        already_imported: false,
        errors,
        skipped,
    })
}
