//! The Spark SQL script, generated from a stored segment model's feature spec.
//!
//! Input: a table or view `events(user_id, item_id, category, brand, price, kind, ts[, session])`
//! (see [`super::INPUT_COLUMNS`]). The script creates temporary views, each over the one before:
//! - `studio_events`: the input normalised as the studio stores it (price in cents, unknown
//!   kinds as `other`, empty brand/session for NULL) with each category's stored mean log price;
//! - `studio_user_aggregates`: one row per user — counts, sums, last time, sessions, time-of-day
//!   counts and decayed activity per affinity category;
//! - `studio_features_raw`: `user_id` and one column per spec column, named as `studio features
//!   --raw` names them; each is ONE expression chosen by the column's kind ([`raw_expr`]), so a
//!   column added to the spec is a column of the SQL (an unknown one is refused by name);
//! - `studio_features`: standardised with the model's stored (mean, sd) per column;
//! - `studio_scores`: nearest stored centroid (the first on a tie) and the top three interests
//!   (σ of the stored logistic coefficients; ties by category name), as
//!   [`crate::segments::realtime::Assigner::assign_row`] does;
//! - `studio_output`: the features file `studio import --features` reads.
//!
//! Numbers are written as Spark double literals in Rust's shortest round-trip form, so the
//! script carries the model's parameters exactly.

use std::fmt::Write as _;

use super::{SparkError, SparkModel};
use crate::features::{user, AFFINITY_PREFIX};

/// A Spark SQL string literal of `s` (backslash escapes, as Spark's parser reads them).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A Spark SQL identifier (backquoted, backquotes doubled).
pub fn ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// A Spark double literal carrying `v` exactly (parenthesised when negative).
pub fn num(v: f64) -> Result<String, SparkError> {
    if !v.is_finite() {
        return Err(SparkError::BadModel(format!("a stored parameter is not a finite number: {v}")));
    }
    let s = format!("{v:?}D");
    Ok(if v.is_sign_negative() { format!("({s})") } else { s })
}

/// The SQL of one raw feature column over `a` (aggregates), `b` (top brand count) and `t`
/// (`end_ts`): one expression per feature kind. `None` for a column this generator does not
/// know (the caller refuses it by name).
pub fn raw_expr(column: &str, categories: &[String]) -> Option<String> {
    let ratio = |x: &str, y: &str| format!("COALESCE({x} / NULLIF({y}, 0D), 0D)");
    if let Some(cat) = column.strip_prefix(AFFINITY_PREFIX) {
        let i = categories.iter().position(|c| c == cat)?;
        let total = if categories.is_empty() { "0D".to_string() } else { (0..categories.len()).map(|j| format!("a.aff_{j}")).collect::<Vec<_>>().join(" + ") };
        // Affinity weighs double, as in `user::raw_row`.
        return Some(format!("{} * 2.0D", ratio(&format!("a.aff_{i}"), &format!("({total})"))));
    }
    Some(match column {
        "log_views" => "LOG1P(a.views)".into(),
        "log_carts" => "LOG1P(a.carts)".into(),
        "log_purchases" => "LOG1P(a.purchases)".into(),
        "cart_per_view" => "a.carts / GREATEST(a.views, 1D)".into(),
        "purchase_per_view" => "a.purchases / GREATEST(a.views, 1D)".into(),
        "price_index" => "CASE WHEN a.views > 0D THEN a.view_rel_sum / a.views WHEN a.other_priced > 0D THEN a.other_rel_sum / a.other_priced ELSE 0D END".into(),
        "recency_days" => "CAST(t.end_ts - a.last_ts AS DOUBLE) / 86400D".into(),
        "log_sessions" => "LOG1P(GREATEST(a.sessions, 1D))".into(),
        "log_spend" => "LOG1P(a.spend_cents / 100D)".into(),
        "brand_loyalty" => ratio("COALESCE(b.top_brand, 0D)", "a.events"),
        "share_night" => ratio("a.night", "a.events"),
        "share_morning" => ratio("a.morning", "a.events"),
        "share_afternoon" => ratio("a.afternoon", "a.events"),
        "share_evening" => ratio("a.evening", "a.events"),
        "share_weekend" => ratio("a.weekend", "a.events"),
        _ => return None,
    })
}

