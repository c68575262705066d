//! The campaign report (issue 15): one PDF, A4, in English or Simplified Chinese, with the
//! campaign summary, approval progress, real vs simulated CTR per segment (table and the
//! dashboard's CTR chart), the lift of the personalised plan with its interval, the stored
//! off-policy estimates, the generation time and the studio's version. Every figure is labelled
//! "Real"/"实际" or "Simulated"/"模拟".
//!
//! * [`content`]: the numbers, from the dashboard ([`crate::dashboard::build`]) — the same
//!   figures, lift included, the dashboard and the Simulation screen show.
//! * [`layout`]: A4 pages drawn at [`layout::DPI`] dpi with the bundled fonts (charts are the
//!   dashboard's, drawn at the page's scale, not resampled).
//! * [`pdf`]: the pages as a PDF with an invisible, extractable text layer.
//! * [`strings`]: every label in both languages.
//!
//! Why raster pages: the bundled Noto Sans SC subsets are 3 MB CID-keyed CFF fonts; embedding
//! them for vector text would need a CFF subsetter. Rasterising reuses the tested ab_glyph /
//! plotters text path (CJK included), keeps the file small, and the text layer keeps the report
//! searchable.

pub mod content;
pub mod layout;
pub mod pdf;
mod sections;
pub mod strings;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::chart::ChartError;
use crate::dashboard::DashboardError;
use crate::error::{keyed, ErrorCode, HasCode, Keyed};
use crate::store::Project;
use crate::text::Lang;

pub use content::{Content, Rate, SegmentCtr, Source};

/// Why a report could not be made.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The campaign named by the caller does not exist (a user mistake: `invalid_input`).
    #[error("campaign {0} does not exist in this project (--campaign / campaign id)")]
    UnknownCampaign(i64),
    /// The PDF could not be written.
    #[error("could not write the report to {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    /// Reading the campaign's numbers failed.
    #[error(transparent)]
    Dashboard(#[from] DashboardError),
    /// Drawing a page failed.
    #[error(transparent)]
    Chart(#[from] ChartError),
}

impl HasCode for ReportError {
    fn code(&self) -> ErrorCode {
        match self {
            ReportError::UnknownCampaign(_) => ErrorCode::InvalidInput,
            ReportError::Write { .. } => ErrorCode::Io,
            ReportError::Dashboard(e) => e.code(),
            ReportError::Chart(e) => e.code(),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            ReportError::UnknownCampaign(id) => keyed!("err.report.unknown_campaign", id = id),
            ReportError::Write { path, source } => keyed!("err.report.write", path = path.display(), detail = source),
            ReportError::Dashboard(e) => return e.keyed(),
            ReportError::Chart(_) => return None,
        })
    }
}

/// The message keys [`ReportError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &["err.report.unknown_campaign", "err.report.write"];

/// What to report: a campaign, in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportParams {
    pub campaign_id: i64,
    pub lang: Lang,
}

/// [`ReportParams`] whose campaign exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidReportParams(ReportParams);

impl ReportParams {
    /// Check the campaign exists in `project`. Errors: [`ReportError::UnknownCampaign`].
    pub fn check(self, project: &Project) -> Result<ValidReportParams, ReportError> {
        match crate::campaign::get(project, self.campaign_id) {
            Ok(_) => Ok(ValidReportParams(self)),
            Err(crate::campaign::CampaignError::NotFound(id)) => Err(ReportError::UnknownCampaign(id)),
            Err(e) => Err(ReportError::Dashboard(e.into())),
        }
    }
}

/// What [`write`] made.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportSummary {
    pub path: String,
    pub lang: Lang,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub pages: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// The labelled figures, as printed.
    pub segments: Vec<SegmentCtr>,
    pub generated_at: String,
}

/// A rendered report.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub content: Content,
    pub pages: u32,
}

/// The report's PDF bytes and its content. Errors: as [`content::build`], `Chart`.
pub fn render(project: &Project, params: ValidReportParams) -> Result<Rendered, ReportError> {
    let content = content::build(project, params.0.campaign_id, params.0.lang)?;
    let pages = layout::pages(&content)?;
    let title = format!("{} - {}", strings::TITLE.en, content.dashboard.campaign_name);
    Ok(Rendered { pdf: pdf::write(&pages, &title), content, pages: pages.len() as u32 })
}

/// Write the report of `params` to `path` (replaced). Errors: as [`render`];
/// [`ReportError::Write`] when `path` cannot be written.
pub fn write(project: &Project, params: ValidReportParams, path: &Path) -> Result<ReportSummary, ReportError> {
    let r = render(project, params)?;
    std::fs::write(path, &r.pdf).map_err(|source| ReportError::Write { path: path.to_path_buf(), source })?;
    let c = r.content;
    Ok(ReportSummary {
        path: path.display().to_string(),
        lang: c.lang,
        campaign_id: c.dashboard.campaign_id,
        pages: r.pages,
        bytes: r.pdf.len() as u64,
        segments: c.segments,
        generated_at: c.generated_at,
    })
}
