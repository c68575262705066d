//! Reading variants and their renders back from the store.

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{format_of, get, CampaignError, RenderInfo, Variant};
use crate::banner::{Design, ImageFormat};
use crate::placements;
use crate::store::Project;

/// The variants of campaign `id`, by segment label, language and set. Errors: `NotFound`.
pub fn variants(project: &Project, id: i64) -> Result<Vec<Variant>, CampaignError> {
    get(project, id)?;
    query_variants(project, "v.campaign_id = ?1", id)
}

/// One variant by id, or `None`.
pub fn variant(project: &Project, variant_id: i64) -> rusqlite::Result<Option<Variant>> {
    query_variants(project, "v.id = ?1", variant_id).map(|v| v.into_iter().next()).or_else(|e| match e {
        CampaignError::Store(e) => Err(e),
        _ => Ok(None),
    })
}

/// The renders of variant `id`, in the campaign's placement order. Errors: `VariantNotFound`.
pub fn renders(project: &Project, variant_id: i64) -> Result<Vec<RenderInfo>, CampaignError> {
    let order = placement_order(project, variant_id)?;
    Ok(render_infos(project, variant_id, &order)?)
}

const RENDER_COLUMNS: &str = "placement, width, height, format, length(image), max_bytes, quality, within_budget, sha256, contrast";

fn render_infos(project: &Project, variant_id: i64, order: &[String]) -> rusqlite::Result<Vec<RenderInfo>> {
    let mut stmt = project.conn().prepare_cached(&format!("SELECT {RENDER_COLUMNS} FROM renders WHERE variant_id = ?1"))?;
    let mut rows: Vec<RenderInfo> = stmt
        .query_map([variant_id], |r| {
            Ok(RenderInfo {
                placement: r.get(0)?,
                width: r.get::<_, i64>(1)? as u32,
                height: r.get::<_, i64>(2)? as u32,
                format: format_of(&r.get::<_, String>(3)?),
                bytes: r.get::<_, i64>(4)? as u64,
                max_bytes: r.get::<_, i64>(5)? as u64,
                quality: r.get::<_, Option<i64>>(6)?.map(|q| q as u8),
                within_budget: r.get(7)?,
                sha256: r.get(8)?,
                contrast: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
            })
        })?
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|r| order.iter().position(|p| *p == r.placement).unwrap_or(usize::MAX));
    Ok(rows)
}

/// The encoded image of variant `id` at `placement`. Errors: `VariantNotFound`, `RenderNotFound`.
pub fn render_image(project: &Project, variant_id: i64, placement: &str) -> Result<(Vec<u8>, ImageFormat), CampaignError> {
    placement_order(project, variant_id)?;
    project
        .conn()
        .query_row("SELECT image, format FROM renders WHERE variant_id = ?1 AND placement = ?2", params![variant_id, placement], |r| Ok((r.get::<_, Vec<u8>>(0)?, format_of(&r.get::<_, String>(1)?))))
        .optional()?
        .ok_or_else(|| CampaignError::RenderNotFound { variant: variant_id, placement: placement.to_string() })
}

/// The placements of the variant's campaign, in order. Errors: `VariantNotFound`.
fn placement_order(project: &Project, variant_id: i64) -> Result<Vec<String>, CampaignError> {
    let s: Option<String> = project.conn().query_row("SELECT c.placements FROM variants v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id = ?1", [variant_id], |r| r.get(0)).optional()?;
    let s = s.ok_or(CampaignError::VariantNotFound(variant_id))?;
    Ok(serde_json::from_str(&s).unwrap_or_default())
}

