//! User-given names: the one rule for every display name the studio stores and shows.
//!
//! * **Every name** (profile names, segment names in both languages, campaign names, the
//!   business name and logo wordmark, simulation run names, the legacy reviewer name) is one
//!   line of text: [`check_line`] refuses control characters (Unicode general category `Cc`:
//!   ESC, CR, LF, TAB, NUL, DEL, U+0080–U+009F …) and the line/paragraph separators
//!   U+2028/U+2029, naming the field, the character and where it is.
//! * **Profile names** say who acted in the audit log, so they must also look like what they
//!   are: [`check_profile`] additionally refuses invisible characters — bidi controls
//!   (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), zero-width characters (U+200B–U+200D,
//!   U+2060, U+FEFF) and every other `Default_Ignorable_Code_Point` (soft hyphen, variation
//!   selectors, Hangul fillers, tags …) — and two profile names may not look alike:
//!   [`confusable`] compares them under NFKC, Unicode case folding (lower case) and the UTS #39
//!   confusable skeleton, so "Аda" (Cyrillic А) blocks "Ada", and "ｍｉａ" blocks "Mia".
//!
//! Leaf module: no store, no other studio module. Errors are [`NameError`] (`invalid_input`,
//! or `conflict` for a look-alike).

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

use crate::error::{keyed, ErrorCode, HasCode, Keyed};

/// Why a name was refused. Every message names the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    /// A control character or line separator: names are one line.
    #[error("{field} contains the control character {code} at character {at}; a name is one line of visible text")]
    Control { field: &'static str, code: String, at: usize },
    /// An invisible character (bidi control, zero-width or other default-ignorable) in a
    /// profile name.
    #[error("{field} contains the invisible {kind} {code} at character {at}; profile names may only use visible characters")]
    Invisible { field: &'static str, kind: &'static str, code: String, at: usize },
    /// The name looks like an existing one (same NFKC + lower case + confusable skeleton).
    #[error("{field} {name:?} looks the same as the existing profile {existing:?}; choose a clearly different name")]
    LookAlike { field: &'static str, name: String, existing: String },
}

impl HasCode for NameError {
    fn code(&self) -> ErrorCode {
        match self {
            NameError::Control { .. } | NameError::Invisible { .. } => ErrorCode::InvalidInput,
            NameError::LookAlike { .. } => ErrorCode::Conflict,
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            NameError::Control { field, code, at } => keyed!("err.names.control", name_field = field_id(field), code = code, at = at),
            NameError::Invisible { field, kind, code, at } => keyed!("err.names.invisible", name_field = field_id(field), kind = kind, code = code, at = at),
            NameError::LookAlike { field, name, existing } => keyed!("err.names.look_alike", name_field = field_id(field), name = name, existing = existing),
        })
    }
}

/// The message keys [`NameError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &["err.names.control", "err.names.invisible", "err.names.look_alike"];

/// Every name field the studio checks: (the field as the English message names it, its id).
/// The window shows a name error's field (parameter `name_field`) by its id (`namefield.{id}`).
pub const FIELDS: &[(&str, &str)] = &[
    ("campaign name", "campaign_name"),
    ("campaign business_name", "business_name"),
    ("campaign kit.logo_text", "logo_text"),
    ("simulation run name", "run_name"),
    ("profile name", "profile_name"),
    ("English segment name (name_en)", "segment_name_en"),
    ("Chinese segment name (name_zh)", "segment_name_zh"),
];

/// The id of a name field (see [`FIELDS`]); an unlisted field is its own id.
fn field_id(field: &str) -> &str {
    FIELDS.iter().find(|f| f.0 == field).map_or(field, |f| f.1)
}

fn code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Refuse a name with a control character (`Cc`) or U+2028/U+2029. `field` names the field in
/// the message (e.g. `"campaign name"`). Errors: [`NameError::Control`].
pub fn check_line(field: &'static str, name: &str) -> Result<(), NameError> {
    match name.chars().enumerate().find(|(_, c)| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
        Some((i, c)) => Err(NameError::Control { field, code: code(c), at: i + 1 }),
        None => Ok(()),
    }
}

/// What kind of invisible character `c` is, if it is one (bidi control, zero-width, or
/// another `Default_Ignorable_Code_Point` of Unicode 15's DerivedCoreProperties).
fn invisible(c: char) -> Option<&'static str> {
    match c {
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some("bidi control"),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Some("zero-width character"),
        '\u{00AD}'
        | '\u{034F}'
        | '\u{115F}'..='\u{1160}'
        | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{2061}'..='\u{2065}'
        | '\u{206A}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}' => Some("default-ignorable character"),
        _ => None,
    }
}

