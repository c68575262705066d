//! Local user profiles: a name and one [`Role`] each. Profiles are who is acting, not a login:
//! the studio is a local app, and the audit log records every change made under a profile.
//!
//! Only an admin manages profiles ([`create`], [`set_role`], [`deactivate`]), except the
//! bootstrap: a project without any profile accepts one [`bootstrap_admin`] call, which
//! creates the first admin with no actor. Names are 1–60 visible characters on one line, and no
//! two look alike (see [`crate::names`]: "Аda" with a Cyrillic А blocks "Ada").
//! Profiles are never deleted (the audit log and comments refer to them); they are deactivated.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audit::{self, AuditAction, AuditEntity};
use super::roles::{authorize, Action, Actor, Role};
use super::{atomically, ReviewError};
use crate::names::{self, NameError};
use crate::store::{now_text, Project};

/// A profile as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// A deactivated profile may not act; it stays for the history.
    pub active: bool,
}

impl Profile {
    /// The profile as an [`Actor`].
    fn actor(&self) -> Actor {
        Actor::new(self.id, self.name.clone(), self.role)
    }

    /// SHA-256 of name, role and active flag: the audit log's before/after hash of a profile.
    fn hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [self.name.as_str(), self.role.as_str(), if self.active { "active" } else { "inactive" }] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        hex::encode(h.finalize())
    }
}

/// A profile to create, as sent by the shell or the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfileParams {
    pub name: String,
    pub role: Role,
}

/// [`ProfileParams`] after [`ProfileParams::check`]: a trimmed, valid name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    name: String,
    role: Role,
}

impl ProfileParams {
    /// Trim the name; refuse an empty one or one over 60 characters, and one with control or
    /// invisible characters ([`names::check_profile`]: ESC, newlines, bidi controls,
    /// zero-width characters …).
    ///
    /// Errors: [`ReviewError::BadName`], [`ReviewError::Name`] (`invalid_input`).
    pub fn check(self) -> Result<ValidProfile, ReviewError> {
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(ReviewError::BadName);
        }
        names::check_profile("profile name", &name)?;
        Ok(ValidProfile { name, role: self.role })
    }
}

/// Does the project have any profile (active or not)? Errors: store.
pub fn any(project: &Project) -> Result<bool, ReviewError> {
    Ok(project.conn().query_row("SELECT EXISTS (SELECT 1 FROM profiles)", [], |r| r.get(0))?)
}

/// Create the project's first profile, an admin, with no actor. Logged with the new admin as
/// actor. Returns the profile and its [`Actor`].
///
/// Errors: `invalid_input` for a bad name or a role other than admin
/// ([`ReviewError::BootstrapNotAdmin`]); `forbidden` when any profile exists
/// ([`ReviewError::BootstrapClosed`]).
pub fn bootstrap_admin(project: &mut Project, params: ProfileParams) -> Result<(Profile, Actor), ReviewError> {
    let p = params.check()?;
    if p.role != Role::Admin {
        return Err(ReviewError::BootstrapNotAdmin);
    }
    atomically(project, |project| {
        if any(project)? {
            return Err(ReviewError::BootstrapClosed);
        }
        let profile = insert(project, &p)?;
        let actor = profile.actor();
        log(project, &actor, AuditAction::CreateProfile, None, &profile, "bootstrap: first admin of the project")?;
        Ok((profile, actor))
    })
}

/// The demo project's team, created when the project has no profiles: `demo-admin` (admin,
/// bootstrapped), `demo-marketer`, `demo-reviewer` and `demo-manager`. A project that already
/// has profiles is left alone. Returns the profiles. Errors: store errors.
pub fn demo_team(project: &mut Project) -> Result<Vec<Profile>, ReviewError> {
    if !any(project)? {
        let (_, admin) = bootstrap_admin(project, ProfileParams { name: "demo-admin".into(), role: Role::Admin })?;
        for (name, role) in [("demo-marketer", Role::Marketer), ("demo-reviewer", Role::Reviewer), ("demo-manager", Role::Manager)] {
            create(project, &admin, ProfileParams { name: name.into(), role })?;
        }
    }
    list(project)
}

/// Create a profile as `actor` (an admin).
///
/// Errors: `forbidden` unless the actor is an active admin; `invalid_input` for a bad name;
/// `conflict` when the name is taken ([`ReviewError::DuplicateName`]) or looks like another
/// profile's ([`NameError::LookAlike`], naming it).
pub fn create(project: &mut Project, actor: &Actor, params: ProfileParams) -> Result<Profile, ReviewError> {
    let actor = authorize(project, actor, Action::ManageProfiles)?;
    let p = params.check()?;
    atomically(project, |project| {
        let profile = insert(project, &p)?;
        log(project, &actor, AuditAction::CreateProfile, None, &profile, &format!("created {} {}", profile.role, profile.name))?;
        Ok(profile)
    })
}

