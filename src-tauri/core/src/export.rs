//! Export of approved creatives to a folder: one PNG per approved variant and placement, and
//! `manifest.csv` describing every file (SHA-256, size, approval, simulated CTR — labelled).
//!
//! Writing is atomic: files go to a hidden sibling folder that is renamed into place, so the
//! target holds either the previous export or the complete new one. File names are built only
//! from ASCII slugs and ids: no campaign or product name can make a path leave the folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::campaign;
use crate::error::{io_code, ErrorCode, HasCode};
use crate::review;
use crate::simulate;
use crate::store::{now_text, Project};

/// Export errors.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("nothing to export: campaign {0} has no approved variants")]
    NothingApproved(i64),
    #[error("{path} exists and is not a previous Creative Studio export; choose an empty or new folder")]
    NotAnExportFolder { path: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error(transparent)]
    Campaign(#[from] campaign::CampaignError),
    #[error("export store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for ExportError {
    fn code(&self) -> ErrorCode {
        match self {
            ExportError::NothingApproved(_) | ExportError::NotAnExportFolder { .. } => ErrorCode::Conflict,
            ExportError::Write { source, .. } => io_code(source),
            ExportError::Campaign(e) => e.code(),
            ExportError::Store(_) => ErrorCode::Internal,
        }
    }
}

/// One written file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedFile {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub sha256: String,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportSummary {
    pub dir: String,
    pub files: Vec<ExportedFile>,
    pub variants: u32,
}

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.csv";

/// Export the approved variants of `campaign_id` into `out_dir` (created if missing).
///
/// Errors: nothing approved; `out_dir` non-empty and not a previous export; I/O.
pub fn export_campaign(project: &Project, campaign_id: i64, out_dir: &Path) -> Result<ExportSummary, ExportError> {
    let camp = campaign::get(project, campaign_id)?;
    let approved: Vec<_> = campaign::variants(project, campaign_id)?.into_iter().filter(|v| v.status == "approved").collect();
    if approved.is_empty() {
        return Err(ExportError::NothingApproved(campaign_id));
    }
    let target = out_dir.to_path_buf();
    if target.exists() && !is_replaceable(&target) {
        return Err(ExportError::NotAnExportFolder { path: target.display().to_string() });
    }
    let ctr = simulate::latest_ctr(project, campaign_id)?;
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let werr = |path: &Path| {
        let path = path.display().to_string();
        move |source| ExportError::Write { path, source }
    };
    fs::create_dir_all(&parent).map_err(werr(&parent))?;
    let tmp = parent.join(format!(".studio-export-{}-{}", std::process::id(), campaign_id));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp).map_err(werr(&tmp))?;
    let result = (|| {
        let mut files = Vec::new();
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record([
            "file", "sha256", "bytes", "width", "height", "placement", "campaign", "segment", "variant_id", "lang", "headline", "description", "cta",
            "approved_by", "approved_at", "content_hash", "simulated_ctr", "ctr_is_simulated",
        ])
        .expect("in-memory csv");
        for v in &approved {
            let (who, when, hash) = review::approval_of(project, v.id)?.unwrap_or_default();
            let sim = ctr.get(&v.id).map(|c| format!("{c:.5}")).unwrap_or_default();
            for r in campaign::renders(project, v.id)? {
                let (bytes, format) = campaign::render_image(project, v.id, &r.placement)?;
                let name = format!("{}_seg{}_v{}_{}.{}", slug(&camp.name), v.segment_label, v.id, slug(&r.placement), format.extension());
                let path = tmp.join(&name);
                fs::write(&path, &bytes).map_err(werr(&path))?;
                let sha = hex::encode(Sha256::digest(&bytes));
                csv.write_record([
                    name.as_str(), &sha, &bytes.len().to_string(), &r.width.to_string(), &r.height.to_string(), &r.placement, &camp.name, &v.segment_name_en,
                    &v.id.to_string(), &v.lang, &v.headline, &v.description, &v.cta, &who, &when, &hash, &sim, if sim.is_empty() { "" } else { "true" },
                ])
                .expect("in-memory csv");
                files.push(ExportedFile { name, bytes: bytes.len() as u64, sha256: sha });
            }
        }
        let manifest = csv.into_inner().expect("in-memory csv");
        let mpath = tmp.join(MANIFEST);
        let mut f = fs::File::create(&mpath).map_err(werr(&mpath))?;
        f.write_all(&manifest).and_then(|_| f.sync_all()).map_err(werr(&mpath))?;
        files.push(ExportedFile { name: MANIFEST.into(), bytes: manifest.len() as u64, sha256: hex::encode(Sha256::digest(&manifest)) });
        if target.exists() {
            fs::remove_dir_all(&target).map_err(werr(&target))?;
        }
        fs::rename(&tmp, &target).map_err(werr(&target))?;
        Ok(files)
    })();
    let files = match result {
        Ok(f) => f,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    project.conn().execute(
        "INSERT INTO exports(campaign_id,out_dir,created_at,files,manifest) VALUES (?1,?2,?3,?4,?5)",
        rusqlite::params![campaign_id, target.display().to_string(), now_text(), files.len() as i64, serde_json::to_string(&files).expect("json")],
    )?;
    Ok(ExportSummary { dir: target.display().to_string(), files, variants: approved.len() as u32 })
}

/// An existing folder may be replaced only when empty or holding a previous export.
fn is_replaceable(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(mut it) => {
            let empty = it.next().is_none();
            empty || dir.join(MANIFEST).is_file()
        }
        Err(_) => false,
    }
}

/// A lowercase ASCII slug: letters, digits and '-', at most 40 characters, never empty.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let t = out.trim_matches('-');
    if t.is_empty() {
        "campaign".into()
    } else {
        t.into()
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_cannot_escape_the_folder() {
        for bad in ["../../etc/passwd", "/abs/path", "a\0b", "CON", "..", "双十一大促"] {
            let s = slug(bad);
            assert!(!s.contains('/') && !s.contains('\\') && !s.contains('\0') && !s.contains(".."), "{bad} -> {s}");
            assert!(!s.is_empty());
        }
        assert_eq!(slug("Double 11 — Sale!"), "double-11-sale");
    }
}
