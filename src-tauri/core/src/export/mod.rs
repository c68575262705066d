//! Export for upload: the approved variants of a campaign, written to a folder (and optionally
//! a zip inside it) ready for Google Ads Editor, Meta and IAB ad servers.
//!
//! Only variants with a currently valid approval are exported: status approved and the
//! approval's content hash equal to [`crate::review::content_hash`] of the variant as it is now. The
//! folder holds:
//! - one image per approved variant × placement of the chosen platforms, named
//!   `campaign_segment_variant_placement.ext` ([`names`]), each exactly its placement's pixel
//!   size and within its byte budget;
//! - `google_ads_editor.csv` (responsive display ads) and `google_ads_editor_search.csv`
//!   (responsive search ads), one row per ad group = segment + language ([`google`]);
//! - `meta_asset_feed.json` (`asset_feed_spec`-style, one per ad set) and `meta_ads.csv`
//!   (flat) ([`meta`]);
//! - `audiences/`: per segment of the campaign's model, its users as a Google Customer Match
//!   user-id list and a Meta customer list, and a README ([`audiences`]);
//! - `manifest.json`: every file with SHA-256, size, placement, approvals, and whether a figure
//!   given for it is simulated ([`manifest`]);
//! - `<campaign>.zip` of all the above when asked.
//!
//! Everything is built and validated in memory first ([`validate`]): problems of error
//! severity abort with [`ExportError::Invalid`] carrying the full list, before anything is
//! written; warnings come back in [`ExportSummary::warnings`]. Writing is atomic ([`write`]).
//! Re-exporting unchanged data rewrites byte-identical files (no clock time in any file).
//!
//! The caller logs the export (audit): [`ExportSummary`] carries the campaign, folder, variant
//! ids and the manifest's SHA-256 for that.

pub mod audiences;
mod collect;
mod folder;
pub mod google;
pub mod key;
pub mod manifest;
pub mod meta;
pub mod names;
pub mod validate;
mod write;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::campaign;
use crate::error::{io_code, ErrorCode, HasCode};
use crate::placements::Platform;
use crate::store::{now_text, Project};

pub use collect::Approval;
pub use manifest::{FileKind, Manifest, ManifestFile, MANIFEST};
pub use validate::{Problem, Rule, Severity};

/// Export errors.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("nothing to export: campaign {0} has no currently approved variants")]
    NothingApproved(i64),
    #[error("{path} exists and is not a folder; choose an empty or new folder")]
    NotAnExportFolder { path: String },
    /// The folder holds entries this studio did not write there (or that changed since).
    #[error("{path} holds {count} item(s) that this studio did not write there or that changed since: {}{}; nothing was changed — choose an empty or new folder, or move them away", files.join(", "), if *count > files.len() { ", …" } else { "" })]
    ForeignFiles { path: String, count: usize, files: Vec<String> },
    /// The folder is, or contains, the open project's file.
    #[error("refusing to export into {path}: it holds the project file {project}; choose another folder")]
    HoldsProject { path: String, project: String },
    #[error("export folder {0:?} is not usable: give a folder path that ends in a folder name")]
    BadOutDir(String),
    #[error("export blocked by {} problem(s); first: {}", .0.len(), .0.first().map(|p| p.message.as_str()).unwrap_or(""))]
    Invalid(Vec<Problem>),
    #[error("--min-audience {given} is below {floor}: a list that small could single people out")]
    MinAudienceTooLow { given: u32, floor: u32 },
    /// Every segment of the campaign is under the minimum audience: nothing is written.
    #[error("no audience of campaign {campaign_id} is written: every segment is under the minimum audience of {min_audience} users ({})", refused.join("; "))]
    AllAudiencesRefused { campaign_id: i64, min_audience: u32, refused: Vec<String> },
    /// A project with profiles needs an acting profile to export audiences.
    #[error("this project has profiles: say who exports the audiences (a marketer or an admin)")]
    ActorRequired,
    #[error("refusing to write {0:?}: not a single plain file name")]
    UnsafeName(String),
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error(transparent)]
    Campaign(#[from] campaign::CampaignError),
    #[error("export store error: {0}")]
    Store(#[from] rusqlite::Error),
    /// The acting profile may not export (see [`export_as`]).
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
}

impl HasCode for ExportError {
    fn code(&self) -> ErrorCode {
        match self {
            ExportError::NothingApproved(_) | ExportError::NotAnExportFolder { .. } | ExportError::ForeignFiles { .. } => ErrorCode::Conflict,
            ExportError::BadOutDir(_) | ExportError::Invalid(_) | ExportError::HoldsProject { .. } | ExportError::MinAudienceTooLow { .. } | ExportError::AllAudiencesRefused { .. } => {
                ErrorCode::InvalidInput
            }
            ExportError::Write { source, .. } => io_code(source),
            ExportError::ActorRequired => ErrorCode::Forbidden,
            ExportError::Campaign(e) => e.code(),
            ExportError::Review(e) => e.code(),
            ExportError::Store(e) => crate::error::sqlite_code(e),
            ExportError::UnsafeName(_) => ErrorCode::Internal,
        }
    }
}

impl ExportError {
    /// The validation problems behind an [`ExportError::Invalid`] (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ExportError::Invalid(p) => p,
            _ => &[],
        }
    }
}

