//! The append-only audit log: one row per change — who (profile name and id), their role, when,
//! what (action, entity, id, detail) and the entity's hash before and after (a variant's
//! [`super::content_hash`], a profile's hash of name, role and active flag, a segment's hash of
//! its two names).
//!
//! The store refuses `UPDATE` and `DELETE` on `audit_log` (triggers since schema v1), through
//! any connection and any SQL, so rows can only be appended. Rows are written in the same
//! transaction as the change they describe: a change that fails leaves no row, and a row that
//! cannot be written undoes the change.

use std::io::Write;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::roles::Actor;
use super::ReviewError;
use crate::csv_cell::write_row;
use crate::store::{now_text, Project};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    CreateProfile,
    SetRole,
    DeactivateProfile,
    CreateCampaign,
    Edit,
    Regenerate,
    Submit,
    Approve,
    /// A reviewer approved despite error-severity findings; the detail holds the reason.
    Override,
    RequestChanges,
    Comment,
    Export,
    /// A performance report and its rows were removed; the detail names the report.
    RemoveReport,
    /// A segment's display names changed; the detail holds old → new.
    RenameSegment,
}

impl AuditAction {
    /// Every action, in declaration order.
    pub const ALL: [AuditAction; 14] = [
        AuditAction::CreateProfile,
        AuditAction::SetRole,
        AuditAction::DeactivateProfile,
        AuditAction::CreateCampaign,
        AuditAction::Edit,
        AuditAction::Regenerate,
        AuditAction::Submit,
        AuditAction::Approve,
        AuditAction::Override,
        AuditAction::RequestChanges,
        AuditAction::Comment,
        AuditAction::Export,
        AuditAction::RemoveReport,
        AuditAction::RenameSegment,
    ];

    /// The stored snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CreateProfile => "create_profile",
            AuditAction::SetRole => "set_role",
            AuditAction::DeactivateProfile => "deactivate_profile",
            AuditAction::CreateCampaign => "create_campaign",
            AuditAction::Edit => "edit",
            AuditAction::Regenerate => "regenerate",
            AuditAction::Submit => "submit",
            AuditAction::Approve => "approve",
            AuditAction::Override => "override",
            AuditAction::RequestChanges => "request_changes",
            AuditAction::Comment => "comment",
            AuditAction::Export => "export",
            AuditAction::RemoveReport => "remove_report",
            AuditAction::RenameSegment => "rename_segment",
        }
    }
}

/// What kind of thing a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AuditEntity {
    Variant,
    Campaign,
    Profile,
    Segment,
}

impl AuditEntity {
    /// The stored snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEntity::Variant => "variant",
            AuditEntity::Campaign => "campaign",
            AuditEntity::Profile => "profile",
            AuditEntity::Segment => "segment",
        }
    }
}

/// A row to append, written by an [`Actor`] (see [`record`]).
#[derive(Debug, Clone, Copy)]
pub struct AuditRecord<'a> {
    pub actor: &'a Actor,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: i64,
    pub before_hash: Option<&'a str>,
    pub after_hash: Option<&'a str>,
    /// Free text: transition, reason, comment, file names.
    pub detail: &'a str,
}

/// Append `rec` now, with the actor's name, role and profile id; returns the row id. Takes a
/// connection so that it runs inside the caller's transaction (`&tx` or `project.conn()`).
/// The caller authorises first ([`super::authorize`]); this only writes. Errors: store.
pub fn record(conn: &rusqlite::Connection, rec: &AuditRecord) -> rusqlite::Result<i64> {
    insert(
        conn,
        &Row {
            at: &now_text(),
            actor: rec.actor.name(),
            role: rec.actor.role().as_str(),
            profile_id: Some(rec.actor.profile_id()),
            action: rec.action,
            entity: rec.entity,
            entity_id: rec.entity_id,
            before_hash: rec.before_hash,
            after_hash: rec.after_hash,
            detail: rec.detail,
        },
    )
}

/// The actor recorded for a change made in a project without profiles (no roles yet).
pub const NO_PROFILE: &str = "(no profile)";

/// Append a row for a change made in a project without profiles, where the change is
/// ungated (as a campaign or an export is there): actor [`NO_PROFILE`], role `none`, no
/// profile id. Takes the caller's connection or transaction, like [`record`]. Errors: store.
pub fn record_without_profile(conn: &rusqlite::Connection, action: AuditAction, entity: AuditEntity, entity_id: i64, before_hash: Option<&str>, detail: &str) -> rusqlite::Result<i64> {
    insert(conn, &Row { at: &now_text(), actor: NO_PROFILE, role: "none", profile_id: None, action, entity, entity_id, before_hash, after_hash: None, detail })
}

