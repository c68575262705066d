//! `studio serve`: the live decision service as a real process on a real socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{Sandbox, STUDIO};

/// A running `studio serve`; killed on drop.
struct Service {
    child: Child,
    addr: SocketAddr,
}

impl Service {
    fn start(sb: &Sandbox, project: &Path, log: &Path) -> Service {
        let mut child = Command::new(STUDIO)
            .args(["serve", "--project"])
            .arg(project)
            .args(["--campaign", "1", "--port", "0", "--log"])
            .arg(log)
            .current_dir(sb.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start studio serve");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|s| s.split_whitespace().next()).unwrap_or_else(|| panic!("no address in {line:?}")).parse().unwrap();
        Service { child, addr }
    }

    /// One HTTP/1.1 request; (status, body).
    fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let body = body.unwrap_or("");
        write!(s, "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", self.addr, body.len()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text[9..12].parse().unwrap();
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    fn json(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, text) = self.call(method, path, body.map(|b| b.to_string()).as_deref());
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text:?}")))
    }

    fn rank(&self, user: &str) -> Value {
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

fn users(project: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(project).unwrap();
    let mut stmt = conn.prepare("SELECT user_id FROM user_segments ORDER BY user_id LIMIT 120").unwrap();
    let out = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    out
}

#[test]
fn serve_ranks_rewards_once_drops_an_edited_variant_and_survives_kill_9() {
    let sb = Sandbox::new();
    let project = sb.path("shop.sqlite");
    sb.run(&["demo", "--project", project.to_str().unwrap(), "--out", sb.path("out").to_str().unwrap()]).ok();
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
    assert_eq!(stats["real"], json!(true));
}
