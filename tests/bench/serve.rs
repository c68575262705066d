//! `make bench` (cargo bench --bench serve): the live decision service under a real load
//! generator.
//!
//! `studio demo` builds the demo store with an approved bilingual campaign; `studio serve`
//! (release build) serves it on 127.0.0.1 and `wrk` (Debian's package; 1 thread, 16
//! connections, 15 s) sends `POST /v1/rank` for 2,000 known shoppers round-robin, load
//! generator and service on the same 2 cores. Prints rank/s and wrk's p50/p99 latency (goal:
//! ≥ 10,000 rank/s with p99 < 5 ms), then stops the service cleanly and counts the decision
//! log's lines against the 2xx answers wrk counted: none may be missing.
//!
//! wrk drives a closed loop (as fast as answers come back), not a fixed arrival rate; the
//! figures are the throughput and latencies at 16 requests in flight. There is no peer decision
//! service in the registries to race, so no ratio is printed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn studio(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_studio")).args(args).output().expect("studio binary");
    assert!(out.status.success(), "studio {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// wrk's latency percentile line (`50%  798.00us`) in milliseconds.
fn percentile(report: &str, p: &str) -> f64 {
    let v = report.lines().find_map(|l| l.trim().strip_prefix(p)).map(str::trim).unwrap_or_else(|| panic!("no {p} line in wrk's report:\n{report}"));
    let (num, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
    let x: f64 = num.parse().expect("number");
    x * match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        _ => panic!("unit {unit:?}"),
    }
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        panic!("wrk is not installed: `make deps` installs it (Debian package wrk)");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("bench.studio");
    let p = project.to_str().unwrap();
    studio(&["demo", "--project", p, "--out", dir.path().join("out").to_str().unwrap()]);
    let users: Vec<String> = {
        let conn = rusqlite::Connection::open(&project).unwrap();
        let mut stmt = conn.prepare("SELECT user_id FROM user_segments ORDER BY user_id LIMIT 2000").unwrap();
        let users = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        users
    };
    let log = dir.path().join("log");
    let mut svc = Command::new(env!("CARGO_BIN_EXE_studio"))
        .args(["serve", "--project", p, "--campaign", "1", "--port", "0", "--log", log.to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("studio serve");
    let mut line = String::new();
    BufReader::new(svc.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("address").to_string();
    let list = users.iter().map(|u| format!("{u:?}")).collect::<Vec<_>>().join(",");
    let script = dir.path().join("rank.lua");
    std::fs::write(
        &script,
        format!(
            r#"local users = {{{list}}}
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local u = users[(n % #users) + 1]
  return wrk.format(nil, "/v1/rank", nil, '{{"user_id":"' .. u .. '","placement":"google-rda-landscape","lang":"zh-CN"}}')
end
"#
        ),
    )
    .unwrap();
    let out = Command::new("wrk").args(["-t1", "-c16", "-d15s", "--latency", "-s", script.to_str().unwrap(), &url]).output().expect("wrk");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "wrk failed: {report}{}", String::from_utf8_lossy(&out.stderr));
    let requests: u64 = report.lines().find_map(|l| l.split_once(" requests in ").map(|(n, _)| n.trim().parse().unwrap())).expect("request count");
    let non2xx: u64 = report.lines().find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:").map(|n| n.trim().parse().unwrap())).unwrap_or(0);
    let rate: f64 = report.lines().find_map(|l| l.strip_prefix("Requests/sec:").map(|n| n.trim().parse().unwrap())).expect("rate");
    let (p50, p99) = (percentile(&report, "50%"), percentile(&report, "99%"));
    assert!(Command::new("kill").args(["-TERM", &svc.id().to_string()]).status().unwrap().success());
    assert!(svc.wait().unwrap().success(), "studio serve did not stop cleanly");
    let logged: usize = std::fs::read_dir(&log)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".dsjson"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap().lines().count())
        .sum();
    println!("serve: wrk 1 thread × 16 connections, 15 s, {} shoppers, service + wrk on the same machine", users.len());
    println!("serve: {rate:.0} rank/s (goal ≥ 10,000), p50 {p50:.3} ms, p99 {p99:.3} ms (goal < 5 ms)");
    println!("serve: {requests} answered ({non2xx} not 2xx), {logged} decision lines logged");
    assert_eq!(non2xx, 0, "every rank is answered 200");
    // wrk stops counting at 15 s while up to 16 answered ranks are still on their way back.
    assert!((requests..=requests + 16).contains(&(logged as u64)), "a decision line per answered rank, none lost: {logged} logged, {requests} answered");
}
