//! Spark SQL generation and features-file import, without Spark (the Spark run itself is the
//! integration test `spark_equals_studio`).

use super::*;
use crate::features::TAIL_COLUMNS;
use crate::segments::{train, KChoice, SegmentParams};

fn trained_demo() -> Project {
    let mut p = crate::testkit::demo_store(3);
    let params = SegmentParams { k: KChoice::Fixed(5), seed: 5, ..Default::default() }.check().unwrap();
    train(&mut p, &params, &mut crate::progress::ignore).unwrap();
    p
}

fn count(p: &Project, sql: &str) -> i64 {
    p.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn every_spec_column_is_one_generated_expression_and_the_sql_follows_the_spec() {
    let p = trained_demo();
    let m = SparkModel::load(&p, None).unwrap();
    let sql = sql::script(&m).unwrap();
    for c in &m.featurizer.spec.columns {
        assert!(sql.contains(&format!(" AS `{c}`")), "{c} is a column of the SQL");
    }
    for c in TAIL_COLUMNS {
        assert!(sql::raw_expr(c, &[]).is_some(), "{c} has an expression");
    }
    assert!(!m.featurizer.spec.categories.is_empty() && m.segments.len() == 5 && !m.interests.is_empty());
    // Dropping a column from the spec drops it from the SQL; an unknown one is refused by name.
    let mut fewer = m.clone();
    let i = fewer.featurizer.spec.columns.iter().position(|c| c == "share_weekend").unwrap();
    fewer.featurizer.spec.columns.remove(i);
    fewer.featurizer.scale.remove(i);
    fewer.centroids.iter_mut().for_each(|c| {
        c.remove(i);
    });
    fewer.interests.iter_mut().filter(|c| !c.weights.is_empty()).for_each(|c| {
        c.weights.remove(i);
    });
    let s2 = sql::script(&fewer).unwrap();
    assert!(sql.contains("`share_weekend`") && !s2.contains("`share_weekend`"));
    let mut unknown = m.clone();
    unknown.featurizer.spec.columns[i] = "share_holiday".into();
    let e = sql::script(&unknown).unwrap_err();
    assert!(matches!(e, SparkError::UnknownFeature(ref c) if c == "share_holiday"), "{e}");
    let mut v3 = m.clone();
    v3.featurizer.spec.version = 3;
    assert!(matches!(sql::script(&v3).unwrap_err(), SparkError::SpecVersion { found: 3, expected: 2 }));
}

#[test]
fn literals_are_exact_and_quoted() {
    assert_eq!(sql::quote("it's a\\b\nc"), "'it\\'s a\\\\b\\nc'");
    assert_eq!(sql::ident("a`b"), "`a``b`");
    assert_eq!(sql::num(0.1).unwrap(), "0.1D");
    assert_eq!(sql::num(-2.5e-7).unwrap(), "(-2.5e-7D)");
    let x = 1.0 / 3.0;
    assert_eq!(sql::num(x).unwrap().trim_end_matches('D').parse::<f64>().unwrap(), x, "round trip");
    assert!(sql::num(f64::NAN).is_err());
}

#[test]
fn emit_writes_the_script_the_driver_and_the_model_config() {
    let p = trained_demo();
    let dir = tempfile::tempdir().unwrap();
    let e = emit(&p, None, dir.path()).unwrap();
    assert_eq!(e.files.len(), 3);
    let config: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join(MODEL_FILE)).unwrap()).unwrap();
    assert_eq!(config["segments"].as_array().unwrap().len(), 5);
    assert!(config["segments"][0]["key"].as_str().unwrap().starts_with("seg0"));
    assert!(std::fs::read_to_string(dir.path().join(DRIVER_FILE)).unwrap().contains("def schema_problems"));
    let none = Project::open_in_memory().unwrap();
    assert!(matches!(emit(&none, None, dir.path()).unwrap_err(), SparkError::NoModel(_)));
    assert!(matches!(emit(&p, Some(999), dir.path()).unwrap_err(), SparkError::NoModel(_)));
}

