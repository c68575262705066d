use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// Ask a running job (import, training, campaign generation) to stop and roll back.
#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job_id: String) -> ApiResult<()> {
    state.cancel_job(&job_id);
    Ok(())
}
