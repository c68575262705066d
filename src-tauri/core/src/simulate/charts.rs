//! Chart frames of a run, drawn in the core with plotters: SVG for live frames, PNG for export.
//! Every title starts with "Simulated …" and carries its Chinese "模拟…" twin; labels may be
//! Chinese (the bundled CJK font is registered as "sans-serif").
//!
//! Kinds ([`ChartKind`]), each for all segments or one ([`Scope`]):
//! * CTR per variant over impressions (posterior mean of Beta(1 + clicks, 1 + misses)) with its
//!   95 % credible band (logit-normal approximation to the Beta; see `math::beta_interval`);
//! * traffic share per variant (share of the impressions since the previous point);
//! * cumulative clicks of the learning policy vs the paired uniform split;
//! * cumulative expected regret of both.
//!
//! Points are the run's recorded history plus its current state.

use crate::error::keyed_text;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use super::history::Point;
use super::math;
use super::run::Run;
use super::SimulateError;
use crate::chart::{ChartError, PALETTE};
use crate::fonts;

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Ctr,
    TrafficShare,
    CumulativeClicks,
    Regret,
}

impl ChartKind {
    /// Every kind, in display order.
    pub const ALL: [ChartKind; 4] = [ChartKind::Ctr, ChartKind::TrafficShare, ChartKind::CumulativeClicks, ChartKind::Regret];
}

/// All segments, or one (by index into the scenario's segments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Overall,
    Segment(usize),
}

/// The size of live frames, pixels.
pub const FRAME_SIZE: (u32, u32) = (860, 420);

#[derive(Clone, Copy, PartialEq)]
enum YFormat {
    Percent,
    Count,
    Decimal,
}

struct Line {
    label: String,
    color: RGBColor,
    points: Vec<(f64, f64)>,
    /// (x, low, high), empty for no band.
    band: Vec<(f64, f64, f64)>,
}

struct ChartData {
    title: String,
    y_label: &'static str,
    y_format: YFormat,
    lines: Vec<Line>,
}

fn color(i: usize) -> RGBColor {
    let c = PALETTE[i % PALETTE.len()];
    if (i / PALETTE.len()) % 2 == 1 {
        RGBColor(c.0 / 2 + 100, c.1 / 2 + 100, c.2 / 2 + 100)
    } else {
        c
    }
}

