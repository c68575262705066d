//! The review state of a variant and the gated entry points that change it or its content.
//!
//! ```text
//!   draft ──submit──▶ in_review ──approve──▶ approved
//!     ▲                  │
//!     │          request_changes (comment required)
//!     │                  ▼
//!     │           changes_requested ──submit──▶ in_review
//!     └── edit / regenerate, from any state (an approval stops counting)
//! ```
//!
//! Approval needs `in_review` (there is no shortcut from `draft`) and passes the compliance
//! gate: an error-severity finding blocks it unless the reviewer gives an override reason
//! (at least 10 characters), which is logged. Any other move is a `conflict` naming both
//! states. Each entry point authorises its actor first, then changes the variant and appends
//! its audit row in one transaction.
//!
//! The shell should call these instead of [`campaign::create`], [`campaign::edit::edit`] and
//! [`campaign::edit::regenerate`] (which stay ungated for existing callers).

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::audit::{self, AuditAction, AuditEntity, AuditRecord};
use super::comments::{self, check_text};
use super::four_eyes;
use super::roles::{authorize, authorize_conn, Action, Actor};
use super::{approval, atomically, blocking, content_hash, Approval, ReviewError};
use crate::campaign::edit::{self, VariantEdit};
use crate::campaign::{self, CampaignParams, CampaignRow, Variant};
use crate::compliance::{self, Finding};
use crate::progress::ProgressFn;
use crate::store::{now_text, Project};

/// Where a variant is in review (owned by the campaign side, which stores it).
pub use crate::campaign::ReviewState;

/// What a reviewer sends with an approval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalParams {
    /// Optional note kept with the approval (≤ 2000 characters).
    #[serde(default)]
    pub note: String,
    /// Why error-severity findings may be overridden (≥ 10 characters after trimming). Only
    /// used when the gate is closed; ignored otherwise.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// [`ApprovalParams`] after [`ApprovalParams::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidApproval {
    note: String,
    override_reason: Option<String>,
}

/// The shortest override reason, in characters after trimming.
pub const MIN_OVERRIDE_CHARS: usize = 10;

impl ApprovalParams {
    /// Trim both texts; a note may be empty, an override reason given must be 10–2000
    /// characters. Errors: [`ReviewError::BadText`] (`invalid_input`).
    pub fn check(self) -> Result<ValidApproval, ReviewError> {
        let note = if self.note.trim().is_empty() { String::new() } else { check_text("note", &self.note)? };
        let override_reason = match self.override_reason {
            None => None,
            Some(r) => {
                let r = check_text("override reason", &r)?;
                let n = r.chars().count();
                if n < MIN_OVERRIDE_CHARS {
                    return Err(ReviewError::BadText { what: "override reason", problem: super::TextProblem::TooShort(n) });
                }
                Some(r)
            }
        };
        Ok(ValidApproval { note, override_reason })
    }
}

/// A variant's review at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewStatus {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    pub state: ReviewState,
    /// [`content_hash`] of the current content.
    pub content_hash: String,
    /// The approval that counts, if any.
    pub approval: Option<Approval>,
    /// Every compliance finding of the current copy.
    pub findings: Vec<Finding>,
    /// An error-severity finding closes the gate (approval needs an override).
    pub blocked: bool,
    pub comments: u32,
}

/// The review status of variant `id`. Errors: `not_found`, store.
pub fn status(project: &Project, id: i64) -> Result<ReviewStatus, ReviewError> {
    let v = campaign::variant(project, id)?.ok_or(ReviewError::NotFound(id))?;
    let findings = super::findings(project, &v)?;
    let comments: i64 = project.conn().query_row("SELECT count(*) FROM comments WHERE variant_id = ?1", [id], |r| r.get(0))?;
    Ok(ReviewStatus {
        variant_id: id,
        state: v.review_state,
        content_hash: content_hash(&v),
        approval: approval(project, id)?,
        blocked: compliance::has_errors(&findings),
        findings,
        comments: comments as u32,
    })
}

