//! Importing behaviour exports and catalogs into a project.
//!
//! Formats ([`formats::Format`]): REES46, Taobao UserBehavior, RetailRocket, UCI Online Retail,
//! catalog files, and any CSV/TSV/JSON Lines with a column mapping — auto-detected from line 1,
//! overridable. Encodings: UTF-8 (with or without BOM), GBK/GB18030, LF or CRLF, gzip.
//!
//! Guarantees: every data line is accounted for (`rows_read = rows_imported + rows_duplicate +
//! rows_rejected`); rejected lines go to `import_errors` with line, column, reason and (masked,
//! capped) raw text; a file is imported in **one transaction**, so an I/O error, a cancel or a
//! killed process leaves none of it (re-importing then does the whole file); the same file (by
//! SHA-256 of its bytes) is never imported twice, and exact duplicate events are skipped.

mod borrowed;
pub mod dedup;
pub mod formats;
mod pipeline;
pub mod preview;
pub mod privacy;
pub mod product_checks;
pub mod records;
pub mod source;
pub mod spaced;
pub mod writer;

mod repeat;
mod run;
mod sniff;
mod stubs;

#[cfg(test)]
mod limits_tests;
#[cfg(test)]
mod odd_files_tests;
#[cfg(test)]
mod product_checks_tests;
#[cfg(test)]
mod robustness_tests;

use std::path::Path;

use serde::Serialize;
use thiserror::Error;

use crate::error::{io_code, keyed, ErrorCode, HasCode, Keyed};
use crate::progress::ProgressFn;
use crate::store::Project;

pub use run::import_file_with;

/// At most this many rejected lines are returned in a summary (all are stored).
pub const MAX_REPORTED_ERRORS: usize = 200;

/// The formats an import may be forced to (`--format`, the import form's choice); any other
/// file is detected by its header or read through a column mapping.
pub const FORMAT_NAMES: [&str; 5] = ["rees46", "taobao", "retailrocket", "online_retail", "catalog"];
/// Raw text of a rejected line is stored up to this many characters.
pub const MAX_RAW_CHARS: usize = 1000;
/// A row error's reason is kept (returned and stored) up to this many characters; longer
/// ones (a reason quoting a huge field) become an excerpt naming their length.
pub const MAX_REASON_CHARS: usize = 300;
/// The default longest record (line) an import accepts, in bytes: 1 MiB. A longer line is
/// rejected on its own (the import goes on) and is never held in memory whole.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 1 << 20;

/// Why an import failed as a whole. Row-level problems are not errors: they are counted.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is empty")]
    Empty { path: String },
    #[error("{path} is not a text file (line 1 contains binary data)")]
    NotText { path: String },
    #[error("{path}: unknown format; line 1 is {header:?}. Known: REES46, Taobao UserBehavior, RetailRocket events, UCI Online Retail, catalog (id,title,price,…); for other files give a column mapping, e.g. --map user=COL,item=COL,time=COL,event=COL")]
    UnknownFormat { path: String, header: String },
    #[error("{path}: bad column mapping: {source}")]
    BadMapping { path: String, source: formats::generic::MappingError },
    #[error("{path}: unknown format name {name:?} (use rees46, taobao, retailrocket, online_retail, catalog or generic)")]
    BadFormatName { path: String, name: String },
    #[error("{path}: unknown currency {given:?} (use CNY, USD, EUR, GBP or JPY)")]
    BadCurrency { path: String, given: String },
    #[error("{path}: the project uses {project}, not {given}: one currency per project (convert the file's prices, or import it into another project)")]
    CurrencyConflict { path: String, given: String, project: String },
    #[error("{path}: line 1 reads as a single column ({header:?}) with the {delimiter} delimiter assumed; if the columns are separated by something else, choose the delimiter (--delimiter comma, semicolon, tab, pipe or spaces)")]
    SingleColumn { path: String, delimiter: &'static str, header: String },
    #[error("{path}: unknown delimiter {value:?} (use comma, semicolon, tab, pipe or spaces)")]
    BadDelimiter { path: String, value: String },
    #[error("{path}: the first {rows} rows were all rejected for the same reason, so the import stopped and nothing was stored: column {column}: {reason} (e.g. line {line}). Check the column mapping (--map) or the format")]
    AllRejected { path: String, rows: u64, column: String, reason: String, line: u64, reason_keyed: Box<Keyed> },
    #[error("import of {path} cancelled; nothing was changed")]
    Cancelled { path: String },
    #[error("cannot store rows of {path}: {source}")]
    Store { path: String, source: rusqlite::Error },
}

