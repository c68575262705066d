//! Crash safety: `kill -9` of an importing process leaves a sound project that holds none of
//! the file's events (one transaction per file), and importing again completes it exactly.

use std::io::{BufWriter, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{count, query_i64, u, Sandbox, STUDIO};

const ROWS: usize = 400_000;

#[test]
fn kill_9_mid_import_leaves_nothing_partial_and_reimport_completes() {
    let sb = Sandbox::new();
    let csv = sb.path("big.csv");
    {
        let mut w = BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(w, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session").unwrap();
        for i in 0..ROWS {
            let (h, m, s) = ((i / 3600) % 24, (i / 60) % 60, i % 60);
            let day = 1 + (i / 86_400) % 28;
            writeln!(
                w,
                "2019-10-{day:02} {h:02}:{m:02}:{s:02} UTC,view,{},2053013555631882655,electronics.smartphone,samsung,{}.99,{},sess-{}",
                1_000_000 + i % 5000,
                10 + i % 900,
                500_000_000 + i % 40_000,
                i / 7
            )
            .unwrap();
        }
    }
    let project = sb.path("p.studio");
    let wal = sb.path("p.studio-wal");
    let mut child = Command::new(STUDIO).args(["import", "--project"]).arg(&project).arg(&csv).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    // Wait until the import is visibly writing, then kill -9. A bulk import writes its pages
    // straight into the project file (rollback journal); a smaller one into the WAL.
    let start = Instant::now();
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    loop {
        assert!(child.try_wait().unwrap().is_none(), "import finished before it could be killed; make the file larger");
        if size(&project) + size(&wal) > 2 << 20 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "import never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    // The project opens, is sound, and holds no part of the file.
    let conn = rusqlite::Connection::open(&project).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    assert_eq!(count(&project, "events"), 0, "an uncommitted import leaves no events");
    assert_eq!(count(&project, "imports"), 0);

    // Importing again completes the file exactly.
    let out = sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), csv.as_os_str(), "--json".as_ref()]);
    out.ok();
    let v = out.json();
    assert_eq!(u(&v, "rows_read"), ROWS as u64);
    assert_eq!(u(&v, "rows_imported") + u(&v, "rows_duplicate"), ROWS as u64);
    assert_eq!(count(&project, "events") as u64, u(&v, "rows_imported"));
    assert_eq!(query_i64(&project, "SELECT count(*) FROM imports"), 1);
    // The bulk import's rollback journal was temporary: the project is back in WAL mode.
    let conn = rusqlite::Connection::open(&project).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    // The bulk import does not enforce foreign keys while it writes; it breaks none.
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0);
}

#[test]
fn a_bulk_import_beside_another_open_connection_still_completes_in_wal_mode() {
    let sb = Sandbox::new();
    let csv = sb.path("mid.csv");
    let rows = 120_000; // above the size at which a bulk import tries the rollback journal
    {
        let mut w = BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(w, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session").unwrap();
        for i in 0..rows {
            writeln!(
                w,
                "2019-10-01 {:02}:{:02}:{:02} UTC,view,{},2053013555631882655,electronics.smartphone,samsung,{}.99,{},sess-{}",
                (i / 3600) % 24,
                (i / 60) % 60,
                i % 60,
                1_000_000 + i % 5000,
                10 + i % 900,
                500_000_000 + i,
                i / 7
            )
            .unwrap();
        }
    }
    let project = sb.path("p.studio");
    sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), crate::support::rees46_sample().as_os_str()]).ok();
    // Another process keeps the project open (and a read transaction going) meanwhile.
    let other = rusqlite::Connection::open(&project).unwrap();
    other.execute_batch("BEGIN; SELECT count(*) FROM events;").unwrap();
    let out = sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), csv.as_os_str(), "--json".as_ref()]);
    out.ok();
    assert_eq!(u(&out.json(), "rows_imported"), rows as u64);
    other.execute_batch("COMMIT").unwrap();
    let mode: String = other.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let check: String = other.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}
