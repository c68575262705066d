//! `studio serve`: the live decision service as a real process on a real socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{Sandbox, STUDIO};

/// A running `studio serve`; killed on drop.
pub(crate) struct Service {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    /// The rest of its standard output.
    pub(crate) out: BufReader<ChildStdout>,
}

impl Service {
    fn start(sb: &Sandbox, project: &Path, log: &Path) -> Service {
        Service::start_campaign(sb, project, log, 1)
    }

    pub(crate) fn start_campaign(sb: &Sandbox, project: &Path, log: &Path, campaign: i64) -> Service {
        Service::start_with(sb, project, log, campaign, &[])
    }

    /// `studio serve` on any free port with `extra` arguments; returns once it listens.
    pub(crate) fn start_with(sb: &Sandbox, project: &Path, log: &Path, campaign: i64, extra: &[&str]) -> Service {
        let mut child = Command::new(STUDIO)
            .args(["serve", "--project"])
            .arg(project)
            .args(["--campaign", &campaign.to_string(), "--port", "0", "--log"])
            .arg(log)
            .args(extra)
            .current_dir(sb.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start studio serve");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let mut addr: SocketAddr = line.split("http://").nth(1).and_then(|s| s.split_whitespace().next()).unwrap_or_else(|| panic!("no address in {line:?}")).parse().unwrap();
        if addr.ip().is_unspecified() {
            // Listening on every address (`--bind 0.0.0.0`): reach it through loopback.
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        Service { child, addr, out }
    }

    /// Stop with SIGTERM and wait for the clean exit (log fsynced, checkpoint written).
    pub(crate) fn terminate(mut self) {
        assert!(Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap().success());
        assert!(self.child.wait().unwrap().success(), "studio serve did not stop cleanly");
    }

    /// One HTTP/1.1 request; (status, body).
    pub(crate) fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let (status, _, body) = self.request(method, path, &[], body);
        (status, body)
    }

    /// One HTTP/1.1 request with extra headers; (status, head with lower-case header names, body).
    pub(crate) fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> (u16, String, String) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let body = body.unwrap_or("");
        let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", self.addr, body.len()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text[9..12].parse().unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let head = head.lines().map(|l| l.split_once(':').map_or(l.to_string(), |(k, v)| format!("{}:{v}", k.to_ascii_lowercase()))).collect::<Vec<_>>().join("\n");
        (status, head, body.to_string())
    }

