//! Audiences per segment: the user ids of each segment of a campaign's segment model, as the
//! customer lists Google and Meta take for targeting those people with that segment's ads.
//!
//! Per segment, keyed `seg<label>-<name slug>` ([`names::segment_part`]):
//! - `<key>_google.csv`: a Google Ads Customer Match list of the "User ID" kind (upload key type
//!   `CRM_ID`: "members are matched from a user id generated and assigned by the advertiser",
//!   Google Ads API `CustomerMatchUploadKeyType`), one column headed `User ID` as in the
//!   Customer Match "User ID" upload template of the Google Ads help;
//! - `<key>_meta.csv`: a Meta Custom Audience customer list with the identifier `EXTERN_ID`
//!   (the advertiser's own user id, Marketing API "Customer File Custom Audiences"), one
//!   column headed `extern_id`;
//! - `README.md`: what each file is, its row count, the segments refused and why, and, when
//!   ids are pseudonyms, how the shop recomputes them.
//!
//! A segment with fewer than the minimum audience (default [`DEFAULT_MIN_AUDIENCE`], never
//! below [`MIN_AUDIENCE_FLOOR`]) is refused by name with the reason, and no list of it is
//! written: a list that small could single people out (both platforms also refuse to serve
//! lists under about 100 matched people). Ids are sorted and written once; the bytes depend
//! only on the stored segments, so re-exporting unchanged data is byte-identical.
//!
//! Pseudonyms: a project imported with pseudonymisation stores `p_` + the first 8 bytes (16
//! hex digits) of HMAC-SHA256(project key, original user id) ([`crate::ingest::privacy`]);
//! those are exported as they are, and the README tells the shop how to compute the same value
//! from its own ids (its tag must send the same value, as `user_id` to Google and
//! `external_id` to Meta, for the lists to match). The key is never exported.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::collect::Bundle;
use super::manifest::{self, FileKind, Manifest, TextFile};
use super::validate::{Problem, Rule, Severity};
use super::{folder, names, write, ExportError, ExportParams, ExportedFile};
use crate::campaign;
use crate::placements::Platform;
use crate::store::Project;

/// The default smallest audience written (users per segment).
pub const DEFAULT_MIN_AUDIENCE: u32 = 100;
/// No minimum below this is accepted: smaller lists could single people out.
pub const MIN_AUDIENCE_FLOOR: u32 = 20;
/// The folder of the audiences inside an export.
pub const DIR: &str = "audiences";
/// The README's file name.
pub const README: &str = "README.md";
/// Header of the Google Customer Match user-id list.
pub const GOOGLE_HEADER: &str = "User ID";
/// Header of the Meta customer list (identifier `EXTERN_ID`).
pub const META_HEADER: &str = "extern_id";

/// One segment's audience, written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Audience {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub label: u32,
    pub segment: String,
    /// `seg<label>-<name slug>`: the files' name stem.
    pub key: String,
    /// Users in the segment = data rows of each file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub users: u64,
    pub google_file: String,
    pub meta_file: String,
}

/// A segment whose audience was refused (not written), and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefusedAudience {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub label: u32,
    pub segment: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub users: u64,
    pub reason: String,
}

/// The audiences of a campaign, built in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct AudienceSet {
    pub campaign_id: i64,
    pub min_audience: u32,
    pub audiences: Vec<Audience>,
    pub refused: Vec<RefusedAudience>,
    /// Ids written that are pseudonyms (`p_` + 16 hex digits).
    pub pseudonymised_ids: u64,
    /// Files to write (name with `prefix`, bytes, rows or `None` for the README).
    pub files: Vec<(String, Vec<u8>, Option<u64>)>,
}

