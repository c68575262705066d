//! Tests of the one-set brief (what the removed v1 `generate` did), the text helpers, keywords and the phrase banks. The v2
//! generator's tests are in `sets.rs`.

use super::bank::{self, Angle, SLOTS};
use super::fit::sanitize;
use super::text::{fill, shorten_units};
use super::*;
use crate::compliance::{self, Field};
use crate::segments::profile::Profile;

mod sets;

pub(super) fn profile(price_index: f64, cart_rate: f64, recency: f64) -> Profile {
    Profile {
        size: 100,
        share: 0.2,
        top_categories: vec!["electronics".into()],
        avg_price: Some(100.0),
        price_index,
        cart_rate: Some(cart_rate),
        purchase_rate: Some(0.05),
        recency_days: recency,
        population_purchase_rate: Some(0.05),
        top_brands: Vec::new(),
        price_band: "mid".into(),
        rfm_tier: "loyal".into(),
        ..Default::default()
    }
}

pub(crate) fn product() -> ProductInfo {
    ProductInfo {
        id: "P1".into(),
        name_en: "Voltix wireless earbuds Pro".into(),
        name_zh: "沃提克无线耳机专业版".into(),
        brand: "Voltix".into(),
        category: "electronics".into(),
        price_cents: 44900,
        currency: "CNY".into(),
    }
}

/// The first set of the brief the removed v1 `generate` built: tone from the price band, goal
/// from the funnel, no interests, the product's brand as advertiser.
pub(crate) fn generate(p: &Profile, product: &ProductInfo, lang: Lang, seed: u64) -> CopySet {
    generate_with(p, product, lang, seed, &Evidence::default())
}

/// A 20 % promotion running 2026-11-01 to 2099-12-31 on every product.
pub(crate) fn promotion(kind: PromoKind) -> Promotion {
    Promotion { kind, starts: "2026-11-01".into(), ends: "2099-12-31".into(), products: Vec::new() }
}

/// Evidence holding only `promotion(kind)`'s offer for `product`, as of 2026-11-05.
pub(crate) fn promo_evidence(product: &ProductInfo, kind: PromoKind) -> Evidence {
    let on = parse_date("2026-11-05").unwrap();
    Evidence { offer: Some(promotion(kind).offer_for(product, on).expect("the promotion applies")), ..Evidence::default() }
}

/// [`generate`] with `evidence` behind the claims.
pub(crate) fn generate_with(p: &Profile, product: &ProductInfo, lang: Lang, seed: u64, evidence: &Evidence) -> CopySet {
    let tone = if p.price_index > PREMIUM_ABOVE {
        Tone::Premium
    } else if p.price_index < PRICE_SENSITIVE_BELOW {
        Tone::Urgent
    } else {
        Tone::Informative
    };
    let goal = if p.purchase_lift().is_some_and(|l| l < 0.7) { Goal::Clicks } else { Goal::Purchases };
    let brief = Brief { profile: p, product, interests: &[], tone, goal, business_name: &product.brand, lang, seed, n: 1, evidence };
    generate_sets(&brief).into_iter().next().expect("one set")
}

#[test]
fn framing_follows_price_sensitivity_and_discounts_need_a_promotion() {
    let promo = promo_evidence(&product(), PromoKind::Percent(20));
    let value = generate_with(&profile(-0.5, 0.05, 3.0), &product(), Lang::En, 1, &promo);
    assert!(value.badge == "-20%" && value.price == "¥359" && value.headline.contains("20% off"), "{value:?}");
    assert!(value.reasons[0].text.contains("discount framing") && value.reasons[0].text.contains("¥449 → ¥359"), "{value:?}");
    let bare = generate(&profile(-0.5, 0.05, 3.0), &product(), Lang::En, 1);
    assert!(bare.angle != "discount" && bare.badge.is_empty() && bare.price == "¥449" && !bare.headline.contains('%'), "no promotion, no discount: {bare:?}");
    let premium = generate_with(&profile(0.5, 0.05, 3.0), &product(), Lang::Zh, 1, &promo);
    assert!(premium.badge.is_empty(), "premium leads with quality even with a promotion");
    assert!(premium.headline.contains("品质"), "{premium:?}");
}

#[test]
fn lapsed_carters_get_welcome_back_but_no_cart_claim() {
    let c = generate(&profile(0.0, 0.2, 30.0), &product(), Lang::En, 1);
    assert_eq!(c.angle, "welcome_back", "{c:?}");
    assert!(c.long_headline.starts_with("Welcome back"), "{c:?}");
    assert_eq!(c.cta, "Shop now", "a carter segment is not a cart audience: no checkout CTA");
}

