//! Report-grade dashboard: one run, one lift — the Simulation screen (its final live frame and
//! the stored frame it re-opens) and the dashboard give the same interval —, and chart text
//! legible at 1×.

use std::sync::Mutex;

use super::tests::{driven, opereport};
use super::{build, charts, offpolicy, ChartKind};
use crate::simulate::charts::Scope;
use crate::simulate::live::{drive, stored_frame, Ended, Live, LiveFrame};
use crate::simulate::run::RunParams;
use crate::testkit;
use crate::text::Lang;

#[test]
fn the_simulation_screen_and_the_dashboard_show_one_lift_for_one_run() {
    let (mut p, cid) = testkit::campaign_project();
    let params = RunParams { impressions: 20_000, seed: 11, ..RunParams::default() }.check().unwrap();
    let live = Live::start(&mut p, cid, "one lift", params, 0).unwrap();
    let run_id = live.run_id();
    let project = Mutex::new(p);
    let mut last: Option<LiveFrame> = None;
    assert_eq!(
        drive(&project, live, &mut |f| {
            last = Some(f);
            true
        })
        .unwrap(),
        Ended::Done
    );
    let p = project.into_inner().unwrap();
    let final_frame = last.unwrap().report.lift;
    let reopened = stored_frame(&p, run_id, Scope::Overall).unwrap().report.lift;
    let dashboard = build(&p, cid).unwrap().lift.unwrap();
    assert_eq!(dashboard.run_id, run_id);
    assert_eq!(final_frame, reopened, "the final frame and the re-opened run");
    assert_eq!(dashboard.lift, reopened, "the dashboard and the Simulation screen");
    assert!(dashboard.lift.low < dashboard.lift.mean && dashboard.lift.mean < dashboard.lift.high);
}

/// Every chart's text is at least 13 px at 1× (the window shows the SVG at its size), and
/// every chart is 900 px wide.
#[test]
fn chart_text_is_at_least_13_px_at_1x() {
    let (mut p, cid, _) = driven();
    offpolicy::store(&mut p, cid, &opereport()).unwrap();
    let d = build(&p, cid).unwrap();
    for kind in ChartKind::ALL {
        for lang in [Lang::En, Lang::Zh] {
            let svg = charts::svg(&d, kind, lang).unwrap();
            let (w, h) = charts::size(&d, kind);
            assert!(svg.contains(&format!("width=\"{w}\" height=\"{h}\"")) && w == charts::WIDTH, "{kind:?}");
            let sizes: Vec<f64> = svg.split("font-size=\"").skip(1).map(|x| x[..x.find('"').unwrap()].parse().unwrap()).collect();
            assert!(!sizes.is_empty(), "{kind:?} has text");
            let min = sizes.iter().cloned().fold(f64::INFINITY, f64::min);
            assert!(min >= charts::MIN_TEXT_PX - 1e-6, "{kind:?} {lang:?}: smallest text {min} px");
        }
    }
}
