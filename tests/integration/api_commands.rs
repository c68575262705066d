//! `studio-api`: the command table against the UI's list, the bridge's protocol, the bindings'
//! drift and the progress forwarder's throttle.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use studio_core::Project;
use tower::ServiceExt;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use studio_core::{Flow, Progress};

use studio_api::{bridge, call, AppState, Events, COMMANDS};

fn state() -> AppState {
    AppState::new(Project::open_in_memory().expect("in-memory project"))
}

/// Every command `CoreBackend` (ui/src/lib/backend/core.ts) calls exists here, and every command
/// here is called by the UI: the two lists cannot drift apart.
#[test]
fn the_ui_calls_exactly_the_commands_of_the_table() {
    let core_ts = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/lib/backend/core.ts")).expect("core.ts");
    let mut used: Vec<&str> = core_ts.split("this.call<").skip(1).filter_map(|rest| rest.split_once(">('").and_then(|(_, r)| r.split_once('\'')).map(|(name, _)| name)).collect();
    used.sort_unstable();
    used.dedup();
    let mut table: Vec<&str> = COMMANDS.to_vec();
    table.sort_unstable();
    assert_eq!(used, table, "ui/src/lib/backend/core.ts and src-tauri/api/src/dispatch.rs list different commands");
}

#[tokio::test]
async fn arguments_are_checked_by_name_and_type() {
    let s = state();
    let err = call(&s, "list_variants", json!({ "campaign": 1 }), Events::none()).await.unwrap_err();
    assert_eq!(err.code, studio_core::ErrorCode::InvalidInput);
    assert!(err.message.contains("unknown field `campaign`"), "{}", err.message);
    let err = call(&s, "list_variants", json!({}), Events::none()).await.unwrap_err();
    assert!(err.message.contains("missing field `campaignId`"), "{}", err.message);
    let err = call(&s, "reformat", Value::Null, Events::none()).await.unwrap_err();
    assert_eq!(err.code, studio_core::ErrorCode::NotFound);
    // Optional arguments may be left out; no arguments at all is `null`.
    assert_eq!(call(&s, "list_campaigns", Value::Null, Events::none()).await.unwrap(), json!([]));
    assert_eq!(call(&s, "list_products", json!({ "limit": 5, "offset": 0 }), Events::none()).await.unwrap(), json!([]));
}

#[tokio::test]
async fn a_refused_change_names_why_with_its_key() {
    let s = state();
    // In a project without profiles, nobody signed in creates the first one, an admin.
    let err = call(&s, "create_profile", json!({ "params": { "name": "ana", "role": "marketer" } }), Events::none()).await.unwrap_err();
    assert_eq!((err.code, err.key.as_deref()), (studio_core::ErrorCode::InvalidInput, Some("err.review.bootstrap_not_admin")));
    let admin = call(&s, "create_profile", json!({ "params": { "name": "ana", "role": "admin" } }), Events::none()).await.unwrap();
    assert_eq!(admin["role"], "admin");
    assert_eq!(call(&s, "current_profile", Value::Null, Events::none()).await.unwrap()["name"], "ana");
    call(&s, "sign_out", Value::Null, Events::none()).await.unwrap();
    let err = call(&s, "create_profile", json!({ "params": { "name": "bo", "role": "reviewer" } }), Events::none()).await.unwrap_err();
    assert_eq!(err.code, studio_core::ErrorCode::Forbidden);
    assert!(err.key.is_some(), "a refusal carries its message key: {err:?}");
}

