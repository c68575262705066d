//! The manager dashboard of a campaign (issue 7): what its variants did and where review is.
//!
//! * [`data`]: the numbers ([`Dashboard`]) — per segment × variant the **simulated**
//!   impressions, clicks and CTR with its interval (newest done, stopped or paused simulation
//!   run), the **real** impressions, clicks, conversions, CTR and CVR where a performance report
//!   was imported, and the review state; the simulated lift of the personalised plan over the
//!   generic creative; approval progress; stored off-policy estimates.
//! * [`performance`]: importing real performance reports (CSV per ad id), migration v11.
//! * [`offpolicy`]: storing an [`crate::ope::OpeReport`] for a campaign (table `ope_results`).
//! * [`charts`]: plotters charts of the numbers (SVG and PNG), labelled in zh-CN or en;
//!   every simulated figure says "Simulated"/"模拟".
//! * [`csv`]: the numbers behind each chart, with a `simulated` column.
//!
//! Reading the dashboard needs no actor: the review roles have no read action, and every
//! role (managers included) may look.

pub mod charts;
pub mod csv;
pub mod data;
pub mod offpolicy;
mod ope_chart;
pub mod performance;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_csv;
#[cfg(test)]
mod tests_lift;
#[cfg(test)]
mod tests_platform;
#[cfg(test)]
mod tests_reports;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::campaign::CampaignError;
use crate::chart::ChartError;
use crate::error::{io_code, keyed, ErrorCode, HasCode, Keyed};
use crate::simulate::SimulateError;
use crate::store::Project;
use crate::text::Lang;

pub use data::{build, ApprovalProgress, CellRow, Dashboard, OpeRow, RealCell, ReportRef, RunRef, SegmentGroup, SimulatedCell, SimulatedLift, TOP_N};
pub use ope_chart::newest as ope_newest;
pub use performance::{PerformanceImport, RemovedReport};

/// Why a dashboard could not be built, drawn, written or fed.
#[derive(Debug, Error)]
pub enum DashboardError {
    /// The campaign does not exist.
    #[error("campaign {0} not found")]
    CampaignNotFound(i64),
    /// A performance report could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// A performance report is unusable as a whole (not UTF-8, no header, missing or unknown
    /// columns, no rows).
    #[error("{}: {reason}", path.display())]
    BadFile { path: PathBuf, reason: crate::error::KeyedText },
    /// An export could not be written.
    #[error("could not write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    /// Reading the campaign's variants failed otherwise.
    #[error(transparent)]
    Campaign(CampaignError),
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// No performance report with this id.
    #[error("performance report {0} not found")]
    ReportNotFound(i64),
    /// A project with profiles needs an acting profile to change its reports.
    #[error("this project has profiles: say who acts (a marketer or an admin)")]
    ActorRequired,
    /// A role or profile refusal (or another review error) of an audited change.
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    /// A variant's stored real figures add up past what a count holds (rows written before
    /// the import's range checks, or by another tool).
    #[error("variant {variant_id}: the imported reports' {column} add up to an implausible total (more than 2^64 − 1, or no finite number); list the campaign's reports and remove the one with impossible figures")]
    ImplausibleTotal { variant_id: i64, column: &'static str },
    #[error("dashboard store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl From<CampaignError> for DashboardError {
    fn from(e: CampaignError) -> Self {
        match e {
            CampaignError::NotFound(id) => DashboardError::CampaignNotFound(id),
            CampaignError::Store(e) => DashboardError::Store(e),
            other => DashboardError::Campaign(other),
        }
    }
}

impl HasCode for DashboardError {
    fn code(&self) -> ErrorCode {
        match self {
            DashboardError::CampaignNotFound(_) => ErrorCode::NotFound,
            DashboardError::Read { source, .. } => io_code(source),
            DashboardError::BadFile { .. } => ErrorCode::InvalidInput,
            DashboardError::Write { .. } => ErrorCode::Io,
            DashboardError::Campaign(e) => e.code(),
            DashboardError::Simulate(e) => e.code(),
            DashboardError::Chart(e) => e.code(),
            DashboardError::ReportNotFound(_) => ErrorCode::NotFound,
            DashboardError::ActorRequired => ErrorCode::Forbidden,
            DashboardError::Review(e) => e.code(),
            DashboardError::ImplausibleTotal { .. } => ErrorCode::InvalidInput,
            DashboardError::Store(e) => crate::error::sqlite_code(e),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            DashboardError::CampaignNotFound(id) => keyed!("err.dashboard.campaign_not_found", id = id),
            DashboardError::Read { path, source } => keyed!("err.dashboard.read", path = path.display(), detail = source),
            DashboardError::BadFile { path, reason } => keyed!("err.dashboard.bad_file", path = path.display(), reason = reason).nesting(&reason.keyed),
            DashboardError::Write { path, source } => keyed!("err.dashboard.write", path = path.display(), detail = source),
            DashboardError::ReportNotFound(id) => keyed!("err.dashboard.report_not_found", id = id),
            DashboardError::ActorRequired => keyed!("err.dashboard.actor_required"),
            DashboardError::ImplausibleTotal { variant_id, column } => keyed!("err.dashboard.implausible_total", variant = variant_id, column = column),
            DashboardError::Campaign(e) => return e.keyed(),
            DashboardError::Simulate(e) => return e.keyed(),
            DashboardError::Review(e) => return e.keyed(),
            DashboardError::Chart(_) | DashboardError::Store(_) => return None,
        })
    }
}

