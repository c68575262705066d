use std::sync::Mutex;

use super::super::compare::{self, ChartFormat};
use super::super::live::{self, drive, Ended, Live};
use super::*;
use crate::testkit;

fn params(impressions: u64, seed: u64) -> RunParams {
    RunParams { impressions, seed, ..RunParams::default() }.check().unwrap()
}

/// The reference: the same run served in one go, no task, no frames.
fn straight(p: &Project, cid: i64, rp: RunParams) -> Totals {
    let mut r = Run::from_campaign(p, cid, rp).unwrap();
    r.advance(u64::MAX);
    r.totals()
}

#[test]
fn a_driven_run_ends_done_saved_and_equal_to_serving_it_in_one_go() {
    let (mut p, cid) = testkit::campaign_project();
    let live = Live::start(&mut p, cid, "full speed", params(60_000, 4), 0).unwrap();
    let id = live.run_id();
    let want = straight(&p, cid, params(60_000, 4));
    let project = Mutex::new(p);
    let mut frames = Vec::new();
    let ended = drive(&project, live, &mut |f| {
        frames.push(f);
        true
    })
    .unwrap();
    assert_eq!(ended, Ended::Done);
    let last = frames.last().unwrap();
    assert_eq!(last.status, RunStatus::Done);
    assert_eq!(last.totals, want, "pacing and frames must not change what is simulated");
    assert!(frames.iter().all(|f| f.simulated && f.charts.len() == 4 && f.charts.iter().all(|c| c.svg.contains("Simulated"))));
    assert!(frames.windows(2).all(|w| w[1].seq == w[0].seq + 1 && w[1].totals.impressions >= w[0].totals.impressions));
    let p = project.into_inner().unwrap();
    let rec = saved::get(&p, id).unwrap();
    assert_eq!((rec.status, rec.served, rec.clicks), (RunStatus::Done, 60_000, want.clicks));
}

#[test]
fn a_closed_window_ends_the_task_saved_paused_and_it_resumes_exactly() {
    let (mut p, cid) = testkit::campaign_project();
    let rp = params(400_000, 9);
    let live = Live::start(&mut p, cid, "watched", rp.clone(), 50_000).unwrap();
    let id = live.run_id();
    let project = Mutex::new(p);
    let mut sent = 0;
    // The window goes away after 3 frames: the sink refuses the 4th.
    let ended = drive(&project, live, &mut |_| {
        sent += 1;
        sent <= 3
    })
    .unwrap();
    assert_eq!(ended, Ended::Detached);
    assert_eq!(sent, 4, "the task stops at the first refused frame");
    let p = project.into_inner().unwrap();
    let rec = saved::get(&p, id).unwrap();
    assert_eq!(rec.status, RunStatus::Paused);
    assert!(rec.served > 0 && rec.served < 400_000, "served {} before the window closed", rec.served);
    // Re-open and finish at full speed: identical to one uninterrupted run.
    let live = Live::reopen(&p, id, 0).unwrap();
    let project = Mutex::new(p);
    assert_eq!(drive(&project, live, &mut |_| true).unwrap(), Ended::Done);
    let p = project.into_inner().unwrap();
    let (_, run) = saved::load(&p, id).unwrap();
    assert_eq!(run.totals(), straight(&p, cid, rp));
    assert_eq!(Live::reopen(&p, id, 0).err().map(|e| e.code()), Some(ErrorCode::Conflict), "a done run cannot be continued");
}

#[test]
fn pause_resume_and_stop_are_obeyed_from_another_thread() {
    let (mut p, cid) = testkit::campaign_project();
    let live = Live::start(&mut p, cid, "steered", params(50_000_000, 2), 20_000).unwrap();
    let (id, control) = (live.run_id(), live.control());
    let project = Mutex::new(p);
    let statuses = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        let task = s.spawn(|| {
            drive(&project, live, &mut |f| {
                statuses.lock().unwrap().push((f.status, f.totals.impressions));
                true
            })
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        control.send(LiveCommand::Pause);
        std::thread::sleep(std::time::Duration::from_millis(300));
        let paused_at = saved::get(&project.lock().unwrap(), id).unwrap();
        assert_eq!(paused_at.status, RunStatus::Paused);
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(saved::get(&project.lock().unwrap(), id).unwrap().served, paused_at.served, "nothing is served while paused");
        control.send(LiveCommand::Resume);
        std::thread::sleep(std::time::Duration::from_millis(300));
        control.send(LiveCommand::Stop);
        control.send(LiveCommand::Resume); // too late: stop is final
        assert_eq!(task.join().unwrap().unwrap(), Ended::Stopped);
    });
    let statuses = statuses.into_inner().unwrap();
    assert!(statuses.iter().any(|s| s.0 == RunStatus::Paused));
    assert_eq!(statuses.last().unwrap().0, RunStatus::Stopped);
    let p = project.into_inner().unwrap();
    let rec = saved::get(&p, id).unwrap();
    assert_eq!(rec.status, RunStatus::Stopped);
    // About 20,000/s for ~0.6 s of running: well short of full speed.
    assert!(rec.served > 1_000 && rec.served < 1_000_000, "served {}", rec.served);
    assert_eq!(Live::reopen(&p, id, 0).err().map(|e| e.code()), Some(ErrorCode::Conflict));
}

