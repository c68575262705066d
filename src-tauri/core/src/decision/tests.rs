use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::policy::{allocation, Allocator, Learnt};
use super::*;
use crate::campaign::{self, CampaignParams};
use crate::error::HasCode;
use crate::progress::ignore;
use crate::review::workflow;
use crate::segments::{self, KChoice, SegmentParams};
use crate::simulate::SimRng;
use crate::store::Project;
use crate::text::Lang;

/// Demo project, 4 segments, a zh-CN campaign with 3 variants per segment; the variants of
/// segment label 0 and 1 approved.
fn served_project() -> (Project, i64, Vec<i64>) {
    let mut p = crate::testkit::demo_store(11);
    let params = SegmentParams { k: KChoice::Fixed(4), seed: 5, ..Default::default() }.check().unwrap();
    segments::train(&mut p, &params, &mut ignore).unwrap();
    let c = campaign::create(&mut p, CampaignParams { variants_per_segment: 3, ..CampaignParams::single("Live test", Lang::Zh, 3) }, &mut ignore).unwrap();
    let approved: Vec<i64> = campaign::variants(&p, c.id).unwrap().into_iter().filter(|v| v.segment_label <= 1).map(|v| v.id).collect();
    for &id in &approved {
        crate::testkit::submit_and_approve(&mut p, id, "ok").unwrap();
    }
    (p, c.id, approved)
}

fn params(campaign_id: i64) -> ValidDecisionParams {
    DecisionParams { campaign_id, ..Default::default() }.check().unwrap()
}

fn rank_req(user: &str) -> RankRequest {
    RankRequest { user_id: user.into(), placement: "google-rda-landscape".into(), lang: "zh-CN".into(), recent_events: Vec::new(), event_id: None, deferred: false }
}