/// The studio's own features file of `p`, as CSV text.
fn features_csv(p: &Project) -> String {
    let (model, rows) = local::output(p, None).unwrap();
    let mut out = Vec::new();
    local::write_csv(&model, &rows, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_features_file_makes_a_project_of_aggregates_with_the_same_segments() {
    let src = trained_demo();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("features.csv");
    std::fs::write(&file, features_csv(&src)).unwrap();
    let mut dst = Project::open_in_memory().unwrap();
    let r = import::import_features(&mut dst, Some(&src), None, &file).unwrap();
    assert_eq!(r.users as usize, crate::demo::USERS);
    assert_eq!(r.project_kind, "aggregates");
    assert_eq!(import::project_kind(&dst).unwrap(), "aggregates");
    assert_eq!(count(&dst, "SELECT count(*) FROM events"), 0);
    assert_eq!(count(&dst, "SELECT count(*) FROM user_segments") as usize, crate::demo::USERS);
    assert_eq!(r.users_with_interests as usize, crate::demo::USERS);
    // The same users in the same segments as the source model's nearest centroid.
    let (_, rows) = local::output(&src, None).unwrap();
    let stored: std::collections::HashMap<String, u32> = dst
        .conn()
        .prepare("SELECT us.user_id, s.label FROM user_segments us JOIN segments s ON s.id = us.segment_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(rows.iter().all(|r| stored[&r.user_id] == r.label));
    let segs = crate::segments::latest(&dst).unwrap();
    assert_eq!(segs.len(), 5);
    assert_eq!(segs.iter().map(|s| s.size as usize).sum::<usize>(), crate::demo::USERS);
    assert!(segs.iter().all(|s| !s.top_categories.is_empty() && s.price_note.is_some()), "profiles from the aggregates");
    // Real-time assignment works on the imported model too.
    assert!(crate::segments::realtime::Assigner::load(&dst).unwrap().is_some());
}

#[test]
fn a_mismatching_features_file_is_refused_by_name_and_changes_nothing() {
    let src = trained_demo();
    let good = features_csv(&src);
    let dir = tempfile::tempdir().unwrap();
    let mut dst = Project::open_in_memory().unwrap();
    let try_import = |dst: &mut Project, text: String| {
        let file = dir.path().join("f.csv");
        std::fs::write(&file, text).unwrap();
        import::import_features(dst, Some(&src), None, &file).unwrap_err().to_string()
    };
    let header = good.lines().next().unwrap().to_string();
    let renamed = good.replacen("share_weekend", "share_holiday", 1);
    let e = try_import(&mut dst, renamed);
    assert!(e.contains("missing share_weekend") && e.contains("not in the model's spec: share_holiday"), "{e}");
    let cols: Vec<&str> = header.split(',').collect();
    let v = cols.iter().position(|c| *c == "spec_version").unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[500].split(',').map(String::from).collect();
    cells[v] = "3".into();
    lines[500] = cells.join(",");
    let e = try_import(&mut dst, lines.join("\n"));
    assert!(e.contains("row 500") && e.contains("spec_version") && e.contains("version 3 does not match"), "{e}");
    let s = cols.iter().position(|c| *c == "segment").unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[1000].split(',').map(String::from).collect();
    cells[s] = "9".into();
    lines[1000] = cells.join(",");
    let e = try_import(&mut dst, lines.join("\n"));
    assert!(e.contains("row 1000, column segment") && e.contains("not a segment label"), "{e}");
    let dup = format!("{good}{}\n", good.lines().nth(1).unwrap());
    assert!(try_import(&mut dst, dup).contains("appears twice"));
    for t in ["segment_models", "segments", "user_segments", "project_meta"] {
        assert_eq!(count(&dst, &format!("SELECT count(*) FROM {t}")), 0, "{t}: nothing half-imported");
    }
}

#[test]
fn the_features_file_reader_reads_parquet_cells_and_csv_text() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/spark/cells.parquet");
    let mut header = Vec::new();
    let mut rows = Vec::new();
    file::read(
        &path,
        &mut |c| {
            header = c.to_vec();
            Ok(())
        },
        &mut |n, cells| {
            rows.push((n, cells));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(header, ["user_id", "spec_version", "log_views", "segment", "price", "discount"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].0, 3);
    assert_eq!(rows[2].1[0].text().as_deref(), Some("-3"));
    assert_eq!(rows[0].1[1], file::Cell::Int(2));
    assert_eq!(rows[1].1[2], file::Cell::Null);
    assert_eq!(rows[2].1[2].number(), Some(-0.25));
    assert_eq!(rows[1].1[4].number(), Some(2.5), "a decimal (fixed-length bytes) reads as its value");
    assert_eq!(rows[2].1[4].number(), Some(99.99));
    assert_eq!(rows[0].1[5].number(), Some(-1.25), "an INT32-backed decimal reads as its value, not unscaled");
    assert_eq!(rows[2].1[5].number(), Some(12.34));
    // A folder of Spark part files: data files in name order, markers skipped.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_SUCCESS"), "").unwrap();
    std::fs::write(dir.path().join(".part-00000.csv.crc"), "x").unwrap();
    std::fs::write(dir.path().join("part-00001.csv"), "user_id,x\nb,2\n").unwrap();
    std::fs::write(dir.path().join("part-00000.csv"), "user_id,x\na,1\n").unwrap();
    let mut ids = Vec::new();
    file::read(dir.path(), &mut |_| Ok(()), &mut |_, c| {
        ids.push(c[0].text().unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(ids, ["a", "b"]);
    std::fs::write(dir.path().join("part-00002.csv"), "user_id,y\nc,3\n").unwrap();
    let e = file::read(dir.path(), &mut |_| Ok(()), &mut |_, _| Ok(())).unwrap_err().to_string();
    assert!(e.contains("part-00002.csv") && e.contains("differ"), "{e}");
}
