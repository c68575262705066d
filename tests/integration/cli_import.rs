//! `studio import`: real REES46 data, malformed rows, whole-file failures.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use crate::support::{count, fixture, query_i64, rees46_sample, u, Sandbox};

/// The rejected lines of an import summary as (line, reason).
/// (line, "column: reason") of each reported error.
fn errors(v: &Value) -> Vec<(u64, String)> {
    v["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors is not an array in {v}"))
        .iter()
        .map(|e| {
            let reason = e["reason"].as_str().expect("reason");
            let column = e["column"].as_str().expect("column");
            (e["line"].as_u64().expect("line"), format!("{column}: {reason}"))
        })
        .collect()
}

fn assert_accounted(v: &Value) {
    assert_eq!(u(v, "rows_read"), u(v, "rows_imported") + u(v, "rows_duplicate") + u(v, "rows_rejected"), "rows_read must equal imported + duplicate + rejected: {v}");
}

fn import(sb: &Sandbox, project: &Path, file: &Path) -> Value {
    sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), file.as_os_str(), "--json".as_ref()]).ok().json()
}

/// Independent oracle for the sample: its complete rows and how many distinct events they hold
/// (identity = time, type, product, price, user, session, as in the `events_identity` index).
fn sample_facts() -> (u64, u64) {
    let text = std::fs::read_to_string(rees46_sample()).expect("read sample");
    let lines: Vec<&str> = text.split('\n').collect();
    // header + 17,434 complete rows (each ending in CRLF) + one cut-off line without newline.
    assert_eq!(lines.len(), 17_436, "physical lines of the sample");
    assert!(!text.ends_with('\n'), "the sample's last line has no newline");
    let complete: Vec<&str> = lines[1..lines.len() - 1].iter().map(|l| l.trim_end_matches('\r')).collect();
    assert!(complete.iter().all(|l| l.split(',').count() == 9 && !l.contains('"')));
    let distinct: HashSet<Vec<&str>> = complete
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            vec![f[0], f[1], f[2], f[6], f[7], f[8]]
        })
        .collect();
    (complete.len() as u64, distinct.len() as u64)
}

#[test]
fn rees46_sample_imports_every_complete_row_and_reports_the_cut_line() {
    let (complete, distinct) = sample_facts();
    assert_eq!(complete, 17_434);

    let sb = Sandbox::new();
    let project = sb.path("p.studio");
    let v = import(&sb, &project, &rees46_sample());

    assert_eq!(v["file"], "2019-Oct-head.csv");
    assert_eq!(v["format"], "rees46");
    assert_eq!(v["already_imported"], false);
    assert_eq!(u(&v, "rows_read"), 17_435);
    assert_eq!(u(&v, "rows_rejected"), 1);
    assert_accounted(&v);
    assert_eq!(u(&v, "rows_imported") + u(&v, "rows_duplicate"), complete);
    // The sample holds a few exact duplicate events; they are counted, not stored twice.
    assert_eq!(u(&v, "rows_imported"), distinct, "distinct events in the sample");
    assert_eq!(u(&v, "rows_duplicate"), complete - distinct);

    let errs = errors(&v);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, 17_436, "the cut-off last line is physical line 17,436");
    assert!(errs[0].1.contains("expected 9 fields"), "{}", errs[0].1);
    assert!(errs[0].1.contains("found 8"), "{}", errs[0].1);

    assert_eq!(count(&project, "events") as u64, u(&v, "rows_imported"));
    assert_eq!(count(&project, "imports"), 1);
    assert_eq!(count(&project, "import_errors"), 1);
    assert_eq!(query_i64(&project, "SELECT line FROM import_errors"), 17_436);
    assert_eq!(query_i64(&project, "SELECT rows_read FROM imports"), 17_435);
    // Event mix of the complete rows (fixtures/README.md: about 17,056 / 165 / 214).
    let views = query_i64(&project, "SELECT count(*) FROM events WHERE kind='view'");
    let carts = query_i64(&project, "SELECT count(*) FROM events WHERE kind='cart'");
    let buys = query_i64(&project, "SELECT count(*) FROM events WHERE kind='purchase'");
    assert!((17_000..17_100).contains(&views), "views {views}");
    assert!((150..180).contains(&carts), "carts {carts}");
    assert!((200..230).contains(&buys), "purchases {buys}");
    assert_eq!(views + carts + buys, count(&project, "events"));
    // CRLF endings are not part of the stored session id.
    assert_eq!(query_i64(&project, "SELECT count(*) FROM events WHERE session LIKE '%'||char(13)||'%'"), 0);

    // Human output names the file, counts and the rejected line.
    let human = sb.run(&["import".as_ref(), "--project".as_ref(), sb.path("h.studio").as_os_str(), rees46_sample().as_os_str()]);
    human.ok();
    assert!(human.stdout.contains("17435 rows read"), "{human}");
    assert!(human.stdout.contains("line 17436: expected 9 fields"), "{human}");
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let sb = Sandbox::new();
    let project = sb.path("p.studio");
    let first = import(&sb, &project, &rees46_sample());
    let events = count(&project, "events");
    let products = count(&project, "products");

    let again = import(&sb, &project, &rees46_sample());
    assert_eq!(again["already_imported"], true, "{again}");
    for key in ["rows_read", "rows_imported", "rows_duplicate", "rows_rejected"] {
        assert_eq!(again[key], first[key], "{key} of the previous import is reported");
    }
    assert_eq!(errors(&again), errors(&first), "the stored rejected lines are reported again");
    assert_eq!(count(&project, "events"), events);
    assert_eq!(count(&project, "products"), products);
    assert_eq!(count(&project, "imports"), 1);
    assert_eq!(count(&project, "import_errors"), 1);

    // The same bytes under another name are the same file (fingerprinted by content).
    let copy = sb.path("copy.csv");
    std::fs::copy(rees46_sample(), &copy).unwrap();
    let third = import(&sb, &project, &copy);
    assert_eq!(third["already_imported"], true, "{third}");
    assert_eq!(count(&project, "events"), events);
}

