//! The import loop: detect, parse, normalise, store — one transaction per file.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::Ordering;

use rusqlite::params;

use super::formats::{FieldError, Format};
use super::pipeline;
use super::product_checks::{self, ProductChecks};
use super::records::Layout;
use super::repeat::{fingerprint, previous_import, probe, probe_seen, BulkMode};
use super::sniff::{choose_format, first_line, first_record_fields, peek_first_line, product_checks_for, signature_of};
use super::writer::{EventWriter, NewEvent, NewProduct};
use super::{privacy, source, ImportOptions, ImportSummary, IngestError, NoteCount, RowError, EARLY_STOP_ROWS, MAX_RAW_CHARS, MAX_REPORTED_ERRORS};
use crate::progress::{Flow, Progress, ProgressFn};
use crate::store::{now_text, Project};

/// Import one file with `opts`. See the module docs for the guarantees.
///
/// Errors: unreadable or missing file, empty or binary file, unknown format (without mapping),
/// bad mapping, cancel, store failure. On any error the project is unchanged.
pub fn import_file_with(project: &mut Project, path: &Path, opts: &ImportOptions, progress: ProgressFn) -> Result<ImportSummary, IngestError> {
    let display = path.display().to_string();
    let read_err = |source| IngestError::Read { path: display.clone(), source };
    let store_err = |source| IngestError::Store { path: display.clone(), source };
    let total_bytes = crate::input::check_regular(path).map_err(read_err)?.len();
    if total_bytes == 0 {
        return Err(IngestError::Empty { path: display });
    }
    // Re-importing a file is a no-op, found by its SHA-256. Hashing a large file first would
    // cost a pass of its own, so the full hash runs up front only when a cheap probe says an
    // earlier import may be the same file; otherwise the parser thread hashes the bytes as it
    // reads them, and a match found at the end rolls the import back.
    let probe = probe(path, total_bytes).map_err(read_err)?;
    let fingerprint = if probe_seen(project, &probe).map_err(store_err)? {
        let fp = fingerprint(path).map_err(read_err)?;
        if let Some(prev) = previous_import(project, &fp).map_err(store_err)? {
            return Ok(prev);
        }
        Fingerprint::Known(fp)
    } else {
        Fingerprint::Streamed
    };
    let file_name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| display.clone());
    let checks = product_checks_for(project, path, opts, &display)?;

    let source::Fingerprinted { reader, encoded, consumed, fingerprint: streamed } = source::open_fingerprinted(path).map_err(read_err)?;
    let (head, reader) = peek_first_line(reader).map_err(read_err)?;
    let first_line = first_line(&head).ok_or_else(|| IngestError::NotText { path: display.clone() })?;
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { path: display });
    }
    let layout = match &opts.delimiter {
        Some(name) => super::spaced::named(name).ok_or_else(|| IngestError::BadDelimiter { path: display.clone(), value: name.clone() })?,
        None => super::spaced::sniff_layout(&head, &first_line),
    };
    let first_fields = first_record_fields(&first_line, layout);
    if layout != Layout::JsonLines && first_fields.len() < 2 {
        return Err(IngestError::SingleColumn { path: display, delimiter: super::spaced::name_of(layout), header: first_line.chars().take(120).collect() });
    }
    let signature = signature_of(&first_fields);
    let format = choose_format(project, opts, &first_fields, &signature, &display)?;
    let mut checks = checks;
    checks.derive_for(format.fixed_currency(), &display)?;
    let force_pseudo = matches!(&format, Format::Generic(m) if m.names.get(m.user).is_some_and(|n| privacy::is_pii_column(n)));
    let pseudonymise = opts.pseudonymise || force_pseudo;
    let encoding = format!("{}{}{}", encoded.encoding, if encoded.bom { "+bom" } else { "" }, if encoded.gzip { "+gzip" } else { "" });

    // A rough row count (decides the dedup strategy and sizes its filter): lines of data
    // files are rarely shorter than 64 bytes; gzip shrinks such text about six-fold.
    let estimated_rows = total_bytes / 64 * if encoded.gzip { 6 } else { 1 };
    let bulk_mode = BulkMode::enter(project, estimated_rows);
    let fingerprint = match fingerprint {
        Fingerprint::Known(fp) => Ok(fp),
        Fingerprint::Streamed => Err(streamed),
    };
    let result = import_in_tx(
        project,
        progress,
        Prepared {
            path: path.to_path_buf(),
            display: display.clone(),
            file_name,
            fingerprint,
            probe,
            total_bytes,
            estimated_rows,
            format,
            pseudonymise,
            encoding,
            signature,
            layout,
            max_record: opts.max_record_bytes,
            checks,
            reader,
            consumed,
        },
    );
    let _ = project.conn().pragma_update(None, "cache_size", -2000);
    bulk_mode.leave(project);
    match result? {
        Imported::New(summary) => Ok(summary),
        Imported::Again(fp) => previous_import(project, &fp).map_err(store_err)?.ok_or_else(|| IngestError::Store { path: display, source: rusqlite::Error::QueryReturnedNoRows }),
    }
}

