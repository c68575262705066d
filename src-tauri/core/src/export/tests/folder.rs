//! The studio deletes only what it wrote (issue 21, case 1): a previous export is replaced only
//! when every file in the folder is one it listed, unchanged; anything else is named and kept.

use super::{fixture, read_dir};
use crate::error::{ErrorCode, HasCode};
use crate::export::{check_out_dir, ExportError, MANIFEST};
use crate::store::Project;

/// Every entry under `dir`, recursively, with its bytes (folders as empty entries).
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            out.push((format!("{name}/"), Vec::new()));
            out.extend(tree(&e.path()).into_iter().map(|(n, b)| (format!("{name}/{n}"), b)));
        } else {
            out.push((name, std::fs::read(e.path()).unwrap()));
        }
    }
    out.sort();
    out
}

fn foreign_names(e: &ExportError) -> Vec<String> {
    match e {
        ExportError::ForeignFiles { files, .. } => files.clone(),
        other => panic!("expected ForeignFiles, got {other}"),
    }
}

#[test]
fn a_file_the_studio_did_not_write_stops_the_export_and_survives() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, true).unwrap();
    std::fs::write(out.join("brief.docx"), "the client's brief").unwrap();
    std::fs::create_dir(out.join("photos")).unwrap();
    std::fs::write(out.join("photos/shoot.jpg"), "jpeg").unwrap();
    let before = tree(&out);
    let e = f.export(&out, true).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    assert_eq!(foreign_names(&e), ["brief.docx", "photos/"]);
    assert!(e.to_string().contains("brief.docx") && e.to_string().contains("nothing was changed"), "{e}");
    assert_eq!(tree(&out), before, "every file kept, byte for byte");
}

#[test]
fn a_listed_file_changed_since_the_export_is_not_replaced() {
    let f = fixture();
    let out = f.out("export");
    let s = f.export(&out, false).unwrap();
    let csv = s.files.iter().find(|x| x.name.ends_with(".csv")).unwrap().name.clone();
    std::fs::write(out.join(&csv), "edited by hand").unwrap();
    let before = tree(&out);
    let e = f.export(&out, false).unwrap_err();
    assert_eq!(foreign_names(&e), [format!("{csv} (changed since it was exported)")]);
    assert_eq!(tree(&out), before);
}

#[test]
fn a_copied_manifest_does_not_make_a_folder_replaceable() {
    let f = fixture();
    let first = f.out("first");
    f.export(&first, false).unwrap();
    let mine = f.out("documents");
    std::fs::create_dir_all(mine.join("photos")).unwrap();
    std::fs::write(mine.join("report.odt"), "quarterly report").unwrap();
    std::fs::write(mine.join("photos/a.jpg"), "a").unwrap();
    std::fs::copy(first.join(MANIFEST), mine.join(MANIFEST)).unwrap();
    let before = tree(&mine);
    let e = f.export(&mine, false).unwrap_err();
    assert_eq!(foreign_names(&e), ["photos/", "report.odt"]);
    assert_eq!(tree(&mine), before);
}

#[test]
fn the_project_file_is_never_inside_the_target() {
    let f = fixture();
    let out = f.out("work");
    std::fs::create_dir(&out).unwrap();
    let inside = out.join("p.studio");
    std::fs::copy(f.project.path().unwrap(), &inside).unwrap();
    let p = Project::open(&inside).unwrap();
    let params = f.params(&out, false);
    let e = crate::export::export(&p, &params).unwrap_err();
    assert!(matches!(e, ExportError::HoldsProject { .. }), "{e}");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(inside.exists());
    // Also when the folder does not exist yet but would be a parent of the project path.
    let later = f.out("later");
    assert!(check_out_dir(&later, Some(&later.join("sub/p.studio"))).is_err());
    assert!(check_out_dir(&later, Some(&f.out("p.studio"))).is_ok());
}

#[test]
fn an_unchanged_previous_export_is_replaced_file_by_file() {
    let f = fixture();
    let out = f.out("export");
    let first = f.export(&out, true).unwrap();
    let again = f.export(&out, false).unwrap();
    assert!(again.replaced_previous);
    let names: Vec<String> = read_dir(&out).into_keys().collect();
    assert!(!names.contains(first.zip.as_ref().unwrap()), "the verified zip of the previous export went with it");
    // A zip that is not the previous export's own is someone else's.
    std::fs::write(out.join("assets.zip"), "PK not ours").unwrap();
    let e = f.export(&out, false).unwrap_err();
    assert_eq!(foreign_names(&e), ["assets.zip (not the zip of this export)"]);
}
