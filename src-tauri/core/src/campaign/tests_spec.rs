//! The campaign spec's checks (`spec.rs`).

use crate::campaign::spec::*;
use crate::campaign::CampaignError;
use crate::copy::{Lang, Promotion};
use crate::HasCode;

fn field_of(e: CampaignError) -> &'static str {
    match e {
        CampaignError::BadSpec { field, .. } => field,
        other => panic!("expected BadSpec, got {other:?}"),
    }
}

#[test]
fn defaults_pass_and_fill_the_logo_from_the_business_name() {
    let v = CampaignParams::new("Double 11", Lang::Zh, 1).check().unwrap();
    assert_eq!(v.placements.len(), 8);
    assert_eq!(v.kit.logo_text, "Demo Store");
}

#[test]
fn every_bad_field_is_named() {
    let base = || CampaignParams::new("x", Lang::En, 1);
    assert!(matches!(CampaignParams { name: "  ".into(), ..base() }.check(), Err(CampaignError::BadName)));
    assert_eq!(field_of(CampaignParams { languages: vec![], ..base() }.check().unwrap_err()), "languages");
    assert_eq!(field_of(CampaignParams { languages: vec![Lang::En, Lang::En], ..base() }.check().unwrap_err()), "languages");
    assert_eq!(field_of(CampaignParams { placements: vec!["nope".into()], ..base() }.check().unwrap_err()), "placements");
    assert_eq!(field_of(CampaignParams { placements: vec!["google-rda-logo-square".into()], ..base() }.check().unwrap_err()), "placements");
    assert_eq!(field_of(CampaignParams { placements: vec!["iab-300x250".into(), "iab-300x250".into()], ..base() }.check().unwrap_err()), "placements");
    for url in ["shop.example.com", "ftp://x.com", "https://", "https://exa mple.com", "javascript:alert(1)"] {
        assert_eq!(field_of(CampaignParams { landing_url: url.into(), ..base() }.check().unwrap_err()), "landing_url", "{url}");
    }
    assert_eq!(field_of(CampaignParams { business_name: "".into(), ..base() }.check().unwrap_err()), "business_name");
    // 13 Chinese characters are 26 width units: one too many for Google.
    assert_eq!(field_of(CampaignParams { business_name: "一二三四五六七八九十一二三".into(), ..base() }.check().unwrap_err()), "business_name");
    assert!(CampaignParams { business_name: "一二三四五六七八九十一二".into(), ..base() }.check().is_ok());
    assert_eq!(field_of(CampaignParams { variants_per_segment: 0, ..base() }.check().unwrap_err()), "variants_per_segment");
    assert_eq!(field_of(CampaignParams { variants_per_segment: 21, ..base() }.check().unwrap_err()), "variants_per_segment");
    let e = CampaignParams { landing_url: "x".into(), ..base() }.check().unwrap_err();
    assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
    assert!(e.to_string().contains("landing_url"), "{e}");
}

#[test]
fn problems_name_every_bad_field_at_once_and_the_first_is_check_s_error() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let good = CampaignParams::new("Spring", Lang::En, 1);
    assert!(good.problems_on(today).is_empty());
    let promo = Promotion { kind: crate::copy::PromoKind::Percent(95), starts: " 2026-06-01 ".into(), ends: "2026-06-30".into(), products: vec![] };
    let bad = CampaignParams {
        name: " ".into(),
        landing_url: "shop.example.com".into(),
        business_name: "一二三四五六七八九十一二三".into(),
        variants_per_segment: 0,
        promotion: Some(promo),
        ..good.clone()
    };
    let problems = bad.problems_on(today);
    let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["name", "landing_url", "business_name", "variants_per_segment", "promotion.percent"]);
    assert!(matches!(bad.clone().check_on(today), Err(CampaignError::BadName)));
    // Fixing the first problem makes the next one check's error.
    let e = CampaignParams { name: "Spring".into(), ..bad }.check_on(today).unwrap_err();
    assert_eq!(field_of(e), "landing_url");
    // Padding is not a problem: the check reads the trimmed spec, as `check` stores it.
    let padded = CampaignParams { name: "  Spring ".into(), landing_url: " https://shop.example.com/ ".into(), ..good };
    assert!(padded.problems_on(today).is_empty());
    assert_eq!(padded.check_on(today).unwrap().landing_url, "https://shop.example.com/");
}