/// How the file's fingerprint is known before the import.
enum Fingerprint {
    /// Hashed up front (the probe matched an earlier import).
    Known(String),
    /// To be hashed while the file is read.
    Streamed,
}

/// What an import did.
enum Imported {
    New(ImportSummary),
    /// The file was imported before (fingerprint found only at the end): rolled back.
    Again(String),
}

/// Page cache during a row-by-row (indexed) import, KiB (SQLite's default is 2,000). It keeps
/// the identity index's pages in memory instead of spilling them to the WAL and reading them
/// back. Bulk imports only append, and run faster with the default.
const IMPORT_CACHE_KIB: i64 = 64 * 1024;

/// Everything decided before the transaction starts.
struct Prepared {
    path: std::path::PathBuf,
    display: String,
    file_name: String,
    /// The SHA-256, or the reader's hash of it to finish after the parse.
    fingerprint: Result<String, source::StreamedFingerprint>,
    probe: String,
    total_bytes: u64,
    estimated_rows: u64,
    format: Format,
    pseudonymise: bool,
    encoding: String,
    signature: String,
    layout: Layout,
    max_record: usize,
    checks: ProductChecks,
    reader: Box<dyn BufRead + Send>,
    consumed: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

fn import_in_tx(project: &mut Project, progress: ProgressFn, pre: Prepared) -> Result<Imported, IngestError> {
    let Prepared { path, display, file_name, fingerprint, probe, total_bytes, estimated_rows, format, pseudonymise, encoding, signature, layout, max_record, mut checks, reader, consumed } = pre;
    let store_err = |source| IngestError::Store { path: display.clone(), source };
    let tx = project.conn_mut().transaction().map_err(store_err)?;
    if let Format::Generic(m) = &format {
        tx.execute(
            "INSERT INTO import_mappings(signature, format, mapping, updated_at) VALUES (?1, 'generic', ?2, ?3)
             ON CONFLICT(signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
            params![signature, serde_json::to_string(m).expect("mapping json"), now_text()],
        )
        .map_err(store_err)?;
    }
    tx.execute(
        "INSERT INTO imports(file_name,fingerprint,format,rows_read,rows_imported,rows_duplicate,rows_rejected,imported_at,encoding,probe) VALUES (?1,?2,?3,0,0,0,0,?4,?5,?6)",
        params![file_name, format!("pending:{probe}"), format.name(), now_text(), encoding, probe],
    )
    .map_err(store_err)?;
    let import_id = tx.last_insert_rowid();
    // Needed even without the option: a user id that looks like contact data is never stored.
    let key = privacy::project_key(&tx).map_err(store_err)?;
    let mut s = ImportSummary {
        import_id,
        file: file_name,
        format: format.name().into(),
        encoding: encoding.clone(),
        rows_read: 0,
        rows_imported: 0,
        rows_duplicate: 0,
        rows_rejected: 0,
        events_imported: 0,
        already_imported: false,
        pseudonymised: pseudonymise,
        notes: Vec::new(),
        errors: Vec::new(),
    };
    let mut notes: BTreeMap<&'static str, u64> = BTreeMap::new();
    {
        let mut w = EventWriter::for_import(&tx, import_id, estimated_rows).map_err(store_err)?;
        let filter = w.take_filter();
        if !w.is_bulk() {
            tx.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB).map_err(store_err)?;
        }
        let mut reject = tx.prepare("INSERT INTO import_errors(import_id,line,column_name,reason,raw,reason_key,reason_params) VALUES (?1,?2,?3,?4,?5,?6,?7)").map_err(store_err)?;
        let mut cancelled = false;
        // The first rejection, while every row so far was rejected for the same column and kind.
        let mut uniform: Option<(String, String, FieldError, u64)> = None;
        let write = |batch: &[pipeline::Item]| -> Result<bool, IngestError> {
            // Events the filter called certainly new go to the store in runs (file order kept).
            let mut run: Vec<NewEvent> = Vec::with_capacity(batch.len());
            let mut run_ids: Vec<i64> = Vec::with_capacity(batch.len());
            for item in batch {
                s.rows_read += 1;
                let checked = match &item.outcome {
                    Ok(parsed) => match parsed.product.as_deref().map(|p| checks.currency(p)).transpose() {
                        Err(e) => Err(e),
                        Ok(currency) => Ok((parsed, currency)),
                    },
                    Err(e) => Err(e.clone()),
                };
                match checked {
                    Err(e) => {
                        s.rows_rejected += 1;
                        if s.rows_rejected == s.rows_read && s.rows_read <= EARLY_STOP_ROWS {
                            let kind = reason_kind(&e.reason);
                            match &uniform {
                                None if s.rows_read == 1 => uniform = Some((e.column.clone(), kind, e.clone(), item.line)),
                                Some((c, k, _, _)) if *c == e.column && *k == kind => {}
                                _ => uniform = None,
                            }
                            if s.rows_read == EARLY_STOP_ROWS {
                                if let Some((column, _, first, line)) = uniform.take() {
                                    return Err(IngestError::AllRejected { path: display.clone(), rows: EARLY_STOP_ROWS, column, reason: first.reason, line, reason_keyed: Box::new(first.keyed) });
                                }
                            }
                        }
                        if s.errors.len() < MAX_REPORTED_ERRORS {
                            s.errors.push(RowError { line: item.line, column: e.column.clone(), reason: e.reason.clone(), keyed: Some(e.keyed.clone()) });
                        }
                        let raw: String = privacy::mask(item.raw.as_deref().unwrap_or("")).chars().take(MAX_RAW_CHARS).collect();
                        let key_params =
                            serde_json::to_string(&e.keyed.params).map_err(|err| IngestError::Store { path: display.clone(), source: rusqlite::Error::ToSqlConversionFailure(Box::new(err)) })?;
                        reject.execute(params![import_id, item.line as i64, e.column, e.reason, raw, e.keyed.key, key_params]).map_err(store_err)?;
                    }
                    Ok((parsed, currency)) => {
                        if let (Some(p), Some(currency)) = (&parsed.product, currency.as_deref()) {
                            let (image, note) = checks.image(p.image.as_deref());
                            if let Some(note) = note {
                                *notes.entry(note).or_default() += 1;
                            }
                            let np = NewProduct {
                                id: &p.id,
                                name_en: &p.name_en,
                                name_zh: &p.name_zh,
                                category: &p.category,
                                brand: &p.brand,
                                price_cents: p.price_cents,
                                currency,
                                image: image.as_deref(),
                            };
                            if p.authoritative { w.product_replace(&np) } else { w.product_stub(&np) }.map_err(store_err)?;
                        }
                        for note in &parsed.notes {
                            *notes.entry(note).or_default() += 1;
                        }
                        match &parsed.event {
                            // The pipeline applied the privacy rules and computed the identity.
                            Some(e) => {
                                let ne = NewEvent { ts: e.ts, user_id: &e.user, product_id: &e.product, kind: e.kind, price_cents: e.price_cents, session: &e.session, raw: e.raw.as_deref() };
                                if item.certainly_new {
                                    run.push(ne);
                                    run_ids.push(item.ident);
                                    continue;
                                }
                                let stored = w.events_new(&run, &run_ids).map_err(store_err)?;
                                s.rows_imported += stored;
                                s.events_imported += stored;
                                run.clear();
                                run_ids.clear();
                                if w.event_filtered(&ne, item.ident, false).map_err(store_err)? {
                                    s.rows_imported += 1;
                                    s.events_imported += 1;
                                } else {
                                    s.rows_duplicate += 1;
                                }
                            }
                            None => s.rows_imported += 1,
                        }
                    }
                }
            }
            let stored = w.events_new(&run, &run_ids).map_err(store_err)?;
            s.rows_imported += stored;
            s.events_imported += stored;
            let p = Progress::new("parse", consumed.load(Ordering::Relaxed).min(total_bytes), total_bytes, format!("{} rows", s.rows_read));
            if progress(&p) == Flow::Cancel {
                cancelled = true;
                return Ok(false);
            }
            Ok(true)
        };
        pipeline::run(reader, layout, max_record, &format, privacy::Pseudonymiser::new(key, pseudonymise), filter, write).map_err(|e| match e {
            IngestError::Read { path, source } if path.is_empty() => IngestError::Read { path: display.clone(), source },
            other => other,
        })?;
        if cancelled {
            return Err(IngestError::Cancelled { path: display });
        }
        progress(&Progress::new("index", total_bytes, total_bytes, format!("{} rows", s.rows_read)));
        let late_duplicates = w.finish().map_err(store_err)?;
        s.rows_imported -= late_duplicates;
        s.events_imported -= late_duplicates;
        s.rows_duplicate += late_duplicates;
    }
    s.notes = notes.into_iter().map(|(n, c)| NoteCount { note: n.to_string(), count: c }).collect();
    if let Some(c) = checks.currency_to_store() {
        product_checks::set_project_currency(&tx, c).map_err(store_err)?;
    }
    let fingerprint = match fingerprint {
        Ok(fp) => fp,
        Err(streamed) => streamed.finish(&path).map_err(|source| IngestError::Read { path: display.clone(), source })?,
    };
    let seen: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM imports WHERE fingerprint = ?1)", [&fingerprint], |r| r.get(0)).map_err(store_err)?;
    if seen {
        return Ok(Imported::Again(fingerprint)); // dropping `tx` rolls the import back
    }
    tx.execute(
        "UPDATE imports SET rows_read=?1, rows_imported=?2, rows_duplicate=?3, rows_rejected=?4, notes=?5, fingerprint=?6 WHERE id=?7",
        params![s.rows_read as i64, s.rows_imported as i64, s.rows_duplicate as i64, s.rows_rejected as i64, serde_json::to_string(&s.notes).expect("notes json"), fingerprint, import_id],
    )
    .map_err(store_err)?;
    tx.commit().map_err(store_err)?;
    progress(&Progress::new("done", total_bytes, total_bytes, format!("{} rows", s.rows_read)));
    Ok(Imported::New(s))
}

/// A rejection reason without the values in it (quoted parts and digits: "\"x\" is not a Unix
/// timestamp" and "536365 is outside 1990..2100" lose "x" and the numbers), so rejections of
/// different values for the same cause compare equal.
fn reason_kind(reason: &str) -> String {
    reason.split('"').step_by(2).flat_map(str::chars).filter(|c| !c.is_ascii_digit()).collect()
}

/// I/O errors met while streaming records; the caller fills in the path.
impl From<std::io::Error> for IngestError {
    fn from(source: std::io::Error) -> Self {
        IngestError::Read { path: String::new(), source }
    }
}
