//! The off-policy chart ([`super::ChartKind::Ope`]): what the stored evaluations estimate a
//! policy would have earned on logged traffic. For each logs file and policy, the newest
//! estimate of each estimator (IPW, SNIPW, DR) is a dot with its 95 % bootstrap interval, in
//! clicks per impression; the newest evaluations come first, at most [`MAX_ROWS`] rows.
//! The figures are estimated from real logs, not simulated: the chart carries the real badge.
//! With nothing stored it says so in a sentence.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::charts::{badges, caption, err, rel, t, text_style, truncate, Area, Px, REAL_COLOR, REAL_TAG};
use super::data::{Dashboard, OpeRow};
use crate::chart::{ChartError, PALETTE};
use crate::text::Lang;

/// Rows (estimates) drawn at most; older evaluations are left to the CSV.
pub const MAX_ROWS: usize = 12;

/// The newest stored estimate per (logs file, policy, estimator), newest evaluation first,
/// estimators of one evaluation together, at most [`MAX_ROWS`].
pub fn newest(ope: &[OpeRow]) -> Vec<&OpeRow> {
    let mut picked: Vec<&OpeRow> = Vec::new();
    for row in ope.iter().rev() {
        let same = |o: &&OpeRow| o.logs_path == row.logs_path && o.policy == row.policy && o.estimator == row.estimator;
        if !picked.iter().any(same) {
            picked.push(row);
        }
    }
    // Group by evaluation (logs, policy) in order of its newest row, estimators in a fixed order.
    let mut groups: Vec<(&str, &str)> = Vec::new();
    for r in &picked {
        if !groups.contains(&(r.logs_path.as_str(), r.policy.as_str())) {
            groups.push((&r.logs_path, &r.policy));
        }
    }
    let rank = |e: &str| ["ipw", "snipw", "dr"].iter().position(|x| *x == e).unwrap_or(3);
    let mut out: Vec<&OpeRow> = Vec::new();
    for (logs, policy) in groups {
        let mut g: Vec<&OpeRow> = picked.iter().copied().filter(|r| r.logs_path == logs && r.policy == policy).collect();
        g.sort_by_key(|r| (rank(&r.estimator), r.estimator.clone()));
        out.extend(g);
    }
    out.truncate(MAX_ROWS);
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The chart's height at 1×: a sentence when nothing is stored, else a row per estimate.
pub(super) fn height(d: &Dashboard) -> f64 {
    match newest(&d.ope).len() {
        0 => 140.0,
        n => 150.0 + 30.0 * n as f64,
    }
}

pub(super) fn draw<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang, s: Px) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let rows = newest(&d.ope);
    if rows.is_empty() {
        root.draw(&Text::new(t(lang, "Off-policy estimates", "离线策略评估"), (s.i(20.0), s.i(30.0)), caption(s).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
        let sentence = t(
            lang,
            "No off-policy estimates are stored for this campaign yet: none of its policies has been evaluated on logged traffic.",
            "此活动尚未保存离线策略评估结果：还没有用日志流量评估过它的策略。",
        );
        return root.draw(&Text::new(sentence, (s.i(20.0), s.i(80.0)), text_style(s, 15.0, Pos::new(HPos::Left, VPos::Center)))).map_err(err);
    }
    let title = t(lang, "Off-policy estimates from logged traffic (95% bootstrap interval)", "离线策略评估：基于日志流量的估计（95%自助法区间）");
    let figures = rows.iter().flat_map(|r| [r.value, r.low, r.high]).flatten().filter(|v| v.is_finite());
    let (lo, hi) = figures.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo.min(0.0), hi) } else { (0.0, 0.01) };
    let pad = ((hi - lo) * 0.2).max(1e-4);
    let n = rows.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption(s))
        .margin(s.u(16.0))
        .margin_top(s.u(40.0))
        .x_label_area_size(s.u(56.0))
        .y_label_area_size(s.u(330.0))
        .build_cartesian_2d(lo..(hi + pad), 0.0..n)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .max_light_lines(1)
        .x_desc(t(lang, "clicks per impression of the evaluated policy", "被评估策略的每次曝光点击数"))
        .x_label_formatter(&|v| format!("{:.2}%", v * 100.0))
        .label_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .axis_desc_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .light_line_style(RGBColor(236, 236, 240))
        .draw()
        .map_err(err)?;
    let mut group = 0;
    for (i, r) in rows.iter().enumerate() {
        if i > 0 && (rows[i - 1].logs_path != r.logs_path || rows[i - 1].policy != r.policy) {
            group += 1;
        }
        let color = PALETTE[group % PALETTE.len()];
        let y = n - i as f64 - 0.5;
        if let (Some(l), Some(h)) = (r.low, r.high) {
            let whisker = [vec![(l, y), (h, y)], vec![(l, y - 0.2), (l, y + 0.2)], vec![(h, y - 0.2), (h, y + 0.2)]];
            chart.draw_series(whisker.into_iter().map(|p| PathElement::new(p, color.stroke_width(s.u(2.0))))).map_err(err)?;
        }
        let value = match r.value {
            Some(v) => {
                chart.draw_series(std::iter::once(Circle::new((v, y), s.u(5.0), color.filled()))).map_err(err)?;
                format!("{:.3}%", v * 100.0)
            }
            None => t(lang, "undefined", "无定义").to_string(),
        };
        let label = format!("{} · {} · {} · n={}", truncate(&r.policy, 16), r.estimator.to_uppercase(), truncate(file_name(&r.logs_path), 22), r.n);
        let (px, py) = rel(root, chart.backend_coord(&(lo, y)));
        root.draw(&Text::new(label, (px - s.i(10.0), py), text_style(s, 13.0, Pos::new(HPos::Right, VPos::Center)))).map_err(err)?;
        let at = r.high.or(r.value).unwrap_or(lo);
        let (vx, vy) = rel(root, chart.backend_coord(&(at, y)));
        root.draw(&Text::new(value, (vx + s.i(8.0), vy), text_style(s, 13.0, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
    }
    badges(root, s, &[(REAL_TAG, REAL_COLOR)])
}
