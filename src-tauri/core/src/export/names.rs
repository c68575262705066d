//! Safe file names. Every name the export writes is built here from ASCII slugs, ids and the
//! placement table's ids, so no campaign, segment or product name can make a path leave the
//! export folder, name a device, or differ between file systems.
//!
//! A slug holds only `a-z`, `0-9` and `-`: no `/`, `\`, `.`, `:`, NUL, spaces, or any other
//! character a file system treats specially, so names can neither climb (`..`), be absolute,
//! nor end in a dot or space (which Windows strips). Windows device names (`CON`, `PRN`, `AUX`,
//! `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`, any case) are prefixed with `x-`. `_` separates the
//! parts of an image name: `campaign_segment_variant_placement.ext`.

use std::path::{Component, Path, PathBuf};

use crate::banner::ImageFormat;
use crate::campaign::Variant;
use crate::placements::Placement;

/// Longest slug of a campaign name, in bytes (all ASCII).
pub const CAMPAIGN_SLUG_MAX: usize = 40;
/// Longest slug of a segment name, in bytes.
pub const SEGMENT_SLUG_MAX: usize = 24;

/// A lowercase ASCII slug of `s` (letters, digits and single `-`), at most `max` bytes (cut at a
/// `-` when one lies in the second half), never empty (`fallback` when nothing usable is left)
/// and never a Windows device name.
pub fn slug(s: &str, max: usize, fallback: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_matches('-').to_string();
    if out.len() > max {
        out.truncate(max);
        if let Some(i) = out.rfind('-').filter(|i| *i >= max / 2) {
            out.truncate(i);
        }
    }
    let t = out.trim_matches('-');
    let t = if t.is_empty() { fallback } else { t };
    if is_device_name(t) {
        format!("x-{t}")
    } else {
        t.to_string()
    }
}

/// Whether `s` is a Windows device name (case-insensitive), which no file may be called even
/// with an extension.
pub fn is_device_name(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    let base = u.split('.').next().unwrap_or("");
    matches!(base, "CON" | "PRN" | "AUX" | "NUL") || ((base.starts_with("COM") || base.starts_with("LPT")) && base.len() == 4 && base.as_bytes()[3].is_ascii_digit())
}

/// The campaign part of every name.
pub fn campaign_part(name: &str) -> String {
    slug(name, CAMPAIGN_SLUG_MAX, "campaign")
}

/// `campaign_segment_variant_placement.ext`, e.g. `double-11_seg3-night-owls_v42_google-rda-landscape.png`.
pub fn image_file(campaign: &str, v: &Variant, p: &Placement, format: ImageFormat) -> String {
    let seg = segment_part(v.segment_label, &v.segment_name_en);
    format!("{}_{}_v{}_{}.{}", campaign_part(campaign), seg, v.id, slug(&p.id, 60, "placement"), format.extension())
}

/// The stable key of one exported variant: `<campaign-slug>-s<segment label>-v<variant id>-<lang>`,
/// e.g. `double-11-s3-v42-zh-cn`. ASCII, unique per variant (the id is), and the same in every
/// export of the campaign. It is the Meta ad's and ad creative's `name`, the `utm_content` of
/// every ad's tracking parameters (Google `Final URL suffix`, Meta `url_tags`), and appears in
/// `manifest.json`'s `variant_keys`, so a platform report row maps back to exactly one variant
/// ([`variant_id_of_key`]).
pub fn variant_key(campaign: &str, segment_label: u32, variant_id: i64, lang: &str) -> String {
    format!("{}-s{segment_label}-v{variant_id}-{}", campaign_part(campaign), slug(lang, 16, "xx"))
}

/// [`variant_key`] of a stored variant.
pub fn key_of(campaign: &str, v: &Variant) -> String {
    variant_key(campaign, v.segment_label, v.id, &v.lang)
}

/// The key of an ad group / ad set (segment × language): `<campaign-slug>-s<label>-<lang>`. Also
/// the `utm_content` of a Google responsive search ad, which pools the ad group's approved copy.
pub fn ad_group_key(campaign: &str, segment_label: u32, lang: &str) -> String {
    format!("{}-s{segment_label}-{}", campaign_part(campaign), slug(lang, 16, "xx"))
}

