use std::path::PathBuf;

use studio_core::export::{self, ExportSummary};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// Export a campaign's approved creatives (PNGs + manifest.csv) into `out_dir`.
#[tauri::command]
pub async fn export_campaign(state: State<'_, AppState>, campaign_id: i64, out_dir: String) -> ApiResult<ExportSummary> {
    state.with_project(move |p| Ok(export::export_campaign(p, campaign_id, &PathBuf::from(out_dir))?)).await
}
