//! Files in no known format: a column mapping (`user=col,item=col,...`, by header name or
//! 1-based index) turns CSV/TSV/JSON Lines records into events; catalog files are recognised
//! by their header.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{clip, kind_of, parse_price, required, EventRow, FieldError, Parsed, ProductRow, Stubs};
use crate::ingest::writer::EventKind;

/// Why a column mapping cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MappingError {
    #[error("mapping entry {0:?} is not key=column")]
    NotKeyValue(String),
    #[error("no column {column:?} in the header ({header})")]
    UnknownColumn { column: String, header: String },
    #[error("unknown mapping key {0:?} (use user, item, time, event, price, session, category, brand)")]
    UnknownKey(String),
    #[error("mapping needs {0}=COLUMN")]
    Missing(&'static str),
    /// The catalog format was forced on a file without its columns.
    #[error("a catalog needs id, title and price columns")]
    CatalogColumns,
    /// The generic format was forced without a mapping.
    #[error("the generic format needs --map user=COL,item=COL,time=COL[,event=COL,...]")]
    NoMapping,
}

impl MappingError {
    /// The message key (`err.ingest.mapping.*`) of this problem in file `path`.
    pub fn keyed(&self, path: &str) -> crate::error::Keyed {
        use crate::error::keyed;
        match self {
            MappingError::NotKeyValue(entry) => keyed!("err.ingest.mapping.not_key_value", path = path, entry = entry),
            MappingError::UnknownColumn { column, header } => keyed!("err.ingest.mapping.unknown_column", path = path, column = column, header = header),
            MappingError::UnknownKey(key) => keyed!("err.ingest.mapping.unknown_key", path = path, key = key),
            MappingError::Missing(field) => keyed!("err.ingest.mapping.missing", path = path, field = field),
            MappingError::CatalogColumns => keyed!("err.ingest.mapping.catalog_columns", path = path),
            MappingError::NoMapping => keyed!("err.ingest.mapping.no_mapping", path = path),
        }
    }
}

/// The fields a mapping can name, in canonical order (`to_spec`'s), and those it must name.
pub const FIELDS: [&str; 8] = ["user", "item", "time", "event", "price", "session", "category", "brand"];
/// The fields every mapping names.
pub const REQUIRED: [&str; 3] = ["user", "item", "time"];

/// Which column holds each field of an event. Indices are 0-based into the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub user: usize,
    pub item: usize,
    pub time: usize,
    pub event: Option<usize>,
    pub price: Option<usize>,
    pub session: Option<usize>,
    pub category: Option<usize>,
    pub brand: Option<usize>,
    /// Header names (or `column N`), for messages.
    pub names: Vec<String>,
}

impl Mapping {
    /// Parse `user=col,item=col,time=col[,event=col][,price=col][,session=col][,category=col][,brand=col]`
    /// against `header`. A column is a header name (case-insensitive) or a 1-based number.
    ///
    /// Errors: an unknown key or column, or a missing required key (user, item, time).
    pub fn parse(spec: &str, header: &[&str]) -> Result<Mapping, MappingError> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let find = |col: &str| -> Result<usize, MappingError> {
            if let Ok(n) = col.parse::<usize>() {
                if (1..=names.len()).contains(&n) {
                    return Ok(n - 1);
                }
            }
            names.iter().position(|h| h.eq_ignore_ascii_case(col.trim())).ok_or_else(|| MappingError::UnknownColumn { column: col.to_string(), header: names.join(", ") })
        };
        let (mut user, mut item, mut time) = (None, None, None);
        let mut m = Mapping { user: 0, item: 0, time: 0, event: None, price: None, session: None, category: None, brand: None, names: names.clone() };
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| MappingError::NotKeyValue(part.to_string()))?;
            let idx = find(v)?;
            match k.trim() {
                "user" => user = Some(idx),
                "item" | "product" => item = Some(idx),
                "time" => time = Some(idx),
                "event" => m.event = Some(idx),
                "price" => m.price = Some(idx),
                "session" => m.session = Some(idx),
                "category" => m.category = Some(idx),
                "brand" => m.brand = Some(idx),
                other => return Err(MappingError::UnknownKey(other.to_string())),
            }
        }
        m.user = user.ok_or(MappingError::Missing("user"))?;
        m.item = item.ok_or(MappingError::Missing("item"))?;
        m.time = time.ok_or(MappingError::Missing("time"))?;
        Ok(m)
    }

    /// The mapping as `key=column` text (column names), the form `parse` reads.
    pub fn to_spec(&self) -> String {
        let mut parts = vec![format!("user={}", self.name(self.user)), format!("item={}", self.name(self.item)), format!("time={}", self.name(self.time))];
        for (k, v) in [("event", self.event), ("price", self.price), ("session", self.session), ("category", self.category), ("brand", self.brand)] {
            if let Some(i) = v {
                parts.push(format!("{k}={}", self.name(i)));
            }
        }
        parts.join(",")
    }

    /// The column index of `field` (one of [`FIELDS`]); `None` when it is not mapped.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        match field {
            "user" => Some(self.user),
            "item" => Some(self.item),
            "time" => Some(self.time),
            "event" => self.event,
            "price" => self.price,
            "session" => self.session,
            "category" => self.category,
            "brand" => self.brand,
            _ => None,
        }
    }

    fn name(&self, i: usize) -> &str {
        self.names.get(i).map(String::as_str).unwrap_or("?")
    }
}

