//! Changing a variant after it was generated: edit its copy or its banner layers, lock layers,
//! regenerate it (locked layers keep their content), and lint copy live while it is typed.
//!
//! Every change re-renders all of the campaign's placements and returns the variant to
//! `draft`: an approval covers exactly the content it saw.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::build::{self, RenderOut};
use super::{json, store_renders, variant, CampaignError, EditProblem, Variant};
use crate::banner::{BrandKit, Design, LayerEdit, LayerKind};
use crate::compliance::{self, Field, Finding};
use crate::copy::{self, Brief, CopySet, Goal, Lang, ProductInfo, Reason, Tone};
use crate::placements::{self, Placement, TextLength};
use crate::progress::ignore;
use crate::segments;
use crate::store::{now_text, Project};

/// The copy of a variant, every field of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyFields {
    pub headline: String,
    pub long_headline: String,
    pub description: String,
    pub primary_text: String,
    pub cta: String,
}

impl CopyFields {
    fn of(v: &Variant) -> CopyFields {
        CopyFields { headline: v.headline.clone(), long_headline: v.long_headline.clone(), description: v.description.clone(), primary_text: v.primary_text.clone(), cta: v.cta.clone() }
    }

    fn fields(&self) -> [(Field, &str); 5] {
        [(Field::Headline, &self.headline), (Field::LongHeadline, &self.long_headline), (Field::Description, &self.description), (Field::PrimaryText, &self.primary_text), (Field::Cta, &self.cta)]
    }
}

/// A change to a variant. `None` leaves a field as it is; `layers` replaces the design's layer
/// edits (text, colour, position, hidden, locked per layer) when given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VariantEdit {
    pub headline: Option<String>,
    pub long_headline: Option<String>,
    pub description: Option<String>,
    pub primary_text: Option<String>,
    pub cta: Option<String>,
    pub layers: Option<Vec<LayerEdit>>,
}

/// What the editor marks while the marketer types: compliance findings (with spans and
/// fixes), texts too long for one of the campaign's placements, and every limited text's
/// length (the counters).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyLint {
    pub findings: Vec<Finding>,
    /// The texts longer than a placement allows.
    pub lengths: Vec<TextLength>,
    /// Every text a placement limits, with its length there (over the limit or not).
    pub counts: Vec<TextLength>,
}

/// Lint `fields` against the placements of campaign `campaign_id`; with `variant`, claims
/// are judged by that variant's evidence (its campaign's promotion, its product's data),
/// without one every price, novelty, popularity or cart claim is unsupported. Errors:
/// `NotFound`, `VariantNotFound`.
pub fn lint(project: &Project, campaign_id: i64, variant: Option<i64>, fields: &CopyFields) -> Result<CopyLint, CampaignError> {
    let c = super::get(project, campaign_id)?;
    let places = resolve(&c.placements);
    let ctx = match variant {
        Some(id) => super::claims::context_of_variant(project, id, super::claims::today())?,
        None => compliance::ClaimContext::default(),
    };
    let counts: Vec<TextLength> = places.iter().flat_map(|p| placements::measure(p, &fields.fields())).collect();
    Ok(CopyLint { findings: compliance::check_with(&fields.fields(), &ctx), lengths: counts.iter().filter(|l| l.over).cloned().collect(), counts })
}

fn resolve(ids: &[String]) -> Vec<&'static Placement> {
    ids.iter().filter_map(|id| placements::by_id(id)).collect()
}