impl HasCode for IngestError {
    fn code(&self) -> ErrorCode {
        match self {
            IngestError::Read { source, .. } => io_code(source),
            IngestError::Empty { .. }
            | IngestError::NotText { .. }
            | IngestError::UnknownFormat { .. }
            | IngestError::BadMapping { .. }
            | IngestError::BadFormatName { .. }
            | IngestError::BadCurrency { .. }
            | IngestError::CurrencyConflict { .. }
            | IngestError::SingleColumn { .. }
            | IngestError::BadDelimiter { .. }
            | IngestError::AllRejected { .. } => ErrorCode::InvalidInput,
            IngestError::Cancelled { .. } => ErrorCode::Cancelled,
            IngestError::Store { source, .. } => crate::error::sqlite_code(source),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            IngestError::Read { path, source } => keyed!("err.ingest.read", path = path, detail = source),
            IngestError::Empty { path } => keyed!("err.ingest.empty", path = path),
            IngestError::NotText { path } => keyed!("err.ingest.not_text", path = path),
            IngestError::UnknownFormat { path, header } => keyed!("err.ingest.unknown_format", path = path, header = header),
            IngestError::BadMapping { path, source } => source.keyed(path),
            IngestError::BadFormatName { path, name } => keyed!("err.ingest.bad_format_name", path = path, name = name),
            IngestError::BadCurrency { path, given } => keyed!("err.ingest.bad_currency", path = path, given = given),
            IngestError::CurrencyConflict { path, given, project } => keyed!("err.ingest.currency_conflict", path = path, given = given, project = project),
            IngestError::SingleColumn { path, delimiter, header } => keyed!("err.ingest.single_column", path = path, delimiter = delimiter, header = header),
            IngestError::BadDelimiter { path, value } => keyed!("err.ingest.bad_delimiter", path = path, value = value),
            // The reason nested: the window renders it in its language and puts it in `{reason}`.
            IngestError::AllRejected { path, rows, column, reason, line, reason_keyed } => {
                keyed!("err.ingest.all_rejected", path = path, rows = rows, column = column, reason = reason, line = line).nesting(reason_keyed)
            }
            IngestError::Cancelled { path } => keyed!("err.ingest.cancelled", path = path),
            IngestError::Store { .. } => return None,
        })
    }
}

/// The message keys [`IngestError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &[
    "err.ingest.read",
    "err.ingest.empty",
    "err.ingest.not_text",
    "err.ingest.unknown_format",
    "err.ingest.mapping.not_key_value",
    "err.ingest.mapping.unknown_column",
    "err.ingest.mapping.unknown_key",
    "err.ingest.mapping.missing",
    "err.ingest.mapping.catalog_columns",
    "err.ingest.mapping.no_mapping",
    "err.ingest.bad_format_name",
    "err.ingest.bad_currency",
    "err.ingest.currency_conflict",
    "err.ingest.single_column",
    "err.ingest.bad_delimiter",
    "err.ingest.all_rejected",
    "err.ingest.cancelled",
];

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Force a format by name instead of detecting it.
    pub format: Option<String>,
    /// Column mapping `user=col,item=col,time=col,...` for generic files. Remembered per file
    /// signature (the header line), so the next file of the same shape needs none.
    pub mapping: Option<String>,
    /// Replace user ids by keyed pseudonyms (HMAC-SHA256 under a per-project key).
    pub pseudonymise: bool,
    /// The longest record (line) accepted, in bytes (default [`DEFAULT_MAX_RECORD_BYTES`]).
    /// A longer line is rejected (column `*`, an excerpt as its raw text) and skipped
    /// without being held in memory; the import goes on with the next line.
    pub max_record_bytes: usize,
    /// The file's currency (CNY, USD, EUR, GBP, JPY). The first import with products sets the
    /// project's currency (to this, or the file's); rows in another currency are rejected
    /// (see [`product_checks`]).
    pub currency: Option<String>,
    /// The delimiter, by name (see [`spaced::named`]: comma, semicolon, tab, pipe, spaces)
    /// instead of sniffing it.
    pub delimiter: Option<String>,
}

