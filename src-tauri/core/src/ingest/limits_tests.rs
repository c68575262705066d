//! Hostile inputs through the whole import: over-long lines are rejected one by one without
//! being held, gzip bombs and non-files are refused, and a pseudonymised import keeps no user
//! id anywhere in the project file.

use std::io::Write;

use super::*;
use crate::store::Project;

fn import(p: &mut Project, path: &Path, opts: &ImportOptions) -> Result<ImportSummary, IngestError> {
    import_file_with(p, path, opts, &mut crate::progress::ignore)
}

const HEAD: &str = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";

fn row(i: u32, user: &str) -> String {
    format!("2019-10-01 00:00:{:02} UTC,view,{},2053013555631882655,electronics.smartphone,xiaomi,489.07,{user},s{i}\n", i % 60, 1000 + i)
}

#[test]
fn a_line_over_the_limit_is_rejected_alone_with_an_excerpt_and_the_rest_imports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let mut text = String::from(HEAD);
    text.push_str(&row(1, "u1"));
    let long = format!("2019-10-01 00:00:02 UTC,view,{}", "9".repeat(5000));
    text.push_str(&long);
    text.push('\n');
    text.push_str(&row(3, "u3"));
    text.push_str(&"x".repeat(70_000)); // the last line, no newline, over the limit too
    std::fs::write(&path, &text).unwrap();
    let mut p = Project::open_in_memory().unwrap();
    let s = import(&mut p, &path, &ImportOptions { max_record_bytes: 1000, ..Default::default() }).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_duplicate, s.rows_rejected), (4, 2, 0, 2), "{:?}", s.errors);
    assert_eq!(s.rows_read, s.rows_imported + s.rows_duplicate + s.rows_rejected);
    let lines: Vec<(u64, &str)> = s.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(lines, [(3, "*"), (5, "*")]);
    assert!(s.errors[0].reason.contains(&format!("{} bytes long, over the limit of 1000", long.len())), "{}", s.errors[0].reason);
    assert!(s.errors[1].reason.contains("70000 bytes long"), "{}", s.errors[1].reason);
    let raw: Vec<String> = p.conn().prepare("SELECT raw FROM import_errors ORDER BY line").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert!(raw[0].starts_with("2019-10-01 00:00:02 UTC,view,999") && raw[0].ends_with(&format!("… ({} bytes)", long.len())), "{}", raw[0]);
    assert!(raw.iter().all(|r| r.chars().count() < crate::input::EXCERPT_CHARS + 30), "{raw:?}");
    // The reason's message key is stored with the line and read back for the window.
    assert_eq!(s.errors[0].keyed.as_ref().map(|k| k.key.as_str()), Some("row.unreadable"));
    let page = rejected_page(&p, s.import_id, 0, 10).unwrap();
    let keyed = page[0].keyed.as_ref().expect("a stored key");
    assert_eq!((keyed.key.as_str(), keyed.params.get("detail")), ("row.unreadable", Some(&page[0].reason)));
    // The default limit (1 MiB) accepts the 5 KB line as a line: it is rejected for its columns.
    let mut q = Project::open_in_memory().unwrap();
    let s = import(&mut q, &path, &ImportOptions::default()).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (2, 2));
    assert_eq!(s.errors[0].column, "*");
    assert!(s.errors[0].reason.contains("fields"), "{}", s.errors[0].reason);
    let page = rejected_page(&q, s.import_id, 0, 10).unwrap();
    let keyed = page[0].keyed.as_ref().expect("a stored key");
    assert_eq!((keyed.key.as_str(), keyed.params.get("expected").map(String::as_str)), ("row.field_count", Some("9")));
}

#[test]
fn json_lines_and_gbk_files_reject_long_lines_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.jsonl");
    let text = format!("{{\"u\":\"a\",\"i\":\"p1\",\"t\":1700000000}}\n{{\"u\":\"{}\",\"i\":\"p2\",\"t\":1700000001}}\n{{\"u\":\"b\",\"i\":\"p3\",\"t\":1700000002}}\n", "z".repeat(4000));
    std::fs::write(&path, text).unwrap();
    let mut p = Project::open_in_memory().unwrap();
    let opts = ImportOptions { mapping: Some("user=u,item=i,time=t".into()), max_record_bytes: 500, ..Default::default() };
    let s = import(&mut p, &path, &opts).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected), (3, 2, 1));
    assert_eq!(s.errors[0].line, 2);
}

#[test]
fn an_unterminated_quote_cannot_swallow_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quote.csv");
    let mut text = String::from(HEAD);
    text.push_str(&row(1, "u1"));
    text.push('"');
    for i in 0..2000 {
        text.push_str(&row(i, "u2"));
    }
    std::fs::write(&path, text).unwrap();
    let mut p = Project::open_in_memory().unwrap();
    let e = import(&mut p, &path, &ImportOptions { max_record_bytes: 10_000, ..Default::default() }).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    assert!(e.to_string().contains("quote.csv") && e.to_string().contains("starting on line 3"), "{e}");
    let n: i64 = p.conn().query_row("SELECT count(*) FROM imports", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "nothing kept");
}

#[test]
fn devices_and_directories_are_refused_before_reading() {
    let mut p = Project::open_in_memory().unwrap();
    let e = import(&mut p, Path::new("/dev/zero"), &ImportOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("/dev/zero") && e.to_string().contains("is a character device, not a regular file"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let e = import(&mut p, dir.path(), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("directory"), "{e}");
    let e = super::preview::preview(&p, Path::new("/dev/zero"), 5).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[test]
fn a_gzip_bomb_is_refused_naming_the_file_and_the_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::fast());
    enc.write_all(HEAD.as_bytes()).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..80 {
        enc.write_all(&zeros).unwrap();
    }
    enc.finish().unwrap();
    let mut p = Project::open_in_memory().unwrap();
    let e = import(&mut p, &path, &ImportOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    assert!(e.to_string().contains("bomb.csv.gz") && e.to_string().contains("100-fold"), "{e}");
}

#[test]
fn a_pseudonymised_import_keeps_no_user_id_of_a_rejected_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pseudo.csv");
    let secret = "user-4f1c9a";
    let mut text = String::from(HEAD);
    text.push_str(&row(1, secret));
    text.push_str(&format!("yesterday,view,1001,2053013555631882655,electronics,xiaomi,1.0,{secret},s-{secret}\n"));
    text.push_str(&format!("\"{secret}\",\"unterminated\n"));
    std::fs::write(&path, text).unwrap();
    let db = dir.path().join("p.studio");
    {
        let mut p = Project::open(&db).unwrap();
        let s = import(&mut p, &path, &ImportOptions { pseudonymise: true, ..Default::default() }).unwrap();
        assert_eq!((s.rows_imported, s.rows_rejected), (1, 2), "{:?}", s.errors);
        assert!(!serde_json::to_string(&s).unwrap().contains(secret));
        let raw: Vec<String> = p.conn().prepare("SELECT raw FROM import_errors ORDER BY line").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let pseudonym = privacy::pseudonym(&privacy::project_key(p.conn()).unwrap(), secret);
        assert!(raw[0].contains(&format!(",{pseudonym},s-{pseudonym}")), "{}", raw[0]);
        assert_eq!(raw[1], privacy::WITHHELD);
    }
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(db.with_extension("studio-wal")).unwrap_or_default();
    for b in [&bytes, &wal] {
        assert!(!b.windows(secret.len()).any(|w| w == secret.as_bytes()), "the user id is in the project file");
    }
}
