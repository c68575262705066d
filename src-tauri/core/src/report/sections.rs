//! The report's sections in order: title, 1 summary, 2 approval progress, 3 real vs simulated
//! CTR per segment, 4 lift, 5 off-policy estimates. Every figure is printed next to a
//! "Simulated"/"Real" chip or in a column headed by one.

use super::content::{Rate, Source};
use super::layout::{Cell, Flow, BODY_EM, INK_COLOR, MUTED_COLOR, SMALL_EM};
use super::strings as s;
use crate::dashboard::charts::state_label;
use crate::dashboard::ChartKind;
use crate::text::Lang;

/// A percentage with `d` decimals.
pub fn pct(x: f64, d: usize) -> String {
    format!("{:.*}%", d, x * 100.0)
}

/// A signed percentage with one decimal.
pub fn signed(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// An integer with thousands separators.
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "2.41% [2.10%, 2.75%]".
pub fn rate_text(r: &Rate) -> String {
    format!("{} [{}, {}]", pct(r.ctr, 2), pct(r.low, 2), pct(r.high, 2))
}

fn date(t: &str) -> &str {
    t.get(..10).unwrap_or(t)
}

fn summary(f: &mut Flow) {
    let c = f.c;
    let (lang, camp, d) = (c.lang, &c.campaign, &c.dashboard);
    f.heading(s::SUMMARY, 200.0);
    f.kv(s::CAMPAIGN, &format!("{} (#{})", camp.name, camp.id), None);
    f.kv(s::CREATED, &camp.created_at, None);
    let promo = c.promotion.as_ref().map_or_else(|| f.l(s::NO_PROMOTION).to_string(), |p| format!("{} – {}", p.starts, p.ends));
    f.kv(s::PROMOTION, &promo, None);
    let reports = match (d.reports.first(), d.reports.last()) {
        (Some(a), Some(b)) => match lang {
            Lang::En => format!("{} imported, {} – {}", d.reports.len(), date(&a.imported_at), date(&b.imported_at)),
            Lang::Zh => format!("已导入 {} 份，{} – {}", d.reports.len(), date(&a.imported_at), date(&b.imported_at)),
        },
        _ => f.l(s::NO_REPORTS).to_string(),
    };
    f.kv(s::REAL_DATES, &reports, (!d.reports.is_empty()).then_some(Source::Real));
    match &d.run {
        Some(r) => {
            let text = match lang {
                Lang::En => format!("#{} {} · {} · {} impressions · policy: {}", r.id, r.name, s::run_status(lang, r.status.as_str()), int(r.served), s::policy(lang, &r.policy)),
                Lang::Zh => format!("#{} {} · {} · {} 次曝光 · 策略：{}", r.id, r.name, s::run_status(lang, r.status.as_str()), int(r.served), s::policy(lang, &r.policy)),
            };
            f.kv(s::RUN, &text, Some(Source::Simulated));
        }
        None => f.kv(s::RUN, f.l(s::NO_RUN), None),
    }
    let languages: Vec<String> = camp.languages.iter().map(|l| s::language(lang, l)).collect();
    f.kv(s::LANGUAGES, &languages.join(if lang == Lang::Zh { "、" } else { ", " }), None);
    let names: Vec<&str> = c.segments.iter().map(|x| x.name(lang)).collect();
    let sep = if lang == Lang::Zh { "、" } else { "; " };
    f.kv(s::SEGMENTS, &format!("{}: {}", names.len(), names.join(sep)), None);
    let placements: Vec<String> =
        camp.placements.iter().map(|p| crate::placements::by_id(p).map_or_else(|| p.clone(), |x| if lang == Lang::Zh { x.name_zh.clone() } else { x.name.clone() })).collect();
    f.kv(s::PLACEMENTS, &placements.join("; "), None);
    f.kv(s::GOAL, &s::goal(lang, &camp.goal), None);
    f.kv(s::BUSINESS, &camp.business_name, None);
    f.kv(s::VARIANTS, &int(d.approval.total as u64), None);
}

fn approval(f: &mut Flow) {
    let a = f.c.dashboard.approval;
    f.heading(s::APPROVAL, 300.0);
    let total = a.total.max(1) as f64;
    let rows: Vec<Vec<Cell>> = a.by_state().iter().map(|(st, n)| vec![Cell(state_label(*st, f.c.lang).into(), false), Cell(int(*n as u64), false), Cell(pct(*n as f64 / total, 0), false)]).collect();
    let header = [(f.l(s::STATE), 0.4, None), (f.l(s::COUNT), 0.3, Some(Source::Real)), (f.l(s::SHARE), 0.3, Some(Source::Real))];
    f.table(&header, &rows);
    f.chart(ChartKind::Approval);
}

fn ctr(f: &mut Flow) {
    let c = f.c;
    f.heading(s::CTR, 260.0);
    let cell = |r: &Option<Rate>| (r.as_ref().map_or("—".into(), |r| int(r.impressions)), r.as_ref().map_or("—".into(), rate_text));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (i, x) in c.segments.iter().chain(std::iter::once(&c.total)).enumerate() {
        let bold = i == c.segments.len();
        let (si, sc) = cell(&x.simulated);
        let (ri, rc) = cell(&x.real);
        rows.push(vec![Cell(x.name(c.lang).into(), bold), Cell(si, bold), Cell(sc, bold), Cell(ri, bold), Cell(rc, bold)]);
    }
    let imp = f.l(s::IMPRESSIONS);
    let ci = f.l(s::CTR_INTERVAL);
    let header = [(f.l(s::SEGMENT), 0.28, None), (imp, 0.12, Some(Source::Simulated)), (ci, 0.24, Some(Source::Simulated)), (imp, 0.12, Some(Source::Real)), (ci, 0.24, Some(Source::Real))];
    f.table(&header, &rows);
    f.para(f.l(s::CTR_NOTE), SMALL_EM, MUTED_COLOR, None);
    f.gap(10.0);
    f.chart(ChartKind::Ctr);
}

fn lift(f: &mut Flow) {
    let c = f.c;
    f.heading(s::LIFT, 200.0);
    let Some(l) = &c.dashboard.lift else {
        f.para(f.l(s::LIFT_NONE), BODY_EM, INK_COLOR, Some(Source::Simulated));
        return;
    };
    let x = &l.lift;
    let line = format!("{} #{}: {} [{}, {}]", f.l(s::LIFT_LINE), x.generic, signed(x.mean), signed(x.low), signed(x.high));
    f.para(&line, BODY_EM, INK_COLOR, Some(Source::Simulated));
    f.para(&format!("{} = {}", f.l(s::LIFT_P), pct(x.probability_positive, 0)), BODY_EM, INK_COLOR, Some(Source::Simulated));
    f.para(&format!("{}: {}", f.l(s::LIFT_TRUE), signed(x.true_lift)), BODY_EM, INK_COLOR, Some(Source::Simulated));
    f.gap(8.0);
    f.chart(ChartKind::Lift);
}

fn ope(f: &mut Flow) {
    let c = f.c;
    f.heading(s::OPE, 120.0);
    let rows = crate::dashboard::ope_newest(&c.dashboard.ope);
    if rows.is_empty() {
        f.para(f.l(s::OPE_NONE), BODY_EM, INK_COLOR, None);
        return;
    }
    let undefined = f.l(s::UNDEFINED);
    let table: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let value = match (r.value, r.low, r.high) {
                (Some(v), Some(lo), Some(hi)) => format!("{} [{}, {}]", pct(v, 3), pct(lo, 3), pct(hi, 3)),
                (Some(v), _, _) => pct(v, 3),
                _ => undefined.to_string(),
            };
            let logs = r.logs_path.rsplit(['/', '\\']).next().unwrap_or(&r.logs_path).to_string();
            vec![Cell(r.policy.clone(), false), Cell(r.estimator.to_uppercase(), false), Cell(value, false), Cell(format!("n = {}", int(r.n)), false), Cell(logs, false)]
        })
        .collect();
    let header = [(f.l(s::POLICY), 0.18, None), (f.l(s::ESTIMATOR), 0.14, None), (f.l(s::ESTIMATE), 0.32, Some(Source::Real)), ("n", 0.14, None), (f.l(s::LOGS), 0.22, None)];
    f.table(&header, &table);
    f.chart(ChartKind::Ope);
}

/// Write every section of the report into `f`.
pub(super) fn write(f: &mut Flow) {
    let c = f.c;
    let title = format!("{}: {}", f.l(s::TITLE), c.dashboard.campaign_name);
    f.title(&title);
    f.para(&format!("{} {} · {} {}", f.l(s::GENERATED), c.generated_at, f.l(s::VERSION), c.version), SMALL_EM, MUTED_COLOR, None);
    f.gap(6.0);
    f.para(f.l(s::LEGEND), SMALL_EM, MUTED_COLOR, None);
    summary(f);
    approval(f);
    ctr(f);
    lift(f);
    ope(f);
}
