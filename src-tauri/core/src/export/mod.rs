//! Export for upload: the approved variants of a campaign, written to a folder (and optionally
//! a zip inside it) ready for Google Ads Editor, Meta and IAB ad servers.
//!
//! Only variants with a currently valid approval are exported: status approved and the
//! approval's content hash equal to [`crate::review::content_hash`] of the variant as it is now. The
//! folder holds:
//! - one image per approved variant × placement of the chosen platforms, named
//!   `campaign_segment_variant_placement.ext` ([`names`]), each exactly its placement's pixel
//!   size and within its byte budget;
//! - `google_ads_editor.tsv`: Google Ads Editor's import file in Editor's own format —
//!   paused Display and Search campaigns per language, ad groups, one responsive display ad per
//!   approved variant, a responsive search ad per ad group, keywords, image assets ([`google`]);
//! - `meta_<ad set key>.json`: per ad set, the Marketing API request bodies (ad set targeting,
//!   one ad creative with an `asset_feed_spec` and one ad per variant), and `meta_images.csv`
//!   (what to upload first) unless images go by URL ([`meta`]);
//! - `audiences/`: per segment of the campaign's model, its users as a Google Customer Match
//!   user-id list and a Meta customer list, and a README ([`audiences`]);
//! - `manifest.json`: every file with SHA-256, size, placement, approvals, whether a figure
//!   given for it is simulated, and every variant key ([`manifest`]);
//! - `<campaign>.zip` of all the above when asked.
//!
//! Every ad carries UTM tracking (`utm_source`, `utm_medium`, `utm_campaign`, `utm_content` =
//! the variant's key, [`variant_key`]). Every column and field written is checked against the
//! platforms' reference formats ([`reference`]; a drift is an error).
//!
//! Everything is built and validated in memory first ([`validate`]): problems of error
//! severity abort with [`ExportError::Invalid`] carrying the full list, before anything is
//! written; warnings come back in [`ExportSummary::warnings`]. Writing is atomic ([`write`]).
//! Re-exporting unchanged data rewrites byte-identical files (no clock time in any file).
//!
//! The caller logs the export (audit): [`ExportSummary`] carries the campaign, folder, variant
//! ids and the manifest's SHA-256 for that.

pub mod audiences;
mod build;
mod collect;
mod folder;
pub mod google;
pub mod manifest;
pub mod meta;
pub mod names;
mod params;
pub mod reference;
pub mod validate;
mod write;

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::campaign;
use crate::error::{io_code, keyed, ErrorCode, HasCode, Keyed};
use crate::placements::Platform;
use crate::store::{now_text, Project};

pub use collect::Approval;
pub use manifest::{FileKind, Manifest, ManifestFile, VariantKey, MANIFEST};
pub use names::{variant_id_of_key, variant_key};
pub use params::{ExportParams, ValidExportParams, DEFAULT_DAILY_BUDGET, PARAM_KEYS};
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
    /// An export parameter other than the folder is not usable.
    #[error("{field}: {reason}")]
    BadParam { field: &'static str, reason: crate::error::KeyedText },
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
            ExportError::BadOutDir(_)
            | ExportError::BadParam { .. }
            | ExportError::Invalid(_)
            | ExportError::HoldsProject { .. }
            | ExportError::MinAudienceTooLow { .. }
            | ExportError::AllAudiencesRefused { .. } => ErrorCode::InvalidInput,
            ExportError::Write { source, .. } => io_code(source),
            ExportError::ActorRequired => ErrorCode::Forbidden,
            ExportError::Campaign(e) => e.code(),
            ExportError::Review(e) => e.code(),
            ExportError::Store(e) => crate::error::sqlite_code(e),
            ExportError::UnsafeName(_) => ErrorCode::Internal,
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            ExportError::NothingApproved(campaign) => keyed!("err.export.nothing_approved", campaign = campaign),
            ExportError::NotAnExportFolder { path } => keyed!("err.export.not_a_folder", path = path),
            ExportError::ForeignFiles { path, count, files } => keyed!("err.export.foreign_files", path = path, count = count, files = files.join(", ")),
            ExportError::HoldsProject { path, project } => keyed!("err.export.holds_project", path = path, project = project),
            ExportError::BadOutDir(path) => keyed!("err.export.bad_out_dir", path = path),
            ExportError::BadParam { field, reason } => keyed!("err.export.bad_param", field = field, reason = reason).nesting(&reason.keyed),
            ExportError::Invalid(problems) => keyed!("err.export.invalid", count = problems.len()),
            ExportError::MinAudienceTooLow { given, floor } => keyed!("err.export.min_audience_too_low", given = given, floor = floor),
            ExportError::AllAudiencesRefused { campaign_id, min_audience, .. } => keyed!("err.export.all_audiences_refused", campaign = campaign_id, min = min_audience),
            ExportError::ActorRequired => keyed!("err.export.actor_required"),
            ExportError::Write { path, source } => keyed!("err.export.write", path = path, detail = source),
            ExportError::Campaign(e) => return e.keyed(),
            ExportError::Review(e) => return e.keyed(),
            ExportError::UnsafeName(_) | ExportError::Store(_) => return None,
        })
    }
}

/// The message keys [`ExportError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &[
    "err.export.nothing_approved",
    "err.export.not_a_folder",
    "err.export.foreign_files",
    "err.export.holds_project",
    "err.export.bad_out_dir",
    "err.export.bad_param",
    "err.export.invalid",
    "err.export.min_audience_too_low",
    "err.export.all_audiences_refused",
    "err.export.actor_required",
    "err.export.write",
];

impl ExportError {
    /// The validation problems behind an [`ExportError::Invalid`] (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ExportError::Invalid(p) => p,
            _ => &[],
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
    /// Per exported platform, the columns/fields checked against its reference format.
    pub formats: Vec<FormatCheck>,
}

/// One platform's format check: how many distinct columns/fields were checked against the
/// reference and which are not in it (each also an error [`Problem`] of rule `format_drift`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormatCheck {
    pub platform: Platform,
    /// The reference checked against.
    pub reference: String,
    pub checked: u32,
    /// `file: column or JSON path` of everything not in the reference.
    pub unknown: Vec<String>,
}

/// Validate an export without writing anything: every problem, and the files it would write.
///
/// Errors: campaign not found, nothing approved, store.
pub fn preview(project: &Project, params: &ValidExportParams) -> Result<ExportPreview, ExportError> {
    let b = build::build(project, params)?;
    let mut files: Vec<String> = b.bundle.variants.iter().flat_map(|a| a.images.iter().map(|i| i.name.clone())).collect();
    files.extend(b.texts.iter().map(|t| t.name.clone()));
    files.push(MANIFEST.into());
    if params.zip {
        files.push(names::zip_file(&b.bundle.campaign.name));
    }
    files.sort();
    Ok(ExportPreview { problems: b.problems, files, variants: b.bundle.variants.len() as u32, skipped: b.bundle.skipped, formats: b.formats })
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
    let build::Built { bundle, texts, manifest, simulated, problems, .. } = build::build(project, params)?;
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
