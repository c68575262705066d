//! Campaigns and their variants: for every segment of the newest segment model, pick the
//! product that segment engages with most in its top category, write copy for it, render the
//! banner and store all of it in one transaction.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::banner::{self, BannerError, BannerSpec};
use crate::copy::{self, Lang, ProductInfo};
use crate::error::{ErrorCode, HasCode};
use crate::progress::{Flow, Progress, ProgressFn};
use crate::segments;
use crate::store::{now_text, Project};

/// Campaign errors.
#[derive(Debug, Error)]
pub enum CampaignError {
    #[error("campaign name must be 1–80 characters")]
    BadName,
    #[error("no segments yet: train segments before creating a campaign")]
    NoSegments,
    #[error("campaign {0} not found")]
    NotFound(i64),
    #[error("segment {0} has no product to promote (no events in its categories)")]
    NoProduct(i64),
    #[error("campaign generation cancelled; nothing was changed")]
    Cancelled,
    #[error(transparent)]
    Banner(#[from] BannerError),
    #[error("campaign store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for CampaignError {
    fn code(&self) -> ErrorCode {
        match self {
            CampaignError::BadName => ErrorCode::InvalidInput,
            CampaignError::NoSegments | CampaignError::NoProduct(_) => ErrorCode::Conflict,
            CampaignError::NotFound(_) => ErrorCode::NotFound,
            CampaignError::Cancelled => ErrorCode::Cancelled,
            CampaignError::Banner(e) => e.code(),
            CampaignError::Store(_) => ErrorCode::Internal,
        }
    }
}

/// What to create.
#[derive(Debug, Clone)]
pub struct CampaignSpec {
    pub name: String,
    pub lang: Lang,
    pub seed: u64,
}

/// A campaign as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CampaignRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub variants: u32,
    pub approved: u32,
}

/// A variant with its copy, reasons and landscape banner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub id: i64,
    pub campaign_id: i64,
    pub segment_id: i64,
    pub segment_label: u32,
    pub segment_name_en: String,
    pub segment_name_zh: String,
    pub product_id: String,
    pub product_name: String,
    pub lang: String,
    pub headline: String,
    pub description: String,
    pub cta: String,
    pub reasons: Vec<String>,
    pub status: String,
    pub width: u32,
    pub height: u32,
    /// PNG bytes of the landscape render.
    #[serde(skip)]
    pub png: Vec<u8>,
    pub png_sha256: String,
}

/// Create a campaign over the newest segments. One variant per segment (landscape banner).
pub fn create(project: &mut Project, spec: &CampaignSpec, progress: ProgressFn) -> Result<CampaignRow, CampaignError> {
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(CampaignError::BadName);
    }
    let segs = segments::latest(project)?;
    if segs.is_empty() {
        return Err(CampaignError::NoSegments);
    }
    let model_id: i64 = project.conn().query_row("SELECT max(id) FROM segment_models", [], |r| r.get(0))?;
    // Build everything first (the slow part), then write in one short transaction.
    let mut built = Vec::new();
    for (i, s) in segs.iter().enumerate() {
        let prof = segments::profile_of(project, s.id)?;
        // Predicted interests (the next window's likeliest categories) lead; the profile's
        // historical top categories follow, for models without a prediction.
        let predicted = crate::interest::segment_interests(project, s.id)?;
        let mut cats: Vec<String> = predicted.iter().map(|(c, _)| c.clone()).take(3).collect();
        cats.extend(prof.top_categories.iter().filter(|c| !cats.contains(c)).cloned().collect::<Vec<_>>());
        let product = top_product(project, s.id, &cats)?.ok_or(CampaignError::NoProduct(s.id))?;
        let mut c = copy::generate(&prof, &product, spec.lang, spec.seed);
        if let Some((cat, p)) = predicted.iter().find(|(c, _)| *c == product.category) {
            c.reasons.insert(0, format!("predicted interest in {cat} next window (mean probability {p:.2}) → product from {cat}"));
        }
        let layout = BannerSpec {
            width: banner::LANDSCAPE.0,
            height: banner::LANDSCAPE.1,
            palette: s.label as usize,
            headline: c.headline.clone(),
            subline: c.description.clone(),
            cta: c.cta.clone(),
            price: copy::money(product.price_cents * (100 - c.discount_pct) as i64 / 100, &product.currency),
            badge: if c.discount_pct > 0 { format!("-{}%", c.discount_pct) } else { String::new() },
            brand: product.brand.clone(),
            product_category: product.category.clone(),
            product_seed: product.id.bytes().map(u64::from).sum(),
        };
        let png = banner::encode_png(&banner::render(&layout)?)?;
        built.push((s.id, product, c, layout, png));
        if progress(&Progress::new("render", i as u64 + 1, segs.len() as u64, format!("segment {}", s.name_en))) == Flow::Cancel {
            return Err(CampaignError::Cancelled);
        }
    }
    let tx = project.conn_mut().transaction()?;
    let now = now_text();
    tx.execute(
        "INSERT INTO campaigns(name,lang,seed,model_id,created_at) VALUES (?1,?2,?3,?4,?5)",
        params![name, spec.lang.tag(), spec.seed as i64, model_id, now],
    )?;
    let cid = tx.last_insert_rowid();
    for (sid, product, c, layout, png) in &built {
        tx.execute(
            "INSERT INTO variants(campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![cid, sid, product.id, spec.lang.tag(), c.headline, c.description, c.cta, serde_json::to_string(&c.reasons).expect("json"), serde_json::to_string(layout).expect("json"), now],
        )?;
        let vid = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO renders(variant_id,placement,width,height,png,sha256) VALUES (?1,'landscape',?2,?3,?4,?5)",
            params![vid, layout.width, layout.height, png, hex::encode(Sha256::digest(png))],
        )?;
    }
    tx.commit()?;
    get(project, cid)
}

