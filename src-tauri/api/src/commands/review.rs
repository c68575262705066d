//! Review: submit, approve (with an optional override reason), request changes, comments and
//! the audit log. Every change goes through `review::workflow` as the signed-in profile.

use std::path::PathBuf;

use studio_core::review::audit::{self, AuditEntry, AuditFilter};
use studio_core::review::bulk::{self, BulkReport};
use studio_core::review::comments::{self, Comment};
use studio_core::review::permissions::{self, ApprovalCheck};
use studio_core::review::workflow::{self, ApprovalParams, ReviewStatus};

use super::profiles::actor;
use crate::dto::VariantRow;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A variant's review state, approval, findings and gate.
pub async fn review_status(state: &AppState, variant_id: i64) -> ApiResult<ReviewStatus> {
    state.with_project(move |p| Ok(workflow::status(p, variant_id)?)).await
}

/// Send a draft (or a variant with changes requested) to review.
pub async fn submit_variant(state: &AppState, variant_id: i64) -> ApiResult<VariantRow> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            let v = workflow::submit(p, &actor(p, who)?, variant_id)?;
            Ok(VariantRow::of(p, v)?)
        })
        .await
}

/// Approve a variant in review (reviewers; an override reason opens a closed compliance gate).
pub async fn approve_variant(state: &AppState, variant_id: i64, params: ApprovalParams) -> ApiResult<VariantRow> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            let v = workflow::approve(p, &actor(p, who)?, variant_id, params)?;
            Ok(VariantRow::of(p, v)?)
        })
        .await
}

/// May the signed-in profile approve variant `variant_id` now (role, state, four eyes), and
/// does its compliance gate need an override reason?
pub async fn approval_check(state: &AppState, variant_id: i64) -> ApiResult<ApprovalCheck> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            let actor = who.map(|id| studio_core::review::profiles::actor(p, id)).transpose();
            match actor {
                Ok(a) => Ok(permissions::approval_check(p, a.as_ref(), variant_id)?),
                Err(e) => Ok(ApprovalCheck { variant_id, allowed: false, reason: Some(permissions::Refusal::of(&e)), needs_override: false }),
            }
        })
        .await
}

/// Submit every draft (and every variant with changes requested) of a campaign, or of one
/// segment of it; one outcome per variant.
pub async fn submit_all(state: &AppState, campaign_id: i64, segment_id: Option<i64>) -> ApiResult<BulkReport> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(bulk::submit_all(p, &actor(p, who)?, campaign_id, segment_id)?)).await
}

/// Approve the selected variants without override (a closed compliance gate, four eyes or a
/// variant not in review refuses that variant only); one outcome per variant.
pub async fn approve_all(state: &AppState, variant_ids: Vec<i64>) -> ApiResult<BulkReport> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(bulk::approve_all(p, &actor(p, who)?, &variant_ids)?)).await
}

/// Send a variant in review back with a comment (reviewers).
pub async fn request_changes(state: &AppState, variant_id: i64, comment: String) -> ApiResult<VariantRow> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            let v = workflow::request_changes(p, &actor(p, who)?, variant_id, &comment)?;
            Ok(VariantRow::of(p, v)?)
        })
        .await
}

/// Comment on a variant.
pub async fn add_comment(state: &AppState, variant_id: i64, text: String) -> ApiResult<Comment> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(comments::add(p, &actor(p, who)?, variant_id, &text)?)).await
}

/// A variant's comments, oldest first.
pub async fn list_comments(state: &AppState, variant_id: i64) -> ApiResult<Vec<Comment>> {
    state.with_project(move |p| Ok(comments::list(p, variant_id)?)).await
}

/// A variant's audit trail, oldest first.
pub async fn variant_audit(state: &AppState, variant_id: i64) -> ApiResult<Vec<AuditEntry>> {
    state.with_project(move |p| Ok(audit::for_variant(p, variant_id)?)).await
}

/// Write the audit log (one variant's, or everything when `variant_id` is null) to `path` as
/// CSV, or as JSON when `json`.
pub async fn export_audit(state: &AppState, variant_id: Option<i64>, json: bool, path: PathBuf) -> ApiResult<()> {
    state
        .with_project(move |p| {
            let rows = match variant_id {
                Some(id) => audit::for_variant(p, id)?,
                None => audit::all(p, &AuditFilter::default())?,
            };
            let file = std::fs::File::create(&path).map_err(|e| ApiError::new(studio_core::ErrorCode::Io, format!("could not write {}: {e}", path.display())))?;
            let out = std::io::BufWriter::new(file);
            if json {
                audit::export_json(&rows, out)?;
            } else {
                audit::export_csv(&rows, out)?;
            }
            Ok(())
        })
        .await
}