    pub(crate) fn json(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, text) = self.call(method, path, body.map(|b| b.to_string()).as_deref());
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text:?}")))
    }

    pub(crate) fn rank(&self, user: &str) -> Value {
        let (status, r) = self.json("POST", "/v1/rank", Some(json!({"user_id": user, "placement": "google-rda-landscape", "lang": "zh-CN"})));
        assert_eq!(status, 200, "{r}");
        r
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn users(project: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(project).unwrap();
    let mut stmt = conn.prepare("SELECT user_id FROM user_segments ORDER BY user_id LIMIT 120").unwrap();
    let out = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    out
}

#[test]
fn serve_ranks_rewards_once_drops_an_edited_variant_and_survives_kill_9() {
    let sb = Sandbox::new();
    let project = sb.path("shop.sqlite");
    crate::support::demo_at(&project, &sb.path("out"));
    let log = sb.path("log");
    let users = users(&project);
    let svc = Service::start(&sb, &project, &log);

    // Every rank serves an approved variant with tracking; rewards count once.
    let mut acknowledged = 0;
    let mut served = std::collections::BTreeMap::new();
    for (i, u) in users.iter().enumerate() {
        let r = svc.rank(u);
        acknowledged += 1;
        let key = r["variant_key"].as_str().unwrap().to_string();
        assert!(r["creative"]["final_url"].as_str().unwrap().ends_with(&format!("utm_content={key}")), "{r}");
        let p = r["probability"].as_f64().unwrap();
        assert!(p > 0.0 && p <= 1.0);
        served.insert(r["variant_id"].as_i64().unwrap(), (u.clone(), r["creative"]["image_url"].as_str().unwrap().to_string()));
        if i % 4 == 0 {
            let path = format!("/v1/events/{}/reward", r["event_id"].as_str().unwrap());
            assert_eq!(svc.json("POST", &path, Some(json!({"value": 1}))).0, 200);
            let (status, e) = svc.json("POST", &path, Some(json!({"value": 1})));
            assert_eq!((status, e["code"].as_str()), (409, Some("conflict")), "{e}");
        }
    }
    // Bad requests: 4xx JSON naming the field.
    let (status, e) = svc.json("POST", "/v1/rank", Some(json!({"user_id": "u", "placement": "nowhere", "lang": "zh-CN"})));
    assert_eq!(status, 400);
    assert!(e["message"].as_str().unwrap().starts_with("placement:"), "{e}");
    let (status, e) = svc.json("POST", "/v1/rank", Some(json!({"placement": "google-rda-landscape"})));
    assert_eq!(status, 400);
    assert!(e["message"].as_str().unwrap().contains("user_id"), "{e}");
    assert_eq!(svc.json("POST", "/v1/events/nope/reward", Some(json!({"value": 1}))).0, 404);
    let big = format!("{{\"user_id\":\"{}\"}}", "x".repeat(70_000));
    assert_eq!(svc.call("POST", "/v1/rank", Some(&big)).0, 413);
    assert_eq!(svc.call("GET", "/v1/creatives/..%2Fshop.sqlite", None).0, 404);
    let (variant, (user, image)) = served.iter().next().map(|(v, x)| (*v, x.clone())).unwrap();
    let (status, png) = svc.call("GET", &image, None);
    assert_eq!(status, 200);
    assert!(png.len() > 1000);
    let (_, metrics) = svc.call("GET", "/metrics", None);
    assert!(metrics.contains("studio_impressions_total{variant=") && metrics.contains("studio_rank_latency_seconds_count"), "{metrics}");

    // Another process edits a served variant: its approval is stale and it is never served again.
    let conn = rusqlite::Connection::open(&project).unwrap();
    conn.execute("UPDATE variants SET headline = headline || '（改）' WHERE id = ?1", [variant]).unwrap();
    drop(conn);
    std::thread::sleep(Duration::from_millis(1200));
    for _ in 0..20 {
        assert_ne!(svc.rank(&user)["variant_id"].as_i64().unwrap(), variant, "an edited variant was served");
        acknowledged += 1;
    }

    // kill -9 after the flush interval: every acknowledged rank is in the log.
    std::thread::sleep(Duration::from_millis(300));
    let mut svc = svc;
    svc.child.kill().unwrap();
    svc.child.wait().unwrap();
    let out = sb.run(&["logs", "--dir", log.to_str().unwrap(), "--joined", sb.path("joined.dsjson").to_str().unwrap(), "--json"]);
    let s = out.ok().json();
    assert_eq!(s["decisions"].as_u64().unwrap(), acknowledged, "{s}");
    assert_eq!(s["rewarded"].as_u64().unwrap(), users.len().div_ceil(4) as u64, "{s}");

    // A clean stop checkpoints; the next start resumes the learnt counts.
    let svc = Service::start(&sb, &project, &log);
    for u in users.iter().take(10) {
        svc.rank(u);
    }
    let pid = svc.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let started = Instant::now();
    let mut svc = svc;
    while svc.child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(10), "no clean stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    let svc = Service::start(&sb, &project, &log);
    let (_, stats) = svc.json("GET", "/v1/stats", None);
    assert!(stats["learnt_impressions"].as_u64().unwrap() >= 10, "resumed: {stats}");
    // The stats count this run's traffic only (none yet), real and simulated apart.
    assert_eq!((stats["real"]["impressions"].as_u64(), stats["simulated"]["impressions"].as_u64()), (Some(0), Some(0)), "{stats}");
}

/// A campaign (id 2) with three approved variants per segment in zh-CN, beside the demo's.
pub(crate) fn three_arm_campaign(sb: &Sandbox, project: &Path) {
    let p = project.to_str().unwrap();
    let c = sb.run(&["campaign", "--project", p, "--name", "Three arms", "--variants", "3", "--placements", "google-rda-landscape", "--as", "demo-marketer", "--json"]).ok().json();
    assert_eq!(c["id"].as_i64(), Some(2), "{c}");
    let conn = rusqlite::Connection::open(project).unwrap();
    let ids: Vec<i64> = conn.prepare("SELECT id FROM variants WHERE campaign_id = 2").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    for id in ids.iter().map(i64::to_string) {
        sb.run(&["review", "submit", "--project", p, "--variant", &id, "--as", "demo-marketer"]).ok();
        sb.run(&["review", "approve", "--project", p, "--variant", &id, "--as", "demo-reviewer"]).ok();
    }
}

/// The service's own log: `studio ope` equals an IPW computed by Python from the same joined
/// file, and Vowpal Wabbit (`--cb_explore_adf --dsjson`) learns from every multi-arm decision.
#[test]
fn the_decision_log_feeds_studio_ope_python_ipw_and_vowpal_wabbit() {
    let sb = Sandbox::new();
    let project = sb.path("shop.sqlite");
    crate::support::demo_at(&project, &sb.path("out"));
    three_arm_campaign(&sb, &project);
    let log = sb.path("log");
    let mut svc = Service::start_campaign(&sb, &project, &log, 2);
    let mut x: u64 = 7;
    for u in users(&project).iter().cycle().take(600) {
        let r = svc.rank(u);
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        // Seeded clicks, likelier for the first set of each segment.
        let p = if r["variant_key"].as_str().unwrap().ends_with("-zh-cn") && r["variant_id"].as_i64().unwrap() % 3 == 0 { 0.3 } else { 0.1 };
        if ((x >> 33) as f64 / (1u64 << 31) as f64) < p {
            assert_eq!(svc.json("POST", &format!("/v1/events/{}/reward", r["event_id"].as_str().unwrap()), Some(json!({"value": 1}))).0, 200);
        }
    }
    assert!(Command::new("kill").args(["-TERM", &svc.child.id().to_string()]).status().unwrap().success());
    assert!(svc.child.wait().unwrap().success());
    let joined = sb.path("joined.dsjson");
    let s = sb.run(&["logs", "--dir", log.to_str().unwrap(), "--joined", joined.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(s["decisions"], json!(600));
    assert!(s["rewarded"].as_u64().unwrap() > 30, "{s}");
    for policy in ["uniform", "logged"] {
        let ours = sb.run(&["ope", "--logs", joined.to_str().unwrap(), "--policy", policy, "--json"]).ok().json();
        let from_dir = sb.run(&["ope", "--logs", log.to_str().unwrap(), "--policy", policy, "--json"]).ok().json();
        assert_eq!(ours["ipw"], from_dir["ipw"], "the folder and the joined file give the same estimate");
        let py = Command::new("python3").args(["-c", PY_IPW, joined.to_str().unwrap(), policy]).output().expect("python3");
        assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
        let v: Value = serde_json::from_slice(&py.stdout).unwrap();
        for k in ["ipw", "snipw"] {
            let (a, b) = (ours[k].as_f64().unwrap(), v[k].as_f64().unwrap());
            assert!((a - b).abs() < 1e-12, "{policy} {k}: studio {a} vs python {b}");
        }
    }
    match std::env::var("VW_PYTHON") {
        Ok(python) => {
            let vw = Command::new(python).args(["-c", PY_VW, joined.to_str().unwrap()]).output().expect("vw python");
            assert!(vw.status.success(), "{}", String::from_utf8_lossy(&vw.stderr));
            let v: Value = serde_json::from_slice(&vw.stdout).unwrap();
            assert_eq!(v["examples"].as_f64(), Some(600.0), "vw learnt from every decision: {v}");
        }
        Err(_) if std::env::var_os("STUDIO_REQUIRE_VW").is_some() => panic!("STUDIO_REQUIRE_VW is set but VW_PYTHON is not (make vw)"),
        Err(_) => eprintln!("note: Vowpal Wabbit check skipped (set VW_PYTHON to a python with vowpalwabbit; `make test` does)"),
    }
}

/// IPW and SNIPW of `uniform` (1/|offered|) or `logged` from a joined dsjson file, by hand.
const PY_IPW: &str = r#"
import json, sys
w, r = [], []
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("_skipLearn"): continue
    p = d["_label_probability"]
    pi = 1.0 / len(d["a"]) if sys.argv[2] == "uniform" else p
    w.append(pi / p); r.append(-d["_label_cost"])
n = len(w)
print(json.dumps({"ipw": sum(a * b for a, b in zip(w, r)) / n, "snipw": sum(a * b for a, b in zip(w, r)) / sum(w)}))
"#;

/// Vowpal Wabbit reads the joined log as contextual-bandit ADF examples.
const PY_VW: &str = r#"
import json, sys, vowpalwabbit
ws = vowpalwabbit.Workspace(f"--cb_explore_adf --dsjson -d {sys.argv[1]} --quiet")
ws.run_parser()
print(json.dumps({"examples": ws.get_weighted_examples(), "loss": ws.get_sum_loss()}))
ws.finish()
"#;
