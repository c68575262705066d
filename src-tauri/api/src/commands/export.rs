use studio_core::export::{self, ExportParams, ExportPreview, ExportSummary};

use super::profiles::actor;
use crate::error::ApiResult;
use crate::state::AppState;

/// What an export would write and every problem found, without writing anything.
pub async fn preview_export(state: &AppState, params: ExportParams) -> ApiResult<ExportPreview> {
    state.with_project(move |p| Ok(export::preview(p, &params.check()?)?)).await
}

/// Export a campaign's approved creatives for upload, as the signed-in profile (images,
/// Google Ads Editor CSVs, Meta feed, manifest.json, optional zip); logged in the audit log.
pub async fn export_campaign(state: &AppState, params: ExportParams) -> ApiResult<ExportSummary> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(export::export_as(p, &actor(p, who)?, &params.check()?)?)).await
}
