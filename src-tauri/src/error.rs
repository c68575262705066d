//! The one error type that crosses IPC: `{ code, message }`.

use serde::Serialize;
use studio_core::{ErrorCode, HasCode};

/// What every command rejects with. `code` is stable and machine-readable; `message` is for
/// people and names the file, line or thing concerned.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    /// An error with an explicit code.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into() }
    }

    /// A bug in the shell itself (a panicked worker, a poisoned lock).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl<E: HasCode> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError { code: e.code(), message: e.to_string() }
    }
}

/// The result type of every command.
pub type ApiResult<T> = Result<T, ApiError>;