/// Submit variant `id` for review as `actor` (marketer or admin): `draft` or
/// `changes_requested` → `in_review`.
///
/// Errors: `forbidden`; `not_found`; `conflict` from any other state.
pub fn submit(project: &mut Project, actor: &Actor, id: i64) -> Result<Variant, ReviewError> {
    let actor = authorize(project, actor, Action::Submit)?;
    transition(project, id, &[ReviewState::Draft, ReviewState::ChangesRequested], ReviewState::InReview, "submit needs draft or changes_requested", |project, v, hash| {
        log(project, &actor, AuditAction::Submit, v.id, hash, hash, &format!("{} → in_review", v.review_state))
    })
}

/// Approve variant `id` as `actor` (a reviewer who is not an author of its current content,
/// see [`four_eyes`]): `in_review` → `approved`, recording the reviewer, time and
/// [`content_hash`] in `approvals`. An error-severity compliance finding
/// blocks approval unless `params.override_reason` is given; the override (reason and
/// findings) is logged as its own `override` row before the `approve` row.
///
/// Errors: `forbidden` (not a reviewer, or an author of the current content, with or without
/// an override); `invalid_input` (note or reason); `not_found`;
/// `conflict` when not `in_review` or when blocked without a reason.
pub fn approve(project: &mut Project, actor: &Actor, id: i64, params: ApprovalParams) -> Result<Variant, ReviewError> {
    let actor = authorize(project, actor, Action::Approve)?;
    let p = params.check()?;
    transition(project, id, &[ReviewState::InReview], ReviewState::Approved, "approval needs in_review: submit it first", |project, v, hash| {
        four_eyes::check(project.conn(), &actor, v)?;
        let blocked = blocking(project, v)?;
        let mut reason_used = None;
        if !blocked.is_empty() {
            let Some(reason) = &p.override_reason else {
                return Err(ReviewError::NotCompliant { id: v.id, summary: blocked.join("; ") });
            };
            authorize_conn(project.conn(), &actor, Action::Override)?;
            log(project, &actor, AuditAction::Override, v.id, hash, hash, &format!("reason: {reason}; overridden: {}", blocked.join("; ")))?;
            reason_used = Some(reason.as_str());
        }
        project.conn().execute(
            "INSERT INTO approvals(variant_id, reviewer, approved_at, content_hash, note, profile_id, override_reason) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            params![v.id, actor.name(), now_text(), hash, p.note, actor.profile_id(), reason_used],
        )?;
        let detail = if p.note.is_empty() { "in_review → approved".to_string() } else { format!("in_review → approved; note: {}", p.note) };
        log(project, &actor, AuditAction::Approve, v.id, hash, hash, &detail)
    })
}

/// Send variant `id` back to its author as `actor` (a reviewer): `in_review` →
/// `changes_requested`. The comment (required) is stored with the variant's comments and in
/// the audit row.
///
/// Errors: `forbidden`; `invalid_input` (empty or over-long comment); `not_found`; `conflict`
/// when not `in_review`.
pub fn request_changes(project: &mut Project, actor: &Actor, id: i64, comment: &str) -> Result<Variant, ReviewError> {
    let actor = authorize(project, actor, Action::RequestChanges)?;
    let text = check_text("comment", comment)?;
    transition(project, id, &[ReviewState::InReview], ReviewState::ChangesRequested, "changes can be requested only in review", |project, v, hash| {
        comments::insert(project.conn(), &actor, v.id, &text)?;
        log(project, &actor, AuditAction::RequestChanges, v.id, hash, hash, &text)
    })
}

/// Check the state, run `body` (extra checks and rows), then store the new state; all in one
/// transaction. `body` gets the variant before the move and its content hash.
fn transition(
    project: &mut Project,
    id: i64,
    from: &[ReviewState],
    to: ReviewState,
    rule: &'static str,
    body: impl FnOnce(&Project, &Variant, &str) -> Result<(), ReviewError>,
) -> Result<Variant, ReviewError> {
    atomically(project, |project| {
        let v = campaign::variant(project, id)?.ok_or(ReviewError::NotFound(id))?;
        if !from.contains(&v.review_state) {
            return Err(ReviewError::BadTransition { id, from: v.review_state, to, rule });
        }
        body(project, &v, &content_hash(&v))?;
        let status = if to == ReviewState::Approved { "approved" } else { "draft" };
        project.conn().execute("UPDATE variants SET review_state = ?2, status = ?3, updated_at = ?4 WHERE id = ?1", params![id, to.as_str(), status, now_text()])?;
        campaign::variant(project, id)?.ok_or(ReviewError::NotFound(id))
    })
}

