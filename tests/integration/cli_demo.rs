//! `studio demo`: the whole loop, checked through the files it exports.

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::Sandbox;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8], name: &str) -> (u32, u32) {
    assert!(bytes.len() > 33, "{name}: too short for a PNG");
    assert_eq!(&bytes[..8], PNG_SIGNATURE, "{name}: PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "{name}: first chunk is IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    assert_eq!(be(8), 13, "{name}: IHDR length");
    (be(16), be(20))
}

/// The manifest's image entries, after checking its header.
fn manifest(dir: &Path) -> Vec<Value> {
    let m: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest.json")).expect("manifest is JSON");
    assert_eq!(m["format"], "creative-studio-export");
    // The only CTR the demo has is simulated, and the manifest must say so.
    assert_eq!(m["contains_simulated_figures"], true, "{m}");
    m["files"].as_array().expect("files").iter().filter(|f| f["kind"] == "image").cloned().collect()
}

/// Checks every exported PNG against the manifest and returns the manifest's image entries.
fn check_export(dir: &Path) -> Vec<Value> {
    let rows = manifest(dir);
    let mut pngs: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".png")).collect();
    pngs.sort();
    assert!(pngs.len() >= 3, "at least 3 PNGs exported, got {pngs:?}");
    let mut listed: Vec<String> = rows.iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    listed.sort();
    assert_eq!(listed, pngs, "the manifest lists exactly the exported PNGs");
    for r in &rows {
        let name = r["name"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(png_size(&bytes, name), (1200, 628), "{name}: IHDR size");
        assert_eq!((r["width"].as_u64(), r["height"].as_u64()), (Some(1200), Some(628)));
        assert_eq!(r["bytes"].as_u64(), Some(bytes.len() as u64), "{name}: size in manifest");
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(r["sha256"].as_str(), Some(digest.as_str()), "{name}: sha256 in manifest");
        assert_eq!(r["simulated"], true, "{name}");
        assert!(r["simulated_ctr"].as_f64().is_some(), "{name}");
        assert_eq!(r["approvals"][0]["reviewer"], "demo-reviewer", "{name}");
    }
    rows
}

#[test]
fn demo_exports_pngs_and_a_true_manifest_and_can_replace_its_export() {
    let sb = Sandbox::new();
    let out = sb.path("export");
    let run = sb.run(&["demo".as_ref(), "--out".as_ref(), out.as_os_str(), "--json".as_ref()]);
    let v = run.ok().json();
    let rows = check_export(&out);
    assert!(rows.iter().all(|r| r["lang"] == "zh-CN"), "default language is zh-CN");

    // The JSON summary agrees with the files on disk.
    let files = v["files"].as_array().expect("files");
    assert!(files.iter().any(|f| f["name"] == "manifest.json"));
    for f in files {
        let name = f["name"].as_str().unwrap();
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f["bytes"].as_u64(), Some(bytes.len() as u64), "{name}");
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(f["sha256"].as_str(), Some(digest.as_str()), "{name}");
    }
    let on_disk = |d: &std::path::Path| std::fs::read_dir(d).unwrap().filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file()).count();
    assert_eq!(files.len(), on_disk(&out) + on_disk(&out.join("audiences")), "the summary lists every file in the folder (and its audiences/)");
    // The temporary project is cleaned up (TMPDIR is the sandbox).
    let leftovers: Vec<_> = std::fs::read_dir(sb.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains(".studio")).collect();
    assert!(leftovers.is_empty(), "temporary project left behind: {leftovers:?}");

    // Again into the same folder, in English: the previous export is replaced, not mixed in.
    let again = sb.run(&["demo".as_ref(), "--out".as_ref(), out.as_os_str(), "--lang".as_ref(), "en".as_ref()]);
    again.ok();
    assert!(again.stdout.contains("exported"), "{again}");
    let rows = check_export(&out);
    assert!(rows.iter().all(|r| r["lang"] == "en"), "the second export replaced the first: {rows:?}");
}

#[test]
fn demo_refuses_a_foreign_folder_and_leaves_it_alone() {
    let sb = Sandbox::new();
    let foreign = sb.path("my-documents");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let out = sb.run(&["demo".as_ref(), "--out".as_ref(), foreign.as_os_str()]);
    out.code(1).stderr_has(&["error[conflict]", "my-documents"]);
    assert_eq!(std::fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1, "nothing added to the foreign folder");
}

#[test]
fn demo_rejects_an_unknown_language() {
    let sb = Sandbox::new();
    let out = sb.run(&["demo", "--out", "x", "--lang", "fr"]);
    out.code(1).stderr_has(&["error[invalid_input]", "--lang", "fr"]);
    assert!(!sb.path("x").exists(), "nothing exported");
}
