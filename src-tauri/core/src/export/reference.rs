//! The platforms' own formats, as facts the export is checked against (`fixtures/reference/`,
//! compiled in): Google Ads Editor's header lists and typed-column values (from two real Editor
//! files) and a JSON Schema of the Meta Marketing API request bodies the export writes (written
//! from the Marketing API reference). [`google_drift`] and [`meta_drift`] name every column or
//! field the export writes that is not in them, so a format drift shows before upload
//! (`studio export --check`).
//!
//! [`validate_json`] is a small JSON Schema validator for the keywords that schema uses (`type`,
//! `properties`, `required`, `additionalProperties: false`, `items`, `minItems`, `maxItems`,
//! `oneOf`, `enum`, `minLength`); any other keyword is ignored.

use serde_json::Value;

/// Header names of a Google Ads Editor account import (file order).
pub const GOOGLE_COLUMNS_IMPORT: &str = include_str!("../../../../fixtures/reference/google-ads-editor/columns-account-import.txt");
/// Header names of a Google Ads Editor Display campaign export (file order).
pub const GOOGLE_COLUMNS_DISPLAY: &str = include_str!("../../../../fixtures/reference/google-ads-editor/columns-display-export.txt");
/// Values seen in typed columns: `Column: a | b` per line.
pub const GOOGLE_ENUMS: &str = include_str!("../../../../fixtures/reference/google-ads-editor/enum-values.txt");
/// JSON Schema of one `meta_<ad set>.json` file.
pub const META_SCHEMA: &str = include_str!("../../../../fixtures/reference/meta/ad_set_requests.schema.json");

/// Every header name of both Editor reference files.
pub fn google_columns() -> Vec<&'static str> {
    GOOGLE_COLUMNS_IMPORT.lines().chain(GOOGLE_COLUMNS_DISPLAY.lines()).map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// The typed columns and the values seen in them.
pub fn google_enums() -> Vec<(&'static str, Vec<&'static str>)> {
    GOOGLE_ENUMS.lines().filter_map(|l| l.split_once(':')).map(|(col, vals)| (col.trim(), vals.split('|').map(str::trim).collect())).collect()
}

/// The columns of `header` that no Editor reference file has.
pub fn google_drift(header: &[String]) -> Vec<String> {
    let known = google_columns();
    header.iter().filter(|h| !known.contains(&h.as_str())).cloned().collect()
}

/// The JSON paths of fields in `body` that the Meta schema does not declare.
pub fn meta_drift(body: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(META_SCHEMA).expect("the compiled-in schema is JSON");
    validate_json(&schema, body).into_iter().filter(|e| e.unknown_field).map(|e| e.path).collect()
}

/// One place where a JSON value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON path, e.g. `$.ads[0].adcreative.asset_feed_spec.images`.
    pub path: String,
    pub message: String,
    /// A field the schema does not declare (`additionalProperties: false`).
    pub unknown_field: bool,
}