#[test]
fn a_repeat_found_only_by_the_streamed_hash_is_rolled_back() {
    let sb = Sandbox::new();
    let project = sb.path("p.studio");
    let first = import(&sb, &project, &rees46_sample());
    // The stored fingerprint is the file's SHA-256 (hashed while parsing, not up front).
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(rees46_sample()).unwrap()))
    };
    let conn = rusqlite::Connection::open(&project).unwrap();
    let stored: String = conn.query_row("SELECT fingerprint FROM imports", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, sha);
    // Hide the repeat from the cheap probe: only the hash taken during the parse can find it.
    conn.execute("UPDATE imports SET probe = 'something else'", []).unwrap();
    drop(conn);
    let events = count(&project, "events");

    let again = import(&sb, &project, &rees46_sample());
    assert_eq!(again["already_imported"], true, "{again}");
    assert_eq!(again["rows_imported"], first["rows_imported"]);
    assert_eq!(count(&project, "events"), events, "the second pass was rolled back");
    assert_eq!(count(&project, "imports"), 1);
    assert_eq!(count(&project, "import_errors"), 1);
}

#[test]
fn malformed_rows_are_reported_with_physical_line_and_column() {
    let sb = Sandbox::new();
    let project = sb.path("p.studio");
    let v = import(&sb, &project, &fixture("rees46_malformed.csv"));
    assert_accounted(&v);
    assert_eq!(u(&v, "rows_read"), 13, "{v}");
    assert_eq!(u(&v, "rows_imported"), 5, "{v}");
    assert_eq!(u(&v, "rows_duplicate"), 0);
    assert_eq!(u(&v, "rows_rejected"), 8);

    // (physical line, text the reason must contain): see fixtures/README.md.
    let expected: [(u64, &[&str]); 8] = [
        (4, &["expected 9 fields", "found 8"]),
        (5, &["expected 9 fields", "found 10"]),
        (6, &["price", "abc"]),
        (7, &["event_time", "yesterday at noon"]),
        (8, &["event_type", "wishlist"]),
        (12, &["price"]),
        (13, &["price", "1.-5"]),
        (15, &["user_id", "empty"]),
    ];
    let errs = errors(&v);
    let lines: Vec<u64> = errs.iter().map(|e| e.0).collect();
    assert_eq!(lines, expected.iter().map(|e| e.0).collect::<Vec<_>>(), "reported lines: {errs:#?}");
    for ((line, reason), (_, needles)) in errs.iter().zip(expected.iter()) {
        for n in *needles {
            assert!(reason.contains(n), "line {line}: reason {reason:?} lacks {n:?}");
        }
    }
    // The same lines are stored, with the raw text of the line.
    assert_eq!(count(&project, "import_errors"), 8);
    assert_eq!(query_i64(&project, "SELECT sum(line) FROM import_errors"), expected.iter().map(|e| e.0 as i64).sum::<i64>());
    assert_eq!(query_i64(&project, "SELECT count(*) FROM import_errors WHERE line=6 AND raw LIKE '%,lg,abc,%'"), 1);

    // Good rows: plain, quoted brand with comma + quote + newline, a CRLF line, the last line.
    let conn = rusqlite::Connection::open(&project).unwrap();
    let mut ids: Vec<String> = conn.prepare("SELECT product_id FROM events").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    ids.sort();
    assert_eq!(ids, ["1001", "1002", "1008", "1009", "1013"]);
    let brand: String = conn.query_row("SELECT brand FROM products WHERE id='1008'", [], |r| r.get(0)).unwrap();
    assert_eq!(brand, "acme, \"best\"\nsofas");
    let (price, kind): (i64, String) = conn.query_row("SELECT price_cents, kind FROM events WHERE product_id='1008'", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((price, kind.as_str()), (45_000, "purchase"));
    let session: String = conn.query_row("SELECT session FROM events WHERE product_id='1009'", [], |r| r.get(0)).unwrap();
    assert_eq!(session, "aaaaaaaa-0000-0000-0000-000000000009", "CRLF is not part of the last field");
    assert_eq!(count(&project, "products"), 5, "rejected rows add no products");
}

#[test]
fn crlf_file_with_blank_line_reports_physical_lines() {
    let sb = Sandbox::new();
    let project = sb.path("p.studio");
    let v = import(&sb, &project, &fixture("rees46_crlf.csv"));
    assert_accounted(&v);
    assert_eq!(u(&v, "rows_imported"), 2, "{v}");
    assert_eq!(u(&v, "rows_rejected"), 2, "{v}");
    let errs = errors(&v);
    assert_eq!(errs.iter().map(|e| e.0).collect::<Vec<_>>(), [3, 6], "{errs:#?}");
    assert!(errs[0].1.contains("expected 9 fields, found 8"), "{errs:?}");
    assert!(errs[1].1.contains("event_type") && errs[1].1.contains("click"), "{errs:?}");
    assert_eq!(count(&project, "events"), 2);
    // The stored raw text is the line's fields with their commas, without the CR.
    let conn = rusqlite::Connection::open(&project).unwrap();
    let raw: String = conn.query_row("SELECT raw FROM import_errors WHERE line=3", [], |r| r.get(0)).unwrap();
    assert_eq!(raw, "2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717");
}

#[test]
fn lf_file_with_blank_lines_and_no_final_newline_reports_physical_lines() {
    let sb = Sandbox::new();
    let file = sb.path("blank-lines.csv");
    let header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";
    let good = |p: u32| format!("2019-10-01 00:00:0{p} UTC,view,{p},1,,b,1.00,7,s");
    let text = format!("{header}\n{}\n\n\n{}\n2019-10-01 00:00:09 UTC,view,9,1,,b,1.00,7\n\n{}\nnot a row", good(1), good(2), good(3));
    std::fs::write(&file, text).unwrap();
    let v = import(&sb, &sb.path("p.studio"), &file);
    assert_accounted(&v);
    assert_eq!(u(&v, "rows_imported"), 3, "{v}");
    assert_eq!(errors(&v).iter().map(|e| e.0).collect::<Vec<_>>(), [6, 9], "{v}");
}

/// Runs a failing import and checks the project holds no import afterwards.
fn failing_import(sb: &Sandbox, file: &Path, code: &str, message: &[&str]) {
    let project = sb.path("p.studio");
    let out = sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), file.as_os_str(), "--json".as_ref()]);
    out.code(1).stderr_has(&[&format!("studio: error[{code}]:"), &file.display().to_string()]).stderr_has(message);
    assert!(out.stdout.is_empty(), "nothing on stdout for a failure\n{out}");
    if project.exists() {
        assert_eq!(count(&project, "imports"), 0, "{out}");
        assert_eq!(count(&project, "events"), 0, "{out}");
        assert_eq!(count(&project, "import_errors"), 0, "{out}");
        assert_eq!(count(&project, "products"), 0, "{out}");
    }
}

