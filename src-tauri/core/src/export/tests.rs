//! Export on a bilingual demo campaign (Google display + square, Meta feed, two IAB sizes),
//! two of three copy sets approved per segment × language, a simulated run saved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::*;
use crate::campaign::CampaignParams;
use crate::copy::Lang;
use crate::placements;
use crate::progress::ignore;
use crate::review;
use crate::segments::{self, KChoice, SegmentParams};
use crate::simulate::{self, RunParams};

mod audience_lists;
mod files;
mod folder;
mod injection;
mod meta;

pub(super) const PLACES: [&str; 5] = ["google-rda-landscape", "google-rda-square", "meta-feed-square", "iab-300x250", "iab-320x50"];

/// The fixture project's bytes, built once per test binary (demo → segments → campaign →
/// simulated run → approvals at fixed times).
fn template() -> &'static [u8] {
    static T: OnceLock<Vec<u8>> = OnceLock::new();
    T.get_or_init(|| {
        let mut p = crate::testkit::demo_store(11);
        let params = SegmentParams { k: KChoice::Fixed(3), seed: 5, ..Default::default() }.check().unwrap();
        segments::train(&mut p, &params, &mut ignore).unwrap();
        let spec = CampaignParams {
            languages: vec![Lang::Zh, Lang::En],
            placements: PLACES.iter().map(|s| s.to_string()).collect(),
            variants_per_segment: 4,
            ..CampaignParams::new("Double 11", Lang::Zh, 4)
        };
        let c = campaign::create(&mut p, spec, &mut ignore).unwrap();
        simulate::run_to_end(&mut p, c.id, "fixture", RunParams { impressions: 3_000, seed: 9, ..RunParams::default() }).unwrap();
        for v in campaign::variants(&p, c.id).unwrap() {
            if v.set_index < 3 {
                crate::testkit::submit_and_approve(&mut p, v.id, "ok").unwrap();
            }
        }
        p.conn().execute("UPDATE approvals SET approved_at = printf('2026-11-11T08:%02d:00Z', id % 60)", []).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.studio");
        p.conn().execute("VACUUM INTO ?1", [file.to_str().unwrap()]).unwrap();
        std::fs::read(&file).unwrap()
    })
}

/// A private copy of the fixture project in its own temp dir, with the campaign id.
pub(super) struct Fixture {
    pub dir: tempfile::TempDir,
    pub project: Project,
    pub campaign: i64,
}

pub(super) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.studio");
    std::fs::write(&path, template()).unwrap();
    let project = Project::open(&path).unwrap();
    let campaign = project.conn().query_row("SELECT max(id) FROM campaigns", [], |r| r.get(0)).unwrap();
    Fixture { dir, project, campaign }
}

impl Fixture {
    pub fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn params(&self, out: &Path, zip: bool) -> ValidExportParams {
        ExportParams { campaign_id: self.campaign, out_dir: out.display().to_string(), zip, platforms: vec![], ..Default::default() }.check().unwrap()
    }
    pub fn export(&self, out: &Path, zip: bool) -> Result<ExportSummary, ExportError> {
        export(&self.project, &self.params(out, zip))
    }
    pub fn sql(&self, sql: &str) {
        self.project.conn().execute_batch(sql).unwrap();
    }
}

/// Every file of a folder: name → bytes.
/// Every file of a folder: name → bytes; files of its `audiences/` folder as `audiences/<name>`.
pub(super) fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            out.extend(read_dir(&e.path()).into_iter().map(|(n, b)| (format!("{name}/{n}"), b)));
        } else {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

pub(super) fn manifest_of(dir: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap()
}

#[test]
fn golden_manifest() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/expected/export_manifest.json");
    if std::env::var("REGENERATE").as_deref() == Ok("1") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{}: {e} (run with REGENERATE=1)", golden.display()));
    assert_eq!(text, want, "manifest.json differs from {} (REGENERATE=1 rewrites it after a deliberate change)", golden.display());
}

