//! The Segments screen's insights: charts drawn with plotters from the newest stored model: sampled
//! silhouette against k (the chosen k marked), and a 2-D projection of users on the first two
//! principal components of their standardised features, coloured by segment.

use plotters::prelude::*;
use serde::Serialize;

use crate::chart::{ChartError, PALETTE};
use crate::fonts;
use crate::store::Project;
use crate::text::Lang;

/// About this many users are drawn (and projected) in the scatter.
pub const SCATTER_USERS: usize = 3000;

/// What the Segments screen shows beside the table: SVG charts (empty strings when no model
/// is stored) and the newest model's interest-prediction report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentInsights {
    pub silhouette_svg: String,
    pub projection_svg: String,
    /// Share of the feature variance the two plotted components explain.
    pub explained: f64,
    pub prediction: Option<crate::interest::PredictionReport>,
}

/// Errors reading the model or drawing.
#[derive(Debug, thiserror::Error)]
pub enum ChartsError {
    #[error("segment store error: {0}")]
    Store(#[from] rusqlite::Error),
    #[error(transparent)]
    Draw(#[from] ChartError),
}

/// Charts and prediction report of the newest segment model, labelled in `lang`.
pub fn insights(project: &Project, lang: Lang) -> Result<SegmentInsights, ChartsError> {
    let conn = project.conn();
    let model: Option<(i64, String)> = {
        use rusqlite::OptionalExtension;
        conn.query_row("SELECT id, silhouette FROM segment_models ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?
    };
    let Some((model_id, silhouette_json)) = model else {
        return Ok(SegmentInsights { silhouette_svg: String::new(), projection_svg: String::new(), explained: 0.0, prediction: None });
    };
    let tried: Vec<(u32, f64)> = serde_json::from_str(&silhouette_json).unwrap_or_default();
    let names: Vec<(i64, String)> = conn
        .prepare("SELECT id, CASE ?2 WHEN 'en' THEN name_en ELSE name_zh END FROM segments WHERE model_id = ?1 ORDER BY label")?
        .query_map(rusqlite::params![model_id, if lang == Lang::En { "en" } else { "zh" }], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    // Read only an even sample of the members (every `step`-th row of the model, in insertion
    // order, which is segment by segment): a million-user model stays a few thousand points.
    let members: i64 = conn.query_row("SELECT count(*) FROM user_segments WHERE model_id = ?1", [model_id], |r| r.get(0))?;
    let step = (members as usize).div_ceil(SCATTER_USERS).max(1) as i64;
    let mut rows: Vec<(usize, Vec<f64>)> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT us.segment_id, uf.features FROM user_segments us JOIN user_features uf ON uf.model_id = us.model_id AND uf.user_id = us.user_id
             WHERE us.model_id = ?1 AND us.rowid % ?2 = 0 ORDER BY us.rowid",
        )?;
        let mut q = stmt.query([model_id, step])?;
        while let Some(r) = q.next()? {
            let seg: i64 = r.get(0)?;
            let f: Vec<f64> = serde_json::from_str(&r.get::<_, String>(1)?).unwrap_or_default();
            if let Some(label) = names.iter().position(|n| n.0 == seg) {
                rows.push((label, f));
            }
        }
    }
    let (points, explained) = project_2d(&rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>());
    let labels: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let seg_names: Vec<String> = names.into_iter().map(|n| n.1).collect();
    let chosen = seg_names.len() as u32;
    Ok(SegmentInsights {
        silhouette_svg: silhouette_svg(&tried, chosen, lang)?,
        projection_svg: projection_svg(&points, &labels, &seg_names, lang)?,
        explained,
        prediction: crate::interest::report_for(project, model_id)?,
    })
}

/// Scores of `rows` on their first two principal components (power iteration with deflation on
/// the covariance matrix), and the share of total variance those two explain.
pub fn project_2d(rows: &[Vec<f64>]) -> (Vec<(f64, f64)>, f64) {
    let d = rows.iter().map(Vec::len).max().unwrap_or(0);
    let n = rows.len();
    if n < 2 || d == 0 {
        return (rows.iter().map(|_| (0.0, 0.0)).collect(), 0.0);
    }
    let mut mean = vec![0.0; d];
    rows.iter().for_each(|r| r.iter().enumerate().for_each(|(j, v)| mean[j] += v / n as f64));
    let mut cov = vec![0.0; d * d];
    for r in rows {
        for a in 0..d {
            let va = r.get(a).copied().unwrap_or(0.0) - mean[a];
            for b in 0..d {
                cov[a * d + b] += va * (r.get(b).copied().unwrap_or(0.0) - mean[b]) / (n - 1) as f64;
            }
        }
    }
    let total: f64 = (0..d).map(|i| cov[i * d + i]).sum();
    let mut comps: Vec<Vec<f64>> = Vec::new();
    let mut explained = 0.0;
    for c in 0..2 {
        // Deterministic start, orthogonal to earlier components.
        let mut v: Vec<f64> = (0..d).map(|i| 1.0 + (i + c) as f64 * 0.01).collect();
        let mut lambda = 0.0;
        for _ in 0..200 {
            let mut w: Vec<f64> = (0..d).map(|a| (0..d).map(|b| cov[a * d + b] * v[b]).sum()).collect();
            for p in &comps {
                let dot: f64 = w.iter().zip(p).map(|(x, y)| x * y).sum();
                w.iter_mut().zip(p).for_each(|(x, y)| *x -= dot * y);
            }
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm < 1e-12 {
                break;
            }
            lambda = norm;
            v = w.into_iter().map(|x| x / norm).collect();
        }
        explained += lambda;
        comps.push(v);
    }
    let points = rows
        .iter()
        .map(|r| {
            let s = |p: &Vec<f64>| (0..d).map(|j| (r.get(j).copied().unwrap_or(0.0) - mean[j]) * p[j]).sum::<f64>();
            (s(&comps[0]), s(&comps[1]))
        })
        .collect();
    (points, if total > 0.0 { (explained / total).min(1.0) } else { 0.0 })
}

fn err(e: &dyn std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Sampled silhouette per k tried, the chosen k drawn larger. Empty string for a fixed k.
pub fn silhouette_svg(tried: &[(u32, f64)], chosen: u32, lang: Lang) -> Result<String, ChartError> {
    if tried.is_empty() {
        return Ok(String::new());
    }
    fonts::register_chart_fonts();
    let (title, x, y) = match lang {
        Lang::Zh => ("轮廓系数与分群数 k", "分群数 k", "抽样轮廓系数"),
        Lang::En => ("Silhouette by number of segments", "k", "sampled silhouette"),
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (520, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (k_lo, k_hi) = (tried.iter().map(|t| t.0).min().unwrap_or(2), tried.iter().map(|t| t.0).max().unwrap_or(2));
        let y_hi = tried.iter().map(|t| t.1).fold(0.05, f64::max) * 1.2;
        let y_lo = tried.iter().map(|t| t.1).fold(0.0, f64::min);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(34)
            .y_label_area_size(48)
            .build_cartesian_2d((k_lo as f64 - 0.5)..(k_hi as f64 + 0.5), y_lo..y_hi)
            .map_err(|e| err(&e))?;
        chart.configure_mesh().x_desc(x).y_desc(y).x_labels(tried.len()).x_label_formatter(&|v| format!("{:.0}", v)).label_style(("sans-serif", 12)).draw().map_err(|e| err(&e))?;
        let pts: Vec<(f64, f64)> = tried.iter().map(|&(k, s)| (k as f64, s)).collect();
        chart.draw_series(LineSeries::new(pts.clone(), PALETTE[0].stroke_width(2))).map_err(|e| err(&e))?;
        chart
            .draw_series(pts.iter().zip(tried).map(|(&p, t)| Circle::new(p, if t.0 == chosen { 7 } else { 3 }, if t.0 == chosen { PALETTE[1].filled() } else { PALETTE[0].filled() })))
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(out)
}

/// Users on two principal components, one colour per segment, with a legend of segment names.
pub fn projection_svg(points: &[(f64, f64)], labels: &[usize], names: &[String], lang: Lang) -> Result<String, ChartError> {
    if points.is_empty() {
        return Ok(String::new());
    }
    fonts::register_chart_fonts();
    let (title, x, y) = match lang {
        Lang::Zh => ("用户分布（主成分投影）", "主成分 1", "主成分 2"),
        Lang::En => ("Users on two principal components", "PC 1", "PC 2"),
    };
    let range = |f: &dyn Fn(&(f64, f64)) -> f64| {
        let lo = points.iter().map(f).fold(f64::INFINITY, f64::min);
        let hi = points.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.05).max(1e-6);
        (lo - pad)..(hi + pad)
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (620, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(range(&|p| p.0), range(&|p| p.1))
            .map_err(|e| err(&e))?;
        chart.configure_mesh().x_desc(x).y_desc(y).label_style(("sans-serif", 11)).draw().map_err(|e| err(&e))?;
        for (s, name) in names.iter().enumerate() {
            let color = PALETTE[s % PALETTE.len()];
            chart
                .draw_series(points.iter().zip(labels).filter(|(_, &l)| l == s).map(|(&p, _)| Circle::new(p, 2, color.mix(0.7).filled())))
                .map_err(|e| err(&e))?
                .label(name.as_str())
                .legend(move |(x, y)| Circle::new((x + 6, y), 4, color.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 12))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_finds_the_direction_of_largest_variance() {
        // Points spread along (1, 1, 0) with a little noise on the other axes.
        let rows: Vec<Vec<f64>> = (0..50)
            .map(|i| {
                let t = i as f64 - 25.0;
                vec![t + 0.01 * (i % 3) as f64, t - 0.01 * (i % 5) as f64, 0.02 * (i % 7) as f64]
            })
            .collect();
        let (pts, explained) = project_2d(&rows);
        assert!(explained > 0.99, "{explained}");
        let spread = |f: fn(&(f64, f64)) -> f64| pts.iter().map(f).fold(f64::NEG_INFINITY, f64::max) - pts.iter().map(f).fold(f64::INFINITY, f64::min);
        assert!(spread(|p| p.0) > 50.0 * spread(|p| p.1), "PC1 carries the spread");
    }

    #[test]
    fn demo_charts_show_every_segment_and_every_k_tried() {
        let mut p = crate::testkit::demo_store(3);
        let params = crate::segments::SegmentParams { k: crate::segments::KChoice::Auto { min: 4, max: 7 }, ..Default::default() }.check().unwrap();
        let r = crate::segments::train(&mut p, &params, &mut crate::progress::ignore).unwrap();
        let c = insights(&p, Lang::Zh).unwrap();
        assert_eq!(c.prediction, r.prediction);
        assert!(c.silhouette_svg.contains("轮廓系数"));
        assert_eq!(c.silhouette_svg.matches("<circle").count(), 4, "one marker per k tried");
        for s in &r.segments {
            assert!(c.projection_svg.contains(&s.name_zh), "legend names {}", s.name_zh);
        }
        assert!(c.projection_svg.matches("<circle").count() >= crate::demo::USERS, "every user drawn (plus legend)");
        assert!(c.explained > 0.0 && c.explained <= 1.0);
        let empty = insights(&Project::open_in_memory().unwrap(), Lang::En).unwrap();
        assert!(empty.silhouette_svg.is_empty() && empty.projection_svg.is_empty());
    }

    #[test]
    fn a_large_model_is_drawn_from_an_even_sample_of_every_segment() {
        let mut p = crate::testkit::demo_store(3);
        let params = crate::segments::SegmentParams { k: crate::segments::KChoice::Fixed(5), ..Default::default() }.check().unwrap();
        let r = crate::segments::train(&mut p, &params, &mut crate::progress::ignore).unwrap();
        // Copy the model's members 3 times over (as if it had 8,000 users): the scatter samples.
        p.conn()
            .execute_batch(
                "INSERT INTO user_segments SELECT model_id, user_id || '#' || n, segment_id FROM user_segments, (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3);
                 INSERT INTO user_features SELECT model_id, user_id || '#' || n, features FROM user_features, (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3);",
            )
            .unwrap();
        let c = insights(&p, Lang::En).unwrap();
        let dots = c.projection_svg.matches("<circle").count() - r.segments.len(); // minus legend markers
        assert!((SCATTER_USERS / 2..=SCATTER_USERS).contains(&dots), "{dots} points drawn");
        for s in &r.segments {
            assert!(c.projection_svg.contains(&s.name_en.replace('&', "&amp;")), "{} in the legend", s.name_en);
        }
    }
}
