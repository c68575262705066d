//! The whole loop on the demo project: campaign → simulate → submit and approve → export.

use crate::campaign;
use crate::export;
use crate::review;
use crate::simulate::{self, RunParams};
use crate::store::Project;
use crate::testkit;
use crate::{ErrorCode, HasCode};
use std::path::Path;

#[test]
fn campaign_has_one_rendered_variant_per_segment_with_reasons() {
    let (p, cid) = testkit::campaign_project();
    let vs = campaign::variants(&p, cid).unwrap();
    assert_eq!(vs.len(), crate::segments::latest(&p).unwrap().len());
    for v in &vs {
        assert_eq!((v.width, v.height), (1200, 628));
        assert!(v.image.starts_with(b"\x89PNG"));
        assert!(!v.reasons.is_empty());
        assert!(crate::copy::width(&v.headline) <= crate::copy::HEADLINE_MAX);
        assert_eq!(v.status, "draft");
    }
    // The demo has enough history for an interest prediction, and it picks the products.
    let predicted = vs.iter().filter(|v| v.reasons.iter().any(|r| r.text.starts_with("predicted interest in "))).count();
    assert!(predicted * 2 >= vs.len(), "most variants follow the prediction: {predicted} of {}", vs.len());
}

#[test]
fn approve_then_export_writes_images_and_manifest() {
    let (mut p, cid) = testkit::campaign_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (marketer, _) = testkit::review_team(&mut p);
    let export = |p: &Project, out: &Path| {
        export::export_as(p, &marketer, &export::ExportParams { campaign_id: cid, out_dir: out.display().to_string(), zip: false, platforms: Vec::new(), ..Default::default() }.check()?)
    };
    let err = export(&p, &out).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "nothing approved yet");
    assert!(!out.exists(), "a refused export writes nothing");

    simulate::run_to_end(&mut p, cid, "pipeline", RunParams { impressions: 5_000, seed: 1, ..RunParams::default() }).unwrap();

    let vs = campaign::variants(&p, cid).unwrap();
    let approved = testkit::submit_and_approve(&mut p, vs[0].id, "").unwrap();
    assert_eq!(approved.status, "approved");
    assert_eq!(testkit::submit_and_approve(&mut p, vs[0].id, "").unwrap_err().code(), ErrorCode::Conflict, "approved twice");
    assert_eq!(testkit::submit_and_approve(&mut p, 999_999, "").unwrap_err().code(), ErrorCode::NotFound);

    let s = export(&p, &out).unwrap();
    assert_eq!(s.variants, 1);
    let pngs: Vec<&export::ExportedFile> = s.files.iter().filter(|f| f.name.ends_with(".png")).collect();
    assert_eq!(pngs.len(), 1, "one approved variant × one placement: {:?}", s.files);
    let manifest: export::Manifest = serde_json::from_slice(&std::fs::read(out.join(export::MANIFEST)).unwrap()).unwrap();
    assert!(manifest.contains_simulated_figures);
    assert_eq!(manifest.files.iter().find(|f| f.name == pngs[0].name).unwrap().approvals[0].reviewer, "demo-reviewer");
    let png = pngs[0];
    let bytes = std::fs::read(out.join(&png.name)).unwrap();
    assert_eq!(bytes.len() as u64, png.bytes);
    assert!(png.name.starts_with("double-11_seg"));
    // re-export replaces the previous export in place
    let again = export(&p, &out).unwrap();
    assert_eq!(again.files, s.files);
    // a foreign non-empty folder is refused
    std::fs::write(dir.path().join("mine.txt"), "x").unwrap();
    assert_eq!(export(&p, dir.path()).unwrap_err().code(), ErrorCode::Conflict);
    assert!(dir.path().join("mine.txt").exists());
}

#[test]
fn generated_variants_pass_compliance_and_the_gate_refuses_edited_claims() {
    let (mut p, cid) = testkit::campaign_project();
    let vs = campaign::variants(&p, cid).unwrap();
    for v in &vs {
        assert!(!crate::compliance::has_errors(&review::findings(&p, v).unwrap()), "{v:?}");
    }
    // A claim slipped into the copy (as an editor could) blocks approval, with the reason.
    let id = vs[0].id;
    p.conn().execute("UPDATE variants SET headline = '全网最低价 FREE' WHERE id = ?1", [id]).unwrap();
    let err = testkit::submit_and_approve(&mut p, id, "").unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    let msg = err.to_string();
    assert!(msg.contains("cn-ad-law-9-absolute") && msg.contains("全网最低") && msg.contains("google-gimmicky-caps"), "{msg}");
    let v = campaign::variant(&p, id).unwrap().unwrap();
    assert_eq!((v.status.as_str(), v.review_state), ("draft", review::ReviewState::InReview), "submitted, not approved");
    assert!(testkit::submit_and_approve(&mut p, vs[1].id, "").is_ok(), "compliant variants still pass");
}
