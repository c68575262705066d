//! `studio campaign`: a bilingual campaign over the demo store, every placement rendered
//! within its byte budget, and bad specs refused before anything is written.

use crate::support::{query_i64, u, Sandbox};

fn demo_project(sb: &Sandbox) -> std::path::PathBuf {
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("out"));
    project
}

#[test]
fn a_bilingual_campaign_renders_every_set_at_every_placement_within_budget() {
    let sb = Sandbox::new();
    let project = demo_project(&sb);
    let segments = query_i64(&project, "SELECT count(*) FROM segments WHERE model_id = (SELECT max(id) FROM segment_models)") as u64;
    let placements = "google-rda-landscape,iab-300x250,iab-320x50";
    let v = sb
        .run(&[
            "campaign".as_ref(),
            "--project".as_ref(),
            project.as_os_str(),
            "--name".as_ref(),
            "双十一 Double 11".as_ref(),
            "--langs".as_ref(),
            "zh-CN,en".as_ref(),
            "--placements".as_ref(),
            placements.as_ref(),
            "--variants".as_ref(),
            "3".as_ref(),
            "--tone".as_ref(),
            "playful".as_ref(),
            "--as".as_ref(),
            "demo-marketer".as_ref(),
            "--json".as_ref(),
        ])
        .ok()
        .json();
    let variants = u(&v, "variants");
    assert_eq!(variants, segments * 2 * 3, "3 sets × 2 languages per segment: {v}");
    assert_eq!(u(&v, "banners"), variants * 3, "one banner per placement: {v}");
    assert_eq!(v["languages"], serde_json::json!(["zh-CN", "en"]));
    assert_eq!(v["tone"], "playful");
    let id = u(&v, "id");
    // Every render is within its placement's budget and has its exact size.
    let over =
        query_i64(&project, &format!("SELECT count(*) FROM renders r JOIN variants v ON v.id = r.variant_id WHERE v.campaign_id = {id} AND (length(r.image) > r.max_bytes OR NOT r.within_budget)"));
    assert_eq!(over, 0, "renders over budget");
    let small = query_i64(
        &project,
        &format!("SELECT count(*) FROM renders r JOIN variants v ON v.id = r.variant_id WHERE v.campaign_id = {id} AND r.placement = 'iab-320x50' AND r.width = 320 AND r.height = 50"),
    );
    assert_eq!(small as u64, variants);
    // Sets within one segment and language are distinct.
    let dup = query_i64(&project, &format!("SELECT count(*) FROM (SELECT segment_id, lang, headline FROM variants WHERE campaign_id = {id} GROUP BY 1, 2, 3 HAVING count(*) > 1)"));
    assert_eq!(dup, 0, "repeated headlines within a segment and language");
    let zh = query_i64(&project, &format!("SELECT count(*) FROM variants WHERE campaign_id = {id} AND lang = 'zh-CN'"));
    assert_eq!(zh as u64, variants / 2);
}

#[test]
fn a_bad_campaign_spec_is_refused_naming_the_field_and_writes_nothing() {
    let sb = Sandbox::new();
    let project = demo_project(&sb);
    let before = query_i64(&project, "SELECT count(*) FROM campaigns");
    for (flag, value, field) in [
        ("--placements", "iab-999x1", "placements"),
        ("--url", "shop.example.com", "landing_url"),
        ("--variants", "0", "variants_per_segment"),
        ("--business", "一二三四五六七八九十一二三", "business_name"),
    ] {
        let out = sb.run(&["campaign".as_ref(), "--project".as_ref(), project.as_os_str(), "--name".as_ref(), "x".as_ref(), "--as".as_ref(), "demo-marketer".as_ref(), flag.as_ref(), value.as_ref()]);
        out.code(1).stderr_has(&["error[invalid_input]", field]);
    }
    let out = sb.run(&[
        "campaign".as_ref(),
        "--project".as_ref(),
        project.as_os_str(),
        "--name".as_ref(),
        "x".as_ref(),
        "--as".as_ref(),
        "demo-marketer".as_ref(),
        "--category".as_ref(),
        "no-such-category".as_ref(),
    ]);
    out.code(1).stderr_has(&["error[conflict]", "product filter"]);
    assert_eq!(query_i64(&project, "SELECT count(*) FROM campaigns"), before);
}

