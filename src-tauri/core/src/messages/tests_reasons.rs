//! Reasons as the core's own checks make them: every keyed reason a refusal carries has texts
//! in both dictionaries that name only the parameters it gives (see `tests` for the keys
//! themselves and every `keyed_text!` call site).

use std::collections::BTreeSet;

use crate::Keyed;

use super::tests::{check_reasons, templates};
use super::*;
use crate::error::HasCode;

/// Performance-report problems as real imports make them: files crafted to break each rule
/// (file, header, cell and the no-double-count rule) produce every listed `perf.*` key, and
/// each key's English and Chinese texts use only the parameters it gives.
#[test]
fn report_problems_fill_their_texts() {
    use crate::dashboard::performance::{self, PERF_KEYS};
    use crate::dashboard::DashboardError;
    let (mut p, cid) = crate::testkit::campaign_project();
    let ids: Vec<i64> = crate::campaign::variants(&p, cid).unwrap().iter().map(|v| v.id).collect();
    let (v, w, x, y) = (ids[0], ids[1], ids[2], ids[3]);
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut file = |bytes: Vec<u8>| {
        n += 1;
        let f = dir.path().join(format!("r{n}.csv"));
        std::fs::write(&f, bytes).unwrap();
        f
    };
    let studio = "ad_id,impressions,clicks,conversions,date,cost\n";
    let meta = "Ad name,Reporting starts,Reporting ends,Impressions,Link clicks,Results,Amount spent (CNY)\n";
    let long = "9".repeat(performance::MAX_LINE_BYTES + 10);
    let rows = format!(
        "{studio}{v},1,0\nabc,1,0,0,,\n999999,1,0,0,,\n{v},1,2,0,,\n{v},5,1,2,,\n{v},-1,0,0,,\n{v},1000000000001,0,0,,\n{v},x,0,0,,\n{v},1,0,0,2026/11/01,\n\
         {v},1,0,0,2026-11-20,-5\n{long}\n{v},1,0,0,2026-11-01,\n{v},1,0,0,2026-11-01,\n{v},1,0,0,,\n{w},1,0,0,,\n{w},1,0,0,2026-11-02,\n"
    );
    let platform = format!(
        "{meta}Total,,,10,1,0,1\nSpring sale,2026-11-01,2026-11-01,1,0,0,1\nx_seg1_v{x},,2026-11-01,1,0,0,1\nx_seg1_v{x},2026-11-05,2026-11-01,1,0,0,1\nx_seg1_v{x},someday,2026-11-01,1,0,0,1\n\
         x_seg1_v{x},2026-12-09,2026-12-11,1,0,0,1\nx_seg1_v{x},2026-12-10,2026-12-10,1,0,0,1\nx_seg1_v{x},2026-12-20,2026-12-22,1,0,0,1\nx_seg1_v{x},2026-12-21,2026-12-23,1,0,0,1\n\
         x_seg1_v{y},2026-12-02,2026-12-02,1,0,0,1\nx_seg1_v{y},2026-12-01,2026-12-03,1,0,0,1\n"
    );
    let google = format!("Ad name,Impr.,Clicks,Conversions\nx_seg1_v{v},10,1.5,0\n");
    let mut files: Vec<Vec<u8>> = vec![rows.into_bytes(), platform.into_bytes(), google.into_bytes()];
    let mut many = String::from(studio);
    for _ in 0..=performance::MAX_ROWS {
        many.push_str("a\n");
    }
    let mut not_utf8 = b"ad_id,impressions\xff\n".to_vec();
    not_utf8.extend_from_slice(b"1,2\n");
    files.extend([
        many.into_bytes(),
        Vec::new(),
        format!("{long}\n").into_bytes(),
        not_utf8,
        b"ad_id,impressions,clicks\n1,1,1\n".to_vec(),
        b"Ad name,Reporting starts,Reporting ends,Impressions,Link clicks\n".to_vec(),
        b"Ad ID,Impr.,Clicks,Conversions\n1,1,1,1\n".to_vec(),
        b"ad_id,impressions,clicks,conversions,clicks\n".to_vec(),
        b"ad_id,impressions,clicks,conversions,foo\n".to_vec(),
        studio.as_bytes().to_vec(),
    ]);
    let mut made: Vec<Keyed> = Vec::new();
    for bytes in files {
        match performance::import(&mut p, cid, &file(bytes)) {
            Ok(s) => made.extend(s.errors.iter().chain(&s.skipped).map(|e| e.keyed.clone().expect("a report row's problem is keyed"))),
            Err(DashboardError::BadFile { reason, .. }) => made.push(reason.keyed),
            Err(e) => panic!("{e}"),
        }
    }
    let big = file(Vec::new());
    std::fs::File::options().write(true).open(&big).unwrap().set_len(performance::MAX_REPORT_BYTES + 1).unwrap();
    match performance::import(&mut p, cid, &big) {
        Err(e @ DashboardError::BadFile { .. }) => {
            let k = e.keyed().unwrap();
            assert_eq!((k.key.as_str(), k.params.get("reason_key").map(String::as_str)), ("err.dashboard.bad_file", Some("perf.file.too_big")));
            if let DashboardError::BadFile { reason, .. } = e {
                made.push(reason.keyed);
            }
        }
        other => panic!("{other:?}"),
    }
    // A CSV error other than I/O cannot be provoked with the lenient reader: made directly.
    made.push(Keyed::new("perf.file.malformed_csv", [("line", "3".into()), ("detail", "x".into())]));
    check_reasons(&made, PERF_KEYS);
}

