//! `manifest.json`: every exported file with its SHA-256, size, placement, the approvals
//! behind it (who, when, content hash), and whether a figure given for it is simulated.
//!
//! Deterministic: re-exporting unchanged data gives the same bytes. It holds no clock time; the
//! only times are approval times, and `latest_approval_at` (the newest of them) stands where a
//! "generated at" would, so the manifest changes exactly when what was approved does. The zip
//! archive (if any) and the manifest itself are not listed (the zip is built from the listed
//! files plus the manifest).
//!
//! The manifest is also where the studio's own metadata lives (the platform files hold only
//! what the platforms define): `variant_keys` maps every key used as an ad name or
//! `utm_content` back to its variant, segment, language and ad group.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audiences::RefusedAudience;
use super::collect::{Approval, Bundle};
use crate::placements::Platform;

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The manifest's format tag.
pub const FORMAT: &str = "creative-studio-export";
/// The manifest's format version.
pub const VERSION: u32 = 2;

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Image,
    /// `google_ads_editor.tsv`.
    GoogleAdsEditorTsv,
    /// `meta_<ad set key>.json`: one ad set's Marketing API request bodies.
    MetaAdSetJson,
    /// `meta_images.csv`: the images to upload to Meta first, with their hash placeholders.
    MetaImagesCsv,
    /// A segment's Google Customer Match user-id list (`audiences/`).
    GoogleAudienceCsv,
    /// A segment's Meta Custom Audience customer list, `EXTERN_ID` (`audiences/`).
    MetaAudienceCsv,
    /// `audiences/README.md`.
    AudienceReadme,
}

/// What a key in the platform files stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantKey {
    /// [`super::names::variant_key`]: Meta ad and creative name, `utm_content` of its ads.
    pub key: String,
    pub variant_id: i64,
    pub segment_label: u32,
    pub segment: String,
    pub lang: String,
    /// The ad group / ad set key (`utm_content` of the Google search ad pooling the group).
    pub ad_group_key: String,
    /// The Google ad group / Meta ad set name.
    pub ad_group: String,
}

/// The manifest, as written (and read back by tests and tools).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// The studio that wrote the export ([`crate::VERSION`]); empty in manifests written before it was recorded.
    #[serde(default)]
    pub studio_version: String,
    pub campaign_id: i64,
    pub campaign: String,
    pub landing_url: String,
    pub business_name: String,
    pub platforms: Vec<Platform>,
    /// The newest approval time among the exported variants (stands in for "generated at").
    pub latest_approval_at: String,
    /// Whether any figure in this manifest is simulated (the studio's CTRs all are).
    pub contains_simulated_figures: bool,
    pub note: String,
    pub variants_exported: u32,
    pub skipped_not_approved: u32,
    pub skipped_stale_approval: u32,
    /// Every exported variant's key (see [`VariantKey`]).
    #[serde(default)]
    pub variant_keys: Vec<VariantKey>,
    /// The smallest audience written (users), when audiences were exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_audience: Option<u32>,
    /// Segments whose audience was refused (too few users), with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences_refused: Vec<RefusedAudience>,
    pub files: Vec<ManifestFile>,
}

/// One exported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub kind: FileKind,
    pub sha256: String,
    pub bytes: u64,
    pub platform: Option<Platform>,
    pub placement: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub max_bytes: Option<u64>,
    pub variant_id: Option<i64>,
    pub segment: Option<String>,
    pub lang: Option<String>,
    /// The approvals of every variant whose content the file holds.
    pub approvals: Vec<Approval>,
    /// The variant's CTR from the studio's simulated serving, if a run exists.
    pub simulated_ctr: Option<f64>,
    /// Whether a figure given for this file (its CTR) is simulated.
    pub simulated: bool,
    /// Data rows (users) of an audience list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
}

/// A text file to write and list: name, kind, bytes, ids of the variants it holds, and for
/// an audience list its segment and rows.
pub(super) struct TextFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
    pub variant_ids: Vec<i64>,
    pub segment: Option<String>,
    pub rows: Option<u64>,
}

