//! Renaming a segment: user-given names in both languages, checked in the core.

use super::{profile, row_of, Project, SegmentError, SegmentRow};

/// Rename segment `segment_id` in both languages (see [`profile::check_names`]); names stay
/// unique within the segment's model. Returns the updated row. Ungated: once a project has
/// profiles, callers go through `review::rename::rename_segment`, which checks the actor's
/// role and logs the rename.
///
/// Errors: invalid or clashing name (`InvalidName`), unknown segment (`NotFound`), store.
pub fn rename(project: &mut Project, segment_id: i64, name_en: &str, name_zh: &str) -> Result<SegmentRow, SegmentError> {
    let (en, zh) = profile::check_names(name_en, name_zh)?;
    // A savepoint commits like a transaction on its own and nests inside a caller's one
    // (the gated, audited `review::rename::rename_segment`).
    let tx = project.conn_mut().savepoint()?;
    let found: Option<(i64, u32, String)> = {
        use rusqlite::OptionalExtension;
        tx.query_row("SELECT model_id, label, profile FROM segments WHERE id = ?1", [segment_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?
    };
    let (model_id, label, prof) = found.ok_or(SegmentError::NotFound(segment_id))?;
    let clash: bool =
        tx.query_row("SELECT count(*) > 0 FROM segments WHERE model_id = ?1 AND id != ?2 AND (lower(name_en) = lower(?3) OR name_zh = ?4)", rusqlite::params![model_id, segment_id, en, zh], |r| {
            r.get(0)
        })?;
    if clash {
        return Err(profile::NameError::Taken(format!("{en:?} / {zh:?}")).into());
    }
    tx.execute("UPDATE segments SET name_en = ?1, name_zh = ?2 WHERE id = ?3", rusqlite::params![en, zh, segment_id])?;
    tx.commit()?;
    let prof: profile::Profile = serde_json::from_str(&prof).map_err(|e| SegmentError::KMeans(format!("stored profile: {e}")))?;
    Ok(row_of(segment_id, label, &en, &zh, &prof))
}