fn query_variants(project: &Project, filter: &str, arg: i64) -> Result<Vec<Variant>, CampaignError> {
    let sql = format!(
        "SELECT v.id, v.campaign_id, v.segment_id, s.label, s.name_en, s.name_zh, v.product_id,
                CASE WHEN v.lang = 'zh-CN' THEN p.name_zh ELSE p.name_en END,
                v.lang, v.headline, v.description, v.cta, v.reasons, v.status, v.set_index, v.long_headline, v.primary_text, v.angle,
                v.keywords, v.layout, c.placements, v.review_state
         FROM variants v JOIN segments s ON s.id = v.segment_id JOIN products p ON p.id = v.product_id JOIN campaigns c ON c.id = v.campaign_id
         WHERE {filter} ORDER BY s.label, v.lang DESC, v.set_index, v.id"
    );
    let mut stmt = project.conn().prepare(&sql)?;
    let rows: Vec<(Variant, Vec<String>)> = stmt.query_map([arg], variant_of_row)?.collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (mut v, order) in rows {
        let infos = render_infos(project, v.id, &order)?;
        let mut h = Sha256::new();
        for r in &infos {
            h.update(r.sha256.as_bytes());
            h.update([0u8]);
        }
        v.renders_sha256 = hex::encode(h.finalize());
        if let Some(first) = infos.first() {
            v.image = project.conn().query_row("SELECT image FROM renders WHERE variant_id = ?1 AND placement = ?2", params![v.id, first.placement], |r| r.get(0))?;
            (v.placement, v.width, v.height, v.image_format) = (first.placement.clone(), first.width, first.height, first.format);
        }
        v.renders = infos;
        out.push(v);
    }
    Ok(out)
}

/// A stored layout: a [`Design`], or the walking skeleton's landscape `BannerSpec`.
fn design_of_layout(s: &str) -> Result<Design, serde_json::Error> {
    serde_json::from_str::<Design>(s).or_else(|e| {
        let b: crate::banner::BannerSpec = serde_json::from_str(s).map_err(|_| e)?;
        Ok(Design {
            width: b.width,
            height: b.height,
            family: placements::Family::Landscape,
            palette: b.palette,
            kit: crate::banner::BrandKit { logo_text: b.brand, use_segment_palette: true, ..Default::default() },
            content: crate::banner::Content {
                headline: b.headline,
                subline: b.subline,
                cta: b.cta,
                price: b.price,
                badge: b.badge,
                product_category: b.product_category,
                product_seed: b.product_seed,
                ..Default::default()
            },
            edits: Vec::new(),
        })
    })
}

/// A variant row and its campaign's placement order (renders are filled in by the caller).
fn variant_of_row(r: &rusqlite::Row) -> rusqlite::Result<(Variant, Vec<String>)> {
    fn list<T: serde::de::DeserializeOwned>(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Vec<T>> {
        Ok(serde_json::from_str(&r.get::<_, String>(i)?).unwrap_or_default())
    }
    let v = Variant {
        id: r.get(0)?,
        campaign_id: r.get(1)?,
        segment_id: r.get(2)?,
        segment_label: r.get::<_, i64>(3)? as u32,
        segment_name_en: r.get(4)?,
        segment_name_zh: r.get(5)?,
        product_id: r.get(6)?,
        product_name: r.get(7)?,
        lang: r.get(8)?,
        headline: r.get(9)?,
        description: r.get(10)?,
        cta: r.get(11)?,
        reasons: list(r, 12)?,
        status: r.get(13)?,
        review_state: super::ReviewState::parse(&r.get::<_, String>(21)?),
        set_index: r.get::<_, i64>(14)? as u32,
        long_headline: r.get(15)?,
        primary_text: r.get(16)?,
        angle: r.get(17)?,
        keywords: list(r, 18)?,
        design: design_of_layout(&r.get::<_, String>(19)?).map_err(|e| rusqlite::Error::FromSqlConversionFailure(19, rusqlite::types::Type::Text, Box::new(e)))?,
        placement: String::new(),
        width: 0,
        height: 0,
        image: Vec::new(),
        image_format: ImageFormat::Png,
        renders_sha256: String::new(),
        renders: Vec::new(),
    };
    Ok((v, list(r, 20)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walking_skeleton_layout_still_reads_as_a_landscape_design() {
        let old = r#"{"width":1200,"height":628,"palette":2,"headline":"H","subline":"S","cta":"Go","price":"¥9","badge":"","brand":"Voltix","product_category":"electronics","product_seed":7}"#;
        let d = design_of_layout(old).unwrap();
        assert_eq!((d.width, d.height, d.family, d.palette), (1200, 628, placements::Family::Landscape, 2));
        assert_eq!((d.content.headline.as_str(), d.kit.logo_text.as_str()), ("H", "Voltix"));
        assert!(design_of_layout("{}").is_err());
    }
}
