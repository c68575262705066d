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
            writeln!(w, "2019-10-{day:02} {h:02}:{m:02}:{s:02} UTC,view,{},2053013555631882655,electronics.smartphone,samsung,{}.99,{},sess-{}", 1_000_000 + i % 5000, 10 + i % 900, 500_000_000 + i % 40_000, i / 7).unwrap();
        }
    }
    let project = sb.path("p.studio");
    let wal = sb.path("p.studio-wal");
    let mut child = Command::new(STUDIO).args(["import", "--project"]).arg(&project).arg(&csv).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    // Wait until the import is visibly writing (its WAL grows past 2 MB), then kill -9.
    let start = Instant::now();
    loop {
        assert!(child.try_wait().unwrap().is_none(), "import finished before it could be killed; make the file larger");
        if std::fs::metadata(&wal).map(|m| m.len() > 2 << 20).unwrap_or(false) {
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
}
