//! Recognising a file imported before (its fingerprint) and the bulk-import connection settings:
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

/// How a bulk import sets up the project's connection around its transaction. Both settings
/// belong to the connection, can change only outside a transaction, and are restored by
/// [`BulkMode::leave`] as soon as the import ends (committed or not).
///
/// - **Rollback journal.** A bulk import into a project no other connection has open runs
///   under SQLite's rollback journal instead of the WAL: appended pages are written once,
///   straight into the database file, instead of once into the WAL and again at the
///   checkpoint. Atomicity is the same — a killed process leaves a hot journal that the next
///   open rolls back. With another connection open the switch is refused by SQLite and the
///   import simply runs in WAL mode.
/// - **Foreign keys not enforced.** With enforcement on, SQLite looks up the parent row of
///   every inserted event (`events.import_id → imports.id`), about 5 % of a bulk import. The
///   import's rows reference only the `imports` row its own transaction created, so that
///   lookup cannot fail (tests run `PRAGMA foreign_key_check` after bulk imports).
pub(super) struct BulkMode {
    journal_switched: bool,
    foreign_keys_off: bool,
}

/// Estimated rows from which the bulk settings pay for themselves.
const BULK_ROWS: u64 = 100_000;

impl BulkMode {
    pub(super) fn enter(project: &Project, estimated_rows: u64) -> BulkMode {
        if estimated_rows < BULK_ROWS || project.path().is_none() {
            return BulkMode { journal_switched: false, foreign_keys_off: false };
        }
        let foreign_keys_off = project.conn().pragma_update(None, "foreign_keys", "OFF").is_ok();
        let mode: rusqlite::Result<String> = project.conn().query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0));
        BulkMode { journal_switched: mode.is_ok_and(|m| m.eq_ignore_ascii_case("delete")), foreign_keys_off }
    }

    pub(super) fn leave(self, project: &Project) {
        if self.journal_switched {
            let _ = project.conn().query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0));
        }
        if self.foreign_keys_off {
            let _ = project.conn().pragma_update(None, "foreign_keys", "ON");
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
        .query_row("SELECT id,file_name,format,rows_read,rows_imported,rows_duplicate,rows_rejected,encoding,notes FROM imports WHERE fingerprint=?1", [fingerprint], |r| {
            let notes: String = r.get(8)?;
            Ok((
                r.get::<_, i64>(0)?,
                ImportSummary {
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
                        .or_else(|_| {
                            serde_json::from_str::<Vec<serde_json::Value>>(&notes)
                                .map(|v| v.iter().filter_map(|n| Some(NoteCount { note: n["note"].as_str()?.to_string(), count: n["count"].as_u64()? })).collect())
                        })
                        .unwrap_or_default(),
                    errors: Vec::new(),
                },
            ))
        })
        .optional()?;
    let Some((id, mut s)) = row else { return Ok(None) };
    s.errors = super::rejected_page(project, id, 0, MAX_REPORTED_ERRORS as u32)?.into_iter().map(|r| RowError { line: r.line, column: r.column, reason: r.reason, keyed: r.keyed }).collect();
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use std::io::{BufWriter, Write};

    use crate::ingest::{import_file, IngestError};
    use crate::progress::{self, Flow};
    use crate::store::Project;

    /// A REES46 file large enough (by size) for the bulk settings.
    fn bulk_file(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("bulk.csv");
        let mut w = BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(w, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session").unwrap();
        for i in 0..super::BULK_ROWS {
            let (h, m, s) = ((i / 3600) % 24, (i / 60) % 60, i % 60);
            writeln!(w, "2019-10-01 {h:02}:{m:02}:{s:02} UTC,view,{},2053013555631882655,electronics.smartphone,samsung,{}.99,{},0000-{i}", 1_000_000 + i % 5000, i % 900, 500_000_000 + i % 4000)
                .unwrap();
        }
        path
    }

    fn settings(p: &Project) -> (String, i64) {
        let mode: String = p.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let fk: i64 = p.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        (mode, fk)
    }

    #[test]
    fn a_bulk_import_restores_the_connection_and_breaks_no_reference() {
        let dir = tempfile::tempdir().unwrap();
        let csv = bulk_file(dir.path());
        let mut p = Project::open(&dir.path().join("p.studio")).unwrap();
        let s = import_file(&mut p, &csv, &mut progress::ignore).unwrap();
        assert_eq!(s.events_imported, super::BULK_ROWS);
        assert_eq!(settings(&p), ("wal".into(), 1));
        let broken: i64 = p.conn().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(broken, 0);
        assert!(p.integrity_ok().unwrap());
    }

    #[test]
    fn a_cancelled_bulk_import_restores_the_connection_too() {
        let dir = tempfile::tempdir().unwrap();
        let csv = bulk_file(dir.path());
        let mut p = Project::open(&dir.path().join("p.studio")).unwrap();
        let err = import_file(&mut p, &csv, &mut |_| Flow::Cancel).unwrap_err();
        assert!(matches!(err, IngestError::Cancelled { .. }), "{err}");
        assert_eq!(settings(&p), ("wal".into(), 1));
        let events: i64 = p.conn().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
        assert_eq!(events, 0);
    }
}