fn lengths(places: &[&'static Placement], fields: &CopyFields) -> Vec<TextLength> {
    places.iter().flat_map(|p| placements::check_lengths(p, &fields.fields())).collect()
}

/// Apply `edit` to variant `id`, re-render every placement and return it to draft.
///
/// Errors: `VariantNotFound`; `BadEdit` for an empty headline/description/CTA, a text longer
/// than a placement allows (each problem named), or a layer edit outside the canvas or given
/// twice for one layer.
pub fn edit(project: &mut Project, id: i64, edit: VariantEdit) -> Result<Variant, CampaignError> {
    let v = variant(project, id)?.ok_or(CampaignError::VariantNotFound(id))?;
    let c = super::get(project, v.campaign_id)?;
    let old = CopyFields::of(&v);
    let pick = |new: Option<String>, old: String| new.map(|s| s.trim().to_string()).unwrap_or(old);
    let fields = CopyFields {
        headline: pick(edit.headline, old.headline),
        long_headline: pick(edit.long_headline, old.long_headline),
        description: pick(edit.description, old.description),
        primary_text: pick(edit.primary_text, old.primary_text),
        cta: pick(edit.cta, old.cta),
    };
    for (field, text) in [(Field::Headline, &fields.headline), (Field::Description, &fields.description), (Field::Cta, &fields.cta)] {
        if text.is_empty() {
            return Err(CampaignError::BadEdit(EditProblem::Empty(field)));
        }
    }
    let places = resolve(&c.placements);
    let too_long = lengths(&places, &fields);
    if !too_long.is_empty() {
        return Err(CampaignError::BadEdit(EditProblem::TooLong(too_long)));
    }
    let mut design = v.design.clone();
    design.content.headline = fields.headline.clone();
    design.content.subline = fields.description.clone();
    design.content.cta = fields.cta.clone();
    if let Some(layers) = edit.layers {
        check_layers(&layers)?;
        design.edits = layers;
    }
    store(project, &v, &fields, &design, &places, None)
}

fn check_layers(layers: &[LayerEdit]) -> Result<(), CampaignError> {
    for (i, l) in layers.iter().enumerate() {
        if layers[..i].iter().any(|o| o.kind == l.kind) {
            return Err(CampaignError::BadEdit(EditProblem::LayerTwice(l.kind)));
        }
        if let Some(rect) = l.rect {
            check_rect(l.kind, rect)?;
        }
    }
    Ok(())
}

/// Whether layer `kind` may be placed at `rect` (fractions of the canvas): the rule the
/// templates' own rects obey ([`crate::banner::template::rect_problem`]). The editor asks it
/// while a position is typed; [`edit`] applies it on save. Errors: `BadEdit` saying how the
/// layer would leave the canvas.
pub fn check_rect(kind: LayerKind, rect: [f32; 4]) -> Result<(), CampaignError> {
    match crate::banner::template::rect_problem(rect) {
        Some(why) => Err(CampaignError::BadEdit(EditProblem::OffCanvas(kind, why))),
        None => Ok(()),
    }
}

/// Write new copy and design, re-render, back to draft (review state too: an approval no
/// longer counts). `regenerated` bumps the counter and replaces the stored reasons and set
/// metadata.
fn store(project: &mut Project, v: &Variant, f: &CopyFields, design: &Design, places: &[&'static Placement], regenerated: Option<&CopySet>) -> Result<Variant, CampaignError> {
    let renders: Vec<RenderOut> = build::render_all(&[design], places, &mut ignore)?.pop().unwrap_or_default();
    // A savepoint, not a transaction: on its own it commits like one, and inside a caller's
    // transaction (review::workflow records the audit row in the same one) it nests.
    let tx = project.conn_mut().savepoint()?;
    tx.execute(
        "UPDATE variants SET headline=?2, long_headline=?3, description=?4, primary_text=?5, cta=?6, layout=?7, status='draft', review_state='draft', updated_at=?8 WHERE id=?1",
        params![v.id, f.headline, f.long_headline, f.description, f.primary_text, f.cta, json(design), now_text()],
    )?;
    if let Some(set) = regenerated {
        tx.execute("UPDATE variants SET regenerations = regenerations + 1, reasons=?2, angle=?3, keywords=?4 WHERE id=?1", params![v.id, json(&set.reasons), set.angle, json(&set.keywords)])?;
    }
    store_renders(&tx, v.id, &renders)?;
    tx.commit()?;
    variant(project, v.id)?.ok_or(CampaignError::VariantNotFound(v.id))
}

/// The campaign settings regenerating needs.
struct Settings {
    seed: u64,
    tone: Tone,
    goal: Goal,
    business_name: String,
    kit: BrandKit,
    per_segment: usize,
    regenerations: u64,
    promotion: Option<copy::Promotion>,
    new_within_days: u32,
}

fn settings(project: &Project, v: &Variant) -> Result<Settings, CampaignError> {
    Ok(project.conn().query_row(
        "SELECT c.seed, c.tone, c.goal, c.business_name, c.brand_kit, c.variants_per_segment, v.regenerations, c.promotion, c.new_within_days FROM variants v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id = ?1",
        [v.id],
        |r| {
            Ok(Settings {
                seed: r.get::<_, i64>(0)? as u64,
                tone: Tone::parse(&r.get::<_, String>(1)?).unwrap_or(Tone::Informative),
                goal: Goal::parse(&r.get::<_, String>(2)?).unwrap_or(Goal::Clicks),
                business_name: r.get(3)?,
                kit: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
                per_segment: r.get::<_, i64>(5)?.max(1) as usize,
                regenerations: r.get::<_, i64>(6)? as u64,
                promotion: r.get::<_, Option<String>>(7)?.and_then(|s| serde_json::from_str(&s).ok()),
                new_within_days: r.get::<_, i64>(8)?.clamp(1, super::claims::MAX_NEW_WITHIN_DAYS as i64) as u32,
            })
        },
    )?)
}

/// Replace variant `id`'s copy with a fresh set for the same segment, product and language,
/// keeping every locked layer: a locked headline, subline (description), CTA, price or badge
/// keeps its text; any locked layer keeps its colour/position edits; unlocked edits are
/// dropped. Re-renders and returns the variant to draft. Errors: `VariantNotFound`, render.
pub fn regenerate(project: &mut Project, id: i64) -> Result<Variant, CampaignError> {
    let v = variant(project, id)?.ok_or(CampaignError::VariantNotFound(id))?;
    let st = settings(project, &v)?;
    let c = super::get(project, v.campaign_id)?;
    let profile = segments::profile_of(project, v.segment_id)?;
    let interests = crate::interest::segment_interests(project, v.segment_id)?;
    let product = project.conn().query_row("SELECT id, name_en, name_zh, brand, category, price_cents, currency FROM products WHERE id = ?1", [&v.product_id], |r| {
        Ok(ProductInfo { id: r.get(0)?, name_en: r.get(1)?, name_zh: r.get(2)?, brand: r.get(3)?, category: r.get(4)?, price_cents: r.get(5)?, currency: r.get(6)? })
    })?;
    let lang = Lang::parse(&v.lang).unwrap_or(Lang::En);
    let round = st.regenerations + 1;
    let evidence = super::claims::evidence(project, st.promotion.as_ref(), st.new_within_days, &product, super::claims::today())?;
    let sets = copy::generate_sets(&Brief {
        profile: &profile,
        product: &product,
        interests: &interests,
        tone: st.tone,
        goal: st.goal,
        business_name: &st.business_name,
        lang,
        seed: st.seed ^ (v.segment_label as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ round.wrapping_mul(0xA24B_AED4_963E_E407),
        n: st.per_segment.max(v.set_index as usize + 1),
        evidence: &evidence,
    });
    let locked: Vec<LayerEdit> = v.design.edits.iter().filter(|e| e.locked).cloned().collect();
    let is_locked = |k: LayerKind| locked.iter().any(|e| e.kind == k);
    // Starting at this variant's position, the first set that reads differently from today's
    // copy in what is not locked (a set of the same angle can repeat a description).
    let today = CopySet { headline: v.headline.clone(), description: v.description.clone(), ..CopySet::default() };
    let differs = |s: &CopySet| match (is_locked(LayerKind::Headline), is_locked(LayerKind::Subline)) {
        (true, true) => s.cta != v.cta,
        (true, false) => s.description != v.description,
        (false, true) => s.headline != v.headline,
        (false, false) => !copy::near_duplicate(s, &today),
    };
    let fresh = sets.iter().cycle().skip(v.set_index as usize % sets.len().max(1)).take(sets.len()).find(|s| differs(s)).or(sets.first()).cloned().ok_or(CampaignError::NoProduct(v.segment_id))?;
    let mut design = build::design_for(&st.kit, v.segment_label as usize, &product, &fresh, locked.clone());
    let keep = |k: LayerKind, old: &str, new: &mut String| {
        if is_locked(k) {
            *new = old.to_string();
        }
    };
    let old = &v.design.content;
    design.content.product_image.clone_from(&old.product_image);
    keep(LayerKind::Headline, &old.headline, &mut design.content.headline);
    keep(LayerKind::Subline, &old.subline, &mut design.content.subline);
    keep(LayerKind::Cta, &old.cta, &mut design.content.cta);
    keep(LayerKind::Price, &old.price, &mut design.content.price);
    keep(LayerKind::Badge, &old.badge, &mut design.content.badge);
    let fields = CopyFields {
        headline: design.content.headline.clone(),
        long_headline: fresh.long_headline.clone(),
        description: design.content.subline.clone(),
        primary_text: fresh.primary_text.clone(),
        cta: design.content.cta.clone(),
    };
    let mut set = fresh;
    let kept: Vec<String> = locked.iter().map(|e| format!("{:?}", e.kind).to_lowercase()).collect();
    set.reasons.push(if kept.is_empty() {
        Reason::new("reason.regenerated", [("round", round.to_string())])
    } else {
        Reason::new("reason.regenerated.kept", [("round", round.to_string()), ("layers", kept.join(","))])
    });
    let places = resolve(&c.placements);
    // Locked text may exceed a limit the fresh copy respected only if it did before; recheck.
    let too_long = lengths(&places, &fields);
    if !too_long.is_empty() {
        return Err(CampaignError::BadEdit(EditProblem::TooLong(too_long)));
    }
    store(project, &v, &fields, &design, &places, Some(&set))
}
