//! Simulated serving of a campaign's variants to a simulated audience. Everything here is
//! **simulated** — frames, charts, reports and stored rows say so.
//!
//! The simulator of issue 6, built so that a task (tokio, thread, CLI loop) can drive it:
//!   - [`Scenario`]: the audience (the project's segments and their real sizes) and the arms
//!     (a campaign's variants with their elements) — or a synthetic one for tests/benchmarks;
//!   - [`calibrate`]: the default model's base CTR, slot effects and creative spread fitted to
//!     the Open Bandit random logs (`calibrated-obd-v1`); [`budget`]: impressions a decision
//!     needs at those rates. Each segment is served its own variants plus one shared generic
//!     control ([`Scenario::serving`]), the baseline of the lift of personalisation;
//!   - [`model::ResponseModel`]: the documented, seeded, editable ground truth (base CTR per
//!     segment from its funnel × category affinity × discount framing × price sensitivity ×
//!     copy length × placement × element effects × creative fatigue, optional drift);
//!   - [`policy`]: allocation policies (uniform, ε-greedy, UCB1, Thompson, factorised) that
//!     report the propensity of every choice;
//!   - [`Run`]: a paired run (the learning policy and a uniform split serve the *same*
//!     simulated users) that advances in bounded chunks and checkpoints/restores exactly;
//!   - [`stats`]: what a marketer can act on (P(best), P(beat control), expected loss,
//!     impressions still needed, peeking warnings, lift of personalisation);
//!   - [`charts`]: SVG/PNG frames (CTR with credible bands, traffic share, clicks vs uniform,
//!     regret; per segment and overall);
//!   - [`saved`]: runs, parameters, checkpoints and chart aggregates in SQLite (migration v9),
//!     [`run_to_end`] for headless callers (the CLI demo) and [`latest_ctr`] for the export;
//!   - [`live`]: the loop a task runs to serve a stored run at a chosen speed, streaming frames
//!     and obeying pause / resume / stop; [`compare`]: several runs side by side, chart export.

mod engine;
mod math;
mod rng;

pub mod budget;
pub mod calibrate;
pub mod charts;
pub mod compare;
pub mod history;
pub mod live;
pub mod model;
pub mod policy;
pub mod run;
pub mod saved;
pub mod scenario;
pub mod stats;
pub mod view;

pub use charts::{ChartKind, Scope};
pub use history::{Cell, Point};
pub use live::{Control, LiveCommand, LiveFrame};
pub use model::ResponseModel;
pub use policy::{Policy, PolicySpec, PolicyState};
pub use rng::SimRng;
pub use run::{Checkpoint, Impression, ImpressionLog, Run, RunParams, Totals};
pub use saved::{latest_ctr, run_to_end, RunRecord, RunStatus};
pub use scenario::{ArmSpec, Scenario, SegmentSpec};
pub use stats::{Report, StatsParams};

use crate::error::KeyedText;
use thiserror::Error;

use crate::campaign;
use crate::chart;
use crate::error::{keyed, ErrorCode, HasCode, Keyed};

/// Simulation errors.
#[derive(Debug, Error)]
pub enum SimulateError {
    /// The campaign has nothing to serve.
    #[error("campaign {0} has no variants to simulate")]
    NoVariants(i64),
    /// A parameter of the model, the policy, the run or the statistics is out of range;
    /// `field` is its path (e.g. `model.fatigue_half_life`).
    #[error("simulation parameter `{field}` {reason}")]
    BadParam { field: String, reason: KeyedText },
    /// A run name with a control character (see [`crate::names::check_line`]).
    #[error(transparent)]
    BadName(#[from] crate::names::NameError),
    /// A response-model file that cannot be read or parsed.
    #[error("{path}: not a usable response model: {reason}")]
    BadModelFile { path: String, reason: String },
    /// No stored simulation run has this id.
    #[error("simulation run {0} does not exist")]
    RunNotFound(i64),
    /// A done or stopped run cannot be continued.
    #[error("simulation run {run_id} is {status} and cannot be continued")]
    NotResumable { run_id: i64, status: &'static str },
    /// A checkpoint does not fit its scenario or comes from another version.
    #[error("simulation checkpoint is unusable: {0}")]
    BadCheckpoint(String),
    /// A chart could not be written to `path`.
    #[error("could not write {}: {source}", path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error(transparent)]
    Campaign(#[from] campaign::CampaignError),
    #[error(transparent)]
    Chart(#[from] chart::ChartError),
    #[error("simulation store error: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("simulation state could not be encoded: {0}")]
    Json(#[from] serde_json::Error),
}

/// The message keys of [`SimulateError::BadParam`]'s reasons (nested in `err.simulate.bad_param`).
pub const PARAM_KEYS: &[&str] = &[
    "simparam.range",
    "simparam.listed_twice",
    "simparam.empty",
    "simparam.max_positions",
    "simparam.at_least_one",
    "simparam.not_a_segment",
    "simparam.not_a_placement",
    "simparam.segments_range",
    "simparam.arms_range",
    "simparam.bad_rate",
    "simparam.one_control",
    "simparam.no_variant",
    "simparam.no_segment",
    "simparam.compare_count",
    "simparam.speed",
    "simparam.impressions",
    "simparam.not_a_variant",
    "simparam.draws",
    "simparam.confidence",
    "simparam.policy",
];

impl SimulateError {
    /// A [`SimulateError::BadParam`] for `field`.
    pub fn bad(field: impl Into<String>, reason: KeyedText) -> SimulateError {
        SimulateError::BadParam { field: field.into(), reason }
    }
}

impl HasCode for SimulateError {
    fn code(&self) -> ErrorCode {
        match self {
            SimulateError::BadParam { .. } | SimulateError::BadModelFile { .. } => ErrorCode::InvalidInput,
            SimulateError::NoVariants(_) | SimulateError::NotResumable { .. } => ErrorCode::Conflict,
            SimulateError::RunNotFound(_) => ErrorCode::NotFound,
            SimulateError::Io { .. } => ErrorCode::Io,
            SimulateError::BadName(e) => e.code(),
            SimulateError::Campaign(e) => e.code(),
            SimulateError::Chart(e) => e.code(),
            SimulateError::Store(e) => crate::error::sqlite_code(e),
            SimulateError::BadCheckpoint(_) | SimulateError::Json(_) => ErrorCode::Internal,
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            SimulateError::NoVariants(campaign) => keyed!("err.simulate.no_variants", campaign = campaign),
            SimulateError::BadParam { field, reason } => keyed!("err.simulate.bad_param", field = field, reason = reason).nesting(&reason.keyed),
            SimulateError::BadName(e) => return e.keyed(),
            SimulateError::BadModelFile { path, reason } => keyed!("err.simulate.bad_model_file", path = path, reason = reason),
            SimulateError::RunNotFound(id) => keyed!("err.simulate.run_not_found", id = id),
            SimulateError::NotResumable { run_id, status } => keyed!("err.simulate.not_resumable", id = run_id, status = status),
            SimulateError::Io { path, source } => keyed!("err.simulate.write", path = path.display(), detail = source),
            SimulateError::Campaign(e) => return e.keyed(),
            SimulateError::Chart(_) | SimulateError::BadCheckpoint(_) | SimulateError::Store(_) | SimulateError::Json(_) => return None,
        })
    }
}

/// The message keys [`SimulateError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] =
    &["err.simulate.no_variants", "err.simulate.bad_param", "err.simulate.bad_model_file", "err.simulate.run_not_found", "err.simulate.not_resumable", "err.simulate.write"];

#[cfg(test)]
mod tests;
