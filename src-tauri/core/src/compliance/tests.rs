use super::*;
use crate::copy::{self, Lang, ProductInfo};
use crate::segments::profile::Profile;

fn spans(text: &str, field: Field) -> Vec<(&'static str, String)> {
    check(&[(field, text)]).into_iter().map(|f| (f.rule, f.text)).collect()
}

#[test]
fn every_rule_is_data_with_both_explanations() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len(), "unique ids");
    assert!(RULES.iter().all(|r| !r.explanation_en.is_empty() && !r.explanation_zh.is_empty() && !r.source.is_empty()));
}

#[test]
fn absolute_terms_are_flagged_with_their_exact_span_and_a_fix() {
    let f = check(&[(Field::Description, "全网最低价，品质第一，国家级认证的顶级耳机")]);
    let got: Vec<(&str, u32, u32)> = f.iter().map(|f| (f.text.as_str(), f.start, f.end)).collect();
    assert_eq!(got, vec![("全网最低", 0, 4), ("第一", 8, 10), ("国家级", 11, 14), ("顶级", 17, 19)]);
    assert!(f.iter().all(|f| f.rule == "cn-ad-law-9-absolute" && f.severity == Severity::Error && f.suggestion.is_some()));
    let best = check(&[(Field::Headline, "本季最佳降噪耳机")]);
    assert_eq!((best[0].text.as_str(), best[0].suggestion.as_deref()), ("最佳降噪", Some("优质")));
    assert_eq!(spans("行业No.1品牌", Field::Description)[0].1, "No.1");
}

#[test]
fn ordinary_words_with_zui_or_diyi_are_not_claims() {
    for ok in ["最近浏览过的好物", "最新款降噪耳机", "第一次下单立减20元", "活动最后一天", "最多可省50元", "第一步：选颜色"] {
        assert!(check(&[(Field::Description, ok)]).is_empty(), "{ok}: {:?}", check(&[(Field::Description, ok)]));
    }
}

#[test]
fn google_punctuation_rules() {
    assert_eq!(spans("Big sale!", Field::Headline), vec![("google-headline-exclamation", "!".to_string())]);
    let ad = check(&[(Field::Headline, "Spring picks"), (Field::Description, "Great deals! Shop now!")]);
    assert_eq!(ad.iter().map(|f| (f.rule, f.start)).collect::<Vec<_>>(), vec![("google-one-exclamation", 21)], "the second ! of the ad");
    assert_eq!(spans("Wow!!", Field::Description).iter().filter(|f| f.0 == "google-repeated-punctuation").map(|f| f.1.clone()).collect::<Vec<_>>(), vec!["!!"]);
    assert_eq!(spans("真的吗？？", Field::Description), vec![("google-repeated-punctuation", "？？".to_string())]);
    assert!(check(&[(Field::Description, "Wait for it... then save 20%.")]).is_empty(), "an ellipsis is not emphasis");
}

#[test]
fn gimmicky_capitals_are_flagged_but_acronyms_pass() {
    let f = check(&[(Field::Headline, "FREE shipping on USB-C and 4K LED gear")]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].text.as_str(), f[0].suggestion.as_deref()), ("FREE", Some("Free")));
    assert!(check(&[(Field::Headline, "OLED TV, HDMI 2.1, XL size")]).is_empty());
}

#[test]
fn emoji_and_decorative_symbols_are_flagged_but_currency_and_marks_pass() {
    assert_eq!(spans("Sale ★ now 🔥", Field::Description).iter().map(|f| f.1.clone()).collect::<Vec<_>>(), vec!["★", "🔥"]);
    assert!(check(&[(Field::Description, "Voltix™ earbuds, 50% off: ¥449 / $59 / €55 / £49 ®")]).is_empty());
}

#[test]
fn personal_attributes_of_the_viewer_are_flagged_in_both_languages() {
    assert_eq!(spans("Are you overweight? Try our shoes", Field::PrimaryText), vec![("meta-personal-attributes", "Are you overweight".to_string())]);
    assert_eq!(spans("你是不是胖了？试试这双跑鞋", Field::PrimaryText)[0].1, "你是不是胖");
    assert!(check(&[(Field::PrimaryText, "Your journey starts with light running shoes")]).is_empty());
    assert!(check(&[(Field::PrimaryText, "Lightweight shoes for a lighter stride")]).is_empty());
}

#[test]
fn findings_follow_field_order_then_position() {
    let f = check(&[(Field::Headline, "顶级 FREE"), (Field::Description, "唯一!")]);
    let order: Vec<(Field, u32)> = f.iter().map(|f| (f.field, f.start)).collect();
    assert_eq!(order, vec![(Field::Headline, 0), (Field::Headline, 3), (Field::Description, 0)]);
    assert!(has_errors(&f));
}