/// Whether `id` has the form of a stored pseudonym.
pub fn is_pseudonym(id: &str) -> bool {
    id.len() == 18 && id.starts_with("p_") && id[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A one-column list; cells go through [`crate::csv_cell::write_row`] like every CSV the studio
/// writes (an id starting with `=`, `+`, `-` or `@` that is not a number gets a leading `'`).
fn list(header: &str, ids: &[String]) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = crate::csv_cell::write_row(&mut w, [header]);
    for id in ids {
        let _ = crate::csv_cell::write_row(&mut w, [id.as_str()]);
    }
    w.into_inner().unwrap_or_default()
}

/// Build the audiences of campaign `campaign_id` with file names prefixed by `prefix` (`""`
/// or `"audiences/"`), refusing segments under `min_audience` users.
///
/// Errors: campaign not found, store.
pub fn build(project: &Project, campaign_id: i64, min_audience: u32, prefix: &str) -> Result<AudienceSet, ExportError> {
    let c = campaign::get(project, campaign_id)?;
    let conn = project.conn();
    let mut stmt = conn.prepare("SELECT s.id, s.label, s.name_en FROM segments s WHERE s.model_id = (SELECT model_id FROM campaigns WHERE id = ?1) ORDER BY s.label")?;
    let segments: Vec<(i64, u32, String)> = stmt.query_map([c.id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u32, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut members = conn.prepare("SELECT user_id FROM user_segments WHERE segment_id = ?1 ORDER BY user_id")?;
    let mut set = AudienceSet { campaign_id: c.id, min_audience, audiences: Vec::new(), refused: Vec::new(), pseudonymised_ids: 0, files: Vec::new() };
    for (segment_id, label, name) in segments {
        let mut ids: Vec<String> = members.query_map([segment_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.dedup();
        let users = ids.len() as u64;
        if users < u64::from(min_audience) {
            let reason = format!("segment {label} {name:?} has {users} users, under the minimum audience of {min_audience}: a list that small could single people out, so none is written");
            set.refused.push(RefusedAudience { segment_id, label, segment: name, users, reason });
            continue;
        }
        set.pseudonymised_ids += ids.iter().filter(|i| is_pseudonym(i)).count() as u64;
        let key = names::segment_part(label, &name);
        let (google_file, meta_file) = (format!("{key}_google.csv"), format!("{key}_meta.csv"));
        set.files.push((format!("{prefix}{google_file}"), list(GOOGLE_HEADER, &ids), Some(users)));
        set.files.push((format!("{prefix}{meta_file}"), list(META_HEADER, &ids), Some(users)));
        set.audiences.push(Audience { segment_id, label, segment: name, key, users, google_file, meta_file });
    }
    let readme = readme(&c.name, &set);
    set.files.push((format!("{prefix}{README}"), readme.into_bytes(), None));
    Ok(set)
}

fn readme(campaign: &str, set: &AudienceSet) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Audiences of campaign {} ({campaign})\n", set.campaign_id);
    let _ = writeln!(s, "One customer list per segment of the campaign's segment model, in two upload formats:\n");
    let _ = writeln!(s, "- `*_google.csv`: Google Ads Customer Match, list type \"User ID\" (column `{GOOGLE_HEADER}`; upload key type CRM_ID).");
    let _ = writeln!(s, "- `*_meta.csv`: Meta Custom Audience from a customer list, identifier EXTERN_ID (column `{META_HEADER}`).\n");
    let _ = writeln!(s, "Both match only people whose id the shop's site also sends to the platform (Google tag `user_id`, Meta Pixel `external_id`).\n");
    let _ = writeln!(s, "| segment | users (rows per file) | Google file | Meta file |\n|---|---|---|---|");
    for a in &set.audiences {
        let _ = writeln!(s, "| {} {} | {} | {} | {} |", a.label, a.segment.replace('|', "/"), a.users, a.google_file, a.meta_file);
    }
    let _ = writeln!(s, "\nMinimum audience: {} users. A smaller segment is refused, so no list can single people out.", set.min_audience);
    if !set.refused.is_empty() {
        let _ = writeln!(s, "\nRefused segments (no list written):\n");
        for r in &set.refused {
            let _ = writeln!(s, "- {}", r.reason);
        }
    }
    if set.pseudonymised_ids > 0 {
        let _ = writeln!(s, "\n## Pseudonymised ids\n");
        let _ = writeln!(
            s,
            "{} of the ids are pseudonyms: the project was imported with pseudonymisation, so it holds no original user id. \
             For the lists to match, the shop's site must send the same pseudonym of each signed-in user. It is computed as\n\n\
             `\"p_\" + hex(HMAC-SHA256(key, user_id))[0..16]`\n\n\
             that is: HMAC-SHA256 (RFC 2104) of the original user id (UTF-8 bytes) under the project's 32-byte key, first 8 bytes \
             of the digest as 16 lowercase hex digits, prefixed `p_`. The key is not in this export: the project holds it \
             (SQLite table `project_meta`, key `pseudonym_key`, 64 hex digits); hand it to the shop over a secure channel.",
            set.pseudonymised_ids
        );
    }
    s
}

/// The manifest entries of `set`'s files.
fn text_files(set: &AudienceSet) -> Vec<TextFile> {
    let segment_of = |name: &str| set.audiences.iter().find(|a| name.ends_with(&a.google_file) || name.ends_with(&a.meta_file)).map(|a| a.segment.clone());
    let kind = |name: &str| match name {
        n if n.ends_with("_google.csv") => FileKind::GoogleAudienceCsv,
        n if n.ends_with("_meta.csv") => FileKind::MetaAudienceCsv,
        _ => FileKind::AudienceReadme,
    };
    set.files.iter().map(|(name, bytes, rows)| TextFile { name: name.clone(), kind: kind(name), bytes: bytes.clone(), variant_ids: Vec::new(), segment: segment_of(name), rows: *rows }).collect()
}

/// The export's part: `audiences/` with the default minimum, the lists of the platforms
/// exported (none for an IAB-only export). A refused segment is a warning (the ads are
/// exported all the same); the files are added to `texts`.
/// Errors: campaign not found, store.
pub(super) fn for_export(project: &Project, bundle: &Bundle, texts: &mut Vec<TextFile>, problems: &mut Vec<Problem>) -> Result<AudienceSet, ExportError> {
    let (google, meta) = (bundle.has(Platform::Google), bundle.has(Platform::Meta));
    let mut set = build(project, bundle.campaign.id, DEFAULT_MIN_AUDIENCE, &format!("{DIR}/"))?;
    if !google && !meta {
        set.files.clear();
        set.refused.clear();
        return Ok(set);
    }
    set.files.retain(|(n, _, _)| (google || !n.ends_with("_google.csv")) && (meta || !n.ends_with("_meta.csv")));
    for r in &set.refused {
        problems.push(
            Problem::new(Severity::Warning, Rule::AudienceTooSmall, r.reason.clone()).file(&format!("{DIR}/")).field("users").value(r.users.to_string(), format!("at least {}", set.min_audience)),
        );
    }
    texts.extend(text_files(&set));
    Ok(set)
}

/// Record `set`'s minimum and refused segments in the manifest.
pub(super) fn note(m: &mut Manifest, set: AudienceSet) {
    m.min_audience = Some(set.min_audience);
    m.audiences_refused = set.refused;
}

/// What `studio audiences` asks for; [`AudienceParams::check`] validates it once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudienceParams {
    pub campaign_id: i64,
    /// The folder: created, or replaced when it holds a previous audiences export.
    pub out_dir: String,
    /// Smallest audience written; `None`: [`DEFAULT_MIN_AUDIENCE`].
    pub min_audience: Option<u32>,
}

/// Parameters that passed [`AudienceParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAudienceParams {
    pub campaign_id: i64,
    pub out_dir: PathBuf,
    pub min_audience: u32,
}

impl AudienceParams {
    /// Validate: the folder as for an export ([`ExportParams::check`]); the minimum at least
    /// [`MIN_AUDIENCE_FLOOR`].
    /// Errors: [`ExportError::BadOutDir`], [`ExportError::MinAudienceTooLow`].
    pub fn check(self) -> Result<ValidAudienceParams, ExportError> {
        let min_audience = self.min_audience.unwrap_or(DEFAULT_MIN_AUDIENCE);
        if min_audience < MIN_AUDIENCE_FLOOR {
            return Err(ExportError::MinAudienceTooLow { given: min_audience, floor: MIN_AUDIENCE_FLOOR });
        }
        let dir = ExportParams { campaign_id: self.campaign_id, out_dir: self.out_dir, zip: false, platforms: Vec::new(), asset_base_url: None, daily_budget: None }.check()?;
        Ok(ValidAudienceParams { campaign_id: self.campaign_id, out_dir: dir.out_dir, min_audience })
    }
}

/// What [`export_audiences`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceSummary {
    pub campaign_id: i64,
    pub dir: String,
    pub min_audience: u32,
    pub audiences: Vec<Audience>,
    /// Segments refused by name, with the reason; nothing of them is written.
    pub refused: Vec<RefusedAudience>,
    pub pseudonymised_ids: u64,
    /// Every file written (the lists, README.md, manifest.json).
    pub files: Vec<ExportedFile>,
    pub replaced_previous: bool,
}

/// Write the audiences of `params.campaign_id` into `params.out_dir` (its top level: the lists,
/// `README.md` and a `manifest.json` listing them with row counts), atomically, as an export
/// is written: the folder must be missing, empty, or a previous export left unchanged.
///
/// Errors: campaign not found; [`ExportError::AllAudiencesRefused`] (`invalid_input`) when
/// every segment is under the minimum — nothing is written; the folder errors of an export;
/// `Write`; store.
pub fn export_audiences(project: &Project, params: &ValidAudienceParams) -> Result<AudienceSummary, ExportError> {
    folder::survey(&params.out_dir, project.path())?;
    let set = build(project, params.campaign_id, params.min_audience, "")?;
    if set.audiences.is_empty() {
        return Err(ExportError::AllAudiencesRefused { campaign_id: set.campaign_id, min_audience: set.min_audience, refused: set.refused.iter().map(|r| r.reason.clone()).collect() });
    }
    let c = campaign::get(project, params.campaign_id)?;
    let mut m = Manifest {
        format: manifest::FORMAT.into(),
        version: manifest::VERSION,
        studio_version: crate::VERSION.into(),
        campaign_id: c.id,
        campaign: c.name.clone(),
        landing_url: c.landing_url.clone(),
        business_name: c.business_name.clone(),
        platforms: vec![Platform::Google, Platform::Meta],
        latest_approval_at: String::new(),
        contains_simulated_figures: false,
        note: "audiences only: the user ids of each segment; no ads".into(),
        variants_exported: 0,
        skipped_not_approved: 0,
        skipped_stale_approval: 0,
        variant_keys: Vec::new(),
        min_audience: None,
        audiences_refused: Vec::new(),
        files: Vec::new(),
    };
    m.files = manifest::text_entries(&text_files(&set));
    let summary_files: Vec<(String, Vec<u8>)> = set.files.iter().map(|(n, b, _)| (n.clone(), b.clone())).collect();
    let (audiences, pseudonymised_ids) = (set.audiences.clone(), set.pseudonymised_ids);
    note(&mut m, set);
    let refused = m.audiences_refused.clone();
    let manifest_bytes = manifest::to_bytes(&m);
    let mut files: Vec<(&str, &[u8])> = summary_files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    files.push((manifest::MANIFEST, &manifest_bytes));
    files.sort_by_key(|f| f.0);
    let written = write::write_folder(&params.out_dir, project.path(), &files, None, &mut |_| Ok(()))?;
    let listed = files.iter().map(|(name, bytes)| ExportedFile { name: name.to_string(), bytes: bytes.len() as u64, sha256: manifest::sha256(bytes) }).collect();
    Ok(AudienceSummary {
        campaign_id: params.campaign_id,
        dir: params.out_dir.display().to_string(),
        min_audience: params.min_audience,
        audiences,
        refused,
        pseudonymised_ids,
        files: listed,
        replaced_previous: written.replaced,
    })
}

/// [`export_audiences`] as `actor` (authorised as for an export: marketers and admins), and
/// appended to the audit log (action `export`, the campaign, the folder, lists and users, the
/// manifest's SHA-256 as after-hash): a list of people leaves the studio. A project without
/// profiles accepts `None` (logged as [`crate::review::audit::NO_PROFILE`]); once it has
/// profiles an actor is required.
/// Errors: as [`export_audiences`]; `forbidden` (no or a refused actor).
pub fn export_audiences_as(project: &Project, actor: Option<&crate::review::Actor>, params: &ValidAudienceParams) -> Result<AudienceSummary, ExportError> {
    use crate::review::audit::{self, AuditAction, AuditEntity, AuditRecord};
    let actor = match actor {
        Some(a) => Some(crate::review::authorize(project, a, crate::review::Action::Export)?),
        None if crate::review::profiles::any(project)? => return Err(ExportError::ActorRequired),
        None => None,
    };
    let s = export_audiences(project, params)?;
    let users: u64 = s.audiences.iter().map(|a| a.users).sum();
    let detail = format!("audiences: {} segment list(s) of {users} users to {} ({} refused)", s.audiences.len(), s.dir, s.refused.len());
    let after = s.files.iter().find(|f| f.name == manifest::MANIFEST).map(|f| f.sha256.clone()).unwrap_or_default();
    match &actor {
        Some(actor) => audit::record(
            project.conn(),
            &AuditRecord { actor, action: AuditAction::Export, entity: AuditEntity::Campaign, entity_id: s.campaign_id, before_hash: None, after_hash: Some(&after), detail: &detail },
        )?,
        None => audit::record_without_profile(project.conn(), AuditAction::Export, AuditEntity::Campaign, s.campaign_id, None, &detail)?,
    };
    Ok(s)
}
