//! One currency per project and catalog pictures, through the whole import.

use super::product_checks::{project_currency, NOTE_IMAGE_MISSING, NOTE_IMAGE_OUTSIDE};
use super::*;
use crate::error::{ErrorCode, HasCode};
use crate::store::Project;

fn import(p: &mut Project, path: &Path, currency: Option<&str>) -> Result<ImportSummary, IngestError> {
    let opts = ImportOptions { currency: currency.map(str::to_string), ..Default::default() };
    import_file_with(p, path, &opts, &mut crate::progress::ignore)
}

fn products(p: &Project) -> Vec<(String, String, Option<String>)> {
    p.conn().prepare("SELECT id, currency, image FROM products ORDER BY id").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_file_in_another_currency_is_flagged_on_import_not_mixed() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, "id,title,category,brand,price,currency\nA1,Green tea,food,Leafy,12.50,CNY\nA2,Tea cup,food,Leafy,30,CNY\n").unwrap();
    std::fs::write(&b, "id,title,category,brand,price,currency\nB1,Mug,food,Leafy,5.00,GBP\nB2,Teapot,food,Leafy,88,CNY\n").unwrap();
    let mut p = Project::open_in_memory().unwrap();
    assert_eq!(project_currency(p.conn()).unwrap(), None);
    import(&mut p, &a, None).unwrap();
    assert_eq!(project_currency(p.conn()).unwrap().as_deref(), Some("CNY"), "the first file sets it");
    let s = import(&mut p, &b, None).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (1, 1), "{:?}", s.errors);
    let e = &s.errors[0];
    assert_eq!((e.line, e.column.as_str()), (2, "currency"));
    assert!(e.reason.starts_with("currency GBP, the project uses CNY"), "{}", e.reason);
    assert!(products(&p).iter().all(|(_, c, _)| c == "CNY"), "{:?}", products(&p));
    // a stated currency that contradicts the project's refuses the file before reading it
    let c = dir.path().join("c.csv");
    std::fs::write(&c, "id,title,category,brand,price,currency\nC1,Mug,food,Leafy,5.00,USD\n").unwrap();
    let err = import(&mut p, &c, Some("usd")).unwrap_err();
    assert!(matches!(&err, IngestError::CurrencyConflict { given, project, .. } if given == "USD" && project == "CNY"), "{err}");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(matches!(import(&mut p, &c, Some("doubloons")).unwrap_err(), IngestError::BadCurrency { .. }));
    assert_eq!(products(&p).len(), 3, "nothing changed");
}

#[test]
fn the_first_import_takes_the_stated_currency() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    std::fs::write(&a, "id,title,category,brand,price,currency\nA1,Mug,food,Leafy,5.00,GBP\nA2,Pot,food,Leafy,7.00,GBP\n").unwrap();
    let mut p = Project::open_in_memory().unwrap();
    let s = import(&mut p, &a, Some("gbp")).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (2, 0));
    let stored: String = p.conn().query_row("SELECT value FROM project_meta WHERE key = 'currency'", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, "GBP");
    // a demo-style project without the setting uses its products' currency
    let mut demo = crate::testkit::demo_store(3);
    assert_eq!(project_currency(demo.conn()).unwrap().as_deref(), Some("CNY"));
    let s = import(&mut demo, &a, None).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (0, 2), "£ rows never join a ¥ demo store");
}

#[test]
fn catalog_pictures_resolve_next_to_the_catalog_and_bad_paths_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop");
    std::fs::create_dir_all(root.join("images")).unwrap();
    let png = image::RgbaImage::from_pixel(4, 4, image::Rgba([10, 200, 10, 255]));
    png.save(root.join("images/a.png")).unwrap();
    png.save(root.join("b.png")).unwrap();
    png.save(dir.path().join("outside.png")).unwrap();
    let abs = root.join("b.png").canonicalize().unwrap();
    let csv = root.join("catalog.csv");
    let rows = format!(
        "id,title,category,brand,price,image\nP1,Mug,food,Leafy,5,a.png\nP2,Pot,food,Leafy,5,b.png\nP3,Cup,food,Leafy,5,../outside.png\nP4,Jar,food,Leafy,5,missing.png\nP5,Tin,food,Leafy,5,{}\nP6,Box,food,Leafy,5,https://cdn.example.com/p6.jpg\n",
        abs.display()
    );
    std::fs::write(&csv, rows).unwrap();
    let mut p = Project::open_in_memory().unwrap();
    let s = import(&mut p, &csv, None).unwrap();
    assert_eq!(s.rows_imported, 6, "bad pictures never reject the row");
    let img: Vec<Option<String>> = products(&p).into_iter().map(|(_, _, i)| i).collect();
    let a = root.join("images/a.png").canonicalize().unwrap();
    assert_eq!(img[0].as_deref(), Some(a.to_str().unwrap()), "relative → images/ next to the catalog");
    assert_eq!(img[1].as_deref(), Some(abs.to_str().unwrap()), "relative → the catalog's folder");
    assert_eq!((img[2].as_deref(), img[3].as_deref()), (None, None), "escaping or missing: dropped");
    assert_eq!(img[4].as_deref(), Some(abs.to_str().unwrap()), "absolute");
    assert_eq!(img[5].as_deref(), Some("https://cdn.example.com/p6.jpg"), "URLs kept as text");
    let note = |n: &str| s.notes.iter().find(|c| c.note == n).map(|c| c.count);
    assert_eq!((note(NOTE_IMAGE_OUTSIDE), note(NOTE_IMAGE_MISSING)), (Some(1), Some(1)), "{:?}", s.notes);
}

/// A behaviour export's prices are all in one currency: a REES46 file (USD) into a CNY project
/// is refused whole — not only the rows that happen to introduce a product — unless the user
/// states the file's currency; its derived products then take that currency.
#[test]
fn an_export_in_the_format_s_currency_is_refused_whole_by_a_project_in_another() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, events) = (dir.path().join("c.csv"), dir.path().join("e.csv"));
    std::fs::write(&catalog, "id,title,category,brand,price,currency\nA1,Green tea,food,Leafy,12.50,CNY\n").unwrap();
    let header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";
    let row = |i: u32, product: &str| format!("2019-10-01 00:00:{i:02} UTC,view,{product},1,food.tea,leafy,9.90,{},s{i}\n", 100 + i);
    std::fs::write(&events, format!("{header}{}{}{}", row(1, "R1"), row(2, "R1"), row(3, "R2"))).unwrap();
    let mut p = Project::open_in_memory().unwrap();
    import(&mut p, &catalog, None).unwrap();
    let err = import(&mut p, &events, None).unwrap_err();
    assert!(matches!(&err, IngestError::CurrencyConflict { given, project, .. } if given == "USD" && project == "CNY"), "{err}");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let events_stored: i64 = p.conn().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!((events_stored, products(&p).len()), (0, 1), "nothing of the file was stored");

    let s = import(&mut p, &events, Some("CNY")).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (3, 0), "{:?}", s.errors);
    assert!(products(&p).iter().all(|(_, currency, _)| currency == "CNY"), "{:?}", products(&p));

    // A project without a currency takes the format's.
    let mut fresh = Project::open_in_memory().unwrap();
    import(&mut fresh, &events, None).unwrap();
    assert_eq!(project_currency(fresh.conn()).unwrap().as_deref(), Some("USD"));
}