/// The variant id in a key made by [`variant_key`] (the `-s<label>-v<id>-` nearest the end), or
/// `None` when `key` is not one (e.g. an ad group key). Tolerates surrounding spaces and any
/// letter case (a platform report may change either).
pub fn variant_id_of_key(key: &str) -> Option<i64> {
    let key = key.trim().to_ascii_lowercase();
    let key = key.as_str();
    let mut end = key.len();
    while let Some(i) = key[..end].rfind("-v") {
        end = i;
        let rest = &key[i + 2..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let before = &key[..i];
        let label = before.bytes().rev().take_while(u8::is_ascii_digit).count();
        let labelled = label > 0 && before[..before.len() - label].ends_with("-s");
        if digits > 0 && rest[digits..].starts_with('-') && labelled {
            return rest[..digits].parse().ok();
        }
    }
    None
}

/// The segment part of names: `seg<label>-<name slug>`, or `seg<label>` for a name without
/// ASCII letters or digits (e.g. `seg3-night-owls`).
pub fn segment_part(label: u32, name_en: &str) -> String {
    let seg = slug(name_en, SEGMENT_SLUG_MAX, "");
    if seg.is_empty() {
        format!("seg{label}")
    } else {
        format!("seg{label}-{seg}")
    }
}

/// The zip archive's name inside the export folder.
pub fn zip_file(campaign: &str) -> String {
    format!("{}.zip", campaign_part(campaign))
}

/// `root/name` when `name` is exactly one plain path component (no separator, `..`, root or
/// prefix), or `audiences/` ([`super::audiences::DIR`]) followed by one; `None` otherwise. The
/// last line of defence behind [`slug`].
pub fn inside(root: &Path, name: &str) -> Option<PathBuf> {
    if let Some(rest) = name.strip_prefix(super::audiences::DIR).and_then(|r| r.strip_prefix('/')) {
        return plain(&root.join(super::audiences::DIR), rest);
    }
    plain(root, name)
}

fn plain(root: &Path, name: &str) -> Option<PathBuf> {
    let mut comps = Path::new(name).components();
    match (comps.next(), comps.next()) {
        (Some(Component::Normal(c)), None) if c == name && !name.contains(['\\', '\0', ':']) && !name.ends_with(['.', ' ']) => Some(root.join(name)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: [&str; 22] = [
        "../../etc",
        "../../etc/passwd",
        "/etc/passwd",
        "C:\\Windows\\System32",
        "\\\\server\\share",
        "a\0b",
        "\0",
        "CON",
        "con",
        "PRN",
        "AUX",
        "NUL",
        "nul.txt",
        "COM1",
        "LPT1",
        "lpt9",
        "trailing dots...",
        "trailing spaces   ",
        ". .",
        "..",
        "双十一大促",
        "~/.ssh/id_rsa",
    ];

    #[test]
    fn hostile_names_become_plain_single_components() {
        let root = Path::new("/tmp/export-root");
        for bad in HOSTILE {
            let s = campaign_part(bad);
            assert!(!s.is_empty(), "{bad:?}");
            assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{bad:?} -> {s}");
            assert!(!is_device_name(&s), "{bad:?} -> {s} is a device name");
            assert!(!s.starts_with('-') && !s.ends_with('-'), "{bad:?} -> {s}");
            let zip = zip_file(bad);
            let path = inside(root, &zip).unwrap_or_else(|| panic!("{bad:?} -> {zip} is not a single component"));
            assert_eq!(path.parent(), Some(root), "{bad:?}");
        }
        assert_eq!(campaign_part("../../etc"), "etc");
        assert_eq!(campaign_part("CON"), "x-con");
        assert_eq!(campaign_part("lpt1"), "x-lpt1");
        assert_eq!(campaign_part("COM10"), "com10", "only COM0–COM9 are devices");
        assert_eq!(campaign_part("双十一大促"), "campaign");
        assert_eq!(campaign_part("Double 11 — Sale!"), "double-11-sale");
        assert_eq!(campaign_part(&"ab".repeat(100)).len(), CAMPAIGN_SLUG_MAX);
        assert_eq!(slug("Premium electronics enthusiasts", SEGMENT_SLUG_MAX, ""), "premium-electronics", "cut at a word boundary");
    }

    #[test]
    fn variant_keys_are_readable_unique_and_map_back_to_the_variant() {
        let k = variant_key("Double 11 — v7-x", 3, 42, "zh-CN");
        assert_eq!(k, "double-11-v7-x-s3-v42-zh-cn");
        assert_eq!(variant_id_of_key(&k), Some(42), "the campaign slug's own -v7- is not taken for the id");
        assert_eq!(variant_id_of_key(&format!(" {k} ")), Some(42));
        assert_eq!(variant_id_of_key(&ad_group_key("Double 11", 3, "en")), None);
        assert_eq!(variant_id_of_key(&ad_group_key("Sale v7 x", 3, "en")), None, "sale-v7-x-s3-en names no variant");
        assert_eq!(ad_group_key("Double 11", 3, "en"), "double-11-s3-en");
        assert_ne!(variant_key("Double 11 — v7-x", 3, 43, "zh-CN"), k);
        assert_eq!(variant_key("双十一", 0, 7, "en"), "campaign-s0-v7-en");
    }

    #[test]
    fn inside_refuses_anything_but_one_plain_component() {
        let root = Path::new("/out");
        for bad in ["../x", "..", ".", "/etc/passwd", "a/b", "a\\b", "a\0b", "C:x", "x.", "x ", ""] {
            assert!(inside(root, bad).is_none(), "{bad:?}");
        }
        assert_eq!(inside(root, "manifest.json"), Some(PathBuf::from("/out/manifest.json")));
        assert_eq!(inside(root, "audiences/seg1-a_google.csv"), Some(PathBuf::from("/out/audiences/seg1-a_google.csv")), "the one subfolder");
        for bad in ["audiences/../x", "audiences/a/b", "audiences/", "audiences//x", "other/x", "audiences\\x"] {
            assert!(inside(root, bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn device_names_are_recognised_in_any_case_and_with_extensions() {
        for d in ["CON", "con", "Prn", "aux", "NUL", "nul.png", "COM1", "com9", "LPT1", "lpt0.zip"] {
            assert!(is_device_name(d), "{d}");
        }
        for ok in ["console", "com", "com10", "lpt", "x-con", "null"] {
            assert!(!is_device_name(ok), "{ok}");
        }
    }
}
