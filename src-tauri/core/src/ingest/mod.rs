//! Importing behaviour exports into a project.
//!
//! Guarantees: every data line is accounted for (`rows_read = rows_imported + rows_duplicate +
//! rows_rejected`); rejected lines are stored in `import_errors` with line number, reason and raw
//! text; a file is imported in one transaction, so an error or cancel leaves the project
//! unchanged; the same file (by SHA-256 fingerprint) is never imported twice.

pub mod rees46;
pub mod writer;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::error::{io_code, ErrorCode, HasCode};
use crate::progress::{Flow, Progress, ProgressFn};
use crate::store::{now_text, Project};
use writer::EventWriter;

/// At most this many rejected lines are returned in a summary (all are stored).
pub const MAX_REPORTED_ERRORS: usize = 200;
/// Raw text of a rejected line is stored up to this many characters.
pub const MAX_RAW_CHARS: usize = 1000;

/// Why an import failed as a whole. Row-level problems are not errors: they are counted.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is empty")]
    Empty { path: String },
    #[error("{path} is not a text CSV file (line 1 contains binary data)")]
    NotCsv { path: String },
    #[error("{path}: unknown format; line 1 is {header:?}; supported: REES46 (event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session)")]
    UnknownFormat { path: String, header: String },
    #[error("import of {path} cancelled; nothing was changed")]
    Cancelled { path: String },
    #[error("cannot store rows of {path}: {source}")]
    Store { path: String, source: rusqlite::Error },
}

impl HasCode for IngestError {
    fn code(&self) -> ErrorCode {
        match self {
            IngestError::Read { source, .. } => io_code(source),
            IngestError::Empty { .. } | IngestError::NotCsv { .. } | IngestError::UnknownFormat { .. } => {
                ErrorCode::InvalidInput
            }
            IngestError::Cancelled { .. } => ErrorCode::Cancelled,
            IngestError::Store { .. } => ErrorCode::Internal,
        }
    }
}

/// One rejected input line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowError {
    /// 1-based physical line number in the file (line 1 is the header).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: u64,
    /// Which column failed and why.
    pub reason: String,
}

/// What an import did. `rows_read = rows_imported + rows_duplicate + rows_rejected`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    pub file: String,
    pub format: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_read: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_imported: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_duplicate: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_rejected: u64,
    /// True when this exact file had been imported before and nothing was done.
    pub already_imported: bool,
    /// The first [`MAX_REPORTED_ERRORS`] rejected lines.
    pub errors: Vec<RowError>,
}

