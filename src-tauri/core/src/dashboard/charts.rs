//! The dashboard's charts, drawn in the core with plotters (SVG for the window, PNG for
//! export and the PDF report), labelled in one language ([`Lang`]: zh-CN or en; the CJK font is
//! registered as "sans-serif").
//!
//! Sizes are in pixels at 1× ([`size`]); the window shows the SVG at 1×, where no text is
//! smaller than [`MIN_TEXT_PX`]. PNG exports are drawn at [`EXPORT_SCALE`]× (print), the PDF
//! report draws them at its own scale: every length and font size is multiplied, nothing is
//! resampled.
//!
//! * [`ChartKind::Ctr`]: CTR per segment — per segment its top [`super::TOP_N`] variants (the
//!   dashboard's [`super::SegmentGroup`]s, "+ K more" naming the folded rest), one horizontal
//!   bar per variant: the simulated posterior mean with a whisker for its 95 % credible
//!   interval; a black dot marks the real CTR where a report was imported.
//! * [`ChartKind::Approval`]: one stacked bar of the variants per review state.
//! * [`ChartKind::Lift`]: the simulated lift of the personalised plan over the generic
//!   creative — a bar from 0 to the mean with its 95 % credible interval, the model's true lift
//!   as a marker, and P(lift > 0).
//! * [`ChartKind::Ope`]: off-policy estimates from logged traffic (see [`super::ope_chart`]).
//!
//! Every chart with simulated figures carries a filled "SIMULATED · 模拟" badge
//! ([`SIMULATED_TAG`]) in its top-right corner, whatever the language, and simulated titles say
//! "Simulated …"/"模拟…"; charts with real figures carry a "REAL · 实际" badge ([`REAL_TAG`]).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Dashboard;
use super::{ChartKind, DashboardError};
use crate::chart::{ChartError, PALETTE};
use crate::fonts;
use crate::text::Lang;

mod style;

pub(super) use style::{badges, caption, err, rel, t, truncate, Area};
pub use style::{bold_style, state_label, text_style, text_width, Px, EXPORT_SCALE, MIN_TEXT_PX, REAL_COLOR, REAL_TAG, SIMULATED_COLOR, SIMULATED_TAG, WIDTH};
use style::{state_color, truncate_width};

/// Height of one bar row of the CTR chart at 1×.
const ROW_PX: f64 = 24.0;

/// The segment's name in `lang`.
fn segment_name(g: &super::SegmentGroup, lang: Lang) -> &str {
    match lang {
        Lang::En => &g.segment_en,
        Lang::Zh => &g.segment_zh,
    }
}

/// Bar rows of the CTR chart: a header row per segment and its shown variants.
fn ctr_rows(d: &Dashboard) -> usize {
    d.segments.iter().map(|g| 1 + g.shown as usize).sum::<usize>().max(1)
}

/// The size of chart `kind` of `d` at 1×, pixels.
pub fn size(d: &Dashboard, kind: ChartKind) -> (u32, u32) {
    let h = match kind {
        ChartKind::Ctr => 180.0 + ROW_PX * ctr_rows(d) as f64,
        ChartKind::Approval => 250.0,
        ChartKind::Lift => 300.0,
        ChartKind::Ope => super::ope_chart::height(d),
    };
    (WIDTH, h.round() as u32)
}

