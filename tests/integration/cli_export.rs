//! `studio export`: a bilingual campaign with Google, Meta and IAB placements, approved through
//! the core, exported by the real binary — files, CSV headers, manifest, zip, idempotence,
//! validation that blocks the export, and refusals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{u, Sandbox};

/// A demo project plus a second campaign (Google display + square, Meta feed, IAB mobile; two
/// sets per segment × language), every variant approved. Returns (project, campaign id).
fn approved_campaign(sb: &Sandbox) -> (PathBuf, u64) {
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("demo-out"));
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
            "google-rda-landscape,google-rda-square,meta-feed-square,iab-320x50".as_ref(),
            "--variants".as_ref(),
            "2".as_ref(),
            "--as".as_ref(),
            "demo-marketer".as_ref(),
            "--json".as_ref(),
        ])
        .ok()
        .json();
    let id = u(&v, "id");
    let mut p = studio_core::Project::open(&project).unwrap();
    // The demo team (made by `studio demo`) takes every variant through review.
    let profiles = studio_core::review::profiles::demo_team(&mut p).unwrap();
    let actor = |name: &str| studio_core::review::profiles::actor(&p, profiles.iter().find(|x| x.name == name).unwrap().id).unwrap();
    let (marketer, reviewer) = (actor("demo-marketer"), actor("demo-reviewer"));
    for v in studio_core::campaign::variants(&p, id as i64).unwrap() {
        studio_core::review::workflow::submit(&mut p, &marketer, v.id).unwrap();
        studio_core::review::workflow::approve(&mut p, &reviewer, v.id, studio_core::review::ApprovalParams { note: "integration test".into(), override_reason: None }).unwrap();
    }
    (project, id)
}

/// Every file of the folder; those of its `audiences/` folder as `audiences/<name>`.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            out.extend(files(&e.path()).into_iter().map(|(n, b)| (format!("{name}/{n}"), b)));
        } else {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn export_writes_the_upload_folder_and_rewrites_it_byte_for_byte() {
    let sb = Sandbox::new();
    let (project, id) = approved_campaign(&sb);
    let out = sb.path("upload");
    let args = |extra: &[&str]| {
        let mut a: Vec<std::ffi::OsString> = ["export", "--project"].iter().map(Into::into).collect();
        a.push(project.clone().into());
        a.extend(["--campaign".into(), id.to_string().into(), "--out".into(), out.clone().into(), "--as".into(), "demo-marketer".into()]);
        a.extend(extra.iter().map(Into::into));
        a
    };
    // --check writes nothing and names the files.
    let pv = sb.run(&args(&["--check", "--json"])).ok().json();
    assert!(!out.exists(), "--check wrote nothing");
    assert!(pv["files"].as_array().unwrap().iter().any(|f| f == "google_ads_editor.tsv"), "{pv}");
    let formats = pv["formats"].as_array().unwrap();
    assert_eq!(formats.iter().map(|f| f["platform"].as_str().unwrap()).collect::<Vec<_>>(), ["google", "meta"], "{pv}");
    assert!(formats.iter().all(|f| f["unknown"].as_array().unwrap().is_empty() && f["checked"].as_u64().unwrap() > 10), "{pv}");
    let human = sb.run(&args(&["--check"]));
    assert!(human.stdout.contains("google: all ") && human.stdout.contains("meta: all "), "{human}");

    let v = sb.run(&args(&["--zip", "--json"])).ok().json();
    let on_disk = files(&out);
    let listed = v["files"].as_array().unwrap();
    assert_eq!(listed.len(), on_disk.len(), "{v}");
    for f in listed {
        let name = f["name"].as_str().unwrap();
        assert_eq!(f["sha256"].as_str().unwrap(), sha(&on_disk[name]), "{name}");
        assert_eq!(f["bytes"].as_u64().unwrap(), on_disk[name].len() as u64, "{name}");
    }
    assert_eq!(v["skipped"]["not_approved"], 0);
    assert_eq!(v["zip"], "double-11.zip", "the Chinese part of the name is dropped from file names");
    let zip = &on_disk["double-11.zip"];
    assert!(zip.starts_with(b"PK\x03\x04"), "a zip archive");
    for name in on_disk.keys().filter(|n| !n.ends_with(".zip")) {
        assert!(zip.windows(name.len()).any(|w| w == name.as_bytes()), "{name} is in the zip");
    }
    // Google Ads Editor's own format; Meta request bodies; images named campaign_segment_variant_placement.
    let editor = studio_core::export::google::tsv::decode(&on_disk["google_ads_editor.tsv"]).expect("UTF-16 LE + BOM, tab-separated");
    assert_eq!(&editor[0][..4], ["Campaign", "Campaign Type", "Networks", "Budget"]);
    let col = |name: &str| editor[0].iter().position(|h| h == name).unwrap();
    assert!(editor[1..].iter().filter(|r| !r[col("Campaign")].is_empty()).all(|r| r[col("Campaign")].starts_with("双十一 Double 11 - ")), "{editor:?}");
    assert!(editor[1..].iter().any(|r| r[col("Ad type")] == "Responsive display ad"));
    let set = on_disk.iter().find(|(n, _)| n.starts_with("meta_") && n.ends_with(".json")).expect("a Meta ad set file").1;
    let body: Value = serde_json::from_slice(set).unwrap();
    assert!(body["ads"][0]["adcreative"]["asset_feed_spec"]["bodies"][0]["text"].is_string(), "{body}");
    assert!(body["ads"][0]["adcreative"]["asset_feed_spec"]["images"][0]["hash"].is_string(), "{body}");
    let images: Vec<&String> = on_disk.keys().filter(|n| n.ends_with(".png") || n.ends_with(".jpg")).collect();
    assert!(!images.is_empty());
    for n in &images {
        let parts: Vec<&str> = n.rsplit_once('.').unwrap().0.split('_').collect();
        assert_eq!(parts.len(), 4, "{n}");
        assert!(parts[0] == "double-11" && parts[1].starts_with("seg") && parts[2].starts_with('v'), "{n}");
    }
    let manifest: Value = serde_json::from_slice(&on_disk["manifest.json"]).unwrap();
    assert_eq!(manifest["campaign_id"].as_u64(), Some(id));
    assert_eq!(manifest["files"].as_array().unwrap().len(), on_disk.len() - 2, "every file but the manifest and the zip");

    // Again: the same bytes; the human summary says what happened.
    let again = sb.run(&args(&["--zip"]));
    again.ok();
    assert!(again.stdout.contains("exported") && again.stdout.contains("double-11.zip"), "{again}");
    assert_eq!(files(&out), on_disk, "re-export is byte-identical");
}

#[test]
fn export_lists_every_problem_and_writes_nothing_when_validation_fails() {
    let sb = Sandbox::new();
    let (project, id) = approved_campaign(&sb);
    // Break two images behind the approvals' back (bytes only: the approval stays valid).
    let conn = rusqlite::Connection::open(&project).unwrap();
    let broken = conn
        .execute(&format!("UPDATE renders SET image = x'0001' WHERE placement = 'iab-320x50' AND variant_id IN (SELECT id FROM variants WHERE campaign_id = {id} ORDER BY id LIMIT 2)"), [])
        .unwrap();
    assert_eq!(broken, 2);
    drop(conn);
    let out = sb.path("upload");
    let run = sb.run(&[
        "export".as_ref(),
        "--project".as_ref(),
        project.as_os_str(),
        "--campaign".as_ref(),
        id.to_string().as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--as".as_ref(),
        "demo-marketer".as_ref(),
        "--json".as_ref(),
    ]);
    run.code(1).stderr_has(&["error[invalid_input]", "image_format", "iab-320x50"]);
    let v = run.json();
    assert_eq!(v["code"], "invalid_input");
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.iter().filter(|p| p["rule"] == "image_format").count(), 2, "every problem, not just the first: {v}");
    assert!(problems.iter().all(|p| p["severity"] == "error" && p["file"].as_str().is_some_and(|f| f.ends_with("_iab-320x50.png") || f.ends_with("_iab-320x50.jpg"))));
    assert!(!out.exists(), "nothing written");
    // Leaving IAB out of the export avoids the broken images.
    let ok = sb.run(&[
        "export".as_ref(),
        "--project".as_ref(),
        project.as_os_str(),
        "--campaign".as_ref(),
        id.to_string().as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--as".as_ref(),
        "demo-marketer".as_ref(),
        "--platforms".as_ref(),
        "google,meta".as_ref(),
    ]);
    ok.ok();
    assert!(files(&out).keys().all(|n| !n.contains("iab-")), "no IAB images");
}

