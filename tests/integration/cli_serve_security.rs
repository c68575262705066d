//! `studio serve` off loopback: the project's API key on rank, reward and activate; a rotated
//! key in force without a restart; CORS only for the shop's origin.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cli_serve::{users, Service};
use crate::support::{demo_at, Sandbox};

fn key_of(sb: &Sandbox, project: &str, flag: &str) -> String {
    let key = sb.run(&["serve", "--project", project, flag]).ok().stdout.trim().to_string();
    assert!(key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()), "{key:?}");
    key
}

/// Listening on every address, the service answers rank, reward and activate only with the
/// project's key (`X-Api-Key` or `Authorization: Bearer`), refuses the rest with a JSON 401 and
/// serves nothing for them; `--rotate-key` from another process makes the old key useless while
/// the service runs (it looks every 500 ms) and the new one work; a browser preflight is
/// answered for the `--cors` origin only.
#[test]
fn off_loopback_the_project_key_is_required_a_rotation_revokes_the_old_one_live_and_cors_admits_only_the_shop() {
    let sb = Sandbox::new();
    let project = sb.path("shop.sqlite");
    demo_at(&project, &sb.path("out"));
    let p = project.to_str().unwrap();
    let old = key_of(&sb, p, "--show-key");
    assert_eq!(key_of(&sb, p, "--show-key"), old, "showing the key keeps it");
    let log = sb.path("log");
    let svc = Service::start_with(&sb, &project, &log, 1, &["--bind", "0.0.0.0", "--cors", "https://shop.example"]);
    let user = users(&project).remove(0);
    let body = json!({"user_id": user, "placement": "google-rda-landscape", "lang": "zh-CN"}).to_string();
    let rank = |headers: &[(&str, &str)]| {
        let (status, _, b) = svc.request("POST", "/v1/rank", headers, Some(&body));
        (status, serde_json::from_str::<Value>(&b).unwrap_or_else(|e| panic!("{e}: {b:?}")))
    };
    let refused = |(status, e): (u16, Value)| {
        assert_eq!((status, e["code"].as_str()), (401, Some("forbidden")), "{e}");
        assert!(e["message"].as_str().unwrap().contains("X-Api-Key"), "{e}");
    };
    let mut served = 0;

    refused(rank(&[]));
    refused(rank(&[("X-Api-Key", "0123")]));
    refused(rank(&[("Authorization", &format!("Basic {old}"))]));
    let (status, r) = rank(&[("X-Api-Key", &old)]);
    assert_eq!(status, 200, "{r}");
    served += 1;
    let (status, second) = rank(&[("Authorization", &format!("Bearer {old}"))]);
    assert_eq!(status, 200, "{second}");
    served += 1;
    let reward = format!("/v1/events/{}/reward", r["event_id"].as_str().unwrap());
    let click = json!({"value": 1}).to_string();
    let (status, _, b) = svc.request("POST", &reward, &[], Some(&click));
    assert_eq!(status, 401, "{b}");
    let (status, _, b) = svc.request("POST", &format!("/v1/events/{}/activate", second["event_id"].as_str().unwrap()), &[], None);
    assert_eq!(status, 401, "{b}");
    let (status, _, b) = svc.request("POST", &reward, &[("X-Api-Key", &old)], Some(&click));
    assert_eq!(status, 200, "the refused call did not use the reward up: {b}");
    assert_eq!(svc.call("GET", "/healthz", None).0, 200, "liveness needs no key");

    // Rotated by another process while serving: the old key stops working within a second.
    let new = key_of(&sb, p, "--rotate-key");
    assert_ne!(new, old);
    let started = Instant::now();
    loop {
        let (status, r) = rank(&[("X-Api-Key", &old)]);
        if status == 401 {
            break;
        }
        assert_eq!(status, 200, "{r}");
        served += 1;
        assert!(started.elapsed() < Duration::from_secs(3), "the old key still works {:?} after the rotation", started.elapsed());
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, r) = rank(&[("X-Api-Key", &new)]);
    assert_eq!(status, 200, "{r}");
    served += 1;

    // CORS: the shop's origin may call from a browser, another origin may not.
    let preflight = |origin: &str| {
        let (status, head, _) =
            svc.request("OPTIONS", "/v1/rank", &[("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type,x-api-key")], None);
        (status, head)
    };
    let (status, head) = preflight("https://shop.example");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("access-control-allow-origin: https://shop.example"), "{head}");
    assert!(head.to_ascii_lowercase().contains("x-api-key"), "the key header is allowed: {head}");
    let (_, head) = preflight("https://evil.example");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let (status, head, _) = svc.request("POST", "/v1/rank", &[("Origin", "https://shop.example"), ("X-Api-Key", &new)], Some(&body));
    assert_eq!(status, 200);
    assert!(head.contains("access-control-allow-origin: https://shop.example"), "{head}");
    served += 1;

    // Nothing was served (nor logged) for a refused call.
    svc.terminate();
    let out = sb.run(&["logs", "--dir", log.to_str().unwrap(), "--joined", sb.path("joined.dsjson").to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(out["decisions"].as_u64(), Some(served), "{out}");
    assert_eq!(out["rewarded"].as_u64(), Some(1), "{out}");
}
