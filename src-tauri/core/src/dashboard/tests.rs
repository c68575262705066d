use std::path::PathBuf;
use std::sync::Mutex;

use super::performance::parse_ad_id;
use super::*;
use crate::ope::{self, EvalPolicy, Logs, OpeParams, RewardModel};
use crate::simulate::live::{drive, Ended, Live};
use crate::simulate::run::{Run, RunParams};
use crate::simulate::saved::{self, RunStatus};
use crate::simulate::stats;
use crate::testkit;
use crate::{campaign, ErrorCode, HasCode};

/// The demo campaign with one driven (done) simulation run of 30,000 impressions.
pub(super) fn driven() -> (Project, i64, i64) {
    let (mut p, cid) = testkit::campaign_project();
    let params = RunParams { impressions: 30_000, seed: 7, ..RunParams::default() }.check().unwrap();
    let live = Live::start(&mut p, cid, "dashboard", params, 0).unwrap();
    let id = live.run_id();
    let project = Mutex::new(p);
    assert_eq!(drive(&project, live, &mut |_| true).unwrap(), Ended::Done);
    (project.into_inner().unwrap(), cid, id)
}

fn variant_ids(p: &Project, cid: i64) -> Vec<i64> {
    campaign::variants(p, cid).unwrap().iter().map(|v| v.id).collect()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let f = dir.path().join(name);
    std::fs::write(&f, text).unwrap();
    f
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn simulated_numbers_are_the_run_counts_with_posterior_means_and_its_lift() {
    let (p, cid, run_id) = driven();
    let d = build(&p, cid).unwrap();
    let (_, run) = saved::load(&p, run_id).unwrap();
    let sc = run.scenario();
    let k = sc.arms.len();
    // Each segment is served its own variants and the shared generic control (issue 15).
    let serving = sc.serving();
    assert_eq!(d.rows.len(), serving.iter().map(Vec::len).sum::<usize>(), "every segment × the arms it is served");
    assert_eq!(d.run.as_ref().map(|r| (r.id, r.status, r.served)), Some((run_id, RunStatus::Done, 30_000)));
    for (s, seg) in sc.segments.iter().enumerate() {
        for (a, arm) in serving[s].iter().map(|&a| (a, &sc.arms[a])) {
            let row = d.rows.iter().find(|r| r.segment_id == seg.segment_id && r.variant_id == arm.variant_id).unwrap();
            let cell = run.counts()[s * k + a];
            let sim = row.simulated.as_ref().unwrap();
            assert_eq!((sim.impressions, sim.clicks), (cell.impressions, cell.clicks));
            assert!(close(sim.ctr, (cell.clicks as f64 + 1.0) / (cell.impressions as f64 + 2.0)), "posterior mean");
            assert!(sim.ctr_low < sim.ctr && sim.ctr < sim.ctr_high);
            assert_eq!(row.targeted, arm.segment_id == seg.segment_id);
            assert!(row.real.is_none());
        }
    }
    assert_eq!(d.rows.iter().map(|r| r.simulated.as_ref().unwrap().impressions).sum::<u64>(), 30_000);
    // The statistics of record (the run's own seed), as the Simulation screen shows them.
    let want = stats::of_record(&run).unwrap().lift;
    let lift = d.lift.as_ref().unwrap();
    assert_eq!((lift.run_id, &lift.lift, lift.simulated), (run_id, &want, true));
    let n = variant_ids(&p, cid).len() as u32;
    assert_eq!(d.approval, ApprovalProgress { draft: n, total: n, ..Default::default() });
}

#[test]
fn a_running_run_is_skipped_for_the_newest_finished_one() {
    let (mut p, cid, done_id) = driven();
    let mut run = Run::from_campaign(&p, cid, RunParams { impressions: 50_000, seed: 1, ..RunParams::default() }.check().unwrap()).unwrap();
    run.advance(1_000);
    saved::create(&mut p, cid, "still running", &run, RunStatus::Running).unwrap();
    assert_eq!(build(&p, cid).unwrap().run.map(|r| r.id), Some(done_id));
    let paused = saved::create(&mut p, cid, "paused", &run, RunStatus::Paused).unwrap();
    let d = build(&p, cid).unwrap();
    assert_eq!(d.run.map(|r| (r.id, r.served)), Some((paused, 1_000)));
}

#[test]
fn real_numbers_are_summed_per_variant_with_wilson_intervals() {
    let (mut p, cid) = testkit::campaign_project();
    let ids = variant_ids(&p, cid);
    let dir = tempfile::tempdir().unwrap();
    let stem = format!("double-11_seg3_v{}_google-rda-landscape.png", ids[2]);
    let csv =
        format!("ad_id,impressions,clicks,conversions,date,cost\n{a},1000,30,3,2026-11-01,12.5\n{b},2000,50,5,2026-11-01,\n{b},1000,20,2,2026-11-02,4\n{stem},10,0,0,,\n", a = ids[0], b = ids[1]);
    let f = write(&dir, "report.csv", &csv);
    let s = performance::import(&mut p, cid, &f).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected, s.already_imported), (4, 4, 0, false), "{:?}", s.errors);
    let d = build(&p, cid).unwrap();
    assert!(d.run.is_none() && d.lift.is_none() && !d.has_simulated());
    let real = |id: i64| d.rows.iter().find(|r| r.variant_id == id && r.targeted).unwrap().real.clone().unwrap();
    let a = real(ids[0]);
    assert_eq!((a.impressions, a.clicks, a.conversions), (1000, 30, 3));
    assert!(close(a.ctr.unwrap(), 0.03) && close(a.cvr.unwrap(), 0.1));
    assert!((a.ctr_low.unwrap() - 0.021_093_738_8).abs() < 1e-9 && (a.ctr_high.unwrap() - 0.042_503_414_1).abs() < 1e-9);
    assert_eq!(a.cost, Some(12.5));
    let b = real(ids[1]);
    assert_eq!((b.impressions, b.clicks, b.conversions, b.cost), (3000, 70, 7, Some(4.0)));
    assert!((b.ctr_low.unwrap() - 0.018_510_134_6).abs() < 1e-9 && (b.ctr_high.unwrap() - 0.029_375_701_2).abs() < 1e-9);
    let c = real(ids[2]);
    assert_eq!((c.impressions, c.ctr, c.cvr), (10, Some(0.0), None), "no clicks: no conversion rate");
    assert!(d.rows.iter().filter(|r| !ids[..3].contains(&r.variant_id)).all(|r| r.real.is_none()));
    assert_eq!(d.reports.len(), 1);
}

