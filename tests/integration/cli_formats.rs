//! `studio import` across formats, encodings and privacy options, on real samples and on
//! files written by the test.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{count, fixture, query_i64, u, Sandbox};

fn import(sb: &Sandbox, project: &Path, file: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "--project".into(), project.into(), file.into(), "--json".into()];
    args.extend(extra.iter().map(Into::into));
    let out = sb.run(&args);
    out.ok();
    let v = out.json();
    assert_eq!(u(&v, "rows_read"), u(&v, "rows_imported") + u(&v, "rows_duplicate") + u(&v, "rows_rejected"), "every line accounted for: {v}");
    v
}

fn write(sb: &Sandbox, name: &str, bytes: &[u8]) -> PathBuf {
    let p = sb.path(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn note(v: &Value, starts: &str) -> u64 {
    v["notes"].as_array().unwrap().iter().find(|n| n["note"].as_str().unwrap().starts_with(starts)).map(|n| n["count"].as_u64().unwrap()).unwrap_or(0)
}

#[test]
fn online_retail_sample_counts_cancellations_and_missing_customers() {
    let sb = Sandbox::new();
    let p = sb.path("p.studio");
    let v = import(&sb, &p, &fixture("data/online-retail/online-retail-sample-20k.csv.gz"), &[]);
    assert_eq!(v["format"], "online_retail");
    assert_eq!(u(&v, "rows_read"), 20_000);
    assert_eq!(u(&v, "rows_rejected"), 0, "{}", v["errors"]);
    // The data README: 350 cancellations, about a quarter without customer.
    assert_eq!(note(&v, "cancellations"), 350);
    let no_customer = note(&v, "no customer");
    assert!((4_500..5_500).contains(&no_customer), "{no_customer}");
    // Events exist only for lines with a customer; cancellations are kind 'other' with raw qty.
    assert_eq!(u(&v, "events_imported") + no_customer + u(&v, "rows_duplicate"), 20_000);
    let others = query_i64(&p, "SELECT count(*) FROM events WHERE kind='other'");
    assert!((300..=400).contains(&others), "cancellations and adjustments with a customer are 'other' events: {others}");
    assert_eq!(query_i64(&p, "SELECT count(*) FROM events WHERE kind='other' AND (raw LIKE 'cancel qty=-%' OR raw LIKE 'adjust qty=-%')"), others);
    assert_eq!(query_i64(&p, "SELECT count(*) FROM events WHERE kind NOT IN ('purchase','other')"), 0);
    assert_eq!(query_i64(&p, "SELECT count(*) FROM products WHERE currency='GBP'"), count(&p, "products"));
}

#[test]
fn taobao_retailrocket_and_mapped_jsonl_are_detected_or_mapped() {
    let sb = Sandbox::new();
    let p = sb.path("p.studio");
    let taobao = write(
        &sb,
        "UserBehavior.csv",
        b"1,2268318,2520377,pv,1511544070\n1,2333346,2520771,cart,1511561733\n1,2576651,149192,buy,1511572885\n2,3745169,2891509,fav,1511725471\n2,1531036,2920476,xx,1511733732\n",
    );
    let v = import(&sb, &p, &taobao, &[]);
    assert_eq!((v["format"].as_str(), u(&v, "rows_read"), u(&v, "rows_rejected")), (Some("taobao"), 5, 1));
    assert_eq!(v["errors"][0]["line"], 5, "no header: line 1 is data");
    assert_eq!(v["errors"][0]["column"], "behavior_type");

    let rr = write(
        &sb,
        "events.csv",
        b"timestamp,visitorid,event,itemid,transactionid\n1433221332117,257597,view,355908,\n1433224214164,992329,addtocart,248676,\n1433221999827,111016,transaction,31387,4000\n",
    );
    let v = import(&sb, &p, &rr, &[]);
    assert_eq!((v["format"].as_str(), u(&v, "rows_imported")), (Some("retailrocket"), 3));
    assert_eq!(query_i64(&p, "SELECT count(*) FROM events WHERE raw = 'transactionid=4000' AND kind = 'purchase'"), 1);

    let jsonl = write(
        &sb,
        "clicks.jsonl",
        b"{\"uid\":\"a1\",\"sku\":\"S1\",\"ts\":\"2024-05-01T10:00:00Z\",\"action\":\"add_to_cart\"}\n{\"uid\":\"a2\",\"sku\":\"S2\",\"ts\":1714557600,\"action\":\"view\"}\n",
    );
    let out = sb.run(&["import".as_ref(), "--project".as_ref(), p.as_os_str(), jsonl.as_os_str()]);
    out.code(1).stderr_has(&["error[invalid_input]", "--map"]);
    let v = import(&sb, &p, &jsonl, &["--map", "user=uid,item=sku,time=ts,event=action"]);
    assert_eq!((v["format"].as_str(), u(&v, "rows_imported")), (Some("generic"), 2));
    // The mapping is remembered for files with the same header.
    let again = write(&sb, "clicks2.jsonl", b"{\"uid\":\"a3\",\"sku\":\"S3\",\"ts\":1714557601,\"action\":\"purchase\"}\n");
    let v = import(&sb, &p, &again, &[]);
    assert_eq!((v["format"].as_str(), u(&v, "rows_imported")), (Some("generic"), 1));
}

#[test]
fn bom_gbk_gzip_and_crlf_import_the_same_events() {
    let sb = Sandbox::new();
    let text = "id,title,title_zh,category,brand,price\r\nA1,Wireless earbuds,无线耳机,Electronics > Audio,沃提克,299.00\r\nA2,Yoga mat,瑜伽垫,Sport,峰线,129.5\r\n";
    let plain = write(&sb, "cat-utf8.csv", text.as_bytes());
    let bom = write(&sb, "cat-bom.csv", &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
    let gbk = write(&sb, "cat-gbk.csv", &encoding_rs::GBK.encode(text).0);
    let gz = sb.path("cat-gbk.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    enc.write_all(&encoding_rs::GBK.encode(text).0).unwrap();
    enc.finish().unwrap();
    let mut names = Vec::new();
    for (f, encoding) in [(&plain, "UTF-8"), (&bom, "UTF-8+bom"), (&gbk, "gb18030"), (&gz, "gb18030+gzip")] {
        let p = sb.path(&format!("{}.studio", f.file_name().unwrap().to_string_lossy()));
        let v = import(&sb, &p, f, &[]);
        assert_eq!((v["format"].as_str(), v["encoding"].as_str(), u(&v, "rows_imported")), (Some("catalog"), Some(encoding), 2), "{v}");
        let conn = rusqlite::Connection::open(&p).unwrap();
        let row: (String, String, i64) = conn.query_row("SELECT name_zh, brand, price_cents FROM products WHERE id='A2'", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        names.push(row);
    }
    assert!(names.iter().all(|n| *n == ("瑜伽垫".to_string(), "峰线".to_string(), 12_950)), "{names:?}");
}

#[test]
fn edge_files_header_only_long_fields_and_overlap() {
    let sb = Sandbox::new();
    let p = sb.path("p.studio");
    let header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";
    let v = import(&sb, &p, &write(&sb, "header-only.csv", header.as_bytes()), &[]);
    assert_eq!((u(&v, "rows_read"), u(&v, "rows_imported")), (0, 0));

    let long = "x".repeat(10_000);
    let body = format!("{header}2019-10-01 00:00:00 UTC,view,1,2,,{long},1.00,7,s\n2019-10-01 00:00:01 UTC,view,1,2,,b,abc{long},7,s\n");
    let v = import(&sb, &p, &write(&sb, "long.csv", body.as_bytes()), &[]);
    assert_eq!((u(&v, "rows_imported"), u(&v, "rows_rejected")), (1, 1));
    let raw_len = query_i64(&p, "SELECT max(length(raw)) FROM import_errors");
    assert!(raw_len <= 1000, "raw text is capped: {raw_len}");
    assert!(v["errors"][0]["reason"].as_str().unwrap().len() < 200, "reasons clip the value");

    // Overlapping files add only the new events.
    let a = format!("{header}2019-10-01 00:00:00 UTC,view,1,2,,b,1.00,7,s\n2019-10-01 00:00:02 UTC,cart,1,2,,b,1.00,7,s\n");
    let b = format!("{header}2019-10-01 00:00:02 UTC,cart,1,2,,b,1.00,7,s\n2019-10-01 00:00:03 UTC,purchase,1,2,,b,1.00,7,s\n");
    let q = sb.path("q.studio");
    import(&sb, &q, &write(&sb, "a.csv", a.as_bytes()), &[]);
    let v = import(&sb, &q, &write(&sb, "b.csv", b.as_bytes()), &[]);
    assert_eq!((u(&v, "rows_imported"), u(&v, "rows_duplicate")), (1, 1));
    assert_eq!(count(&q, "events"), 3);
}

#[test]
fn pseudonyms_and_contact_data_never_stored() {
    let sb = Sandbox::new();
    let p = sb.path("p.studio");
    let csv = b"ts,email,sku,action\n1714557600,li.lei@example.com,S1,view\n1714557601,13800138000,S2,purchase\nbad,han.mei@example.com,S3,view\n";
    let f = write(&sb, "contacts.csv", csv);
    let v = import(&sb, &p, &f, &["--map", "user=email,item=sku,time=ts,event=action"]);
    assert_eq!(v["pseudonymised"], true, "a contact-data user column forces pseudonyms");
    assert_eq!(u(&v, "rows_rejected"), 1);
    let conn = rusqlite::Connection::open(&p).unwrap();
    let dump: String = conn.query_row("SELECT group_concat(user_id, '|') FROM events", [], |r| r.get(0)).unwrap();
    assert!(!dump.contains('@') && !dump.contains("13800138000"), "{dump}");
    assert!(dump.split('|').all(|u| u.starts_with("p_")), "{dump}");
    let raw: String = conn.query_row("SELECT raw FROM import_errors", [], |r| r.get(0)).unwrap();
    assert!(!raw.contains("han.mei"), "rejected raw text is masked: {raw}");

    // The option pseudonymises ordinary ids too, stably within the project.
    let rees = write(&sb, "r.csv", b"event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n2019-10-01 00:00:00 UTC,view,1,2,,b,1.00,541312140,s\n2019-10-01 00:00:05 UTC,cart,1,2,,b,1.00,541312140,s\n");
    // (The first file's products set the project's currency, CNY; this REES46 file, USD by its
    // format, is stated to be in CNY, as after converting its prices.)
    let v = import(&sb, &p, &rees, &["--pseudonymise", "--currency", "CNY"]);
    assert_eq!(v["pseudonymised"], true);
    assert_eq!(query_i64(&p, "SELECT count(*) FROM events WHERE user_id = '541312140'"), 0);
    assert_eq!(query_i64(&p, "SELECT count(DISTINCT user_id) FROM events WHERE product_id = '1'"), 1);
}
