//! The compliance gate and its logged override, the audit log (one row per change,
//! append-only, CSV/JSON export).

use super::audit::{self, AuditAction, AuditEntity, AuditFilter, AuditRecord};
use super::tests::{state, team};
use super::workflow::{self, ApprovalParams, ReviewState};
use super::{approval, comments, content_hash, ReviewError};
use crate::campaign;
use crate::campaign::edit::VariantEdit;
use crate::{testkit, ErrorCode, HasCode};

#[test]
fn the_compliance_gate_blocks_approval_until_a_reviewer_overrides_with_a_logged_reason() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    p.conn().execute("UPDATE variants SET headline = '全网最低价 FREE' WHERE id = ?1", [id]).unwrap();
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    let rows_before = audit::for_variant(&p, id).unwrap().len();

    let e = workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    let m = e.to_string();
    assert!(matches!(e, ReviewError::NotCompliant { .. }) && m.contains("cn-ad-law-9-absolute") && m.contains("全网最低") && m.contains("override"), "{m}");
    for short in ["", "   ", "ok by me", "  too short  "] {
        let e = workflow::approve(&mut p, &t.reviewer, id, ApprovalParams { note: String::new(), override_reason: Some(short.into()) }).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{short:?}: {e}");
    }
    assert_eq!((state(&p, id), audit::for_variant(&p, id).unwrap().len()), (ReviewState::InReview, rows_before), "refusals change and log nothing");

    let reason = "Legal confirmed the price claim with the supplier";
    let v = workflow::approve(&mut p, &t.reviewer, id, ApprovalParams { note: "ok".into(), override_reason: Some(format!("  {reason} ")) }).unwrap();
    assert_eq!(v.review_state, ReviewState::Approved);
    let a = approval(&p, id).unwrap().unwrap();
    assert_eq!(a.override_reason.as_deref(), Some(reason));
    let log = audit::for_variant(&p, id).unwrap();
    let tail: Vec<&str> = log[rows_before..].iter().map(|r| r.action.as_str()).collect();
    assert_eq!(tail, ["override", "approve"]);
    let o = &log[rows_before];
    assert_eq!((o.actor.as_str(), o.role.as_str(), o.profile_id), ("Rui", "reviewer", Some(t.reviewer.profile_id())));
    assert!(o.detail.contains(reason) && o.detail.contains("cn-ad-law-9-absolute"), "{}", o.detail);

    // A compliant variant needs no reason, and a reason given anyway is not an override.
    let other = campaign::variants(&p, cid).unwrap()[1].id;
    workflow::submit(&mut p, &t.marketer, other).unwrap();
    workflow::approve(&mut p, &t.reviewer, other, ApprovalParams { note: String::new(), override_reason: Some("nothing to override here".into()) }).unwrap();
    assert_eq!(approval(&p, other).unwrap().unwrap().override_reason, None);
    assert!(audit::for_variant(&p, other).unwrap().iter().all(|r| r.action != "override"));
}

