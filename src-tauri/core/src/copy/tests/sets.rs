//! Tests of the v2 generator: one test per invariant.

use super::{product, profile, promo_evidence};
use crate::compliance::{self, Field};
use crate::copy::*;
use crate::placements::{self, Placement};
use crate::segments::profile::Profile;

fn interests() -> Vec<(String, f64)> {
    vec![("sport".to_string(), 0.34), ("electronics".to_string(), 0.21)]
}

fn sets(p: &Profile, tone: Tone, goal: Goal, lang: Lang, seed: u64, n: usize) -> Vec<CopySet> {
    sets_with(p, tone, goal, lang, seed, n, &Evidence::default())
}

fn sets_with(p: &Profile, tone: Tone, goal: Goal, lang: Lang, seed: u64, n: usize, evidence: &Evidence) -> Vec<CopySet> {
    let (product, interests) = (product(), interests());
    generate_sets(&Brief { profile: p, product: &product, interests: &interests, tone, goal, business_name: "Demo Store", lang, seed, n, evidence })
}

/// A typical segment: mid-price, recently active, not carting much.
fn typical() -> Profile {
    profile(0.05, 0.05, 5.0)
}

fn fields(s: &CopySet) -> [(Field, &str); 5] {
    [(Field::Headline, &s.headline), (Field::LongHeadline, &s.long_headline), (Field::Description, &s.description), (Field::PrimaryText, &s.primary_text), (Field::Cta, &s.cta)]
}

