//! A variant's review state, owned by the campaign side because variants store it; the review
//! module (its state machine, roles and audit) reads and writes it and re-exports it. Data
//! flows one way: `review` depends on `campaign`, never the reverse.

use serde::{Deserialize, Serialize};

/// Where a variant is in review. Stored in `variants.review_state`; `variants.status` is
/// `approved` exactly when this is [`ReviewState::Approved`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Draft,
    InReview,
    Approved,
    ChangesRequested,
}

impl ReviewState {
    /// The stored snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Draft => "draft",
            ReviewState::InReview => "in_review",
            ReviewState::Approved => "approved",
            ReviewState::ChangesRequested => "changes_requested",
        }
    }

    /// The state stored as `s`; anything unknown reads as draft (never approved).
    pub fn parse(s: &str) -> ReviewState {
        match s {
            "in_review" => ReviewState::InReview,
            "approved" => ReviewState::Approved,
            "changes_requested" => ReviewState::ChangesRequested,
            _ => ReviewState::Draft,
        }
    }
}

impl std::fmt::Display for ReviewState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
