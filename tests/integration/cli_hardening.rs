//! Issue 21 as a careless user and an attacker would meet it, through the real binary: the
//! studio deletes only what it wrote, refuses to touch files that are not its projects, reads
//! read-only projects, waits for busy ones, and never panics on its output.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{fixture, query_i64, Output, Sandbox, STUDIO};

/// Every file under `dir` with its bytes, recursively (the state a user would miss).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            out.extend(snapshot(&e.path()).into_iter().map(|(n, b)| (format!("{name}/{n}"), b)));
        } else {
            out.push((name, std::fs::read(e.path()).unwrap()));
        }
    }
    out.sort();
    out
}

fn demo(sb: &Sandbox, project: &Path, out: &Path) -> Output {
    sb.run(&["demo".as_ref(), "--project".as_ref(), project.as_os_str(), "--out".as_ref(), out.as_os_str()])
}

#[test]
fn demo_never_exports_over_its_own_project_or_into_an_existing_one() {
    let sb = Sandbox::new();
    // --out holding --project: refused before anything is created.
    let dm2 = sb.path("dm2");
    demo(&sb, &dm2.join("p.studio"), &dm2).code(1).stderr_has(&["error[invalid_input]", "p.studio"]);
    assert!(!dm2.exists(), "nothing created");
    std::fs::create_dir(&dm2).unwrap();
    std::fs::write(dm2.join("notes.txt"), "mine").unwrap();
    demo(&sb, &dm2.join("p.studio"), &dm2).code(1);
    assert_eq!(snapshot(&dm2), vec![("notes.txt".to_string(), b"mine".to_vec())]);

    // An existing project is refused before anything is added to it.
    let project = sb.path("p.studio");
    demo(&sb, &project, &sb.path("first")).ok();
    let before = std::fs::read(&project).unwrap();
    demo(&sb, &project, &sb.path("second")).code(1).stderr_has(&["error[invalid_input]", "exists"]);
    assert_eq!(std::fs::read(&project).unwrap(), before, "the project is byte-identical");
    assert!(!sb.path("second").exists());

    // An export into a folder that holds the project file and an earlier export is refused,
    // and every file stays.
    let work = sb.path("first");
    std::fs::copy(&project, work.join("p.studio")).unwrap();
    let before = snapshot(&work);
    let args = ["export", "--project", "first/p.studio", "--campaign", "1", "--out", "first", "--as", "demo-marketer"];
    sb.run(&args).code(1).stderr_has(&["error[invalid_input]", "project file"]);
    assert_eq!(snapshot(&work), before);
}

#[test]
fn a_closed_pipe_after_a_committed_change_is_success_and_a_full_disk_is_an_error() {
    let sb = Sandbox::new();
    let project = sb.path("p.studio");
    let import = |stdout: Stdio| {
        let mut child =
            Command::new(STUDIO).args(["import", "--project"]).arg(&project).arg(fixture("rees46_crlf.csv")).current_dir(sb.dir.path()).stdout(stdout).stderr(Stdio::piped()).spawn().unwrap();
        // `| true`: the reader is gone before the studio writes its result.
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    };
    let closed = import(Stdio::piped());
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert_eq!(closed.status.code(), Some(0), "closed pipe: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(query_i64(&project, "SELECT count(*) FROM imports"), 1, "imported exactly once");

    // `> /dev/full`: the change is committed, and the failed write is reported (not a panic).
    let other = sb.path("q.studio");
    let full =
        Command::new(STUDIO).args(["import", "--project"]).arg(&other).arg(fixture("rees46_crlf.csv")).stdout(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap()).output().unwrap();
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert_eq!(full.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[io]: cannot write to standard output") && !stderr.contains("panicked"), "{stderr}");
}

#[test]
fn another_applications_sqlite_file_is_left_byte_identical() {
    let sb = Sandbox::new();
    let other = sb.path("other.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE contacts(name TEXT, phone TEXT); INSERT INTO contacts VALUES ('Ada', '555-0100');").unwrap();
    drop(conn);
    let before = std::fs::read(&other).unwrap();
    for args in [vec!["info", "--project", "other.sqlite"], vec!["import", "--project", "other.sqlite", fixture("rees46_crlf.csv").to_str().unwrap()], vec!["audit", "--project", "other.sqlite"]] {
        sb.run(&args).code(1).stderr_has(&["error[invalid_input]", "another application's SQLite database", "contacts"]);
    }
    assert_eq!(std::fs::read(&other).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(sb.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["other.sqlite"], "no -wal or -shm beside it");
}

#[test]
fn a_project_from_a_newer_studio_names_both_versions() {
    let sb = Sandbox::new();
    sb.run(&["import", "--project", "p.studio", fixture("rees46_crlf.csv").to_str().unwrap()]).ok();
    rusqlite::Connection::open(sb.path("p.studio")).unwrap().pragma_update(None, "user_version", 999).unwrap();
    sb.run(&["info", "--project", "p.studio"]).code(1).stderr_has(&["made by a newer version of the studio (schema 999, this version knows"]);
}

/// Run the binary as an unprivileged user when the tests run as root (root may write any
/// file, so only another user sees a read-only project as read-only).
fn run_unprivileged(sb: &Sandbox, args: &[&str]) -> Output {
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", STUDIO]);
        c
    } else {
        Command::new(STUDIO)
    };
    let out = cmd.args(args).current_dir(sb.dir.path()).env("TMPDIR", sb.dir.path()).output().expect("run studio");
    Output { code: out.status.code(), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn a_read_only_project_is_read_and_a_change_says_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.run(&["import", "--project", "p.studio", fixture("rees46_crlf.csv").to_str().unwrap()]).ok();
    sb.run(&["user", "add", "--project", "p.studio", "--name", "Ada", "--role", "admin"]).ok();
    let project = sb.path("p.studio");
    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(sb.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let before = std::fs::read(&project).unwrap();
    let info = run_unprivileged(&sb, &["info", "--project", "p.studio", "--json"]);
    info.ok();
    assert!(info.stdout.contains("\"events\""), "{info}");
    run_unprivileged(&sb, &["audit", "--project", "p.studio", "--format", "json"]).ok();
    let import = run_unprivileged(&sb, &["import", "--project", "p.studio", fixture("rees46_malformed.csv").to_str().unwrap()]);
    import.code(1).stderr_has(&["error[read_only]", "p.studio is read-only"]);
    assert_eq!(std::fs::read(&project).unwrap(), before);
}

#[test]
fn parallel_imports_wait_for_each_other_and_never_fail_as_internal() {
    let sb = Sandbox::new();
    sb.run(&["import", "--project", "p.studio", fixture("rees46_crlf.csv").to_str().unwrap()]).ok();
    // Six different files (a different user id per file), imported at once.
    let text = std::fs::read_to_string(fixture("rees46_crlf.csv")).unwrap();
    let files: Vec<std::path::PathBuf> = (0..6)
        .map(|i| {
            let f = sb.path(&format!("part{i}.csv"));
            let body: String = text.lines().enumerate().map(|(n, l)| if n == 0 { format!("{l}\n") } else { format!("{}{i}\n", l.trim_end()) }).collect();
            std::fs::write(&f, body).unwrap();
            f
        })
        .collect();
    let children: Vec<_> =
        files.iter().map(|f| Command::new(STUDIO).args(["import", "--project", "p.studio"]).arg(f).current_dir(sb.dir.path()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()).collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() || stderr.contains("error[busy]"), "{stderr}");
        assert!(!stderr.contains("internal"), "{stderr}");
    }
    assert!(query_i64(&sb.path("p.studio"), "SELECT count(*) FROM imports") >= 2);
}
