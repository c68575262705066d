//! Roles and the one permission rule.
//!
//! | action            | marketer | reviewer | manager | admin |
//! |-------------------|:--------:|:--------:|:-------:|:-----:|
//! | manage profiles   |          |          |         |   ✓   |
//! | create campaign   |    ✓     |          |         |   ✓   |
//! | edit/regenerate   |    ✓     |          |         |   ✓   |
//! | submit for review |    ✓     |          |         |   ✓   |
//! | approve           |          |    ✓     |         |       |
//! | request changes   |          |    ✓     |         |       |
//! | override gate     |          |    ✓     |         |       |
//! | comment           |    ✓     |    ✓     |    ✓    |   ✓   |
//! | export            |    ✓     |          |         |   ✓   |
//! | remove a report   |    ✓     |          |         |   ✓   |
//! | rename segment    |    ✓     |          |         |   ✓   |
//!
//! Reading (campaigns, variants, comments, the audit log) is open to everyone and needs no
//! actor. A manager reads and comments only. An admin manages profiles and may do what a
//! marketer does, but never approves, requests changes or overrides: review decisions stay
//! with reviewers, and reviewers cannot edit or submit. Because roles change, the matrix alone
//! does not keep an author from approving their own work later (a marketer made reviewer):
//! [`super::four_eyes`] decides that from the audit log, for every approval. An admin cannot
//! change their own role or deactivate themselves (see [`super::profiles`]), so an admin cannot
//! make themselves a reviewer, and the last active admin always stays one.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::ReviewError;
use crate::store::Project;

/// A profile's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProfileRole"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Creates campaigns, edits and submits copy, exports.
    Marketer,
    /// Approves or requests changes; may override the compliance gate with a reason.
    Reviewer,
    /// Reads and comments.
    Manager,
    /// Manages profiles; otherwise a marketer.
    Admin,
}

impl Role {
    /// Every role, in the matrix's column order.
    pub const ALL: [Role; 4] = [Role::Marketer, Role::Reviewer, Role::Manager, Role::Admin];

    /// The snake_case name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Marketer => "marketer",
            Role::Reviewer => "reviewer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// The role named `s` (case-insensitive, surrounding space ignored).
    ///
    /// Errors: [`ReviewError::BadRole`] (`invalid_input`).
    pub fn parse(s: &str) -> Result<Role, ReviewError> {
        let t = s.trim().to_ascii_lowercase();
        Role::ALL.into_iter().find(|r| r.as_str() == t).ok_or_else(|| ReviewError::BadRole(s.to_string()))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the role matrix governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ManageProfiles,
    CreateCampaign,
    /// Edit or regenerate a variant's copy and layers.
    EditCopy,
    Submit,
    Approve,
    RequestChanges,
    /// Approve despite an error-severity compliance finding, with a written reason.
    Override,
    Comment,
    Export,
    /// Remove an imported performance report (who may import one may remove it).
    RemoveReport,
    /// Rename a segment (its English and Chinese display names).
    RenameSegment,
}

impl Action {
    /// Every action, in the matrix's row order.
    pub const ALL: [Action; 11] = [
        Action::ManageProfiles,
        Action::CreateCampaign,
        Action::EditCopy,
        Action::Submit,
        Action::Approve,
        Action::RequestChanges,
        Action::Override,
        Action::Comment,
        Action::Export,
        Action::RemoveReport,
        Action::RenameSegment,
    ];

    /// The snake_case identifier (as serialised; the window's `action.{key}` label).
    pub fn key(self) -> &'static str {
        match self {
            Action::ManageProfiles => "manage_profiles",
            Action::CreateCampaign => "create_campaign",
            Action::EditCopy => "edit_copy",
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::RequestChanges => "request_changes",
            Action::Override => "override",
            Action::Comment => "comment",
            Action::Export => "export",
            Action::RemoveReport => "remove_report",
            Action::RenameSegment => "rename_segment",
        }
    }

    /// What the action is called in messages ("… may not {action}").
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ManageProfiles => "manage profiles",
            Action::CreateCampaign => "create campaigns",
            Action::EditCopy => "edit or regenerate copy and layers",
            Action::Submit => "submit for review",
            Action::Approve => "approve",
            Action::RequestChanges => "request changes",
            Action::Override => "override the compliance gate",
            Action::Comment => "comment",
            Action::Export => "export",
            Action::RemoveReport => "remove performance reports",
            Action::RenameSegment => "rename segments",
        }
    }
}

/// The role matrix (see the module docs): may `role` take `action`?
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    matches!(
        (role, action),
        (_, Comment) | (Admin, ManageProfiles) | (Marketer | Admin, CreateCampaign | EditCopy | Submit | Export | RemoveReport | RenameSegment) | (Reviewer, Approve | RequestChanges | Override)
    )
}

/// A profile acting in the studio, as resolved from the store by
/// [`super::profiles::actor`] / [`super::profiles::actor_by_name`] (it cannot be built
/// otherwise). Holding one grants nothing by itself: [`authorize`] re-reads the profile on
/// every call, so a role change or a deactivation takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Actor {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    profile_id: i64,
    name: String,
    role: Role,
}

impl Actor {
    pub(super) fn new(profile_id: i64, name: String, role: Role) -> Actor {
        Actor { profile_id, name, role }
    }

    /// The profile's id.
    pub fn profile_id(&self) -> i64 {
        self.profile_id
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The role when resolved (authorisation always re-reads it).
    pub fn role(&self) -> Role {
        self.role
    }
}

/// May `actor` take `action` now? Re-reads the actor's profile (role and active flag) and
/// applies [`allowed`]; returns the actor as stored. Every gated entry point calls this first;
/// the export calls it with [`Action::Export`].
///
/// Errors: `not_found` for a profile that no longer exists; `forbidden` for a deactivated
/// profile ([`ReviewError::Inactive`]) or a role the matrix refuses ([`ReviewError::Forbidden`],
/// naming the actor, their role, the action and the roles that may).
pub fn authorize(project: &Project, actor: &Actor, action: Action) -> Result<Actor, ReviewError> {
    authorize_conn(project.conn(), actor, action)
}

pub(super) fn authorize_conn(conn: &rusqlite::Connection, actor: &Actor, action: Action) -> Result<Actor, ReviewError> {
    let row: Option<(String, String, bool)> = conn.query_row("SELECT name, role, active FROM profiles WHERE id = ?1", [actor.profile_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    let (name, role, active) = row.ok_or_else(|| ReviewError::ProfileNotFound(format!("#{}", actor.profile_id)))?;
    let role = Role::parse(&role)?;
    if !active {
        return Err(ReviewError::Inactive(name));
    }
    if !allowed(role, action) {
        let who: Vec<&str> = Role::ALL
            .into_iter()
            .filter(|r| allowed(*r, action))
            .map(|r| match r {
                Role::Marketer => "marketers",
                Role::Reviewer => "reviewers",
                Role::Manager => "managers",
                Role::Admin => "admins",
            })
            .collect();
        return Err(ReviewError::Forbidden { actor: name, role, action, allowed: who.join(" and ") });
    }
    Ok(Actor { profile_id: actor.profile_id, name, role })
}
