//! Four eyes: nobody approves content they wrote, whatever their role is now.
//!
//! The role matrix alone cannot guarantee this: roles change (an admin can make yesterday's
//! marketer a reviewer), so the rule is decided from the append-only audit log, which records
//! who did what under which profile.
//!
//! **The rule.** The *authors of a variant's current content* are the profiles that, in an
//! audit row newer than the variant's newest `approve` row (every row, when it was never
//! approved),
//!
//! * created the variant's campaign (`create_campaign` on that campaign: the creator wrote
//!   every variant of it), or
//! * edited, regenerated or submitted the variant (`edit`, `regenerate`, `submit`).
//!
//! None of them may approve the variant — also not through the compliance override, which is
//! part of [`super::workflow::approve`] — whatever their role at the time or now; the refusal
//! is [`ReviewError::OwnContent`] (`forbidden`) naming the audit row. Profiles are matched by
//! id, never by name.
//!
//! *Why "since the newest approval".* An approval is the moment a second person accepted the
//! content as it was; what was written before it has had its four eyes. Content hashes are not
//! compared: an author of content edited since by someone else still counts until the next
//! approval (stricter and simpler than deciding whose words survived an edit). Commenting and
//! requesting changes do not make anyone an author. Changes made without an actor (projects
//! without profiles, raw SQL) leave no audit row and so no author.

use rusqlite::{params, Connection};

use super::audit::AuditAction;
use super::roles::Actor;
use super::ReviewError;
use crate::campaign::Variant;

/// One audit row that makes a profile an author of a variant's current content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorship {
    /// The audit row.
    pub audit_id: i64,
    pub profile_id: i64,
    /// The profile's name when it acted.
    pub actor: String,
    /// `create_campaign`, `edit`, `regenerate` or `submit`.
    pub action: AuditAction,
}

impl Authorship {
    /// What the author did, for messages ("they {did}").
    pub fn did(&self) -> &'static str {
        did(&self.action)
    }
}

/// What an author did by `action`, for messages ("they {did}").
pub fn did(action: &AuditAction) -> &'static str {
    match action {
        AuditAction::CreateCampaign => "created its campaign, which wrote its current content",
        AuditAction::Edit => "edited its current content",
        AuditAction::Regenerate => "regenerated its current content",
        _ => "submitted its current content",
    }
}

/// Every authorship of `v`'s current content (see the module docs), oldest first.
/// Errors: store.
pub fn authors(conn: &Connection, v: &Variant) -> rusqlite::Result<Vec<Authorship>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, profile_id, actor, action FROM audit_log
         WHERE profile_id IS NOT NULL
           AND id > (SELECT coalesce(max(id), 0) FROM audit_log WHERE entity = 'variant' AND entity_id = ?1 AND action = 'approve')
           AND ((entity = 'variant' AND entity_id = ?1 AND action IN ('edit', 'regenerate', 'submit'))
             OR (entity = 'campaign' AND entity_id = ?2 AND action = 'create_campaign'))
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![v.id, v.campaign_id], |r| {
        let action: String = r.get(3)?;
        let action = match action.as_str() {
            "create_campaign" => AuditAction::CreateCampaign,
            "edit" => AuditAction::Edit,
            "regenerate" => AuditAction::Regenerate,
            _ => AuditAction::Submit,
        };
        Ok(Authorship { audit_id: r.get(0)?, profile_id: r.get(1)?, actor: r.get(2)?, action })
    })?;
    rows.collect()
}

/// Refuse when `actor` is an author of `v`'s current content, naming their newest authoring
/// row. The one four-eyes check; [`super::workflow::approve`] calls it for every approval,
/// with or without a compliance override.
///
/// Errors: [`ReviewError::OwnContent`] (`forbidden`); store.
pub(super) fn check(conn: &Connection, actor: &Actor, v: &Variant) -> Result<(), ReviewError> {
    let mine = authors(conn, v)?.into_iter().rev().find(|a| a.profile_id == actor.profile_id());
    match mine {
        Some(a) => Err(ReviewError::OwnContent { actor: actor.name().to_string(), id: v.id, action: a.action, audit_id: a.audit_id }),
        None => Ok(()),
    }
}
