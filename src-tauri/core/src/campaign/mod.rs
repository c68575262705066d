//! Campaigns and their variants.
//!
//! A campaign ([`spec`]) names its products, goal, languages, placements, brand kit, landing
//! page, business name, tone and the promotion that backs its price claims ([`claims`]).
//! Creating it ([`create`]) gives every segment of the newest
//! segment model `n` copy sets per language ([`crate::copy`]), each a *variant* with one layered
//! banner design ([`crate::banner`]) rendered at every placement within its byte budget — all
//! built first on every core, then stored in one transaction. Variants are then edited,
//! regenerated with locked layers kept ([`edit`]), reviewed and exported.

mod build;
pub mod claims;
pub mod edit;
mod read;
mod review_state;
pub mod spec;

use rusqlite::params;
use serde::Serialize;
use thiserror::Error;

use crate::banner::template::RectProblem;
use crate::banner::{BannerError, ContrastCheck, Design, ImageFormat, LayerKind};
use crate::compliance::Field;
use crate::error::{keyed, ErrorCode, HasCode, Keyed};
use crate::placements;
use crate::progress::{Progress, ProgressFn};
use crate::segments;
use crate::store::{now_text, Project};

pub use read::{render_image, renders, variant, variants};
pub use review_state::ReviewState;
pub use spec::{problems, CampaignParams, ProductFilter, SpecProblem, ValidCampaignSpec, SPEC_KEYS};

