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
            ErrorCode::Internal => "internal",
        }
    }
}

/// Implemented by every module's error enum.
pub trait HasCode: std::error::Error {
    /// The class of this error, for adapters.
    fn code(&self) -> ErrorCode;
}

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
