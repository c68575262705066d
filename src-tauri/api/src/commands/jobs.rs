use crate::error::ApiResult;
use crate::state::AppState;

/// Ask a running job (import, training, campaign generation) to stop and roll back.
pub async fn cancel_job(state: &AppState, job_id: String) -> ApiResult<()> {
    state.cancel_job(&job_id);
    Ok(())
}