/// Import one file into `project`, in one transaction.
///
/// Errors: unreadable/missing file (`Read`), empty file, binary file, unknown header, cancel,
/// store failure. On any error the project is unchanged.
pub fn import_file(project: &mut Project, path: &Path, progress: ProgressFn) -> Result<ImportSummary, IngestError> {
    let display = path.display().to_string();
    let read_err = |source| IngestError::Read { path: display.clone(), source };
    let fingerprint = fingerprint(path).map_err(read_err)?;
    let total_bytes = std::fs::metadata(path).map_err(read_err)?.len();
    let file_name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| display.clone());

    if let Some(prev) = previous_import(project, &fingerprint, &display)? {
        return Ok(prev);
    }

    let mut head = Vec::new();
    File::open(path).map_err(read_err)?.take(8192).read_to_end(&mut head).map_err(read_err)?;
    let header = sniff_header(&head, &display)?;
    if header.split(',').map(str::trim).ne(rees46::HEADER.iter().copied()) {
        return Err(IngestError::UnknownFormat { path: display, header: header.chars().take(120).collect() });
    }

    let store_err = |source| IngestError::Store { path: display.clone(), source };
    let tx = project.conn_mut().transaction().map_err(store_err)?;
    tx.execute(
        "INSERT INTO imports(file_name,fingerprint,format,rows_read,rows_imported,rows_duplicate,rows_rejected,imported_at) VALUES (?1,?2,'rees46',0,0,0,0,?3)",
        rusqlite::params![file_name, fingerprint, now_text()],
    )
    .map_err(store_err)?;
    let import_id = tx.last_insert_rowid();
    let mut s = ImportSummary {
        file: file_name,
        format: "rees46".into(),
        rows_read: 0,
        rows_imported: 0,
        rows_duplicate: 0,
        rows_rejected: 0,
        already_imported: false,
        errors: Vec::new(),
    };
    {
        let mut w = EventWriter::new(&tx, import_id).map_err(store_err)?;
        let mut reject = tx
            .prepare("INSERT INTO import_errors(import_id,line,reason,raw) VALUES (?1,?2,?3,?4)")
            .map_err(store_err)?;
        let ends_with_lf = ends_with_newline(path).map_err(read_err)?;
        let file = File::open(path).map_err(read_err)?;
        // Only '\n' ends a record (a CR before it is stripped from the last field below): with
        // the default CRLF terminator the reader consumes the '\n' of a CRLF line only when the
        // *next* read starts, so positions were a line behind in CRLF files but not in LF files.
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let mut rec = csv::ByteRecord::new();
        loop {
            let line = rdr.position().line();
            let more = match rdr.read_byte_record(&mut rec) {
                Ok(more) => more,
                Err(e) => match e.kind() {
                    csv::ErrorKind::Io(_) => {
                        let csv::ErrorKind::Io(io) = e.into_kind() else { unreachable!() };
                        return Err(read_err(io));
                    }
                    _ => {
                        s.rows_read += 1;
                        reject_row(&mut s, &mut reject, import_id, line, &e.to_string(), b"").map_err(store_err)?;
                        continue;
                    }
                },
            };
            if !more {
                break;
            }
            // A blank CRLF line (just "\r") is not a row, as blank LF lines are not.
            if rec.len() == 1 && &rec[0] == b"\r" {
                continue;
            }
            let line = record_line(&rec, rdr.position(), total_bytes, ends_with_lf);
            s.rows_read += 1;
            let fields: Result<Vec<&str>, usize> =
                rec.iter().enumerate().map(|(i, f)| std::str::from_utf8(f).map_err(|_| i)).collect();
            let parsed = match fields {
                Ok(mut f) => {
                    if let Some(last) = f.last_mut() {
                        *last = last.strip_suffix('\r').unwrap_or(last);
                    }
                    rees46::parse(&f)
                }
                Err(col) => Err(format!("column {}: invalid UTF-8", col + 1)),
            };
            match parsed {
                Ok(row) => {
                    w.product(&row.product()).map_err(store_err)?;
                    if w.event(&row.event).map_err(store_err)? {
                        s.rows_imported += 1;
                    } else {
                        s.rows_duplicate += 1;
                    }
                }
                Err(reason) => {
                    // The line's fields joined by commas (quotes are not restored), without the CR.
                    let mut raw = rec.iter().collect::<Vec<_>>().join(&b","[..]);
                    if raw.last() == Some(&b'\r') {
                        raw.pop();
                    }
                    reject_row(&mut s, &mut reject, import_id, line, &reason, &raw).map_err(store_err)?;
                }
            }
            if s.rows_read % 2048 == 0 {
                let done = rec.position().map(|p| p.byte()).unwrap_or(0);
                let p = Progress::new("parse", done, total_bytes, format!("{} rows", s.rows_read));
                if progress(&p) == Flow::Cancel {
                    return Err(IngestError::Cancelled { path: display });
                }
            }
        }
    }
    tx.execute(
        "UPDATE imports SET rows_read=?1, rows_imported=?2, rows_duplicate=?3, rows_rejected=?4 WHERE id=?5",
        rusqlite::params![s.rows_read as i64, s.rows_imported as i64, s.rows_duplicate as i64, s.rows_rejected as i64, import_id],
    )
    .map_err(store_err)?;
    tx.commit().map_err(store_err)?;
    progress(&Progress::new("done", total_bytes, total_bytes, format!("{} rows", s.rows_read)));
    Ok(s)
}

