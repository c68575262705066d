//! The one error type that crosses IPC: `{ code, message, key?, params? }`.

use std::collections::BTreeMap;

use serde::Serialize;
use studio_core::review::permissions::Refusal;
use studio_core::{ErrorCode, HasCode, Keyed};

/// What every command rejects with. `code` is stable and machine-readable; `message` is for
/// people (English, as the CLI and logs show it) and names the file, line or thing concerned.
/// `key` and `params`, when the core has a message key for the error (see
/// `studio_core::messages`), let the window show it in the user's language.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub params: Option<BTreeMap<String, String>>,
}

impl ApiError {
    /// An error with an explicit code (and no message key).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), key: None, params: None }
    }

    /// A bug in the shell itself (a panicked worker, a poisoned lock).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    fn with(mut self, keyed: Option<Keyed>) -> Self {
        if let Some(k) = keyed {
            self.key = Some(k.key);
            self.params = Some(k.params);
        }
        self
    }
}

impl<E: HasCode> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError::new(e.code(), e.to_string()).with(e.keyed())
    }
}

impl ApiError {
    /// A refusal the core described (see `studio_core::review::permissions`).
    pub fn refused(r: Refusal) -> Self {
        ApiError::new(r.code, r.message).with(r.keyed)
    }
}

/// The result type of every command.
pub type ApiResult<T> = Result<T, ApiError>;

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