#[test]
fn frames_follow_the_watched_scope_and_bad_speeds_and_scopes_are_refused() {
    let (mut p, cid) = testkit::campaign_project();
    let live = Live::start(&mut p, cid, "scoped", params(10_000, 1), 0).unwrap();
    let (id, control) = (live.run_id(), live.control());
    control.set_scope(Scope::Segment(1));
    let project = Mutex::new(p);
    let mut scopes = Vec::new();
    drive(&project, live, &mut |f| {
        scopes.push(f.scope);
        true
    })
    .unwrap();
    assert!(scopes.iter().all(|s| *s == Scope::Segment(1)));
    assert_eq!(control.set_speed(live::MAX_SPEED + 1).unwrap_err().code(), ErrorCode::InvalidInput);
    let p = project.into_inner().unwrap();
    let f = live::stored_frame(&p, id, Scope::Segment(1)).unwrap();
    assert_eq!((f.status, f.totals.impressions, f.report.segments.len()), (RunStatus::Done, 10_000, 6));
    assert!(f.charts[0].svg.contains(&f.report.segments[1].name_en));
    assert_eq!(live::stored_frame(&p, id, Scope::Segment(99)).unwrap_err().code(), ErrorCode::InvalidInput);
}

#[test]
fn runs_compare_and_charts_export_as_png_and_svg() {
    let (mut p, cid) = testkit::campaign_project();
    let mut ids = Vec::new();
    for (name, policy) in [("thompson", PolicySpec::default()), ("a/b", PolicySpec::Uniform)] {
        let rp = RunParams { policy, ..params(30_000, 6) };
        let live = Live::start(&mut p, cid, name, rp, 0).unwrap();
        ids.push(live.run_id());
        let project = Mutex::new(p);
        drive(&project, live, &mut |_| true).unwrap();
        p = project.into_inner().unwrap();
    }
    let c = compare::compare(&p, &ids).unwrap();
    assert!(c.simulated && c.chart_svg.contains("Simulated"));
    assert_eq!(c.runs.iter().map(|r| r.record.name.as_str()).collect::<Vec<_>>(), ["thompson", "a/b"]);
    let uniform = &c.runs[1];
    assert!((uniform.ctr - uniform.record.clicks as f64 / 30_000.0).abs() < 1e-12);
    assert!(c.runs[0].lift_over_uniform.unwrap() > 0.0, "thompson beats its paired uniform split here");
    assert_eq!(compare::compare(&p, &[]).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(compare::compare(&p, &[ids[0], 12345]).unwrap_err().code(), ErrorCode::NotFound);

    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("ctr.png");
    compare::export_chart(&p, ids[0], ChartKind::Ctr, Scope::Overall, ChartFormat::Png, &png).unwrap();
    let img = image::open(&png).unwrap();
    assert_eq!((img.width(), img.height()), compare::EXPORT_SIZE);
    let svg = dir.path().join("cmp.svg");
    compare::export_comparison(&p, &ids, ChartFormat::Svg, &svg).unwrap();
    assert!(std::fs::read_to_string(&svg).unwrap().contains("Simulated cumulative CTR"));
    let bad = dir.path().join("no/such/dir/x.svg");
    assert_eq!(compare::export_chart(&p, ids[0], ChartKind::Regret, Scope::Overall, ChartFormat::Svg, &bad).unwrap_err().code(), ErrorCode::Io);
}

#[test]
fn latest_ctr_reads_the_newest_live_run() {
    let (mut p, cid) = testkit::campaign_project();
    assert!(latest_ctr(&p, cid).unwrap().is_empty());
    let live = Live::start(&mut p, cid, "for export", params(20_000, 3), 0).unwrap();
    let project = Mutex::new(p);
    drive(&project, live, &mut |_| true).unwrap();
    let p = project.into_inner().unwrap();
    let ctr = latest_ctr(&p, cid).unwrap();
    let (_, run) = saved::load(&p, saved::list(&p, cid).unwrap()[0].id).unwrap();
    let k = run.scenario().arms.len();
    assert_eq!(ctr.len(), k - 1, "every variant, not the generic control");
    assert!(!ctr.contains_key(&scenario::GENERIC_CONTROL_ID));
    let a0 = run.scenario().arms[0].variant_id;
    let (c, n) = run.counts().iter().step_by(k).fold((0, 0), |(c, n), x| (c + x.clicks, n + x.impressions));
    assert!((ctr[&a0] - c as f64 / n as f64).abs() < 1e-12);
}
