//! Campaign invariants on the demo store: counts, budgets, cancel, product filter, edits,
//! regeneration with locked layers, live lint.

use super::edit::{self, CopyFields, VariantEdit};
use super::*;
use crate::banner::{LayerEdit, LayerKind};
use crate::copy::Lang;
use crate::progress::{ignore, Flow};
use crate::{review, testkit, HasCode};

const PLACES: [&str; 3] = ["google-rda-landscape", "iab-300x250", "iab-320x50"];

fn bilingual(seed: u64) -> CampaignParams {
    CampaignParams { languages: vec![Lang::Zh, Lang::En], placements: PLACES.iter().map(|s| s.to_string()).collect(), variants_per_segment: 3, ..CampaignParams::new("Bilingual", Lang::Zh, seed) }
}

#[test]
fn every_segment_gets_n_distinct_sets_per_language_at_every_placement_within_budget() {
    let (mut p, _) = testkit::campaign_project();
    let segs = segments::latest(&p).unwrap().len();
    let c = create(&mut p, bilingual(3), &mut ignore).unwrap();
    let vs = variants(&p, c.id).unwrap();
    assert_eq!(vs.len(), segs * 2 * 3);
    assert_eq!(c.languages, vec!["zh-CN", "en"]);
    for v in &vs {
        assert_eq!(v.renders.iter().map(|r| r.placement.as_str()).collect::<Vec<_>>(), PLACES, "every placement, in order");
        for r in &v.renders {
            let pl = placements::by_id(&r.placement).unwrap();
            assert_eq!((r.width, r.height), (pl.width, pl.height));
            assert!(r.within_budget && r.bytes <= pl.max_bytes, "{r:?}");
            let (bytes, format) = render_image(&p, v.id, &r.placement).unwrap();
            assert_eq!(bytes.len() as u64, r.bytes);
            assert_eq!(format, r.format);
        }
        assert_eq!((v.placement.as_str(), v.width, v.height), ("google-rda-landscape", 1200, 628), "primary render");
        assert!(!v.reasons.is_empty() && !v.angle.is_empty());
    }
    for s in segments::latest(&p).unwrap() {
        for lang in ["zh-CN", "en"] {
            let mut heads: Vec<&str> = vs.iter().filter(|v| v.segment_id == s.id && v.lang == lang).map(|v| v.headline.as_str()).collect();
            let n = heads.len();
            heads.sort();
            heads.dedup();
            assert_eq!(heads.len(), n, "distinct headlines in segment {} {lang}", s.id);
        }
    }
}

#[test]
fn creation_is_deterministic_under_the_seed() {
    let (mut p, _) = testkit::campaign_project();
    let a = create(&mut p, bilingual(9), &mut ignore).unwrap();
    let b = create(&mut p, bilingual(9), &mut ignore).unwrap();
    let key = |id| variants(&p, id).unwrap().into_iter().map(|v| (v.headline, v.description, v.cta, v.renders_sha256)).collect::<Vec<_>>();
    assert_eq!(key(a.id), key(b.id));
}

#[test]
fn cancelling_while_rendering_changes_nothing() {
    let (mut p, _) = testkit::campaign_project();
    let before = list(&p).unwrap().len();
    let mut seen = 0;
    let mut cancel_at_5 = |pr: &Progress| {
        if pr.stage == "render" {
            seen += 1;
        }
        if seen >= 5 {
            Flow::Cancel
        } else {
            Flow::Continue
        }
    };
    let e = create(&mut p, bilingual(1), &mut cancel_at_5).unwrap_err();
    assert!(matches!(e, CampaignError::Cancelled), "{e}");
    assert_eq!(list(&p).unwrap().len(), before);
}

#[test]
fn the_product_filter_decides_what_is_promoted() {
    let (mut p, _) = testkit::campaign_project();
    let mut params = bilingual(1);
    params.products.category = Some("electronics".into());
    let c = create(&mut p, params, &mut ignore).unwrap();
    let cats: Vec<String> = variants(&p, c.id).unwrap().iter().map(|v| p.conn().query_row("SELECT category FROM products WHERE id = ?1", [&v.product_id], |r| r.get(0)).unwrap()).collect();
    assert!(!cats.is_empty() && cats.iter().all(|c| c == "electronics"), "{cats:?}");
    let mut none = bilingual(1);
    none.products.brand = Some("no such brand".into());
    let e = create(&mut p, none, &mut ignore).unwrap_err();
    assert!(matches!(e, CampaignError::NoProducts));
    assert_eq!(e.code(), crate::ErrorCode::Conflict);
}