/// Every way `value` breaks `schema` (empty: valid).
pub fn validate_json(schema: &Value, value: &Value) -> Vec<SchemaError> {
    let mut out = Vec::new();
    check(schema, value, "$", &mut out);
    out
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn check(schema: &Value, v: &Value, path: &str, out: &mut Vec<SchemaError>) {
    let err = |out: &mut Vec<SchemaError>, message: String| out.push(SchemaError { path: path.to_string(), message, unknown_field: false });
    if let Some(t) = schema["type"].as_str() {
        if !type_ok(t, v) {
            return err(out, format!("is not of type {t}"));
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(v) {
            err(out, format!("{v} is not one of {}", Value::Array(allowed.clone())));
        }
    }
    if let (Some(min), Some(s)) = (schema["minLength"].as_u64(), v.as_str()) {
        if (s.chars().count() as u64) < min {
            err(out, format!("is shorter than {min}"));
        }
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let passing = options.iter().filter(|o| validate_json(o, v).is_empty()).count();
        if passing != 1 {
            err(out, format!("matches {passing} of the {} allowed shapes (exactly one needed)", options.len()));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                err(out, format!("lacks required field {r}"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, child) in obj {
            let at = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(s, child, &at, out),
                None if schema["additionalProperties"] == Value::Bool(false) => out.push(SchemaError { path: at, message: "is not a field of this request".into(), unknown_field: true }),
                None => {}
            }
        }
    }
    if let Some(items) = v.as_array() {
        let n = items.len() as u64;
        if let Some(min) = schema["minItems"].as_u64().filter(|m| n < *m) {
            err(out, format!("has {n} items, fewer than {min}"));
        }
        if let Some(max) = schema["maxItems"].as_u64().filter(|m| n > *m) {
            err(out, format!("has {n} items, more than {max}"));
        }
        if schema["items"].is_object() {
            for (i, item) in items.iter().enumerate() {
                check(&schema["items"], item, &format!("{path}[{i}]"), out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_validator_catches_unknown_fields_missing_fields_types_counts_and_shapes() {
        let schema: Value = serde_json::from_str(META_SCHEMA).unwrap();
        let spec = |images: Value| {
            json!({"adset": {"name": "a", "status": "PAUSED", "targeting": {"custom_audiences": [{"id": "x"}]}},
                   "ads": [{"adcreative": {"name": "k", "object_story_spec": {"page_id": "p"}, "asset_feed_spec": {"images": images, "bodies": [{"text": "b"}], "titles": [{"text": "t"}], "link_urls": [{"website_url": "https://x/", "url_tags": "utm_source=meta"}], "call_to_action_types": ["SHOP_NOW"], "ad_formats": ["SINGLE_IMAGE"]}},
                            "ad": {"name": "k", "adset_id": "s", "status": "PAUSED", "creative": {"creative_id": "c"}}}]})
        };
        assert_eq!(validate_json(&schema, &spec(json!([{"url": "https://cdn/x.png"}]))), vec![]);
        assert_eq!(validate_json(&schema, &spec(json!([{"hash": "h"}]))), vec![]);
        let bad = |images: Value| validate_json(&schema, &spec(images));
        assert_eq!(bad(json!([{"file_name": "x.png"}]))[0].message, "matches 0 of the 2 allowed shapes (exactly one needed)", "Meta takes hash or url, never a file name");
        assert!(!bad(json!([{"url": "u", "hash": "h"}])).is_empty(), "not both");
        assert!(bad(json!((0..11).map(|i| json!({"hash": format!("h{i}")})).collect::<Vec<_>>())).iter().any(|e| e.message.contains("more than 10")));
        assert!(bad(json!([])).iter().any(|e| e.message.contains("fewer than 1")));
        let mut v = spec(json!([{"hash": "h"}]));
        v["ads"][0]["adcreative"]["asset_feed_spec"]["variant_ids"] = json!([1]);
        v["adset"].as_object_mut().unwrap().remove("targeting");
        v["ads"][0]["ad"]["status"] = json!("LIVE");
        let errs = validate_json(&schema, &v);
        assert!(errs.iter().any(|e| e.unknown_field && e.path == "$.ads[0].adcreative.asset_feed_spec.variant_ids"), "{errs:?}");
        assert!(errs.iter().any(|e| e.path == "$.adset" && e.message.contains("targeting")), "{errs:?}");
        assert!(errs.iter().any(|e| e.path == "$.ads[0].ad.status"), "{errs:?}");
        assert_eq!(meta_drift(&v), vec!["$.ads[0].adcreative.asset_feed_spec.variant_ids".to_string()]);
    }

    #[test]
    fn google_reference_lists_are_read_and_drift_names_unknown_columns() {
        let cols = google_columns();
        assert!(cols.len() > 300 && cols.contains(&"Final URL suffix") && cols.contains(&"Campaign#Original"));
        let enums = google_enums();
        assert!(enums.iter().any(|(c, v)| *c == "Ad type" && v.contains(&"Responsive display ad")));
        let header = ["Campaign", "Marketing images", "Ad Group", "Square marketing images"].map(String::from);
        assert_eq!(google_drift(&header), vec!["Marketing images".to_string(), "Square marketing images".to_string()]);
    }
}
