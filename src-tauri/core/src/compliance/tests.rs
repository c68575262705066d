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
