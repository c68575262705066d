//! The request and response types of the decision API (JSON over HTTP in `studio-serve`).

use serde::{Deserialize, Serialize};

/// One recent event sent with a rank request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentEvent {
    /// `view`, `cart`, `fav` or `purchase`.
    pub kind: String,
    pub item_id: String,
    /// Category key; looked up in the catalog when missing.
    #[serde(default)]
    pub category: Option<String>,
    /// Price in currency units; the catalog's when missing.
    #[serde(default)]
    pub price: Option<f64>,
    /// Unix time in seconds.
    pub time: i64,
}

/// `POST /v1/rank`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankRequest {
    pub user_id: String,
    pub placement: String,
    pub lang: String,
    #[serde(default)]
    pub recent_events: Vec<RecentEvent>,
    /// The caller's own event id (1–64 of `A–Z a–z 0–9 _ -`); generated when missing.
    #[serde(default)]
    pub event_id: Option<String>,
    /// Rank now, show later: not learnt from until `activate`.
    #[serde(default)]
    pub deferred: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentRef {
    pub id: i64,
    pub name: String,
    /// True when the user had no history and the stated cold-start segment was used.
    pub cold_start: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interest {
    pub category: String,
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Creative {
    pub image_url: String,
    pub width: u32,
    pub height: u32,
    pub headline: String,
    pub description: String,
    pub cta: String,
    pub final_url: String,
}

/// The answer to a rank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankResponse {
    pub event_id: String,
    pub variant_id: i64,
    pub variant_key: String,
    pub segment: SegmentRef,
    pub interests: Vec<Interest>,
    /// The exact probability with which this variant was drawn.
    pub probability: f64,
    pub creative: Creative,
}

/// Real traffic of one variant since the service started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct VariantStats {
    pub impressions: u64,
    pub rewards: u64,
    pub reward_value: f64,
}

/// Requests refused, by reason (counted, never double-counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refusals {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unknown_event: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub duplicate_reward: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub expired: u64,
}

/// The data of the service's demo storefront page (`GET /demo`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Storefront {
    pub users: Vec<String>,
    pub products: Vec<String>,
    pub languages: Vec<String>,
    pub placement: String,
}
