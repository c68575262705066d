//! `studio serve` over HTTP: the logged propensities against the choices actually made, hot
//! reload of approvals while the service runs, and `--replay` traffic kept apart from real.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cli_serve::{three_arm_campaign, users, Service};
use crate::support::Sandbox;

/// Every decision line of a service's log folder.
fn decisions(log: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(log).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "dsjson")).collect();
    files.sort();
    for f in files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            if v.get("_label_Action").is_some() {
                out.push(v);
            }
        }
    }
    out
}

fn approved_ids(project: &Path, campaign: i64) -> BTreeSet<i64> {
    let conn = rusqlite::Connection::open(project).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM variants WHERE campaign_id = ?1 AND review_state = 'approved'").unwrap();
    let ids = stmt.query_map([campaign], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    ids
}

fn demo(sb: &Sandbox) -> std::path::PathBuf {
    let project = sb.path("shop.sqlite");
    crate::support::demo_at(&project, &sb.path("out"));
    project
}

/// Over 1,500 real HTTP ranks (with seeded clicks, so the allocation moves), every logged
/// distribution sums to 1 over exactly the approved variants of the context, the answer's
/// `probability` is the logged one, and each variant was chosen as often as the logged
/// propensities say: |observed − Σp| ≤ 4·√(Σp(1−p)) per variant.
#[test]
fn served_propensities_sum_to_one_over_approved_variants_and_match_choice_frequencies() {
    let sb = Sandbox::new();
    let project = demo(&sb);
    three_arm_campaign(&sb, &project);
    let approved = approved_ids(&project, 2);
    let log = sb.path("log");
    let svc = Service::start_campaign(&sb, &project, &log, 2);
    let people = users(&project);
    let mut answered: BTreeMap<String, f64> = BTreeMap::new();
    let mut x: u64 = 99;
    for u in people.iter().cycle().take(1500) {
        let r = svc.rank(u);
        answered.insert(r["event_id"].as_str().unwrap().to_string(), r["probability"].as_f64().unwrap());
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let p = if r["variant_id"].as_i64().unwrap() % 3 == 0 { 0.4 } else { 0.05 };
        if ((x >> 33) as f64 / (1u64 << 31) as f64) < p {
            assert_eq!(svc.json("POST", &format!("/v1/events/{}/reward", r["event_id"].as_str().unwrap()), Some(json!({"value": 1}))).0, 200);
        }
    }
    svc.terminate();
    let lines = decisions(&log);
    assert_eq!(lines.len(), 1500);
    let mut expected: BTreeMap<i64, (f64, f64, u64)> = BTreeMap::new();
    for l in &lines {
        let multi = l["c"]["_multi"].as_array().unwrap();
        let ids: Vec<i64> = multi.iter().map(|m| m["Variant"]["id"].as_str().unwrap()[1..].parse().unwrap()).collect();
        assert!(ids.iter().all(|v| approved.contains(v)), "only approved variants are offered: {ids:?}");
        assert_eq!(ids.len(), 3, "the three approved variants of the context: {ids:?}");
        let a: Vec<usize> = l["a"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        let p: Vec<f64> = l["p"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "propensities sum to 1: {p:?}");
        assert!(p.iter().all(|&q| q >= 0.01 - 1e-12), "exploration floor: {p:?}");
        assert_eq!(answered[l["EventId"].as_str().unwrap()], p[0], "the answer's probability is the logged one");
        for (i, &action) in a.iter().enumerate() {
            let e = expected.entry(ids[action - 1]).or_default();
            e.0 += p[i];
            e.1 += p[i] * (1.0 - p[i]);
            e.2 += u64::from(i == 0);
        }
    }
    assert!(expected.len() >= 6, "several segments' variants were offered: {expected:?}");
    for (v, (mean, var, seen)) in &expected {
        let dev = (*seen as f64 - mean).abs();
        assert!(dev <= 4.0 * var.sqrt() + 1e-9, "variant {v}: chosen {seen} times, propensities expect {mean:.1} ± {:.1}", var.sqrt());
    }
}

/// Hot reload: a variant approved while the service runs is offered within the reload
/// interval (polled up to 3 s), and an approved variant edited meanwhile (approval stale) is
/// dropped just as fast and never served again.
#[test]
fn approving_and_editing_while_serving_changes_what_is_served_within_a_second() {
    let sb = Sandbox::new();
    let project = demo(&sb);
    let p = project.to_str().unwrap();
    let c = sb.run(&["campaign", "--project", p, "--name", "Hot reload", "--variants", "3", "--placements", "google-rda-landscape", "--as", "demo-marketer", "--json"]).ok().json();
    assert_eq!(c["id"].as_i64(), Some(2), "{c}");
    let conn = rusqlite::Connection::open(&project).unwrap();
    let variants: Vec<(i64, i64)> =
        conn.prepare("SELECT id, segment_id FROM variants WHERE campaign_id = 2 ORDER BY id").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let (held, segment) = variants[0];
    for (id, _) in &variants[1..] {
        sb.run(&["review", "submit", "--project", p, "--variant", &id.to_string(), "--as", "demo-marketer"]).ok();
        sb.run(&["review", "approve", "--project", p, "--variant", &id.to_string(), "--as", "demo-reviewer"]).ok();
    }
    sb.run(&["review", "submit", "--project", p, "--variant", &held.to_string(), "--as", "demo-marketer"]).ok();
    let shopper: String = conn.query_row("SELECT user_id FROM user_segments WHERE segment_id = ?1 LIMIT 1", [segment], |r| r.get(0)).unwrap();
    let log = sb.path("log");
    let svc = Service::start_campaign(&sb, &project, &log, 2);
    let servable = |svc: &Service| svc.json("GET", "/healthz", None).1["servable_variants"].as_u64().unwrap();
    let before = servable(&svc);
    assert_eq!(before, variants.len() as u64 - 1);
    for _ in 0..60 {
        assert_ne!(svc.rank(&shopper)["variant_id"].as_i64(), Some(held), "a variant in review was served");
    }

    // Approve it now, from another process.
    sb.run(&["review", "approve", "--project", p, "--variant", &held.to_string(), "--as", "demo-reviewer"]).ok();
    let t0 = Instant::now();
    while servable(&svc) == before {
        assert!(t0.elapsed() < Duration::from_secs(3), "the new approval was not picked up within 3 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    let picked_up = t0.elapsed();
    eprintln!("hot reload: approval picked up after {} ms", picked_up.as_millis());
    let mut served = false;
    for _ in 0..300 {
        served |= svc.rank(&shopper)["variant_id"].as_i64() == Some(held);
        if served {
            break;
        }
    }
    assert!(served, "the newly approved variant {held} is served to its segment");

    // Edit it (its approval goes stale): dropped, then never served.
    conn.execute("UPDATE variants SET headline = headline || '（改）' WHERE id = ?1", [held]).unwrap();
    let t1 = Instant::now();
    while servable(&svc) != before {
        assert!(t1.elapsed() < Duration::from_secs(3), "the edit was not picked up within 3 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("hot reload: edit picked up after {} ms", t1.elapsed().as_millis());
    for _ in 0..200 {
        assert_ne!(svc.rank(&shopper)["variant_id"].as_i64(), Some(held), "an edited variant was served");
    }
    svc.terminate();
}

/// `--replay N` drives N simulated shoppers through the HTTP API: counted as simulated in
/// `/v1/stats` (never as real), flagged `"Simulated": true` in the log; a real rank meanwhile
/// counts as real only.
#[test]
fn replay_drives_simulated_shoppers_through_the_api_logged_and_counted_apart_from_real() {
    let sb = Sandbox::new();
    let project = demo(&sb);
    let log = sb.path("log");
    let mut svc = Service::start_with(&sb, &project, &log, 1, &["--replay", "300"]);
    let mut line = String::new();
    svc.out.read_line(&mut line).unwrap();
    assert!(line.starts_with("replayed 300 simulated shoppers:"), "{line:?}");
    let num = |word: &str| -> u64 { line.split(&format!(" {word}")).next().unwrap().rsplit(' ').next().unwrap().trim_start_matches(':').trim().parse().unwrap() };
    let (impressions, clicks) = (num("impressions"), num("clicks"));
    let (_, s) = svc.json("GET", "/v1/stats", None);
    assert_eq!(s["simulated"]["impressions"].as_u64(), Some(impressions), "{s}");
    assert_eq!(s["simulated"]["clicks"].as_u64(), Some(clicks), "{s}");
    assert!(impressions > 250, "most shoppers were served: {line}");
    assert_eq!(s["real"]["impressions"].as_u64(), Some(0), "replayed traffic is never real: {s}");
    let share_sum: f64 = s["simulated"]["cells"].as_array().unwrap().iter().filter_map(|c| c["share"].as_f64()).sum();
    let segments: BTreeSet<i64> = s["simulated"]["cells"].as_array().unwrap().iter().map(|c| c["segment_id"].as_i64().unwrap()).collect();
    assert!((share_sum - segments.len() as f64).abs() < 1e-9, "shares add up to 1 within each segment");

    let user = users(&project).remove(0);
    let r = svc.rank(&user);
    assert_eq!(svc.json("POST", &format!("/v1/events/{}/reward", r["event_id"].as_str().unwrap()), Some(json!({"value": 1}))).0, 200);
    let (_, s) = svc.json("GET", "/v1/stats", None);
    assert_eq!((s["real"]["impressions"].as_u64(), s["real"]["clicks"].as_u64()), (Some(1), Some(1)), "{s}");
    assert_eq!(s["simulated"]["impressions"].as_u64(), Some(impressions));
    svc.terminate();

    let lines = decisions(&log);
    let simulated = lines.iter().filter(|l| l["Simulated"] == json!(true)).count() as u64;
    assert_eq!((simulated, lines.len() as u64), (impressions, impressions + 1), "every replayed rank is flagged, the real one is not");
    // Off-policy estimates of the log are about real traffic: the replayed decisions are left out.
    let ope = sb.run(&["ope", "--logs", log.to_str().unwrap(), "--policy", "logged", "--json"]).ok().json();
    assert_eq!((ope["rows"].as_u64(), ope["skipped_simulated"].as_u64(), ope["on_policy_value"].as_f64()), (Some(1), Some(impressions), Some(1.0)), "{ope}");
}