fn field<'a>(f: &[&'a str], i: usize, m: &Mapping) -> Result<&'a str, FieldError> {
    f.get(i).copied().ok_or_else(|| FieldError::new(m.name(i), format!("missing: the line has only {} fields", f.len()), "row.missing_field", [("found", f.len().to_string())]))
}

/// A generic record → event (+ stub catalog row).
pub fn event(m: &Mapping, f: &[&str]) -> Result<Parsed, FieldError> {
    event_with(m, f, &mut Stubs::every_record())
}

/// [`event`], the stub catalog row only where `stubs` wants it.
pub fn event_with(m: &Mapping, f: &[&str], stubs: &mut Stubs) -> Result<Parsed, FieldError> {
    let user = required(field(f, m.user, m)?, m.name(m.user))?;
    let item = required(field(f, m.item, m)?, m.name(m.item))?;
    let ts = flexible_time(field(f, m.time, m)?).ok_or_else(|| {
        let formats = "Unix s/ms, RFC 3339, 'YYYY-MM-DD hh:mm:ss'";
        FieldError::new(m.name(m.time), format!("cannot parse {:?} as a time ({formats})", clip(f[m.time])), "row.bad_time", [("value", clip(f[m.time])), ("formats", formats.into())])
    })?;
    let (kind, raw) = match m.event {
        Some(i) => {
            let v = field(f, i, m)?.trim();
            let k = kind_of(v);
            (k, (k == EventKind::Other).then(|| v.to_string()))
        }
        None => (EventKind::View, None),
    };
    let price = match m.price {
        Some(i) if !field(f, i, m)?.trim().is_empty() => Some(parse_price(f[i], m.name(i))?),
        _ => None,
    };
    let opt = |i: Option<usize>| i.and_then(|i| f.get(i)).map(|s| s.trim().to_string()).unwrap_or_default();
    Ok(Parsed {
        event: Some(EventRow { ts, user: user.into(), product: item.into(), kind, price_cents: price, session: opt(m.session), raw }),
        product: stubs.wanted(item).then(|| {
            Box::new(ProductRow {
                id: item.into(),
                name_en: format!("Item #{item}"),
                name_zh: format!("商品 #{item}"),
                category: top_category(&opt(m.category)),
                brand: opt(m.brand),
                price_cents: price.unwrap_or(0),
                currency: "CNY",
                authoritative: false,
                image: None,
            })
        }),
        notes: Vec::new(),
    })
}

/// Unix seconds or milliseconds (by magnitude), RFC 3339, `YYYY-MM-DD hh:mm:ss[ UTC]`, or a date.
pub fn flexible_time(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<i64>() {
        let secs = if v.abs() >= 100_000_000_000 { v.div_euclid(1000) } else { v };
        return (631_152_000..4_102_444_800).contains(&secs).then_some(secs);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp());
    }
    let t = t.strip_suffix(" UTC").unwrap_or(t);
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(d.and_utc().timestamp());
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc().timestamp())
}

/// First component of a category path (`Electronics > Phones`, `electronics.smartphone`,
/// `Home/Kitchen`), lowercased with spaces as `_`; `unknown` when empty.
pub fn top_category(path: &str) -> String {
    let first = path.split(['>', '/', '.', '|']).next().unwrap_or("").trim().to_lowercase().replace([' ', '-'], "_");
    if first.is_empty() {
        "unknown".into()
    } else {
        first
    }
}

/// Columns of a catalog file (0-based).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogColumns {
    pub id: usize,
    pub title: usize,
    pub title_zh: Option<usize>,
    pub category: Option<usize>,
    pub brand: Option<usize>,
    pub price: usize,
    pub currency: Option<usize>,
    pub image: Option<usize>,
}

