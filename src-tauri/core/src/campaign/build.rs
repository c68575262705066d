//! Building a campaign's variants: choose each segment's product, write its copy sets, lay
//! out the banner design, and render every placement on every core.
//!
//! Nothing here writes to the store; [`super::create`] stores the result in one transaction,
//! so a cancel or an error leaves the project unchanged.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use rusqlite::{named_params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::spec::{ProductFilter, ValidCampaignSpec};
use super::CampaignError;
use crate::banner::{self, BrandKit, Content, ContrastCheck, Design, ImageFormat, LayerEdit};
use crate::copy::{self, Brief, CopySet, Lang, ProductInfo, Reason};
use crate::placements::{self, Placement};
use crate::progress::{Flow, Progress, ProgressFn};
use crate::segments::{self, SegmentRow};
use crate::store::Project;

/// One copy set of one segment in one language, with the design its banners are drawn from.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub segment_id: i64,
    pub product: ProductInfo,
    pub lang: Lang,
    pub set_index: u32,
    pub set: CopySet,
    pub design: Design,
}

/// One placement's image of one variant.
#[derive(Debug, Clone)]
pub(super) struct RenderOut {
    pub placement: &'static Placement,
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub quality: Option<u8>,
    pub within_budget: bool,
    pub contrast: Vec<ContrastCheck>,
    pub sha256: String,
}

/// Everything the copy generator needs about one segment, read once.
struct SegmentBrief {
    profile: segments::profile::Profile,
    interests: Vec<(String, f64)>,
    product: ProductInfo,
    product_reason: Reason,
    evidence: copy::Evidence,
}