#[test]
fn bad_rows_are_rejected_with_line_column_and_reason_and_good_rows_kept() {
    let (mut p, cid) = testkit::campaign_project();
    let ids = variant_ids(&p, cid);
    let v = ids[0];
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "\u{feff}AD_ID,Impressions,Clicks,Conversions,Date\r\n{v},100,5,1,2026-11-01\r\n{v},10,11,0,\r\n{v},10,5,6,\r\n{v},-1,0,0,\r\n{v},1.5,0,0,\r\n999999,10,1,0,\r\nbanner,10,1,0,\r\n{v},10,1,0,11/01/2026\r\n{v},10,1\r\n{w},20,2,1,\r\n",
        w = ids[1]
    );
    let f = write(&dir, "bad.csv", &csv);
    let s = performance::import(&mut p, cid, &f).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected), (10, 2, 8));
    let got: Vec<(u64, &str)> = s.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(got, [(3, "clicks"), (4, "conversions"), (5, "impressions"), (6, "impressions"), (7, "ad_id"), (8, "ad_id"), (9, "date"), (10, "*")]);
    assert!(s.errors[0].reason.contains("exceed impressions"), "{}", s.errors[0].reason);
    assert!(s.errors[4].reason.contains("not in campaign"), "{}", s.errors[4].reason);
    let stored: i64 = p.conn().query_row("SELECT count(*) FROM performance_rows", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 2);
}