fn grid() -> Vec<Profile> {
    let mut out = Vec::new();
    for pi in [-0.6, 0.0, 0.6] {
        for (cart, recency) in [(0.02, 2.0), (0.3, 45.0), (0.05, 400.0)] {
            for purchase_rate in [0.01, 0.1] {
                let mut p = profile(pi, cart, recency);
                p.purchase_rate = Some(purchase_rate);
                p.top_brands = if purchase_rate > 0.05 { vec!["Voltix".into()] } else { Vec::new() };
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn n_distinct_sets_for_a_typical_segment_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let s = sets(&typical(), Tone::Informative, Goal::Clicks, lang, 7, VARIANTS_DEFAULT);
        assert_eq!(s.len(), VARIANTS_DEFAULT, "{lang:?}: {s:#?}");
        let mut heads: Vec<&str> = s.iter().map(|x| x.headline.as_str()).collect();
        heads.sort();
        heads.dedup();
        assert_eq!(heads.len(), s.len(), "{lang:?}");
        assert!(s.len() <= sets(&typical(), Tone::Informative, Goal::Clicks, lang, 7, 3).len() + 5);
        assert_eq!(sets(&typical(), Tone::Informative, Goal::Clicks, lang, 7, 3).len(), 3);
    }
    assert!(sets(&typical(), Tone::Informative, Goal::Clicks, Lang::En, 7, 0).is_empty());
}

#[test]
fn same_seed_same_sets() {
    for lang in [Lang::En, Lang::Zh] {
        assert_eq!(sets(&typical(), Tone::Playful, Goal::Purchases, lang, 42, 8), sets(&typical(), Tone::Playful, Goal::Purchases, lang, 42, 8));
    }
}

#[test]
fn different_seed_different_sets() {
    for lang in [Lang::En, Lang::Zh] {
        assert_ne!(sets(&typical(), Tone::Playful, Goal::Purchases, lang, 1, 8), sets(&typical(), Tone::Playful, Goal::Purchases, lang, 2, 8), "{lang:?}");
    }
}

#[test]
fn no_two_sets_are_near_duplicates() {
    for p in grid() {
        for lang in [Lang::En, Lang::Zh] {
            let s = sets(&p, Tone::Urgent, Goal::Purchases, lang, 3, 20);
            for i in 0..s.len() {
                for j in i + 1..s.len() {
                    assert!(!near_duplicate(&s[i], &s[j]), "{:?}\n{:?}", s[i], s[j]);
                }
            }
        }
    }
}

#[test]
fn near_duplicate_measure() {
    let s = sets(&typical(), Tone::Informative, Goal::Clicks, Lang::En, 7, 2);
    let (a, b) = (&s[0], &s[1]);
    assert!(!near_duplicate(a, b));
    let same_headline = CopySet { headline: a.headline.to_uppercase(), ..b.clone() };
    assert!(near_duplicate(a, &same_headline), "same headline up to case");
    let reworded = CopySet { headline: format!("{} now", a.headline), ..a.clone() };
    assert!(near_duplicate(a, &reworded), "a word added");
}

#[test]
fn every_set_passes_the_compliance_checker() {
    let mut checked = 0;
    // The seed varies with the profile: the grid is slow enough in debug builds already.
    for (seed, p) in grid().iter().enumerate() {
        for tone in Tone::ALL {
            for goal in [Goal::Clicks, Goal::Purchases] {
                for lang in [Lang::En, Lang::Zh] {
                    for s in sets(p, tone, goal, lang, seed as u64, 20) {
                        let f = compliance::check(&fields(&s));
                        assert!(!compliance::has_errors(&f), "{s:#?} → {f:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 18 * 4 * 2 * 2 * 12, "{checked}");
}

fn assert_fits(p: &Placement, s: &CopySet) {
    for (field, text) in fields(s) {
        if let Some(limit) = placements::limit(p, field) {
            assert!(placements::length(p, text) <= limit as usize, "{} {field:?} {text:?} > {limit}", p.id);
        }
    }
}

#[test]
fn every_field_fits_every_placement() {
    for p in grid() {
        for tone in Tone::ALL {
            for lang in [Lang::En, Lang::Zh] {
                for s in sets(&p, tone, Goal::Purchases, lang, 5, 20) {
                    assert!(width(&s.headline) <= SET_HEADLINE_MAX && width(&s.long_headline) <= SET_LONG_HEADLINE_MAX, "{s:?}");
                    assert!(width(&s.description) <= SET_DESCRIPTION_MAX && width(&s.primary_text) <= SET_PRIMARY_TEXT_MAX, "{s:?}");
                    for pl in placements::all() {
                        assert_fits(pl, &s);
                        assert_eq!(for_placement(&s, pl), s, "already fits {}", pl.id);
                    }
                }
            }
        }
    }
}

/// `short` is `long` cut at a boundary: a prefix of it, then "…", never inside a Latin word.
fn cut_at_boundary(long: &str, short: &str) -> bool {
    if long == short {
        return true;
    }
    let Some(stem) = short.strip_suffix('…') else { return false };
    let next = long[stem.len()..].chars().next();
    let last = stem.chars().last();
    long.starts_with(stem) && !(last.is_some_and(|c| c.is_ascii_alphanumeric()) && next.is_some_and(|c| c.is_ascii_alphanumeric()))
}

#[test]
fn for_placement_shortens_by_rule_to_fit() {
    let base = placements::by_id("meta-feed-square").expect("meta").clone();
    for (double, limits) in [(false, [12, 30, 25, 40]), (true, [9, 21, 17, 33])] {
        let tight = Placement {
            cjk_double_width: double,
            text: placements::TextLimits { headline: Some(limits[0]), long_headline: Some(limits[1]), description: Some(limits[2]), primary_text: Some(limits[3]), business_name: None },
            ..base.clone()
        };
        for lang in [Lang::En, Lang::Zh] {
            for s in sets(&typical(), Tone::Premium, Goal::Clicks, lang, 9, 8) {
                let fitted = for_placement(&s, &tight);
                assert_fits(&tight, &fitted);
                for ((_, long), (_, short)) in fields(&s).iter().zip(fields(&fitted).iter()) {
                    assert!(cut_at_boundary(long, short), "{long:?} → {short:?}");
                }
                assert_eq!(fitted.cta, s.cta, "no CTA limit");
                assert!(fitted.reasons.len() > s.reasons.len(), "the cut is explained");
            }
        }
    }
    assert!(cut_at_boundary("Quiet earbuds", "Quiet…") && !cut_at_boundary("Quiet earbuds", "Quiet ear…"));
}

#[test]
fn price_sensitive_segments_lead_with_a_discount() {
    for lang in [Lang::En, Lang::Zh] {
        for goal in [Goal::Clicks, Goal::Purchases] {
            let s = sets_with(&profile(-0.41, 0.05, 5.0), Tone::Urgent, goal, lang, 3, 8, &promo_evidence(&product(), PromoKind::Percent(15)));
            assert_eq!(s[0].angle, "discount", "{:?}", s[0]);
            assert!(s[0].badge == "-15%" && s[0].reasons[0].text.contains("discount") && s[0].reasons[0].text.contains("-0.41"), "{:?}", s[0]);
            let none = sets(&profile(-0.41, 0.05, 5.0), Tone::Urgent, goal, lang, 3, 20);
            assert!(none.iter().all(|x| x.angle != "discount" && x.badge.is_empty()), "no promotion, no discount");
        }
    }
}

#[test]
fn premium_segments_are_promised_no_discount_first() {
    for lang in [Lang::En, Lang::Zh] {
        let s = sets_with(&profile(0.52, 0.05, 5.0), Tone::Premium, Goal::Purchases, lang, 3, 8, &promo_evidence(&product(), PromoKind::Percent(15)));
        assert_eq!((s[0].angle.as_str(), s[0].badge.as_str()), ("quality", ""), "{:?}", s[0]);
        assert!(!s[0].headline.contains('%') && !s[0].description.contains('%') && !s[0].description.contains('折'));
        let first_discount = s.iter().position(|x| x.angle == "discount").unwrap_or(s.len());
        assert!(first_discount >= 3, "premium: the promotion comes late, as an alternative");
    }
}

#[test]
fn cart_reminders_need_a_cart_audience_not_a_carter_segment() {
    for lang in [Lang::En, Lang::Zh] {
        let s = sets(&profile(0.0, 0.25, 5.0), Tone::Informative, Goal::Clicks, lang, 3, 20);
        assert!(s.iter().all(|x| x.angle != "cart_reminder" && !x.headline.contains("cart") && !x.headline.contains("购物车")), "{s:#?}");
    }
    let audience = Evidence { cart_audience: true, ..Evidence::default() };
    let s = sets_with(&profile(0.0, 0.25, 5.0), Tone::Informative, Goal::Clicks, Lang::En, 3, 8, &audience);
    let reminder = s.iter().find(|x| x.angle == "cart_reminder").expect("a cart reminder for a cart audience");
    assert_eq!(reminder.cta, "Complete your order");
    let z = sets_with(&profile(0.0, 0.25, 5.0), Tone::Informative, Goal::Clicks, Lang::Zh, 3, 8, &audience);
    assert!(z.iter().any(|x| x.cta == "去结算"));
}

#[test]
fn novelty_and_popularity_need_data_and_name_it() {
    let on = parse_date("2026-11-30").unwrap();
    let novelty = Novelty { first_seen: parse_date("2026-11-20").unwrap(), last_event: on, window_days: 30 };
    let popularity = Popularity { buyers: 412, days: 30, to: on };
    for lang in [Lang::En, Lang::Zh] {
        let bare = sets(&profile(0.0, 0.05, 400.0), Tone::Playful, Goal::Purchases, lang, 3, 20);
        assert!(bare.iter().all(|x| x.angle != "new_arrival" && x.angle != "social_proof"), "{bare:#?}");
        let ev = Evidence { novelty: Some(novelty.clone()), popularity: Some(popularity.clone()), ..Evidence::default() };
        let s = sets_with(&profile(0.0, 0.05, 400.0), Tone::Playful, Goal::Purchases, lang, 3, 20, &ev);
        let new = s.iter().find(|x| x.angle == "new_arrival").expect("new arrival with novelty evidence");
        assert!(new.reasons[0].text.contains("first seen 2026-11-20"), "{new:?}");
        let social = s.iter().find(|x| x.angle == "social_proof").expect("social proof with buyers");
        assert!(social.reasons[0].text.contains("bought by 412 users"), "{social:?}");
    }
}

#[test]
fn lapsed_segments_get_welcome_back_and_active_ones_do_not() {
    for lang in [Lang::En, Lang::Zh] {
        let s = sets(&profile(0.0, 0.05, 45.0), Tone::Playful, Goal::Clicks, lang, 3, 8);
        let w = s.iter().find(|x| x.angle == "welcome_back").expect("welcome back");
        assert!(w.reasons[0].text.contains("45 days"), "{w:?}");
        for recency in [3.0, 400.0] {
            let s = sets(&profile(0.0, 0.05, recency), Tone::Playful, Goal::Clicks, lang, 3, 20);
            assert!(s.iter().all(|x| x.angle != "welcome_back"), "{recency} days");
        }
    }
}

#[test]
fn predicted_interest_shows_up_in_a_reason() {
    let s = sets(&typical(), Tone::Informative, Goal::Clicks, Lang::Zh, 3, 8);
    let r: Vec<&String> = s.iter().flat_map(|x| &x.reasons).map(|r| &r.text).filter(|r| r.contains("predicted interest")).collect();
    assert!(r.iter().any(|r| r.contains("sport") && r.contains("0.34")), "{r:?}");
    assert_eq!(s[0].angle, "interest", "goal clicks with a prediction leads with it");
}

#[test]
fn goal_changes_the_call_to_action() {
    let buy = sets(&typical(), Tone::Informative, Goal::Purchases, Lang::En, 3, 8);
    let click = sets(&typical(), Tone::Informative, Goal::Clicks, Lang::En, 3, 8);
    assert!(buy.iter().all(|s| s.cta == "Shop now") && click.iter().all(|s| s.cta == "Discover more"));
    assert!(buy[0].reasons.iter().any(|r| r.text.contains("goal: purchases")));
}

#[test]
fn tone_changes_wording() {
    for lang in [Lang::En, Lang::Zh] {
        let playful = sets(&typical(), Tone::Playful, Goal::Clicks, lang, 3, 8);
        let premium = sets(&typical(), Tone::Premium, Goal::Clicks, lang, 3, 8);
        let heads = |s: &[CopySet]| s.iter().map(|x| x.headline.clone()).collect::<Vec<_>>();
        assert_ne!(heads(&playful), heads(&premium));
        assert!(playful.iter().zip(&premium).all(|(a, b)| a.primary_text != b.primary_text), "the tone frame differs in every set");
        assert!(playful[0].reasons.iter().any(|r| r.text.contains("tone: playful")));
    }
}

#[test]
fn business_name_appears_in_some_sets_with_a_reason() {
    let s = sets(&typical(), Tone::Informative, Goal::Purchases, Lang::En, 3, 8);
    let with: Vec<&CopySet> = s.iter().filter(|x| x.long_headline.contains("Demo Store") || x.primary_text.contains("Demo Store")).collect();
    assert!(!with.is_empty() && with.len() < s.len(), "some, not all");
    assert!(with.iter().all(|x| x.reasons.iter().any(|r| r.text.contains("business name"))));
}

#[test]
fn sets_carry_their_keywords_and_discounts_match_the_promotion() {
    for lang in [Lang::En, Lang::Zh] {
        for (kind, badge, off) in
            [(PromoKind::Percent(15), "-15%", if lang == Lang::Zh { "85折" } else { "15% off" }), (PromoKind::Amount(5000), "-¥50", if lang == Lang::Zh { "立减¥50" } else { "¥50 off" })]
        {
            let ev = promo_evidence(&product(), kind);
            for s in sets_with(&profile(-0.5, 0.05, 5.0), Tone::Urgent, Goal::Purchases, lang, 4, 20, &ev) {
                assert!(!s.keywords.is_empty());
                let text = format!("{} {} {} {}", s.headline, s.long_headline, s.description, s.primary_text);
                if s.angle == "discount" {
                    assert_eq!(s.badge, badge);
                    assert!(text.contains(off) || text.contains(&s.price), "{s:?}");
                    assert_eq!(s.price, if badge == "-15%" { "¥382" } else { "¥399" });
                } else {
                    assert!(!text.contains('%') && s.badge.is_empty() && s.price == "¥449", "{s:?}");
                }
            }
        }
    }
}