#[test]
fn export_refusals_have_codes() {
    let sb = Sandbox::new();
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("demo-out"));
    let run = |campaign: &str, out: &str, extra: &[&str]| {
        let mut a: Vec<std::ffi::OsString> =
            vec!["export".into(), "--project".into(), project.clone().into(), "--campaign".into(), campaign.into(), "--out".into(), out.into(), "--as".into(), "demo-marketer".into()];
        a.extend(extra.iter().map(Into::into));
        sb.run(&a)
    };
    run("999", "x", &[]).code(1).stderr_has(&["error[not_found]", "999"]);
    run("1", "x", &["--platforms", "tiktok"]).code(1).stderr_has(&["error[invalid_input]", "tiktok"]);
    run("1", "x", &["--daily-budget", "0"]).code(1).stderr_has(&["error[invalid_input]", "daily_budget"]);
    run("1", "x", &["--asset-base-url", "ftp://cdn.example.com/"]).code(1).stderr_has(&["error[invalid_input]", "asset_base_url"]);
    // The demo campaign has only a landscape Google placement: display ads are refused with the
    // reason, the rest exports; the given budget is used (no budget warning), nothing to upload.
    let ok = run("1", "by-url", &["--daily-budget", "40", "--asset-base-url", "https://cdn.example.com/d11", "--json"]).ok().json();
    let warnings = ok["warnings"].as_array().unwrap();
    assert!(warnings.iter().all(|w| w["rule"] != "default_budget"), "{ok}");
    assert!(warnings.iter().any(|w| w["platform"] == "google" && w["message"].as_str().unwrap().contains("square")), "{ok}");
    assert!(!sb.path("by-url/meta_images.csv").exists());
    if let Ok(bytes) = std::fs::read(sb.path("by-url/google_ads_editor.tsv")) {
        let rows = studio_core::export::google::tsv::decode(&bytes).unwrap();
        let budget = rows[0].iter().position(|h| h == "Budget").unwrap();
        assert!(rows[1..].iter().filter(|r| !r[budget].is_empty()).all(|r| r[budget] == "40.00"), "{rows:?}");
    }
    std::fs::create_dir(sb.path("mine")).unwrap();
    std::fs::write(sb.path("mine/notes.txt"), "keep").unwrap();
    run("1", "mine", &[]).code(1).stderr_has(&["error[conflict]", "mine"]);
    assert_eq!(std::fs::read_dir(sb.path("mine")).unwrap().count(), 1);
    let missing = sb.run(&["export", "--project", "nope.studio", "--campaign", "1", "--out", "x"]);
    missing.code(1).stderr_has(&["error[not_found]"]);
    sb.run(&["export", "--project"]).code(2);
    assert!(!sb.path("x").exists());
}