/// The message keys [`DashboardError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &[
    "err.dashboard.campaign_not_found",
    "err.dashboard.read",
    "err.dashboard.bad_file",
    "err.dashboard.write",
    "err.dashboard.report_not_found",
    "err.dashboard.actor_required",
    "err.dashboard.implausible_total",
];

/// Which chart (and which table of numbers behind it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DashboardChart"))]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// CTR by segment × variant: simulated bars with interval whiskers, real CTR as dots.
    Ctr,
    /// Approval progress: variants per review state, one stacked bar.
    Approval,
    /// Simulated lift of the personalised plan over the generic creative, with its interval.
    Lift,
    /// Off-policy estimates of stored evaluations over logged traffic, with their intervals.
    Ope,
}

impl ChartKind {
    /// Every kind, in display order.
    pub const ALL: [ChartKind; 4] = [ChartKind::Ctr, ChartKind::Approval, ChartKind::Lift, ChartKind::Ope];

    /// The snake_case name, used in exported file names.
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Ctr => "ctr",
            ChartKind::Approval => "approval",
            ChartKind::Lift => "lift",
            ChartKind::Ope => "ope",
        }
    }
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DashboardFormat"))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Png,
    Svg,
    Csv,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Png, ExportFormat::Svg, ExportFormat::Csv];

    /// The file extension (no dot).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Png => "png",
            ExportFormat::Svg => "svg",
            ExportFormat::Csv => "csv",
        }
    }
}

/// Write chart `kind` of an already built dashboard to `path` as `format` (labels in `lang`;
/// PNG at [`charts::EXPORT_SCALE`]×; CSV is language-neutral). The file is replaced. Errors: `Chart` for a drawing failure,
/// `Write` when the file cannot be written.
pub fn write_file(dashboard: &Dashboard, kind: ChartKind, format: ExportFormat, lang: Lang, path: &Path) -> Result<(), DashboardError> {
    let bytes = match format {
        ExportFormat::Png => charts::png(dashboard, kind, lang, charts::EXPORT_SCALE)?,
        ExportFormat::Svg => charts::svg(dashboard, kind, lang)?.into_bytes(),
        ExportFormat::Csv => {
            let mut out = Vec::new();
            csv::write(dashboard, kind, &mut out).map_err(|source| DashboardError::Write { path: path.to_path_buf(), source })?;
            out
        }
    };
    std::fs::write(path, bytes).map_err(|source| DashboardError::Write { path: path.to_path_buf(), source })
}

/// Build campaign `campaign_id`'s dashboard and write chart `kind` to `path` as `format`.
/// Errors: as [`build`] and [`write_file`].
pub fn export(project: &Project, campaign_id: i64, kind: ChartKind, format: ExportFormat, lang: Lang, path: &Path) -> Result<(), DashboardError> {
    let d = build(project, campaign_id)?;
    write_file(&d, kind, format, lang, path)
}