#[test]
fn only_currently_approved_variants_are_exported_and_the_rest_are_counted() {
    let f = fixture();
    let all = campaign::variants(&f.project, f.campaign).unwrap();
    let approved: Vec<i64> = all.iter().filter(|v| v.status == "approved").map(|v| v.id).collect();
    assert_eq!(approved.len() * 4, all.len() * 3, "three of four sets approved");
    // One approved variant changes behind its approval: it must be skipped as stale.
    let stale = approved[0];
    f.sql(&format!("UPDATE variants SET headline = headline || '!' WHERE id = {stale}"));
    let out = f.out("export");
    let s = f.export(&out, false).unwrap();
    let want: Vec<i64> = approved[1..].to_vec();
    assert_eq!(s.variant_ids, want);
    assert_eq!(s.skipped, Skipped { not_approved: (all.len() - approved.len()) as u32, stale_approval: 1 });
    assert!(s.warnings.iter().any(|p| p.rule == Rule::StaleApproval && p.variant_id == Some(stale)), "{:?}", s.warnings);
    let m = manifest_of(&out);
    let mut exported: Vec<i64> = m.files.iter().filter_map(|f| f.variant_id).collect();
    exported.dedup();
    assert_eq!(exported.iter().collect::<std::collections::BTreeSet<_>>(), want.iter().collect(), "images only of valid approvals");
    assert_eq!(m.files.iter().filter(|f| f.kind == FileKind::Image).count(), want.len() * PLACES.len());
    for file in &m.files {
        // Audience lists hold people, not ads: no variant's content, no approvals.
        assert_eq!(file.approvals.is_empty(), file.name.starts_with("audiences/"), "{} carries its approvals", file.name);
        assert!(file.approvals.iter().all(|a| want.contains(&a.variant_id) && a.reviewer == "demo-reviewer"));
    }
}

#[test]
fn images_are_exact_size_within_budget_and_match_the_manifest() {
    let f = fixture();
    let out = f.out("export");
    let s = f.export(&out, false).unwrap();
    let on_disk = read_dir(&out);
    let m = manifest_of(&out);
    assert!(m.contains_simulated_figures && s.contains_simulated, "the fixture has a simulated run");
    assert_eq!(m.studio_version, crate::VERSION, "the manifest names the studio that wrote it");
    for file in &m.files {
        let bytes = &on_disk[&file.name];
        assert_eq!((bytes.len() as u64, manifest::sha256(bytes)), (file.bytes, file.sha256.clone()), "{}", file.name);
        if file.kind != FileKind::Image {
            assert!(!file.simulated && file.simulated_ctr.is_none(), "{}: no figures in upload files", file.name);
            continue;
        }
        let p = placements::by_id(file.placement.as_deref().unwrap()).unwrap();
        let img = image::load_from_memory(bytes).unwrap();
        assert_eq!((img.width(), img.height()), (p.width, p.height), "{}", file.name);
        assert!(file.bytes <= p.max_bytes, "{}: {} > {}", file.name, file.bytes, p.max_bytes);
        assert_eq!(file.simulated, file.simulated_ctr.is_some());
        let v = file.variant_id.unwrap();
        assert!(file.name.ends_with(&format!("_v{v}_{}.{}", p.id, if bytes.starts_with(b"\x89PNG") { "png" } else { "jpg" })), "{}", file.name);
        assert!(file.name.starts_with("double-11_seg"), "{}", file.name);
    }
    let listed: Vec<&String> = m.files.iter().map(|f| &f.name).collect();
    let mut expected: Vec<&String> = on_disk.keys().filter(|n| *n != MANIFEST).collect();
    expected.sort();
    assert_eq!(listed, expected, "the manifest lists every other file, sorted");
}

#[test]
fn re_export_is_byte_identical_and_replaces_the_previous_one() {
    let f = fixture();
    let out = f.out("export");
    let first = f.export(&out, true).unwrap();
    assert!(!first.replaced_previous);
    let before = read_dir(&out);
    let zip = first.zip.clone().expect("zip asked for");
    assert_eq!(zip, "double-11.zip");
    let second = f.export(&out, true).unwrap();
    assert!(second.replaced_previous);
    assert_eq!(read_dir(&out), before, "same bytes, same files");
    assert_eq!(first.files, second.files);
    assert_eq!(first.manifest_sha256, second.manifest_sha256);
    // The zip holds every other file, byte for byte.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(before[&zip].clone())).unwrap();
    let mut names: Vec<String> = archive.file_names().map(String::from).collect();
    names.sort();
    let others: Vec<String> = before.keys().filter(|n| **n != zip).cloned().collect();
    assert_eq!(names, others);
    for n in &others {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(n).unwrap(), &mut buf).unwrap();
        assert_eq!(&buf, &before[n], "{n} in the zip");
    }
    // Without --zip the stale zip does not survive: the folder is replaced whole.
    f.export(&out, false).unwrap();
    assert!(!out.join(&zip).exists());
    let leftovers: Vec<String> = std::fs::read_dir(f.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no temporary folders left: {leftovers:?}");
}

