use studio_core::review;
use tauri::State;

use crate::dto::VariantRow;
use crate::error::ApiResult;
use crate::state::AppState;

/// Approve a variant as `reviewer`.
#[tauri::command]
pub async fn approve_variant(state: State<'_, AppState>, variant_id: i64, reviewer: String) -> ApiResult<VariantRow> {
    state.with_project(move |p| Ok(review::approve(p, variant_id, &reviewer, "")?.into())).await
}
