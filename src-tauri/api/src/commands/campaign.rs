use studio_core::banner::LayerKind;
use studio_core::campaign::edit::{self, CopyFields, CopyLint, VariantEdit};
use studio_core::campaign::{self, CampaignParams, CampaignRow};
use studio_core::placements::{self, Placement, Role};
use studio_core::review::workflow;

use super::profiles::actor;
use crate::dto::{data_url, CampaignCheck, FieldProblem, VariantRow};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Events};

/// Create a campaign: copy sets per segment × language, rendered at every placement.
pub async fn create_campaign(state: &AppState, params: CampaignParams, job_id: String, events: Events) -> ApiResult<CampaignRow> {
    let who = state.profile_id();
    state.run_job(job_id, events, move |p, progress| Ok(workflow::create_campaign(p, &actor(p, who)?, params, progress)?)).await
}

/// Every problem the core would refuse `params` for, while the form is being filled in.
pub async fn check_campaign(state: &AppState, params: CampaignParams) -> ApiResult<CampaignCheck> {
    state
        .with_project(move |p| {
            let problems = campaign::problems(p, &params)?.into_iter().map(|x| FieldProblem { field: x.field.to_string(), error: x.error.into() }).collect();
            Ok(CampaignCheck { problems, business_width: studio_core::text::width(params.business_name.trim()) as u32 })
        })
        .await
}

/// All campaigns, newest first.
pub async fn list_campaigns(state: &AppState) -> ApiResult<Vec<CampaignRow>> {
    state.with_project(|p| campaign::list(p).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// The ad-image placements a campaign can target (logo slots excluded).
pub async fn list_placements(_state: &AppState) -> ApiResult<Vec<Placement>> {
    Ok(placements::all().iter().filter(|p| p.role == Role::Image).cloned().collect())
}

/// The variants of one campaign with their renders.
pub async fn list_variants(state: &AppState, campaign_id: i64) -> ApiResult<Vec<VariantRow>> {
    state.with_project(move |p| Ok(campaign::variants(p, campaign_id)?.into_iter().map(|v| VariantRow::of(p, v)).collect::<Result<Vec<_>, _>>()?)).await
}

/// One placement's image of a variant, as a data URL.
pub async fn variant_image(state: &AppState, variant_id: i64, placement: String) -> ApiResult<String> {
    state.with_project(move |p| campaign::render_image(p, variant_id, &placement).map(|(bytes, f)| data_url(&bytes, f)).map_err(ApiError::from)).await
}

/// Edit a variant's copy and layers as the signed-in profile; it is re-rendered and returns
/// to draft.
pub async fn edit_variant(state: &AppState, variant_id: i64, edit: VariantEdit) -> ApiResult<VariantRow> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            let v = workflow::edit_variant(p, &actor(p, who)?, variant_id, edit)?;
            Ok(VariantRow::of(p, v)?)
        })
        .await
}

/// New copy for a variant, keeping its locked layers.
pub async fn regenerate_variant(state: &AppState, variant_id: i64) -> ApiResult<VariantRow> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            let v = workflow::regenerate_variant(p, &actor(p, who)?, variant_id)?;
            Ok(VariantRow::of(p, v)?)
        })
        .await
}

/// Why layer `kind` cannot be placed at `rect` (fractions of the canvas), as `edit_variant`
/// would refuse it; `None` when it fits. The editor asks while a position is typed.
pub async fn check_layer_rect(_state: &AppState, kind: LayerKind, rect: [f32; 4]) -> ApiResult<Option<ApiError>> {
    Ok(edit::check_rect(kind, rect).err().map(ApiError::from))
}

/// Compliance findings and over-long texts of copy being typed (live marks in the editor);
/// claims are judged by the edited variant's evidence.
pub async fn lint_copy(state: &AppState, campaign_id: i64, variant_id: Option<i64>, fields: CopyFields) -> ApiResult<CopyLint> {
    state.with_project(move |p| Ok(edit::lint(p, campaign_id, variant_id, &fields)?)).await
}
