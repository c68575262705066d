//! The campaign's tone of voice and goal: which phrase-bank column the copy is written from
//! and what the angles and calls to action optimise for.

use serde::{Deserialize, Serialize};

/// Tone of voice chosen for a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Playful,
    Premium,
    Urgent,
    Informative,
}

impl Tone {
    /// Every tone, in the order the phrase banks list them.
    pub const ALL: [Tone; 4] = [Tone::Playful, Tone::Premium, Tone::Urgent, Tone::Informative];

    /// Parse the snake_case name (`playful`, `premium`, `urgent`, `informative`).
    pub fn parse(s: &str) -> Option<Tone> {
        Tone::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Playful => "playful",
            Tone::Premium => "premium",
            Tone::Urgent => "urgent",
            Tone::Informative => "informative",
        }
    }

    /// Position in [`Tone::ALL`] (the phrase banks' column).
    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// What the campaign optimises for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    Clicks,
    Purchases,
}

impl Goal {
    /// Every goal, as the campaign form offers them.
    pub const ALL: [Goal; 2] = [Goal::Clicks, Goal::Purchases];

    /// Parse the snake_case name (`clicks`, `purchases`).
    pub fn parse(s: &str) -> Option<Goal> {
        Goal::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// The snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Goal::Clicks => "clicks",
            Goal::Purchases => "purchases",
        }
    }
}