#[test]
fn a_failure_mid_write_leaves_the_previous_export_intact() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let before = read_dir(&out);
    // Change the content so a successful export would differ.
    f.sql("UPDATE campaigns SET landing_url = 'https://shop.example.com/sale/d11'");
    let fail_at: [&dyn Fn(&write::Step) -> bool; 3] = [&|s| matches!(s, write::Step::Wrote(n) if n.ends_with(".tsv")), &|s| *s == write::Step::BeforeSwap, &|s| *s == write::Step::OldAside];
    for (i, when) in fail_at.iter().enumerate() {
        let mut hook = |s: write::Step| {
            if when(&s) {
                Err(std::io::Error::other("injected"))
            } else {
                Ok(())
            }
        };
        let e = export_with(&f.project, &f.params(&out, true), &mut hook).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Io, "case {i}: {e}");
        assert_eq!(read_dir(&out), before, "case {i}: previous export intact");
        let stray: Vec<String> = std::fs::read_dir(f.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect();
        assert!(stray.is_empty(), "case {i}: temporary folders removed: {stray:?}");
    }
    f.export(&out, false).unwrap();
    assert_ne!(read_dir(&out), before, "a clean run then writes the new content");
}

#[test]
fn validation_lists_every_problem_and_writes_nothing() {
    let f = fixture();
    let v: Vec<i64> = campaign::variants(&f.project, f.campaign).unwrap().iter().filter(|v| v.status == "approved").map(|v| v.id).collect();
    // A text over Google's limit, approved as such (hash refreshed), an undecodable image,
    // and an image over its budget (bytes swapped for a big one; flag cleared).
    let long = "一二三四五六七八九十一二三四五六"; // 16 CJK = 32 width units > 30
    f.sql(&format!(
        "UPDATE variants SET headline = '{long}' WHERE id = {a};
         UPDATE renders SET image = x'00010203' WHERE variant_id = {b} AND placement = 'iab-300x250';
         UPDATE renders SET image = (SELECT image FROM renders WHERE placement = 'google-rda-square' LIMIT 1), within_budget = 0 WHERE variant_id = {c} AND placement = 'iab-320x50';",
        a = v[0],
        b = v[1],
        c = v[2]
    ));
    let hash = review::content_hash(&campaign::variant(&f.project, v[0]).unwrap().unwrap());
    f.sql(&format!("UPDATE approvals SET content_hash = '{hash}' WHERE variant_id = {}", v[0]));
    let out = f.out("export");
    let e = f.export(&out, false).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let ps = e.problems();
    let has = |rule, id| ps.iter().any(|p| p.rule == rule && p.variant_id == Some(id));
    assert!(has(Rule::TextTooLong, v[0]), "{ps:#?}");
    let t = ps.iter().find(|p| p.rule == Rule::TextTooLong).unwrap();
    assert_eq!((t.field.as_deref(), t.value.as_str(), t.file.as_deref()), (Some("headline"), long, Some(google::TSV)));
    assert!(has(Rule::ImageFormat, v[1]), "{ps:#?}");
    assert!(has(Rule::PixelSize, v[2]) && has(Rule::ByteBudget, v[2]), "{ps:#?}");
    assert!(ps.iter().all(Problem::is_error));
    assert!(!out.exists(), "nothing written");
    // The preview reports the same errors without writing either.
    let pv = preview(&f.project, &f.params(&out, false)).unwrap();
    assert_eq!(pv.problems.iter().filter(|p| p.is_error()).count(), ps.len());
    assert!(!out.exists());
}

