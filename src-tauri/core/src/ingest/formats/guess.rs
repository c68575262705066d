//! Which column holds which field of a file in no known format: the mapping the import dialog
//! starts from. A mapping remembered for files with this header wins when it still names the
//! required fields; otherwise the columns' names are matched against each field's synonyms.

use std::collections::BTreeMap;

use serde::Serialize;

use super::generic::{Mapping, FIELDS, REQUIRED};

/// The mapping an import dialog proposes for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SuggestedMapping {
    /// Field (`user`, `item`, `time`, …; see [`FIELDS`]) → column name. Fields without a
    /// likely column are left out.
    pub columns: BTreeMap<String, String>,
    /// Whether it is the mapping remembered for files with this header (else a guess).
    pub remembered: bool,
}

/// Name synonyms per field (lower case, without separators), in [`FIELDS`] order.
const SYNONYMS: [(&str, &[&str]); 8] = [
    ("user", &["uid", "user", "userid", "visitor", "visitorid", "customer", "customerid", "member", "memberid", "buyer", "buyerid", "client", "clientid", "用户", "用户id", "会员", "顾客", "客户"]),
    ("item", &["item", "itemid", "sku", "skuid", "product", "productid", "goods", "goodsid", "pid", "stockcode", "article", "商品", "商品id", "货号"]),
    ("time", &["ts", "time", "timestamp", "date", "datetime", "eventtime", "createdat", "occurredat", "时间", "日期"]),
    ("event", &["event", "eventtype", "action", "behavior", "behaviour", "type", "activity", "行为", "事件", "动作"]),
    ("price", &["price", "amount", "unitprice", "cost", "value", "revenue", "价格", "金额", "单价"]),
    ("session", &["session", "sessionid", "usersession", "visit", "visitid", "会话"]),
    ("category", &["category", "categoryid", "categorycode", "cat", "catid", "类目", "品类", "分类"]),
    ("brand", &["brand", "brandname", "maker", "品牌"]),
];

/// The mapping to start from: `remembered` (stored for this header) when it maps onto
/// `columns`, else [`guess`] over the columns not in `exclude` (contact data).
pub fn suggest(columns: &[String], remembered: Option<&Mapping>, exclude: &[String]) -> SuggestedMapping {
    if let Some(m) = remembered {
        let by_index: Vec<(&str, Option<usize>)> = FIELDS.iter().map(|&f| (f, m.column_of(f))).collect();
        let named: BTreeMap<String, String> = by_index.iter().filter_map(|&(f, i)| Some((f.to_string(), columns.get(i?)?.clone()))).collect();
        if REQUIRED.iter().all(|f| named.contains_key(*f)) {
            return SuggestedMapping { columns: named, remembered: true };
        }
    }
    SuggestedMapping { columns: guess(columns, exclude), remembered: false }
}

/// A best guess from column names. A whole-name match (`user_id` → user) beats a word match
/// (`user session` → session's `session`), which beats a substring match (only for synonyms
/// of 4+ letters, or Chinese ones: `下单时间` → time). Each column serves one field; the
/// strongest matches are taken first, ties going to the earlier field, then the earlier
/// column.
pub fn guess(columns: &[String], exclude: &[String]) -> BTreeMap<String, String> {
    let mut pairs: Vec<(u8, usize, usize)> = Vec::new();
    for (f, (_, synonyms)) in SYNONYMS.iter().enumerate() {
        for (c, name) in columns.iter().enumerate() {
            if exclude.contains(name) {
                continue;
            }
            let s = score(synonyms, name);
            if s > 0 {
                pairs.push((s, f, c));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = BTreeMap::new();
    let mut used = Vec::new();
    for (_, f, c) in pairs {
        let field = SYNONYMS[f].0;
        if out.contains_key(field) || used.contains(&c) {
            continue;
        }
        out.insert(field.to_string(), columns[c].clone());
        used.push(c);
    }
    out
}

/// The words of a column name: `visitorId` / `user_id` / `Event Time` → visitor id, user id,
/// event time (lower case; letters and digits only).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            // camelCase: a capital after a lower-case letter or digit starts a word.
            if ch.is_uppercase() && prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.extend(ch.to_lowercase());
        }
        prev = Some(ch);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn score(synonyms: &[&str], column: &str) -> u8 {
    let w = words(column);
    let whole = w.concat();
    if whole.is_empty() {
        0
    } else if synonyms.contains(&whole.as_str()) {
        3
    } else if w.iter().any(|x| synonyms.contains(&x.as_str())) {
        2
    } else if synonyms.iter().any(|s| (s.len() >= 4 || !s.is_ascii()) && whole.contains(s)) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect()
    }

    #[test]
    fn guesses_a_shop_export_and_skips_contact_columns() {
        let c = cols(&["ts", "uid", "email", "sku", "action", "amount"]);
        assert_eq!(guess(&c, &cols(&["email"])), map(&[("time", "ts"), ("user", "uid"), ("item", "sku"), ("event", "action"), ("price", "amount")]));
        assert!(guess(&cols(&["email", "phone", "notes"]), &cols(&["email"])).is_empty());
        assert!(guess(&cols(&["uid"]), &cols(&["uid"])).is_empty());
    }

    #[test]
    fn whole_names_win_and_each_column_serves_one_field() {
        let c = cols(&["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id", "user_session"]);
        let want = map(&[
            ("user", "user_id"),
            ("item", "product_id"),
            ("time", "event_time"),
            ("event", "event_type"),
            ("price", "price"),
            ("session", "user_session"),
            ("category", "category_id"),
            ("brand", "brand"),
        ]);
        assert_eq!(guess(&c, &[]), want);
    }

    #[test]
    fn reads_camel_case_other_synonyms_and_chinese_headers() {
        assert_eq!(guess(&cols(&["visitorId", "itemId", "timestamp", "behavior"]), &[]), map(&[("user", "visitorId"), ("item", "itemId"), ("time", "timestamp"), ("event", "behavior")]));
        let uci = guess(&cols(&["InvoiceDate", "CustomerID", "StockCode", "UnitPrice"]), &[]);
        assert_eq!((uci["user"].as_str(), uci["item"].as_str(), uci["time"].as_str(), uci["price"].as_str()), ("CustomerID", "StockCode", "InvoiceDate", "UnitPrice"));
        assert_eq!(guess(&cols(&["用户ID", "商品ID", "下单时间", "行为类型"]), &[]), map(&[("user", "用户ID"), ("item", "商品ID"), ("time", "下单时间"), ("event", "行为类型")]));
    }

    #[test]
    fn a_remembered_mapping_wins_while_it_fits_the_columns() {
        let c = cols(&["ts", "uid", "email", "sku", "action", "amount"]);
        let header: Vec<&str> = c.iter().map(String::as_str).collect();
        let m = Mapping::parse("user=uid,item=sku,time=ts", &header).unwrap();
        assert_eq!(suggest(&c, Some(&m), &cols(&["email"])), SuggestedMapping { columns: map(&[("user", "uid"), ("item", "sku"), ("time", "ts")]), remembered: true });
        // Stored for a wider header: it points past these columns, so the names are guessed.
        let wide = Mapping::parse("user=7,item=sku,time=ts", &["ts", "uid", "email", "sku", "action", "amount", "customer"]).unwrap();
        let s = suggest(&c, Some(&wide), &cols(&["email"]));
        assert!(!s.remembered);
        assert_eq!(s.columns["user"], "uid");
    }
}
