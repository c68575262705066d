//! The variant key: one stable ASCII name per exported variant, used as the ad name on the
//! platforms and as `utm_content`, so the platforms' own reports (which name ads by their
//! ad name) map back to a variant ([`parse_variant_key`], used by the performance import).
//!
//! Form: `<campaign-slug>-s<segment id>-v<variant id>-<lang slug>`, e.g.
//! `double-11-s3-v42-zh-cn`. Every part is a [`slug`](super::names::slug): lowercase `a-z`,
//! `0-9` and single `-`, so the key survives CSV, URLs and the platforms' name fields
//! unchanged. The key changes only when the campaign is renamed (ids and languages never
//! change), and [`parse_variant_key`] reads the variant id from it whatever the campaign slug
//! holds.

use super::names::{campaign_part, slug};

/// The variant key of variant `variant_id` of segment `segment_id` in language `lang` of the
/// campaign named `campaign_name` (see the module docs). Never empty, at most
/// 40 + 2 × 21 + 24 + 3 bytes.
pub fn variant_key(campaign_name: &str, segment_id: i64, variant_id: i64, lang: &str) -> String {
    format!("{}-s{segment_id}-v{variant_id}-{}", campaign_part(campaign_name), slug(lang, 24, "xx"))
}

/// The variant id named by a variant key (surrounding white space and ASCII case ignored):
/// the rightmost `-s<digits>-v<digits>-` followed by a language part. `None` for anything else
/// (a bare number, an export file stem, a name without that pattern, an id of 0 or beyond
/// `i64`).
pub fn parse_variant_key(s: &str) -> Option<i64> {
    let lower = s.trim().to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('-').collect();
    let number = |p: &str, prefix: char| p.strip_prefix(prefix).filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).and_then(|d| d.parse::<i64>().ok());
    // parts[i] = s<digits>, parts[i+1] = v<digits>, then at least one language part; a
    // campaign part before them (i ≥ 1).
    (1..parts.len().saturating_sub(2)).rev().find_map(|i| number(parts[i], 's').and(number(parts[i + 1], 'v')).filter(|_| !parts[i + 2].is_empty())).filter(|&id| id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_its_variant_and_reads_back() {
        assert_eq!(variant_key("Double 11!", 3, 42, "zh-CN"), "double-11-s3-v42-zh-cn");
        assert_eq!(variant_key("双十一", 7, 9, "en"), "campaign-s7-v9-en");
        for (name, seg, v, lang) in [("Double 11", 3, 42, "zh-CN"), ("sale-s1-v2-en", 5, 77, "en"), ("x", 1, i64::MAX, "en"), ("", 0, 1, "")] {
            let key = variant_key(name, seg, v, lang);
            assert_eq!(parse_variant_key(&key), Some(v), "{key}");
            assert_eq!(parse_variant_key(&format!("  {} ", key.to_uppercase())), Some(v), "case and space are ignored");
            assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{key}");
        }
    }

    #[test]
    fn anything_else_is_no_key() {
        for s in ["42", "", "s3-v42-en", "double-11-s3-v42", "double-11-s3-v0-en", "double-11-s3-vx-en", "double-11_seg3_v42_google-rda-landscape", "a-s3-v99999999999999999999-en", "a-s-v4-en"] {
            assert_eq!(parse_variant_key(s), None, "{s:?}");
        }
    }
}