#[test]
fn every_change_appends_one_row_with_actor_role_and_hashes() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    let h0 = content_hash(&campaign::variant(&p, id).unwrap().unwrap());
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    comments::add(&mut p, &t.manager, id, "Ship it").unwrap();
    workflow::request_changes(&mut p, &t.reviewer, id, "Use the new CTA").unwrap();
    let e = workflow::edit_variant(&mut p, &t.admin, id, VariantEdit { cta: Some("Shop now".into()), ..Default::default() }).unwrap();
    let h1 = content_hash(&e);
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap();
    let log = audit::for_variant(&p, id).unwrap();
    let got: Vec<(&str, &str, &str)> = log.iter().map(|r| (r.action.as_str(), r.actor.as_str(), r.role.as_str())).collect();
    assert_eq!(
        got,
        [("submit", "Mia", "marketer"), ("comment", "Max", "manager"), ("request_changes", "Rui", "reviewer"), ("edit", "Ada", "admin"), ("submit", "Mia", "marketer"), ("approve", "Rui", "reviewer")]
    );
    let hashes: Vec<(Option<&str>, Option<&str>)> = log.iter().map(|r| (r.before_hash.as_deref(), r.after_hash.as_deref())).collect();
    let (h0, h1) = (Some(h0.as_str()), Some(h1.as_str()));
    assert_eq!(hashes, [(h0, h0), (h0, h0), (h0, h0), (h0, h1), (h1, h1), (h1, h1)]);
    assert!(log[0].detail == "draft → in_review" && log[3].detail.starts_with("changes_requested → draft; changed: cta"), "{log:?}");
    assert!(log.windows(2).all(|w| w[0].id < w[1].id && w[0].at <= w[1].at));
    // The filter narrows by actor and action; campaign creation is logged on the campaign.
    let by_rui = audit::all(&p, &AuditFilter { actor: Some("rui".into()), entity: Some(AuditEntity::Variant), ..Default::default() }).unwrap();
    assert_eq!(by_rui.len(), 2);
    let approvals = audit::all(&p, &AuditFilter { action: Some(AuditAction::Approve), ..Default::default() }).unwrap();
    assert_eq!(approvals.len(), 1);
    let window = |since: &str, until: &str| audit::all(&p, &AuditFilter { since: Some(since.into()), until: Some(until.into()), ..Default::default() }).unwrap().len();
    let total = audit::all(&p, &AuditFilter::default()).unwrap().len();
    assert_eq!((window("0000", "9999"), window(&log[0].at, &log[5].at) >= 6, window("9999", "9999")), (total, true, 0));
    assert!(audit::for_variant(&p, 999_999).unwrap().is_empty());
    let c = workflow::create_campaign(&mut p, &t.marketer, campaign::CampaignParams::single("Logged", crate::copy::Lang::Zh, 3), &mut crate::progress::ignore).unwrap();
    let created = audit::all(&p, &AuditFilter { entity: Some(AuditEntity::Campaign), entity_id: Some(c.id), ..Default::default() }).unwrap();
    assert_eq!((created.len(), created[0].action.as_str()), (1, "create_campaign"));
}

#[test]
fn the_store_refuses_to_update_or_delete_audit_rows_even_through_raw_sql() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    let before = audit::all(&p, &AuditFilter::default()).unwrap();
    assert!(before.len() >= 5, "profiles and the submit are logged");
    for sql in [
        "UPDATE audit_log SET actor = 'mallory'",
        "UPDATE audit_log SET detail = '' WHERE action = 'submit'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
        "INSERT OR REPLACE INTO audit_log(id, at, actor, role, action, entity, entity_id) SELECT id, at, 'mallory', role, action, entity, entity_id FROM audit_log",
    ] {
        let e = p.conn().execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(audit::all(&p, &AuditFilter::default()).unwrap(), before, "every row unchanged");
    // The pub writer for other modules (the export) appends like any other change.
    let rid = audit::record(
        p.conn(),
        &AuditRecord { actor: &t.marketer, action: AuditAction::Export, entity: AuditEntity::Campaign, entity_id: cid, before_hash: None, after_hash: None, detail: "3 files" },
    )
    .unwrap();
    let last = audit::all(&p, &AuditFilter::default()).unwrap().pop().unwrap();
    assert_eq!((last.id, last.action.as_str(), last.role.as_str()), (rid, "export", "marketer"));
}

#[test]
fn the_log_exports_as_csv_and_json() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    comments::add(&mut p, &t.marketer, id, "=HYPERLINK(\"http://x\"), \"quoted\"\nsecond line").unwrap();
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    let rows = audit::for_variant(&p, id).unwrap();
    let mut csv_out = Vec::new();
    audit::export_csv(&rows, &mut csv_out).unwrap();
    let mut r = csv::Reader::from_reader(csv_out.as_slice());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), audit::CSV_HEADER);
    let recs: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!((&recs[0][5], &recs[0][3], &recs[1][5]), ("comment", "marketer", "submit"));
    assert_eq!(&recs[0][10], "'=HYPERLINK(\"http://x\"), \"quoted\"\nsecond line", "formula made inert, text otherwise exact");
    assert_eq!(recs[1][8].len(), 64, "hashes are exported");
    let mut json_out = Vec::new();
    audit::export_json(&rows, &mut json_out).unwrap();
    let back: Vec<audit::AuditEntry> = serde_json::from_slice(&json_out).unwrap();
    assert_eq!(back, rows, "JSON keeps every field exactly");
}
