//! The message keys against the window's dictionaries (`ui/src/lib/i18n`): every key has a
//! text in both languages, and every text names only parameters its errors give.

use std::collections::BTreeSet;

use crate::Keyed;

use super::*;
use crate::error::HasCode;
use crate::review::{ReviewError, TextProblem};

/// The keys of a TypeScript dictionary file (`'key': '…'` lines).
fn dictionary(file: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix('\'')?;
            let end = rest.find("':")?;
            Some(rest[..end].to_string())
        })
        .collect()
}

/// Fails when the core can send a key the Chinese (or English) UI has no text for.
#[test]
fn every_core_message_key_has_a_chinese_and_an_english_text() {
    for file in ["zh-CN.ts", "en.ts"] {
        let have = dictionary(file);
        assert!(have.len() > 100, "{file} parsed to {} keys", have.len());
        let missing: Vec<String> = keys().into_iter().filter(|k| !have.contains(k)).collect();
        assert!(missing.is_empty(), "ui/src/lib/i18n/{file} lacks {missing:?}");
    }
}

/// The window's English texts of the copy reasons are the core's templates, word for word
/// (the English wording lives once, in `copy::reason`).
#[test]
fn english_dictionary_matches_the_reason_templates() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n/en.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    for (key, template) in crate::copy::reason::TEMPLATES {
        let line = format!("'{key}': '{}',", template.replace('\'', "\\'"));
        assert!(text.lines().any(|l| l.trim() == line), "en.ts should have the line {line}");
    }
}

/// The export rules' names are their serialised names.
#[test]
fn export_rule_names_match_serde() {
    for (rule, name) in crate::export::Rule::ALL {
        assert_eq!(serde_json::to_value(rule).unwrap(), serde_json::json!(name));
    }
}

/// Every keyed review error uses a listed key and only parameters its text can fill.
#[test]
fn keyed_review_errors_use_listed_keys() {
    let samples = [
        ReviewError::NotFound(3),
        ReviewError::NotCompliant { id: 3, summary: "x".into() },
        ReviewError::Forbidden { actor: "Rui".into(), role: Role::Reviewer, action: Action::EditCopy, allowed: "marketers and admins".into() },
        ReviewError::OwnContent { actor: "Mia".into(), id: 3, action: AuditAction::Edit, audit_id: 9 },
        ReviewError::Inactive("Max".into()),
        ReviewError::SelfChange("Ada".into()),
        ReviewError::BootstrapClosed,
        ReviewError::BootstrapNotAdmin,
        ReviewError::ProfileNotFound("Zoe".into()),
        ReviewError::DuplicateName("Mia".into()),
        ReviewError::BadName,
        ReviewError::BadRole("boss".into()),
        ReviewError::BadTransition { id: 3, from: ReviewState::Draft, to: ReviewState::Approved, rule: "r" },
        ReviewError::BadText { what: "comment", problem: TextProblem::Empty },
        ReviewError::BadText { what: "note", problem: TextProblem::TooLong(2001) },
        ReviewError::BadText { what: "override reason", problem: TextProblem::TooShort(3) },
    ];
    let all = keys();
    let mut seen = BTreeSet::new();
    for e in samples {
        let k = e.keyed().unwrap_or_else(|| panic!("{e:?} has no key"));
        assert!(all.contains(&k.key), "{} not listed", k.key);
        for (name, value) in &k.params {
            let label = match name.as_str() {
                "role" => Some(format!("role.{value}")),
                "action" => Some(format!("action.{value}")),
                "from" | "to" => Some(format!("state.{value}")),
                "audit_action" => Some(format!("audit.{value}")),
                "what" => Some(format!("text.{value}")),
                _ => None,
            };
            if let Some(label) = label {
                assert!(all.contains(&label), "{}: parameter {name}={value} has no label {label}", k.key);
            }
        }
        seen.insert(k.key);
    }
    let listed: BTreeSet<String> = ERROR_KEYS.iter().filter(|k| k.starts_with("err.review.")).map(|k| k.to_string()).collect();
    assert_eq!(seen, listed, "every listed review key is produced by some error");
}

/// The `{name}` placeholders of a dictionary file's entries.
pub(super) fn templates(file: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix('\'') else { continue };
        let Some(end) = rest.find("':") else { continue };
        let value = &rest[end + 2..];
        let names = value.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string())).collect();
        out.insert(rest[..end].to_string(), names);
    }
    out
}

/// `dict`'s texts of every key of `made` use only the parameters it gives; every key of
/// `listed` is among them.
pub(super) fn check_reasons(made: &[Keyed], listed: &[&str]) {
    let (en, zh) = (templates("en.ts"), templates("zh-CN.ts"));
    let mut seen = BTreeSet::new();
    for k in made {
        for dict in [&en, &zh] {
            let wanted = dict.get(&k.key).unwrap_or_else(|| panic!("{} has no text", k.key));
            for name in wanted {
                assert!(k.params.contains_key(name), "{}: the text needs {{{name}}}, the reason gives {:?}", k.key, k.params);
            }
        }
        seen.insert(k.key.as_str());
    }
    let missing: Vec<&&str> = listed.iter().filter(|k| !seen.contains(**k)).collect();
    assert!(missing.is_empty(), "listed keys no check produced: {missing:?}");
    assert!(seen.iter().all(|k| listed.contains(k)), "unlisted keys: {seen:?}");
}

/// Every `keyed_text!` call in the core's source: its key is listed (so the window has a
/// text for it), and the English and Chinese texts of the key name only parameters that call
/// gives — checked per call site, including refusals no test provokes.
#[test]
fn every_keyed_text_call_fills_its_texts() {
    let (en, zh) = (templates("en.ts"), templates("zh-CN.ts"));
    let listed: BTreeSet<String> = keys().into_iter().collect();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src];
    let mut calls = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("error.rs") || path.ends_with("messages/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("keyed_text!(\"") {
            // The call's text up to its balanced closing parenthesis.
            let body = &text[at + "keyed_text!(".len()..];
            let (mut depth, mut end, mut in_str, mut escaped) = (1i32, 0, false, false);
            for (i, c) in body.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_str => escaped = true,
                    '"' => in_str = !in_str,
                    '(' if !in_str => depth += 1,
                    ')' if !in_str => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let call = &body[..end];
            let key = &call[1..call[1..].find('"').unwrap() + 1];
            // The format string, then `name = value` pairs after it.
            let fmt_start = call.find("; \"").map(|i| i + 3).unwrap_or_else(|| panic!("{}: {call}", path.display()));
            let mut i = fmt_start;
            let bytes = call.as_bytes();
            while bytes[i] != b'"' || bytes[i - 1] == b'\\' {
                i += 1;
            }
            let names: BTreeSet<String> = call[i + 1..]
                .split(',')
                .filter_map(|part| part.trim_start().split_once(" = ").map(|(n, _)| n.trim().to_string()))
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .collect();
            assert!(listed.contains(key), "{}: {key} is not listed in messages::keys()", path.display());
            for dict in [&en, &zh] {
                let wanted = dict.get(key).unwrap_or_else(|| panic!("{key} has no text"));
                for name in wanted {
                    assert!(names.contains(name), "{}: {key}'s text needs {{{name}}}, the call gives {names:?}", path.display());
                }
            }
            calls += 1;
        }
    }
    assert!(calls > 80, "found only {calls} keyed_text! calls");
}