#[test]
fn once_a_project_has_profiles_the_cli_acts_as_one_and_the_core_checks_its_role() {
    let sb = Sandbox::new();
    let project = demo_project(&sb);
    let before = query_i64(&project, "SELECT count(*) FROM campaigns");
    let logged = "SELECT count(*) FROM audit_log WHERE action = 'create_campaign' AND actor = 'demo-marketer'";
    let logged_before = query_i64(&project, logged);
    let base = ["campaign".as_ref(), "--project".as_ref(), project.as_os_str(), "--name".as_ref(), "x".as_ref(), "--variants".as_ref(), "1".as_ref()];
    sb.run(&base).code(1).stderr_has(&["error[forbidden]", "--as"]);
    sb.run(&[&base[..], &["--as".as_ref(), "demo-reviewer".as_ref()]].concat()).code(1).stderr_has(&["error[forbidden]", "demo-reviewer is a reviewer"]);
    assert_eq!(query_i64(&project, "SELECT count(*) FROM campaigns"), before, "refusals create nothing");
    sb.run(&[&base[..], &["--as".as_ref(), "demo-marketer".as_ref()]].concat()).ok();
    assert_eq!(query_i64(&project, "SELECT count(*) FROM campaigns"), before + 1);
    assert_eq!(query_i64(&project, logged), logged_before + 1, "the creation is in the audit log");
}

#[test]
fn price_claims_only_with_a_promotion_whose_price_and_badge_the_banners_carry() {
    let sb = Sandbox::new();
    let project = demo_project(&sb);
    let run = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> =
            ["campaign", "--name", "Double 11", "--langs", "zh-CN,en", "--variants", "8", "--tone", "urgent", "--goal", "purchases", "--placements", "iab-300x250", "--as", "demo-marketer", "--json"]
                .iter()
                .map(|s| s.as_ref())
                .collect();
        args.extend(["--project".as_ref(), project.as_os_str()]);
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        sb.run(&args)
    };
    let bare = u(&run(&[]).ok().json(), "id");
    let claims = |id: u64| {
        query_i64(&project, &format!("SELECT count(*) FROM variants WHERE campaign_id = {id} AND (angle = 'discount' OR headline LIKE '%\\%%' ESCAPE '\\' OR headline LIKE '%折%' OR json_extract(layout, '$.content.badge') <> '')"))
    };
    assert_eq!(claims(bare), 0, "no promotion: no discount, no % or 折, no badge");
    let promo = u(&run(&["--promo-percent", "15", "--promo-from", "2026-11-01", "--promo-to", "2099-12-31"]).ok().json(), "id");
    let discounts = query_i64(&project, &format!("SELECT count(*) FROM variants WHERE campaign_id = {promo} AND angle = 'discount'"));
    assert!(discounts > 0, "the demo's price-sensitive segments get the promotion");
    let wrong = query_i64(&project, &format!("SELECT count(*) FROM variants WHERE campaign_id = {promo} AND angle = 'discount' AND (json_extract(layout, '$.content.badge') <> '-15%' OR (lang = 'en' AND (headline || description) NOT LIKE '%15\\% off%' ESCAPE '\\' AND (headline || description) NOT LIKE '%¥%') OR (lang = 'zh-CN' AND (headline || description) NOT LIKE '%85折%' AND (headline || description) NOT LIKE '%¥%'))"));
    assert_eq!(wrong, 0, "badge and copy state the promotion exactly");
    assert_eq!(query_i64(&project, &format!("SELECT count(*) FROM campaigns WHERE id = {promo} AND json_extract(promotion, '$.kind.percent') = 15")), 1);
    let before = query_i64(&project, "SELECT count(*) FROM campaigns");
    for (extra, field) in [
        (&["--promo-percent", "95", "--promo-from", "2026-11-01", "--promo-to", "2099-12-31"][..], "promotion.percent"),
        (&["--promo-percent", "15", "--promo-from", "2020-01-01", "--promo-to", "2020-01-31"][..], "promotion.ends"),
        (&["--promo-amount", "50", "--promo-from", "2099-12-31", "--promo-to", "2099-01-01"][..], "promotion.ends"),
        (&["--promo-percent", "15", "--promo-from", "2026-11-01", "--promo-to", "2099-12-31", "--promo-products", "no-such-product"][..], "promotion.products"),
        (&["--promo-percent", "15"][..], "--promo-from"),
    ] {
        run(extra).code(1).stderr_has(&["error[invalid_input]", field]);
    }
    assert_eq!(query_i64(&project, "SELECT count(*) FROM campaigns"), before, "refused promotions create nothing");
}