/// Hex SHA-256.
pub(super) fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The manifest of `bundle`'s images and `texts`, files sorted by name.
pub(super) fn build(bundle: &Bundle, texts: &[TextFile]) -> Manifest {
    let mut files = Vec::new();
    for a in &bundle.variants {
        let v = &a.variant;
        let ctr = bundle.ctr.get(&v.id).map(|c| (c * 1e6).round() / 1e6);
        for img in &a.images {
            let p = img.placement;
            files.push(ManifestFile {
                name: img.name.clone(),
                kind: FileKind::Image,
                sha256: sha256(&img.bytes),
                bytes: img.bytes.len() as u64,
                platform: Some(p.platform),
                placement: Some(p.id.clone()),
                width: Some(img.info.width),
                height: Some(img.info.height),
                max_bytes: Some(p.max_bytes),
                variant_id: Some(v.id),
                segment: Some(v.segment_name_en.clone()),
                lang: Some(v.lang.clone()),
                approvals: vec![a.approval.clone()],
                simulated_ctr: ctr,
                simulated: ctr.is_some(),
                rows: None,
            });
        }
    }
    for (mut f, t) in text_entries(texts).into_iter().zip(texts) {
        f.approvals = bundle.variants.iter().filter(|a| t.variant_ids.contains(&a.variant.id)).map(|a| a.approval.clone()).collect();
        files.push(f);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let c = &bundle.campaign;
    let mut variant_keys = Vec::new();
    for g in bundle.ad_groups() {
        for a in &g.variants {
            let v = &a.variant;
            variant_keys.push(VariantKey {
                key: super::names::key_of(&c.name, v),
                variant_id: v.id,
                segment_label: v.segment_label,
                segment: v.segment_name_en.clone(),
                lang: v.lang.clone(),
                ad_group_key: super::names::ad_group_key(&c.name, v.segment_label, &v.lang),
                ad_group: g.name.clone(),
            });
        }
    }
    let simulated = files.iter().any(|f| f.simulated);
    Manifest {
        format: FORMAT.into(),
        version: VERSION,
        studio_version: crate::VERSION.into(),
        campaign_id: c.id,
        campaign: c.name.clone(),
        landing_url: c.landing_url.clone(),
        business_name: c.business_name.clone(),
        platforms: bundle.platforms.clone(),
        latest_approval_at: bundle.variants.iter().map(|a| a.approval.approved_at.as_str()).max().unwrap_or_default().to_string(),
        contains_simulated_figures: simulated,
        note: if simulated { "simulated_ctr figures come from the studio's simulated serving, not from real traffic".into() } else { "no simulated figures".into() },
        variants_exported: bundle.variants.len() as u32,
        skipped_not_approved: bundle.skipped.not_approved,
        skipped_stale_approval: bundle.skipped.stale_approval,
        variant_keys,
        min_audience: None,
        audiences_refused: Vec::new(),
        files,
    }
}

/// The manifest entries of `texts` (no approvals: [`build`] adds those).
pub(super) fn text_entries(texts: &[TextFile]) -> Vec<ManifestFile> {
    let mut files = Vec::new();
    for t in texts {
        let platform = match t.kind {
            FileKind::GoogleAdsEditorTsv | FileKind::GoogleAudienceCsv => Some(Platform::Google),
            FileKind::MetaAdSetJson | FileKind::MetaImagesCsv | FileKind::MetaAudienceCsv => Some(Platform::Meta),
            FileKind::Image | FileKind::AudienceReadme => None,
        };
        files.push(ManifestFile {
            name: t.name.clone(),
            kind: t.kind,
            sha256: sha256(&t.bytes),
            bytes: t.bytes.len() as u64,
            platform,
            placement: None,
            width: None,
            height: None,
            max_bytes: None,
            variant_id: None,
            segment: t.segment.clone(),
            lang: None,
            approvals: Vec::new(),
            simulated_ctr: None,
            simulated: false,
            rows: t.rows,
        });
    }
    files
}

/// The manifest's bytes: pretty JSON with a final newline.
pub(super) fn to_bytes(m: &Manifest) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(m).expect("serialisable");
    out.push(b'\n');
    out
}