/// Give profile `id` a new role, as `actor` (an admin other than the profile itself).
///
/// Errors: `forbidden` unless the actor is an active admin, or when it is the actor's own
/// profile ([`ReviewError::SelfChange`]); `not_found` for an unknown profile.
pub fn set_role(project: &mut Project, actor: &Actor, id: i64, role: Role) -> Result<Profile, ReviewError> {
    let actor = authorize(project, actor, Action::ManageProfiles)?;
    change(project, &actor, id, AuditAction::SetRole, |p| {
        let detail = format!("role {} → {role}", p.role);
        p.role = role;
        detail
    })
}

/// Deactivate profile `id`, as `actor` (an admin other than the profile itself). A deactivated
/// profile may not act; its history stays. Deactivating twice changes nothing but is logged.
///
/// Errors: as [`set_role`].
pub fn deactivate(project: &mut Project, actor: &Actor, id: i64) -> Result<Profile, ReviewError> {
    let actor = authorize(project, actor, Action::ManageProfiles)?;
    change(project, &actor, id, AuditAction::DeactivateProfile, |p| {
        p.active = false;
        "deactivated".to_string()
    })
}

fn change(project: &mut Project, actor: &Actor, id: i64, action: AuditAction, apply: impl FnOnce(&mut Profile) -> String) -> Result<Profile, ReviewError> {
    if id == actor.profile_id() {
        return Err(ReviewError::SelfChange(actor.name().to_string()));
    }
    atomically(project, |project| {
        let before = get(project, id)?;
        let mut after = before.clone();
        let detail = apply(&mut after);
        project.conn().execute("UPDATE profiles SET role = ?2, active = ?3 WHERE id = ?1", params![id, after.role.as_str(), after.active])?;
        log(project, actor, action, Some(&before), &after, &detail)?;
        Ok(after)
    })
}

/// Store a new profile. Its name must differ from every other profile's (active or not):
/// exactly ignoring case ([`ReviewError::DuplicateName`]), and in looks
/// ([`names::confusable`]: NFKC, case, UTS #39 skeleton).
fn insert(project: &Project, p: &ValidProfile) -> Result<Profile, ReviewError> {
    let taken: bool = project.conn().query_row("SELECT EXISTS (SELECT 1 FROM profiles WHERE name = ?1)", [&p.name], |r| r.get(0))?;
    if taken {
        return Err(ReviewError::DuplicateName(p.name.clone()));
    }
    if let Some(existing) = list(project)?.into_iter().find(|x| names::confusable(&x.name, &p.name)) {
        return Err(NameError::LookAlike { field: "profile name", name: p.name.clone(), existing: existing.name }.into());
    }
    let now = now_text();
    project.conn().execute("INSERT INTO profiles(name, role, created_at, active) VALUES (?1, ?2, ?3, 1)", params![p.name, p.role.as_str(), now])?;
    Ok(Profile { id: project.conn().last_insert_rowid(), name: p.name.clone(), role: p.role, created_at: now, active: true })
}

fn log(project: &Project, actor: &Actor, action: AuditAction, before: Option<&Profile>, after: &Profile, detail: &str) -> Result<(), ReviewError> {
    let (b, a) = (before.map(Profile::hash), after.hash());
    audit::record(project.conn(), &audit::AuditRecord { actor, action, entity: AuditEntity::Profile, entity_id: after.id, before_hash: b.as_deref(), after_hash: Some(&a), detail })?;
    Ok(())
}

const COLUMNS: &str = "id, name, role, created_at, active";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Profile> {
    let role: String = r.get(2)?;
    Ok(Profile {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?,
        created_at: r.get(3)?,
        active: r.get(4)?,
    })
}

/// Every profile, active ones first, then by name. Errors: store.
pub fn list(project: &Project) -> Result<Vec<Profile>, ReviewError> {
    let mut stmt = project.conn().prepare(&format!("SELECT {COLUMNS} FROM profiles ORDER BY active DESC, name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Profile `id`. Errors: `not_found`.
pub fn get(project: &Project, id: i64) -> Result<Profile, ReviewError> {
    project.conn().query_row(&format!("SELECT {COLUMNS} FROM profiles WHERE id = ?1"), [id], row).optional()?.ok_or_else(|| ReviewError::ProfileNotFound(format!("#{id}")))
}

/// The active profile `id` as an [`Actor`] (what the shell resolves its current user to).
///
/// Errors: `not_found`; `forbidden` when deactivated.
pub fn actor(project: &Project, id: i64) -> Result<Actor, ReviewError> {
    active(get(project, id)?)
}

/// The active profile named `name` (case-insensitive) as an [`Actor`] (the CLI's `--as`).
///
/// Errors: `not_found`; `forbidden` when deactivated.
pub fn actor_by_name(project: &Project, name: &str) -> Result<Actor, ReviewError> {
    let p = project
        .conn()
        .query_row(&format!("SELECT {COLUMNS} FROM profiles WHERE name = ?1"), [name.trim()], row)
        .optional()?
        .ok_or_else(|| ReviewError::ProfileNotFound(format!("{:?}", name.trim())))?;
    active(p)
}

fn active(p: Profile) -> Result<Actor, ReviewError> {
    if !p.active {
        return Err(ReviewError::Inactive(p.name));
    }
    Ok(p.actor())
}
