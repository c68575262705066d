//! Comments per variant: author (profile name and id), role, time and text (1–2000 characters
//! after trimming). Every role may comment; each comment is also logged in the audit log.
//! A reviewer's request for changes is stored as a comment too.

use rusqlite::params;
use serde::Serialize;

use super::audit::{self, AuditAction, AuditEntity};
use super::roles::{authorize, Action, Actor, Role};
use super::{atomically, content_hash, ReviewError};
use crate::campaign;
use crate::store::{now_text, Project};

/// The longest comment, in characters.
pub const MAX_CHARS: usize = 2000;

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comment {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub profile_id: i64,
    pub author: String,
    /// The author's role when writing.
    pub role: Role,
    pub at: String,
    pub text: String,
}

/// `text` trimmed, when it is 1–[`MAX_CHARS`] characters. `what` names the text in the error
/// ("comment", "note", …). Errors: [`ReviewError::BadText`] (`invalid_input`).
pub fn check_text(what: &'static str, text: &str) -> Result<String, ReviewError> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(ReviewError::BadText { what, problem: super::TextProblem::Empty });
    }
    if n > MAX_CHARS {
        return Err(ReviewError::BadText { what, problem: super::TextProblem::TooLong(n) });
    }
    Ok(t.to_string())
}

/// Add a comment to variant `variant_id` as `actor`; logged as `comment`.
///
/// Errors: `forbidden` for a deactivated profile; `invalid_input` for an empty or over-long
/// text; `not_found` for an unknown variant.
pub fn add(project: &mut Project, actor: &Actor, variant_id: i64, text: &str) -> Result<Comment, ReviewError> {
    let actor = authorize(project, actor, Action::Comment)?;
    let text = check_text("comment", text)?;
    atomically(project, |project| {
        let v = campaign::variant(project, variant_id)?.ok_or(ReviewError::NotFound(variant_id))?;
        let hash = content_hash(&v);
        let c = insert(project.conn(), &actor, variant_id, &text)?;
        audit::record(
            project.conn(),
            &audit::AuditRecord { actor: &actor, action: AuditAction::Comment, entity: AuditEntity::Variant, entity_id: variant_id, before_hash: Some(&hash), after_hash: Some(&hash), detail: &text },
        )?;
        Ok(c)
    })
}

/// Store a checked comment (no audit row: the caller writes the one for its action).
pub(super) fn insert(conn: &rusqlite::Connection, actor: &Actor, variant_id: i64, text: &str) -> rusqlite::Result<Comment> {
    let at = now_text();
    conn.execute(
        "INSERT INTO comments(variant_id, profile_id, author, role, at, text) VALUES (?1,?2,?3,?4,?5,?6)",
        params![variant_id, actor.profile_id(), actor.name(), actor.role().as_str(), at, text],
    )?;
    Ok(Comment { id: conn.last_insert_rowid(), variant_id, profile_id: actor.profile_id(), author: actor.name().to_string(), role: actor.role(), at, text: text.to_string() })
}

/// The comments on variant `variant_id`, oldest first. Errors: `not_found`, store.
pub fn list(project: &Project, variant_id: i64) -> Result<Vec<Comment>, ReviewError> {
    campaign::variant(project, variant_id)?.ok_or(ReviewError::NotFound(variant_id))?;
    let mut stmt = project.conn().prepare("SELECT id, variant_id, profile_id, author, role, at, text FROM comments WHERE variant_id = ?1 ORDER BY id")?;
    let rows = stmt
        .query_map([variant_id], |r| {
            let role: String = r.get(4)?;
            Ok(Comment {
                id: r.get(0)?,
                variant_id: r.get(1)?,
                profile_id: r.get(2)?,
                author: r.get(3)?,
                role: Role::parse(&role).map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?,
                at: r.get(5)?,
                text: r.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
