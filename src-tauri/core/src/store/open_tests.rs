//! Recognising project files before touching them (issue 21, case 5).

use rusqlite::Connection;

use super::*;
use crate::error::{ErrorCode, HasCode};

#[test]
fn another_applications_database_is_refused_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for (name, app_id) in [("other.sqlite", "1234"), ("plain.sqlite", "0")] {
        let f = dir.path().join(name);
        let c = Connection::open(&f).unwrap();
        c.execute_batch(&format!("PRAGMA application_id = {app_id}; CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('keep me');")).unwrap();
        drop(c);
        let before = std::fs::read(&f).unwrap();
        for access in [Access::Read, Access::Write] {
            let err = Project::open_for(&f, access).err().expect("refused");
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
            assert!(err.to_string().contains("another application's SQLite database") && err.to_string().contains("notes"), "{err}");
        }
        assert_eq!(std::fs::read(&f).unwrap(), before, "{name} unchanged");
        assert!(!dir.path().join(format!("{name}-wal")).exists());
    }
}

#[test]
fn new_projects_carry_the_application_id() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.studio");
    drop(Project::open(&f).unwrap());
    let c = Connection::open(&f).unwrap();
    let id: i32 = c.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(id, APPLICATION_ID);
    let p = Project::open_for(&f, Access::Read).unwrap();
    assert!(!p.read_only());
}

#[test]
fn a_project_made_before_the_id_is_recognised_and_stamped() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("old.studio");
    {
        let mut c = Connection::open(&f).unwrap();
        migrations().to_version(&mut c, 11).unwrap();
    }
    let p = Project::open(&f).unwrap();
    let (id, v): (i32, i64) = (p.conn().query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap(), p.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap());
    assert_eq!((id, v as usize), (APPLICATION_ID, schema_version()));
}

#[test]
fn a_newer_schema_names_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("new.studio");
    drop(Project::open(&f).unwrap());
    Connection::open(&f).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let err = Project::open(&f).err().expect("refused");
    let known = schema_version();
    assert_eq!(err.to_string(), format!("{} was made by a newer version of the studio (schema 99, this version knows {known}); open it with that version", f.display()));
    assert_eq!(err.code(), ErrorCode::Conflict);
}

#[test]
fn reading_never_creates_and_an_empty_file_is_not_a_project_to_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.studio");
    assert_eq!(Project::open_for(&missing, Access::Read).err().unwrap().code(), ErrorCode::NotFound);
    assert!(!missing.exists());
    let empty = dir.path().join("empty.studio");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(Project::open_for(&empty, Access::Read).err().unwrap().code(), ErrorCode::InvalidInput);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    // Writing turns an empty file into a project.
    drop(Project::open(&empty).unwrap());
    assert!(Project::open_for(&empty, Access::Read).is_ok());
}

#[test]
fn a_folder_that_does_not_exist_is_the_users_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("no/such/folder/p.studio");
    let err = Project::open(&f).err().unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(err.to_string().contains("does not exist") && err.to_string().contains("folder"), "{err}");
    let err = Project::open(dir.path()).err().unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
}

#[test]
fn a_busy_project_is_busy_not_internal() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.studio");
    let holder = Project::open(&f).unwrap();
    holder.conn().execute_batch("BEGIN IMMEDIATE").unwrap();
    let other = Project::open(&f).unwrap();
    other.conn().busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    let e = other.conn().execute("INSERT INTO project_meta(key, value) VALUES ('k','v')", []).unwrap_err();
    assert_eq!(crate::error::sqlite_code(&e), ErrorCode::Busy, "{e}");
    holder.conn().execute_batch("ROLLBACK").unwrap();
}