/// What to export, as asked for; [`ExportParams::check`] validates it once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportParams {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// The export folder: created, or replaced when it holds a previous export.
    pub out_dir: String,
    /// Also write `<campaign>.zip` of every file into the folder.
    #[serde(default)]
    pub zip: bool,
    /// Platforms to export for; empty: every platform among the campaign's placements.
    #[serde(default)]
    pub platforms: Vec<Platform>,
}

/// Parameters that passed [`ExportParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidExportParams {
    pub campaign_id: i64,
    pub out_dir: PathBuf,
    pub zip: bool,
    pub platforms: Vec<Platform>,
}

impl ExportParams {
    /// Validate: the folder path is non-empty, has no NUL, and ends in a folder name (not `/`,
    /// `.` or `..`); platforms are deduplicated.
    ///
    /// Errors: [`ExportError::BadOutDir`].
    pub fn check(self) -> Result<ValidExportParams, ExportError> {
        let bad = || ExportError::BadOutDir(self.out_dir.clone());
        if self.out_dir.trim().is_empty() || self.out_dir.contains('\0') {
            return Err(bad());
        }
        let out_dir = PathBuf::from(&self.out_dir);
        if !matches!(out_dir.components().next_back(), Some(std::path::Component::Normal(_))) {
            return Err(bad());
        }
        let mut platforms = self.platforms;
        platforms.sort_by_key(|p| *p as u8);
        platforms.dedup();
        Ok(ValidExportParams { campaign_id: self.campaign_id, out_dir, zip: self.zip, platforms })
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

/// Variants left out, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    /// Draft (never approved, or edited since and so back to draft).
    pub not_approved: u32,
    /// Approved, but the content changed since (hash mismatch).
    pub stale_approval: u32,
}

/// What an export wrote — enough for the caller to log it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportSummary {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// The export folder.
    pub dir: String,
    /// Every file in the folder, by name (images, CSV/JSON, `manifest.json`, the zip).
    pub files: Vec<ExportedFile>,
    /// Approved variants exported.
    pub variants: u32,
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub variant_ids: Vec<i64>,
    pub skipped: Skipped,
    /// Problems of warning severity (errors abort the export).
    pub warnings: Vec<Problem>,
    /// The zip's file name inside `dir`, when one was written.
    pub zip: Option<String>,
    /// SHA-256 of `manifest.json`: identifies the export's content (e.g. for the audit log).
    pub manifest_sha256: String,
    /// Whether the manifest carries simulated figures.
    pub contains_simulated: bool,
    /// Whether a previous export in `dir` was replaced.
    pub replaced_previous: bool,
}

/// What an export would write, without writing: problems (errors and warnings) and file names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportPreview {
    pub problems: Vec<Problem>,
    pub files: Vec<String>,
    pub variants: u32,
    pub skipped: Skipped,
}

/// Everything an export writes, built and validated in memory.
struct Built {
    bundle: collect::Bundle,
    texts: Vec<manifest::TextFile>,
    manifest: Vec<u8>,
    simulated: bool,
    problems: Vec<Problem>,
}

fn build(project: &Project, params: &ValidExportParams) -> Result<Built, ExportError> {
    let (bundle, mut problems) = collect::collect(project, params)?;
    problems.extend(validate::images(&bundle));
    let mut texts = Vec::new();
    if bundle.has(Platform::Google) {
        for (name, bytes, variant_ids) in google::build(&bundle, &mut problems) {
            let kind = if name == google::DISPLAY_CSV { FileKind::GoogleDisplayCsv } else { FileKind::GoogleSearchCsv };
            texts.push(manifest::TextFile { name: name.into(), kind, bytes, variant_ids, segment: None, rows: None });
        }
    }
    if bundle.has(Platform::Meta) {
        for (name, bytes, variant_ids) in meta::build(&bundle, &mut problems) {
            let kind = if name == meta::FEED_JSON { FileKind::MetaAssetFeedJson } else { FileKind::MetaAdsCsv };
            texts.push(manifest::TextFile { name: name.into(), kind, bytes, variant_ids, segment: None, rows: None });
        }
    }
    let audiences = audiences::for_export(project, &bundle, &mut texts, &mut problems)?;
    let mut m = manifest::build(&bundle, &texts);
    audiences::note(&mut m, audiences);
    Ok(Built { simulated: m.contains_simulated_figures, manifest: manifest::to_bytes(&m), bundle, texts, problems })
}

