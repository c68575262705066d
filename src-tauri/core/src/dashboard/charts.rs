//! The dashboard's charts, drawn in the core with plotters (SVG for the window, PNG for
//! export), labelled in one language ([`Lang`]: zh-CN or en; the CJK font is registered as
//! "sans-serif").
//!
//! * [`ChartKind::Ctr`]: CTR by segment × variant — per segment a group of bars, one per
//!   variant written for it (all its variants when none was), the bar the simulated posterior
//!   mean with a whisker for its 95 % credible interval; a black dot marks the real CTR where a
//!   report was imported. Each bar is labelled `#<variant id>` (up to [`MAX_LABELLED_BARS`] bars).
//! * [`ChartKind::Approval`]: one stacked bar of the variants per review state.
//! * [`ChartKind::Lift`]: the simulated lift of the personalised plan over the generic
//!   creative — a bar from 0 to the mean with its 95 % credible interval, the model's true lift
//!   as a marker, and P(lift > 0).
//!
//! * [`ChartKind::Ope`]: off-policy estimates from logged traffic (see [`super::ope_chart`]).
//!
//! Every simulated figure is titled "Simulated …" (en) or "模拟…" (zh-CN) and carries a
//! "SIMULATED · 模拟" tag in its corner, whatever the language.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Dashboard;
use super::{ChartKind, DashboardError};
use crate::chart::{ChartError, PALETTE};
use crate::fonts;
use crate::review::ReviewState;
use crate::text::Lang;

/// Pixel size of every dashboard chart.
pub const SIZE: (u32, u32) = (960, 480);

/// Above this many bars the CTR chart leaves out the `#<variant id>` labels (the CSV has them).
pub const MAX_LABELLED_BARS: usize = 36;

/// The corner tag of every chart that shows simulated figures.
pub const SIMULATED_TAG: &str = "SIMULATED · 模拟";

pub(super) fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The label of a review state in `lang`.
pub fn state_label(state: ReviewState, lang: Lang) -> &'static str {
    match state {
        ReviewState::Draft => t(lang, "Draft", "草稿"),
        ReviewState::InReview => t(lang, "In review", "审核中"),
        ReviewState::ChangesRequested => t(lang, "Changes requested", "需修改"),
        ReviewState::Approved => t(lang, "Approved", "已批准"),
    }
}

fn state_color(state: ReviewState) -> RGBColor {
    match state {
        ReviewState::Draft => RGBColor(160, 164, 176),
        ReviewState::InReview => PALETTE[0],
        ReviewState::ChangesRequested => PALETTE[4],
        ReviewState::Approved => PALETTE[2],
    }
}

pub(super) type Area<'a, DB> = DrawingArea<DB, Shift>;

pub(super) fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

pub(super) fn text_style(size: u32, pos: Pos) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size).into_font()).pos(pos)
}

fn tag<DB: DrawingBackend>(root: &Area<DB>) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (w, _) = root.dim_in_pixel();
    let style = text_style(13, Pos::new(HPos::Right, VPos::Top)).color(&PALETTE[1]);
    root.draw(&Text::new(SIMULATED_TAG, (w as i32 - 8, 6), style)).map_err(err)
}