fn first_variant(p: &mut Project) -> Variant {
    let c = create(p, bilingual(2), &mut ignore).unwrap();
    variants(p, c.id).unwrap().into_iter().find(|v| v.lang == "en").unwrap()
}

#[test]
fn an_edit_rerenders_every_placement_and_returns_the_variant_to_draft() {
    let (mut p, _) = testkit::campaign_project();
    let v = first_variant(&mut p);
    testkit::submit_and_approve(&mut p, v.id, "").unwrap();
    let e = edit::edit(&mut p, v.id, VariantEdit { headline: Some("A calmer morning routine".into()), ..Default::default() }).unwrap();
    assert_eq!(e.headline, "A calmer morning routine");
    assert_eq!(e.design.content.headline, e.headline, "the banner shows the new headline");
    assert_eq!(e.status, "draft", "an edit after approval returns to draft");
    assert_ne!(e.renders_sha256, v.renders_sha256, "images re-rendered");
    assert_ne!(review::content_hash(&e), review::content_hash(&v));

    let too_long = edit::edit(&mut p, v.id, VariantEdit { headline: Some("An unusually long headline for any display ad".into()), ..Default::default() }).unwrap_err();
    assert!(matches!(&too_long, CampaignError::BadEdit(EditProblem::TooLong(ps)) if ps.iter().any(|p| p.placement == "google-rda-landscape" && p.limit == 30)), "{too_long}");
    assert!(too_long.to_string().contains("google-rda-landscape allows 30"), "{too_long}");
    let empty = edit::edit(&mut p, v.id, VariantEdit { cta: Some("  ".into()), ..Default::default() }).unwrap_err();
    assert_eq!(empty.code(), crate::ErrorCode::InvalidInput);
    let twice = VariantEdit { layers: Some(vec![LayerEdit { kind: LayerKind::Cta, ..Default::default() }, LayerEdit { kind: LayerKind::Cta, ..Default::default() }]), ..Default::default() };
    assert!(edit::edit(&mut p, v.id, twice).is_err());
    assert_eq!(variant(&p, v.id).unwrap().unwrap().headline, "A calmer morning routine", "refused edits change nothing");
}

#[test]
fn regenerating_keeps_locked_layers_and_drops_unlocked_edits() {
    let (mut p, _) = testkit::campaign_project();
    let v = first_variant(&mut p);
    let layers = vec![
        LayerEdit { kind: LayerKind::Headline, locked: true, color: Some([250, 250, 250]), ..Default::default() },
        LayerEdit { kind: LayerKind::Cta, locked: false, color: Some([10, 120, 60]), ..Default::default() },
    ];
    let locked = edit::edit(&mut p, v.id, VariantEdit { layers: Some(layers), ..Default::default() }).unwrap();
    let r = edit::regenerate(&mut p, v.id).unwrap();
    assert_eq!(r.headline, locked.headline, "locked headline kept");
    assert_ne!((r.description.as_str(), r.cta.as_str()), (locked.description.as_str(), locked.cta.as_str()), "unlocked copy renewed");
    assert_eq!(r.design.edits.len(), 1, "only the locked edit survives: {:?}", r.design.edits);
    assert_eq!(r.design.edits[0].color, Some([250, 250, 250]));
    assert!(r.reasons.last().unwrap().text.contains("locked layers kept: headline"), "{:?}", r.reasons);
    assert_eq!(r.status, "draft");
    let again = edit::regenerate(&mut p, v.id).unwrap();
    assert_eq!(again.headline, locked.headline);
}

#[test]
fn lint_marks_rule_breaks_and_over_long_text_live() {
    let (mut p, _) = testkit::campaign_project();
    let c = create(&mut p, bilingual(4), &mut ignore).unwrap();
    let fields = CopyFields { headline: "全网最低价耳机限时抢购活动今天开始".into(), cta: "Buy!!".into(), ..Default::default() };
    let l = edit::lint(&p, c.id, None, &fields).unwrap();
    assert!(l.findings.iter().any(|f| f.rule == "cn-ad-law-9-absolute"), "{l:?}");
    assert!(l.findings.iter().any(|f| f.rule == "google-repeated-punctuation"), "{l:?}");
    assert!(l.lengths.iter().any(|x| x.placement == "google-rda-landscape" && x.limit == 30), "34 units > 30: {l:?}");
    let clean = edit::lint(&p, c.id, None, &CopyFields { headline: "Fresh picks".into(), cta: "Shop now".into(), ..Default::default() }).unwrap();
    assert!(clean.findings.is_empty() && clean.lengths.is_empty(), "{clean:?}");
    assert!(matches!(edit::lint(&p, 9999, None, &fields), Err(CampaignError::NotFound(9999))));
}
