use studio_core::copy::Lang;
use studio_core::review::rename;
use studio_core::segments::charts::{self, SegmentInsights};
use studio_core::segments::{self, KChoice, SegmentParams, SegmentRow, TrainReport};

use super::profiles::actor;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Events};

/// Train segments: fixed `k`, or automatic over 3..=8 (see `segments::choose`) when `k` is null.
pub async fn train_segments(state: &AppState, k: Option<u32>, seed: u64, job_id: String, events: Events) -> ApiResult<TrainReport> {
    let k = k.map_or(KChoice::Auto { min: 3, max: 8 }, |k| KChoice::Fixed(k as usize));
    let params = SegmentParams { k, seed, ..Default::default() }.check()?;
    state.run_job(job_id, events, move |p, progress| Ok(segments::train(p, &params, progress)?)).await
}

/// Split segment `segment_id` of the newest model in two (offered when it holds most users);
/// returns the new model's report.
pub async fn split_segment(state: &AppState, segment_id: i64, seed: u64) -> ApiResult<TrainReport> {
    let params = SegmentParams { seed, ..Default::default() }.check()?;
    state.with_project(move |p| Ok(segments::split(p, &params, segment_id)?)).await
}

/// Segments of the newest model.
pub async fn list_segments(state: &AppState) -> ApiResult<Vec<SegmentRow>> {
    state.with_project(|p| segments::latest(p).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// Charts (silhouette by k, principal-component scatter) and the interest-prediction report of
/// the newest model, labelled in `lang` (`zh-CN` or `en`).
pub async fn segment_insights(state: &AppState, lang: String) -> ApiResult<SegmentInsights> {
    let lang = Lang::parse(&lang).ok_or_else(|| ApiError::new(studio_core::ErrorCode::InvalidInput, format!("unknown language {lang:?}: use zh-CN or en")))?;
    state.with_project(move |p| charts::insights(p, lang).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// Rename a segment in both languages as the signed-in profile (a marketer or admin; logged
/// in the audit log); returns the updated row.
pub async fn rename_segment(state: &AppState, segment_id: i64, name_en: String, name_zh: String) -> ApiResult<SegmentRow> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(rename::rename_segment(p, &actor(p, who)?, segment_id, &name_en, &name_zh)?)).await
}
