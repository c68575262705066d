//! The copy linter and the unsupported-claim rule over every set the generator writes for
//! three stores: the demo store, and two built from the real data in `fixtures/data/` (the
//! REES46 sample and the UCI Online Retail sample). All segments × their top products × both
//! languages × every tone × both goals, with and without a promotion: zero lint findings and
//! zero unsupported claims, and enough sets per brief that the zero means something (the
//! linter's rules are each shown to fire in `compliance/lint/tests.rs`).

use rusqlite::params;

use crate::campaign::claims;
use crate::compliance::lint::{lint, LintContext, LintFinding};
use crate::compliance::{self, Field};
use crate::copy::{self, Brief, CopySet, Goal, Lang, ProductInfo, PromoKind, Promotion, Tone};
use crate::progress::ignore;
use crate::segments::{self, KChoice, SegmentParams};
use crate::store::Project;

/// Fewest sets a brief must yield (a catalog without Chinese names, brands or categories, such
/// as UCI Online Retail's, leaves Chinese copy few templates).
const MIN_SETS: usize = 2;
/// Top products per segment the sets are written for.
const PRODUCTS_PER_SEGMENT: usize = 2;

fn store_from_fixture(rel: &str, k: usize) -> Project {
    let mut p = Project::open_in_memory().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/data").join(rel);
    crate::ingest::import_file(&mut p, &path, &mut ignore).unwrap();
    train(&mut p, k);
    p
}

fn train(p: &mut Project, k: usize) {
    let params = SegmentParams { k: KChoice::Fixed(k), seed: 5, min_size: 20, ..Default::default() }.check().unwrap();
    segments::train(p, &params, &mut ignore).unwrap();
}

fn demo_store() -> Project {
    let mut p = crate::testkit::demo_store(11);
    train(&mut p, 6);
    p
}

/// The products the segment's users engage with most (ties by id).
fn top_products(p: &Project, segment_id: i64) -> Vec<ProductInfo> {
    let mut stmt = p
        .conn()
        .prepare(
            "SELECT pr.id, pr.name_en, pr.name_zh, pr.brand, pr.category, pr.price_cents, pr.currency FROM events e
             JOIN user_segments us ON us.user_id = e.user_id AND us.segment_id = ?1
             JOIN products pr ON pr.id = e.product_id
             WHERE pr.price_cents > 0 GROUP BY pr.id ORDER BY count(*) DESC, pr.id LIMIT ?2",
        )
        .unwrap();
    stmt.query_map(params![segment_id, PRODUCTS_PER_SEGMENT as i64], |r| {
        Ok(ProductInfo { id: r.get(0)?, name_en: r.get(1)?, name_zh: r.get(2)?, brand: r.get(3)?, category: r.get(4)?, price_cents: r.get(5)?, currency: r.get(6)? })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn fields(s: &CopySet) -> [(Field, &str); 5] {
    [(Field::Headline, &s.headline), (Field::LongHeadline, &s.long_headline), (Field::Description, &s.description), (Field::PrimaryText, &s.primary_text), (Field::Cta, &s.cta)]
}

/// Every problem in every set generated for `p`, and how many sets were checked.
fn problems(p: &Project, store: &str) -> (Vec<String>, usize) {
    let segs = segments::latest(p).unwrap();
    assert!(segs.len() >= 3, "{store}: {} segments", segs.len());
    let labels: Vec<String> = segs.iter().flat_map(|s| [s.name_en.clone(), s.name_zh.clone()]).collect();
    let promo = Promotion { kind: PromoKind::Percent(15), starts: "2026-11-01".into(), ends: "2099-12-31".into(), products: Vec::new() };
    let on = copy::parse_date("2026-11-05").unwrap();
    let (mut out, mut checked) = (Vec::new(), 0);
    for s in &segs {
        let profile = segments::profile_of(p, s.id).unwrap();
        let interests = crate::interest::segment_interests(p, s.id).unwrap();
        for product in top_products(p, s.id) {
            for promotion in [None, Some(&promo)] {
                let evidence = claims::evidence(p, promotion, copy::NEW_WITHIN_DAYS, &product, on).unwrap();
                let ctx = evidence.context(&[&product.name_en, &product.name_zh, &product.brand, "Demo Store"]);
                for lang in [Lang::En, Lang::Zh] {
                    for tone in Tone::ALL {
                        for goal in [Goal::Clicks, Goal::Purchases] {
                            let brief = Brief { profile: &profile, product: &product, interests: &interests, tone, goal, business_name: "Demo Store", lang, seed: 7, n: 8, evidence: &evidence };
                            let sets = copy::generate_sets(&brief);
                            if sets.len() < MIN_SETS {
                                out.push(format!("{store} segment {} product {} {lang:?} {tone:?} {goal:?}: only {} sets", s.label, product.id, sets.len()));
                            }
                            for set in &sets {
                                checked += 1;
                                let lc = LintContext {
                                    labels: labels.clone(),
                                    names: vec![product.name_en.clone(), product.name_zh.clone(), product.brand.clone(), "Demo Store".into()],
                                    keywords: set.keywords.clone(),
                                    zh: lang == Lang::Zh,
                                };
                                let found: Vec<LintFinding> = lint(&fields(set), &lc);
                                let claims: Vec<_> = compliance::check_with(&fields(set), &ctx).into_iter().filter(|f| f.rule == "unsupported-claim").collect();
                                for f in &found {
                                    out.push(format!("{} {store} {}/{lang:?}/{tone:?} {:?} “{}”: {set:?}", f.rule, product.id, f.field, f.text));
                                }
                                for f in &claims {
                                    out.push(format!("unsupported-claim {store} {}/{lang:?} {:?} “{}”: {set:?}", product.id, f.field, f.text));
                                }
                                // Every reason is keyed by a template and fully filled in.
                                for r in &set.reasons {
                                    if !copy::reason::TEMPLATES.iter().any(|(k, _)| *k == r.key) || r.key == copy::reason::LEGACY || r.text.contains('{') {
                                        out.push(format!("reason-key {store} {}/{lang:?} {}: “{}”", product.id, r.key, r.text));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    (out, checked)
}

fn assert_clean(p: &Project, store: &str) {
    let (found, checked) = problems(p, store);
    assert!(checked > 500, "{store}: only {checked} sets");
    // One example per rule and text, so a failure shows every kind of problem at once.
    let mut seen: Vec<String> = Vec::new();
    let examples: Vec<&String> = found
        .iter()
        .filter(|f| {
            let key = f.split(':').next().unwrap_or("").split_whitespace().filter(|w| !w.contains('/')).collect::<Vec<_>>().join(" ");
            let new = !seen.contains(&key);
            seen.push(key);
            new
        })
        .take(40)
        .collect();
    assert!(found.is_empty(), "{store}: {} problems in {checked} sets:\n{}", found.len(), examples.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"));
}

#[test]
fn every_demo_set_is_clean() {
    assert_clean(&demo_store(), "demo");
}

#[test]
fn every_rees46_set_is_clean() {
    assert_clean(&store_from_fixture("rees46/2019-Oct-head.csv.gz", 4), "rees46");
}

#[test]
fn every_online_retail_set_is_clean() {
    assert_clean(&store_from_fixture("online-retail/online-retail-sample-20k.csv.gz", 4), "online-retail");
}
