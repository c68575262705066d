//! Live decisions: which approved creative a shopper sees now, learnt from real clicks, logged
//! for off-policy evaluation. The rank → event id → reward pattern of Microsoft's Decision
//! Service and Azure Personalizer, over the studio's own store. No web server here: the
//! `studio-serve` crate puts [`Decider`] behind HTTP.
//!
//! - [`arms`]: the campaign's variants whose approval still counts (hot-reloaded by fingerprint);
//! - [`policy`]: Thompson sampling per segment × language with an exploration floor and an exact
//!   logged propensity;
//! - [`log`]: the append-only `dsjson` decision log (ranks, rewards, activations) and its join;
//! - [`service`]: the [`Decider`] — real-time segment from the user's stored events plus the
//!   request's recent events ([`crate::segments::realtime`]), choice, event bookkeeping;
//! - [`stats`]: its traffic per segment × variant, real and simulated apart (the Live screen
//!   and `GET /v1/stats`);
//! - [`replay`]: simulated shoppers clicking by the simulator's response model (`--replay`).

mod api;
pub mod arms;
pub mod log;
pub mod pending;
pub mod policy;
pub mod replay;
mod service;
pub mod stats;
mod writer;

pub use api::{Creative, Interest, RankRequest, RankResponse, RecentEvent, Refusals, SegmentRef, Storefront, VariantStats};
pub use service::Decider;
pub use stats::{LiveCell, LiveStats, LiveTraffic};

use thiserror::Error;

use crate::error::{keyed, ErrorCode, HasCode, Keyed};

/// Decision errors. A caller's mistake is `invalid_input` naming the field.
#[derive(Debug, Error)]
pub enum DecisionError {
    #[error("invalid decision parameters: {0}")]
    InvalidParams(String),
    #[error("{field}: {reason}")]
    BadRequest { field: &'static str, reason: String },
    #[error("no segment model in this project: train segments before serving")]
    NoModel,
    #[error("campaign {campaign} has no approved variant in {lang:?} to serve")]
    NothingToServe { campaign: i64, lang: String },
    #[error("unknown event id {0:?}")]
    UnknownEvent(String),
    #[error("event {0:?} was already rewarded; a reward counts once")]
    AlreadyRewarded(String),
    #[error("event {0:?} is already in use")]
    DuplicateEvent(String),
    #[error("event {id:?} expired: rewards are accepted for {window_secs} s after the rank")]
    Expired { id: String, window_secs: u64 },
    #[error("event {0:?} was ranked for deferred activation and has not been activated")]
    NotActivated(String),
    #[error("cannot write the decision log {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Campaign(#[from] crate::campaign::CampaignError),
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    #[error(transparent)]
    Segment(#[from] crate::segments::SegmentError),
    #[error(transparent)]
    Simulate(#[from] crate::simulate::SimulateError),
    #[error("store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for DecisionError {
    fn code(&self) -> ErrorCode {
        match self {
            DecisionError::InvalidParams(_) | DecisionError::BadRequest { .. } => ErrorCode::InvalidInput,
            DecisionError::UnknownEvent(_) => ErrorCode::NotFound,
            DecisionError::NoModel
            | DecisionError::NothingToServe { .. }
            | DecisionError::AlreadyRewarded(_)
            | DecisionError::DuplicateEvent(_)
            | DecisionError::Expired { .. }
            | DecisionError::NotActivated(_) => ErrorCode::Conflict,
            DecisionError::Io { .. } => ErrorCode::Io,
            DecisionError::Campaign(e) => e.code(),
            DecisionError::Review(e) => e.code(),
            DecisionError::Segment(e) => e.code(),
            DecisionError::Simulate(e) => e.code(),
            DecisionError::Store(e) => crate::error::sqlite_code(e),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            DecisionError::InvalidParams(reason) => keyed!("err.decision.invalid_params", reason = reason),
            DecisionError::BadRequest { field, reason } => keyed!("err.decision.bad_request", field = field, reason = reason),
            DecisionError::NoModel => keyed!("err.decision.no_model"),
            DecisionError::NothingToServe { campaign, lang } => keyed!("err.decision.nothing_to_serve", campaign = campaign, lang = lang),
            DecisionError::UnknownEvent(id) => keyed!("err.decision.unknown_event", id = id),
            DecisionError::AlreadyRewarded(id) => keyed!("err.decision.already_rewarded", id = id),
            DecisionError::DuplicateEvent(id) => keyed!("err.decision.duplicate_event", id = id),
            DecisionError::Expired { id, window_secs } => keyed!("err.decision.expired", id = id, secs = window_secs),
            DecisionError::NotActivated(id) => keyed!("err.decision.not_activated", id = id),
            DecisionError::Io { path, source } => keyed!("err.decision.write", path = path, detail = source),
            DecisionError::Campaign(e) => return e.keyed(),
            DecisionError::Review(e) => return e.keyed(),
            DecisionError::Segment(e) => return e.keyed(),
            DecisionError::Simulate(e) => return e.keyed(),
            DecisionError::Store(_) => return None,
        })
    }
}

/// The message keys [`DecisionError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &[
    "err.decision.invalid_params",
    "err.decision.bad_request",
    "err.decision.no_model",
    "err.decision.nothing_to_serve",
    "err.decision.unknown_event",
    "err.decision.already_rewarded",
    "err.decision.duplicate_event",
    "err.decision.expired",
    "err.decision.not_activated",
    "err.decision.write",
];

/// Settings of a decision service, validated once by [`DecisionParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionParams {
    pub campaign_id: i64,
    /// Every approved variant of a context keeps at least this propensity (0 < m ≤ 0.5; with K
    /// arms the floor is min(m, 1/K)).
    pub min_propensity: f64,
    /// How long after a rank its reward is accepted (1 s – 7 days).
    pub reward_window_secs: u64,
    /// Segment for a user with no stored and no recent events; `None`: the model's nearest
    /// segment to an empty history.
    pub cold_start_segment: Option<i64>,
    /// Seeds the choices (same seed + same requests → same choices).
    pub seed: u64,
    /// Log file size at which the next file starts (≥ 4 KiB).
    pub rotate_bytes: u64,
}