#[test]
fn overlapping_reports_never_count_a_figure_twice() {
    let (mut p, cid) = testkit::campaign_project();
    let ids = variant_ids(&p, cid);
    let (v, w, x) = (ids[0], ids[1], ids[2]);
    let dir = tempfile::tempdir().unwrap();
    let head = "ad_id,impressions,clicks,conversions,date\n";
    let first = performance::import(&mut p, cid, &write(&dir, "week1.csv", &format!("{head}{v},100,5,1,2026-11-01\n{v},100,4,0,2026-11-02\n{w},50,1,0,\n"))).unwrap();
    assert_eq!(first.rows_imported, 3);
    // A later export overlapping the first: 11-02 again, a new day, a repeated day within the
    // file, a dated row under an undated total, an undated row for a dated variant.
    let second = performance::import(
        &mut p,
        cid,
        &write(&dir, "week1-2.csv", &format!("{head}{v},100,4,0,2026-11-02\n{v},80,2,0,2026-11-03\n{v},80,2,0,2026-11-03\n{w},10,1,0,2026-11-03\n{v},500,9,1,\n{x},70,3,0,\n{x},70,3,0,\n")),
    )
    .unwrap();
    assert_eq!((second.rows_read, second.rows_imported, second.rows_rejected), (7, 2, 5), "{:?}", second.errors);
    let got: Vec<(u64, &str)> = second.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(got, [(2, "date"), (4, "date"), (5, "date"), (6, "date"), (8, "date")]);
    let reasons: Vec<&str> = second.errors.iter().map(|e| e.reason.as_str()).collect();
    assert!(reasons[0].contains(&format!("variant {v} on 2026-11-02 is already counted (week1.csv, line 3)")), "{}", reasons[0]);
    assert!(reasons[1].contains("(week1-2.csv, line 3)"), "{}", reasons[1]);
    assert!(reasons[2].contains("total without a date (week1.csv, line 4)"), "{}", reasons[2]);
    assert!(reasons[3].contains("already has figures for 2026-11-01 (week1.csv, line 2)"), "{}", reasons[3]);
    let totals = performance::totals(&p, cid).unwrap();
    assert_eq!(totals[&v].impressions, 280, "11-01, 11-02 and 11-03 once each");
    assert_eq!(totals[&w].impressions, 50);
    assert_eq!(totals[&x].impressions, 70);
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let (mut p, cid) = testkit::campaign_project();
    let v = variant_ids(&p, cid)[0];
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "r.csv", &format!("ad_id,impressions,clicks,conversions\n{v},100,5,1\n{v},10,20,0\n"));
    let first = performance::import(&mut p, cid, &f).unwrap();
    let again = performance::import(&mut p, cid, &f).unwrap();
    assert!(!first.already_imported && again.already_imported);
    assert_eq!((again.report_id, again.rows_imported, again.rows_rejected, again.errors.len()), (first.report_id, 1, 1, 0));
    let d = build(&p, cid).unwrap();
    assert_eq!(d.rows.iter().find_map(|r| r.real.as_ref()).map(|r| r.impressions), Some(100), "counted once");
}