fn data(run: &Run, kind: ChartKind, scope: Scope) -> Result<ChartData, SimulateError> {
    let sc = run.scenario();
    let k = sc.arms.len();
    let seg = match scope {
        Scope::Overall => None,
        Scope::Segment(s) if s < sc.segments.len() => Some(s),
        Scope::Segment(s) => {
            return Err(SimulateError::bad("scope", keyed_text!("simparam.no_segment"; "segment {segment} does not exist (the run has {count})", segment = s, count = sc.segments.len())))
        }
    };
    let mut points: Vec<&Point> = run.history().points.iter().collect();
    let now = run.current_point();
    if points.last().is_none_or(|p| p.impressions != now.impressions) {
        points.push(&now);
    }
    let cells: Vec<(f64, Vec<super::history::Cell>)> = points.iter().map(|p| (p.impressions as f64, p.arm_cells(k, seg))).collect();
    let scope_label = match seg {
        None => "all segments · 全部人群".to_string(),
        Some(s) => format!("{} · {}", sc.segments[s].name_en, sc.segments[s].name_zh),
    };
    // A segment's view shows only the arms it is served (its own variants and the control).
    let shown: Vec<usize> = match seg {
        Some(s) => sc.serving().swap_remove(s),
        None => (0..k).collect(),
    };
    let arm_line = |a: usize, points: Vec<(f64, f64)>, band: Vec<(f64, f64, f64)>| Line { label: sc.arms[a].label.chars().take(24).collect(), color: color(a), points, band };
    let (title, y_label, y_format, lines) = match kind {
        ChartKind::Ctr => {
            let z = math::normal_quantile(0.975);
            let lines = shown
                .iter()
                .map(|&a| {
                    let live: Vec<_> = cells.iter().filter(|(_, c)| c[a].impressions > 0).map(|(x, c)| (*x, c[a].clicks as f64 + 1.0, (c[a].impressions - c[a].clicks) as f64 + 1.0)).collect();
                    let band = live.iter().map(|&(x, al, be)| (x, math::beta_interval(al, be, z))).map(|(x, (l, h))| (x, l, h)).collect();
                    arm_line(a, live.iter().map(|&(x, al, be)| (x, al / (al + be))).collect(), band)
                })
                .collect();
            ("Simulated CTR per variant, 95% credible band · 模拟点击率（95%可信区间）", "CTR · 点击率", YFormat::Percent, lines)
        }
        ChartKind::TrafficShare => {
            let lines = shown
                .iter()
                .map(|&a| {
                    let pts = cells
                        .windows(2)
                        .filter_map(|w| {
                            let total: u64 = w[1].1.iter().map(|c| c.impressions).sum::<u64>() - w[0].1.iter().map(|c| c.impressions).sum::<u64>();
                            (total > 0).then(|| (w[1].0, (w[1].1[a].impressions - w[0].1[a].impressions) as f64 / total as f64))
                        })
                        .collect();
                    arm_line(a, pts, Vec::new())
                })
                .collect();
            ("Simulated traffic share per variant · 模拟流量占比", "share · 占比", YFormat::Percent, lines)
        }
        ChartKind::CumulativeClicks | ChartKind::Regret => {
            let totals: Vec<(f64, (u64, u64, f64, f64))> = points.iter().map(|p| (p.impressions as f64, p.totals(k, seg))).collect();
            let clicks = kind == ChartKind::CumulativeClicks;
            let pick = |t: &(u64, u64, f64, f64), policy: bool| match (clicks, policy) {
                (true, true) => t.0 as f64,
                (true, false) => t.1 as f64,
                (false, true) => t.2,
                (false, false) => t.3,
            };
            let policy = run.params().policy.name();
            let lines = vec![
                Line { label: format!("{policy} · 学习策略"), color: PALETTE[0], points: totals.iter().map(|(x, t)| (*x, pick(t, true))).collect(), band: Vec::new() },
                Line { label: "uniform split · 均分".into(), color: PALETTE[5], points: totals.iter().map(|(x, t)| (*x, pick(t, false))).collect(), band: Vec::new() },
            ];
            if clicks {
                ("Simulated cumulative clicks: policy vs uniform (same users) · 模拟累计点击：策略对比均分", "clicks · 点击", YFormat::Count, lines)
            } else {
                ("Simulated regret (expected clicks lost) · 模拟累计遗憾（损失的期望点击）", "regret · 遗憾", YFormat::Decimal, lines)
            }
        }
    };
    Ok(ChartData { title: format!("{title} — {scope_label}"), y_label, y_format, lines })
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, c: &ChartData) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let err = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (w, _) = root.dim_in_pixel();
    let (plot, legend) = root.split_horizontally(w.saturating_sub(200));
    let x_max = c.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)).fold(1.0, f64::max);
    let y_top = c.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max);
    let y_max = match c.y_format {
        YFormat::Percent => (y_top * 1.6).clamp(0.01, 1.0),
        _ => (y_top * 1.1).max(1.0),
    };
    let mut chart =
        ChartBuilder::on(&plot).caption(&c.title, ("sans-serif", 15)).margin(10).x_label_area_size(34).y_label_area_size(58).build_cartesian_2d(0.0..x_max, 0.0..y_max).map_err(|e| err(&e))?;
    let y_format = c.y_format;
    chart
        .configure_mesh()
        .x_desc("impressions (simulated) · 模拟曝光")
        .y_desc(c.y_label)
        .y_label_formatter(&|v| match y_format {
            YFormat::Percent => format!("{:.1}%", v * 100.0),
            YFormat::Count => format!("{v:.0}"),
            YFormat::Decimal => format!("{v:.1}"),
        })
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style(("sans-serif", 12))
        .light_line_style(RGBColor(236, 236, 240))
        .draw()
        .map_err(|e| err(&e))?;
    let clamp = |y: f64| y.clamp(0.0, y_max);
    for l in &c.lines {
        if l.band.len() > 1 {
            let mut poly: Vec<(f64, f64)> = l.band.iter().map(|&(x, _, h)| (x, clamp(h))).collect();
            poly.extend(l.band.iter().rev().map(|&(x, lo, _)| (x, clamp(lo))));
            chart.draw_series(std::iter::once(Polygon::new(poly, l.color.mix(0.12).filled()))).map_err(|e| err(&e))?;
        }
    }
    for l in &c.lines {
        chart.draw_series(LineSeries::new(l.points.iter().map(|&(x, y)| (x, clamp(y))), l.color.stroke_width(2))).map_err(|e| err(&e))?;
    }
    let row = (18i32).min(((legend.dim_in_pixel().1 as i32 - 20) / c.lines.len().max(1) as i32).max(10));
    for (i, l) in c.lines.iter().enumerate() {
        let y = 24 + i as i32 * row;
        legend.draw(&PathElement::new(vec![(4, y), (22, y)], l.color.stroke_width(3))).map_err(|e| err(&e))?;
        legend.draw(&Text::new(l.label.clone(), (28, y - 7), ("sans-serif", 12))).map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// An SVG frame of `kind` for `scope`, `size` pixels. Errors: `BadParam("scope")` for a
/// segment that does not exist, `Chart` for a drawing failure.
pub fn svg(run: &Run, kind: ChartKind, scope: Scope, size: (u32, u32)) -> Result<String, SimulateError> {
    let d = data(run, kind, scope)?;
    fonts::register_chart_fonts();
    let mut out = String::new();
    draw(SVGBackend::with_string(&mut out, size).into_drawing_area(), &d)?;
    Ok(out)
}

/// PNG bytes of the same chart (for export). Errors: as [`svg`].
pub fn png(run: &Run, kind: ChartKind, scope: Scope, size: (u32, u32)) -> Result<Vec<u8>, SimulateError> {
    let d = data(run, kind, scope)?;
    fonts::register_chart_fonts();
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut buf, size).into_drawing_area(), &d)?;
    let img = image::RgbImage::from_raw(size.0, size.1, buf).ok_or_else(|| ChartError::Draw("buffer size".into()))?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(png)
}
