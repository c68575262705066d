use super::fixtures;
use crate::simulate::charts::{self, ChartKind, Scope};
use crate::simulate::saved::{self, RunStatus};
use crate::simulate::*;
use crate::testkit;
use crate::{ErrorCode, HasCode};

#[test]
fn runs_are_stored_listed_reopened_and_resumed_exactly() {
    let (mut p, cid) = testkit::campaign_project();
    let params = RunParams { impressions: 40_000, seed: 7, ..RunParams::default() };
    let mut run = Run::from_campaign(&p, cid, params.clone()).unwrap();
    run.advance(12_345);
    let id = saved::create(&mut p, cid, " first ", &run, RunStatus::Paused).unwrap();
    let (rec, mut reopened) = saved::load(&p, id).unwrap();
    assert_eq!((rec.name.as_str(), rec.status, rec.served, rec.policy.as_str()), ("first", RunStatus::Paused, 12_345, "thompson"));
    assert_eq!(rec.params, run.params().clone());
    assert!(reopened.checkpoint() == run.checkpoint());
    assert!(saved::points(&p, id).unwrap().last().is_some_and(|pt| pt.impressions == 12_345 && pt.clicks == rec.clicks));

    while run.advance(10_000) > 0 {}
    while reopened.advance(7_000) > 0 {}
    assert!(reopened.checkpoint() == run.checkpoint());
    saved::save(&mut p, id, &reopened, RunStatus::Running).unwrap();
    let rec = saved::get(&p, id).unwrap();
    assert_eq!((rec.status, rec.served), (RunStatus::Done, 40_000), "a finished run is stored as done");
    let pts = saved::points(&p, id).unwrap();
    assert_eq!(pts.len(), 129);
    assert!(pts.windows(2).all(|w| w[0].impressions < w[1].impressions && w[0].clicks <= w[1].clicks));

    let other = Run::from_campaign(&p, cid, RunParams { policy: PolicySpec::Uniform, ..params }).unwrap();
    let id2 = saved::create(&mut p, cid, "uniform", &other, RunStatus::Running).unwrap();
    saved::set_status(&p, id2, RunStatus::Stopped).unwrap();
    let list = saved::list(&p, cid).unwrap();
    assert_eq!(list.iter().map(|r| (r.id, r.status)).collect::<Vec<_>>(), vec![(id, RunStatus::Done), (id2, RunStatus::Stopped)]);
    assert!(!RunStatus::Stopped.can_resume() && RunStatus::Paused.can_resume());
    saved::delete(&p, id2).unwrap();
    assert_eq!(saved::load(&p, id2).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(saved::set_status(&p, id2, RunStatus::Paused).unwrap_err().code(), ErrorCode::NotFound);
    assert!(saved::points(&p, id2).unwrap().is_empty());
}

#[test]
fn run_to_end_stores_a_done_run_that_feeds_latest_ctr() {
    let (mut p, cid) = testkit::campaign_project();
    assert!(latest_ctr(&p, cid).unwrap().is_empty(), "no run yet");
    let params = RunParams { impressions: 6_000, seed: 5, ..RunParams::default() };
    let id = run_to_end(&mut p, cid, "headless", params.clone()).unwrap();
    let rec = saved::get(&p, id).unwrap();
    assert_eq!((rec.name.as_str(), rec.status, rec.served, rec.policy.as_str()), ("headless", RunStatus::Done, 6_000, "thompson"));
    assert_eq!(saved::points(&p, id).unwrap().last().map(|pt| (pt.impressions, pt.clicks)), Some((6_000, rec.clicks)));
    // Seeded: the same parameters give the same run.
    let again = run_to_end(&mut p, cid, "again", params.clone()).unwrap();
    assert!(saved::load(&p, again).unwrap().1.checkpoint() == saved::load(&p, id).unwrap().1.checkpoint());
    let ctr = latest_ctr(&p, cid).unwrap();
    assert_eq!(ctr.len(), crate::campaign::variants(&p, cid).unwrap().len());
    assert!(ctr.values().all(|c| (0.0..=1.0).contains(c)));
    // Refused parameters and names store nothing.
    let bad = run_to_end(&mut p, cid, "zero", RunParams { impressions: 0, ..params.clone() }).unwrap_err();
    assert_eq!(bad.code(), ErrorCode::InvalidInput);
    assert_eq!(run_to_end(&mut p, cid, "a\u{7}b", params).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(saved::list(&p, cid).unwrap().len(), 2);
}

#[test]
fn every_chart_renders_as_labelled_svg_and_png() {
    let sc = fixtures::planted(3);
    let mut run = Run::new(sc, fixtures::params(PolicySpec::default(), 20_000, 1, fixtures::quiet_model())).unwrap();
    run.advance(10_001);
    for kind in ChartKind::ALL {
        for scope in [Scope::Overall, Scope::Segment(2)] {
            let svg = charts::svg(&run, kind, scope, charts::FRAME_SIZE).unwrap();
            assert!(svg.starts_with("<svg"), "{kind:?}");
            assert!(svg.contains("Simulated") && svg.contains("模拟"), "{kind:?} {scope:?} is labelled simulated");
            assert!(svg.contains("<polyline") || svg.contains("<path"), "{kind:?} draws lines");
        }
    }
    assert!(charts::svg(&run, ChartKind::Ctr, Scope::Overall, charts::FRAME_SIZE).unwrap().contains("<polygon"), "credible bands");
    let png = charts::png(&run, ChartKind::CumulativeClicks, Scope::Overall, (640, 360)).unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert_eq!((img.width(), img.height()), (640, 360));
    assert_eq!(charts::svg(&run, ChartKind::Ctr, Scope::Segment(3), (400, 300)).unwrap_err().code(), ErrorCode::InvalidInput);
}