fn top_product(project: &Project, segment_id: i64, cats: &[String]) -> rusqlite::Result<Option<ProductInfo>> {
    let sql = "SELECT p.id, p.name_en, p.name_zh, p.brand, p.category, p.price_cents, p.currency FROM events e
               JOIN user_segments us ON us.model_id = (SELECT model_id FROM segments WHERE id = ?1) AND us.user_id = e.user_id AND us.segment_id = ?1
               JOIN products p ON p.id = e.product_id
               WHERE p.category = ?2 GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1";
    for cat in cats {
        let row = project
            .conn()
            .query_row(sql, params![segment_id, cat], |r| {
                Ok(ProductInfo { id: r.get(0)?, name_en: r.get(1)?, name_zh: r.get(2)?, brand: r.get(3)?, category: r.get(4)?, price_cents: r.get(5)?, currency: r.get(6)? })
            })
            .optional()?;
        if row.is_some() {
            return Ok(row);
        }
    }
    Ok(None)
}

/// One campaign. Errors: `NotFound`.
pub fn get(project: &Project, id: i64) -> Result<CampaignRow, CampaignError> {
    list(project)?.into_iter().find(|c| c.id == id).ok_or(CampaignError::NotFound(id))
}

/// All campaigns, newest first.
pub fn list(project: &Project) -> rusqlite::Result<Vec<CampaignRow>> {
    let mut stmt = project.conn().prepare(
        "SELECT c.id, c.name, c.created_at, count(v.id), coalesce(sum(v.status = 'approved'), 0) FROM campaigns c LEFT JOIN variants v ON v.campaign_id = c.id GROUP BY c.id ORDER BY c.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CampaignRow { id: r.get(0)?, name: r.get(1)?, created_at: r.get(2)?, variants: r.get::<_, i64>(3)? as u32, approved: r.get::<_, i64>(4)? as u32 })
    })?;
    rows.collect()
}

/// The variants of campaign `id`, by segment label. Errors: `NotFound`.
pub fn variants(project: &Project, id: i64) -> Result<Vec<Variant>, CampaignError> {
    get(project, id)?;
    let mut stmt = project.conn().prepare(
        "SELECT v.id, v.campaign_id, v.segment_id, s.label, s.name_en, s.name_zh, v.product_id,
                CASE WHEN v.lang = 'zh-CN' THEN p.name_zh ELSE p.name_en END,
                v.lang, v.headline, v.description, v.cta, v.reasons, v.status, r.width, r.height, r.png, r.sha256
         FROM variants v JOIN segments s ON s.id = v.segment_id JOIN products p ON p.id = v.product_id
         JOIN renders r ON r.variant_id = v.id AND r.placement = 'landscape'
         WHERE v.campaign_id = ?1 ORDER BY s.label, v.id",
    )?;
    let rows = stmt.query_map([id], variant_of_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One variant by id, or `None`.
pub fn variant(project: &Project, variant_id: i64) -> rusqlite::Result<Option<Variant>> {
    let cid: Option<i64> = project.conn().query_row("SELECT campaign_id FROM variants WHERE id = ?1", [variant_id], |r| r.get(0)).optional()?;
    let Some(cid) = cid else { return Ok(None) };
    Ok(variants(project, cid).ok().and_then(|v| v.into_iter().find(|v| v.id == variant_id)))
}

fn variant_of_row(r: &rusqlite::Row) -> rusqlite::Result<Variant> {
    let reasons: String = r.get(12)?;
    Ok(Variant {
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
        reasons: serde_json::from_str(&reasons).unwrap_or_default(),
        status: r.get(13)?,
        width: r.get::<_, i64>(14)? as u32,
        height: r.get::<_, i64>(15)? as u32,
        png: r.get(16)?,
        png_sha256: r.get(17)?,
    })
}
