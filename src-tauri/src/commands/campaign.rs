use studio_core::campaign::{self, CampaignRow, CampaignSpec};
use studio_core::copy::Lang;
use studio_core::Progress;
use tauri::ipc::Channel;
use tauri::State;

use crate::dto::VariantRow;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Create a campaign and generate one copy + banner variant per segment.
#[tauri::command]
pub async fn create_campaign(state: State<'_, AppState>, name: String, job_id: String, on_progress: Channel<Progress>) -> ApiResult<CampaignRow> {
    let spec = CampaignSpec { name, lang: Lang::Zh, seed: 1 };
    state.run_job(job_id, on_progress, move |p, progress| Ok(campaign::create(p, &spec, progress)?)).await
}

/// All campaigns, newest first.
#[tauri::command]
pub async fn list_campaigns(state: State<'_, AppState>) -> ApiResult<Vec<CampaignRow>> {
    state.with_project(|p| campaign::list(p).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// The variants of one campaign with their banners.
#[tauri::command]
pub async fn list_variants(state: State<'_, AppState>, campaign_id: i64) -> ApiResult<Vec<VariantRow>> {
    state.with_project(move |p| Ok(campaign::variants(p, campaign_id)?.into_iter().map(VariantRow::from).collect())).await
}