#[test]
fn hostile_campaign_and_segment_names_cannot_leave_the_folder() {
    let f = fixture();
    for (i, name) in ["../../etc", "/etc/passwd", "a\u{0}b", "CON", "PRN", "AUX", "NUL", "COM1", "LPT1", "trailing. . .", "..\\..\\win"].iter().enumerate() {
        f.project.conn().execute("UPDATE campaigns SET name = ?1 WHERE id = ?2", rusqlite::params![name, f.campaign]).unwrap();
        // Segment names are user-given too (and appear in image names); neither is in the
        // approval's content hash, so the approvals stay valid.
        f.project.conn().execute("UPDATE segments SET name_en = ?1 || label", [name]).unwrap();
        let sub = f.out(&format!("case{i}"));
        std::fs::create_dir(&sub).unwrap();
        let out = sub.join("export");
        let s = f.export(&out, true).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let entries: Vec<String> = std::fs::read_dir(&sub).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(entries, vec!["export".to_string()], "{name:?}: nothing beside the folder");
        for file in read_dir(&out).keys() {
            assert!(names::inside(&out, file).is_some(), "{name:?} -> {file}");
            let file = file.strip_prefix("audiences/").unwrap_or(file);
            if file == audiences::README {
                continue;
            }
            assert!(file.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b)), "{name:?} -> {file}");
            let stem = file.split('.').next().unwrap();
            assert!(!names::is_device_name(stem) && !stem.split('_').any(names::is_device_name), "{name:?} -> {file}");
        }
        assert!(s.files.iter().all(|x| out.join(&x.name).is_file()));
    }
}

#[test]
fn refusals_nothing_approved_foreign_folder_bad_path() {
    let f = fixture();
    let foreign = f.out("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "keep").unwrap();
    let e = f.export(&foreign, false).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert_eq!(read_dir(&foreign).len(), 1);
    // Someone else's manifest.json does not make a folder ours to replace.
    std::fs::write(foreign.join(MANIFEST), r#"{"format":"other-tool"}"#).unwrap();
    assert_eq!(f.export(&foreign, false).unwrap_err().code(), ErrorCode::Conflict);
    assert_eq!(read_dir(&foreign).len(), 2);
    // A file where the folder should be is refused too.
    std::fs::write(f.out("file"), "x").unwrap();
    assert_eq!(f.export(&f.out("file"), false).unwrap_err().code(), ErrorCode::Conflict);
    for bad in ["", "  ", "/", "..", "a/..", "x\0y"] {
        let e = ExportParams { campaign_id: f.campaign, out_dir: bad.into(), zip: false, platforms: vec![], ..Default::default() }.check().unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{bad:?}");
    }
    let e = export(&f.project, &ExportParams { campaign_id: 9_999, out_dir: f.out("x").display().to_string(), zip: false, platforms: vec![], ..Default::default() }.check().unwrap()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
    f.sql("UPDATE variants SET status = 'draft', review_state = 'draft'");
    let e = f.export(&f.out("x"), false).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    assert!(!f.out("x").exists());
}

#[test]
fn only_marketers_and_admins_export_and_every_export_is_audited() {
    let mut f = fixture();
    let team = review::profiles::demo_team(&mut f.project).unwrap();
    let actor = |name: &str| review::profiles::actor(&f.project, team.iter().find(|p| p.name == name).unwrap().id).unwrap();
    for refused in ["demo-reviewer", "demo-manager"] {
        let out = f.out(refused);
        let e = export_as(&f.project, &actor(refused), &f.params(&out, false)).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Forbidden, "{refused}: {e}");
        assert!(!out.exists(), "a refused export writes nothing");
    }
    for allowed in ["demo-marketer", "demo-admin"] {
        let out = f.out(allowed);
        let s = export_as(&f.project, &actor(allowed), &f.params(&out, false)).unwrap();
        assert!(out.join(MANIFEST).exists());
        let rows = review::audit::all(&f.project, &review::audit::AuditFilter::default()).unwrap();
        let last = rows.last().unwrap();
        assert_eq!((last.action.as_str(), last.actor.as_str(), last.entity_id), ("export", allowed, f.campaign));
        assert_eq!(last.after_hash.as_deref(), Some(s.manifest_sha256.as_str()));
    }
}
