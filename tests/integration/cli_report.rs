//! `studio report`: the campaign report as an A4 PDF in either language, every figure
//! labelled real or simulated (read back with poppler's pdfinfo/pdftotext — poppler-utils,
//! installed by `make setup`); an unknown campaign and an unwritable --out are refused by name.

use std::process::Command;

use crate::support::{fixture, u, Sandbox};

fn pdftotext(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext").args(["-layout", pdf.to_str().unwrap(), "-"]).output().expect("pdftotext (poppler-utils; make setup)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_report_is_a_labelled_a4_pdf_in_either_language_and_bad_input_is_named() {
    let sb = Sandbox::new();
    let p = sb.path("demo.studio");
    crate::support::demo_at(&p, &sb.path("export"));
    let project = p.to_str().unwrap();
    sb.run(&["performance", "--project", project, "--campaign", "1", fixture("performance/report.csv").to_str().unwrap()]).ok();
    sb.run(&["ope", "--logs", fixture("ope/tiny_logs.csv").to_str().unwrap(), "--policy", "uniform", "--project", project, "--campaign", "1"]).ok();
    let dash = sb.run(&["dashboard", "--project", project, "--campaign", "1", "--lang", "en", "--json"]).ok().json();

    let en = sb.path("report-en.pdf");
    let s = sb.run(&["report", "--project", project, "--campaign", "1", "--lang", "en", "--out", en.to_str().unwrap(), "--json"]).ok().json();
    assert!(u(&s, "pages") >= 2 && u(&s, "bytes") > 10_000, "{s}");
    assert_eq!(s["lang"], "en");
    let bytes = std::fs::read(&en).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4") && bytes.len() as u64 == u(&s, "bytes"));
    let text = pdftotext(&en);
    assert!(text.contains("Campaign report") && text.contains("Demo run") && text.contains("Simulated") && text.contains("Real"), "{text}");
    let lift = dash["lift"]["lift"]["mean"].as_f64().unwrap();
    assert!(text.contains(&format!("{:+.1}%", lift * 100.0)), "the dashboard's lift: {text}");
    assert!(text.contains("uniform") && text.contains("DR"), "stored off-policy estimates: {text}");
    let real: Vec<&serde_json::Value> = s["segments"].as_array().unwrap().iter().map(|x| &x["real"]).filter(|r| !r.is_null()).collect();
    assert!(!real.is_empty() && real.iter().all(|r| r["source"] == "real"));
    assert!(s["segments"].as_array().unwrap().iter().all(|x| x["simulated"]["source"] == "simulated"));

    let zh = sb.path("report-zh.pdf");
    let human = sb.run(&["report", "--project", project, "--campaign", "1", "--out", zh.to_str().unwrap()]).ok().stdout.clone();
    assert!(human.contains("zh-CN") && human.contains("report-zh.pdf"), "{human}");
    let text = pdftotext(&zh);
    assert!(text.contains("活动报告") && text.contains("模拟") && text.contains("实际"), "{text}");
    // The summary names the run's status, policy, goal, languages and placements in Chinese too.
    for zh_label in ["已完成", "分人群汤普森采样", "提升点击", "简体中文", "Google 自适应展示广告"] {
        assert!(text.contains(zh_label), "no {zh_label} in {text}");
    }
    for english in ["thompson", " done ", "clicks", "Google responsive display"] {
        assert!(!text.contains(english), "{english} in the Chinese report: {text}");
    }

    let args = |campaign: &str, lang: &str, out: &str| {
        vec!["report".to_string(), "--project".into(), project.into(), "--campaign".into(), campaign.into(), "--lang".into(), lang.into(), "--out".into(), out.into()]
    };
    let run = |a: Vec<String>| sb.run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let out = sb.path("x.pdf");
    run(args("99", "en", out.to_str().unwrap())).code(1).stderr_has(&["error[invalid_input]", "campaign 99"]);
    run(args("1", "fr", out.to_str().unwrap())).code(1).stderr_has(&["error[invalid_input]", "--lang"]);
    let unwritable = sb.path("no/such/dir/r.pdf");
    run(args("1", "en", unwritable.to_str().unwrap())).code(1).stderr_has(&["error[io]", "no/such/dir/r.pdf"]);
    assert!(!out.exists());
}
