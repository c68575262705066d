//! Approval of variants. An approval records who, when, and the content hash of the copy plus
//! the rendered images, and appends to the append-only audit log.

use rusqlite::params;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::campaign::{self, Variant};
use crate::compliance::{self, Field};
use crate::error::{ErrorCode, HasCode};
use crate::store::{now_text, Project};

/// Review errors.
#[derive(Debug, Error)]
pub enum ReviewError {
    #[error("variant {0} not found")]
    NotFound(i64),
    #[error("reviewer name must be 1–60 characters")]
    BadReviewer,
    #[error("variant {0} is already approved")]
    AlreadyApproved(i64),
    #[error("variant {id} fails the compliance check: {summary}")]
    NotCompliant { id: i64, summary: String },
    #[error("review store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for ReviewError {
    fn code(&self) -> ErrorCode {
        match self {
            ReviewError::NotFound(_) => ErrorCode::NotFound,
            ReviewError::BadReviewer => ErrorCode::InvalidInput,
            ReviewError::AlreadyApproved(_) | ReviewError::NotCompliant { .. } => ErrorCode::Conflict,
            ReviewError::Store(_) => ErrorCode::Internal,
        }
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

/// The compliance findings of a variant's copy (see [`crate::compliance`]).
pub fn findings(v: &Variant) -> Vec<compliance::Finding> {
    compliance::check(&[
        (Field::Headline, &v.headline),
        (Field::LongHeadline, &v.long_headline),
        (Field::Description, &v.description),
        (Field::PrimaryText, &v.primary_text),
        (Field::Cta, &v.cta),
    ])
}

/// Approve variant `id` as `reviewer`. The compliance checker is a gate: a variant with an
/// error-severity finding is refused.
///
/// Errors: not found, bad reviewer name, already approved, not compliant.
pub fn approve(project: &mut Project, id: i64, reviewer: &str, note: &str) -> Result<Variant, ReviewError> {
    let reviewer = reviewer.trim();
    if reviewer.is_empty() || reviewer.chars().count() > 60 {
        return Err(ReviewError::BadReviewer);
    }
    let v = campaign::variant(project, id)?.ok_or(ReviewError::NotFound(id))?;
    if v.status == "approved" {
        return Err(ReviewError::AlreadyApproved(id));
    }
    let blocking: Vec<String> = findings(&v)
        .into_iter()
        .filter(|f| f.severity == compliance::Severity::Error)
        .map(|f| format!("{} “{}” in the {:?}", f.rule, f.text, f.field))
        .collect();
    if !blocking.is_empty() {
        return Err(ReviewError::NotCompliant { id, summary: blocking.join("; ") });
    }
    let hash = content_hash(&v);
    let now = now_text();
    let tx = project.conn_mut().transaction()?;
    tx.execute("UPDATE variants SET status = 'approved' WHERE id = ?1", [id])?;
    tx.execute(
        "INSERT INTO approvals(variant_id,reviewer,approved_at,content_hash,note) VALUES (?1,?2,?3,?4,?5)",
        params![id, reviewer, now, hash, note],
    )?;
    tx.execute(
        "INSERT INTO audit_log(at,actor,role,action,entity,entity_id,before_hash,after_hash,detail) VALUES (?1,?2,'reviewer','approve','variant',?3,?4,?4,?5)",
        params![now, reviewer, id, hash, note],
    )?;
    tx.commit()?;
    campaign::variant(project, id)?.ok_or(ReviewError::NotFound(id))
}

/// The approval of a variant: (reviewer, approved_at, content_hash), newest.
pub fn approval_of(project: &Project, id: i64) -> rusqlite::Result<Option<(String, String, String)>> {
    use rusqlite::OptionalExtension;
    project
        .conn()
        .query_row("SELECT reviewer, approved_at, content_hash FROM approvals WHERE variant_id = ?1 ORDER BY id DESC LIMIT 1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()
}
