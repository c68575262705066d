//! Recognising a project file before anything is written to it.
//!
//! A project is an SQLite file whose header carries [`APPLICATION_ID`] (set when the studio
//! creates it). Opening reads the header and the table names first and decides:
//! - our id: a project; a schema newer than this build knows is refused
//!   ([`StoreError::TooNew`]);
//! - id 0, no tables, schema 0: an empty database (e.g. a zero-length file) that may become a
//!   project — only when opened for writing;
//! - id 0 with the studio's own tables and a schema this build knows: a project made before the
//!   id existed; it is stamped when opened for writing;
//! - anything else: another application's database, refused ([`StoreError::Foreign`]) before
//!   its journal mode, schema version or tables are touched.
//!
//! A file the operating system will not let us write opens read-only for reading
//! ([`Access::Read`]); opening it for a change says so ([`StoreError::ReadOnly`]).

use std::path::Path;

use rusqlite::{Connection, OpenFlags, MAIN_DB};

use super::StoreError;

/// SQLite `application_id` of every project: "CSTD" in ASCII.
pub const APPLICATION_ID: i32 = 0x4353_5444;

/// Tables that only a Creative Studio project has all of (v1 created them), for files made
/// before [`APPLICATION_ID`] was set.
const STUDIO_TABLES: [&str; 6] = ["imports", "import_errors", "products", "events", "segment_models", "campaigns"];

/// What the caller is about to do with the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only read: a read-only file is fine; a missing or empty file is an error.
    Read,
    /// Change it: created when missing, upgraded to the current schema, refused when read-only.
    Write,
}

/// What an existing file turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// An empty SQLite database: nothing in it yet.
    Empty,
    /// A project at this schema version; `stamped` is false for one made before the id existed.
    Project { schema: usize, stamped: bool },
}

/// Open the connection for `access`, never creating a file for [`Access::Read`] and never
/// writing anything: the caller decides from [`inspect`] whether to go on.
pub(super) fn connect(path: &Path, access: Access) -> Result<(Connection, bool), StoreError> {
    let display = path.display().to_string();
    let exists = path.exists();
    if !exists {
        if access == Access::Read {
            return Err(StoreError::Missing { path: display });
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(StoreError::NoFolder { path: display, folder: parent.display().to_string() });
        }
    } else if !std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(false) {
        return Err(StoreError::NotAProject { path: display, why: "not a regular file".into() });
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    if !exists {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(c) => c,
        // EROFS/EACCES on open: SQLite falls back to read-only itself in most cases, but not all.
        Err(_) if exists => Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?,
        Err(e) => return Err(e.into()),
    };
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    let read_only = conn.is_readonly(MAIN_DB)?;
    if read_only && exists && first_read(&conn).is_err() {
        // A read-only WAL file whose `-shm` cannot be created here (e.g. another user's folder)
        // can only be read as immutable: sound when nothing is waiting in its `-wal`, which a
        // read-only file cannot gain.
        let wal = std::fs::metadata(format!("{}-wal", path.display())).map(|m| m.len()).unwrap_or(0);
        if wal > 0 {
            return Err(StoreError::NotAProject { path: display, why: "read-only, with changes still in its -wal journal that only a writable copy can apply".into() });
        }
        let uri = format!("file:{}?immutable=1", uri_path(path));
        let conn = Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)?;
        return Ok((conn, true));
    }
    Ok((conn, read_only))
}

fn first_read(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
}

/// `path` made absolute and percent-encoded for an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in abs.as_os_str().as_encoded_bytes() {
        match *b {
            b'/' | b'-' | b'_' | b'.' | b'~' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => out.push(*b as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Read the header and table names of the open file and classify it (see the module doc).
/// Reads only.
pub(super) fn inspect(conn: &Connection, path: &Path, known: usize) -> Result<Found, StoreError> {
    let display = path.display().to_string();
    let tables: Vec<String> = match conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").and_then(|mut s| s.query_map([], |r| r.get(0))?.collect()) {
        Ok(t) => t,
        Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::NotADatabase => return Err(StoreError::NotAProject { path: display, why: "not an SQLite database".into() }),
        Err(e) => return Err(e.into()),
    };
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let schema = usize::try_from(schema).unwrap_or(usize::MAX);
    let ours = app_id == APPLICATION_ID;
    if app_id == 0 && schema == 0 && tables.is_empty() {
        return Ok(Found::Empty);
    }
    let legacy = app_id == 0 && schema >= 1 && STUDIO_TABLES.iter().all(|t| tables.iter().any(|n| n == t));
    if !ours && !legacy {
        let shown: Vec<&str> = tables.iter().take(6).map(String::as_str).collect();
        let more = if tables.len() > shown.len() { format!(" and {} more", tables.len() - shown.len()) } else { String::new() };
        return Err(StoreError::Foreign { path: display, detail: format!("application_id {app_id:#x}, tables: {}{more}", if shown.is_empty() { "none".to_string() } else { shown.join(", ") }) });
    }
    if schema > known {
        return Err(StoreError::TooNew { path: display, schema, known });
    }
    Ok(Found::Project { schema, stamped: ours })
}