/// When this many first data rows are all rejected for the same column and reason, the import
/// stops (rolled back) with [`IngestError::AllRejected`] instead of storing them all.
pub const EARLY_STOP_ROWS: u64 = 1000;

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { format: None, mapping: None, pseudonymise: false, max_record_bytes: DEFAULT_MAX_RECORD_BYTES, currency: None, delimiter: None }
    }
}

/// One rejected input line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowError {
    /// 1-based physical line number in the file (line 1 is the header, if any).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: u64,
    /// The column that failed (`*` for the line as a whole).
    pub column: String,
    /// Why, in English.
    pub reason: String,
    /// Why, as a message key (`row.*`) with parameters, when the studio has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub keyed: Option<Keyed>,
}

/// A special case the format handled, and how many lines it applied to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteCount {
    pub note: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
}

/// What an import did. `rows_read = rows_imported + rows_duplicate + rows_rejected`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    /// The stored import (the earlier one when `already_imported`).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub import_id: i64,
    pub file: String,
    pub format: String,
    /// `UTF-8` or `gb18030`, with `+bom` / `+gzip` when present.
    pub encoding: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_read: u64,
    /// Lines that stored something (an event, a catalog row, or both).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_imported: u64,
    /// Lines whose event was already stored (exactly the same time, user, product, kind,
    /// price and session).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_duplicate: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_rejected: u64,
    /// Events stored (≤ rows_imported: catalog-only lines store none).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events_imported: u64,
    /// True when this exact file had been imported before and nothing was done.
    pub already_imported: bool,
    pub pseudonymised: bool,
    pub notes: Vec<NoteCount>,
    /// The first [`MAX_REPORTED_ERRORS`] rejected lines.
    pub errors: Vec<RowError>,
}

/// Import one file with default options (detected format, no pseudonyms).
pub fn import_file(project: &mut Project, path: &Path, progress: ProgressFn) -> Result<ImportSummary, IngestError> {
    import_file_with(project, path, &ImportOptions::default(), progress)
}

/// A stored rejected line, for browsing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RejectedLine {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: u64,
    pub column: String,
    /// Why, in English.
    pub reason: String,
    /// The line's text (contact data masked, capped at [`MAX_RAW_CHARS`]).
    pub raw: String,
    /// Why, as a message key (`row.*`) with parameters (none for lines rejected before v16).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub keyed: Option<Keyed>,
}

/// The rejected lines of import `import_id`, by line, from `offset`, at most `limit` (≤ 1000).
pub fn rejected_page(project: &Project, import_id: i64, offset: u32, limit: u32) -> rusqlite::Result<Vec<RejectedLine>> {
    let mut stmt = project.conn().prepare("SELECT line, column_name, reason, raw, reason_key, reason_params FROM import_errors WHERE import_id = ?1 ORDER BY line LIMIT ?2 OFFSET ?3")?;
    let rows = stmt.query_map(rusqlite::params![import_id, limit.min(1000), offset], |r| {
        let key: Option<String> = r.get(4)?;
        let params: Option<String> = r.get(5)?;
        let keyed = key.map(|key| Keyed { key, params: params.and_then(|p| serde_json::from_str(&p).ok()).unwrap_or_default() });
        Ok(RejectedLine { line: r.get::<_, i64>(0)? as u64, column: r.get(1)?, reason: r.get(2)?, raw: r.get(3)?, keyed })
    })?;
    rows.collect()
}
