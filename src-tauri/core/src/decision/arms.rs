//! What the service may show: the campaign's variants with a currently valid approval, read
//! from the store, and a cheap fingerprint that changes whenever any of them could have changed.
//!
//! A variant is servable exactly when [`crate::review::approval`] says its approval still counts
//! (approved, and its content hash unchanged since): a draft, an unapproved variant or an edited
//! one (stale approval) is never in an [`Arms`] snapshot.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::{tracking_url, DecisionError};
use crate::campaign::{self, CampaignRow, Variant};
use crate::export::names;
use crate::placements;
use crate::review;
use crate::store::Project;

/// One servable creative: an approved variant with everything a page needs to show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    pub variant_id: i64,
    /// The export's variant key ([`names::variant_key`]: its `utm_content` and ad name), e.g. `spring-sale-s3-v42-en`.
    pub key: String,
    pub segment_id: i64,
    pub segment_name_en: String,
    pub segment_name_zh: String,
    /// `en` or `zh-CN`.
    pub lang: String,
    pub headline: String,
    pub description: String,
    pub cta: String,
    /// The copy angle, logged as an action feature.
    pub angle: String,
    /// Landing URL with the export's UTM parameters.
    pub final_url: String,
    /// Creative file name per placement id (the export's image names).
    pub files: BTreeMap<String, String>,
}

/// The servable creatives of one campaign at one moment.
#[derive(Debug, Clone, Default)]
pub struct Arms {
    pub campaign: Option<CampaignRow>,
    pub arms: Vec<Arm>,
    /// [`fingerprint`] of the store when this snapshot was read.
    pub fingerprint: String,
}

impl Arms {
    /// The arms of `segment_id` in `lang`, in variant id order; when that segment has none in
    /// `lang`, every arm in `lang` (the campaign still shows an approved creative).
    pub fn for_context(&self, segment_id: i64, lang: &str) -> Vec<&Arm> {
        let own: Vec<&Arm> = self.arms.iter().filter(|a| a.segment_id == segment_id && a.lang == lang).collect();
        if own.is_empty() {
            self.arms.iter().filter(|a| a.lang == lang).collect()
        } else {
            own
        }
    }

    /// The arm of a variant.
    pub fn get(&self, variant_id: i64) -> Option<&Arm> {
        self.arms.iter().find(|a| a.variant_id == variant_id)
    }

    /// `(variant id, placement id)` of a creative file name, when it belongs to a servable arm.
    pub fn file(&self, name: &str) -> Option<(i64, &str)> {
        self.arms.iter().find_map(|a| a.files.iter().find(|(_, f)| f.as_str() == name).map(|(p, _)| (a.variant_id, p.as_str())))
    }
}

/// SHA-256 over everything that decides whether and how a variant of `campaign_id` is served:
/// id, review state, copy fields, render hashes and the newest approval. Cheap (no images).
///
/// Errors: store.
pub fn fingerprint(project: &Project, campaign_id: i64) -> Result<String, DecisionError> {
    let mut stmt = project.conn().prepare_cached(
        "SELECT v.id, v.review_state, v.headline, v.long_headline, v.description, v.primary_text, v.cta,
                COALESCE((SELECT group_concat(r.sha256, ',') FROM renders r WHERE r.variant_id = v.id), ''),
                COALESCE((SELECT max(a.id) FROM approvals a WHERE a.variant_id = v.id), 0)
         FROM variants v WHERE v.campaign_id = ?1 ORDER BY v.id",
    )?;
    let mut rows = stmt.query([campaign_id])?;
    let mut h = Sha256::new();
    while let Some(r) = rows.next()? {
        h.update(r.get::<_, i64>(0)?.to_le_bytes());
        for i in 1..8 {
            h.update(r.get::<_, String>(i)?.as_bytes());
            h.update([0u8]);
        }
        h.update(r.get::<_, i64>(8)?.to_le_bytes());
    }
    Ok(hex::encode(h.finalize()))
}

/// Read the servable arms of campaign `campaign_id`.
///
/// Errors: campaign not found; store.
pub fn load(project: &Project, campaign_id: i64) -> Result<Arms, DecisionError> {
    let fingerprint = fingerprint(project, campaign_id)?;
    let c = campaign::get(project, campaign_id)?;
    let mut arms = Vec::new();
    for v in campaign::variants(project, campaign_id)? {
        if review::approval(project, v.id)?.is_some() {
            arms.push(arm(&c, &v));
        }
    }
    Ok(Arms { campaign: Some(c), arms, fingerprint })
}

fn arm(c: &CampaignRow, v: &Variant) -> Arm {
    let key = names::key_of(&c.name, v);
    let files = v.renders.iter().filter_map(|r| placements::by_id(&r.placement).map(|p| (r.placement.clone(), names::image_file(&c.name, v, p, r.format)))).collect();
    Arm {
        variant_id: v.id,
        final_url: tracking_url(&c.landing_url, "onsite", &c.name, &key),
        key,
        segment_id: v.segment_id,
        segment_name_en: v.segment_name_en.clone(),
        segment_name_zh: v.segment_name_zh.clone(),
        lang: v.lang.clone(),
        headline: v.headline.clone(),
        description: v.description.clone(),
        cta: v.cta.clone(),
        angle: v.angle.clone(),
        files,
    }
}