fn ctr<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang, s: Px) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let simulated = d.has_simulated();
    let title = match (simulated, lang) {
        (true, Lang::En) => "Simulated CTR per segment: top variants",
        (true, Lang::Zh) => "模拟点击率：各人群表现最好的变体",
        (false, Lang::En) => "CTR per segment: top variants (no simulation run yet)",
        (false, Lang::Zh) => "点击率：各人群表现最好的变体（尚无模拟运行）",
    };
    let shown = || d.segments.iter().flat_map(|g| g.rows[..g.shown as usize].iter().map(|&i| &d.rows[i as usize]));
    let top = shown().flat_map(|r| [r.simulated.as_ref().map(|s| s.ctr_high), r.real.as_ref().and_then(|x| x.ctr)]).flatten().fold(0.0f64, f64::max);
    let x_max = (top * 1.15).clamp(0.01, 1.0);
    let n = ctr_rows(d) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption(s))
        .margin(s.u(12.0))
        .margin_top(s.u(40.0))
        .margin_right(s.u(40.0))
        .margin_bottom(s.u(40.0))
        .x_label_area_size(s.u(56.0))
        .y_label_area_size(s.u(300.0))
        .build_cartesian_2d(0.0..x_max, 0.0..n)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(t(lang, "click-through rate (CTR)", "点击率（CTR）"))
        .x_label_formatter(&|v| format!("{:.1}%", v * 100.0))
        .label_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .axis_desc_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .light_line_style(RGBColor(236, 236, 240))
        .draw()
        .map_err(err)?;
    let row_label = text_style(s, 13.0, Pos::new(HPos::Right, VPos::Center));
    let header = bold_style(s, 14.0, Pos::new(HPos::Left, VPos::Center));
    let mut slot = 0.0;
    for g in &d.segments {
        let y = n - slot - 0.5;
        let (_, py) = rel(root, chart.backend_coord(&(0.0, y)));
        let more = match (g.folded(), lang) {
            (0, _) => String::new(),
            (k, Lang::En) => format!("  (+ {k} more)"),
            (k, Lang::Zh) => format!("（另有 {k} 个）"),
        };
        root.draw(&Text::new(format!("{}{more}", truncate_width(segment_name(g, lang), 48)), (s.i(12.0), py), header.clone())).map_err(err)?;
        slot += 1.0;
        for (i, &idx) in g.rows[..g.shown as usize].iter().enumerate() {
            let r = &d.rows[idx as usize];
            let (y0, y1) = (n - slot - 0.82, n - slot - 0.18);
            let c = (y0 + y1) / 2.0;
            let color = PALETTE[i % PALETTE.len()];
            if let Some(x) = &r.simulated {
                chart.draw_series(std::iter::once(Rectangle::new([(0.0, y0), (x.ctr.min(x_max), y1)], color.mix(0.75).filled()))).map_err(err)?;
                let cap = 0.22;
                let (lo, hi) = (x.ctr_low.min(x_max), x.ctr_high.min(x_max));
                let whisker = [vec![(lo, c), (hi, c)], vec![(lo, c - cap), (lo, c + cap)], vec![(hi, c - cap), (hi, c + cap)]];
                chart.draw_series(whisker.into_iter().map(|p| PathElement::new(p, BLACK.stroke_width(s.u(1.0).max(1))))).map_err(err)?;
            }
            if let Some(ctr) = r.real.as_ref().and_then(|x| x.ctr) {
                chart.draw_series(std::iter::once(Circle::new((ctr.min(x_max), c), s.u(5.0), BLACK.filled()))).map_err(err)?;
            }
            let (px, py) = rel(root, chart.backend_coord(&(0.0, c)));
            root.draw(&Text::new(format!("#{} {}", r.variant_id, truncate_width(&r.headline, 34)), (px - s.i(8.0), py), row_label.clone())).map_err(err)?;
            slot += 1.0;
        }
    }
    let (_, h) = root.dim_in_pixel();
    let legend_y = h as i32 - s.i(20.0);
    let mut x = s.i(12.0);
    if simulated {
        root.draw(&Rectangle::new([(x, legend_y - s.i(6.0)), (x + s.i(16.0), legend_y + s.i(6.0))], PALETTE[0].mix(0.75).filled())).map_err(err)?;
        let label = t(lang, "simulated CTR (bar, whisker: 95% credible interval)", "模拟点击率（柱；误差线：95%可信区间）");
        root.draw(&Text::new(label, (x + s.i(22.0), legend_y), text_style(s, 13.0, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
        x += s.i(430.0);
    }
    root.draw(&Circle::new((x + s.i(8.0), legend_y), s.u(5.0), BLACK.filled())).map_err(err)?;
    root.draw(&Text::new(t(lang, "real CTR (imported reports)", "实际点击率（导入的报表）"), (x + s.i(22.0), legend_y), text_style(s, 13.0, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
    let mut tags = Vec::new();
    if d.has_real() {
        tags.push((REAL_TAG, REAL_COLOR));
    }
    if simulated {
        tags.push((SIMULATED_TAG, SIMULATED_COLOR));
    }
    badges(root, s, &tags)
}

fn approval<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang, s: Px) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let a = &d.approval;
    let title = match lang {
        Lang::En => format!("Approval progress: {} of {} variants approved", a.approved, a.total),
        Lang::Zh => format!("审批进度：{} 个变体中已批准 {} 个", a.total, a.approved),
    };
    let total = a.total.max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption(s))
        .margin(s.u(16.0))
        .margin_top(s.u(40.0))
        .x_label_area_size(s.u(52.0))
        .y_label_area_size(s.u(20.0))
        .build_cartesian_2d(0.0..total, 0.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(t(lang, "variants", "变体数"))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .axis_desc_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    let mut at = 0.0;
    let inside = bold_style(s, 18.0, Pos::new(HPos::Center, VPos::Center)).color(&WHITE);
    for (state, count) in a.by_state() {
        if count == 0 {
            continue;
        }
        let end = at + count as f64;
        chart.draw_series(std::iter::once(Rectangle::new([(at, 0.5), (end, 0.9)], state_color(state).filled()))).map_err(err)?;
        chart.draw_series(std::iter::once(Text::new(count.to_string(), ((at + end) / 2.0, 0.7), inside.clone()))).map_err(err)?;
        at = end;
    }
    for (i, (state, count)) in a.by_state().into_iter().enumerate() {
        let x = 0.01 * total + i as f64 * total / 4.0;
        chart.draw_series(std::iter::once(Rectangle::new([(x, 0.12), (x + total * 0.025, 0.3)], state_color(state).filled()))).map_err(err)?;
        let label = format!("{} · {count}", state_label(state, lang));
        chart.draw_series(std::iter::once(Text::new(label, (x + total * 0.035, 0.21), text_style(s, 15.0, Pos::new(HPos::Left, VPos::Center))))).map_err(err)?;
    }
    badges(root, s, &[(REAL_TAG, REAL_COLOR)])
}

fn lift<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, lang: Lang, s: Px) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let Some(l) = &d.lift else {
        let title = t(lang, "Simulated lift of the personalised plan: no simulation run yet", "模拟提升（个性化方案）：尚无模拟运行");
        root.draw(&Text::new(title, (s.i(20.0), s.i(60.0)), text_style(s, 16.0, Pos::new(HPos::Left, VPos::Center)))).map_err(err)?;
        return badges(root, s, &[(SIMULATED_TAG, SIMULATED_COLOR)]);
    };
    let x = &l.lift;
    let title = match lang {
        Lang::En => format!("Simulated lift: personalised plan vs generic creative #{}", x.generic),
        Lang::Zh => format!("模拟提升：个性化方案相对通用创意 #{}", x.generic),
    };
    let lo = x.low.min(x.true_lift).min(0.0);
    let hi = x.high.max(x.true_lift).max(0.0);
    let pad = ((hi - lo) * 0.15).max(0.01);
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption(s))
        .margin(s.u(16.0))
        .margin_top(s.u(40.0))
        .x_label_area_size(s.u(52.0))
        .y_label_area_size(s.u(20.0))
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(t(lang, "lift in clicks per impression (95% credible interval)", "每次曝光点击的提升（95%可信区间）"))
        .x_label_formatter(&|v| format!("{:+.0}%", v * 100.0))
        .label_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .axis_desc_style(text_style(s, 14.0, Pos::new(HPos::Center, VPos::Top)))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (0.0, 1.0)], BLACK.stroke_width(s.u(1.0).max(1))))).map_err(err)?;
    chart.draw_series(std::iter::once(Rectangle::new([(0.0, 0.5), (x.mean, 0.7)], PALETTE[0].mix(0.8).filled()))).map_err(err)?;
    let whisker = [vec![(x.low, 0.6), (x.high, 0.6)], vec![(x.low, 0.54), (x.low, 0.66)], vec![(x.high, 0.54), (x.high, 0.66)]];
    chart.draw_series(whisker.into_iter().map(|p| PathElement::new(p, BLACK.stroke_width(s.u(2.0))))).map_err(err)?;
    chart.draw_series(std::iter::once(TriangleMarker::new((x.true_lift, 0.3), s.u(8.0), PALETTE[1].filled()))).map_err(err)?;
    let label = |text: String, y: f64| Text::new(text, (lo - pad * 0.8, y), text_style(s, 15.0, Pos::new(HPos::Left, VPos::Center)));
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
    chart.draw_series([label(plan, 0.88), label(truth, 0.18), label(prob, 0.06)]).map_err(err)?;
    badges(root, s, &[(SIMULATED_TAG, SIMULATED_COLOR)])
}

