//! Progress reporting and cancellation for long jobs (Cap style).
//!
//! A long core function takes `&mut dyn FnMut(&Progress) -> Flow`. It calls it at natural
//! checkpoints (a batch of rows, a k-means iteration, a rendered banner); returning
//! [`Flow::Cancel`] makes the function roll back and return its module's `Cancelled` error.
//! The callback must be cheap: adapters throttle what they forward (the shell to ~100 ms).

use serde::Serialize;

/// What a progress callback answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep going.
    Continue,
    /// Stop as soon as possible and undo partial work.
    Cancel,
}

/// One progress report. `total` is 0 when unknown; `done <= total` otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    /// The job id the adapter gave (empty in the core).
    pub job: String,
    /// Machine-readable stage name, e.g. `parse`, `cluster`, `render`.
    pub stage: String,
    /// Units done so far (bytes, rows, users, banners — see `stage`).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done: u64,
    /// Units in all, 0 if unknown.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// A short human-readable line.
    pub message: String,
}

impl Progress {
    /// A report for `stage` with `done` of `total` units.
    pub fn new(stage: &str, done: u64, total: u64, message: impl Into<String>) -> Self {
        Progress { job: String::new(), stage: stage.to_string(), done, total, message: message.into() }
    }
}

/// The type of every progress callback.
pub type ProgressFn<'a> = &'a mut dyn FnMut(&Progress) -> Flow;

/// A callback that never cancels and ignores reports (tests, batch CLI runs).
pub fn ignore(_: &Progress) -> Flow {
    Flow::Continue
}