/// [`check_line`], then refuse invisible characters (see the module docs).
/// Errors: [`NameError::Control`], [`NameError::Invisible`].
pub fn check_profile(field: &'static str, name: &str) -> Result<(), NameError> {
    check_line(field, name)?;
    match name.chars().enumerate().find_map(|(i, c)| invisible(c).map(|kind| (i, c, kind))) {
        Some((i, c, kind)) => Err(NameError::Invisible { field, kind, code: code(c), at: i + 1 }),
        None => Ok(()),
    }
}

/// The comparison keys of a name: the confusable skeleton of its NFKC form lower-cased, and of
/// its lower-cased NFKC form (both orders, because case folding and the skeleton do not
/// commute: "Il" and "ll" share a skeleton, "Il" and "il" a lower case).
pub fn keys(name: &str) -> [String; 2] {
    let nfkc: String = name.trim().nfkc().collect();
    let lower = |s: &str| s.to_lowercase().nfkc().collect::<String>();
    [lower(&skeleton(&nfkc).collect::<String>()), lower(&skeleton(&lower(&nfkc)).collect::<String>())]
}

/// Do `a` and `b` look alike (a key in common, see [`keys`])?
pub fn confusable(a: &str, b: &str) -> bool {
    let (ka, kb) = (keys(a), keys(b));
    ka.iter().any(|k| kb.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_refuses_control_characters_naming_field_and_place() {
        for (bad, cp, at) in [("a\u{1b}[31mb", "U+001B", 2), ("line\nbreak", "U+000A", 5), ("cr\r", "U+000D", 3), ("\tx", "U+0009", 1), ("x\u{85}", "U+0085", 2), ("p\u{2028}q", "U+2028", 2)] {
            let e = check_line("campaign name", bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidInput);
            let m = e.to_string();
            assert!(m.contains("campaign name") && m.contains(cp) && m.contains(&format!("character {at}")), "{m}");
        }
        for ok in ["Double 11", "双十一 大促", "Café — 50 % off", "Аda", "a\u{200B}b"] {
            assert_eq!(check_line("campaign name", ok), Ok(()), "{ok:?} is one line");
        }
    }

    #[test]
    fn profile_names_refuse_bidi_zero_width_and_other_invisible_characters() {
        for (bad, kind) in [
            ("Ada\u{202E}nimda", "bidi control"),
            ("\u{2066}Mia", "bidi control"),
            ("Mi\u{200F}a", "bidi control"),
            ("Rui\u{061C}", "bidi control"),
            ("A\u{200B}da", "zero-width character"),
            ("A\u{200D}da", "zero-width character"),
            ("\u{FEFF}Ada", "zero-width character"),
            ("Ad\u{2060}a", "zero-width character"),
            ("Ad\u{00AD}a", "default-ignorable character"),
            ("Ada\u{FE0F}", "default-ignorable character"),
            ("Ada\u{E0041}", "default-ignorable character"),
        ] {
            let e = check_profile("profile name", bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidInput);
            assert!(matches!(&e, NameError::Invisible { kind: k, .. } if *k == kind) && e.to_string().contains("profile name"), "{bad:?}: {e}");
        }
        assert!(matches!(check_profile("profile name", "Ada\u{1b}"), Err(NameError::Control { .. })));
        for ok in ["Ada", "林小雨", "Zoë O'Neil", "demo-marketer", "محمد"] {
            assert_eq!(check_profile("profile name", ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn look_alikes_are_confusable_across_scripts_width_and_case() {
        let same = [
            ("Ada", "\u{0410}da"), // Cyrillic А
            ("Ada", "Аdа"),        // Cyrillic А and а
            ("Mia", "ｍｉａ"),     // full-width (NFKC)
            ("Rui", "RUI"),        // case
            ("paypal", "pаypаl"),  // Cyrillic а
            ("Il", "ll"),          // capital I vs small L
            ("Il", "il"),          // case
            ("Ada", " Ada "),      // surrounding space
            ("ﬁona", "fiona"),     // ligature (NFKC)
        ];
        for (a, b) in same {
            assert!(confusable(a, b) && confusable(b, a), "{a:?} ~ {b:?}");
        }
        for (a, b) in [("Ada", "Ida"), ("Mia", "Max"), ("Rui", "Rul"), ("林小雨", "林小云"), ("demo-admin", "demo-marketer")] {
            assert!(!confusable(a, b), "{a:?} !~ {b:?}");
        }
    }
}
