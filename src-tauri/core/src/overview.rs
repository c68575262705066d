//! Read-only summaries of a project for the Data screen and `studio info`.

use serde::Serialize;

use crate::store::Project;

/// Event count per kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventCount {
    pub kind: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
}

/// One past import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportRecord {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub file_name: String,
    pub format: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_imported: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_rejected: u64,
    pub imported_at: String,
}

/// Totals shown on the Data screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectOverview {
    pub path: String,
    /// `events` (behaviour imported, the usual) or `aggregates` (per-user aggregates from a
    /// features file, `studio import --features`: no events; users are the model's).
    pub kind: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub products: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub users: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub categories: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segments: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaigns: u64,
    pub event_mix: Vec<EventCount>,
    pub imports: Vec<ImportRecord>,
}

/// A catalog row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductRow {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub category: String,
    pub brand: String,
    pub price: f64,
    /// ISO 4217 code of `price`.
    pub currency: String,
}

/// Totals, event mix and import history.
pub fn overview(project: &Project) -> rusqlite::Result<ProjectOverview> {
    let c = project.conn();
    let count = |sql: &str| -> rusqlite::Result<u64> { c.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as u64) };
    let event_mix = c
        .prepare("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY count(*) DESC")?
        .query_map([], |r| Ok(EventCount { kind: r.get(0)?, count: r.get::<_, i64>(1)? as u64 }))?
        .collect::<Result<_, _>>()?;
    let imports = c
        .prepare("SELECT id, file_name, format, rows_imported, rows_rejected, imported_at FROM imports ORDER BY id DESC LIMIT 50")?
        .query_map([], |r| {
            Ok(ImportRecord { id: r.get(0)?, file_name: r.get(1)?, format: r.get(2)?, rows_imported: r.get::<_, i64>(3)? as u64, rows_rejected: r.get::<_, i64>(4)? as u64, imported_at: r.get(5)? })
        })?
        .collect::<Result<_, _>>()?;
    let kind = crate::spark::import::project_kind(project)?;
    let users =
        if kind == "aggregates" { count("SELECT count(*) FROM user_segments WHERE model_id = (SELECT max(id) FROM segment_models)")? } else { count("SELECT count(DISTINCT user_id) FROM events")? };
    Ok(ProjectOverview {
        path: project.path().map(|p| p.display().to_string()).unwrap_or_else(|| ":memory:".into()),
        kind,
        products: count("SELECT count(*) FROM products")?,
        events: count("SELECT count(*) FROM events")?,
        users,
        categories: count("SELECT count(DISTINCT category) FROM products")?,
        segments: count("SELECT count(*) FROM segments WHERE model_id = (SELECT max(id) FROM segment_models)")?,
        campaigns: count("SELECT count(*) FROM campaigns")?,
        event_mix,
        imports,
    })
}

/// Products matching `search` (case-insensitive substring of id, names or brand), paged.
pub fn products(project: &Project, limit: u32, offset: u32, search: Option<&str>) -> rusqlite::Result<Vec<ProductRow>> {
    let pattern = format!("%{}%", search.unwrap_or("").replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let mut stmt = project.conn().prepare(
        "SELECT id, name_en, name_zh, category, brand, price_cents, currency FROM products
         WHERE id LIKE ?1 ESCAPE '\\' OR name_en LIKE ?1 ESCAPE '\\' OR name_zh LIKE ?1 ESCAPE '\\' OR brand LIKE ?1 ESCAPE '\\'
         ORDER BY id LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(rusqlite::params![pattern, limit.min(500), offset], |r| {
        Ok(ProductRow { id: r.get(0)?, name_en: r.get(1)?, name_zh: r.get(2)?, category: r.get(3)?, brand: r.get(4)?, price: r.get::<_, i64>(5)? as f64 / 100.0, currency: r.get(6)? })
    })?;
    rows.collect()
}