pub(super) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn ctr<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let mut groups: Vec<(String, Vec<&super::CellRow>)> = Vec::new();
    let mut seg_ids: Vec<i64> = d.rows.iter().map(|r| r.segment_id).collect();
    seg_ids.dedup();
    for sid in seg_ids {
        let all: Vec<_> = d.rows.iter().filter(|r| r.segment_id == sid).collect();
        let name = match lang {
            Lang::En => all[0].segment_en.clone(),
            Lang::Zh => all[0].segment_zh.clone(),
        };
        let targeted: Vec<_> = all.iter().copied().filter(|r| r.targeted).collect();
        groups.push((name, if targeted.is_empty() { all } else { targeted }));
    }
    let simulated = d.has_simulated();
    let title = match (simulated, lang) {
        (true, Lang::En) => "Simulated CTR by segment × variant (whiskers: 95% credible interval; ● real CTR)",
        (true, Lang::Zh) => "模拟点击率：人群 × 变体（误差线为95%可信区间；● 为实际点击率）",
        (false, Lang::En) => "CTR by segment × variant (● real CTR; no simulation run yet)",
        (false, Lang::Zh) => "点击率：人群 × 变体（● 为实际点击率；尚无模拟运行）",
    };
    let top = d.rows.iter().flat_map(|r| [r.simulated.as_ref().map(|s| s.ctr_high), r.real.as_ref().and_then(|x| x.ctr)]).flatten().fold(0.0f64, f64::max);
    let y_max = (top * 1.2).clamp(0.01, 1.0);
    let n = groups.len().max(1) as f64;
    let (w, _) = root.dim_in_pixel();
    let (plot, legend) = root.split_horizontally(w.saturating_sub(210));
    let mut chart =
        ChartBuilder::on(&plot).caption(title, ("sans-serif", 19)).margin(12).margin_top(28).x_label_area_size(44).y_label_area_size(60).build_cartesian_2d(0.0..n, 0.0..y_max).map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|_| String::new())
        .y_desc(t(lang, "CTR", "点击率"))
        .y_label_formatter(&|v| format!("{:.1}%", v * 100.0))
        .label_style(("sans-serif", 14))
        .light_line_style(RGBColor(236, 236, 240))
        .draw()
        .map_err(err)?;
    let small = text_style(13, Pos::new(HPos::Center, VPos::Bottom));
    // "#id" labels only while bars are wide enough to carry them.
    let labelled = groups.iter().map(|g| g.1.len()).sum::<usize>() <= MAX_LABELLED_BARS;
    for (g, (name, rows)) in groups.iter().enumerate() {
        let m = rows.len().max(1) as f64;
        for (i, r) in rows.iter().enumerate() {
            let x0 = g as f64 + 0.1 + 0.8 * i as f64 / m;
            let x1 = x0 + 0.8 / m * 0.85;
            let c = (x0 + x1) / 2.0;
            let color = PALETTE[i % PALETTE.len()];
            let mut label_y = 0.0;
            if let Some(s) = &r.simulated {
                chart.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, s.ctr.min(y_max))], color.mix(0.8).filled()))).map_err(err)?;
                let cap = (x1 - x0) * 0.25;
                let (lo, hi) = (s.ctr_low.min(y_max), s.ctr_high.min(y_max));
                let whisker = [vec![(c, lo), (c, hi)], vec![(c - cap, lo), (c + cap, lo)], vec![(c - cap, hi), (c + cap, hi)]];
                chart.draw_series(whisker.into_iter().map(|p| PathElement::new(p, BLACK.stroke_width(1)))).map_err(err)?;
                label_y = hi;
            }
            if let Some(ctr) = r.real.as_ref().and_then(|x| x.ctr) {
                let y = ctr.min(y_max);
                chart.draw_series(std::iter::once(Circle::new((c, y), 4, BLACK.filled()))).map_err(err)?;
                label_y = label_y.max(y);
            }
            if labelled {
                chart.draw_series(std::iter::once(Text::new(format!("#{}", r.variant_id), (c, label_y), small.clone()))).map_err(err)?;
            }
        }
        let (px, py) = chart.backend_coord(&(g as f64 + 0.5, 0.0));
        plot.draw(&Text::new(truncate(name, 18), (px, py + 8), text_style(14, Pos::new(HPos::Center, VPos::Top)))).map_err(err)?;
    }
    let entries: [(&str, ShapeStyle); 2] = [(t(lang, "simulated CTR (bar)", "模拟点击率（柱）"), PALETTE[0].mix(0.8).filled()), (t(lang, "real CTR (dot)", "实际点击率（点）"), BLACK.filled())];
    for (i, (label, style)) in entries.iter().enumerate() {
        let y = 48 + i as i32 * 22;
        if i == 0 {
            legend.draw(&Rectangle::new([(6, y - 6), (22, y + 6)], *style)).map_err(err)?;
        } else {
            legend.draw(&Circle::new((14, y), 4, *style)).map_err(err)?;
        }
        legend.draw(&Text::new(label.to_string(), (30, y), text_style(14, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
    }
    if let Some(run) = &d.run {
        let label = match lang {
            Lang::En => format!("run #{} · {} impressions", run.id, run.served),
            Lang::Zh => format!("模拟运行 #{} · {} 次曝光", run.id, run.served),
        };
        legend.draw(&Text::new(label, (6, 100), text_style(13, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
    }
    if simulated {
        tag(root)?;
    }
    Ok(())
}

fn approval<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let a = &d.approval;
    let title = match lang {
        Lang::En => format!("Approval progress: {} of {} variants approved", a.approved, a.total),
        Lang::Zh => format!("审批进度：{} 个变体中已批准 {} 个", a.total, a.approved),
    };
    let total = a.total.max(1) as f64;
    let mut chart =
        ChartBuilder::on(root).caption(title, ("sans-serif", 20)).margin(16).margin_top(28).x_label_area_size(40).y_label_area_size(20).build_cartesian_2d(0.0..total, 0.0..1.0).map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_label_formatter(&|_| String::new())
        .x_desc(t(lang, "variants", "变体数"))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    let mut at = 0.0;
    let inside = text_style(20, Pos::new(HPos::Center, VPos::Center)).color(&WHITE);
    for (state, count) in a.by_state() {
        if count == 0 {
            continue;
        }
        let end = at + count as f64;
        chart.draw_series(std::iter::once(Rectangle::new([(at, 0.45), (end, 0.8)], state_color(state).filled()))).map_err(err)?;
        chart.draw_series(std::iter::once(Text::new(count.to_string(), ((at + end) / 2.0, 0.625), inside.clone()))).map_err(err)?;
        at = end;
    }
    for (i, (state, count)) in a.by_state().into_iter().enumerate() {
        let x = 0.02 * total + i as f64 * total / 4.0;
        chart.draw_series(std::iter::once(Rectangle::new([(x, 0.18), (x + total * 0.025, 0.28)], state_color(state).filled()))).map_err(err)?;
        let label = format!("{} · {count}", state_label(state, lang));
        chart.draw_series(std::iter::once(Text::new(label, (x + total * 0.035, 0.23), text_style(16, Pos::new(HPos::Left, VPos::Center))))).map_err(err)?;
    }
    Ok(())
}

fn lift<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let Some(l) = &d.lift else {
        let title = t(lang, "Simulated lift of the personalised plan: no simulation run yet", "模拟提升（个性化方案）：尚无模拟运行");
        root.draw(&Text::new(title, (20, 40), text_style(16, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
        return tag(root);
    };
    let x = &l.lift;
    let title = match lang {
        Lang::En => format!("Simulated lift of the personalised plan over the generic creative #{} (95% credible interval)", x.generic),
        Lang::Zh => format!("模拟提升：个性化方案相对通用创意 #{}（95%可信区间）", x.generic),
    };
    let lo = x.low.min(x.true_lift).min(0.0);
    let hi = x.high.max(x.true_lift).max(0.0);
    let pad = ((hi - lo) * 0.15).max(0.01);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 19))
        .margin(16)
        .margin_top(28)
        .x_label_area_size(40)
        .y_label_area_size(20)
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_label_formatter(&|_| String::new())
        .x_desc(t(lang, "lift in clicks per impression", "每次曝光点击的提升"))
        .x_label_formatter(&|v| format!("{:+.0}%", v * 100.0))
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (0.0, 1.0)], BLACK.stroke_width(1)))).map_err(err)?;
    chart.draw_series(std::iter::once(Rectangle::new([(0.0, 0.58), (x.mean, 0.78)], PALETTE[0].mix(0.8).filled()))).map_err(err)?;
    let whisker = [vec![(x.low, 0.68), (x.high, 0.68)], vec![(x.low, 0.62), (x.low, 0.74)], vec![(x.high, 0.62), (x.high, 0.74)]];
    chart.draw_series(whisker.into_iter().map(|p| PathElement::new(p, BLACK.stroke_width(2)))).map_err(err)?;
    chart.draw_series(std::iter::once(TriangleMarker::new((x.true_lift, 0.35), 8, PALETTE[1].filled()))).map_err(err)?;
    let label = |s: String, y: f64| Text::new(s, (lo - pad * 0.8, y), text_style(16, Pos::new(HPos::Left, VPos::Center)));
    let (plan, truth, prob) = match lang {
        Lang::En => (
            format!("personalised plan: {:+.1}% [{:+.1}%, {:+.1}%]", x.mean * 100.0, x.low * 100.0, x.high * 100.0),
            format!("▲ model's true lift (simulated ground truth): {:+.1}%", x.true_lift * 100.0),
            format!("P(lift > 0) = {:.0}%", x.probability_positive * 100.0),
        ),
        Lang::Zh => (
            format!("个性化方案：{:+.1}% [{:+.1}%, {:+.1}%]", x.mean * 100.0, x.low * 100.0, x.high * 100.0),
            format!("▲ 模型真实提升（模拟真值）：{:+.1}%", x.true_lift * 100.0),
            format!("提升为正的概率 = {:.0}%", x.probability_positive * 100.0),
        ),
    };
    chart.draw_series([label(plan, 0.9), label(truth, 0.2), label(prob, 0.08)]).map_err(err)?;
    tag(root)
}