/// Plan every variant of the campaign: per segment, its product; per language, `n` copy sets.
pub(super) fn plan(project: &Project, spec: &ValidCampaignSpec, segs: &[SegmentRow]) -> Result<Vec<Planned>, CampaignError> {
    let mut out = Vec::new();
    for s in segs {
        let mut b = brief_of(project, &spec.products, s)?;
        b.evidence = super::claims::evidence(project, spec.promotion.as_ref(), spec.new_within(), &b.product, super::claims::today())?;
        let picture = product_picture(project, &b.product.id)?;
        for &lang in &spec.languages {
            let sets = copy::generate_sets(&Brief {
                profile: &b.profile,
                product: &b.product,
                interests: &b.interests,
                tone: spec.tone,
                goal: spec.goal,
                business_name: &spec.business_name,
                lang,
                seed: spec.seed ^ (s.label as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                n: spec.variants_per_segment,
                evidence: &b.evidence,
            });
            for (i, mut set) in sets.into_iter().enumerate() {
                set.reasons.insert(0, b.product_reason.clone());
                let mut design = design_for(&spec.kit, s.label as usize, &b.product, &set, Vec::new());
                design.content.product_image.clone_from(&picture);
                out.push(Planned { segment_id: s.id, product: b.product.clone(), lang, set_index: i as u32, set, design });
            }
        }
    }
    Ok(out)
}

/// The banner design of a copy set: the set's text, its price and badge (the promotion's
/// price and exact reduction on a set that makes the price claim, else the regular price and
/// no badge), the product's picture, the segment's palette and the brand kit.
pub(super) fn design_for(kit: &BrandKit, palette: usize, product: &ProductInfo, set: &CopySet, edits: Vec<LayerEdit>) -> Design {
    let price = if set.price.is_empty() { copy::money(product.price_cents, &product.currency) } else { set.price.clone() };
    let lead = placements::by_id("google-rda-landscape").expect("the landscape placement is in the table");
    Design {
        width: lead.width,
        height: lead.height,
        family: lead.family,
        palette,
        kit: kit.clone(),
        content: Content {
            headline: set.headline.clone(),
            subline: set.description.clone(),
            cta: set.cta.clone(),
            price,
            badge: set.badge.clone(),
            product_category: product.category.clone(),
            product_seed: product.id.bytes().map(u64::from).sum(),
            product_kind: banner::art::kind_for(&product.name_en).unwrap_or_default().to_string(),
            // the catalog picture is the caller's to add (`product_picture`): it is not copy input
            product_image: String::new(),
        },
        edits,
    }
}

/// The catalog picture of product `id` (a file path checked at import), or "" for none.
pub(super) fn product_picture(project: &Project, id: &str) -> rusqlite::Result<String> {
    Ok(project.conn().query_row("SELECT image FROM products WHERE id = ?1", [id], |r| r.get::<_, Option<String>>(0)).optional()?.flatten().unwrap_or_default())
}

fn brief_of(project: &Project, filter: &ProductFilter, s: &SegmentRow) -> Result<SegmentBrief, CampaignError> {
    let profile = segments::profile_of(project, s.id)?;
    // Predicted interests (the next window's likeliest categories) lead; the profile's
    // historical top categories follow, for models without a prediction.
    let interests = crate::interest::segment_interests(project, s.id)?;
    let mut cats: Vec<String> = interests.iter().map(|(c, _)| c.clone()).take(3).collect();
    cats.extend(profile.top_categories.iter().filter(|c| !cats.contains(c)).cloned().collect::<Vec<_>>());
    let (product, product_reason) = match top_product(project, s.id, &cats, filter)? {
        Some(p) => {
            let why = match interests.iter().find(|(c, _)| *c == p.category) {
                Some((c, prob)) => Reason::new("reason.product.interest", [("category", c.clone()), ("prob", format!("{prob:.2}"))]),
                None => Reason::new("reason.product.engaged", [("category", p.category.clone()), ("product", p.id.clone())]),
            };
            (p, why)
        }
        None => {
            let p = best_seller(project, filter)?.ok_or(CampaignError::NoProduct(s.id))?;
            let why = Reason::new("reason.product.best_seller", [("product", p.id.clone())]);
            (p, why)
        }
    };
    Ok(SegmentBrief { profile, interests, product, product_reason, evidence: copy::Evidence::default() })
}

/// SQL condition for a [`ProductFilter`] over `products p`, with the named parameters
/// `:ids` (JSON array, `[]` for any), `:cat` and `:brand` (`''` for any).
const FILTER_SQL: &str = "(:ids = '[]' OR p.id IN (SELECT value FROM json_each(:ids)))
     AND (:cat = '' OR p.category = :cat) AND (:brand = '' OR p.brand = :brand)";

struct FilterArgs {
    ids: String,
    cat: String,
    brand: String,
}

fn filter_args(f: &ProductFilter) -> FilterArgs {
    FilterArgs { ids: serde_json::to_string(&f.ids).expect("ids json"), cat: f.category.clone().unwrap_or_default(), brand: f.brand.clone().unwrap_or_default() }
}

fn product_of_row(r: &rusqlite::Row) -> rusqlite::Result<ProductInfo> {
    Ok(ProductInfo { id: r.get(0)?, name_en: r.get(1)?, name_zh: r.get(2)?, brand: r.get(3)?, category: r.get(4)?, price_cents: r.get(5)?, currency: r.get(6)? })
}

/// The product of `cats` (in order) that the segment's users engage with most, within the filter.
fn top_product(project: &Project, segment_id: i64, cats: &[String], filter: &ProductFilter) -> rusqlite::Result<Option<ProductInfo>> {
    let sql = format!(
        "SELECT p.id, p.name_en, p.name_zh, p.brand, p.category, p.price_cents, p.currency FROM events e
         JOIN user_segments us ON us.model_id = (SELECT model_id FROM segments WHERE id = :segment) AND us.user_id = e.user_id AND us.segment_id = :segment
         JOIN products p ON p.id = e.product_id
         WHERE p.category = :category AND {FILTER_SQL} GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"
    );
    let f = filter_args(filter);
    let mut stmt = project.conn().prepare(&sql)?;
    for c in cats {
        let args = named_params! { ":segment": segment_id, ":category": c, ":ids": f.ids, ":cat": f.cat, ":brand": f.brand };
        if let Some(p) = stmt.query_row(args, product_of_row).optional()? {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// The filter's product with the most events overall (ties by id), or any product of the
/// filter when none has events.
pub(super) fn best_seller(project: &Project, filter: &ProductFilter) -> rusqlite::Result<Option<ProductInfo>> {
    let sql = format!(
        "SELECT p.id, p.name_en, p.name_zh, p.brand, p.category, p.price_cents, p.currency FROM products p
         WHERE {FILTER_SQL}
         ORDER BY (SELECT count(*) FROM events e WHERE e.product_id = p.id) DESC, p.id LIMIT 1"
    );
    let f = filter_args(filter);
    project.conn().query_row(&sql, named_params! { ":ids": f.ids, ":cat": f.cat, ":brand": f.brand }, product_of_row).optional()
}

/// How many products the filter admits (0 means the campaign cannot be made).
pub(super) fn filter_count(project: &Project, filter: &ProductFilter) -> rusqlite::Result<i64> {
    let sql = format!("SELECT count(*) FROM products p WHERE {FILTER_SQL}");
    let f = filter_args(filter);
    project.conn().query_row(&sql, named_params! { ":ids": f.ids, ":cat": f.cat, ":brand": f.brand }, |r| r.get(0))
}

/// Render and encode `designs[i]` for every placement, on all cores. Results are in the
/// order of `designs` × `placements`. `progress` sees every finished banner (stage `render`)
/// and may cancel. Errors: a render error, `Cancelled`.
pub(super) fn render_all(designs: &[&Design], placements: &[&'static Placement], progress: ProgressFn) -> Result<Vec<Vec<RenderOut>>, CampaignError> {
    let total = designs.len() * placements.len();
    let next = AtomicUsize::new(0);
    let cancel = AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(total.max(1));
    let mut slots: Vec<Option<RenderOut>> = vec![None; total];
    std::thread::scope(|scope| -> Result<(), CampaignError> {
        let (tx, rx) = mpsc::channel::<(usize, Result<RenderOut, banner::BannerError>)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, cancel) = (&next, &cancel);
            scope.spawn(move || loop {
                let job = next.fetch_add(1, Ordering::Relaxed);
                if job >= total || cancel.load(Ordering::Relaxed) {
                    break;
                }
                let out = render_one(designs[job / placements.len()], placements[job % placements.len()]);
                if tx.send((job, out)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut done = 0u64;
        for (job, out) in rx {
            match out {
                Ok(r) => slots[job] = Some(r),
                Err(e) => {
                    cancel.store(true, Ordering::Relaxed);
                    return Err(e.into());
                }
            }
            done += 1;
            let p = placements[job % placements.len()];
            if progress(&Progress::new("render", done, total as u64, format!("{} {}×{}", p.id, p.width, p.height))) == Flow::Cancel {
                cancel.store(true, Ordering::Relaxed);
                return Err(CampaignError::Cancelled);
            }
        }
        Ok(())
    })?;
    let mut it = slots.into_iter();
    Ok(designs.iter().map(|_| (0..placements.len()).map(|_| it.next().flatten().expect("every job rendered")).collect()).collect())
}

/// Render `base` at placement `p`'s size and family and encode it within its byte budget.
pub(super) fn render_one(base: &Design, p: &'static Placement) -> Result<RenderOut, banner::BannerError> {
    let d = Design { width: p.width, height: p.height, family: p.family, ..base.clone() };
    let r = banner::render_design(&d)?;
    let enc = banner::encode_within(&r.image, p.max_bytes)?;
    let sha256 = hex::encode(Sha256::digest(&enc.bytes));
    Ok(RenderOut { placement: p, bytes: enc.bytes, format: enc.format, quality: enc.quality, within_budget: enc.within_budget, contrast: r.contrast, sha256 })
}
