//! The error vocabulary shared by every module.
//!
//! Each module has its own `thiserror` enum (linfa style: one enum per algorithm/stage) and maps
//! each variant to one [`ErrorCode`] through [`HasCode`]. Adapters (the Tauri shell, the CLI) only
//! ever see `code` + `Display` message, so a new variant never needs a change outside its module.

use serde::Serialize;

/// A stable, machine-readable error class. Crosses IPC as a snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The caller passed something unusable (bad file format, bad parameter).
    InvalidInput,
    /// A named thing (file, campaign, variant) does not exist.
    NotFound,
    /// The operating system refused a read or write.
    Io,
    /// The user cancelled a long job; nothing was changed.
    Cancelled,
    /// The request contradicts the current state (e.g. export with nothing approved).
    Conflict,
    /// The caller's role may not do this.
    Forbidden,
    /// Another process holds the project's write lock longer than the busy timeout; try again.
    Busy,
    /// The project (or the medium it is on) is read-only and the operation would change it.
    ReadOnly,
    /// A bug or a corrupt store: never the user's fault.
    Internal,
}

impl ErrorCode {
    /// The snake_case name used across IPC and in CLI messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Io => "io",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Busy => "busy",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Implemented by every module's error enum.
pub trait HasCode: std::error::Error {
    /// The class of this error, for adapters.
    fn code(&self) -> ErrorCode;

    /// A stable message key with its parameters, for a window that shows the error in the
    /// user's language (the `Display` message stays English for the CLI and logs). `None`
    /// where no key is defined yet: the window then shows the code's name and the English text.
    /// Every key returned must be listed in [`crate::messages::KEYS`].
    fn keyed(&self) -> Option<Keyed> {
        None
    }
}

/// A message as a stable key plus its parameters (see [`crate::messages`]): the window renders
/// it in the user's language. Parameter values are plain data (names, numbers) or, for the
/// parameters named `role`, `roles`, `action`, `state`, `from` and `to`, the snake_case
/// identifiers the window translates too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Keyed {
    /// One of [`crate::messages::KEYS`].
    pub key: String,
    pub params: std::collections::BTreeMap<String, String>,
}

impl Keyed {
    /// A key with `params` given as (name, value) pairs.
    pub fn new<const N: usize>(key: &str, params: [(&str, String); N]) -> Keyed {
        Keyed { key: key.to_string(), params: params.into_iter().map(|(k, v)| (k.to_string(), v)).collect() }
    }

    /// This message with `reason` nested in it: `reason_key` and `r.`-prefixed parameters,
    /// which the window renders first and puts in place of `{reason}`.
    pub fn nesting(mut self, reason: &Keyed) -> Keyed {
        self.params.insert("reason_key".into(), reason.key.clone());
        self.params.extend(reason.params.iter().map(|(name, v)| (format!("r.{name}"), v.clone())));
        self
    }
}

/// A reason in both forms: English `text` for the CLI and the logs, and `keyed` for the window.
/// Displays as its text. Errors whose reason is more than a field name carry one (a report's
/// problem, a refused campaign spec field, a segment that cannot be split, …) and nest it in
/// their own key with [`Keyed::nesting`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedText {
    pub text: String,
    pub keyed: Keyed,
}

impl std::fmt::Display for KeyedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// `keyed_text!("key"; "English {name} …", name = value, …)`: a [`KeyedText`] whose English
/// text is the format string over the named parameters (`{name}`, or `{name:?}` to quote) and
/// whose key has those parameters (`to_string()` of each value).
macro_rules! keyed_text {
    ($key:expr; $fmt:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        // `name = name` is the usual call: the binding is what the format string captures.
        $(#[allow(clippy::redundant_locals)] let $name = $value;)*
        $crate::error::KeyedText {
            text: format!($fmt),
            keyed: $crate::error::Keyed::new($key, [$((stringify!($name), $name.to_string())),*]),
        }
    }};
}
pub(crate) use keyed_text;

/// `keyed!("err.module.what", name = value, …)`: a [`Keyed`] whose parameters are the values'
/// `to_string()`. Each module's `HasCode::keyed` builds its keys with it.
macro_rules! keyed {
    ($key:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::error::Keyed::new($key, [$((stringify!($name), ($value).to_string())),*])
    };
}
pub(crate) use keyed;

/// Classify an I/O error: a missing file is `not_found`; a refusal by the bounded readers of
/// [`crate::input`] (not a regular file, a line or record over its limit, a gzip stream that
/// expands too far) is `invalid_input`; anything else `io`.
pub fn io_code(e: &std::io::Error) -> ErrorCode {
    if crate::input::InputError::of(e).is_some() {
        return ErrorCode::InvalidInput;
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => ErrorCode::NotFound,
        _ => ErrorCode::Io,
    }
}

/// Classify an SQLite error: a lock still held after the busy timeout is `busy`, a write to a
/// read-only file `read_only`; anything else from the store is `internal` (a bug or a corrupt
/// file, never the user's input). Every module maps its store variant through this.
pub fn sqlite_code(e: &rusqlite::Error) -> ErrorCode {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => ErrorCode::Busy,
        Some(rusqlite::ErrorCode::ReadOnly) => ErrorCode::ReadOnly,
        _ => ErrorCode::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_errors_are_classified() {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        let ro = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY), None);
        let other = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), None);
        assert_eq!(sqlite_code(&busy), ErrorCode::Busy);
        assert_eq!(sqlite_code(&ro), ErrorCode::ReadOnly);
        assert_eq!(sqlite_code(&other), ErrorCode::Internal);
        assert_eq!(sqlite_code(&rusqlite::Error::QueryReturnedNoRows), ErrorCode::Internal);
    }
}