/// A campaign spec's refusals as `check` and `create` make them.
#[test]
fn spec_reasons_fill_their_texts() {
    use crate::campaign::{self, CampaignError, CampaignParams, SPEC_KEYS};
    use crate::copy::{PromoKind, Promotion};
    use crate::text::Lang;
    let base = || CampaignParams::new("x", Lang::En, 1);
    let promo = |kind, starts: &str, ends: &str, products: &[&str]| Some(Promotion { kind, starts: starts.into(), ends: ends.into(), products: products.iter().map(|s| s.to_string()).collect() });
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let mut specs = vec![
        CampaignParams { languages: vec![], ..base() },
        CampaignParams { languages: vec![Lang::En, Lang::En], ..base() },
        CampaignParams { placements: vec![], ..base() },
        CampaignParams { placements: vec!["nope".into()], ..base() },
        CampaignParams { placements: vec!["google-rda-logo-square".into()], ..base() },
        CampaignParams { landing_url: format!("https://x.com/{}", "a".repeat(2100)), ..base() },
        CampaignParams { landing_url: "shop.example.com".into(), ..base() },
        CampaignParams { landing_url: "https://".into(), ..base() },
        CampaignParams { landing_url: "https://exa mple.com".into(), ..base() },
        CampaignParams { business_name: "".into(), ..base() },
        CampaignParams { variants_per_segment: 0, ..base() },
        CampaignParams { new_within_days: Some(0), ..base() },
        CampaignParams { promotion: promo(PromoKind::Percent(95), "2026-12-01", "2026-12-31", &[]), ..base() },
        CampaignParams { promotion: promo(PromoKind::Amount(0), "2026-12-01", "2026-12-31", &[]), ..base() },
        CampaignParams { promotion: promo(PromoKind::Amount(150), "2026-12-01", "2026-12-31", &[]), ..base() },
        CampaignParams { promotion: promo(PromoKind::Percent(10), "soon", "2026-12-31", &[]), ..base() },
        CampaignParams { promotion: promo(PromoKind::Percent(10), "2026-12-31", "2026-12-01", &[]), ..base() },
        CampaignParams { promotion: promo(PromoKind::Percent(10), "2026-11-01", "2026-11-30", &[]), ..base() },
    ];
    specs.push(CampaignParams { promotion: promo(PromoKind::Percent(10), "2026-12-01", "2026-12-31", &["a", "a"]), ..base() });
    let mut made: Vec<Keyed> = Vec::new();
    for spec in specs {
        match spec.check_on(today) {
            Err(e @ CampaignError::BadSpec { .. }) => {
                let k = e.keyed().unwrap();
                assert_eq!(k.key, "err.campaign.bad_spec");
                let CampaignError::BadSpec { reason, .. } = e else { unreachable!() };
                assert_eq!(k.params.get("reason_key"), Some(&reason.keyed.key));
                made.push(reason.keyed);
            }
            other => panic!("{other:?}"),
        }
    }
    // Checked against the project's catalog when the campaign is created.
    let (mut p, _) = crate::testkit::campaign_project();
    let (id, price): (String, i64) = p.conn().query_row("SELECT id, price_cents FROM products WHERE price_cents > 0 ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let whole = (price / 100 + 1) as u32 * 100;
    let far = "2099-12-31";
    for (kind, products) in [(PromoKind::Percent(10), vec!["no-such-product"]), (PromoKind::Amount(whole), vec![id.as_str()])] {
        let spec = CampaignParams { promotion: promo(kind, "2026-01-01", far, &products), ..CampaignParams::single("y", Lang::Zh, 1) };
        match campaign::create(&mut p, spec, &mut crate::progress::ignore) {
            Err(CampaignError::BadSpec { reason, .. }) => made.push(reason.keyed),
            other => panic!("{other:?}"),
        }
    }
    check_reasons(&made, SPEC_KEYS);
}

/// Segment parameter and split refusals as `check` and `split` make them.
#[test]
fn segment_reasons_fill_their_texts() {
    use crate::segments::{self, KChoice, SegmentError, SegmentParams, REASON_KEYS};
    let base = SegmentParams::default;
    let mut made: Vec<Keyed> = Vec::new();
    for params in [
        SegmentParams { k: KChoice::Fixed(1), ..base() },
        SegmentParams { k: KChoice::Auto { min: 5, max: 3 }, ..base() },
        SegmentParams { half_life_days: 0.0, ..base() },
        SegmentParams { silhouette_sample: 10, ..base() },
    ] {
        match params.check() {
            Err(SegmentError::InvalidParams(r)) => made.push(r.keyed),
            other => panic!("{other:?}"),
        }
    }
    let (mut p, _) = crate::testkit::campaign_project();
    let segment: i64 = p.conn().query_row("SELECT id FROM segments ORDER BY size DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    let huge = SegmentParams { min_size: 1_000_000, ..base() }.check().unwrap();
    match segments::split(&mut p, &huge, segment) {
        Err(SegmentError::CannotSplit { reason, .. }) => made.push(reason.keyed),
        other => panic!("{other:?}"),
    }
    // The store changing under a model, and a split k-means leaves uneven: made directly.
    made.push(Keyed::new("split.events_changed", []));
    made.push(Keyed::new("split.uneven", [("smaller", "3".into()), ("min_size", "50".into())]));
    check_reasons(&made, REASON_KEYS);
}

/// Row rejections as the parsers make them: every listed `row.*` key is produced, and its
/// English and Chinese texts use only the parameters it gives.
#[test]
fn row_rejections_fill_their_texts() {
    use crate::ingest::formats::{self as f, generic, online_retail, rees46, simple, FieldError, ROW_KEYS};
    let (en, zh) = (templates("en.ts"), templates("zh-CN.ts"));
    let mapping = generic::Mapping::parse("user=u,item=i,time=t", &["u", "i", "t"]).unwrap();
    let retail = ["536365", "85123A", "WHITE HANGING HEART", "6", "2010-12-01 08:26:00", "2.55", "17850", "United Kingdom"];
    let gbp = online_retail::parse(&retail).unwrap().product.expect("a product row");
    let mut cny = crate::ingest::product_checks::ProductChecks::new(Some("CNY".into()), None, std::path::Path::new("x.csv"));
    let samples: Vec<FieldError> = vec![
        f::expect_fields(&["a"], 3).unwrap_err(),
        f::required(" ", "item").unwrap_err(),
        f::unix_time("soon", "time", false).unwrap_err(),
        f::unix_time("5", "time", true).unwrap_err(),
        f::parse_price("-1", "price").unwrap_err(),
        generic::event(&mapping, &["u1", "i1"]).unwrap_err(),
        generic::event(&mapping, &["u1", "i1", "yesterday"]).unwrap_err(),
        simple::taobao(&["1", "2", "3", "click", "1511544070"]).unwrap_err(),
        rees46::parse(&["2019-10-01 00:00:00 UTC", "wish", "1", "2", "", "", "1.00", "5", "s"]).unwrap_err(),
        rees46::parse(&["yesterday", "view", "1", "2", "", "", "1.00", "5", "s"]).unwrap_err(),
        online_retail::parse(&["536365", "85123A", "WHITE HANGING HEART", "six", "2010-12-01 08:26:00", "2.55", "17850", "United Kingdom"]).unwrap_err(),
        online_retail::parse(&["536365", "85123A", "WHITE HANGING HEART", "0", "2010-12-01 08:26:00", "2.55", "17850", "United Kingdom"]).unwrap_err(),
        cny.currency(&gbp).unwrap_err(),
        FieldError::new("*", "x", "row.unreadable", [("detail", "x".to_string())]),
        FieldError::new("currency", "x", "row.unsupported_currency", [("value", "XXX".to_string())]),
    ];
    let mut seen = BTreeSet::new();
    for e in &samples {
        for dict in [&en, &zh] {
            let wanted = dict.get(&e.keyed.key).unwrap_or_else(|| panic!("{} has no text", e.keyed.key));
            for name in wanted {
                assert!(e.keyed.params.contains_key(name), "{}: the text needs {{{name}}}, the row error gives {:?}", e.keyed.key, e.keyed.params);
            }
        }
        seen.insert(e.keyed.key.clone());
    }
    let listed: BTreeSet<String> = ROW_KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(seen, listed, "every row key is produced by a parser");
}

/// Every module's keyed errors (other than review's): each sample's key is listed, every
/// placeholder of its English and Chinese text is among its parameters, identifier
/// parameters have labels, and every listed key is produced by some sample.
#[test]
fn keyed_module_errors_fill_their_texts() {
    use crate::banner::{BannerError, LayerKind};
    use crate::campaign::CampaignError;
    use crate::dashboard::DashboardError;
    use crate::decision::DecisionError;
    use crate::export::ExportError;
    use crate::ingest::formats::generic::MappingError;
    use crate::ingest::IngestError;
    use crate::names::NameError;
    use crate::report::ReportError;
    use crate::segments::{profile, SegmentError};
    use crate::simulate::SimulateError;
    use crate::store::StoreError;
    use crate::Keyed;
    let io = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    let p = || "/tmp/x.csv".to_string();
    let samples: Vec<Box<dyn HasCode>> = vec![
        Box::new(IngestError::Read { path: p(), source: io() }),
        Box::new(IngestError::Empty { path: p() }),
        Box::new(IngestError::NotText { path: p() }),
        Box::new(IngestError::UnknownFormat { path: p(), header: "a,b".into() }),
        Box::new(IngestError::BadMapping { path: p(), source: MappingError::NotKeyValue("x".into()) }),
        Box::new(IngestError::BadMapping { path: p(), source: MappingError::UnknownColumn { column: "ts".into(), header: "a,b".into() } }),
        Box::new(IngestError::BadMapping { path: p(), source: MappingError::UnknownKey("when".into()) }),
        Box::new(IngestError::BadMapping { path: p(), source: MappingError::Missing("time") }),
        Box::new(IngestError::BadMapping { path: p(), source: MappingError::CatalogColumns }),
        Box::new(IngestError::BadMapping { path: p(), source: MappingError::NoMapping }),
        Box::new(IngestError::BadFormatName { path: p(), name: "x".into() }),
        Box::new(IngestError::BadCurrency { path: p(), given: "XXX".into() }),
        Box::new(IngestError::CurrencyConflict { path: p(), given: "GBP".into(), project: "CNY".into() }),
        Box::new(IngestError::SingleColumn { path: p(), delimiter: "comma", header: "a b".into() }),
        Box::new(IngestError::BadDelimiter { path: p(), value: "x".into() }),
        Box::new(IngestError::AllRejected { path: p(), rows: 1000, column: "time".into(), reason: "r".into(), line: 2, reason_keyed: Box::new(Keyed::new("row.empty", [])) }),
        Box::new(IngestError::Cancelled { path: p() }),
        Box::new(SegmentError::InvalidParams(crate::error::KeyedText { text: "r".into(), keyed: Keyed::new("segparam.sample", [("value", "1".into())]) })),
        Box::new(SegmentError::TooFewUsers { users: 43, segments: 3, min_size: 50, needed: 150 }),
        Box::new(SegmentError::CannotSplit { segment: 2, reason: crate::error::KeyedText { text: "r".into(), keyed: Keyed::new("split.events_changed", []) } }),
        Box::new(SegmentError::Cancelled),
        Box::new(SegmentError::NotFound(9)),
        Box::new(SegmentError::InvalidName(profile::NameError::Empty("Chinese"))),
        Box::new(SegmentError::InvalidName(profile::NameError::TooLong("English"))),
        Box::new(SegmentError::InvalidName(profile::NameError::Taken("a / b".into()))),
        Box::new(NameError::Control { field: "campaign name", code: "U+001B".into(), at: 3 }),
        Box::new(NameError::Invisible { field: "profile name", kind: "bidi control", code: "U+202E".into(), at: 1 }),
        Box::new(NameError::LookAlike { field: "profile name", name: "Ada".into(), existing: "Аda".into() }),
        Box::new(CampaignError::BadName),
        Box::new(CampaignError::BadSpec { field: "promotion.percent", reason: crate::error::KeyedText { text: "r".into(), keyed: Keyed::new("spec.amount_zero", []) } }),
        Box::new(CampaignError::NoSegments),
        Box::new(CampaignError::NoProducts),
        Box::new(CampaignError::NotFound(1)),
        Box::new(CampaignError::VariantNotFound(1)),
        Box::new(CampaignError::RenderNotFound { variant: 1, placement: "meta-feed-square".into() }),
        Box::new(CampaignError::NoProduct(1)),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::Empty(crate::compliance::Field::Cta))),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::TooLong(vec![crate::placements::TextLength {
            placement: "google-rda-landscape".into(),
            field: crate::compliance::Field::Headline,
            length: 46,
            limit: 30,
            over: true,
        }]))),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::LayerTwice(LayerKind::Cta))),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::OffCanvas(LayerKind::Logo, crate::banner::template::RectProblem::Range))),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::OffCanvas(LayerKind::Logo, crate::banner::template::RectProblem::Size))),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::OffCanvas(LayerKind::Logo, crate::banner::template::RectProblem::OverRight))),
        Box::new(CampaignError::BadEdit(crate::campaign::EditProblem::OffCanvas(LayerKind::Logo, crate::banner::template::RectProblem::OverBottom))),
        Box::new(CampaignError::Cancelled),
        Box::new(BannerError::BadSize { w: 1, h: 1 }),
        Box::new(BannerError::BadEdit { kind: LayerKind::Cta, reason: "r" }),
        Box::new(SimulateError::NoVariants(1)),
        Box::new(SimulateError::bad("speed", crate::error::KeyedText { text: "r".into(), keyed: Keyed::new("simparam.at_least_one", []) })),
        Box::new(SimulateError::BadModelFile { path: p(), reason: "r".into() }),
        Box::new(SimulateError::RunNotFound(1)),
        Box::new(SimulateError::NotResumable { run_id: 1, status: "done" }),
        Box::new(SimulateError::Io { path: p().into(), source: io() }),
        Box::new(ExportError::NothingApproved(1)),
        Box::new(ExportError::NotAnExportFolder { path: p() }),
        Box::new(ExportError::ForeignFiles { path: p(), count: 2, files: vec!["a".into(), "b".into()] }),
        Box::new(ExportError::HoldsProject { path: p(), project: "p.studio".into() }),
        Box::new(ExportError::BadOutDir(p())),
        Box::new(ExportError::BadParam { field: "daily_budget", reason: crate::error::KeyedText { text: "r".into(), keyed: Keyed::new("exportparam.daily_budget", [("value", "0".into())]) } }),
        Box::new(ExportError::Invalid(vec![])),
        Box::new(ExportError::MinAudienceTooLow { given: 10, floor: 100 }),
        Box::new(ExportError::AllAudiencesRefused { campaign_id: 1, min_audience: 100, refused: vec![] }),
        Box::new(ExportError::ActorRequired),
        Box::new(ExportError::Write { path: p(), source: io() }),
        Box::new(DashboardError::CampaignNotFound(1)),
        Box::new(DashboardError::Read { path: p().into(), source: io() }),
        Box::new(DashboardError::BadFile { path: p().into(), reason: crate::error::KeyedText { text: "r".into(), keyed: crate::Keyed::new("perf.file.no_rows", []) } }),
        Box::new(DashboardError::Write { path: p().into(), source: io() }),
        Box::new(DashboardError::ReportNotFound(1)),
        Box::new(DashboardError::ActorRequired),
        Box::new(DashboardError::ImplausibleTotal { variant_id: 1, column: "clicks" }),
        Box::new(ReportError::UnknownCampaign(1)),
        Box::new(ReportError::Write { path: p().into(), source: io() }),
        Box::new(StoreError::NotAProject { path: p(), why: "w".into() }),
        Box::new(StoreError::Foreign { path: p(), detail: "d".into() }),
        Box::new(StoreError::TooNew { path: p(), schema: 99, known: 20 }),
        Box::new(StoreError::Missing { path: p() }),
        Box::new(StoreError::Empty { path: p() }),
        Box::new(StoreError::NoFolder { path: p(), folder: "/nope".into() }),
        Box::new(StoreError::ReadOnly { path: p() }),
        Box::new(StoreError::ReadOnlyOld { path: p(), schema: 3, known: 20 }),
        Box::new(DecisionError::InvalidParams("r".into())),
        Box::new(DecisionError::BadRequest { field: "user", reason: "r".into() }),
        Box::new(DecisionError::NoModel),
        Box::new(DecisionError::NothingToServe { campaign: 1, lang: "zh-CN".into() }),
        Box::new(DecisionError::UnknownEvent("e".into())),
        Box::new(DecisionError::AlreadyRewarded("e".into())),
        Box::new(DecisionError::DuplicateEvent("e".into())),
        Box::new(DecisionError::Expired { id: "e".into(), window_secs: 60 }),
        Box::new(DecisionError::NotActivated("e".into())),
        Box::new(DecisionError::Io { path: p(), source: io() }),
        Box::new(crate::demo::DemoError::Cancelled),
        // Wrapped errors answer with the inner error's key.
        Box::new(DecisionError::Campaign(CampaignError::NoSegments)),
        Box::new(ReportError::Dashboard(DashboardError::Simulate(SimulateError::RunNotFound(2)))),
    ];
    let all = keys();
    let (en, zh) = (templates("en.ts"), templates("zh-CN.ts"));
    let labels = [("role", "role"), ("status", "sim.status"), ("lang", "form.lang"), ("name_field", "namefield"), ("layer", "layer"), ("copy_field", "copyfield")];
    let mut seen = BTreeSet::new();
    for e in &samples {
        let k = e.keyed().unwrap_or_else(|| panic!("{e} has no key"));
        assert!(all.contains(&k.key), "{} not listed", k.key);
        for dict in [&en, &zh] {
            let wanted = dict.get(&k.key).unwrap_or_else(|| panic!("{} has no text", k.key));
            for name in wanted {
                assert!(k.params.contains_key(name), "{}: the text needs {{{name}}}, the error gives {:?}", k.key, k.params.keys());
            }
        }
        for (name, prefix) in labels {
            if let Some(v) = k.params.get(name) {
                let label = format!("{prefix}.{v}");
                assert!(en.contains_key(&label) && zh.contains_key(&label), "{}: {name}={v} has no label {label}", k.key);
            }
        }
        seen.insert(k.key);
    }
    let listed: BTreeSet<String> = error_keys().filter(|k| !k.starts_with("err.review.") && *k != crate::review::permissions::NO_PROFILE_KEY).map(str::to_string).collect();
    assert_eq!(seen, listed, "every listed module key is produced by a sample");
}