/// Campaign errors.
#[derive(Debug, Error)]
pub enum CampaignError {
    #[error("campaign name must be 1–80 characters")]
    BadName,
    #[error("campaign {field}: {reason}")]
    BadSpec { field: &'static str, reason: crate::error::KeyedText },
    /// A name with control characters (see [`crate::names::check_line`]).
    #[error(transparent)]
    BadText(#[from] crate::names::NameError),
    #[error("no segments yet: train segments before creating a campaign")]
    NoSegments,
    #[error("no product matches the campaign's product filter")]
    NoProducts,
    #[error("campaign {0} not found")]
    NotFound(i64),
    #[error("variant {0} not found")]
    VariantNotFound(i64),
    #[error("variant {variant} has no render for placement {placement:?}")]
    RenderNotFound { variant: i64, placement: String },
    #[error("segment {0} has no product to promote (no events in its categories)")]
    NoProduct(i64),
    #[error("the edit does not fit: {0}")]
    BadEdit(EditProblem),
    #[error("campaign generation cancelled; nothing was changed")]
    Cancelled,
    #[error(transparent)]
    Banner(#[from] BannerError),
    #[error("campaign store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl CampaignError {
    /// The field a [`CampaignError::BadSpec`] is about; `None` for every other error.
    pub fn spec_field(&self) -> Option<&'static str> {
        match self {
            CampaignError::BadSpec { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl HasCode for CampaignError {
    fn code(&self) -> ErrorCode {
        match self {
            CampaignError::BadName | CampaignError::BadSpec { .. } | CampaignError::BadEdit(_) => ErrorCode::InvalidInput,
            CampaignError::NoSegments | CampaignError::NoProduct(_) | CampaignError::NoProducts => ErrorCode::Conflict,
            CampaignError::NotFound(_) | CampaignError::VariantNotFound(_) | CampaignError::RenderNotFound { .. } => ErrorCode::NotFound,
            CampaignError::Cancelled => ErrorCode::Cancelled,
            CampaignError::BadText(e) => e.code(),
            CampaignError::Banner(e) => e.code(),
            CampaignError::Store(e) => crate::error::sqlite_code(e),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            CampaignError::BadName => keyed!("err.campaign.bad_name"),
            CampaignError::BadSpec { field, reason } => keyed!("err.campaign.bad_spec", field = field, reason = reason).nesting(&reason.keyed),
            CampaignError::BadText(e) => return e.keyed(),
            CampaignError::NoSegments => keyed!("err.campaign.no_segments"),
            CampaignError::NoProducts => keyed!("err.campaign.no_products"),
            CampaignError::NotFound(id) => keyed!("err.campaign.not_found", id = id),
            CampaignError::VariantNotFound(id) => keyed!("err.campaign.variant_not_found", id = id),
            CampaignError::RenderNotFound { variant, placement } => keyed!("err.campaign.render_not_found", variant = variant, placement = placement),
            CampaignError::NoProduct(segment) => keyed!("err.campaign.no_product", segment = segment),
            CampaignError::BadEdit(problem) => problem.keyed(),
            CampaignError::Cancelled => keyed!("err.campaign.cancelled"),
            CampaignError::Banner(e) => return e.keyed(),
            CampaignError::Store(_) => return None,
        })
    }
}

/// Why an edit of a variant's copy or layers was refused (see [`CampaignError::BadEdit`]).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EditProblem {
    /// The headline, description or call to action was left empty.
    #[error("the {} is empty", if *.0 == Field::Cta { "call to action" } else { .0.as_str() })]
    Empty(Field),
    /// Texts longer than placements allow (at least one).
    #[error("{}", .0.iter().map(|p| format!("{:?} is {} units, {} allows {}", p.field, p.length, p.placement, p.limit)).collect::<Vec<_>>().join("; "))]
    TooLong(Vec<placements::TextLength>),
    /// Two edits for one layer.
    #[error("layer {0:?} is edited twice")]
    LayerTwice(LayerKind),
    /// A layer moved or sized outside the canvas, and how.
    #[error("layer {0:?} would leave the canvas: {reason}", reason = .1.reason())]
    OffCanvas(LayerKind, RectProblem),
}

impl EditProblem {
    fn keyed(&self) -> Keyed {
        let layer = |k: &LayerKind| format!("{k:?}").to_lowercase();
        match self {
            EditProblem::Empty(f) => keyed!("err.campaign.edit_empty", copy_field = f.as_str()),
            EditProblem::TooLong(ps) => {
                let p = &ps[0];
                keyed!("err.campaign.edit_too_long", copy_field = p.field.as_str(), length = p.length, placement = p.placement, limit = p.limit, more = ps.len() - 1)
            }
            EditProblem::LayerTwice(k) => keyed!("err.campaign.edit_layer_twice", layer = layer(k)),
            EditProblem::OffCanvas(k, why) => match why {
                RectProblem::Range => keyed!("err.campaign.edit_rect_range", layer = layer(k)),
                RectProblem::Size => keyed!("err.campaign.edit_rect_size", layer = layer(k)),
                RectProblem::OverRight => keyed!("err.campaign.edit_rect_over_right", layer = layer(k)),
                RectProblem::OverBottom => keyed!("err.campaign.edit_rect_over_bottom", layer = layer(k)),
            },
        }
    }
}

/// The message keys [`CampaignError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &[
    "err.campaign.bad_name",
    "err.campaign.bad_spec",
    "err.campaign.no_segments",
    "err.campaign.no_products",
    "err.campaign.not_found",
    "err.campaign.variant_not_found",
    "err.campaign.render_not_found",
    "err.campaign.no_product",
    "err.campaign.edit_empty",
    "err.campaign.edit_too_long",
    "err.campaign.edit_layer_twice",
    "err.campaign.edit_rect_range",
    "err.campaign.edit_rect_size",
    "err.campaign.edit_rect_over_right",
    "err.campaign.edit_rect_over_bottom",
    "err.campaign.cancelled",
];

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
    pub goal: String,
    pub tone: String,
    /// Language tags, e.g. `["zh-CN", "en"]`.
    pub languages: Vec<String>,
    /// Placement ids, in the order chosen.
    pub placements: Vec<String>,
    pub landing_url: String,
    pub business_name: String,
    pub variants_per_segment: u32,
}

/// A variant: one copy set of one segment in one language, its design, and its primary render
/// (the campaign's first placement — the preview, and what the skeleton's export writes).
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
    /// Position of the copy set among its segment's sets in this language (0-based).
    pub set_index: u32,
    pub headline: String,
    pub long_headline: String,
    pub description: String,
    pub primary_text: String,
    pub cta: String,
    pub angle: String,
    pub keywords: Vec<String>,
    /// Why the copy is as it is (keyed, with English text).
    pub reasons: Vec<crate::copy::Reason>,
    /// `draft` or `approved` (the walking skeleton's status; `approved` exactly when
    /// `review_state` is).
    pub status: String,
    /// Where the variant is in review (the review module's state machine moves it).
    pub review_state: ReviewState,
    /// The design every placement is rendered from.
    pub design: Design,
    /// Primary placement id.
    pub placement: String,
    pub width: u32,
    pub height: u32,
    /// Encoded bytes of the primary render.
    #[serde(skip)]
    pub image: Vec<u8>,
    pub image_format: ImageFormat,
    /// SHA-256 over every render's SHA-256 in placement order: changes when any image does.
    pub renders_sha256: String,
    /// Every placement's render (metadata), in the campaign's placement order.
    pub renders: Vec<RenderInfo>,
}

/// One placement's render of a variant, without the bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RenderInfo {
    pub placement: String,
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub max_bytes: u64,
    /// JPEG quality when the PNG did not fit the budget.
    pub quality: Option<u8>,
    pub within_budget: bool,
    pub sha256: String,
    pub contrast: Vec<ContrastCheck>,
}