/// The campaign form's live check answers every problem at once, keyed by field, with the
/// core's width; a layer position is judged by the rule saving applies.
#[tokio::test]
async fn the_form_checks_are_the_core_s_rules() {
    let s = state();
    let mut params = serde_json::to_value(studio_core::campaign::CampaignParams::new("", studio_core::copy::Lang::En, 1)).unwrap();
    params["landing_url"] = json!("shop.example.com");
    params["business_name"] = json!("一二三四五六七八九十一二三");
    params["variants_per_segment"] = json!(0);
    let check = call(&s, "check_campaign", json!({ "params": params }), Events::none()).await.unwrap();
    let fields: Vec<&str> = check["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap()).collect();
    // An empty project: no product matches either.
    assert_eq!(fields, ["name", "landing_url", "business_name", "variants_per_segment", "products"]);
    let url = &check["problems"][1]["error"];
    assert_eq!((url["code"].as_str(), url["params"]["reason_key"].as_str()), (Some("invalid_input"), Some("spec.url_scheme")));
    assert_eq!(check["business_width"], json!(26));

    let fits = call(&s, "check_layer_rect", json!({ "kind": "cta", "rect": [0.1, 0.1, 0.5, 0.2] }), Events::none()).await.unwrap();
    assert_eq!(fits, Value::Null);
    let off = call(&s, "check_layer_rect", json!({ "kind": "cta", "rect": [0.6, 0.0, 0.5, 0.2] }), Events::none()).await.unwrap();
    assert_eq!((off["code"].as_str(), off["key"].as_str(), off["params"]["layer"].as_str()), (Some("invalid_input"), Some("err.campaign.edit_rect_over_right"), Some("cta")));
    let flat = call(&s, "check_layer_rect", json!({ "kind": "logo", "rect": [0.1, 0.1, 0.5, 0.0] }), Events::none()).await.unwrap();
    assert_eq!(flat["key"], json!("err.campaign.edit_rect_size"));
}

async fn post(s: &AppState, uri: &str, content_type: Option<&str>, origin: Option<&str>, body: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::post(uri);
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    let resp = bridge::router(s.clone()).oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn the_bridge_streams_json_lines_and_refuses_foreign_pages() {
    let s = state();
    let (status, headers, body) = post(&s, "/api/list_campaigns", Some("application/json"), Some("http://localhost:1420"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/x-ndjson");
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:1420");
    assert_eq!(body, "{\"ok\":[]}\n");

    let (_, _, body) = post(&s, "/api/rejected_lines", Some("application/json"), None, r#"{"importId":1}"#).await;
    let line: Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(line["error"]["code"], "invalid_input");

    // A page elsewhere may not act in the project; a form post (no JSON) neither.
    let (status, headers, _) = post(&s, "/api/sign_out", Some("application/json"), Some("https://shop.example"), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let (status, _, _) = post(&s, "/api/sign_out", Some("text/plain"), None, "").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _, body) = post(&s, "/api/sign_out", Some("application/json"), None, "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("not JSON"), "{body}");
}

#[tokio::test]
async fn a_job_streams_its_progress_before_its_answer() {
    let s = state();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.csv");
    let mut csv = String::from("ts,uid,sku,action,amount\n");
    for i in 0..50 {
        csv.push_str(&format!("2025-03-01T10:{:02}:00Z,u{},p{},view,9.5\n", i % 60, i % 7, i % 5));
    }
    std::fs::write(&path, csv).unwrap();
    let args = json!({ "path": path, "jobId": "j", "mapping": "user=uid,item=sku,time=ts,event=action,price=amount", "currency": "CNY" });
    let (status, _, body) = post(&s, "/api/import_file", Some("application/json"), None, &args.to_string()).await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<Value> = body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (last, events) = lines.split_last().unwrap();
    assert!(!events.is_empty() && events.iter().all(|e| e["event"]["job"] == "j"), "{body}");
    assert_eq!(last["ok"]["rows_imported"], 50, "{body}");
}

/// Fails when the committed bindings differ from the Rust types. `UPDATE_BINDINGS=1` (`make
/// bindings`) rewrites them.
#[test]
fn bindings_are_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
    let want = studio_api::bindings::typescript_bindings();
    if std::env::var("UPDATE_BINDINGS").as_deref() == Ok("1") {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "ui/src/lib/bindings.ts is stale: run `make bindings`");
}

#[test]
fn forwarder_throttles_bursts_sends_the_final_report_and_cancels() {
    let sent = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&sent);
    let events = Events::new(move |_| {
        *counter.lock().unwrap() += 1;
        true
    });
    let flag = Arc::new(AtomicBool::new(false));
    let mut f = studio_api::state::forwarder("job-1".into(), Arc::clone(&flag), events);
    for i in 0..999 {
        assert_eq!(f(&Progress::new("parse", i, 1000, "")), Flow::Continue);
    }
    let burst = *sent.lock().unwrap();
    assert!((1..=2).contains(&burst), "a 1000-report burst within 100 ms sends 1–2 reports, sent {burst}");
    f(&Progress::new("parse", 1000, 1000, ""));
    assert_eq!(*sent.lock().unwrap(), burst + 1, "the final report always goes out");
    flag.store(true, Ordering::SeqCst);
    assert_eq!(f(&Progress::new("parse", 1000, 1000, "")), Flow::Cancel);
}