impl Default for DecisionParams {
    fn default() -> Self {
        DecisionParams { campaign_id: 0, min_propensity: 0.01, reward_window_secs: 600, cold_start_segment: None, seed: 42, rotate_bytes: log::ROTATE_BYTES }
    }
}

/// [`DecisionParams`] that passed [`DecisionParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDecisionParams(DecisionParams);

impl std::ops::Deref for ValidDecisionParams {
    type Target = DecisionParams;
    fn deref(&self) -> &DecisionParams {
        &self.0
    }
}

impl DecisionParams {
    /// Errors: `InvalidParams` naming the setting and its range.
    pub fn check(self) -> Result<ValidDecisionParams, DecisionError> {
        if !(self.min_propensity > 0.0 && self.min_propensity <= 0.5) {
            return Err(DecisionError::InvalidParams(format!("min_propensity must be in (0, 0.5], got {}", self.min_propensity)));
        }
        if !(1..=7 * 86_400).contains(&self.reward_window_secs) {
            return Err(DecisionError::InvalidParams(format!("reward_window_secs must be 1–604800, got {}", self.reward_window_secs)));
        }
        if self.rotate_bytes < 4096 {
            return Err(DecisionError::InvalidParams(format!("rotate_bytes must be at least 4096, got {}", self.rotate_bytes)));
        }
        Ok(ValidDecisionParams(self))
    }
}

/// `landing` with the UTM parameters ([`crate::export::google::utm`], the export's own) of
/// source `studio`, `medium` (`onsite`) and the variant `key` appended (an existing query kept;
/// a fragment stays last).
pub fn tracking_url(landing: &str, medium: &str, campaign_name: &str, key: &str) -> String {
    let (base, fragment) = landing.split_once('#').map_or((landing, None), |(b, f)| (b, Some(f)));
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut url = format!("{base}{sep}{}", crate::export::google::utm("studio", medium, campaign_name, key));
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// CTR of `clicks` in `impressions` with its Wilson 95 % interval (the dashboard's); all `None`
/// without impressions.
pub fn ctr_interval(clicks: u64, impressions: u64) -> (Option<f64>, Option<f64>, Option<f64>) {
    match crate::dashboard::data::wilson(clicks.min(impressions), impressions) {
        Some((lo, hi)) => (Some(clicks.min(impressions) as f64 / impressions as f64), Some(lo), Some(hi)),
        None => (None, None, None),
    }
}

/// The project's API key for clients that are not on this machine: 32 random bytes as hex,
/// made on first use and kept in the project; `rotate` replaces it (a running service that
/// requires a key follows [`stored_api_key`] and refuses the old one within a second).
///
/// Errors: store (a read-only project cannot make its first key).
pub fn api_key(project: &crate::store::Project, rotate: bool) -> Result<String, DecisionError> {
    if !rotate {
        if let Some(k) = stored_api_key(project)? {
            return Ok(k);
        }
    }
    let key = hex::encode(rand::random::<[u8; 32]>());
    project.conn().execute("INSERT OR REPLACE INTO project_meta(key, value) VALUES ('serve_api_key', ?1)", [&key])?;
    Ok(key)
}

/// The project's current API key, if one was made; never makes one (a read-only look the
/// service repeats to pick up a rotation).
///
/// Errors: store.
pub fn stored_api_key(project: &crate::store::Project) -> Result<Option<String>, DecisionError> {
    use rusqlite::OptionalExtension;
    Ok(project.conn().query_row("SELECT value FROM project_meta WHERE key = 'serve_api_key'", [], |r| r.get::<_, String>(0)).optional()?)
}

#[cfg(test)]
mod tests;