/// A raw row (approvals made before profiles existed have a free-text reviewer and no
/// profile).
pub(super) struct Row<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub role: &'a str,
    pub profile_id: Option<i64>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: i64,
    pub before_hash: Option<&'a str>,
    pub after_hash: Option<&'a str>,
    pub detail: &'a str,
}

pub(super) fn insert(conn: &rusqlite::Connection, r: &Row) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO audit_log(at, actor, role, profile_id, action, entity, entity_id, before_hash, after_hash, detail) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
        params![r.at, r.actor, r.role, r.profile_id, r.action.as_str(), r.entity.as_str(), r.entity_id, r.before_hash, r.after_hash, r.detail],
    )?;
    Ok(conn.last_insert_rowid())
}

/// One stored row. `action`, `entity` and `role` are the stored snake_case names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    pub role: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub profile_id: Option<i64>,
    pub action: String,
    pub entity: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entity_id: i64,
    pub before_hash: Option<String>,
    pub after_hash: Option<String>,
    pub detail: String,
}

/// Which rows [`all`] returns; every `None` field matches everything. `since`/`until` compare
/// with the RFC 3339 `at` text (inclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditFilter {
    pub entity: Option<AuditEntity>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub entity_id: Option<i64>,
    /// Profile name (case-insensitive).
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// The rows about variant `id`, oldest first (rows stay after the variant is gone). Errors: store.
pub fn for_variant(project: &Project, id: i64) -> Result<Vec<AuditEntry>, ReviewError> {
    all(project, &AuditFilter { entity: Some(AuditEntity::Variant), entity_id: Some(id), ..Default::default() })
}

/// The rows matching `filter`, oldest first. Errors: store.
pub fn all(project: &Project, filter: &AuditFilter) -> Result<Vec<AuditEntry>, ReviewError> {
    let mut stmt = project.conn().prepare(
        "SELECT id, at, actor, role, profile_id, action, entity, entity_id, before_hash, after_hash, detail FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR actor = ?3 COLLATE NOCASE)
           AND (?4 IS NULL OR action = ?4) AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at <= ?6)
         ORDER BY id",
    )?;
    let f = filter;
    let rows = stmt
        .query_map(params![f.entity.map(AuditEntity::as_str), f.entity_id, f.actor.as_deref().map(str::trim), f.action.map(AuditAction::as_str), f.since, f.until], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                role: r.get(3)?,
                profile_id: r.get(4)?,
                action: r.get(5)?,
                entity: r.get(6)?,
                entity_id: r.get(7)?,
                before_hash: r.get(8)?,
                after_hash: r.get(9)?,
                detail: r.get(10)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The CSV export's header, in column order.
pub const CSV_HEADER: [&str; 11] = ["id", "at", "actor", "role", "profile_id", "action", "entity", "entity_id", "before_hash", "after_hash", "detail"];

/// Write `entries` as RFC 4180 CSV with [`CSV_HEADER`]. Every cell goes through
/// [`crate::csv_cell::write_row`]: text a spreadsheet would run as a formula (starting with `=`,
/// `+`, `-`, `@`, tab or CR) gets a leading `'`; the JSON export keeps every text exactly.
/// Errors: `io` when writing fails.
pub fn export_csv<W: Write>(entries: &[AuditEntry], out: W) -> Result<(), ReviewError> {
    let mut w = csv::Writer::from_writer(out);
    write_row(&mut w, CSV_HEADER).map_err(std::io::Error::from)?;
    for e in entries {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        write_row(
            &mut w,
            [
                e.id.to_string(),
                e.at.clone(),
                e.actor.clone(),
                e.role.clone(),
                e.profile_id.map(|p| p.to_string()).unwrap_or_default(),
                e.action.clone(),
                e.entity.clone(),
                e.entity_id.to_string(),
                opt(&e.before_hash),
                opt(&e.after_hash),
                e.detail.clone(),
            ],
        )
        .map_err(std::io::Error::from)?;
    }
    w.flush()?;
    Ok(())
}

/// Write `entries` as a pretty-printed JSON array of [`AuditEntry`]. Errors: `io`.
pub fn export_json<W: Write>(entries: &[AuditEntry], mut out: W) -> Result<(), ReviewError> {
    serde_json::to_writer_pretty(&mut out, entries).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