fn some_users(p: &Project, n: usize) -> Vec<String> {
    p.conn().prepare("SELECT DISTINCT user_id FROM user_segments ORDER BY user_id LIMIT ?1").unwrap().query_map([n as i64], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn propensities_sum_to_one_keep_the_floor_and_match_choice_frequencies() {
    let mut rng = SimRng::new(1, 0);
    let p = allocation(&[(40, 960), (10, 990), (0, 50), (80, 920)], 0.02, &mut rng);
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{p:?}");
    assert!(p.iter().all(|&x| x >= 0.02 - 1e-12), "floor: {p:?}");
    assert!(p[3] > 0.8, "the clearly best arm gets most traffic: {p:?}");
    // Choices drawn by the allocator follow the propensities it reports.
    let mut a = Allocator::new(0.05, Learnt::default(), 7);
    let ctx = (1, "en".to_string());
    let arms = [11, 12, 13];
    for _ in 0..200 {
        a.update(&ctx, 11, false);
    }
    for _ in 0..30 {
        a.reward(&ctx, 11);
    }
    for _ in 0..100 {
        a.update(&ctx, 12, false);
    }
    let n = 60_000;
    let mut seen = [0u32; 3];
    let mut reported = vec![0.0; 3];
    for _ in 0..n {
        let (i, p) = a.choose(&ctx, &arms);
        seen[i] += 1;
        reported = p;
    }
    for i in 0..3 {
        let f = seen[i] as f64 / n as f64;
        let se = (reported[i] * (1.0 - reported[i]) / n as f64).sqrt();
        assert!((f - reported[i]).abs() < 5.0 * se + 1e-9, "arm {i}: chosen {f:.4}, reported {:.4}", reported[i]);
    }
}

#[test]
fn serves_only_approved_variants_and_drops_an_edited_one_at_once() {
    let (p, cid, approved) = served_project();
    let users = some_users(&p, 40);
    let path = std::env::temp_dir().join(format!("studio-decision-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    p.conn().execute("VACUUM INTO ?1", [path.to_str().unwrap()]).unwrap();
    let mut d = Decider::new(Project::open(&path).unwrap(), params(cid), Learnt::default(), None).unwrap();
    for u in &users {
        let r = d.rank(&rank_req(u), false).unwrap();
        assert!(approved.contains(&r.variant_id), "served {} which is not approved", r.variant_id);
        assert!(r.creative.final_url.contains(&format!("utm_content={}", r.variant_key)), "{}", r.creative.final_url);
        assert!(r.probability > 0.0 && r.probability <= 1.0);
    }
    // A marketer edits one approved variant in another connection: its approval is stale.
    let edited = approved[0];
    let mut other = Project::open(&path).unwrap();
    let (marketer, _) = crate::testkit::review_team(&mut other);
    workflow::edit_variant(&mut other, &marketer, edited, crate::campaign::edit::VariantEdit { headline: Some("新的标题".into()), ..Default::default() }).unwrap();
    assert!(d.reload_if_changed().unwrap(), "the edit is noticed");
    assert!(d.arms().get(edited).is_none());
    for u in users.iter().cycle().take(400) {
        assert_ne!(d.rank(&rank_req(u), false).unwrap().variant_id, edited);
    }
    assert!(!d.reload_if_changed().unwrap(), "nothing changed since");
    drop(other);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn rewards_count_once_and_bad_calls_are_refused_by_field() {
    let (p, cid, _) = served_project();
    let user = some_users(&p, 1).remove(0);
    let mut d = Decider::new(p, params(cid), Learnt::default(), None).unwrap();
    let r = d.rank(&rank_req(&user), false).unwrap();
    d.reward(&r.event_id, 1.0).unwrap();
    let e = d.reward(&r.event_id, 1.0).unwrap_err();
    assert!(matches!(e, DecisionError::AlreadyRewarded(_)), "{e}");
    assert_eq!(d.stats()[&r.variant_id].rewards, 1, "never double-counted");
    assert!(matches!(d.reward("e1-1", 1.0).unwrap_err(), DecisionError::Expired { .. }), "an id of ours older than the window");
    assert!(matches!(d.reward("nope", 1.0).unwrap_err(), DecisionError::UnknownEvent(_)));
    assert_eq!(d.refusals(), Refusals { unknown_event: 1, duplicate_reward: 1, expired: 1 });
    for (req, field) in [
        (RankRequest { placement: "billboard".into(), ..rank_req(&user) }, "placement"),
        (RankRequest { lang: "fr".into(), ..rank_req(&user) }, "lang"),
        (RankRequest { user_id: String::new(), ..rank_req(&user) }, "user_id"),
        (RankRequest { event_id: Some("a b".into()), ..rank_req(&user) }, "event_id"),
        (RankRequest { recent_events: vec![RecentEvent { kind: "wishlist".into(), item_id: "x".into(), category: None, price: None, time: 1 }], ..rank_req(&user) }, "recent_events"),
    ] {
        let e = d.rank(&req, false).unwrap_err();
        assert!(matches!(&e, DecisionError::BadRequest { field: f, .. } if *f == field), "{field}: {e}");
        assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput);
    }
    // Deferred: no reward before activation; activation counts the impression.
    let r = d.rank(&RankRequest { deferred: true, event_id: Some("page-1".into()), ..rank_req(&user) }, false).unwrap();
    assert!(matches!(d.reward("page-1", 1.0).unwrap_err(), DecisionError::NotActivated(_)));
    let before = d.stats().get(&r.variant_id).map_or(0, |s| s.impressions);
    d.activate("page-1").unwrap();
    d.activate("page-1").unwrap();
    assert_eq!(d.stats()[&r.variant_id].impressions, before + 1);
    d.reward("page-1", 25.0).unwrap();
    assert!(matches!(d.rank(&RankRequest { event_id: Some("page-1".into()), ..rank_req(&user) }, false).unwrap_err(), DecisionError::DuplicateEvent(_)));
}

#[test]
fn the_log_joins_rewards_and_skips_a_torn_last_line_and_learning_resumes() {
    let (p, cid, _) = served_project();
    let users = some_users(&p, 30);
    let dir = std::env::temp_dir().join(format!("studio-decision-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut d = Decider::new(p, params(cid), Learnt::default(), Some(&dir)).unwrap();
    let mut rewarded = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let r = d.rank(&rank_req(u), false).unwrap();
        if i % 3 == 0 {
            d.reward(&r.event_id, 1.0).unwrap();
            rewarded.push(r.event_id);
        }
    }
    d.sync().unwrap();
    let learnt = d.learnt().clone();
    let file = log::files(&dir).unwrap().pop().unwrap();
    std::fs::OpenOptions::new().append(true).open(&file).unwrap().write_all(b"{\"_label_cost\":0,\"EventId\":\"torn").unwrap();
    let j = log::read_joined(&dir).unwrap();
    assert_eq!((j.lines.len(), j.torn, j.orphan_rewards), (30, 1, 0));
    for l in &j.lines {
        let id = l["EventId"].as_str().unwrap();
        let want = if rewarded.iter().any(|r| r == id) { -1.0 } else { 0.0 };
        assert_eq!(l["_label_cost"].as_f64().unwrap(), want, "{id}");
        let (a, p) = (l["a"].as_array().unwrap(), l["p"].as_array().unwrap());
        assert_eq!(a.len(), l["c"]["_multi"].as_array().unwrap().len());
        assert_eq!(l["_label_probability"], p[0]);
        assert_eq!(a[0].as_u64().unwrap(), l["_label_Action"].as_u64().unwrap());
        assert!((p.iter().map(|x| x.as_f64().unwrap()).sum::<f64>() - 1.0).abs() < 1e-9);
    }
    // A restart from the checkpointed counts continues where the first one stopped.
    let total: u64 = learnt.counts.values().flat_map(|m| m.values()).map(|c| c.clicks + c.misses).sum();
    assert_eq!(total, 30);
    let (p2, cid2, _) = served_project();
    let d2 = Decider::new(p2, params(cid2), learnt.clone(), Some(&dir)).unwrap();
    assert_eq!(d2.learnt(), &learnt);
    assert_eq!(log::files(&dir).unwrap().len(), 2, "a restart continues in a new file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replayed_shoppers_click_by_the_response_model_and_are_counted_apart_from_real_traffic() {
    let (p, cid, approved) = served_project();
    let user = some_users(&p, 1).remove(0);
    let mut shoppers = replay::Shoppers::new(&p, cid, 3).unwrap();
    let mut d = Decider::new(p, params(cid), Learnt::default(), None).unwrap();
    let mut clicks = 0;
    for _ in 0..400 {
        let (u, lang) = shoppers.visit();
        let req = RankRequest { user_id: u.to_string(), lang: lang.to_string(), placement: shoppers.placement.clone(), ..rank_req("x") };
        let r = d.rank(&req, true).unwrap();
        let p = shoppers.click_probability(r.segment.id, r.variant_id);
        assert!(p > 0.0 && p <= 0.3, "the model's CTR of segment {} × variant {}: {p}", r.segment.id, r.variant_id);
        if shoppers.clicks(r.segment.id, r.variant_id) {
            d.reward(&r.event_id, 1.0).unwrap();
            clicks += 1;
        }
    }
    assert!(clicks > 0, "some simulated shopper clicked");
    d.rank(&rank_req(&user), false).unwrap();
    let s = d.live_stats();
    assert_eq!((s.simulated.impressions, s.simulated.clicks), (400, clicks));
    assert_eq!((s.real.impressions, s.real.clicks), (1, 0), "replayed traffic is never real");
    assert_eq!(d.stats().values().map(|v| v.impressions).sum::<u64>(), 1, "the per-variant (metrics) counts are real only");
    assert_eq!(s.learnt_impressions, 1, "the real policy learnt from the real rank only (a replay learns in its own copy)");
    assert!(s.simulated.cells.iter().all(|c| approved.contains(&c.variant_id) && c.servable));
    let mut by_segment: BTreeMap<i64, f64> = Default::default();
    for c in &s.simulated.cells {
        *by_segment.entry(c.segment_id).or_default() += c.share.unwrap();
    }
    assert!(by_segment.values().all(|x| (x - 1.0).abs() < 1e-9), "shares add up to 1 within each segment: {by_segment:?}");
    assert_eq!(s.servable_variants as usize, approved.len());
}

#[test]
fn decision_lines_are_the_json_serde_would_write_with_every_string_escaped() {
    let interests = vec![api::Interest { category: "z \"quoted\" 类目".into(), probability: 0.25 }, api::Interest { category: "apparel".into(), probability: 1.0 }];
    let actions = [log::ActionFeatures { variant_id: 7, key: "k-7", angle: "a\\b" }, log::ActionFeatures { variant_id: 9, key: "k-9", angle: "interest\n" }];
    let p = [0.4, 0.6];
    let d = log::Decision {
        event_id: "e1-2",
        timestamp: "2026-12-03T12:00:00Z",
        segment_id: 3,
        interests: &interests,
        placement: "google-rda-landscape",
        lang: "zh-CN",
        actions: &actions,
        chosen: 1,
        p: &p,
        deferred: true,
        simulated: true,
    };
    let line = log::decision_line(&d, -2.5);
    let parsed: serde_json::Value = serde_json::from_str(&line).expect("a decision line is one JSON object");
    let c = serde_json::json!({
        "User": {"segment": "s3"},
        "Interests": {"z \"quoted\" 类目": 0.25, "apparel": 1.0},
        "Request": {"placement": "google-rda-landscape", "lang": "zh-CN"},
        "_multi": [{"Variant": {"id": "v7", "key": "k-7", "angle": "a\\b"}}, {"Variant": {"id": "v9", "key": "k-9", "angle": "interest\n"}}],
    });
    let expected = serde_json::json!({
        "_label_cost": -2.5, "_label_probability": 0.6, "_label_Action": 2, "_labelIndex": 1,
        "Timestamp": "2026-12-03T12:00:00Z", "Version": "1", "EventId": "e1-2",
        "a": [2, 1], "c": c, "p": [0.6, 0.4], "_skipLearn": true, "Simulated": true,
    });
    assert_eq!(parsed, expected);
    // The context is byte for byte serde_json's (sorted keys), and the labels come first.
    assert!(line.contains(&format!("\"c\":{c},")), "{line}");
    assert!(line.starts_with("{\"_label_cost\":-2.5,\"_label_probability\":0.6,\"_label_Action\":2,"), "{line}");
    let plain = log::Decision { deferred: false, simulated: false, ..d };
    let plain = log::decision_line(&plain, 0.0);
    assert!(!plain.contains("_skipLearn") && !plain.contains("Simulated") && plain.starts_with("{\"_label_cost\":0.0,"), "{plain}");
}

/// Who is served what: a shopper unknown to the store is placed by the request's recent events
/// alone (different shopping, different segments; the same events, the same segment), or, with
/// no events, in the stated cold-start segment (named in the request's language); a known
/// shopper's request events are folded into their history for that rank, not kept; a
/// cold-start segment that is not in the model is refused when the service starts.
#[test]
fn a_shopper_is_placed_by_their_history_their_recent_events_or_the_cold_start_segment() {
    let (p, cid, _) = served_project();
    let known = some_users(&p, 1).remove(0);
    let end: i64 = p.conn().query_row("SELECT max(ts) FROM events", [], |r| r.get(0)).unwrap();
    let by_category: Vec<(String, String)> =
        p.conn().prepare("SELECT category, min(id) FROM products GROUP BY category ORDER BY category").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let segments: Vec<(i64, String, String)> = p
        .conn()
        .prepare("SELECT id, name_en, name_zh FROM segments WHERE model_id = (SELECT max(id) FROM segment_models)")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let (cold, _, cold_zh) = segments.last().cloned().unwrap();

    let bad = DecisionParams { campaign_id: cid, cold_start_segment: Some(987_654), ..Default::default() }.check().unwrap();
    let e = Decider::new(p.copy_in_memory().unwrap(), bad, Learnt::default(), None).err().expect("an unknown cold-start segment is refused");
    assert!(matches!(&e, DecisionError::InvalidParams(m) if m.contains("cold_start_segment") && m.contains("987654")), "{e}");

    let with_cold = DecisionParams { campaign_id: cid, cold_start_segment: Some(cold), ..Default::default() }.check().unwrap();
    let mut d = Decider::new(p, with_cold, Learnt::default(), None).unwrap();
    let shopping = |item: &str, n: i64| -> Vec<RecentEvent> {
        (0..n).map(|i| RecentEvent { kind: if i % 3 == 2 { "purchase" } else { "view" }.into(), item_id: item.into(), category: None, price: None, time: end - 600 + i * 30 }).collect()
    };
    let mut n = 0;
    let mut newcomer = |d: &mut Decider, events: Vec<RecentEvent>| {
        n += 1;
        d.rank(&RankRequest { user_id: format!("newcomer-{n}"), recent_events: events, ..rank_req("x") }, false).unwrap().segment
    };

    // No history, no events: the stated cold-start segment, named in the request's language.
    let s = newcomer(&mut d, Vec::new());
    assert_eq!((s.id, s.name.as_str(), s.cold_start), (cold, cold_zh.as_str(), true));

    // Recent events alone place a newcomer: not the cold-start rule, and it follows what they did.
    let mut placed = BTreeMap::new();
    for (category, item) in &by_category {
        let s = newcomer(&mut d, shopping(item, 9));
        assert!(!s.cold_start, "{category}: a newcomer with events is placed by them");
        assert!(segments.iter().any(|(id, ..)| *id == s.id), "{category}: {} is a segment of the model", s.id);
        assert_eq!(newcomer(&mut d, shopping(item, 9)).id, s.id, "{category}: the same events, the same segment");
        placed.insert(category.clone(), s.id);
    }
    let distinct: BTreeSet<i64> = placed.values().copied().collect();
    assert!(distinct.len() >= 2, "shopping in different categories reaches different segments: {placed:?}");

    // A known shopper keeps their stored history: a request's events do not stay.
    let before = d.rank(&rank_req(&known), false).unwrap().segment;
    assert!(!before.cold_start, "a shopper with history is never cold");
    let (other_category, other_item) = by_category.iter().find(|(c, _)| placed[c] != before.id).cloned().unwrap();
    let during = d.rank(&RankRequest { recent_events: shopping(&other_item, 30), ..rank_req(&known) }, false).unwrap().segment;
    assert_ne!(during.id, before.id, "a request's {other_category} events are folded into the known shopper's history");
    let after = d.rank(&rank_req(&known), false).unwrap().segment;
    assert_eq!(after.id, before.id, "after that request, the stored history is unchanged");
}
