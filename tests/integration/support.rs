//! Helpers shared by the CLI integration tests: run the real `studio` binary in a temp dir,
//! parse its `--json` output, and look inside project files with rusqlite.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub use crate::fixture_data::plain;

/// The built `studio` binary (cargo builds it for integration tests).
pub const STUDIO: &str = env!("CARGO_BIN_EXE_studio");

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The REES46 sample (`fixtures/data/rees46/2019-Oct-head.csv.gz`) as plain CSV, under its own
/// file name (never written to by tests).
pub fn rees46_sample() -> PathBuf {
    plain("rees46/2019-Oct-head.csv")
}

/// A file in `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures").join(name)
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Panics (showing both streams) unless the run exited 0.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, Some(0), "expected success\n{self}");
        self
    }

    /// Panics unless the run exited with `code`.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "expected exit code {code}\n{self}");
        self
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }

    /// Panics unless stderr contains every needle.
    #[track_caller]
    pub fn stderr_has(&self, needles: &[&str]) -> &Self {
        for n in needles {
            assert!(self.stderr.contains(n), "stderr lacks {n:?}\n{self}");
        }
        self
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

/// A scratch directory in which the binary runs; removed on drop.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox { dir: tempfile::Builder::new().prefix("studio-it-").tempdir().expect("temp dir") }
    }

    /// A path inside the sandbox.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Run `studio ARGS` with the sandbox as working directory (and TMPDIR, so stray temp
    /// projects stay inside it).
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        let out = Command::new(STUDIO).args(args).current_dir(self.dir.path()).env("TMPDIR", self.dir.path()).output().expect("run studio");
        Output { code: out.status.code(), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
    }
}

/// `SELECT count(*) FROM table` in a project file.
pub fn count(project: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(project, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap_or_else(|e| panic!("open {}: {e}", project.display()));
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

/// One scalar query against a project file.
pub fn query_i64(project: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(project, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A JSON field as u64, panicking with context when missing.
#[track_caller]
pub fn u(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

/// Parse RFC 4180 CSV text (quoted fields with `""`, embedded commas and newlines).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// What `studio demo --project P --out O` leaves behind, made once per test run (the demo is
/// seeded, so every run makes the same project and export) and copied to `project` and `out`:
/// `studio demo` costs seconds and a score of tests start from it. `cli_demo` runs the real
/// command itself.
pub fn demo_at(project: &Path, out: &Path) {
    static TEMPLATE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let dir = TEMPLATE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("demo-template-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("template dir");
        let run = Command::new(STUDIO).args(["demo", "--project", "demo.studio", "--out", "out"]).current_dir(&dir).env("TMPDIR", &dir).output().expect("run studio demo");
        assert!(run.status.success(), "studio demo failed: {}", String::from_utf8_lossy(&run.stderr));
        dir
    });
    std::fs::copy(dir.join("demo.studio"), project).unwrap_or_else(|e| panic!("copy the demo project to {}: {e}", project.display()));
    copy_dir(&dir.join("out"), out);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).expect("read the template") {
        let entry = entry.expect("template entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("copy to {}: {e}", target.display()));
        }
    }
}