#[test]
fn missing_file_is_not_found_and_changes_nothing() {
    let sb = Sandbox::new();
    failing_import(&sb, &sb.path("no-such-export.csv"), "not_found", &["no-such-export.csv"]);
}

#[test]
fn empty_binary_and_unknown_files_are_invalid_input_and_change_nothing() {
    let sb = Sandbox::new();
    let empty = sb.path("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    failing_import(&sb, &empty, "invalid_input", &["is empty"]);

    failing_import(&sb, &fixture("golden/banner_1200x628_en.png"), "invalid_input", &["not a text file"]);

    let other = sb.path("orders.csv");
    std::fs::write(&other, "order_id,amount,customer\n1,9.99,alice\n").unwrap();
    failing_import(&sb, &other, "invalid_input", &["unknown format", "order_id,amount,customer", "REES46"]);

    // A REES46 file after those failures still imports into the same project.
    let v = import(&sb, &sb.path("p.studio"), &fixture("rees46_crlf.csv"));
    assert_eq!(v["already_imported"], false);
    assert_eq!(count(&sb.path("p.studio"), "imports"), 1);
}

#[test]
fn import_without_project_is_a_usage_error() {
    let sb = Sandbox::new();
    let out = sb.run(&["import".as_ref(), rees46_sample().as_os_str()]);
    out.code(2).stderr_has(&["--project"]);
    let out = sb.run(&["import", "--project", "p.studio"]);
    out.code(2).stderr_has(&["FILE"]);
    assert!(!sb.path("p.studio").exists(), "a usage error creates no project");
}