fn reject_row(
    s: &mut ImportSummary,
    stmt: &mut rusqlite::Statement,
    import_id: i64,
    line: u64,
    reason: &str,
    raw: &[u8],
) -> rusqlite::Result<()> {
    s.rows_rejected += 1;
    if s.errors.len() < MAX_REPORTED_ERRORS {
        s.errors.push(RowError { line, reason: reason.to_string() });
    }
    let raw: String = String::from_utf8_lossy(raw).chars().take(MAX_RAW_CHARS).collect();
    stmt.execute(rusqlite::params![import_id, line as i64, reason, raw])?;
    Ok(())
}

/// The 1-based physical line on which `rec` starts, given the reader position `end` just after
/// it. The reader has consumed the record's terminating '\n' (so `end` is already on the next
/// line) unless the record ends the file without a final newline; quoted fields may span lines.
fn record_line(rec: &csv::ByteRecord, end: &csv::Position, total_bytes: u64, ends_with_lf: bool) -> u64 {
    let unterminated = end.byte() >= total_bytes && !ends_with_lf;
    let last = end.line() - u64::from(!unterminated);
    let inner: u64 = rec.iter().map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64).sum();
    last.saturating_sub(inner).max(1)
}

/// Whether the file's last byte is '\n' (false for an empty file).
fn ends_with_newline(path: &Path) -> std::io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut f = File::open(path)?;
    if f.metadata()?.len() == 0 {
        return Ok(false);
    }
    f.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

/// The first line of `head`, validated as text.
fn sniff_header(head: &[u8], path: &str) -> Result<String, IngestError> {
    if head.is_empty() {
        return Err(IngestError::Empty { path: path.into() });
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = &head[..end];
    if line.contains(&0) {
        return Err(IngestError::NotCsv { path: path.into() });
    }
    match std::str::from_utf8(line) {
        Ok(t) => Ok(t.trim_end_matches('\r').to_string()),
        Err(_) => Err(IngestError::NotCsv { path: path.into() }),
    }
}

/// SHA-256 of the file's bytes, hex.
fn fingerprint(path: &Path) -> std::io::Result<String> {
    let mut f = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

fn previous_import(project: &Project, fingerprint: &str, path: &str) -> Result<Option<ImportSummary>, IngestError> {
    use rusqlite::OptionalExtension;
    let store_err = |source| IngestError::Store { path: path.into(), source };
    let row = project
        .conn()
        .query_row(
            "SELECT id,file_name,format,rows_read,rows_imported,rows_duplicate,rows_rejected FROM imports WHERE fingerprint=?1",
            [fingerprint],
            |r| {
                Ok((r.get::<_, i64>(0)?, ImportSummary {
                    file: r.get(1)?,
                    format: r.get(2)?,
                    rows_read: r.get::<_, i64>(3)? as u64,
                    rows_imported: r.get::<_, i64>(4)? as u64,
                    rows_duplicate: r.get::<_, i64>(5)? as u64,
                    rows_rejected: r.get::<_, i64>(6)? as u64,
                    already_imported: true,
                    errors: Vec::new(),
                }))
            },
        )
        .optional()
        .map_err(store_err)?;
    let Some((id, mut s)) = row else { return Ok(None) };
    let mut stmt = project
        .conn()
        .prepare("SELECT line, reason FROM import_errors WHERE import_id=?1 ORDER BY line LIMIT ?2")
        .map_err(store_err)?;
    s.errors = stmt
        .query_map(rusqlite::params![id, MAX_REPORTED_ERRORS as i64], |r| {
            Ok(RowError { line: r.get::<_, i64>(0)? as u64, reason: r.get(1)? })
        })
        .and_then(|rows| rows.collect())
        .map_err(store_err)?;
    Ok(Some(s))
}
