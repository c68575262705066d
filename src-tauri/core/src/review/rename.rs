//! Renaming a segment as a profile: gated by the role matrix ([`Action::RenameSegment`]:
//! marketers and admins) and logged in the audit log, in one transaction with the rename.
//! The shell and the CLI (`studio rename-segment --as NAME`) call [`rename_segment`]; the
//! ungated [`segments::rename`] stays for projects without profiles.

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::audit::{self, AuditAction, AuditEntity, AuditRecord};
use super::roles::{authorize, Action, Actor};
use super::{atomically, ReviewError};
use crate::segments::{self, SegmentError, SegmentRow};
use crate::store::Project;

/// SHA-256 of a segment's English and Chinese names, NUL-separated: the audit row's
/// before/after hash of a segment.
fn names_hash(en: &str, zh: &str) -> String {
    let mut h = Sha256::new();
    for part in [en, zh] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Rename segment `segment_id` to `name_en` / `name_zh` as `actor` (a marketer or admin), with
/// the checks of [`segments::rename`], and append a `rename_segment` audit row (who, role,
/// old names → new names, hashes of both). Nothing changes when any step fails.
///
/// Errors: `forbidden` (reviewers, managers, deactivated profiles); `not_found` for an unknown
/// segment; `invalid_input` for an empty, over-long, clashing or control-character name.
pub fn rename_segment(project: &mut Project, actor: &Actor, segment_id: i64, name_en: &str, name_zh: &str) -> Result<SegmentRow, ReviewError> {
    let actor = authorize(project, actor, Action::RenameSegment)?;
    atomically(project, |project| {
        let old: (String, String) =
            project.conn().query_row("SELECT name_en, name_zh FROM segments WHERE id = ?1", [segment_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(SegmentError::NotFound(segment_id))?;
        let row = segments::rename(project, segment_id, name_en, name_zh)?;
        let (before, after) = (names_hash(&old.0, &old.1), names_hash(&row.name_en, &row.name_zh));
        let detail = format!("{:?} / {:?} → {:?} / {:?}", old.0, old.1, row.name_en, row.name_zh);
        audit::record(
            project.conn(),
            &AuditRecord {
                actor: &actor,
                action: AuditAction::RenameSegment,
                entity: AuditEntity::Segment,
                entity_id: segment_id,
                before_hash: Some(&before),
                after_hash: Some(&after),
                detail: &detail,
            },
        )?;
        Ok(row)
    })
}