#[test]
fn offers_compute_the_price_badge_and_chinese_fold_exactly() {
    let p = product(); // ¥449
    let on = parse_date("2026-11-05").unwrap();
    let pct = |n| promotion(PromoKind::Percent(n)).offer_for(&p, on).unwrap();
    assert_eq!((pct(15).now_cents, pct(15).badge(), pct(15).off(true), pct(15).off(false)), (38165, "-15%".to_string(), "85折".to_string(), "15% off".to_string()));
    assert_eq!((pct(10).off(true), pct(20).off(true), pct(12).off(true)), ("9折".to_string(), "8折".to_string(), "88折".to_string()));
    let amount = promotion(PromoKind::Amount(5000)).offer_for(&p, on).unwrap();
    assert_eq!((amount.now_cents, amount.badge(), amount.off(true), amount.off(false)), (39900, "-¥50".to_string(), "立减¥50".to_string(), "¥50 off".to_string()));
    assert_eq!((amount.until(false), amount.until(true)), ("31 Dec".to_string(), "12月31日".to_string()));
    // Dates, products and amounts are respected.
    let ended = Promotion { ends: "2026-11-04".into(), ..promotion(PromoKind::Percent(15)) };
    assert!(ended.offer_for(&p, on).is_none(), "ended the day before");
    assert!(ended.offer_for(&p, parse_date("2026-11-04").unwrap()).is_some(), "its last day counts");
    let upcoming = Promotion { starts: "2026-12-01".into(), ..promotion(PromoKind::Percent(15)) };
    assert!(upcoming.offer_for(&p, on).is_some(), "ads may be prepared before it starts");
    let other = Promotion { products: vec!["P2".into()], ..promotion(PromoKind::Percent(15)) };
    assert!(other.offer_for(&p, on).is_none(), "another product's promotion");
    assert!(promotion(PromoKind::Amount(44900)).offer_for(&p, on).is_none(), "an amount not below the price");
}

#[test]
fn copy_fits_limits_and_is_deterministic() {
    for lang in [Lang::En, Lang::Zh] {
        for pi in [-0.5, 0.0, 0.5] {
            let a = generate(&profile(pi, 0.1, 30.0), &product(), lang, 9);
            assert!(width(&a.headline) <= HEADLINE_MAX, "{a:?}");
            assert!(width(&a.description) <= DESCRIPTION_MAX, "{a:?}");
            assert_eq!(a, generate(&profile(pi, 0.1, 30.0), &product(), lang, 9));
        }
    }
}

#[test]
fn shorten_never_cuts_words_or_characters() {
    assert_eq!(width("高端"), 4);
    let s = shorten("Considered design and materials", 20);
    assert_eq!(s, "Considered design…");
    let z = shorten("沃提克无线耳机专业版限时8折", 12);
    assert_eq!(z, "沃提克无线…");
    assert!(width(&z) <= 12);
}

#[test]
fn shortening_in_characters_keeps_more_cjk() {
    let zh = "沃提克无线耳机专业版限时八五折优惠"; // 17 characters, 34 width units
    assert_eq!(shorten_units(zh, 27, false), zh, "fits 27 characters");
    let w = shorten_units(zh, 27, true);
    assert!(width(&w) <= 27 && w.ends_with('…'), "{w}");
    assert_eq!(shorten_units("Quiet wireless earbuds", 12, false), "Quiet…");
}

#[test]
fn templates_shorten_the_name_so_the_offer_survives() {
    let slots = vec![("name", "Voltix wireless earbuds Pro Max Ultra".to_string()), ("off", "15% off".to_string())];
    let f = fill("{name} – {off}", &slots, 27);
    assert!(f.shortened && f.text.ends_with("– 15% off") && width(&f.text) <= 27, "{}", f.text);
    assert_eq!(f.used, vec!["name", "off"]);
    let ok = fill("{off}", &slots, 27);
    assert_eq!((ok.text.as_str(), ok.shortened), ("15% off", false));
}

#[test]
fn chinese_keywords_come_from_jieba() {
    let k = keywords("小米无线蓝牙耳机降噪运动款", Lang::Zh, 6);
    for w in ["耳机", "蓝牙", "降噪"] {
        assert!(k.iter().any(|x| x == w), "{w} in {k:?}");
    }
    assert!(k.len() <= 6 && k.iter().all(|w| w.chars().count() >= 2), "{k:?}");
    assert_eq!(keywords("小米无线蓝牙耳机降噪运动款", Lang::Zh, 2).len(), 2);
}

#[test]
fn english_keywords_drop_stop_words_and_lead_with_the_noun() {
    let k = keywords("Voltix wireless earbuds Pro with noise cancelling", Lang::En, 5);
    assert_eq!(k[0], "earbuds", "{k:?}");
    for w in ["earbuds", "wireless", "noise"] {
        assert!(k.contains(&w.to_string()), "{w} in {k:?}");
    }
    for stop in ["with", "pro"] {
        assert!(!k.contains(&stop.to_string()), "{stop} in {k:?}");
    }
    assert!(k.iter().all(|w| *w == w.to_lowercase()));
    assert_eq!(keywords("Voltix wireless earbuds", Lang::En, 0), Vec::<String>::new());
}

