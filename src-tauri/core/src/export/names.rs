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