/// The whole script for `m`. Statements end with `;` at the end of a line (no string literal
/// holds a line break), so a driver can split on `;\n`.
///
/// Errors: a spec column without an expression ([`SparkError::UnknownFeature`]), a spec version
/// this generator does not write, a non-finite stored parameter.
pub fn script(m: &SparkModel) -> Result<String, SparkError> {
    let f = &m.featurizer;
    if f.spec.version != crate::features::SPEC_VERSION {
        return Err(SparkError::SpecVersion { found: f.spec.version, expected: crate::features::SPEC_VERSION });
    }
    let cats = &f.spec.categories;
    let exprs: Vec<(String, String)> = f.spec.columns.iter().map(|c| raw_expr(c, cats).map(|e| (c.clone(), e)).ok_or_else(|| SparkError::UnknownFeature(c.clone()))).collect::<Result<_, _>>()?;
    if f.scale.len() != exprs.len() {
        return Err(SparkError::BadModel(format!("the model stores {} scale pairs for {} columns", f.scale.len(), exprs.len())));
    }
    let mut s = String::new();
    let _ = writeln!(s, "-- Generated by `studio features --emit spark-sql` from segment model {} (feature spec v{}).", m.model_id, f.spec.version);
    let _ = writeln!(s, "-- Input: a table or view `events` ({}). Do not edit: regenerate.", super::INPUT_COLUMNS.iter().map(|(c, t, _)| format!("{c} {t}")).collect::<Vec<_>>().join(", "));
    s.push('\n');

    // The stored price level of every category seen in training (unknown categories: 0).
    let _ = writeln!(s, "CREATE OR REPLACE TEMP VIEW studio_price_levels AS");
    let mut levels: Vec<(&String, &f64)> = f.mean_log_price.iter().collect();
    levels.sort_by(|a, b| a.0.cmp(b.0));
    if levels.is_empty() {
        let _ = writeln!(s, "SELECT CAST(NULL AS STRING) AS category, CAST(NULL AS DOUBLE) AS mean_log_price WHERE FALSE;");
    } else {
        let rows: Vec<String> = levels.iter().map(|(c, v)| Ok(format!("({}, {})", quote(c), num(**v)?))).collect::<Result<_, SparkError>>()?;
        let _ = writeln!(s, "SELECT * FROM VALUES\n  {}\nAS t(category, mean_log_price);", rows.join(",\n  "));
    }
    s.push('\n');
    let _ = writeln!(
        s,
        "CREATE OR REPLACE TEMP VIEW studio_events AS
SELECT CAST(e.user_id AS STRING) AS user_id,
       COALESCE(CAST(e.category AS STRING), '') AS category,
       COALESCE(CAST(e.brand AS STRING), '') AS brand,
       CAST(ROUND(COALESCE(CAST(e.price AS DOUBLE), 0D) * 100D) AS BIGINT) AS price_cents,
       CASE WHEN e.kind IN ('view', 'cart', 'fav', 'purchase') THEN CAST(e.kind AS STRING) ELSE 'other' END AS kind,
       CAST(e.ts AS BIGINT) AS ts,
       COALESCE(CAST(e.session AS STRING), '') AS session,
       COALESCE(p.mean_log_price, 0D) AS mlp
FROM events e LEFT JOIN studio_price_levels p ON p.category = CAST(e.category AS STRING)
WHERE e.user_id IS NOT NULL AND e.ts IS NOT NULL;
"
    );
    let decay = num(user::decay_per_second(f.spec.half_life_days))?;
    let _ = writeln!(
        s,
        "CREATE OR REPLACE TEMP VIEW studio_weighted AS
SELECT *, CASE kind WHEN 'purchase' THEN 4.0D WHEN 'cart' THEN 2.0D WHEN 'fav' THEN 1.5D ELSE 1.0D END AS weight,
       MIN(ts) OVER (PARTITION BY user_id) AS ref_ts
FROM studio_events;
"
    );
    let count = |cond: &str| format!("CAST(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS DOUBLE)");
    let mut agg = vec![
        "user_id".to_string(),
        "CAST(COUNT(*) AS DOUBLE) AS events".into(),
        format!("{} AS views", count("kind = 'view'")),
        format!("{} AS carts", count("kind = 'cart'")),
        format!("{} AS favs", count("kind = 'fav'")),
        format!("{} AS purchases", count("kind = 'purchase'")),
        "CAST(SUM(CASE WHEN kind = 'purchase' THEN price_cents ELSE 0 END) AS DOUBLE) AS spend_cents".into(),
        "SUM(CASE WHEN kind = 'view' THEN LN(CAST(GREATEST(price_cents, 1) AS DOUBLE)) - mlp ELSE 0D END) AS view_rel_sum".into(),
        "SUM(CASE WHEN kind <> 'view' AND price_cents > 0 THEN LN(CAST(price_cents AS DOUBLE)) - mlp ELSE 0D END) AS other_rel_sum".into(),
        format!("{} AS other_priced", count("kind <> 'view' AND price_cents > 0")),
        "MAX(ts) AS last_ts".into(),
        "CAST(COUNT(DISTINCT NULLIF(session, '')) AS DOUBLE) AS sessions".into(),
    ];
    for (i, part) in ["night", "morning", "afternoon", "evening"].iter().enumerate() {
        agg.push(format!("{} AS {part}", count(&format!("pmod(ts, 86400) DIV 21600 = {i}"))));
    }
    // 1970-01-01 was a Thursday: days 2 and 3 after it are Saturday and Sunday.
    agg.push(format!("{} AS weekend", count("pmod((ts - pmod(ts, 86400)) DIV 86400, 7) IN (2, 3)")));
    for (i, c) in cats.iter().enumerate() {
        agg.push(format!("SUM(CASE WHEN category = {} THEN weight * EXP({decay} * CAST(ts - ref_ts AS DOUBLE)) ELSE 0D END) AS aff_{i}", quote(c)));
    }
    let _ = writeln!(s, "CREATE OR REPLACE TEMP VIEW studio_user_aggregates AS\nSELECT {}\nFROM studio_weighted GROUP BY user_id;\n", agg.join(",\n       "));
    let _ = writeln!(
        s,
        "CREATE OR REPLACE TEMP VIEW studio_user_brand AS
SELECT user_id, CAST(MAX(n) AS DOUBLE) AS top_brand
FROM (SELECT user_id, brand, COUNT(*) AS n FROM studio_events WHERE brand <> '' GROUP BY user_id, brand) ub GROUP BY user_id;

CREATE OR REPLACE TEMP VIEW studio_end AS SELECT MAX(ts) AS end_ts FROM studio_events;
"
    );
    let raw: Vec<String> = exprs.iter().map(|(c, e)| format!("{e} AS {}", ident(c))).collect();
    let _ = writeln!(
        s,
        "CREATE OR REPLACE TEMP VIEW studio_features_raw AS\nSELECT a.user_id,\n       {}\nFROM studio_user_aggregates a LEFT JOIN studio_user_brand b ON b.user_id = a.user_id CROSS JOIN studio_end t;\n",
        raw.join(",\n       ")
    );
    let mut z = Vec::new();
    for ((c, _), &(mean, sd)) in exprs.iter().zip(&f.scale) {
        z.push(if sd > 0.0 { format!("(r.{} - {}) / {} AS {}", ident(c), num(mean)?, num(sd)?, ident(c)) } else { format!("0D AS {}", ident(c)) });
    }
    let _ = writeln!(s, "CREATE OR REPLACE TEMP VIEW studio_features AS\nSELECT r.user_id,\n       {}\nFROM studio_features_raw r;\n", z.join(",\n       "));
    let _ = writeln!(s, "{}", scores(m, &exprs)?);
    let _ = writeln!(s, "{}", output(m, &exprs));
    Ok(s)
}