impl CatalogColumns {
    /// Recognise a catalog header (lowercased names): needs an id, a title and a price column.
    pub fn detect(h: &[String]) -> Option<CatalogColumns> {
        let find = |names: &[&str]| h.iter().position(|c| names.contains(&c.as_str()));
        Some(CatalogColumns {
            id: find(&["id", "product_id", "item_id", "sku"])?,
            title: find(&["title", "name", "product_name", "title_en", "name_en"])?,
            title_zh: find(&["title_zh", "name_zh"]),
            category: find(&["category", "category_path", "category_code"]),
            brand: find(&["brand"]),
            price: find(&["price", "unit_price"])?,
            currency: find(&["currency"]),
            image: find(&["image", "image_url", "image_path"]),
        })
    }
}

/// A catalog record → authoritative catalog row (no event).
pub fn catalog(c: &CatalogColumns, f: &[&str]) -> Result<Parsed, FieldError> {
    let get =
        |i: usize, name: &str| f.get(i).copied().ok_or_else(|| FieldError::new(name, format!("missing: the line has only {} fields", f.len()), "row.missing_field", [("found", f.len().to_string())]));
    let opt = |i: Option<usize>| i.and_then(|i| f.get(i)).map(|s| s.trim()).unwrap_or("");
    let id = required(get(c.id, "id")?, "id")?;
    let title = required(get(c.title, "title")?, "title")?;
    let price = parse_price(get(c.price, "price")?, "price")?;
    let currency = match opt(c.currency).to_ascii_uppercase().as_str() {
        "" | "CNY" | "RMB" => "CNY",
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "JPY" => "JPY",
        other => return Err(FieldError::new("currency", format!("unsupported currency {:?}", clip(other)), "row.unsupported_currency", [("value", clip(other))])),
    };
    let zh = opt(c.title_zh);
    Ok(Parsed {
        event: None,
        product: Some(Box::new(ProductRow {
            id: id.into(),
            name_en: title.into(),
            name_zh: if zh.is_empty() { title.into() } else { zh.into() },
            category: top_category(opt(c.category)),
            brand: opt(c.brand).into(),
            price_cents: price,
            currency,
            authoritative: true,
            image: Some(opt(c.image)).filter(|s| !s.is_empty()).map(str::to_string),
        })),
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_by_name_or_number_and_errors() {
        let h = ["ts", "uid", "sku", "action", "amount"];
        let m = Mapping::parse("user=uid,item=3,time=TS,event=action,price=amount", &h).unwrap();
        assert_eq!((m.user, m.item, m.time, m.event, m.price), (1, 2, 0, Some(3), Some(4)));
        assert_eq!(Mapping::parse("user=uid,item=sku", &h).unwrap_err(), MappingError::Missing("time"));
        assert!(Mapping::parse("user=nope,item=sku,time=ts", &h).unwrap_err().to_string().contains("no column"));
        assert_eq!(Mapping::parse("who=uid", &h).unwrap_err(), MappingError::UnknownKey("who".into()));
        let p = event(&m, &["1700000000000", "u1", "p9", "add_to_cart", "12.50"]).unwrap();
        let e = p.event.unwrap();
        assert_eq!((e.ts, e.kind, e.price_cents), (1_700_000_000, EventKind::Cart, Some(1250)));
        assert_eq!(event(&m, &["never", "u1", "p9", "view", ""]).unwrap_err().column, "ts");
    }

    #[test]
    fn times_and_categories() {
        assert_eq!(flexible_time("2019-10-01T00:00:00Z"), Some(1_569_888_000));
        assert_eq!(flexible_time("2019-10-01 00:00:00 UTC"), Some(1_569_888_000));
        assert_eq!(flexible_time("2019-10-01"), Some(1_569_888_000));
        assert_eq!(flexible_time("12"), None);
        assert_eq!(top_category("Electronics > Phones"), "electronics");
        assert_eq!(top_category("Home Decor/Lamps"), "home_decor");
        assert_eq!(top_category(""), "unknown");
    }

    #[test]
    fn catalog_rows_are_authoritative() {
        let h: Vec<String> = ["sku", "name", "name_zh", "category", "brand", "price", "image"].iter().map(|s| s.to_string()).collect();
        let c = CatalogColumns::detect(&h).unwrap();
        let p = catalog(&c, &["A1", "Wireless earbuds", "无线耳机", "Electronics > Audio", "Voltix", "299.00", "img/a1.png"]).unwrap().product.unwrap();
        assert!(p.authoritative);
        assert_eq!((p.category.as_str(), p.name_zh.as_str(), p.price_cents), ("electronics", "无线耳机", 29900));
        assert_eq!(p.image.as_deref(), Some("img/a1.png"));
    }
}
