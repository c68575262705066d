//! Roles and review: who may do what ([`roles`]), local profiles ([`profiles`]), the review
//! state of every variant ([`workflow`]: `draft → in_review → approved | changes_requested`,
//! any edit back to `draft`), who may approve what ([`four_eyes`]: never an author of the
//! current content), comments ([`comments`]), gated segment renames ([`rename`]) and the
//! append-only audit log ([`audit`]).
//!
//! Role rules live in the core: every entry point that changes copy, review state or profiles
//! takes an [`Actor`] and asks [`roles::authorize`], which re-reads the actor's profile and
//! applies the one rule [`roles::allowed`]; a refusal is [`ReviewError::Forbidden`]
//! (`forbidden`). Reading (variants, comments, the audit log) needs no actor.
//!
//! An approval records who, when, and the [`content_hash`] of the copy plus every rendered
//! image; it counts only while the variant is `approved` and its content still has that hash
//! ([`approval`], [`approval_of`]).

pub mod audit;
pub mod bulk;
pub mod comments;
pub mod four_eyes;
pub mod permissions;
pub mod profiles;
pub mod rename;
pub mod roles;
pub mod workflow;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_audit;
#[cfg(test)]
mod tests_bulk;
#[cfg(test)]
mod tests_four_eyes;

use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::campaign::{self, CampaignError, Variant};
use crate::compliance::{self, Field};
use crate::error::{io_code, ErrorCode, HasCode, Keyed};
use crate::store::Project;

pub use roles::{allowed, authorize, Action, Actor, Role};
pub use workflow::{ApprovalParams, ReviewState, ReviewStatus};