#[test]
fn generated_copy_passes_its_own_checker() {
    let products = [
        copy::tests::product(),
        ProductInfo {
            id: "P2".into(),
            name_en: "Hearth linen sofa".into(),
            name_zh: "炉边亚麻沙发".into(),
            brand: "Hearth".into(),
            category: "furniture".into(),
            price_cents: 329900,
            currency: "CNY".into(),
        },
    ];
    let mut checked = 0;
    for price_index in [-0.5, 0.0, 0.5] {
        for (cart_rate, recency) in [(0.02, 2.0), (0.3, 40.0)] {
            for purchase_rate in [0.005, 0.05, 0.2] {
                let p = Profile {
                    size: 100,
                    share: 0.1,
                    top_categories: vec!["electronics".into()],
                    avg_price: Some(100.0),
                    price_index,
                    cart_rate: Some(cart_rate),
                    purchase_rate: Some(purchase_rate),
                    recency_days: recency,
                    population_purchase_rate: Some(0.05),
                    top_brands: Vec::new(),
                    price_band: "mid".into(),
                    rfm_tier: "loyal".into(),
                    ..Default::default()
                };
                for product in &products {
                    for lang in [Lang::En, Lang::Zh] {
                        for seed in 0..4 {
                            let c = &copy::tests::generate(&p, product, lang, seed);
                            let f = check(&[
                                (Field::Headline, &c.headline),
                                (Field::LongHeadline, &c.long_headline),
                                (Field::Description, &c.description),
                                (Field::PrimaryText, &c.primary_text),
                                (Field::Cta, &c.cta),
                            ]);
                            assert!(!has_errors(&f), "{c:?} → {f:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 3 * 2 * 3 * 2 * 2 * 4);
}

fn claims(text: &str, ctx: &ClaimContext) -> Vec<String> {
    check_with(&[(Field::Description, text)], ctx).into_iter().filter(|f| f.rule == "unsupported-claim").map(|f| f.text).collect()
}

#[test]
fn price_claims_are_blocked_without_a_promotion_in_both_languages() {
    let none = ClaimContext::default();
    let priced = ClaimContext { price: true, ..ClaimContext::default() };
    for (text, spans) in [
        ("限时8折，到手价¥522，原价¥652", vec!["限时", "8折", "到手价", "原价"]),
        ("20% off, down from ¥652", vec!["20% off", "down from"]),
        ("Save ¥50 off today", vec!["Save", "¥50 off"]),
        ("全场8.5折，立减50元", vec!["8.5折", "立减"]),
        ("Big sale: deals on earbuds", vec!["sale", "deals"]),
    ] {
        assert_eq!(claims(text, &none), spans, "{text}");
        assert!(claims(text, &priced).is_empty(), "a promotion backs it: {text}");
    }
    let f = &check_with(&[(Field::Headline, "耳机限时8折")], &none)[0];
    assert_eq!((f.rule, f.start, f.end, f.severity), ("unsupported-claim", 2, 4, Severity::Error));
    assert!(f.suggestion.as_deref().is_some_and(|s| s.contains("add a promotion to the campaign")), "{f:?}");
    assert_eq!(f.replacement.as_deref(), Some(""), "advice: the one-click fix removes the claim");
    // Ordinary words are not price claims.
    for ok in ["折叠椅，轻便好收纳", "50% cotton, 50% linen", "Saved searches and wasabi"] {
        assert!(claims(ok, &none).is_empty(), "{ok}: {:?}", claims(ok, &none));
    }
    assert!(check(&[(Field::Description, "限时8折")]).is_empty(), "check() has no context and no claim rule");
}

#[test]
fn novelty_popularity_cart_and_stock_claims_need_their_evidence() {
    let none = ClaimContext::default();
    assert_eq!(claims("新品上市：New this season", &none), vec!["新品", "上市", "New", "this season"]);
    assert_eq!(claims("人气之选，热销爆款 · Best-selling and popular", &none), vec!["人气", "热销", "爆款", "Best-selling", "popular"]);
    assert_eq!(claims("Items left in your cart / 还在你的购物车里", &none), vec!["in your cart", "购物车"]);
    assert_eq!(claims("While stocks last, 库存有限", &none), vec!["While stocks last", "库存有限"]);
    let all = ClaimContext { novelty: true, popularity: true, cart: true, price: true, names: Vec::new() };
    assert!(claims("新品上市：New this season. 人气热销. Popular. In your cart.", &all).is_empty());
    assert_eq!(claims("While stocks last", &all), vec!["While stocks last"], "nothing backs stock claims");
    let new_only = ClaimContext { novelty: true, ..ClaimContext::default() };
    assert_eq!(claims("New and popular", &new_only), vec!["popular"]);
}

#[test]
fn names_are_never_read_as_claims() {
    let ctx = ClaimContext { names: vec!["New Balance 574".into(), "新款保温杯".into()], ..ClaimContext::default() };
    assert!(claims("New Balance 574 running shoes", &ctx).is_empty());
    assert!(claims("新款保温杯，{price}", &ctx).is_empty());
    assert_eq!(claims("New Balance 574, new this season", &ctx), vec!["new", "this season"]);
    assert!(claims("Newborn onesie, renewed design", &ClaimContext::default()).is_empty(), "word boundaries");
}

#[test]
fn the_review_gate_blocks_an_edited_discount_unless_the_campaign_has_a_promotion() {
    use crate::campaign::{self, CampaignParams};
    use crate::copy::{PromoKind, Promotion};
    let (mut p, cid) = crate::testkit::campaign_project();
    let v = campaign::variants(&p, cid).unwrap()[0].clone();
    p.conn().execute("UPDATE variants SET headline = '耳机限时8折' WHERE id = ?1", [v.id]).unwrap();
    let err = crate::testkit::submit_and_approve(&mut p, v.id, "").unwrap_err();
    assert!(err.to_string().contains("unsupported-claim"), "{err}");
    // The same edit in a campaign with a 20 % promotion on every product passes the gate.
    let promo = Promotion { kind: PromoKind::Percent(20), starts: "2026-01-01".into(), ends: "2099-12-31".into(), products: Vec::new() };
    let c = campaign::create(&mut p, CampaignParams { promotion: Some(promo), ..CampaignParams::single("Promo", Lang::Zh, 2) }, &mut crate::progress::ignore).unwrap();
    let w = campaign::variants(&p, c.id).unwrap()[0].clone();
    p.conn().execute("UPDATE variants SET headline = '耳机限时8折' WHERE id = ?1", [w.id]).unwrap();
    let w = campaign::variant(&p, w.id).unwrap().unwrap();
    let f = crate::review::findings(&p, &w).unwrap();
    assert!(!has_errors(&f), "{f:?}");
    // An ended promotion backs nothing: the claim context is taken as of the day asked.
    let later = crate::copy::parse_date("2100-01-01").unwrap();
    assert!(!crate::campaign::claims::context_of_variant(&p, w.id, later).unwrap().price);
    assert!(crate::campaign::claims::context_of_variant(&p, w.id, crate::copy::parse_date("2026-06-01").unwrap()).unwrap().price);
}

#[test]
fn a_promotion_is_checked_once_with_the_spec() {
    use crate::campaign::{CampaignError, CampaignParams};
    use crate::copy::{PromoKind, Promotion};
    let today = crate::copy::parse_date("2026-11-05").unwrap();
    let promo = |kind, starts: &str, ends: &str| Promotion { kind, starts: starts.into(), ends: ends.into(), products: vec![" P1 ".into(), "".into()] };
    let spec = |p| CampaignParams { promotion: Some(p), ..CampaignParams::new("x", Lang::En, 1) }.check_on(today);
    let field = |r: Result<_, CampaignError>| match r {
        Err(CampaignError::BadSpec { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(spec(promo(PromoKind::Percent(0), "2026-11-01", "2026-11-11"))), "promotion.percent");
    assert_eq!(field(spec(promo(PromoKind::Percent(91), "2026-11-01", "2026-11-11"))), "promotion.percent");
    assert_eq!(field(spec(promo(PromoKind::Amount(0), "2026-11-01", "2026-11-11"))), "promotion.amount");
    assert_eq!(field(spec(promo(PromoKind::Amount(4950), "2026-11-01", "2026-11-11"))), "promotion.amount");
    assert_eq!(field(spec(promo(PromoKind::Percent(15), "11/01/2026", "2026-11-11"))), "promotion.starts");
    assert_eq!(field(spec(promo(PromoKind::Percent(15), "2026-11-12", "2026-11-11"))), "promotion.ends");
    assert_eq!(field(spec(promo(PromoKind::Percent(15), "2026-10-01", "2026-11-04"))), "promotion.ends", "ended yesterday");
    let ok = spec(promo(PromoKind::Percent(15), "2026-11-01", "2026-11-05")).unwrap();
    assert_eq!(ok.promotion.as_ref().unwrap().products, vec!["P1".to_string()], "ids trimmed, blanks dropped");
    assert_eq!(ok.new_within(), crate::copy::NEW_WITHIN_DAYS);
    assert_eq!(field(CampaignParams { new_within_days: Some(0), ..CampaignParams::new("x", Lang::En, 1) }.check_on(today)), "new_within_days");
}

/// The one-click fix is data, not a convention the window must read out of the suggestion:
/// replacement text is put in place, advice (bracketed or a sentence) removes the span.
#[test]
fn a_finding_says_what_its_one_click_fix_writes() {
    let fixes = |text: &str| check(&[(Field::Description, text)]).into_iter().map(|f| (f.rule, f.suggestion.unwrap_or_default(), f.replacement.unwrap_or_default())).collect::<Vec<_>>();
    assert_eq!(fixes("最佳耳机"), [("cn-ad-law-9-absolute", "优质".to_string(), "优质".to_string())]);
    assert_eq!(fixes("销量第一的好物"), [("cn-ad-law-9-absolute", "（删除，或注明可核实的来源）".to_string(), String::new())]);
    let personal = fixes("Are you overweight? Try our shoes");
    assert_eq!((personal[0].0, personal[0].2.as_str()), ("meta-personal-attributes", ""));
    assert!(personal[0].1.starts_with("talk about the product"));
}