#[test]
fn the_english_head_keyword_is_a_real_phrase() {
    assert_eq!(super::keywords::head_phrase("Voltix Wireless Earbuds Pro 2 with noise cancelling", "Voltix"), "wireless earbuds");
    assert_eq!(super::keywords::head_phrase("Air Fryer 5L", ""), "air fryer");
    assert_eq!(super::keywords::head_phrase("White Hanging Heart T-Light Holder", ""), "heart t-light holder");
    assert_eq!(super::keywords::head_phrase("Voltix 2000", "Voltix"), "");
}

#[test]
fn keywords_never_carry_absolute_terms() {
    let k = keywords("顶级无线降噪耳机", Lang::Zh, 5);
    assert!(!k.is_empty() && k.iter().all(|w| !w.contains("顶级")), "{k:?}");
    let e = keywords("Best earbuds NO.1 choice", Lang::En, 5);
    assert!(!e.contains(&"best".to_string()), "{e:?}");
}

#[test]
fn input_names_are_cleaned_for_the_ad_rules() {
    assert_eq!(sanitize("SUPER earbuds!"), "Super earbuds");
    assert_eq!(sanitize("顶级无线耳机"), "高品质无线耳机");
    assert_eq!(sanitize("Voltix ★ earbuds"), "Voltix earbuds");
    assert_eq!(sanitize("Voltix USB-C earbuds"), "Voltix USB-C earbuds");
}

#[test]
fn every_angle_has_a_row_in_both_languages_and_every_tone_a_voice() {
    for angle in Angle::ALL {
        for lang in [Lang::En, Lang::Zh] {
            assert!(bank::row(angle, lang).is_some(), "{angle:?} {lang:?}");
        }
    }
    for tone in Tone::ALL {
        for lang in [Lang::En, Lang::Zh] {
            assert!(bank::voice(tone, lang).is_some(), "{tone:?} {lang:?}");
            for intent in [bank::Intent::Checkout, bank::Intent::Direct, bank::Intent::Soft] {
                assert!(!bank::cta(intent, tone, lang).is_empty());
            }
        }
    }
}

/// Every template of the banks, in every field.
fn templates() -> Vec<(Field, &'static str)> {
    let mut out = Vec::new();
    for r in &bank::ROWS {
        out.extend(r.headlines.iter().flatten().map(|t| (Field::Headline, *t)));
        out.push((Field::Headline, r.extra_headline));
        out.extend(r.long_headlines.iter().map(|t| (Field::LongHeadline, *t)));
        out.extend(r.descriptions.iter().map(|t| (Field::Description, *t)));
        out.extend(r.primaries.iter().map(|t| (Field::PrimaryText, *t)));
    }
    for v in &bank::VOICES {
        out.extend(v.leads.iter().map(|t| (Field::PrimaryText, *t)));
        out.extend(v.closes.iter().map(|t| (Field::Description, *t)));
    }
    out.extend(bank::CTAS.iter().flat_map(|c| c.2).map(|t| (Field::Cta, t)));
    out
}

#[test]
fn bank_templates_use_known_slots_and_pass_the_checker() {
    for (field, t) in templates() {
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').unwrap_or_else(|| panic!("unclosed slot in {t}")) + open;
            assert!(SLOTS.contains(&&rest[open + 1..close]), "unknown slot in {t}");
            rest = &rest[close + 1..];
        }
        let f = compliance::check(&[(field, t)]);
        assert!(!compliance::has_errors(&f), "{t}: {f:?}");
        let bangs = t.chars().filter(|c| matches!(c, '!' | '！')).count();
        assert!(bangs == 0 || (field == Field::PrimaryText && bangs == 1), "only the playful opener may exclaim: {t}");
    }
}

#[test]
fn only_angles_that_need_evidence_make_claims() {
    let claiming = [Angle::Discount, Angle::NewArrival, Angle::SocialProof, Angle::CartReminder];
    let nothing = compliance::ClaimContext::default();
    for r in bank::ROWS.iter().filter(|r| !claiming.contains(&r.angle)) {
        let all = r.headlines.iter().flatten().chain([&r.extra_headline]).chain(&r.long_headlines).chain(&r.descriptions).chain(&r.primaries);
        for t in all {
            assert!(!t.contains("{deal}") && !t.contains("{off}") && !t.contains("{until}") && !t.contains('%') && !t.contains('折'), "{t}");
            assert!(compliance::check_with(&[(Field::Description, t)], &nothing).is_empty(), "{:?}: {t}", r.angle);
        }
    }
    for t in bank::VOICES.iter().flat_map(|v| v.leads.iter().chain(&v.closes)).chain(bank::CTAS.iter().filter(|c| c.0 != bank::Intent::Checkout).flat_map(|c| c.2.iter())) {
        assert!(compliance::check_with(&[(Field::Description, t)], &nothing).is_empty(), "tone frames and CTAs claim nothing: {t}");
    }
}