/// Validate an export without writing anything: every problem, and the files it would write.
///
/// Errors: campaign not found, nothing approved, store.
pub fn preview(project: &Project, params: &ValidExportParams) -> Result<ExportPreview, ExportError> {
    let b = build(project, params)?;
    let mut files: Vec<String> = b.bundle.variants.iter().flat_map(|a| a.images.iter().map(|i| i.name.clone())).collect();
    files.extend(b.texts.iter().map(|t| t.name.clone()));
    files.push(MANIFEST.into());
    if params.zip {
        files.push(names::zip_file(&b.bundle.campaign.name));
    }
    files.sort();
    Ok(ExportPreview { problems: b.problems, files, variants: b.bundle.variants.len() as u32, skipped: b.bundle.skipped })
}

/// Export the currently approved variants of `params.campaign_id` into `params.out_dir`.
///
/// Errors: `NotFound` (campaign), `Conflict` (nothing approved; the folder holds something
/// other than a previous export), `InvalidInput` ([`ExportError::Invalid`] with every
/// error-severity problem — nothing is written), `Io` (the previous export stays intact).
pub fn export(project: &Project, params: &ValidExportParams) -> Result<ExportSummary, ExportError> {
    export_with(project, params, &mut |_| Ok(()))
}

/// [`export`] as `actor`: refused with `forbidden` unless the actor's role may export
/// (marketers and admins); on success the export is appended to the audit log (the campaign,
/// the folder, how many files, and the manifest's SHA-256 as the after-hash).
/// Errors: as [`export`], and `forbidden`.
pub fn export_as(project: &Project, actor: &crate::review::Actor, params: &ValidExportParams) -> Result<ExportSummary, ExportError> {
    let actor = crate::review::authorize(project, actor, crate::review::Action::Export)?;
    let summary = export(project, params)?;
    let detail = format!("{} files, {} variants to {}{}", summary.files.len(), summary.variants, summary.dir, if summary.zip.is_some() { " (+zip)" } else { "" });
    crate::review::audit::record(
        project.conn(),
        &crate::review::audit::AuditRecord {
            actor: &actor,
            action: crate::review::audit::AuditAction::Export,
            entity: crate::review::audit::AuditEntity::Campaign,
            entity_id: summary.campaign_id,
            before_hash: None,
            after_hash: Some(&summary.manifest_sha256),
            detail: &detail,
        },
    )?;
    Ok(summary)
}

/// [`export`] with a hook at each write step (tests inject failures through it).
fn export_with(project: &Project, params: &ValidExportParams, hook: &mut dyn FnMut(write::Step) -> std::io::Result<()>) -> Result<ExportSummary, ExportError> {
    // Refuse a folder holding anything but a previous export before building anything.
    folder::survey(&params.out_dir, project.path())?;
    let Built { bundle, texts, manifest, simulated, problems } = build(project, params)?;
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) = problems.into_iter().partition(Problem::is_error);
    if !errors.is_empty() {
        return Err(ExportError::Invalid(errors));
    }
    let mut files: Vec<(&str, &[u8])> = bundle.variants.iter().flat_map(|a| a.images.iter().map(|i| (i.name.as_str(), i.bytes.as_slice()))).collect();
    files.extend(texts.iter().map(|t| (t.name.as_str(), t.bytes.as_slice())));
    files.push((MANIFEST, &manifest));
    files.sort_by_key(|f| f.0);
    let zip_name = params.zip.then(|| names::zip_file(&bundle.campaign.name));
    let written = write::write_folder(&params.out_dir, project.path(), &files, zip_name.as_deref(), hook)?;
    let mut listed: Vec<ExportedFile> = files.iter().map(|(name, bytes)| ExportedFile { name: name.to_string(), bytes: bytes.len() as u64, sha256: manifest::sha256(bytes) }).collect();
    if let Some((name, bytes)) = &written.zip {
        listed.push(ExportedFile { name: name.clone(), bytes: bytes.len() as u64, sha256: manifest::sha256(bytes) });
    }
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    let dir = params.out_dir.display().to_string();
    let manifest_sha256 = manifest::sha256(&manifest);
    project.conn().execute(
        "INSERT INTO exports(campaign_id,out_dir,created_at,files,manifest) VALUES (?1,?2,?3,?4,?5)",
        rusqlite::params![bundle.campaign.id, dir, now_text(), listed.len() as i64, String::from_utf8_lossy(&manifest)],
    )?;
    Ok(ExportSummary {
        campaign_id: bundle.campaign.id,
        dir,
        files: listed,
        variants: bundle.variants.len() as u32,
        variant_ids: bundle.variants.iter().map(|a| a.variant.id).collect(),
        skipped: bundle.skipped,
        warnings,
        zip: written.zip.map(|z| z.0),
        manifest_sha256,
        contains_simulated: simulated,
        replaced_previous: written.replaced,
    })
}

/// Check, without writing, that `out_dir` may receive an export of `project` (see
/// [`folder`]'s rules: missing, empty, or an unchanged previous export; never around the
/// project file). Callers that do other work before exporting (e.g. `studio demo`) ask first.
///
/// Errors: `HoldsProject`, `NotAnExportFolder`, `ForeignFiles`, `Write`.
pub fn check_out_dir(out_dir: &Path, project: Option<&Path>) -> Result<(), ExportError> {
    folder::survey(out_dir, project).map(|_| ())
}

#[cfg(test)]
mod tests;
