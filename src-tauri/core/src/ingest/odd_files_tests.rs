//! Odd files met in the wild: whitespace-aligned `.txt` reports, a header that reads as one
//! column, and a mapping that rejects every row.

use super::*;
use crate::store::Project;

fn import(p: &mut Project, path: &Path, opts: &ImportOptions) -> Result<ImportSummary, IngestError> {
    import_file_with(p, path, opts, &mut crate::progress::ignore)
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_whitespace_aligned_txt_export_is_read_as_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("   user_id     item_id   behavior    timestamp\n");
    for i in 0..6 {
        text.push_str(&format!("   u{i:<9}   p{:<6}   {:<9}   {}\n", i % 3, if i % 2 == 0 { "pv" } else { "buy" }, 1_570_000_000 + i * 60));
    }
    let path = write(&dir, "report.txt", &text);
    let mut p = Project::open_in_memory().unwrap();
    let preview = preview::preview(&p, &path, 5).unwrap();
    assert_eq!(preview.columns, ["user_id", "item_id", "behavior", "timestamp"], "{preview:?}");
    let opts = ImportOptions { mapping: Some("user=user_id,item=item_id,time=timestamp,event=behavior".into()), ..Default::default() };
    let s = import(&mut p, &path, &opts).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected), (6, 6, 0), "{:?}", s.errors);
    let users: i64 = p.conn().query_row("SELECT count(DISTINCT user_id) FROM events WHERE user_id LIKE 'u%'", [], |r| r.get(0)).unwrap();
    assert_eq!(users, 6, "user ids without the padding");
}

#[test]
fn a_header_read_as_one_column_names_the_delimiter_assumed_and_how_to_choose_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "pipes.csv", "user|item|time\nu1|p1|1570000000\nu2|p2|1570000060\n");
    let mut p = Project::open_in_memory().unwrap();
    let e = import(&mut p, &path, &ImportOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let msg = e.to_string();
    assert!(msg.contains("single column") && msg.contains("comma delimiter assumed") && msg.contains("--delimiter"), "{msg}");
    let opts = ImportOptions { delimiter: Some("pipe".into()), mapping: Some("user=user,item=item,time=time".into()), ..Default::default() };
    assert_eq!(import(&mut p, &path, &opts).unwrap().rows_imported, 2);
    let bad = import(&mut Project::open_in_memory().unwrap(), &path, &ImportOptions { delimiter: Some("colon".into()), ..Default::default() }).unwrap_err();
    assert!(bad.to_string().contains("unknown delimiter \"colon\""), "{bad}");
}

#[test]
fn a_mapping_that_rejects_the_first_thousand_rows_alike_stops_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("order_no,stock_code,customer,invoice_date\n");
    for i in 0..1500 {
        text.push_str(&format!("{},{},{},2011-03-10 16:16:00\n", 536_365 + i, 21_733 + i % 7, 12_000 + i % 40));
    }
    let path = write(&dir, "orders.csv", &text);
    let mut p = Project::open_in_memory().unwrap();
    let opts = ImportOptions { mapping: Some("user=customer,item=stock_code,time=order_no".into()), ..Default::default() };
    let e = import(&mut p, &path, &opts).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let msg = e.to_string();
    assert!(msg.contains("first 1000 rows were all rejected") && msg.contains("column order_no") && msg.contains("536365") && msg.contains("line 2"), "{msg}");
    let stored: i64 = p.conn().query_row("SELECT (SELECT count(*) FROM imports) + (SELECT count(*) FROM import_errors) + (SELECT count(*) FROM events)", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 0, "rolled back: nothing stored");

    // Mixed reasons (or a good row) among the first thousand: the import goes on as before.
    let mut text = String::from("user,item,time\n");
    for i in 0..1100 {
        text.push_str(&if i == 500 { format!("u{i},p{i},1570000000\n") } else { format!("u{i},p{i},later\n") });
    }
    let path = write(&dir, "mostly-bad.csv", &text);
    let s = import(&mut p, &path, &ImportOptions { mapping: Some("user=user,item=item,time=time".into()), ..Default::default() }).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (1, 1099));
}
