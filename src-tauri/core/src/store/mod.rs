//! The project store: one SQLite file per project (`*.studio`).
//!
//! A file is recognised before anything is written to it ([`open`](self::open): the SQLite
//! `application_id` [`APPLICATION_ID`], or the studio's tables for files made before it);
//! another application's database, a newer schema and (for changes) a read-only file are
//! refused untouched. Writers wait up to [`BUSY_TIMEOUT`] for one another, then fail as `busy`.
//!
//! Invariants: WAL journal, foreign keys on, schema at the newest migration (see
//! [`migrations`]). A [`Project`] owns its connection; all writes of one user action happen
//! in one transaction so a failure or cancel leaves the file as it was. The one exception to
//! the first two is a bulk import, which runs its own transaction under the rollback journal
//! and without foreign-key enforcement and restores both when it ends (see the importer's
//! `BulkMode`).

mod error;
pub mod identity;
mod open;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::{StoreError, ERROR_KEYS};
pub use open::{Access, APPLICATION_ID};
use rusqlite::Connection;
use rusqlite_migration::Migrations;

/// How long a write waits for another process's lock on the project before giving up as
/// [`ErrorCode::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The ordered, additive list of schema migrations. Never edit a released entry: append.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(schema::all())
}

/// The schema version this build writes (the number of migrations).
pub fn schema_version() -> usize {
    schema::all().len()
}

/// An open project.
pub struct Project {
    conn: Connection,
    path: Option<PathBuf>,
    read_only: bool,
}

impl Project {
    /// Open the project at `path` to change it: created if absent (its folder must exist),
    /// upgraded to the current schema. Same as `open_for(path, Access::Write)`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_for(path, Access::Write)
    }

    /// Open the project at `path` for `access`, recognising it before anything is written
    /// (see [`open`](self::open)'s rules): another application's database, a newer schema, a
    /// missing file (for reading) or a read-only file (for writing) are refused untouched.
    /// For reading, a read-only file opens read-only (when its schema is current).
    pub fn open_for(path: &Path, access: Access) -> Result<Self, StoreError> {
        let display = path.display().to_string();
        let (conn, read_only) = open::connect(path, access)?;
        let known = schema_version();
        let found = open::inspect(&conn, path, known)?;
        let (schema, stamped) = match found {
            open::Found::Empty if access == Access::Read => return Err(StoreError::Empty { path: display }),
            open::Found::Empty => (0, false),
            open::Found::Project { schema, stamped } => (schema, stamped),
        };
        if read_only {
            if access == Access::Write {
                return Err(StoreError::ReadOnly { path: display });
            }
            if schema < known {
                return Err(StoreError::ReadOnlyOld { path: display, schema, known });
            }
            conn.pragma_update(None, "foreign_keys", "ON")?;
            return Ok(Project { conn, path: Some(path.to_path_buf()), read_only: true });
        }
        if !stamped {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        Self::setup(conn, Some(path.to_path_buf()), display)
    }

    /// A private in-memory project (tests, scratch work).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?, None, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>, display: String) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every transaction takes the write lock when it begins, where the busy timeout
        // applies; a deferred one upgraded later could fail at once under another writer.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations().to_latest(&mut conn).map_err(|source| StoreError::Migration { path: display, source })?;
        Ok(Project { conn, path, read_only: false })
    }

    /// An in-memory copy of this project, page by page (SQLite's backup API): the tests' shared
    /// fixtures are built once and copied for each test.
    #[cfg(test)]
    pub(crate) fn copy_in_memory(&self) -> Result<Project, StoreError> {
        let mut copy = Project::open_in_memory()?;
        rusqlite::backup::Backup::new(&self.conn, &mut copy.conn)?.run_to_completion(i32::MAX, std::time::Duration::ZERO, None)?;
        Ok(copy)
    }

    /// Whether this project was opened read-only (every write fails with `read_only`).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The file this project lives in (`None` for in-memory projects).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Read access to the connection for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Write access (transactions need `&mut`).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// `PRAGMA integrity_check` == "ok".
    pub fn integrity_ok(&self) -> Result<bool, StoreError> {
        let s: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(s == "ok")
    }
}

