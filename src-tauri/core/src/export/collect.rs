//! What an export is made of, read from the store: the campaign, its variants with a currently
//! valid approval (each with its images for the chosen platforms), what was skipped and why,
//! and the simulated CTR where a simulated run exists.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::names;
use super::validate::{Problem, Rule, Severity};
use super::{ExportError, Skipped, ValidExportParams};
use crate::campaign::{self, CampaignRow, RenderInfo, Variant};
use crate::placements::{self, Placement, Platform};
use crate::review;
use crate::simulate;
use crate::store::Project;

/// Who approved a variant, when, and the content hash they approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub variant_id: i64,
    pub reviewer: String,
    pub approved_at: String,
    pub content_hash: String,
}

/// One image to export.
pub(super) struct Image {
    pub name: String,
    pub placement: &'static Placement,
    pub info: RenderInfo,
    pub bytes: Vec<u8>,
}

/// An approved variant and its images.
pub(super) struct Approved {
    pub variant: Variant,
    pub approval: Approval,
    pub images: Vec<Image>,
}

/// Everything one export writes from.
pub(super) struct Bundle {
    pub campaign: CampaignRow,
    /// Approved variants in the store's order (segment label, language, set).
    pub variants: Vec<Approved>,
    pub skipped: Skipped,
    /// Platforms exported, in [`Platform`] order.
    pub platforms: Vec<Platform>,
    /// Simulated CTR by variant id (only simulated figures exist in the studio).
    pub ctr: HashMap<i64, f64>,
}

/// Approved variants that share a segment and a language: one Google ad group / Meta ad set.
pub(super) struct AdGroup<'a> {
    pub name: String,
    pub lang: String,
    pub variants: Vec<&'a Approved>,
}

impl Bundle {
    /// Ad groups in first-appearance order, named `segment name (language)`; when two segments
    /// share a name, `[S<label>]` is added so every ad group name is distinct.
    pub fn ad_groups(&self) -> Vec<AdGroup<'_>> {
        let seg_name = |v: &Variant| if v.segment_name_en.trim().is_empty() { format!("Segment {}", v.segment_label) } else { v.segment_name_en.trim().to_string() };
        let mut labels_of: HashMap<String, Vec<u32>> = HashMap::new();
        for a in &self.variants {
            let l = labels_of.entry(seg_name(&a.variant)).or_default();
            if !l.contains(&a.variant.segment_label) {
                l.push(a.variant.segment_label);
            }
        }
        let mut out: Vec<(u32, AdGroup)> = Vec::new();
        for a in &self.variants {
            let v = &a.variant;
            match out.iter_mut().find(|(label, g)| *label == v.segment_label && g.lang == v.lang) {
                Some((_, g)) => g.variants.push(a),
                None => {
                    let seg = seg_name(v);
                    let seg = if labels_of[&seg].len() > 1 { format!("{seg} [S{}]", v.segment_label) } else { seg };
                    out.push((v.segment_label, AdGroup { name: format!("{seg} ({})", v.lang), lang: v.lang.clone(), variants: vec![a] }));
                }
            }
        }
        out.into_iter().map(|(_, g)| g).collect()
    }

    /// Whether the export includes `p`.
    pub fn has(&self, p: Platform) -> bool {
        self.platforms.contains(&p)
    }

    /// The images of `a` on `platform`.
    pub fn images_of(a: &Approved, platform: Platform) -> impl Iterator<Item = &Image> {
        a.images.iter().filter(move |i| i.placement.platform == platform)
    }
}

/// Read the bundle for `params`, with the problems found while reading (unknown placements,
/// missing renders, stale approvals, platforms without placements).
///
/// Errors: campaign not found, nothing currently approved, store.
pub(super) fn collect(project: &Project, params: &ValidExportParams) -> Result<(Bundle, Vec<Problem>), ExportError> {
    let campaign = campaign::get(project, params.campaign_id)?;
    let mut problems = Vec::new();
    let campaign_platforms: Vec<Platform> = campaign.placements.iter().filter_map(|id| placements::by_id(id)).map(|p| p.platform).collect();
    let mut platforms: Vec<Platform> = if params.platforms.is_empty() { campaign_platforms.clone() } else { params.platforms.clone() };
    platforms.sort_by_key(|p| *p as u8);
    platforms.dedup();
    for p in &platforms {
        if !campaign_platforms.contains(p) {
            let msg = match p {
                Platform::Google => "the campaign has no Google placement: only responsive search ads (text) are exported for Google",
                _ => "the campaign has no placement on this platform: nothing is exported for it",
            };
            problems.push(Problem::new(Severity::Warning, Rule::NoPlatformImages, msg).platform(*p));
        }
    }
    let mut skipped = Skipped::default();
    let mut variants = Vec::new();
    for v in campaign::variants(project, campaign.id)? {
        if v.status != "approved" {
            skipped.not_approved += 1;
            continue;
        }
        let current = review::content_hash(&v);
        let approval = match review::approval_of(project, v.id)? {
            Some((reviewer, approved_at, content_hash)) if content_hash == current => Approval { variant_id: v.id, reviewer, approved_at, content_hash },
            other => {
                skipped.stale_approval += 1;
                let approved = other.map(|o| o.2).unwrap_or_default();
                problems.push(
                    Problem::new(Severity::Warning, Rule::StaleApproval, format!("variant {} changed after its approval and is not exported; approve it again", v.id))
                        .variant(v.id)
                        .field("content_hash")
                        .value(current, approved),
                );
                continue;
            }
        };
        let mut images = Vec::new();
        for id in &campaign.placements {
            let Some(p) = placements::by_id(id) else {
                problems.push(Problem::new(Severity::Error, Rule::UnknownPlacement, format!("placement {id:?} is not in assets/placements.json")).variant(v.id).placement(id));
                continue;
            };
            if !platforms.contains(&p.platform) {
                continue;
            }
            let Some(info) = v.renders.iter().find(|r| r.placement == *id).cloned() else {
                problems.push(Problem::new(Severity::Error, Rule::MissingRender, format!("variant {} has no render for {id}; regenerate it", v.id)).platform(p.platform).variant(v.id).placement(id));
                continue;
            };
            let (bytes, format) = campaign::render_image(project, v.id, id)?;
            images.push(Image { name: names::image_file(&campaign.name, &v, p, format), placement: p, info, bytes });
        }
        variants.push(Approved { variant: v, approval, images });
    }
    if variants.is_empty() {
        return Err(ExportError::NothingApproved(campaign.id));
    }
    let ctr = simulate::latest_ctr(project, campaign.id)?;
    Ok((Bundle { campaign, variants, skipped, platforms, ctr }, problems))
}