/// `studio_scores`: distances to each centroid, argmin, and the sorted interests.
fn scores(m: &SparkModel, exprs: &[(String, String)]) -> Result<String, SparkError> {
    let mut dists = Vec::new();
    for row in m.centroids.iter() {
        if row.len() != exprs.len() {
            return Err(SparkError::BadModel(format!("a centroid has {} values for {} columns", row.len(), exprs.len())));
        }
        let terms: Vec<String> = row.iter().zip(exprs).map(|(c, (name, _))| Ok(format!("POW({} - z.{}, 2)", num(*c)?, ident(name)))).collect::<Result<_, SparkError>>()?;
        dists.push(format!("({})", terms.join(" + ")));
    }
    let mut probs = Vec::new();
    for c in &m.interests {
        let p = if c.weights.is_empty() {
            num(c.base_rate)?
        } else {
            if c.weights.len() != exprs.len() {
                return Err(SparkError::BadModel(format!("the interest model of {:?} has {} weights for {} columns", c.category, c.weights.len(), exprs.len())));
            }
            let mut lin = num(c.intercept)?;
            for (w, (name, _)) in c.weights.iter().zip(exprs) {
                let _ = write!(lin, " + {} * z.{}", num(*w)?, ident(name));
            }
            format!("1D / (1D + EXP(-({lin})))")
        };
        probs.push(format!("named_struct('category', {}, 'probability', {p})", quote(&c.category)));
    }
    let interests = if probs.is_empty() { "CAST(array() AS ARRAY<STRUCT<category: STRING, probability: DOUBLE>>)".to_string() } else { format!("array(\n         {})", probs.join(",\n         ")) };
    Ok(format!(
        "CREATE OR REPLACE TEMP VIEW studio_scores AS
SELECT user_id, array_position(d, array_min(d)) - 1 AS segment_label,
       slice(array_sort(p, (l, r) -> CASE WHEN l.probability > r.probability THEN -1 WHEN l.probability < r.probability THEN 1
                                          WHEN l.category < r.category THEN -1 WHEN l.category > r.category THEN 1 ELSE 0 END), 1, 3) AS interests
FROM (SELECT z.user_id,
       array({}) AS d,
       {interests} AS p
      FROM studio_features z) s;
",
        dists.join(",\n             ")
    ))
}

/// `studio_output`: the features file (user id, spec version, raw columns, segment, interests).
fn output(m: &SparkModel, exprs: &[(String, String)]) -> String {
    let ids: Vec<String> = m.segments.iter().map(|g| format!("WHEN {} THEN {}", g.label, g.id)).collect();
    let mut cols = vec!["r.user_id".to_string(), format!("{} AS spec_version", m.featurizer.spec.version)];
    cols.extend(exprs.iter().map(|(c, _)| format!("r.{}", ident(c))));
    cols.push("s.segment_label AS segment".into());
    cols.push(format!("CASE s.segment_label {} END AS segment_id", ids.join(" ")));
    for k in 1..=3 {
        cols.push(format!("try_element_at(s.interests, {k}).category AS interest_{k}"));
        cols.push(format!("try_element_at(s.interests, {k}).probability AS interest_{k}_probability"));
    }
    format!("CREATE OR REPLACE TEMP VIEW studio_output AS\nSELECT {}\nFROM studio_features_raw r JOIN studio_scores s ON s.user_id = r.user_id;\n", cols.join(",\n       "))
}