/// Current UTC time as RFC 3339 text, the one timestamp format stored for audit columns.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod open_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, HasCode};

    #[test]
    fn migrations_validate() {
        migrations().validate().unwrap();
    }

    #[test]
    fn opens_with_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = Project::open(&dir.path().join("a.studio")).unwrap();
        let mode: String = p.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let fk: i64 = p.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        assert!(p.integrity_ok().unwrap());
    }

    #[test]
    fn refuses_a_text_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("notes.studio");
        std::fs::write(&f, "this is not sqlite, just text that is long enough to have a header....").unwrap();
        let err = Project::open(&f).err().expect("must fail");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(err.to_string().contains("not an SQLite database"), "{err}");
    }

    #[test]
    fn audit_rows_cannot_be_changed() {
        let p = Project::open_in_memory().unwrap();
        p.conn().execute("INSERT INTO audit_log(at, actor, role, action, entity, entity_id) VALUES ('t','a','reviewer','approve','variant',1)", []).unwrap();
        assert!(p.conn().execute("UPDATE audit_log SET actor='x'", []).is_err());
        assert!(p.conn().execute("DELETE FROM audit_log", []).is_err());
    }

    #[test]
    fn reopening_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("b.studio");
        {
            let p = Project::open(&f).unwrap();
            p.conn().execute("INSERT INTO products(id,name_en,name_zh,category,brand,price_cents) VALUES ('p1','A','甲','c','b',100)", []).unwrap();
        }
        let p = Project::open(&f).unwrap();
        let n: i64 = p.conn().query_row("SELECT count(*) FROM products", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn v4_keeps_every_event_and_still_checks_kinds() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO imports(file_name,fingerprint,format,rows_read,rows_imported,rows_duplicate,rows_rejected,imported_at) VALUES ('f','x','rees46',2,2,0,0,'t');
             INSERT INTO events(id,ts,user_id,product_id,kind,price_cents,session,import_id,raw,ident) VALUES (7,1,'u','p','view',100,'s',1,NULL,42), (9,2,'u','q','other',NULL,'',1,'remove_from_cart',43);",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let rows: Vec<(i64, String, Option<String>, i64)> = conn
            .prepare("SELECT id, kind, raw, ident FROM events ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, vec![(7, "view".into(), None, 42), (9, "other".into(), Some("remove_from_cart".into()), 43)]);
        let bad = conn.execute("INSERT INTO events(ts,user_id,product_id,kind,import_id) VALUES (3,'u','p','click',1)", []);
        assert!(bad.is_err(), "unknown kinds are refused");
        let dup = conn.execute("INSERT INTO events(ts,user_id,product_id,kind,import_id,ident) VALUES (3,'u','p','view',1,42)", []);
        assert!(dup.is_err(), "identities stay unique");
    }

    #[test]
    fn v8_keeps_skeleton_campaigns_readable() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO segment_models(id,created_at,k,seed,users,inertia,feature_spec) VALUES (1,'t',1,1,1,0,'{}');
             INSERT INTO campaigns(id,name,lang,seed,model_id,created_at) VALUES (1,'old','zh-CN',1,1,'t');
             INSERT INTO segments(id,model_id,label,name_en,name_zh,size,profile) VALUES (1,1,0,'a','甲',1,'{}');
             INSERT INTO products(id,name_en,name_zh,category,brand,price_cents) VALUES ('p','A','甲','c','b',100);
             INSERT INTO variants(id,campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at) VALUES (1,1,1,'p','zh-CN','h','d','c','[]','{}','t');
             INSERT INTO renders(variant_id,placement,width,height,png,sha256) VALUES (1,'landscape',1200,628,x'89504e47','s');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let (placement, format, image): (String, String, Vec<u8>) = conn.query_row("SELECT placement, format, image FROM renders", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        assert_eq!((placement.as_str(), format.as_str(), image.as_slice()), ("google-rda-landscape", "png", &b"\x89PNG"[..]));
        let (langs, places): (String, String) = conn.query_row("SELECT languages, placements FROM campaigns", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((langs.as_str(), places.as_str()), (r#"["zh-CN"]"#, r#"["google-rda-landscape"]"#));
    }

    #[test]
    fn v10_backfills_review_state_and_keeps_it_in_step_with_status() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 9).unwrap();
        conn.execute_batch(
            "INSERT INTO segment_models(id,created_at,k,seed,users,inertia,feature_spec) VALUES (1,'t',1,1,1,0,'{}');
             INSERT INTO campaigns(id,name,lang,seed,model_id,created_at) VALUES (1,'old','zh-CN',1,1,'t');
             INSERT INTO segments(id,model_id,label,name_en,name_zh,size,profile) VALUES (1,1,0,'a','甲',1,'{}');
             INSERT INTO products(id,name_en,name_zh,category,brand,price_cents) VALUES ('p','A','甲','c','b',100);
             INSERT INTO variants(id,campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at,status)
                 VALUES (1,1,1,'p','zh-CN','h','d','c','[]','{}','t','draft'), (2,1,1,'p','zh-CN','h','d','c','[]','{}','t','approved');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let states: Vec<String> = conn.prepare("SELECT review_state FROM variants ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(states, ["draft", "approved"]);
        for refused in [
            "UPDATE variants SET status = 'draft' WHERE id = 2",
            "UPDATE variants SET review_state = 'in_review' WHERE id = 2",
            "UPDATE variants SET review_state = 'approved' WHERE id = 1",
            "UPDATE variants SET review_state = 'done' WHERE id = 1",
            "INSERT INTO variants(campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at,status) VALUES (1,1,'p','en','h','d','c','[]','{}','t','approved')",
        ] {
            assert!(conn.execute(refused, []).is_err(), "{refused}");
        }
        conn.execute("UPDATE variants SET review_state = 'in_review' WHERE id = 1", []).unwrap();
        conn.execute("UPDATE variants SET review_state = 'draft', status = 'draft' WHERE id = 2", []).unwrap();
        conn.execute("INSERT INTO audit_log(id, at, actor, role, action, entity, entity_id) VALUES (5,'t','a','admin','create_profile','profile',1)", []).unwrap();
        let replace = conn.execute("INSERT OR REPLACE INTO audit_log(id, at, actor, role, action, entity, entity_id) VALUES (5,'t','m','admin','x','profile',1)", []);
        assert!(replace.is_err(), "a row cannot be replaced by reusing its id");
    }

    #[test]
    fn v13_drops_the_one_shot_sim_runs_and_keeps_everything_else() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO segment_models(id,created_at,k,seed,users,inertia,feature_spec) VALUES (1,'t',1,1,1,0,'{}');
             INSERT INTO campaigns(id,name,lang,seed,model_id,created_at) VALUES (1,'old','zh-CN',1,1,'t');
             INSERT INTO segments(id,model_id,label,name_en,name_zh,size,profile) VALUES (1,1,0,'a','甲',1,'{}');
             INSERT INTO products(id,name_en,name_zh,category,brand,price_cents) VALUES ('p','A','甲','c','b',100);
             INSERT INTO variants(id,campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at,status,review_state)
                 VALUES (1,1,1,'p','zh-CN','h','d','c','[]','{}','t','approved','approved');
             INSERT INTO sim_runs(campaign_id,created_at,seed,impressions,policy,params,result) VALUES (1,'t',1,100,'thompson','{}','[]');
             INSERT INTO simulation_runs(id,campaign_id,created_at,updated_at,status,policy,seed,planned,params,checkpoint) VALUES (7,1,'t','t','done','thompson',1,10,'{}','{}');",
        )
        .unwrap();
        let tables = |c: &Connection| -> Vec<(String, i64)> {
            let names: Vec<String> = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
            names.into_iter().map(|n| (n.clone(), c.query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0)).unwrap())).collect()
        };
        let before = tables(&conn);
        assert!(before.contains(&("sim_runs".to_string(), 1)));
        migrations().to_version(&mut conn, 13).unwrap();
        let after = tables(&conn);
        let expected: Vec<(String, i64)> = before.into_iter().filter(|(n, _)| n != "sim_runs").collect();
        assert_eq!(after, expected, "only sim_runs is gone; every other table keeps its rows");
        assert_eq!(conn.query_row("SELECT status FROM variants WHERE id = 1", [], |r| r.get::<_, String>(0)).unwrap(), "approved");
        assert_eq!(conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
        assert_eq!(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), 13);
    }

    #[test]
    fn v14_gives_campaigns_a_promotion_and_a_novelty_window_without_touching_old_ones() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 13).unwrap();
        conn.execute_batch(
            "INSERT INTO segment_models(id,created_at,k,seed,users,inertia,feature_spec) VALUES (1,'t',1,1,1,0,'{}');
             INSERT INTO campaigns(id,name,lang,seed,model_id,created_at) VALUES (1,'old','zh-CN',1,1,'t');",
        )
        .unwrap();
        migrations().to_version(&mut conn, 14).unwrap();
        let (promo, days): (Option<String>, i64) = conn.query_row("SELECT promotion, new_within_days FROM campaigns WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((promo, days), (None, 30), "an old campaign has no promotion (no price claims) and the default window");
        assert!(conn.execute("UPDATE campaigns SET new_within_days = 0 WHERE id = 1", []).is_err(), "the window is 1–365 days");
        conn.execute("UPDATE campaigns SET promotion = '{}' WHERE id = 1", []).unwrap();
        assert_eq!(conn.query_row("SELECT name FROM campaigns WHERE id = 1", [], |r| r.get::<_, String>(0)).unwrap(), "old");
    }

    #[test]
    fn v15_adds_a_period_end_to_performance_rows_and_keeps_every_row() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 14).unwrap();
        conn.execute_batch(
            "INSERT INTO segment_models(id,created_at,k,seed,users,inertia,feature_spec) VALUES (1,'t',1,1,1,0,'{}');
             INSERT INTO campaigns(id,name,lang,seed,model_id,created_at) VALUES (1,'c','en',1,1,'t');
             INSERT INTO segments(id,model_id,label,name_en,name_zh,size,profile) VALUES (1,1,0,'a','甲',1,'{}');
             INSERT INTO products(id,name_en,name_zh,category,brand,price_cents) VALUES ('p','A','甲','c','b',100);
             INSERT INTO variants(id,campaign_id,segment_id,product_id,lang,headline,description,cta,reasons,layout,created_at) VALUES (1,1,1,'p','en','h','d','c','[]','{}','t');
             INSERT INTO performance_reports(id,campaign_id,file_name,sha256,rows_read,rows_imported,rows_rejected,imported_at) VALUES (1,1,'r.csv','x',2,2,0,'t');
             INSERT INTO performance_rows(report_id,variant_id,line,impressions,clicks,conversions,date,cost) VALUES (1,1,2,100,5,1,'2026-11-01',2.5), (1,1,3,10,1,0,NULL,NULL);",
        )
        .unwrap();
        migrations().to_version(&mut conn, 15).unwrap();
        let rows: Vec<(i64, Option<String>, Option<String>)> = conn
            .prepare("SELECT impressions, date, date_end FROM performance_rows ORDER BY line")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, vec![(100, Some("2026-11-01".into()), None), (10, None, None)], "every row kept, no period end");
        let ins = |date: &str, end: &str| {
            conn.execute(&format!("INSERT INTO performance_rows(report_id,variant_id,line,impressions,clicks,conversions,date,date_end) VALUES (1,1,9,1,0,0,{date},{end})"), [])
        };
        assert!(ins("'2026-11-01'", "'2026-11-07'").is_ok(), "a period");
        assert!(ins("'2026-11-07'", "'2026-11-01'").is_err(), "an end before its start");
        assert!(ins("'2026-11-07'", "'2026-11-07'").is_err(), "a one-day period is stored as a day");
        assert!(ins("NULL", "'2026-11-07'").is_err(), "an end without a start");
    }
}
