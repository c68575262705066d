//! Why a project could not be opened, created or changed ([`StoreError`]).

use thiserror::Error;

use crate::error::{keyed, ErrorCode, HasCode, Keyed};

/// Errors opening or migrating a project file.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("project database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date (a corrupt file).
    #[error("cannot migrate project {path}: {source}")]
    Migration { path: String, source: rusqlite_migration::Error },
    /// The file exists but is not an SQLite database at all.
    #[error("{path} is not a Creative Studio project ({why})")]
    NotAProject { path: String, why: String },
    /// An SQLite database of another application: left exactly as it was.
    #[error("{path} is not a Creative Studio project: it is another application's SQLite database ({detail}); it was not changed")]
    Foreign { path: String, detail: String },
    /// A project written by a newer studio.
    #[error("{path} was made by a newer version of the studio (schema {schema}, this version knows {known}); open it with that version")]
    TooNew { path: String, schema: usize, known: usize },
    /// The command reads a project that does not exist.
    #[error("{path}: no such project")]
    Missing { path: String },
    /// The file is empty: nothing to read yet.
    #[error("{path} is an empty file, not a Creative Studio project yet")]
    Empty { path: String },
    /// A new project cannot be created because its folder does not exist.
    #[error("cannot create project {path}: folder {folder} does not exist")]
    NoFolder { path: String, folder: String },
    /// The command would change a project the system lets us only read.
    #[error("{path} is read-only (file permissions or a read-only disk): this command changes the project; make it writable or work on a copy")]
    ReadOnly { path: String },
    /// A read-only project of an older schema cannot be upgraded, so it cannot be read either.
    #[error("{path} is read-only and was made by an older version of the studio (schema {schema}, this version needs {known}); make it writable once so it can be upgraded")]
    ReadOnlyOld { path: String, schema: usize, known: usize },
}

impl HasCode for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::NotAProject { .. } | StoreError::Foreign { .. } | StoreError::Empty { .. } | StoreError::NoFolder { .. } => ErrorCode::InvalidInput,
            StoreError::TooNew { .. } => ErrorCode::Conflict,
            StoreError::Missing { .. } => ErrorCode::NotFound,
            StoreError::ReadOnly { .. } | StoreError::ReadOnlyOld { .. } => ErrorCode::ReadOnly,
            StoreError::Sqlite(e) => crate::error::sqlite_code(e),
            StoreError::Migration { source: rusqlite_migration::Error::RusqliteError { err, .. }, .. } => crate::error::sqlite_code(err),
            StoreError::Migration { .. } => ErrorCode::Internal,
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            StoreError::NotAProject { path, why } => keyed!("err.store.not_a_project", path = path, why = why),
            StoreError::Foreign { path, .. } => keyed!("err.store.foreign", path = path),
            StoreError::TooNew { path, schema, known } => keyed!("err.store.too_new", path = path, schema = schema, known = known),
            StoreError::Missing { path } => keyed!("err.store.missing", path = path),
            StoreError::Empty { path } => keyed!("err.store.empty", path = path),
            StoreError::NoFolder { path, folder } => keyed!("err.store.no_folder", path = path, folder = folder),
            StoreError::ReadOnly { path } => keyed!("err.store.read_only", path = path),
            StoreError::ReadOnlyOld { path, schema, known } => keyed!("err.store.read_only_old", path = path, schema = schema, known = known),
            StoreError::Sqlite(_) | StoreError::Migration { .. } => return None,
        })
    }
}

/// The message keys [`StoreError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] =
    &["err.store.not_a_project", "err.store.foreign", "err.store.too_new", "err.store.missing", "err.store.empty", "err.store.no_folder", "err.store.read_only", "err.store.read_only_old"];