#[test]
fn unusable_files_and_unknown_campaigns_are_refused_whole() {
    let (mut p, cid) = testkit::campaign_project();
    let dir = tempfile::tempdir().unwrap();
    for (name, text, needle) in [
        ("noconv.csv", "ad_id,impressions,clicks\n1,10,1\n", "conversions"),
        ("typo.csv", "ad_id,impressions,clicks,conversions,costs\n1,10,1,0,2\n", "unknown column"),
        ("empty.csv", "ad_id,impressions,clicks,conversions\n", "no data rows"),
    ] {
        let e = performance::import(&mut p, cid, &write(&dir, name, text)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
        assert!(e.to_string().contains(needle) && e.to_string().contains(name), "{e}");
    }
    let gbk = dir.path().join("gbk.csv");
    std::fs::write(&gbk, b"ad_id,impressions,clicks,conversions\n\xc4\xe3,1,1,1\n").unwrap();
    assert_eq!(performance::import(&mut p, cid, &gbk).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(performance::import(&mut p, cid, &dir.path().join("missing.csv")).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(performance::import(&mut p, 999, &write(&dir, "ok.csv", "ad_id,impressions,clicks,conversions\n1,1,0,0\n")).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(build(&p, 999).unwrap_err().code(), ErrorCode::NotFound);
    let n: i64 = p.conn().query_row("SELECT count(*) FROM performance_reports", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

#[test]
fn ad_ids_are_variant_ids_or_export_stems() {
    assert_eq!(parse_ad_id(" 42 "), Some(42));
    assert_eq!(parse_ad_id("double-11_seg3_v42_google-rda-landscape"), Some(42));
    assert_eq!(parse_ad_id("double-11_seg3_v42_google-rda-landscape.jpg"), Some(42));
    for bad in ["0", "-3", "v42", "double-11_v42_x", "double-11_seg3_vx_x", "", "abc"] {
        assert_eq!(parse_ad_id(bad), None, "{bad}");
    }
}

#[test]
fn the_store_refuses_impossible_performance_rows() {
    let (p, cid) = testkit::campaign_project();
    let v = variant_ids(&p, cid)[0];
    p.conn().execute("INSERT INTO performance_reports(campaign_id,file_name,sha256,rows_read,rows_imported,rows_rejected,imported_at) VALUES (?1,'f','h',1,1,0,'t')", [cid]).unwrap();
    let ins = |i: i64, c: i64, k: i64| p.conn().execute("INSERT INTO performance_rows(report_id,variant_id,line,impressions,clicks,conversions) VALUES (1,?1,2,?2,?3,?4)", [v, i, c, k]);
    assert!(ins(10, 11, 0).is_err() && ins(10, 5, 6).is_err() && ins(-1, 0, 0).is_err());
    assert!(ins(10, 5, 5).is_ok());
}

/// (estimator, value, low, high, n)
type Estimate<'a> = (&'a str, Option<f64>, Option<f64>, Option<f64>, u64);

pub(super) fn opereport() -> ope::OpeReport {
    let logs = Logs::from_columns("logs.csv", vec![0, 1, 1, 0, 2, 2], vec![0, 0, 1, 1, 0, 1], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0], vec![0.5, 0.25, 0.25, 0.5, 0.25, 0.25]).unwrap();
    let model = RewardModel::fit(&logs);
    let policy = EvalPolicy::uniform(logs.n_items(), logs.n_positions());
    ope::evaluate(&logs, &model, &policy, &OpeParams { n_bootstrap: 20, ..OpeParams::default() }.check().unwrap()).unwrap()
}

#[test]
fn off_policy_estimates_are_stored_per_campaign_and_listed() {
    let (mut p, cid) = testkit::campaign_project();
    let report = opereport();
    let rows = offpolicy::store(&mut p, cid, &report).unwrap();
    let d = build(&p, cid).unwrap();
    assert_eq!(d.ope, rows);
    let got: Vec<Estimate> = d.ope.iter().map(|r| (r.estimator.as_str(), r.value, r.low, r.high, r.n)).collect();
    let want: Vec<Estimate> = report.estimates.iter().map(|e| (e.estimator.as_str(), Some(e.value), Some(e.ci_lower), Some(e.ci_upper), 6)).collect();
    assert_eq!(got, want);
    assert!(d.ope.iter().all(|r| r.logs_path == "logs.csv" && r.policy == "uniform"));
    assert_eq!(offpolicy::store(&mut p, 999, &report).unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn the_ope_chart_shows_the_newest_estimate_of_each_evaluation_with_its_interval() {
    let (mut p, cid) = testkit::campaign_project();
    let empty = build(&p, cid).unwrap();
    // Nothing stored: a sentence saying so (no CLI command for a manager to type).
    let none = charts::svg(&empty, ChartKind::Ope, Lang::En).unwrap();
    assert!(none.contains("No off-policy estimates are stored for this campaign yet") && !none.contains("studio ope"), "{none}");
    let report = opereport();
    offpolicy::store(&mut p, cid, &report).unwrap();
    let mut again = report.clone();
    again.estimates.iter_mut().for_each(|e| e.value += 0.01);
    offpolicy::store(&mut p, cid, &again).unwrap();
    let mut other = report.clone();
    other.policy = "thompson".into();
    offpolicy::store(&mut p, cid, &other).unwrap();
    let d = build(&p, cid).unwrap();
    assert_eq!(d.ope.len(), 9);
    let shown: Vec<(i64, &str, &str)> = super::ope_chart::newest(&d.ope).iter().map(|r| (r.id, r.policy.as_str(), r.estimator.as_str())).collect();
    // thompson (newest) first, then uniform's second evaluation; IPW, SNIPW, DR in that order
    assert_eq!(shown, [(7, "thompson", "ipw"), (8, "thompson", "snipw"), (9, "thompson", "dr"), (4, "uniform", "ipw"), (5, "uniform", "snipw"), (6, "uniform", "dr")]);
    let en = charts::svg(&d, ChartKind::Ope, Lang::En).unwrap();
    assert!(en.contains("Off-policy estimates from logged traffic") && en.contains("uniform · SNIPW · logs.csv · n=6"), "en ope");
    let dr = report.estimates.iter().find(|e| e.estimator.as_str() == "dr").unwrap().value + 0.01;
    assert!(en.contains(&format!("{:.3}%", dr * 100.0)), "the newest DR value is printed");
    assert!(!en.contains(charts::SIMULATED_TAG) && en.contains(charts::REAL_TAG), "estimated from real logs, not simulated");
    assert!(charts::svg(&d, ChartKind::Ope, Lang::Zh).unwrap().contains("离线策略评估"));
    let mut csv = Vec::new();
    crate::dashboard::csv::write(&d, ChartKind::Ope, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 1 + 9, "every stored estimate");
    assert!(csv.starts_with("id,logs_path,policy,estimator,value,low,high,n,created_at,simulated\n"));
}

#[test]
fn charts_are_labelled_in_the_requested_language_and_simulated_figures_say_so() {
    let (p, cid, _) = driven();
    let d = build(&p, cid).unwrap();
    // The first segment's best campaign variant (the generic control, variant 0, has no bar of
    // its own in the CTR chart): shown (top 5), with its id and headline.
    let seg = d.segments[0].rows.iter().map(|&i| &d.rows[i as usize]).find(|r| r.variant_id != 0).unwrap();
    // Segment names are truncated under their group and XML-escaped: compare a plain prefix.
    let prefix = |name: &str| name.chars().take_while(|&c| c != '&').take(8).collect::<String>();
    let svg = |kind, lang| charts::svg(&d, kind, lang).unwrap();
    let en = svg(ChartKind::Ctr, Lang::En);
    assert!(en.contains("Simulated CTR per segment") && en.contains(&prefix(&seg.segment_en)) && en.contains(charts::SIMULATED_TAG), "en ctr");
    assert!(en.contains(&format!("\n#{} ", seg.variant_id)), "bars carry their variant ids");
    let zh = svg(ChartKind::Ctr, Lang::Zh);
    assert!(zh.contains("模拟点击率") && zh.contains(&prefix(&seg.segment_zh)) && zh.contains(charts::SIMULATED_TAG) && !zh.contains("Simulated CTR"), "zh ctr");
    let (en, zh) = (svg(ChartKind::Lift, Lang::En), svg(ChartKind::Lift, Lang::Zh));
    assert!(en.contains("Simulated lift: personalised plan") && (en.contains("P(lift &gt; 0)") || en.contains("P(lift > 0)")) && en.contains(charts::SIMULATED_TAG));
    assert!(zh.contains("模拟提升") && zh.contains(charts::SIMULATED_TAG));
    let (en, zh) = (svg(ChartKind::Approval, Lang::En), svg(ChartKind::Approval, Lang::Zh));
    assert!(en.contains("Approval progress") && en.contains("Draft · 6") && !en.contains(charts::SIMULATED_TAG), "approval is not simulated");
    assert!(zh.contains("审批进度") && zh.contains("已批准 · 0"));
    for kind in ChartKind::ALL {
        let img = image::load_from_memory(&charts::png(&d, kind, Lang::Zh, charts::EXPORT_SCALE).unwrap()).unwrap();
        let (w, h) = charts::size(&d, kind);
        assert_eq!((img.width(), img.height()), (w * 2, h * 2), "exports at 2×");
    }
}

#[test]
fn csv_tables_have_headers_and_a_simulated_column() {
    let (mut p, cid, _) = driven();
    let v = variant_ids(&p, cid)[0];
    let dir = tempfile::tempdir().unwrap();
    performance::import(&mut p, cid, &write(&dir, "r.csv", &format!("ad_id,impressions,clicks,conversions\n{v},1000,30,3\n"))).unwrap();
    let d = build(&p, cid).unwrap();
    let table = |kind| {
        let mut out = Vec::new();
        csv::write(&d, kind, &mut out).unwrap();
        let mut r = ::csv::Reader::from_reader(out.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
        (header, rows)
    };
    let (h, rows) = table(ChartKind::Ctr);
    assert_eq!(h[..7], ["segment_id", "segment_en", "segment_zh", "variant_id", "targeted", "review_state", "simulated"]);
    assert_eq!(rows.iter().filter(|r| r[6] == "true").count(), d.rows.len());
    let real: Vec<&Vec<String>> = rows.iter().filter(|r| r[6] == "false").collect();
    assert_eq!(real.len(), 1);
    assert_eq!((real[0][3].as_str(), &real[0][7..11]), (v.to_string().as_str(), &["1000".to_string(), "30".into(), "3".into(), "0.03".into()][..]));
    let (h, rows) = table(ChartKind::Approval);
    assert_eq!(h, ["state", "count", "share", "simulated"]);
    assert_eq!(rows[0], ["draft", "6", "1", "false"]);
    let (h, rows) = table(ChartKind::Lift);
    assert_eq!(h.last().map(String::as_str), Some("simulated"));
    assert_eq!((rows.len(), rows[0][8].as_str()), (1, "true"));
    assert_eq!(rows[0][1], d.lift.as_ref().unwrap().lift.mean.to_string());
}

#[test]
fn export_writes_each_format() {
    let (p, cid) = testkit::campaign_project();
    let dir = tempfile::tempdir().unwrap();
    for format in ExportFormat::ALL {
        let f = dir.path().join(format!("approval.{}", format.extension()));
        export(&p, cid, ChartKind::Approval, format, Lang::En, &f).unwrap();
        let bytes = std::fs::read(&f).unwrap();
        match format {
            ExportFormat::Png => assert!(bytes.starts_with(b"\x89PNG")),
            ExportFormat::Svg => assert!(bytes.starts_with(b"<svg")),
            ExportFormat::Csv => assert!(bytes.starts_with(b"state,count,share,simulated")),
        }
    }
    let e = export(&p, cid, ChartKind::Ctr, ExportFormat::Svg, Lang::En, &dir.path().join("no/such/dir/x.svg")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Io);
}

#[test]
fn the_ctr_chart_shows_each_segments_top_five_and_names_the_folded_rest() {
    let cell = |clicks: u64| SimulatedCell { impressions: 1000, clicks, ctr: (clicks as f64 + 1.0) / 1002.0, ctr_low: 0.01, ctr_high: 0.06, p_best: 0.1 };
    let rows: Vec<CellRow> = (0..48)
        .map(|i| CellRow {
            segment_id: i / 6,
            segment_en: format!("Segment {}", i / 6),
            segment_zh: format!("人群{}", i / 6),
            variant_id: 100 + i,
            headline: format!("Headline {i}"),
            targeted: true,
            review_state: None,
            simulated: Some(cell(20 + (i % 6) as u64)),
            real: None,
        })
        .collect();
    let segments = data::group(&rows, TOP_N);
    assert_eq!(segments.len(), 8);
    // Best first: in each segment the variant with the most clicks (the last of its six) leads,
    // the worst (the first) is folded.
    assert_eq!(segments[0].rows, [5, 4, 3, 2, 1, 0]);
    assert_eq!((segments[0].shown, segments[0].folded()), (5, 1));
    let d = Dashboard { campaign_id: 1, campaign_name: "c".into(), run: None, rows, segments, lift: None, approval: ApprovalProgress::default(), reports: Vec::new(), ope: Vec::new() };
    let svg = charts::svg(&d, ChartKind::Ctr, Lang::En).unwrap();
    assert!(svg.contains("Segment 7") && svg.contains("(+ 1 more)"), "the fold is named");
    assert!(svg.contains("\n#105 Headline 5\n") && !svg.contains("#100 "), "the top five shown, the rest folded");
    assert!(svg.matches("<rect").count() >= 40, "every shown bar drawn");
    assert!(charts::svg(&d, ChartKind::Ctr, Lang::Zh).unwrap().contains("（另有 1 个）"));
}

/// Bad input never panics the report import: any bytes, and report-shaped text with damaged
/// rows. Whatever it accepts obeys the counts' rules (clicks ≤ impressions, conversions ≤ clicks).
#[test]
fn performance_reports_never_panic_the_import() {
    use proptest::prelude::*;
    let (p, cid) = testkit::campaign_project();
    let p = std::cell::RefCell::new(p);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    let body = "([0-9a-z_.-]{0,8}(,[0-9.:/ -]{0,11}){0,6}\r?\n){0,10}";
    let input = prop_oneof![proptest::collection::vec(any::<u8>(), 0..1024), body.prop_map(|b| format!("ad_id,impressions,clicks,conversions,date,cost\n{b}").into_bytes()),];
    proptest::test_runner::TestRunner::default()
        .run(&input, |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            let _ = performance::import(&mut p.borrow_mut(), cid, &path);
            Ok(())
        })
        .unwrap();
    let broken: i64 = p.borrow().conn().query_row("SELECT count(*) FROM performance_rows WHERE clicks > impressions OR conversions > clicks", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0);
}
