use std::path::PathBuf;

use studio_core::ingest::{self, ImportSummary};
use studio_core::overview::{self, ProductRow, ProjectOverview};
use studio_core::Progress;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::state::{forwarder, AppState};

/// Totals, event mix and import history of the open project.
#[tauri::command]
pub async fn project_overview(state: State<'_, AppState>) -> ApiResult<ProjectOverview> {
    state.with_project(|p| overview::overview(p).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// A page of the catalog, optionally filtered.
#[tauri::command]
pub async fn list_products(state: State<'_, AppState>, limit: u32, offset: u32, search: Option<String>) -> ApiResult<Vec<ProductRow>> {
    state.with_project(move |p| overview::products(p, limit, offset, search.as_deref()).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// Import one behaviour export; progress on `on_progress`, cancellable as `job_id`.
#[tauri::command]
pub async fn import_file(state: State<'_, AppState>, path: String, job_id: String, on_progress: Channel<Progress>) -> ApiResult<ImportSummary> {
    let mut progress = forwarder(job_id.clone(), state.start_job(&job_id), on_progress);
    let result = state.with_project(move |p| Ok(ingest::import_file(p, &PathBuf::from(path), &mut progress)?)).await;
    state.end_job(&job_id);
    result
}
