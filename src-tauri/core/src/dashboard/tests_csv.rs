//! CSV injection in the dashboard tables: hostile segment names, logs paths and policies stay
//! text (a leading `'`), negative figures stay numbers.

use super::data::OpeRow;
use super::tests::driven;
use super::*;

fn table(d: &Dashboard, kind: ChartKind) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    csv::write(d, kind, &mut out).unwrap();
    ::csv::Reader::from_reader(out.as_slice()).records().map(|x| x.unwrap().iter().map(String::from).collect()).collect()
}

#[test]
fn hostile_names_stay_text_and_negative_figures_stay_numbers() {
    let (p, cid, _) = driven();
    let mut d = build(&p, cid).unwrap();
    // Simulated rows carry the segment names the run was started with (its scenario), so the
    // hostile names go into the built dashboard directly.
    for r in &mut d.rows {
        (r.segment_en, r.segment_zh) = ("+1+1".into(), "@SUM(A1)".into());
    }
    let lift = &mut d.lift.as_mut().expect("a driven run has a lift").lift;
    (lift.mean, lift.low) = (-0.53, -1.25e-3);
    d.ope.push(OpeRow {
        id: 1,
        logs_path: "=cmd|' /C calc'!A0".into(),
        policy: "-2+3".into(),
        estimator: "ipw".into(),
        value: Some(-0.25),
        low: Some(-0.5),
        high: None,
        n: 10,
        created_at: "2026-11-11T08:00:00Z".into(),
    });
    let ctr = table(&d, ChartKind::Ctr);
    assert!(!ctr.is_empty());
    assert!(ctr.iter().all(|r| r[1] == "'+1+1" && r[2] == "'@SUM(A1)"), "{:?}", ctr[0]);
    let lift = table(&d, ChartKind::Lift);
    assert_eq!((lift[0][1].as_str(), lift[0][2].as_str()), ("-0.53", "-0.00125"), "negative numbers are not quoted");
    let ope = table(&d, ChartKind::Ope);
    let row = ope.last().unwrap();
    assert_eq!(&row[1..6], ["'=cmd|' /C calc'!A0", "'-2+3", "ipw", "-0.25", "-0.5"]);
}