/// Review errors: roles, profiles, state transitions, the compliance gate, comments, audit.
#[derive(Debug, Error)]
pub enum ReviewError {
    /// No variant with this id.
    #[error("variant {0} not found")]
    NotFound(i64),
    /// An error-severity compliance finding blocks approval.
    #[error("variant {id} fails the compliance check: {summary}; a reviewer may override with a written reason (at least 10 characters)")]
    NotCompliant { id: i64, summary: String },
    /// The actor's role may not take this action.
    #[error("{actor} is a {role}: only {allowed} may {}", .action.as_str())]
    Forbidden { actor: String, role: Role, action: Action, allowed: String },
    /// The actor wrote the variant's current content (see [`four_eyes`]): someone else must
    /// approve it, whatever the actor's role is now.
    #[error("{actor} cannot approve variant {id}: they {} (audit #{audit_id}); another reviewer must approve it", four_eyes::did(.action))]
    OwnContent { actor: String, id: i64, action: audit::AuditAction, audit_id: i64 },
    /// The actor's profile is deactivated.
    #[error("profile {0} is deactivated and may not act")]
    Inactive(String),
    /// An admin tried to change their own role or deactivate themselves.
    #[error("{0} may not change their own role or deactivate themselves; another admin must")]
    SelfChange(String),
    /// Profiles exist already: the first-admin bootstrap is closed.
    #[error("this project has profiles already: only an admin may add one (the no-actor bootstrap creates the first admin only)")]
    BootstrapClosed,
    /// The bootstrap may only create an admin.
    #[error("the first profile of a project must be an admin")]
    BootstrapNotAdmin,
    /// No profile with this id or name.
    #[error("no profile {0}")]
    ProfileNotFound(String),
    /// A profile name is taken (names are unique regardless of case).
    #[error("a profile named {0:?} exists already")]
    DuplicateName(String),
    /// A profile name is empty or too long.
    #[error("profile name must be 1–60 characters")]
    BadName,
    /// A name has control or invisible characters, or looks like an existing profile's.
    #[error(transparent)]
    Name(#[from] crate::names::NameError),
    /// A role name that is not marketer, reviewer, manager or admin.
    #[error("{0:?} is not a role: use marketer, reviewer, manager or admin")]
    BadRole(String),
    /// The transition is not allowed from the variant's current state.
    #[error("variant {id} is {from}: it cannot move to {to} ({rule})")]
    BadTransition { id: i64, from: ReviewState, to: ReviewState, rule: &'static str },
    /// A comment, note or override reason is empty, too short or too long.
    #[error("{what} {problem}")]
    BadText { what: &'static str, problem: TextProblem },
    /// Editing or regenerating the variant failed.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// Renaming a segment failed (unknown segment, bad or clashing name).
    #[error(transparent)]
    Segment(#[from] crate::segments::SegmentError),
    /// Writing an audit export failed.
    #[error("cannot write the audit export: {0}")]
    Write(#[from] std::io::Error),
    /// SQLite refused an operation.
    #[error("review store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for ReviewError {
    fn code(&self) -> ErrorCode {
        match self {
            ReviewError::NotFound(_) | ReviewError::ProfileNotFound(_) => ErrorCode::NotFound,
            ReviewError::BadName | ReviewError::BadRole(_) | ReviewError::BadText { .. } | ReviewError::BootstrapNotAdmin => ErrorCode::InvalidInput,
            ReviewError::NotCompliant { .. } | ReviewError::BadTransition { .. } | ReviewError::DuplicateName(_) => ErrorCode::Conflict,
            ReviewError::Forbidden { .. } | ReviewError::OwnContent { .. } | ReviewError::Inactive(_) | ReviewError::SelfChange(_) | ReviewError::BootstrapClosed => ErrorCode::Forbidden,
            ReviewError::Name(e) => e.code(),
            ReviewError::Campaign(e) => e.code(),
            ReviewError::Segment(e) => e.code(),
            ReviewError::Write(e) => io_code(e),
            ReviewError::Store(e) => crate::error::sqlite_code(e),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        self.keyed_review()
    }
}

/// What is wrong with a comment, note or override reason (see [`ReviewError::BadText`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    Empty,
    /// Longer than [`comments::MAX_CHARS`]; the length in characters.
    TooLong(usize),
    /// An override reason shorter than [`workflow::MIN_OVERRIDE_CHARS`]; the length.
    TooShort(usize),
}

impl std::fmt::Display for TextProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextProblem::Empty => f.write_str("is empty"),
            TextProblem::TooLong(n) => write!(f, "is {n} characters; at most {} are kept", comments::MAX_CHARS),
            TextProblem::TooShort(n) => write!(f, "is {n} characters; write at least {}", workflow::MIN_OVERRIDE_CHARS),
        }
    }
}

impl ReviewError {
    /// The message key and parameters of this error (see [`HasCode::keyed`]); nested errors
    /// answer for themselves.
    fn keyed_review(&self) -> Option<Keyed> {
        let s = |x: &dyn ToString| x.to_string();
        Some(match self {
            ReviewError::NotFound(id) => Keyed::new("err.review.not_found", [("id", s(id))]),
            ReviewError::NotCompliant { id, .. } => Keyed::new("err.review.not_compliant", [("id", s(id)), ("min", s(&workflow::MIN_OVERRIDE_CHARS))]),
            ReviewError::Forbidden { actor, role, action, .. } => {
                let roles: Vec<&str> = Role::ALL.into_iter().filter(|r| allowed(*r, *action)).map(Role::as_str).collect();
                Keyed::new("err.review.forbidden", [("actor", actor.clone()), ("role", s(role)), ("action", action.key().to_string()), ("roles", roles.join(","))])
            }
            ReviewError::OwnContent { actor, id, audit_id, action } => {
                Keyed::new("err.review.own_content", [("actor", actor.clone()), ("id", s(id)), ("audit_id", s(audit_id)), ("audit_action", action.as_str().to_string())])
            }
            ReviewError::Inactive(name) => Keyed::new("err.review.inactive", [("name", name.clone())]),
            ReviewError::SelfChange(name) => Keyed::new("err.review.self_change", [("name", name.clone())]),
            ReviewError::BootstrapClosed => Keyed::new("err.review.bootstrap_closed", []),
            ReviewError::BootstrapNotAdmin => Keyed::new("err.review.bootstrap_not_admin", []),
            ReviewError::ProfileNotFound(name) => Keyed::new("err.review.profile_not_found", [("name", name.clone())]),
            ReviewError::DuplicateName(name) => Keyed::new("err.review.duplicate_name", [("name", name.clone())]),
            ReviewError::BadName => Keyed::new("err.review.bad_name", []),
            ReviewError::BadRole(name) => Keyed::new("err.review.bad_role", [("name", name.clone())]),
            ReviewError::BadTransition { id, from, to, .. } => Keyed::new("err.review.bad_transition", [("id", s(id)), ("from", from.as_str().to_string()), ("to", to.as_str().to_string())]),
            ReviewError::BadText { what, problem } => {
                let what = what.replace(' ', "_");
                match problem {
                    TextProblem::Empty => Keyed::new("err.review.text_empty", [("what", what)]),
                    TextProblem::TooLong(n) => Keyed::new("err.review.text_too_long", [("what", what), ("n", s(n)), ("max", s(&comments::MAX_CHARS))]),
                    TextProblem::TooShort(n) => Keyed::new("err.review.text_too_short", [("what", what), ("n", s(n)), ("min", s(&workflow::MIN_OVERRIDE_CHARS))]),
                }
            }
            ReviewError::Name(e) => return e.keyed(),
            ReviewError::Campaign(e) => return e.keyed(),
            ReviewError::Segment(e) => return e.keyed(),
            ReviewError::Write(_) | ReviewError::Store(_) => return None,
        })
    }
}

/// SHA-256 over every copy field and the hash of all renders, NUL-separated: any change to
/// the text or to any placement's image changes it.
pub fn content_hash(v: &Variant) -> String {
    let mut h = Sha256::new();
    for part in [&v.headline, &v.long_headline, &v.description, &v.primary_text, &v.cta, &v.renders_sha256] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// The compliance findings of a variant's copy (see [`crate::compliance`]), claims judged by
/// the variant's evidence as of today (its campaign's promotion, its product's data: see
/// [`crate::campaign::claims`]). Errors: store.
pub fn findings(project: &Project, v: &Variant) -> Result<Vec<compliance::Finding>, ReviewError> {
    let ctx = crate::campaign::claims::context_of_variant(project, v.id, crate::campaign::claims::today())?;
    let fields = [(Field::Headline, v.headline.as_str()), (Field::LongHeadline, &v.long_headline), (Field::Description, &v.description), (Field::PrimaryText, &v.primary_text), (Field::Cta, &v.cta)];
    Ok(compliance::check_with(&fields, &ctx))
}

/// The error-severity findings of `v`, one readable line each (empty: the gate is open).
pub(crate) fn blocking(project: &Project, v: &Variant) -> Result<Vec<String>, ReviewError> {
    Ok(findings(project, v)?.into_iter().filter(|f| f.severity == compliance::Severity::Error).map(|f| format!("{} “{}” in the {:?}", f.rule, f.text, f.field)).collect())
}

/// An approval that still counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Approval {
    /// The reviewer's profile name (or the free-text name of an approval made before profiles existed).
    pub reviewer: String,
    /// The reviewer's profile; `None` for approvals made before profiles existed.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub profile_id: Option<i64>,
    pub approved_at: String,
    /// [`content_hash`] of the variant when approved (equal to its current one).
    pub content_hash: String,
    pub note: String,
    /// The reviewer's written reason when error-severity findings were overridden.
    pub override_reason: Option<String>,
}

/// The approval of variant `id` that still counts: the newest approval, when the variant is
/// `approved` and its content hash is unchanged since. `None` for a missing variant, one never
/// approved, or one edited after approval (the approval stays in the history but is stale).
///
/// Errors: store.
pub fn approval(project: &Project, id: i64) -> Result<Option<Approval>, ReviewError> {
    Ok(valid_approval(project, id)?)
}

/// The approval of a variant that still counts, as (reviewer, approved_at, content_hash): the
/// same rule as [`approval`] (`None` when not approved or stale). Kept for the export.
pub fn approval_of(project: &Project, id: i64) -> rusqlite::Result<Option<(String, String, String)>> {
    Ok(valid_approval(project, id)?.map(|a| (a.reviewer, a.approved_at, a.content_hash)))
}

fn valid_approval(project: &Project, id: i64) -> rusqlite::Result<Option<Approval>> {
    let Some(v) = campaign::variant(project, id)? else {
        return Ok(None);
    };
    if v.review_state != ReviewState::Approved {
        return Ok(None);
    }
    let a = project
        .conn()
        .query_row("SELECT reviewer, profile_id, approved_at, content_hash, note, override_reason FROM approvals WHERE variant_id = ?1 ORDER BY id DESC LIMIT 1", [id], |r| {
            Ok(Approval { reviewer: r.get(0)?, profile_id: r.get(1)?, approved_at: r.get(2)?, content_hash: r.get(3)?, note: r.get(4)?, override_reason: r.get(5)? })
        })
        .optional()?;
    Ok(a.filter(|a| a.content_hash == content_hash(&v)))
}

/// Run `f` in one transaction on the project's connection: committed when it returns `Ok`,
/// rolled back otherwise. Core writers called inside use savepoints, which nest.
pub(crate) fn atomically<T>(project: &mut Project, f: impl FnOnce(&mut Project) -> Result<T, ReviewError>) -> Result<T, ReviewError> {
    project.conn().execute_batch("BEGIN IMMEDIATE")?;
    let out = f(project);
    let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
    if let Err(e) = project.conn().execute_batch(end) {
        let _ = project.conn().execute_batch("ROLLBACK");
        return Err(e.into());
    }
    out
}