fn draw<DB: DrawingBackend>(root: Area<DB>, d: &Dashboard, kind: ChartKind, lang: Lang) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(err)?;
    match kind {
        ChartKind::Ctr => ctr(&root, d, lang)?,
        ChartKind::Approval => approval(&root, d, lang)?,
        ChartKind::Lift => lift(&root, d, lang)?,
        ChartKind::Ope => super::ope_chart::draw(&root, d, lang)?,
    }
    root.present().map_err(err)
}

/// An SVG document of chart `kind`, labelled in `lang` ([`SIZE`] pixels).
/// Errors: `Chart` for a drawing failure.
pub fn svg(d: &Dashboard, kind: ChartKind, lang: Lang) -> Result<String, DashboardError> {
    fonts::register_chart_fonts();
    let mut out = String::new();
    draw(SVGBackend::with_string(&mut out, SIZE).into_drawing_area(), d, kind, lang)?;
    Ok(out)
}

/// PNG bytes of the same chart. Errors: as [`svg`].
pub fn png(d: &Dashboard, kind: ChartKind, lang: Lang) -> Result<Vec<u8>, DashboardError> {
    fonts::register_chart_fonts();
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area(), d, kind, lang)?;
    let img = image::RgbImage::from_raw(SIZE.0, SIZE.1, buf).ok_or_else(|| ChartError::Draw("buffer size".into()))?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(png)
}