/// Create a campaign over the newest segments: every segment × language × copy set, rendered
/// at every placement. Progress stages: `plan` (per segment), then `render` (per banner);
/// cancelling leaves the project unchanged.
///
/// Errors: invalid spec, no segments, no matching product, a render error, cancel, store.
pub fn create(project: &mut Project, params: CampaignParams, progress: ProgressFn) -> Result<CampaignRow, CampaignError> {
    let spec = params.check()?;
    let segs = segments::latest(project)?;
    if segs.is_empty() {
        return Err(CampaignError::NoSegments);
    }
    if build::filter_count(project, &spec.products)? == 0 {
        return Err(CampaignError::NoProducts);
    }
    if let Some(p) = &spec.promotion {
        claims::check_products(project, p)?;
    }
    let model_id: i64 = project.conn().query_row("SELECT max(id) FROM segment_models", [], |r| r.get(0))?;
    if progress(&Progress::new("plan", 0, segs.len() as u64, "writing copy")) == crate::Flow::Cancel {
        return Err(CampaignError::Cancelled);
    }
    let planned = build::plan(project, &spec, &segs)?;
    let places: Vec<&'static placements::Placement> = spec.placements.iter().map(|id| placements::by_id(id).expect("checked by spec")).collect();
    let designs: Vec<&Design> = planned.iter().map(|p| &p.design).collect();
    let renders = build::render_all(&designs, &places, progress)?;

    // A savepoint commits like a transaction on its own and nests inside a caller's one.
    let tx = project.conn_mut().savepoint()?;
    let now = now_text();
    let langs: Vec<&str> = spec.languages.iter().map(|l| l.tag()).collect();
    tx.execute(
        "INSERT INTO campaigns(name,lang,seed,model_id,created_at,goal,languages,placements,tone,landing_url,business_name,brand_kit,products,variants_per_segment,promotion,new_within_days)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
        params![
            spec.name,
            langs[0],
            spec.seed as i64,
            model_id,
            now,
            spec.goal.as_str(),
            json(&langs),
            json(&spec.placements),
            spec.tone.as_str(),
            spec.landing_url,
            spec.business_name,
            json(&spec.kit),
            json(&spec.products),
            spec.variants_per_segment as i64,
            spec.promotion.as_ref().map(json),
            spec.new_within() as i64
        ],
    )?;
    let cid = tx.last_insert_rowid();
    for (p, rs) in planned.iter().zip(&renders) {
        let s = &p.set;
        tx.execute(
            "INSERT INTO variants(campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at,set_index,long_headline,primary_text,angle,keywords)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
            params![
                cid,
                p.segment_id,
                p.product.id,
                p.lang.tag(),
                s.headline,
                s.description,
                s.cta,
                json(&s.reasons),
                json(&p.design),
                now,
                p.set_index,
                s.long_headline,
                s.primary_text,
                s.angle,
                json(&s.keywords)
            ],
        )?;
        store_renders(&tx, tx.last_insert_rowid(), rs)?;
    }
    tx.commit()?;
    get(project, cid)
}

/// Replace the renders of variant `vid` with `rs`.
fn store_renders(tx: &rusqlite::Connection, vid: i64, rs: &[build::RenderOut]) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM renders WHERE variant_id = ?1", [vid])?;
    let mut ins = tx.prepare("INSERT INTO renders(variant_id,placement,width,height,image,sha256,format,quality,max_bytes,within_budget,contrast) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)")?;
    for r in rs {
        let p = r.placement;
        ins.execute(params![vid, p.id, p.width, p.height, r.bytes, r.sha256, format_name(r.format), r.quality, p.max_bytes as i64, r.within_budget, json(&r.contrast)])?;
    }
    Ok(())
}

fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("serialisable")
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpeg",
    }
}

fn format_of(s: &str) -> ImageFormat {
    if s == "jpeg" {
        ImageFormat::Jpeg
    } else {
        ImageFormat::Png
    }
}

/// One campaign. Errors: `NotFound`.
pub fn get(project: &Project, id: i64) -> Result<CampaignRow, CampaignError> {
    list(project)?.into_iter().find(|c| c.id == id).ok_or(CampaignError::NotFound(id))
}

/// All campaigns, newest first.
pub fn list(project: &Project) -> rusqlite::Result<Vec<CampaignRow>> {
    let mut stmt = project.conn().prepare(
        "SELECT c.id, c.name, c.created_at, count(v.id), coalesce(sum(v.status = 'approved'), 0), c.goal, c.tone, c.languages, c.placements,
                c.landing_url, c.business_name, c.variants_per_segment
         FROM campaigns c LEFT JOIN variants v ON v.campaign_id = c.id GROUP BY c.id ORDER BY c.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CampaignRow {
            id: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
            variants: r.get::<_, i64>(3)? as u32,
            approved: r.get::<_, i64>(4)? as u32,
            goal: r.get(5)?,
            tone: r.get(6)?,
            languages: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
            placements: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
            landing_url: r.get(9)?,
            business_name: r.get(10)?,
            variants_per_segment: r.get::<_, i64>(11)? as u32,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_spec;
#[cfg(test)]
mod tests_typeset;
