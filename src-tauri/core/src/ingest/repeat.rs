//! Recognising a file imported before (its fingerprint) and the bulk-import journal switch:
//! the parts of an import that happen around its transaction.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::{ImportSummary, NoteCount, RowError, MAX_REPORTED_ERRORS};
use crate::store::Project;

/// Bytes at the start of a file that the probe hashes.
const PROBE_BYTES: u64 = 1 << 20;

/// A cheap stand-in for the fingerprint: the file's size and the XXH3 of its first MiB. Two
/// files with different probes are certainly different; equal probes need the full hash.
pub(super) fn probe(path: &Path, size: u64) -> std::io::Result<String> {
    let mut head = Vec::with_capacity(PROBE_BYTES as usize);
    File::open(path)?.take(PROBE_BYTES).read_to_end(&mut head)?;
    Ok(format!("{size}:{:016x}", xxhash_rust::xxh3::xxh3_64(&head)))
}

/// Whether an earlier import may have been this file: its probe matches, or an import from
/// before probes were recorded exists.
pub(super) fn probe_seen(project: &Project, probe: &str) -> rusqlite::Result<bool> {
    project.conn().query_row("SELECT EXISTS(SELECT 1 FROM imports WHERE probe = ?1 OR probe IS NULL)", [probe], |r| r.get(0))
}

/// A bulk import into a project no other connection has open runs under SQLite's rollback
/// journal instead of the WAL: appended pages are written once, straight into the database
/// file, instead of once into the WAL and again at the checkpoint. Atomicity is the same — a
/// killed process leaves a hot journal that the next open rolls back — and the WAL comes back
/// as soon as the import ends. With another connection open the switch is refused by SQLite
/// and the import simply runs in WAL mode.
pub(super) struct BulkJournal {
    switched: bool,
}

/// Estimated rows from which the journal switch pays for itself.
const BULK_JOURNAL_ROWS: u64 = 100_000;

impl BulkJournal {
    pub(super) fn enter(project: &Project, estimated_rows: u64) -> BulkJournal {
        if estimated_rows < BULK_JOURNAL_ROWS || project.path().is_none() {
            return BulkJournal { switched: false };
        }
        let mode: rusqlite::Result<String> = project.conn().query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0));
        BulkJournal { switched: mode.is_ok_and(|m| m.eq_ignore_ascii_case("delete")) }
    }

    pub(super) fn leave(self, project: &Project) {
        if self.switched {
            let _ = project.conn().query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0));
        }
    }
}

/// SHA-256 of the file's bytes, hex.
pub(super) fn fingerprint(path: &Path) -> std::io::Result<String> {
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

pub(super) fn previous_import(project: &Project, fingerprint: &str) -> rusqlite::Result<Option<ImportSummary>> {
    let row = project
        .conn()
        .query_row(
            "SELECT id,file_name,format,rows_read,rows_imported,rows_duplicate,rows_rejected,encoding,notes FROM imports WHERE fingerprint=?1",
            [fingerprint],
            |r| {
                let notes: String = r.get(8)?;
                Ok((r.get::<_, i64>(0)?, ImportSummary {
                    import_id: r.get(0)?,
                    file: r.get(1)?,
                    format: r.get(2)?,
                    encoding: r.get(7)?,
                    rows_read: r.get::<_, i64>(3)? as u64,
                    rows_imported: r.get::<_, i64>(4)? as u64,
                    rows_duplicate: r.get::<_, i64>(5)? as u64,
                    rows_rejected: r.get::<_, i64>(6)? as u64,
                    events_imported: 0,
                    already_imported: true,
                    pseudonymised: false,
                    notes: serde_json::from_str::<Vec<(String, u64)>>(&notes)
                        .map(|v| v.into_iter().map(|(note, count)| NoteCount { note, count }).collect())
                        .or_else(|_| serde_json::from_str::<Vec<serde_json::Value>>(&notes).map(|v| {
                            v.iter().filter_map(|n| Some(NoteCount { note: n["note"].as_str()?.to_string(), count: n["count"].as_u64()? })).collect()
                        }))
                        .unwrap_or_default(),
                    errors: Vec::new(),
                }))
            },
        )
        .optional()?;
    let Some((id, mut s)) = row else { return Ok(None) };
    s.errors = super::rejected_page(project, id, 0, MAX_REPORTED_ERRORS as u32)?
        .into_iter()
        .map(|r| RowError { line: r.line, column: r.column, reason: r.reason })
        .collect();
    Ok(Some(s))
}
