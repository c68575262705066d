//! Hostile inputs through the real binary: over-long lines, a gzip bomb, and devices given
//! as `studio import`, `studio ope --logs` and `studio performance` files. Each run must end
//! with the right exit code and error, keep the good rows, and stay under 300 MB peak RSS
//! (measured per child with wait4).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{count, u, Output, Sandbox, STUDIO};

/// Peak resident set size allowed for any run here.
const MAX_RSS_BYTES: u64 = 300 << 20;

/// Run `studio ARGS` in the sandbox; the output and the child's own peak RSS in bytes.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also reports its rusage
fn run_measured(sb: &Sandbox, args: &[&str]) -> (Output, u64) {
    let mut child = Command::new(STUDIO).args(args).current_dir(sb.dir.path()).env("TMPDIR", sb.dir.path()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run studio");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child's pid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let output = Output { code, stdout: out.join().unwrap(), stderr: err.join().unwrap() };
    (output, usage.ru_maxrss as u64 * 1024) // Linux reports KiB
}

#[track_caller]
fn bounded(rss: u64, what: &str) {
    assert!(rss < MAX_RSS_BYTES, "{what}: peak RSS {} MB", rss >> 20);
}

const HEAD: &str = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";
const ROW2: &str = "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c\n";
const ROW4: &str = "2019-10-01 00:00:01 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc\n";

/// A 64 KiB block of a line that gzip shrinks about 30-fold (4 KiB of digits, then letters),
/// as a long but ordinary line of a real export might.
fn block() -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut b: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b'0' + (x % 10) as u8
        })
        .collect();
    b.resize(64 << 10, b'a');
    b
}

fn gz_with_long_line(path: &Path, chunk: &[u8], chunks: usize) {
    let mut enc = flate2::write::GzEncoder::new(std::io::BufWriter::new(std::fs::File::create(path).unwrap()), flate2::Compression::fast());
    enc.write_all(HEAD.as_bytes()).unwrap();
    enc.write_all(ROW2.as_bytes()).unwrap();
    enc.write_all(b"2019-10-01 00:00:00 UTC,view,").unwrap();
    for _ in 0..chunks {
        enc.write_all(chunk).unwrap();
    }
    enc.write_all(b"\n").unwrap();
    enc.write_all(ROW4.as_bytes()).unwrap();
    enc.finish().unwrap().flush().unwrap();
}

#[test]
fn a_gzipped_300_mb_line_is_rejected_alone_in_bounded_memory() {
    let sb = Sandbox::new();
    let gz = sb.path("long.csv.gz");
    gz_with_long_line(&gz, &block(), 4800); // a 300 MiB line
    let p = sb.path("p.studio");
    let (out, rss) = run_measured(&sb, &["import", "--project", p.to_str().unwrap(), gz.to_str().unwrap(), "--json"]);
    let s = out.ok().json();
    assert_eq!((u(&s, "rows_read"), u(&s, "rows_imported"), u(&s, "rows_duplicate"), u(&s, "rows_rejected")), (3, 2, 0, 1), "{s}");
    assert_eq!((u(&s["errors"][0], "line"), s["errors"][0]["column"].as_str()), (3, Some("*")));
    let reason = s["errors"][0]["reason"].as_str().unwrap();
    assert!(reason.contains(&format!("{} bytes long", 29 + 4800 * (64 << 10))), "{reason}");
    assert_eq!(count(&p, "events"), 2);
    let raw_len = crate::support::query_i64(&p, "SELECT length(raw) FROM import_errors");
    assert!(raw_len < 200, "stored raw text is an excerpt: {raw_len} chars");
    bounded(rss, "import of a 300 MiB gzipped line");
}

#[test]
fn a_gzip_bomb_is_refused_naming_the_file_and_ratio() {
    let sb = Sandbox::new();
    let gz = sb.path("bomb.csv.gz");
    gz_with_long_line(&gz, &vec![b'a'; 1 << 20], 100);
    let p = sb.path("p.studio");
    let (out, rss) = run_measured(&sb, &["import", "--project", p.to_str().unwrap(), gz.to_str().unwrap()]);
    out.code(1).stderr_has(&["error[invalid_input]", "bomb.csv.gz", "100-fold"]);
    assert_eq!(count(&p, "imports"), 0);
    bounded(rss, "gzip bomb");
}

#[test]
fn a_plain_64_mb_line_and_a_lower_limit_keep_the_other_rows() {
    let sb = Sandbox::new();
    let f = sb.path("long.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&f).unwrap());
    w.write_all(HEAD.as_bytes()).unwrap();
    w.write_all(ROW2.as_bytes()).unwrap();
    for _ in 0..1024 {
        w.write_all(&block()).unwrap();
    }
    w.write_all(b"\n").unwrap();
    w.write_all(ROW4.as_bytes()).unwrap();
    w.flush().unwrap();
    drop(w);
    let p = sb.path("p.studio");
    let (out, rss) = run_measured(&sb, &["import", "--project", p.to_str().unwrap(), f.to_str().unwrap(), "--max-record-bytes", "100000", "--json"]);
    let s = out.ok().json();
    assert_eq!((u(&s, "rows_read"), u(&s, "rows_imported"), u(&s, "rows_rejected")), (3, 2, 1), "{s}");
    assert!(s["errors"][0]["reason"].as_str().unwrap().contains("over the limit of 100000 bytes"), "{s}");
    bounded(rss, "import of a 64 MiB line");
}

#[test]
fn devices_are_refused_by_import_ope_and_performance() {
    let sb = Sandbox::new();
    let p = sb.path("p.studio");
    let small = sb.path("small.csv");
    std::fs::write(&small, format!("{HEAD}{ROW2}")).unwrap();
    sb.run(&["import", "--project", p.to_str().unwrap(), small.to_str().unwrap()]).ok();
    let runs: [&[&str]; 3] = [
        &["import", "--project", p.to_str().unwrap(), "/dev/zero"],
        &["ope", "--logs", "/dev/zero", "--policy", "uniform"],
        &["performance", "--project", p.to_str().unwrap(), "--campaign", "1", "/dev/zero"],
    ];
    for args in runs {
        let (out, rss) = run_measured(&sb, args);
        out.code(1).stderr_has(&["error[invalid_input]", "/dev/zero", "is a character device, not a regular file"]);
        bounded(rss, args[0]);
    }
    let (out, _) = run_measured(&sb, &["import", "--project", p.to_str().unwrap(), sb.dir.path().to_str().unwrap()]);
    out.code(1).stderr_has(&["error[invalid_input]", "directory"]);
    assert_eq!(count(&p, "imports"), 1, "only the small file");
}
