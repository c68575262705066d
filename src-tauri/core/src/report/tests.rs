//! The report: per-segment numbers, the PDF's structure and text (read back with poppler's
//! `pdfinfo`/`pdftotext`/`pdftoppm`, Debian package poppler-utils — `make setup` installs it),
//! and the refusals.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use super::*;
use crate::dashboard::performance;
use crate::simulate::live::{drive, Ended, Live};
use crate::simulate::run::RunParams;
use crate::simulate::saved;
use crate::{campaign, testkit};

/// The demo campaign with a done run of 20,000 impressions and a real report for two variants.
fn project() -> (Project, i64) {
    let (mut p, cid) = testkit::campaign_project();
    let params = RunParams { impressions: 20_000, seed: 3, ..RunParams::default() }.check().unwrap();
    let live = Live::start(&mut p, cid, "report run", params, 0).unwrap();
    let project = Mutex::new(p);
    assert_eq!(drive(&project, live, &mut |_| true).unwrap(), Ended::Done);
    let mut p = project.into_inner().unwrap();
    let ids: Vec<i64> = campaign::variants(&p, cid).unwrap().iter().map(|v| v.id).collect();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("google.csv");
    std::fs::write(&f, format!("ad_id,impressions,clicks,conversions\n{},4000,96,7\n{},1000,31,2\n", ids[0], ids[1])).unwrap();
    performance::import(&mut p, cid, &f).unwrap();
    (p, cid)
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} not found ({e}): install poppler-utils (make setup)"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn segment_ctrs_sum_the_runs_counts_and_the_real_reports() {
    let (p, cid) = project();
    let c = content::build(&p, cid, Lang::En).unwrap();
    let d = &c.dashboard;
    let (_, run) = saved::load(&p, d.run.as_ref().unwrap().id).unwrap();
    let k = run.scenario().arms.len();
    assert_eq!(c.segments.len(), run.scenario().segments.len());
    for (s, seg) in c.segments.iter().enumerate() {
        assert_eq!(seg.segment_id, Some(run.scenario().segments[s].segment_id));
        let cells = &run.counts()[s * k..(s + 1) * k];
        let sim = seg.simulated.as_ref().unwrap();
        assert_eq!((sim.impressions, sim.clicks, sim.source), (cells.iter().map(|c| c.impressions).sum(), cells.iter().map(|c| c.clicks).sum(), Source::Simulated));
        assert!(sim.low < sim.ctr && sim.ctr < sim.high);
    }
    let real: Vec<&Rate> = c.segments.iter().filter_map(|s| s.real.as_ref()).collect();
    assert_eq!(real.iter().map(|r| (r.impressions, r.clicks)).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)), (5000, 127), "both reported variants, each on its own segment");
    let total = c.total.real.as_ref().unwrap();
    assert_eq!((total.impressions, total.clicks, total.source), (5000, 127, Source::Real));
    assert!((total.ctr - 127.0 / 5000.0).abs() < 1e-12);
    assert_eq!(c.total.simulated.as_ref().unwrap().impressions, 20_000);
}

#[test]
fn the_report_is_an_a4_pdf_with_every_figure_labelled_in_either_language() {
    let (p, cid) = project();
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let path = dir.path().join(format!("report-{}.pdf", lang.tag()));
        let params = ReportParams { campaign_id: cid, lang }.check(&p).unwrap();
        let summary = write(&p, params, &path).unwrap();
        let file = path.to_str().unwrap();
        let info = poppler("pdfinfo", &[file]);
        assert!(info.contains("x 841.89 pts (A4)") && info.contains("Page size:       595.2"), "{info}");
        let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(str::trim);
        assert!(pages == Some(summary.pages.to_string().as_str()) && summary.pages >= 2, "{info}");
        let text = poppler("pdftotext", &["-layout", file, "-"]);
        let c = content::build(&p, cid, lang).unwrap();
        let lift = &c.dashboard.lift.as_ref().unwrap().lift;
        let (sim, real, title) = match lang {
            Lang::En => ("Simulated", "Real", "Campaign report"),
            Lang::Zh => ("模拟", "实际", "活动报告"),
        };
        assert!(text.contains(title) && text.contains(&c.dashboard.campaign_name), "{text}");
        assert!(text.matches(sim).count() >= 4 && text.matches(real).count() >= 3, "labelled figures: {text}");
        assert!(text.contains(&sections::signed(lift.mean)) && text.contains(&sections::signed(lift.low)) && text.contains(&sections::signed(lift.high)), "the lift and its interval: {text}");
        for seg in &summary.segments {
            assert!(text.contains(&sections::rate_text(seg.simulated.as_ref().unwrap())), "simulated CTR of {}: {text}", seg.name_en);
            if let Some(r) = &seg.real {
                assert!(text.contains(&sections::rate_text(r)), "real CTR of {}", seg.name_en);
            }
        }
        assert!(text.contains(&sections::rate_text(c.total.real.as_ref().unwrap())));
        let approved = c.dashboard.approval.draft.to_string();
        assert!(text.contains(&approved));
        // Drawn pages: every page renders, and carries ink (not blank).
        let prefix = dir.path().join(format!("page-{}", lang.tag()));
        poppler("pdftoppm", &["-r", "30", "-gray", "-png", file, prefix.to_str().unwrap()]);
        let shots: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).filter(|f| f.file_name().unwrap().to_string_lossy().starts_with(&format!("page-{}", lang.tag()))).collect();
        assert_eq!(shots.len() as u32, summary.pages);
        for shot in shots {
            let img = image::open(&shot).unwrap().to_luma8();
            let ink = img.pixels().filter(|p| p.0[0] < 200).count();
            assert!(ink > 0, "{}: a blank page", shot.display());
        }
    }
}

#[test]
fn an_unknown_campaign_is_invalid_input_naming_it_and_an_unwritable_path_is_io() {
    let (p, cid) = testkit::campaign_project();
    let e = ReportParams { campaign_id: 4242, lang: Lang::En }.check(&p).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("4242"), "{e}");
    let params = ReportParams { campaign_id: cid, lang: Lang::Zh }.check(&p).unwrap();
    let e = write(&p, params, Path::new("/no/such/dir/report.pdf")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Io);
    assert!(e.to_string().contains("/no/such/dir/report.pdf"), "{e}");
}

#[test]
fn a_campaign_without_run_or_reports_still_reports_and_says_so() {
    let (p, cid) = testkit::campaign_project();
    let r = render(&p, ReportParams { campaign_id: cid, lang: Lang::En }.check(&p).unwrap()).unwrap();
    assert!(r.pdf.starts_with(b"%PDF-1.4") && r.pdf.ends_with(b"%%EOF\n"));
    assert!(r.content.segments.iter().all(|s| s.simulated.is_none() && s.real.is_none()));
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.pdf");
    std::fs::write(&f, &r.pdf).unwrap();
    let text = poppler("pdftotext", &["-layout", f.to_str().unwrap(), "-"]);
    assert!(text.contains(strings::LIFT_NONE.en) && text.contains(strings::OPE_NONE.en), "{text}");
}

#[test]
fn wrapping_keeps_every_character_and_fits_the_width() {
    let text = "Simulated CTR: clicks per impression 模拟点击率：模拟器向该人群投放的每次曝光点击数 in the segment";
    let lines = layout::wrap(text, 21.0, false, 300.0);
    assert!(lines.len() > 2);
    assert!(lines.iter().all(|l| layout::text_width(l, 21.0, false) <= 300.0 || !l.contains(' ')), "{lines:?}");
    let joined: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(joined, text.chars().filter(|c| !c.is_whitespace()).collect::<String>());
}