/// Edit variant `id` as `actor` (marketer or admin) with [`campaign::edit::edit`]: re-rendered
/// and back to `draft` from any state (an approval stops counting). Logged as `edit` with the
/// content hash before and after.
///
/// Errors: `forbidden` (reviewers and managers); `not_found`; `invalid_input` for an edit
/// [`campaign::edit::edit`] refuses.
pub fn edit_variant(project: &mut Project, actor: &Actor, id: i64, change: VariantEdit) -> Result<Variant, ReviewError> {
    let actor = authorize(project, actor, Action::EditCopy)?;
    let fields = edited_fields(&change);
    rewrite(project, &actor, id, AuditAction::Edit, &fields, |project| edit::edit(project, id, change))
}

/// Regenerate variant `id` as `actor` (marketer or admin) with [`campaign::edit::regenerate`]
/// (locked layers kept): back to `draft` from any state. Logged as `regenerate`.
///
/// Errors: `forbidden`; `not_found`; render errors.
pub fn regenerate_variant(project: &mut Project, actor: &Actor, id: i64) -> Result<Variant, ReviewError> {
    let actor = authorize(project, actor, Action::EditCopy)?;
    rewrite(project, &actor, id, AuditAction::Regenerate, "fresh copy set", |project| edit::regenerate(project, id))
}

fn edited_fields(e: &VariantEdit) -> String {
    let named = [
        ("headline", e.headline.is_some()),
        ("long_headline", e.long_headline.is_some()),
        ("description", e.description.is_some()),
        ("primary_text", e.primary_text.is_some()),
        ("cta", e.cta.is_some()),
        ("layers", e.layers.is_some()),
    ];
    let list: Vec<&str> = named.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect();
    if list.is_empty() {
        "nothing changed; re-rendered".into()
    } else {
        format!("changed: {}", list.join(", "))
    }
}

fn rewrite(
    project: &mut Project,
    actor: &Actor,
    id: i64,
    action: AuditAction,
    what: &str,
    apply: impl FnOnce(&mut Project) -> Result<Variant, campaign::CampaignError>,
) -> Result<Variant, ReviewError> {
    atomically(project, |project| {
        let before = campaign::variant(project, id)?.ok_or(ReviewError::NotFound(id))?;
        let before_hash = content_hash(&before);
        let counted = approval(project, id)?.is_some();
        let after = apply(project)?;
        let after_hash = content_hash(&after);
        let mut detail = format!("{} → draft; {what}", before.review_state);
        if counted {
            detail.push_str("; the approval no longer counts");
        }
        log(project, actor, action, id, &before_hash, &after_hash, &detail)?;
        Ok(after)
    })
}

/// Create a campaign as `actor` (marketer or admin) with [`campaign::create`]; logged as
/// `create_campaign`. Cancelling leaves the project unchanged (no audit row either).
///
/// Errors: `forbidden`; every error of [`campaign::create`].
pub fn create_campaign(project: &mut Project, actor: &Actor, params: CampaignParams, progress: ProgressFn) -> Result<CampaignRow, ReviewError> {
    let actor = authorize(project, actor, Action::CreateCampaign)?;
    atomically(project, |project| {
        let row = campaign::create(project, params, progress)?;
        audit::record(
            project.conn(),
            &AuditRecord {
                actor: &actor,
                action: AuditAction::CreateCampaign,
                entity: AuditEntity::Campaign,
                entity_id: row.id,
                before_hash: None,
                after_hash: None,
                detail: &format!("{} ({} variants)", row.name, row.variants),
            },
        )?;
        Ok(row)
    })
}

fn log(project: &Project, actor: &Actor, action: AuditAction, id: i64, before: &str, after: &str, detail: &str) -> Result<(), ReviewError> {
    audit::record(project.conn(), &AuditRecord { actor, action, entity: AuditEntity::Variant, entity_id: id, before_hash: Some(before), after_hash: Some(after), detail })?;
    Ok(())
}