/// Draw chart `kind` of `d` on `root` at scale `s` (`root` should be [`size`] × `s`).
/// Errors: `Draw` for a drawing failure.
pub fn draw<DB: DrawingBackend>(root: &Area<DB>, d: &Dashboard, kind: ChartKind, lang: Lang, s: Px) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    fonts::register_chart_fonts();
    root.fill(&WHITE).map_err(err)?;
    match kind {
        ChartKind::Ctr => ctr(root, d, lang, s),
        ChartKind::Approval => approval(root, d, lang, s),
        ChartKind::Lift => lift(root, d, lang, s),
        ChartKind::Ope => super::ope_chart::draw(root, d, lang, s),
    }
}

/// An SVG document of chart `kind`, labelled in `lang`, at 1× ([`size`] pixels).
/// Errors: `Chart` for a drawing failure.
pub fn svg(d: &Dashboard, kind: ChartKind, lang: Lang) -> Result<String, DashboardError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size(d, kind)).into_drawing_area();
        draw(&root, d, kind, lang, Px::svg(1.0))?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// PNG bytes of the same chart at `scale`× ([`EXPORT_SCALE`] for exports). Errors: as [`svg`].
pub fn png(d: &Dashboard, kind: ChartKind, lang: Lang, scale: f64) -> Result<Vec<u8>, DashboardError> {
    let (w, h) = size(d, kind);
    let (w, h) = ((w as f64 * scale).round() as u32, (h as f64 * scale).round() as u32);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw(&root, d, kind, lang, Px::bitmap(scale))?;
        root.present().map_err(err)?;
    }
    let img = image::RgbImage::from_raw(w, h, buf).ok_or_else(|| ChartError::Draw("buffer size".into()))?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(png)
}
